import { describe, it, expect } from 'vitest';
import { sha256 } from '@noble/hashes/sha2.js';
import { commit, concatBytes, toHex, utf8Encode, verifyCommitment } from '../../../moderation/log/index.js';

const salt = new Uint8Array(32).map((_, i) => i);

describe('salted commitments', () => {
  it('is SHA-256 over the documented domain-separated encoding', () => {
    const expected = sha256(
      concatBytes(utf8Encode('parley-commitment/v1\n'), Uint8Array.of(0, 0, 0, 32), salt, utf8Encode('alice@example.org')),
    );
    expect(commit('alice@example.org', salt)).toBe(toHex(expected));
    expect(commit('alice@example.org', salt)).toMatch(/^[0-9a-f]{64}$/);
  });

  it('opens only with the same value and salt', () => {
    const c = commit('alice@example.org', salt);
    expect(verifyCommitment('alice@example.org', salt, c)).toBe(true);
    expect(verifyCommitment('alice@example.org', salt, c.toUpperCase())).toBe(true);
    expect(verifyCommitment('Alice@example.org', salt, c)).toBe(false);
    const otherSalt = salt.slice();
    otherSalt[31] ^= 1;
    expect(verifyCommitment('alice@example.org', otherSalt, c)).toBe(false);
    expect(commit('alice@example.org', otherSalt)).not.toBe(c);
  });

  it('cannot shift bytes between salt and value', () => {
    const s16 = salt.slice(0, 16);
    const s17 = salt.slice(0, 17);
    const v = String.fromCharCode(salt[16]) + 'x';
    expect(commit(v, s16)).not.toBe(commit('x', s17));
  });

  it('never throws when verifying malformed input', () => {
    const c = commit('v', salt);
    expect(verifyCommitment('v', salt, c.slice(1))).toBe(false);
    expect(verifyCommitment('v', salt, 'zz' + c.slice(2))).toBe(false);
    expect(verifyCommitment('v', new Uint8Array(8), c)).toBe(false);
    expect(verifyCommitment('\ud800', salt, c)).toBe(false);
    expect(verifyCommitment(undefined as unknown as string, salt, c)).toBe(false);
  });

  it('rejects short salts and lone surrogates when committing', () => {
    expect(() => commit('v', new Uint8Array(15))).toThrow(TypeError);
    expect(() => commit('\udfff', salt)).toThrow(TypeError);
    expect(commit('', salt)).toMatch(/^[0-9a-f]{64}$/);
  });
});
