/**
 * A real, throwaway PostgreSQL for tests: one cluster per test run (initdb in a temp dir, its own
 * port and socket directory, fsync off), and a FRESH database (`parley_t<n>`) for every test server.
 * Needs Debian's PostgreSQL binaries (`apt-get install -y postgresql`; .ci/run installs them);
 * the system cluster, if any, is never touched.
 *
 * How to use it:
 *
 * 1. Whole suite on PostgreSQL (`PARLEY_TEST_DATABASE=postgres`): in vitest.config.ts add
 *      globalSetup: ['test/support/postgres.ts']
 *    The exported `setup` starts the cluster once in Vitest's main process (only when
 *    PARLEY_TEST_DATABASE=postgres; otherwise it does nothing) and publishes its address to the
 *    test workers in PARLEY_TEST_POSTGRES_URL; the returned teardown stops and deletes it.
 *
 * 2. In a test server (test/support/server.ts), per server:
 *      if (process.env.PARLEY_TEST_DATABASE === 'postgres') {
 *        const pg = await testPostgres();          // the shared cluster (or this worker's own)
 *        const databaseUrl = await pg.createDatabase();   // …/parley_t<n>, schema already migrated
 *        … createServer({ …, databaseUrl }) …
 *        // on close, after the server closed its pool: await pg.dropDatabase(databaseUrl)
 *      }
 *
 * 3. A test file of its own (test/integration/postgres-database.test.ts):
 *      let pg: TestPostgres;
 *      beforeAll(async () => { pg = await testPostgres(); });
 *      afterAll(async () => { await pg.stop(); });  // stops only a cluster this worker started
 *
 * `testPostgres()` joins the cluster named by PARLEY_TEST_POSTGRES_URL when the global setup ran;
 * without it (running one file on its own) it starts a cluster for this worker, stopped by
 * `stop()` or, failing that, when the process exits.
 */
import { execFile, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { migratePostgres } from '../../server/store/postgres/migrations.js';

const run = promisify(execFile);

/** The cluster's superuser (password-less: `initdb -A trust`). */
const USER = 'parley';
/** Where the global setup tells the workers which cluster to use: a URL of its `postgres` database. */
const SHARED_URL_ENV = 'PARLEY_TEST_POSTGRES_URL';

export interface TestPostgres {
  /** The URL of a database on this cluster (default: the `postgres` maintenance database). */
  url(dbName?: string): string;
  /**
   * Creates a fresh database `parley_t<n>` and returns its URL. It already has Parley's schema
   * (a copy of a template migrated once per run, so opening a store on it migrates nothing);
   * `{ schema: false }` gives an empty one instead.
   */
  createDatabase(options?: { schema?: boolean }): Promise<string>;
  /** Drops a database made by createDatabase (closing connections still open to it). */
  dropDatabase(url: string): Promise<void>;
  /** Stops the cluster and deletes its files, if this handle started it; otherwise only lets go of it. */
  stop(): Promise<void>;
}

/** The newest installed PostgreSQL's bin directory (Debian: /usr/lib/postgresql/<major>/bin). */
export function postgresBinDir(): string {
  const fromEnv = process.env.PARLEY_PG_BIN;
  if (fromEnv) return fromEnv;
  const root = '/usr/lib/postgresql';
  const versions = fs.existsSync(root)
    ? fs.readdirSync(root).filter((v) => fs.existsSync(path.join(root, v, 'bin', 'initdb'))).sort((a, b) => Number(b) - Number(a))
    : [];
  if (versions.length === 0) {
    throw new Error('PostgreSQL is not installed (no /usr/lib/postgresql/*/bin/initdb): apt-get install -y postgresql');
  }
  return path.join(root, versions[0]!, 'bin');
}

/** A port nobody listens on right now. */
async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const port = (server.address() as net.AddressInfo).port;
      server.close(() => resolve(port));
    });
  });
}

const quote = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;

/**
 * Runs a PostgreSQL binary as the `postgres` OS user when we are root (initdb and postgres refuse
 * to run as root), as ourselves otherwise.
 */
