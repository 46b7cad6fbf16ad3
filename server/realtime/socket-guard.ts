/**
 * Abuse guards in front of the socket handlers, all cheap and all answering in the
 * protocol's error shape:
 * - a cap on open connections per IP address: handshakes over it get a `connect_error`
 *   whose data is `{error:{code:'rate_limited', retryAfterSeconds}}`. Connections are
 *   counted at the transport (engine.io) level, so the count is exact even for handshakes
 *   still being authenticated, and drops when a transport closes, whatever the reason;
 * - a rate limit on handshakes per IP (`connect` in services/rate-limits.ts);
 * - a budget of events per socket (a token bucket): events over it are answered
 *   `rate_limited` in their ack and dropped; a socket that keeps flooding is disconnected;
 * - strikes per IP: every refused handshake is one, a socket disconnected for flooding is
 *   enough to be blocked. A blocked IP (STRIKES_TO_BLOCK within STRIKE_WINDOW_MS) is refused
 *   before the WebSocket upgrade, with a bare HTTP 403 from engine.io: the informative
 *   refusals above cost a full handshake each, and a client that ignores them must not be
 *   able to make the server spend that on every retry. Clients sharing an address with an
 *   abuser share its block, until the window ends. The refusal comes after TARPIT_MS, so a
 *   client retrying in a loop retries slowly (at most TARPIT_HELD such requests wait per IP;
 *   beyond that they are refused at once);
 * - events the server does not know are answered `bad_request`, so every ack is called;
 * - while the server drains for shutdown, events are answered `unavailable`, and events
 *   under way are counted so shutdown can wait for their acks.
 * Strikes (and so blocks) are shared by every node on PostgreSQL (`limits.counter`); the open
 * connections, the held tarpit requests and the event budgets belong to the node that holds the
 * connection (docs/scaling.md, "What each node keeps").
 * Every count is by client address (`addressOf`): behind a trusted reverse proxy, the address
 * the proxy reports (http/client-address.ts), so readers behind one proxy do not share one cap.
 * Register it before any other middleware: refusals must not cost a token verification.
 */
import type http from 'node:http';
import type { Server, Socket } from 'socket.io';
import { ParleyError } from '../../moderation/errors.js';
import type { RateLimits } from '../services/rate-limits.js';
import { unavailable, type Lifecycle } from '../ops/lifecycle.js';
import { toParleyError } from '../http/errors.js';
import type { AddressOf } from '../http/client-address.js';

export interface SocketGuardOptions {
  limits: RateLimits;
  /** Open connections allowed per IP address. */
  connectionsPerIp: number;
  /** Sustained events per second per socket; bursts up to twice this pass. */
  eventsPerSecond: number;
  lifecycle?: Lifecycle;
  onRefusal?: (kind: string, scope: string) => void;
  onFlooding?: (socket: Socket) => void;
  /** The client address of a handshake (behind a trusted proxy, the one it forwards); by default the socket's peer. */
  addressOf?: AddressOf;
}

/** Refused events within one window after which the socket is disconnected. */
const FLOOD_WINDOW_MS = 10_000;
const FLOOD_REFUSALS_PER_WINDOW = 20;
/** Refused handshakes (or one flooding socket) within a window that block an IP for the rest of it. */
const STRIKES_TO_BLOCK = 10;
const STRIKE_WINDOW_MS = 60_000;
const TARPIT_MS = 1_000;
const TARPIT_HELD = 20;

function refusal(error: ParleyError): Error & { data: unknown } {
  const refused = new Error(error.message) as Error & { data: unknown };
  refused.data = error.toBody();
  return refused;
}

