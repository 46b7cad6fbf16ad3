/**
 * Write path: posts per second through the whole stack — socket or REST, validation,
 * sign-in, rate limits (raised by the config), Markdown, the transaction and the broadcast to
 * a reader in the topic — against the database alone writing the same rows, one commit per
 * post, on the same schema and settings (the upper bound). Twice: on SQLite (raw
 * better-sqlite3) and on PostgreSQL (raw node-postgres on a pool of Parley's size), each
 * database a throwaway one. The raw rows are shaped like Parley's: random 16-character ids,
 * idempotency keys and request hashes (sequential ids insert about 1.5× faster).
 */
import Database from 'better-sqlite3';
import { createHash, randomBytes } from 'node:crypto';
import pg from 'pg';
import { startPostgres, type TestPostgres } from '../test/support/postgres.js';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { migrate } from '../server/store/sqlite/migrations.js';
import { cpuOf, sleep, startWorker } from './lib/proc.js';
import { sampleBody } from './lib/seed-db.js';
import { benchDir, BENCH_SITE, post, posterSocket, startParley, type Target } from './lib/targets.js';

const TOPIC = 'writes';

async function viaSocket(target: Target, seconds: number, sockets = 8, inFlight = 16) {
  const posters = await Promise.all(Array.from({ length: sockets }, (_, i) => posterSocket(target, `writer-${i}`)));
  let acked = 0;
  let failed = 0;
  let i = 0;
  const cpu0 = cpuOf(target.pid);
  const started = performance.now();
  const until = started + seconds * 1000;
  await Promise.all(
    posters.flatMap((socket) =>
      Array.from({ length: inFlight }, async () => {
        while (performance.now() < until) {
          const r = await post(socket, TOPIC, sampleBody(i++));
          if (r.ok) acked++;
          else failed++;
        }
      }),
    ),
  );
  const elapsed = (performance.now() - started) / 1000;
  const cpu = cpuOf(target.pid) - cpu0;
  for (const p of posters) p.close();
  return { postsPerSecond: Math.round(acked / elapsed), failed, serverCpuPercent: Math.round((cpu / elapsed) * 100) };
}

async function viaRest(target: Target, seconds: number, concurrency = 32) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
  const url = new URL(`${target.url}/api/sites/${BENCH_SITE.id}/posts`);
  const tokens = await Promise.all(Array.from({ length: concurrency }, (_, i) => target.token(`rest-writer-${i}`)));
  let acked = 0;
  let failed = 0;
  let n = 0;
  const send = (token: string, body: string) =>
    new Promise<number>((resolve) => {
      const payload = JSON.stringify({ topic: TOPIC, body, idempotencyKey: `rest-${process.pid}-${n++}` });
      const req = http.request(
        { host: url.hostname, port: url.port, path: url.pathname, method: 'POST', agent,
          headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload), authorization: `Bearer ${token}` } },
        (res) => {
          res.resume();
          res.on('end', () => resolve(res.statusCode ?? 0));
        },
      );
      req.on('error', () => resolve(0));
      req.end(payload);
    });
  const cpu0 = cpuOf(target.pid);
  const started = performance.now();
  const until = started + seconds * 1000;
  await Promise.all(
    tokens.map(async (token) => {
      while (performance.now() < until) {
        if ((await send(token!, sampleBody(n))) === 201) acked++;
        else failed++;
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  const cpu = cpuOf(target.pid) - cpu0;
  agent.destroy();
  return { postsPerSecond: Math.round(acked / elapsed), failed, serverCpuPercent: Math.round((cpu / elapsed) * 100) };
}

/** What Parley writes for one post, for the raw baselines. */
function rawRow(i: number) {
  const id = randomBytes(12).toString('base64url');
  const body = sampleBody(i);
  const key = `raw-${process.pid}-${i}-${randomBytes(6).toString('base64url')}`;
  const hash = createHash('sha256').update(JSON.stringify([TOPIC, null, body])).digest('base64url');
  return { id, body, html: `<p>${body}</p>`, key, hash, snapshot: '{}' };
}

const BUMP = `UPDATE topics SET rev = rev + 1, last_seq = last_seq + 1, post_count = post_count + 1, last_activity_at = ?
  WHERE site = 'bench' AND id = ? RETURNING rev, last_seq`;
const INSERT = `INSERT INTO posts (id, site, topic, parent, root, depth, seq, rev, author_id, author_snapshot, body, html,
  created_at, status, idempotency_key, request_hash) VALUES (?, 'bench', ?, NULL, ?, 0, ?, ?, 'u1', ?, ?, ?, ?, 'visible', ?, ?)`;

/** The same rows, straight into SQLite: one IMMEDIATE transaction per post bumping the topic and inserting the post. */
function rawSqliteInserts(seconds: number) {
  const dir = benchDir('raw');
  const db = new Database(path.join(dir, 'parley.db'));
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  migrate(db);
  const at = new Date().toISOString();
  db.prepare(`INSERT INTO sites (id, name, origins, secret, public_keys, demo, created_at) VALUES ('bench', 'B', '[]', NULL, '[]', 0, ?)`).run(at);
  db.prepare(`INSERT INTO users (id, site, sub, display_name, kind, created_at) VALUES ('u1', 'bench', 's1', 'Writer', 'member', ?)`).run(at);
  db.prepare(`INSERT INTO topics (site, id, created_at) VALUES ('bench', ?, ?)`).run(TOPIC, at);
  const bump = db.prepare(BUMP);
  const insert = db.prepare(INSERT);
  const write = db.transaction((i: number) => {
    const now = new Date().toISOString();
    const c = bump.get(now, TOPIC) as { rev: number; last_seq: number };
    const r = rawRow(i);
    insert.run(r.id, TOPIC, r.id, c.last_seq, c.rev, r.snapshot, r.body, r.html, now, r.key, r.hash);
  });
  let i = 0;
  const started = performance.now();
  const until = started + seconds * 1000;
  while (performance.now() < until) {
    for (let k = 0; k < 100; k++) write.immediate(i++);
  }
  const elapsed = (performance.now() - started) / 1000;
  db.close();
  fs.rmSync(dir, { recursive: true, force: true });
  return { postsPerSecond: Math.round(i / elapsed) };
}

/** `?` → `$n` for the raw node-postgres baseline (its SQL has no quoted question marks). */
const dollars = (sql: string) => {
  let n = 0;
  return sql.replace(/\?/g, () => `$${++n}`);
};

/**
 * The same rows into PostgreSQL with node-postgres alone: a pool of Parley's default size (10),
 * 32 concurrent writers as the REST run has, one transaction per post (the topic's row lock
 * orders them, as in Parley).
 */
async function rawPostgresInserts(url: string, seconds: number, concurrency = 32) {
  const pool = new pg.Pool({ connectionString: url, max: 10 });
  const at = new Date().toISOString();
  await pool.query(`INSERT INTO sites (id, name, origins, secret, public_keys, demo, created_at) VALUES ('bench', 'B', '[]', NULL, '[]', 0, $1)`, [at]);
  await pool.query(`INSERT INTO users (id, site, sub, display_name, kind, created_at) VALUES ('u1', 'bench', 's1', 'Writer', 'member', $1)`, [at]);
  await pool.query(`INSERT INTO topics (site, id, created_at) VALUES ('bench', $1, $2)`, [TOPIC, at]);
  const bump = dollars(BUMP);
  const insert = dollars(INSERT);
  let i = 0;
  const started = performance.now();
  const until = started + seconds * 1000;
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (performance.now() < until) {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const now = new Date().toISOString();
        const c = (await client.query(bump, [now, TOPIC])).rows[0] as { rev: string; last_seq: string };
        const r = rawRow(i++);
        await client.query(insert, [r.id, TOPIC, r.id, c.last_seq, c.rev, r.snapshot, r.body, r.html, now, r.key, r.hash]);
        await client.query('COMMIT');
      } finally {
        client.release();
      }
    }
  }));
  const elapsed = (performance.now() - started) / 1000;
  await pool.end();
  return { postsPerSecond: Math.round(i / elapsed) };
}

