import { describe, expect, it } from 'vitest';
import {
  burstinessIndex,
  classifyPresence,
  computePresence,
  isoWeekLabel,
  presenceSparkline,
  weekStartOf,
  type ActivityItem,
} from '../../../moderation/detectors/presence.js';

const H = 3_600_000;
const D = 24 * H;
const W = 7 * D;
const utc = (s: string) => Date.parse(s);
const iso = (ms: number) => new Date(ms).toISOString();

describe('ISO week boundaries (UTC, Monday start)', () => {
  it('finds the Monday of the week, including around new year', () => {
    expect(iso(weekStartOf(utc('2025-01-01T12:00:00Z')))).toBe('2024-12-30T00:00:00.000Z');
    expect(iso(weekStartOf(utc('2021-01-03T23:59:59.999Z')))).toBe('2020-12-28T00:00:00.000Z');
    expect(iso(weekStartOf(utc('2021-01-04T00:00:00Z')))).toBe('2021-01-04T00:00:00.000Z');
    expect(iso(weekStartOf(utc('1969-12-31T10:00:00Z')))).toBe('1969-12-29T00:00:00.000Z');
  });

  it('labels ISO weeks by the Thursday’s year', () => {
    expect(isoWeekLabel(utc('2024-12-30T00:00:00Z'))).toBe('2025-W01');
    expect(isoWeekLabel(utc('2024-12-29T23:59:59Z'))).toBe('2024-W52');
    expect(isoWeekLabel(utc('2021-01-03T12:00:00Z'))).toBe('2020-W53');
    expect(isoWeekLabel(utc('2026-01-01T00:00:00Z'))).toBe('2026-W01');
    expect(isoWeekLabel(utc('2027-01-01T00:00:00Z'))).toBe('2026-W53');
  });

  it('splits activity at Monday 00:00 UTC across the year boundary', () => {
    const r = computePresence({
      activity: [
        { at: utc('2020-12-31T10:00:00Z'), kind: 'post' },
        { at: utc('2021-01-03T23:59:59Z'), kind: 'reply-to-member' },
        { at: utc('2021-01-04T00:00:00Z'), kind: 'answer' },
      ],
      now: utc('2021-01-05T00:00:00Z'),
    });
    expect(r.series.map((w) => [w.weekStart, w.isoWeek, w.posts, w.repliesToMembers, w.answers])).toEqual([
      ['2020-12-28', '2020-W53', 1, 1, 0],
      ['2021-01-04', '2021-W01', 0, 1, 1],
    ]);
  });
});

