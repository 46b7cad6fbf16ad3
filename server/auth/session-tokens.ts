/**
 * Parley's own sessions: short-lived access tokens (15 minutes, HS256 with a per-site key
 * the server generates and never shares) and long-lived refresh tokens (random, stored only
 * as a hash, rotated on every use). "Sign out everywhere" revokes every refresh token and
 * bumps the user's epoch, which every access token carries, so outstanding ones die too.
 */
import { createHash, randomBytes } from 'node:crypto';
import { SignJWT, jwtVerify } from 'jose';
import { ParleyError } from '../../moderation/errors.js';
import type { Store } from '../store/store.js';

export const ACCESS_TOKEN_SECONDS = 15 * 60;
export const REFRESH_TOKEN_DAYS = 30;
/** Marks tokens Parley issued itself, as opposed to a host site's. */
export const PARLEY_KEY_ID = 'parley-session';

/** Why a single-use emailed link (member sign-in, staff proof) could not be used, said the same way everywhere. */
export function linkRefused(reason: 'unknown' | 'used' | 'expired'): ParleyError {
  const messages = {
    unknown: 'This sign-in link is not valid.',
    used: 'This sign-in link was already used. Ask for a new one.',
    expired: 'This sign-in link has expired. Ask for a new one.',
  } as const;
  return new ParleyError('token_invalid', messages[reason]);
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('base64url');
}

export function newSecretToken(): string {
  return randomBytes(32).toString('base64url');
}

async function sessionKey(store: Store, site: string): Promise<Uint8Array> {
  let key = await store.getSetting(site, 'session-key');
  // The first sign-in makes it: read again and created in one transaction, so two at once agree on one key.
  if (!key) {
    key = await store.transaction(async () => {
      let created = await store.getSetting(site, 'session-key');
      if (!created) {
        created = newSecretToken();
        await store.setSetting(site, 'session-key', created);
      }
      return created;
    });
  }
  return new TextEncoder().encode(key);
}

export async function signAccessToken(store: Store, site: string, userId: string, sessionId: string, nowSeconds: number): Promise<string> {
  return new SignJWT({ sid: sessionId, ep: await store.getSessionEpoch(site, userId) })
    .setProtectedHeader({ alg: 'HS256', kid: PARLEY_KEY_ID })
    .setIssuer('parley')
    .setAudience(site)
    .setSubject(userId)
    .setIssuedAt(nowSeconds)
    .setExpirationTime(nowSeconds + ACCESS_TOKEN_SECONDS)
    .sign(await sessionKey(store, site));
}

/** Verifies a Parley access token for this site; returns the user id. */
export async function verifyAccessToken(store: Store, site: string, token: string, nowSeconds: number): Promise<string> {
  let payload;
  try {
    ({ payload } = await jwtVerify(token, await sessionKey(store, site), {
      algorithms: ['HS256'],
      issuer: 'parley',
      audience: site,
      currentDate: new Date(nowSeconds * 1000),
      requiredClaims: ['exp', 'sub', 'sid'],
    }));
  } catch (error) {
    const expired = (error as { code?: string }).code === 'ERR_JWT_EXPIRED';
    throw new ParleyError('token_invalid', expired ? 'Your session has expired; refresh it or sign in again.' : 'This session token is not valid here.');
  }
  const userId = payload.sub!;
  const session = await store.getSession(String(payload.sid));
  if (!session || session.revokedAt || session.site !== site || session.userId !== userId || payload.ep !== (await store.getSessionEpoch(site, userId))) {
    throw new ParleyError('token_invalid', 'This session was signed out. Sign in again.');
  }
  return userId;
}
