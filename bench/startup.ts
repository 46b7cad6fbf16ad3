/**
 * Start-up: `parley serve --demo` as an operator runs it, compiled (bin/parley.js, build/)
 * against the TypeScript sources through tsx (bin/parley-dev.js, how every start ran before the
 * server was compiled). For each: the first start on an empty data folder (creates the database
 * and seeds the demo organisation), then restarts on that folder. Measured from spawn to the
 * "Parley is running at" line, then the resident memory (VmRSS) after /healthz, /parley.js and
 * the demo page have been served once. The bound: a bare `node -e` that listens on a port.
 * tsx keeps a transform cache in the temp folder; the first run warms it, so restarts show the
 * warm figure (the fair one for tsx).
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { ROOT, rssOf } from './lib/proc.js';
import { percentiles, round } from './lib/stats.js';
import { benchDir } from './lib/targets.js';

interface Start {
  startMs: number;
  rssMB: number;
}

async function startOnce(entry: string[], dataDir: string): Promise<Start> {
  const t0 = performance.now();
  const child = spawn(process.execPath, entry, {
    cwd: ROOT,
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', PARLEY_DATA_DIR: dataDir, LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const match = /running at (http:\/\/[^\s/]+)/i.exec(output);
      if (match) resolve(match[1]!);
    });
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    void exited.then(() => reject(new Error(`exited before listening:\n${output}`)));
  });
  const startMs = performance.now() - t0;
  for (const p of ['/healthz', '/parley.js', '/']) {
    const response = await fetch(url + p);
    if (!response.ok) throw new Error(`${p}: HTTP ${response.status}`);
    await response.arrayBuffer();
  }
  const rssMB = rssOf(child.pid!) / 2 ** 20;
  child.kill('SIGTERM');
  await exited;
  return { startMs, rssMB };
}

async function measure(entry: string[], restarts: number) {
  const dataDir = benchDir('startup');
  try {
    const first = await startOnce(entry, dataDir);
    const again: Start[] = [];
    for (let i = 0; i < restarts; i++) again.push(await startOnce(entry, dataDir));
    const ms = percentiles(again.map((s) => s.startMs));
    const rss = percentiles(again.map((s) => s.rssMB));
    return {
      firstStartMs: round(first.startMs),
      firstRssMB: round(first.rssMB, 1),
      restartMsP50: round(ms.p50),
      restartRssMBP50: round(rss.p50, 1),
      restarts,
    };
  } finally {
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

export async function startup({ quick, log }: { quick: boolean; log: (line: string) => void }) {
  if (!fs.existsSync(path.join(ROOT, 'build/server/cli.js')) || !fs.existsSync(path.join(ROOT, 'dist/parley.js'))) {
    throw new Error('run `npm run build` first: this measures the built server');
  }
  const restarts = quick ? 3 : 7;
  log('startup: compiled (bin/parley.js)…');
  const compiled = await measure([path.join(ROOT, 'bin/parley.js'), 'serve', '--demo'], restarts);
  log('startup: sources through tsx (bin/parley-dev.js)…');
  const sources = await measure([path.join(ROOT, 'bin/parley-dev.js'), 'serve', '--demo'], restarts);
  log('startup: bound (bare node listening)…');
  const bareScript = `require('http').createServer((q,s)=>s.end('ok')).listen(0,'127.0.0.1',function(){console.log('running at http://127.0.0.1:'+this.address().port)});process.on('SIGTERM',()=>process.exit(0))`;
  const bare: Start[] = [];
  for (let i = 0; i < restarts; i++) {
    const t0 = performance.now();
    const child = spawn(process.execPath, ['-e', bareScript], { stdio: ['ignore', 'pipe', 'inherit'] });
    await new Promise<void>((resolve) => child.stdout!.once('data', () => resolve()));
    bare.push({ startMs: performance.now() - t0, rssMB: rssOf(child.pid!) / 2 ** 20 });
    child.kill('SIGTERM');
    await new Promise((resolve) => child.once('exit', resolve));
  }
  return {
    compiled,
    sources,
    bound: { restartMsP50: round(percentiles(bare.map((b) => b.startMs)).p50), restartRssMBP50: round(percentiles(bare.map((b) => b.rssMB)).p50, 1) },
  };
}