describe('computePresence', () => {
  it('fills empty weeks with zeros up to the week containing now', () => {
    const start = utc('2025-03-03T09:00:00Z'); // a Monday
    const r = computePresence({
      activity: [
        { at: start, kind: 'post' },
        { at: start + 3 * W + 2 * D, kind: 'reply-to-member' },
        { at: start + 10 * W, kind: 'post' }, // after now: ignored
      ],
      now: start + 5 * W,
    });
    expect(r.series.map((w) => w.weekStart)).toEqual([
      '2025-03-03', '2025-03-10', '2025-03-17', '2025-03-24', '2025-03-31', '2025-04-07',
    ]);
    expect(r.series.map((w) => w.total)).toEqual([1, 0, 0, 1, 0, 0]);
    expect(r.totalActivity).toBe(2);
    expect(r.activeWeeks).toBe(2);
    expect(r.classification).toBe('insufficient-data');
  });

  it('honours since and maxWeeks', () => {
    const now = utc('2025-06-04T00:00:00Z');
    const r = computePresence({ activity: [], now, since: now - 3 * W });
    expect(r.series).toHaveLength(4);
    expect(r.burstiness).toBeNull();
    const capped = computePresence({ activity: [{ at: now - 200 * W, kind: 'post' }], now, maxWeeks: 10 });
    expect(capped.series).toHaveLength(10);
    expect(capped.totalActivity).toBe(0);
    expect(computePresence({ activity: [], now }).series).toEqual([]);
  });

  it('computes the median response time over answered questions', () => {
    const t = utc('2025-05-05T08:00:00Z');
    const r = computePresence({
      activity: [],
      questions: [
        { askedAt: t, answeredAt: t + 2 * H },
        { askedAt: t, answeredAt: t + 10 * H },
        { askedAt: t, answeredAt: t + 4 * H },
        { askedAt: t, answeredAt: null },
        { askedAt: t, answeredAt: t + 30 * D }, // answered after now → still open
      ],
      now: t + 3 * D,
    });
    expect(r.medianResponseHours).toBe(4);
    expect(r.answeredQuestions).toBe(3);
    expect(r.unansweredQuestions).toBe(2);
    const even = computePresence({
      activity: [],
      questions: [
        { askedAt: t, answeredAt: t + 1 * H },
        { askedAt: t, answeredAt: t + 6 * H },
      ],
      now: t + D,
    });
    expect(even.medianResponseHours).toBe(3.5);
    expect(computePresence({ activity: [], questions: [{ askedAt: t, answeredAt: null }], now: t + D }).medianResponseHours).toBeNull();
  });

  it('classifies a steady history', () => {
    const start = utc('2025-01-06T10:00:00Z');
    const activity: ActivityItem[] = [];
    for (let w = 0; w < 26; w++) {
      const n = 2 + (w % 3); // 2–4 items every week
      for (let i = 0; i < n; i++) activity.push({ at: start + w * W + i * D, kind: i % 2 ? 'reply-to-member' : 'post' });
    }
    const r = computePresence({ activity, now: start + 25 * W + D });
    expect(r.series).toHaveLength(26);
    expect(r.busiestWeeks).toBe(3);
    expect(r.totalActivity).toBe(76); // last week: only items up to now count
    expect(r.burstiness).toBeCloseTo(12 / 76, 5);
    expect(r.classification).toBe('steady');
  });

  it('classifies a campaign history', () => {
    const start = utc('2025-01-06T10:00:00Z');
    const activity: ActivityItem[] = [];
    for (let i = 0; i < 20; i++) activity.push({ at: start + 8 * W + (i % 5) * D, kind: 'post' });
    for (let i = 0; i < 15; i++) activity.push({ at: start + 20 * W + (i % 5) * D, kind: 'post' });
    activity.push({ at: start, kind: 'reply-to-member' }, { at: start + 14 * W, kind: 'post' });
    const r = computePresence({ activity, now: start + 25 * W });
    expect(r.busiestWeeks).toBe(3);
    expect(r.burstiness).toBeCloseTo(36 / 37, 5);
    expect(r.classification).toBe('campaign');
  });

  it('classifies steady-with-a-burst and sparse histories as mixed', () => {
    const start = utc('2025-01-06T10:00:00Z');
    const activity: ActivityItem[] = [];
    for (let w = 0; w < 30; w++) activity.push({ at: start + w * W, kind: 'post' });
    for (let i = 0; i < 12; i++) activity.push({ at: start + 10 * W + D, kind: 'post' });
    expect(computePresence({ activity, now: start + 29 * W }).classification).toBe('mixed');
    const sparse: ActivityItem[] = [];
    for (let w = 0; w < 30; w += 4) sparse.push({ at: start + w * W, kind: 'post' });
    expect(computePresence({ activity: sparse, now: start + 29 * W }).classification).toBe('mixed');
  });
});

describe('burstiness and classification helpers', () => {
  it('uses the ceiling of 10 % of weeks', () => {
    expect(burstinessIndex([5, 0, 0, 0, 0, 0, 0, 0, 0, 0, 5])).toBe(1); // 11 weeks → 2 busiest
    expect(burstinessIndex([1, 1, 1, 1])).toBe(0.25);
    expect(burstinessIndex([0, 0])).toBeNull();
  });

  it('accepts custom thresholds', () => {
    const weeks = [3, 3, 3, 3, 3, 3, 3, 3, 3, 3].map((total, i) => ({
      weekStart: `w${i}`, isoWeek: '', posts: total, repliesToMembers: 0, answers: 0, total,
    }));
    expect(classifyPresence(weeks)).toBe('steady');
    expect(classifyPresence(weeks, { minActivity: 100 })).toBe('insufficient-data');
  });
});

describe('presenceSparkline', () => {
  it('produces SVG-ready geometry without a DOM', () => {
    const start = utc('2025-01-06T10:00:00Z');
    const r = computePresence({
      activity: [
        { at: start, kind: 'post' },
        { at: start, kind: 'post' },
        { at: start + 2 * W, kind: 'reply-to-member' },
        { at: start + 3 * W, kind: 'post' },
        { at: start + 3 * W, kind: 'answer' },
      ],
      now: start + 4 * W,
    });
    const s = presenceSparkline(r.series, { width: 40, height: 10 });
    expect(s.max).toBe(2);
    expect(s.points.map((p) => [p.x, p.y, p.value])).toEqual([
      [0, 0, 2],
      [10, 10, 0],
      [20, 5, 1],
      [30, 0, 2],
      [40, 10, 0],
    ]);
    expect(s.polyline).toBe('0,0 10,10 20,5 30,0 40,10');
    expect(s.path).toBe('M0 0 L10 10 L20 5 L30 0 L40 10');
    expect(presenceSparkline(r.series, { field: 'posts' }).max).toBe(2);
    const empty = presenceSparkline([]);
    expect(empty).toMatchObject({ points: [], max: 0, polyline: '', path: '' });
  });
});
