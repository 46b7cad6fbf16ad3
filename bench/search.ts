/**
 * Search (issue 16) at 10^6 posts: GET /search over HTTP (validation, the store's FTS5 query
 * joined to posts, users and topics, presenting the authors, JSON), one request at a time, p50/p99
 * from the client; beside it the store call in this process, and the bound: the bare FTS5 index
 * query (`posts_fts MATCH … ORDER BY rowid DESC LIMIT 21`, no join), with the same words.
 * Queries mix a common word, two common words, a prefix, a rare token and a word found nowhere.
 * SQLite only (the embedded default); PostgreSQL's GIN search is exercised by the tests.
 */
import Database from 'better-sqlite3';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { SPAM_LIMITS } from '../moderation/spam-schemas.js';
import { searchWords } from '../server/services/search.js';
import { searchExpression } from '../server/store/sql/search-dialect.js';
import { openSqliteStore } from '../server/store/sqlite/sqlite-store.js';
import { percentiles, round } from './lib/stats.js';
import { SCHEMA_HASH, seedDatabase, seededAlready } from './lib/seed-db.js';
import { BENCH_SITE, startParley } from './lib/targets.js';

const TOPICS = 100;

async function timeAsync(iterations: number, queries: string[], fn: (q: string) => Promise<unknown> | unknown): Promise<number[]> {
  const samples: number[] = [];
  for (let i = 0; i < iterations; i++) {
    const q = queries[i % queries.length]!;
    const t = performance.now();
    await fn(q);
    samples.push(performance.now() - t);
  }
  return samples;
}

export async function searchBench(options: { quick: boolean; log: (line: string) => void }) {
  const posts = options.quick ? 100_000 : 1_000_000;
  const iterations = options.quick ? 300 : 2_000;
  const cacheRoot = path.join(os.tmpdir(), 'parley-bench-cache');
  const cacheDir = path.join(cacheRoot, `search-${posts}-${SCHEMA_HASH}`);
  for (const old of fs.existsSync(cacheRoot) ? fs.readdirSync(cacheRoot) : []) {
    if (old.startsWith('search-') && !old.endsWith(SCHEMA_HASH)) fs.rmSync(path.join(cacheRoot, old), { recursive: true, force: true });
  }
  const file = path.join(cacheDir, 'parley.db');
  let seeded: { posts: number; ms: number; bytes: number } | null = null;
  const perTopic = posts / TOPICS;
  if (!seededAlready(file, 't0', perTopic)) {
    options.log(`search: building a database of ${posts.toLocaleString('en')} posts in ${TOPICS} topics (indexed by the FTS5 triggers)…`);
    seeded = seedDatabase({
      file,
      site: { id: BENCH_SITE.id, name: BENCH_SITE.name, origins: BENCH_SITE.origins, secret: BENCH_SITE.secret! },
      topics: Array.from({ length: TOPICS }, (_, i) => ({ id: `t${i}`, posts: perTopic, isReply: (n: number) => n % 5 === 4 })),
      onProgress: (done, total) => done % 200_000 === 0 && options.log(`  ${done.toLocaleString('en')} / ${total.toLocaleString('en')}`),
    });
    options.log(`  built in ${(seeded.ms / 1000).toFixed(1)} s, ${(seeded.bytes / 2 ** 20).toFixed(0)} MB`);
  }
  // Bodies are "… Post number i …" over a small vocabulary: common words, two of them, a prefix,
  // a token found in exactly one post, and a word found nowhere.
  const queries = ['tired', 'memory clinic', 'appoint', `${Math.floor(perTopic / 3)}`, 'zyxwvut'];
  const limit = SPAM_LIMITS.searchDefaultLimit;

  // The bound: the FTS5 index alone, without joining posts.
  const raw = new Database(file, { readonly: true });
  const bare = raw.prepare('SELECT rowid FROM posts_fts WHERE posts_fts MATCH ? ORDER BY rowid DESC LIMIT ?');
  const expression = (q: string) => searchExpression({ dialect: 'sqlite' }, searchWords(q));
  const hits = Object.fromEntries(queries.map((q) => [q, (bare.all(expression(q), limit + 1) as unknown[]).length]));
  const bound = percentiles(await timeAsync(iterations, queries, (q) => bare.all(expression(q), limit + 1)));
  raw.close();

  const store = openSqliteStore({ file });
  const storeFigures = percentiles(await timeAsync(iterations, queries, (q) => store.searchPosts(BENCH_SITE.id, { words: searchWords(q), limit: limit + 1 })));
  await store.close();

  options.log('search: Parley over HTTP');
  const target = await startParley({ dataDir: cacheDir });
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const get = (pathname: string) =>
    new Promise<void>((resolve, reject) => {
      http.get(`${target.url}${pathname}`, { agent }, (res) => {
        if (res.statusCode !== 200) reject(new Error(`${pathname}: ${res.statusCode}`));
        res.resume();
        res.on('end', () => resolve());
      }).on('error', reject);
    });
  try {
    const url = (q: string) => `/api/sites/${BENCH_SITE.id}/search?q=${encodeURIComponent(q)}`;
    for (let i = 0; i < 100; i++) await get(url(queries[i % queries.length]!));
    const parley = percentiles(await timeAsync(iterations, queries, (q) => get(url(q))));
    return {
      posts,
      seeded,
      databaseMB: Math.round(fs.statSync(file).size / 2 ** 20),
      queries,
      hitsPerQuery: hits,
      parley,
      store: storeFigures,
      bareIndex: bound,
      p99OverBareIndex: round((parley.p99 ?? 0) / Math.max(0.001, bound.p99 ?? 0), 1),
      notes: [
        `${posts.toLocaleString('en')} posts in ${TOPICS} topics of one site; ${iterations} sequential requests cycling through the queries, each over one keep-alive connection; the store figure is the same search without HTTP, and the bound the FTS5 index query alone (no join, no presenting).`,
      ],
    };
  } finally {
    agent.destroy();
    await target.stop();
  }
}
