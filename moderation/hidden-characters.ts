/**
 * Characters in a name that a reader cannot see as such (security review, issue 12):
 * - bidirectional controls (U+202A–U+202E, U+2066–U+2069, U+200E/F, U+061C) change the order in
 *   which the rest is displayed: "\u202Etsivqdnil haraS" shows as "Sarah Lindqvist";
 * - invisible characters (zero-width spaces and joiners, soft hyphens, fillers, tag characters,
 *   variation selectors: Unicode's Default_Ignorable_Code_Point) and control characters show
 *   nothing, so two names that look the same can differ.
 * Names people choose are refused with either (`nameHiddenCharacter`); names a host's token
 * carries are stripped of them (`stripHiddenCharacters`). Kept apart from the confusable
 * skeletons (names.ts) so that the schemas, which the widget bundles, stay small.
 */

const BIDI_CONTROL = /\p{Bidi_Control}/u;
/** Invisible or control characters, and line or paragraph separators. */
const HIDDEN = /[\p{Bidi_Control}\p{Default_Ignorable_Code_Point}\p{Cc}\p{Zl}\p{Zp}]/gu;
/**
 * Joiners and emoji variation selectors are invisible too, but emoji sequences (👩‍⚕️) and some
 * scripts need them: a chosen name may keep them. Skeletons drop them anyway.
 */
const NEEDED_INVISIBLES = new Set(['\u200C', '\u200D', '\uFE0E', '\uFE0F']);

/** What would be refused in a name a person chooses: null when nothing. */
export function nameHiddenCharacter(name: string): 'bidi-control' | 'invisible' | null {
  if (BIDI_CONTROL.test(name)) return 'bidi-control';
  for (const match of name.matchAll(HIDDEN)) if (!NEEDED_INVISIBLES.has(match[0])) return 'invisible';
  return null;
}

/** The name without bidirectional controls and invisible characters (joiners kept). */
export function stripHiddenCharacters(name: string): string {
  return name.replace(HIDDEN, (c) => (NEEDED_INVISIBLES.has(c) ? c : ''));
}

/** True when the text holds a bidirectional control (its display order may not be its stored order). */
export function hasBidiControl(text: string): boolean {
  return BIDI_CONTROL.test(text);
}

/** Every hidden character removed, joiners included: for comparing names, never for showing them. */
export function withoutHiddenCharacters(text: string): string {
  return text.replace(HIDDEN, '');
}

/** The message for a refused name, shared by the schemas (REST, sockets) and the widget. */
export const HIDDEN_CHARACTER_MESSAGE = {
  'bidi-control': 'a name may not contain right-to-left or left-to-right override characters',
  invisible: 'a name may not contain invisible characters',
} as const;