async function asPostgres(binary: string, args: string[]): Promise<void> {
  if (process.getuid?.() === 0) {
    const command = [binary, ...args].map(quote).join(' ');
    await run('su', ['postgres', '-s', '/bin/sh', '-c', command]);
  } else {
    await run(binary, args);
  }
}

function asPostgresSync(binary: string, args: string[]): void {
  if (process.getuid?.() === 0) {
    execFileSync('su', ['postgres', '-s', '/bin/sh', '-c', [binary, ...args].map(quote).join(' ')], { stdio: 'ignore' });
  } else {
    execFileSync(binary, args, { stdio: 'ignore' });
  }
}

function urlOf(port: number, dbName: string): string {
  return `postgresql://${USER}@127.0.0.1:${port}/${dbName}`;
}

const TEMPLATE = 'parley_template';

/**
 * The name of a database with Parley's schema to copy, made once per cluster: the first worker to
 * get here creates and migrates it while holding a session advisory lock; the others wait at the lock.
 * Also creates the sequence that numbers the test databases.
 */
async function schemaTemplate(admin: pg.Pool, port: number): Promise<string> {
  const client = await admin.connect();
  try {
    await client.query(`SELECT pg_advisory_lock(hashtextextended('parley:test-template', 0))`);
    try {
      await client.query('CREATE SEQUENCE IF NOT EXISTS parley_test_databases');
      const exists = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [TEMPLATE]);
      if (exists.rowCount === 0) {
        await client.query(`DROP DATABASE IF EXISTS ${TEMPLATE}_wip WITH (FORCE)`);
        await client.query(`CREATE DATABASE ${TEMPLATE}_wip`);
        const pool = new pg.Pool({ connectionString: urlOf(port, `${TEMPLATE}_wip`), max: 1 });
        pool.on('error', () => {});
        try {
          await migratePostgres(pool);
        } finally {
          await pool.end();
        }
        // Renamed only when complete, so a half-made template is never copied (the rename, too,
        // waits until the migration's connection has gone).
        for (let attempt = 1; ; attempt++) {
          try {
            await client.query(`ALTER DATABASE ${TEMPLATE}_wip RENAME TO ${TEMPLATE}`);
            break;
          } catch (error) {
            if ((error as { code?: string }).code !== '55006' || attempt >= 100) throw error;
            await new Promise((resolve) => setTimeout(resolve, 50));
          }
        }
      }
    } finally {
      await client.query(`SELECT pg_advisory_unlock(hashtextextended('parley:test-template', 0))`);
    }
  } finally {
    client.release();
  }
  return TEMPLATE;
}

