/**
 * Seeds the demo organisation on first start: the site (with a generated secret for the
 * demo-only sign-in), its people with their verified affiliations and badges, and a
 * conversation that reads like a real one. Runs once; later starts keep what is there.
 */
import { randomBytes } from 'node:crypto';
import { NO_NOTIFICATIONS } from '../moderation/notification-schemas.js';
import type { AppContext } from '../server/services/context.js';
import { renderMarkdown } from '../server/render/markdown.js';
import type { AuthorSnapshot } from '../server/store/store.js';
import { DEMO_COMPANIES, DEMO_SITE, PERSONAS } from './personas.js';
import { cliActor } from '../server/services/actor.js';
import { upsertCompany } from '../server/services/admin.js';
import { SEED_EDITS, SEED_POSTS, SEED_TOPICS } from './seed-posts.js';
import { marksEdits } from '../moderation/edits.js';
import { LIMITS } from '../moderation/limits.js';
import { seedModeration } from './seed-moderation.js';
import { seedSafetyContacts, seedSafetyFlag } from './seed-safety.js';
import { JOURNEY_POSTS, JOURNEY_TOPICS, seedDesk } from './seed-desk.js';
import { configureSignInMethods } from '../server/services/sign-in-methods.js';

export async function seedDemo(ctx: AppContext, options: { serverUrl: string }): Promise<{ seeded: boolean }> {
  const { store } = ctx;
  const existing = await store.getSite(DEMO_SITE.id);
  if (existing) {
    // The server may move to another port between starts: keep the demo embeddable from it.
    const origin = new URL(options.serverUrl).origin;
    if (!existing.origins.includes(origin)) await store.upsertSite({ ...existing, origins: [...existing.origins, origin] });
    return { seeded: false };
  }
  const now = ctx.now();
  const at = (minutesAgo: number) => new Date(now.getTime() - minutesAgo * 60_000).toISOString();
  const ALL_POSTS = [...SEED_POSTS, ...JOURNEY_POSTS];
  const ALL_TOPICS = [...SEED_TOPICS, ...JOURNEY_TOPICS];
  const oldest = Math.max(...ALL_POSTS.map((p) => p.ago), 60 * 24 * 60) + 60 * 24;

  await store.upsertSite({
    id: DEMO_SITE.id,
    name: DEMO_SITE.name,
    origins: [new URL(options.serverUrl).origin],
    secret: randomBytes(32).toString('base64url'),
    publicKeys: [],
    rulesUrl: null,
    demo: true,
    createdAt: at(oldest),
  });

  const site = (await store.getSite(DEMO_SITE.id))!;
  // The register predates the conversation, so the public log reads in time order.
  const atSiteStart: AppContext = { ...ctx, now: () => new Date(at(oldest)) };
  for (const company of DEMO_COMPANIES) await upsertCompany(atSiteStart, cliActor(site), company);
  await seedSafetyContacts(atSiteStart, site);
  await store.setSetting(site.id, 'currency', 'EUR');
  // Visitors may also sign in by email (issue 12); the mail waits in the outbox the demo shows.
  await configureSignInMethods(ctx, site, ['host-token', 'email']);

  const userIds = new Map<string, string>();
  for (const persona of PERSONAS) {
    const user = await store.upsertUserFromHost(DEMO_SITE.id, persona.sub, persona.name, persona.email ?? null, at(oldest), ctx.newId());
    userIds.set(persona.key, user.id);
    for (const role of persona.roles ?? []) await store.grantRole(DEMO_SITE.id, user.id, role);
    if (persona.affiliation) await store.addAffiliation(DEMO_SITE.id, user.id, { ...persona.affiliation, verifiedAt: at(oldest) });
    if (persona.profession) await store.setProfessional(DEMO_SITE.id, user.id, { profession: persona.profession, verifiedAt: at(oldest) });
  }

  const postIds = new Map<string, string>();
  for (const seed of [...ALL_POSTS].sort((a, b) => b.ago - a.ago)) {
    const persona = PERSONAS.find((p) => p.key === seed.persona)!;
    const userId = userIds.get(persona.key)!;
    const snapshot: AuthorSnapshot = {};
    if (persona.roles?.includes('moderator')) snapshot.moderator = true;
    const affiliation = await store.getActiveAffiliation(DEMO_SITE.id, userId);
    if (affiliation) snapshot.affiliation = affiliation;
    const professional = await store.getProfessional(DEMO_SITE.id, userId);
    if (professional) snapshot.professional = professional;
    const id = ctx.newId();
    const outcome = await store.createPost({
      id,
      site: DEMO_SITE.id,
      topic: seed.topic,
      topicTitle: ALL_TOPICS.find((t) => t.id === seed.topic)?.title ?? null,
      parent: seed.parent ? postIds.get(seed.parent)! : null,
      authorId: userId,
      authorSnapshot: snapshot,
      body: seed.body,
      html: renderMarkdown(seed.body),
      createdAt: at(seed.ago),
      idempotencyKey: `seed-${seed.ref}-0000`,
      maxDepth: 5,
    });
    if (outcome.kind !== 'created') throw new Error(`Seeding ${seed.ref} failed: ${outcome.kind}`);
    postIds.set(seed.ref, id);
  }
  for (const edit of SEED_EDITS) {
    const post = (await store.getPost(DEMO_SITE.id, postIds.get(edit.ref)!))!;
    const outcome = await store.editPost({
      site: DEMO_SITE.id, postId: post.id, editorId: post.authorId, body: edit.body, html: renderMarkdown(edit.body),
      at: at(edit.ago), expectedRev: null, marked: marksEdits(post.authorSnapshot), maxVersions: LIMITS.postVersionsMax,
    });
    if (outcome.kind !== 'edited') throw new Error(`Seeding the edit of ${edit.ref} failed: ${outcome.kind}`);
  }
  await seedModeration(ctx, { site, userIds, postIds, at });
  await seedSafetyFlag(ctx, { site, userIds, at });
  await seedDesk(ctx, { site, userIds, postIds, at });
  ctx.log.info({ site: DEMO_SITE.id, posts: postIds.size }, 'seeded the demo organisation');
  // The seeded history is not news: nobody is told about it (notifications, issue 13). A visitor's own
  // question and its answer are; a one-minute window lets them see the carer's mail almost at once.
  await store.dropNotificationJobs(site.id);
  await store.setSetting(site.id, 'notify-window-minutes', '1');
  // The carer asked to hear of replies and of companies' answers, and confirmed her address (after
  // the history, so no seeded post reaches her), so "ask Novacura, Novacura answers" ends with her
  // mail, its link back to the page and its one-click unsubscribe in the outbox page.
  for (const persona of PERSONAS.filter((p) => p.email)) {
    const userId = userIds.get(persona.key)!;
    await store.saveNotificationPreferences(DEMO_SITE.id, userId, { ...NO_NOTIFICATIONS, replies: true, answers: true, followed: true }, 'en', at(0));
    await store.confirmNotificationAddress(DEMO_SITE.id, userId, persona.email!, at(0));
  }
  return { seeded: true };
}
