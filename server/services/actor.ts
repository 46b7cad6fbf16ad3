/** Who performs an administrative action: a signed-in person, or the operator's CLI. */
import { ParleyError } from '../../moderation/errors.js';
import { can, type Action } from '../../moderation/permissions.js';
import type { Role } from '../../moderation/types.js';
import type { SiteRecord } from '../store/store.js';
import type { Principal } from './identity.js';

export interface Actor {
  site: SiteRecord;
  /** A user id, or 'cli' for the operator at the server's command line. */
  id: string;
  roles: Role[];
}

export function actorOf(principal: Principal): Actor {
  if (!principal.user) throw new ParleyError('unauthenticated', 'Sign in first.');
  return { site: principal.site, id: principal.user.id, roles: principal.roles };
}

export function cliActor(site: SiteRecord): Actor {
  return { site, id: 'cli', roles: ['admin'] };
}

export function requirePermission(actor: Actor, action: Action): void {
  if (!can(actor.roles, action)) {
    throw new ParleyError('forbidden', `Your role on this site does not allow this (${action}).`);
  }
}
