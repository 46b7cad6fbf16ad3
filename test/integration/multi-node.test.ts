/**
 * Several nodes (issue 11), with the real pieces: two `parley serve` processes on one throwaway
 * PostgreSQL (test/support/postgres.ts), behind a real HAProxy from Debian on loopback
 * (test/support/haproxy.ts, the config docs/operations.md shows). Every client connects through
 * the balancer, each from its own loopback address, which the balancer hashes to a node.
 *
 * - A post made on node A reaches readers on node B, in the order its writer sent it, once.
 * - SIGKILL one node under write load, several times (restarting it each time): every
 *   acknowledged post is stored exactly once (writers resend what was never acknowledged, with
 *   its idempotency key, after reconnecting through the balancer to the surviving node); readers
 *   reconnect and catch up from the last revision they hold without a gap, and never see a post
 *   twice; `parley verify` accepts the site's log afterwards.
 * - Rate limits count across nodes (RateLimiterPostgres): two servers on one database, one budget.
 * No timing assertions: every wait is for a condition.
 */
import fs from 'node:fs';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { io, type Socket } from 'socket.io-client';
import pino from 'pino';
import { SOCKET_EVENTS } from '../../moderation/protocol.js';
import type { Post } from '../../moderation/types.js';
import type { SiteConfig } from '../../server/config.js';
import { MerkleAuditLog } from '../../server/audit/merkle-audit-log.js';
import { runVerify } from '../../server/ops/verify-cli.js';
import { PostgresDatabase, parleyTypes } from '../../server/store/sql/postgres-database.js';
import { hostToken, startChildServer, tempDir, type ChildServer } from '../support/child-server.js';
import { startHaproxy, type Haproxy } from '../support/haproxy.js';
import { testPostgres, type TestPostgres } from '../support/postgres.js';
import { http } from '../support/clients.js';
import { key, startTestServer } from '../support/server.js';
import { prng } from '../support/prng.js';

const SEED = Number(process.env.PARLEY_TEST_SEED ?? 20261205);
const SITE: SiteConfig = { id: 'multi', name: 'Several nodes', origins: [], secret: 'multi-node-secret-0123456789abcdef01234567' };

