/**
 * RFC 6962 / RFC 9162 Merkle tree hashing, proofs and proof verification.
 *
 * Why: the audit log is an append-only list of leaves committed to by a single
 * 32-byte root. Inclusion proofs let anyone check that an entry is in the log
 * the server signed; consistency proofs let anyone check that a later log only
 * *appended* to an earlier one (no edits, deletions or reordering). The hashing
 * and proof shapes follow RFC 6962 §2.1 exactly, so standard Certificate
 * Transparency / transparency-dev tooling can cross-check Parley's log.
 *
 * Pieces:
 * - {@link leafHash}, {@link nodeHash}: the domain-separated hashes (0x00 / 0x01 prefix).
 * - {@link rootFromLeafHashes}, {@link rootAt}: MTH(D[n]).
 * - {@link inclusionProof}, {@link consistencyProof}: PATH and PROOF/SUBPROOF of RFC 6962 §2.1.1–2.1.2,
 *   computed from an array of leaf hashes, a `getLeafHash(i)` callback or a {@link SubtreeHashSource}.
 * - {@link verifyInclusion}, {@link verifyConsistency}: RFC 9162 §2.1.3.2 / §2.1.4.2.
 * - {@link MerkleFrontier}: O(log n)-memory appender that yields the current root (for a server that
 *   only needs to sign checkpoints), persistable as JSON.
 * - {@link MerkleTree}: in-memory store of every complete subtree hash, giving O(log n) roots and proofs
 *   for any past or present tree size.
 *
 * Complexity (n = tree size; one SHA-256 over ≤ 65 bytes takes ≈ 2 µs with @noble/hashes):
 * - root from leaf hashes: n − 1 node hashes, O(log n) extra memory.
 * - proofs from an array / callback of *leaf* hashes: O(n) hashes per proof (≈ 2 s at n = 10^6);
 *   fine for tests, tools and small logs.
 * - proofs from a {@link SubtreeHashSource} (e.g. {@link MerkleTree}, or complete-subtree hashes a server
 *   keeps in its database): O(log n) lookups and O(log n) hashes per proof (≈ 0.1 ms at n = 10^6).
 * - {@link MerkleFrontier}: amortised O(1) hashes per append (≈ 3 s for 10^6 appends), O(log n) memory.
 * - {@link MerkleTree}: amortised O(1) hashes per append, ≈ 2·n·32 bytes in flat buffers (64 MB at
 *   n = 10^6, up to twice that transiently while a buffer doubles).
 * - verification: O(log n) hashes.
 *
 * Tree sizes and indices are plain numbers and must be safe integers (< 2^53);
 * no 32-bit bitwise operators are used on them.
 */

import { sha256 } from '@noble/hashes/sha2.js';
import { bytesEqual, fromHex, toHex } from './encoding.js';

/** Size in bytes of every hash in the tree (SHA-256). */
export const HASH_SIZE = 32;

const LEAF_PREFIX = Uint8Array.of(0x00);
const NODE_PREFIX = Uint8Array.of(0x01);
const EMPTY_ROOT = sha256(new Uint8Array(0));

/** Root of the empty tree: SHA-256 of the empty string. Returns a fresh copy. */
export function emptyRoot(): Uint8Array {
  return EMPTY_ROOT.slice();
}

/** RFC 6962 leaf hash: SHA-256(0x00 || data). */
export function leafHash(data: Uint8Array): Uint8Array {
  return sha256.create().update(LEAF_PREFIX).update(data).digest();
}

/** RFC 6962 interior node hash: SHA-256(0x01 || left || right). */
export function nodeHash(left: Uint8Array, right: Uint8Array): Uint8Array {
  return sha256.create().update(NODE_PREFIX).update(left).update(right).digest();
}

// ---------------------------------------------------------------------------
// Sources of hashes for proof generation
// ---------------------------------------------------------------------------

/**
 * Anything that can return the hash of a complete ("perfect") subtree.
 * `subtreeHash(level, index)` is the root of the 2^level leaves
 * `[index·2^level, (index+1)·2^level)`; level 0 is the leaf hash itself.
 * Proof functions only ask for subtrees that lie entirely inside the tree size
 * they were given. Complete subtrees never change once filled, so a server can
 * store them as it appends and serve proofs for any historical size.
 */
