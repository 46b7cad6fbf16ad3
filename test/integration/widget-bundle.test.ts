/**
 * Issue 17: the widget's first render fits its budget. The bundle is built from the sources as
 * shipped (vite.config.ts) into a temporary directory and read as a visitor's browser gets it:
 * parley.js is the whole first render (every lazy part is an `import()`, fetched later), and its
 * gzip size is within 40 kB. `npm run bench -- widget` measures the same in Chromium, with every
 * script a real page fetches before its posts are on screen.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { en } from '../../widget/i18n/en.js';
import { enLater } from '../../widget/i18n/en-later.js';

const BUDGET_BYTES = 40 * 1024;

let distDir: string;
let entry: string;

beforeAll(async () => {
  distDir = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-bundle-'));
  // As `npm run build` does it. Vitest sets NODE_ENV=test, and Vite resolves packages' "development"
  // exports unless NODE_ENV is "production" (lit's development build is a tenth larger).
  const nodeEnv = process.env.NODE_ENV;
  process.env.NODE_ENV = 'production';
  try {
    await build({ mode: 'production', logLevel: 'warn', build: { outDir: distDir, emptyOutDir: true } });
  } finally {
    process.env.NODE_ENV = nodeEnv;
  }
  entry = fs.readFileSync(path.join(distDir, 'parley.js'), 'utf8');
}, 120_000);

afterAll(() => {
  if (distDir) fs.rmSync(distDir, { recursive: true, force: true });
});

describe('dist/parley.js', () => {
  it('is the whole first render: it imports no other file before it runs', () => {
    // `import{a as e}from"./assets/x.js"` or `import"./x.js"`; `import("./x.js")` is a lazy part.
    const staticImports = entry.match(/\bimport\s*(?:[\w$*{][^;]*?from\s*)?["'`][^"'`]+["'`]/g) ?? [];
    expect(staticImports).toEqual([]);
    // The lazy parts are still there, as chunks of their own.
    expect(entry).toMatch(/import\(["'`]\.\/assets\/parley-audit-log-[\w-]+\.js["'`]\)/);
  });

  it('carries the English the first render shows, and not the rest (a chunk loaded after it)', () => {
    const inEntry = (text: string) => entry.includes(text);
    expect(inEntry(en.discussionLabel) && inEntry(en.originNotRegistered) && inEntry(en.deletedByAuthor)).toBe(true);
    const firstRender = new Set<string>(Object.values(en));
    const rest = Object.values(enLater).filter((text) => text.length > 20 && !firstRender.has(text));
    expect(rest.length).toBeGreaterThan(20);
    expect(rest.filter(inEntry)).toEqual([]);
    const chunk = fs.readdirSync(path.join(distDir, 'assets')).find((f) => /^en-later-[\w-]+\.js$/.test(f));
    expect(chunk, 'no en-later chunk').toBeDefined();
    expect(entry).toContain(`assets/${chunk}`);
  });

  it('is within the 40 kB gzip budget', () => {
    const gzip = zlib.gzipSync(entry, { level: 9 }).length;
    expect(gzip).toBeLessThanOrEqual(BUDGET_BYTES);
  });
});