const until = async (condition: () => boolean | Promise<boolean>, what: string | (() => string), limitMs = 120_000): Promise<void> => {
  // The limit only turns a hang into a readable failure; nothing is asserted about how long it took.
  const deadline = Date.now() + limitMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`gave up waiting: ${typeof what === 'string' ? what : what()}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
};

/** A free TCP port, fixed for a node across its restarts (the balancer's config names it). */
async function freePort(): Promise<number> {
  const net = await import('node:net');
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.on('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

class Node {
  server: ChildServer | null = null;
  constructor(
    readonly name: string,
    readonly port: number,
    private readonly dataDir: string,
    private readonly databaseUrl: string,
  ) {}

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    this.server = await startChildServer({
      dataDir: this.dataDir,
      sites: [SITE],
      databaseUrl: this.databaseUrl,
      env: { PORT: String(this.port) },
    }, 30_000);
  }

  async kill(): Promise<void> {
    const server = this.server!;
    this.server = null;
    server.child.kill('SIGKILL');
    await server.exited;
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = null;
    if (!server) return;
    server.child.kill('SIGTERM');
    await server.exited;
  }

  /** Open Socket.IO connections on this node, from its metrics (asked directly, not through the balancer). */
  async sockets(): Promise<number> {
    const text = await (await fetch(`${this.url}/metrics`)).text();
    return Number(/^parley_socket_connections (\d+)/m.exec(text)?.[1] ?? NaN);
  }
}

function connect(url: string, address: string, auth: Record<string, unknown>): Socket {
  return io(url, {
    auth,
    transports: ['websocket'],
    forceNew: true,
    reconnectionDelay: 50,
    reconnectionDelayMax: 300,
    // Passed on to the WebSocket: each client comes from its own loopback address.
    localAddress: address,
  } as Parameters<typeof io>[1]);
}

/** Resolves with the ack, or null when the connection drops first (the post may or may not be stored). */
function emitOrDrop(socket: Socket, event: string, payload: unknown): Promise<any> {
  return new Promise((resolve) => {
    const dropped = () => resolve(null);
    socket.once('disconnect', dropped);
    socket.emit(event, payload, (ack: unknown) => {
      socket.off('disconnect', dropped);
      resolve(ack);
    });
  });
}

/** A member posting one message after another; an unacknowledged one is resent, same key, until acknowledged. */
class Writer {
  readonly socket: Socket;
  private counter = 0;
  private pending: { key: string; body: string } | null = null;
  /** idempotency key → id of the stored post. */
  readonly acked = new Map<string, string>();
  duplicateIds = 0;
  refusals: string[] = [];

  constructor(readonly name: string, url: string, address: string, token: string, readonly topic: string) {
    this.socket = connect(url, address, { site: SITE.id, token });
  }

  /** Sends the pending post (or a new one) once; true when acknowledged. */
  async step(): Promise<boolean> {
    if (!this.socket.connected) {
      await new Promise<void>((resolve) => this.socket.once('connect', () => resolve()));
    }
    this.pending ??= { key: `${this.name}-${++this.counter}-key`, body: `${this.name} message ${this.counter}` };
    const draft = this.pending;
    const ack = await emitOrDrop(this.socket, SOCKET_EVENTS.createPost, { topic: this.topic, body: draft.body, idempotencyKey: draft.key });
    if (!ack) return false;
    if (ack.error) {
      // Only a node going away under the handler (its database connection, its drain) is worth a resend.
      if (!['unavailable', 'internal'].includes(ack.error.code)) throw new Error(`${this.name}: ${ack.error.code} ${ack.error.message}`);
      this.refusals.push(ack.error.code);
      await new Promise((resolve) => setTimeout(resolve, 20));
      return false;
    }
    const earlier = this.acked.get(draft.key);
    if (earlier !== undefined && earlier !== ack.post.id) this.duplicateIds++;
    this.acked.set(draft.key, ack.post.id);
    this.pending = null;
    return true;
  }

  async writeUntil(stop: () => boolean): Promise<void> {
    while (!stop()) await this.step();
  }

  /** Makes sure the last draft is acknowledged (no post left in doubt). */
  async settle(): Promise<void> {
    while (this.pending) await this.step();
  }
}

/** A reader of one topic: live posts, and catch-up from its contiguous revision on every (re)connect. */
class Reader {
  readonly socket: Socket;
  /** Every post held, by id (live and caught up, merged by id as the widget merges). */
  readonly posts = new Map<string, Post>();
  /** Live deliveries, in arrival order: a post must never arrive twice. */
  readonly live: Post[] = [];
  /** Revisions held; the catch-up asks from the highest one below which nothing is missing. */
  private readonly revs = new Set<number>();
  private contiguous = 0;
  joins = 0;
  /** A catch-up said it held back posts (more than LIMITS.catchUpMax): the test is too big. */
  truncated = false;

  constructor(url: string, address: string, readonly topic: string) {
    this.socket = connect(url, address, { site: SITE.id });
    this.socket.on(SOCKET_EVENTS.postCreated, ({ post }: { post: Post }) => {
      if (post.topic !== this.topic) return;
      this.live.push(post);
      this.hold(post);
    });
    this.socket.on('connect', () => void this.catchUp());
  }

  private hold(post: Post): void {
    this.posts.set(post.id, post);
    this.revs.add(post.rev);
    while (this.revs.has(this.contiguous + 1)) this.contiguous++;
  }

  /** Joins the topic (again) and merges what changed since the last revision held without a gap. */
  async catchUp(): Promise<void> {
    const ack = await emitOrDrop(this.socket, SOCKET_EVENTS.join, { topic: this.topic, since: this.contiguous });
    if (!ack || ack.error) return;
    if (ack.truncated) this.truncated = true;
    for (const post of ack.posts as Post[]) this.hold(post);
    this.joins++;
  }

  get rev(): number {
    return this.contiguous;
  }
}

/** What PostgreSQL holds for a topic. */
async function stored(url: string, topic: string) {
  const pool = new pg.Pool({ connectionString: url, max: 1, types: parleyTypes() });
  try {
    const posts = (await pool.query(
      `SELECT p.id, p.idempotency_key AS key, p.seq, p.rev, u.sub FROM posts p JOIN users u ON u.id = p.author_id
       WHERE p.site = $1 AND p.topic = $2 ORDER BY p.seq`,
      [SITE.id, topic],
    )).rows as Array<{ id: string; key: string; seq: number; rev: number; sub: string }>;
    const topicRow = (await pool.query('SELECT rev, last_seq, post_count FROM topics WHERE site = $1 AND id = $2', [SITE.id, topic])).rows[0];
    return { posts, topic: topicRow as { rev: number; last_seq: number; post_count: number } };
  } finally {
    await pool.end();
  }
}

let cluster: TestPostgres;
let databaseUrl: string;
let balancer: Haproxy;
const nodes: Node[] = [];
const dirs: string[] = [];
const sockets: Socket[] = [];

beforeAll(async () => {
  cluster = await testPostgres();
  databaseUrl = await cluster.createDatabase();
  for (const name of ['a', 'b']) {
    const dir = tempDir(`parley-node-${name}-`);
    dirs.push(dir);
    nodes.push(new Node(name, await freePort(), dir, databaseUrl));
  }
  // Both at once, as a deployment starts them: migrations, site set-up and log creation race.
  await Promise.all(nodes.map((node) => node.start()));
  balancer = await startHaproxy(nodes.map((node) => ({ name: node.name, address: `127.0.0.1:${node.port}` })));
}, 120_000);

afterAll(async () => {
  for (const socket of sockets) socket.close();
  await balancer?.close();
  await Promise.all(nodes.map((node) => node.stop()));
  if (databaseUrl) await cluster.dropDatabase(databaseUrl);
  await cluster?.stop();
  for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
});

/**
 * Connects clients one at a time through the balancer and tells, from the nodes' own socket
 * counts, which node each one landed on.
 */
async function placed<T extends { socket: Socket }>(make: (address: string) => T, addresses: string[]): Promise<Array<{ client: T; node: Node }>> {
  const out: Array<{ client: T; node: Node }> = [];
  for (const address of addresses) {
    // Sockets closed by an earlier test leave a node's count a moment later; counted meanwhile,
    // that leaving would hide this client's arrival. Start from counts of the open sockets only.
    const open = () => sockets.filter((socket) => socket.connected).length;
    await until(async () => (await Promise.all(nodes.map((node) => node.sockets()))).reduce((a, b) => a + b, 0) === open(),
      'the nodes count only the open sockets');
    const before = await Promise.all(nodes.map((node) => node.sockets()));
    const client = make(address);
    sockets.push(client.socket);
    await until(() => client.socket.connected, `client ${address} connects`);
    let after = before;
    await until(async () => {
      after = await Promise.all(nodes.map((node) => node.sockets()));
      return after.some((count, i) => count === before[i]! + 1);
    }, `client ${address} counted by a node`);
    out.push({ client, node: nodes[after.findIndex((count, i) => count === before[i]! + 1)]! });
  }
  return out;
}

const addresses = (from: number, count: number) => Array.from({ length: count }, (_, i) => `127.0.0.${from + i}`);

describe('several nodes behind HAProxy', () => {
  it('delivers a post made on node A to readers on node B, in order and once', async () => {
    const topic = 'live';
    const readers = await placed((address) => new Reader(balancer.url, address, topic), addresses(10, 6));
    const tokens = await Promise.all(['w1', 'w2', 'w3', 'w4'].map((sub) => hostToken(SITE, sub)));
    const writers = await placed((address) => {
      const i = Number(address.split('.').at(-1)) - 30;
      return new Writer(`w${i + 1}`, balancer.url, address, tokens[i]!, topic);
    }, addresses(30, 4));
    // The balancer spread them: some writer and some reader on each node (else pick other addresses).
    for (const node of nodes) {
      expect(readers.some((r) => r.node === node), `a reader on node ${node.name}`).toBe(true);
      expect(writers.some((w) => w.node === node), `a writer on node ${node.name}`).toBe(true);
    }
    await until(() => readers.every(({ client }) => client.joins > 0), 'readers joined');

    const PER_WRITER = 25;
    await Promise.all(writers.map(async ({ client }) => {
      for (let i = 0; i < PER_WRITER; i++) await client.step();
    }));
    const total = writers.length * PER_WRITER;
    await until(() => readers.every(({ client }) => client.live.length >= total),
      () => `every reader got every post live: ${readers.map(({ client, node }) => `${node.name}:${client.live.length}`).join(' ')}; acked ${writers.map(({ client, node }) => `${node.name}:${client.acked.size}`).join(' ')} refused ${writers.flatMap(({ client }) => client.refusals).join(' ')}`);

    const db = await stored(databaseUrl, topic);
    expect(db.posts.length).toBe(total);
    for (const { client: reader, node } of readers) {
      // Once each: as many live deliveries as posts, no id twice.
      expect(reader.live.length, `reader on ${node.name}`).toBe(total);
      expect(new Set(reader.live.map((p) => p.id)).size).toBe(total);
      // In order: each writer's posts arrive in the order it sent them, from whichever node.
      for (const { client: writer, node: writerNode } of writers) {
        const numbers = reader.live.filter((p) => p.body.startsWith(`${writer.name} `)).map((p) => Number(p.body.split(' ').at(-1)));
        expect(numbers, `${writer.name} on ${writerNode.name} → reader on ${node.name}`).toEqual(Array.from({ length: PER_WRITER }, (_, i) => i + 1));
      }
      expect([...reader.posts.keys()].sort()).toEqual(db.posts.map((p) => p.id).sort());
    }
    for (const { client } of [...readers, ...writers]) client.socket.close();
  }, 180_000);

  it('loses nothing and stores nothing twice when a node is killed under write load, again and again', async () => {
    const topic = 'kills';
    const random = prng(SEED);
    const readers = await placed((address) => new Reader(balancer.url, address, topic), addresses(50, 4));
    const tokens = await Promise.all(['k1', 'k2', 'k3', 'k4'].map((sub) => hostToken(SITE, sub)));
    const writers = (await placed((address) => {
      const i = Number(address.split('.').at(-1)) - 70;
      return new Writer(`k${i + 1}`, balancer.url, address, tokens[i]!, topic);
    }, addresses(70, 4))).map((w) => w.client);
    await until(() => readers.every(({ client }) => client.joins > 0), 'readers joined');
    const acked = () => writers.reduce((sum, w) => sum + w.acked.size, 0);

    let stop = false;
    const writing = writers.map((w) => w.writeUntil(() => stop));
    const KILLS = 4;
    for (let round = 0; round < KILLS; round++) {
      const victim = nodes[round % nodes.length]!;
      // Counted in acknowledgements, not time: kills land while writes stream on a loaded machine too.
      const before = acked();
      const target = before + 10 + Math.floor(random() * 30);
      await until(() => acked() >= target, () => `writes stream before kill ${round + 1}: ${acked()} of ${target}, refused ${writers.flatMap((w) => w.refusals).join(' ')}`);
      await victim.kill();
      // The writers go on through the survivor.
      const afterKill = acked();
      await until(() => acked() >= afterKill + 20, `writes go on after kill ${round + 1} through the other node`);
      await victim.start();
      await until(async () => (await fetch(`${victim.url}/readyz`).then((r) => r.ok, () => false)), `node ${victim.name} back`);
    }
    stop = true;
    await Promise.all(writing);
    await Promise.all(writers.map((w) => w.settle()));

    // Every acknowledged post exactly once; posts, seq and rev without gaps.
    const db = await stored(databaseUrl, topic);
    const byKey = new Map<string, string[]>();
    for (const post of db.posts) byKey.set(`${post.sub}/${post.key}`, [...(byKey.get(`${post.sub}/${post.key}`) ?? []), post.id]);
    let total = 0;
    for (const writer of writers) {
      expect(writer.duplicateIds, `${writer.name} got two ids for one key`).toBe(0);
      for (const [key, id] of writer.acked) {
        total++;
        expect(byKey.get(`${writer.name}/${key}`), `${writer.name} ${key}`).toEqual([id]);
      }
    }
    // Nothing stored that its writer was not finally told about (every draft was settled).
    expect(db.posts.length).toBe(total);
    expect(db.posts.map((p) => p.seq)).toEqual(Array.from({ length: total }, (_, i) => i + 1));
    expect(db.topic).toMatchObject({ last_seq: total, post_count: total, rev: total });

    // Readers: each catches up once more from its contiguous revision (a post whose node died
    // between commit and broadcast reached nobody live), then holds every post, none twice live.
    for (const { client: reader } of readers) {
      await until(() => reader.socket.connected, 'reader reconnected');
      await reader.catchUp();
      expect(reader.truncated).toBe(false);
      expect(reader.rev).toBe(total);
      expect([...reader.posts.keys()].sort()).toEqual(db.posts.map((p) => p.id).sort());
      expect(new Set(reader.live.map((p) => p.id)).size).toBe(reader.live.length);
    }
    // Some readers were on a killed node, and came back through the balancer.
    expect(readers.some(({ client }) => client.joins > 2)).toBe(true);

    // The site's public log verifies: through the balancer (from the node that answers) and
    // straight from the database, where `parley verify` also checks the committed values.
    const db2 = new PostgresDatabase(new pg.Pool({ connectionString: databaseUrl, max: 2, types: parleyTypes() }));
    try {
      const log = new MerkleAuditLog({ db: db2, timers: false, originHost: () => new URL(balancer.url).host, log: pino({ level: 'silent' }) });
      const key = await log.verifierKey(SITE.id);
      await log.close();
      const verified = await runVerify({ target: balancer.url, site: SITE.id, key });
      expect(verified.result.ok, verified.result.message).toBe(true);
      const fromDatabase = await runVerify({ target: databaseUrl, site: SITE.id, key });
      expect(fromDatabase.result.ok, fromDatabase.result.message).toBe(true);
    } finally {
      await db2.close();
    }
    for (const socket of [...readers.map((r) => r.client.socket), ...writers.map((w) => w.socket)]) socket.close();
  }, 300_000);

  it('counts one rate limit across the nodes: a member cannot double their budget by switching nodes', async () => {
    // Two in-process servers on one fresh database, 3 posts per account per minute.
    const shared = await cluster.createDatabase();
    const limits = { postsPerAccountPerMinute: 3 };
    const one = await startTestServer({ databaseUrl: shared, keepDatabase: true, rateLimits: limits });
    const two = await startTestServer({ databaseUrl: shared, keepDatabase: true, rateLimits: limits });
    try {
      const token = await one.sign('alpha', { sub: 'budget-bea', name: 'Bea Budget' });
      const postOn = (server: typeof one) =>
        http(`${server.url}/api/sites/alpha/posts`, { token, body: { topic: 'budget', body: 'One more thought.', idempotencyKey: key() } });
      expect((await postOn(one)).status).toBe(201);
      expect((await postOn(two)).status).toBe(201);
      expect((await postOn(one)).status).toBe(201);
      const fourth = await postOn(two);
      expect(fourth.status).toBe(429);
      expect(fourth.body.error.code).toBe('rate_limited');
    } finally {
      await one.close();
      await two.close();
      await cluster.dropDatabase(shared);
    }
  }, 60_000);
});
