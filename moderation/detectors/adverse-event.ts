/**
 * Possible adverse-event (pharmacovigilance) detector.
 *
 * Why: a post that names a company's product *and* describes something that may be a
 * side effect ("since starting Leqembi my mother is confused and fell twice") can trigger
 * a reporting duty for that company and should reach a moderator quickly. This detector
 * only says "possible AE — a human should look"; it never decides causality or
 * seriousness.
 *
 * Rule: product mention (prescription-mention.ts, brand/INN/alias, token level) AND at
 * least one non-negated event term from the lexicon (adverse-event-lexicon.ts) anywhere
 * in the post (or within `maxDistance` tokens if given). One match per mentioned product.
 *
 * Negation (light): a term is negated when a cue of its language (or of the post's
 * guessed language) stands ≤ `negationWindow` tokens before it in the same clause, with
 * no scope breaker ("but", "maar", "aber") in between — "no side effects", "geen
 * bijwerkingen", "keine Übelkeit"; a negation carries over a coordinated list ("no nausea
 * or dizziness", "geen hoofdpijn of duizeligheid"). Also "side-effect free",
 * "nebenwirkungsfrei", "bijwerkingsvrij".
 *
 * Limits, by design: post-verbal negation ("hatte die Übelkeit nicht"), negation far
 * before the term, hypotheticals and questions ("can X cause rash?"), reported speech and
 * other people's experiences are all reported as possible AEs; irony and misspellings
 * beyond the lexicon patterns are not handled. Language guessing uses stop-word counts and
 * only gates `strict` false-friend terms.
 *
 * Pure: no I/O, deterministic; compiled lexicons are cached per lexicon object.
 */

import {
  DEFAULT_ADVERSE_EVENT_LEXICON,
  type AdverseEventLexicon,
} from './adverse-event-lexicon.js';
import {
  compileProducts,
  productHits,
  type CompiledProducts,
  type Product,
  type ProductMatchKind,
} from './prescription-mention.js';
import {
  PhraseMatcher,
  longestNonOverlapping,
  parsePhrasePattern,
  tokenize,
  tokenizeStructured,
  type PhraseHit,
  type StructuredTokens,
  type WordPattern,
} from './text-normalise.js';

export interface AdverseEventMatch {
  companyId: string;
  /** Product name. */
  product: string;
  /** The listed brand/INN/alias that was found first. */
  productMatch: string;
  matchedBy: ProductMatchKind;
  /** Distinct non-negated event terms as they appear in the (normalised, folded) text. */
  eventTerms: string[];
  /** Distinct lexicon concepts of those terms, e.g. ['nausea', 'fall']. */
  concepts: string[];
  /** Event terms that were found but judged negated (for the moderator's context). */
  negatedTerms: string[];
  /** Guessed post language ('en' | 'nl' | 'de' | …), or the language of most hits; 'und' if unknown. */
  language: string;
}

export interface EventHit {
  /** Normalised surface text, e.g. "side effects". */
  term: string;
  concept: string;
  /** Lexicon languages whose patterns matched this span. */
  languages: string[];
  start: number;
  end: number;
  negated: boolean;
}

export interface EventScan {
  hits: EventHit[];
  /** Guessed language of the text, or null when the stop-word evidence is weak. */
  guessedLanguage: string | null;
  tokens: StructuredTokens;
}

export interface AdverseEventOptions {
  lexicon?: AdverseEventLexicon | CompiledLexicon;
  /** If set, an event term must be within this many tokens of a product mention. */
  maxDistance?: number;
}

interface TermPayload {
  concept: string;
  language: string;
  strict: boolean;
}

export interface CompiledLexicon {
  readonly matcher: PhraseMatcher<TermPayload>;
  readonly negations: ReadonlyMap<string, ReadonlySet<string>>;
  readonly breakers: ReadonlyMap<string, ReadonlySet<string>>;
  readonly stopwords: ReadonlyMap<string, ReadonlySet<string>>;
  readonly negationWindow: number;
}

