/**
 * Verifier of a Parley audit log as a reader meets it: through an {@link AuditLogSource} (the
 * HTTP API with the caller's `fetch`, see http-source.ts, or in the CLI a database file).
 * `<parley-audit-log>` and `parley verify` both call it; it does no I/O of its own.
 *
 * `verifyAuditLog(source, options)`:
 * 1. fetches the latest signed checkpoint and checks its Ed25519 signature with the trusted
 *    key (given, or the site's first published key on first use), following logged key
 *    rotations (each new key is vouched for by a "handover" checkpoint signed by the old one);
 * 2. with a previously seen checkpoint: refuses a log that shrank, and checks the server's
 *    consistency proof (a log that was rewritten, i.e. forked, fails);
 * 3. downloads the entries, recomputes every leaf hash (RFC 8785 + RFC 6962) and the root,
 *    and names the first bad entry: a gap, a reordering, an edited entry (binary search with
 *    consistency proofs when the recorded hashes were edited too), or a leaf whose `index`
 *    field is not its position.
 * `checkHead` does 1–2 only (cheap for very large logs), `checkIncluded` checks inclusion
 * proofs of entries a page shows.
 */
import { parseCheckpoint, parseSignedNote, verifyCheckpoint } from './checkpoint.js';
import { bytesEqual, fromHex, toHex } from './encoding.js';
import { MerkleTree, verifyConsistency, verifyInclusion } from './merkle.js';
import { hashLeafValue, verifyLog, type LogCheck, type LogProblem } from './verify.js';

/** One entry as the log serves it. */
export interface LogEntryRecord {
  index: number;
  leaf: unknown;
  /** hex leaf hash recorded by the server */
  leafHash: string;
}

export interface KeyInfo {
  verifierKey: string;
  fromSize: number;
  handover: string | null;
}

/** Where a verifier reads a log: the HTTP API, or (in the CLI) a database file. */
export interface AuditLogSource {
  /** Latest signed checkpoint note. */
  checkpoint(): Promise<string>;
  /** Entries [start, end) (the server answers at most 1000 per call). */
  entries(start: number, end: number): Promise<LogEntryRecord[]>;
  consistencyProof(from: number, to: number): Promise<string[]>;
  inclusionProof(index: number, size: number): Promise<string[]>;
  /** The site's keys, oldest first. */
  keys(): Promise<{ origin: string | null; keys: KeyInfo[] }>;
}

/** 'sensitive': a value kept beside the tree no longer opens its commitment (database checks only). */
export type AuditProblem = LogProblem | 'key' | 'unreachable' | 'sensitive';

export interface AuditVerification {
  ok: boolean;
  problem?: AuditProblem;
  /** First entry index at which the log stops matching what was signed. */
  firstBadEntry?: number;
  message: string;
  checks: LogCheck[];
  treeSize: number | null;
  rootHash: string | null;
  /** The verified checkpoint note: remember it for the next visit. */
  checkpoint: string | null;
  /** Unix seconds of the checkpoint's `time` line, if any. */
  signedAt: number | null;
  /** The key that signed the checkpoint (after following rotations): remember it too. */
  verifierKey: string | null;
  /** 'given' when the caller supplied the trusted key; 'first-use' when it came from the server. */
  trust: 'given' | 'first-use';
  /** Entries downloaded (full mode). */
  entries: LogEntryRecord[];
}

export interface VerifyOptions {
  /** The key you trust (from the operator's site or docs). Without it, the site's first key is trusted on first use. */
  verifierKey?: string | null;
  /** A checkpoint note seen earlier (localStorage, the CLI's state file). */
  previous?: string | null;
  /** Download and check every entry (default true); false checks the signature and consistency only. */
  full?: boolean;
  onProgress?: (done: number, total: number) => void;
}

const PAGE = 1000;

function timeOf(note: string): number | null {
  try {
    const cp = parseCheckpoint(parseSignedNote(note).text);
    const line = cp.extensions.find((e) => /^time \d+$/.test(e));
    return line ? Number(line.slice(5)) : null;
  } catch {
    return null;
  }
}

function failed(base: Partial<AuditVerification>, problem: AuditProblem, message: string, checks: LogCheck[] = []): AuditVerification {
  return {
    ok: false, problem, message, checks, treeSize: null, rootHash: null, checkpoint: null, signedAt: null,
    verifierKey: null, trust: 'given', entries: [], ...base,
  };
}

interface Head {
  note: string;
  key: string;
  trust: 'given' | 'first-use';
  treeSize: number;
  root: Uint8Array;
  /** Checkpoints the chain of keys vouches for (handovers), to compare with the entries. */
  handovers: Array<{ treeSize: number; root: Uint8Array; newKey: string }>;
  previous: { treeSize: number; root: Uint8Array } | null;
  checks: LogCheck[];
}

