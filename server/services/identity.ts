/**
 * Who is acting: turns a token into a Principal (the user and the roles they hold on this
 * site). Two kinds of token are accepted: a host site's sign-in token (which may vouch for
 * a company affiliation or a profession), and Parley's own access token (after an email
 * proof or a session exchange). Readers without a token are anonymous principals.
 */
import { decodeJwt, decodeProtectedHeader } from 'jose';
import { ParleyError } from '../../moderation/errors.js';
import { affiliationConflicts, imitatedName, type ProtectedName } from '../../moderation/identity.js';
import { describeProtected } from '../../moderation/names.js';
import type { HostClaims } from '../../moderation/schemas.js';
import type { Role, Viewer } from '../../moderation/types.js';
import { verifyHostToken } from '../auth/host-token.js';
import { PARLEY_KEY_ID, verifyAccessToken } from '../auth/session-tokens.js';
import type { SiteRecord, UserRecord } from '../store/store.js';
import type { AppContext } from './context.js';
import { recordIdentity } from '../audit/identity-events.js';
import { needsWelcome } from './welcome-state.js';

export interface Principal {
  site: SiteRecord;
  user: UserRecord | null;
  roles: Role[];
}

export function anonymous(site: SiteRecord): Principal {
  return { site, user: null, roles: ['reader'] };
}

function isParleyToken(token: string): boolean {
  try {
    return decodeProtectedHeader(token).kid === PARLEY_KEY_ID;
  } catch {
    return false;
  }
}

export async function principalFromToken(ctx: AppContext, site: SiteRecord, token: string): Promise<Principal> {
  const now = ctx.now();
  const nowSeconds = Math.floor(now.getTime() / 1000);
  if (isParleyToken(token)) {
    const userId = await verifyAccessToken(ctx.store, site.id, token, nowSeconds);
    const user = await ctx.store.getUser(site.id, userId);
    if (!user || user.kind === 'deleted') throw new ParleyError('token_invalid', 'This account no longer exists.');
    return { site, user, roles: await rolesOf(ctx, site.id, user) };
  }
  const cache = verifiedTokensOf(ctx);
  const cacheKey = `${site.id}\u0000${token}`;
  const cached = cache.get(cacheKey);
  const keys = `${site.secret ?? ''}\u0000${site.publicKeys.join('\u0000')}`;
  // A cached verification counts only while the site's keys are the ones that verified it.
  if (cached && cached.exp > nowSeconds && cached.keys === keys) {
    // The same token again (the widget sends it with every write): its claims were applied
    // when it was first seen; only the user's current state needs reading.
    await refuseIfSignedOutSince(ctx, site, cached.sub, cached.iat);
    const user = await ctx.store.getUser(site.id, cached.userId);
    if (user && user.kind !== 'deleted') return { site, user, roles: await rolesOf(ctx, site.id, user) };
    cache.delete(cacheKey);
  }
  const claims = await verifyHostToken(site, token, nowSeconds);
  const { iat, exp } = decodeJwt(token);
  // Before anything the token says is applied: a token refused changes nothing.
  await refuseIfSignedOutSince(ctx, site, claims.sub, iat!);
  let user = await ctx.store.upsertUserFromHost(site.id, claims.sub, claims.name, claims.email ?? null, now.toISOString(), ctx.newId());
  if (user.kind === 'deleted') throw new ParleyError('token_invalid', 'This account was deleted.');
  await applyHostVouching(ctx, site, user, claims);
  user = (await ctx.store.getUser(site.id, user.id))!;
  if (user.kind === 'member') await flagLookalike(ctx, site.id, user);
  if (cache.size >= VERIFIED_TOKEN_CACHE_SIZE) cache.delete(cache.keys().next().value!);
  cache.set(cacheKey, { userId: user.id, sub: claims.sub, iat: iat!, exp: exp ?? nowSeconds, keys });
  return { site, user, roles: await rolesOf(ctx, site.id, user) };
}

/**
 * "Sign out everywhere" must end host sign-ins too. A host token carries no epoch of ours, only
 * its `iat` (whole seconds, required by verifyHostToken), so it counts only when issued after the
 * user's last sign-out everywhere, read from the store on every use (another node, the CLI or
 * another tab may have signed them out). A token issued in the SAME second as the sign-out is
 * refused: `iat` cannot say whether it came before or after, and the socket path likewise ends
 * every sign-in it cannot show began after the sign-out (its epoch changed); the host issues a
 * new token a second later. This trusts the host's clock, as `iat` always does.
 */
async function refuseIfSignedOutSince(ctx: AppContext, site: SiteRecord, sub: string, iat: number): Promise<void> {
  const signedOutAt = await ctx.store.getSignedOutAt(site.id, sub);
  if (signedOutAt !== null && iat <= Math.floor(Date.parse(signedOutAt) / 1000)) {
    throw new ParleyError('token_invalid', 'You signed out everywhere after this sign-in token was issued. Sign in again.');
  }
}

/** Host tokens already verified and applied, per server (keyed by its store), oldest first. */
const VERIFIED_TOKEN_CACHE_SIZE = 10_000;
const verifiedTokens = new WeakMap<object, Map<string, CachedVerification>>();
interface CachedVerification {
  userId: string;
  sub: string;
  /** The token's `iat`, checked against the user's sign-out everywhere on every use. */
  iat: number;
  exp: number;
  keys: string;
}
function verifiedTokensOf(ctx: AppContext): Map<string, CachedVerification> {
  let cache = verifiedTokens.get(ctx.store);
  if (!cache) {
    cache = new Map();
    verifiedTokens.set(ctx.store, cache);
  }
  return cache;
}

