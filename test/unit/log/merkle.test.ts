import { describe, it, expect } from 'vitest';
import { prng } from '../../support/prng.js';
import {
  MerkleFrontier,
  MerkleTree,
  consistencyProof,
  emptyRoot,
  fromHex,
  inclusionProof,
  leafHash,
  nodeHash,
  rootAt,
  rootFromInclusionProof,
  rootFromLeafHashes,
  toHex,
  verifyConsistency,
  verifyInclusion,
  type SubtreeHashSource,
} from '../../../moderation/log/index.js';

// Published RFC 6962 test vectors (transparency-dev/merkle testonly, certificate-transparency-go).
const LEAF_INPUTS = ['', '00', '10', '2021', '3031', '40414243', '5051525354555657', '606162636465666768696a6b6c6d6e6f'].map(fromHex);
const LEAF_HASHES = [
  '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
  '96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7',
  '0298d122906dcfc10892cb53a73992fc5b9f493ea4c9badb27b791b4127a7fe7',
  '07506a85fd9dd2f120eb694f86011e5bb4662e5c415a62917033d4a9624487e7',
  'bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b',
  '4271a26be0d8a84f0bd54c8c302e7cb3a3b5d1fa6780a40bcce2873477dab658',
  'b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f',
  '46f6ffadd3d06a09ff3c5860d2755c8b9819db7df44251788c7d8e3180de8eb1',
];
const ROOTS = [
  'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
  '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
  'fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125',
  'aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77',
  'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
  '4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4',
  '76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef',
  'ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c',
  '5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328',
];
// [index (0-based), tree size, proof]
const INCLUSION_VECTORS: [number, number, string[]][] = [
  [0, 1, []],
  [0, 8, [
    '96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7',
    '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
    '6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4',
  ]],
  [5, 8, [
    'bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b',
    'ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0',
    'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
  ]],
  [2, 3, ['fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125']],
  [1, 5, [
    '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
    '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
    'bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b',
  ]],
];
// [m, n, proof]
const CONSISTENCY_VECTORS: [number, number, string[]][] = [
  [1, 1, []],
  [1, 8, [
    '96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7',
    '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
    '6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4',
  ]],
  [6, 8, [
    '0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a',
    'ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0',
    'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
  ]],
  [2, 5, [
    '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
    'bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b',
  ]],
  [6, 7, [
    '0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a',
    'b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f',
    'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
  ]],
];

const vectorLeafHashes = LEAF_INPUTS.map(leafHash);
const hexes = (hs: Uint8Array[]): string[] => hs.map(toHex);
const root = (size: number): Uint8Array => fromHex(ROOTS[size]);

// Straight transcription of the RFC 6962 §2.1 recursive definitions, used as an oracle.
function refSplit(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}
function refMTH(d: Uint8Array[]): Uint8Array {
  if (d.length === 0) return emptyRoot();
  if (d.length === 1) return d[0];
  const k = refSplit(d.length);
  return nodeHash(refMTH(d.slice(0, k)), refMTH(d.slice(k)));
}
function refPath(m: number, d: Uint8Array[]): Uint8Array[] {
  if (d.length <= 1) return [];
  const k = refSplit(d.length);
  return m < k
    ? [...refPath(m, d.slice(0, k)), refMTH(d.slice(k))]
    : [...refPath(m - k, d.slice(k)), refMTH(d.slice(0, k))];
}
function refSubproof(m: number, d: Uint8Array[], b: boolean): Uint8Array[] {
  const n = d.length;
  if (m === n) return b ? [] : [refMTH(d)];
  const k = refSplit(n);
  return m <= k
    ? [...refSubproof(m, d.slice(0, k), b), refMTH(d.slice(k))]
    : [...refSubproof(m - k, d.slice(k), false), refMTH(d.slice(0, k))];
}

function flip(proof: Uint8Array[], which: number): Uint8Array[] {
  const copy = proof.map((p) => p.slice());
  copy[which][which % 32] ^= 0x10;
  return copy;
}