/** Steps 1–2: signature (following key rotations) and consistency with `previous`. */
async function head(source: AuditLogSource, options: VerifyOptions): Promise<Head | AuditVerification> {
  const checks: LogCheck[] = [];
  let note: string;
  let keyInfo: { origin: string | null; keys: KeyInfo[] } | null = null;
  try {
    note = await source.checkpoint();
  } catch (e) {
    return failed({}, 'unreachable', `The log could not be read: ${(e as Error).message}`);
  }
  try {
    keyInfo = await source.keys();
  } catch {
    keyInfo = null;
  }
  let trust: 'given' | 'first-use' = 'given';
  let key = options.verifierKey?.trim() || null;
  if (!key) {
    key = keyInfo?.keys[0]?.verifierKey ?? null;
    trust = 'first-use';
    if (!key) return failed({ trust }, 'key', 'No key to verify the log with: pass the site\'s published verifier key.');
  }
  // Follow rotations: each later key is vouched for by a handover checkpoint signed by the previous key.
  const handovers: Head['handovers'] = [];
  const chain = keyInfo?.keys ?? [];
  const trustedKeys = [key];
  let at = chain.findIndex((k) => k.verifierKey === key);
  while (!verifyCheckpoint(note, key).ok && at >= 0 && at + 1 < chain.length) {
    const next = chain[at + 1]!;
    const v = next.handover ? verifyCheckpoint(next.handover, key) : null;
    if (!v || !v.ok) {
      checks.push({ name: 'key', ok: false, message: `The key change to ${next.verifierKey} is not signed by the previous key.` });
      break;
    }
    handovers.push({ treeSize: v.checkpoint.treeSize, root: v.checkpoint.rootHash, newKey: next.verifierKey });
    checks.push({ name: 'key', ok: true, message: `The previous key handed over to ${next.verifierKey} at ${v.checkpoint.treeSize} entries.` });
    key = next.verifierKey;
    trustedKeys.push(key);
    at++;
  }
  const v = verifyCheckpoint(note, key);
  if (!v.ok) {
    return failed({ trust, verifierKey: key }, 'signature', `The checkpoint is not signed by the trusted key (${v.message}).`, [
      ...checks, { name: 'signature', ok: false, message: v.message },
    ]);
  }
  checks.push({ name: 'signature', ok: true, message: `Checkpoint for ${v.checkpoint.treeSize} entries is signed by ${key.split('+')[0]}.` });
  let previous: Head['previous'] = null;
  if (options.previous) {
    const pv = trustedKeys.map((k) => verifyCheckpoint(options.previous!, k)).find((r) => r.ok);
    if (!pv || !pv.ok) {
      // A remembered checkpoint signed by a key we no longer trust cannot be compared.
      checks.push({ name: 'previous-signature', ok: false, message: 'The remembered checkpoint is not signed by a trusted key; ignored.' });
    } else {
      previous = { treeSize: pv.checkpoint.treeSize, root: pv.checkpoint.rootHash };
      const m = previous.treeSize;
      const n = v.checkpoint.treeSize;
      if (m > n) {
        return failed({ trust, verifierKey: key, treeSize: n, rootHash: toHex(v.checkpoint.rootHash), checkpoint: note }, 'shrank',
          `The log shrank from ${m} to ${n} entries since you last checked: entries ${n}..${m - 1} disappeared.`, checks);
      }
      let proof: string[] = [];
      try {
        proof = m < n && m > 0 ? await source.consistencyProof(m, n) : [];
      } catch (e) {
        return failed({ trust, verifierKey: key }, 'unreachable', `The consistency proof could not be read: ${(e as Error).message}`, checks);
      }
      let ok = false;
      try {
        ok = verifyConsistency(m, n, previous.root, v.checkpoint.rootHash, proof.map(fromHex));
      } catch {
        ok = false;
      }
      if (!ok) {
        return failed({ trust, verifierKey: key, treeSize: n, rootHash: toHex(v.checkpoint.rootHash), checkpoint: note }, 'fork',
          `The history was rewritten: the log of ${n} entries does not extend the log of ${m} entries you saw before.`,
          [...checks, { name: 'consistency-proof', ok: false, message: 'The consistency proof does not verify.' }]);
      }
      checks.push({ name: 'consistency-proof', ok: true, message: `The log grew from ${m} to ${n} entries without rewriting history.` });
    }
  }
  return { note, key, trust, treeSize: v.checkpoint.treeSize, root: v.checkpoint.rootHash, handovers, previous, checks };
}

function isHead(h: Head | AuditVerification): h is Head {
  return 'note' in h;
}

/** Signature and consistency only (no download): cheap enough for any log size. */
export async function checkHead(source: AuditLogSource, options: VerifyOptions = {}): Promise<AuditVerification> {
  const h = await head(source, options);
  if (!isHead(h)) return h;
  return {
    ok: true, message: `Checkpoint of ${h.treeSize} entries verified.`, checks: h.checks, treeSize: h.treeSize,
    rootHash: toHex(h.root), checkpoint: h.note, signedAt: timeOf(h.note), verifierKey: h.key, trust: h.trust, entries: [],
  };
}