/** Socket and REST through a running Parley, with one reader in the topic. */
async function throughParley(seconds: number, databaseUrl?: string) {
  const target = await startParley({ databaseUrl });
  const reader = startWorker('readers');
  try {
    await reader.call('connect', { url: target.url, site: BENCH_SITE.id, topic: TOPIC, count: 1 });
    await viaSocket(target, 1); // warm-up
    const socket = await viaSocket(target, seconds);
    await sleep(500);
    const rest = await viaRest(target, seconds);
    return { socket, rest };
  } finally {
    await reader.stop();
    await target.stop();
  }
}

const ratio = (a: number, b: number) => Math.round((a / b) * 1000) / 1000;

export async function writePath(options: { quick: boolean; log: (line: string) => void }) {
  const seconds = options.quick ? 3 : 8;
  options.log('write path: raw better-sqlite3');
  const raw = rawSqliteInserts(seconds);
  options.log('write path: Parley on SQLite over sockets and REST');
  const sqlite = await throughParley(seconds);
  let postgres: TestPostgres | null = null;
  try {
    options.log('write path: a throwaway PostgreSQL cluster');
    postgres = await startPostgres();
    options.log('write path: raw node-postgres');
    const pgRaw = await rawPostgresInserts(await postgres.createDatabase(), seconds);
    options.log('write path: Parley on PostgreSQL over sockets and REST');
    const onPg = await throughParley(seconds, await postgres.createDatabase());
    return {
      raw,
      socket: { ...sqlite.socket, ratio: ratio(sqlite.socket.postsPerSecond, raw.postsPerSecond) },
      rest: { ...sqlite.rest, ratio: ratio(sqlite.rest.postsPerSecond, raw.postsPerSecond) },
      postgres: {
        raw: pgRaw,
        socket: { ...onPg.socket, ratio: ratio(onPg.socket.postsPerSecond, pgRaw.postsPerSecond) },
        rest: { ...onPg.rest, ratio: ratio(onPg.rest.postsPerSecond, pgRaw.postsPerSecond) },
        targetRatio: 0.3,
      },
      target: 2_000,
      notes: [
        `Socket: 8 signed-in connections with 16 posts in flight each; REST: 32 keep-alive connections, one request in flight each. ${seconds} s each, one reader in the topic receiving every broadcast.`,
        'Raw SQLite: the same rows (topic counter bump + post insert, Parley-shaped random ids, keys and hashes), one IMMEDIATE transaction per post, WAL and synchronous=NORMAL as the server, in one process with no network.',
        'Raw PostgreSQL: the same rows and statements with node-postgres alone, a pool of 10 connections (Parley\'s default) and 32 concurrent writers, one READ COMMITTED transaction per post (4 round trips, the topic row lock held across 2 of them); Parley writes a post as one autocommitted statement (bump, insert, notification job) after its reads on the same pool (sign-in, roles, rate limits, hold settings, restrictions, badges). PostgreSQL 15 from Debian on a throwaway cluster on this machine (fsync off, as the test clusters), so the figures compare the two paths, not durable production settings.',
      ],
    };
  } finally {
    await postgres?.stop();
  }
}