/** Creates/drops databases on a running cluster; database numbers come from a sequence, unique across workers. */
function handle(port: number, stopCluster: () => Promise<void>): TestPostgres {
  let admin: pg.Pool | null = null;
  let templateReady: Promise<string> | null = null;
  const adminPool = (): pg.Pool => {
    if (!admin) {
      admin = new pg.Pool({ connectionString: urlOf(port, 'postgres'), max: 2 });
      admin.on('error', () => {});
    }
    return admin;
  };
  return {
    url: (dbName = 'postgres') => urlOf(port, dbName),
    async createDatabase(options = {}) {
      const pool = adminPool();
      templateReady ??= schemaTemplate(pool, port).catch((error: unknown) => {
        templateReady = null; // try again next time
        throw error;
      });
      const schemaTemplateName = await templateReady;
      const template = options.schema === false ? 'template1' : schemaTemplateName;
      const { rows } = await pool.query<{ n: string }>(`SELECT nextval('parley_test_databases') AS n`);
      const name = `parley_t${rows[0]!.n}`;
      // The default strategy (WAL_LOG): FILE_COPY would checkpoint the whole cluster, stalling other workers.
      for (let attempt = 1; ; attempt++) {
        try {
          await pool.query(`CREATE DATABASE ${name} TEMPLATE ${template}`);
          return urlOf(port, name);
        } catch (error) {
          // 55006: a connection to the template is still closing (its migration pool just ended).
          if ((error as { code?: string }).code !== '55006' || attempt >= 100) throw error;
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
      }
    },
    async dropDatabase(url) {
      const name = new URL(url).pathname.slice(1);
      if (!/^parley_t\d+$/.test(name)) throw new Error(`not a test database: ${name}`);
      await adminPool().query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    },
    async stop() {
      const pool = admin;
      admin = null;
      templateReady = null;
      if (pool) await pool.end();
      await stopCluster();
    },
  };
}

/** Starts a new throwaway cluster; `stop()` stops it and deletes its directory. */
export async function startPostgres(): Promise<TestPostgres> {
  const bin = postgresBinDir();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-pg-'));
  const data = path.join(dir, 'data');
  if (process.getuid?.() === 0) {
    const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
    fs.chownSync(dir, uid, gid);
  }
  const port = await freePort();
  let running = false;
  const stopSync = (): void => {
    if (running) {
      running = false;
      try {
        asPostgresSync(path.join(bin, 'pg_ctl'), ['-D', data, '-m', 'immediate', 'stop', '-w']);
      } catch {
        // Already gone.
      }
    }
    fs.rmSync(dir, { recursive: true, force: true });
  };
  // Never leave a cluster running behind a test process that ends without stopping it.
  process.once('exit', stopSync);
  try {
    // C locale: text sorts and compares byte-wise, as in SQLite.
    await asPostgres(path.join(bin, 'initdb'), ['-D', data, '-A', 'trust', '-U', USER, '-E', 'UTF8', '--no-locale', '--no-sync']);
    const options = [
      `-p ${port}`, `-k ${dir}`, '-c listen_addresses=127.0.0.1', '-c fsync=off', '-c synchronous_commit=off',
      '-c full_page_writes=off', '-c max_connections=300',
    ].join(' ');
    running = true;
    await asPostgres(path.join(bin, 'pg_ctl'), ['-D', data, '-l', path.join(dir, 'server.log'), '-o', options, '-w', '-t', '60', 'start']);
  } catch (error) {
    const log = path.join(dir, 'server.log');
    const detail = fs.existsSync(log) ? `\n${fs.readFileSync(log, 'utf8').slice(-2000)}` : '';
    stopSync();
    process.removeListener('exit', stopSync);
    throw new Error(`could not start a test PostgreSQL: ${(error as Error).message}${detail}`);
  }
  return handle(port, async () => {
    if (running) {
      running = false;
      await asPostgres(path.join(bin, 'pg_ctl'), ['-D', data, '-m', 'fast', 'stop', '-w']).catch(() => {});
    }
    fs.rmSync(dir, { recursive: true, force: true });
    process.removeListener('exit', stopSync);
  });
}

let own: Promise<TestPostgres> | null = null;

/**
 * The cluster for this test run: the one the global setup started (PARLEY_TEST_POSTGRES_URL), or
 * else one started for this worker alone (the same one on every call until it is stopped).
 */
export async function testPostgres(): Promise<TestPostgres> {
  const shared = process.env[SHARED_URL_ENV];
  if (shared) return handle(Number(new URL(shared).port), async () => {});
  if (!own) {
    own = startPostgres().then((started) => ({
      ...started,
      async stop() {
        own = null;
        await started.stop();
      },
    }));
    own.catch(() => {
      own = null;
    });
  }
  return own;
}

/**
 * Vitest globalSetup: with PARLEY_TEST_DATABASE=postgres, starts the run's one cluster before any
 * test worker exists and tells the workers where it is; the returned teardown stops and deletes it.
 */
export async function setup(): Promise<(() => Promise<void>) | undefined> {
  if (process.env.PARLEY_TEST_DATABASE !== 'postgres') return undefined;
  const cluster = await startPostgres();
  process.env[SHARED_URL_ENV] = cluster.url();
  return async () => {
    delete process.env[SHARED_URL_ENV];
    await cluster.stop();
  };
}

export default setup;
