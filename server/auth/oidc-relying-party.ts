/**
 * Parley as an OpenID Connect relying party (issue 12), on openid-client 6 (certified, built
 * on jose): discovery from the issuer, the authorization URL (code flow, PKCE S256, state,
 * nonce) and the code exchange, whose ID token is verified for signature (against the
 * provider's JWKS), issuer, audience, expiry and nonce, and whose `iss` response parameter
 * (mix-up defence) is checked when the provider sends it.
 *
 * Every outbound request goes through one fetch that reaches only the configured issuer's
 * origin (a discovery document pointing elsewhere is refused, not followed), never follows
 * redirects, gives up after OUTBOUND_TIMEOUT_MS and reads at most RESPONSE_MAX_BYTES.
 * Discovery (and with it the provider's keys) is cached per provider settings, bounded in
 * count and age; a failed discovery is not cached.
 */
import { createHash } from 'node:crypto';
import * as client from 'openid-client';
import type { OidcProviderRecord } from '../store/oidc-store.js';

export const OUTBOUND_TIMEOUT_MS = 10_000;
const RESPONSE_MAX_BYTES = 512 * 1024;
const DISCOVERY_CACHE_MAX = 100;
const DISCOVERY_MAX_AGE_MS = 60 * 60 * 1000;

/** Why a sign-in with the provider failed, as the widget is told it (`#parley-oidc-error=<code>`). */
export type OidcFailure =
  /** The person cancelled or refused at the provider. */
  | 'access_denied'
  /** The provider could not be reached, answered an error, or is misconfigured. */
  | 'provider_error'
  /** The ID token failed verification (signature, issuer, audience, nonce, expiry). */
  | 'token_invalid';

export class OidcError extends Error {
  constructor(
    public readonly failure: OidcFailure,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'OidcError';
  }
}

const isLoopback = (url: URL) => url.hostname === 'localhost' || url.hostname === '127.0.0.1' || url.hostname === '[::1]';

/** fetch for one provider: its issuer's origin only, no redirects, a time-out and a size cap. */
function issuerOnlyFetch(issuer: URL): client.CustomFetch {
  return async (url, options) => {
    const target = new URL(url);
    if (target.origin !== issuer.origin) {
      throw new OidcError('provider_error', `The provider asked Parley to call ${target.origin}, which is not its issuer ${issuer.origin}; refused.`);
    }
    const signals = [AbortSignal.timeout(OUTBOUND_TIMEOUT_MS), ...(options.signal ? [options.signal] : [])];
    const response = await fetch(url, { ...options, redirect: 'manual', signal: AbortSignal.any(signals) } as RequestInit);
    const declared = Number(response.headers.get('content-length') ?? 0);
    if (declared > RESPONSE_MAX_BYTES) {
      await response.body?.cancel();
      throw new OidcError('provider_error', `The provider's answer is larger than ${RESPONSE_MAX_BYTES} bytes.`);
    }
    const chunks: Uint8Array[] = [];
    let size = 0;
    if (response.body) {
      for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
        size += chunk.byteLength;
        if (size > RESPONSE_MAX_BYTES) throw new OidcError('provider_error', `The provider's answer is larger than ${RESPONSE_MAX_BYTES} bytes.`);
        chunks.push(chunk);
      }
    }
    const noBody = response.status === 204 || response.status === 304;
    return new Response(noBody ? null : Buffer.concat(chunks), {
      status: response.status, statusText: response.statusText, headers: response.headers,
    });
  };
}

interface CachedDiscovery {
  configuration: Promise<client.Configuration>;
  expiresAt: number;
}
const discoveries = new Map<string, CachedDiscovery>();

function discoveryKey(provider: OidcProviderRecord): string {
  const secret = provider.clientSecret ? createHash('sha256').update(provider.clientSecret).digest('base64url') : '';
  return JSON.stringify([provider.issuer, provider.clientId, secret]);
}

