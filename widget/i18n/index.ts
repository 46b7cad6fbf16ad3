/**
 * Picks the messages for a `lang` value ("nl", "nl-BE", "ar-EG", …), falling back to English
 * key by key, and formats them as ICU MessageFormat (`{name}`, `{count, plural, one {…} other {…}}`,
 * `{kind, select, …}`, `{amount, number, ::currency/EUR}`) with intl-messageformat — the same
 * format and library as the server's catalogues (server/i18n/), so a translator learns one syntax.
 *
 * English is in the first-render bundle — the strings the first render shows (en.ts); the
 * rest of English (en-later.ts: the composer, a signed-in reader's words, confirmations) is a
 * small chunk of its own. Other languages are loaded on first use (`loadLanguage`, a small chunk
 * fetched while the conversation loads), so that the bundle does not grow with every language.
 * The formatter itself (intl-messageformat and its parser, about 10 kB gzip) is such a chunk too:
 * most messages only have `{name}` arguments, which are filled in here exactly as ICU would; the
 * few with plural, select or number arguments wait for the formatter. `loadRest` fetches both the
 * formatter and the rest of English (`loadLanguage` resolves once they are there too, unless told
 * not to wait for them); until then such a message shows "…", and asking for one fetches them.
 * The discussion asks for the rest once its first page is on screen, when the browser is idle
 * (at once when someone is signed in: the composer needs it), so that it stays out of the first
 * render's budget (issue 17). Until a language arrives `translator` answers in English.
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

/** English past the first render (en-later.ts), once it has arrived. */
let later: Partial<Messages> | null = null;
let laterLoading: Promise<void> | null = null;
/** The rest of English alone (what a signed-in reader's composer needs at once); null once it is there. */
export function loadLater(): Promise<void> | null {
  if (later) return null;
  return (laterLoading ??= import('./en-later.js').then(
    (m) => void (later = m.enLater),
    () => void (laterLoading = null),
  ));
}

/**
 * Null when the messages of `lang` (and, unless `withRest` is false, the formatter and the rest
 * of English: `loadRest`) are there; otherwise a promise that resolves once they are.
 */
export function loadLanguage(lang: string | null | undefined, withRest = true): Promise<void> | null {
  const code = resolveLanguage(lang);
  const formatter = withRest ? loadRest() : null;
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

/**
 * What the first render does without: the ICU formatter and the rest of English (en-later.ts).
 * Null when both are there; otherwise a promise that resolves once they are (fetching them if need be).
 */
export function loadRest(): Promise<void> | null {
  const waits = [loadFormatter(), loadLater()].filter((p) => p !== null);
  return waits.length ? Promise.all(waits).then(() => undefined) : null;
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
  const complete = later !== null;
  const table: Record<string, string | undefined> = { ...en, ...later, ...extra?.en, ...TABLES[code], ...extra?.[code] };
  return (key, vars) => {
    const text = table[key];
    if (text !== undefined) return formatMessage(code, text, vars);
    if (complete) return key;
    // Likely one of English's later strings, not there yet: as with the formatter, "…" until it is.
    void loadLater();
    return '…';
  };
}
