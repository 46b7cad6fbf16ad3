/**
 * Possible adverse events go to the company's safety team (issue 6). Posting calls
 * `flagIfPossibleAdverseEvent` after a member's post is stored; it never hides, edits or
 * delays the post (the post is already committed and broadcast when this runs).
 *
 * This file: detection (the site's compiled lexicon and product list), the site's safety
 * settings, and helpers the other safety services share. Around it:
 *  - safety-flags.ts     what moderators, company staff and the post's author see; the seen clock; consent
 *  - safety-forward.ts   the one-step forward to the company's safety contact
 *  - safety-delivery.ts  email / webhook delivery with retries (the timer app.ts starts)
 *  - safety-admin.ts     pharmacovigilance contacts, monitoring-feed tokens, the feed
 *
 * A flag is not a moderation report: it does not enter the moderation queue, creates no
 * statement of reasons and cannot restrict anything (requirements P-1, P-5). The detection is
 * recorded in the public audit log as automated, without the post text or personal data.
 */
import { randomInt } from 'node:crypto';
import { compileLexicon, detectAdverseEvents, type CompiledLexicon, type CompiledProducts } from '../../moderation/detectors/index.js';
import { siteProducts } from './product-mentions.js';
import { ParleyError } from '../../moderation/errors.js';
import { DEFAULT_REPORTING_SCHEMES, siteLexicon, type ReportingScheme } from '../../moderation/safety.js';
import { SafetySettingsSchema } from '../../moderation/safety-schemas.js';
import { parseWith } from '../../moderation/schemas.js';
import { auditActorOf } from '../audit/identity-events.js';
import type { NewSafetyFlag } from '../store/safety-store.js';
import type { PostRecord } from '../store/store.js';
import { requirePermission, type Actor } from './actor.js';
import type { AppContext } from './context.js';
import type { Principal } from './identity.js';
import { valid } from './validate.js';

export const SAFETY_SETTINGS_KEY = 'safety.settings';
export const ADVERSE_EVENT_ACTOR = { type: 'automated', label: 'Adverse-event detector' } as const;

export interface SafetySettings {
  extraTerms: Array<{ language: string; concept: string; patterns: string[] }>;
  /** The configured schemes, or the defaults. */
  schemes: ReportingScheme[];
  /** Whether `schemes` are the site's own (false: the defaults). */
  customSchemes: boolean;
  defaultCountry: string | null;
  postUrlTemplate: string | null;
  relayEmail: string | null;
}

interface StoredSettings {
  extraTerms?: SafetySettings['extraTerms'];
  schemes?: ReportingScheme[] | null;
  defaultCountry?: string | null;
  postUrlTemplate?: string | null;
  relayEmail?: string | null;
}

async function storedSettings(ctx: AppContext, site: string): Promise<{ raw: string; stored: StoredSettings }> {
  const raw = (await ctx.store.getSetting(site, SAFETY_SETTINGS_KEY)) ?? '{}';
  try {
    const parsed = JSON.parse(raw);
    return { raw, stored: parsed && typeof parsed === 'object' ? (parsed as StoredSettings) : {} };
  } catch {
    return { raw, stored: {} };
  }
}

export async function safetySettings(ctx: AppContext, site: string): Promise<SafetySettings> {
  const { stored } = await storedSettings(ctx, site);
  return {
    extraTerms: stored.extraTerms ?? [],
    schemes: stored.schemes ?? [...DEFAULT_REPORTING_SCHEMES],
    customSchemes: !!stored.schemes,
    defaultCountry: stored.defaultCountry ?? null,
    postUrlTemplate: stored.postUrlTemplate ?? null,
    relayEmail: stored.relayEmail ?? null,
  };
}

/** Admin: change the site's safety settings (omitted fields stay; null resets). Logged without addresses. */
export async function updateSafetySettings(ctx: AppContext, actor: Actor, input: unknown): Promise<{ settings: SafetySettings }> {
  requirePermission(actor, 'manage-companies');
  const change = valid(parseWith(SafetySettingsSchema, input));
  const site = actor.site.id;
  await ctx.store.transaction(async () => {
    // Read and write in one transaction: two admins saving different fields at once both keep theirs.
    const { stored } = await storedSettings(ctx, site);
    const next: StoredSettings = { ...stored };
    for (const [key, value] of Object.entries(change) as Array<[keyof StoredSettings, unknown]>) {
      if (value !== undefined) (next as Record<string, unknown>)[key] = value;
    }
    await ctx.store.setSetting(site, SAFETY_SETTINGS_KEY, JSON.stringify(next));
    await ctx.audit.append({
      site, kind: 'settings.safety', at: ctx.now().toISOString(), actor: await auditActorOf(ctx, site, actor.id),
      data: {
        extraTerms: next.extraTerms?.length ?? 0,
        schemes: (next.schemes ?? DEFAULT_REPORTING_SCHEMES).map((s) => s.country),
        defaultCountry: next.defaultCountry ?? null,
        postLinks: next.postUrlTemplate ? 'host-page' : 'api',
        relayMailbox: !!next.relayEmail,
      },
    });
  });
  return { settings: await safetySettings(ctx, site) };
}

/**
 * Runs `fn` in one store transaction (a change and its audit entry commit together).
 * @deprecated A thin wrapper kept for callers not yet ported: use `ctx.store.transaction(async () => …)`.
 */
export async function inTransaction<T>(ctx: AppContext, fn: () => Promise<T>): Promise<T> {
  return ctx.store.transaction(fn);
}

// ---------------------------------------------------------------------------------------------
// Detection
// ---------------------------------------------------------------------------------------------