/**
 * The host's sign-in (or the site's own OpenID provider, `via: 'oidc'`) may vouch for an
 * affiliation or a profession; keep our records in step with it.
 */
export async function applyHostVouching(
  ctx: AppContext, site: SiteRecord, user: UserRecord,
  claims: Pick<HostClaims, 'affiliation' | 'professional'>, via: 'host-sso' | 'oidc' = 'host-sso',
): Promise<void> {
  const at = ctx.now().toISOString();
  // Read, compare and write in one transaction: the widget's first requests with a new token arrive
  // together, and must not each add the affiliation (or each pass the role check).
  await ctx.store.transaction(async () => {
    if (claims.affiliation) {
      const company = await ctx.store.getCompany(site.id, claims.affiliation.company);
      if (!company) {
        throw new ParleyError('token_invalid', `The sign-in token names company "${claims.affiliation.company}", which is not in this site's register.`);
      }
      const current = await ctx.store.getActiveAffiliation(site.id, user.id);
      if (!current || current.companyId !== company.id || current.jobTitle !== claims.affiliation.jobTitle) {
        const conflicts = affiliationConflicts(await ctx.store.getRoles(site.id, user.id));
        if (conflicts.length > 0) {
          throw new ParleyError('forbidden', `This person holds the ${conflicts.join(' and ')} role here; company staff cannot moderate. Remove the role first.`);
        }
        if (current) await ctx.store.revokeAffiliation(site.id, user.id, via, at);
        await ctx.store.addAffiliation(site.id, user.id, {
          companyId: company.id, companyName: company.displayName, jobTitle: claims.affiliation.jobTitle,
          verifiedBy: site.name, verifiedAt: at,
        });
        await recordIdentity(ctx, {
          site: site.id, at, actor: via, subjectId: user.id, kind: 'affiliation-added',
          details: { company: company.id, jobTitle: claims.affiliation.jobTitle, method: via },
        });
      }
    }
    if (claims.professional) {
      const current = await ctx.store.getProfessional(site.id, user.id);
      if (!current || current.profession !== claims.professional.profession) {
        await ctx.store.setProfessional(site.id, user.id, { profession: claims.professional.profession, verifiedAt: at });
        await recordIdentity(ctx, {
          site: site.id, at, actor: via, subjectId: user.id, kind: 'professional-verified',
          details: { profession: claims.professional.profession },
        });
      }
    }
  });
}

/** Refuses (400, on `displayName`) a name a member chose that imitates a protected name of the site. */
export async function refuseImitatedName(ctx: AppContext, site: string, userId: string, displayName: string): Promise<void> {
  const imitated = imitatedName(displayName, await protectedNames(ctx, site, userId));
  if (imitated) {
    throw new ParleyError('validation_failed', `"${displayName}" is too close to ${describeProtected(imitated)} (${imitated.name}). Choose another name.`, {
      issues: [{ path: 'displayName', message: 'imitates a verified name' }],
    });
  }
}

/**
 * Names members may not imitate: verified staff (current and former), companies taking part,
 * and the site's moderators and admins (whose word carries weight in a discussion too).
 */
export async function protectedNames(ctx: AppContext, site: string, exceptUserId?: string): Promise<ProtectedName[]> {
  const names: ProtectedName[] = [];
  const [staffList, holders, companies] = await Promise.all([ctx.store.listStaff(site), ctx.store.listRoleHolders(site), ctx.store.listCompanies(site)]);
  for (const staff of staffList) {
    if (staff.userId !== exceptUserId) names.push({ name: staff.name, kind: 'staff' });
  }
  for (const holder of holders) {
    if (holder.userId !== exceptUserId && (holder.role === 'moderator' || holder.role === 'admin')) {
      names.push({ name: holder.name, kind: holder.role });
    }
  }
  for (const company of companies) {
    names.push({ name: company.displayName, kind: 'company' }, { name: company.legalName, kind: 'company' });
  }
  return names;
}

/** A host-given name we cannot refuse is visibly marked instead when it imitates someone verified. */
export async function flagLookalike(ctx: AppContext, site: string, user: UserRecord): Promise<void> {
  const imitates = imitatedName(user.displayName, await protectedNames(ctx, site, user.id)) !== null;
  if (imitates !== (await ctx.store.isLookalike(site, user.id))) await ctx.store.setLookalike(site, user.id, imitates);
}

export async function rolesOf(ctx: AppContext, site: string, user: UserRecord): Promise<Role[]> {
  if (user.kind === 'deleted') return ['reader'];
  const granted = await ctx.store.getRoles(site, user.id);
  const roles = new Set<Role>(['member', ...granted]);
  if (user.kind === 'staff' && (await ctx.store.getActiveAffiliation(site, user.id))) roles.add('staff');
  return [...roles];
}

export async function viewerOf(ctx: AppContext, principal: Principal): Promise<Viewer | null> {
  const user = principal.user;
  if (!user) return null;
  const [affiliation, professional, welcome] = await Promise.all([
    ctx.store.getActiveAffiliation(principal.site.id, user.id),
    ctx.store.getProfessional(principal.site.id, user.id),
    needsWelcome(ctx, principal.site.id, user),
  ]);
  return {
    id: user.id,
    name: user.displayName,
    roles: principal.roles,
    kind: user.kind,
    email: user.email,
    affiliation,
    professional,
    // Members Parley signed in itself (email, OpenID Connect) choose a name and accept the rules first.
    needsWelcome: welcome,
  };
}
