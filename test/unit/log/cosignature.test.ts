import { describe, it, expect } from 'vitest';
import {
  COSIGNATURE_V1_LENGTH,
  NoteError,
  SIG_TYPE_COSIGNATURE_V1,
  addCosignature,
  computeKeyId,
  cosign,
  cosignatureMessage,
  formatCheckpoint,
  formatSignatureLine,
  formatVerifierKey,
  generateCosignerKey,
  generateSigningKey,
  leafHash,
  parseCosignature,
  parseSignatureLine,
  parseSignedNote,
  parseVerifierKey,
  signCheckpoint,
  utf8Decode,
  verifierKeyOf,
  verifyCheckpoint,
  verifyCosignature,
  verifyCosignedNote,
} from '../../../moderation/log/index.js';

const seed = (b: number): Uint8Array => new Uint8Array(32).fill(b);
const logKey = generateSigningKey(seed(1), 'parley.example/log');
const witness = generateCosignerKey(seed(5), 'witness.example/w1');
const witnessVkey = formatVerifierKey(verifierKeyOf(witness));
const body = formatCheckpoint({ origin: 'parley.example/log', treeSize: 12, rootHash: leafHash(new Uint8Array([4])) });
const T = 1_700_000_000;

describe('tlog-cosignature/v1', () => {
  it('uses signature type 0x04 for witness key IDs', () => {
    expect(witness.type).toBe(SIG_TYPE_COSIGNATURE_V1);
    expect(witness.keyId).toBe(computeKeyId('witness.example/w1', 0x04, witness.publicKey));
    const sameKeyAsNoteKey = generateSigningKey(seed(5), 'witness.example/w1');
    expect(sameKeyAsNoteKey.publicKey).toEqual(witness.publicKey);
    expect(sameKeyAsNoteKey.keyId).not.toBe(witness.keyId);
    expect(parseVerifierKey(witnessVkey)).toEqual(verifierKeyOf(witness));
    expect(witnessVkey.split('+')[2].startsWith('B')).toBe(true); // base64 of 0x04 || key
  });

  it('signs the documented message', () => {
    expect(utf8Decode(cosignatureMessage(body, 1679315147))).toBe(`cosignature/v1\ntime 1679315147\n${body}`);
  });

  it('round trips: cosign, format, parse, verify', () => {
    const sig = cosign(body, witness, T);
    expect(sig.signature.length).toBe(COSIGNATURE_V1_LENGTH);
    expect(parseCosignature(sig)?.timestamp).toBe(T);
    const line = formatSignatureLine(sig);
    expect(line.startsWith('— witness.example/w1 ')).toBe(true);
    expect(verifyCosignature(body, sig, witnessVkey)).toEqual({ ok: true, timestamp: T });
    expect(verifyCosignature(body, line, witnessVkey)).toEqual({ ok: true, timestamp: T });
    expect(verifyCosignature(body, parseSignatureLine(line), parseVerifierKey(witnessVkey))).toEqual({ ok: true, timestamp: T });
    expect(verifyCosignature(body, sig, witnessVkey, { notAfter: T })).toEqual({ ok: true, timestamp: T });
  });

  it('detects tampering', () => {
    const sig = cosign(body, witness, T);
    expect(verifyCosignature(body.replace('\n12\n', '\n13\n'), sig, witnessVkey)).toMatchObject({ ok: false, reason: 'bad-signature' });
    const laterTime = sig.signature.slice();
    laterTime[7] ^= 1; // claim a different timestamp
    expect(verifyCosignature(body, { ...sig, signature: laterTime }, witnessVkey)).toMatchObject({ ok: false, reason: 'bad-signature' });
    const badSig = sig.signature.slice();
    badSig[40] ^= 1;
    expect(verifyCosignature(body, { ...sig, signature: badSig }, witnessVkey)).toMatchObject({ ok: false, reason: 'bad-signature' });
    expect(verifyCosignature(body, { ...sig, signature: sig.signature.slice(1) }, witnessVkey)).toMatchObject({ ok: false, reason: 'malformed' });
    expect(verifyCosignature(body, sig, witnessVkey, { notAfter: T - 1 })).toMatchObject({ ok: false, reason: 'future-timestamp' });
  });

  it('rejects the wrong witness and non-witness keys', () => {
    const sig = cosign(body, witness, T);
    const other = generateCosignerKey(seed(6), 'witness.example/w1');
    expect(verifyCosignature(body, sig, formatVerifierKey(other))).toMatchObject({ ok: false, reason: 'wrong-key' });
    expect(verifyCosignature(body, { ...sig, keyId: other.keyId }, formatVerifierKey(other))).toMatchObject({ ok: false, reason: 'bad-signature' });
    const noteKey = formatVerifierKey(verifierKeyOf(generateSigningKey(seed(5), 'witness.example/w1')));
    expect(verifyCosignature(body, sig, noteKey)).toMatchObject({ ok: false, reason: 'bad-key' });
    expect(verifyCosignature(body, sig, 'nonsense')).toMatchObject({ ok: false, reason: 'bad-key' });
    expect(verifyCosignature(body, 'not a line', witnessVkey)).toMatchObject({ ok: false, reason: 'malformed' });
  });

  it('refuses to cosign with a note key, a bad timestamp or a malformed checkpoint', () => {
    expect(() => cosign(body, logKey, T)).toThrow(NoteError);
    expect(() => cosign(body, witness, -1)).toThrow(NoteError);
    expect(() => cosign(body, witness, 1.5)).toThrow(NoteError);
    expect(() => cosign('not a checkpoint\n', witness, T)).toThrow();
  });

  it('adds a cosignature to a signed checkpoint without disturbing the log signature', () => {
    const note = signCheckpoint(parseCheckpointInput(), logKey);
    const cosigned = addCosignature(note, witness, T);
    expect(parseSignedNote(cosigned).signatures).toHaveLength(2);
    expect(verifyCheckpoint(cosigned, formatVerifierKey(verifierKeyOf(logKey))).ok).toBe(true);
    expect(verifyCosignedNote(cosigned, witnessVkey)).toEqual({ ok: true, timestamp: T });
    expect(verifyCosignedNote(note, witnessVkey)).toMatchObject({ ok: false, reason: 'no-signature' });
    expect(verifyCosignedNote(cosigned.replace('\n12\n', '\n11\n'), witnessVkey)).toMatchObject({ ok: false, reason: 'bad-signature' });
    expect(verifyCosignedNote('junk', witnessVkey)).toMatchObject({ ok: false, reason: 'malformed' });
    const twice = addCosignature(cosigned, witness, T + 60);
    expect(verifyCosignedNote(twice, witnessVkey).ok).toBe(true);
  });

  it('reads timestamps from published cosignatures', () => {
    // C2SP tlog-cosignature example line (its "time 1679315147" message).
    const spec = parseSignatureLine(
      '— witness.example.com/w1 jWbPPwAAAABkGFDLEZMHwSRaJNiIDoe9DYn/zXcrtPHeolMI5OWXEhZCB9dlrDJsX3b2oyin1nPZqhf5nNo0xUe+mbIUBkBIfZ+qnA==',
    );
    expect(spec.keyId).toBe(0x8d66cf3f);
    expect(parseCosignature(spec)?.timestamp).toBe(1679315147);
    // transparency-dev/formats CosignatureTimestamp test vector.
    const formats = parseSignatureLine('— w ZGhGuQAAAABm/qTPeyKXD+R2rzyQsxPiP8mXum7qq/iF0u4vanlqJyocWODBt97w9uL+8qT7S5gxEHWWOworDcFiEBYJXORmnFBOBA==');
    expect(parseCosignature(formats)?.timestamp).toBe(1727964367);
    // A plain (untimestamped) Ed25519 note signature is not a cosignature.
    const plain = parseSignatureLine('— w eQjRQm6eSKzFoiYalgwCPXu2y3ijtg68is9M46JKxuZB+dRfTmeQeDBoXnvxZx2ugnkyV+MUMLXpWs1hPb/W/4xkNQY=');
    expect(parseCosignature(plain)).toBeNull();
  });
});

function parseCheckpointInput() {
  return { origin: 'parley.example/log', treeSize: 12, rootHash: leafHash(new Uint8Array([4])) };
}