export function guardSockets(io: Server, options: SocketGuardOptions): { openConnections(ip: string): number; blocked(ip: string): Promise<boolean> } {
  const addressOf = options.addressOf ?? ((req: http.IncomingMessage) => req.socket?.remoteAddress ?? 'unknown');
  const socketAddress = (socket: Socket) => addressOf(socket.conn.request);
  const open = new Map<string, number>();
  // Strikes count where the rate limits count: in the database when several nodes share it, so
  // an address blocked on one node is blocked on all (a balancer spreads its retries over them).
  const strikes = options.limits.counter('socket-strikes', STRIKES_TO_BLOCK, STRIKE_WINDOW_MS / 1000);
  const strike = (ip: string, count = 1) => {
    strikes.penalty(ip, count).catch(() => {
      // The database is unavailable: the handshake was refused anyway; only the block is missed.
    });
  };
  const blocked = async (ip: string): Promise<boolean> => {
    try {
      const entry = await strikes.get(ip);
      return !!entry && entry.consumedPoints >= STRIKES_TO_BLOCK;
    } catch {
      return false;
    }
  };

  const held = new Map<string, number>();
  const previous = io.engine.opts.allowRequest;
  io.engine.opts.allowRequest = (req, callback) => {
    const ip = addressOf(req);
    void blocked(ip).then((isBlocked) => {
      if (!isBlocked) return previous ? previous(req, callback) : callback(null, true);
      options.onRefusal?.('blocked', 'ip');
      const refuse = () => callback('Too many refused connections from your network; try again later.', false);
      const waiting = held.get(ip) ?? 0;
      if (waiting >= TARPIT_HELD) return refuse();
      held.set(ip, waiting + 1);
      const timer = setTimeout(() => {
        const left = (held.get(ip) ?? 1) - 1;
        if (left <= 0) held.delete(ip);
        else held.set(ip, left);
        refuse();
      }, TARPIT_MS);
      timer.unref();
    });
  };

  io.engine.on('connection', (transport: { request: http.IncomingMessage; once(event: 'close', fn: () => void): void }) => {
    const ip = addressOf(transport.request);
    open.set(ip, (open.get(ip) ?? 0) + 1);
    transport.once('close', () => {
      const left = (open.get(ip) ?? 1) - 1;
      if (left <= 0) open.delete(ip);
      else open.set(ip, left);
    });
  });

  io.use(async (socket, next) => {
    try {
      if (options.lifecycle?.draining) throw unavailable();
      const ip = socketAddress(socket);
      if ((open.get(ip) ?? 0) > options.connectionsPerIp) {
        options.onRefusal?.('connections', 'ip');
        throw new ParleyError('rate_limited', `Too many open connections from your network (at most ${options.connectionsPerIp}).`, {
          retryAfterSeconds: 10,
        });
      }
      await options.limits.consume('connect', '*', null, ip);
      next();
    } catch (error) {
      const parleyError = toParleyError(error);
      if (parleyError.code === 'rate_limited') strike(socketAddress(socket));
      next(refusal(parleyError));
    }
  });

  io.on('connection', (socket) => {
    const rate = options.eventsPerSecond;
    const capacity = rate * 2;
    let tokens = capacity;
    let refilledAt = Date.now();
    let windowStart = refilledAt;
    let refusedInWindow = 0;

    socket.use((packet, next) => {
      const last = packet[packet.length - 1];
      const ack = typeof last === 'function' ? (last as (response: unknown) => void) : null;
      const refuse = (error: ParleyError) => ack?.(error.toBody());

      if (options.lifecycle?.draining) return refuse(unavailable());

      const now = Date.now();
      tokens = Math.min(capacity, tokens + ((now - refilledAt) / 1000) * rate);
      refilledAt = now;
      if (tokens < 1) {
        options.onRefusal?.('socket_events', 'socket');
        if (now - windowStart > FLOOD_WINDOW_MS) {
          windowStart = now;
          refusedInWindow = 0;
        }
        if (++refusedInWindow > FLOOD_REFUSALS_PER_WINDOW) {
          options.onFlooding?.(socket);
          strike(socketAddress(socket), STRIKES_TO_BLOCK);
          socket.disconnect(true);
          return;
        }
        return refuse(new ParleyError('rate_limited', 'Too many messages on this connection. Slow down.', { retryAfterSeconds: 1 }));
      }
      tokens -= 1;

      if (typeof packet[0] !== 'string' || socket.listenerCount(packet[0]) === 0) {
        return refuse(new ParleyError('bad_request', 'Unknown event. See docs/api.md for the events this server answers.'));
      }
      if (ack && options.lifecycle) {
        // Count the event as under way until its handler answers (every handler acks, even
        // when the socket has gone away meanwhile; shutdown waits with a timeout anyway).
        const end = options.lifecycle.begin();
        packet[packet.length - 1] = (response: unknown) => {
          end();
          ack(response);
        };
      }
      next();
    });
  });

  return { openConnections: (ip) => open.get(ip) ?? 0, blocked };
}
