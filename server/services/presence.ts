/**
 * A company's presence over time on a site (issue 6): for each week, its posts, its replies to
 * patients and carers, how fast it answers questions put to it, and an index that separates
 * steady participation from campaign bursts. Public, as JSON (`GET /companies/{id}/presence`),
 * and drawn as a small chart in the company card.
 *
 * Definitions (also in docs/api.md):
 * - The company's posts: visible posts written with a staff badge of the company (the badge as
 *   it was when the post was written, so a former employee's posts still count).
 * - A reply to a patient or carer: one of those posts whose parent was written by a member, i.e.
 *   without a staff or verified-professional badge. All other company posts count as "posts".
 * - A question put to the company: a visible member post containing a question mark that either
 *   replies directly to one of the company's posts, or starts a thread in a topic where the
 *   company had already posted (it takes part in that conversation, so the question is put to
 *   it too). A question mark is a plain, explainable signal; it misses questions phrased without
 *   one and may count a rhetorical one, which is why only the median of answered questions is
 *   reported alongside plain counts.
 * - Its answer: the first reply by the company's staff directly beneath the question. The time
 *   to answer is from the question to that reply.
 * - Burstiness and classification: moderation/detectors/presence.ts (share of activity in the
 *   busiest ⌈10 %⌉ of weeks).
 *
 * The series covers at most the last `weeks` ISO weeks (default 52), starting at the company's
 * registration or first post, whichever is earlier, so a newcomer is not judged on weeks
 * before it was there. Work is bounded (MAX_* below) and the result is cached per company
 * until a post is created anywhere, the week turns, or CACHE_MS passes (which also picks up
 * removals and edits).
 */
import * as v from 'valibot';
import { computePresence, weekStartOf, type ActivityItem, type QuestionAnswerPair } from '../../moderation/detectors/index.js';
import { ParleyError } from '../../moderation/errors.js';
import { CompanyIdSchema, parseWith } from '../../moderation/schemas.js';
import type { CompanyPresence } from '../../moderation/types.js';
import type { SiteRecord } from '../store/store.js';
import type { AppContext } from './context.js';
import { valid } from './validate.js';

export const PRESENCE_DEFAULT_WEEKS = 52;
export const PRESENCE_MAX_WEEKS = 104;
export const PRESENCE_MIN_WEEKS = 4;
/** The company's most recent posts looked at (a year of very active staff fits easily). */
const MAX_COMPANY_POSTS = 20_000;
/** Questions looked at per source, and topics searched for thread-starting questions. */
const MAX_QUESTIONS = 20_000;
const MAX_TOPICS = 200;
const CACHE_MS = 10 * 60_000;
const WEEK_MS = 7 * 86_400_000;

export const PresenceQuerySchema = v.strictObject({
  weeks: v.optional(
    v.pipe(
      v.string('weeks must be a whole number'),
      v.regex(/^\d{1,3}$/, 'weeks must be a whole number'),
      v.transform(Number),
      v.minValue(PRESENCE_MIN_WEEKS, `weeks must be at least ${PRESENCE_MIN_WEEKS}`),
      v.maxValue(PRESENCE_MAX_WEEKS, `weeks must be at most ${PRESENCE_MAX_WEEKS}`),
    ),
    String(PRESENCE_DEFAULT_WEEKS),
  ),
});

interface Cached {
  value: CompanyPresence;
  at: number;
  week: number;
  watermark: number;
  companyVersion: string;
}
const CACHE = new WeakMap<AppContext, Map<string, Cached>>();

