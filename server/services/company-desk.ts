/**
 * The company desk (issue 14): one shared view, for a company's verified staff, of what patients and
 * doctors wait for from them — open questions (oldest first, with "I'm on it" claims), member posts
 * naming the company or its products, safety flags with their forward status, the company's presence
 * and answer figures next to its pledge. Nothing on it is private to the company: the host's moderators
 * and admins read every desk (read-only). Nothing on it scores a person: see docs/company-desk.md.
 */
import { ParleyError } from '../../moderation/errors.js';
import { LIMITS } from '../../moderation/limits.js';
import { can } from '../../moderation/permissions.js';
import { claimActive, claimExpiresAt, effectiveClaimHours, hoursBetween } from '../../moderation/questions.js';
import {
  CompanyIdSchema, DeskQuerySchema, DeskSettingsSchema, parseWith, PledgeDecisionSchema, PledgeSchema, PostIdSchema,
} from '../../moderation/schemas.js';
import type { CompanyDesk, DeskClaim, DeskMention, DeskQuestion, Pledge } from '../../moderation/types.js';
import { auditActorOf } from '../audit/identity-events.js';
import type { CompanyRecord } from '../store/identity-store.js';
import type { ClaimRecord } from '../store/desk-store.js';
import type { PostRecord } from '../store/store.js';
import { actorOf, requirePermission } from './actor.js';
import type { AppContext } from './context.js';
import type { Principal } from './identity.js';
import { companyPresence } from './presence.js';
import { presentPosts } from './presenter.js';
import { productMentionsIn } from './product-mentions.js';
import { approvedPledge, companyQuestionFigures, pledgeView } from './question-notes.js';
import { listFlags } from './safety-flags.js';
import { valid } from './validate.js';

/** Site setting: hours after which an "I'm on it" claim is released. */
export const CLAIM_HOURS_SETTING = 'desk.claimHours';

/** How someone reaches a desk: as the company's own staff (may act) or as the host (reads). */
export type DeskAccess = { kind: 'staff'; company: CompanyRecord; userId: string } | { kind: 'host'; company: CompanyRecord; userId: string };

/**
 * Who may open `companyId`'s desk: that company's verified staff; the site's moderators and admins
 * (read-only). Everyone else is refused, members and other companies' staff alike.
 */
export async function deskAccess(ctx: AppContext, principal: Principal, companyParam: unknown): Promise<DeskAccess> {
  const companyId = valid(parseWith(CompanyIdSchema, companyParam));
  const actor = actorOf(principal);
  requirePermission(actor, 'read-company-desk');
  const site = principal.site.id;
  let kind: DeskAccess['kind'] = 'host';
  if (principal.roles.includes('staff')) {
    const affiliation = await ctx.store.getActiveAffiliation(site, actor.id);
    if (!affiliation || affiliation.companyId !== companyId) throw new ParleyError('forbidden', 'Only verified staff of this company, and the site’s moderators, can open its desk.');
    kind = 'staff';
  }
  const company = await ctx.store.getCompany(site, companyId);
  if (!company) throw new ParleyError('not_found', 'No such company on this site.');
  return { kind, company, userId: actor.id };
}

/** Only the company's own staff act on its desk (claims, answers, pledge). */
async function staffAccess(ctx: AppContext, principal: Principal, companyParam: unknown): Promise<DeskAccess & { kind: 'staff' }> {
  const access = await deskAccess(ctx, principal, companyParam);
  if (access.kind !== 'staff' || !can(principal.roles, 'work-company-desk')) {
    throw new ParleyError('forbidden', 'Only the company’s own verified staff act on its desk; moderators and admins read it.');
  }
  return access;
}

export async function claimHours(ctx: AppContext, site: string): Promise<number> {
  const stored = await ctx.store.getSetting(site, CLAIM_HOURS_SETTING);
  return effectiveClaimHours(stored === null ? null : Number(stored));
}

