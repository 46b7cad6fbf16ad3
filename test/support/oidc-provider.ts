/**
 * A real OpenID provider for tests: oidc-provider 9 (a certified implementation) on loopback,
 * with one confidential client, accounts the test chooses, a login interaction that signs in
 * whichever account the test named (no form to fill), consent granted automatically, and two
 * ways to play a hostile provider: refuse the next sign-in (`access_denied`), or replace the
 * ID token in the token endpoint's answer with one the test signs with the provider's own key
 * (to prove the relying party checks issuer, audience and nonce, not only the signature).
 *
 * `Browser` follows redirects with a cookie jar, as a browser would, without a browser.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider, { type Configuration } from 'oidc-provider';
import { decodeJwt, exportJWK, generateKeyPair, SignJWT, type JWTPayload } from 'jose';

export interface TestAccount {
  sub: string;
  /** Claims besides sub: name, email, email_verified, a staff claim… */
  claims: Record<string, unknown>;
}

export interface TestProvider {
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** Paths requested from the provider by anyone (Parley and the test's browser), in order. */
  requests: string[];
  /** The account the next logins sign in as. */
  loginAs(account: TestAccount): void;
  /** The next login is refused at the provider (the person pressed "cancel"). */
  refuseNextLogin(): void;
  /** Replaces the ID token of the next token response with `edit(original claims)`, signed with `key` (the provider's by default). */
  tamperNextIdToken(edit: (claims: JWTPayload) => JWTPayload, key?: 'provider' | 'foreign'): void;
  close(): Promise<void>;
}

export const STAFF_CLAIM = 'parley_affiliation';

export async function startTestProvider(options: { redirectUris: string[] }): Promise<TestProvider> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const clientId = 'parley-test';
  const clientSecret = 'a-client-secret-for-tests-0123456789';
  const { privateKey } = await generateKeyPair('RS256', { extractable: true });
  const { privateKey: foreignKey } = await generateKeyPair('RS256', { extractable: true });
  const jwk = { ...(await exportJWK(privateKey)), kid: 'test-key', alg: 'RS256', use: 'sig' };

  let account: TestAccount = { sub: 'nobody', claims: {} };
  let refuse = false;
  let tamper: { edit: (claims: JWTPayload) => JWTPayload; key: 'provider' | 'foreign' } | null = null;
  const requests: string[] = [];

  const configuration: Configuration = {
    clients: [{
      client_id: clientId, client_secret: clientSecret, redirect_uris: options.redirectUris,
      grant_types: ['authorization_code'], response_types: ['code'], token_endpoint_auth_method: 'client_secret_basic',
    }],
    jwks: { keys: [jwk as any] },
    cookies: { keys: ['cookie-key-for-tests-only'] },
    pkce: { required: () => true },
    ttl: { AccessToken: 600, AuthorizationCode: 60, IdToken: 600, Grant: 600, Interaction: 600, Session: 600 },
    claims: {
      openid: ['sub'],
      profile: ['name', 'given_name', 'family_name', 'preferred_username'],
      email: ['email', 'email_verified'],
      staff: [STAFF_CLAIM],
    },
    // Profile and email claims in the ID token itself (Parley reads no userinfo).
    conformIdTokenClaims: false,
    features: { devInteractions: { enabled: false } },
    interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
    findAccount: async (_ctx, sub) => ({
      accountId: sub,
      claims: async () => ({ sub, ...(sub === account.sub ? account.claims : {}) }),
    }),
    // A first-party client: whatever it asks for is granted without a consent screen.
    loadExistingGrant: async (ctx) => {
      const grant = new ctx.oidc.provider.Grant({ clientId: ctx.oidc.client!.clientId, accountId: ctx.oidc.session!.accountId });
      grant.addOIDCScope([...(ctx.oidc.requestParamScopes ?? new Set(['openid']))].join(' '));
      await grant.save();
      return grant;
    },
  };
  const provider = new Provider(issuer, configuration);
  const handle = provider.callback();

  server.on('request', (req, res) => {
    requests.push(new URL(req.url ?? '/', issuer).pathname);
    const url = new URL(req.url ?? '/', issuer);
    if (req.method === 'GET' && url.pathname.startsWith('/interaction/')) {
      void (async () => {
        const details = await provider.interactionDetails(req, res);
        if (refuse) {
          refuse = false;
          await provider.interactionFinished(req, res, { error: 'access_denied', error_description: 'The person cancelled.' }, { mergeWithLastSubmission: false });
        } else if (details.prompt.name === 'login') {
          await provider.interactionFinished(req, res, { login: { accountId: account.sub } }, { mergeWithLastSubmission: false });
        } else {
          throw new Error(`unexpected prompt ${details.prompt.name}`);
        }
      })().catch((error) => {
        res.statusCode = 500;
        res.end(String(error));
      });
      return;
    }
    if (req.method === 'POST' && url.pathname === '/token' && tamper) {
      const { edit, key } = tamper;
      tamper = null;
      const end = res.end.bind(res) as (chunk?: unknown) => http.ServerResponse;
      res.end = ((chunk?: unknown) => {
        void (async () => {
          const body = JSON.parse(String(chunk));
          if (body.id_token) {
            body.id_token = await new SignJWT(edit(decodeJwt(body.id_token)))
              .setProtectedHeader({ alg: 'RS256', kid: 'test-key' })
              .sign(key === 'provider' ? privateKey : foreignKey);
          }
          const text = JSON.stringify(body);
          res.setHeader('content-length', Buffer.byteLength(text));
          end(text);
        })();
        return res;
      }) as typeof res.end;
    }
    // Koa's callback answers its own errors (500); nothing to wait for here.
    void handle(req, res);
  });

  return {
    issuer, clientId, clientSecret, requests,
    loginAs(next) {
      account = next;
    },
    refuseNextLogin() {
      refuse = true;
    },
    tamperNextIdToken(edit, key = 'provider') {
      tamper = { edit, key };
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** Follows redirects like a browser, keeping cookies per host; stops at the first URL `stop` accepts. */
export class Browser {
  private readonly jar = new Map<string, Map<string, string>>();

  async get(url: string): Promise<{ status: number; location: string | null; body: string }> {
    const target = new URL(url);
    const cookies = [...(this.jar.get(target.host) ?? new Map())].map(([name, value]) => `${name}=${value}`).join('; ');
    const response = await fetch(url, { redirect: 'manual', headers: cookies ? { cookie: cookies } : {} });
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const eq = pair!.indexOf('=');
      const jar = this.jar.get(target.host) ?? new Map<string, string>();
      jar.set(pair!.slice(0, eq).trim(), pair!.slice(eq + 1).trim());
      this.jar.set(target.host, jar);
    }
    const location = response.headers.get('location');
    return { status: response.status, location: location ? new URL(location, url).href : null, body: await response.text() };
  }

  /** Follows from `url` until a redirect leads to a URL `stop` accepts (returned), or a response is not a redirect (thrown). */
  async follow(url: string, stop: (url: string) => boolean, maxHops = 15): Promise<string> {
    let next = url;
    for (let hop = 0; hop < maxHops; hop++) {
      const { status, location, body } = await this.get(next);
      if (!location || status < 300 || status > 399) throw new Error(`${next} answered ${status} without a redirect: ${body.slice(0, 300)}`);
      if (stop(location)) return location;
      next = location;
    }
    throw new Error(`more than ${maxHops} redirects from ${url}`);
  }
}
