/**
 * "Standard safety information" (requirements digest D-2): text a site marks as required
 * boilerplate — a safety signpost, a standard disclaimer — is exempt from the scripted-reply
 * label, and a post that carries it says so plainly, so readers see why the same words appear
 * under many staff posts. Pure: the boilerplate is compiled once, posts are checked against it.
 *
 * A post includes standard information when the boilerplate's shingles cover at least `share`
 * of the tokens of the shortest boilerplate passage (so a passage quoted whole, or with a word
 * or two changed, counts; two common words in a row do not).
 */
import { compileBoilerplate, shingleText, type BoilerplateSet } from './near-duplicate.js';

export interface StandardInfo {
  set: BoilerplateSet;
  /** Tokens of the shortest passage: how much must be covered. */
  minTokens: number;
}

/** Default share of a passage that must appear. */
export const STANDARD_INFO_SHARE = 0.8;

export function compileStandardInfo(texts: readonly string[]): StandardInfo | null {
  const lengths = texts.map((t) => shingleText(t).totalTokens).filter((n) => n > 0);
  if (lengths.length === 0) return null;
  return { set: compileBoilerplate(texts), minTokens: Math.min(...lengths) };
}

export function includesStandardInfo(text: string, info: StandardInfo, share = STANDARD_INFO_SHARE): boolean {
  const { totalTokens, contentTokens } = shingleText(text, { boilerplate: info.set });
  return totalTokens - contentTokens >= Math.ceil(info.minTokens * share);
}
