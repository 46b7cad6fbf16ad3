/**
 * Safety routing, administration and monitoring (issue 6):
 *  - a company's pharmacovigilance contacts (email and/or webhook), set by site admins: a
 *    default, and more specific ones per country and/or product (issue 15, P-4; the forward
 *    picks the most specific, safety-contacts.ts); the register only shows that one exists
 *    (`safetyContact: true`), never the address;
 *  - per-company monitoring-feed tokens, created by site admins, so a safety system can poll
 *    the feed without a browser session (only a hash is stored; the token is shown once);
 *  - the monitoring feed itself: flagged posts about the company's products on this site.
 */
import { createHash, randomBytes } from 'node:crypto';
import { ParleyError } from '../../moderation/errors.js';
import type { SafetyContactView, SafetyFeedItem } from '../../moderation/safety.js';
import { SafetyContactSchema, SafetyContactScopeQuerySchema, SafetyFeedQuerySchema } from '../../moderation/safety-schemas.js';
import { CompanyIdSchema, parseWith } from '../../moderation/schemas.js';
import { auditActorOf } from '../audit/identity-events.js';
import type { CompanyRecord } from '../store/identity-store.js';
import type { SafetyContactRecord } from '../store/safety-store.js';
import type { SiteRecord } from '../store/store.js';
import { requirePermission, type Actor } from './actor.js';
import type { AppContext } from './context.js';
import type { Principal } from './identity.js';
import { publicBase } from './moderation-settings.js';
import { flagLink } from './safety-forward.js';
import { valid } from './validate.js';

function contactView(c: SafetyContactRecord): SafetyContactView {
  return { company: c.companyId, country: c.country, product: c.product, pvEmail: c.pvEmail, pvWebhookUrl: c.pvWebhookUrl, webhookSigned: !!c.webhookSecret, updatedAt: c.updatedAt };
}

async function companyIn(ctx: AppContext, site: string, id: unknown): Promise<CompanyRecord> {
  const companyId = valid(parseWith(CompanyIdSchema, id));
  const company = await ctx.store.getCompany(site, companyId);
  if (!company) throw new ParleyError('not_found', 'No such company on this site.');
  return company;
}

/** A scope's product as the company registered it; a product the company does not make is refused. */
function productOf(company: CompanyRecord, product: string | null | undefined): string | null {
  if (product === null || product === undefined) return null;
  const found = company.products.find((p) => p.name.toLocaleLowerCase('en') === product.toLocaleLowerCase('en'));
  if (!found) {
    throw new ParleyError('validation_failed', `${company.displayName} has no product named "${product}" in the register.`, {
      issues: [{ path: 'product', message: `not one of ${company.displayName}'s products (${company.products.map((p) => p.name).join(', ') || 'none registered'})` }],
    });
  }
  return found.name;
}

/** GET /admin/companies/{id}/safety-contact[?country=NL&product=Name] (admins): the contact of one scope (default: the company's default). */
export async function getSafetyContact(ctx: AppContext, actor: Actor, companyId: unknown, query?: unknown): Promise<{ contact: SafetyContactView | null }> {
  requirePermission(actor, 'manage-companies');
  const company = await companyIn(ctx, actor.site.id, companyId);
  const scope = valid(parseWith(SafetyContactScopeQuerySchema, query ?? {}));
  const contact = await ctx.store.getSafetyContact(actor.site.id, company.id, { country: scope.country ?? null, product: productOf(company, scope.product) });
  return { contact: contact ? contactView(contact) : null };
}

/** GET /admin/companies/{id}/safety-contacts (admins): every contact of the company, the default first. */
export async function listSafetyContacts(ctx: AppContext, actor: Actor, companyId: unknown): Promise<{ contacts: SafetyContactView[] }> {
  requirePermission(actor, 'manage-companies');
  const company = await companyIn(ctx, actor.site.id, companyId);
  return { contacts: (await ctx.store.listSafetyContacts(actor.site.id, company.id)).map(contactView) };
}

/**
 * PUT /admin/companies/{id}/safety-contact {pvEmail?, pvWebhookUrl?, country?, product?} (admins;
 * both channels null removes the contact of that scope). A webhook URL none of the company's
 * contacts uses yet gets a new signing secret, answered once as `webhookSecret`; a URL another
 * scope already uses keeps that secret, so one receiver checks one secret.
 */
export async function setSafetyContact(ctx: AppContext, actor: Actor, companyId: unknown, input: unknown): Promise<{ contact: SafetyContactView | null; webhookSecret?: string }> {
  requirePermission(actor, 'manage-companies');
  const site = actor.site.id;
  const company = await companyIn(ctx, site, companyId);
  const { pvEmail, pvWebhookUrl, country, product: named } = valid(parseWith(SafetyContactSchema, input));
  const scope = { country, product: productOf(company, named) };
  // Looking up the URL's secret and storing the contact in one transaction: two contacts saved
  // at once with the same new URL end up sharing one secret.
  const newSecret = await ctx.store.transaction(async () => {
    const sameUrl = pvWebhookUrl ? (await ctx.store.listSafetyContacts(site, company.id)).find((c) => c.pvWebhookUrl === pvWebhookUrl) : undefined;
    const newSecret = pvWebhookUrl && !sameUrl?.webhookSecret ? randomBytes(32).toString('base64url') : null;
    const record: SafetyContactRecord = {
      site, companyId: company.id, ...scope, pvEmail, pvWebhookUrl,
      webhookSecret: pvWebhookUrl ? (newSecret ?? sameUrl?.webhookSecret ?? null) : null,
      updatedAt: ctx.now().toISOString(), updatedBy: actor.id,
    };
    await ctx.store.setSafetyContact(record);
    // Public: that the company can (or no longer can) receive safety forwards — never the addresses.
    await ctx.audit.append({
      site, kind: 'company.safety-contact', at: record.updatedAt, actor: await auditActorOf(ctx, site, actor.id),
      data: { company: company.id, country: scope.country, product: scope.product, email: !!pvEmail, webhook: !!pvWebhookUrl },
    });
    return newSecret;
  });
  const stored = await ctx.store.getSafetyContact(site, company.id, scope);
  return { contact: stored ? contactView(stored) : null, ...(newSecret ? { webhookSecret: newSecret } : {}) };
}

