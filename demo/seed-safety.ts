/**
 * The demo's safety routing (issue 6): Novacura Pharma names a (fictional) drug-safety mailbox,
 * the association names its relay mailbox and country, and a carer's recent post describes
 * what happened after an infusion of Cognivex — the detector flags it, so moderators (and
 * Novacura's staff) see a possible adverse event on first start and can forward it; without
 * SMTP the forward lands in the demo outbox (/demo/api/outbox).
 *
 * Two steps, so the public log reads in time order: the contact is registered with the
 * companies (site start), the flagged post comes after the seeded moderation history.
 */
import type { AppContext } from '../server/services/context.js';
import type { SiteRecord } from '../server/store/store.js';
import { renderMarkdown } from '../server/render/markdown.js';
import { cliActor } from '../server/services/actor.js';
import { flagIfPossibleAdverseEvent, updateSafetySettings } from '../server/services/safety.js';
import { setSafetyContact } from '../server/services/safety-admin.js';

export const DEMO_PV_EMAIL = 'drug.safety@novacura.example';

/** With the register: Novacura's contact, the association's relay mailbox and country. */
export async function seedSafetyContacts(ctx: AppContext, site: SiteRecord): Promise<void> {
  await setSafetyContact(ctx, cliActor(site), 'novacura', { pvEmail: DEMO_PV_EMAIL });
  await updateSafetySettings(ctx, cliActor(site), { defaultCountry: 'GB', relayEmail: 'safety-relay@meadowbrook.example' });
}

/** After the conversation: a member's post that the detector flags for Novacura. */
export async function seedSafetyFlag(
  ctx: AppContext,
  seed: { site: SiteRecord; userIds: Map<string, string>; at: (minutesAgo: number) => string },
): Promise<void> {
  const ago = 5 * 60;
  const body =
    'Alan had his third Cognivex infusion on Monday. Since Tuesday he has had bad headaches, and on Wednesday ' +
    'morning he was very confused: for an hour he did not know where he was. The infusion centre said to ring ' +
    'them if it happens again. Has anyone else seen this?';
  const id = ctx.newId();
  const outcome = await ctx.store.createPost({
    id, site: seed.site.id, topic: 'new-treatments', topicTitle: null, parent: null, authorId: seed.userIds.get('carer')!,
    authorSnapshot: {}, body, html: renderMarkdown(body), createdAt: seed.at(ago), idempotencyKey: 'seed-safety-0001', maxDepth: 5,
  });
  if (outcome.kind !== 'created') throw new Error(`seeding the flagged post failed: ${outcome.kind}`);
  const flagged = await flagIfPossibleAdverseEvent({ ...ctx, now: () => new Date(seed.at(ago - 1)) }, outcome.post);
  if (flagged.length === 0) throw new Error('the demo’s adverse-event post was not flagged: check the lexicon or the product list');
}
