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
export function oidcOffer(ctx: AppContext, siteId: string): { enabled: boolean; name: string | null } {
  const provider = ctx.store.getOidcProvider(siteId);
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

export function getOidcSettings(ctx: AppContext, actor: Actor): { oidc: OidcSettingsView | null } {
  requireAdmin(actor);
  const record = ctx.store.getOidcProvider(actor.site.id);
  return { oidc: record ? viewOf(ctx, record) : null };
}

/** Creates or replaces the provider; an omitted `clientSecret` keeps the stored one, null removes it. */
export function setOidcSettings(ctx: AppContext, actor: Actor, input: unknown): { oidc: OidcSettingsView; created: boolean } {
  requireAdmin(actor);
  const settings = valid(parseWith(OidcProviderSettingsSchema, input));
  const created = saveProvider(ctx, actor.site.id, settings);
  return { oidc: viewOf(ctx, ctx.store.getOidcProvider(actor.site.id)!), created };
}

export function clearOidcSettings(ctx: AppContext, actor: Actor): { removed: boolean } {
  requireAdmin(actor);
  return { removed: ctx.store.deleteOidcProvider(actor.site.id) };
}

/** The config file's `sites[].oidc`, applied at start-up (the file is the operator's word, like `parley site add`). */
export function applyConfiguredOidc(ctx: AppContext, siteId: string, input: unknown): void {
  const parsed = parseWith(OidcProviderSettingsSchema, input);
  if (!parsed.ok) throw new Error(`sites[${siteId}].oidc: ${parsed.message}`);
  saveProvider(ctx, siteId, parsed.value);
}

function saveProvider(ctx: AppContext, site: string, settings: OidcProviderSettings): boolean {
  const existing = ctx.store.getOidcProvider(site);
  ctx.store.setOidcProvider({
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
}
