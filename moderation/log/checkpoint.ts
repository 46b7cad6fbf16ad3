/**
 * C2SP tlog-checkpoint bodies, C2SP signed-note envelopes and Ed25519 note keys.
 *
 * Why: the server periodically publishes "the log has N entries and root R" as a
 * checkpoint signed with its key. Using the exact C2SP formats
 * (https://c2sp.org/tlog-checkpoint, https://c2sp.org/signed-note) means
 * witnesses and tools from the transparency-dev / sumdb ecosystem can read,
 * verify and cosign Parley checkpoints, and Parley can verify theirs.
 *
 * Formats implemented:
 * - checkpoint body: `<origin>\n<tree size>\n<base64 root hash>\n[<extension line>\n]*`
 * - signed note: `<text>\n` + `— <key name> <base64(keyID(4, BE) || signature)>\n` per signature
 * - key ID: first 4 bytes (big-endian uint32) of SHA-256(name || 0x0A || type || public key),
 *   type 0x01 = Ed25519 note signature, 0x04 = Ed25519 cosignature/v1 (see cosignature.ts)
 * - verifier key: `<name>+<8 hex key ID>+<base64(type || 32-byte public key)>`
 * - signer key (Go sumdb/note compatible): `PRIVATE+KEY+<name>+<8 hex key ID>+<base64(type || 32-byte seed)>`
 *
 * Everything is pure: key generation takes the 32-byte seed as an argument.
 * Ed25519 verification is strict RFC 8032 / FIPS 186-5 (no ZIP-215 leniency), and
 * verifier keys that are not valid, non-small-order curve points are rejected.
 */

import { ed25519 } from '@noble/curves/ed25519.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { concatBytes, fromBase64, isWellFormedUnicode, toBase64, utf8Encode } from './encoding.js';
import { HASH_SIZE } from './merkle.js';

// ---------------------------------------------------------------------------
// Checkpoint body
// ---------------------------------------------------------------------------

/** A parsed checkpoint body. `extensions` are the optional lines after the root hash (without newlines). */
export interface Checkpoint {
  origin: string;
  treeSize: number;
  rootHash: Uint8Array;
  extensions: string[];
}

/** Input to {@link formatCheckpoint}; `extensions` may be omitted. */
export type CheckpointInput = Omit<Checkpoint, 'extensions'> & { extensions?: readonly string[] };

/** Malformed checkpoint body. */
export class CheckpointError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CheckpointError';
  }
}

/** Malformed signed note, key string or signature. */
export class NoteError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'NoteError';
  }
}

// Any ASCII control character (below U+0020) other than newline: signed-note forbids them.
const CONTROL_EXCEPT_NL = /[\u0000-\u0009\u000b-\u001f]/;
const DECIMAL = /^(0|[1-9][0-9]*)$/;

function checkLine(line: string, what: string): void {
  if (line.length === 0) throw new CheckpointError(`${what} must not be empty`);
  if (line.includes('\n')) throw new CheckpointError(`${what} must not contain a newline`);
  if (CONTROL_EXCEPT_NL.test(line)) throw new CheckpointError(`${what} must not contain control characters`);
  if (!isWellFormedUnicode(line)) throw new CheckpointError(`${what} is not well-formed Unicode`);
}

/**
 * Format a checkpoint body (the note text that gets signed), ending in a newline.
 * @throws {CheckpointError} if a field is invalid.
 */
export function formatCheckpoint(cp: CheckpointInput): string {
  checkLine(cp.origin, 'origin');
  if (!Number.isSafeInteger(cp.treeSize) || cp.treeSize < 0) {
    throw new CheckpointError(`tree size must be a non-negative safe integer, got ${cp.treeSize}`);
  }
  if (!(cp.rootHash instanceof Uint8Array) || cp.rootHash.length !== HASH_SIZE) {
    throw new CheckpointError(`root hash must be ${HASH_SIZE} bytes`);
  }
  const exts = cp.extensions ?? [];
  exts.forEach((e, i) => checkLine(e, `extension line ${i + 1}`));
  return [cp.origin, String(cp.treeSize), toBase64(cp.rootHash), ...exts].join('\n') + '\n';
}

/**
 * Strictly parse a checkpoint body: at least three non-empty newline-terminated
 * lines, decimal tree size without leading zeros, base64 of exactly 32 bytes,
 * non-empty extension lines, no control characters.
 * @throws {CheckpointError}
 */
