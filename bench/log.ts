/**
 * Audit log benchmarks: append throughput and proof generation on SQLite at 10^6 entries,
 * and verifying a 10^5-entry log from scratch with the library (Node, over HTTP against a
 * real server) and in Chromium (the browser module, if /usr/bin/chromium is there).
 *
 *   npm run bench:log                 (PARLEY_BENCH_LOG_SIZE=100000 for a quicker run)
 *
 * Writes bench/results/log.json and prints a table.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fromHex, verifyConsistency, verifyInclusion } from '../moderation/log/index.js';
import { MerkleAuditLog } from '../server/audit/merkle-audit-log.js';
import { createServer } from '../server/app.js';
import { openSqliteStore, sqliteDatabaseOf } from '../server/store/sqlite/sqlite-store.js';
import type { Store } from '../server/store/store.js';
import { httpLogSource, verifyAuditLog } from '../moderation/log/index.js';

const BIG = Number(process.env.PARLEY_BENCH_LOG_SIZE) || 1_000_000;
const VERIFY = Number(process.env.PARLEY_BENCH_VERIFY_SIZE) || 100_000;
const BATCH = 1000;

function entry(site: string, i: number) {
  return {
    site, kind: 'moderation.remove', at: new Date(Date.UTC(2025, 0, 1) + i * 1000).toISOString(),
    actor: { type: 'moderator' as const, label: `Moderator ${i % 7}`, userId: `u${i % 7}` },
    subject: { postId: `p${i}`, topic: `t${i % 50}` },
    data: { ruleId: `R${(i % 6) + 1}`, decisionGround: 'terms', facts: 'Promotional content for a prescription-only medicine.' },
    sensitive: { postText: `removed text ${i}` },
  };
}

async function fill(store: Store, audit: MerkleAuditLog, site: string, count: number, onBatch?: (done: number) => void): Promise<number> {
  const started = performance.now();
  for (let done = 0; done < count; done += BATCH) {
    await store.transaction(async () => {
      for (let i = done; i < Math.min(done + BATCH, count); i++) await audit.append(entry(site, i));
    });
    onBatch?.(Math.min(done + BATCH, count));
  }
  return performance.now() - started;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

async function main(): Promise<void> {
  const results: Record<string, unknown> = { date: new Date().toISOString(), node: process.version, cpus: os.cpus().length, cpu: os.cpus()[0]?.model };
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-bench-log-'));
  try {
    // 1. Appends and proofs at BIG entries.
    const store = openSqliteStore({ file: path.join(dir, 'big.db') });
    await store.upsertSite({ id: 'big', name: 'Big', origins: [], secret: null, publicKeys: [], rulesUrl: null, demo: false, createdAt: new Date().toISOString() });
    const audit = new MerkleAuditLog({ db: store.database, timers: false, originHost: () => 'bench.example' });
    // Single appends, one transaction each (what a service call costs).
    const singles = 2000;
    const t0 = performance.now();
    for (let i = 0; i < singles; i++) await audit.append(entry('big', i));
    const singleMs = performance.now() - t0;
    process.stdout.write(`filling ${BIG} entries… `);
    const fillMs = await fill(store, audit, 'big', BIG - singles, (d) => d % 100_000 === 0 && process.stdout.write(`${d} `));
    process.stdout.write('\n');
    const n = await audit.size('big');
    const signStart = performance.now();
    const cp = await audit.signCheckpoint('big');
    const signMs = performance.now() - signStart;
    const root = fromHex(cp.rootHash);
    const inclusion: number[] = [];
    const consistency: number[] = [];
    for (let k = 0; k < 1000; k++) {
      const i = Math.floor(Math.random() * n);
      let t = performance.now();
      const p = await audit.inclusionProof('big', i, n);
      inclusion.push(performance.now() - t);
      if (!verifyInclusion(fromHex(p.leafHash), i, n, p.proof.map(fromHex), root)) throw new Error('bad inclusion proof');
      const m = 1 + Math.floor(Math.random() * (n - 1));
      t = performance.now();
      const c = await audit.consistencyProof('big', m, n);
      consistency.push(performance.now() - t);
      if (!verifyConsistency(m, n, await audit.rootAt('big', m), root, c.map(fromHex))) throw new Error('bad consistency proof');
    }
    inclusion.sort((a, b) => a - b);
    consistency.sort((a, b) => a - b);
    results.sqlite = {
      entries: n,
      singleAppendsPerSecond: Math.round(singles / (singleMs / 1000)),
      batchedAppendsPerSecond: Math.round((BIG - singles) / (fillMs / 1000)),
      signCheckpointMs: +signMs.toFixed(2),
      inclusionProofMs: { p50: +percentile(inclusion, 50).toFixed(3), p99: +percentile(inclusion, 99).toFixed(3) },
      consistencyProofMs: { p50: +percentile(consistency, 50).toFixed(3), p99: +percentile(consistency, 99).toFixed(3) },
      databaseMB: +(fs.statSync(path.join(dir, 'big.db')).size / 1e6 + (fs.existsSync(path.join(dir, 'big.db-wal')) ? fs.statSync(path.join(dir, 'big.db-wal')).size / 1e6 : 0)).toFixed(1),
    };
    await audit.close();
    await store.close();

    // 2. Verify VERIFY entries from scratch over HTTP (the CLI's path), against a real server.
    const server = await createServer({ dataDir: path.join(dir, 'srv'), port: 0, host: '127.0.0.1', logLevel: 'silent', sites: [{ id: 'v', name: 'V', origins: ['*'] }] });
    const srvAudit = server.ctx.audit as MerkleAuditLog;
    await fill(server.store, srvAudit, 'v', VERIFY);
    const key = await srvAudit.verifierKey('v');
    await srvAudit.signCheckpoint('v');
    const v0 = performance.now();
    const report = await verifyAuditLog(httpLogSource(server.url, 'v', fetch), { verifierKey: key });
    const nodeMs = performance.now() - v0;
    if (!report.ok) throw new Error(report.message);
    results.verifyNode = { entries: VERIFY, ms: Math.round(nodeMs), entriesPerSecond: Math.round(VERIFY / (nodeMs / 1000)) };

    // 3. The same in Chromium (the browser module), if available.
    results.verifyBrowser = await verifyInBrowser(server.url, key).catch((e: Error) => ({ skipped: e.message }));
    await server.close();
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }

  fs.mkdirSync('bench/results', { recursive: true });
  fs.writeFileSync('bench/results/log.json', JSON.stringify(results, null, 2) + '\n');
  const s = results.sqlite as any;
  const vn = results.verifyNode as any;
  const vb = results.verifyBrowser as any;
  console.table({
    [`append, one per transaction`]: { value: `${s.singleAppendsPerSecond}/s` },
    [`append, ${BATCH} per transaction (to ${s.entries})`]: { value: `${s.batchedAppendsPerSecond}/s` },
    [`sign checkpoint at ${s.entries}`]: { value: `${s.signCheckpointMs} ms` },
    [`inclusion proof at ${s.entries} (p50 / p99)`]: { value: `${s.inclusionProofMs.p50} / ${s.inclusionProofMs.p99} ms` },
    [`consistency proof at ${s.entries} (p50 / p99)`]: { value: `${s.consistencyProofMs.p50} / ${s.consistencyProofMs.p99} ms` },
    [`database size at ${s.entries}`]: { value: `${s.databaseMB} MB` },
    [`verify ${vn.entries} from scratch, Node over HTTP`]: { value: `${vn.ms} ms` },
    [`verify ${VERIFY} from scratch, Chromium`]: { value: vb.ms !== undefined ? `${vb.ms} ms` : `skipped: ${vb.skipped}` },
  });
  console.log('wrote bench/results/log.json');
}

/** Bundles the verifier (moderation/log) with esbuild, runs it in headless Chromium against the server. */
async function verifyInBrowser(serverUrl: string, key: string): Promise<{ entries: number; ms: number }> {
  const chrome = process.env.CHROME_PATH || '/usr/bin/chromium';
  if (!fs.existsSync(chrome)) throw new Error(`no browser at ${chrome}`);
  const { build } = await import('esbuild');
  const puppeteer = await import('puppeteer-core');
  const bundle = await build({
    stdin: {
      contents: `import { httpLogSource, verifyAuditLog } from './moderation/log/index.ts';
        window.runVerify = async (server, key) => { const t = performance.now();
          const r = await verifyAuditLog(httpLogSource(server, 'v', fetch), { verifierKey: key });
          return { ok: r.ok, message: r.message, ms: performance.now() - t }; };`,
      resolveDir: process.cwd(), loader: 'ts',
    },
    bundle: true, format: 'esm', write: false, target: 'es2022', platform: 'browser',
  });
  const browser = await puppeteer.launch({
    executablePath: chrome, headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync', '--disable-quic'],
  });
  try {
    const page = await browser.newPage();
    await page.setBypassCSP(true);
    // Same origin as the API: no CORS needed for the benchmark page.
    await page.goto(`${serverUrl}/healthz`);
    await page.addScriptTag({ content: bundle.outputFiles[0]!.text, type: 'module' });
    await page.waitForFunction('typeof window.runVerify === "function"');
    const r = (await page.evaluate(`window.runVerify(${JSON.stringify(serverUrl)}, ${JSON.stringify(key)})`)) as { ok: boolean; message: string; ms: number };
    if (!r.ok) throw new Error(r.message);
    return { entries: VERIFY, ms: Math.round(r.ms) };
  } finally {
    await browser.close();
  }
}

await main();
