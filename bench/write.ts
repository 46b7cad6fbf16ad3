/**
 * Write path: posts per second through the whole stack — socket or REST, validation,
 * sign-in, rate limits (raised by the config), Markdown, the SQLite transaction and the
 * broadcast to a reader in the topic — against raw better-sqlite3 writing the same rows,
 * one commit per post, on the same schema and settings (the upper bound).
 */
import Database from 'better-sqlite3';
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

/** The same rows, straight into SQLite: one IMMEDIATE transaction per post bumping the topic and inserting the post. */
function rawInserts(seconds: number) {
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
  const bump = db.prepare(`UPDATE topics SET rev = rev + 1, last_seq = last_seq + 1, post_count = post_count + 1 WHERE site = 'bench' AND id = ? RETURNING rev, last_seq`);
  const insert = db.prepare(`INSERT INTO posts (id, site, topic, parent, root, depth, seq, rev, author_id, author_snapshot, body, html,
    created_at, status, idempotency_key, request_hash) VALUES (?, 'bench', ?, NULL, ?, 0, ?, ?, 'u1', '{}', ?, ?, ?, 'visible', ?, 'h')`);
  const write = db.transaction((i: number) => {
    const c = bump.get(TOPIC) as { rev: number; last_seq: number };
    const id = `raw-${i}`;
    const body = sampleBody(i);
    insert.run(id, TOPIC, id, c.last_seq, c.rev, body, `<p>${body}</p>`, at, `key-${i}`);
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

export async function writePath(options: { quick: boolean; log: (line: string) => void }) {
  const seconds = options.quick ? 3 : 8;
  options.log('write path: raw better-sqlite3');
  const raw = rawInserts(seconds);
  options.log('write path: Parley over sockets and REST');
  const target = await startParley();
  const reader = startWorker('readers');
  try {
    await reader.call('connect', { url: target.url, site: BENCH_SITE.id, topic: TOPIC, count: 1 });
    await viaSocket(target, 1); // warm-up
    const socket = await viaSocket(target, seconds);
    await sleep(500);
    const rest = await viaRest(target, seconds);
    return {
      raw,
      socket: { ...socket, ratio: Math.round((socket.postsPerSecond / raw.postsPerSecond) * 1000) / 1000 },
      rest: { ...rest, ratio: Math.round((rest.postsPerSecond / raw.postsPerSecond) * 1000) / 1000 },
      target: 2_000,
      notes: [
        `Socket: 8 signed-in connections with 16 posts in flight each; REST: 32 keep-alive connections, one request in flight each. ${seconds} s each, one reader in the topic receiving every broadcast.`,
        'Raw: the same rows (topic counter bump + post insert), one IMMEDIATE transaction per post, WAL and synchronous=NORMAL as the server, in one process with no network.',
      ],
    };
  } finally {
    await reader.stop();
    await target.stop();
  }
}