export function parseCheckpoint(text: string): Checkpoint {
  if (typeof text !== 'string') throw new CheckpointError('checkpoint must be a string');
  if (!text.endsWith('\n')) throw new CheckpointError('checkpoint must end with a newline');
  const lines = text.slice(0, -1).split('\n');
  if (lines.length < 3) throw new CheckpointError('checkpoint needs origin, tree size and root hash lines');
  const [origin, sizeLine, rootLine, ...extensions] = lines;
  checkLine(origin, 'origin');
  if (!DECIMAL.test(sizeLine)) throw new CheckpointError(`tree size "${sizeLine}" is not a canonical decimal`);
  const treeSize = Number(sizeLine);
  if (!Number.isSafeInteger(treeSize)) throw new CheckpointError(`tree size ${sizeLine} is too large`);
  let rootHash: Uint8Array;
  try {
    rootHash = fromBase64(rootLine);
  } catch {
    throw new CheckpointError('root hash is not valid base64');
  }
  if (rootHash.length !== HASH_SIZE) throw new CheckpointError(`root hash must be ${HASH_SIZE} bytes, got ${rootHash.length}`);
  extensions.forEach((e, i) => checkLine(e, `extension line ${i + 1}`));
  return { origin, treeSize, rootHash, extensions };
}

// ---------------------------------------------------------------------------
// Signed note envelope
// ---------------------------------------------------------------------------

/** One signature line. `signature` excludes the 4-byte key ID prefix. */
export interface NoteSignature {
  name: string;
  /** uint32 key ID */
  keyId: number;
  signature: Uint8Array;
}

export interface SignedNote {
  /** Note text, including its final newline. */
  text: string;
  signatures: NoteSignature[];
}

/** Upper bound on signature lines accepted by {@link parseSignedNote} (the spec requires ≥ 16). */
export const MAX_NOTE_SIGNATURES = 100;
/** Upper bound on the note size accepted by {@link parseSignedNote}, in UTF-16 code units. */
export const MAX_NOTE_LENGTH = 1_000_000;

const EM_DASH_PREFIX = '\u2014 ';

/** True if `name` is a valid note key name: non-empty, no Unicode spaces, no '+', no control characters. */
export function isValidKeyName(name: string): boolean {
  return (
    typeof name === 'string' &&
    name.length > 0 &&
    !/[\s+]/u.test(name) &&
    !/[\u0000-\u001f]/.test(name) &&
    isWellFormedUnicode(name)
  );
}

function checkKeyId(keyId: number): void {
  if (!Number.isInteger(keyId) || keyId < 0 || keyId > 0xffffffff) throw new NoteError(`key ID ${keyId} is not a uint32`);
}

function checkNoteText(text: string): void {
  if (typeof text !== 'string' || !text.endsWith('\n')) throw new NoteError('note text must end with a newline');
  if (CONTROL_EXCEPT_NL.test(text)) throw new NoteError('note text must not contain control characters other than newline');
  if (!isWellFormedUnicode(text)) throw new NoteError('note text is not well-formed Unicode');
}

/** Format one signature line, including its trailing newline. @throws {NoteError} */
export function formatSignatureLine(sig: NoteSignature): string {
  if (!isValidKeyName(sig.name)) throw new NoteError(`invalid key name "${sig.name}"`);
  checkKeyId(sig.keyId);
  if (!(sig.signature instanceof Uint8Array) || sig.signature.length === 0) throw new NoteError('empty signature');
  const id = new Uint8Array(4);
  new DataView(id.buffer).setUint32(0, sig.keyId);
  return `${EM_DASH_PREFIX}${sig.name} ${toBase64(concatBytes(id, sig.signature))}\n`;
}

/**
 * Format a signed note: text, blank line, one signature line per signature.
 * @throws {NoteError} if the text or a signature is invalid, or there is no signature.
 */
export function formatSignedNote(note: SignedNote): string {
  checkNoteText(note.text);
  if (note.signatures.length === 0) throw new NoteError('a signed note needs at least one signature');
  return note.text + '\n' + note.signatures.map(formatSignatureLine).join('');
}

