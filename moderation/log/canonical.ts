/**
 * RFC 8785 JSON Canonicalization Scheme (JCS).
 *
 * Why: every log leaf is a JSON object whose *bytes* are hashed into the Merkle
 * tree. Anyone re-verifying the log (server, CLI, browser) must produce the very
 * same bytes from the same object, independent of key insertion order or number
 * formatting. JCS fixes that: object keys sorted by UTF-16 code units, numbers in
 * ECMAScript `Number.prototype.toString` form, minimal string escaping, no
 * whitespace.
 *
 * Values that JSON cannot represent faithfully are rejected with a
 * {@link CanonicalizationError} naming the JSON path, instead of being silently
 * changed the way `JSON.stringify` does (NaN → null, undefined in arrays → null,
 * lone surrogates → U+FFFD once encoded). Object properties whose value is
 * `undefined` are omitted, as in `JSON.stringify`.
 */

import { utf8Encode } from './encoding.js';

/** Thrown when a value cannot be canonicalized; `path` is a JSONPath-like location, e.g. `$.a[2]`. */
export class CanonicalizationError extends Error {
  readonly path: string;
  constructor(message: string, path: string) {
    super(`${message} at ${path}`);
    this.name = 'CanonicalizationError';
    this.path = path;
  }
}

/** Serialize a JSON-compatible value to its RFC 8785 canonical string. */
export function canonicalize(value: unknown): string {
  const parts: string[] = [];
  write(value, '$', parts, new Set());
  return parts.join('');
}

/** UTF-8 bytes of {@link canonicalize}`(value)`: what gets hashed. */
export function canonicalBytes(value: unknown): Uint8Array {
  return utf8Encode(canonicalize(value));
}

function write(value: unknown, path: string, out: string[], seen: Set<object>): void {
  if (value === null) {
    out.push('null');
    return;
  }
  switch (typeof value) {
    case 'boolean':
      out.push(value ? 'true' : 'false');
      return;
    case 'number':
      out.push(serializeNumber(value, path));
      return;
    case 'string':
      out.push(serializeString(value, path));
      return;
    case 'undefined':
      throw new CanonicalizationError('undefined is not a JSON value', path);
    case 'bigint':
      throw new CanonicalizationError('bigint is not a JSON value (convert it to a string or a safe number)', path);
    case 'function':
    case 'symbol':
      throw new CanonicalizationError(`${typeof value} is not a JSON value`, path);
    default:
      break;
  }
  const obj = value as object;
  if (seen.has(obj)) throw new CanonicalizationError('circular reference', path);
  const toJSON = (obj as { toJSON?: unknown }).toJSON;
  if (typeof toJSON === 'function') {
    // Same hook JSON.stringify honours (e.g. Date → ISO string).
    seen.add(obj);
    write(toJSON.call(obj, ''), path, out, seen);
    seen.delete(obj);
    return;
  }
  seen.add(obj);
  if (Array.isArray(obj)) {
    out.push('[');
    for (let i = 0; i < obj.length; i++) {
      if (i > 0) out.push(',');
      const item: unknown = obj[i];
      const p = `${path}[${i}]`;
      if (item === undefined && !(i in obj)) throw new CanonicalizationError('sparse array hole', p);
      write(item, p, out, seen);
    }
    out.push(']');
  } else {
    const proto = Object.getPrototypeOf(obj);
    if (proto !== Object.prototype && proto !== null) {
      const kind = (obj as { constructor?: { name?: string } }).constructor?.name ?? 'object';
      throw new CanonicalizationError(`${kind} is not a plain JSON object`, path);
    }
    const record = obj as Record<string, unknown>;
    // Default string sort compares UTF-16 code units, exactly as RFC 8785 §3.2.3 requires.
    const keys = Object.keys(record).sort();
    out.push('{');
    let first = true;
    for (const key of keys) {
      const v = record[key];
      if (v === undefined) continue;
      const p = `${path}${/^[A-Za-z_$][\w$]*$/.test(key) ? `.${key}` : `[${JSON.stringify(key)}]`}`;
      if (!first) out.push(',');
      first = false;
      out.push(serializeString(key, p));
      out.push(':');
      write(v, p, out, seen);
    }
    out.push('}');
  }
  seen.delete(obj);
}

function serializeNumber(n: number, path: string): string {
  if (!Number.isFinite(n)) {
    throw new CanonicalizationError(`${String(n)} is not a JSON number`, path);
  }
  // RFC 8785 §3.2.2.3: ECMAScript Number serialization; -0 becomes "0".
  if (Object.is(n, -0)) return '0';
  return String(n);
}

function serializeString(s: string, path: string): string {
  let out = '"';
  let start = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    let esc: string | null = null;
    if (c < 0x20) {
      switch (c) {
        case 0x08: esc = '\\b'; break;
        case 0x09: esc = '\\t'; break;
        case 0x0a: esc = '\\n'; break;
        case 0x0c: esc = '\\f'; break;
        case 0x0d: esc = '\\r'; break;
        default: esc = '\\u00' + (c < 0x10 ? '0' : '') + c.toString(16);
      }
    } else if (c === 0x22) {
      esc = '\\"';
    } else if (c === 0x5c) {
      esc = '\\\\';
    } else if (c >= 0xd800 && c <= 0xdfff) {
      const d = s.charCodeAt(i + 1);
      if (c <= 0xdbff && d >= 0xdc00 && d <= 0xdfff) {
        i++; // valid surrogate pair, emitted verbatim
        continue;
      }
      throw new CanonicalizationError(`lone surrogate U+${c.toString(16).toUpperCase()} in string`, path);
    }
    if (esc !== null) {
      out += s.slice(start, i) + esc;
      start = i + 1;
    }
  }
  return out + s.slice(start) + '"';
}
