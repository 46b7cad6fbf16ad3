/**
 * The first-run pages in the browser's language (issue 17), in a real browser (Debian's headless
 * Chromium via puppeteer-core, as setup-page.test.ts): French chosen by Accept-Language, Arabic by
 * `?lang=ar` laid out right to left, each axe-clean, with the script's own sentences (the result
 * of sending the form) in the page's language too; a refused link in German.
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

const root = () => page.evaluate(() => ({ lang: document.documentElement.lang, dir: document.documentElement.dir, h1: document.querySelector('h1')!.textContent }));
const text = (id: string) => page.$eval(`#${id}`, (el) => el.textContent ?? '');

describe('the setup page', () => {
  it('speaks French when the browser asks for it', async () => {
    await page.setExtraHTTPHeaders({ 'accept-language': 'fr-BE, fr;q=0.9, en;q=0.5' });
    await page.setViewport({ width: 1280, height: 900 });
    await page.goto(server.setupUrl!);
    expect(await root()).toEqual({ lang: 'fr', dir: 'ltr', h1: 'Configurer Parley' });
    expect(await page.$eval('label[for=admin-email]', (el) => el.textContent)).toBe('Adresse e-mail');
    expect(await page.$eval('button[type=submit]', (el) => el.textContent)).toBe('Créer le site et envoyer l’invitation');
    expect(await axeViolations(page)).toEqual([]);
  });

  it('is laid out right to left in Arabic, and its script answers in Arabic', async () => {
    await page.setExtraHTTPHeaders({ 'accept-language': 'en' });
    await page.setViewport({ width: 390, height: 844 });
    await page.goto(`${server.setupUrl!}&lang=ar`);
    expect(await root()).toEqual({ lang: 'ar', dir: 'rtl', h1: 'إعداد Parley' });
    expect(await page.$eval('main', (el) => getComputedStyle(el).direction)).toBe('rtl');
    expect(await axeViolations(page)).toEqual([]);

    await page.type('#name', 'مرضى المرج');
    await page.type('#site-id', 'marj');
    await page.type('#origins', 'https://marj.example');
    await page.type('#admin-email', 'chair@marj.example');
    await page.click('button[type=submit]');
    await page.waitForSelector('#done:not([hidden])');
    expect(await text('done-title')).toBe('تم إنشاء الموقع');
    expect(await text('done-invited')).toBe('أُرسلت دعوة إلى chair@marj.example. الرابط فيها صالح 24 ساعة.');
    expect(await axeViolations(page)).toEqual([]);
  });

  it('explains a refused link in the browser’s language', async () => {
    const refused = await fetch(`${server.url}/setup?token=${'x'.repeat(30)}`, { headers: { 'accept-language': 'de-CH, de;q=0.9' } });
    expect(refused.status).toBe(410);
    const html = await refused.text();
    expect(html).toContain('<html lang="de" dir="ltr">');
    expect(html).toContain('Parley ist auf diesem Server bereits eingerichtet.');
  });
});
