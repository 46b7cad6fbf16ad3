/**
 * Socket.IO: one room per topic (`t:<site>:<topic>`), so sites never see each other's
 * traffic. The handshake names the site (and optionally carries the host token); the origin
 * is checked against that site. Every client event is validated with the shared schemas and
 * answered through its ack with either a result or `{error:{code,message}}`; a malformed
 * payload is refused, never crashes the server.
 *
 * A signed-in socket also joins its person's room (`u:<site>:<user>`), through which it is
 * told `session:ended` when they sign out everywhere, delete their account or are suspended
 * or banned; it is told too when its token expires. Every write re-checks the sign-in against
 * the store first (see socket-session.ts), so a refusal never depends on the event arriving.
 */
import type http from 'node:http';
import { Server, type Socket } from 'socket.io';
import { ParleyError } from '../../moderation/errors.js';
import { LIMITS } from '../../moderation/limits.js';
import { deskRoom, moderatorsRoom, SOCKET_EVENTS, topicRoom, userRoom, type SessionEndReason, type SessionEnded } from '../../moderation/protocol.js';
import { DeskJoinSchema, JoinTopicSchema, LeaveTopicSchema, parseWith, SetTokenSchema, SiteIdSchema } from '../../moderation/schemas.js';
import type { DeskUpdated, Post, TopicInfo } from '../../moderation/types.js';
import type { QueueChanged } from '../../moderation/spam-schemas.js';
import { can } from '../../moderation/permissions.js';
import { toParleyError } from '../http/errors.js';
import { isOriginAllowed, originRefusal } from '../http/origins.js';
import type { AppContext, Broadcaster } from '../services/context.js';
import { viewerOf, type Principal } from '../services/identity.js';
import { deskAccess } from '../services/company-desk.js';
import { createPost } from '../services/posting.js';
import { readChanges } from '../services/reading.js';
import { presentTopic } from '../services/presenter.js';
import { guardSockets, type SocketGuardOptions } from './socket-guard.js';
import { joinCluster } from './cluster.js';
import { currentPrincipal, SESSION_END_MESSAGES, signedOut, signInSocket, type SocketSignIn } from './socket-session.js';

const MAX_ROOMS_PER_SOCKET = 20;

/** setTimeout's longest delay; a host token lives 12 hours at most anyway. */
const MAX_TIMER_MS = 2 ** 31 - 1;

interface SocketData {
  signIn: SocketSignIn;
  topics: Set<string>;
  /** Company desks followed (issue 14); left whenever the sign-in changes, since access depends on it. */
  desks?: Set<string>;
  /** Says `session:ended` when the token runs out; replaced with the sign-in. */
  expiryTimer?: ReturnType<typeof setTimeout>;
}

type Ack = (response: unknown) => void;

export interface Realtime {
  io: Server;
  broadcaster: Broadcaster;
  /** Tell every client the server is going away, so they reconnect to its successor. */
  announceRestart(): void;
}

