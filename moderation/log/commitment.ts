/**
 * Salted hash commitments for personal fields in public log entries.
 *
 * Why: the audit log is public and permanent, but entries mention people
 * (e.g. who reported or was moderated). Instead of the value itself, an entry
 * carries `commit(value, salt)`. The public learns nothing useful from it (the
 * random salt defeats dictionary attacks on e-mail addresses or names), yet the
 * server, or the person concerned once given the salt, can later prove which
 * value was committed. Deleting the salt makes the entry permanently
 * unlinkable while the log itself stays intact and verifiable.
 *
 * Encoding (domain-separated, unambiguous):
 *   SHA-256( "parley-commitment/v1\n" || uint32be(len(salt)) || salt || UTF-8(value) )
 * The salt is length-prefixed so that (salt, value) pairs cannot be shifted into
 * each other. Salts come from the caller (the server's CSPRNG) and must be at
 * least 16 bytes. Values are committed exactly as given: normalise them (case,
 * Unicode NFC, whitespace) before committing if that matters for your field.
 */

import { sha256 } from '@noble/hashes/sha2.js';
import { bytesEqual, fromHex, toHex, utf8Encode } from './encoding.js';

const DOMAIN = utf8Encode('parley-commitment/v1\n');

/** Minimum salt length in bytes. 32 is recommended. */
export const MIN_SALT_BYTES = 16;

function commitmentBytes(value: string, salt: Uint8Array): Uint8Array {
  if (typeof value !== 'string') throw new TypeError('commit: value must be a string');
  if (!(salt instanceof Uint8Array) || salt.length < MIN_SALT_BYTES) {
    throw new TypeError(`commit: salt must be a Uint8Array of at least ${MIN_SALT_BYTES} bytes`);
  }
  const len = new Uint8Array(4);
  new DataView(len.buffer).setUint32(0, salt.length);
  // utf8Encode rejects lone surrogates, which would otherwise collide with U+FFFD.
  return sha256.create().update(DOMAIN).update(len).update(salt).update(utf8Encode(value)).digest();
}

/**
 * Commitment to `value` under `salt`, as 64 lower-case hex digits.
 * @throws {TypeError} on a short salt or a string with lone surrogates.
 */
export function commit(value: string, salt: Uint8Array): string {
  return toHex(commitmentBytes(value, salt));
}

/** Does `commitment` (hex, any case) open to `value` with `salt`? Never throws; malformed input → false. */
export function verifyCommitment(value: string, salt: Uint8Array, commitment: string): boolean {
  try {
    if (typeof commitment !== 'string' || commitment.length !== 64) return false;
    return bytesEqual(commitmentBytes(value, salt), fromHex(commitment));
  } catch {
    return false;
  }
}