function parseLine(line: string, what: string): NoteSignature {
  if (!line.startsWith(EM_DASH_PREFIX)) throw new NoteError(`${what} does not start with "— "`);
  const rest = line.slice(EM_DASH_PREFIX.length);
  const space = rest.indexOf(' ');
  if (space <= 0) throw new NoteError(`${what} is malformed`);
  const name = rest.slice(0, space);
  const b64 = rest.slice(space + 1);
  if (!isValidKeyName(name)) throw new NoteError(`${what} has an invalid key name`);
  let raw: Uint8Array;
  try {
    raw = fromBase64(b64);
  } catch {
    throw new NoteError(`${what} is not valid base64`);
  }
  if (raw.length < 5) throw new NoteError(`${what} is too short`);
  const keyId = new DataView(raw.buffer, raw.byteOffset, 4).getUint32(0);
  return { name, keyId, signature: raw.slice(4) };
}

/**
 * Parse one signature line `— <name> <base64>` (a single trailing newline is allowed).
 * @throws {NoteError}
 */
export function parseSignatureLine(line: string): NoteSignature {
  if (typeof line !== 'string') throw new NoteError('signature line must be a string');
  const l = line.endsWith('\n') ? line.slice(0, -1) : line;
  if (l.includes('\n') || CONTROL_EXCEPT_NL.test(l)) throw new NoteError('signature line must be a single line');
  return parseLine(l, 'signature line');
}

/**
 * Parse (not verify) a signed note. The text is separated from the signatures by
 * the last blank line. At most {@link MAX_NOTE_SIGNATURES} signatures.
 * @throws {NoteError}
 */
export function parseSignedNote(note: string): SignedNote {
  if (typeof note !== 'string') throw new NoteError('note must be a string');
  if (note.length > MAX_NOTE_LENGTH) throw new NoteError('note is too large');
  if (CONTROL_EXCEPT_NL.test(note)) throw new NoteError('note must not contain control characters other than newline');
  if (!isWellFormedUnicode(note)) throw new NoteError('note is not well-formed Unicode');
  const split = note.lastIndexOf('\n\n');
  if (split < 0) throw new NoteError('note has no blank line before its signatures');
  const text = note.slice(0, split + 1);
  const sigBlock = note.slice(split + 2);
  if (sigBlock.length === 0 || !sigBlock.endsWith('\n')) throw new NoteError('note has no newline-terminated signature lines');
  const lines = sigBlock.slice(0, -1).split('\n');
  if (lines.length > MAX_NOTE_SIGNATURES) throw new NoteError(`note has more than ${MAX_NOTE_SIGNATURES} signatures`);
  const signatures = lines.map((line, i) => parseLine(line, `signature line ${i + 1}`));
  return { text, signatures };
}

// ---------------------------------------------------------------------------
// Keys
// ---------------------------------------------------------------------------

/** Signature type byte for Ed25519 note signatures (signed-note). */
export const SIG_TYPE_ED25519 = 0x01;
/** Signature type byte for Ed25519 cosignature/v1 (tlog-cosignature). */
export const SIG_TYPE_COSIGNATURE_V1 = 0x04;
/** Signature types this module understands. */
export type SignatureType = typeof SIG_TYPE_ED25519 | typeof SIG_TYPE_COSIGNATURE_V1;

/** Public half of a note key. */
export interface VerifierKey {
  name: string;
  keyId: number;
  type: SignatureType;
  /** 32-byte Ed25519 public key */
  publicKey: Uint8Array;
}

/** Private note key: the verifier key plus the 32-byte Ed25519 seed (RFC 8032 secret key). */
export interface SigningKey extends VerifierKey {
  seed: Uint8Array;
}

/** key ID = big-endian uint32 of SHA-256(name || 0x0A || type || publicKey)[:4]. */
export function computeKeyId(name: string, type: number, publicKey: Uint8Array): number {
  const h = sha256(concatBytes(utf8Encode(name), Uint8Array.of(0x0a, type), publicKey));
  return new DataView(h.buffer, h.byteOffset, 4).getUint32(0);
}

function checkType(type: number): asserts type is SignatureType {
  if (type !== SIG_TYPE_ED25519 && type !== SIG_TYPE_COSIGNATURE_V1) {
    throw new NoteError(`unsupported signature type 0x${type.toString(16).padStart(2, '0')}`);
  }
}

/**
 * Derive a note signing key from 32 bytes of secret randomness (the caller
 * provides it, e.g. from `crypto.getRandomValues`). `type` defaults to a normal
 * Ed25519 note key; use `generateCosignerKey` (cosignature.ts) for witnesses.
 * @throws {NoteError} on a bad name or seed length.
 */
