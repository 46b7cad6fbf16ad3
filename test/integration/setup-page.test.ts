/**
 * The first-run pages in a real browser (Debian's headless Chromium, driven by puppeteer-core as
 * bench/widget.ts does): the setup form used with the keyboard only, its refusals shown beside
 * their fields and focused, the success announced, the invitation page signing the admin in,
 * and axe-core finding no accessibility violation at each step.
 */
import type { Browser, Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { axeViolations, launchPage } from '../support/puppeteer-page.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { startSmtpSink, type SmtpSink } from '../support/smtp-sink.js';


let sink: SmtpSink;
let server: TestServer;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  sink = await startSmtpSink();
  server = await startTestServer({ sites: [], firstRunSetup: true, smtpUrl: sink.url });
  // axe is injected as a script of its own: the pages' CSP (rightly) allows no inline script.
  ({ browser, page } = await launchPage());
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await server?.close();
  await sink?.close();
});

const focused = () => page.evaluate(() => document.activeElement?.id ?? '');
const text = (id: string) => page.$eval(`#${id}`, (el) => el.textContent ?? '');

describe('the setup page', () => {
  it('is accessible, and reached field by field with the keyboard in reading order', async () => {
    await page.goto(server.setupUrl!);
    expect(await axeViolations(page)).toEqual([]);
    const order: string[] = [];
    for (let i = 0; i < 7; i++) {
      await page.keyboard.press('Tab');
      order.push(await focused());
    }
    expect(order).toEqual(['name', 'site-id', 'origins', 'method-email', 'method-host-token', 'admin-email', '']);
    expect(await page.evaluate(() => document.activeElement?.tagName)).toBe('BUTTON');
  });

  it('shows a refused origin beside its field, focused, and announced', async () => {
    await page.focus('#name');
    await page.keyboard.type('Meadowbrook Patients');
    await page.keyboard.press('Tab');
    await page.keyboard.type('meadowbrook');
    await page.keyboard.press('Tab');
    await page.keyboard.type('https://www.meadowbrook.example');
    await page.keyboard.press('Enter');
    await page.keyboard.type('http://meadowbrook.example');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Space'); // host-token too
    await page.keyboard.press('Tab');
    await page.keyboard.type('chair@meadowbrook.example');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => document.getElementById('origins')!.getAttribute('aria-invalid') === 'true');
    expect(await focused()).toBe('origins');
    expect(await text('origins-error')).toContain('Line 2: Pages on the internet are served over https: write https://meadowbrook.example');
    expect(await page.$eval('#problems', (el) => el.getAttribute('role'))).toBe('alert');
    expect(await text('problems')).toContain('see the messages beside them');
    expect(await server.store.listSites()).toEqual([]);
    expect(await axeViolations(page)).toEqual([]);
  });

  it('creates the site once corrected, moves focus to the result and shows the secret once', async () => {
    // Still on the origins field: replace its second line.
    await page.keyboard.down('Control');
    await page.keyboard.press('KeyA');
    await page.keyboard.up('Control');
    await page.keyboard.type('https://www.meadowbrook.example https://meadowbrook.example');
    await page.focus('button');
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => !document.getElementById('done')!.hidden);
    expect(await focused()).toBe('done-title');
    expect(await page.$eval('#setup', (el) => (el as HTMLFormElement).hidden)).toBe(true);
    expect(await text('done-invited')).toContain('An invitation was sent to chair@meadowbrook.example');
    const secret = await text('secret');
    expect((await server.store.getSite('meadowbrook'))!.secret).toBe(secret);
    expect(await text('embed')).toContain('<parley-discussion site="meadowbrook"');
    expect((await server.store.getSite('meadowbrook'))!.origins).toEqual(['https://www.meadowbrook.example', 'https://meadowbrook.example']);
    expect(await axeViolations(page)).toEqual([]);
  });
});

describe('the invitation page', () => {
  it('signs the invited admin in, keeps the session where the widget looks, and clears the token from the address', async () => {
    let token: string | undefined;
    for (let i = 0; i < 200 && !token; i++) {
      const mail = sink.messages.find((m) => m.to.includes('<chair@meadowbrook.example>'));
      // Undo quoted-printable (soft line breaks, =XX escapes) before reading the link.
      const body = mail?.data.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
      token = body ? /\/setup\/accept#token=([A-Za-z0-9_-]+)/.exec(body)?.[1] : undefined;
      if (!token) await new Promise((resolve) => setTimeout(resolve, 25));
    }
    expect(token).toBeTruthy();
    await page.goto(`${server.url}/setup/accept#token=${token}`);
    await page.waitForFunction(() => document.getElementById('accept-status')!.textContent !== 'Accepting the invitation…');
    expect(await text('accept-status')).toContain('You are now the admin of Meadowbrook Patients');
    // The next step is one click away: the site's console on this server.
    expect(await page.evaluate(() => document.querySelector('#accept-status a')?.getAttribute('href'))).toBe('/admin/meadowbrook');
    expect(await page.evaluate(() => location.hash)).toBe('');
    const refresh = await page.evaluate((key) => localStorage.getItem(key), `parley-session:${server.url}:meadowbrook`);
    expect(refresh).toMatch(/^[A-Za-z0-9_-]{20,}$/);
    expect(await axeViolations(page)).toEqual([]);

    // The same link again (a fresh load, not a fragment change): refused, and said so.
    await page.goto('about:blank');
    await page.goto(`${server.url}/setup/accept#token=${token}`);
    await page.waitForFunction(() => document.getElementById('accept-status')!.textContent !== 'Accepting the invitation…');
    expect(await text('accept-status')).toBe('This invitation was already accepted.');
  });
});
