/**
 * Whether a member still has to be welcomed (choose a name, accept the house rules) before writing.
 * Apart from welcome.ts so that identity.ts (which shows it on the viewer) and the writing
 * services can ask without importing the welcome itself, which needs identity and the rules.
 */
import { ParleyError } from '../../moderation/errors.js';
import type { SiteRecord, UserRecord } from '../store/store.js';
import type { AppContext } from './context.js';

/** Subjects of accounts Parley signed in itself, whose owners have not been welcomed by a host. */
const SELF_SIGNED_IN = /^(email|oidc):/;

export async function needsWelcome(ctx: AppContext, site: string, user: UserRecord): Promise<boolean> {
  if (user.kind !== 'member' || !SELF_SIGNED_IN.test(user.sub)) return false;
  return (await ctx.store.getWelcome(site, user.id)) === null;
}

/** Throws 403 `welcome_required` for a member who must choose a name and accept the rules first. */
export async function requireWelcomed(ctx: AppContext, principal: { site: SiteRecord; user: UserRecord | null }): Promise<void> {
  if (principal.user && (await needsWelcome(ctx, principal.site.id, principal.user))) {
    throw new ParleyError('welcome_required', 'Choose your name and accept the house rules before taking part.');
  }
}
