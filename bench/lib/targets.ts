/**
 * What the benchmarks run against: Parley as `parley serve` in its own process (its config
 * file raises the rate limits, which would otherwise refuse a benchmark), and the bare
 * Socket.IO yardstick. Also the clients the orchestrator drives itself: posters.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { io, type Socket } from 'socket.io-client';
import type { SiteConfig } from '../../server/config.js';
import { hostToken, startChildServer, type ChildServer } from '../../test/support/child-server.js';
import { startWorker, type Worker } from './proc.js';
import { epochMs } from './stats.js';
import { sampleBody } from './seed-db.js';

export const BENCH_SITE: SiteConfig = {
  id: 'bench',
  name: 'Benchmark',
  origins: [],
  secret: 'bench-secret-0123456789abcdef0123456789abcdef',
};

export interface Target {
  name: 'parley' | 'bare';
  url: string;
  pid: number;
  /** A token the poster signs in with (Parley), or none (bare). */
  token(sub: string): Promise<string | undefined>;
  stop(): Promise<void>;
}

export function benchDir(name: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `parley-bench-${name}-`));
}

export async function startParley(options: { dataDir?: string; sites?: SiteConfig[]; nodeArgs?: string[]; databaseUrl?: string } = {}): Promise<Target & { server: ChildServer; dataDir: string }> {
  const dataDir = options.dataDir ?? benchDir('data');
  const owned = !options.dataDir;
  const server = await startChildServer(
    {
      dataDir,
      sites: options.sites ?? [BENCH_SITE],
      // GENEROUS_LIMITS (startChildServer's default): the benchmarks measure throughput, not limits.
      logLevel: 'warn',
      databaseUrl: options.databaseUrl,
      nodeArgs: options.nodeArgs ?? (process.env.PARLEY_BENCH_PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${process.env.PARLEY_BENCH_PROFILE}`] : []),
    },
    60_000,
  );
  return {
    name: 'parley',
    url: server.url,
    pid: server.child.pid!,
    server,
    dataDir,
    token: (sub) => hostToken(BENCH_SITE, sub),
    async stop() {
      if (server.child.exitCode === null) {
        server.child.kill('SIGTERM');
        const timer = setTimeout(() => server.child.kill('SIGKILL'), 15_000);
        await server.exited;
        clearTimeout(timer);
      }
      if (owned) fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export async function startBare(): Promise<Target & { worker: Worker }> {
  const worker = startWorker('bare-server');
  const { url, pid } = await worker.call<{ url: string; pid: number }>('listen', {});
  return { name: 'bare', url, pid, worker, token: async () => undefined, stop: () => worker.stop() };
}

/** A post body carrying its send time for the readers' latency figures. */
export function timedBody(i: number): string {
  return `${sampleBody(i)} t=${epochMs().toFixed(3)}`;
}

export async function posterSocket(target: Target, sub: string): Promise<Socket> {
  const token = await target.token(sub);
  const socket = io(target.url, { auth: token ? { site: BENCH_SITE.id, token } : { site: BENCH_SITE.id }, transports: ['websocket'], forceNew: true, reconnection: false });
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('connect_error', reject);
  });
  return socket;
}

let keys = 0;
export function post(socket: Socket, topic: string, body: string): Promise<{ ok: boolean; error?: string }> {
  keys++;
  return socket
    .timeout(30_000)
    .emitWithAck('post:create', { topic, body, idempotencyKey: `bench-${process.pid}-${keys}` })
    .then(
      (ack: any) => (ack?.error ? { ok: false, error: ack.error.code } : { ok: true }),
      (error: Error) => ({ ok: false, error: error.message }),
    );
}
