/**
 * A site's topic list (issue 10): titles, post counts and last activity, newest activity first,
 * a page at a time with an opaque cursor, or exactly the topics a listing page asks about
 * (`ids`, for `<parley-count>` elements batching their counts into one request).
 */
import { ParleyError } from '../../moderation/errors.js';
import type { TopicList } from '../../moderation/response-schemas.js';
import { parseWith, TopicListQuerySchema } from '../../moderation/schemas.js';
import type { TopicListPosition } from '../store/store.js';
import type { AppContext } from './context.js';
import { valid } from './validate.js';

// Opaque to clients: the last topic's activity time and position, base64url.
const encodeCursor = (p: TopicListPosition) => Buffer.from(`${p.lastActivityAt}|${p.position}`).toString('base64url');
function decodeCursor(cursor: string): TopicListPosition {
  const match = /^(\d{4}-\d\d-\d\dT[\d:.]+Z)\|(\d{1,15})$/.exec(Buffer.from(cursor, 'base64url').toString());
  if (!match) throw new ParleyError('validation_failed', 'cursor: not a cursor from this server', { issues: [{ path: 'cursor', message: 'not a cursor from this server' }] });
  return { lastActivityAt: match[1]!, position: Number(match[2]) };
}

export async function listTopics(ctx: AppContext, site: string, query: unknown): Promise<TopicList> {
  const q = valid(parseWith(TopicListQuerySchema, query));
  if (q.ids && q.cursor) throw new ParleyError('validation_failed', 'ids and cursor cannot be combined', { issues: [{ path: 'cursor', message: 'not with ids' }] });
  const { topics, next } = await ctx.store.listTopics(site, { limit: q.limit, after: q.cursor ? decodeCursor(q.cursor) : null, ids: q.ids });
  return {
    site,
    topics: topics.map((t) => ({ id: t.id, title: t.title, postCount: t.postCount, lastActivityAt: t.lastActivityAt, locked: t.locked })),
    nextCursor: next ? encodeCursor(next) : null,
  };
}
