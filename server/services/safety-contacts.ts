/**
 * Which pharmacovigilance contact a flag goes to (issue 15, P-4): the most specific of the
 * company's contacts for the flagged products and the routing country (moderation/safety.ts
 * `choosePvContact`). Used by the forward, the signpost ("can Parley forward this?") and the
 * moderators' view, so all three agree.
 */
import { choosePvContact, routingCountry, type PvContactMatch } from '../../moderation/safety.js';
import type { SafetyContactRecord, SafetyFlagRecord } from '../store/safety-store.js';
import type { AppContext } from './context.js';
import { safetySettings } from './safety.js';

export async function contactForFlag(
  ctx: AppContext,
  flag: Pick<SafetyFlagRecord, 'site' | 'companyId' | 'products' | 'language'>,
): Promise<{ contact: SafetyContactRecord; match: PvContactMatch; country: string | null } | null> {
  const country = routingCountry((await safetySettings(ctx, flag.site)).defaultCountry, flag.language);
  const chosen = choosePvContact(await ctx.store.listSafetyContacts(flag.site, flag.companyId), { products: flag.products, country });
  return chosen ? { ...chosen, country } : null;
}
