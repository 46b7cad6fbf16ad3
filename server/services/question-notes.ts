/**
 * What readers see of questions put to a company (issue 14): the note on each question post
 * ("Question to Novacura Pharma", "Answered by …, after 2 days"), and a company's public figures and
 * pledge. Read-only, so the presenter and the register can use it without importing the services
 * that change questions (services form a tree).
 */
import { hoursBetween, questionFigures } from '../../moderation/questions.js';
import { LIMITS } from '../../moderation/limits.js';
import type { Pledge, QuestionFigures, QuestionNote } from '../../moderation/types.js';
import type { PledgeRecord, QuestionRecord } from '../store/desk-store.js';
import type { PostRecord } from '../store/store.js';
import type { AppContext } from './context.js';
import { moderatorPublicLabel } from './moderation-settings.js';

const WEEK_MS = 7 * 24 * 3_600_000;

/** The note a question post carries, the same for every viewer. */
export async function questionNote(ctx: AppContext, q: QuestionRecord, companyName: string): Promise<QuestionNote> {
  const note: QuestionNote = { company: { id: q.companyId, name: companyName }, status: q.status, askedAt: q.askedAt };
  if (q.answer) {
    note.answer = {
      postId: q.answer.postId,
      authorName: q.answer.authorName,
      jobTitle: q.answer.jobTitle,
      companyName: q.answer.companyName,
      at: q.answer.at,
      waitedHours: hoursBetween(Date.parse(q.askedAt), Date.parse(q.answer.at)),
    };
  }
  if (q.outOfScope) {
    // Moderators appear as the site chooses (a name or a stable pseudonym), as on any moderation note.
    note.outOfScope = { reason: q.outOfScope.reason, moderator: await moderatorPublicLabel(ctx, q.site, q.outOfScope.by), at: q.outOfScope.at, logIndex: q.outOfScope.logIndex };
  }
  return note;
}

/** Notes of the question posts among `records` (one batched read; most posts have none). */
export async function questionNotesFor(ctx: AppContext, site: string, records: readonly PostRecord[]): Promise<Map<string, QuestionNote>> {
  const out = new Map<string, QuestionNote>();
  if (records.length === 0) return out;
  const questions = await ctx.store.questionsFor(site, records.map((r) => r.id));
  if (questions.size === 0) return out;
  const names = new Map((await ctx.store.listCompanies(site)).map((c) => [c.id, c.displayName]));
  const notes = await Promise.all([...questions].map(async ([postId, q]) => [postId, await questionNote(ctx, q, names.get(q.companyId) ?? q.companyId)] as const));
  for (const [postId, note] of notes) out.set(postId, note);
  return out;
}

export function pledgeView(record: PledgeRecord | null): Pledge | null {
  if (!record) return null;
  return { text: record.text, answerWithinDays: record.answerWithinDays, approvedAt: record.approvedAt, proposedAt: record.proposedAt };
}

/** The company's approved pledge (public), or null. */
export async function approvedPledge(ctx: AppContext, site: string, companyId: string): Promise<Pledge | null> {
  return pledgeView(await ctx.store.getPledge(site, companyId, 'approved'));
}

/** The public figures over the last 12 weeks: the same on the company card, the API and the desk. */
export async function companyQuestionFigures(ctx: AppContext, site: string, companyId: string, pledge: Pledge | null): Promise<QuestionFigures> {
  const now = ctx.now().getTime();
  const since = new Date(now - LIMITS.questionWindowWeeks * WEEK_MS).toISOString();
  const questions = (await ctx.store.questionsForFigures(site, companyId, since)).map((q) => ({
    askedAt: Date.parse(q.askedAt),
    status: q.status,
    answeredAt: q.answer ? Date.parse(q.answer.at) : null,
  }));
  return questionFigures({ questions, now, pledgeDays: pledge?.answerWithinDays ?? null });
}
