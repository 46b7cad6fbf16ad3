/**
 * Read path with 10^6 posts in one topic (a fifth of them replies): the first page, a page
 * half-way down, and a reconnect catch-up (the last 100 changes, over the socket and over
 * REST), one request at a time, p50/p99 from the client; beside them the same calls on the
 * store in this process, without HTTP, JSON or validation (the bound). Then the same database
 * copied into a throwaway PostgreSQL with `parley db copy` (server/ops/db-copy.ts), the same
 * requests again (issue 11: PostgreSQL rows beside the SQLite rows).
 */
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { openSqliteStore } from '../server/store/sqlite/sqlite-store.js';
import { openPostgresStore } from '../server/store/postgres/postgres-store.js';
import type { Store } from '../server/store/store.js';
import { copyDatabase } from '../server/ops/db-copy.js';
import { startPostgres, type TestPostgres } from '../test/support/postgres.js';
import { LIMITS } from '../moderation/limits.js';
import { percentiles, round } from './lib/stats.js';
import { SCHEMA_HASH, seedDatabase, seededAlready } from './lib/seed-db.js';
import { BENCH_SITE, posterSocket, startParley } from './lib/targets.js';

const TOPIC = 'big';

async function timeAsync(iterations: number, fn: () => Promise<unknown>): Promise<number[]> {
  const samples: number[] = [];
  for (let i = 0; i < iterations; i++) {
    const t = performance.now();
    await fn();
    samples.push(performance.now() - t);
  }
  return samples;
}

/** Best (lowest p99) of a few rounds: on a shared machine, the closest to an undisturbed run. */
const ROUNDS = 2;
async function best(measure: () => Promise<number[]> | number[]): Promise<ReturnType<typeof percentiles>> {
  let kept: ReturnType<typeof percentiles> | null = null;
  for (let round = 0; round < ROUNDS; round++) {
    const figures = percentiles(await measure());
    if (!kept || (figures.p99 ?? Infinity) < (kept.p99 ?? Infinity)) kept = figures;
  }
  return kept!;
}

export async function readPath(options: { quick: boolean; log: (line: string) => void }) {
  const posts = options.quick ? 100_000 : 1_000_000;
  const iterations = options.quick ? 300 : 2_000;
  // The seeded database is cached between runs (outside the repository): building 10^6 posts takes a while.
  const cacheRoot = path.join(os.tmpdir(), 'parley-bench-cache');
  const cacheDir = path.join(cacheRoot, `read-${posts}-${SCHEMA_HASH}`);
  // Seeds of older schemas are of no further use.
  for (const old of fs.existsSync(cacheRoot) ? fs.readdirSync(cacheRoot) : []) {
    if (old.startsWith('read-') && !old.endsWith(SCHEMA_HASH)) fs.rmSync(path.join(cacheRoot, old), { recursive: true, force: true });
  }
  const file = path.join(cacheDir, 'parley.db');
  let seeded: { posts: number; ms: number; bytes: number } | null = null;
  if (!seededAlready(file, TOPIC, posts)) {
    options.log(`read path: building a database of ${posts.toLocaleString('en')} posts…`);
    seeded = seedDatabase({
      file,
      site: { id: BENCH_SITE.id, name: BENCH_SITE.name, origins: BENCH_SITE.origins, secret: BENCH_SITE.secret! },
      topics: [{ id: TOPIC, posts, isReply: (i) => i % 5 === 4 }],
      onProgress: (done, total) => done % 200_000 === 0 && options.log(`  ${done.toLocaleString('en')} / ${total.toLocaleString('en')}`),
    });
    options.log(`  built in ${(seeded.ms / 1000).toFixed(1)} s, ${(seeded.bytes / 2 ** 20).toFixed(0)} MB`);
  }

  const deepSeq = Math.floor(posts / 2);
  const requests = { deepSeq, cursor: `s${deepSeq.toString(36)}`, since: posts - 100, iterations };

  options.log('read path: SQLite, the store alone and Parley over HTTP and the socket');
  const sqlite = await measureBackend(requests, () => Promise.resolve(openSqliteStore({ file })), () => startParley({ dataDir: cacheDir }));

  // The same database copied into a throwaway PostgreSQL with `parley db copy`, the same requests.
  let postgres: (Awaited<ReturnType<typeof measureBackend>> & { copySeconds: number; verifySeconds: number; databaseMB: number }) | null = null;
  let cluster: TestPostgres | null = null;
  try {
    cluster = await startPostgres();
    const url = await cluster.createDatabase({ schema: false });
    options.log(`read path: copying ${posts.toLocaleString('en')} posts into PostgreSQL (parley db copy)…`);
    const copy = await copyDatabase({ from: file, to: url });
    if (!copy.verification.ok) throw new Error(`the copy did not verify: ${JSON.stringify(copy.verification.checks.filter((c) => !c.ok))}`);
    options.log(`  copied in ${(copy.milliseconds / 1000).toFixed(0)} s, verified in ${(copy.verifyMilliseconds / 1000).toFixed(0)} s`);
    // Fresh planner statistics, as autovacuum would gather shortly after a bulk load.
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    let databaseMB = 0;
    try {
      await admin.query('ANALYZE');
      databaseMB = Math.round(Number((await admin.query('SELECT pg_database_size(current_database()) AS size')).rows[0].size) / 2 ** 20);
    } finally {
      await admin.end();
    }
    options.log('read path: PostgreSQL, the store alone and Parley over HTTP and the socket');
    const measured = await measureBackend(requests, () => openPostgresStore({ url }), () => startParley({ databaseUrl: url }));
    postgres = { ...measured, copySeconds: Math.round(copy.milliseconds / 1000), verifySeconds: Math.round(copy.verifyMilliseconds / 1000), databaseMB };
  } catch (error) {
    options.log(`read path: PostgreSQL skipped: ${(error as Error).message}`);
    postgres = null;
  } finally {
    await cluster?.stop();
  }

  return {
    posts,
    seeded,
    databaseMB: Math.round(fs.statSync(file).size / 2 ** 20),
    ...sqlite,
    postgres,
    targetP99Ms: 5,
    notes: [
      `${posts.toLocaleString('en')} posts in one topic, every fifth a reply; pages are the default 20 threads with their replies (${sqlite.firstPagePosts} and ${sqlite.deepPagePosts} posts); the catch-up returns the last 100 changes. ${iterations} sequential requests each over one keep-alive connection, best (lowest p99) of ${ROUNDS} rounds; the store figures are the same calls in the benchmark's process.`,
      ...(postgres
        ? [`PostgreSQL: the same SQLite file copied with \`parley db copy\` (server/ops/db-copy.ts; ${postgres.copySeconds} s, verified in ${postgres.verifySeconds} s) into PostgreSQL 15 from Debian on a throwaway cluster on this machine (fsync off, as the test clusters), then ANALYZE; Parley with its default pool of 10 connections; the same requests.`]
        : []),
    ],
  };
}

