/**
 * Sign-in with a site's OpenID provider (issue 12), in three steps:
 *
 * 1. `start`: checks the return URL (a page on one of the site's own origins), keeps the
 *    flow server-side (state hash, nonce, PKCE verifier, return URL; ten minutes, single use;
 *    at most LIMITS.oidcPendingFlowsMax per site, and `oidcStartsPerIpPerMinute` starts per
 *    client address) and sends the browser to the provider.
 * 2. `callback`: takes the flow by its state, has the provider's answer verified (code
 *    exchange, ID token), finds or creates the member `oidc:<issuer tag>:<sub>`, applies a
 *    staff affiliation the site's own IdP vouches through its staff claim, and sends the
 *    browser back to `returnUrl#parley-oidc=<ticket>` (or `#parley-oidc-error=<code>`).
 * 3. `complete`: the widget redeems the ticket (hashed at rest, two minutes, single use) for
 *    a Parley session.
 *
 * Optionally, the page binds the ticket to itself: it sends `challenge` (SHA-256 of a random
 * verifier it keeps in sessionStorage) to `start` and the verifier to `complete`. A ticket
 * planted in someone else's page (login CSRF: signing a victim into the attacker's account)
 * then fails there.
 *
 * The ticket travels in the fragment, which browsers never send to servers or in Referer.
 */
import { createHash } from 'node:crypto';
import { ParleyError } from '../../moderation/errors.js';
import { LIMITS } from '../../moderation/limits.js';
import { OidcCompleteSchema, OidcStaffClaimSchema, OidcTicketChallengeSchema, parseWith } from '../../moderation/schemas.js';
import type { SessionTokens } from '../../moderation/types.js';
import { authorizationUrl, OidcError, verifiedClaims } from '../auth/oidc-relying-party.js';
import { hashToken, newSecretToken } from '../auth/session-tokens.js';
import { normaliseOrigin } from '../http/origins.js';
import type { OidcProviderRecord } from '../store/oidc-store.js';
import type { SiteRecord, UserRecord } from '../store/store.js';
import type { AppContext } from './context.js';
import { applyHostVouching, flagLookalike } from './identity.js';
import { oidcRedirectUri } from './oidc-settings.js';
import { issueSession } from './sessions.js';
import { isMethodOffered } from './sign-in-methods.js';
import { valid } from './validate.js';

const FLOW_MINUTES = 10;
const TICKET_SECONDS = 120;

/** Why the callback sent the browser back without a ticket (`#parley-oidc-error=<code>`). */
export type OidcSignInFailure =
  | OidcError['failure']
  /** This account was erased on the site. */
  | 'account_deleted'
  /** The staff claim is not `{company, jobTitle}`. */
  | 'staff_claim_invalid'
  /** The staff claim names a company that is not in the site's register. */
  | 'staff_company_unknown'
  /** The person holds the moderator or admin role; company staff cannot. */
  | 'staff_not_allowed';

type Query = Record<string, unknown>;

async function providerOf(ctx: AppContext, site: SiteRecord): Promise<OidcProviderRecord> {
  // Configured, and not switched off in the site's sign-in methods.
  const provider = (await isMethodOffered(ctx, site, 'oidc')) ? await ctx.store.getOidcProvider(site.id) : null;
  if (!provider) throw new ParleyError('not_found', `The site "${site.id}" does not offer sign-in with OpenID Connect.`);
  return provider;
}

/** The page to come back to: a URL on one of the site's own origins (a `*` origin does not count), fragment dropped. */
export function checkedReturnUrl(ctx: AppContext, site: SiteRecord, raw: unknown): string {
  if (typeof raw !== 'string' || raw.length === 0) throw new ParleyError('validation_failed', 'returnUrl: the page to return to is required');
  if (raw.length > LIMITS.oidcReturnUrlMaxChars) {
    throw new ParleyError('validation_failed', `returnUrl: at most ${LIMITS.oidcReturnUrlMaxChars} characters`);
  }
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ParleyError('validation_failed', 'returnUrl: not a URL');
  }
  if ((url.protocol !== 'https:' && url.protocol !== 'http:') || url.username || url.password) {
    throw new ParleyError('validation_failed', 'returnUrl: an http(s) page URL without credentials');
  }
  // The ticket is a key to the account: it may only ever go to the site's own pages.
  const allowed = [...site.origins.filter((o) => o !== '*'), ...ctx.selfOrigins()].map((o) => normaliseOrigin(o));
  if (!allowed.includes(url.origin)) {
    throw new ParleyError('forbidden', `returnUrl: ${url.origin} is not one of this site's origins; sign-in can only return to the site's own pages.`);
  }
  url.hash = '';
  return url.href;
}

