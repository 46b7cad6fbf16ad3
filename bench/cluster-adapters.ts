/**
 * Socket.IO between two nodes: what each official adapter adds to a broadcast's delivery
 * (issue 11). `node bin/run-ts.js bench/cluster-adapters.ts [--quick] [--readers N] [--rate N]`
 *
 * Two Socket.IO servers in this process share a room through the adapter under test; N readers
 * (socket.io-client, WebSocket, in worker processes: bench/workers/readers.ts) are all on node B;
 * node A broadcasts a Parley-sized post to the
 * room at a steady rate. The baseline is the same readers on node A itself (one node, in-memory
 * adapter). Added latency = cross-node delivery − one-node delivery, at p50 and p99, measured in
 * the same run with the same clients, so the harness's own cost cancels out.
 *
 * Adapters: @socket.io/postgres-adapter on a throwaway PostgreSQL cluster (test/support/postgres.ts;
 * Debian's PostgreSQL), and @socket.io/redis-adapter on Debian's redis-server started on a free
 * loopback port (ioredis client). A missing binary skips its row. Bound (issue 11): cross-node p99
 * added latency ≤ 5 ms at 1,000 readers and 50 posts/s.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { Redis } from 'ioredis';
import { Server } from 'socket.io';
import { createAdapter as postgresAdapter } from '@socket.io/postgres-adapter';
import { createAdapter as redisAdapter } from '@socket.io/redis-adapter';
import { epochMs, histogram, merge, round, summary, type Histogram } from './lib/stats.js';
import { startWorker } from './lib/proc.js';
import { sampleBody } from './lib/seed-db.js';
import { startPostgres } from '../test/support/postgres.js';

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const option = (name: string, fallback: number) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
const READERS = option('readers', quick ? 200 : 1000);
const RATE = option('rate', 50);
const SECONDS = option('seconds', quick ? 4 : 10);
const WARMUP_MS = 1000;
const BOUND_P99_MS = 5;

type AdapterFactory = ReturnType<typeof postgresAdapter> | ReturnType<typeof redisAdapter>;

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.on('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

async function node(adapter?: AdapterFactory): Promise<{ io: Server; url: string; close(): Promise<void> }> {
  const server = http.createServer();
  const io = new Server(server, { serveClient: false, ...(adapter ? { adapter } : {}) });
  // The readers worker's contract: `topic:join` with an ack, then `post:created` in the topic's room.
  io.on('connection', (socket) => {
    socket.on('topic:join', async (payload: { topic: string }, ack?: (r: unknown) => void) => {
      await socket.join(`t:bench:${payload.topic}`);
      ack?.({ posts: [], truncated: false });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  return { io, url: `http://127.0.0.1:${port}`, close: () => io.close().then(() => undefined) };
}

/** Readers on `url` (in worker processes), broadcasts from `from` at RATE per second; the delivery latencies. */
async function measure(from: Server, url: string): Promise<Histogram> {
  const workers = Array.from({ length: Math.max(1, Math.ceil(READERS / 500)) }, () => startWorker('readers'));
  try {
    const share = Math.ceil(READERS / workers.length);
    await Promise.all(workers.map((w) => w.call('connect', { url, site: 'bench', topic: 'topic', count: share })));
    const post = { id: 'p'.repeat(22), site: 'bench', topic: 'topic', parent: null, author: { id: 'a'.repeat(22), name: 'Bench Poster', kind: 'member' }, seq: 0, rev: 0 };
    const interval = 1000 / RATE;
    const started = performance.now();
    let sent = 0;
    let counting = false;
    await new Promise<void>((resolve) => {
      const tick = () => {
        const elapsed = performance.now() - started;
        if (!counting && elapsed >= WARMUP_MS) {
          counting = true;
          void Promise.all(workers.map((w) => w.call('start')));
        }
        if (elapsed >= WARMUP_MS + SECONDS * 1000) return resolve();
        // Steady, not bursty: catch up on the schedule, never send ahead of it.
        while (sent * interval <= elapsed) {
          sent++;
          // Parley-sized body; the readers read the send time from its `t=` (bench/workers/readers.ts).
          const body = `${sampleBody(sent)} t=${epochMs()}`;
          from.to('t:bench:topic').emit('post:created', { post: { ...post, seq: sent, rev: sent, body } });
        }
        setTimeout(tick, Math.max(0, sent * interval - (performance.now() - started)));
      };
      tick();
    });
    // Let the last messages land.
    await new Promise((resolve) => setTimeout(resolve, 500));
    const results = await Promise.all(workers.map((w) => w.call<{ latency: Histogram }>('stop')));
    return results.reduce((all, r) => merge(all, r.latency), histogram());
  } finally {
    await Promise.all(workers.map((w) => w.call('close').catch(() => undefined)));
    await Promise.all(workers.map((w) => w.stop()));
  }
}

