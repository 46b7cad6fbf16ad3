import { describe, it, expect } from 'vitest';
import {
  MerkleTree,
  canonicalBytes,
  commit,
  formatVerifierKey,
  generateSigningKey,
  hashLeafValue,
  signCheckpoint,
  toHex,
  verifierKeyOf,
  verifyLog,
  type LogEntryInput,
  type SigningKey,
} from '../../../moderation/log/index.js';

const seed = (b: number): Uint8Array => new Uint8Array(32).fill(b);
const ORIGIN = 'parley.example/log';
const logKey = generateSigningKey(seed(1), ORIGIN);
const VKEY = formatVerifierKey(verifierKeyOf(logKey));
const salt = new Uint8Array(32).fill(7);

type Leaf = { seq: number; action: string; post: string; moderator: string; at: number };

function makeLeaves(count: number, tweak?: (i: number) => Partial<Leaf>): Leaf[] {
  return Array.from({ length: count }, (_, i) => ({
    seq: i,
    action: ['approve', 'hide', 'restore', 'flag'][i % 4],
    post: `post-${1000 + i}`,
    moderator: commit(`moderator-${i % 3}`, salt),
    at: 1_700_000_000 + 60 * i,
    ...(tweak ? tweak(i) : {}),
  }));
}

/** What the server would hand out: entries with recorded leaf hashes, a signed checkpoint, and a tree for proofs. */
function buildLog(leaves: Leaf[], key: SigningKey = logKey, size = leaves.length) {
  const tree = MerkleTree.fromLeafHashes(leaves.map(hashLeafValue));
  const entries: LogEntryInput[] = leaves.map((leaf, index) => ({ index, leaf, leafHash: toHex(tree.leafHash(index)) }));
  const checkpoint = signCheckpoint({ origin: ORIGIN, treeSize: size, rootHash: tree.root(size) }, key);
  return { tree, entries, checkpoint };
}

const honest = buildLog(makeLeaves(50));
const withProofs = (entries: LogEntryInput[], tree = honest.tree, size = 50): LogEntryInput[] =>
  entries.map((e, i) => (i < size ? { ...e, inclusionProof: tree.inclusionProof(i, size).map(toHex) } : e));

describe('verifyLog on an honest log', () => {
  it('accepts the log and reports every check', () => {
    const r = verifyLog({ entries: honest.entries, checkpoint: honest.checkpoint, verifierKey: VKEY, origin: ORIGIN });
    expect(r.ok).toBe(true);
    expect(r.treeSize).toBe(50);
    expect(r.rootHash).toBe(toHex(honest.tree.root()));
    expect(r.origin).toBe(ORIGIN);
    expect(r.problem).toBeUndefined();
    expect(r.firstBadEntry).toBeUndefined();
    expect(r.checks.map((c) => c.name)).toEqual(['signature', 'entries', 'root']);
    expect(r.checks.every((c) => c.ok)).toBe(true);
  });

  it('accepts raw canonical bytes, missing recorded hashes, and inclusion proofs', () => {
    const raw = honest.entries.map((e) => ({ index: e.index, leafBytes: canonicalBytes(e.leaf) }));
    expect(verifyLog({ entries: raw, checkpoint: honest.checkpoint, verifierKey: VKEY }).ok).toBe(true);
    expect(verifyLog({ entries: withProofs(honest.entries), checkpoint: honest.checkpoint, verifierKey: VKEY }).ok).toBe(true);
  });

  it('accepts a previous checkpoint with a consistency proof, as a note or as a trusted size/root', () => {
    const prevNote = signCheckpoint({ origin: ORIGIN, treeSize: 30, rootHash: honest.tree.root(30) }, logKey);
    const proof = honest.tree.consistencyProof(30, 50).map(toHex);
    const r = verifyLog({ entries: honest.entries, checkpoint: honest.checkpoint, verifierKey: VKEY, previous: { checkpoint: prevNote, consistencyProof: proof } });
    expect(r.ok).toBe(true);
    expect(r.checks.map((c) => c.name)).toEqual(['signature', 'previous-signature', 'append-only', 'consistency-proof', 'entries', 'root', 'previous-root']);
    const r2 = verifyLog({
      entries: honest.entries,
      checkpoint: honest.checkpoint,
      verifierKey: VKEY,
      previous: { checkpoint: { treeSize: 30, rootHash: honest.tree.root(30) } },
    });
    expect(r2.ok).toBe(true);
    const same = verifyLog({ entries: honest.entries, checkpoint: honest.checkpoint, verifierKey: VKEY, previous: { checkpoint: honest.checkpoint, consistencyProof: [] } });
    expect(same.ok).toBe(true);
  });

  it('accepts the empty log and notes entries beyond the checkpoint', () => {
    const empty = buildLog([]);
    expect(verifyLog({ entries: [], checkpoint: empty.checkpoint, verifierKey: VKEY }).ok).toBe(true);
    const grown = buildLog(makeLeaves(55), logKey, 50);
    const r = verifyLog({ entries: grown.entries, checkpoint: grown.checkpoint, verifierKey: VKEY });
    expect(r.ok).toBe(true);
    expect(r.treeSize).toBe(50);
    expect(r.checks.find((c) => c.name === 'entries')?.message).toMatch(/5 later entries are not covered/);
  });
});