export function attachRealtime(
  ctx: AppContext,
  httpServer: http.Server,
  selfOrigins: () => string[],
  guard?: Omit<SocketGuardOptions, 'limits'>,
): Realtime {
  const addressOf = guard?.addressOf ?? ((req: http.IncomingMessage) => req.socket?.remoteAddress ?? 'unknown');
  const io = new Server(httpServer, {
    maxHttpBufferSize: LIMITS.requestBodyMaxBytes,
    serveClient: false,
    cors: {
      // Which site a polling request belongs to is only known in the handshake below, which
      // checks the origin against that site. CORS lets every origin read the transport's
      // answers so that a refused page reads its refusal (origin_not_allowed, naming its
      // origin) and stops, instead of seeing a network error and retrying forever. No site's
      // data is readable before the handshake passes, and WebSocket transports ignore CORS anyway.
      origin: true,
    },
  });
  // Several nodes on one PostgreSQL database: rooms span them all (./cluster.ts).
  joinCluster(io, ctx.store.database, ctx.log);
  // Abuse guards first: connection caps, handshake and event rates, shutdown drain.
  if (guard) guardSockets(io, { limits: ctx.limits, ...guard });

  io.use(async (socket, next) => {
    try {
      const auth = (socket.handshake.auth ?? {}) as { site?: unknown; token?: unknown };
      const siteId = parseWith(SiteIdSchema, auth.site);
      if (!siteId.ok) throw new ParleyError('bad_request', 'Connect with auth: { site: "<site id>" }.');
      const site = await ctx.store.getSite(siteId.value);
      if (!site) throw new ParleyError('not_found', `There is no site "${siteId.value}" on this server.`);
      if (!isOriginAllowed(site, socket.handshake.headers.origin, selfOrigins())) {
        throw new ParleyError('origin_not_allowed', originRefusal(socket.handshake.headers.origin, site.id));
      }
      const token = typeof auth.token === 'string' && auth.token.length > 0 ? auth.token : null;
      (socket.data as SocketData) = { signIn: await signInSocket(ctx, site, token), topics: new Set() };
      next();
    } catch (error) {
      const parleyError = toParleyError(error);
      const refusal = new Error(parleyError.message) as Error & { data: unknown };
      refusal.data = parleyError.toBody();
      next(refusal);
    }
  });

  io.on('connection', (socket) => {
    const data = socket.data as SocketData;
    const siteRecord = data.signIn.principal.site;
    const site = siteRecord.id;

    /** Adopt a sign-in: follow its person's room and its token's expiry. */
    const adopt = (signIn: SocketSignIn) => {
      const before = data.signIn.principal.user;
      for (const company of data.desks ?? []) void socket.leave(deskRoom(site, company));
      data.desks?.clear();
      // The queue's room too: whether one may follow it depends on the sign-in.
      void socket.leave(moderatorsRoom(site));
      if (before && before.id !== signIn.principal.user?.id) void socket.leave(userRoom(site, before.id));
      data.signIn = signIn;
      clearTimeout(data.expiryTimer);
      data.expiryTimer = undefined;
      const user = signIn.principal.user;
      if (!user) return;
      void socket.join(userRoom(site, user.id));
      if (signIn.expiresAt !== null) {
        const delay = Math.min(MAX_TIMER_MS, Math.max(0, signIn.expiresAt * 1000 - ctx.now().getTime()));
        data.expiryTimer = setTimeout(() => {
          if (data.signIn === signIn) end('expired');
        }, delay);
        data.expiryTimer.unref?.();
      }
    };
    /** The sign-in no longer counts: the socket reads on as a guest, and is told why. */
    const end = (reason: SessionEndReason) => {
      adopt(signedOut(siteRecord));
      socket.emit(SOCKET_EVENTS.sessionEnded, { reason, message: SESSION_END_MESSAGES[reason] } satisfies SessionEnded);
    };
    /** Who a write acts as: the sign-in, re-checked against the store. */
    const writer = async (): Promise<Principal> => {
      const principal = await currentPrincipal(ctx, data.signIn);
      if ('ended' in principal) {
        end(principal.ended);
        throw new ParleyError('token_invalid', SESSION_END_MESSAGES[principal.ended]);
      }
      return principal;
    };
    adopt(data.signIn);
    socket.on('disconnect', () => clearTimeout(data.expiryTimer));

    on(ctx, socket, SOCKET_EVENTS.join, async (payload) => {
      const input = parseWith(JoinTopicSchema, payload);
      if (!input.ok) throw new ParleyError('validation_failed', input.message, { issues: input.issues });
      const { topic, since } = input.value;
      if (!data.topics.has(topic) && data.topics.size >= MAX_ROOMS_PER_SOCKET) {
        throw new ParleyError('bad_request', `One connection can follow at most ${MAX_ROOMS_PER_SOCKET} topics.`);
      }
      data.topics.add(topic);
      await socket.join(topicRoom(site, topic));
      if (since === undefined) {
        // Joining fresh: the client reads the page over REST; it only needs the topic's rev.
        return { topic: presentTopic(site, topic, await ctx.store.getTopic(site, topic)), posts: [], truncated: false };
      }
      return readChanges(ctx, site, topic, since);
    });

    on(ctx, socket, SOCKET_EVENTS.leave, async (payload) => {
      const input = parseWith(LeaveTopicSchema, payload);
      if (!input.ok) throw new ParleyError('validation_failed', input.message, { issues: input.issues });
      data.topics.delete(input.value.topic);
      await socket.leave(topicRoom(site, input.value.topic));
      return { ok: true };
    });

    on(ctx, socket, SOCKET_EVENTS.createPost, async (payload) => {
      return createPost(ctx, await writer(), payload, addressOf(socket.conn.request), socket.id);
    });

    on(ctx, socket, SOCKET_EVENTS.deskJoin, async (payload) => {
      const input = parseWith(DeskJoinSchema, payload);
      if (!input.ok) throw new ParleyError('validation_failed', input.message, { issues: input.issues });
      // The company's verified staff, moderators and admins only: the same rule as GET /companies/{id}/desk.
      const access = await deskAccess(ctx, await writer(), input.value.company);
      const desks = (data.desks ??= new Set());
      if (!desks.has(access.company.id) && desks.size >= MAX_ROOMS_PER_SOCKET) {
        throw new ParleyError('bad_request', `One connection can follow at most ${MAX_ROOMS_PER_SOCKET} desks.`);
      }
      desks.add(access.company.id);
      await socket.join(deskRoom(site, access.company.id));
      return { ok: true, company: access.company.id };
    });

    on(ctx, socket, SOCKET_EVENTS.moderationJoin, async () => {
      // Moderators and admins only, as GET /moderation/queue (company staff never: can() refuses them).
      const principal = await writer();
      if (!can(principal.roles, 'moderate')) throw new ParleyError('forbidden', 'Only the site\'s moderators follow the moderation queue.');
      await socket.join(moderatorsRoom(site));
      return { ok: true };
    });

    on(ctx, socket, SOCKET_EVENTS.setToken, async (payload) => {
      const input = parseWith(SetTokenSchema, payload);
      if (!input.ok) throw new ParleyError('validation_failed', input.message, { issues: input.issues });
      // A refused token signs the socket out: it must not go on writing as whoever it was before.
      adopt(signedOut(siteRecord));
      adopt(await signInSocket(ctx, siteRecord, input.value.token));
      return { viewer: await viewerOf(ctx, data.signIn.principal) };
    });
  });

  const broadcaster: Broadcaster = {
    // A held post (issue 16) never reaches a topic's room: readers see nothing until a moderator
    // releases it (its author has it from the ack and the REST answer).
    postCreated(post: Post, exceptSocket?: string) {
      if (post.hold) return;
      // Every socket is in a room named by its id, so `except` leaves out the sender (on every node).
      const room = io.to(topicRoom(post.site, post.topic));
      (exceptSocket ? room.except(exceptSocket) : room).emit(SOCKET_EVENTS.postCreated, { post });
    },
    postUpdated(post: Post) {
      if (post.hold) return;
      io.to(topicRoom(post.site, post.topic)).emit(SOCKET_EVENTS.postUpdated, { post });
    },
    topicUpdated(topic: TopicInfo) {
      io.to(topicRoom(topic.site, topic.id)).emit(SOCKET_EVENTS.topicUpdated, { topic });
    },
    sessionEnded(site: string, userId: string, reason: SessionEndReason) {
      io.to(userRoom(site, userId)).emit(SOCKET_EVENTS.sessionEnded, { reason, message: SESSION_END_MESSAGES[reason] } satisfies SessionEnded);
    },
    deskUpdated(site: string, update: DeskUpdated) {
      io.to(deskRoom(site, update.company)).emit(SOCKET_EVENTS.deskUpdated, update);
    },
    queueChanged(site: string, change: QueueChanged) {
      io.to(moderatorsRoom(site)).emit(SOCKET_EVENTS.queueChanged, change);
    },
  };

  return {
    io,
    broadcaster,
    announceRestart() {
      io.emit(SOCKET_EVENTS.serverRestarting, { reason: 'The server is restarting. Reconnecting shortly.' });
    },
  };
}

/**
 * Each socket's events, handled one after another in the order they arrived: a client's posts
 * are stored in the order it sent them, and a write sent after `session:token` acts as the new
 * sign-in, however long each one waits for the database.
 */
const queues = new WeakMap<Socket, Promise<void>>();

/** Registers a handler whose result or error always reaches the client's ack, if it sent one. */
function on(ctx: AppContext, socket: Socket, event: string, handler: (payload: unknown) => Promise<unknown>): void {
  socket.on(event, (...args: unknown[]) => {
    const maybeAck = args[args.length - 1];
    const ack: Ack | null = typeof maybeAck === 'function' ? (maybeAck as Ack) : null;
    const payload = args[0];
    const run = async () => {
      try {
        const result = await handler(payload);
        ack?.(result);
      } catch (error) {
        const parleyError = toParleyError(error);
        if (parleyError.code === 'internal') ctx.log.error({ err: error, event }, 'socket handler failed');
        ack?.(parleyError.toBody());
      }
    };
    const queued = (queues.get(socket) ?? Promise.resolve())
      .then(run)
      .catch((err: unknown) => ctx.log.error({ err, event }, 'socket ack failed'));
    queues.set(socket, queued);
  });
}
