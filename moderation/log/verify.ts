/**
 * Whole-log verifier: checks a downloaded copy of the audit log against a signed
 * checkpoint (and optionally against an earlier checkpoint the reader saw).
 *
 * Why: this is what makes the log *tamper-evident* in practice. The server, the
 * `parley` CLI and the browser element all call {@link verifyLog} and show its
 * report; it tells a non-expert not just "broken" but *what* is wrong (bad
 * signature, edited entry, missing entry, reordering, a log that shrank or forked)
 * and, where the data allows, *the first entry index* at which things go wrong.
 *
 * Semantics of `firstBadEntry`: every entry with a smaller index was verified as
 * far as the given data allows; the problem starts at this tree index.
 *
 * How the first bad entry is found:
 * 1. Entries must be given in ascending index order starting at 0. A missing
 *    index is a `gap`; a duplicate or out-of-place index is `order`.
 * 2. Each entry's leaf hash is recomputed from its JSON (RFC 8785 canonical bytes)
 *    or raw bytes. If the server's recorded leaf hash is supplied and differs, the
 *    entry is named (`entry-hash`).
 * 3. If everything is self-consistent but the Merkle root differs from the signed
 *    root (someone edited entries *and* their recorded hashes), the entries'
 *    inclusion proofs are used, when supplied, to name the first entry that is
 *    not in the signed tree (`root-mismatch`); otherwise no entry can be named.
 * 4. With a previous checkpoint: a smaller tree size is `shrank`; an invalid
 *    consistency proof, same size with another root, or entries whose prefix root
 *    differs from the previous root is `fork`.
 */

import { canonicalBytes } from './canonical.js';
import { type Checkpoint, type VerifierKey, toVerifierKey, verifyCheckpoint } from './checkpoint.js';
import { bytesEqual, fromHex, toHex } from './encoding.js';
import { HASH_SIZE, MerkleFrontier, leafHash, verifyConsistency, verifyInclusion } from './merkle.js';

/** A hash given either as 64 hex digits or as 32 bytes. */
export type HashLike = string | Uint8Array;

/** One log entry as downloaded from the server. Give exactly one of `leaf` and `leafBytes`. */
export interface LogEntryInput {
  /** Position in the tree, 0-based. */
  index: number;
  /** The leaf as a JSON value; its leaf hash is leafHash(canonicalBytes(leaf)). */
  leaf?: unknown;
  /** The leaf's canonical bytes, when the caller has them raw. */
  leafBytes?: Uint8Array;
  /** Leaf hash recorded by the server, if available. */
  leafHash?: HashLike;
  /** Inclusion proof of this entry in the checkpoint being verified, if available (used to locate edits). */
  inclusionProof?: readonly HashLike[];
}

/** A checkpoint the reader saw earlier. */
export interface PreviousCheckpoint {
  /** A signed note (verified with the same key and origin) or an already trusted size and root. */
  checkpoint: string | { treeSize: number; rootHash: HashLike };
  /** Consistency proof from the previous tree size to the new one, if the server supplied one. */
  consistencyProof?: readonly HashLike[];
}

export interface VerifyLogInput {
  entries: readonly LogEntryInput[];
  /** The signed checkpoint note (C2SP signed-note text). */
  checkpoint: string;
  /** The log's verifier key (`name+keyid+base64`) or a parsed key. */
  verifierKey: string | VerifierKey;
  /** Expected checkpoint origin, if the caller knows it. */
  origin?: string;
  previous?: PreviousCheckpoint;
}

export type LogProblem = 'signature' | 'root-mismatch' | 'entry-hash' | 'shrank' | 'fork' | 'gap' | 'order' | 'input';

export type LogCheckName =
  | 'key'
  | 'signature'
  | 'previous-signature'
  | 'append-only'
  | 'consistency-proof'
  | 'entries'
  | 'root'
  | 'previous-root'
  | 'inclusion-proofs'
  | 'sensitive-values';

export interface LogCheck {
  name: LogCheckName;
  ok: boolean;
  message: string;
}

export interface LogVerificationReport {
  ok: boolean;
  /** Tree size of the checkpoint, once its signature verified; otherwise null. */
  treeSize: number | null;
  /** Root hash (hex) of the checkpoint, once its signature verified; otherwise null. */
  rootHash: string | null;
  origin: string | null;
  /** Every check performed, in order. */
  checks: LogCheck[];
  /** First tree index at which the data stops matching (see the module comment). */
  firstBadEntry?: number;
  problem?: LogProblem;
  /** One human-readable sentence summarising the outcome. */
  message: string;
}

/** Leaf hash of a JSON leaf value: leafHash(canonicalBytes(value)). */
export function hashLeafValue(value: unknown): Uint8Array {
  return leafHash(canonicalBytes(value));
}

function toHash(h: HashLike, what: string): Uint8Array {
  const bytes = typeof h === 'string' ? fromHex(h) : h;
  if (!(bytes instanceof Uint8Array) || bytes.length !== HASH_SIZE) throw new TypeError(`${what} is not a ${HASH_SIZE}-byte hash`);
  return bytes;
}

