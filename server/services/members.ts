/**
 * A member's own account: display name (pseudonyms welcome, imitation refused), staff
 * name-change requests, export of everything held about them, and erasure.
 */
import { ParleyError } from '../../moderation/errors.js';
import { EraseSchema, NameChangeRequestSchema, parseWith, RenameSchema } from '../../moderation/schemas.js';
import type { AppContext } from './context.js';
import { recordIdentity } from '../audit/identity-events.js';
import { refuseImitatedName, type Principal } from './identity.js';
import { presentPosts } from './presenter.js';
import { valid } from './validate.js';
import { emailHash } from './member-sign-in.js';

function signedIn(principal: Principal) {
  if (!principal.user) throw new ParleyError('unauthenticated', 'Sign in first.');
  return principal.user;
}

export async function renameMember(ctx: AppContext, principal: Principal, input: unknown) {
  const user = signedIn(principal);
  if (user.kind === 'staff') {
    throw new ParleyError('forbidden', 'Company staff post under their verified name. Ask the site to change it (name-change request).');
  }
  const { displayName } = valid(parseWith(RenameSchema, input));
  // The imitation check and the new name in one transaction: a name protected in between must not slip past it.
  await ctx.store.transaction(async () => {
    await refuseImitatedName(ctx, principal.site.id, user.id, displayName);
    await ctx.store.setDisplayName(principal.site.id, user.id, displayName, false);
    await recordIdentity(ctx, { site: principal.site.id, at: ctx.now().toISOString(), actor: user.id, subjectId: user.id, kind: 'member-renamed', details: {} });
  });
  return { ok: true as const, displayName };
}

export async function requestNameChange(ctx: AppContext, principal: Principal, input: unknown) {
  const user = signedIn(principal);
  if (user.kind !== 'staff') throw new ParleyError('forbidden', 'Members change their display name themselves.');
  const request = valid(parseWith(NameChangeRequestSchema, input));
  if (!request.displayName && !request.jobTitle) throw new ParleyError('validation_failed', 'Ask for a new name, a new job title, or both.');
  const record = {
    id: ctx.newId(), site: principal.site.id, userId: user.id, displayName: request.displayName ?? null,
    jobTitle: request.jobTitle ?? null, reason: request.reason, status: 'pending' as const,
    requestedAt: ctx.now().toISOString(), decidedBy: null, decidedAt: null,
  };
  await ctx.store.transaction(async () => {
    await ctx.store.createNameChange(record);
    await recordIdentity(ctx, { site: record.site, at: record.requestedAt, actor: user.id, subjectId: user.id, kind: 'name-change-requested', details: { request: record.id } });
  });
  return { request: record };
}

export async function exportMember(ctx: AppContext, principal: Principal) {
  const user = signedIn(principal);
  const data = await ctx.store.exportMember(principal.site.id, user.id);
  if (!data) throw new ParleyError('not_found', 'No such member.');
  const site = principal.site.id;
  // An edited post's earlier texts are the member's words too (edit history, issue 6).
  const posts = await Promise.all(data.posts.map(async (p) => {
    const earlier = await ctx.store.replacedVersions(site, p.id);
    return earlier.length ? { ...p, earlierVersions: earlier.map(({ version, body, writtenAt, replacedAt }) => ({ version, body, writtenAt, replacedAt })) } : p;
  }));
  return {
    exportedAt: ctx.now().toISOString(), site, ...data, posts, safety: await ctx.store.exportSafetyOf(site, user.id),
    // The consent given at the welcome (issue 12): which house rules version, and when.
    welcome: await ctx.store.getWelcome(site, user.id),
    // Notifications (issue 13): the choices, follows, and the messages sent (kinds, times, post
    // ids; never their text), with unsubscribes and bounces — recorded for the member alone.
    notifications: await ctx.store.exportNotifications(site, user.id),
    // The accounts the member blocked (issue 13), by display name. Who blocked the member is not theirs to know.
    blocks: await ctx.store.listBlocks(site, user.id),
  };
}

export async function eraseMember(ctx: AppContext, principal: Principal, input: unknown) {
  const user = signedIn(principal);
  const { removePosts } = valid(parseWith(EraseSchema, input));
  const at = ctx.now().toISOString();
  // One transaction: nothing the member does meanwhile (a new flagged post) may fall between the steps.
  const changed = await ctx.store.transaction(async () => {
    // Safety records first: once the member row is erased, their flags could no longer be found by author.
    await ctx.store.eraseSafetyOf(principal.site.id, user.id, at);
    // Email sign-ins asked for with their address (issue 12) still hold it for up to a day: gone now.
    if (user.email) await ctx.store.forgetMemberSignIns(principal.site.id, emailHash(user.email));
    await ctx.store.eraseNotifications(principal.site.id, user.id);
    // Blocks (issue 13): those the member made and those made of them.
    await ctx.store.eraseBlocks(principal.site.id, user.id);
    const changed = await ctx.store.eraseMember(principal.site.id, user.id, removePosts, at);
    await recordIdentity(ctx, { site: principal.site.id, at, actor: user.id, subjectId: user.id, kind: 'member-erased', details: { removePosts } });
    return changed;
  });
  ctx.broadcast.sessionEnded(principal.site.id, user.id, 'deleted');
  // Every open widget learns the new author line (or the removal) at once.
  // Presented like any read (labels, edit markers), so open widgets keep what they showed.
  const records = (await Promise.all(changed.map((id) => ctx.store.getPost(principal.site.id, id)))).flatMap((r) => r ?? []);
  for (const post of await presentPosts(ctx, principal.site.id, records)) ctx.broadcast.postUpdated(post);
  return { ok: true as const, postsChanged: changed.length };
}
