/**
 * A page in Debian's headless Chromium through puppeteer-core, for integration tests that look at
 * server-rendered pages (the first-run setup pages), and an axe check of what it shows. Chromium
 * comes from the system (scripts/chromium.mjs); nothing is downloaded.
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import type { Browser, Page } from 'puppeteer-core';
import { ensureChromium } from '../../scripts/chromium.mjs';

/** Flags for a headless Chromium run as root that never reaches for the internet (STACK.md). */
export const CHROME_FLAGS = ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking',
  '--disable-component-update', '--no-first-run', '--disable-sync', '--disable-quic'];

const AXE = fs.readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** A browser with one page whose CSP lets the axe script in. */
export async function launchPage(): Promise<{ browser: Browser; page: Page }> {
  const chromium = ensureChromium();
  if (!chromium.ok) throw new Error(chromium.message);
  const { default: puppeteer } = await import('puppeteer-core');
  const browser = await puppeteer.launch({ executablePath: chromium.path, headless: true, args: CHROME_FLAGS });
  const page = await browser.newPage();
  await page.setBypassCSP(true);
  return { browser, page };
}

/** axe's WCAG 2.1 A/AA and best-practice violations on the page, as "rule: targets" lines. */
export async function axeViolations(page: Page): Promise<string[]> {
  await page.addScriptTag({ content: AXE });
  return page.evaluate(async () => {
    const result = await (window as any).axe.run(document, { runOnly: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] });
    return result.violations.map((v: any) => `${v.id}: ${v.nodes.map((n: any) => n.target.join(' ')).join(', ')}`);
  });
}