function entryHash(e: LogEntryInput): Uint8Array {
  const hasLeaf = e.leaf !== undefined;
  const hasBytes = e.leafBytes !== undefined;
  if (hasLeaf === hasBytes) throw new TypeError('give exactly one of leaf and leafBytes');
  if (hasBytes) {
    if (!(e.leafBytes instanceof Uint8Array)) throw new TypeError('leafBytes must be a Uint8Array');
    return leafHash(e.leafBytes);
  }
  return hashLeafValue(e.leaf);
}

class Report {
  checks: LogCheck[] = [];
  treeSize: number | null = null;
  rootHash: string | null = null;
  origin: string | null = null;

  pass(name: LogCheckName, message: string): void {
    this.checks.push({ name, ok: true, message });
  }

  fail(name: LogCheckName, problem: LogProblem, message: string, firstBadEntry?: number): LogVerificationReport {
    this.checks.push({ name, ok: false, message });
    const r: LogVerificationReport = {
      ok: false,
      treeSize: this.treeSize,
      rootHash: this.rootHash,
      origin: this.origin,
      checks: this.checks,
      problem,
      message,
    };
    if (firstBadEntry !== undefined) r.firstBadEntry = firstBadEntry;
    return r;
  }

  done(message: string): LogVerificationReport {
    return { ok: true, treeSize: this.treeSize, rootHash: this.rootHash, origin: this.origin, checks: this.checks, message };
  }
}

/**
 * Verify a log copy against a signed checkpoint. Never throws: bad input is
 * reported as problem `input`. Cost: one SHA-256 per entry plus one per tree node
 * (≈ 2·n), O(log n) extra memory beyond the entries themselves.
 */
