/**
 * Products named in staff posts (issue 6): "the post shows the product mention plainly", and the
 * staff composer's pre-check reminds the author of the site's rule on promotion when a draft
 * names a prescription-only medicine (a reminder, never a block).
 *
 * Matching is moderation/detectors/prescription-mention.ts (brand and generic names, token level,
 * case- and diacritic-insensitive) over the products of every company in the site's register:
 * staff naming a competitor's medicine is as visible as naming their own. Mentions are computed
 * from the current text when a post is presented, so they follow edits and cost no storage; the
 * compiled matcher is kept per site until the register changes.
 */
import { compileProducts, findProductMentions, type CompiledProducts, type Product as MatchedProduct } from '../../moderation/detectors/index.js';
import type { ProductMentionNote } from '../../moderation/types.js';
import type { PostRecord } from '../store/store.js';
import type { AppContext } from './context.js';
import { currentRuleById, ruleUrl } from './rules.js';

/** Site setting naming the house rule on promotion that the reminder quotes (default R4). */
export const PROMOTION_RULE_SETTING = 'promotion-rule';
export const DEFAULT_PROMOTION_RULE = 'R4';

export interface ProductMention extends ProductMentionNote {
  companyId: string;
}

export interface SiteProducts {
  /** The register's products as matched: the compiled matcher is rebuilt when they change. */
  fingerprint: string;
  compiled: CompiledProducts;
  prescriptionOnly: boolean[];
}

const CACHE = new WeakMap<AppContext, Map<string, SiteProducts>>();

/**
 * The site's register compiled for matching, shared by product mentions on staff posts and the
 * adverse-event detector on member posts (server/services/safety.ts): one cache, one rule for
 * when it is stale (the products themselves, so two edits in one millisecond cannot hide).
 */
export async function siteProducts(ctx: AppContext, site: string): Promise<SiteProducts> {
  const products: MatchedProduct[] = [];
  const prescriptionOnly: boolean[] = [];
  for (const company of await ctx.store.listCompanies(site)) {
    for (const p of company.products) {
      // Other spellings, if the register lists them (the product shape may grow an `aliases` list).
      const aliases = (p as { aliases?: unknown }).aliases;
      products.push({ companyId: company.id, name: p.name, inn: p.inn, aliases: Array.isArray(aliases) ? aliases.filter((a): a is string => typeof a === 'string') : [] });
      prescriptionOnly.push(p.prescriptionOnly);
    }
  }
  const fingerprint = JSON.stringify([products, prescriptionOnly]);
  let sites = CACHE.get(ctx);
  if (!sites) CACHE.set(ctx, (sites = new Map()));
  const cached = sites.get(site);
  if (cached?.fingerprint === fingerprint) return cached;
  const entry = { fingerprint, compiled: compileProducts(products), prescriptionOnly };
  sites.set(site, entry);
  return entry;
}

function mentionsWith(products: SiteProducts, text: string): ProductMention[] {
  if (products.prescriptionOnly.length === 0) return [];
  return findProductMentions(text, products.compiled).map((m) => ({
    name: m.product,
    prescriptionOnly: products.prescriptionOnly[m.productIndex] ?? false,
    companyId: m.companyId,
  }));
}

/** The register's products a text names, in order of first mention. */
export async function productMentionsIn(ctx: AppContext, site: string, text: string): Promise<ProductMention[]> {
  return mentionsWith(await siteProducts(ctx, site), text);
}

/**
 * Mentions to show on these posts: visible posts written with a staff badge only (members may
 * name any medicine without a label). Never throws: a failure leaves posts without the line.
 */
export async function productMentionsFor(ctx: AppContext, site: string, records: readonly PostRecord[]): Promise<Map<string, ProductMentionNote[]>> {
  const out = new Map<string, ProductMentionNote[]>();
  const staff = records.filter((r) => r.authorSnapshot.affiliation && r.status === 'visible');
  if (staff.length === 0) return out;
  try {
    const products = await siteProducts(ctx, site);
    for (const r of staff) {
      const found = mentionsWith(products, r.body);
      if (found.length) out.set(r.id, found.map(({ name, prescriptionOnly }) => ({ name, prescriptionOnly })));
    }
  } catch (err) {
    ctx.log.error({ err, site }, 'product mentions could not be computed; posts are shown without them');
  }
  return out;
}

/** The house rule on promotion the staff reminder quotes, or null when the site has none in force. */
export async function promotionRule(ctx: AppContext, site: string): Promise<{ id: string; version: number; title: string; text: string; url: string } | null> {
  const id = (await ctx.store.getSetting(site, PROMOTION_RULE_SETTING)) || DEFAULT_PROMOTION_RULE;
  const rule = await currentRuleById(ctx, site, id);
  if (!rule || rule.kind !== 'prohibition') return null;
  return { id: rule.id, version: rule.version, title: rule.title, text: rule.text, url: ruleUrl(ctx, site, rule.id) };
}
