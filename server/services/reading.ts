/** Reading a topic: pages with opaque cursors, single posts, and catch-up after a reconnect. */
import { ParleyError } from '../../moderation/errors.js';
import { LIMITS } from '../../moderation/limits.js';
import { ChangesQuerySchema, parseWith, TopicIdSchema, PostIdSchema, TopicPageQuerySchema } from '../../moderation/schemas.js';
import type { Post, TopicChanges, TopicPage } from '../../moderation/types.js';
import type { AppContext } from './context.js';
import { valid } from './validate.js';
import { presentPosts, presentTopic, topicLockNote } from './presenter.js';

// Cursors are opaque to clients; today they carry the seq of the last top-level post.
const encodeCursor = (seq: number) => `s${seq.toString(36)}`;
function decodeCursor(cursor: string): number {
  const match = /^s([0-9a-z]{1,11})$/.exec(cursor);
  if (!match) throw new ParleyError('validation_failed', 'cursor: not a cursor from this server');
  return parseInt(match[1]!, 36);
}

/** `viewerId` only adds the author's own removed words to their posts (see moderation/visibility.ts). */
export async function readTopicPage(ctx: AppContext, site: string, topicId: unknown, query: unknown, viewerId: string | null = null): Promise<TopicPage> {
  const topic = valid(parseWith(TopicIdSchema, topicId));
  const q = valid(parseWith(TopicPageQuerySchema, query));
  const page = await ctx.store.getTopicPage(site, topic, {
    order: q.order,
    afterSeq: q.cursor ? decodeCursor(q.cursor) : null,
    limit: q.limit,
    repliesMax: LIMITS.repliesPerPageMax,
  });
  const [lock, posts] = await Promise.all([
    page.topic?.locked ? topicLockNote(ctx, site, topic) : null,
    presentPosts(ctx, site, page.posts, viewerId),
  ]);
  return {
    topic: presentTopic(site, topic, page.topic, lock),
    order: q.order,
    posts,
    nextCursor: page.nextAfterSeq === null ? null : encodeCursor(page.nextAfterSeq),
  };
}

export async function readChanges(ctx: AppContext, site: string, topicId: unknown, since: unknown): Promise<TopicChanges> {
  const topic = valid(parseWith(TopicIdSchema, topicId));
  const q = valid(parseWith(ChangesQuerySchema, { since }));
  const rows = await ctx.store.getChangesSince(site, topic, q.since, LIMITS.catchUpMax + 1);
  const truncated = rows.length > LIMITS.catchUpMax;
  const [record, lock, posts] = await Promise.all([
    ctx.store.getTopic(site, topic),
    topicLockNote(ctx, site, topic),
    presentPosts(ctx, site, truncated ? rows.slice(0, LIMITS.catchUpMax) : rows),
  ]);
  return {
    topic: presentTopic(site, topic, record, lock),
    posts,
    truncated,
  };
}

export async function readPost(ctx: AppContext, site: string, postId: unknown, viewerId: string | null = null): Promise<Post> {
  const id = valid(parseWith(PostIdSchema, postId));
  const record = await ctx.store.getPost(site, id);
  if (!record) throw new ParleyError('not_found', 'No such message on this site.');
  return (await presentPosts(ctx, site, [record], viewerId))[0]!;
}
