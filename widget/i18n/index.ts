/**
 * Picks the strings for a `lang` value ("nl", "nl-BE", …), falling back to English
 * key by key, and interpolates `{name}` placeholders.
 */
import { en, type MessageKey, type Messages } from './en.js';
import { nl } from './nl.js';

const LANGUAGES: Record<string, Partial<Messages>> = { en, nl };

export type Translate = (key: MessageKey, vars?: Record<string, string | number>) => string;

/** The base language code Parley has strings for, or "en". */
export function resolveLanguage(lang: string | null | undefined): string {
  const base = (lang || '').toLowerCase().split(/[-_]/)[0];
  return base in LANGUAGES ? base : 'en';
}

export function translator(lang: string | null | undefined): Translate {
  const table = LANGUAGES[resolveLanguage(lang)];
  return (key, vars) => {
    const text = table[key] ?? en[key];
    return vars ? text.replace(/\{(\w+)\}/g, (m, name: string) => (name in vars ? String(vars[name]) : m)) : text;
  };
}