describe('verifyLog catches tampering', () => {
  it('edited entry (content only): names it', () => {
    const entries = honest.entries.map((e) => (e.index === 17 ? { ...e, leaf: { ...(e.leaf as Leaf), action: 'delete-everything' } } : e));
    const r = verifyLog({ entries, checkpoint: honest.checkpoint, verifierKey: VKEY });
    expect(r).toMatchObject({ ok: false, problem: 'entry-hash', firstBadEntry: 17 });
    expect(r.message).toMatch(/Entry 17 was altered/);
  });

  it('edited entry with its recorded hash rewritten: root mismatch, named via inclusion proofs', () => {
    const edited = makeLeaves(50, (i) => (i === 17 ? { action: 'hide', post: 'post-0' } : {}));
    const forged = buildLog(edited).entries; // self-consistent recorded hashes
    const noProofs = verifyLog({ entries: forged, checkpoint: honest.checkpoint, verifierKey: VKEY });
    expect(noProofs).toMatchObject({ ok: false, problem: 'root-mismatch' });
    expect(noProofs.firstBadEntry).toBeUndefined();
    expect(noProofs.message).toMatch(/Supply inclusion proofs/);
    const r = verifyLog({ entries: withProofs(forged), checkpoint: honest.checkpoint, verifierKey: VKEY });
    expect(r).toMatchObject({ ok: false, problem: 'root-mismatch', firstBadEntry: 17 });
  });

  it('deleted entry: names the gap', () => {
    const entries = honest.entries.filter((e) => e.index !== 20);
    expect(verifyLog({ entries, checkpoint: honest.checkpoint, verifierKey: VKEY })).toMatchObject({ ok: false, problem: 'gap', firstBadEntry: 20 });
    const last = honest.entries.slice(0, 49);
    const r = verifyLog({ entries: last, checkpoint: honest.checkpoint, verifierKey: VKEY });
    expect(r).toMatchObject({ ok: false, problem: 'gap', firstBadEntry: 49 });
    expect(r.message).toBe('Entry 49 is missing.');
    const several = honest.entries.filter((e) => e.index < 20 || e.index > 24);
    expect(verifyLog({ entries: several, checkpoint: honest.checkpoint, verifierKey: VKEY }).message).toBe('Entries 20..24 are missing.');
  });

  it('deleted entry with the rest renumbered and rehashed: named via inclusion proofs', () => {
    const renumbered = buildLog(makeLeaves(50).filter((l) => l.seq !== 20)).entries;
    const r = verifyLog({ entries: withProofs(renumbered), checkpoint: honest.checkpoint, verifierKey: VKEY });
    expect(r).toMatchObject({ ok: false, problem: 'root-mismatch', firstBadEntry: 20 });
    const noProofs = verifyLog({ entries: renumbered, checkpoint: honest.checkpoint, verifierKey: VKEY });
    expect(noProofs).toMatchObject({ ok: false, problem: 'gap', firstBadEntry: 49 });
  });

  it('reordered entries: names the first displaced index', () => {
    const swapped = [...honest.entries];
    [swapped[10], swapped[11]] = [swapped[11], swapped[10]];
    const r = verifyLog({ entries: swapped, checkpoint: honest.checkpoint, verifierKey: VKEY });
    expect(r).toMatchObject({ ok: false, problem: 'order', firstBadEntry: 10 });
    expect(r.message).toMatch(/out of order/);
  });

  it('reordered contents under unchanged indices: entry-hash, or via proofs when hashes move too', () => {
    const moved = honest.entries.map((e, i, all) => (i === 10 ? { ...e, leaf: all[11].leaf } : i === 11 ? { ...e, leaf: all[10].leaf } : e));
    expect(verifyLog({ entries: moved, checkpoint: honest.checkpoint, verifierKey: VKEY })).toMatchObject({ ok: false, problem: 'entry-hash', firstBadEntry: 10 });
    const movedWithHashes = honest.entries.map((e, i, all) =>
      i === 10 ? { ...all[11], index: 10 } : i === 11 ? { ...all[10], index: 11 } : e,
    );
    const r = verifyLog({ entries: withProofs(movedWithHashes), checkpoint: honest.checkpoint, verifierKey: VKEY });
    expect(r).toMatchObject({ ok: false, problem: 'root-mismatch', firstBadEntry: 10 });
  });

  it('inserted entry: duplicate index is an order problem; a renumbered insertion is named via proofs', () => {
    const extra: LogEntryInput = { index: 30, leaf: { seq: 30, action: 'hide', post: 'post-x', moderator: 'm', at: 1 } };
    const dup = [...honest.entries.slice(0, 30), extra, ...honest.entries.slice(30)];
    const r = verifyLog({ entries: dup, checkpoint: honest.checkpoint, verifierKey: VKEY });
    expect(r).toMatchObject({ ok: false, problem: 'order', firstBadEntry: 31 });
    expect(r.message).toMatch(/Entry 30 appears again/);
    const rDup = verifyLog({ entries: withProofs(dup), checkpoint: honest.checkpoint, verifierKey: VKEY });
    expect(rDup).toMatchObject({ ok: false, problem: 'root-mismatch', firstBadEntry: 30 });

    const leaves = makeLeaves(50);
    leaves.splice(30, 0, { seq: 30, action: 'hide', post: 'post-x', moderator: 'm', at: 1 });
    const inserted = buildLog(leaves).entries; // 51 entries, renumbered, rehashed
    const rIns = verifyLog({ entries: withProofs(inserted), checkpoint: honest.checkpoint, verifierKey: VKEY });
    expect(rIns).toMatchObject({ ok: false, problem: 'root-mismatch', firstBadEntry: 30 });
    expect(verifyLog({ entries: inserted, checkpoint: honest.checkpoint, verifierKey: VKEY })).toMatchObject({ ok: false, problem: 'root-mismatch' });
  });

  it('swapped signing key: signature problem', () => {
    const impostor = generateSigningKey(seed(2), ORIGIN);
    const forged = buildLog(makeLeaves(50), impostor);
    const r = verifyLog({ entries: forged.entries, checkpoint: forged.checkpoint, verifierKey: VKEY });
    expect(r).toMatchObject({ ok: false, problem: 'signature', treeSize: null, rootHash: null });
    expect(r.firstBadEntry).toBeUndefined();
    const tampered = honest.checkpoint.replace('\n50\n', '\n51\n');
    expect(verifyLog({ entries: honest.entries, checkpoint: tampered, verifierKey: VKEY })).toMatchObject({ ok: false, problem: 'signature' });
    expect(verifyLog({ entries: honest.entries, checkpoint: honest.checkpoint, verifierKey: VKEY, origin: 'other.example/log' })).toMatchObject({ ok: false, problem: 'signature' });
  });

  it('shrunk log: names the first vanished entry', () => {
    const shrunk = buildLog(makeLeaves(40));
    const r = verifyLog({ entries: shrunk.entries, checkpoint: shrunk.checkpoint, verifierKey: VKEY, previous: { checkpoint: honest.checkpoint } });
    expect(r).toMatchObject({ ok: false, problem: 'shrank', firstBadEntry: 40, treeSize: 40 });
    expect(r.message).toMatch(/shrank from 50 to 40/);
  });

  it('forked history: caught by the consistency proof, by same-size roots, and by the entries themselves', () => {
    const prevNote = signCheckpoint({ origin: ORIGIN, treeSize: 30, rootHash: honest.tree.root(30) }, logKey);
    const fork = buildLog(makeLeaves(50, (i) => (i === 12 ? { action: 'restore' } : {})));
    const proof = fork.tree.consistencyProof(30, 50).map(toHex);
    const viaProof = verifyLog({ entries: fork.entries, checkpoint: fork.checkpoint, verifierKey: VKEY, previous: { checkpoint: prevNote, consistencyProof: proof } });
    expect(viaProof).toMatchObject({ ok: false, problem: 'fork' });
    expect(viaProof.checks.at(-1)?.name).toBe('consistency-proof');

    const viaEntries = verifyLog({ entries: fork.entries, checkpoint: fork.checkpoint, verifierKey: VKEY, previous: { checkpoint: prevNote } });
    expect(viaEntries).toMatchObject({ ok: false, problem: 'fork' });
    expect(viaEntries.checks.at(-1)?.name).toBe('previous-root');

    const sameSize = verifyLog({ entries: fork.entries, checkpoint: fork.checkpoint, verifierKey: VKEY, previous: { checkpoint: honest.checkpoint } });
    expect(sameSize).toMatchObject({ ok: false, problem: 'fork' });
  });

  it('a previous checkpoint signed by someone else is a signature problem', () => {
    const impostor = generateSigningKey(seed(3), ORIGIN);
    const prevNote = signCheckpoint({ origin: ORIGIN, treeSize: 30, rootHash: honest.tree.root(30) }, impostor);
    const r = verifyLog({ entries: honest.entries, checkpoint: honest.checkpoint, verifierKey: VKEY, previous: { checkpoint: prevNote } });
    expect(r).toMatchObject({ ok: false, problem: 'signature' });
    expect(r.checks.at(-1)?.name).toBe('previous-signature');
  });

  it('names the earliest problem when an earlier edit hides behind a later bad hash', () => {
    const edited = buildLog(makeLeaves(50, (i) => (i === 5 ? { action: 'hide', post: 'post-0' } : {}))).entries;
    const entries = withProofs(edited).map((e) => (e.index === 20 ? { ...e, leafHash: '00'.repeat(32) } : e));
    const r = verifyLog({ entries, checkpoint: honest.checkpoint, verifierKey: VKEY });
    expect(r).toMatchObject({ ok: false, problem: 'root-mismatch', firstBadEntry: 5 });
  });

  it('reports unusable input clearly instead of throwing', () => {
    expect(verifyLog({ entries: honest.entries, checkpoint: honest.checkpoint, verifierKey: 'garbage' })).toMatchObject({ ok: false, problem: 'input' });
    const nan = honest.entries.map((e) => (e.index === 3 ? { ...e, leaf: { at: NaN } } : e));
    const r = verifyLog({ entries: nan, checkpoint: honest.checkpoint, verifierKey: VKEY });
    expect(r).toMatchObject({ ok: false, problem: 'entry-hash', firstBadEntry: 3 });
    expect(r.message).toMatch(/cannot be hashed.*NaN/);
    const badHash = honest.entries.map((e) => (e.index === 4 ? { ...e, leafHash: 'xyz' } : e));
    expect(verifyLog({ entries: badHash, checkpoint: honest.checkpoint, verifierKey: VKEY })).toMatchObject({ ok: false, problem: 'entry-hash', firstBadEntry: 4 });
    const badIndex = honest.entries.map((e) => (e.index === 6 ? { ...e, index: 6.5 } : e));
    expect(verifyLog({ entries: badIndex, checkpoint: honest.checkpoint, verifierKey: VKEY })).toMatchObject({ ok: false, problem: 'order', firstBadEntry: 6 });
    const badProof = verifyLog({
      entries: honest.entries,
      checkpoint: honest.checkpoint,
      verifierKey: VKEY,
      previous: { checkpoint: { treeSize: 30, rootHash: honest.tree.root(30) }, consistencyProof: ['nothex'] },
    });
    expect(badProof).toMatchObject({ ok: false, problem: 'input' });
  });
});
