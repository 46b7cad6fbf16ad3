/**
 * The demo's questions to Novacura and its desk (issue 14). Two journeys through a new treatment,
 * told in four topics — first hearing of it, weighing it, starting it, living with it a year on —
 * one by a carer (Marjorie, for her husband Alan) and one by clinicians (Dr. Amira Haddad, neurologist,
 * and Nurse Joseph Mensah, memory-clinic nurse). Members put some questions to Novacura: most are
 * answered by its staff in the thread (the ordinary rule), a few still wait, so Novacura's desk has
 * something to do on first start. Novacura's pledge is approved, so the company card shows it.
 */
import type { AppContext } from '../server/services/context.js';
import type { SiteRecord } from '../server/store/store.js';
import { answerFromReply } from '../server/services/questions.js';
import type { SeedPost } from './seed-posts.js';

const DAY = 24 * 60;

export const JOURNEY_TOPICS = [
  { id: 'journey-first-hearing', title: 'Journey 1 · First hearing of a new treatment' },
  { id: 'journey-weighing-it', title: 'Journey 2 · Weighing it up' },
  { id: 'journey-starting', title: 'Journey 3 · Starting treatment' },
  { id: 'journey-a-year-on', title: 'Journey 4 · Living with it a year on' },
];

/** Seeded like SEED_POSTS; `questionTo` addresses the post to a company. */
export const JOURNEY_POSTS: Array<SeedPost & { questionTo?: string }> = [
  // First hearing
  { ref: 'j1', topic: 'journey-first-hearing', persona: 'carer', ago: 40 * DAY, questionTo: 'novacura',
    body: 'Alan’s consultant mentioned Cognivex for the first time today. Where can I read about it in plain words, not a press release?' },
  { ref: 'j2', topic: 'journey-first-hearing', parent: 'j1', persona: 'staff2', ago: 39 * DAY,
    body: 'The plain-language summary of the trial is on the EU clinical trials register, and the patient leaflet is on the medicines agency’s website. Both are written for families, not for doctors.' },
  { ref: 'j3', topic: 'journey-first-hearing', persona: 'nurse', ago: 38 * DAY,
    body: 'Memory-clinic nurse here. Families hear about new treatments from the news before we have a pathway. If it comes up at your appointment, it is fine to say “we would like time to read about it”.' },
  { ref: 'j4', topic: 'journey-first-hearing', parent: 'j3', persona: 'neurologist', ago: 37 * DAY, questionTo: 'novacura',
    body: 'A clinician’s question for Novacura: when will the amyloid PET requirement in the label be reviewed, now that blood tests are coming?' },

  // Weighing it
  { ref: 'j5', topic: 'journey-weighing-it', persona: 'carer', ago: 30 * DAY, questionTo: 'novacura',
    body: 'How often were people in the trial actually harmed by ARIA, in numbers a family can picture?' },
  { ref: 'j6', topic: 'journey-weighing-it', parent: 'j5', persona: 'staff', ago: 28 * DAY,
    body: 'In the trial, about 1 in 8 people on Cognivex had ARIA on a scan; most had no symptoms, and about 1 in 60 had symptoms that needed care. The product information gives the exact figures by APOE4 status, which your specialist can go through with you.' },
  { ref: 'j7', topic: 'journey-weighing-it', parent: 'j5', persona: 'neurologist', ago: 27 * DAY,
    body: 'Those are the trial numbers. In clinic we also weigh the fortnightly travel and the scans: a real cost for a family, which no trial measures.' },

  // Starting
  { ref: 'j8', topic: 'journey-starting', persona: 'carer', ago: 14 * DAY, questionTo: 'novacura',
    body: 'First infusion booked. Is there anything Alan should not eat or take the day before?' },
  { ref: 'j9', topic: 'journey-starting', parent: 'j8', persona: 'nurse', ago: 14 * DAY - 120,
    body: 'From our side: normal meals, usual tablets unless the clinic says otherwise, and bring the list of medicines.' },
  { ref: 'j10', topic: 'journey-starting', parent: 'j9', persona: 'staff', ago: 13 * DAY,
    body: 'The nurse is right: the product information has no food restrictions. Please check blood thinners with the infusion team, as they will want to know before each scan.' },
  { ref: 'j11', topic: 'journey-starting', persona: 'nurse', ago: 5 * DAY, questionTo: 'novacura',
    body: 'Question from the memory clinic for Novacura: will there be a printed diary for families to note symptoms between infusions, in Dutch and Polish as well as English?' },

  // A year on
  { ref: 'j12', topic: 'journey-a-year-on', persona: 'carer', ago: 3 * DAY, questionTo: 'novacura',
    body: 'A year on Cognivex. Alan is still himself on most days. Does treatment ever stop, or is it for life? Nobody has told us what happens after 18 months.' },
  { ref: 'j13', topic: 'journey-a-year-on', parent: 'j12', persona: 'neurologist', ago: 3 * DAY - 200,
    body: 'Good question, Marjorie. Clinicians are asking it too: the trial ran for 18 months, and what to do afterwards is one of the open questions.' },
  { ref: 'j14', topic: 'journey-a-year-on', persona: 'patient', ago: 1 * DAY,
    body: 'Reading this journey from the start has helped me prepare for my own consultant visit next month. Thank you all.' },
];

/** After the posts exist: record the questions, let staff replies answer them, approve Novacura's pledge, and one claim. */
export async function seedDesk(ctx: AppContext, input: { site: SiteRecord; userIds: Map<string, string>; postIds: Map<string, string>; at: (minutesAgo: number) => string }): Promise<void> {
  const { site, userIds, postIds, at } = input;
  for (const seed of JOURNEY_POSTS) {
    if (!seed.questionTo) continue;
    const post = (await ctx.store.getPost(site.id, postIds.get(seed.ref)!))!;
    await ctx.store.addQuestion({ site: site.id, postId: post.id, companyId: seed.questionTo, topic: post.topic, askedAt: post.createdAt });
  }
  // The ordinary rule, in time order: a staff reply beneath a question answers it.
  for (const seed of [...JOURNEY_POSTS].sort((a, b) => b.ago - a.ago)) {
    const post = (await ctx.store.getPost(site.id, postIds.get(seed.ref)!))!;
    if (post.authorSnapshot.affiliation) await answerFromReply(ctx, post);
  }
  await ctx.store.proposePledge({
    site: site.id, companyId: 'novacura', state: 'pending', text: 'We answer questions put to us here within 3 days, or say why we cannot.',
    answerWithinDays: 3, proposedBy: userIds.get('staff2')!, proposedAt: at(60 * DAY), approvedBy: null, approvedAt: null,
  });
  await ctx.store.approvePledge(site.id, 'novacura', userIds.get('admin')!, at(59 * DAY));
  // Tom is on the clinic's diary question (a claim lapses after a day, as on any site).
  const diary = postIds.get('j11')!;
  await ctx.store.setClaim({ site: site.id, postId: diary, companyId: 'novacura', userId: userIds.get('staff2')!, since: at(60), expiresAt: at(60 - DAY) });
}
