/**
 * `node bin/run-ts.js bench/import.ts [--quick]`: imports a synthetic Disqus export of nearly
 * 20 MB (the route's limit) into a fresh site, through the same service as the API and the CLI,
 * and prints where the time goes: decoding + XML streaming (the bound: nothing can import faster
 * than the file is read), the whole dry run (read + write + rollback), the real import, and the
 * re-run that finds everything imported already. Memory is the process's peak RSS growth.
 * The import holds the write lock (one transaction) and the event loop for its whole duration.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { MerkleAuditLog } from '../server/audit/merkle-audit-log.js';
import { createMailer } from '../server/mail/mailer.js';
import { cliActor } from '../server/services/actor.js';
import { randomId, type AppContext } from '../server/services/context.js';
import { createRateLimits } from '../server/services/rate-limits.js';
import { importSite } from '../server/services/site-import.js';
import { openSqliteStore, sqliteDatabaseOf } from '../server/store/sqlite/sqlite-store.js';
import { readDisqus } from '../server/import/disqus.js';

const quick = process.argv.includes('--quick');
const THREADS = quick ? 200 : 1_300;
const POSTS_PER_THREAD = 20;

function syntheticDisqus(): Buffer {
  const parts = ['<?xml version="1.0" encoding="utf-8"?>\n<disqus xmlns="http://disqus.com" xmlns:dsq="http://disqus.com/disqus-internals">\n'];
  for (let t = 0; t < THREADS; t++) {
    parts.push(`<thread dsq:id="t${t}"><id>page-${t}</id><link>https://www.example.org/news/page-${t}/</link><title>Page ${t}</title><createdAt>2019-01-01T00:00:00Z</createdAt><isDeleted>false</isDeleted></thread>\n`);
  }
  let n = 0;
  for (let t = 0; t < THREADS; t++) {
    for (let p = 0; p < POSTS_PER_THREAD; p++, n++) {
      const parent = p > 0 && p % 3 !== 0 ? `<parent dsq:id="p${n - 1}" />` : '';
      const spam = n % 50 === 0 ? 'true' : 'false';
      const date = new Date(Date.UTC(2019, 0, 1) + n * 60_000).toISOString();
      parts.push(`<post dsq:id="p${n}"><message><![CDATA[<p>Comment ${n}: I have had <b>fatigue</b> for years; pacing and <a href="https://example.org/help">this page</a> helped.</p><p>Second paragraph with a few more words to make it a realistic length for a patient forum comment about daily life.</p>]]></message><createdAt>${date}</createdAt><isDeleted>false</isDeleted><isSpam>${spam}</isSpam><author><email>user${n % 900}@mail.example</email><name>Member ${n % 900}</name><isAnonymous>false</isAnonymous><username>member${n % 900}</username></author><ipAddress>192.0.2.1</ipAddress><thread dsq:id="t${t}" />${parent}</post>\n`);
    }
  }
  parts.push('</disqus>\n');
  return Buffer.from(parts.join(''));
}

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-bench-import-'));
const store = openSqliteStore({ file: path.join(dir, 'parley.db') });
const log = pino({ level: 'silent' });
const ctx: AppContext = {
  store, log, now: () => new Date(), newId: randomId, selfOrigins: () => [],
  limits: createRateLimits(), mailer: createMailer(store, log, {}),
  audit: new MerkleAuditLog({ db: store.database, timers: false, originHost: () => 'bench.example' }),
  broadcast: { postCreated() {}, postUpdated() {}, topicUpdated() {}, sessionEnded() {}, deskUpdated() {} },
};
await store.upsertSite({ id: 'bench', name: 'Bench', origins: [], secret: null, publicKeys: [], rulesUrl: null, demo: false, createdAt: new Date().toISOString() });
const actor = cliActor((await store.getSite('bench'))!);

const file = syntheticDisqus();
const rss0 = process.memoryUsage().rss;
let peak = rss0;
const sample = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
const time = async <T>(fn: () => T | Promise<T>): Promise<[T, number]> => {
  const t0 = performance.now();
  const result = await fn();
  peak = Math.max(peak, process.memoryUsage().rss);
  return [result, Math.round(performance.now() - t0)];
};

const [parsed, readMs] = await time(() => readDisqus(file));
const [dry, dryMs] = await time(() => importSite(ctx, actor, { format: 'disqus', dryRun: true, bytes: file }));
const [real, realMs] = await time(() => importSite(ctx, actor, { format: 'disqus', dryRun: false, bytes: file }));
const [again, againMs] = await time(() => importSite(ctx, actor, { format: 'disqus', dryRun: false, bytes: file }));
clearInterval(sample);
const mb = (bytes: number) => Math.round(bytes / 1024 / 1024);
console.log(JSON.stringify({
  file: { megabytes: Math.round((file.length / 1024 / 1024) * 10) / 10, threads: THREADS, posts: parsed.posts.length + parsed.skipped },
  readOnlyMs: readMs,
  dryRunMs: dryMs,
  importMs: realMs,
  postsPerSecond: Math.round(real.posts.new / (realMs / 1000)),
  rerunMs: againMs,
  counts: { dry: dry.posts, real: real.posts, rerun: again.posts },
  peakRssGrowthMB: mb(peak - rss0),
  loadAverage: os.loadavg()[0],
}, null, 2));
await store.close();
fs.rmSync(dir, { recursive: true, force: true });
