import { describe, it, expect } from 'vitest';
import {
  CheckpointError,
  NoteError,
  SIG_TYPE_COSIGNATURE_V1,
  SIG_TYPE_ED25519,
  computeKeyId,
  formatCheckpoint,
  formatSignedNote,
  formatSignerKey,
  formatVerifierKey,
  fromBase64,
  generateSigningKey,
  leafHash,
  parseCheckpoint,
  parseSignatureLine,
  parseSignedNote,
  parseSignerKey,
  parseVerifierKey,
  signCheckpoint,
  signNoteText,
  toBase64,
  verifierKeyOf,
  verifyCheckpoint,
  verifyNoteSignature,
  type VerifierKey,
} from '../../../moderation/log/index.js';

// golang.org/x/mod/sumdb/note example and test vector.
const PETER_SKEY = 'PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz';
const PETER_VKEY = 'PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW';
const PETER_TEXT = "If you think cryptography is the answer to your problem,\nthen you don't know what your problem is.\n";
const PETER_NOTE =
  PETER_TEXT + '\n— PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n';
// C2SP tlog-checkpoint example body.
const C2SP_BODY = 'example.com/behind-the-sofa\n20852163\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n';

const seed = (b: number): Uint8Array => new Uint8Array(32).fill(b);
const ROOT = leafHash(new Uint8Array([1, 2, 3]));
const logKey = generateSigningKey(seed(1), 'parley.example/log');
const logVkey = formatVerifierKey(verifierKeyOf(logKey));

describe('checkpoint body', () => {
  it('formats and parses round trip, with and without extension lines', () => {
    const cp = { origin: 'parley.example/log', treeSize: 42, rootHash: ROOT };
    const body = formatCheckpoint(cp);
    expect(body).toBe(`parley.example/log\n42\n${toBase64(ROOT)}\n`);
    expect(parseCheckpoint(body)).toEqual({ ...cp, extensions: [] });
    const withExt = formatCheckpoint({ ...cp, extensions: ['timestamp 1700000000', 'x'] });
    expect(withExt.endsWith('\ntimestamp 1700000000\nx\n')).toBe(true);
    expect(parseCheckpoint(withExt).extensions).toEqual(['timestamp 1700000000', 'x']);
    expect(parseCheckpoint(formatCheckpoint({ ...cp, treeSize: 0 })).treeSize).toBe(0);
  });

  it('parses the C2SP example', () => {
    const cp = parseCheckpoint(C2SP_BODY);
    expect(cp.origin).toBe('example.com/behind-the-sofa');
    expect(cp.treeSize).toBe(20852163);
    expect(toBase64(cp.rootHash)).toBe('CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=');
    expect(formatCheckpoint(cp)).toBe(C2SP_BODY);
  });

  it('rejects malformed bodies', () => {
    const r = toBase64(ROOT);
    const bad = [
      `o\n1\n${r}`, // no final newline
      `o\n1\n`, // missing root
      `\n1\n${r}\n`, // empty origin
      `o\n01\n${r}\n`, // leading zero
      `o\n-1\n${r}\n`,
      `o\n+1\n${r}\n`,
      `o\n 1\n${r}\n`,
      `o\n1.0\n${r}\n`,
      `o\n9007199254740992\n${r}\n`, // 2^53: not a safe integer
      `o\n1\n${toBase64(ROOT.slice(1))}\n`, // 31 bytes
      `o\n1\n${r.slice(0, -1)}\n`, // bad base64
      `o\n1\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2J=\n`, // non-canonical base64 trailing bits
      `o\n1\n${r}\n\next\n`, // empty extension line
      `o\n1\n${r}\n\n`,
      `o\tx\n1\n${r}\n`, // control character
    ];
    for (const b of bad) expect(() => parseCheckpoint(b), JSON.stringify(b)).toThrow(CheckpointError);
    expect(() => formatCheckpoint({ origin: 'o', treeSize: 1.5, rootHash: ROOT })).toThrow(CheckpointError);
    expect(() => formatCheckpoint({ origin: 'o', treeSize: 1, rootHash: ROOT.slice(1) })).toThrow(CheckpointError);
    expect(() => formatCheckpoint({ origin: 'o\nx', treeSize: 1, rootHash: ROOT })).toThrow(CheckpointError);
    expect(() => formatCheckpoint({ origin: 'o', treeSize: 1, rootHash: ROOT, extensions: [''] })).toThrow(CheckpointError);
  });
});