const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

/** POST /admin/companies/{id}/safety-feed-token (admins): a new token; the previous one stops working. */
export async function createFeedToken(ctx: AppContext, actor: Actor, companyId: unknown): Promise<{ token: string; company: string; feedUrl: string; createdAt: string }> {
  requirePermission(actor, 'manage-companies');
  const site = actor.site.id;
  const company = await companyIn(ctx, site, companyId);
  const token = randomBytes(32).toString('base64url');
  const at = ctx.now().toISOString();
  await ctx.store.transaction(async () => {
    await ctx.store.setSafetyFeedToken(site, company.id, hashToken(token), at, actor.id);
    await ctx.audit.append({ site, kind: 'company.safety-feed', at, actor: await auditActorOf(ctx, site, actor.id), data: { company: company.id, token: 'created' } });
  });
  return { token, company: company.id, feedUrl: `${publicBase(ctx)}/api/sites/${site}/safety/feed`, createdAt: at };
}

/** DELETE /admin/companies/{id}/safety-feed-token (admins). */
export async function revokeFeedToken(ctx: AppContext, actor: Actor, companyId: unknown): Promise<{ revoked: true }> {
  requirePermission(actor, 'manage-companies');
  const site = actor.site.id;
  const company = await companyIn(ctx, site, companyId);
  const at = ctx.now().toISOString();
  await ctx.store.transaction(async () => {
    await ctx.store.setSafetyFeedToken(site, company.id, null, at, actor.id);
    await ctx.audit.append({ site, kind: 'company.safety-feed', at, actor: await auditActorOf(ctx, site, actor.id), data: { company: company.id, token: 'revoked' } });
  });
  return { revoked: true };
}

// ---------------------------------------------------------------------------------------------
// The monitoring feed
// ---------------------------------------------------------------------------------------------

/** Who reads the feed: a feed token (a company's safety system) or a verified employee of the company. */
export type FeedReader = { kind: 'token'; companyId: string } | { kind: 'staff'; companyId: string; userId: string };

export async function feedReaderFromToken(ctx: AppContext, site: SiteRecord, token: string): Promise<FeedReader> {
  if (!/^[A-Za-z0-9_-]{20,100}$/.test(token)) throw new ParleyError('token_invalid', 'Not a feed token.');
  const owner = await ctx.store.safetyFeedTokenOwner(hashToken(token));
  if (!owner || owner.site !== site.id) throw new ParleyError('token_invalid', 'This feed token is not valid on this site (revoked, or never issued).');
  return { kind: 'token', companyId: owner.companyId };
}

export async function feedReaderFromPrincipal(ctx: AppContext, principal: Principal): Promise<FeedReader> {
  if (!principal.user) throw new ParleyError('unauthenticated', 'Send a feed token (X-Parley-Feed-Token) or sign in as staff of the company.');
  const affiliation = principal.roles.includes('staff') ? await ctx.store.getActiveAffiliation(principal.site.id, principal.user.id) : null;
  if (!affiliation) throw new ParleyError('forbidden', 'The monitoring feed is for the company’s verified staff and its safety systems.');
  return { kind: 'staff', companyId: affiliation.companyId, userId: principal.user.id };
}

/**
 * GET /safety/feed: flagged posts about the reader's company's products on this site, newest
 * first, cursor-paged. No post text (follow the link). Reading it counts as the company having
 * seen them (via 'feed'), as a safety system polling it makes the company aware.
 */
export async function safetyFeed(ctx: AppContext, site: SiteRecord, reader: FeedReader, query: unknown): Promise<{ site: string; company: string; items: SafetyFeedItem[]; nextCursor: string | null }> {
  const q = valid(parseWith(SafetyFeedQuerySchema, query ?? {}));
  if (q.company && q.company !== reader.companyId) throw new ParleyError('forbidden', 'This feed is only about your own company’s products.');
  const rows = await ctx.store.listSafetyFlags(site.id, { companyId: reader.companyId, beforeSeq: q.cursor, limit: q.limit + 1 });
  const page = rows.slice(0, q.limit);
  const unseen = page.filter((f) => f.firstSeenAt === null).map((f) => f.postId);
  if (unseen.length) {
    await ctx.store.recordSafetyFirstSeen(site.id, reader.companyId, unseen, ctx.now().toISOString(), reader.kind === 'token' ? 'feed-token' : reader.userId, 'feed');
  }
  const items = await Promise.all(page.map(async (f): Promise<SafetyFeedItem> => {
    const post = await ctx.store.getPost(site.id, f.postId);
    return {
      flagId: f.id, reference: f.reference, postId: f.postId, topic: f.topic, url: (await flagLink(ctx, f)).url,
      products: f.products, eventTerms: f.eventTerms, language: f.language, flaggedAt: f.detectedAt,
      postCreatedAt: post?.createdAt ?? null, postStatus: post?.status ?? null,
      forwarded: (await ctx.store.getSafetyForwardByFlag(site.id, f.id)) !== null,
    };
  }));
  return { site: site.id, company: reader.companyId, items, nextCursor: rows.length > q.limit ? String(page.at(-1)!.seq) : null };
}