export function generateSigningKey(seed32: Uint8Array, name: string, type: SignatureType = SIG_TYPE_ED25519): SigningKey {
  if (!(seed32 instanceof Uint8Array) || seed32.length !== 32) throw new NoteError('seed must be 32 bytes');
  if (!isValidKeyName(name)) throw new NoteError(`invalid key name "${name}"`);
  checkType(type);
  const seed = seed32.slice();
  const publicKey = ed25519.getPublicKey(seed);
  return { name, type, keyId: computeKeyId(name, type, publicKey), publicKey, seed };
}

/** Public part of a signing key. */
export function verifierKeyOf(key: SigningKey): VerifierKey {
  return { name: key.name, keyId: key.keyId, type: key.type, publicKey: key.publicKey.slice() };
}

/** `<name>+<hex key ID>+<base64(type || public key)>` */
export function formatVerifierKey(key: VerifierKey): string {
  if (!isValidKeyName(key.name)) throw new NoteError(`invalid key name "${key.name}"`);
  checkKeyId(key.keyId);
  checkType(key.type);
  return `${key.name}+${keyIdHex(key.keyId)}+${toBase64(concatBytes(Uint8Array.of(key.type), key.publicKey))}`;
}

function isUsablePublicKey(pub: Uint8Array): boolean {
  try {
    const p = ed25519.Point.fromBytes(pub, false);
    return !p.isSmallOrder();
  } catch {
    return false;
  }
}

function parseKeyParts(text: string, what: string): { name: string; keyId: number; type: SignatureType; material: Uint8Array } {
  // The name cannot contain '+', the base64 part can: split on the first two '+' only.
  const a = text.indexOf('+');
  const b = a < 0 ? -1 : text.indexOf('+', a + 1);
  if (a < 0 || b < 0) throw new NoteError(`${what} must look like <name>+<hex key ID>+<base64 key>`);
  const name = text.slice(0, a);
  const idHex = text.slice(a + 1, b);
  const b64 = text.slice(b + 1);
  if (!isValidKeyName(name)) throw new NoteError(`${what} has an invalid key name`);
  if (!/^[0-9a-f]{8}$/.test(idHex)) throw new NoteError(`${what} key ID must be 8 lower-case hex digits`);
  let raw: Uint8Array;
  try {
    raw = fromBase64(b64);
  } catch {
    throw new NoteError(`${what} key material is not valid base64`);
  }
  if (raw.length !== 33) throw new NoteError(`${what} key material must be a type byte and 32 key bytes`);
  const type = raw[0];
  checkType(type);
  return { name, keyId: parseInt(idHex, 16), type, material: raw.slice(1) };
}

/**
 * Parse and validate a verifier key string (types 0x01 and 0x04). The key ID must
 * match the one computed from name, type and key, and the key must be a valid,
 * non-small-order Ed25519 point.
 * @throws {NoteError}
 */
export function parseVerifierKey(text: string): VerifierKey {
  if (typeof text !== 'string') throw new NoteError('verifier key must be a string');
  const { name, keyId, type, material } = parseKeyParts(text.trim(), 'verifier key');
  if (!isUsablePublicKey(material)) throw new NoteError('verifier key is not a valid Ed25519 public key');
  if (computeKeyId(name, type, material) !== keyId) throw new NoteError('verifier key ID does not match the key');
  return { name, keyId, type, publicKey: material };
}

/** Go sumdb/note compatible private key string: `PRIVATE+KEY+<name>+<hex key ID>+<base64(type || seed)>`. Keep secret. */
export function formatSignerKey(key: SigningKey): string {
  return `PRIVATE+KEY+${formatVerifierKey({ ...key, publicKey: key.seed })}`;
}

/**
 * Parse a private key string produced by {@link formatSignerKey} or Go's `note.GenerateKey`.
 * @throws {NoteError}
 */
export function parseSignerKey(text: string): SigningKey {
  const prefix = 'PRIVATE+KEY+';
  if (typeof text !== 'string' || !text.startsWith(prefix)) throw new NoteError('signer key must start with PRIVATE+KEY+');
  const { name, keyId, type, material } = parseKeyParts(text.trim().slice(prefix.length), 'signer key');
  const key = generateSigningKey(material, name, type);
  if (key.keyId !== keyId) throw new NoteError('signer key ID does not match the key');
  return key;
}

/** Accept a verifier key as a string or an already parsed object. */
export function toVerifierKey(key: string | VerifierKey): VerifierKey {
  return typeof key === 'string' ? parseVerifierKey(key) : key;
}

// ---------------------------------------------------------------------------
// Signing and verification of notes
// ---------------------------------------------------------------------------

