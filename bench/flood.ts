/**
 * Flood: readers' post-to-delivery latency while one abusive client floods the server,
 * against the same readers' latency when it is quiet. Target: flood p99 ≤ 2 × quiet p99.
 * (test/integration/flood.test.ts asserts the behaviour — the flooder is refused, dropped and
 * blocked, every other post is accepted and delivered once — and no timing.)
 *
 * Set-up as in that test: `parley serve` in its own process with the test's limits; readers
 * joined to one topic over Socket.IO; members posting over REST at a steady pace from
 * 127.0.0.1, rotating accounts so none meets its own limit; the flooder
 * (test/support/flooder.ts) in its own process from 127.0.0.9 (and up) with its own account, at lower
 * CPU priority (an attacker's CPU is not the server's; on two cores an equal-priority busy
 * loop would starve the benchmark's own readers rather than measure Parley). Posts are sent
 * open-loop (each at its scheduled time, not after the previous answer), so a slow server
 * cannot hide its slowness by slowing the load. Quiet and flood slices alternate over a few
 * rounds (a new flooder, from a new address, each round), so that whatever else the machine
 * is doing falls on both kinds of slice alike; p99 is taken over all slices of a kind.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { io, type Socket } from 'socket.io-client';
import { SOCKET_EVENTS } from '../moderation/protocol.js';
import type { SiteConfig } from '../server/config.js';
import { hostToken, startChildServer } from '../test/support/child-server.js';
import { cpuOf, ROOT, sleep } from './lib/proc.js';
import { percentiles, round } from './lib/stats.js';
import { benchDir } from './lib/targets.js';

const SITE: SiteConfig = { id: 'crowd', name: 'Crowd', origins: [], secret: 'crowd-secret-0123456789abcdef0123456789ab' };
const TOPIC = 'busy';
const READERS = 6;
const POSTS_PER_SECOND = 20;
/** Posts per member account over the whole run: below its limit of 10 a minute. */
const POSTS_PER_ACCOUNT = 8;
/** Round r floods from 127.0.0.(9 + r): each flooder starts unblocked, as a new attacker would. */
const flooderAddress = (r: number) => `127.0.0.${9 + r}`;

interface Slice {
  first: number;
  last: number;
  cpuSeconds: number;
  seconds: number;
}

