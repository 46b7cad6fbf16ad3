import { describe, expect, it } from 'vitest';
import { appealDeadline, checkAppeal, checkAppealDecider, misuseStep } from '../../../moderation/appeals.js';
import { buildTransparencyReport, median } from '../../../moderation/transparency.js';
import { publicPart, viewPost } from '../../../moderation/visibility.js';
import { checkTransparencyDatabaseStatement } from '../../../moderation/reasons.js';
import type { Post } from '../../../moderation/types.js';

describe('appeals', () => {
  it('are open for six calendar months', () => {
    expect(appealDeadline('2025-03-01T10:00:00.000Z')).toBe('2025-09-01T10:00:00.000Z');
    expect(appealDeadline('2025-08-31T00:00:00.000Z')).toBe('2026-02-28T00:00:00.000Z');
    const base = { informedAt: '2025-03-01T10:00:00.000Z', appealable: true, isAffected: true, alreadyAppealed: false, restricted: false, appealsTheRestriction: false };
    expect(checkAppeal({ ...base, now: '2025-09-01T09:59:59.000Z' })).toBeNull();
    expect(checkAppeal({ ...base, now: '2025-09-01T10:00:01.000Z' })?.code).toBe('window-closed');
    expect(checkAppeal({ ...base, now: '2025-04-01T00:00:00.000Z', restricted: true })?.code).toBe('restricted');
    expect(checkAppeal({ ...base, now: '2025-04-01T00:00:00.000Z', restricted: true, appealsTheRestriction: true })).toBeNull();
  });

  it('are decided by a different moderator', () => {
    expect(checkAppealDecider({ deciderId: 'm1', actedBy: ['m1'], appellantId: 'u' })?.code).toBe('same-moderator');
    expect(checkAppealDecider({ deciderId: 'u', actedBy: ['m1'], appellantId: 'u' })?.code).toBe('own-appeal');
    expect(checkAppealDecider({ deciderId: 'm2', actedBy: ['m1'], appellantId: 'u' })).toBeNull();
  });

  it('misuse: a warning first, then a restriction', () => {
    expect(misuseStep(2, false, false)).toBe('none');
    expect(misuseStep(3, false, false)).toBe('warn');
    expect(misuseStep(4, true, false)).toBe('none');
    expect(misuseStep(5, true, false)).toBe('restrict');
    expect(misuseStep(5, false, false)).toBe('warn');
    expect(misuseStep(9, true, true)).toBe('none');
  });
});

describe('transparency numbers', () => {
  it('median and counts', () => {
    expect(median([])).toBeNull();
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 2, 3])).toBe(2.5);
    const report = buildTransparencyReport({
      actions: [
        { type: 'remove', ruleId: 'R1', createdAt: '2025-01-05T00:00:00.000Z', source: 'member_report', viaAppeal: false, automatedDecision: false },
        { type: 'restore', ruleId: null, createdAt: '2025-02-05T00:00:00.000Z', source: null, viaAppeal: true, automatedDecision: false },
      ],
      reports: [
        { source: 'member', createdAt: '2025-01-04T00:00:00.000Z', decidedAt: '2025-01-05T00:00:00.000Z', status: 'actioned' },
        { source: 'automated', createdAt: '2025-01-04T00:00:00.000Z', decidedAt: null, status: 'open' },
      ],
      appeals: [{ createdAt: '2025-01-06T00:00:00.000Z', decidedAt: '2025-01-07T00:00:00.000Z', status: 'reversed' }],
    }, { site: 's', siteName: 'S', from: '2025-01-01T00:00:00.000Z', to: '2026-01-01T00:00:00.000Z', generatedAt: 'now' });
    expect(report.actions.byMonth).toEqual({ '2025-01': { remove: 1 }, '2025-02': { restore: 1 } });
    expect(report.reports.medianHoursToDecision).toBe(24);
    expect(report.appeals.shareReversed).toBe(1);
    expect(report.actions.reversedOnAppeal).toBe(1);
    expect(report.automatedDetections).toEqual({ flagged: 1, upheldByPerson: 0, dismissedByPerson: 0, open: 1 });
    expect(report.safetyReferrals).toEqual({ flagged: 0, forwarded: 0, byCompany: [] });
  });

  it('counts possible adverse events flagged and forwarded per company, within the period', () => {
    const report = buildTransparencyReport({
      actions: [], reports: [], appeals: [],
      safetyFlags: [
        { company: 'Acme', detectedAt: '2025-03-01T00:00:00.000Z', forwardedAt: '2025-03-01T01:00:00.000Z' },
        { company: 'Acme', detectedAt: '2025-03-02T00:00:00.000Z', forwardedAt: null },
        { company: 'Beacon', detectedAt: '2025-03-03T00:00:00.000Z', forwardedAt: null },
        { company: 'Beacon', detectedAt: '2024-12-31T00:00:00.000Z', forwardedAt: '2025-01-02T00:00:00.000Z' },
      ],
    }, { site: 's', siteName: 'S', from: '2025-01-01T00:00:00.000Z', to: '2026-01-01T00:00:00.000Z', generatedAt: 'now' });
    expect(report.safetyReferrals).toEqual({
      flagged: 3, forwarded: 1,
      byCompany: [{ company: 'Acme', flagged: 2, forwarded: 1 }, { company: 'Beacon', flagged: 1, forwarded: 0 }],
    });
  });
});

describe('visibility (no shadow bans)', () => {
  const post: Post = {
    id: 'p', site: 's', topic: 't', parent: null, root: 'p', depth: 0, seq: 1, rev: 2,
    author: { id: 'a', name: 'A', kind: 'member' }, body: 'words', html: '<p>words</p>', createdAt: 'c', editedAt: null, status: 'removed',
  };
  const removal = { actionId: 'x', ruleId: 'R1', ruleVersion: 1, ruleTitle: 'T', reason: 'r', moderator: 'Moderator 1', at: 'c', logIndex: null, appeal: 'none' as const, appealableUntil: 'd' };
  const view = { post, authorId: 'a', moderation: { removal, labels: [], repliesClosed: null } };
  it('is the same for every viewer, apart from the author’s own removed words', () => {
    const reader = viewPost(view, null);
    expect(reader.body).toBe('');
    expect(reader.moderation?.removal?.actionId).toBe('x');
    for (const viewer of ['m', 'x', 'staff']) expect(viewPost(view, viewer)).toEqual(reader);
    const author = viewPost(view, 'a');
    expect(author.moderation?.ownText).toEqual({ body: 'words', html: '<p>words</p>' });
    expect(publicPart(author)).toEqual(reader);
    expect(viewPost({ ...view, post: { ...post, status: 'visible' } }, 'a').moderation?.ownText).toBeUndefined();
  });
});

describe('database schema check', () => {
  it('refuses missing fields and unknown values', () => {
    const issues = checkTransparencyDatabaseStatement({ decision_ground: 'DECISION_GROUND_ILLEGAL_CONTENT', puid: 'bad puid!' });
    expect(issues.join('\n')).toMatch(/decision_visibility.*required/);
    expect(issues.join('\n')).toMatch(/illegal_content_legal_ground: required/);
    expect(issues.join('\n')).toMatch(/puid: only/);
    expect(issues.join('\n')).toMatch(/category: required/);
  });
});
