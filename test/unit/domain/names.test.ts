/**
 * Names that imitate (security review, issue 12): each case the review found passing before
 * is refused now, and ordinary names stay free.
 */
import { describe, expect, it } from 'vitest';
import { imitatedName, nameSkeleton, type ProtectedName } from '../../../moderation/names.js';
import { nameHiddenCharacter, stripHiddenCharacters } from '../../../moderation/hidden-characters.js';
import { parseWith, RenameSchema, HostClaimsSchema } from '../../../moderation/schemas.js';

const PROTECTED: ProtectedName[] = [
  { name: 'Sarah Lindqvist', kind: 'staff' },
  { name: 'Novacura Pharma', kind: 'company' },
  { name: 'Goran Petrov', kind: 'moderator' },
  { name: 'Ines Admin', kind: 'admin' },
];

describe('confusable skeletons (UTS #39)', () => {
  it('a capital Cyrillic letter reads as the Latin one', () => {
    // U+0410 CYRILLIC CAPITAL LETTER A, U+0405 CYRILLIC CAPITAL LETTER DZE (Ѕ)
    expect(nameSkeleton('S\u0410RAH LINDQVIST')).toBe(nameSkeleton('Sarah Lindqvist'));
    expect(imitatedName('\u0405arah Lindqvist', PROTECTED)?.name).toBe('Sarah Lindqvist');
  });

  it('a Greek omicron reads as o', () => {
    // U+03BF GREEK SMALL LETTER OMICRON, U+039F GREEK CAPITAL LETTER OMICRON
    expect(imitatedName('G\u03BFran Petrov', PROTECTED)).toEqual({ name: 'Goran Petrov', kind: 'moderator' });
    expect(imitatedName('N\u039Fvacura', PROTECTED)?.kind).toBe('company');
  });

  it('small capitals read as their letters', () => {
    expect(imitatedName('\uA731\u1D00\u0280\u1D00\u029C \u029F\u026A\u0274\u1D05\uA7AF\u1D20\u026A\uA731\u1D1B', PROTECTED)?.name).toBe('Sarah Lindqvist');
    expect(imitatedName('\u026A\u0274\u1D07\uA731 \u1D00\u1D05\u1D0D\u026A\u0274', PROTECTED)).toEqual({ name: 'Ines Admin', kind: 'admin' });
  });

  it('fullwidth and mathematical letters, accents and digits fold too', () => {
    for (const name of ['\uFF33\uFF41\uFF52\uFF41\uFF48 Lindqvist', '\u{1D412}\u{1D41A}\u{1D42B}\u{1D41A}\u{1D421} Lindqvist', 'Sárah Líndqvist', 'S4rah Lindqv1st']) {
      expect(imitatedName(name, PROTECTED)?.name, name).toBe('Sarah Lindqvist');
    }
  });

  it('a right-to-left override that displays reversed text as a staff name is caught', () => {
    // Stored "tsivqdniL haraS" after U+202E RIGHT-TO-LEFT OVERRIDE: displayed "Sarah Lindqvist".
    expect(imitatedName('\u202Etsivqdnil haraS', PROTECTED)?.name).toBe('Sarah Lindqvist');
    expect(imitatedName('\u2067\u202Enimda seni\u2069', PROTECTED)?.kind).toBe('admin');
  });

  it('invisible characters between the letters do not make another name', () => {
    for (const hidden of ['\u200B', '\u2060', '\u00AD', '\uFEFF', '\u200D', '\u{E0041}']) {
      expect(imitatedName(`Sarah${hidden} Lind${hidden}qvist`, PROTECTED)?.name, hidden.codePointAt(0)!.toString(16)).toBe('Sarah Lindqvist');
    }
  });

  it('a moderator known by one name protects that name only', () => {
    const anna: ProtectedName[] = [{ name: 'Anna', kind: 'moderator' }];
    expect(imitatedName('\u0410nna', anna)?.name).toBe('Anna');
    expect(imitatedName('Anna Jansen', anna)).toBeNull();
    expect(imitatedName('Goran Petrov (mod)', PROTECTED)?.kind).toBe('moderator');
  });

  it('ordinary names, and names in other scripts, stay free', () => {
    for (const name of ['Sarah', 'Sarah Lindgren', 'Goran', 'Ines', 'Pieter V.', 'Алексей Петров', 'Γιώργος', '佐藤 花子', 'Mira 🌻', '👩‍⚕️ Nurse at heart']) {
      expect(imitatedName(name, PROTECTED), name).toBeNull();
    }
    expect(nameSkeleton('Алексей')).not.toBe(nameSkeleton('Мария'));
  });
});

describe('hidden characters in names', () => {
  it('names people choose refuse direction overrides and invisible characters, but keep emoji joiners', () => {
    expect(nameHiddenCharacter('\u202Etsivqdnil haraS')).toBe('bidi-control');
    expect(nameHiddenCharacter('Sa\u2066rah')).toBe('bidi-control');
    expect(nameHiddenCharacter('Sarah\u200BLindqvist')).toBe('invisible');
    expect(nameHiddenCharacter('\u3164')).toBe('invisible');
    expect(nameHiddenCharacter('👩‍⚕️ Nurse')).toBeNull();
    expect(nameHiddenCharacter('Sarah Lindqvist')).toBeNull();
    const refused = parseWith(RenameSchema, { displayName: '\u202Etsivqdnil haraS' });
    expect(refused.ok).toBe(false);
    expect(!refused.ok && refused.message).toMatch(/override/);
    expect(parseWith(RenameSchema, { displayName: 'Sarah\u200B' }).ok).toBe(false);
    expect(parseWith(RenameSchema, { displayName: 'Mira 🌻' }).ok).toBe(true);
  });

  it("a host token's name is stripped of them instead (the host decided the name)", () => {
    expect(stripHiddenCharacters('\u202Etsivqdnil\u200B haraS')).toBe('tsivqdnil haraS');
    const claims = parseWith(HostClaimsSchema, { sub: 'x', name: '\u202Etsivqdnil haraS\u202C' });
    expect(claims.ok && claims.value.name).toBe('tsivqdnil haraS');
    // Nothing visible left: refused like an empty name.
    expect(parseWith(HostClaimsSchema, { sub: 'x', name: '\u200B\u202E' }).ok).toBe(false);
  });
});
