/**
 * Which ways members may sign in on a site (issue 12): configuration, set by the config file
 * (`sites[].signIn.methods`, applied at every start), the CLI (`parley site sign-in`) or the
 * admin API (`PUT /admin/sign-in`), all through `setSignInMethods`; kept as a site setting.
 *
 * Defaults, when nothing was set: a site registered with a secret or public keys signs its
 * members in itself and offers only `host-token` (its members keep one identity, and a host
 * that never heard of the widget's own dialog sees no change); a site without either offers
 * `email`, so a plain static page works out of the box. A site whose OpenID provider is
 * configured (`oidc-settings.ts`) also offers `oidc` by default; once methods are set explicitly,
 * `oidc` is offered only when listed, and listing it needs a configured provider.
 */
import { ParleyError } from '../../moderation/errors.js';
import { parseWith, SignInMethodsSchema } from '../../moderation/schemas.js';
import type { SignInMethod, SignInOffer } from '../../moderation/types.js';
import type { SiteRecord } from '../store/store.js';
import { requirePermission, type Actor } from './actor.js';
import type { AppContext } from './context.js';
import { valid } from './validate.js';

const KEY = 'sign-in.methods';

export async function defaultSignInMethods(ctx: Pick<AppContext, 'store'>, site: SiteRecord): Promise<SignInMethod[]> {
  const own: SignInMethod[] = site.secret || site.publicKeys.length > 0 ? ['host-token'] : ['email'];
  return (await ctx.store.getOidcProvider(site.id)) ? [...own, 'oidc'] : own;
}

/** The methods in force; `oidc` only while the site's provider is configured. */
export async function signInMethods(ctx: AppContext, site: SiteRecord): Promise<SignInMethod[]> {
  const stored = await ctx.store.getSetting(site.id, KEY);
  const parsed = stored ? parseWith(SignInMethodsSchema, { methods: JSON.parse(stored) }) : null;
  if (!parsed?.ok) return defaultSignInMethods(ctx, site);
  const provider = (await ctx.store.getOidcProvider(site.id)) !== null;
  return parsed.value.methods.filter((method) => method !== 'oidc' || provider);
}

export async function isMethodOffered(ctx: AppContext, site: SiteRecord, method: SignInMethod): Promise<boolean> {
  return (await signInMethods(ctx, site)).includes(method);
}

/** What `GET /api/sites/{site}` tells the widget to offer. */
export async function signInOffer(ctx: AppContext, site: SiteRecord): Promise<SignInOffer> {
  const methods = await signInMethods(ctx, site);
  const provider = methods.includes('oidc') ? await ctx.store.getOidcProvider(site.id) : null;
  return { methods, ...(provider ? { oidcName: provider.name } : {}), staff: (await ctx.store.listCompanies(site.id)).length > 0 };
}

/**
 * The operator's choice from the config file (applied at every start) or a seed: validated like
 * the admin API's, not logged (it lives in the operator's file, not in anyone's action).
 */
export async function configureSignInMethods(ctx: Pick<AppContext, 'store'>, site: SiteRecord, methods: SignInMethod[]): Promise<void> {
  if (methods.includes('host-token') && !site.secret && site.publicKeys.length === 0) {
    throw new Error(`site ${site.id}: signIn.methods has host-token, but the site has no secret or public key`);
  }
  if (methods.includes('oidc') && !(await ctx.store.getOidcProvider(site.id))) {
    throw new Error(`site ${site.id}: signIn.methods has oidc, but the site has no OpenID provider (sites[].oidc)`);
  }
  await ctx.store.setSetting(site.id, KEY, JSON.stringify(methods));
}

/**
 * Sets the site's methods (admin API, CLI). `host-token` needs the site's secret
 * or a public key, or no token could ever be verified. Recorded in the public audit log.
 */
export async function setSignInMethods(ctx: AppContext, actor: Actor, input: unknown): Promise<{ methods: SignInMethod[] }> {
  // Who may become a member here is the admins' call, like who holds a role.
  requirePermission(actor, 'manage-roles');
  const { methods } = valid(parseWith(SignInMethodsSchema, input));
  if (methods.includes('host-token') && !actor.site.secret && actor.site.publicKeys.length === 0) {
    throw new ParleyError('validation_failed', 'host-token needs the site to have a secret or a public key (parley site add … --generate-secret).', {
      issues: [{ path: 'methods', message: 'host-token without a secret or key' }],
    });
  }
  // Checked, compared and set in one transaction: the log records each real change once.
  await ctx.store.transaction(async () => {
    if (methods.includes('oidc') && !(await ctx.store.getOidcProvider(actor.site.id))) {
      throw new ParleyError('validation_failed', 'oidc needs the site\'s OpenID provider first (PUT /admin/oidc or parley site oidc).', {
        issues: [{ path: 'methods', message: 'oidc without a configured provider' }],
      });
    }
    const before = await signInMethods(ctx, actor.site);
    await ctx.store.setSetting(actor.site.id, KEY, JSON.stringify(methods));
    if (before.join() !== methods.join()) {
      await ctx.audit.append({
        site: actor.site.id, kind: 'site.sign-in-methods', at: ctx.now().toISOString(),
        actor: actor.id === 'cli' ? { type: 'operator', label: 'Operator' } : { type: 'admin', label: 'Site admin', userId: actor.id }, data: { methods },
      });
    }
  });
  return { methods };
}
