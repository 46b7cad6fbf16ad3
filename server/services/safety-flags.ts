/**
 * What people see of possible adverse-event flags (issue 6):
 *  - moderators see every flag; verified company staff only their own company's flags
 *    (listing them counts as having the posts on screen: the company's clock starts);
 *  - the seen clock: the widget tells Parley which flagged posts a staff member had on
 *    screen, and the first time per company is kept (first wins);
 *  - the post's author, and only they, gets a private signpost to their country's reporting
 *    scheme and answers whether the company's safety team may contact them through the host;
 *  - site admins resolve a safety team's reference to the member's host account.
 */
import { ParleyError } from '../../moderation/errors.js';
import { OpaqueIdSchema } from '../../moderation/moderation-schemas.js';
import {
  chooseReportingScheme, signpostFor, type FirstSeenVia, type MySafetyFlagView, type SafetyFlagView,
} from '../../moderation/safety.js';
import {
  MyFlagsQuerySchema, SafetyConsentSchema, SafetyFlagsQuerySchema, SafetyReferenceSchema, SafetySeenSchema,
} from '../../moderation/safety-schemas.js';
import { parseWith } from '../../moderation/schemas.js';
import type { SafetyFlagRecord } from '../store/safety-store.js';
import { requirePermission } from './actor.js';
import type { AppContext } from './context.js';
import type { Principal } from './identity.js';
import { safetySettings, safetyViewerOf, type SafetyViewer } from './safety.js';
import { contactForFlag } from './safety-contacts.js';
import { flagFor, flagLink, forwardView, sendConsentUpdate } from './safety-forward.js';
import { valid } from './validate.js';

export async function flagView(ctx: AppContext, viewer: SafetyViewer, flag: SafetyFlagRecord): Promise<SafetyFlagView> {
  const site = flag.site;
  const company = await ctx.store.getCompany(site, flag.companyId);
  const post = await ctx.store.getPost(site, flag.postId);
  const forward = await ctx.store.getSafetyForwardByFlag(site, flag.id);
  const deleted = post?.authorKind === 'deleted';
  const hasSafetyContact = (await contactForFlag(ctx, flag)) !== null;
  return {
    id: flag.id,
    reference: flag.reference,
    postId: flag.postId,
    topic: flag.topic,
    url: (await flagLink(ctx, flag)).url,
    company: { id: flag.companyId, name: company?.displayName ?? flag.companyId, hasSafetyContact },
    products: flag.products,
    eventTerms: flag.eventTerms,
    concepts: flag.concepts,
    negatedTerms: flag.negatedTerms,
    language: flag.language,
    detectedAt: flag.detectedAt,
    logIndex: flag.logIndex,
    post: post
      ? {
          id: post.id, createdAt: post.createdAt, editedAt: post.editedAt, status: post.status,
          body: post.status === 'visible' ? post.body : '',
          author: {
            name: deleted ? 'Deleted member' : post.authorName,
            kind: post.authorKind,
            // Moderators can look the author up (as in their queue); company staff get the public name only.
            ...(viewer.kind === 'moderator' && !deleted ? { id: post.authorId } : {}),
          },
        }
      : null,
    firstSeenByCompanyStaffAt: flag.firstSeenAt,
    firstSeenVia: flag.firstSeenVia,
    memberConsent: flag.consent,
    forward: forward ? await forwardView(ctx, forward) : null,
    // Not yet forwarded and somewhere to send it (forwarding again would only repeat the first answer).
    youMayForward: forward === null && hasSafetyContact,
  };
}

/** Company staff looking at flags have the posts on screen: record it before answering. */
async function markListed(ctx: AppContext, viewer: SafetyViewer, site: string, flags: SafetyFlagRecord[], via: FirstSeenVia, by?: string): Promise<SafetyFlagRecord[]> {
  if (viewer.kind !== 'company-staff' || flags.length === 0) return flags;
  const unseen = flags.filter((f) => f.firstSeenAt === null);
  if (unseen.length === 0) return flags;
  await ctx.store.recordSafetyFirstSeen(site, viewer.companyId, unseen.map((f) => f.postId), ctx.now().toISOString(), by ?? viewer.userId, via);
  return Promise.all(flags.map(async (f) => (f.firstSeenAt === null ? (await ctx.store.getSafetyFlag(site, f.id)) ?? f : f)));
}

/** GET /safety/flags: newest first, cursor-paged. */
export async function listFlags(ctx: AppContext, principal: Principal, query: unknown): Promise<{ flags: SafetyFlagView[]; nextCursor: string | null }> {
  const viewer = await safetyViewerOf(ctx, principal);
  const q = valid(parseWith(SafetyFlagsQuerySchema, query ?? {}));
  if (viewer.kind === 'company-staff' && q.company && q.company !== viewer.companyId) {
    throw new ParleyError('forbidden', 'Company staff see only flags about their own company’s products.');
  }
  const site = principal.site.id;
  const companyId = viewer.kind === 'company-staff' ? viewer.companyId : q.company;
  const rows = await ctx.store.listSafetyFlags(site, {
    companyId, postId: q.post, postIds: q.posts, forwarded: q.forwarded === undefined ? undefined : q.forwarded === 'true',
    beforeSeq: q.cursor, limit: q.limit + 1,
  });
  const page = rows.slice(0, q.limit);
  const flags = await markListed(ctx, viewer, site, page, 'list');
  return { flags: await Promise.all(flags.map((f) => flagView(ctx, viewer, f))), nextCursor: rows.length > q.limit ? String(page.at(-1)!.seq) : null };
}

