/**
 * What the safety-routing parts share: their strings, the look of their notes, times and
 * country hints, and the one rule about links from the server (http(s) only).
 */
import { css } from 'lit';
import type { SafetyDeliveryView } from '../../moderation/safety.js';
import { safetyMessages } from '../i18n/safety.js';
import { translator } from '../i18n/index.js';

export { safetyMessages };
export const safetyTranslator = (lang: string) => translator(lang, safetyMessages);
export type SafetyTranslate = ReturnType<typeof safetyTranslator>;

/** Links the server sends (reporting schemes) are used only when they are absolute http(s) URLs. */
export function httpUrl(url: string | null | undefined): string | null {
  if (!url) return null;
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'https:' || parsed.protocol === 'http:' ? parsed.href : null;
  } catch {
    return null;
  }
}

/**
 * The reader's country for the reporting scheme, from a `lang` value: its region (en-GB → GB,
 * pt-BR → BR), else the one country a language clearly points to (nl → NL, de → DE); otherwise
 * none, and the server picks (site country, post language, fallback).
 */
export function countryOf(lang: string | null | undefined): string | undefined {
  const parts = (lang || '').split(/[-_]/);
  const region = parts.slice(1).find((p) => /^[a-z]{2}$/i.test(p));
  if (region) return region.toUpperCase();
  return ({ nl: 'NL', de: 'DE' } as Record<string, string | undefined>)[(parts[0] ?? '').toLowerCase()];
}

/** A short date and time; only the time when it is within the next or last 12 hours. */
export function when(iso: string | null | undefined, lang: string): string {
  if (!iso) return '';
  const at = new Date(iso);
  const near = Math.abs(at.getTime() - Date.now()) < 12 * 3600_000;
  return at.toLocaleString(lang, near ? { timeStyle: 'short' } : { dateStyle: 'medium', timeStyle: 'short' });
}

/** A delivery's state in words (moderators). `held` email and `delivered` cannot be retried. */
export function deliveryState(d: SafetyDeliveryView, t: SafetyTranslate, lang: string): { text: string; retry: boolean } {
  if (d.status === 'delivered') return { text: `${t('deliveryDelivered')} ${when(d.deliveredAt, lang)}`, retry: false };
  if (d.status === 'held') return { text: t('deliveryHeld'), retry: false };
  if (d.status === 'failed') return { text: t('deliveryFailed', { n: d.attempts }), retry: true };
  if (!d.failing) return { text: t('deliverySending'), retry: false };
  return { text: t('deliveryRetrying', { n: d.attempts, at: when(d.nextAttemptAt, lang) }), retry: true };
}

/** The notes sit under a post: calm, readable without colour, themeable with `--parley-*`. */
export const noteStyles = css`
  :host { display: block; margin: var(--_half) 0 0; }
  .note {
    border-inline-start: 3px solid var(--_accent);
    background: var(--_surface);
    border-radius: 0 var(--_radius) var(--_radius) 0;
    padding: calc(var(--_half) / 2) var(--_half);
  }
  p { margin: 0.2em 0; }
  ul { margin: 0.2em 0; padding-inline-start: 1.25em; }
  .muted { color: var(--_muted); font-size: 0.9em; }
  .error { color: var(--_danger); font-weight: 600; }
  .error::before { content: '⚠ '; }
  .ok::before { content: '✓ '; }
  .actions { display: flex; flex-wrap: wrap; gap: var(--_half); align-items: center; margin-top: 0.3em; }
  a { color: var(--_accent); }
  [tabindex='-1']:focus { outline: none; }
  [tabindex='-1']:focus-visible { outline: 2px solid var(--_focus); outline-offset: 2px; }
`;