describe('signed note (sumdb/note vectors)', () => {
  it('computes key IDs as SHA-256(name || 0x0A || type || key)[:4]', () => {
    const peter = parseVerifierKey(PETER_VKEY);
    expect(computeKeyId('PeterNeumann', SIG_TYPE_ED25519, peter.publicKey)).toBe(0xc74f20a3);
    // transparency-dev/formats vectors: a type 0x01 key whose base64 contains '+', and a type 0x04 witness key.
    expect(parseVerifierKey('TEST+7997405c+AQcC+FTVKf0jlTdHDY3rbevmnKxxPjigCXlVtGe6RIr6').keyId).toBe(0x7997405c);
    const witness = parseVerifierKey('remora.n621.de+da77ade7+BOvN63jn/bLvkieywe8R6UYAtVtNbZpXh34x7onlmtw2');
    expect(witness.type).toBe(SIG_TYPE_COSIGNATURE_V1);
    expect(witness.keyId).toBe(0xda77ade7);
  });

  it('reproduces the published PeterNeumann note byte for byte', () => {
    const signer = parseSignerKey(PETER_SKEY);
    expect(formatVerifierKey(verifierKeyOf(signer))).toBe(PETER_VKEY);
    expect(formatSignerKey(signer)).toBe(PETER_SKEY);
    const note = formatSignedNote({ text: PETER_TEXT, signatures: [signNoteText(PETER_TEXT, signer)] });
    expect(note).toBe(PETER_NOTE);
  });

  it('parses and verifies the published note, and rejects alterations', () => {
    const key = parseVerifierKey(PETER_VKEY);
    const note = parseSignedNote(PETER_NOTE);
    expect(note.text).toBe(PETER_TEXT);
    expect(note.signatures).toHaveLength(1);
    expect(note.signatures[0].name).toBe('PeterNeumann');
    expect(note.signatures[0].keyId).toBe(0xc74f20a3);
    expect(verifyNoteSignature(note.text, note.signatures[0], key)).toBe(true);
    expect(verifyNoteSignature(note.text.replace('cryptography', 'cryptographY'), note.signatures[0], key)).toBe(false);
    expect(formatSignedNote(note)).toBe(PETER_NOTE);
  });

  it('rejects every mangling of a verifier key string', () => {
    const rejected: string[] = [];
    const accepted: string[] = [];
    for (let i = 0; i <= PETER_VKEY.length; i++) {
      for (let j = i + 1; j <= PETER_VKEY.length; j++) {
        if (i === 0 && j === PETER_VKEY.length) continue;
        const k = PETER_VKEY.slice(i, j);
        try {
          parseVerifierKey(k);
          accepted.push(k);
        } catch (e) {
          expect(e).toBeInstanceOf(NoteError);
          rejected.push(k);
        }
      }
    }
    expect(accepted).toEqual([]);
    for (let i = 0; i < PETER_VKEY.length; i++) {
      const k = PETER_VKEY.slice(0, i) + String.fromCharCode(PETER_VKEY.charCodeAt(i) + 1) + PETER_VKEY.slice(i + 1);
      expect(() => parseVerifierKey(k), k).toThrow(NoteError);
    }
    expect(() => parseVerifierKey('PeterNeumann+C74F20A3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW')).toThrow(NoteError);
    // Type 0x02 (ECDSA) is not supported; an all-zero key is small order.
    expect(() => parseVerifierKey(`x+00000000+${toBase64(new Uint8Array([2, ...new Uint8Array(32)]))}`)).toThrow(NoteError);
    const zero = new Uint8Array(32);
    zero[0] = 1; // encodes the identity point
    const id = computeKeyId('x', 1, zero).toString(16).padStart(8, '0');
    expect(() => parseVerifierKey(`x+${id}+${toBase64(new Uint8Array([1, ...zero]))}`)).toThrow(/not a valid Ed25519/);
  });

  it('generates keys deterministically from the seed passed in', () => {
    const a = generateSigningKey(seed(9), 'a.example/k');
    const b = generateSigningKey(seed(9), 'a.example/k');
    expect(formatSignerKey(a)).toBe(formatSignerKey(b));
    expect(parseSignerKey(formatSignerKey(a))).toEqual(a);
    expect(parseVerifierKey(formatVerifierKey(a))).toEqual(verifierKeyOf(a));
    expect(generateSigningKey(seed(10), 'a.example/k').publicKey).not.toEqual(a.publicKey);
    expect(() => generateSigningKey(new Uint8Array(31), 'x')).toThrow(NoteError);
    expect(() => generateSigningKey(seed(1), 'has space')).toThrow(NoteError);
    expect(() => generateSigningKey(seed(1), 'has+plus')).toThrow(NoteError);
    expect(() => generateSigningKey(seed(1), '')).toThrow(NoteError);
  });

  it('rejects malformed notes', () => {
    const sig = PETER_NOTE.slice(PETER_TEXT.length + 1);
    const bad = [
      PETER_TEXT + sig, // no blank line
      PETER_TEXT + '\n', // no signatures
      PETER_TEXT + '\n' + sig.slice(0, -1), // signature line without newline
      PETER_TEXT + '\n' + sig.replace('—', '-'), // hyphen instead of em dash
      PETER_TEXT + '\n' + sig.replace('— PeterNeumann', '—  PeterNeumann'),
      PETER_TEXT + '\n' + sig.replace('x08go', 'x08g!'), // bad base64
      PETER_TEXT + '\n' + sig.replace('x08go/ZJ', 'x08go/Z'), // base64 length not a multiple of 4
      PETER_TEXT + '\n— PeterNeumann AAAA\n', // shorter than key ID + 1 byte
      PETER_TEXT.replace('problem,', 'problem,\t') + '\n' + sig, // control character
      PETER_TEXT + '\n' + sig.repeat(101), // too many signatures
    ];
    for (const n of bad) expect(() => parseSignedNote(n), JSON.stringify(n)).toThrow(NoteError);
    expect(parseSignedNote(PETER_TEXT + '\n' + sig.repeat(100)).signatures).toHaveLength(100);
    expect(() => formatSignedNote({ text: 'no newline', signatures: [] })).toThrow(NoteError);
    expect(() => formatSignedNote({ text: 'x\n', signatures: [] })).toThrow(NoteError);
  });

  it('separates text from signatures at the last blank line', () => {
    const text = 'line one\n\nline three after a blank line\n';
    const note = formatSignedNote({ text, signatures: [signNoteText(text, logKey)] });
    const parsed = parseSignedNote(note);
    expect(parsed.text).toBe(text);
    expect(verifyNoteSignature(parsed.text, parsed.signatures[0], verifierKeyOf(logKey))).toBe(true);
  });

  it('parses single signature lines', () => {
    const line = PETER_NOTE.slice(PETER_TEXT.length + 1);
    expect(parseSignatureLine(line)).toEqual(parseSignedNote(PETER_NOTE).signatures[0]);
    expect(parseSignatureLine(line.trimEnd()).keyId).toBe(0xc74f20a3);
    expect(() => parseSignatureLine(line + line)).toThrow(NoteError);
  });
});