/** GET /safety/flags/{id}. */
export async function getFlag(ctx: AppContext, principal: Principal, id: unknown): Promise<{ flag: SafetyFlagView }> {
  const viewer = await safetyViewerOf(ctx, principal);
  const flag = await flagFor(ctx, viewer, principal.site.id, id);
  const [seen] = await markListed(ctx, viewer, principal.site.id, [flag], 'list');
  return { flag: await flagView(ctx, viewer, seen!) };
}

/**
 * POST /safety/seen {postIds}: a signed-in company employee had these posts on screen. Only
 * flagged posts about their company count; other ids are ignored. First wins.
 */
export async function recordSeen(ctx: AppContext, principal: Principal, input: unknown): Promise<{ recorded: number }> {
  const viewer = await safetyViewerOf(ctx, principal);
  const { postIds } = valid(parseWith(SafetySeenSchema, input));
  // Moderators are not the company: their views start no clock.
  if (viewer.kind !== 'company-staff') return { recorded: 0 };
  const recorded = await ctx.store.recordSafetyFirstSeen(principal.site.id, viewer.companyId, [...new Set(postIds)], ctx.now().toISOString(), viewer.userId, 'screen');
  return { recorded };
}

// ---------------------------------------------------------------------------------------------
// The member who wrote the post
// ---------------------------------------------------------------------------------------------

async function myFlagView(ctx: AppContext, principal: Principal, flag: SafetyFlagRecord, memberCountry: string | null): Promise<MySafetyFlagView> {
  const site = principal.site;
  const settings = await safetySettings(ctx, site.id);
  const company = await ctx.store.getCompany(site.id, flag.companyId);
  const companyName = company?.displayName ?? flag.companyId;
  const choice = chooseReportingScheme(settings.schemes, { memberCountry, siteCountry: settings.defaultCountry, language: flag.language });
  return {
    id: flag.id,
    postId: flag.postId,
    topic: flag.topic,
    company: { id: flag.companyId, name: companyName },
    products: flag.products,
    detectedAt: flag.detectedAt,
    contactConsent: flag.consent,
    consentAt: flag.consentAt,
    forwarded: (await ctx.store.getSafetyForwardByFlag(site.id, flag.id)) !== null,
    signpost: signpostFor({
      choice, companyName, products: flag.products, hostName: site.name,
      companyHasSafetyContact: (await contactForFlag(ctx, flag)) !== null,
    }),
  };
}

/** GET /safety/my-flags: the signed-in member's own flagged posts with their private signpost. */
export async function myFlags(ctx: AppContext, principal: Principal, query: unknown): Promise<{ flags: MySafetyFlagView[] }> {
  if (!principal.user) throw new ParleyError('unauthenticated', 'Sign in to see notes about your own posts.');
  const q = valid(parseWith(MyFlagsQuerySchema, query ?? {}));
  const flags = await ctx.store.listSafetyFlags(principal.site.id, { authorId: principal.user.id, postId: q.post, limit: 100 });
  return { flags: await Promise.all(flags.map((f) => myFlagView(ctx, principal, f, q.country ?? null))) };
}

/** POST /safety/flags/{id}/consent {contact}: only the post's author; others are told there is no such flag. */
export async function setConsent(ctx: AppContext, principal: Principal, id: unknown, input: unknown): Promise<{ flag: MySafetyFlagView }> {
  const user = principal.user;
  if (!user) throw new ParleyError('unauthenticated', 'Sign in to answer.');
  const flagId = valid(parseWith(OpaqueIdSchema, id));
  const { contact } = valid(parseWith(SafetyConsentSchema, input));
  const site = principal.site.id;
  // Read and answer in one transaction: of two answers at once, each sees the one before it.
  const { flag, changed } = await ctx.store.transaction(async () => {
    const flag = await ctx.store.getSafetyFlag(site, flagId);
    if (!flag || flag.authorId !== user.id) throw new ParleyError('not_found', 'No such note about one of your posts.');
    const changed = flag.consent !== contact;
    await ctx.store.setSafetyConsent(site, flag.id, contact, ctx.now().toISOString());
    return { flag, changed };
  });
  // Already forwarded: the safety team hears about the new answer (nothing is sent if it did not change).
  if (changed) await sendConsentUpdate(ctx, flag, contact);
  return { flag: await myFlagView(ctx, principal, (await ctx.store.getSafetyFlag(site, flag.id))!, null) };
}

/**
 * GET /safety/relay/{reference} (site admins): which member a safety team's reference is
 * about, as the host knows them (its own subject id), and whether they agreed to be contacted.
 * The host organisation then writes to its member itself; Parley never passes an address on.
 */
export async function resolveReference(ctx: AppContext, principal: Principal, reference: unknown) {
  if (!principal.user) throw new ParleyError('unauthenticated', 'Sign in first.');
  requirePermission({ site: principal.site, id: principal.user.id, roles: principal.roles }, 'manage-roles');
  const ref = valid(parseWith(SafetyReferenceSchema, reference));
  const site = principal.site.id;
  const flag = await ctx.store.getSafetyFlagByReference(site, ref);
  if (!flag) throw new ParleyError('not_found', 'No flag with this reference on this site.');
  const user = await ctx.store.getUser(site, flag.authorId);
  return {
    reference: flag.reference,
    postId: flag.postId,
    company: flag.companyId,
    member: user && user.kind !== 'deleted' ? { userId: user.id, hostSubject: user.sub, name: user.displayName } : null,
    contactConsent: flag.consent,
    consentAt: flag.consentAt,
  };
}