const MAX_N = 4100;
const leaves: Uint8Array[] = [];
for (let i = 0; i < MAX_N; i++) {
  const b = new Uint8Array(4);
  new DataView(b.buffer).setUint32(0, i);
  leaves.push(leafHash(b));
}
const tree = MerkleTree.fromLeafHashes(leaves);
const roots: Uint8Array[] = [emptyRoot()];
{
  const f = new MerkleFrontier();
  for (const l of leaves) {
    f.append(l);
    roots.push(f.root());
  }
}

describe('RFC 6962 known-answer vectors', () => {
  it('hashes leaves with the 0x00 prefix', () => {
    expect(hexes(vectorLeafHashes)).toEqual(LEAF_HASHES);
  });

  it('computes the root of every tree size 0..8', () => {
    for (let n = 0; n <= 8; n++) {
      expect(toHex(rootFromLeafHashes(vectorLeafHashes.slice(0, n))), `size ${n}`).toBe(ROOTS[n]);
      expect(toHex(rootAt(vectorLeafHashes, n))).toBe(ROOTS[n]);
      expect(toHex(refMTH(vectorLeafHashes.slice(0, n)))).toBe(ROOTS[n]);
    }
    expect(toHex(emptyRoot())).toBe(ROOTS[0]);
  });

  it('produces and verifies the published inclusion proofs', () => {
    for (const [index, size, proof] of INCLUSION_VECTORS) {
      expect(hexes(inclusionProof(vectorLeafHashes, index, size)), `${index}/${size}`).toEqual(proof);
      const p = proof.map(fromHex);
      expect(verifyInclusion(vectorLeafHashes[index], index, size, p, root(size))).toBe(true);
      expect(verifyInclusion(vectorLeafHashes[index], index, size, p, root(size - 1))).toBe(false);
      if (p.length > 0) expect(verifyInclusion(vectorLeafHashes[index], index, size, flip(p, 0), root(size))).toBe(false);
    }
  });

  it('produces and verifies the published consistency proofs', () => {
    for (const [m, n, proof] of CONSISTENCY_VECTORS) {
      expect(hexes(consistencyProof(vectorLeafHashes, m, n)), `${m}->${n}`).toEqual(proof);
      const p = proof.map(fromHex);
      expect(verifyConsistency(m, n, root(m), root(n), p)).toBe(true);
      if (p.length > 0) {
        expect(verifyConsistency(m, n, root(m - 1), root(n), p)).toBe(false);
        expect(verifyConsistency(m, n, root(n), root(m), p)).toBe(false);
        for (let i = 0; i < p.length; i++) expect(verifyConsistency(m, n, root(m), root(n), flip(p, i))).toBe(false);
      }
    }
  });

  it('the frontier holds the expected complete subtrees', () => {
    const f = new MerkleFrontier();
    for (const h of vectorLeafHashes.slice(0, 7)) f.append(h);
    expect(f.toJSON()).toEqual({
      size: 7,
      hashes: [
        'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
        '0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a',
        'b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f',
      ],
    });
  });
});

describe('proof generation agrees with the RFC recursion', () => {
  it('inclusion and consistency proofs for every size up to 40, from arrays, callbacks and MerkleTree', () => {
    const get = (i: number): Uint8Array => leaves[i];
    for (let n = 1; n <= 40; n++) {
      const d = leaves.slice(0, n);
      for (let i = 0; i < n; i++) {
        const want = hexes(refPath(i, d));
        expect(hexes(inclusionProof(d, i, n))).toEqual(want);
        expect(hexes(inclusionProof(get, i, n))).toEqual(want);
        expect(hexes(tree.inclusionProof(i, n))).toEqual(want);
      }
      for (let m = 1; m <= n; m++) {
        const want = hexes(refSubproof(m, d, true));
        expect(hexes(consistencyProof(d, m, n))).toEqual(want);
        expect(hexes(tree.consistencyProof(m, n))).toEqual(want);
      }
    }
  });
});

