/**
 * Signed links in notification mail (issue 13): one-click unsubscribe (RFC 8058) and the
 * confirmation of an address never proven. A token names the site, the person and what it does
 * (which kind of message to stop; which address to confirm), signed with HMAC-SHA256 under a
 * per-site key the server generates and never shares. It works without signing in, by design:
 * whoever holds the mail may stop it. Unsubscribe tokens do not expire (an old message's link
 * must still work); confirmation tokens do.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { NOTIFICATION_KINDS, type NotificationKind } from '../../moderation/notification-schemas.js';
import type { Store } from '../store/store.js';
import { newSecretToken } from '../auth/session-tokens.js';

export type UnsubscribeScope = NotificationKind | 'all';

export type NotifyToken =
  | { purpose: 'unsubscribe'; site: string; userId: string; kind: UnsubscribeScope }
  | { purpose: 'confirm'; site: string; userId: string; email: string; expiresAt: number };

/** A confirmation link lasts a week. */
export const CONFIRM_LINK_MS = 7 * 24 * 3600_000;
/** Longest token we read (a confirmation names an address, at most 320 characters). */
export const NOTIFY_TOKEN_MAX_CHARS = 1_000;

/** A site's key never changes once made: read once per process (ten thousand messages sign twenty thousand links). */
const KEYS = new WeakMap<Store, Map<string, string>>();

async function notifyKey(store: Store, site: string): Promise<string> {
  let keys = KEYS.get(store);
  if (!keys) KEYS.set(store, (keys = new Map()));
  const known = keys.get(site);
  if (known) return known;
  const key = await loadOrCreateKey(store, site);
  keys.set(site, key);
  return key;
}

async function loadOrCreateKey(store: Store, site: string): Promise<string> {
  const existing = await store.getSetting(site, 'notify-key');
  if (existing) return existing;
  // Created once, in a transaction that reads again: two first messages at once agree on one key.
  return store.transaction(async () => {
    let key = await store.getSetting(site, 'notify-key');
    if (!key) {
      key = newSecretToken();
      await store.setSetting(site, 'notify-key', key);
    }
    return key;
  });
}

const mac = (key: string, payload: string) => createHmac('sha256', key).update(payload).digest('base64url');

export async function signNotifyToken(store: Store, token: NotifyToken): Promise<string> {
  const compact = token.purpose === 'unsubscribe'
    ? { p: 'u', s: token.site, u: token.userId, k: token.kind }
    : { p: 'c', s: token.site, u: token.userId, e: token.email, x: token.expiresAt };
  const payload = Buffer.from(JSON.stringify(compact)).toString('base64url');
  return `${payload}.${mac(await notifyKey(store, token.site), payload)}`;
}

/** The token's meaning, or null when it is malformed, forged, for an unknown site or expired. */
export async function readNotifyToken(store: Store, text: unknown, nowMs: number): Promise<NotifyToken | null> {
  if (typeof text !== 'string' || text.length > NOTIFY_TOKEN_MAX_CHARS) return null;
  const match = /^([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]{43})$/.exec(text);
  if (!match) return null;
  let data: any;
  try {
    data = JSON.parse(Buffer.from(match[1]!, 'base64url').toString('utf8'));
  } catch {
    return null;
  }
  if (typeof data?.s !== 'string' || typeof data?.u !== 'string' || !(await store.getSite(data.s))) return null;
  const expected = Buffer.from(mac(await notifyKey(store, data.s), match[1]!));
  const given = Buffer.from(match[2]!);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return null;
  if (data.p === 'u' && (data.k === 'all' || (NOTIFICATION_KINDS as readonly string[]).includes(data.k))) {
    return { purpose: 'unsubscribe', site: data.s, userId: data.u, kind: data.k };
  }
  if (data.p === 'c' && typeof data.e === 'string' && typeof data.x === 'number' && data.x > nowMs) {
    return { purpose: 'confirm', site: data.s, userId: data.u, email: data.e, expiresAt: data.x };
  }
  return null;
}