/** The provider's configuration (discovered, then cached); throws OidcError('provider_error') if discovery fails. */
export function providerConfiguration(provider: OidcProviderRecord, nowMs = Date.now()): Promise<client.Configuration> {
  const key = discoveryKey(provider);
  const cached = discoveries.get(key);
  if (cached && cached.expiresAt > nowMs) return cached.configuration;
  discoveries.delete(key);
  const issuer = new URL(provider.issuer);
  const configuration = client
    .discovery(
      issuer,
      provider.clientId,
      undefined,
      provider.clientSecret ? client.ClientSecretBasic(provider.clientSecret) : client.None(),
      {
        [client.customFetch]: issuerOnlyFetch(issuer),
        timeout: OUTBOUND_TIMEOUT_MS / 1000,
        execute: [
          // The ID token's signature is checked against the provider's published keys even though it
          // came straight from the token endpoint (which OIDC Core would let TLS vouch for instead).
          client.enableNonRepudiationChecks,
          // Plain http only to a provider on this machine (development and tests); the schema refuses it elsewhere.
          ...(issuer.protocol === 'http:' && isLoopback(issuer) ? [client.allowInsecureRequests] : []),
        ],
      },
    )
    .catch((error: unknown) => {
      if (discoveries.get(key)?.configuration === configuration) discoveries.delete(key);
      throw error instanceof OidcError ? error : new OidcError('provider_error', `Discovery at ${provider.issuer} failed: ${describe(error)}`, { cause: error });
    });
  if (discoveries.size >= DISCOVERY_CACHE_MAX) discoveries.delete(discoveries.keys().next().value!);
  discoveries.set(key, { configuration, expiresAt: nowMs + DISCOVERY_MAX_AGE_MS });
  return configuration;
}

export interface AuthorizationRequest {
  redirectUri: string;
  state: string;
  nonce: string;
  codeVerifier: string;
}

/** Where to send the browser: the provider's authorization endpoint with our request. */
export async function authorizationUrl(provider: OidcProviderRecord, request: AuthorizationRequest): Promise<URL> {
  const configuration = await providerConfiguration(provider);
  const scopes = ['openid', ...provider.scopes.filter((s) => s !== 'openid')];
  return client.buildAuthorizationUrl(configuration, {
    redirect_uri: request.redirectUri,
    scope: scopes.join(' '),
    state: request.state,
    nonce: request.nonce,
    code_challenge: await client.calculatePKCECodeChallenge(request.codeVerifier),
    code_challenge_method: 'S256',
  });
}

/**
 * Exchanges the code in the provider's answer (`callbackUrl`: our redirect URI with the query
 * the provider sent) for tokens and returns the verified ID token's claims.
 */
export async function verifiedClaims(
  provider: OidcProviderRecord,
  callbackUrl: URL,
  expected: { state: string; nonce: string; codeVerifier: string },
): Promise<client.IDToken> {
  const configuration = await providerConfiguration(provider);
  try {
    const tokens = await client.authorizationCodeGrant(configuration, callbackUrl, {
      expectedState: expected.state,
      expectedNonce: expected.nonce,
      pkceCodeVerifier: expected.codeVerifier,
      idTokenExpected: true,
    });
    const claims = tokens.claims();
    if (!claims) throw new OidcError('token_invalid', 'The provider sent no ID token.');
    return claims;
  } catch (error) {
    throw classify(error);
  }
}

function classify(error: unknown): OidcError {
  if (error instanceof OidcError) return error;
  const cause = (error as { cause?: unknown }).cause;
  if (cause instanceof OidcError) return cause;
  const found = [error, cause] as Array<{ code?: string; error?: string } | undefined>;
  if (found.some((e) => e instanceof client.AuthorizationResponseError && e.error === 'access_denied')) {
    return new OidcError('access_denied', 'The sign-in was cancelled at the provider.', { cause: error });
  }
  const codes = found.map((e) => e?.code ?? '');
  // A bad signature is reported as a generic invalid response: tell it apart by its message.
  const messages = found.map((e) => (e as { message?: string } | undefined)?.message ?? '');
  if (codes.some((c) => /JWT|KEY_SELECTION|JSON_ATTRIBUTE_COMPARISON/.test(c)) || messages.some((m) => /JWT signature|ID Token/i.test(m))) {
    return new OidcError('token_invalid', `The provider's ID token failed verification: ${describe(error)}`, { cause: error });
  }
  return new OidcError('provider_error', `The provider's answer was refused: ${describe(error)}`, { cause: error });
}

function describe(error: unknown): string {
  const e = error as { message?: string; cause?: { message?: string } };
  return [e?.message, e?.cause?.message].filter(Boolean).join(': ').slice(0, 300) || String(error);
}
