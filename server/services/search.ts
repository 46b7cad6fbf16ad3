/**
 * Search within a site's discussions (issue 16). Only visible, released posts are indexed (the
 * index follows every edit, removal, deletion and erasure at once, in the same transaction), so
 * removed, held, deleted and erased text is never found. The words a reader types are split into
 * letters-and-digits tokens here; the store turns them into its dialect's query
 * (server/store/sql/search-dialect.ts), so no query syntax of either database reaches it.
 */
import { ParleyError } from '../../moderation/errors.js';
import { parseWith } from '../../moderation/schemas.js';
import { SPAM_LIMITS, SearchQuerySchema, type SearchAnswer } from '../../moderation/spam-schemas.js';
import type { AppContext } from './context.js';
import { presentPosts } from './presenter.js';
import { valid } from './validate.js';

/** Words searched at most: more narrow nothing down and only cost. */
const MAX_WORDS = 8;

/** The query's words: letters and digits, lower-cased, each once, at most MAX_WORDS. */
export function searchWords(q: string): string[] {
  const words = (q.normalize('NFKC').toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []).filter((w) => w.length <= 60);
  return [...new Set(words)].slice(0, MAX_WORDS);
}

const encodeCursor = (position: number) => `p${position.toString(36)}`;
function decodeCursor(cursor: string): number {
  const match = /^p([0-9a-z]{1,11})$/.exec(cursor);
  if (!match) throw new ParleyError('validation_failed', 'cursor: not a cursor from this server');
  return parseInt(match[1]!, 36);
}

/** Plain text of a post's Markdown around the first word found, at most `searchExcerptChars`. */
export function excerptOf(body: string, words: string[]): string {
  const text = body.replace(/[`*_>#\[\]()!~|]/g, ' ').replace(/\s+/g, ' ').trim();
  const max = SPAM_LIMITS.searchExcerptChars;
  if (text.length <= max) return text;
  const lower = text.toLowerCase();
  const at = words.map((w) => lower.indexOf(w)).filter((i) => i >= 0).sort((a, b) => a - b)[0] ?? 0;
  const start = Math.max(0, Math.min(at - Math.floor(max / 3), text.length - max));
  return `${start > 0 ? '…' : ''}${text.slice(start, start + max - 2).trim()}${start + max - 2 < text.length ? '…' : ''}`;
}

export async function searchSite(ctx: AppContext, site: string, query: unknown): Promise<SearchAnswer> {
  const q = valid(parseWith(SearchQuerySchema, query));
  const words = searchWords(q.q);
  if (words.length === 0) throw new ParleyError('validation_failed', 'q: search for words (letters or digits)');
  const rows = await ctx.store.searchPosts(site, {
    words, ...(q.topic ? { topic: q.topic } : {}), before: q.cursor ? decodeCursor(q.cursor) : null, limit: q.limit + 1,
  });
  const page = rows.slice(0, q.limit);
  const posts = await presentPosts(ctx, site, page.map((r) => r.post));
  return {
    q: q.q,
    hits: page.map((row, i) => ({
      postId: row.post.id, topic: row.post.topic, topicTitle: row.topicTitle, excerpt: excerptOf(row.post.body, words),
      author: posts[i]!.author, createdAt: row.post.createdAt,
    })),
    nextCursor: rows.length > q.limit ? encodeCursor(page.at(-1)!.position) : null,
  };
}