type Requests = { deepSeq: number; cursor: string; since: number; iterations: number };

/** The bound (the store's calls in this process), then the same reads through a running Parley. */
async function measureBackend(requests: Requests, openStore: () => Promise<Store>, start: () => ReturnType<typeof startParley>) {
  const { deepSeq, cursor, since, iterations } = requests;
  const store = await openStore();
  const page = { order: 'newest' as const, limit: LIMITS.pageDefaultLimit, repliesMax: LIMITS.repliesPerPageMax };
  let firstPagePosts: number;
  let deepPagePosts: number;
  let storeFigures: Record<'firstPage' | 'deepPage' | 'catchUp', ReturnType<typeof percentiles>>;
  try {
    firstPagePosts = (await store.getTopicPage(BENCH_SITE.id, TOPIC, { ...page, afterSeq: null })).posts.length;
    deepPagePosts = (await store.getTopicPage(BENCH_SITE.id, TOPIC, { ...page, afterSeq: deepSeq })).posts.length;
    storeFigures = {
      firstPage: await best(() => timeAsync(iterations, () => store.getTopicPage(BENCH_SITE.id, TOPIC, { ...page, afterSeq: null }))),
      deepPage: await best(() => timeAsync(iterations, () => store.getTopicPage(BENCH_SITE.id, TOPIC, { ...page, afterSeq: deepSeq }))),
      catchUp: await best(() => timeAsync(iterations, () => store.getChangesSince(BENCH_SITE.id, TOPIC, since, LIMITS.catchUpMax + 1))),
    };
  } finally {
    await store.close();
  }

  const target = await start();
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const get = (pathname: string) =>
    new Promise<void>((resolve, reject) => {
      http
        .get(`${target.url}${pathname}`, { agent }, (res) => {
          if (res.statusCode !== 200) reject(new Error(`${pathname}: ${res.statusCode}`));
          res.resume();
          res.on('end', () => resolve());
        })
        .on('error', reject);
    });
  try {
    const base = `/api/sites/${BENCH_SITE.id}/topics/${TOPIC}`;
    for (let i = 0; i < 100; i++) {
      // Warm-up (JIT, caches) on every kind of request.
      await get(`${base}/posts`);
      await get(`${base}/posts?cursor=${cursor}`);
      await get(`${base}/changes?since=${since}`);
    }
    const socket = await posterSocket(target, 'reader');
    const parley = {
      firstPage: await best(() => timeAsync(iterations, () => get(`${base}/posts`))),
      deepPage: await best(() => timeAsync(iterations, () => get(`${base}/posts?cursor=${cursor}`))),
      catchUpRest: await best(() => timeAsync(iterations, () => get(`${base}/changes?since=${since}`))),
      catchUpSocket: await best(() =>
        timeAsync(iterations, async () => {
          const ack = await socket.emitWithAck('topic:join', { topic: TOPIC, since });
          if (ack.posts?.length !== 100) throw new Error(`catch-up returned ${ack.posts?.length}`);
        }),
      ),
    };
    socket.close();
    const ratio = (a: { p99: number | null }, b: { p99: number | null }) => round((a.p99 ?? 0) / Math.max(0.001, b.p99 ?? 0), 1);
    return {
      firstPagePosts,
      deepPagePosts,
      parley,
      store: storeFigures,
      p99OverStore: {
        firstPage: ratio(parley.firstPage, storeFigures.firstPage),
        deepPage: ratio(parley.deepPage, storeFigures.deepPage),
        catchUpRest: ratio(parley.catchUpRest, storeFigures.catchUp),
        catchUpSocket: ratio(parley.catchUpSocket, storeFigures.catchUp),
      },
    };
  } finally {
    agent.destroy();
    await target.stop();
  }
}