async function claimView(ctx: AppContext, claim: ClaimRecord | undefined | null, now: number): Promise<DeskClaim | null> {
  if (!claim || !claimActive(claim, now)) return null;
  const user = await ctx.store.getUser(claim.site, claim.userId);
  return { by: user?.displayName ?? 'Former staff member', byUserId: claim.userId, since: claim.since, expiresAt: claim.expiresAt };
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** GET /companies/{id}/desk?product=&topic= */
export async function companyDesk(ctx: AppContext, principal: Principal, companyParam: unknown, query: unknown): Promise<CompanyDesk> {
  const access = await deskAccess(ctx, principal, companyParam);
  const filter = valid(parseWith(DeskQuerySchema, query ?? {}));
  const { company } = access;
  const site = principal.site.id;
  const now = ctx.now().getTime();
  const productNames = company.products.map((p) => p.name);
  const wantProduct = filter.product ? productNames.find((n) => n.toLowerCase() === filter.product!.toLowerCase()) : undefined;
  if (filter.product && !wantProduct) throw new ParleyError('validation_failed', 'product: not a product of this company.', { issues: [{ path: 'product', message: 'not a product of this company' }] });
  const ownProducts = async (text: string) => [...new Set((await productMentionsIn(ctx, site, text)).filter((m) => m.companyId === company.id).map((m) => m.name))];
  const topicTitles = new Map<string, Promise<string | null>>();
  const topicOf = async (id: string) => {
    if (!topicTitles.has(id)) topicTitles.set(id, ctx.store.getTopic(site, id).then((t) => t?.title ?? null));
    return { id, title: await topicTitles.get(id)! };
  };

  // Open questions, oldest first.
  const open = (await ctx.store.openQuestions(site, company.id, LIMITS.deskQuestionsMax)).filter((q) => !filter.topic || q.topic === filter.topic);
  const records = (await Promise.all(open.map((q) => ctx.store.getPost(site, q.postId)))).filter((r): r is PostRecord => r !== null);
  const posts = new Map((await presentPosts(ctx, site, records)).map((p) => [p.id, p]));
  const claims = await ctx.store.claimsFor(site, open.map((q) => q.postId));
  const openQuestions: DeskQuestion[] = [];
  for (const q of open) {
    const post = posts.get(q.postId);
    if (!post) continue;
    const products = await ownProducts(post.body);
    if (wantProduct && !products.includes(wantProduct)) continue;
    openQuestions.push({ post, topic: await topicOf(q.topic), waitedHours: hoursBetween(Date.parse(q.askedAt), now), claim: await claimView(ctx, claims.get(q.postId), now), products });
  }

  // Member posts naming the company or its products, newest first.
  const names = [company.displayName, ...company.products.flatMap((p) => [p.name, ...p.inn])];
  const companyName = new RegExp(`(^|[^\\p{L}\\p{N}])${escapeRegExp(company.displayName)}($|[^\\p{L}\\p{N}])`, 'iu');
  const candidates = (await ctx.store.memberPostsNaming(site, names, LIMITS.deskMentionsMax * 4)).filter((r) => !filter.topic || r.topic === filter.topic);
  const named: Array<{ record: PostRecord; names: string[] }> = [];
  for (const record of candidates) {
    const found = await ownProducts(record.body);
    if (wantProduct && !found.includes(wantProduct)) continue;
    const all = companyName.test(record.body) ? [company.displayName, ...found] : found;
    if (all.length) named.push({ record, names: all });
    if (named.length >= LIMITS.deskMentionsMax) break;
  }
  const mentionPosts = new Map((await presentPosts(ctx, site, named.map((n) => n.record))).map((p) => [p.id, p]));
  const mentions: DeskMention[] = await Promise.all(named.map(async (n) => ({ post: mentionPosts.get(n.record.id)!, topic: await topicOf(n.record.topic), names: n.names })));

  // Safety flags about the company's products (listing them as staff starts the company's clock, as on the safety list).
  const safetyFlags = (await listFlags(ctx, principal, { company: company.id, limit: '100' })).flags
    .filter((f) => (!filter.topic || f.topic === filter.topic) && (!wantProduct || f.products.includes(wantProduct)));

  const pledge = await approvedPledge(ctx, site, company.id);
  return {
    site,
    company: { id: company.id, name: company.displayName, products: productNames },
    openQuestions,
    mentions,
    safetyFlags,
    presence: await companyPresence(ctx, principal.site, company.id, {}),
    figures: await companyQuestionFigures(ctx, site, company.id, pledge),
    pledge,
    pendingPledge: pledgeView(await ctx.store.getPledge(site, company.id, 'pending')),
    claimHours: await claimHours(ctx, site),
    canAct: access.kind === 'staff',
    generatedAt: new Date(now).toISOString(),
  };
}

async function openQuestionOf(ctx: AppContext, site: string, companyId: string, postParam: unknown) {
  const postId = valid(parseWith(PostIdSchema, postParam));
  const q = await ctx.store.getQuestion(site, postId);
  if (!q || q.companyId !== companyId) throw new ParleyError('not_found', 'No question to this company with that id.');
  if (q.status !== 'open') throw new ParleyError('question_conflict', 'This question is no longer open.');
  return q;
}

/** POST /companies/{id}/questions/{postId}/claim: "I'm on it", visible to colleagues and moderators, until it expires. */
export async function claimQuestion(ctx: AppContext, principal: Principal, companyParam: unknown, postParam: unknown): Promise<{ claim: DeskClaim }> {
  const access = await staffAccess(ctx, principal, companyParam);
  const site = principal.site.id;
  const now = ctx.now().getTime();
  // Check and claim in one transaction: two colleagues clicking at once must not both be told they are on it.
  const { q, record } = await ctx.store.transaction(async () => {
    const q = await openQuestionOf(ctx, site, access.company.id, postParam);
    const current = await ctx.store.getClaim(site, q.postId);
    if (current && claimActive(current, now) && current.userId !== access.userId) {
      const holder = (await ctx.store.getUser(site, current.userId))?.displayName ?? 'a colleague';
      throw new ParleyError('question_conflict', `${holder} is already on it (until ${current.expiresAt}).`);
    }
    const record: ClaimRecord = {
      site, postId: q.postId, companyId: access.company.id, userId: access.userId,
      since: new Date(now).toISOString(), expiresAt: new Date(claimExpiresAt(now, await claimHours(ctx, site))).toISOString(),
    };
    await ctx.store.setClaim(record);
    return { q, record };
  });
  ctx.broadcast.deskUpdated(site, { company: access.company.id, postId: q.postId, reason: 'claimed' });
  return { claim: (await claimView(ctx, record, now))! };
}

/** DELETE /companies/{id}/questions/{postId}/claim: the claimer lets go (claims also lapse by themselves). */
export async function releaseClaim(ctx: AppContext, principal: Principal, companyParam: unknown, postParam: unknown): Promise<{ released: true }> {
  const access = await staffAccess(ctx, principal, companyParam);
  const site = principal.site.id;
  const postId = valid(parseWith(PostIdSchema, postParam));
  // Check and release in one transaction, like the claim.
  await ctx.store.transaction(async () => {
    const q = await ctx.store.getQuestion(site, postId);
    if (!q || q.companyId !== access.company.id) throw new ParleyError('not_found', 'No question to this company with that id.');
    const current = await ctx.store.getClaim(site, postId);
    if (!current || !claimActive(current, ctx.now().getTime())) throw new ParleyError('not_found', 'Nobody is on this question.');
    if (current.userId !== access.userId) throw new ParleyError('forbidden', 'Only the colleague who claimed a question releases it; it lapses by itself otherwise.');
    await ctx.store.deleteClaim(site, postId);
  });
  ctx.broadcast.deskUpdated(site, { company: access.company.id, postId, reason: 'released' });
  return { released: true };
}

/** PUT /companies/{id}/pledge: the company's staff propose its public pledge; it waits for an admin. */
export async function proposePledge(ctx: AppContext, principal: Principal, companyParam: unknown, input: unknown): Promise<{ pendingPledge: Pledge }> {
  const access = await staffAccess(ctx, principal, companyParam);
  const { text, answerWithinDays } = valid(parseWith(PledgeSchema, input));
  const site = principal.site.id;
  const at = ctx.now().toISOString();
  await ctx.store.proposePledge({ site, companyId: access.company.id, state: 'pending', text, answerWithinDays, proposedBy: access.userId, proposedAt: at, approvedBy: null, approvedAt: null });
  return { pendingPledge: pledgeView(await ctx.store.getPledge(site, access.company.id, 'pending'))! };
}

/** POST /admin/companies/{id}/pledge {approve, reason?}: an admin approves (public, logged) or refuses the proposal. */
export async function decidePledge(ctx: AppContext, principal: Principal, companyParam: unknown, input: unknown): Promise<{ pledge: Pledge | null; pendingPledge: Pledge | null }> {
  const actor = actorOf(principal);
  requirePermission(actor, 'manage-company-desk');
  const companyId = valid(parseWith(CompanyIdSchema, companyParam));
  const { approve, reason } = valid(parseWith(PledgeDecisionSchema, input));
  const site = principal.site.id;
  // One transaction: the text logged is the text decided, even if the staff propose again meanwhile.
  await ctx.store.transaction(async () => {
    const company = await ctx.store.getCompany(site, companyId);
    if (!company) throw new ParleyError('not_found', 'No such company on this site.');
    const pending = await ctx.store.getPledge(site, companyId, 'pending');
    if (!pending) throw new ParleyError('not_found', 'The company has no pledge waiting for approval.');
    const at = ctx.now().toISOString();
    if (approve) await ctx.store.approvePledge(site, companyId, actor.id, at);
    else await ctx.store.rejectPledge(site, companyId);
    // The pledge is a public promise: its approval and refusal are in the audit log, with the text.
    await ctx.audit.append({
      site, kind: 'company.pledge', at, actor: await auditActorOf(ctx, site, actor.id),
      data: { company: companyId, decision: approve ? 'approved' : 'refused', text: pending.text, answerWithinDays: pending.answerWithinDays, ...(reason ? { reason } : {}) },
    });
  });
  return { pledge: await approvedPledge(ctx, site, companyId), pendingPledge: pledgeView(await ctx.store.getPledge(site, companyId, 'pending')) };
}

/** GET and PUT /admin/desk: the site's desk settings. */
export async function deskSettings(ctx: AppContext, principal: Principal): Promise<{ claimHours: number }> {
  requirePermission(actorOf(principal), 'manage-company-desk');
  return { claimHours: await claimHours(ctx, principal.site.id) };
}

export async function setDeskSettings(ctx: AppContext, principal: Principal, input: unknown): Promise<{ claimHours: number }> {
  requirePermission(actorOf(principal), 'manage-company-desk');
  const { claimHours: hours } = valid(parseWith(DeskSettingsSchema, input));
  await ctx.store.setSetting(principal.site.id, CLAIM_HOURS_SETTING, String(hours));
  return { claimHours: hours };
}
