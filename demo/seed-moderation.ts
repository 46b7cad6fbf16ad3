/**
 * The demo's stretch of moderation history, so a newcomer sees the whole flow and the public
 * log has content from the first start: reports (one dismissed), a removal whose tombstone
 * stays, a label on a company employee's post, and a removal appealed and reversed by a
 * second moderator. Everything goes through the same services as real use, with the clock
 * set back to when it happened.
 */
import type { AppContext } from '../server/services/context.js';
import type { SiteRecord } from '../server/store/store.js';
import { renderMarkdown } from '../server/render/markdown.js';
import { takeAction } from '../server/services/moderation.js';
import { decideAppeal, fileAppeal } from '../server/services/appeals.js';
import { ruleVersions } from '../server/services/rules.js';
import { rolesOf } from '../server/services/identity.js';

const DAY = 24 * 60;

export async function seedModeration(
  ctx: AppContext,
  seed: { site: SiteRecord; userIds: Map<string, string>; postIds: Map<string, string>; at: (minutesAgo: number) => string },
): Promise<void> {
  const site = seed.site;
  const user = (key: string) => seed.userIds.get(key)!;
  // Minutes before the seed time: a larger number is earlier. Each report comes after its post
  // and before its decision, so the transparency numbers read true.
  const when = (minutesAgo: number): AppContext => ({ ...ctx, now: () => new Date(seed.at(minutesAgo)) });
  const actor = async (key: string) => ({ site, id: user(key), roles: await rolesOf(ctx, site.id, (await ctx.store.getUser(site.id, user(key)))!) });
  const principal = async (key: string) => ({ site, user: (await ctx.store.getUser(site.id, user(key)))!, roles: (await actor(key)).roles });
  await ruleVersions(ctx, site.id);

  const post = async (persona: string, topic: string, minutesAgo: number, body: string, parent?: string) => {
    const id = ctx.newId();
    const affiliation = await ctx.store.getActiveAffiliation(site.id, user(persona));
    const outcome = await ctx.store.createPost({
      id, site: site.id, topic, topicTitle: null, parent: parent ?? null, authorId: user(persona),
      authorSnapshot: affiliation ? { affiliation } : {}, body, html: renderMarkdown(body), createdAt: seed.at(minutesAgo),
      idempotencyKey: `seed-mod-${minutesAgo}-0000`, maxDepth: 5,
    });
    if (outcome.kind !== 'created') throw new Error(`seeding a moderation post failed: ${outcome.kind}`);
    return id;
  };
  const report = async (reporter: string, postId: string, ruleId: string, minutesAgo: number, note: string) => {
    const record = (await ctx.store.getPost(site.id, postId))!;
    const rule = (await ruleVersions(ctx, site.id)).filter((r) => r.id === ruleId).at(-1)!;
    const id = ctx.newId();
    await ctx.store.createReport({
      id, site: site.id, postId, topic: record.topic, reporterId: user(reporter), source: 'member', detector: null, ground: 'rule',
      ruleId, ruleVersion: rule.version, explanation: '', note, createdAt: seed.at(minutesAgo), status: 'open',
      decidedAt: null, decidedBy: null, decisionActionId: null, unfounded: false,
    });
    return id;
  };

  // 1. An advert for a "miracle" supplement: reported, removed; the tombstone stays in the thread.
  const spam = await post('visitor', 'carers-corner', 5 * DAY,
    'Forget the tablets! **NeuroBoost Gold** reversed my mum’s dementia in 3 weeks. Order now at neuroboost-gold.example and use code CARE20.');
  await report('carer', spam, 'R10', 5 * DAY - 10, 'This is an advert, and it is dangerous.');
  await takeAction(when(5 * DAY - 40), await actor('moderator'), {
    type: 'remove', postId: spam, ruleId: 'R10', reason: 'Advertising a product with an unproven cure claim',
    facts: 'A first-time account posted an advert with a discount code for a supplement, claiming it reverses dementia.',
  });

  // 2. A company employee suggests an unapproved use: labelled, the words stay.
  const offLabel = await post('staff2', 'new-treatments', 3 * DAY - 280,
    'Several families have told us Cognivex also seemed to help with sleep. Worth asking your neurologist about!', seed.postIds.get('t5'));
  await takeAction(when(3 * DAY - 300), await actor('moderator'), {
    type: 'label', postId: offLabel, ruleId: 'R5', reason: 'Suggests a use the medicine is not approved for',
    labelText: 'Moderator note: sleep problems are not an approved use of Cognivex. See the product information and ask your prescriber.',
    facts: 'A company employee suggested asking for the company’s prescription medicine for a use outside its approval.',
  });

  // 3. A carer names a nurse: removed for privacy, appealed with context, reversed by the second moderator.
  const nurse = await post('carer3', 'carers-corner', 2 * DAY,
    'Nurse Bridget at the Elmwood memory clinic was wonderful with Dad — she said we could mention her. Ask for her if you go there.',
    seed.postIds.get('c1'));
  await report('carer2', nurse, 'R2', 2 * DAY - 30, 'Names a nurse and a clinic.');
  const removal = await takeAction(when(2 * DAY - 50), await actor('moderator'), {
    type: 'remove', postId: nurse, ruleId: 'R2', reason: 'Names a member of staff at a clinic',
    facts: 'The post names a clinic nurse; consent to being named was not visible to moderators.',
  });
  const appeal = await fileAppeal(when(DAY + 600), await principal('carer3'), {
    actionId: removal.action.id,
    info: 'Bridget asked us to recommend her; she is happy to be named and the clinic shares her name on its own website.',
  });
  await decideAppeal(when(DAY), await actor('moderator2'), appeal.appeal.id, {
    outcome: 'reversed', reason: 'The nurse consented and is publicly listed by the clinic in her professional role; praise of professional care is welcome.',
  });

  // 4. A report that was reviewed and dismissed: disagreement is allowed.
  const disputed = seed.postIds.get('t3');
  if (disputed) {
    const reportId = await report('carer2', disputed, 'R9', DAY - 60, 'This sounds like telling people what treatment to take.');
    await takeAction(when(DAY - 120), await actor('moderator2'), {
      type: 'dismiss-report', reportId, reason: 'Factual information from a verified neurologist; no advice to change treatment',
      facts: 'The post explains published trial results and advises discussing options with one’s own doctor.',
    });
  }
}
