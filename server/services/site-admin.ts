/**
 * The site's own settings, for its admins (issue 15): name, allowed origins, the host-token
 * secret and public keys. The admin console and curl use the same routes; every change is
 * recorded in the site's public audit log (what changed, never the secret or the keys' text).
 */
import { createHash, randomBytes } from 'node:crypto';
import { ParleyError } from '../../moderation/errors.js';
import { parseWith } from '../../moderation/schemas.js';
import { checkOrigins, originHints, PublicKeysSchema, SiteUpdateSchema, type SiteSettingsView } from '../../moderation/site-schemas.js';
import type { AuditActor } from '../audit/audit-log.js';
import { importPublicKey } from '../auth/host-token.js';
import type { SiteRecord } from '../store/store.js';
import { requirePermission, type Actor } from './actor.js';
import type { AppContext } from './context.js';
import { signInMethods } from './sign-in-methods.js';
import { valid } from './validate.js';

/** How the acting admin appears in the public log (as for sign-in methods). */
function logActor(actor: Actor): AuditActor {
  return actor.id === 'cli' ? { type: 'operator', label: 'Operator' } : { type: 'admin', label: 'Site admin', userId: actor.id };
}

/** The site as stored now (the actor's copy was read when the request began). */
async function current(ctx: AppContext, actor: Actor): Promise<SiteRecord> {
  return (await ctx.store.getSite(actor.site.id)) ?? actor.site;
}

export async function siteSettingsView(ctx: AppContext, site: SiteRecord): Promise<SiteSettingsView> {
  return {
    id: site.id,
    name: site.name,
    origins: site.origins,
    signIn: { methods: await signInMethods(ctx, site) },
    hasSecret: site.secret !== null && site.secret !== '',
    publicKeys: site.publicKeys,
  };
}

/** `GET /admin/site`: never the secret itself, only whether there is one. */
export async function siteSettings(ctx: AppContext, actor: Actor): Promise<SiteSettingsView> {
  requirePermission(actor, 'manage-site');
  return siteSettingsView(ctx, await current(ctx, actor));
}

/** `PATCH /admin/site {name?, origins?}`: each origin checked, with hints for the ones that are not. */
export async function updateSite(ctx: AppContext, actor: Actor, input: unknown): Promise<SiteSettingsView & { hints: string[] }> {
  requirePermission(actor, 'manage-site');
  const update = valid(parseWith(SiteUpdateSchema, input));
  let origins: string[] | undefined;
  if (update.origins) {
    const checked = checkOrigins(update.origins);
    if ('issues' in checked) {
      throw new ParleyError('validation_failed', checked.issues.map((i) => `${i.path}: ${i.message}`).join('; '), { issues: checked.issues });
    }
    origins = checked.origins;
  }
  // Read, compare and write in one transaction: a concurrent change to the other field is kept.
  const next = await ctx.store.transaction(async () => {
    const site = await current(ctx, actor);
    const next: SiteRecord = { ...site, name: update.name ?? site.name, origins: origins ?? site.origins };
    const changed: Record<string, unknown> = {};
    if (next.name !== site.name) changed.name = next.name;
    if (next.origins.join('\n') !== site.origins.join('\n')) changed.origins = next.origins;
    if (Object.keys(changed).length > 0) {
      await ctx.store.upsertSite(next);
      await ctx.audit.append({ site: site.id, kind: 'site.updated', at: ctx.now().toISOString(), actor: logActor(actor), data: changed });
    }
    return next;
  });
  return { ...(await siteSettingsView(ctx, next)), hints: originHints(next.origins) };
}

/**
 * `POST /admin/site/secret`: a new host-token secret, answered once and never readable again.
 * Tokens signed with the old secret stop working at once: the host must be updated with it.
 */
export async function rotateSecret(ctx: AppContext, actor: Actor): Promise<{ secret: string }> {
  requirePermission(actor, 'manage-site');
  const secret = randomBytes(32).toString('base64url');
  await ctx.store.transaction(async () => {
    const site = await current(ctx, actor);
    await ctx.store.upsertSite({ ...site, secret });
    await ctx.audit.append({ site: site.id, kind: 'site.secret-rotated', at: ctx.now().toISOString(), actor: logActor(actor), data: { hadSecret: Boolean(site.secret) } });
  });
  return { secret };
}

/** `PUT /admin/site/public-keys {publicKeys}`: Ed25519 or RSA keys the host signs tokens with. */
export async function setPublicKeys(ctx: AppContext, actor: Actor, input: unknown): Promise<SiteSettingsView> {
  requirePermission(actor, 'manage-site');
  const { publicKeys } = valid(parseWith(PublicKeysSchema, input));
  const issues: Array<{ path: string; message: string }> = [];
  for (const [index, pem] of publicKeys.entries()) {
    try {
      await importPublicKey(pem);
    } catch {
      issues.push({ path: `publicKeys.${index}`, message: 'not an Ed25519 or RSA public key' });
    }
  }
  if (issues.length > 0) throw new ParleyError('validation_failed', issues.map((i) => `${i.path}: ${i.message}`).join('; '), { issues });
  const keys = [...new Set(publicKeys)];
  await ctx.store.transaction(async () => {
    const site = await current(ctx, actor);
    if (keys.join('\n') !== site.publicKeys.join('\n')) {
      await ctx.store.upsertSite({ ...site, publicKeys: keys });
      // The keys are public, but long: the log records their fingerprints.
      const fingerprints = keys.map((pem) => createHash('sha256').update(pem).digest('hex').slice(0, 16));
      await ctx.audit.append({ site: site.id, kind: 'site.public-keys', at: ctx.now().toISOString(), actor: logActor(actor), data: { fingerprints } });
    }
  });
  return siteSettingsView(ctx, await current(ctx, actor));
}
