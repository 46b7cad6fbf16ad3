/** Reading a topic: pages with opaque cursors, single posts, and catch-up after a reconnect. */
import { ParleyError } from '../../moderation/errors.js';
import { LIMITS } from '../../moderation/limits.js';
import { ChangesQuerySchema, parseWith, TopicIdSchema, PostIdSchema, TopicPageQuerySchema, type TopicPageQuery } from '../../moderation/schemas.js';
import type { Post, TopicChanges, TopicPage } from '../../moderation/types.js';
import type { AppContext } from './context.js';
import { valid } from './validate.js';
import { presentPosts, presentTopic, topicLockNote, topicPinNote } from './presenter.js';
import { can } from '../../moderation/permissions.js';

// Cursors are opaque to clients; they carry the seq of the last top-level post, and for the
// "most helpful" order (issue 16) also its members' count.
const encodeCursor = (seq: number) => `s${seq.toString(36)}`;
const encodeHelpfulCursor = (count: number, seq: number) => `h${count.toString(36)}_${seq.toString(36)}`;
function decodeCursor(cursor: string, order: TopicPageQuery['order']): { seq: number; helpful: number | null } {
  const plain = /^s([0-9a-z]{1,11})$/.exec(cursor);
  if (plain && order !== 'helpful') return { seq: parseInt(plain[1]!, 36), helpful: null };
  const helpful = /^h([0-9a-z]{1,11})_([0-9a-z]{1,11})$/.exec(cursor);
  if (helpful && order === 'helpful') return { seq: parseInt(helpful[2]!, 36), helpful: parseInt(helpful[1]!, 36) };
  throw new ParleyError('validation_failed', 'cursor: not a cursor from this server (for this order)');
}

/**
 * `viewerId` adds the author's own removed words to their posts (see moderation/visibility.ts),
 * and their own posts that wait for a moderator (issue 16): nobody else receives those.
 */
export async function readTopicPage(ctx: AppContext, site: string, topicId: unknown, query: unknown, viewerId: string | null = null): Promise<TopicPage> {
  const topic = valid(parseWith(TopicIdSchema, topicId));
  const q = valid(parseWith(TopicPageQuerySchema, query));
  const after = q.cursor ? decodeCursor(q.cursor, q.order) : null;
  const page = await ctx.store.getTopicPage(site, topic, {
    order: q.order,
    afterSeq: after?.seq ?? null,
    afterHelpful: after?.helpful ?? null,
    limit: q.limit,
    repliesMax: LIMITS.repliesPerPageMax,
  });
  const firstPage = !q.cursor;
  const [lock, pinned, ownHeld] = await Promise.all([
    page.topic?.locked ? topicLockNote(ctx, site, topic) : null,
    page.topic ? topicPinNote(ctx, site, topic) : undefined,
    viewerId && firstPage && page.topic ? ctx.store.heldPostsOf(site, topic, viewerId) : [],
  ]);
  let records = page.posts;
  // The pinned post comes first on the first page (issue 16), in every order.
  if (pinned && firstPage) {
    const at = records.findIndex((p) => p.id === pinned.postId);
    const record = at >= 0 ? records[at]! : await ctx.store.getPost(site, pinned.postId);
    if (record && !record.held && record.depth === 0) records = [record, ...records.filter((p) => p.id !== record.id)];
  }
  records = [...records, ...ownHeld];
  const posts = await presentPosts(ctx, site, records, viewerId);
  const nextCursor = page.nextAfterSeq === null
    ? null
    : q.order === 'helpful' ? encodeHelpfulCursor(page.nextAfterHelpful ?? 0, page.nextAfterSeq) : encodeCursor(page.nextAfterSeq);
  return {
    topic: presentTopic(site, topic, page.topic, lock, pinned),
    order: q.order,
    posts,
    nextCursor,
  };
}

export async function readChanges(ctx: AppContext, site: string, topicId: unknown, since: unknown): Promise<TopicChanges> {
  const topic = valid(parseWith(TopicIdSchema, topicId));
  const q = valid(parseWith(ChangesQuerySchema, { since }));
  const rows = await ctx.store.getChangesSince(site, topic, q.since, LIMITS.catchUpMax + 1);
  const truncated = rows.length > LIMITS.catchUpMax;
  const [record, lock, pinned, posts] = await Promise.all([
    ctx.store.getTopic(site, topic),
    topicLockNote(ctx, site, topic),
    topicPinNote(ctx, site, topic),
    presentPosts(ctx, site, truncated ? rows.slice(0, LIMITS.catchUpMax) : rows),
  ]);
  return {
    topic: presentTopic(site, topic, record, lock, pinned),
    posts,
    truncated,
  };
}

export async function readPost(ctx: AppContext, site: string, postId: unknown, viewerId: string | null = null): Promise<Post> {
  const id = valid(parseWith(PostIdSchema, postId));
  const record = await ctx.store.getPost(site, id);
  if (!record) throw new ParleyError('not_found', 'No such message on this site.');
  // A held post (issue 16) exists only for its author and the site's moderators.
  if (record.held && !(viewerId && (viewerId === record.authorId || can(await ctx.store.getRoles(site, viewerId), 'moderate')))) {
    throw new ParleyError('not_found', 'No such message on this site.');
  }
  return (await presentPosts(ctx, site, [record], viewerId))[0]!;
}