/** Do these entries belong to the verified checkpoint? Returns the first index whose inclusion proof fails, or null. */
export async function checkIncluded(source: AuditLogSource, verified: AuditVerification, entries: readonly LogEntryRecord[]): Promise<number | null> {
  if (!verified.ok || verified.treeSize === null || verified.rootHash === null) return entries[0]?.index ?? null;
  const root = fromHex(verified.rootHash);
  for (const e of entries) {
    if (e.index >= verified.treeSize) continue;
    try {
      const proof = (await source.inclusionProof(e.index, verified.treeSize)).map(fromHex);
      if (!verifyInclusion(hashLeafValue(e.leaf), e.index, verified.treeSize, proof, root)) return e.index;
    } catch {
      return e.index;
    }
  }
  return null;
}

/** Downloads the whole log and verifies it (see the module comment). Never throws. */
export async function verifyAuditLog(source: AuditLogSource, options: VerifyOptions = {}): Promise<AuditVerification> {
  const h = await head(source, options);
  if (!isHead(h)) return h;
  if (options.full === false) return checkHead(source, options);
  const n = h.treeSize;
  const base = { trust: h.trust, verifierKey: h.key, checkpoint: h.note, signedAt: timeOf(h.note), treeSize: n, rootHash: toHex(h.root) };

  const entries: LogEntryRecord[] = [];
  try {
    for (let start = 0; start < n; start += PAGE) {
      entries.push(...(await source.entries(start, Math.min(start + PAGE, n))));
      options.onProgress?.(Math.min(start + PAGE, n), n);
    }
  } catch (e) {
    return failed(base, 'unreachable', `The entries could not be downloaded: ${(e as Error).message}`, h.checks);
  }

  const report = verifyLog({
    entries: entries.map((e) => ({ index: e.index, leaf: e.leaf, leafHash: e.leafHash })),
    checkpoint: h.note,
    verifierKey: h.key,
    previous: h.previous ? { checkpoint: { treeSize: h.previous.treeSize, rootHash: h.previous.root } } : undefined,
  });
  const checks = [...h.checks, ...report.checks.filter((c) => c.name !== 'signature')];
  if (!report.ok) {
    let firstBad = report.firstBadEntry;
    let message = report.message;
    if (report.problem === 'root-mismatch' && firstBad === undefined) {
      firstBad = await bisect(source, entries, n, h.root);
      if (firstBad !== undefined) message = `Entry ${firstBad} was altered: it is not the entry the checkpoint signed.`;
    }
    return { ...base, ok: false, problem: report.problem, firstBadEntry: firstBad, message, checks, entries };
  }

  // Each leaf names its own position and site; a leaf elsewhere was moved.
  for (let i = 0; i < n; i++) {
    const leaf = entries[i]!.leaf as { index?: unknown } | null;
    if (leaf && typeof leaf === 'object' && 'index' in leaf && leaf.index !== i) {
      return { ...base, ok: false, problem: 'order', firstBadEntry: i, message: `Entry ${i} claims to be entry ${String(leaf.index)}: entries were reordered.`, checks, entries };
    }
  }
  // Key changes must be in the log at the place the old key vouched for.
  if (h.handovers.length > 0) {
    const tree = MerkleTree.fromLeafHashes(entries.slice(0, n).map((e) => hashLeafValue(e.leaf)));
    for (const ho of h.handovers) {
      const rotation = entries[ho.treeSize - 1]?.leaf as { kind?: string; data?: { newKey?: string } } | undefined;
      if (ho.treeSize > n || !bytesEqual(tree.root(ho.treeSize), ho.root) || rotation?.kind !== 'key.rotated' || rotation.data?.newKey !== ho.newKey) {
        return { ...base, ok: false, problem: 'fork', message: 'A key change is not recorded in the log where the previous key signed it.', checks, entries };
      }
    }
    checks.push({ name: 'key', ok: true, message: `${h.handovers.length} key change(s) are recorded in the log.` });
  }
  return { ...base, ok: true, message: report.message, checks, entries };
}

/**
 * The recorded hashes were edited along with the entries: find the first entry whose
 * prefix no longer matches the signed tree, with O(log n) consistency proofs.
 */
async function bisect(source: AuditLogSource, entries: readonly LogEntryRecord[], n: number, root: Uint8Array): Promise<number | undefined> {
  try {
    const tree = MerkleTree.fromLeafHashes(entries.slice(0, n).map((e) => hashLeafValue(e.leaf)));
    const good = async (m: number): Promise<boolean> => {
      if (m === 0) return true;
      if (m === n) return bytesEqual(tree.root(n), root);
      const proof = (await source.consistencyProof(m, n)).map(fromHex);
      return verifyConsistency(m, n, tree.root(m), root, proof);
    };
    let lo = 0;
    let hi = n;
    if (await good(hi)) return undefined;
    while (hi - lo > 1) {
      const mid = Math.floor((lo + hi) / 2);
      if (await good(mid)) lo = mid;
      else hi = mid;
    }
    return hi - 1;
  } catch {
    return undefined;
  }
}
