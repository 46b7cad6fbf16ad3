/**
 * Notifications (issue 13): a topic with 10,000 followers (each opted in, address proven)
 * receives a post. Its acknowledgement, and those of the posts that follow it while the runner
 * fans it out and sends everyone's message in the same process, are compared with the same posts
 * before (nothing to send): p99 bound within 1.1×. Also: the time from that post
 * until all 10,000 messages are in the outbox (no SMTP: the outbox is where they stay).
 */
import Database from 'better-sqlite3';
import path from 'node:path';
import { openSqliteStore } from '../server/store/sqlite/sqlite-store.js';
import { sleep } from './lib/proc.js';
import { percentiles, round } from './lib/stats.js';
import { benchDir, BENCH_SITE, post, posterSocket, startParley } from './lib/targets.js';

const FOLLOWED = 'followed-by-many';
const QUIET = 'followed-by-none';

/** 10,000 members who follow one topic and asked for its new posts, written straight into the database. */
async function seedFollowers(file: string, followers: number): Promise<void> {
  const store = openSqliteStore({ file });
  const at = new Date().toISOString();
  await store.upsertSite({ id: BENCH_SITE.id, name: BENCH_SITE.name, origins: [], secret: BENCH_SITE.secret ?? null, publicKeys: [], rulesUrl: null, demo: false, createdAt: at });
  const db = store.database;
  await db.transaction(async () => {
    for (let i = 0; i < followers; i++) {
      const id = `follower-${i}`;
      // `email:` subjects are addresses Parley proved (email sign-in): no confirmation needed.
      await db.run(`INSERT INTO users (id, site, sub, display_name, email, kind, created_at) VALUES (?, ?, ?, ?, ?, 'member', ?)`,
        [id, BENCH_SITE.id, `email:bench-${i}`, `Follower ${i}`, `follower-${i}@bench.invalid`, at]);
      await db.run(`INSERT INTO notification_preferences (site, user_id, followed, updated_at) VALUES (?, ?, 1, ?)`, [BENCH_SITE.id, id, at]);
      await db.run(`INSERT INTO topic_follows (site, topic, user_id, created_at) VALUES (?, ?, ?, ?)`, [BENCH_SITE.id, FOLLOWED, id, at]);
    }
  });
  await store.close();
}

async function acks(socket: Awaited<ReturnType<typeof posterSocket>>, topic: string, count: number, gapMs: number): Promise<number[]> {
  const samples: number[] = [];
  for (let i = 0; i < count; i++) {
    const t0 = performance.now();
    const result = await post(socket, topic, `Post ${i} into ${topic}.`);
    if (!result.ok) throw new Error(`post refused: ${result.error}`);
    samples.push(performance.now() - t0);
    await sleep(gapMs);
  }
  return samples;
}

export async function notify(options: { quick: boolean; log: (line: string) => void }) {
  const followers = 10_000;
  const posts = options.quick ? 100 : 300;
  const gapMs = 20;
  const dataDir = benchDir('notify');
  const file = path.join(dataDir, 'parley.db');
  options.log(`notify: seeding ${followers} followers`);
  await seedFollowers(file, followers);
  const target = await startParley({ dataDir });
  const outbox = new Database(file, { readonly: true });
  const outboxCount = () => (outbox.prepare('SELECT count(*) AS n FROM outbox').get() as { n: number }).n;
  try {
    const socket = await posterSocket(target, 'notify-poster');
    await acks(socket, QUIET, 20, gapMs); // warm-up
    options.log(`notify: ${posts} posts into a topic nobody follows`);
    const without = percentiles(await acks(socket, QUIET, posts, gapMs));
    options.log(`notify: a post into a topic ${followers} people follow, then ${posts - 1} more while its messages go out`);
    const before = outboxCount();
    const t0 = performance.now();
    // The followed topic's post (its own ack counts), then the same posts as before while the
    // runner fans it out to 10,000 people and sends their messages in the same process.
    const withFollowers = percentiles([...await acks(socket, FOLLOWED, 1, gapMs), ...await acks(socket, QUIET, posts - 1, gapMs)]);
    // The first post's messages: everyone's one message of the window (the later posts wait for the next window).
    let inOutbox = outboxCount() - before;
    const deadline = Date.now() + 10 * 60_000;
    while (inOutbox < followers && Date.now() < deadline) {
      await sleep(100);
      inOutbox = outboxCount() - before;
    }
    const allInOutboxSeconds = inOutbox >= followers ? round((performance.now() - t0) / 1000, 2) : null;
    socket.close();
    const ratio = without.p99 && withFollowers.p99 ? round(withFollowers.p99 / without.p99, 2) : null;
    return {
      followers,
      posts,
      gapMs,
      ackWithoutFollowersMs: without,
      ackWithFollowersMs: withFollowers,
      p99Ratio: ratio,
      p99RatioBound: 1.1,
      messagesInOutbox: inOutbox,
      allInOutboxSeconds,
    };
  } finally {
    outbox.close();
    await target.stop();
  }
}
