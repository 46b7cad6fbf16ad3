/**
 * Fan-out: N socket.io-client readers in one topic (in separate reader processes), posts at
 * a fixed 50/s and as fast as the server takes them; delivered messages per second and
 * post-to-delivery latency, for Parley and for a bare Socket.IO server broadcasting the
 * same payloads to the same clients (the upper bound).
 */
import { cpuOf, sleep, startWorker, type Worker } from './lib/proc.js';
import { histogram, merge, summary, type Histogram } from './lib/stats.js';
import { post, posterSocket, startBare, startParley, timedBody, type Target } from './lib/targets.js';

const TOPIC = 'fan';
const PACED_RATE = 50;

export interface FanoutFigures {
  postsPerSecond: number;
  deliveredPerSecond: number;
  /** Deliveries expected from the posts acknowledged in the window (readers × posts). */
  deliveredShare: number;
  latencyMs: ReturnType<typeof summary>;
  serverCpuPercent: number;
  failedPosts: number;
}

export interface FanoutRow {
  readers: number;
  mode: 'paced 50/s' | 'max';
  parley: FanoutFigures;
  bare: FanoutFigures;
  /** Parley's delivered msgs/s over bare's. */
  ratio: number;
}

async function readersFor(target: Target, count: number): Promise<Worker[]> {
  const perWorker = 2_500;
  const workers = Array.from({ length: Math.ceil(count / perWorker) }, () => startWorker('readers'));
  const results = await Promise.all(
    workers.map((w, i) => w.call('connect', { url: target.url, site: 'bench', topic: TOPIC, count: Math.min(perWorker, count - i * perWorker) }, 600_000)),
  );
  const connected = results.reduce((sum, r) => sum + r.connected, 0);
  if (connected !== count) throw new Error(`only ${connected} of ${count} readers connected to ${target.name}`);
  return workers;
}

/** Waits until the readers have received everything already sent (no delivery for 500 ms). */
async function drained(readers: Worker[], timeoutMs = 30_000): Promise<void> {
  const total = async () => (await Promise.all(readers.map((r) => r.call<{ delivered: number }>('count')))).reduce((s, c) => s + c.delivered, 0);
  const deadline = performance.now() + timeoutMs;
  let last = await total();
  while (performance.now() < deadline) {
    await sleep(500);
    const now = await total();
    if (now === last) return;
    last = now;
  }
}

async function window(target: Target, readers: Worker[], seconds: number, drive: (until: number) => Promise<{ acked: number; failed: number }>, readersCount: number): Promise<FanoutFigures> {
  await Promise.all(readers.map((r) => r.call('start')));
  const cpu0 = cpuOf(target.pid);
  const started = performance.now();
  const { acked, failed } = await drive(started + seconds * 1000);
  const elapsed = (performance.now() - started) / 1000;
  await sleep(300); // let the last posts arrive; deliveries are counted per post sent in the window
  const cpu = cpuOf(target.pid) - cpu0;
  const stops = await Promise.all(readers.map((r) => r.call<{ deliveries: number; latency: Histogram }>('stop')));
  const latency = stops.reduce((h, s) => merge(h, s.latency), histogram());
  const deliveries = stops.reduce((sum, s) => sum + s.deliveries, 0);
  return {
    postsPerSecond: Math.round(acked / elapsed),
    deliveredPerSecond: Math.round(deliveries / elapsed),
    deliveredShare: acked ? Math.round((deliveries / (acked * readersCount)) * 1000) / 1000 : 0,
    latencyMs: summary(latency),
    serverCpuPercent: Math.round((cpu / (elapsed + 0.3)) * 100),
    failedPosts: failed,
  };
}

/** Posts at a fixed rate from one poster, not waiting for acks to send the next. */
function paced(target: Target, socket: Awaited<ReturnType<typeof posterSocket>>) {
  return async (until: number) => {
    let acked = 0;
    let failed = 0;
    const pending: Promise<void>[] = [];
    const start = performance.now();
    for (let i = 0; ; i++) {
      const due = start + (i * 1000) / PACED_RATE;
      if (due >= until) break;
      const wait = due - performance.now();
      if (wait > 0) await sleep(wait);
      pending.push(post(socket, TOPIC, timedBody(i)).then((r) => void (r.ok ? acked++ : failed++)));
    }
    await Promise.all(pending);
    return { acked, failed };
  };
}

