/**
 * A site's OpenID provider (issue 12): set by the config file (`sites[].oidc`), the CLI
 * (`parley site oidc`) and the admin API (`PUT /api/sites/{site}/admin/oidc`), all through
 * `setOidcSettings`. The client secret is write-only: views say whether one is stored, never
 * what it is. `oidcOffer` is what the site's public info needs to show the button.
 */
import { ParleyError } from '../../moderation/errors.js';
import { OidcProviderSettingsSchema, parseWith, type OidcProviderSettings } from '../../moderation/schemas.js';
import type { OidcProviderRecord } from '../store/oidc-store.js';
import { requirePermission, type Actor } from './actor.js';
import type { AppContext } from './context.js';
import { valid } from './validate.js';

/** What an admin sees of the provider: everything but the secret, plus the redirect URI to register. */
export interface OidcSettingsView {
  issuer: string;
  clientId: string;
  hasClientSecret: boolean;
  name: string;
  scopes: string[];
  staffClaim: string | null;
  /** Register this exact URI with the provider. */
  redirectUri: string;
  updatedAt: string;
}

const DEFAULT_SCOPES = ['profile', 'email'];

/** The redirect URI of a site: `<publicUrl>/api/sites/{site}/sign-in/oidc/callback`. */
export function oidcRedirectUri(ctx: AppContext, site: string): string {
  const base = ctx.publicUrl?.() || ctx.selfOrigins()[0] || '';
  return `${base.replace(/\/$/, '')}/api/sites/${site}/sign-in/oidc/callback`;
}

/** Whether the site offers "Sign in with <name>" (for `GET /api/sites/{site}`'s SignInOffer). */
export async function oidcOffer(ctx: AppContext, siteId: string): Promise<{ enabled: boolean; name: string | null }> {
  const provider = await ctx.store.getOidcProvider(siteId);
  return provider ? { enabled: true, name: provider.name } : { enabled: false, name: null };
}

function viewOf(ctx: AppContext, record: OidcProviderRecord): OidcSettingsView {
  return {
    issuer: record.issuer, clientId: record.clientId, hasClientSecret: record.clientSecret !== null, name: record.name,
    scopes: record.scopes, staffClaim: record.staffClaim, redirectUri: oidcRedirectUri(ctx, record.site), updatedAt: record.updatedAt,
  };
}

/** The site's own settings (moderation/permissions.ts): admins, never company staff. */
function requireAdmin(actor: Actor): void {
  requirePermission(actor, 'manage-site');
}

export async function getOidcSettings(ctx: AppContext, actor: Actor): Promise<{ oidc: OidcSettingsView | null }> {
  requireAdmin(actor);
  const record = await ctx.store.getOidcProvider(actor.site.id);
  return { oidc: record ? viewOf(ctx, record) : null };
}

/** Creates or replaces the provider; an omitted `clientSecret` keeps the stored one, null removes it. */
export async function setOidcSettings(ctx: AppContext, actor: Actor, input: unknown): Promise<{ oidc: OidcSettingsView; created: boolean }> {
  requireAdmin(actor);
  const settings = valid(parseWith(OidcProviderSettingsSchema, input));
  const created = await saveProvider(ctx, actor.site.id, settings);
  return { oidc: viewOf(ctx, (await ctx.store.getOidcProvider(actor.site.id))!), created };
}

export async function clearOidcSettings(ctx: AppContext, actor: Actor): Promise<{ removed: boolean }> {
  requireAdmin(actor);
  return { removed: await ctx.store.deleteOidcProvider(actor.site.id) };
}

/** The config file's `sites[].oidc`, applied at start-up (the file is the operator's word, like `parley site add`). */
export async function applyConfiguredOidc(ctx: AppContext, siteId: string, input: unknown): Promise<void> {
  const parsed = parseWith(OidcProviderSettingsSchema, input);
  if (!parsed.ok) throw new Error(`sites[${siteId}].oidc: ${parsed.message}`);
  await saveProvider(ctx, siteId, parsed.value);
}

/** Reads the stored provider (to keep its secret) and replaces it in one transaction. */
async function saveProvider(ctx: AppContext, site: string, settings: OidcProviderSettings): Promise<boolean> {
  return ctx.store.transaction(async () => {
    const existing = await ctx.store.getOidcProvider(site);
    await ctx.store.setOidcProvider({
      site,
      issuer: settings.issuer,
      clientId: settings.clientId,
      clientSecret: settings.clientSecret === undefined ? (existing?.clientSecret ?? null) : settings.clientSecret,
      name: settings.name,
      scopes: [...new Set(settings.scopes ?? DEFAULT_SCOPES)].filter((s) => s !== 'openid'),
      staffClaim: settings.staffClaim ?? null,
      updatedAt: ctx.now().toISOString(),
    });
    return existing === null;
  });
}
