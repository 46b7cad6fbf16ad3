/**
 * Notification mail templates by language (issue 13). A member's language picks one; an unknown
 * language falls back to English. Adding a language: a file with the same keys as en.ts, listed here.
 */
import { en, type NotificationStrings } from './en.js';
import { ar } from './ar.js';
import { de } from './de.js';
import { fr } from './fr.js';
import { nl } from './nl.js';

export type { NotificationStrings };

export const NOTIFICATION_TEMPLATES: Readonly<Record<string, NotificationStrings>> = { en, nl, de, fr, ar };

/** The primary subtag of a language tag that has templates ("nl-BE" → "nl"), else "en". */
export function templateLanguage(language: string | null | undefined): string {
  const primary = (language ?? '').toLowerCase().split(/[-_]/)[0] ?? '';
  return primary in NOTIFICATION_TEMPLATES ? primary : 'en';
}

export function templatesFor(language: string | null | undefined): NotificationStrings {
  return NOTIFICATION_TEMPLATES[templateLanguage(language)]!;
}

/** Fills `{name}` placeholders; a missing value leaves the placeholder visible (a bug to notice, not to hide). */
export function fill(template: string, values: Record<string, string | number>): string {
  return template.replace(/\{(\w+)\}/g, (whole, key: string) => (key in values ? String(values[key]) : whole));
}
