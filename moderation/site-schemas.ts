/**
 * The site's own settings (issue 15): the shapes of the site admin API and of the first-run
 * setup, and the check of an allowed origin with its hints (http/https, `www`, ports, paths).
 * Pure: shared by the server, the setup page and the admin console.
 */
import * as v from 'valibot';
import type { FieldIssue } from './errors.js';
import { SignInMethodsSchema } from './schemas.js';

export const SITE_LIMITS = {
  /** Origins one site may list. */
  originsMax: 20,
  originMaxChars: 200,
  nameMaxChars: 100,
  publicKeysMax: 5,
  /** An RSA-4096 SPKI PEM is about 800 characters. */
  publicKeyMaxChars: 4000,
} as const;

const LOCAL_HOSTS = /^(localhost|127\.\d+\.\d+\.\d+|\[::1\]|[a-z0-9-]+\.localhost)$/i;

/**
 * Checks one allowed origin as an organisation would type it. Returns the normalised origin
 * (`https://example.org`, default port dropped) or why it is not one, with a hint to fix it.
 */
export function checkOrigin(text: string): { origin: string } | { problem: string } {
  const typed = text.trim();
  if (typed === '*') {
    return { problem: '"*" would let any web page use this site; list the addresses of your own pages instead.' };
  }
  let url: URL;
  try {
    url = new URL(typed);
  } catch {
    return { problem: `"${typed.slice(0, 80)}" is not a web address, so not an origin: write it with its scheme, like https://example.org` };
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    return { problem: 'An origin starts with https:// (or http:// for a local test server).' };
  }
  if (url.username || url.password) return { problem: 'An origin has no user name or password in it.' };
  if ((url.pathname !== '/' && url.pathname !== '') || url.search || url.hash || /\/.+$/.test(typed.replace(/^[a-z]+:\/\//i, ''))) {
    return { problem: `"${typed.slice(0, 80)}" has a path. An origin is only the scheme, host and port, without a path: ${url.origin}` };
  }
  if (url.protocol === 'http:' && !LOCAL_HOSTS.test(url.hostname)) {
    return { problem: `Pages on the internet are served over https: write https://${url.host} (http:// is for a local test server only).` };
  }
  return { origin: url.origin };
}

/**
 * Advice on a list of valid origins that is not an error: `www.` and the bare domain are
 * different origins, as are different ports.
 */
export function originHints(origins: readonly string[]): string[] {
  const hints: string[] = [];
  const set = new Set(origins);
  for (const origin of origins) {
    const url = new URL(origin);
    const other = url.hostname.startsWith('www.') ? url.hostname.slice(4) : `www.${url.hostname}`;
    if (LOCAL_HOSTS.test(url.hostname) || /^\d+\.\d+\.\d+\.\d+$/.test(url.hostname)) continue;
    const twin = `${url.protocol}//${other}${url.port ? `:${url.port}` : ''}`;
    if (!set.has(twin)) hints.push(`If your pages also open at ${twin}, add it too: ${origin} and ${twin} are different origins.`);
    if (url.port) hints.push(`${origin} only matches pages on port ${url.port}; pages on the usual port need ${url.protocol}//${url.hostname} as well.`);
  }
  return hints;
}

/** Validates and normalises a list of origins; the issues name each bad one (`origins.N`). */
export function checkOrigins(list: readonly string[], path = 'origins'): { origins: string[] } | { issues: FieldIssue[] } {
  const issues: FieldIssue[] = [];
  const origins: string[] = [];
  list.forEach((text, index) => {
    const checked = checkOrigin(text);
    if ('problem' in checked) issues.push({ path: `${path}.${index}`, message: checked.problem });
    else if (!origins.includes(checked.origin)) origins.push(checked.origin);
  });
  return issues.length > 0 ? { issues } : { origins };
}

const SiteName = v.pipe(
  v.string('the name is text'),
  v.trim(),
  v.minLength(1, 'the site needs a name'),
  v.maxLength(SITE_LIMITS.nameMaxChars, `at most ${SITE_LIMITS.nameMaxChars} characters`),
  v.regex(/^[^\p{Cc}]*$/u, 'no control characters'),
);
const OriginList = v.pipe(
  v.array(v.pipe(v.string('an origin is text'), v.maxLength(SITE_LIMITS.originMaxChars, `at most ${SITE_LIMITS.originMaxChars} characters`))),
  v.maxLength(SITE_LIMITS.originsMax, `at most ${SITE_LIMITS.originsMax} origins`),
);

/** `PATCH /admin/site`. */
export const SiteUpdateSchema = v.pipe(
  v.strictObject({ name: v.optional(SiteName), origins: v.optional(OriginList) }),
  v.check((u) => u.name !== undefined || u.origins !== undefined, 'send a name, origins or both'),
);

/** `PUT /admin/site/public-keys`. */
export const PublicKeysSchema = v.strictObject({
  publicKeys: v.pipe(
    v.array(v.pipe(v.string(), v.trim(), v.maxLength(SITE_LIMITS.publicKeyMaxChars, 'too long for a public key'), v.regex(/^-----BEGIN PUBLIC KEY-----[\s\S]+-----END PUBLIC KEY-----$/, 'a public key in PEM (SPKI) form: -----BEGIN PUBLIC KEY----- …'))),
    v.maxLength(SITE_LIMITS.publicKeysMax, `at most ${SITE_LIMITS.publicKeysMax} keys`),
  ),
});

/** `POST /api/setup`: the first site and its first admin. */
export const SetupSchema = v.strictObject({
  token: v.pipe(v.string(), v.regex(/^[A-Za-z0-9_-]{20,100}$/, 'not a setup token')),
  site: v.strictObject({
    id: v.pipe(v.string('the id is text'), v.regex(/^[a-z0-9][a-z0-9-]{0,39}$/, '1-40 lowercase letters, digits or dashes, starting with a letter or digit')),
    name: SiteName,
    origins: v.pipe(OriginList, v.minLength(1, 'at least one origin: the address of the pages that will show discussions')),
    signIn: SignInMethodsSchema,
  }),
  adminEmail: v.pipe(v.string('an email address'), v.trim(), v.maxLength(254, 'at most 254 characters'), v.email('an email address, like name@example.org')),
});

/** `POST /api/setup/accept`: the invited first admin follows the link. */
export const SetupAcceptSchema = v.strictObject({
  token: v.pipe(v.string(), v.regex(/^[A-Za-z0-9_-]{20,100}$/, 'not an invitation token')),
});

/** What `GET /admin/site` answers. */
export interface SiteSettingsView {
  id: string;
  name: string;
  origins: string[];
  signIn: { methods: Array<'email' | 'oidc' | 'host-token'> };
  hasSecret: boolean;
  publicKeys: string[];
}
