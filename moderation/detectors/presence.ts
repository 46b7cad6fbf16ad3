/**
 * A company's presence over time: weekly activity, response time, and whether it shows
 * up steadily or only in campaigns.
 *
 * Why: members should be able to see whether a company engages continuously (answers
 * questions week after week) or appears in bursts around launches and campaigns. This
 * module turns raw activity timestamps into a weekly series, a median response time and a
 * simple, explainable burstiness classification that a widget can render (see
 * presenceSparkline — data only, no DOM).
 *
 * Weeks are ISO weeks in UTC: Monday 00:00 to Sunday 24:00. `weekStart` is the Monday's
 * date ('YYYY-MM-DD'); `isoWeek` the ISO label ('2025-W01' — which can start in December).
 * The series covers every week from the first (or `since`) to the week containing `now`,
 * with empty weeks filled with zeros, capped at `maxWeeks` (default 520) most recent.
 *
 * Counting: kind 'post' → posts; 'reply-to-member' and 'answer' → repliesToMembers
 * (answers are also counted separately in `answers`). Items after `now` are ignored.
 *
 * Burstiness = share of all activity in the busiest ⌈10 %⌉ of weeks (1.0 = everything in
 * those weeks; an even spread gives ≈ ⌈0.1n⌉/n). Classification (PRESENCE_THRESHOLDS):
 *  - 'insufficient-data': fewer than 4 weeks in the span, or fewer than 6 activity items;
 *  - 'campaign': burstiness ≥ 0.6;
 *  - 'steady': burstiness ≤ 0.35 and activity in ≥ 40 % of weeks;
 *  - 'mixed': anything else (regular but sparse, or steady with a visible burst).
 *
 * Pure: no clock — `now` is an input; no I/O; Date is used only to format given instants.
 */

export type ActivityKind = 'post' | 'reply-to-member' | 'answer';

export interface ActivityItem {
  /** Epoch milliseconds. */
  at: number;
  kind: ActivityKind;
  [extra: string]: unknown;
}

export interface QuestionAnswerPair {
  askedAt: number;
  answeredAt: number | null;
}

export interface PresenceInput {
  activity: readonly ActivityItem[];
  questions?: readonly QuestionAnswerPair[];
  /** Epoch ms; the last week of the series is the one containing `now`. */
  now: number;
  /** Start of the span (epoch ms). Default: earliest activity item or question. */
  since?: number;
  /** Keep at most this many most recent weeks. Default 520. */
  maxWeeks?: number;
}

export interface PresenceWeek {
  /** Monday of the ISO week, UTC, 'YYYY-MM-DD'. */
  weekStart: string;
  /** ISO week label, e.g. '2026-W01'. */
  isoWeek: string;
  posts: number;
  /** Replies to members including answers to questions. */
  repliesToMembers: number;
  answers: number;
  total: number;
}

export type PresenceClass = 'steady' | 'mixed' | 'campaign' | 'insufficient-data';

export interface PresenceThresholds {
  minWeeks: number;
  minActivity: number;
  /** Share of the busiest weeks (⌈busiestFraction·n⌉) at or above which it is a campaign. */
  campaignShare: number;
  steadyShare: number;
  steadyActiveWeekShare: number;
  busiestFraction: number;
}

export const PRESENCE_THRESHOLDS: Readonly<PresenceThresholds> = Object.freeze({
  minWeeks: 4,
  minActivity: 6,
  campaignShare: 0.6,
  steadyShare: 0.35,
  steadyActiveWeekShare: 0.4,
  busiestFraction: 0.1,
});

export interface PresenceSummary {
  series: PresenceWeek[];
  totalActivity: number;
  activeWeeks: number;
  /** Median hours from question to answer over answered questions; null if none. */
  medianResponseHours: number | null;
  answeredQuestions: number;
  unansweredQuestions: number;
  /** Share of activity in the busiest ⌈10 %⌉ of weeks; null when there is no activity. */
  burstiness: number | null;
  /** How many weeks count as "busiest" (⌈10 %⌉ of the series). */
  busiestWeeks: number;
  classification: PresenceClass;
}

const DAY_MS = 86_400_000;
const WEEK_MS = 7 * DAY_MS;
const HOUR_MS = 3_600_000;

/** Epoch ms of the Monday 00:00 UTC starting the ISO week that contains `ms`. */
export function weekStartOf(ms: number): number {
  const day = Math.floor(ms / DAY_MS);
  const dow = (((day + 3) % 7) + 7) % 7; // 1970-01-01 was a Thursday → Monday = 0
  return (day - dow) * DAY_MS;
}

/** 'YYYY-MM-DD' of a UTC instant. */
export function utcDate(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/** ISO week label ('YYYY-Www') of the week containing `ms`; the year is the Thursday's. */
export function isoWeekLabel(ms: number): string {
  const thursday = weekStartOf(ms) + 3 * DAY_MS;
  const year = new Date(thursday).getUTCFullYear();
  const jan4 = Date.UTC(year, 0, 4);
  const week = Math.round((weekStartOf(thursday) - weekStartOf(jan4)) / WEEK_MS) + 1;
  return `${year}-W${String(week).padStart(2, '0')}`;
}

function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const v = [...values].sort((a, b) => a - b);
  const mid = v.length >> 1;
  return v.length % 2 ? v[mid] : (v[mid - 1] + v[mid]) / 2;
}

