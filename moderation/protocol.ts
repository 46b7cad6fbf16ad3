/**
 * Socket.IO event names, in one place for the server, the widget and other clients.
 * Client → server events take an ack callback that receives either the result or
 * `{ error: { code, message } }`. Server → client events carry plain data.
 */
export const SOCKET_EVENTS = {
  /** client → server: `{ topic, since? }` → ack `{ topic: TopicInfo, posts: Post[], truncated }` */
  join: 'topic:join',
  /** client → server: `{ topic }` → ack `{ ok: true }` */
  leave: 'topic:leave',
  /** client → server: CreatePostInput → ack `{ post: Post, created: boolean }` */
  createPost: 'post:create',
  /**
   * client → server: `{ token | null }` → ack `{ viewer: Viewer | null }`. Hands the socket a
   * fresh token (a renewed access token, say) without reconnecting; a refused token leaves
   * the socket signed out.
   */
  setToken: 'session:token',
  /** server → client: `SessionEnded` — the socket's sign-in no longer counts; its writes are refused */
  sessionEnded: 'session:ended',
  /** server → client: `{ post: Post }` — a new post in a joined topic */
  postCreated: 'post:created',
  /** server → client: `{ post: Post }` — a post changed (edit, removal, label) */
  postUpdated: 'post:updated',
  /** server → client: `{ topic: TopicInfo }` — a topic changed (locked or unlocked by the moderators) */
  topicUpdated: 'topic:updated',
  /** server → client: `{ reason }` — the server is shutting down; reconnect shortly */
  serverRestarting: 'server:restarting',
  /**
   * client → server: `{ company }` → ack `{ ok: true, company }`. Follow a company's desk live (issue 14):
   * only that company's verified staff, and the site's moderators and admins.
   */
  deskJoin: 'desk:join',
  /** server → client: `DeskUpdated` — something on the desk changed; re-read it (GET /companies/{id}/desk) */
  deskUpdated: 'desk:updated',
  /**
   * client → server: `{}` → ack `{ ok: true }`. Follow the site's moderation queue live (issue 16):
   * moderators and admins only (never company staff).
   */
  moderationJoin: 'moderation:join',
  /** server → client: `QueueChanged` — something entered or left the queue; re-read GET /moderation/queue */
  queueChanged: 'queue:changed',
} as const;

/**
 * Why a socket's sign-in ended: the person signed out everywhere, deleted their account, was
 * suspended or banned by a moderator, or the token the socket holds expired (hand it a fresh
 * one with `session:token`).
 */
export type SessionEndReason = 'signed-out' | 'deleted' | 'suspended' | 'banned' | 'expired';

export interface SessionEnded {
  reason: SessionEndReason;
  /** A sentence for the person. */
  message: string;
}

/** Socket.IO room of a topic. Rooms are per site, so sites never see each other's traffic. */
export function topicRoom(site: string, topic: string): string {
  return `t:${site}:${topic}`;
}

/** Socket.IO room of one person's open sockets on a site, so the server can tell them their session ended. */
export function userRoom(site: string, userId: string): string {
  return `u:${site}:${userId}`;
}

/** Socket.IO room of a company's desk on a site (its verified staff, moderators and admins). */
export function deskRoom(site: string, company: string): string {
  return `desk:${site}:${company}`;
}

/** Socket.IO room of a site's moderators following the queue (issue 16). */
export function moderatorsRoom(site: string): string {
  return `mod:${site}`;
}
