/**
 * Picks the messages for a `lang` value ("nl", "nl-BE", "ar-EG", …), falling back to English
 * key by key, and formats them as ICU MessageFormat (`{name}`, `{count, plural, one {…} other {…}}`,
 * `{kind, select, …}`, `{amount, number, ::currency/EUR}`) with intl-messageformat — the same
 * format and library as the server's catalogues (server/i18n/), so a translator learns one syntax.
 *
 * English is in the first-render bundle; other languages are loaded on first use
 * (`loadLanguage`, a small chunk fetched while the conversation loads), so that the bundle
 * does not grow with every language. The formatter itself (intl-messageformat and its parser,
 * about 10 kB gzip) is such a chunk too: most messages only have `{name}` arguments, which are
 * filled in here exactly as ICU would; the few with plural, select or number arguments wait for
 * the formatter (`loadLanguage` resolves once both are there; until then they show "…", and
 * formatting one fetches it). The discussion asks for it only once its first page is on
 * screen (`loadFormatter`), so that it stays out of the first render's budget.
 * Until a language arrives `translator` answers in English.
 *
 * `directionOf(lang)` gives "rtl" for right-to-left languages (Arabic), for the `dir` of the widget.
 */
import { en, type MessageKey, type Messages } from './en.js';
import type { IntlMessageFormat } from './icu.js';

/** Every language the widget speaks. A test checks that each catalogue has all of them, complete. */
export const LANGUAGES = ['en', 'nl', 'de', 'fr', 'ar'] as const;
export type Language = (typeof LANGUAGES)[number];
const RTL = new Set<string>(['ar']);

const TABLES: Record<string, Partial<Messages> | undefined> = { en };
const LOADERS: Record<string, () => Promise<Partial<Messages>>> = {
  nl: () => import('./nl.js').then((m) => m.nl),
  de: () => import('./de.js').then((m) => m.de),
  fr: () => import('./fr.js').then((m) => m.fr),
  ar: () => import('./ar.js').then((m) => m.ar),
};
const loading = new Map<string, Promise<void>>();

let Icu: typeof IntlMessageFormat | null = null;
let icuLoading: Promise<void> | null = null;
function loadIcu(): Promise<void> {
  return (icuLoading ??= import('./icu.js').then(
    (m) => void (Icu = m.IntlMessageFormat),
    () => void (icuLoading = null),
  ));
}

/**
 * Null when the messages of `lang` (and, unless `withFormatter` is false, the formatter) are
 * there; otherwise a promise that resolves once they are.
 */
export function loadLanguage(lang: string | null | undefined, withFormatter = true): Promise<void> | null {
  const code = resolveLanguage(lang);
  const formatter = withFormatter ? loadFormatter() : null;
  if (TABLES[code]) return formatter;
  let p = loading.get(code);
  if (!p) {
    p = LOADERS[code]!().then(
      (t) => void (TABLES[code] = t),
      () => void (TABLES[code] = {}),
    );
    loading.set(code, p);
  }
  return formatter ? Promise.all([p, formatter]).then(() => undefined) : p;
}

/** Null when the ICU formatter is there; otherwise a promise that resolves once it is (fetching it if need be). */
export function loadFormatter(): Promise<void> | null {
  return Icu ? null : loadIcu();
}

export type Translate<K extends string = MessageKey> = (key: K, vars?: Record<string, string | number>) => string;

/** Messages of a lazily loaded part (`en` complete, the other languages beside it), merged over the main ones. */
export type ExtraMessages<X extends Record<string, string>> = { en: X } & Record<string, Partial<X>>;

/** The base language code Parley has messages for, or "en". */
export function resolveLanguage(lang: string | null | undefined): string {
  const base = (lang || '').toLowerCase().split(/[-_]/)[0]!;
  return base in TABLES || base in LOADERS ? base : 'en';
}

/** "rtl" for a right-to-left language, else "ltr". */
export function directionOf(lang: string | null | undefined): 'rtl' | 'ltr' {
  return RTL.has(resolveLanguage(lang)) ? 'rtl' : 'ltr';
}

/** A message needs the ICU formatter if it has a typed argument (`{n, plural, …}`) or ICU quoting ('). */
const COMPLEX = /\{\s*\w+\s*,|'/;
const compiled = new Map<string, IntlMessageFormat>();

/** Formats one message in `code`; exported for the catalogue tests. */
export function formatMessage(code: string, text: string, vars?: Record<string, string | number>): string {
  if (!COMPLEX.test(text)) {
    return vars ? text.replace(/\{(\w+)\}/g, (m, name: string) => (name in vars ? String(vars[name]) : m)) : text;
  }
  if (!Icu) {
    void loadIcu();
    return '…';
  }
  const id = `${code}\u0000${text}`;
  let f = compiled.get(id);
  if (!f) {
    // ignoreTag: "<" in a message is text, not rich-text markup.
    f = new Icu(text, code, undefined, { ignoreTag: true });
    compiled.set(id, f);
  }
  try {
    return String(f.format(vars));
  } catch {
    // A missing value: show the message rather than break the widget (the catalogue test catches bad messages).
    return text;
  }
}

export function translator<X extends Record<string, string> = Record<never, string>>(
  lang: string | null | undefined,
  extra?: ExtraMessages<X>,
): Translate<MessageKey | (keyof X & string)> {
  const code = resolveLanguage(lang);
  const table: Record<string, string | undefined> = { ...en, ...extra?.en, ...TABLES[code], ...extra?.[code] };
  return (key, vars) => {
    const text = table[key];
    return text === undefined ? key : formatMessage(code, text, vars);
  };
}
