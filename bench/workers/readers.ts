/**
 * Many socket.io-client readers in one process: connect them, join a topic, then count
 * `post:created` deliveries and their latency (posts carry their send time as `t=<epoch ms>`
 * in the body; processes on one machine share the clock to within ~0.1 ms).
 */
import { io, type Socket } from 'socket.io-client';
import { epochMs, histogram, record, type Histogram } from '../lib/stats.js';
import { serveCommands } from './protocol.js';

const sockets: Socket[] = [];
let deliveries = 0;
let everDelivered = 0;
let latency: Histogram = histogram();
let counting = false;
let startedAt = 0;

function onPost(message: { post?: { body?: string } }) {
  everDelivered++;
  if (!counting) return;
  deliveries++;
  const body = message?.post?.body;
  if (!body) return;
  const at = body.indexOf('t=');
  if (at >= 0) record(latency, epochMs() - Number.parseFloat(body.slice(at + 2)));
}

async function connectOne(url: string, site: string, topic: string, joinEvent: string): Promise<Socket> {
  const socket = io(url, { auth: { site }, transports: ['websocket'], forceNew: true, reconnection: false, timeout: 60_000 });
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('connect_error', (error) => reject(error));
  });
  socket.on('post:created', onPost);
  const ack = await socket.timeout(60_000).emitWithAck(joinEvent, { topic });
  if (ack?.error) throw new Error(`join refused: ${JSON.stringify(ack.error)}`);
  return socket;
}

serveCommands({
  async connect({ url, site, topic, count, parallel = 50, joinEvent = 'topic:join' }) {
    const started = performance.now();
    let opened = 0;
    const errors: string[] = [];
    await Promise.all(
      Array.from({ length: parallel }, async () => {
        while (opened < count) {
          opened++;
          try {
            sockets.push(await connectOne(url, site, topic, joinEvent));
          } catch (error) {
            errors.push((error as Error).message);
            if (errors.length > 20) throw new Error(`too many connection failures: ${errors.slice(0, 3).join('; ')}`);
          }
        }
      }),
    );
    return { connected: sockets.filter((s) => s.connected).length, ms: Math.round(performance.now() - started), errors: errors.length };
  },
  start() {
    deliveries = 0;
    latency = histogram();
    counting = true;
    startedAt = performance.now();
    return { ok: true };
  },
  stop() {
    counting = false;
    return { deliveries, latency, elapsedMs: performance.now() - startedAt, connected: sockets.filter((s) => s.connected).length };
  },
  /** Deliveries since the readers connected, counting or not (to see when a backlog has drained). */
  count() {
    return { delivered: everDelivered };
  },
  close() {
    for (const socket of sockets.splice(0)) socket.close();
    return { ok: true };
  },
  memory() {
    return process.memoryUsage();
  },
});
