/**
 * Picks the strings for a `lang` value ("nl", "nl-BE", …), falling back to English
 * key by key, and interpolates `{name}` placeholders.
 *
 * English is in the first-render bundle; other languages are loaded on first use
 * (`loadLanguage`, a small chunk fetched while the conversation loads), so that the bundle
 * does not grow with every language. Until then `translator` answers in English.
 */
import { en, type MessageKey, type Messages } from './en.js';

const LANGUAGES: Record<string, Partial<Messages> | undefined> = { en };
const LOADERS: Record<string, () => Promise<Partial<Messages>>> = {
  nl: () => import('./nl.js').then((m) => m.nl),
};
const loading = new Map<string, Promise<void>>();

/** Null when the strings of `lang` are there; otherwise a promise that resolves once they are. */
export function loadLanguage(lang: string | null | undefined): Promise<void> | null {
  const code = resolveLanguage(lang);
  if (LANGUAGES[code]) return null;
  let p = loading.get(code);
  if (!p) {
    p = LOADERS[code]!().then(
      (table) => void (LANGUAGES[code] = table),
      () => void (LANGUAGES[code] = {}),
    );
    loading.set(code, p);
  }
  return p;
}

export type Translate<K extends string = MessageKey> = (key: K, vars?: Record<string, string | number>) => string;

/** Strings of a lazily loaded part (`en` complete, other languages partial), merged over the main ones. */
export type ExtraMessages<X extends Record<string, string>> = { en: X } & Record<string, Partial<X>>;

/** The base language code Parley has strings for, or "en". */
export function resolveLanguage(lang: string | null | undefined): string {
  const base = (lang || '').toLowerCase().split(/[-_]/)[0];
  return base in LANGUAGES || base in LOADERS ? base : 'en';
}

export function translator<X extends Record<string, string> = Record<never, string>>(
  lang: string | null | undefined,
  extra?: ExtraMessages<X>,
): Translate<MessageKey | (keyof X & string)> {
  const code = resolveLanguage(lang);
  const table: Record<string, string | undefined> = { ...en, ...extra?.en, ...LANGUAGES[code], ...extra?.[code] };
  return (key, vars) => {
    const text = table[key] ?? key;
    return vars ? text.replace(/\{(\w+)\}/g, (m, name: string) => (name in vars ? String(vars[name]) : m)) : text;
  };
}