export async function flood(options: { quick: boolean; log: (line: string) => void }) {
  const rounds = options.quick ? 2 : 3;
  const sliceSeconds = options.quick ? 4 : 10;
  const warmupPosts = POSTS_PER_SECOND * 2;
  const slicePosts = POSTS_PER_SECOND * sliceSeconds;
  const totalPosts = warmupPosts + 2 * rounds * slicePosts;
  const dataDir = benchDir('flood');
  const server = await startChildServer(
    {
      dataDir,
      sites: [SITE],
      logLevel: 'warn',
      // The limits of test/integration/flood.test.ts: the readers and the paced members share
      // 127.0.0.1; the flooder has an address (and so per-IP allowances) of its own.
      rateLimits: { postsPerAccountPerMinute: 10, postsPerIpPerMinute: 10_000, connectionsPerIp: 20, connectionsPerIpPerMinute: 120, socketEventsPerSecond: 20 },
    },
    60_000,
  );
  const pid = server.child.pid!;
  const readers: Socket[] = [];
  let flooder: ChildProcess | undefined;
  const flooders: Array<Record<string, any>> = [];
  try {
    const tokens = await Promise.all(Array.from({ length: Math.ceil(totalPosts / POSTS_PER_ACCOUNT) }, (_, i) => hostToken(SITE, `member-${i}`)));
    const sentAt = new Float64Array(totalPosts).fill(NaN);
    const statuses = new Int16Array(totalPosts);
    /** Latency of each (post, reader) delivery, ms; NaN until it arrives. */
    const latency = Array.from({ length: READERS }, () => new Float64Array(totalPosts).fill(NaN));
    let duplicates = 0;
    for (let r = 0; r < READERS; r++) {
      const reader = io(server.url, { auth: { site: SITE.id }, transports: ['websocket'], forceNew: true, reconnection: false });
      readers.push(reader);
      await new Promise<void>((resolve, reject) => {
        reader.once('connect', resolve);
        reader.once('connect_error', reject);
      });
      await reader.emitWithAck(SOCKET_EVENTS.join, { topic: TOPIC });
      reader.on(SOCKET_EVENTS.postCreated, ({ post }: { post: { body: string } }) => {
        const at = performance.now();
        const m = /^member (\d+)$/.exec(post.body);
        if (!m) return;
        const i = Number(m[1]);
        if (!Number.isNaN(latency[r]![i]!)) duplicates++;
        else latency[r]![i] = at - sentAt[i]!;
      });
    }

    const send = async (i: number) => {
      sentAt[i] = performance.now();
      try {
        const response = await fetch(`${server.url}/api/sites/${SITE.id}/posts`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${tokens[i % tokens.length]}` },
          body: JSON.stringify({ topic: TOPIC, body: `member ${i}`, idempotencyKey: `member-${i}-key` }),
        });
        statuses[i] = response.status;
        await response.arrayBuffer();
      } catch {
        statuses[i] = -1;
      }
    };
    const inFlight: Promise<void>[] = [];
    /** Posts `first`…`last` at the steady pace, each at its own time, not after the previous answer. */
    const pace = async (first: number, last: number): Promise<Slice> => {
      const cpu0 = cpuOf(pid);
      const t0 = performance.now();
      for (let i = first; i <= last; i++) {
        const due = t0 + ((i - first) * 1000) / POSTS_PER_SECOND;
        const wait = due - performance.now();
        if (wait > 0) await sleep(wait);
        inFlight.push(send(i));
      }
      const seconds = (performance.now() - t0) / 1000;
      return { first, last, seconds, cpuSeconds: cpuOf(pid) - cpu0 };
    };

    options.log('flood: warm-up');
    let next = warmupPosts;
    await pace(0, next - 1);
    const quiet: Slice[] = [];
    const flooded: Slice[] = [];
    for (let r = 0; r < rounds; r++) {
      options.log(`flood: round ${r + 1} of ${rounds}, quiet`);
      quiet.push(await pace(next, (next += slicePosts) - 1));
      options.log(`flood: round ${r + 1} of ${rounds}, a flooder joins from ${flooderAddress(r)}`);
      const flooderToken = await hostToken(SITE, `flooder-${r}`);
      const child = spawn(process.execPath, [path.join(ROOT, 'bin/run-ts.js'), 'test/support/flooder.ts', server.url, SITE.id, flooderToken, TOPIC, flooderAddress(r)], {
        cwd: ROOT,
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      flooder = child;
      let report = '';
      child.stdout!.on('data', (chunk) => (report += chunk));
      await new Promise<void>((resolve) => child.stdout!.once('data', () => resolve()));
      os.setPriority(child.pid!, 10);
      flooded.push(await pace(next, (next += slicePosts) - 1));
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
      flooder = undefined;
      flooders.push(JSON.parse(report.trim().split('\n').pop() ?? '{}'));
    }

    // Every accepted post is broadcast before its 201; give the sockets a moment to drain.
    await Promise.all(inFlight);
    const deadline = Date.now() + 10_000;
    const missing = () => latency.some((l) => l.some((v, i) => statuses[i] === 201 && Number.isNaN(v)));
    while (missing() && Date.now() < deadline) await sleep(50);
    options.log(`flood: ${missing() ? 'some deliveries are missing after 10 s' : 'every accepted post delivered'}`);

    const figures = (slices: Slice[]) => {
      const samples: number[] = [];
      let lost = 0;
      let refused = 0;
      for (const slice of slices) {
        for (let i = slice.first; i <= slice.last; i++) {
          if (statuses[i] !== 201) refused++;
          for (const l of latency) {
            if (Number.isNaN(l[i]!)) lost += statuses[i] === 201 ? 1 : 0;
            else samples.push(l[i]!);
          }
        }
      }
      const p = percentiles(samples);
      const seconds = slices.reduce((t, s) => t + s.seconds, 0);
      return {
        seconds: round(seconds, 1),
        posts: slices.reduce((t, s) => t + s.last - s.first + 1, 0),
        refused,
        deliveries: samples.length,
        lost,
        latencyMs: { p50: p.p50, p99: p.p99, max: p.max },
        serverCpuPercent: Math.round((slices.reduce((t, s) => t + s.cpuSeconds, 0) / seconds) * 100),
      };
    };
    const q = figures(quiet);
    const f = figures(flooded);
    const ratio = q.latencyMs.p99 && f.latencyMs.p99 ? round(f.latencyMs.p99 / q.latencyMs.p99, 2) : null;
    const sum = (key: string, sub?: string) =>
      flooders.reduce((t, s) => t + ((sub ? s[key]?.[sub] : s[key]) ?? 0), 0);
    return {
      readers: READERS,
      postsPerSecond: POSTS_PER_SECOND,
      rounds,
      quiet: q,
      flood: f,
      // Each round's own p99s, quiet then flood: how much the figure moves from slice to slice.
      perRoundP99: quiet.map((s, r) => [figures([s]).latencyMs.p99, figures([flooded[r]!]).latencyMs.p99]),
      duplicates,
      ratioP99: ratio,
      target: 2,
      met: ratio !== null && ratio <= 2,
      flooder: {
        handshakes: sum('handshakes'), connected: sum('connected'), emitted: sum('emitted'), dropped: sum('dropped'),
        acks: { created: sum('acks', 'created'), rate_limited: sum('acks', 'rate_limited') },
        perRound: flooders,
      },
      notes: [
        `${READERS} readers in one topic; members post over REST at ${POSTS_PER_SECOND}/s, open-loop, rotating ${tokens.length} accounts; latency = from just before the POST to the reader's \`post:created\`, all in this process. A ${warmupPosts}-post warm-up is not counted; then ${rounds} rounds of ${sliceSeconds} s quiet followed by ${sliceSeconds} s with a flooder running.`,
        `Limits as in test/integration/flood.test.ts (10 posts/min per account, 20 socket events/s, 20 connections and 120 handshakes/min per IP). Each round's flooder (test/support/flooder.ts, its own account, from 127.0.0.9, .10, …, nice 10) opens connections and posts as fast as it can; it is refused, dropped and then blocked for the rest of the minute, so a flood slice covers its first burst and its refused reconnections.`,
      ],
    };
  } finally {
    flooder?.kill('SIGKILL');
    for (const reader of readers) reader.close();
    // Nothing to keep (a temporary database): no need to wait for a graceful shutdown.
    server.child.kill('SIGKILL');
    await server.exited;
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}
