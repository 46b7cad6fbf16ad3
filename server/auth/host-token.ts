/**
 * Verifies the sign-in token a host site hands to the widget. The host signs a short-lived
 * JWT with the site's HS256 secret, or with an Ed25519 / RSA key whose public half is
 * registered with the site. Verification uses jose (a maintained JWT library) and is
 * strict: algorithm pinned to the key type; `exp`, `iat` and `aud` required; `aud` must name
 * this site, so a token for one site is useless on another. The lifetime cap (12 hours) is
 * measured from the time the token is received as well as from its `iat`: neither a token
 * issued long ago nor one whose `iat` is set just before a far-away `exp` gets through.
 */
import { importSPKI, jwtVerify, decodeProtectedHeader, type JWTPayload, type CryptoKey } from 'jose';
import { LIMITS } from '../../moderation/limits.js';
import { HostClaimsSchema, parseWith, type HostClaims } from '../../moderation/schemas.js';
import { ParleyError } from '../../moderation/errors.js';
import type { SiteRecord } from '../store/store.js';

const keyCache = new Map<string, Promise<{ alg: string; key: CryptoKey }>>();

export function importPublicKey(pem: string): Promise<{ alg: string; key: CryptoKey }> {
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

/** Host and server clocks may disagree by this much. */
const CLOCK_TOLERANCE_SECONDS = 30;

function tooLong(): ParleyError {
  return new ParleyError('token_invalid', 'The sign-in token lives too long; tokens must expire within 12 hours of being issued.');
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
        requiredClaims: ['exp', 'iat', 'sub', 'aud'],
        audience: site.id,
        // jose refuses an `iat` older than this, and one in the future.
        maxTokenAge: LIMITS.tokenMaxLifetimeSeconds,
        currentDate: new Date(nowSeconds * 1000),
        clockTolerance: CLOCK_TOLERANCE_SECONDS,
      });
      payload = result.payload;
      break;
    } catch (error) {
      // The signature is checked before the claims: any of these means this key signed it.
      const { code, claim, reason } = error as { code?: string; claim?: string; reason?: string };
      if (code === 'ERR_JWT_EXPIRED' && claim === 'iat') {
        throw new ParleyError('token_invalid', 'The sign-in token was issued more than 12 hours ago. Sign in again.');
      }
      if (code === 'ERR_JWT_EXPIRED') throw new ParleyError('token_invalid', 'The sign-in token has expired. Sign in again.');
      if (code === 'ERR_JWT_CLAIM_VALIDATION_FAILED') {
        if (claim === 'aud' && reason === 'missing') {
          throw new ParleyError('token_invalid', `The sign-in token has no "aud" claim; it must be the site id ("${site.id}").`);
        }
        if (claim === 'aud') throw new ParleyError('token_invalid', 'The sign-in token is for another site.');
        if (claim === 'iat' && reason === 'check_failed') {
          throw new ParleyError('token_invalid', "The sign-in token's \"iat\" is in the future; check the host's clock.");
        }
        throw new ParleyError('token_invalid', `The sign-in token's "${claim}" claim is missing or not valid.`);
      }
    }
  }
  if (!payload) throw new ParleyError('token_invalid', 'The sign-in token was not signed by this site.');
  // `iat` is the host's word; the time left until `exp` is ours. Both must be within the cap.
  const exp = payload.exp as number;
  if (exp - (payload.iat as number) > LIMITS.tokenMaxLifetimeSeconds || exp - nowSeconds > LIMITS.tokenMaxLifetimeSeconds + CLOCK_TOLERANCE_SECONDS) {
    throw tooLong();
  }
  const claims = parseWith(HostClaimsSchema, payload);
  if (!claims.ok) throw new ParleyError('token_invalid', `The sign-in token's claims are not valid: ${claims.message}`);
  return claims.value;
}
