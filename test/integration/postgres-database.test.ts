/**
 * The SqlDatabase seam on a real PostgreSQL (a throwaway cluster, test/support/postgres.ts):
 * placeholders, number and blob types, ambient transactions and their retries, advisory locks and
 * the schema migrations; and the same transaction guarantees on SQLite (SqliteDatabase).
 */
import Database from 'better-sqlite3';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrate as migrateSqlite } from '../../server/store/sqlite/migrations.js';
import { migratePostgres, postgresMigrations } from '../../server/store/postgres/migrations.js';
import { isPostgresUrl, redactDatabaseUrl, redactedDatabaseError } from '../../server/store/postgres/database-url.js';
import type { SqlDatabase } from '../../server/store/sql/database.js';
import { advisoryLock } from '../../server/store/sql/dialect.js';
import { parleyTypes, PostgresDatabase, rewritePlaceholders } from '../../server/store/sql/postgres-database.js';
import { SqliteDatabase } from '../../server/store/sql/sqlite-database.js';
import { testPostgres, type TestPostgres } from '../support/postgres.js';

let cluster: TestPostgres;
const opened: PostgresDatabase[] = [];

beforeAll(async () => {
  cluster = await testPostgres();
}, 60_000);

afterAll(async () => {
  for (const db of opened) await db.close();
  await cluster.stop();
});

/** A PostgresDatabase on a fresh, empty database. */
async function freshDatabase(poolSize = 10): Promise<PostgresDatabase> {
  const url = await cluster.createDatabase();
  const db = new PostgresDatabase(new pg.Pool({ connectionString: url, max: poolSize, types: parleyTypes() }));
  opened.push(db);
  return db;
}

