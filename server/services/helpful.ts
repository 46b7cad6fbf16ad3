/**
 * "Helpful" on a post (issue 16): one mark per person and post. Members' marks are counted and
 * rank the "most helpful" order; company staff's marks are shown with their badge and never
 * count for ranking (requirement S-3). Marking one's own post is refused (it would rank itself).
 */
import { ParleyError } from '../../moderation/errors.js';
import { can } from '../../moderation/permissions.js';
import { parseWith, PostIdSchema } from '../../moderation/schemas.js';
import type { HelpfulSummary } from '../../moderation/spam-schemas.js';
import type { AppContext } from './context.js';
import type { Principal } from './identity.js';
import { presentPosts } from './presenter.js';
import { valid } from './validate.js';

export async function setHelpful(ctx: AppContext, principal: Principal, postId: unknown, marked: boolean): Promise<{ helpful: HelpfulSummary }> {
  if (!principal.user) throw new ParleyError('unauthenticated', 'Sign in to mark a post helpful.');
  if (!can(principal.roles, 'mark-helpful')) throw new ParleyError('forbidden', 'You may not mark posts on this site.');
  const site = principal.site.id;
  const id = valid(parseWith(PostIdSchema, postId));
  const user = principal.user;
  const post = await ctx.store.getPost(site, id);
  if (!post || (post.held && post.authorId !== user.id)) throw new ParleyError('not_found', 'No such message on this site.');
  if (post.status !== 'visible' || post.held) throw new ParleyError('validation_failed', 'Only a published, visible post can be marked helpful.');
  if (post.authorId === user.id) throw new ParleyError('forbidden', 'You cannot mark your own post helpful.');
  const at = ctx.now().toISOString();
  const affiliation = await ctx.store.getActiveAffiliation(site, user.id);
  const changed = marked
    ? await ctx.store.markHelpful(site, id, { userId: user.id, name: user.displayName, staff: affiliation !== null, companyName: affiliation?.companyName ?? null }, at)
    : await ctx.store.unmarkHelpful(site, id, user.id);
  const fresh = (await ctx.store.getPost(site, id))!;
  if (changed) {
    // Readers' counts update live; the broadcast is the public view (no `mine`).
    const [publicView] = await presentPosts(ctx, site, [fresh]);
    ctx.broadcast.postUpdated(publicView!);
  }
  const [own] = await presentPosts(ctx, site, [fresh], user.id);
  return { helpful: own!.helpful ?? { count: 0, staff: [], mine: false } };
}
