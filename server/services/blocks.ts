/**
 * Blocking (issue 13): a member's private list of accounts they do not want to hear from.
 *
 * What a block does, and nothing more:
 * - the blocked person cannot mention the blocker: the blocker is left out of their `@`
 *   suggestions, and a mention of the blocker in their post renders as plain text and notifies
 *   nobody (server/services/notifications.ts, notify-queue.ts, posting.ts, editing.ts);
 * - the blocker hears nothing of the blocked person's posts: no notification, nothing "since your
 *   last visit" (company staff's replies excepted, as their posts stay in view);
 * - the blocker's widget folds the blocked person's posts behind a "Post by someone you blocked —
 *   Show" line (never a silent hide). Company staff's posts stay in view: a company's public answers
 *   and their safety information are not the reader's to fold away. The block still stops staff
 *   from mentioning the member.
 * What a block never does: change what anyone else sees, reach the audit log, or tell the blocked
 * person. Moderators keep seeing everything. Company staff cannot block (they answer in public;
 * abuse goes to the moderators), and nobody can block themselves.
 */
import { ParleyError } from '../../moderation/errors.js';
import { LIMITS } from '../../moderation/limits.js';
import { mentionedUserIds } from '../../moderation/notification-schemas.js';
import type { BlockList, BlockState } from '../../moderation/response-schemas.js';
import { parseWith, UserIdSchema } from '../../moderation/schemas.js';
import type { UserRecord } from '../store/store.js';
import type { AppContext } from './context.js';
import type { Principal } from './identity.js';
import { valid } from './validate.js';

function blocker(principal: Principal): UserRecord {
  if (!principal.user) throw new ParleyError('unauthenticated', 'Sign in to manage the people you blocked.');
  if (principal.user.kind === 'deleted') throw new ParleyError('forbidden', 'This account was deleted.');
  return principal.user;
}

/** GET /me/blocks: the member's own list, display names only. */
export async function myBlocks(ctx: AppContext, principal: Principal): Promise<BlockList> {
  const user = blocker(principal);
  return { blocks: await ctx.store.listBlocks(principal.site.id, user.id), max: LIMITS.blocksMax };
}

/** PUT /me/blocks/{userId}: block an account of the same site (repeating it changes nothing). */
export async function blockAccount(ctx: AppContext, principal: Principal, param: unknown): Promise<BlockState> {
  const user = blocker(principal);
  if (user.kind === 'staff') {
    throw new ParleyError('forbidden', 'Company staff answer in public and cannot block members. Report abuse to the moderators.');
  }
  const site = principal.site.id;
  const target = valid(parseWith(UserIdSchema, param));
  if (target === user.id) throw new ParleyError('validation_failed', 'You cannot block yourself.');
  const account = await ctx.store.getUser(site, target);
  if (!account || account.kind === 'deleted') throw new ParleyError('not_found', 'No such account on this site.');
  const outcome = await ctx.store.blockUser(site, user.id, target, ctx.now().toISOString(), LIMITS.blocksMax);
  if (outcome === 'limit') {
    throw new ParleyError('bad_request', `You can block at most ${LIMITS.blocksMax.toLocaleString('en')} accounts. Unblock someone first.`);
  }
  return { userId: target, blocked: true };
}

/** DELETE /me/blocks/{userId}: unblock (unblocking someone not blocked changes nothing). */
export async function unblockAccount(ctx: AppContext, principal: Principal, param: unknown): Promise<BlockState> {
  const user = blocker(principal);
  const target = valid(parseWith(UserIdSchema, param));
  await ctx.store.unblockUser(principal.site.id, user.id, target);
  return { userId: target, blocked: false };
}

/**
 * The people a body mentions who blocked its writer: their mentions render as plain text and
 * notify nobody. Every mention counts (a body of at most 10,000 characters holds a few hundred).
 */
export async function mentionBlockers(ctx: AppContext, site: string, writerId: string, body: string): Promise<Set<string>> {
  const mentioned = mentionedUserIds(body);
  if (mentioned.length === 0) return new Set();
  return new Set(await ctx.store.blockersAmong(site, writerId, mentioned));
}
