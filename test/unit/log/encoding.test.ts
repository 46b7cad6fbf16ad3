import { describe, it, expect } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { bytesEqual, fromBase64, fromHex, isWellFormedUnicode, toBase64, toHex, utf8Decode, utf8Encode } from '../../../moderation/log/index.js';

describe('hex', () => {
  it('round trips and is strict', () => {
    const b = Uint8Array.of(0, 1, 0x7f, 0x80, 0xab, 0xff);
    expect(toHex(b)).toBe('00017f80abff');
    expect(fromHex('00017f80abff')).toEqual(b);
    expect(fromHex('00017F80ABFF')).toEqual(b);
    expect(fromHex('')).toEqual(new Uint8Array(0));
    for (const bad of ['0', '0g', ' 00', '0x00', '00 ']) expect(() => fromHex(bad), bad).toThrow(TypeError);
  });
});

describe('base64 (RFC 4648 §4)', () => {
  it('matches the RFC 4648 test vectors', () => {
    const vectors: [string, string][] = [
      ['', ''], ['f', 'Zg=='], ['fo', 'Zm8='], ['foo', 'Zm9v'], ['foob', 'Zm9vYg=='], ['fooba', 'Zm9vYmE='], ['foobar', 'Zm9vYmFy'],
    ];
    for (const [plain, b64] of vectors) {
      expect(toBase64(utf8Encode(plain))).toBe(b64);
      expect(utf8Decode(fromBase64(b64))).toBe(plain);
    }
  });

  it('round trips all byte values and lengths', () => {
    for (let len = 0; len < 70; len++) {
      const b = new Uint8Array(len).map((_, i) => (i * 37 + len * 11) & 255);
      expect(fromBase64(toBase64(b))).toEqual(b);
    }
    const all = new Uint8Array(256).map((_, i) => i);
    expect(fromBase64(toBase64(all))).toEqual(all);
  });

  it('rejects non-canonical or non-standard input', () => {
    for (const bad of ['Zg', 'Zg=', 'Zh==', 'Zm9=', 'Zm9v\n', 'Zm 9v', 'Zm-_', '====', 'Z===', 'Zg==Zg==', 'Zé==']) {
      expect(() => fromBase64(bad), bad).toThrow(TypeError);
    }
  });
});

describe('UTF-8 and bytes', () => {
  it('rejects lone surrogates and invalid UTF-8', () => {
    expect(isWellFormedUnicode('a😀b')).toBe(true);
    expect(isWellFormedUnicode('a\ud83d')).toBe(false);
    expect(isWellFormedUnicode('\ude00a')).toBe(false);
    expect(() => utf8Encode('\ud83d')).toThrow(TypeError);
    expect(() => utf8Decode(Uint8Array.of(0xc3, 0x28))).toThrow(TypeError);
    expect(utf8Decode(Uint8Array.of(0xef, 0xbb, 0xbf, 0x41))).toBe('\ufeffA');
  });

  it('compares bytes', () => {
    expect(bytesEqual(Uint8Array.of(1, 2), Uint8Array.of(1, 2))).toBe(true);
    expect(bytesEqual(Uint8Array.of(1, 2), Uint8Array.of(1, 3))).toBe(false);
    expect(bytesEqual(Uint8Array.of(1), Uint8Array.of(1, 2))).toBe(false);
  });
});

describe('purity of moderation/log', () => {
  it('uses no Node-only APIs, clocks or ambient randomness', () => {
    const dir = fileURLToPath(new URL('../../../moderation/log/', import.meta.url));
    const files = readdirSync(dir).filter((f) => f.endsWith('.ts'));
    expect(files.length).toBeGreaterThanOrEqual(8);
    const forbidden = [/from ['"]node:/, /from ['"](fs|path|crypto|buffer|os)['"]/, /\bBuffer\b/, /\bprocess\./, /Date\.now/, /new Date\(\)/, /Math\.random/, /getRandomValues\s*\(/, /randomBytes\s*\(/, /\brequire\(/];
    for (const f of files) {
      // Strip comments: the doc comments may *mention* what the code must not use.
      const src = readFileSync(dir + f, 'utf8').replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
      for (const re of forbidden) expect(re.test(src), `${f} matches ${re}`).toBe(false);
    }
  });
});
