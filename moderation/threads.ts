/**
 * Posts as threads (pure): top-level posts by the page's order, replies nested under their
 * parent oldest first. The widget renders these, and so does the server's HTML rendition of
 * a topic for readers without JavaScript, so both show one conversation the same way.
 *
 * `arrangeThreads` is the order readers see (issue 16): "Most helpful" ranks top-level posts by
 * members' marks, and the topic's pinned post comes first. Only a top-level post is ever pinned
 * (the server refuses a reply, as Reddit does for stickied comments): a reply pulled out of its
 * thread to the top would lose what it answers, and a reply marked but left in place is one
 * readers never see first. The server pages in the same order (server/services/reading.ts).
 */
import type { PageOrder, Post, PublicAuthor } from './types.js';

export interface Thread {
  post: Post;
  /** Author of the post this replies to, when held. */
  inReplyTo: PublicAuthor | null;
  replies: Thread[];
}

/** Threads in display order: top-level posts by the state's order, replies nested oldest first. */
export function buildThreads(state: { readonly order: PageOrder; readonly posts: ReadonlyMap<string, Post> }): Thread[] {
  const children = new Map<string, Post[]>();
  const tops: Post[] = [];
  for (const post of state.posts.values()) {
    if (post.parent === null) {
      tops.push(post);
      continue;
    }
    // A reply whose parent we do not hold hangs under its thread's root, if we hold that.
    const parentId = state.posts.has(post.parent) ? post.parent : state.posts.has(post.root) ? post.root : null;
    if (parentId === null) continue;
    const list = children.get(parentId);
    if (list) list.push(post);
    else children.set(parentId, [post]);
  }
  const newestFirst = state.order === 'newest';
  tops.sort((a, b) => (newestFirst ? b.seq - a.seq : a.seq - b.seq));
  const seen = new Set<string>();
  const toThread = (post: Post): Thread => {
    seen.add(post.id);
    const replies = (children.get(post.id) ?? [])
      .filter((r) => !seen.has(r.id))
      .sort((a, b) => a.seq - b.seq)
      .map(toThread);
    const parent = post.parent === null ? undefined : state.posts.get(post.parent);
    return { post, inReplyTo: parent ? parent.author : null, replies };
  };
  return tops.map(toThread);
}

/**
 * The order readers see, over the threads `buildThreads` made: "Most helpful" ranks top-level
 * posts by members' marks (staff marks never rank: S-3), newest first among equals; the pinned
 * top-level post always comes first. A pinned reply (none can be pinned now; one pinned before
 * the rule stays marked where it is) moves nothing.
 */
export function arrangeThreads(threads: Thread[], order: PageOrder, pinnedId: string | undefined): Thread[] {
  let out = threads;
  if (order === 'helpful') {
    out = [...threads].sort((a, b) => (b.post.helpful?.count ?? 0) - (a.post.helpful?.count ?? 0) || b.post.seq - a.post.seq);
  }
  const i = pinnedId ? out.findIndex((th) => th.post.id === pinnedId) : -1;
  if (i > 0) out = [out[i]!, ...out.slice(0, i), ...out.slice(i + 1)];
  return out;
}

/** How many posts are on screen (for the empty state). */
export function countThreads(threads: readonly Thread[]): number {
  return threads.reduce((n, t) => n + 1 + countThreads(t.replies), 0);
}
