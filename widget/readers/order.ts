/**
 * The order readers see (issue 16), over the threads `buildThreads` made: "Most helpful" ranks
 * top-level posts by members' marks (staff marks never rank: S-3), newest first among equals;
 * the topic's pinned post always comes first. Pure; the server pages in the same order.
 */
import type { Thread } from '../client/state.js';
import type { PageOrder } from '../../moderation/types.js';

export function arrangeThreads(threads: Thread[], order: PageOrder, pinnedId: string | undefined): Thread[] {
  let out = threads;
  if (order === 'helpful') {
    out = [...threads].sort((a, b) => (b.post.helpful?.count ?? 0) - (a.post.helpful?.count ?? 0) || b.post.seq - a.post.seq);
  }
  const i = pinnedId ? out.findIndex((th) => th.post.id === pinnedId) : -1;
  if (i > 0) out = [out[i]!, ...out.slice(0, i), ...out.slice(i + 1)];
  return out;
}