function singleString(query: Query, name: string, max: number): string | null {
  const value = query[name];
  if (value === undefined) return null;
  if (typeof value !== 'string' || value.length > max) throw new ParleyError('bad_request', `${name}: one value of at most ${max} characters`);
  return value;
}

const withFragment = (returnUrl: string, key: string, value: string) => `${returnUrl}#${key}=${encodeURIComponent(value)}`;

/**
 * Step 1: the provider's URL to send the browser to (or the return URL with an error when the
 * provider is unreachable). Anyone may start one, and each start keeps a pending flow: starts
 * are limited per client address (`oidcStartsPerIpPerMinute`), counted once the request is
 * valid and before the provider is asked or anything is stored.
 */
export async function startOidcSignIn(ctx: AppContext, site: SiteRecord, query: Query, ip: string): Promise<string> {
  const provider = await providerOf(ctx, site);
  const returnUrl = checkedReturnUrl(ctx, site, query.returnUrl);
  const ticketChallenge = query.challenge === undefined ? null : valid(parseWith(OidcTicketChallengeSchema, query.challenge));
  await ctx.limits.consume('oidc-start', site.id, null, ip);
  const state = newSecretToken();
  const nonce = newSecretToken();
  const codeVerifier = newSecretToken();
  let target: URL;
  try {
    target = await authorizationUrl(provider, { redirectUri: oidcRedirectUri(ctx, site.id), state, nonce, codeVerifier });
  } catch (error) {
    ctx.log.warn({ site: site.id, issuer: provider.issuer, err: (error as Error).message }, 'oidc: cannot reach the provider');
    return withFragment(returnUrl, 'parley-oidc-error', error instanceof OidcError ? error.failure : 'provider_error');
  }
  const now = ctx.now();
  const stored = await ctx.store.createOidcFlow({
    stateHash: hashToken(state), site: site.id, issuer: provider.issuer, nonce, codeVerifier, returnUrl, ticketChallenge,
    createdAt: now.toISOString(), expiresAt: new Date(now.getTime() + FLOW_MINUTES * 60_000).toISOString(),
  }, now.toISOString(), LIMITS.oidcPendingFlowsMax);
  if (!stored) throw new ParleyError('rate_limited', 'Too many sign-ins are under way on this site; try again in a few minutes.', { retryAfterSeconds: 60 });
  return target.href;
}

/** Step 2: where to send the browser after the provider's answer (the return URL with a ticket or an error code). */
export async function finishOidcSignIn(ctx: AppContext, site: SiteRecord, query: Query): Promise<string> {
  const state = singleString(query, 'state', LIMITS.oidcStateMaxChars);
  if (!state) throw new ParleyError('bad_request', 'state: the provider did not send back the sign-in state. Start the sign-in again.');
  const flow = await ctx.store.takeOidcFlow(site.id, hashToken(state), ctx.now().toISOString());
  if (!flow) throw new ParleyError('bad_request', 'This sign-in has expired or was already used. Start the sign-in again.');
  try {
    const provider = await ctx.store.getOidcProvider(site.id);
    if (!provider || provider.issuer !== flow.issuer) throw new OidcError('provider_error', 'The site changed its provider during the sign-in.');
    // The provider's answer, as the callback received it: only single, bounded values go on.
    const callbackUrl = new URL(oidcRedirectUri(ctx, site.id));
    for (const [name, max] of [['code', LIMITS.oidcCodeMaxChars], ['state', LIMITS.oidcStateMaxChars], ['iss', LIMITS.oidcIssuerMaxChars],
      ['error', 100], ['error_description', 500], ['session_state', 500]] as const) {
      const value = singleString(query, name, max);
      if (value !== null) callbackUrl.searchParams.set(name, value);
    }
    const claims = await verifiedClaims(provider, callbackUrl, { state, nonce: flow.nonce, codeVerifier: flow.codeVerifier });
    const user = await signInMember(ctx, site, provider, claims);
    const ticket = newSecretToken();
    const now = ctx.now();
    await ctx.store.createOidcTicket({
      ticketHash: hashToken(ticket), site: site.id, userId: user.id, ticketChallenge: flow.ticketChallenge,
      createdAt: now.toISOString(), expiresAt: new Date(now.getTime() + TICKET_SECONDS * 1000).toISOString(),
    });
    return withFragment(flow.returnUrl, 'parley-oidc', ticket);
  } catch (error) {
    const failure = failureOf(error);
    ctx.log.warn({ site: site.id, failure, err: (error as Error).message }, 'oidc: sign-in refused');
    return withFragment(flow.returnUrl, 'parley-oidc-error', failure);
  }
}

function failureOf(error: unknown): OidcSignInFailure {
  if (error instanceof OidcError) return error.failure;
  if (error instanceof SignInRefused) return error.failure;
  if (error instanceof ParleyError && error.code === 'bad_request') return 'provider_error';
  throw error;
}

