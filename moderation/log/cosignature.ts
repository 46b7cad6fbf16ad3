/**
 * C2SP tlog-cosignature/v1 (Ed25519): witnesses countersign checkpoints.
 *
 * Why: a log signature alone cannot stop a log from showing different histories
 * to different readers (a "split view"). Independent witnesses that check
 * consistency and then cosign each checkpoint close that gap: a reader who
 * requires cosignatures from witnesses they trust knows everyone sees the same log.
 * See https://c2sp.org/tlog-cosignature.
 *
 * Wire format:
 * - key ID = SHA-256(name || 0x0A || 0x04 || 32-byte public key)[:4]
 * - signed message = "cosignature/v1\n" + "time <unix seconds>\n" + the whole checkpoint
 *   body (note text, including extension lines and the final newline)
 * - signature line bytes = key ID (4) || timestamp (uint64 big-endian) || Ed25519 signature (64)
 *
 * The timestamp is always passed in by the caller (no clock here). This module
 * only produces and checks signatures; deciding *whether* to cosign (i.e. having
 * verified the log signature and a consistency proof from the last cosigned
 * checkpoint) is the witness's job.
 */

import { ed25519 } from '@noble/curves/ed25519.js';
import {
  type NoteSignature,
  type SignedNote,
  type SigningKey,
  type VerifierKey,
  NoteError,
  SIG_TYPE_COSIGNATURE_V1,
  ed25519Verify,
  formatSignedNote,
  generateSigningKey,
  parseCheckpoint,
  parseSignatureLine,
  parseSignedNote,
  signatureMatchesKey,
  toVerifierKey,
} from './checkpoint.js';
import { concatBytes, utf8Encode } from './encoding.js';

/** Length of the signature part of a cosignature line after the key ID: 8-byte time + 64-byte Ed25519 signature. */
export const COSIGNATURE_V1_LENGTH = 72;

/** Derive a witness (cosigner) key, signature type 0x04, from a caller-provided 32-byte seed. */
export function generateCosignerKey(seed32: Uint8Array, name: string): SigningKey {
  return generateSigningKey(seed32, name, SIG_TYPE_COSIGNATURE_V1);
}

function checkTimestamp(timestamp: number): void {
  if (!Number.isSafeInteger(timestamp) || timestamp < 0) {
    throw new NoteError(`cosignature timestamp must be a non-negative safe integer (unix seconds), got ${timestamp}`);
  }
}

/** The exact bytes a cosigner signs for `checkpointBody` at `timestamp` (unix seconds). */
export function cosignatureMessage(checkpointBody: string, timestamp: number): Uint8Array {
  checkTimestamp(timestamp);
  return utf8Encode(`cosignature/v1\ntime ${timestamp}\n${checkpointBody}`);
}

/**
 * Cosign a checkpoint body (the note text, not the whole signed note) at `timestamp`.
 * @throws {NoteError|CheckpointError} on a non-cosigner key, a bad timestamp or a malformed checkpoint.
 */
export function cosign(checkpointBody: string, witness: SigningKey, timestamp: number): NoteSignature {
  if (witness.type !== SIG_TYPE_COSIGNATURE_V1) throw new NoteError('cosign needs a type 0x04 cosigner key (generateCosignerKey)');
  parseCheckpoint(checkpointBody); // only well-formed checkpoints get cosigned
  const sig = ed25519.sign(cosignatureMessage(checkpointBody, timestamp), witness.seed);
  const ts = new Uint8Array(8);
  new DataView(ts.buffer).setBigUint64(0, BigInt(timestamp));
  return { name: witness.name, keyId: witness.keyId, signature: concatBytes(ts, sig) };
}

/**
 * Add a cosignature line to an existing signed checkpoint note (the log's and any
 * other signatures are kept). Does not verify the existing signatures.
 */
export function addCosignature(noteText: string, witness: SigningKey, timestamp: number): string {
  const note: SignedNote = parseSignedNote(noteText);
  const cosig = cosign(note.text, witness, timestamp);
  return formatSignedNote({ text: note.text, signatures: [...note.signatures, cosig] });
}

