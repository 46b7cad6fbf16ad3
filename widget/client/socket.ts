/**
 * The realtime channel: a thin, typed wrapper around socket.io-client. Requests resolve
 * to the ack or a `Failure` (never throw), with a timeout; a request made while the
 * socket is down fails at once with `network` rather than being buffered, so the caller
 * decides whether to resend (the outbox does, with the same idempotency key).
 */
import { io, type Socket } from 'socket.io-client';
import { SOCKET_EVENTS, type SessionEnded } from '../../moderation/protocol.js';
import type { CreatePostInput, JoinTopicInput } from '../../moderation/schemas.js';
import type { Post, TopicInfo, Viewer } from '../../moderation/types.js';
import { failure, type Failure, type Outcome } from './outcome.js';

export interface JoinResult {
  topic: TopicInfo;
  posts: Post[];
  truncated: boolean;
}

/** Client → server requests: [payload, ack value]. */
interface Requests {
  [SOCKET_EVENTS.join]: [JoinTopicInput, JoinResult];
  [SOCKET_EVENTS.leave]: [{ topic: string }, { ok: true }];
  [SOCKET_EVENTS.createPost]: [CreatePostInput, { post: Post; created: boolean }];
  [SOCKET_EVENTS.setToken]: [{ token: string | null }, { viewer: Viewer | null }];
}

type ClientEvents = {
  [K in keyof Requests]: (payload: Requests[K][0], ack: (res: Requests[K][1] | Failure) => void) => void;
};

export interface ServerEvents {
  [SOCKET_EVENTS.postCreated]: (msg: { post: Post }) => void;
  [SOCKET_EVENTS.postUpdated]: (msg: { post: Post }) => void;
  [SOCKET_EVENTS.topicUpdated]: (msg: { topic: TopicInfo }) => void;
  [SOCKET_EVENTS.serverRestarting]: (msg: { reason?: string }) => void;
  [SOCKET_EVENTS.sessionEnded]: (msg: SessionEnded) => void;
}

export type ParleySocket = Socket<ServerEvents, ClientEvents>;

export class RealtimeClient {
  readonly socket: ParleySocket;

  /** `getToken` is asked at every (re)connection, so a reconnect carries the current sign-in. */
  constructor(server: string, site: string, getToken: () => string | null) {
    this.socket = io(server, {
      // Named so that the bundle can leave WebTransport out (see vite.config.ts).
      transports: ['polling', 'websocket'],
      auth: (cb) => {
        const token = getToken();
        cb(token ? { site, token } : { site });
      },
    });
  }

  get connected(): boolean {
    return this.socket.connected;
  }

  async request<K extends keyof Requests>(event: K, payload: Requests[K][0], timeoutMs = 10_000): Promise<Outcome<Requests[K][1]>> {
    if (!this.socket.connected) return failure('network', 'Not connected.');
    try {
      // The cast keeps socket.io's deep generic types out of the way; Requests is the contract.
      const emitter = this.socket.timeout(timeoutMs) as unknown as {
        emitWithAck(ev: string, payload: unknown): Promise<Requests[K][1] | Failure>;
      };
      return await emitter.emitWithAck(event, payload);
    } catch (err) {
      // socket.io rejects on timeout and when the connection drops before the ack.
      return failure(this.socket.connected ? 'timeout' : 'network', (err as Error).message);
    }
  }

  close(): void {
    this.socket.removeAllListeners();
    this.socket.io.removeAllListeners();
    this.socket.disconnect();
  }
}
