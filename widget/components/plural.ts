/**
 * Plurals and counts through Intl (issue 17): `plural(t, lang, 'queueCount', n)` picks the
 * message `queueCount_<category>` for Intl.PluralRules' category of n in `lang` ("one", "few",
 * "many", …) when the table has it, else `queueCount` (the "other" form), and fills `{count}`
 * with the number formatted by Intl.NumberFormat ("1,234"). No English-only `n === 1 ? … : …`.
 * (The i18n branch may replace this with ICU messages; the keys stay where they are.)
 */
type Fill = (key: string, vars?: Record<string, string | number>) => string;

const rules = new Map<string, Intl.PluralRules>();
const numbers = new Map<string, Intl.NumberFormat>();

export function formatCount(n: number, lang: string): string {
  let f = numbers.get(lang);
  if (!f) numbers.set(lang, (f = new Intl.NumberFormat(lang)));
  return f.format(n);
}

export function plural(t: Fill, lang: string, key: string, count: number, vars: Record<string, string | number> = {}): string {
  let r = rules.get(lang);
  if (!r) rules.set(lang, (r = new Intl.PluralRules(lang)));
  const filled = { ...vars, count: formatCount(count, lang) };
  const specific = `${key}_${r.select(count)}`;
  const text = t(specific, filled);
  return text === specific ? t(key, filled) : text;
}