const UMLAUT_TRANSLIT: Record<string, string> = { ä: 'ae', ö: 'oe', ü: 'ue', Ä: 'Ae', Ö: 'Oe', Ü: 'Ue' };
const COORDINATORS = new Set(['or', 'and', 'nor', 'any', 'of', 'en', 'noch', 'oder', 'und', 'weder', 'auch']);
const POST_NEGATION_TOKENS = new Set(['free', 'frei', 'vrij']);
const POST_NEGATION_SUFFIXES = ['frei', 'vrij', 'free'];

const lexiconCache = new WeakMap<AdverseEventLexicon, CompiledLexicon>();

function wordSet(words: readonly string[]): Set<string> {
  const s = new Set<string>();
  for (const w of words) for (const t of tokenize(w, { foldDiacritics: true })) s.add(t);
  return s;
}

/** Compile a lexicon once (patterns parsed, folded, umlaut-transliteration variants added). */
export function compileLexicon(lexicon: AdverseEventLexicon): CompiledLexicon {
  const cached = lexiconCache.get(lexicon);
  if (cached) return cached;
  const entries: { words: WordPattern[]; payload: TermPayload }[] = [];
  const negations = new Map<string, Set<string>>();
  const breakers = new Map<string, Set<string>>();
  const stopwords = new Map<string, Set<string>>();
  for (const lang of lexicon.languages) {
    negations.set(lang.language, wordSet(lang.negations));
    breakers.set(lang.language, wordSet(lang.scopeBreakers));
    stopwords.set(lang.language, wordSet(lang.stopwords));
    for (const term of lang.terms) {
      const payload: TermPayload = { concept: term.concept, language: lang.language, strict: term.strict ?? false };
      for (const pattern of term.patterns) {
        const variants = new Set([pattern, pattern.replace(/[äöüÄÖÜ]/g, (c) => UMLAUT_TRANSLIT[c] ?? c)]);
        for (const v of variants) {
          const words = parsePhrasePattern(v, { wildcards: true, foldDiacritics: true });
          if (words.length) entries.push({ words, payload });
        }
      }
    }
  }
  const compiled: CompiledLexicon = {
    matcher: new PhraseMatcher(entries),
    negations,
    breakers,
    stopwords,
    negationWindow: lexicon.negationWindow ?? 4,
  };
  lexiconCache.set(lexicon, compiled);
  return compiled;
}

function asCompiledLexicon(lex: AdverseEventLexicon | CompiledLexicon | undefined): CompiledLexicon {
  if (!lex) return compileLexicon(DEFAULT_ADVERSE_EVENT_LEXICON);
  return 'matcher' in lex ? lex : compileLexicon(lex);
}

/**
 * Guess the language from stop-word counts. Confident when the best language has ≥ 2
 * hits and at least 1.5× the runner-up; otherwise `language` is null.
 */
export function guessLanguage(
  tokens: readonly string[],
  lexicon?: AdverseEventLexicon | CompiledLexicon,
): { language: string | null; scores: Record<string, number> } {
  const lex = asCompiledLexicon(lexicon);
  const scores: Record<string, number> = {};
  for (const [lang, words] of lex.stopwords) {
    let n = 0;
    for (const t of tokens) if (words.has(t)) n++;
    scores[lang] = n;
  }
  const ranked = Object.entries(scores).sort((a, b) => b[1] - a[1]);
  const [best, second] = [ranked[0], ranked[1]];
  const confident = best !== undefined && best[1] >= 2 && (second === undefined || best[1] >= 1.5 * second[1]);
  return { language: confident ? best[0] : null, scores };
}

function isNegated(hit: PhraseHit<unknown>, langs: readonly string[], st: StructuredTokens, lex: CompiledLexicon): boolean {
  const { tokens, clause } = st;
  const last = tokens[hit.end - 1];
  if (POST_NEGATION_SUFFIXES.some((s) => last.length > s.length + 3 && last.endsWith(s))) return true;
  if (hit.end < tokens.length && clause[hit.end] === clause[hit.end - 1] && POST_NEGATION_TOKENS.has(tokens[hit.end])) {
    return true;
  }
  for (let j = hit.start - 1; j >= 0 && j >= hit.start - lex.negationWindow; j--) {
    if (clause[j] !== clause[hit.start]) return false;
    const t = tokens[j];
    if (langs.some((l) => lex.breakers.get(l)?.has(t))) return false;
    if (langs.some((l) => lex.negations.get(l)?.has(t))) return true;
  }
  return false;
}