/** Raw Ed25519 verify, strict RFC 8032; never throws. */
export function ed25519Verify(signature: Uint8Array, message: Uint8Array, publicKey: Uint8Array): boolean {
  try {
    return signature.length === 64 && publicKey.length === 32 && ed25519.verify(signature, message, publicKey, { zip215: false });
  } catch {
    return false;
  }
}

/** Ed25519 signature (type 0x01) of `text` as a note signature. */
export function signNoteText(text: string, signer: SigningKey): NoteSignature {
  checkNoteText(text);
  if (signer.type !== SIG_TYPE_ED25519) throw new NoteError('signNoteText needs a type 0x01 (Ed25519 note) key; use cosign for witnesses');
  return { name: signer.name, keyId: signer.keyId, signature: ed25519.sign(utf8Encode(text), signer.seed) };
}

/** Does `sig` (from a parsed note) carry this key's name and ID? */
export function signatureMatchesKey(sig: NoteSignature, key: VerifierKey): boolean {
  return sig.name === key.name && sig.keyId === key.keyId;
}

/** Verify one type-0x01 note signature over `text`. */
export function verifyNoteSignature(text: string, sig: NoteSignature, key: VerifierKey): boolean {
  if (key.type !== SIG_TYPE_ED25519 || !signatureMatchesKey(sig, key)) return false;
  let msg: Uint8Array;
  try {
    msg = utf8Encode(text);
  } catch {
    return false;
  }
  return ed25519Verify(sig.signature, msg, key.publicKey);
}

/** Why {@link verifyCheckpoint} rejected a note. */
export type CheckpointFailure =
  | 'bad-key' // the verifier key given by the caller is unusable
  | 'malformed-note'
  | 'malformed-checkpoint'
  | 'no-signature' // no signature line with this key's name and ID
  | 'bad-signature' // a signature with this key's name and ID did not verify
  | 'origin-mismatch';

export type CheckpointVerification =
  | { ok: true; checkpoint: Checkpoint; note: SignedNote }
  | { ok: false; reason: CheckpointFailure; message: string };

/** Sign a checkpoint body, returning the complete signed note text. */
export function signCheckpoint(checkpoint: CheckpointInput, signer: SigningKey): string {
  const text = formatCheckpoint(checkpoint);
  return formatSignedNote({ text, signatures: [signNoteText(text, signer)] });
}

/**
 * Verify a signed checkpoint note against one trusted log key. Per signed-note,
 * signatures from other keys are ignored; a signature with this key's name and ID
 * must verify. `options.origin`, when given, must equal the checkpoint origin.
 * Never throws.
 */
export function verifyCheckpoint(
  noteText: string,
  verifierKey: string | VerifierKey,
  options: { origin?: string } = {},
): CheckpointVerification {
  let key: VerifierKey;
  try {
    key = toVerifierKey(verifierKey);
  } catch (e) {
    return { ok: false, reason: 'bad-key', message: (e as Error).message };
  }
  if (key.type !== SIG_TYPE_ED25519) {
    return { ok: false, reason: 'bad-key', message: 'checkpoints are verified with a type 0x01 (Ed25519 note) key' };
  }
  let note: SignedNote;
  try {
    note = parseSignedNote(noteText);
  } catch (e) {
    return { ok: false, reason: 'malformed-note', message: (e as Error).message };
  }
  const mine = note.signatures.filter((s) => signatureMatchesKey(s, key));
  if (mine.length === 0) {
    return { ok: false, reason: 'no-signature', message: `no signature by ${key.name} (key ID ${keyIdHex(key.keyId)})` };
  }
  if (!mine.every((s) => verifyNoteSignature(note.text, s, key))) {
    return { ok: false, reason: 'bad-signature', message: `signature by ${key.name} does not verify` };
  }
  let checkpoint: Checkpoint;
  try {
    checkpoint = parseCheckpoint(note.text);
  } catch (e) {
    return { ok: false, reason: 'malformed-checkpoint', message: (e as Error).message };
  }
  if (options.origin !== undefined && checkpoint.origin !== options.origin) {
    return { ok: false, reason: 'origin-mismatch', message: `checkpoint origin "${checkpoint.origin}" is not "${options.origin}"` };
  }
  return { ok: true, checkpoint, note };
}

/** Hex form of a key ID (8 lower-case digits), as used in verifier key strings. */
export function keyIdHex(keyId: number): string {
  return keyId.toString(16).padStart(8, '0');
}