/** Split the signature bytes of a cosignature line into timestamp and Ed25519 signature; null if malformed. */
export function parseCosignature(sig: NoteSignature): { timestamp: number; signature: Uint8Array } | null {
  if (sig.signature.length !== COSIGNATURE_V1_LENGTH) return null;
  const t = new DataView(sig.signature.buffer, sig.signature.byteOffset, 8).getBigUint64(0);
  if (t > BigInt(Number.MAX_SAFE_INTEGER)) return null;
  return { timestamp: Number(t), signature: sig.signature.slice(8) };
}

export type CosignatureFailure =
  | 'bad-key' // not a usable type 0x04 verifier key
  | 'malformed' // unparsable line / note / wrong length
  | 'wrong-key' // the line is from a different key (name or key ID differ)
  | 'no-signature' // the note has no line from this witness
  | 'bad-signature'
  | 'future-timestamp'; // later than options.notAfter

export type CosignatureVerification =
  | { ok: true; timestamp: number }
  | { ok: false; reason: CosignatureFailure; message: string };

export interface CosignatureOptions {
  /** Reject cosignatures whose timestamp is later than this (unix seconds, e.g. now + allowed skew). */
  notAfter?: number;
}

/**
 * Verify one cosignature (a parsed {@link NoteSignature} or a `— name base64` line)
 * over a checkpoint body against a witness verifier key (type 0x04). Never throws.
 */
export function verifyCosignature(
  checkpointBody: string,
  cosignature: NoteSignature | string,
  witnessKey: string | VerifierKey,
  options: CosignatureOptions = {},
): CosignatureVerification {
  let key: VerifierKey;
  try {
    key = toVerifierKey(witnessKey);
  } catch (e) {
    return { ok: false, reason: 'bad-key', message: (e as Error).message };
  }
  if (key.type !== SIG_TYPE_COSIGNATURE_V1) {
    return { ok: false, reason: 'bad-key', message: 'witness keys must have signature type 0x04 (cosignature/v1)' };
  }
  let sig: NoteSignature;
  try {
    sig = typeof cosignature === 'string' ? parseSignatureLine(cosignature) : cosignature;
  } catch (e) {
    return { ok: false, reason: 'malformed', message: (e as Error).message };
  }
  if (!signatureMatchesKey(sig, key)) {
    return { ok: false, reason: 'wrong-key', message: `signature is by ${sig.name}, not by witness ${key.name} with this key ID` };
  }
  const parsed = parseCosignature(sig);
  if (!parsed) return { ok: false, reason: 'malformed', message: 'cosignature must be 8 timestamp bytes and a 64-byte signature' };
  let msg: Uint8Array;
  try {
    msg = cosignatureMessage(checkpointBody, parsed.timestamp);
  } catch (e) {
    return { ok: false, reason: 'malformed', message: (e as Error).message };
  }
  if (!ed25519Verify(parsed.signature, msg, key.publicKey)) {
    return { ok: false, reason: 'bad-signature', message: `cosignature by ${key.name} does not verify` };
  }
  if (options.notAfter !== undefined && parsed.timestamp > options.notAfter) {
    return { ok: false, reason: 'future-timestamp', message: `cosignature time ${parsed.timestamp} is after ${options.notAfter}` };
  }
  return { ok: true, timestamp: parsed.timestamp };
}

/**
 * Find and verify a witness's cosignature in a signed checkpoint note. Does NOT
 * check the log's own signature (use verifyCheckpoint for that). Never throws.
 */
export function verifyCosignedNote(
  noteText: string,
  witnessKey: string | VerifierKey,
  options: CosignatureOptions = {},
): CosignatureVerification {
  let key: VerifierKey;
  try {
    key = toVerifierKey(witnessKey);
  } catch (e) {
    return { ok: false, reason: 'bad-key', message: (e as Error).message };
  }
  let note: SignedNote;
  try {
    note = parseSignedNote(noteText);
  } catch (e) {
    return { ok: false, reason: 'malformed', message: (e as Error).message };
  }
  const mine = note.signatures.filter((s) => signatureMatchesKey(s, key));
  if (mine.length === 0) return { ok: false, reason: 'no-signature', message: `no cosignature by ${key.name}` };
  let result: CosignatureVerification | null = null;
  for (const s of mine) {
    result = verifyCosignature(note.text, s, key, options);
    if (!result.ok) return result; // a bad signature from a known key rejects the note
  }
  return result!;
}