export function verifyLog(input: VerifyLogInput): LogVerificationReport {
  const report = new Report();

  // 1. The checkpoint signature.
  let key: VerifierKey;
  try {
    key = toVerifierKey(input.verifierKey);
  } catch (e) {
    return report.fail('key', 'input', `The verifier key is unusable: ${(e as Error).message}`);
  }
  const v = verifyCheckpoint(input.checkpoint, key, { origin: input.origin });
  if (!v.ok) {
    const problem: LogProblem = v.reason === 'bad-key' ? 'input' : 'signature';
    return report.fail('signature', problem, `The checkpoint is not validly signed by ${key.name}: ${v.message}`);
  }
  const cp: Checkpoint = v.checkpoint;
  const n = cp.treeSize;
  report.treeSize = n;
  report.rootHash = toHex(cp.rootHash);
  report.origin = cp.origin;
  report.pass('signature', `Checkpoint for ${n} entries is signed by ${key.name}.`);

  // 2. The previous checkpoint: append-only and consistency.
  let prev: { treeSize: number; rootHash: Uint8Array } | null = null;
  if (input.previous) {
    const pc = input.previous.checkpoint;
    if (typeof pc === 'string') {
      const pv = verifyCheckpoint(pc, key, { origin: input.origin ?? cp.origin });
      if (!pv.ok) return report.fail('previous-signature', 'signature', `The previous checkpoint is not validly signed by ${key.name}: ${pv.message}`);
      prev = { treeSize: pv.checkpoint.treeSize, rootHash: pv.checkpoint.rootHash };
      report.pass('previous-signature', `Previous checkpoint for ${prev.treeSize} entries is signed by ${key.name}.`);
    } else {
      try {
        if (!Number.isSafeInteger(pc.treeSize) || pc.treeSize < 0) throw new TypeError('tree size must be a non-negative integer');
        prev = { treeSize: pc.treeSize, rootHash: toHash(pc.rootHash, 'root hash') };
      } catch (e) {
        return report.fail('previous-signature', 'input', `The previous checkpoint is malformed: ${(e as Error).message}`);
      }
    }
    const m = prev.treeSize;
    if (m > n) {
      return report.fail('append-only', 'shrank', `The log shrank from ${m} to ${n} entries: entries ${n}..${m - 1} disappeared.`, n);
    }
    if (m === n && !bytesEqual(prev.rootHash, cp.rootHash)) {
      return report.fail('append-only', 'fork', `Two different logs of ${n} entries were signed: the history was rewritten.`);
    }
    report.pass('append-only', `The log grew from ${m} to ${n} entries.`);
    if (input.previous.consistencyProof) {
      let proof: Uint8Array[];
      try {
        proof = input.previous.consistencyProof.map((h, i) => toHash(h, `consistency proof element ${i}`));
      } catch (e) {
        return report.fail('consistency-proof', 'input', `The consistency proof is malformed: ${(e as Error).message}`);
      }
      if (!verifyConsistency(m, n, prev.rootHash, cp.rootHash, proof)) {
        return report.fail('consistency-proof', 'fork', `The log of ${n} entries is not an extension of the previously seen log of ${m} entries: the history was rewritten.`);
      }
      report.pass('consistency-proof', `The consistency proof from ${m} to ${n} entries verifies.`);
    }
  }

  // 3. Entry order, recomputed leaf hashes, recorded leaf hashes.
  const entries = input.entries;
  const hashes: Uint8Array[] = [];
  let structural: { problem: LogProblem; index: number; message: string } | null = null;
  for (let pos = 0; pos < entries.length; pos++) {
    const e = entries[pos];
    const expected = hashes.length;
    const idx = e?.index;
    if (idx !== expected) {
      let problem: LogProblem = 'order';
      let message: string;
      if (!Number.isSafeInteger(idx) || idx < 0) {
        message = `The entry at position ${pos} has an invalid index (${String(idx)}).`;
      } else if (idx < expected) {
        message = `Entry ${idx} appears again at position ${pos}, where entry ${expected} belongs.`;
      } else if (entries.slice(pos + 1).some((later) => later?.index === expected)) {
        message = `Entries are out of order: entry ${idx} comes before entry ${expected}.`;
      } else {
        problem = 'gap';
        message = idx - 1 === expected ? `Entry ${expected} is missing.` : `Entries ${expected}..${idx - 1} are missing.`;
      }
      structural = { problem, index: expected, message };
      break;
    }
    let h: Uint8Array;
    try {
      h = entryHash(e);
    } catch (err) {
      structural = { problem: 'entry-hash', index: idx, message: `Entry ${idx} cannot be hashed: ${(err as Error).message}` };
      break;
    }
    if (e.leafHash !== undefined) {
      let recorded: Uint8Array | null = null;
      try {
        recorded = toHash(e.leafHash, 'recorded leaf hash');
      } catch {
        recorded = null;
      }
      if (recorded === null || !bytesEqual(recorded, h)) {
        structural = {
          problem: 'entry-hash',
          index: idx,
          message: recorded === null
            ? `Entry ${idx} has a malformed recorded leaf hash.`
            : `Entry ${idx} was altered: its content does not match its recorded leaf hash.`,
        };
        break;
      }
    }
    hashes.push(h);
  }
  if (!structural && hashes.length < n) {
    const missing = hashes.length;
    structural = {
      problem: 'gap',
      index: missing,
      message: missing === n - 1 ? `Entry ${missing} is missing.` : `Entries ${missing}..${n - 1} are missing.`,
    };
  }

  // Inclusion proofs can pin an edit below the first structural problem.
  const firstFailingProof = (limit: number, root: Uint8Array): number | null => {
    for (let i = 0; i < Math.min(limit, hashes.length, n); i++) {
      const p = entries[i].inclusionProof;
      if (!p) continue;
      let proof: Uint8Array[];
      try {
        proof = p.map((h, j) => toHash(h, `inclusion proof element ${j}`));
      } catch {
        return i;
      }
      if (!verifyInclusion(hashes[i], i, n, proof, root)) return i;
    }
    return null;
  };
  const proofCount = (limit: number): number => {
    let c = 0;
    for (let i = 0; i < Math.min(limit, hashes.length, n); i++) if (entries[i].inclusionProof) c++;
    return c;
  };

  if (structural) {
    const earlier = firstFailingProof(structural.index, cp.rootHash);
    if (earlier !== null) {
      report.fail('entries', structural.problem, structural.message, structural.index);
      return report.fail('inclusion-proofs', 'root-mismatch', `Entry ${earlier} is not the entry the checkpoint signed (its inclusion proof fails).`, earlier);
    }
    return report.fail('entries', structural.problem, structural.message, structural.index);
  }
  const extra = hashes.length - n;
  report.pass(
    'entries',
    `${n} entries are in order and match their recorded leaf hashes` +
      (extra > 0 ? `; ${extra} later entries are not covered by this checkpoint.` : '.'),
  );

  // 4. Root of the first n entries (and of the first m, for the previous checkpoint).
  const frontier = new MerkleFrontier();
  let prefixRoot: Uint8Array | null = prev && prev.treeSize === 0 ? frontier.root() : null;
  for (let i = 0; i < n; i++) {
    frontier.append(hashes[i]);
    if (prev && i + 1 === prev.treeSize) prefixRoot = frontier.root();
  }
  const root = frontier.root();
  if (!bytesEqual(root, cp.rootHash)) {
    const bad = firstFailingProof(n, cp.rootHash);
    if (bad !== null) {
      return report.fail('root', 'root-mismatch', `Entry ${bad} is not the entry the checkpoint signed: it was altered (its inclusion proof fails).`, bad);
    }
    const hint = proofCount(n) > 0 ? ' The supplied inclusion proofs do not pin the altered entry.' : ' Supply inclusion proofs to locate the altered entry.';
    return report.fail('root', 'root-mismatch', `The entries do not hash to the signed root: some entries were altered together with their recorded hashes.${hint}`);
  }
  report.pass('root', `The ${n} entries hash to the signed root ${report.rootHash}.`);

  if (prev && prefixRoot) {
    if (!bytesEqual(prefixRoot, prev.rootHash)) {
      return report.fail('previous-root', 'fork', `The first ${prev.treeSize} entries do not match the previously seen checkpoint: the history was rewritten.`);
    }
    report.pass('previous-root', `The first ${prev.treeSize} entries match the previously seen checkpoint.`);
  }

  return report.done(`All ${n} entries verify against the checkpoint signed by ${key.name}.`);
}
