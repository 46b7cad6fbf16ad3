/**
 * Server-side texts in the reader's language: the sign-in mail and the "how moderation works"
 * page. Catalogues are TypeScript modules of ICU
 * MessageFormat messages, `{ en: {...}, nl: {...}, de: {...}, fr: {...}, ar: {...} }` — the same
 * format and library (intl-messageformat) as the widget's (widget/i18n/), so one translator
 * handles both. The server never imports the widget: the two catalogues are separate files.
 *
 * The language is chosen from, in order, what the caller passes: an explicit `lang` (the
 * widget's, a `?lang=` query), then the request's Accept-Language; English otherwise.
 */
import { IntlMessageFormat } from 'intl-messageformat';

export const SERVER_LANGUAGES = ['en', 'nl', 'de', 'fr', 'ar'] as const;
export type ServerLanguage = (typeof SERVER_LANGUAGES)[number];

/** A catalogue: English complete, every other language complete too (the catalogue test checks it). */
export type Catalogue<M extends Record<string, string>> = { [L in ServerLanguage]: M };

const supported = (tag: string): ServerLanguage | null => {
  const base = tag.trim().toLowerCase().split(/[-_]/)[0] as ServerLanguage;
  return (SERVER_LANGUAGES as readonly string[]).includes(base) ? base : null;
};

/**
 * The first supported language among `candidates`, each a language tag ("nl-BE") or an
 * Accept-Language header ("de-CH, de;q=0.9, en;q=0.5", taken in order of q); else English.
 */
export function pickLanguage(...candidates: Array<string | null | undefined>): ServerLanguage {
  for (const candidate of candidates) {
    if (typeof candidate !== 'string' || !candidate) continue;
    const ranged = candidate
      .slice(0, 500)
      .split(',')
      .map((part, i) => {
        const [tag = '', ...params] = part.split(';');
        const q = Number(params.find((p) => p.trim().startsWith('q='))?.trim().slice(2) ?? 1);
        return { tag, q: Number.isFinite(q) ? q : 0, i };
      })
      .filter((r) => r.q > 0)
      .sort((a, b) => b.q - a.q || a.i - b.i);
    for (const r of ranged) {
      const lang = supported(r.tag);
      if (lang) return lang;
    }
  }
  return 'en';
}

export function directionOf(lang: ServerLanguage): 'rtl' | 'ltr' {
  return lang === 'ar' ? 'rtl' : 'ltr';
}

const compiled = new Map<string, IntlMessageFormat>();

/** `t(key, values)` over one catalogue in one language; a key missing there falls back to English. */
export function messages<M extends Record<string, string>>(catalogue: Catalogue<M>, lang: ServerLanguage) {
  return (key: keyof M & string, values?: Record<string, string | number>): string => {
    const text = catalogue[lang][key] ?? catalogue.en[key];
    const id = `${lang}\u0000${text}`;
    let f = compiled.get(id);
    if (!f) {
      f = new IntlMessageFormat(text, lang, undefined, { ignoreTag: true });
      compiled.set(id, f);
    }
    return String(f.format(values));
  };
}
