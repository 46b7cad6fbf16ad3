/**
 * Questions put to a company (issue 14), the pure rules: public figures over a window from
 * synthetic histories, claim expiry, who may ask, and what counts as an answer.
 */
import { describe, expect, it } from 'vitest';
import { answers, claimActive, claimExpiresAt, effectiveClaimHours, median, questionFigures, type QuestionFact } from '../../../moderation/questions.js';
import { can } from '../../../moderation/permissions.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const WEEK = 7 * DAY;
const NOW = Date.UTC(2026, 5, 1, 12);

const answered = (askedAgo: number, tookHours: number): QuestionFact => ({ askedAt: NOW - askedAgo, status: 'answered', answeredAt: NOW - askedAgo + tookHours * HOUR });
const open = (askedAgo: number): QuestionFact => ({ askedAt: NOW - askedAgo, status: 'open', answeredAt: null });
const outOfScope = (askedAgo: number): QuestionFact => ({ askedAt: NOW - askedAgo, status: 'out-of-scope', answeredAt: null });

describe('question figures over 12 weeks', () => {
  it('has nothing to say without questions', () => {
    expect(questionFigures({ questions: [], now: NOW, pledgeDays: 3 })).toEqual({
      windowWeeks: 12, open: 0, oldestWaitHours: null, answeredShare: null, medianAnswerHours: null, withinPledgeShare: null,
      asked: 0, answered: 0, outOfScope: 0,
    });
  });

  it('counts the window: answered share, median time to answer, share within the pledge', () => {
    const history = [
      answered(1 * WEEK, 10), // in time (3 days = 72 h)
      answered(2 * WEEK, 30), // in time
      answered(3 * WEEK, 100), // late
      open(5 * DAY), // open past the pledge: counts against it
      open(1 * DAY), // open, still within the pledge: not yet decided
      outOfScope(4 * WEEK), // left out of the shares
    ];
    const f = questionFigures({ questions: history, now: NOW, pledgeDays: 3 });
    expect(f.asked).toBe(6);
    expect(f.outOfScope).toBe(1);
    expect(f.answered).toBe(3);
    expect(f.open).toBe(2);
    expect(f.oldestWaitHours).toBe(5 * 24);
    expect(f.answeredShare).toBe(0.6); // 3 of 5 in scope
    expect(f.medianAnswerHours).toBe(30);
    expect(f.withinPledgeShare).toBe(0.5); // 2 in time of 4 decided
  });

  it('ignores answered questions asked before the window, but an old open question still waits', () => {
    const f = questionFigures({ questions: [answered(13 * WEEK, 1), answered(13 * WEEK, 2), open(20 * WEEK)], now: NOW, pledgeDays: null });
    expect(f.asked).toBe(0);
    expect(f.answeredShare).toBeNull();
    expect(f.medianAnswerHours).toBeNull();
    expect(f.open).toBe(1);
    expect(f.oldestWaitHours).toBe(20 * 7 * 24);
    expect(f.withinPledgeShare).toBeNull();
  });

  it('takes the mean of the middle two for an even count, and ignores questions in the future', () => {
    const f = questionFigures({ questions: [answered(DAY * 10, 2), answered(DAY * 9, 4), answered(DAY * 8, 6), answered(DAY * 7, 100), { askedAt: NOW + DAY, status: 'open', answeredAt: null }], now: NOW, pledgeDays: null });
    expect(f.medianAnswerHours).toBe(5);
    expect(f.open).toBe(0);
    expect(median([])).toBeNull();
  });

  it('honours another window', () => {
    const f = questionFigures({ questions: [answered(3 * WEEK, 1), answered(1 * WEEK, 3)], now: NOW, pledgeDays: 1, windowWeeks: 2 });
    expect(f).toMatchObject({ windowWeeks: 2, asked: 1, answered: 1, medianAnswerHours: 3, withinPledgeShare: 1 });
  });
});

describe('claims', () => {
  it('expire after the configured hours', () => {
    const since = NOW;
    const expiresAt = new Date(claimExpiresAt(since, 24)).toISOString();
    expect(claimActive({ expiresAt }, NOW + 23 * HOUR)).toBe(true);
    expect(claimActive({ expiresAt }, NOW + 24 * HOUR)).toBe(false);
    expect(claimActive(null, NOW)).toBe(false);
  });

  it('fall back to 24 hours when the stored setting is out of range', () => {
    expect(effectiveClaimHours(null)).toBe(24);
    expect(effectiveClaimHours(0)).toBe(24);
    expect(effectiveClaimHours(1.5)).toBe(24);
    expect(effectiveClaimHours(48)).toBe(48);
  });
});

describe('who asks and what answers', () => {
  it('lets members ask but never company staff', () => {
    expect(can(['member'], 'ask-company')).toBe(true);
    expect(can(['member', 'staff'], 'ask-company')).toBe(false);
    expect(can(['reader'], 'ask-company')).toBe(false);
    // Even holding a moderator role, someone who is staff never asks a company.
    expect(can(['member', 'staff', 'moderator'], 'ask-company')).toBe(false);
  });

  it('counts only a visible, later post by that company’s staff as an answer to an open question', () => {
    const q = { company: 'acme', askedAt: NOW, status: 'open' as const };
    expect(answers(q, { authorCompany: 'acme', createdAt: NOW + HOUR, status: 'visible' })).toBe(true);
    expect(answers(q, { authorCompany: 'other', createdAt: NOW + HOUR, status: 'visible' })).toBe(false);
    expect(answers(q, { authorCompany: null, createdAt: NOW + HOUR, status: 'visible' })).toBe(false);
    expect(answers(q, { authorCompany: 'acme', createdAt: NOW - HOUR, status: 'visible' })).toBe(false);
    expect(answers(q, { authorCompany: 'acme', createdAt: NOW + HOUR, status: 'removed' })).toBe(false);
    expect(answers({ ...q, status: 'out-of-scope' }, { authorCompany: 'acme', createdAt: NOW + HOUR, status: 'visible' })).toBe(false);
  });
});
