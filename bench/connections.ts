/**
 * Connections: the server's resident memory per idle reader (connected over WebSocket and
 * joined to a topic) at 1,000 and 10,000 readers, for Parley and for a bare Socket.IO server
 * holding the same connections (the bound). The readers live in separate processes.
 */
import { execFileSync } from 'node:child_process';
import { rssOf, sleep, startWorker, type Worker } from './lib/proc.js';
import { startBare, startParley, type Target } from './lib/targets.js';

const TOPIC = 'idle';
const PER_WORKER = 5_000;

function fdLimit(): number {
  try {
    return Number(execFileSync('sh', ['-c', 'ulimit -n']).toString().trim());
  } catch {
    return NaN;
  }
}

async function settle(pid: number): Promise<number> {
  // Let the handshakes' garbage be collected: take the lowest of a few samples.
  let lowest = Infinity;
  for (let i = 0; i < 6; i++) {
    await sleep(500);
    lowest = Math.min(lowest, rssOf(pid));
  }
  return lowest;
}

async function measure(start: () => Promise<Target>, steps: number[], log: (line: string) => void) {
  const target = await start();
  const workers: Array<{ worker: Worker; held: number }> = [];
  try {
    const baseline = await settle(target.pid);
    const figures: Array<{ readers: number; rssMB: number; perReaderKB: number; connectSeconds: number }> = [];
    let connected = 0;
    for (const total of steps) {
      const started = performance.now();
      while (connected < total) {
        let slot = workers[workers.length - 1];
        if (!slot || slot.held >= PER_WORKER) {
          slot = { worker: startWorker('readers'), held: 0 };
          workers.push(slot);
        }
        const count = Math.min(total - connected, PER_WORKER - slot.held);
        const result = await slot.worker.call<{ errors: number }>('connect', { url: target.url, site: 'bench', topic: TOPIC, count, parallel: 100 }, 600_000);
        slot.held += count;
        connected += count;
        if (result.errors) throw new Error(`${result.errors} readers failed to connect to ${target.name}`);
      }
      const connectSeconds = (performance.now() - started) / 1000;
      const rss = await settle(target.pid);
      figures.push({
        readers: total,
        rssMB: Math.round(rss / 2 ** 20),
        perReaderKB: Math.round(((rss - baseline) / total / 1024) * 10) / 10,
        connectSeconds: Math.round(connectSeconds * 10) / 10,
      });
      log(`connections: ${target.name} ${total} readers, ${Math.round(rss / 2 ** 20)} MB`);
    }
    return { baselineMB: Math.round(baseline / 2 ** 20), steps: figures };
  } finally {
    await Promise.all(workers.map((w) => w.worker.stop()));
    await target.stop();
  }
}

export async function connections(options: { quick: boolean; log: (line: string) => void }) {
  const steps = options.quick ? [1_000, 2_000] : [1_000, 10_000];
  const limit = fdLimit();
  const needed = steps[steps.length - 1]! + 200;
  if (Number.isFinite(limit) && limit < needed) {
    throw new Error(`ulimit -n is ${limit}; ${needed} open files are needed (raise it with "ulimit -n ${needed}" before npm run bench)`);
  }
  const parley = await measure(() => startParley(), steps, options.log);
  const bare = await measure(() => startBare(), steps, options.log);
  const rows = steps.map((readers, i) => {
    const p = parley.steps[i]!;
    const b = bare.steps[i]!;
    return { readers, parley: p, bare: b, perReaderRatio: Math.round((p.perReaderKB / Math.max(0.1, b.perReaderKB)) * 100) / 100 };
  });
  return {
    baselineMB: { parley: parley.baselineMB, bare: bare.baselineMB },
    rows,
    targetMBAt10k: 1_536,
    fdLimit: limit,
    notes: [
      'Server resident memory (VmRSS, lowest of six samples over 3 s after connecting) minus its idle baseline, divided by the readers. Readers: socket.io-client over WebSocket, joined to one topic, idle; up to 5,000 per client process.',
    ],
  };
}
