/**
 * An abusive client for the flood test, run as its own process:
 *   node bin/run-ts.js test/support/flooder.ts <url> <site> <token> <topic> [localAddress]
 * It opens connections as fast as it can (five handshakes in flight, never closing the
 * connections it gets), posts as fast as it can on each, and reconnects at once whenever it
 * is refused or dropped. FLOOD_MODE=connect only connects. On SIGTERM it
 * prints what happened as one JSON line.
 */
import { io, type Socket } from 'socket.io-client';

const [url, site, token, topic, localAddress] = process.argv.slice(2);
if (!url || !site || !token || !topic) {
  console.error('usage: flooder <url> <site> <token> <topic> [localAddress]');
  process.exit(2);
}

const stats = {
  handshakes: 0,
  connected: 0,
  refused: {} as Record<string, number>,
  dropped: 0,
  emitted: 0,
  acks: {} as Record<string, number>,
};
const count = (table: Record<string, number>, key: string) => (table[key] = (table[key] ?? 0) + 1);
const sockets = new Set<Socket>();
let stopping = false;
let n = 0;

function open(): void {
  if (stopping) return;
  stats.handshakes++;
  const socket = io(url!, {
    auth: { site, token },
    transports: ['websocket'],
    forceNew: true,
    reconnection: false,
    ...(localAddress ? { localAddress } : {}),
  } as Parameters<typeof io>[1]);
  sockets.add(socket);
  socket.once('connect', () => {
    stats.connected++;
    setImmediate(open); // one more connection, keeping this one
    if (process.env.FLOOD_MODE !== 'connect') flood(socket);
  });
  socket.once('connect_error', (error: Error & { data?: { error?: { code?: string } } }) => {
    count(stats.refused, error.data?.error?.code ?? 'transport');
    sockets.delete(socket);
    socket.close();
    setImmediate(open);
  });
  socket.once('disconnect', () => {
    stats.dropped++;
    sockets.delete(socket);
    setImmediate(open);
  });
}

function flood(socket: Socket): void {
  if (stopping || !socket.connected) return;
  // A burst of posts with acks, then the next burst as soon as the socket's buffer drains.
  for (let i = 0; i < 50; i++) {
    n++;
    stats.emitted++;
    socket.emit('post:create', { topic, body: `flood ${n}`, idempotencyKey: `flood-${process.pid}-${n}` }, (ack: { error?: { code: string } }) => {
      count(stats.acks, ack?.error?.code ?? 'created');
    });
  }
  setImmediate(() => flood(socket));
}

process.on('SIGTERM', () => {
  stopping = true;
  for (const socket of sockets) socket.close();
  process.stdout.write(`${JSON.stringify(stats)}\n`, () => process.exit(0));
});

// Several handshakes in flight at once, each chain reopening as soon as it is refused.
for (let i = 0; i < 5; i++) open();
process.stdout.write('flooding\n');
