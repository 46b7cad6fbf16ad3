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
  /** client → server: `{ token | null }` → ack `{ viewer: Viewer | null }` */
  setToken: 'session:token',
  /** server → client: `{ post: Post }` — a new post in a joined topic */
  postCreated: 'post:created',
  /** server → client: `{ post: Post }` — a post changed (edit, removal, label) */
  postUpdated: 'post:updated',
  /** server → client: `{ topic: TopicInfo }` — a topic changed (locked or unlocked by the moderators) */
  topicUpdated: 'topic:updated',
  /** server → client: `{ reason }` — the server is shutting down; reconnect shortly */
  serverRestarting: 'server:restarting',
} as const;

/** Socket.IO room of a topic. Rooms are per site, so sites never see each other's traffic. */
export function topicRoom(site: string, topic: string): string {
  return `t:${site}:${topic}`;
}
