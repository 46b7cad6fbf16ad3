/**
 * The welcome of a member who signed in by email or OpenID Connect (issue 12): Parley knows
 * nothing about them but an address or a provider's subject, so before their first post they
 * choose the name they post under (the imitation rules apply, as for a rename), read that posts
 * are public and that health details are sensitive (requirement G-2), and accept the house
 * rules. The consent is recorded with the rules version and the time (`welcomes`).
 *
 * Until then they may read, but every write answers 403 `welcome_required` (`requireWelcomed` in
 * welcome-state.ts, called by posting, editing and reporting). Host-token members were welcomed by their host
 * site; staff who proved their work address were named and vouched for by the site.
 */
import { ParleyError } from '../../moderation/errors.js';
import { parseWith, WelcomeSchema } from '../../moderation/schemas.js';
import type { Viewer } from '../../moderation/types.js';
import type { AppContext } from './context.js';
import { refuseImitatedName, viewerOf, type Principal } from './identity.js';
import { publicRules } from './rules.js';
import { valid } from './validate.js';
import { needsWelcome } from './welcome-state.js';

export async function welcome(ctx: AppContext, principal: Principal, input: unknown): Promise<{ viewer: Viewer }> {
  const user = principal.user;
  if (!user) throw new ParleyError('unauthenticated', 'Sign in first.');
  const request = valid(parseWith(WelcomeSchema, input));
  const site = principal.site.id;
  // The checks and the welcome in one transaction: a member is welcomed once, under a name checked just before.
  await ctx.store.transaction(async () => {
    if (!(await needsWelcome(ctx, site, user))) throw new ParleyError('forbidden', 'You were already welcomed here. Change your name in your account.');
    const current = (await publicRules(ctx, site)).version;
    if (request.rulesVersion !== current) {
      throw new ParleyError('validation_failed', 'The house rules changed since you opened them. Read them again.', {
        issues: [{ path: 'rulesVersion', message: `the current version is ${current}` }],
      });
    }
    await refuseImitatedName(ctx, site, user.id, request.displayName);
    const at = ctx.now().toISOString();
    await ctx.store.recordWelcome(site, user.id, request.displayName, false, { rulesVersion: current, acceptedAt: at });
  });
  const updated = (await ctx.store.getUser(site, user.id))!;
  return { viewer: (await viewerOf(ctx, { ...principal, user: updated }))! };
}