/** All event-term hits of a text (negated ones included, flagged), plus the language guess. */
export function scanEventTerms(
  text: string,
  lexicon?: AdverseEventLexicon | CompiledLexicon,
  exclude?: ReadonlyArray<{ start: number; end: number }>,
  pre?: StructuredTokens,
): EventScan {
  const lex = asCompiledLexicon(lexicon);
  const st = pre ?? tokenizeStructured(text, { foldDiacritics: true });
  const { language: guessed } = guessLanguage(st.tokens, lex);
  const raw = lex.matcher
    .match(st.tokens)
    .filter((h) => !h.payload.strict || h.payload.language === guessed)
    .filter((h) => !exclude?.some((x) => h.start < x.end && x.start < h.end));
  const selected = longestNonOverlapping(raw);
  const hits: EventHit[] = [];
  for (let i = 0; i < selected.length; ) {
    const first = selected[i];
    const langs = new Set<string>();
    let j = i;
    for (; j < selected.length && selected[j].start === first.start && selected[j].end === first.end; j++) {
      langs.add(selected[j].payload.language);
    }
    const scope = [...langs];
    if (guessed && !langs.has(guessed)) scope.push(guessed);
    // "no nausea or dizziness": negation carries over a coordinated list in the same clause.
    const prev = hits[hits.length - 1];
    const coordinated =
      prev !== undefined &&
      prev.negated &&
      st.clause[prev.start] === st.clause[first.start] &&
      st.tokens.slice(prev.end, first.start).every((t) => COORDINATORS.has(t));
    hits.push({
      term: st.tokens.slice(first.start, first.end).join(' '),
      concept: first.payload.concept,
      languages: [...langs],
      start: first.start,
      end: first.end,
      negated: coordinated || isNegated(first, scope, st, lex),
    });
    i = j;
  }
  return { hits, guessedLanguage: guessed, tokens: st };
}

function distinct(xs: Iterable<string>): string[] {
  return [...new Set(xs)];
}

/**
 * Possible adverse events: one match per product named in the text, when the text also
 * contains at least one non-negated event term.
 */
export function detectAdverseEvents(
  text: string,
  products: readonly Product[] | CompiledProducts,
  opts: AdverseEventOptions = {},
): AdverseEventMatch[] {
  const compiledProducts = 'matcher' in products ? products : compileProducts(products);
  const st = tokenizeStructured(text, { foldDiacritics: true });
  const pHits = productHits(st.tokens, compiledProducts);
  if (pHits.length === 0) return [];
  const scan = scanEventTerms(text, opts.lexicon, pHits, st);
  const positive = scan.hits.filter((h) => !h.negated);
  if (positive.length === 0) return [];
  const negatedTerms = distinct(scan.hits.filter((h) => h.negated).map((h) => h.term));

  let language = scan.guessedLanguage;
  if (!language) {
    const counts = new Map<string, number>();
    for (const h of positive) for (const l of h.languages) counts.set(l, (counts.get(l) ?? 0) + 1);
    language = [...counts.entries()].sort((a, b) => b[1] - a[1])[0]?.[0] ?? 'und';
  }

  const byProduct = new Map<number, { first: PhraseHit<{ productIndex: number; term: string; kind: ProductMatchKind }>; spans: { start: number; end: number }[] }>();
  for (const h of pHits) {
    const e = byProduct.get(h.payload.productIndex);
    if (e) e.spans.push(h);
    else byProduct.set(h.payload.productIndex, { first: h, spans: [h] });
  }

  const out: AdverseEventMatch[] = [];
  for (const [productIndex, { first, spans }] of byProduct) {
    const max = opts.maxDistance;
    const events =
      max === undefined
        ? positive
        : positive.filter((e) => spans.some((s) => Math.max(e.start - s.end, s.start - e.end, 0) <= max));
    if (events.length === 0) continue;
    const p = compiledProducts.products[productIndex];
    out.push({
      companyId: p.companyId,
      product: p.name,
      productMatch: first.payload.term,
      matchedBy: first.payload.kind,
      eventTerms: distinct(events.map((e) => e.term)),
      concepts: distinct(events.map((e) => e.concept)),
      negatedTerms,
      language,
    });
  }
  return out;
}
