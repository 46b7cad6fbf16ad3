/**
 * Text normalisation and token-phrase matching shared by all moderation detectors.
 *
 * Why this exists: every detector (near-duplicate scripts, adverse events, product
 * mentions) must see "the same words" regardless of how a post was typed — ligatures,
 * full-width characters, curly apostrophes, Markdown emphasis, pasted URLs with tracking
 * parameters, or "Übelkeit" typed as "Ubelkeit". Doing this in one place means a
 * detector can never disagree with another about what a word is, and word-boundary
 * rules ("Ara" must not match "Arabic") are enforced once, at token level.
 *
 * Pure: no I/O, no Node-only APIs, deterministic; runs unchanged in browser and Node.
 *
 * Pipeline (normaliseText): apostrophes unified → NFKC → Markdown links/images/URLs
 * reduced to words (URL → host name, so tracking paths and query strings don't matter)
 * → list markers/emphasis stripped → lowercase → optional diacritic folding
 * (é→e, ü→u, ß→ss, ø→o, æ→ae …) → whitespace collapsed.
 *
 * Tokens are maximal runs of Unicode letters, marks and digits; an inner apostrophe
 * keeps contractions together ("didn't", "l'hôpital"), a possessive/clitic "'s" is
 * dropped ("Leqembi's" → "leqembi", Dutch "auto's" → "auto"). Hyphens split words, so
 * "side-effects" → "side", "effects"; compounds without hyphens (German
 * "Kopfschmerzen") stay one token — lexicons use prefix/suffix patterns for those.
 */

export interface NormaliseOptions {
  /** Remove diacritics (é→e, ü→u) and expand ß→ss, æ→ae, œ→oe, ø→o, ł→l. Default false. */
  foldDiacritics?: boolean;
  /** How URLs are reduced: `'host'` keeps the host name as words (default), `'remove'` drops them. */
  urls?: 'host' | 'remove';
  /** Keep line breaks (collapsed to a single `\n`) instead of turning them into spaces. Default false. */
  keepLineBreaks?: boolean;
}

