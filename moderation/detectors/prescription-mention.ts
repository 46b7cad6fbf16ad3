/**
 * Which of a site's listed products a text names — by brand name, generic name (INN) or
 * alias.
 *
 * Why: company staff may not promote prescription-only medicines to the public. When a
 * staff draft names a product, the widget reminds the author of the promotion rules; the
 * adverse-event detector uses the same matching to decide whether a post is about a
 * company's product. One implementation, so both agree on what counts as a mention.
 *
 * Matching is literal (no wildcards), case-insensitive, diacritic-tolerant and at token
 * level, so product "Ara" matches "ARA," and "Ara's" but never "Arabic"; multi-word and
 * hyphenated names ("co-careldopa") match with any hyphen/space spelling. Inflected brand
 * names (Dutch "Leqembi-infusen" splits at the hyphen and matches; "Leqembis" does not)
 * are not guessed — add aliases for those.
 *
 * Pure: no I/O; compiled matchers are cached per products array in a WeakMap.
 */

import {
  PhraseMatcher,
  longestNonOverlapping,
  parsePhrasePattern,
  tokenize,
  type PhraseHit,
} from './text-normalise.js';

export interface Product {
  /** Company that holds the product (its staff's posts are grouped by this id). */
  companyId: string;
  /** Brand name as shown to people. */
  name: string;
  /** Generic names (INN), e.g. ['lecanemab']. */
  inn?: string[];
  /** Other spellings, former names, common misspellings. */
  aliases?: string[];
}

export type ProductMatchKind = 'name' | 'inn' | 'alias';

export interface ProductMention {
  companyId: string;
  /** The product's `name`. */
  product: string;
  /** The listed term (brand, INN or alias, as given in the product list) first found. */
  productMatch: string;
  matchedBy: ProductMatchKind;
  /** Every distinct listed term found, in order of first appearance. */
  terms: string[];
  /** Number of mentions. */
  count: number;
  /** Token index where each mention starts (tokens as produced by tokenize(…, {foldDiacritics: true})). */
  positions: number[];
  /** Index of the product in the list given. */
  productIndex: number;
}

interface ProductPayload {
  productIndex: number;
  term: string;
  kind: ProductMatchKind;
}

export interface CompiledProducts {
  readonly products: readonly Product[];
  readonly matcher: PhraseMatcher<ProductPayload>;
}

const cache = new WeakMap<readonly Product[], CompiledProducts>();

/** Compile a product list once for repeated matching. */
export function compileProducts(products: readonly Product[]): CompiledProducts {
  const cached = cache.get(products);
  if (cached) return cached;
  const entries: { words: ReturnType<typeof parsePhrasePattern>; payload: ProductPayload }[] = [];
  products.forEach((p, productIndex) => {
    const add = (term: string, kind: ProductMatchKind) => {
      const words = parsePhrasePattern(term, { wildcards: false, foldDiacritics: true });
      if (words.length) entries.push({ words, payload: { productIndex, term, kind } });
    };
    add(p.name, 'name');
    for (const t of p.inn ?? []) add(t, 'inn');
    for (const t of p.aliases ?? []) add(t, 'alias');
  });
  const compiled: CompiledProducts = { products, matcher: new PhraseMatcher(entries) };
  cache.set(products, compiled);
  return compiled;
}

function asCompiled(products: readonly Product[] | CompiledProducts): CompiledProducts {
  return 'matcher' in products ? products : compileProducts(products);
}

/** Raw, non-overlapping product hits on diacritic-folded tokens (for other detectors). */
export function productHits(
  tokens: readonly string[],
  products: readonly Product[] | CompiledProducts,
): PhraseHit<ProductPayload>[] {
  return longestNonOverlapping(asCompiled(products).matcher.match(tokens));
}

/** Mentions found in diacritic-folded tokens, one entry per product, in order of first mention. */
export function findProductMentionsInTokens(
  tokens: readonly string[],
  products: readonly Product[] | CompiledProducts,
): ProductMention[] {
  const compiled = asCompiled(products);
  const byProduct = new Map<number, ProductMention>();
  for (const hit of productHits(tokens, compiled)) {
    const { productIndex, term, kind } = hit.payload;
    let m = byProduct.get(productIndex);
    if (!m) {
      const p = compiled.products[productIndex];
      m = { companyId: p.companyId, product: p.name, productMatch: term, matchedBy: kind, terms: [], count: 0, positions: [], productIndex };
      byProduct.set(productIndex, m);
    }
    if (!m.terms.includes(term)) m.terms.push(term);
    m.count++;
    m.positions.push(hit.start);
  }
  return [...byProduct.values()];
}

/** Which products (by brand, INN or alias) a text names. */
export function findProductMentions(
  text: string,
  products: readonly Product[] | CompiledProducts,
): ProductMention[] {
  return findProductMentionsInTokens(tokenize(text, { foldDiacritics: true }), products);
}
