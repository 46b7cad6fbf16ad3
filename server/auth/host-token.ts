/**
 * Verifies the sign-in token a host site hands to the widget. The host signs a short-lived
 * JWT with the site's HS256 secret, or with an Ed25519 / RSA key whose public half is
 * registered with the site. Verification uses jose (a maintained JWT library) and is
 * strict: algorithm pinned to the key type, `exp` required, lifetime capped, and `aud`,
 * when present, must name this site — so a token for one site is useless on another.
 */
import { importSPKI, jwtVerify, decodeProtectedHeader, type JWTPayload, type CryptoKey } from 'jose';
import { LIMITS } from '../../moderation/limits.js';
import { HostClaimsSchema, parseWith, type HostClaims } from '../../moderation/schemas.js';
import { ParleyError } from '../../moderation/errors.js';
import type { SiteRecord } from '../store/store.js';

const keyCache = new Map<string, Promise<{ alg: string; key: CryptoKey }>>();

function importPublicKey(pem: string): Promise<{ alg: string; key: CryptoKey }> {
  let cached = keyCache.get(pem);
  if (!cached) {
    // Ed25519 SPKI keys are short; RSA keys are long. Try EdDSA first, then RS256.
    cached = importSPKI(pem, 'EdDSA')
      .then((key) => ({ alg: 'EdDSA', key }))
      .catch(() => importSPKI(pem, 'RS256').then((key) => ({ alg: 'RS256', key })));
    keyCache.set(pem, cached);
  }
  return cached;
}


export async function verifyHostToken(site: SiteRecord, token: string, nowSeconds: number): Promise<HostClaims> {
  if (typeof token !== 'string' || token.length === 0 || token.length > LIMITS.tokenMaxChars) {
    throw new ParleyError('token_invalid', 'The sign-in token is missing or too long.');
  }
  let alg: string;
  try {
    alg = decodeProtectedHeader(token).alg ?? '';
  } catch {
    throw new ParleyError('token_invalid', 'The sign-in token is not a JWT.');
  }
  const candidates: Array<{ alg: string; key: CryptoKey | Uint8Array }> = [];
  if (alg === 'HS256' && site.secret) candidates.push({ alg, key: new TextEncoder().encode(site.secret) });
  if (alg === 'EdDSA' || alg === 'RS256') {
    for (const pem of site.publicKeys) {
      try {
        const imported = await importPublicKey(pem);
        if (imported.alg === alg) candidates.push(imported);
      } catch {
        // A malformed key in the configuration must not make every token fail; skip it.
      }
    }
  }
  if (candidates.length === 0) {
    throw new ParleyError('token_invalid', `This site does not accept ${alg || 'unsigned'} tokens.`);
  }
  let payload: JWTPayload | null = null;
  for (const candidate of candidates) {
    try {
      const result = await jwtVerify(token, candidate.key, {
        algorithms: [candidate.alg],
        requiredClaims: ['exp', 'sub'],
        currentDate: new Date(nowSeconds * 1000),
        clockTolerance: 30,
      });
      payload = result.payload;
      break;
    } catch (error) {
      if ((error as { code?: string }).code === 'ERR_JWT_EXPIRED') {
        throw new ParleyError('token_invalid', 'The sign-in token has expired. Sign in again.');
      }
    }
  }
  if (!payload) throw new ParleyError('token_invalid', 'The sign-in token was not signed by this site.');
  if (payload.aud !== undefined) {
    const audiences = Array.isArray(payload.aud) ? payload.aud : [payload.aud];
    if (!audiences.includes(site.id)) throw new ParleyError('token_invalid', 'The sign-in token is for another site.');
  }
  const issuedAt = typeof payload.iat === 'number' ? payload.iat : nowSeconds;
  if ((payload.exp as number) - issuedAt > LIMITS.tokenMaxLifetimeSeconds) {
    throw new ParleyError('token_invalid', 'The sign-in token lives too long; tokens must expire within 12 hours.');
  }
  const claims = parseWith(HostClaimsSchema, payload);
  if (!claims.ok) throw new ParleyError('token_invalid', `The sign-in token's claims are not valid: ${claims.message}`);
  return claims.value;
}
