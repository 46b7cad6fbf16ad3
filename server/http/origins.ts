/**
 * Origin checks per site. A browser request (REST or socket) that carries an Origin header
 * must come from one of the site's allowed origins, or from Parley's own origin (the demo
 * and the admin pages it serves). Requests without an Origin header come from non-browser
 * clients, which cannot be steered by a hostile page, and are allowed.
 */
import type { SiteRecord } from '../store/store.js';

export function normaliseOrigin(origin: string): string | null {
  try {
    const url = new URL(origin);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
    return url.origin;
  } catch {
    return null;
  }
}

export function isOriginAllowed(site: SiteRecord, origin: string | undefined, selfOrigins: readonly string[]): boolean {
  if (origin === undefined || origin === '') return true;
  const normalised = normaliseOrigin(origin);
  if (!normalised) return false;
  if (selfOrigins.includes(normalised)) return true;
  return site.origins.some((allowed) => allowed === '*' || normaliseOrigin(allowed) === normalised);
}

/** The words of an origin refusal (REST and socket handshakes alike), naming the page's origin and the site. */
export function originRefusal(origin: string | undefined, siteId: string): string {
  const shown = (origin && normaliseOrigin(origin)) || 'unknown';
  return `This page's address (${shown.slice(0, 300)}) is not registered for site "${siteId}".`;
}
