import { describe, it, expect } from 'vitest';
import { CanonicalizationError, canonicalBytes, canonicalize, toHex } from '../../../moderation/log/index.js';

function fromBits(hex: string): number {
  const dv = new DataView(new ArrayBuffer(8));
  dv.setBigUint64(0, BigInt('0x' + hex));
  return dv.getFloat64(0);
}

describe('RFC 8785 JSON canonicalization', () => {
  it('matches the RFC 8785 §3.2.2 example (numbers, escapes, literals)', () => {
    const input = String.raw`{
      "numbers": [333333333.33333329, 1E30, 4.50, 2e-3, 0.000000000000000000000000001],
      "string": "\u20ac$\u000F\u000aA'\u0042\u0022\u005c\\\"\/",
      "literals": [null, true, false]
    }`;
    const want = String.raw`{"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],"string":"€$\u000f\nA'B\"\\\\\"/"}`;
    expect(canonicalize(JSON.parse(input))).toBe(want);
    // RFC 8785 §3.2.4: the UTF-8 bytes of that output.
    expect(toHex(canonicalBytes(JSON.parse(input)))).toBe(
      '7b226c69746572616c73223a5b6e756c6c2c747275652c66616c73655d2c226e756d62657273223a5b3333333333333333332e333333333333' +
        '332c31652b33302c342e352c302e3030322c31652d32375d2c22737472696e67223a22e282ac245c75303030665c6e4127425c225c5c5c5c5c' +
        '222f227d',
    );
  });

  it('sorts keys by UTF-16 code units (RFC 8785 §3.2.3 example)', () => {
    const input = String.raw`{
      "\u20ac": "Euro Sign",
      "\r": "Carriage Return",
      "\ufb33": "Hebrew Letter Dalet With Dagesh",
      "1": "One",
      "\ud83d\ude00": "Emoji: Grinning Face",
      "\u0080": "Control",
      "\u00f6": "Latin Small Letter O With Diaeresis"
    }`;
    const want =
      '{"\\r":"Carriage Return","1":"One","\u0080":"Control","ö":"Latin Small Letter O With Diaeresis",' +
      '"€":"Euro Sign","😀":"Emoji: Grinning Face","\ufb33":"Hebrew Letter Dalet With Dagesh"}';
    expect(canonicalize(JSON.parse(input))).toBe(want);
  });

  it('serializes numbers like ECMAScript (RFC 8785 Appendix B)', () => {
    const cases: [string, string][] = [
      ['0000000000000000', '0'],
      ['8000000000000000', '0'],
      ['0000000000000001', '5e-324'],
      ['8000000000000001', '-5e-324'],
      ['7fefffffffffffff', '1.7976931348623157e+308'],
      ['ffefffffffffffff', '-1.7976931348623157e+308'],
      ['4340000000000000', '9007199254740992'],
      ['c340000000000000', '-9007199254740992'],
      ['4430000000000000', '295147905179352830000'],
      ['44b52d02c7e14af5', '9.999999999999997e+22'],
      ['44b52d02c7e14af6', '1e+23'],
      ['44b52d02c7e14af7', '1.0000000000000001e+23'],
      ['444b1ae4d6e2ef4e', '999999999999999700000'],
      ['444b1ae4d6e2ef4f', '999999999999999900000'],
      ['444b1ae4d6e2ef50', '1e+21'],
      ['3eb0c6f7a0b5ed8c', '9.999999999999997e-7'],
      ['3eb0c6f7a0b5ed8d', '0.000001'],
      ['41b3de4355555553', '333333333.3333332'],
      ['41b3de4355555554', '333333333.33333325'],
      ['41b3de4355555555', '333333333.3333333'],
      ['41b3de4355555556', '333333333.3333334'],
      ['41b3de4355555557', '333333333.33333343'],
      ['becbf647612f3696', '-0.0000033333333333333333'],
      ['43143ff3c1cb0959', '1424953923781206.2'],
    ];
    for (const [bits, want] of cases) expect(canonicalize(fromBits(bits)), bits).toBe(want);
    expect(canonicalize([1e21, 1e20, 1e-7, 1e-6, -0, 0.1, 100, -1.5])).toBe('[1e+21,100000000000000000000,1e-7,0.000001,0,0.1,100,-1.5]');
  });

  it('escapes only what JSON requires, with lower-case hex', () => {
    expect(canonicalize('\b\t\n\f\r"\\/\u0000\u001f\u007f\u2028é😀')).toBe('"\\b\\t\\n\\f\\r\\"\\\\/\\u0000\\u001f\u007f\u2028é😀"');
    expect(canonicalize({ 'a"b': 1 })).toBe('{"a\\"b":1}');
  });

  it('is independent of key insertion order and nests', () => {
    const a = { b: [1, { z: null, y: 'x' }], a: true, c: {} , d: [] };
    const b = { d: [], c: {}, a: true, b: [1, { y: 'x', z: null }] };
    expect(canonicalize(a)).toBe('{"a":true,"b":[1,{"y":"x","z":null}],"c":{},"d":[]}');
    expect(canonicalize(b)).toBe(canonicalize(a));
    expect(canonicalize({ 10: 'a', 9: 'b', '-1': 'c' })).toBe('{"-1":"c","10":"a","9":"b"}');
  });

  it('omits undefined object properties and honours toJSON like JSON.stringify', () => {
    expect(canonicalize({ a: undefined, b: 1 })).toBe('{"b":1}');
    expect(canonicalize({ at: new Date(Date.UTC(2024, 0, 2, 3, 4, 5)) })).toBe('{"at":"2024-01-02T03:04:05.000Z"}');
    expect(canonicalize(Object.assign(Object.create(null), { b: 2, a: 1 }))).toBe('{"a":1,"b":2}');
  });

  it('rejects values JSON cannot represent, naming the path', () => {
    const bad: [unknown, string][] = [
      [NaN, '$'],
      [{ a: [1, Infinity] }, '$.a[1]'],
      [{ a: -Infinity }, '$.a'],
      [[1, undefined], '$[1]'],
      // eslint-disable-next-line no-sparse-arrays
      [[1, , 3], '$[1]'],
      [{ n: 10n }, '$.n'],
      [{ f: () => 1 }, '$.f'],
      [{ s: Symbol('x') }, '$.s'],
      [{ 'odd key': '\ud800' }, '$["odd key"]'],
      [{ ['\udc00']: 1 }, '$["\\udc00"]'],
      [{ m: new Map() }, '$.m'],
      [{ u: new Uint8Array(2) }, '$.u'],
      [undefined, '$'],
    ];
    for (const [value, path] of bad) {
      let err: unknown;
      try {
        canonicalize(value);
      } catch (e) {
        err = e;
      }
      expect(err, path).toBeInstanceOf(CanonicalizationError);
      expect((err as CanonicalizationError).path).toBe(path);
    }
    const cyclic: Record<string, unknown> = { a: 1 };
    cyclic.self = cyclic;
    expect(() => canonicalize(cyclic)).toThrow(/circular/);
    class Thing {
      x = 1;
    }
    expect(() => canonicalize(new Thing())).toThrow(/Thing is not a plain JSON object/);
  });

  it('allows shared (non-cyclic) references', () => {
    const shared = { x: 1 };
    expect(canonicalize({ a: shared, b: shared })).toBe('{"a":{"x":1},"b":{"x":1}}');
  });

  it('encodes as UTF-8', () => {
    expect(Array.from(canonicalBytes('é€😀'))).toEqual([0x22, 0xc3, 0xa9, 0xe2, 0x82, 0xac, 0xf0, 0x9f, 0x98, 0x80, 0x22]);
  });
});
