import { describe, expect, it } from 'vitest';
import { buildHistory, marksEdits, type ReplacedVersion } from '../../../moderation/edits.js';

const replaced: ReplacedVersion[] = [
  // Out of order on purpose: the history is sorted by version.
  { version: 2, body: 'two', html: '<p>two</p>', writtenAt: 't2', replacedAt: 't3', afterReply: true, afterReport: false },
  { version: 1, body: 'one', html: '<p>one</p>', writtenAt: 't1', replacedAt: 't2', afterReply: false, afterReport: true },
];
const current = { id: 'p', status: 'visible' as const, body: 'three', html: '<p>three</p>', createdAt: 't1', editedAt: 't3' };

describe('edit history (pure)', () => {
  it('lists every version oldest first, each marked by the edit that wrote it', () => {
    const h = buildHistory(current, replaced);
    expect(h).toMatchObject({ postId: 'p', status: 'visible', createdAt: 't1' });
    expect(h.versions).toEqual([
      { version: 1, body: 'one', html: '<p>one</p>', at: 't1', editedAt: null, afterReply: false, afterReport: false },
      { version: 2, body: 'two', html: '<p>two</p>', at: 't2', editedAt: 't2', afterReply: false, afterReport: true },
      { version: 3, body: 'three', html: '<p>three</p>', at: 't3', editedAt: 't3', afterReply: true, afterReport: false },
    ]);
  });

  it('a post never edited has one version', () => {
    expect(buildHistory({ ...current, editedAt: null }, []).versions).toEqual([
      { version: 1, body: 'three', html: '<p>three</p>', at: 't1', editedAt: null, afterReply: false, afterReport: false },
    ]);
  });

  it('shows no text of any version of a removed post, for everyone', () => {
    const h = buildHistory({ ...current, status: 'removed' }, replaced);
    expect(h.versions).toHaveLength(3);
    for (const v of h.versions) expect(v).toMatchObject({ body: '', html: '' });
    expect(h.versions.map((v) => v.at)).toEqual(['t1', 't2', 't3']);
  });

  it('marks edits of company staff only', () => {
    expect(marksEdits({ affiliation: { companyId: 'acme' } })).toBe(true);
    expect(marksEdits({})).toBe(false);
  });
});