describe('property tests over many tree sizes', () => {
  it('frontier root equals a full recomputation at every size up to 4100', () => {
    for (let n = 0; n <= 300; n++) expect(toHex(roots[n])).toBe(toHex(refMTH(leaves.slice(0, n))));
    for (let n = 0; n <= MAX_N; n++) {
      expect(bytesHex(tree.root(n))).toBe(bytesHex(roots[n]));
    }
    for (const n of [1023, 1024, 1025, 4096, 4097]) expect(toHex(rootFromLeafHashes(leaves.slice(0, n)))).toBe(toHex(roots[n]));
  });

  // These loops run ~10^5 verifications, so failures are collected and asserted once
  // (a vitest expect() per verification would dominate the runtime).
  it('every inclusion proof verifies for every size 1..300, and tampered ones fail', () => {
    const rnd = prng(1);
    const failures: string[] = [];
    const want = (cond: boolean, what: string): void => {
      if (!cond) failures.push(what);
    };
    let verified = 0;
    for (let n = 1; n <= 300; n++) {
      const r = roots[n];
      for (let i = 0; i < n; i++) {
        const p = tree.inclusionProof(i, n);
        want(verifyInclusion(leaves[i], i, n, p, r), `valid ${i}/${n}`);
        verified++;
        if (p.length > 0) want(!verifyInclusion(leaves[i], i, n, flip(p, Math.floor(rnd() * p.length)), r), `flipped ${i}/${n}`);
        if (i % 5 === 0) {
          want(!verifyInclusion(leaves[(i + 1) % MAX_N], i, n, p, r), `wrong leaf ${i}/${n}`);
          if (n > 1) want(!verifyInclusion(leaves[i], (i + 1) % n, n, p, r), `wrong index ${i}/${n}`);
          want(!verifyInclusion(leaves[i], i, n + 1, p, roots[n + 1]), `wrong size ${i}/${n}`);
          want(!verifyInclusion(leaves[i], i, n, [...p, r], r), `extended ${i}/${n}`);
          if (p.length > 0) want(!verifyInclusion(leaves[i], i, n, p.slice(0, -1), r), `truncated ${i}/${n}`);
        }
      }
    }
    expect(failures).toEqual([]);
    expect(verified).toBe((300 * 301) / 2);
  });

  it('sampled inclusion proofs verify for large sizes around powers of two', () => {
    const rnd = prng(2);
    for (const n of [511, 512, 513, 1000, 1023, 1024, 1025, 2047, 2048, 2049, 3001, 4095, 4096, 4097, 4100]) {
      const sample = new Set([0, 1, n >> 1, n - 2, n - 1]);
      while (sample.size < 40) sample.add(Math.floor(rnd() * n));
      for (const i of sample) {
        const p = tree.inclusionProof(i, n);
        expect(verifyInclusion(leaves[i], i, n, p, roots[n])).toBe(true);
        expect(verifyInclusion(leaves[i], i, n, flip(p, Math.floor(rnd() * p.length)), roots[n])).toBe(false);
        expect(verifyInclusion(leaves[i], i, n, p, roots[n - 1])).toBe(false);
      }
    }
  });

  it('consistency proofs verify for all (m, n) with n ≤ 128, sampled up to 300, and tampered ones fail', () => {
    const rnd = prng(3);
    const failures: string[] = [];
    const want = (cond: boolean, what: string): void => {
      if (!cond) failures.push(what);
    };
    let pairs = 0;
    for (let n = 1; n <= 300; n++) {
      const ms = n <= 128
        ? Array.from({ length: n + 1 }, (_, m) => m)
        : [0, 1, 2, n >> 1, n - 1, n, ...Array.from({ length: 10 }, () => 1 + Math.floor(rnd() * n))];
      for (const m of ms) {
        const p = tree.consistencyProof(m, n);
        want(verifyConsistency(m, n, roots[m], roots[n], p), `valid ${m}->${n}`);
        pairs++;
        if (p.length > 0) {
          want(!verifyConsistency(m, n, roots[m], roots[n], flip(p, Math.floor(rnd() * p.length))), `flipped ${m}->${n}`);
          if (m % 3 === 0) {
            want(!verifyConsistency(m, n, roots[n], roots[m], p), `swapped roots ${m}->${n}`);
            want(!verifyConsistency(m, n, roots[m], roots[n], p.slice(0, -1)), `truncated ${m}->${n}`);
            want(!verifyConsistency(m, n, roots[m], roots[n], [...p, roots[n]]), `extended ${m}->${n}`);
            if (m > 1) want(!verifyConsistency(m - 1, n, roots[m - 1], roots[n], p), `wrong m ${m}->${n}`);
            want(!verifyConsistency(m, n + 1, roots[m], roots[n + 1], p), `wrong n ${m}->${n}`);
          }
        }
      }
    }
    expect(failures).toEqual([]);
    expect(pairs).toBeGreaterThan(10_000);
  });

  it('sampled consistency proofs verify for large sizes', () => {
    const rnd = prng(4);
    for (const n of [512, 513, 1024, 1025, 2048, 2049, 4095, 4096, 4097, 4100]) {
      for (const m of [1, 2, 255, 256, 257, 511, 512, n - 1, n, ...Array.from({ length: 20 }, () => 1 + Math.floor(rnd() * n))]) {
        if (m > n) continue;
        const p = tree.consistencyProof(m, n);
        expect(verifyConsistency(m, n, roots[m], roots[n], p)).toBe(true);
        if (p.length > 0) expect(verifyConsistency(m, n, roots[m], roots[n], flip(p, Math.floor(rnd() * p.length)))).toBe(false);
      }
    }
  });
});

