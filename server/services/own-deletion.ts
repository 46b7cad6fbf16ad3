/**
 * An author deletes one of their own posts (issue 16, requirement G-3) without deleting their
 * account. The thread stays readable: a tombstone "deleted by its author" stands in its place
 * (status 'deleted', same for everyone). The text is erased from the post and its version
 * history, so search and the edit history never find it again, and every audit-log entry that
 * committed the text (a removal's `removedText`) has that value redacted; the redaction is logged.
 */
import { ParleyError } from '../../moderation/errors.js';
import { can } from '../../moderation/permissions.js';
import { parseWith, PostIdSchema } from '../../moderation/schemas.js';
import { DeleteOwnPostSchema } from '../../moderation/spam-schemas.js';
import type { Post } from '../../moderation/types.js';
import { auditActorOf } from '../audit/identity-events.js';
import { MerkleAuditLog } from '../audit/merkle-audit-log.js';
import type { AppContext } from './context.js';
import type { Principal } from './identity.js';
import { presentPosts } from './presenter.js';
import { valid } from './validate.js';

/** Committed fields that may hold a post's words. */
const TEXT_FIELDS = ['removedText', 'text', 'body'];

export async function deleteOwnPost(ctx: AppContext, principal: Principal, postId: unknown, input: unknown): Promise<{ post: Post }> {
  if (!principal.user) throw new ParleyError('unauthenticated', 'Sign in to delete your post.');
  if (!can(principal.roles, 'edit-own-post')) throw new ParleyError('forbidden', 'You may not change posts on this site.');
  const site = principal.site.id;
  const id = valid(parseWith(PostIdSchema, postId));
  valid(parseWith(DeleteOwnPostSchema, input ?? {}));
  const post = await ctx.store.getPost(site, id);
  if (!post) throw new ParleyError('not_found', 'No such message on this site.');
  if (post.authorId !== principal.user.id) throw new ParleyError('forbidden', 'You can delete only your own posts.');
  if (post.deletedAt) throw new ParleyError('validation_failed', 'This post was already deleted.');
  const at = ctx.now().toISOString();

  const actor = await auditActorOf(ctx, site, principal.user.id);
  const audit = ctx.audit instanceof MerkleAuditLog ? ctx.audit : null;
  await ctx.store.transaction(async () => {
    await ctx.store.deleteOwnPost(site, id, at);
    if (!audit) return;
    // Redact the words wherever the log committed them (removals of this post).
    const actions = (await ctx.store.actionsForPosts(site, [id])).filter((a) => a.target.kind === 'post');
    const refs = await ctx.store.getLogRefs(site, 'action', actions.map((a) => a.id));
    for (const index of new Set(refs.values())) {
      const entry = await audit.entry(site, index);
      if (!entry) continue;
      const committed = Object.keys(entry.leaf.commitments ?? {});
      const redacted = await audit.redactedFields(site, entry);
      for (const field of committed.filter((f) => TEXT_FIELDS.includes(f) && !redacted.includes(f))) {
        await audit.redact(site, index, field, actor, 'erasure-request');
      }
    }
  });
  const fresh = (await ctx.store.getPost(site, id))!;
  const [view] = await presentPosts(ctx, site, [fresh], principal.user.id);
  if (!fresh.held) {
    const [publicView] = await presentPosts(ctx, site, [fresh]);
    ctx.broadcast.postUpdated(publicView!);
  }
  return { post: view! };
}
