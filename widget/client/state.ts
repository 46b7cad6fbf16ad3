/**
 * The topic as the widget knows it: posts by id, merged from pages, live events and
 * catch-ups, and turned into threads for rendering. Pure: no DOM, no network, no clock.
 *
 * Rules:
 * - a post is stored once, by id; of two copies the higher `rev` wins (ties keep the old), except
 *   that whether the viewer marked it helpful survives a broadcast that cannot know it;
 * - top-level posts are ordered by `seq` (descending for "newest"), replies by `seq` ascending;
 * - a pushed post is admitted only if it belongs to what is on screen (see `belongsInView`),
 *   so an edit to a post on a page not yet loaded does not appear out of place.
 */
import type { PageOrder, Post } from '../../moderation/types.js';
// Threads are built the same way by the server's HTML rendition (server/render/topic-html.ts).
export { buildThreads, countThreads, type Thread } from '../../moderation/threads.js';

export interface TopicState {
  readonly order: PageOrder;
  readonly posts: ReadonlyMap<string, Post>;
  /** Highest `rev` seen (from posts or a page's topic): the `since` of the next catch-up. */
  readonly maxRev: number;
  /** Highest `seq` of a top-level post held: anything newer is a new thread. */
  readonly maxTopSeq: number;
}

export interface MergeResult {
  state: TopicState;
  /** Posts that were not held before (in input order). */
  added: Post[];
  /** Posts that replaced an older revision. */
  updated: Post[];
}

export function emptyState(order: PageOrder): TopicState {
  return { order, posts: new Map(), maxRev: 0, maxTopSeq: 0 };
}

/**
 * Does a post pushed by the server (live event or catch-up) belong on screen? Yes if we hold
 * it already, if we hold its thread, or if it starts a thread newer than any we hold.
 */
export function belongsInView(state: TopicState, post: Post): boolean {
  if (state.posts.has(post.id)) return true;
  if (post.parent === null) return post.seq > state.maxTopSeq;
  return state.posts.has(post.root);
}

/**
 * Merge posts into the state. With `onlyInView`, posts that fail `belongsInView` are
 * skipped (checked one by one, so a new thread followed by its replies is admitted whole).
 */
export function mergePosts(
  state: TopicState,
  incoming: readonly Post[],
  opts: { onlyInView?: boolean; rev?: number } = {},
): MergeResult {
  const posts = new Map(state.posts);
  let { maxRev, maxTopSeq } = state;
  const added: Post[] = [];
  const updated: Post[] = [];
  const view = (): TopicState => ({ order: state.order, posts, maxRev, maxTopSeq });
  for (let post of incoming) {
    const held = posts.get(post.id);
    if (held && held.rev >= post.rev) continue;
    if (!held && opts.onlyInView && !belongsInView(view(), post)) continue;
    // A broadcast does not know whether this viewer marked the post helpful: keep what we knew.
    const mine = held?.helpful?.mine;
    if (mine !== undefined && post.helpful && post.helpful.mine === undefined) post = { ...post, helpful: { ...post.helpful, mine } };
    posts.set(post.id, post);
    (held ? updated : added).push(post);
    if (post.rev > maxRev) maxRev = post.rev;
    if (post.parent === null && post.seq > maxTopSeq) maxTopSeq = post.seq;
  }
  if (opts.rev !== undefined && opts.rev > maxRev) maxRev = opts.rev;
  const changed = added.length > 0 || updated.length > 0 || maxRev !== state.maxRev;
  return { state: changed ? view() : state, added, updated };
}