function bytesHex(b: Uint8Array): string {
  return toHex(b);
}

describe('edge cases', () => {
  it('rejects out-of-range arguments', () => {
    expect(() => inclusionProof(leaves, 5, 5)).toThrow(RangeError);
    expect(() => inclusionProof(leaves, -1, 5)).toThrow(RangeError);
    expect(() => consistencyProof(leaves, 6, 5)).toThrow(RangeError);
    expect(() => tree.inclusionProof(0, MAX_N + 1)).toThrow(RangeError);
    expect(() => rootAt(leaves.slice(0, 3), 4)).toThrow(RangeError);
    expect(verifyInclusion(leaves[0], 1, 1, [], leaves[0])).toBe(false);
    expect(verifyInclusion(leaves[0], 0, 0, [], leaves[0])).toBe(false);
    expect(verifyInclusion(leaves[0], 0, 1, [], leaves[0])).toBe(true);
    expect(verifyInclusion(leaves[0].slice(1), 0, 1, [], leaves[0].slice(1))).toBe(false);
    expect(verifyInclusion(leaves[0], 0, 1, [], leaves[1])).toBe(false);
    expect(verifyConsistency(2, 1, roots[2], roots[1], [])).toBe(false);
    expect(verifyConsistency(1, 2, roots[1], roots[2], [])).toBe(false);
  });

  it('handles the trivial consistency cases strictly', () => {
    expect(consistencyProof(leaves, 0, 10)).toEqual([]);
    expect(consistencyProof(leaves, 10, 10)).toEqual([]);
    expect(verifyConsistency(0, 10, emptyRoot(), roots[10], [])).toBe(true);
    expect(verifyConsistency(0, 10, roots[3], roots[10], [])).toBe(false);
    expect(verifyConsistency(0, 0, emptyRoot(), emptyRoot(), [])).toBe(true);
    expect(verifyConsistency(10, 10, roots[10], roots[10], [])).toBe(true);
    expect(verifyConsistency(10, 10, roots[10], roots[9], [])).toBe(false);
    expect(verifyConsistency(10, 10, roots[10], roots[10], [roots[1]])).toBe(false);
  });

  it('rootFromInclusionProof rejects proofs of the wrong length', () => {
    const p = tree.inclusionProof(3, 10);
    expect(rootFromInclusionProof(leaves[3], 3, 10, p)).toEqual(roots[10]);
    expect(rootFromInclusionProof(leaves[3], 3, 10, p.slice(1))).toBeNull();
    expect(rootFromInclusionProof(leaves[3], 3, 10, [...p, p[0]])).toBeNull();
  });

  it('uses no 32-bit arithmetic: proofs for a tree of 2^40 + 12345 leaves', () => {
    // All leaves equal, so every complete subtree of a level has the same hash.
    const levels: Uint8Array[] = [leafHash(new Uint8Array([7]))];
    for (let l = 1; l <= 52; l++) levels.push(nodeHash(levels[l - 1], levels[l - 1]));
    const src: SubtreeHashSource = { subtreeHash: (level) => levels[level] };
    const n = 2 ** 40 + 12345;
    const r = rootAt(src, n);
    for (const i of [0, 2 ** 32 - 1, 2 ** 32, 2 ** 32 + 1, 2 ** 39 + 5, n - 2, n - 1]) {
      const p = inclusionProof(src, i, n);
      if (i < 2 ** 40) expect(p.length).toBe(41);
      expect(verifyInclusion(levels[0], i, n, p, r)).toBe(true);
      expect(verifyInclusion(levels[0], i, n, flip(p, 1), r)).toBe(false);
    }
    for (const m of [1, 2 ** 31 + 3, 2 ** 33, 2 ** 40, n - 1]) {
      const p = consistencyProof(src, m, n);
      expect(verifyConsistency(m, n, rootAt(src, m), r, p)).toBe(true);
      expect(verifyConsistency(m, n, rootAt(src, m), r, flip(p, 0))).toBe(false);
    }
  });
});

