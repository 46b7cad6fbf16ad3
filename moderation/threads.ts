/**
 * Posts as threads (pure): top-level posts by the page's order, replies nested under their
 * parent oldest first. The widget renders these, and so does the server's HTML rendition of
 * a topic for readers without JavaScript, so both show one conversation the same way.
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

/** How many posts are on screen (for the empty state). */
export function countThreads(threads: readonly Thread[]): number {
  return threads.reduce((n, t) => n + 1 + countThreads(t.replies), 0);
}