export interface SubtreeHashSource {
  subtreeHash(level: number, index: number): Uint8Array;
}

/** Leaf hashes as an array, a `getLeafHash(i)` callback, or a {@link SubtreeHashSource}. */
export type HashSource = readonly Uint8Array[] | ((index: number) => Uint8Array) | SubtreeHashSource;

function assertHash(h: Uint8Array | undefined, what: string): Uint8Array {
  if (!(h instanceof Uint8Array) || h.length !== HASH_SIZE) {
    throw new TypeError(`${what} must be a ${HASH_SIZE}-byte Uint8Array`);
  }
  return h;
}

function assertSize(n: number, what: string): void {
  if (!Number.isSafeInteger(n) || n < 0) throw new RangeError(`${what} must be a non-negative safe integer, got ${n}`);
}

/** Root of the 2^level leaves starting at `start`, from leaf hashes: O(2^level) hashes, O(level) memory. */
function perfectFromLeaves(getLeaf: (i: number) => Uint8Array, level: number, start: number): Uint8Array {
  const count = 2 ** level;
  const stack: Uint8Array[] = [];
  for (let i = 0; i < count; i++) {
    let h = assertHash(getLeaf(start + i), `leaf hash ${start + i}`);
    // Merge once per trailing 1-bit of the number of leaves pushed so far.
    for (let j = i; j % 2 === 1; j = (j - 1) / 2) h = nodeHash(stack.pop()!, h);
    stack.push(h);
  }
  return stack[0];
}

function toSubtreeSource(src: HashSource): SubtreeHashSource {
  if (typeof src === 'function') {
    return { subtreeHash: (level, index) => perfectFromLeaves(src, level, index * 2 ** level) };
  }
  if (Array.isArray(src)) {
    const arr = src as readonly Uint8Array[];
    const get = (i: number): Uint8Array => {
      if (i >= arr.length) throw new RangeError(`leaf hash ${i} requested but only ${arr.length} given`);
      return arr[i];
    };
    return { subtreeHash: (level, index) => perfectFromLeaves(get, level, index * 2 ** level) };
  }
  if (src && typeof (src as SubtreeHashSource).subtreeHash === 'function') return src as SubtreeHashSource;
  throw new TypeError('expected an array of leaf hashes, a getLeafHash(i) function or a SubtreeHashSource');
}