describe('MerkleFrontier persistence', () => {
  it('round-trips through JSON and keeps appending identically', () => {
    const f = new MerkleFrontier();
    for (let i = 0; i < 1000; i++) {
      f.append(leaves[i]);
      if (i % 97 === 0) {
        const json = JSON.parse(JSON.stringify(f));
        const g = MerkleFrontier.fromJSON(json);
        expect(g.size).toBe(i + 1);
        expect(toHex(g.root())).toBe(toHex(roots[i + 1]));
        g.append(leaves[i + 1]);
        expect(toHex(g.root())).toBe(toHex(roots[i + 2]));
      }
    }
    expect(f.clone().toJSON()).toEqual(f.toJSON());
    expect(f.toJSON().hashes.length).toBe(6); // popcount(1000)
  });

  it('rejects inconsistent JSON', () => {
    expect(() => MerkleFrontier.fromJSON({ size: 3, hashes: [toHex(leaves[0])] })).toThrow(TypeError);
    expect(() => MerkleFrontier.fromJSON({ size: 1, hashes: ['zz'] })).toThrow(TypeError);
    expect(() => MerkleFrontier.fromJSON({ size: -1, hashes: [] })).toThrow(TypeError);
    expect(MerkleFrontier.fromJSON({ size: 0, hashes: [] }).root()).toEqual(emptyRoot());
  });

  it('rejects leaf hashes of the wrong size', () => {
    expect(() => new MerkleFrontier().append(new Uint8Array(31))).toThrow(TypeError);
    expect(() => new MerkleTree().append(new Uint8Array(33))).toThrow(TypeError);
  });

  it('does not alias caller buffers', () => {
    const f = new MerkleFrontier();
    const h = leaves[0].slice();
    f.append(h);
    h.fill(0);
    expect(toHex(f.root())).toBe(toHex(roots[1]));
    const r = f.root();
    r.fill(0);
    expect(toHex(f.root())).toBe(toHex(roots[1]));
  });
});