interface SiteDetector {
  settingsRaw: string;
  lexicon: CompiledLexicon;
  products: CompiledProducts;
}
/** Compiled lexicon per site, per running server, recompiled only when the settings change; the products come from the register's shared cache. */
const DETECTORS = new WeakMap<AppContext, Map<string, SiteDetector>>();

async function detectorOf(ctx: AppContext, site: string): Promise<SiteDetector> {
  const { raw, stored } = await storedSettings(ctx, site);
  const products = (await siteProducts(ctx, site)).compiled;
  let sites = DETECTORS.get(ctx);
  if (!sites) DETECTORS.set(ctx, (sites = new Map()));
  let detector = sites.get(site);
  if (!detector || detector.settingsRaw !== raw || detector.products !== products) {
    detector = {
      settingsRaw: raw,
      lexicon: detector && detector.settingsRaw === raw ? detector.lexicon : compileLexicon(siteLexicon(stored.extraTerms ?? [])),
      products,
    };
    sites.set(site, detector);
  }
  return detector;
}

const REFERENCE_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
/** PV-XXXXXXXXXX: short enough to read out on the phone, unguessable enough not to enumerate. */
function newReference(): string {
  let out = 'PV-';
  for (let i = 0; i < 10; i++) out += REFERENCE_ALPHABET[randomInt(REFERENCE_ALPHABET.length)];
  return out;
}

/**
 * Flags a just-stored member post that names a company's product together with a possible
 * side effect: one flag per company (several of its products in one post share the flag).
 * Idempotent (a post already flagged for a company is left as it is), so an edit may call
 * it again. Returns the flags it created. Never changes the post.
 */
export async function flagIfPossibleAdverseEvent(ctx: AppContext, post: PostRecord): Promise<Array<{ id: string; companyId: string }>> {
  if (post.authorSnapshot.affiliation || post.status !== 'visible') return [];
  const detector = await detectorOf(ctx, post.site);
  if (detector.products.products.length === 0) return [];
  const matches = detectAdverseEvents(post.body, detector.products, { lexicon: detector.lexicon });
  if (matches.length === 0) return [];

  const byCompany = new Map<string, typeof matches>();
  for (const m of matches) byCompany.set(m.companyId, [...(byCompany.get(m.companyId) ?? []), m]);
  const at = ctx.now().toISOString();
  const created = await ctx.store.transaction(async () => {
    const created: Array<{ id: string; companyId: string }> = [];
    for (const [companyId, hits] of byCompany) {
      const distinct = (xs: string[]) => [...new Set(xs)];
      const flag: NewSafetyFlag = {
        id: ctx.newId(), site: post.site, postId: post.id, topic: post.topic, authorId: post.authorId, companyId,
        products: distinct(hits.map((h) => h.product)),
        eventTerms: distinct(hits.flatMap((h) => h.eventTerms)),
        concepts: distinct(hits.flatMap((h) => h.concepts)),
        negatedTerms: distinct(hits.flatMap((h) => h.negatedTerms)),
        language: hits[0]!.language,
        reference: newReference(),
        detectedAt: at,
      };
      if (!(await ctx.store.createSafetyFlag(flag))) continue;
      const ref = await ctx.audit.append({
        site: post.site,
        kind: 'detection.adverse-event',
        at,
        actor: { ...ADVERSE_EVENT_ACTOR },
        subject: { postId: post.id, topic: post.topic },
        // No post text and nothing about the member; the product names are public register data.
        data: {
          postId: post.id,
          company: companyId,
          products: flag.products,
          language: flag.language,
          automated_detection: true,
          // A flag only suggests a look; a person decides whether to forward it. The post is untouched.
          automated_decision: false,
        },
        // Which symptoms were matched says something about someone's health: committed, so erasable.
        sensitive: { concepts: JSON.stringify(flag.concepts) },
      });
      if (ref.index >= 0) await ctx.store.setSafetyFlagLogIndex(post.site, flag.id, ref.index);
      created.push({ id: flag.id, companyId });
    }
    return created;
  });
  if (created.length) ctx.log.info({ site: post.site, post: post.id, companies: created.map((c) => c.companyId) }, 'possible adverse event flagged');
  return created;
}

// ---------------------------------------------------------------------------------------------
// Who is asking
// ---------------------------------------------------------------------------------------------

export type SafetyViewer =
  | { kind: 'moderator'; userId: string }
  | { kind: 'company-staff'; userId: string; companyId: string; companyName: string; name: string };

/**
 * Moderators and admins see every flag; verified company staff see (and may forward) only
 * flags about their own company's products; everyone else is refused.
 */
export async function safetyViewerOf(ctx: AppContext, principal: Principal): Promise<SafetyViewer> {
  if (!principal.user) throw new ParleyError('unauthenticated', 'Sign in first.');
  const roles = principal.roles;
  // `can()` never lets company staff moderate, even with a moderator role.
  if (!roles.includes('staff') && (roles.includes('moderator') || roles.includes('admin'))) {
    requirePermission({ site: principal.site, id: principal.user.id, roles }, 'forward-safety');
    return { kind: 'moderator', userId: principal.user.id };
  }
  if (roles.includes('staff')) {
    requirePermission({ site: principal.site, id: principal.user.id, roles }, 'forward-safety');
    const affiliation = await ctx.store.getActiveAffiliation(principal.site.id, principal.user.id);
    if (affiliation) {
      return { kind: 'company-staff', userId: principal.user.id, companyId: affiliation.companyId, companyName: affiliation.companyName, name: principal.user.displayName };
    }
  }
  throw new ParleyError('forbidden', 'Only moderators and verified staff of the company concerned can see possible adverse-event flags.');
}
