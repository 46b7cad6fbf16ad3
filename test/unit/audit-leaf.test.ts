/** The public leaf format (server/audit/leaf.ts): canonical, versioned, personal data committed only. */
import { describe, expect, it } from 'vitest';
import { canonicalize, verifyCommitment } from '../../moderation/log/index.js';
import { AuditEntryError, buildLeaf, ruleOf } from '../../server/audit/leaf.js';

const base = {
  site: 'demo', kind: 'moderation.remove', at: '2025-04-01T09:00:00.000Z',
  actor: { type: 'moderator' as const, label: 'Moderator 3', userId: 'user-123' },
  subject: { postId: 'p1', topic: 't1' },
  data: { rule: { id: 'R4', version: 2 }, facts: 'Promotion of a prescription-only medicine.' },
  sensitive: { postText: 'Jane Doe wrote this' },
};

describe('audit leaf', () => {
  it('has the documented shape, is canonical, and commits to personal data', () => {
    const { leaf, canonical, sensitive } = buildLeaf(base, 7);
    expect(leaf).toMatchObject({ version: 1, site: 'demo', index: 7, kind: 'moderation.remove', actor: { type: 'moderator', label: 'Moderator 3' } });
    expect(canonical).toBe(canonicalize(leaf));
    expect(canonical).not.toContain('user-123');
    expect(canonical).not.toContain('Jane Doe');
    expect(Object.keys(leaf.commitments).sort()).toEqual(['actor.userId', 'postText']);
    for (const s of sensitive) {
      expect(s.salt).toHaveLength(32);
      expect(verifyCommitment(s.value, s.salt, leaf.commitments[s.field]!)).toBe(true);
    }
    expect(ruleOf(leaf)).toBe('R4');
    // Fresh salts: the same value never gives the same commitment twice.
    expect(buildLeaf(base, 7).leaf.commitments.postText).not.toBe(leaf.commitments.postText);
  });

  it('omits what is absent and keeps refersTo', () => {
    const { leaf } = buildLeaf({ site: 'demo', kind: 'redaction', at: base.at, actor: { type: 'admin', label: 'A' }, data: { field: 'postText' }, refersTo: 3 }, 9);
    expect(leaf.subject).toEqual({});
    expect(leaf.commitments).toEqual({});
    expect(leaf.refersTo).toBe(3);
  });

  it('refuses malformed entries', () => {
    expect(() => buildLeaf({ ...base, kind: 'Not A Kind' }, 0)).toThrow(AuditEntryError);
    expect(() => buildLeaf({ ...base, at: 'yesterday' }, 0)).toThrow(AuditEntryError);
    expect(() => buildLeaf({ ...base, refersTo: 5 }, 5)).toThrow(/earlier entry/);
    expect(() => buildLeaf({ ...base, sensitive: { 'bad field!': 'x' } }, 0)).toThrow(/not allowed/);
    expect(() => buildLeaf({ ...base, data: { n: Number.NaN } }, 0)).toThrow(/canonical/);
  });
});