/** Share of the total in the busiest ⌈fraction·n⌉ weeks, or null when total is 0. */
export function burstinessIndex(totals: readonly number[], fraction = PRESENCE_THRESHOLDS.busiestFraction): number | null {
  const sum = totals.reduce((a, b) => a + b, 0);
  if (sum === 0 || totals.length === 0) return null;
  const k = Math.max(1, Math.ceil(totals.length * fraction));
  const top = [...totals].sort((a, b) => b - a).slice(0, k).reduce((a, b) => a + b, 0);
  return top / sum;
}

/** Classify a weekly series (see module comment for the thresholds). */
export function classifyPresence(
  series: readonly PresenceWeek[],
  thresholds: Partial<PresenceThresholds> = {},
): PresenceClass {
  const t = { ...PRESENCE_THRESHOLDS, ...thresholds };
  const totals = series.map((w) => w.total);
  const total = totals.reduce((a, b) => a + b, 0);
  if (series.length < t.minWeeks || total < t.minActivity) return 'insufficient-data';
  const b = burstinessIndex(totals, t.busiestFraction) ?? 0;
  if (b >= t.campaignShare) return 'campaign';
  const active = totals.filter((x) => x > 0).length / series.length;
  if (b <= t.steadyShare && active >= t.steadyActiveWeekShare) return 'steady';
  return 'mixed';
}

/** Weekly series, response time and classification for one company. */
export function computePresence(
  input: PresenceInput,
  thresholds: Partial<PresenceThresholds> = {},
): PresenceSummary {
  const t = { ...PRESENCE_THRESHOLDS, ...thresholds };
  const { now } = input;
  const activity = input.activity.filter((a) => Number.isFinite(a.at) && a.at <= now);
  const questions = (input.questions ?? []).filter((q) => Number.isFinite(q.askedAt) && q.askedAt <= now);

  let start = input.since;
  if (start === undefined) {
    for (const a of activity) if (start === undefined || a.at < start) start = a.at;
    for (const q of questions) if (start === undefined || q.askedAt < start) start = q.askedAt;
  }
  const series: PresenceWeek[] = [];
  if (start !== undefined && start <= now) {
    const lastWeek = weekStartOf(now);
    let firstWeek = weekStartOf(start);
    const maxWeeks = input.maxWeeks ?? 520;
    firstWeek = Math.max(firstWeek, lastWeek - (maxWeeks - 1) * WEEK_MS);
    for (let w = firstWeek; w <= lastWeek; w += WEEK_MS) {
      series.push({ weekStart: utcDate(w), isoWeek: isoWeekLabel(w), posts: 0, repliesToMembers: 0, answers: 0, total: 0 });
    }
    for (const a of activity) {
      const i = Math.round((weekStartOf(a.at) - firstWeek) / WEEK_MS);
      const week = series[i];
      if (i < 0 || !week) continue;
      if (a.kind === 'post') week.posts++;
      else if (a.kind === 'reply-to-member' || a.kind === 'answer') {
        week.repliesToMembers++;
        if (a.kind === 'answer') week.answers++;
      } else continue;
      week.total++;
    }
  }

  const responseHours: number[] = [];
  let unanswered = 0;
  for (const q of questions) {
    if (q.answeredAt === null || q.answeredAt > now) unanswered++;
    else if (q.answeredAt >= q.askedAt) responseHours.push((q.answeredAt - q.askedAt) / HOUR_MS);
  }

  const totals = series.map((w) => w.total);
  return {
    series,
    totalActivity: totals.reduce((a, b) => a + b, 0),
    activeWeeks: totals.filter((x) => x > 0).length,
    medianResponseHours: median(responseHours),
    answeredQuestions: responseHours.length,
    unansweredQuestions: unanswered,
    burstiness: burstinessIndex(totals, t.busiestFraction),
    busiestWeeks: series.length ? Math.max(1, Math.ceil(series.length * t.busiestFraction)) : 0,
    classification: classifyPresence(series, t),
  };
}

export interface SparklinePoint {
  x: number;
  y: number;
  value: number;
  weekStart: string;
}

export interface Sparkline {
  points: SparklinePoint[];
  /** Largest value in the series (0 for an empty or all-zero series). */
  max: number;
  width: number;
  height: number;
  /** "x,y x,y …" for an SVG <polyline points>. */
  polyline: string;
  /** "M x y L x y …" for an SVG <path d>; '' when there are no points. */
  path: string;
}

/**
 * Geometry for a sparkline in a width × height box (y grows downwards, as in SVG; zero
 * sits on the bottom edge). `field` picks the series value (default 'total').
 */
export function presenceSparkline(
  series: readonly PresenceWeek[],
  opts: { width?: number; height?: number; field?: 'total' | 'posts' | 'repliesToMembers' | 'answers' } = {},
): Sparkline {
  const width = opts.width ?? 100;
  const height = opts.height ?? 24;
  const field = opts.field ?? 'total';
  const values = series.map((w) => w[field]);
  const max = values.reduce((a, b) => Math.max(a, b), 0);
  const round = (n: number) => Math.round(n * 100) / 100;
  const n = values.length;
  const points = values.map((value, i) => ({
    x: round(n === 1 ? width / 2 : (i * width) / (n - 1)),
    y: round(max === 0 ? height : height - (value / max) * height),
    value,
    weekStart: series[i].weekStart,
  }));
  return {
    points,
    max,
    width,
    height,
    polyline: points.map((p) => `${p.x},${p.y}`).join(' '),
    path: points.map((p, i) => `${i ? 'L' : 'M'}${p.x} ${p.y}`).join(' '),
  };
}