interface Row {
  adapter: string;
  oneNode: ReturnType<typeof summary>;
  crossNode: ReturnType<typeof summary>;
  addedP50: number | null;
  addedP99: number | null;
}

async function run(name: string, make: () => Promise<{ factory: () => AdapterFactory; close(): Promise<void> }>): Promise<Row> {
  const backend = await make();
  try {
    const a = await node(backend.factory());
    const b = await node(backend.factory());
    try {
      // Let the adapters see each other (heartbeats) before counting.
      await new Promise((resolve) => setTimeout(resolve, 1500));
      const oneNode = summary(await measure(a.io, a.url));
      const crossNode = summary(await measure(a.io, b.url));
      const added = (x: number | null, y: number | null) => (x === null || y === null ? null : round(x - y));
      return { adapter: name, oneNode, crossNode, addedP50: added(crossNode.p50, oneNode.p50), addedP99: added(crossNode.p99, oneNode.p99) };
    } finally {
      await a.close();
      await b.close();
    }
  } finally {
    await backend.close();
  }
}

async function postgresBackend() {
  const cluster = await startPostgres();
  const pool = new pg.Pool({ connectionString: cluster.url(), max: 10 });
  await pool.query(`CREATE TABLE IF NOT EXISTS socket_io_attachments (id bigserial UNIQUE, created_at timestamptz DEFAULT now(), payload bytea)`);
  return {
    factory: () => postgresAdapter(pool),
    async close() {
      await pool.end();
      await cluster.stop();
    },
  };
}

async function redisBackend() {
  const binary = ['/usr/bin/redis-server', '/usr/sbin/redis-server'].find((p) => fs.existsSync(p));
  if (!binary) throw new Error('redis-server is not installed (apt-get install -y redis-server)');
  const port = await freePort();
  const child: ChildProcess = spawn(binary, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
  const clients: Redis[] = [];
  const client = () => {
    const c = new Redis({ port, host: '127.0.0.1', lazyConnect: false, maxRetriesPerRequest: 1 });
    clients.push(c);
    return c;
  };
  await (async () => {
    for (let i = 0; i < 100; i++) {
      const probe = client();
      try {
        await probe.ping();
        return;
      } catch {
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    }
  })();
  return {
    factory: () => {
      const pub = client();
      return redisAdapter(pub, pub.duplicate());
    },
    async close() {
      for (const c of clients) c.disconnect();
      child.kill('SIGTERM');
    },
  };
}

const rows: Row[] = [];
for (const [name, make] of [['postgres (@socket.io/postgres-adapter 0.5)', postgresBackend], ['redis (@socket.io/redis-adapter 8.3)', redisBackend]] as const) {
  try {
    rows.push(await run(name, make));
  } catch (error) {
    console.error(`${name}: skipped: ${(error as Error).message}`);
  }
}
console.log(`\nCross-node delivery, ${READERS} readers on node B, ${RATE} posts/s from node A for ${SECONDS} s (bound: p99 added ≤ ${BOUND_P99_MS} ms)\n`);
console.log('| adapter | one node p50 / p99 ms | cross-node p50 / p99 ms | added p50 / p99 ms | within bound |');
console.log('|---|---|---|---|---|');
for (const r of rows) {
  console.log(`| ${r.adapter} | ${round(r.oneNode.p50)} / ${round(r.oneNode.p99)} | ${round(r.crossNode.p50)} / ${round(r.crossNode.p99)} | ${r.addedP50} / ${r.addedP99} | ${r.addedP99 !== null && r.addedP99 <= BOUND_P99_MS ? 'yes' : 'no'} |`);
}
process.exit(0);