interface Deferred<T = void> {
  promise: Promise<T>;
  resolve: (value: T) => void;
}
function deferred<T = void>(): Deferred<T> {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

describe('placeholder rewrite', () => {
  it('rewrites ? and @name outside strings, quoted identifiers and comments', () => {
    expect(rewritePlaceholders(`SELECT '?', "a?b", ? -- why?\n, /* @x /* nested ? */ */ ?`)).toEqual({
      text: `SELECT '?', "a?b", $1 -- why?\n, /* @x /* nested ? */ */ $2`,
      positional: 2,
      names: [],
    });
    expect(rewritePlaceholders(`SELECT @a::int, 'it''s @b', @b, @a, E'\\' ?', $$ @c ? $$, x @> y, @@ z`)).toEqual({
      text: `SELECT $1::int, 'it''s @b', $2, $1, E'\\' ?', $$ @c ? $$, x @> y, @@ z`,
      positional: 0,
      names: ['a', 'b'],
    });
    expect(() => rewritePlaceholders('SELECT ?, @a')).toThrow(/mixes/);
  });

  it('runs on PostgreSQL with the quoted text untouched', async () => {
    const db = await freshDatabase(2);
    const row = await db.get(
      `SELECT '?' AS q, '@name' AS at, ? AS first, ?::int + 1 AS second, 'x''?' AS doubled, 1 AS "why?" -- trailing ?`,
      ['one', 41],
    );
    expect(row).toEqual({ q: '?', at: '@name', first: 'one', second: 42, doubled: "x'?", 'why?': 1 });
    const named = await db.get(`SELECT @a::text || @b::text || @a::text AS s, ARRAY[1, 2] @> ARRAY[@n::int] AS contains`, {
      a: 'x', b: '?', n: 2, unused: 'ignored',
    });
    expect(named).toEqual({ s: 'x?x', contains: true });
    await expect(db.get('SELECT @a::int AS a', {})).rejects.toThrow(/Missing named parameter "a"/);
    await expect(db.get('SELECT ?::int AS a', [])).rejects.toThrow(/Too few/);
    await expect(db.get('SELECT ?::int AS a', [1, 2])).rejects.toThrow(/Too many/);
  });
});

describe('types', () => {
  it('returns int8 and numeric as numbers, only on this pool', async () => {
    const db = await freshDatabase(2);
    await db.exec(`CREATE TABLE t (id bigint PRIMARY KEY, at bigint NOT NULL, flag integer NOT NULL);
      INSERT INTO t VALUES (1, 1767225600000, 1), (2, 9007199254740991, 0);`);
    expect(await db.all('SELECT id, at, flag FROM t ORDER BY id')).toEqual([
      { id: 1, at: 1767225600000, flag: 1 },
      { id: 2, at: 9007199254740991, flag: 0 },
    ]);
    expect(await db.get('SELECT count(*) AS n, sum(flag) AS flags, sum(at) AS total, avg(flag) AS mean FROM t')).toEqual({
      n: 2, flags: 1, total: 1767225600000 + 9007199254740991, mean: 0.5,
    });
    // node-postgres' global parsers are untouched: a pool without Parley's types still gets strings.
    const plain = new pg.Pool({ connectionString: db.pool.options.connectionString, max: 1 });
    try {
      expect((await plain.query('SELECT count(*) AS n FROM t')).rows[0]).toEqual({ n: '2' });
    } finally {
      await plain.end();
    }
  });

  it('round-trips bytea as Buffers', async () => {
    const db = await freshDatabase(2);
    await db.exec('CREATE TABLE b (id integer PRIMARY KEY, data bytea NOT NULL)');
    const bytes = Buffer.from([0, 1, 2, 255, 0, 39, 92, 63, 64]);
    expect(await db.run('INSERT INTO b (id, data) VALUES (?, ?)', [1, bytes])).toEqual({ changes: 1 });
    const row = await db.get<{ data: Buffer }>('SELECT data FROM b WHERE id = @id', { id: 1 });
    expect(Buffer.isBuffer(row!.data)).toBe(true);
    expect(row!.data.equals(bytes)).toBe(true);
  });

  it('counts changed rows and runs several statements in exec', async () => {
    const db = await freshDatabase(2);
    await db.exec(`CREATE TABLE c (id integer PRIMARY KEY, v text); INSERT INTO c VALUES (1, 'a'), (2, 'b'), (3, 'c');`);
    expect(await db.run(`UPDATE c SET v = 'z' WHERE id >= ?`, [2])).toEqual({ changes: 2 });
    expect(await db.run('DELETE FROM c WHERE id = 99')).toEqual({ changes: 0 });
    expect(await db.get('SELECT v FROM c WHERE id = 42')).toBeUndefined();
  });
});

/** Transaction guarantees every SqlDatabase gives, run on both implementations. */
function sharedTransactionTests(open: () => Promise<SqlDatabase>): void {
  it('rolls back everything when the function throws, and rethrows', async () => {
    const db = await open();
    await db.exec('CREATE TABLE r (id integer PRIMARY KEY)');
    await expect(
      db.transaction(async () => {
        await db.run('INSERT INTO r (id) VALUES (?)', [1]);
        expect(await db.get('SELECT count(*) AS n FROM r')).toEqual({ n: 1 });
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(await db.get('SELECT count(*) AS n FROM r')).toEqual({ n: 0 });
    expect(db.inTransaction()).toBe(false);
  });

  it('joins a nested transaction to the outer one', async () => {
    const db = await open();
    await db.exec('CREATE TABLE n (id integer PRIMARY KEY)');
    await expect(
      db.transaction(async () => {
        expect(db.inTransaction()).toBe(true);
        const inner = await db.transaction(async () => {
          await db.run('INSERT INTO n (id) VALUES (?)', [1]);
          return 'inner result';
        });
        expect(inner).toBe('inner result');
        expect(await db.get('SELECT count(*) AS n FROM n')).toEqual({ n: 1 });
        throw new Error('outer fails');
      }),
    ).rejects.toThrow('outer fails');
    // The inner "commit" was part of the outer transaction: rolled back with it.
    expect(await db.get('SELECT count(*) AS n FROM n')).toEqual({ n: 0 });
    await db.transaction(async () => {
      await db.transaction(async () => db.run('INSERT INTO n (id) VALUES (?)', [2]));
    });
    expect(await db.all('SELECT id FROM n')).toEqual([{ id: 2 }]);
  });

  it('keeps uncommitted writes invisible to a concurrent read outside the transaction', async () => {
    const db = await open();
    await db.exec('CREATE TABLE u (id integer PRIMARY KEY)');
    const written = deferred();
    const release = deferred();
    const transaction = db.transaction(async () => {
      await db.run('INSERT INTO u (id) VALUES (?)', [1]);
      written.resolve();
      await release.promise;
      throw new Error('changed my mind');
    });
    await written.promise;
    const outside = db.all('SELECT id FROM u');
    await sleep(30);
    release.resolve();
    await expect(transaction).rejects.toThrow('changed my mind');
    expect(await outside).toEqual([]);
    expect(await db.all('SELECT id FROM u')).toEqual([]);
  });
}

describe('PostgreSQL transactions', () => {
  sharedTransactionTests(() => freshDatabase(4));

  it('isolates concurrent transactions from each other until commit', async () => {
    const db = await freshDatabase(4);
    await db.exec('CREATE TABLE i (id integer PRIMARY KEY)');
    const written = deferred();
    const release = deferred();
    const writer = db.transaction(async () => {
      await db.run('INSERT INTO i (id) VALUES (?)', [1]);
      written.resolve();
      await release.promise;
    });
    await written.promise;
    // Another transaction and a plain read run meanwhile (PostgreSQL does not make them wait).
    expect(await db.transaction(async () => db.all('SELECT id FROM i'))).toEqual([]);
    expect(await db.all('SELECT id FROM i')).toEqual([]);
    release.resolve();
    await writer;
    expect(await db.all('SELECT id FROM i')).toEqual([{ id: 1 }]);
  });

  it('runs a transaction again after a serialization failure: two read-modify-writes both count', async () => {
    const db = await freshDatabase(4);
    await db.exec(`CREATE TABLE counter (id integer PRIMARY KEY, value bigint NOT NULL); INSERT INTO counter VALUES (1, 0);`);
    const bothRead = [deferred(), deferred()];
    let attempts = 0;
    const increment = (me: number) =>
      db.transaction(async () => {
        attempts++;
        const row = await db.get<{ value: number }>('SELECT value FROM counter WHERE id = 1');
        bothRead[me]!.resolve();
        await Promise.all(bothRead.map((d) => d.promise));
        await db.run('UPDATE counter SET value = ? WHERE id = 1', [row!.value + 1]);
        return row!.value + 1;
      });
    const results = await Promise.all([increment(0), increment(1)]);
    expect(results.sort()).toEqual([1, 2]);
    expect(await db.get('SELECT value FROM counter WHERE id = 1')).toEqual({ value: 2 });
    expect(attempts).toBeGreaterThanOrEqual(3);
  });

  it('does not retry other errors', async () => {
    const db = await freshDatabase(2);
    await db.exec('CREATE TABLE k (id integer PRIMARY KEY)');
    let attempts = 0;
    await expect(
      db.transaction(async () => {
        attempts++;
        await db.run('INSERT INTO k (id) VALUES (1), (1)');
      }),
    ).rejects.toMatchObject({ code: '23505' });
    expect(attempts).toBe(1);
    // The connection went back to the pool in a usable state.
    expect(await db.transaction(async () => db.get('SELECT count(*) AS n FROM k'))).toEqual({ n: 0 });
  });

  it('serialises transactions that take the same advisory lock', async () => {
    const db = await freshDatabase(4);
    const events: string[] = [];
    const locked = (name: string, key: string) =>
      db.transaction(async () => {
        await advisoryLock(db, key);
        events.push(`${name} in`);
        await sleep(60);
        events.push(`${name} out`);
      });
    await Promise.all([locked('a', 'site:alpha'), locked('b', 'site:alpha')]);
    expect([events.slice(0, 2), events.slice(2)].map((pair) => pair[0]!.split(' ')[0] === pair[1]!.split(' ')[0])).toEqual([true, true]);

    events.length = 0;
    await Promise.all([locked('a', 'site:alpha'), locked('b', 'site:beta')]);
    expect(events.slice(0, 2).sort()).toEqual(['a in', 'b in']);

    await expect(advisoryLock(db, 'site:alpha')).rejects.toThrow(/inside a transaction/);
  });

  it('queues transactions named by the same lock, READ COMMITTED: each sees the previous holder commit', async () => {
    const db = await freshDatabase(6);
    await db.exec(`CREATE TABLE counter (id integer PRIMARY KEY, value bigint NOT NULL); INSERT INTO counter VALUES (1, 0);`);
    const events: string[] = [];
    let attempts = 0;
    // A read, a pause, then a write of what was read: without the lock (or under READ COMMITTED
    // alone) the increments would overlap and be lost; with it each waits for the one before.
    const increment = (name: string, lock: string) =>
      db.transaction(async () => {
        attempts++;
        events.push(`${name} in`);
        const row = await db.get<{ value: number }>('SELECT value FROM counter WHERE id = 1');
        await sleep(30);
        await db.run('UPDATE counter SET value = ? WHERE id = 1', [row!.value + 1]);
        events.push(`${name} out`);
        return (await db.get<{ transaction_isolation: string }>('SHOW transaction_isolation'))!.transaction_isolation;
      }, { lock });
    const levels = await Promise.all(['a', 'b', 'c', 'd'].map((name) => increment(name, 'topic:alpha:one')));
    expect(levels).toEqual(Array(4).fill('read committed'));
    expect(await db.get('SELECT value FROM counter WHERE id = 1')).toEqual({ value: 4 });
    expect(attempts).toBe(4);
    for (let i = 0; i < events.length; i += 2) expect(events[i]!.split(' ')[0]).toBe(events[i + 1]!.split(' ')[0]);
    // The lock ends with the transaction (COMMIT or ROLLBACK): no advisory lock is left behind.
    await expect(db.transaction(async () => {
      await db.run('UPDATE counter SET value = 100 WHERE id = 1');
      throw new Error('changed my mind');
    }, { lock: 'topic:alpha:one' })).rejects.toThrow('changed my mind');
    expect(await db.get(`SELECT count(*) AS n FROM pg_locks WHERE locktype = 'advisory'`)).toEqual({ n: 0 });
    expect(await db.get('SELECT value FROM counter WHERE id = 1')).toEqual({ value: 4 });
    // Other names do not wait for each other, and a name is a literal, whatever it holds.
    events.length = 0;
    await Promise.all([increment('x', "topic:it's"), increment('y', 'topic:beta')]);
    expect(events.slice(0, 2).sort()).toEqual(['x in', 'y in']);
  });

  it('runs a locked transaction again once after a unique violation (a race SERIALIZABLE would have retried)', async () => {
    const db = await freshDatabase(4);
    await db.exec('CREATE TABLE keyed (key text PRIMARY KEY, owner text NOT NULL)');
    const bothChecked = [deferred(), deferred()];
    let attempts = 0;
    // Two writers under different locks check a key is free, then both insert it: one wins, the
    // other's insert fails, and its second run finds the winner's row.
    const claim = (me: number, owner: string) =>
      db.transaction(async () => {
        attempts++;
        const existing = await db.get<{ owner: string }>('SELECT owner FROM keyed WHERE key = ?', ['k']);
        if (existing) return `found ${existing.owner}`;
        bothChecked[me]!.resolve();
        await Promise.all(bothChecked.map((d) => d.promise));
        await db.run('INSERT INTO keyed (key, owner) VALUES (?, ?)', ['k', owner]);
        return `inserted ${owner}`;
      }, { lock: `lock:${owner}` });
    const results = await Promise.all([claim(0, 'a'), claim(1, 'b')]);
    const winner = results.find((r) => r.startsWith('inserted'))!.split(' ')[1];
    expect(results.sort()).toEqual([`found ${winner}`, `inserted ${winner}`]);
    expect(attempts).toBe(3);
    // Only once: a unique violation that stays is the caller's error.
    let tries = 0;
    await expect(db.transaction(async () => {
      tries++;
      await db.run('INSERT INTO keyed (key, owner) VALUES (?, ?)', ['k', 'c']);
    }, { lock: 'lock:c' })).rejects.toMatchObject({ code: '23505' });
    expect(tries).toBe(2);
  });

  it('leaves work started inside a finished transaction to the pool', async () => {
    const db = await freshDatabase(2);
    await db.exec('CREATE TABLE late (id integer PRIMARY KEY)');
    let late: Promise<unknown> | undefined;
    await db.transaction(async () => {
      late = sleep(20).then(() => db.run('INSERT INTO late (id) VALUES (1)'));
    });
    await late;
    expect(await db.all('SELECT id FROM late')).toEqual([{ id: 1 }]);
  });
});

describe('SQLite transactions (SqliteDatabase)', () => {
  const open = async () => new SqliteDatabase(new Database(':memory:'));
  sharedTransactionTests(open);

  it('lets waiting calls through in the order they came (FIFO)', async () => {
    const db = await open();
    await db.exec('CREATE TABLE f (id integer PRIMARY KEY)');
    const release = deferred();
    const order: string[] = [];
    const first = db.transaction(async () => {
      await db.run('INSERT INTO f (id) VALUES (1)');
      await release.promise;
      order.push('first');
    });
    await sleep(0);
    const a = db.get('SELECT count(*) AS n FROM f').then((row) => {
      order.push('a');
      return row;
    });
    const b = db.transaction(async () => {
      await db.run('INSERT INTO f (id) VALUES (2)');
      order.push('b');
    });
    const c = db.get('SELECT count(*) AS n FROM f').then((row) => {
      order.push('c');
      return row;
    });
    await sleep(20);
    expect(order).toEqual([]);
    release.resolve();
    await Promise.all([first, a, b, c]);
    expect(order).toEqual(['first', 'a', 'b', 'c']);
    expect(await a).toEqual({ n: 1 });
    expect(await c).toEqual({ n: 2 });
  });

  it('takes no advisory lock (a transaction already holds the only write lock)', async () => {
    const db = await open();
    await db.transaction(async () => advisoryLock(db, 'site:alpha'));
    await advisoryLock(db, 'outside');
  });
});

describe('PostgreSQL schema migrations', () => {
  it('creates the schema once, also when two nodes migrate at the same time', async () => {
    const url = await cluster.createDatabase({ schema: false });
    const pools = [new pg.Pool({ connectionString: url, max: 2 }), new pg.Pool({ connectionString: url, max: 2 })];
    try {
      const results = await Promise.all(pools.map((pool) => migratePostgres(pool)));
      // Every migration file, once: the node that lost the race found them all applied.
      const newest = postgresMigrations().length;
      expect(results.map((r) => r.from).sort()).toEqual([0, newest]);
      expect(results.every((r) => r.to === newest)).toBe(true);
      expect(await migratePostgres(pools[0]!)).toEqual({ from: newest, to: newest });
      expect((await pools[0]!.query('SELECT version, name FROM schema_migrations ORDER BY version')).rows).toEqual(
        postgresMigrations().map((m) => ({ version: m.version, name: m.name })),
      );

      await pools[0]!.query(`INSERT INTO schema_migrations (version, name, applied_at) VALUES (99, 'future', 'x')`);
      await expect(migratePostgres(pools[1]!)).rejects.toThrow(/schema version 99, newer than this Parley/);
    } finally {
      await Promise.all(pools.map((pool) => pool.end()));
    }
  });

  it('has the tables, columns and indexes of the SQLite schema, and its append-only rules', async () => {
    const sqlite = new Database(':memory:');
    migrateSqlite(sqlite);
    // The one intended difference (issue 16): search is an FTS5 table with its shadow tables
    // (posts_fts*) on SQLite, and a generated tsvector column (posts.search_vector) on PostgreSQL.
    const sqliteTables = (sqlite.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'posts_fts%' ORDER BY name`).all() as Array<{ name: string }>).map((r) => r.name);
    expect(sqlite.prepare(`SELECT sql FROM sqlite_master WHERE name = 'posts_fts'`).get()).toEqual({ sql: expect.stringContaining('fts5') });
    const sqliteColumns = Object.fromEntries(
      sqliteTables.map((table) => [table, (sqlite.pragma(`table_info(${table})`) as Array<{ name: string }>).map((c) => c.name).sort()]),
    );
    const sqliteIndexes = (sqlite.prepare(`SELECT name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL ORDER BY name`).all() as Array<{ name: string }>).map((r) => r.name);
    sqlite.close();

    const db = await freshDatabase(2);
    await migratePostgres(db.pool);
    const columns = await db.all<{ table_name: string; column_name: string }>(
      `SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = 'public' AND table_name <> 'schema_migrations'`,
    );
    const pgColumns: Record<string, string[]> = {};
    for (const c of columns) if (c.column_name !== 'rowid' && !(c.table_name === 'posts' && c.column_name === 'search_vector')) (pgColumns[c.table_name] ??= []).push(c.column_name);
    expect(columns).toContainEqual({ table_name: 'posts', column_name: 'search_vector' });
    for (const list of Object.values(pgColumns)) list.sort();
    // PostgreSQL only (002_cluster.sql): what several nodes share through the database — the
    // Socket.IO adapter's attachments and the rate limiters' points. SQLite keeps both in memory.
    expect(pgColumns['socket_io_attachments']).toEqual(['created_at', 'id', 'payload']);
    expect(pgColumns['rate_limit_points']).toEqual(['expire', 'key', 'points']);
    delete pgColumns['socket_io_attachments'];
    delete pgColumns['rate_limit_points'];
    expect(Object.keys(pgColumns).sort()).toEqual(sqliteTables);
    expect(pgColumns).toEqual(sqliteColumns);
    const pgIndexes = (await db.all<{ indexname: string }>(`SELECT indexname FROM pg_indexes WHERE schemaname = 'public'`)).map((r) => r.indexname);
    expect(pgIndexes).toEqual(expect.arrayContaining(sqliteIndexes));

    // The code pages these by rowid: each has a real, increasing rowid column.
    const withRowid = await db.all<{ table_name: string }>(
      `SELECT table_name FROM information_schema.columns WHERE table_schema = 'public' AND column_name = 'rowid' ORDER BY table_name`,
    );
    expect(withRowid.map((r) => r.table_name)).toEqual(['notices', 'posts', 'safety_deliveries', 'topics']);

    await db.run(`INSERT INTO sites (id, name, origins, public_keys, created_at) VALUES ('s', 'S', '[]', '[]', '2026-01-01')`);
    await db.run(`INSERT INTO topics (site, id, created_at) VALUES ('s', 't1', 'x'), ('s', 't2', 'x')`);
    expect(await db.all('SELECT rowid AS position, id FROM topics ORDER BY rowid DESC')).toEqual([
      { position: 2, id: 't2' }, { position: 1, id: 't1' },
    ]);
    // Text sorts byte-wise, as in SQLite.
    expect((await db.all(`SELECT id FROM topics ORDER BY id`)).map((r) => r.id)).toEqual(['t1', 't2']);
    await db.run(`INSERT INTO identity_events (site, at, actor, kind, details) VALUES ('s', 'x', 'cli', 'k', '{}')`);
    await expect(db.run(`UPDATE identity_events SET kind = 'changed'`)).rejects.toThrow('identity_events is append-only');
    await expect(db.run(`DELETE FROM identity_events`)).rejects.toThrow('identity_events is append-only');
    expect(await db.get('SELECT kind FROM identity_events')).toEqual({ kind: 'k' });
  });
});

describe('database URLs', () => {
  it('chooses PostgreSQL by scheme and never shows the password', () => {
    expect(isPostgresUrl('postgres://u:p@h/db')).toBe(true);
    expect(isPostgresUrl('postgresql://h/db')).toBe(true);
    expect(isPostgresUrl('')).toBe(false);
    expect(isPostgresUrl(null)).toBe(false);
    expect(isPostgresUrl('/var/lib/parley/parley.db')).toBe(false);
    expect(redactDatabaseUrl('postgres://parley:s3cr%40t@db.example:5432/parley?sslmode=require&password=x')).toBe(
      'postgres://parley:***@db.example:5432/parley?sslmode=require&password=***',
    );
    expect(redactDatabaseUrl('postgres://db.example/parley')).toBe('postgres://db.example/parley');
  });

  it('reports a failed connection without the password', async () => {
    const url = cluster.url('no_such_database').replace('parley@', 'parley:hunter2-secret@');
    const pool = new pg.Pool({ connectionString: url, max: 1 });
    pool.on('error', () => {});
    try {
      const error = await migratePostgres(pool).then(() => null, (e: unknown) => redactedDatabaseError(e, url));
      expect(error).toBeInstanceOf(Error);
      expect(error!.message).toMatch(/^PostgreSQL at postgresql:\/\/parley:\*\*\*@127\.0\.0\.1:\d+\/no_such_database: .*does not exist/);
      expect(error!.message).not.toContain('hunter2');
      expect((error as Error & { code?: string }).code).toBe('3D000');
    } finally {
      await pool.end();
    }
  });
});