/** Largest power of two strictly less than n (n ≥ 2): the RFC 6962 split point k. */
export function splitPoint(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

function log2Exact(p: number): number {
  let l = 0;
  while (2 ** l < p) l++;
  return l;
}

function isPowerOfTwo(n: number): boolean {
  return n >= 1 && 2 ** log2Exact(n) === n;
}

/**
 * MTH(D[start:end]) for a range produced by the RFC 6962 recursion: `start` is a
 * multiple of the largest power of two ≤ end − start, so the range decomposes into
 * complete subtrees of decreasing size. O(log n) subtree lookups and hashes.
 */
function rangeHash(src: SubtreeHashSource, start: number, end: number): Uint8Array {
  const pieces: Uint8Array[] = [];
  let lo = start;
  while (lo < end) {
    const size = end - lo;
    const p = isPowerOfTwo(size) ? size : splitPoint(size);
    if (lo % p !== 0) throw new Error(`internal: unaligned range [${start}, ${end})`);
    const level = log2Exact(p);
    pieces.push(assertHash(src.subtreeHash(level, lo / p), `subtree hash (${level}, ${lo / p})`));
    lo += p;
  }
  let h = pieces[pieces.length - 1];
  for (let i = pieces.length - 2; i >= 0; i--) h = nodeHash(pieces[i], h);
  return h;
}

// ---------------------------------------------------------------------------
// Roots
// ---------------------------------------------------------------------------

/** MTH of the given leaf hashes; the empty list gives {@link emptyRoot}. n − 1 hashes, O(log n) memory. */
export function rootFromLeafHashes(hashes: readonly Uint8Array[]): Uint8Array {
  const f = new MerkleFrontier();
  for (const h of hashes) f.append(h);
  return f.root();
}

/** Root of the first `treeSize` leaves of `source` (RFC 6962 MTH(D[treeSize])). */
export function rootAt(source: HashSource, treeSize: number): Uint8Array {
  assertSize(treeSize, 'treeSize');
  if (treeSize === 0) return emptyRoot();
  return rangeHash(toSubtreeSource(source), 0, treeSize);
}

// ---------------------------------------------------------------------------
// Proof generation (RFC 6962 §2.1.1, §2.1.2)
// ---------------------------------------------------------------------------

/**
 * Audit path PATH(index, D[treeSize]) of RFC 6962 §2.1.1, ordered from the leaf
 * upwards (as RFC 9162 verifiers expect).
 * @throws {RangeError} unless 0 ≤ index < treeSize.
 */
export function inclusionProof(source: HashSource, index: number, treeSize: number): Uint8Array[] {
  assertSize(treeSize, 'treeSize');
  assertSize(index, 'index');
  if (index >= treeSize) throw new RangeError(`index ${index} is outside a tree of size ${treeSize}`);
  const src = toSubtreeSource(source);
  const siblings: Uint8Array[] = [];
  let lo = 0;
  let size = treeSize;
  let m = index;
  while (size > 1) {
    const k = splitPoint(size);
    if (m < k) {
      siblings.push(rangeHash(src, lo + k, lo + size));
      size = k;
    } else {
      siblings.push(rangeHash(src, lo, lo + k));
      lo += k;
      m -= k;
      size -= k;
    }
  }
  return siblings.reverse();
}

/**
 * Consistency proof PROOF(m, D[n]) of RFC 6962 §2.1.2 (SUBPROOF with the
 * largest-power-of-two split). Empty when m = 0 or m = n.
 * @throws {RangeError} unless 0 ≤ m ≤ n.
 */
export function consistencyProof(source: HashSource, m: number, n: number): Uint8Array[] {
  assertSize(m, 'm');
  assertSize(n, 'n');
  if (m > n) throw new RangeError(`old size ${m} is larger than new size ${n}`);
  if (m === 0 || m === n) return [];
  const src = toSubtreeSource(source);
  const outer: Uint8Array[] = [];
  let lo = 0;
  let size = n;
  let mm = m;
  let wholeOldTree = true; // the "b" flag of SUBPROOF
  while (mm !== size) {
    const k = splitPoint(size);
    if (mm <= k) {
      outer.push(rangeHash(src, lo + k, lo + size));
      size = k;
    } else {
      outer.push(rangeHash(src, lo, lo + k));
      lo += k;
      mm -= k;
      size -= k;
      wholeOldTree = false;
    }
  }
  const proof = wholeOldTree ? [] : [rangeHash(src, lo, lo + size)];
  for (let i = outer.length - 1; i >= 0; i--) proof.push(outer[i]);
  return proof;
}

// ---------------------------------------------------------------------------
// Verification (RFC 9162 §2.1.3.2, §2.1.4.2). Never throws; malformed input → false.
// ---------------------------------------------------------------------------

function isHash(h: unknown): h is Uint8Array {
  return h instanceof Uint8Array && h.length === HASH_SIZE;
}

function isProof(p: unknown): p is Uint8Array[] {
  return Array.isArray(p) && p.every(isHash);
}

/** Root implied by an inclusion proof, or null if the proof has the wrong shape. */
export function rootFromInclusionProof(
  leaf: Uint8Array,
  index: number,
  treeSize: number,
  proof: readonly Uint8Array[],
): Uint8Array | null {
  if (!isHash(leaf) || !isProof(proof)) return null;
  if (!Number.isSafeInteger(index) || !Number.isSafeInteger(treeSize) || index < 0 || index >= treeSize) return null;
  let fn = index;
  let sn = treeSize - 1;
  let r = leaf;
  for (const p of proof) {
    if (sn === 0) return null;
    if (fn % 2 === 1 || fn === sn) {
      r = nodeHash(p, r);
      if (fn % 2 === 0) {
        while (fn % 2 === 0 && fn !== 0) {
          fn /= 2;
          sn = Math.floor(sn / 2);
        }
      }
    } else {
      r = nodeHash(r, p);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return sn === 0 ? r : null;
}

/** RFC 9162 §2.1.3.2: does `proof` show `leaf` (a leaf *hash*) at `index` in the tree of `treeSize` with `root`? */
export function verifyInclusion(
  leaf: Uint8Array,
  index: number,
  treeSize: number,
  proof: readonly Uint8Array[],
  root: Uint8Array,
): boolean {
  if (!isHash(root)) return false;
  const r = rootFromInclusionProof(leaf, index, treeSize, proof);
  return r !== null && bytesEqual(r, root);
}

/**
 * RFC 9162 §2.1.4.2: does `proof` show that the tree of size `m` with `rootM` is a
 * prefix of the tree of size `n` with `rootN`?
 * Edge cases: m = n requires an empty proof and equal roots; m = 0 requires an
 * empty proof and `rootM` equal to the empty-tree root (stricter than some
 * implementations, which ignore `rootM` there); m > n is always false.
 */
export function verifyConsistency(
  m: number,
  n: number,
  rootM: Uint8Array,
  rootN: Uint8Array,
  proof: readonly Uint8Array[],
): boolean {
  if (!isHash(rootM) || !isHash(rootN) || !isProof(proof)) return false;
  if (!Number.isSafeInteger(m) || !Number.isSafeInteger(n) || m < 0 || m > n) return false;
  if (m === 0) return proof.length === 0 && bytesEqual(rootM, EMPTY_ROOT);
  if (m === n) return proof.length === 0 && bytesEqual(rootM, rootN);
  if (proof.length === 0) return false;

  const path = isPowerOfTwo(m) ? [rootM, ...proof] : [...proof];
  let fn = m - 1;
  let sn = n - 1;
  while (fn % 2 === 1) {
    fn = (fn - 1) / 2;
    sn = Math.floor(sn / 2);
  }
  let fr = path[0];
  let sr = path[0];
  for (let i = 1; i < path.length; i++) {
    const c = path[i];
    if (sn === 0) return false;
    if (fn % 2 === 1 || fn === sn) {
      fr = nodeHash(c, fr);
      sr = nodeHash(c, sr);
      if (fn % 2 === 0) {
        while (fn % 2 === 0 && fn !== 0) {
          fn /= 2;
          sn = Math.floor(sn / 2);
        }
      }
    } else {
      sr = nodeHash(sr, c);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return sn === 0 && bytesEqual(fr, rootM) && bytesEqual(sr, rootN);
}

// ---------------------------------------------------------------------------
// Incremental structures
// ---------------------------------------------------------------------------

/** JSON form of a {@link MerkleFrontier}: tree size and complete-subtree hashes (hex), largest first. */
export interface MerkleFrontierJSON {
  size: number;
  hashes: string[];
}

function popcount(n: number): number {
  let c = 0;
  for (let x = n; x > 0; x = Math.floor(x / 2)) c += x % 2;
  return c;
}

/**
 * The right edge ("compact range" [0, size)) of an append-only Merkle tree: one
 * complete-subtree hash per 1-bit of `size`, largest subtree first. Appending is
 * amortised O(1) hashes (worst case log n), `root()` is O(log n), memory is
 * O(log n). Persist with `toJSON()` / `MerkleFrontier.fromJSON()`.
 */
export class MerkleFrontier {
  private _size = 0;
  private hashes: Uint8Array[] = [];

  /** Number of leaves appended so far. */
  get size(): number {
    return this._size;
  }

  /** Append one leaf hash (32 bytes; use {@link leafHash} on the leaf data). */
  append(leaf: Uint8Array): void {
    let h: Uint8Array = assertHash(leaf, 'leaf hash').slice();
    if (this._size + 1 > Number.MAX_SAFE_INTEGER) throw new RangeError('tree size overflow');
    for (let s = this._size; s % 2 === 1; s = (s - 1) / 2) h = nodeHash(this.hashes.pop()!, h);
    this.hashes.push(h);
    this._size++;
  }

  /** Current root hash (the empty-tree root when size is 0). */
  root(): Uint8Array {
    if (this.hashes.length === 0) return emptyRoot();
    let h = this.hashes[this.hashes.length - 1];
    for (let i = this.hashes.length - 2; i >= 0; i--) h = nodeHash(this.hashes[i], h);
    return h === this.hashes[this.hashes.length - 1] ? h.slice() : h;
  }

  /** Independent copy. */
  clone(): MerkleFrontier {
    return MerkleFrontier.fromJSON(this.toJSON());
  }

  toJSON(): MerkleFrontierJSON {
    return { size: this._size, hashes: this.hashes.map(toHex) };
  }

  /** @throws {TypeError} if the JSON is malformed or the hash count does not match the size. */
  static fromJSON(json: MerkleFrontierJSON): MerkleFrontier {
    if (!json || typeof json !== 'object') throw new TypeError('MerkleFrontier.fromJSON: expected an object');
    const { size, hashes } = json;
    if (!Number.isSafeInteger(size) || size < 0) throw new TypeError('MerkleFrontier.fromJSON: bad size');
    if (!Array.isArray(hashes) || hashes.length !== popcount(size)) {
      throw new TypeError(`MerkleFrontier.fromJSON: size ${size} needs ${popcount(size)} hashes`);
    }
    const f = new MerkleFrontier();
    f._size = size;
    f.hashes = hashes.map((h, i) => {
      if (typeof h !== 'string' || h.length !== 2 * HASH_SIZE) throw new TypeError(`MerkleFrontier.fromJSON: bad hash ${i}`);
      return fromHex(h);
    });
    return f;
  }
}

/**
 * In-memory Merkle tree that stores every complete subtree hash in flat
 * per-level buffers (≈ 2·n·32 bytes in total, no per-hash objects). Appends cost amortised O(1) hashes;
 * `root(size)`, `inclusionProof` and `consistencyProof` cost O(log n) for any
 * size up to the current one, so it can serve proofs for historical checkpoints.
 * Implements {@link SubtreeHashSource}, so it can be passed to the free functions.
 */
export class MerkleTree implements SubtreeHashSource {
  private levels: Uint8Array[] = [];
  private counts: number[] = [];
  private _size = 0;

  /** Build from leaf hashes. */
  static fromLeafHashes(hashes: Iterable<Uint8Array>): MerkleTree {
    const t = new MerkleTree();
    for (const h of hashes) t.append(h);
    return t;
  }

  get size(): number {
    return this._size;
  }

  /** Append a leaf hash; returns its index. */
  append(leaf: Uint8Array): number {
    let h = assertHash(leaf, 'leaf hash');
    const index = this._size;
    let level = 0;
    for (;;) {
      const i = this.push(level, h);
      if (i % 2 === 0) break; // left child: its parent is not complete yet
      h = nodeHash(this.get(level, i - 1), h);
      level++;
    }
    this._size++;
    return index;
  }

  /** Hash of leaf `index`. */
  leafHash(index: number): Uint8Array {
    return this.subtreeHash(0, index);
  }

  subtreeHash(level: number, index: number): Uint8Array {
    if (!Number.isSafeInteger(level) || level < 0 || !Number.isSafeInteger(index) || index < 0 ||
      level >= this.counts.length || index >= this.counts[level]) {
      throw new RangeError(`no complete subtree (${level}, ${index}) in a tree of size ${this._size}`);
    }
    return this.get(level, index).slice();
  }

  /** Root at `treeSize` (default: current size). */
  root(treeSize: number = this._size): Uint8Array {
    this.checkSize(treeSize);
    return rootAt(this, treeSize);
  }

  inclusionProof(index: number, treeSize: number = this._size): Uint8Array[] {
    this.checkSize(treeSize);
    return inclusionProof(this, index, treeSize);
  }

  consistencyProof(m: number, n: number = this._size): Uint8Array[] {
    this.checkSize(n);
    return consistencyProof(this, m, n);
  }

  private checkSize(treeSize: number): void {
    assertSize(treeSize, 'treeSize');
    if (treeSize > this._size) throw new RangeError(`tree size ${treeSize} exceeds current size ${this._size}`);
  }

  private get(level: number, index: number): Uint8Array {
    const off = index * HASH_SIZE;
    return this.levels[level].subarray(off, off + HASH_SIZE);
  }

  private push(level: number, h: Uint8Array): number {
    if (level === this.levels.length) {
      this.levels.push(new Uint8Array(HASH_SIZE * 16));
      this.counts.push(0);
    }
    const i = this.counts[level];
    let buf = this.levels[level];
    if ((i + 1) * HASH_SIZE > buf.length) {
      const bigger = new Uint8Array(buf.length * 2);
      bigger.set(buf);
      this.levels[level] = buf = bigger;
    }
    buf.set(h, i * HASH_SIZE);
    this.counts[level] = i + 1;
    return i;
  }
}
