/**
 * `npm run bench [-- name ... --quick]`: runs the benchmarks against the real server (as a
 * child process, so client and server do not share an event loop) and writes
 * bench/results/latest.json and bench/results/latest.md. Names: fanout, write, read,
 * connections, widget, detection, flood, wire, startup, notify, search, cluster (all by default). --quick: smaller sizes and shorter windows.
 *
 * Every figure with a natural bound is shown beside that bound, measured in the same run:
 * bare Socket.IO for fan-out, raw better-sqlite3 for writes, the store call without HTTP for
 * reads, a bare Socket.IO server's memory for connections, a static page for rendering.
 * Targets are printed for comparison; nothing here fails on them.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { ROOT } from './lib/proc.js';
import { fanout } from './fanout.js';
import { writePath } from './write.js';
import { readPath } from './read.js';
import { connections } from './connections.js';
import { widget } from './widget.js';
import { detection } from './detection.js';
import { flood } from './flood.js';
import { wire } from './wire.js';
import { startup } from './startup.js';
import { notify } from './notify.js';
import { searchBench } from './search.js';
import { cluster } from './cluster.js';
import { renderMarkdownReport } from './report.js';

const BENCHES = { fanout, write: writePath, read: readPath, connections, widget, detection, flood, wire, startup, notify, search: searchBench, cluster } as const;
type Name = keyof typeof BENCHES;

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const unknown = args.filter((a) => a.startsWith('-') && a !== '--quick');
const names = args.filter((a) => !a.startsWith('-'));
const invalid = names.filter((n) => !(n in BENCHES));
if (unknown.length || invalid.length) {
  console.error(`usage: npm run bench -- [${Object.keys(BENCHES).join('|')} ...] [--quick]`);
  process.exit(2);
}
const selected = (names.length ? names : Object.keys(BENCHES)) as Name[];

const round2 = (x: number) => Math.round(x * 100) / 100;
const log = (line: string) => console.log(`[bench ${new Date().toISOString().slice(11, 19)}] ${line}`);

const results: Record<string, unknown> = {};
const loadBefore = os.loadavg()[0]!;
const errors: Record<string, string> = {};
const started = Date.now();
for (const name of selected) {
  log(`${name}…`);
  const t0 = Date.now();
  const load0 = os.loadavg()[0]!;
  try {
    const result = await BENCHES[name]({ quick, log });
    results[name] = {
      ...result,
      measured: { at: new Date().toISOString(), quick, seconds: Math.round((Date.now() - t0) / 1000), loadAverage: [round2(load0), round2(os.loadavg()[0]!)] },
    };
    log(`${name} done in ${((Date.now() - t0) / 1000).toFixed(0)} s`);
  } catch (error) {
    errors[name] = (error as Error).stack ?? String(error);
    log(`${name} FAILED: ${(error as Error).message}`);
  }
}

const environment = {
  date: new Date().toISOString(),
  node: process.version,
  cpus: os.cpus().length,
  cpu: os.cpus()[0]?.model ?? 'unknown',
  memoryGB: Math.round(os.totalmem() / 2 ** 30),
  quick,
  selected,
  seconds: Math.round((Date.now() - started) / 1000),
  /** 1-minute load average before and after: other work on the machine disturbs every figure. */
  loadAverage: { before: Math.round(loadBefore * 100) / 100, after: Math.round(os.loadavg()[0]! * 100) / 100 },
  commit: (() => {
    try {
      return execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT }).toString().trim();
    } catch {
      return null;
    }
  })(),
};

const dir = path.join(ROOT, 'bench/results');
fs.mkdirSync(dir, { recursive: true });
const report = { environment, results, errors };
// A partial run (some benchmarks) keeps the others' latest figures.
const jsonFile = path.join(dir, 'latest.json');
let merged = report;
if (names.length && fs.existsSync(jsonFile)) {
  try {
    const previous = JSON.parse(fs.readFileSync(jsonFile, 'utf8'));
    merged = { environment, results: { ...previous.results, ...results }, errors: { ...previous.errors, ...errors } };
    for (const name of Object.keys(results)) delete (merged.errors as Record<string, string>)[name];
  } catch {
    // an unreadable previous report is simply replaced
  }
}
fs.writeFileSync(jsonFile, `${JSON.stringify(merged, null, 2)}\n`);
const markdown = renderMarkdownReport(merged as never);
fs.writeFileSync(path.join(dir, 'latest.md'), markdown);
console.log(`\n${markdown}`);
log(`wrote bench/results/latest.json and latest.md`);
process.exit(Object.keys(errors).length ? 1 : 0);