describe('signCheckpoint / verifyCheckpoint', () => {
  const cp = { origin: 'parley.example/log', treeSize: 7, rootHash: ROOT };
  const note = signCheckpoint(cp, logKey);

  it('signs and verifies', () => {
    expect(note.startsWith(formatCheckpoint(cp) + '\n— parley.example/log ')).toBe(true);
    const v = verifyCheckpoint(note, logVkey);
    expect(v.ok).toBe(true);
    if (v.ok) {
      expect(v.checkpoint).toEqual({ ...cp, extensions: [] });
      expect(v.note.signatures).toHaveLength(1);
    }
    expect(verifyCheckpoint(note, parseVerifierKey(logVkey)).ok).toBe(true);
    expect(verifyCheckpoint(note, logVkey, { origin: 'parley.example/log' }).ok).toBe(true);
  });

  it('rejects an altered body', () => {
    for (const altered of [note.replace('\n7\n', '\n8\n'), note.replace('parley.example/log\n', 'parley.example/lag\n')]) {
      const v = verifyCheckpoint(altered, logVkey);
      expect(v).toMatchObject({ ok: false, reason: 'bad-signature' });
    }
    const flippedRoot = note.replace(toBase64(ROOT), toBase64(leafHash(new Uint8Array([9]))));
    expect(verifyCheckpoint(flippedRoot, logVkey)).toMatchObject({ ok: false, reason: 'bad-signature' });
  });

  it('rejects a wrong key and a wrong key name', () => {
    const other = generateSigningKey(seed(2), 'parley.example/log');
    expect(verifyCheckpoint(note, formatVerifierKey(other))).toMatchObject({ ok: false, reason: 'no-signature' });
    const renamed = generateSigningKey(seed(1), 'parley.example/other');
    expect(verifyCheckpoint(note, formatVerifierKey(renamed))).toMatchObject({ ok: false, reason: 'no-signature' });
    // Same name and key ID but a different public key (a colliding ID): must fail, not be ignored.
    const impostor: VerifierKey = { ...verifierKeyOf(logKey), publicKey: other.publicKey };
    expect(verifyCheckpoint(note, impostor)).toMatchObject({ ok: false, reason: 'bad-signature' });
    // A note re-signed by another key under the log's name.
    const forged = signCheckpoint(cp, other);
    expect(verifyCheckpoint(forged, logVkey)).toMatchObject({ ok: false, reason: 'no-signature' });
  });

  it('ignores unknown signatures but rejects a bad one from the known key', () => {
    const other = generateSigningKey(seed(3), 'someone.example/else');
    const parsed = parseSignedNote(note);
    const extra = formatSignedNote({ text: parsed.text, signatures: [signNoteText(parsed.text, other), ...parsed.signatures] });
    expect(verifyCheckpoint(extra, logVkey).ok).toBe(true);
    const bogus = { ...parsed.signatures[0], signature: parsed.signatures[0].signature.map((b, i) => (i === 0 ? b ^ 1 : b)) };
    const mixed = formatSignedNote({ text: parsed.text, signatures: [...parsed.signatures, bogus] });
    expect(verifyCheckpoint(mixed, logVkey)).toMatchObject({ ok: false, reason: 'bad-signature' });
  });

  it('reports malformed input and origin mismatches', () => {
    expect(verifyCheckpoint('garbage', logVkey)).toMatchObject({ ok: false, reason: 'malformed-note' });
    expect(verifyCheckpoint(note, 'not a key')).toMatchObject({ ok: false, reason: 'bad-key' });
    expect(verifyCheckpoint(note, logVkey, { origin: 'x' })).toMatchObject({ ok: false, reason: 'origin-mismatch' });
    const notACheckpoint = formatSignedNote({ text: 'hello\n', signatures: [signNoteText('hello\n', logKey)] });
    expect(verifyCheckpoint(notACheckpoint, logVkey)).toMatchObject({ ok: false, reason: 'malformed-checkpoint' });
    const cosignerKey = generateSigningKey(seed(4), 'w.example', SIG_TYPE_COSIGNATURE_V1);
    expect(verifyCheckpoint(note, formatVerifierKey(cosignerKey))).toMatchObject({ ok: false, reason: 'bad-key' });
    expect(() => signNoteText('x\n', cosignerKey)).toThrow(NoteError);
  });

  it('signatures are standard base64 of keyID || 64-byte Ed25519 signature', () => {
    const line = note.slice(note.lastIndexOf('— '));
    const raw = fromBase64(line.split(' ')[2].trim());
    expect(raw.length).toBe(68);
    expect(new DataView(raw.buffer).getUint32(0)).toBe(logKey.keyId);
  });
});