/** A refusal of ours (not the provider's), with the code the page is told. */
class SignInRefused extends Error {
  constructor(public readonly failure: OidcSignInFailure, message: string) {
    super(message);
  }
}

/** Member subjects are scoped by issuer: the same `sub` from two providers is two people. */
/** How every account signed in through the site's OpenID provider is named (its `sub`). */
export const OIDC_SUBJECT_PREFIX = 'oidc:';

export function oidcSubject(issuer: string, sub: string): string {
  return `${OIDC_SUBJECT_PREFIX}${createHash('sha256').update(issuer).digest('base64url').slice(0, 12)}:${sub}`;
}

/** A display name to start with (the welcome step lets the member choose another). */
function suggestedName(claims: Record<string, unknown>): string {
  const text = (value: unknown) => (typeof value === 'string' ? value.replace(/\s+/g, ' ').trim() : '');
  const joined = [text(claims.given_name), text(claims.family_name)].filter(Boolean).join(' ');
  const name = text(claims.name) || joined || text(claims.nickname) || text(claims.preferred_username) || 'Member';
  return [...name].slice(0, LIMITS.displayNameMaxChars).join('').trim() || 'Member';
}

async function signInMember(ctx: AppContext, site: SiteRecord, provider: OidcProviderRecord, claims: Record<string, unknown>): Promise<UserRecord> {
  const sub = claims.sub;
  if (typeof sub !== 'string' || sub.length === 0 || sub.length > 255) throw new OidcError('token_invalid', 'The ID token has no usable sub.');
  let affiliation: { company: string; jobTitle: string } | undefined;
  const vouched = provider.staffClaim ? claims[provider.staffClaim] : undefined;
  if (vouched !== undefined && vouched !== null) {
    const parsed = parseWith(OidcStaffClaimSchema, vouched);
    if (!parsed.ok) throw new SignInRefused('staff_claim_invalid', `The staff claim is not {company, jobTitle}: ${parsed.message}`);
    // Checked before the account is created: a refused vouching leaves nothing behind.
    if (!(await ctx.store.getCompany(site.id, parsed.value.company))) {
      throw new SignInRefused('staff_company_unknown', `The staff claim names company "${parsed.value.company}", which is not in this site's register.`);
    }
    affiliation = parsed.value;
  }
  // Only an address the provider says it verified is taken, and each sign-in replaces (or
  // clears) it: so an oidc: account's address is always one the provider proved, and
  // notifications count it as proven (addressProven in notifications.ts).
  const email = claims.email_verified === true && typeof claims.email === 'string' && claims.email.length <= 254 ? claims.email : null;
  const now = ctx.now().toISOString();
  let user = await ctx.store.upsertUserFromHost(site.id, oidcSubject(provider.issuer, sub), suggestedName(claims), email, now, ctx.newId());
  if (user.kind === 'deleted') throw new SignInRefused('account_deleted', 'This account was erased.');
  if (affiliation) {
    try {
      await applyHostVouching(ctx, site, user, { affiliation }, 'oidc');
    } catch (error) {
      if (error instanceof ParleyError && error.code === 'forbidden') throw new SignInRefused('staff_not_allowed', error.message);
      // The company left the register between the check above and now.
      if (error instanceof ParleyError && error.code === 'token_invalid') throw new SignInRefused('staff_company_unknown', error.message);
      throw error;
    }
  }
  user = (await ctx.store.getUser(site.id, user.id))!;
  if (user.kind === 'member') await flagLookalike(ctx, site.id, user);
  return user;
}

/** Step 3: the ticket from the return URL's fragment becomes a Parley session (once). */
export async function completeOidcSignIn(ctx: AppContext, site: SiteRecord, input: unknown): Promise<SessionTokens> {
  const { ticket, verifier } = valid(parseWith(OidcCompleteSchema, input));
  const taken = await ctx.store.takeOidcTicket(site.id, hashToken(ticket), ctx.now().toISOString());
  if (!taken) throw new ParleyError('token_invalid', 'This sign-in ticket has expired or was already used. Sign in again.');
  // A bound ticket is burnt by a wrong or missing verifier: it was not this page's sign-in.
  if (taken.ticketChallenge !== null && (verifier === undefined || hashToken(verifier) !== taken.ticketChallenge)) {
    throw new ParleyError('token_invalid', 'This sign-in was not started on this page. Sign in again.');
  }
  const user = await ctx.store.getUser(site.id, taken.userId);
  if (!user || user.kind === 'deleted') throw new ParleyError('token_invalid', 'This account no longer exists.');
  return issueSession(ctx, site, user.id);
}
