/**
 * The topic as the widget knows it: posts by id, merged from pages, live events and
 * catch-ups, and turned into threads for rendering. Pure: no DOM, no network, no clock.
 *
 * Rules:
 * - a post is stored once, by id; of two copies the higher `rev` wins (ties keep the old), except
 *   that whether the viewer marked it helpful survives a broadcast that cannot know it;
 * - top-level posts are ordered by `seq` (descending for "newest"), replies by `seq` ascending;
 * - a pushed post is admitted only if it belongs to what is on screen (see `belongsInView`),
 *   so an edit to a post on a page not yet loaded does not appear out of place;
 * - the next catch-up asks for changes after `sinceRev`, the highest rev up to which no change
 *   is missing: a page or catch-up brings everything up to its topic's rev, and a live event
 *   advances it only when it is the next rev. Revs seen beyond a gap wait in `ahead`, so a change
 *   whose broadcast was lost (the node that stored it died before sending it) is fetched by the
 *   next catch-up instead of being skipped for good.
 */
import type { PageOrder, Post } from '../../moderation/types.js';
// Threads are built the same way by the server's HTML rendition (server/render/topic-html.ts).
export { buildThreads, countThreads, type Thread } from '../../moderation/threads.js';

export interface TopicState {
  readonly order: PageOrder;
  readonly posts: ReadonlyMap<string, Post>;
  /** Every change up to this rev is held (or known not to be on screen): the `since` of the next catch-up. */
  readonly sinceRev: number;
  /** Revs received beyond a gap after `sinceRev`. */
  readonly ahead: ReadonlySet<number>;
  /** Highest `seq` of a top-level post held: anything newer is a new thread. */
  readonly maxTopSeq: number;
  /** Lowest `seq` of a top-level post held: a thread between the two falls among those on screen. */
  readonly minTopSeq: number;
}

export interface MergeResult {
  state: TopicState;
  /** Posts that were not held before (in input order). */
  added: Post[];
  /** Posts that replaced an older revision. */
  updated: Post[];
}

export function emptyState(order: PageOrder): TopicState {
  return { order, posts: new Map(), sinceRev: 0, ahead: new Set(), maxTopSeq: 0, minTopSeq: Infinity };
}

/**
 * Does a post pushed by the server (live event or catch-up) belong on screen? Yes if we hold
 * it already, if we hold its thread, or if it starts a thread newer than any we hold or among
 * those we hold (a catch-up bringing a post whose live event was lost).
 */
export function belongsInView(state: TopicState, post: Post): boolean {
  if (state.posts.has(post.id)) return true;
  if (post.parent === null) return post.seq > state.maxTopSeq || post.seq > state.minTopSeq;
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
  let { sinceRev, maxTopSeq, minTopSeq } = state;
  const ahead = new Set(state.ahead);
  const added: Post[] = [];
  const updated: Post[] = [];
  const view = (): TopicState => ({ order: state.order, posts, sinceRev, ahead, maxTopSeq, minTopSeq });
  const seen = (rev: number) => {
    if (rev <= sinceRev) return;
    ahead.add(rev);
    while (ahead.delete(sinceRev + 1)) sinceRev++;
  };
  // Everything up to a page's or catch-up's topic rev is in hand.
  if (opts.rev !== undefined && opts.rev > sinceRev) {
    sinceRev = opts.rev;
    for (const rev of ahead) if (rev <= sinceRev) ahead.delete(rev);
    while (ahead.delete(sinceRev + 1)) sinceRev++;
  }
  for (let post of incoming) {
    seen(post.rev);
    const held = posts.get(post.id);
    if (held && held.rev >= post.rev) continue;
    if (!held && opts.onlyInView && !belongsInView(view(), post)) continue;
    // A broadcast does not know whether this viewer marked the post helpful: keep what we knew.
    const mine = held?.helpful?.mine;
    if (mine !== undefined && post.helpful && post.helpful.mine === undefined) post = { ...post, helpful: { ...post.helpful, mine } };
    posts.set(post.id, post);
    (held ? updated : added).push(post);
    if (post.parent === null && post.seq > maxTopSeq) maxTopSeq = post.seq;
    if (post.parent === null && post.seq < minTopSeq) minTopSeq = post.seq;
  }
  const changed = added.length > 0 || updated.length > 0 || sinceRev !== state.sinceRev || ahead.size !== state.ahead.size;
  return { state: changed ? view() : state, added, updated };
}