export async function companyPresence(ctx: AppContext, site: SiteRecord, companyId: unknown, query: unknown): Promise<CompanyPresence> {
  const id = valid(parseWith(CompanyIdSchema, companyId));
  const { weeks } = valid(parseWith(PresenceQuerySchema, query ?? {}));
  const [company, watermark] = await Promise.all([ctx.store.getCompany(site.id, id), ctx.store.postsWatermark()]);
  if (!company) throw new ParleyError('not_found', 'No such company on this site.');

  const now = ctx.now().getTime();
  const week = weekStartOf(now);
  let byKey = CACHE.get(ctx);
  if (!byKey) CACHE.set(ctx, (byKey = new Map()));
  const key = `${site.id} ${id} ${weeks}`;
  const hit = byKey.get(key);
  if (hit && hit.week === week && hit.watermark === watermark && hit.companyVersion === company.updatedAt && now >= hit.at && now - hit.at < CACHE_MS) {
    return hit.value;
  }

  const windowStart = week - (weeks - 1) * WEEK_MS;
  const windowIso = new Date(windowStart).toISOString();
  const [posts, replying] = await Promise.all([
    ctx.store.companyPosts(site.id, id, MAX_COMPANY_POSTS), // newest first
    ctx.store.memberQuestionsReplyingTo(site.id, id, windowIso, MAX_QUESTIONS),
  ]);

  // Where the company takes part, and since when (posts come newest first: the last one seen is the first).
  const firstInTopic = new Map<string, string>();
  for (const p of posts) firstInTopic.set(p.topic, p.createdAt);

  const asked = new Map<string, number>();
  for (const q of replying) asked.set(q.id, Date.parse(q.createdAt));
  // Most recently active topics first (Map keeps the order of first insertion: newest posts first).
  const recentTopics = [...new Set(posts.map((p) => p.topic))].slice(0, MAX_TOPICS);
  // One read per topic, all together; the results are taken in the same order as before.
  const starting = await Promise.all(recentTopics.map((topic) => {
    const first = firstInTopic.get(topic)!;
    // A thread started before the window is not a question of this period; one started before
    // the company's first post in the topic was not put to it.
    const after = first > windowIso ? first : new Date(windowStart - 1).toISOString();
    return ctx.store.memberQuestionsStartingThreads(site.id, topic, after, MAX_QUESTIONS);
  }));
  for (const found of starting) for (const q of found) asked.set(q.id, Date.parse(q.createdAt));

  // The first company reply directly beneath each question is its answer.
  const answer = new Map<string, { postId: string; at: number }>();
  for (const p of posts) {
    if (!p.parent || !asked.has(p.parent)) continue;
    const at = Date.parse(p.createdAt);
    const seen = answer.get(p.parent);
    if (at >= asked.get(p.parent)! && (!seen || at < seen.at)) answer.set(p.parent, { postId: p.id, at });
  }
  const answerPosts = new Set([...answer.values()].map((a) => a.postId));

  const activity: ActivityItem[] = [];
  for (const p of posts) {
    const at = Date.parse(p.createdAt);
    if (at < windowStart) continue;
    activity.push({ at, kind: answerPosts.has(p.id) ? 'answer' : p.repliesToMember ? 'reply-to-member' : 'post' });
  }
  const questions: QuestionAnswerPair[] = [...asked].map(([qid, askedAt]) => ({ askedAt, answeredAt: answer.get(qid)?.at ?? null }));

  const earliestPost = posts.length ? Date.parse(posts[posts.length - 1]!.createdAt) : Infinity;
  const registered = Date.parse(company.createdAt);
  const start = Math.min(Number.isFinite(registered) ? registered : Infinity, earliestPost, now);
  const summary = computePresence({ activity, questions, now, since: Math.max(windowStart, start), maxWeeks: weeks });

  const value: CompanyPresence = {
    site: site.id,
    companyId: company.id,
    companyName: company.displayName,
    windowWeeks: weeks,
    series: summary.series,
    totalActivity: summary.totalActivity,
    activeWeeks: summary.activeWeeks,
    medianResponseHours: summary.medianResponseHours === null ? null : Math.round(summary.medianResponseHours * 10) / 10,
    answeredQuestions: summary.answeredQuestions,
    unansweredQuestions: summary.unansweredQuestions,
    burstiness: summary.burstiness === null ? null : Math.round(summary.burstiness * 1000) / 1000,
    busiestWeeks: summary.busiestWeeks,
    classification: summary.classification,
    generatedAt: new Date(now).toISOString(),
  };
  byKey.set(key, { value, at: now, week, watermark, companyVersion: company.updatedAt });
  return value;
}
