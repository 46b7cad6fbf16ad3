/**
 * A word-level difference between two texts (longest common subsequence), for "what changes
 * against the version in force" in the house-rules editor. Rules are at most 3,000 characters
 * (≈ 500 words), so the quadratic table stays small; longer texts fall back to whole lines.
 */
export type DiffPart = { kind: 'same' | 'added' | 'removed'; text: string };

const MAX_TOKENS = 1500;

export function diffWords(before: string, after: string): DiffPart[] {
  let a = before.split(/(\s+)/).filter(Boolean);
  let b = after.split(/(\s+)/).filter(Boolean);
  if (a.length > MAX_TOKENS || b.length > MAX_TOKENS) {
    a = before.split(/(?<=\n)/);
    b = after.split(/(?<=\n)/);
  }
  const n = a.length;
  const m = b.length;
  // lcs[i][j]: length of the common subsequence of a[i..] and b[j..].
  const lcs = Array.from({ length: n + 1 }, () => new Uint16Array(m + 1));
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) lcs[i]![j] = a[i] === b[j] ? lcs[i + 1]![j + 1]! + 1 : Math.max(lcs[i + 1]![j]!, lcs[i]![j + 1]!);
  }
  const parts: DiffPart[] = [];
  const push = (kind: DiffPart['kind'], text: string) => {
    const last = parts.at(-1);
    if (last?.kind === kind) last.text += text;
    else parts.push({ kind, text });
  };
  let i = 0;
  let j = 0;
  while (i < n && j < m) {
    if (a[i] === b[j]) {
      push('same', a[i]!);
      i++;
      j++;
    } else if (lcs[i + 1]![j]! >= lcs[i]![j + 1]!) push('removed', a[i++]!);
    else push('added', b[j++]!);
  }
  while (i < n) push('removed', a[i++]!);
  while (j < m) push('added', b[j++]!);
  return parts;
}
