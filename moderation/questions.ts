/**
 * Questions put to a company (issue 14): who may ask, what counts as an answer, how long a claim
 * lasts, and the public figures over a window. Pure: plain data in, plain data out; `now` is passed.
 *
 * What is measured is deliberately about the company, never a person: how many questions wait,
 * the oldest wait, the share answered, the median time to answer and the share answered within the
 * company's pledge. Who answered is on each answer (it is a public post), but nothing here adds up
 * per person. See docs/company-desk.md.
 */
import type { QuestionFigures, QuestionStatus } from './types.js';
import { LIMITS } from './limits.js';

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
const WEEK_MS = 7 * DAY_MS;

/** One question as the figures need it: when asked, its status, and when answered. */
export interface QuestionFact {
  askedAt: number;
  status: QuestionStatus;
  answeredAt: number | null;
}

/** Whole hours between two instants (rounded down; never negative). */
export function hoursBetween(fromMs: number, toMs: number): number {
  return Math.max(0, Math.floor((toMs - fromMs) / HOUR_MS));
}

/** Median of numbers (the mean of the two middle values for an even count); null when empty. */
export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

const round2 = (x: number) => Math.round(x * 100) / 100;

/**
 * Public figures over the `windowWeeks` weeks before `now` (default 12).
 * - `open` and `oldestWaitHours` count every open question, however old: a question does not stop
 *   waiting because the window moved on.
 * - The shares and the median look at questions asked within the window. Out-of-scope questions
 *   are left out of the shares (a moderator decided the company need not answer them).
 * - `withinPledgeShare`: of the window's in-scope questions, those answered within the pledge's
 *   days; null without an approved pledge. A question still open but not yet past the pledge is
 *   neither counted in nor against (it may still be answered in time).
 */
export function questionFigures(input: {
  questions: readonly QuestionFact[];
  now: number;
  pledgeDays: number | null;
  windowWeeks?: number;
}): QuestionFigures {
  const windowWeeks = input.windowWeeks ?? LIMITS.questionWindowWeeks;
  const since = input.now - windowWeeks * WEEK_MS;
  const asked = input.questions.filter((q) => q.askedAt <= input.now);
  const open = asked.filter((q) => q.status === 'open');
  const oldest = open.reduce<number | null>((min, q) => (min === null || q.askedAt < min ? q.askedAt : min), null);
  const windowed = asked.filter((q) => q.askedAt >= since);
  const inScope = windowed.filter((q) => q.status !== 'out-of-scope');
  const answered = inScope.filter((q) => q.status === 'answered' && q.answeredAt !== null);
  const answerHours = answered.map((q) => (q.answeredAt! - q.askedAt) / HOUR_MS);
  let withinPledgeShare: number | null = null;
  if (input.pledgeDays !== null) {
    const limitMs = input.pledgeDays * DAY_MS;
    // Decided: answered (in time or late), or still open past the pledge.
    const decided = inScope.filter((q) => q.status === 'answered' || input.now - q.askedAt > limitMs);
    const inTime = decided.filter((q) => q.status === 'answered' && q.answeredAt !== null && q.answeredAt - q.askedAt <= limitMs);
    withinPledgeShare = decided.length ? round2(inTime.length / decided.length) : null;
  }
  const med = median(answerHours);
  return {
    windowWeeks,
    open: open.length,
    oldestWaitHours: oldest === null ? null : hoursBetween(oldest, input.now),
    answeredShare: inScope.length ? round2(answered.length / inScope.length) : null,
    medianAnswerHours: med === null ? null : Math.round(med * 10) / 10,
    withinPledgeShare,
    asked: windowed.length,
    answered: answered.length,
    outOfScope: windowed.length - inScope.length,
  };
}

/** A claim is in force until it expires; afterwards the question is free again without anyone acting. */
export function claimExpiresAt(sinceMs: number, claimHours: number): number {
  return sinceMs + claimHours * HOUR_MS;
}

export function claimActive(claim: { expiresAt: string } | null | undefined, now: number): boolean {
  return !!claim && Date.parse(claim.expiresAt) > now;
}

/** The thread facts that decide whether a post answers a question. */
export interface AnswerCandidate {
  /** The answering post's author's verified company at the time of writing (its badge), or null. */
  authorCompany: string | null;
  /** When the post was written (epoch ms). */
  createdAt: number;
  status: 'visible' | 'removed' | 'deleted';
}

/**
 * Does `candidate` answer a question to `company` asked at `askedAt`? It must be a visible post by
 * that company's verified staff, written after the question. Placement (beneath the question, or
 * linked by its author) is the caller's: the rule is the same either way.
 */
export function answers(question: { company: string; askedAt: number; status: QuestionStatus }, candidate: AnswerCandidate): boolean {
  if (question.status !== 'open') return false;
  return candidate.status === 'visible' && candidate.authorCompany === question.company && candidate.createdAt >= question.askedAt;
}

/** The site's claim hours, within limits (a stored value out of range falls back to the default). */
export function effectiveClaimHours(stored: number | null): number {
  if (stored === null || !Number.isInteger(stored) || stored < LIMITS.claimHoursMin || stored > LIMITS.claimHoursMax) return LIMITS.claimHoursDefault;
  return stored;
}
