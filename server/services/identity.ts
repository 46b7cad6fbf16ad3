/**
 * Who is acting: turns a host site's token into a Principal (the user record and the
 * roles they hold on this site). Readers without a token are anonymous principals.
 */
import type { Role, Viewer } from '../../moderation/types.js';
import { verifyHostToken } from '../auth/host-token.js';
import type { SiteRecord, UserRecord } from '../store/store.js';
import type { AppContext } from './context.js';

export interface Principal {
  site: SiteRecord;
  user: UserRecord | null;
  roles: Role[];
}

export function anonymous(site: SiteRecord): Principal {
  return { site, user: null, roles: ['reader'] };
}

export async function principalFromToken(ctx: AppContext, site: SiteRecord, token: string): Promise<Principal> {
  const now = ctx.now();
  const claims = await verifyHostToken(site, token, Math.floor(now.getTime() / 1000));
  const user = ctx.store.upsertUserFromHost(site.id, claims.sub, claims.name, claims.email ?? null, now.toISOString(), ctx.newId());
  return { site, user, roles: rolesOf(ctx, site.id, user) };
}

export function rolesOf(ctx: AppContext, site: string, user: UserRecord): Role[] {
  if (user.kind === 'deleted') return ['reader'];
  const granted = ctx.store.getRoles(site, user.id);
  const roles = new Set<Role>(['member', ...granted]);
  if (user.kind === 'staff') roles.add('staff');
  return [...roles];
}

export function viewerOf(principal: Principal): Viewer | null {
  if (!principal.user) return null;
  return { id: principal.user.id, name: principal.user.displayName, roles: principal.roles, kind: principal.user.kind };
}
