/**
 * The welcome of a member who signed in by email or OpenID Connect (issue 12): Parley knows
 * nothing about them but an address or a provider's subject, so before their first post they
 * choose the name they post under (the imitation rules apply, as for a rename), read that posts
 * are public and that health details are sensitive (requirement G-2), and accept the house
 * rules. The consent is recorded with the rules version and the time (`welcomes`).
 *
 * Until then they may read, but every write answers 403 `welcome_required` (`requireWelcomed`,
 * called by posting, editing and reporting). Host-token members were welcomed by their host
 * site; staff who proved their work address were named and vouched for by the site.
 */
import { ParleyError } from '../../moderation/errors.js';
import { imitatedName } from '../../moderation/identity.js';
import { parseWith, WelcomeSchema } from '../../moderation/schemas.js';
import type { Viewer } from '../../moderation/types.js';
import type { UserRecord } from '../store/store.js';
import type { AppContext } from './context.js';
import { protectedNames, viewerOf, type Principal } from './identity.js';
import { publicRules } from './rules.js';
import { valid } from './validate.js';

/** Subjects of accounts Parley signed in itself, whose owners have not been welcomed by a host. */
const SELF_SIGNED_IN = /^(email|oidc):/;

export function needsWelcome(ctx: AppContext, site: string, user: UserRecord): boolean {
  if (user.kind !== 'member' || !SELF_SIGNED_IN.test(user.sub)) return false;
  return ctx.store.getWelcome(site, user.id) === null;
}

/** Throws 403 `welcome_required` for a member who must choose a name and accept the rules first. */
export function requireWelcomed(ctx: AppContext, principal: Principal): void {
  if (principal.user && needsWelcome(ctx, principal.site.id, principal.user)) {
    throw new ParleyError('welcome_required', 'Choose your name and accept the house rules before taking part.');
  }
}

export function welcome(ctx: AppContext, principal: Principal, input: unknown): { viewer: Viewer } {
  const user = principal.user;
  if (!user) throw new ParleyError('unauthenticated', 'Sign in first.');
  const request = valid(parseWith(WelcomeSchema, input));
  const site = principal.site.id;
  if (!needsWelcome(ctx, site, user)) throw new ParleyError('forbidden', 'You were already welcomed here. Change your name in your account.');
  const current = publicRules(ctx, site).version;
  if (request.rulesVersion !== current) {
    throw new ParleyError('validation_failed', 'The house rules changed since you opened them. Read them again.', {
      issues: [{ path: 'rulesVersion', message: `the current version is ${current}` }],
    });
  }
  const imitated = imitatedName(request.displayName, protectedNames(ctx, site, user.id));
  if (imitated) {
    throw new ParleyError('validation_failed', `"${request.displayName}" is too close to ${imitated.kind === 'staff' ? 'a verified staff member' : 'a company taking part'} (${imitated.name}). Choose another name.`, {
      issues: [{ path: 'displayName', message: 'imitates a verified name' }],
    });
  }
  const at = ctx.now().toISOString();
  ctx.store.recordWelcome(site, user.id, request.displayName, false, { rulesVersion: current, acceptedAt: at });
  const updated = ctx.store.getUser(site, user.id)!;
  return { viewer: viewerOf(ctx, { ...principal, user: updated })! };
}
