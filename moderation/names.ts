/**
 * Names that pass for someone else's (security review, issue 12). Members choose their names
 * freely (pseudonyms welcome), but not one that reads as a verified staff member's, a company's,
 * or a moderator's or admin's. Two names are compared by their skeletons:
 *
 * - Unicode's confusable skeletons (UTS #39 `skeleton()`: NFD, each character replaced by its
 *   prototype from Unicode's confusables.txt, NFD again), so a capital Cyrillic А, a Greek
 *   omicron or a mathematical bold 𝐒 reads as the Latin letter. The mapping comes from
 *   `unhomoglyph` (generated from confusables.txt, no dependencies, no I/O: a pure function);
 * - compatibility forms (NFKD: fullwidth letters, ligatures), Latin small capitals (ᴀ ʙ ᴄ, not
 *   in confusables.txt since their shape differs, but read as the letter), accents, case;
 * - invisible characters and bidirectional controls are dropped, and a name that holds a
 *   right-to-left override is compared as it displays (reversed) as well as stored;
 * - Parley's own folds for names: titles ("Dr."), digits and signs used as letters (4 → a,
 *   3 → e, $ → s), and spacing and punctuation.
 */
import unhomoglyph from 'unhomoglyph';
import { hasBidiControl, withoutHiddenCharacters } from './hidden-characters.js';

/** Latin letter small capitals, read as their letters. */
const SMALL_CAPITALS: Record<string, string> = {
  '\u1D00': 'a', '\u0299': 'b', '\u1D04': 'c', '\u1D05': 'd', '\u1D07': 'e', '\uA730': 'f', '\u0262': 'g',
  '\u029C': 'h', '\u026A': 'i', '\u1D0A': 'j', '\u1D0B': 'k', '\u029F': 'l', '\u1D0D': 'm', '\u0274': 'n',
  '\u1D0F': 'o', '\u1D18': 'p', '\uA7AF': 'q', '\u0280': 'r', '\uA731': 's', '\u1D1B': 't', '\u1D1C': 'u',
  '\u1D20': 'v', '\u1D21': 'w', '\u028F': 'y', '\u1D22': 'z', '\u0276': 'oe', '\u1D01': 'ae',
};
const SMALL_CAPITAL = new RegExp(`[${Object.keys(SMALL_CAPITALS).join('')}]`, 'gu');

/** UTS #39 skeleton of a text (Unicode's confusables.txt). */
export function confusableSkeleton(text: string): string {
  return unhomoglyph(text.normalize('NFD')).normalize('NFD');
}

/** Folds a name to a comparable skeleton: look-alike characters, case, accents, titles, spacing. */
export function nameSkeleton(name: string): string {
  const visible = withoutHiddenCharacters(name).normalize('NFKD').replace(SMALL_CAPITAL, (c) => SMALL_CAPITALS[c]!);
  // Lowercasing after the skeleton and once more before it catches look-alikes of either case.
  const folded = confusableSkeleton(confusableSkeleton(visible).toLowerCase()).toLowerCase().replace(/\p{M}/gu, '');
  return (
    folded
      // confusables.txt reads "m" as "rn"; Parley's folds read both as "m".
      .replace(/rn/g, 'm')
      // Titles do not make a different person: "Dr. Sarah Lindqvist" is "Sarah Lindqvist".
      .replace(/(^|[^a-z])(dr|prof|mr|mrs|ms|mx|sir)\.?(?=[^a-z]|$)/g, '$1 ')
      // Digits and shapes used to imitate letters; i, l, 1 and | collapse to one letter.
      .replace(/0/g, 'o')
      .replace(/[1!|il]/g, 'l')
      .replace(/3/g, 'e')
      .replace(/[5$]/g, 's')
      .replace(/[@4]/g, 'a')
      // Letters of every script count; spacing and punctuation do not.
      .replace(/[^\p{L}\p{N}]+/gu, '')
  );
}

export interface ProtectedName {
  name: string;
  /** What the name belongs to, for the error message. */
  kind: 'staff' | 'company' | 'moderator' | 'admin';
}

/**
 * Skeletons of protected names, which are compared again at every sign-in and rename: a
 * bounded memo (a skeleton depends on the name alone, so this changes no answer).
 */
const protectedSkeletons = new Map<string, string>();
const PROTECTED_SKELETONS_KEPT = 10_000;
function protectedSkeleton(name: string): string {
  let skeleton = protectedSkeletons.get(name);
  if (skeleton === undefined) {
    if (protectedSkeletons.size >= PROTECTED_SKELETONS_KEPT) protectedSkeletons.clear();
    skeleton = nameSkeleton(name);
    protectedSkeletons.set(name, skeleton);
  }
  return skeleton;
}

/** The skeletons a name may be read as: as stored, and reversed when it holds a direction override. */
function readings(name: string): string[] {
  const skeletons = [nameSkeleton(name)];
  if (hasBidiControl(name)) skeletons.push(nameSkeleton([...withoutHiddenCharacters(name)].reverse().join('')));
  return skeletons.filter(Boolean);
}

/**
 * Does a member's chosen name imitate a protected name (verified staff, a company taking part,
 * a moderator or an admin)? Returns the imitated name, or null. Short protected names (under 4
 * characters once folded) only match exactly, so "Al" does not block "Alan"; a significant part
 * of a company's name (5+ characters) counts as imitating the company. Moderators and admins
 * often go by a first name alone: a name of one word only protects itself, so a moderator
 * "Anna" does not block every "Anna" who writes ("Anna Jansen"), only "Anna" and its look-alikes.
 */
export function imitatedName(candidate: string, protectedNames: readonly ProtectedName[]): ProtectedName | null {
  const skeletons = readings(candidate);
  if (skeletons.length === 0) return null;
  for (const entry of protectedNames) {
    const target = protectedSkeleton(entry.name);
    if (!target) continue;
    const contained = entry.kind === 'staff' || entry.kind === 'company' || /\S\s+\S/u.test(entry.name.trim());
    for (const skeleton of skeletons) {
      if (skeleton === target) return entry;
      if (target.length >= 4 && contained && skeleton.includes(target)) return entry;
      // "Novacura" imitates "Novacura Pharma"; a first name alone does not imitate a person.
      if (entry.kind === 'company' && skeleton.length >= 5 && target.includes(skeleton)) return entry;
    }
  }
  return null;
}

/** How the refusal names what was imitated. */
export function describeProtected(entry: ProtectedName): string {
  switch (entry.kind) {
    case 'staff': return 'a verified staff member';
    case 'company': return 'a company taking part';
    case 'moderator': return 'a moderator';
    case 'admin': return 'an administrator';
  }
}