const APOSTROPHES_RE = /[\u2018\u2019\u201B\u02BC\u02BB\u00B4\u2032]/g;
const MD_LINK_RE = /!?\[([^\]\n]*)\]\(\s*<?([^)\s>]*)>?(?:\s+"[^"\n]*")?\s*\)/g;
const URL_RE = /\b(?:[a-z][a-z0-9+.-]*:\/\/|www\.)[^\s<>()[\]{}"']+/giu;
const LIST_MARKER_RE = /^[ \t]*(?:[-*+\u2022>]+|#{1,6}|\d{1,3}[.)])[ \t]+/gmu;
const MD_PUNCT_RE = /[*_~`#|\\<>]+/g;

/** Reduce a URL to its host name ("https://www.example.org/a?b" → "example.org"). */
export function urlHost(url: string): string {
  let s = url.replace(/^[a-z][a-z0-9+.-]*:\/\//i, '');
  s = s.split(/[/?#]/, 1)[0] ?? '';
  const at = s.lastIndexOf('@');
  if (at >= 0) s = s.slice(at + 1);
  s = s.replace(/:\d+$/, '').replace(/^www\./i, '');
  return s.toLowerCase();
}

const FOLD_SPECIAL: Record<string, string> = {
  ß: 'ss', ẞ: 'ss', æ: 'ae', Æ: 'ae', œ: 'oe', Œ: 'oe', ø: 'o', Ø: 'o',
  ł: 'l', Ł: 'l', đ: 'd', Đ: 'd', ð: 'd', þ: 'th', ı: 'i',
};
const FOLD_SPECIAL_RE = /[ßẞæÆœŒøØłŁđĐðþı]/g;

/** Remove diacritics and expand a few letters NFD cannot decompose (ß→ss, ø→o, æ→ae …). */
export function foldDiacritics(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{M}+/gu, '')
    .replace(FOLD_SPECIAL_RE, (c) => FOLD_SPECIAL[c] ?? c)
    .normalize('NFC');
}

/** Normalise a post for detectors: see the module comment for the pipeline. */
export function normaliseText(text: string, opts: NormaliseOptions = {}): string {
  const urls = opts.urls ?? 'host';
  let s = text.replace(APOSTROPHES_RE, "'").normalize('NFKC');
  s = s.replace(MD_LINK_RE, (_m, label: string, href: string) =>
    ` ${label} ${urls === 'host' && href ? urlHost(href) : ''} `,
  );
  s = s.replace(URL_RE, (u) => (urls === 'host' ? ` ${urlHost(u)} ` : ' '));
  s = s.replace(LIST_MARKER_RE, '').replace(MD_PUNCT_RE, ' ');
  s = s.toLowerCase();
  if (opts.foldDiacritics) s = foldDiacritics(s);
  if (opts.keepLineBreaks) {
    s = s.replace(/\r\n?/g, '\n').replace(/[^\S\n]+/g, ' ').replace(/ ?\n[\s]*/g, '\n');
  } else {
    s = s.replace(/\s+/g, ' ');
  }
  return s.trim();
}

// A token: letters/marks/digits, optionally joined by inner apostrophes.
const TOKEN_SRC = "[\\p{L}\\p{M}\\p{N}]+(?:'[\\p{L}\\p{M}\\p{N}]+)*";
const TOKEN_RE = new RegExp(TOKEN_SRC, 'gu');

function cleanToken(t: string): string {
  // Possessive / clitic 's ("leqembi's", "it's", Dutch plural "auto's") → base word.
  return t.endsWith("'s") && t.length > 2 ? t.slice(0, -2) : t;
}

/** Split already-normalised text into tokens. */
export function tokenizeNormalised(normalised: string): string[] {
  const out: string[] = [];
  for (const m of normalised.matchAll(TOKEN_RE)) out.push(cleanToken(m[0]));
  return out;
}

/** Normalise then tokenise: Unicode words, lowercase, optionally diacritic-folded. */
export function tokenize(text: string, opts: NormaliseOptions = {}): string[] {
  return tokenizeNormalised(normaliseText(text, opts));
}

/** Tokens plus the sentence and clause each token belongs to. */
export interface StructuredTokens {
  tokens: string[];
  /** Sentence number per token (split on . ! ? followed by space/end, and on line breaks). */
  sentence: number[];
  /** Clause number per token (sentences further split on , ; : brackets and dashes). */
  clause: number[];
}

const STRUCT_RE = new RegExp(
  `(${TOKEN_SRC})|([.!?\\u2026]+(?=[\\s"')\\]]|$)|\\n)|([,;:()\\[\\]\\u2013\\u2014"]|\\s-\\s)`,
  'gu',
);

/** Tokenise with sentence/clause structure (for negation scope and per-sentence shingling). */
export function tokenizeStructured(text: string, opts: NormaliseOptions = {}): StructuredTokens {
  return structureNormalised(normaliseText(text, { ...opts, keepLineBreaks: true }));
}

/** Like tokenizeStructured, for text already passed through normaliseText (keepLineBreaks). */
export function structureNormalised(normalised: string): StructuredTokens {
  const tokens: string[] = [];
  const sentence: number[] = [];
  const clause: number[] = [];
  let sent = 0;
  let cl = 0;
  let sentHasTokens = false;
  let clauseHasTokens = false;
  for (const m of normalised.matchAll(STRUCT_RE)) {
    if (m[1] !== undefined) {
      tokens.push(cleanToken(m[1]));
      sentence.push(sent);
      clause.push(cl);
      sentHasTokens = clauseHasTokens = true;
    } else if (m[2] !== undefined) {
      if (sentHasTokens) sent++;
      if (clauseHasTokens) cl++;
      sentHasTokens = clauseHasTokens = false;
    } else if (clauseHasTokens) {
      cl++;
      clauseHasTokens = false;
    }
  }
  return { tokens, sentence, clause };
}

// ---------------------------------------------------------------------------
// Token-phrase matching (shared by product mentions and the adverse-event lexicon)
// ---------------------------------------------------------------------------

/** One word of a phrase pattern. `prefix`: token starts with text; `suffix`: ends with; `infix`: contains. */
export interface WordPattern {
  kind: 'exact' | 'prefix' | 'suffix' | 'infix';
  text: string;
}

export interface PhraseHit<T> {
  /** First token index (inclusive). */
  start: number;
  /** Last token index (exclusive). */
  end: number;
  payload: T;
}

/** Minimum stem length for wildcard words, so "a*" cannot match everything. */
export const MIN_WILDCARD_STEM = 3;

/**
 * Parse a phrase pattern into word patterns, normalised exactly like post text.
 * With `wildcards`, a word may start and/or end with `*` ("nause*", "*blutung*").
 * Without, the pattern is literal (product names). Returns [] for an unusable pattern.
 */
export function parsePhrasePattern(
  pattern: string,
  opts: { wildcards: boolean; foldDiacritics: boolean },
): WordPattern[] {
  const words: WordPattern[] = [];
  for (const chunk of pattern.trim().split(/\s+/)) {
    if (!chunk) continue;
    const lead = opts.wildcards && chunk.startsWith('*');
    const trail = opts.wildcards && chunk.endsWith('*') && chunk.length > 1;
    const core = opts.wildcards ? chunk.replace(/^\*+|\*+$/g, '') : chunk;
    const toks = tokenize(core, { foldDiacritics: opts.foldDiacritics, urls: 'remove' });
    toks.forEach((t, i) => {
      const isFirst = i === 0;
      const isLast = i === toks.length - 1;
      const l = lead && isFirst;
      const r = trail && isLast;
      const kind = l && r ? 'infix' : l ? 'suffix' : r ? 'prefix' : 'exact';
      words.push({ kind, text: t });
    });
  }
  for (const w of words) {
    if (w.kind !== 'exact' && w.text.length < MIN_WILDCARD_STEM) return [];
  }
  return words;
}

function wordMatches(w: WordPattern, token: string): boolean {
  switch (w.kind) {
    case 'exact':
      return token === w.text;
    case 'prefix':
      return token.startsWith(w.text);
    case 'suffix':
      return token.endsWith(w.text);
    case 'infix':
      return token.includes(w.text);
  }
}

interface CompiledPhrase<T> {
  words: WordPattern[];
  payload: T;
}

/**
 * Matches many phrase patterns against a token array in one pass. Exact first words
 * are looked up in a map; wildcard first words are grouped by their first letter.
 * Matching is at token level, so it is word-boundary aware by construction.
 */
export class PhraseMatcher<T> {
  private readonly byExactFirst = new Map<string, CompiledPhrase<T>[]>();
  private readonly wildcardFirst: CompiledPhrase<T>[] = [];
  readonly size: number;

  constructor(entries: Iterable<{ words: WordPattern[]; payload: T }>) {
    let n = 0;
    for (const e of entries) {
      if (e.words.length === 0) continue;
      n++;
      const first = e.words[0];
      if (first.kind === 'exact') {
        let list = this.byExactFirst.get(first.text);
        if (!list) this.byExactFirst.set(first.text, (list = []));
        list.push(e);
      } else {
        this.wildcardFirst.push(e);
      }
    }
    this.size = n;
  }

  /** All hits (possibly overlapping), ordered by start then by length descending. */
  match(tokens: readonly string[]): PhraseHit<T>[] {
    const hits: PhraseHit<T>[] = [];
    for (let i = 0; i < tokens.length; i++) {
      const exact = this.byExactFirst.get(tokens[i]);
      if (exact) for (const p of exact) this.tryAt(p, tokens, i, hits);
      for (const p of this.wildcardFirst) this.tryAt(p, tokens, i, hits);
    }
    hits.sort((a, b) => a.start - b.start || b.end - a.end);
    return hits;
  }

  private tryAt(p: CompiledPhrase<T>, tokens: readonly string[], i: number, out: PhraseHit<T>[]): void {
    const n = p.words.length;
    if (i + n > tokens.length) return;
    for (let j = 0; j < n; j++) if (!wordMatches(p.words[j], tokens[i + j])) return;
    out.push({ start: i, end: i + n, payload: p.payload });
  }
}

/**
 * Leftmost-longest selection: drops hits that overlap an earlier/longer hit, but keeps
 * every hit with exactly the same span as a kept one (two products sharing an INN).
 * Input must be sorted as PhraseMatcher.match returns it.
 */
export function longestNonOverlapping<T>(hits: readonly PhraseHit<T>[]): PhraseHit<T>[] {
  const out: PhraseHit<T>[] = [];
  let lastStart = -1;
  let lastEnd = -1;
  for (const h of hits) {
    if (h.start >= lastEnd) {
      out.push(h);
      lastStart = h.start;
      lastEnd = h.end;
    } else if (h.start === lastStart && h.end === lastEnd) {
      out.push(h);
    }
  }
  return out;
}