/** Posts as fast as the server acknowledges: several posters, each with a window of posts in flight. */
function flatOut(sockets: Awaited<ReturnType<typeof posterSocket>>[], inFlight = 16) {
  return async (until: number) => {
    let acked = 0;
    let failed = 0;
    let i = 0;
    await Promise.all(
      sockets.flatMap((socket) =>
        Array.from({ length: inFlight }, async () => {
          while (performance.now() < until) {
            const r = await post(socket, TOPIC, timedBody(i++));
            if (r.ok) acked++;
            else failed++;
          }
        }),
      ),
    );
    return { acked, failed };
  };
}

/**
 * Each window runs ROUNDS times, the readers drained in between, and the best round is kept
 * (lowest p99 when paced, most deliveries when flat out): on a shared machine the best of a
 * few rounds is the closest to an undisturbed run.
 */
const ROUNDS = 2;

async function measureTarget(start: () => Promise<Target>, readersCount: number, seconds: number) {
  const target = await start();
  const readers = await readersFor(target, readersCount);
  try {
    const posters = await Promise.all([0, 1, 2, 3].map((i) => posterSocket(target, `poster-${i}`)));
    await window(target, readers, 1, paced(target, posters[0]!), readersCount); // warm-up
    const rounds = async (drive: () => (until: number) => Promise<{ acked: number; failed: number }>, better: (a: FanoutFigures, b: FanoutFigures) => boolean) => {
      let best: FanoutFigures | null = null;
      for (let round = 0; round < ROUNDS; round++) {
        await drained(readers);
        const figures = await window(target, readers, seconds, drive(), readersCount);
        if (!best || better(figures, best)) best = figures;
      }
      return best!;
    };
    const pacedFigures = await rounds(() => paced(target, posters[0]!), (a, b) => (a.latencyMs.p99 ?? Infinity) < (b.latencyMs.p99 ?? Infinity));
    const maxFigures = await rounds(() => flatOut(posters), (a, b) => a.deliveredPerSecond > b.deliveredPerSecond);
    for (const p of posters) p.close();
    return { paced: pacedFigures, max: maxFigures };
  } finally {
    await Promise.all(readers.map(async (r) => r.stop()));
    await target.stop();
  }
}

/** Keeping up at 50 posts/s: nearly every delivery arrives within the window, within a second. */
const keepsUp = (f: FanoutFigures) => f.deliveredShare >= 0.97 && (f.latencyMs.p99 ?? Infinity) <= 1_000;

export async function fanout(options: { quick: boolean; log: (line: string) => void }): Promise<{ rows: FanoutRow[]; machineHolds: number | null; notes: string[] }> {
  // 100 and 1,000, then doubling from 2,000 while Parley keeps up at 50 posts/s (at most 8,000).
  const fixed = options.quick ? [100, 1_000] : [100, 1_000];
  const growing = options.quick ? [2_000] : [2_000, 4_000, 8_000];
  const seconds = options.quick ? 3 : 5;
  const rows: FanoutRow[] = [];
  let machineHolds: number | null = null;
  for (const readers of [...fixed, ...growing]) {
    options.log(`fan-out: ${readers} readers, Parley`);
    const parley = await measureTarget(() => startParley(), readers, seconds);
    options.log(`fan-out: ${readers} readers, bare Socket.IO`);
    const bare = await measureTarget(() => startBare(), readers, seconds);
    if (keepsUp(parley.paced)) machineHolds = readers;
    for (const mode of ['paced', 'max'] as const) {
      rows.push({
        readers,
        mode: mode === 'paced' ? 'paced 50/s' : 'max',
        parley: parley[mode],
        bare: bare[mode],
        ratio: Math.round((parley[mode].deliveredPerSecond / Math.max(1, bare[mode].deliveredPerSecond)) * 100) / 100,
      });
    }
    // Past the first size Parley cannot keep up with, larger ones only measure the backlog.
    if (growing.includes(readers) && !keepsUp(parley.paced)) break;
  }
  return {
    rows,
    machineHolds,
    notes: [
      `Readers are socket.io-client connections over WebSocket in separate processes (2,500 per process); posts come from 4 signed-in sockets in a third process. Windows of ${seconds} s, best of ${ROUNDS} rounds, readers drained between rounds.`,
      `"max" keeps 64 posts in flight; its latency is dominated by queueing wherever the bottleneck is. Sizes double from 2,000 while Parley still keeps up at 50 posts/s (≥ 97% delivered within the window, p99 ≤ 1 s), up to 8,000: "machine holds" is the largest such size. Past it the reader processes, not the server, run out of CPU on this machine (client and server share its cores).`,
    ],
  };
}
