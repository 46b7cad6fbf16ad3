/**
 * Byte/text encodings for the audit log: hex, standard base64 (RFC 4648 §4),
 * UTF-8 and a few byte helpers.
 *
 * Why this file exists: the log domain must run unchanged in browsers and in
 * Node, so it cannot use `Buffer`, and `atob`/`btoa` are lenient (they accept
 * whitespace and non-canonical padding bits). Signatures and hashes are compared
 * byte for byte, so every decoder here is strict and rejects anything that would
 * not round-trip to the exact same text.
 */

const HEX = '0123456789abcdef';
const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const B64_INDEX: Int16Array = (() => {
  const t = new Int16Array(128).fill(-1);
  for (let i = 0; i < B64.length; i++) t[B64.charCodeAt(i)] = i;
  return t;
})();

/** Lower-case hex encoding. */
export function toHex(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i];
    out += HEX[b >> 4] + HEX[b & 15];
  }
  return out;
}

function hexNibble(c: number): number {
  if (c >= 48 && c <= 57) return c - 48; // 0-9
  if (c >= 97 && c <= 102) return c - 87; // a-f
  if (c >= 65 && c <= 70) return c - 55; // A-F
  return -1;
}

/**
 * Strict hex decoding (either case accepted, even length, no prefix, no spaces).
 * @throws {TypeError} on malformed input.
 */
export function fromHex(hex: string): Uint8Array {
  if (typeof hex !== 'string') throw new TypeError('fromHex: expected a string');
  if (hex.length % 2 !== 0) throw new TypeError('fromHex: odd number of hex digits');
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) {
    const hi = hexNibble(hex.charCodeAt(2 * i));
    const lo = hexNibble(hex.charCodeAt(2 * i + 1));
    if (hi < 0 || lo < 0) throw new TypeError(`fromHex: invalid hex digit near position ${2 * i}`);
    out[i] = (hi << 4) | lo;
  }
  return out;
}

/** Standard base64 with `=` padding (RFC 4648 §4). */
export function toBase64(bytes: Uint8Array): string {
  let out = '';
  let i = 0;
  for (; i + 2 < bytes.length; i += 3) {
    const n = (bytes[i] << 16) | (bytes[i + 1] << 8) | bytes[i + 2];
    out += B64[n >> 18] + B64[(n >> 12) & 63] + B64[(n >> 6) & 63] + B64[n & 63];
  }
  const rest = bytes.length - i;
  if (rest === 1) {
    const n = bytes[i] << 16;
    out += B64[n >> 18] + B64[(n >> 12) & 63] + '==';
  } else if (rest === 2) {
    const n = (bytes[i] << 16) | (bytes[i + 1] << 8);
    out += B64[n >> 18] + B64[(n >> 12) & 63] + B64[(n >> 6) & 63] + '=';
  }
  return out;
}

/**
 * Strict standard base64 decoding: padding required, no whitespace, no URL-safe
 * alphabet, and unused trailing bits must be zero (so the encoding is canonical).
 * @throws {TypeError} on malformed input.
 */
export function fromBase64(text: string): Uint8Array {
  if (typeof text !== 'string') throw new TypeError('fromBase64: expected a string');
  if (text.length % 4 !== 0) throw new TypeError('fromBase64: length is not a multiple of 4');
  let pad = 0;
  if (text.endsWith('==')) pad = 2;
  else if (text.endsWith('=')) pad = 1;
  const out = new Uint8Array((text.length / 4) * 3 - pad);
  const val = (pos: number): number => {
    const c = text.charCodeAt(pos);
    const v = c < 128 ? B64_INDEX[c] : -1;
    if (v < 0) throw new TypeError(`fromBase64: invalid character at position ${pos}`);
    return v;
  };
  let o = 0;
  for (let i = 0; i < text.length; i += 4) {
    const last = i + 4 === text.length;
    const a = val(i);
    const b = val(i + 1);
    if (last && pad === 2) {
      if ((b & 15) !== 0) throw new TypeError('fromBase64: non-canonical trailing bits');
      out[o++] = (a << 2) | (b >> 4);
      break;
    }
    const c = val(i + 2);
    if (last && pad === 1) {
      if ((c & 3) !== 0) throw new TypeError('fromBase64: non-canonical trailing bits');
      out[o++] = (a << 2) | (b >> 4);
      out[o++] = ((b & 15) << 4) | (c >> 2);
      break;
    }
    const d = val(i + 3);
    out[o++] = (a << 2) | (b >> 4);
    out[o++] = ((b & 15) << 4) | (c >> 2);
    out[o++] = ((c & 3) << 6) | d;
  }
  return out;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/**
 * True when `s` contains no lone UTF-16 surrogates, i.e. it can be encoded as
 * UTF-8 without replacement characters (which would make two different strings
 * hash the same).
 */
export function isWellFormedUnicode(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) {
      const d = s.charCodeAt(i + 1); // NaN past the end
      if (!(d >= 0xdc00 && d <= 0xdfff)) return false;
      i++;
    } else if (c >= 0xdc00 && c <= 0xdfff) {
      return false;
    }
  }
  return true;
}

/**
 * UTF-8 encode.
 * @throws {TypeError} if `s` contains a lone surrogate.
 */
export function utf8Encode(s: string): Uint8Array {
  if (!isWellFormedUnicode(s)) throw new TypeError('utf8Encode: string contains a lone surrogate');
  return encoder.encode(s);
}

/**
 * Strict UTF-8 decode (a byte-order mark is kept as U+FEFF, not stripped).
 * @throws {TypeError} on invalid UTF-8.
 */
export function utf8Decode(bytes: Uint8Array): string {
  return decoder.decode(bytes);
}

/** Concatenate byte arrays. */
export function concatBytes(...parts: Uint8Array[]): Uint8Array {
  let len = 0;
  for (const p of parts) len += p.length;
  const out = new Uint8Array(len);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/**
 * Byte equality whose running time depends only on the lengths, not on where
 * the first difference is (commitments and hashes are compared with it).
 */
export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a[i] ^ b[i];
  return diff === 0;
}
