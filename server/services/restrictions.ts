/**
 * What moderation forbids right now: restrictions in force on an account (suspensions, bans,
 * the misuse policy's pause on reporting and appealing) and the check every new post passes
 * (no suspension or ban, replies not closed beneath it). Read-only: actions are taken in moderation.ts.
 */
import { ParleyError } from '../../moderation/errors.js';
import { inForce, postingRefusal } from '../../moderation/actions.js';
import type { CreatePostInput } from '../../moderation/schemas.js';
import type { AppContext } from './context.js';
import type { Principal } from './identity.js';

/** Restrictions in force on an account, of the given types. */
export async function accountRestrictions(ctx: AppContext, site: string, userId: string, types: Array<'suspend' | 'ban' | 'misuse-restriction'>) {
  const now = ctx.now().toISOString();
  return (await ctx.store.listActions(site, { targetKind: 'account', targetId: userId, types })).filter((a) => inForce(a, a.reversedBy !== null, now));
}

/** Throws when moderation forbids this post: a suspension or ban, or replies closed beneath the parent. */
export async function checkPostingAllowed(ctx: AppContext, principal: Principal, intent: Pick<CreatePostInput, 'parent'>): Promise<void> {
  if (!principal.user) return;
  const site = principal.site.id;
  // The two reads are independent: the account's restrictions and (for a reply) the parent's thread.
  const repliesClosedCheck = async (parentId: string) => {
    const parent = await ctx.store.getPost(site, parentId);
    if (!parent) return false;
    return (await ctx.store.actionsForPosts(site, [parent.id, parent.root]))
      .some((a) => a.type === 'restrict-replies' && a.reversedBy === null && (a.target.id === parent.id || a.target.id === parent.root));
  };
  const [repliesClosed, account] = await Promise.all([
    intent.parent ? repliesClosedCheck(intent.parent) : false,
    accountRestrictions(ctx, site, principal.user.id, ['suspend', 'ban']),
  ]);
  const refusal = postingRefusal({
    now: ctx.now().toISOString(),
    account,
    topicLocked: false, // the store refuses posts in a locked topic itself
    repliesClosed,
  });
  if (refusal) throw new ParleyError(refusal.code === 'replies-closed' ? 'topic_locked' : 'forbidden', refusal.message);
}
