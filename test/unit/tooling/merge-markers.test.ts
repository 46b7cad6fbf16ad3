/**
 * No file in the repository carries a merge's conflict markers. Inside a comment or a Lit
 * template the compiler does not see them (one reached main that way), so they are looked
 * for here, in every tracked text file.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';

const MARKER = /^(<{7}|>{7}|={7})( |$)/m;

describe('merge markers', () => {
  it('no tracked text file contains a conflict marker', () => {
    const files = execFileSync('git', ['ls-files', '-z'], { encoding: 'utf8' }).split('\0').filter(Boolean);
    const marked = files.filter((file) => {
      if (!/\.(ts|js|mjs|json|md|css|html|sql|yml|yaml)$/.test(file) || !fs.existsSync(file)) return false;
      return MARKER.test(fs.readFileSync(file, 'utf8'));
    });
    expect(marked).toEqual([]);
  });
});
