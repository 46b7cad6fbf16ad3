/**
 * Issue 12, tried as a new user would: a site registered with no secret, embedded with its two lines
 * on a plain static page of another origin, lets a member sign in by the emailed code, and by the
 * site's OpenID provider, choose a name, and post. Everything is real: the widget bundle built from
 * the sources, Debian's Chromium driven by puppeteer-core (never a downloaded browser), a Parley
 * server, a static page server and an OpenID provider (oidc-provider), all on loopback.
 */
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyConfiguredOidc } from '../../server/services/oidc-settings.js';
import { startTestProvider, type TestProvider } from '../support/oidc-provider.js';
import { outboxMail, startTestServer, type TestServer } from '../support/server.js';

const SITE = 'plain';
const TOPIC = 'hello-there';

let distDir: string;
let server: TestServer;
let provider: TestProvider;
let host: http.Server;
let hostOrigin: string;
let browser: Browser;

/** The organisation's own page: nothing but the README's two lines. */
function hostPage(parley: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Plain Static Patients</title></head>
<body><h1>Living with it</h1>
<script type="module" src="${parley}/parley.js"></script>
<parley-discussion site="${SITE}" topic="${TOPIC}" topic-title="Hello there"></parley-discussion>
</body></html>`;
}

beforeAll(async () => {
  distDir = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-e2e-dist-'));
  await build({ logLevel: 'warn', build: { outDir: distDir, emptyOutDir: true } });
  host = http.createServer();
  await new Promise<void>((resolve) => host.listen(0, '127.0.0.1', resolve));
  hostOrigin = `http://127.0.0.1:${(host.address() as AddressInfo).port}`;
  // Registered with its page's origin and nothing else: no secret, no keys.
  server = await startTestServer({ distDir, sites: [{ id: SITE, name: 'Plain Static Patients', origins: [hostOrigin] }] });
  host.on('request', (_req, res) => {
    res.setHeader('Content-Type', 'text/html; charset=utf-8');
    res.end(hostPage(server.url));
  });
  provider = await startTestProvider({ redirectUris: [`${server.url}/api/sites/${SITE}/sign-in/oidc/callback`] });
  // The operator's configuration of the site's provider (what `sites[].oidc` in the config file does).
  await applyConfiguredOidc(server.ctx, SITE, { issuer: provider.issuer, clientId: provider.clientId, clientSecret: provider.clientSecret, name: 'Test ID' });
  browser = await puppeteer.launch({
    executablePath: process.env.CHROME_PATH || '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking',
      '--disable-component-update', '--no-first-run', '--disable-sync', '--disable-quic'],
  });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await provider?.close();
  await server?.close();
  await new Promise((resolve) => host?.close(resolve));
  fs.rmSync(distDir, { recursive: true, force: true });
});

/** A fresh browser profile (no stored session) on the host page. */
async function openHostPage(): Promise<Page> {
  const context = await browser.createBrowserContext();
  const page = await context.newPage();
  await page.goto(`${hostOrigin}/living-with-it`);
  return page;
}

/** `pierce/` looks through every shadow root, as a person's eyes do. */
async function click(page: Page, selector: string): Promise<void> {
  const element = await page.waitForSelector(`pierce/${selector}`, { visible: true });
  await element!.click();
}

async function type(page: Page, selector: string, text: string): Promise<void> {
  const element = await page.waitForSelector(`pierce/${selector}`, { visible: true });
  await element!.type(text);
}

/** The welcome: a name, the notice read and the rules accepted; then a first message. */
async function welcomeAndPost(page: Page, name: string, message: string): Promise<void> {
  await type(page, '#welcome-name', name);
  await click(page, '#welcome-accept');
  await page.keyboard.press('Enter');
  await page.waitForFunction(
    (n) => {
      const find = (root: Document | ShadowRoot): boolean =>
        (root.textContent ?? '').includes(`Posting as`) && (root.textContent ?? '').includes(n) ||
        [...root.querySelectorAll('*')].some((el) => el.shadowRoot && find(el.shadowRoot));
      return find(document);
    },
    { timeout: 20_000 },
    name,
  );
  await type(page, 'textarea', message);
  await click(page, 'button[part="button submit"]');
}

async function storedPostBy(name: string, body: string) {
  for (let tries = 0; tries < 100; tries++) {
    const page = await server.store.getTopicPage(SITE, TOPIC, { order: 'newest', afterSeq: null, limit: 50, repliesMax: 0 });
    const post = page.posts.find((p) => p.body === body);
    if (post) {
      expect(post.authorName).toBe(name);
      return { post, user: (await server.store.getUser(SITE, post.authorId))! };
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`no post "${body}" by ${name} was stored`);
}

describe('a plain static page with no accounts of its own (issue 12, done when)', () => {
  it('a member signs in with the emailed code, chooses a name, and posts', async () => {
    const page = await openHostPage();
    await click(page, 'button[data-sign-in]');
    await type(page, '#sign-in-email', 'ada@example.org');
    await page.keyboard.press('Enter');
    await page.waitForSelector('pierce/#sign-in-code', { visible: true });
    const mail = await outboxMail(server.store, SITE, (m) => m.recipient === 'ada@example.org', 10);
    expect(mail, 'the sign-in mail is in the outbox').toBeDefined();
    const code = mail!.body.match(/\b(\d{3} ?\d{3})\b/)![1]!;
    expect(mail!.body).toContain(`${hostOrigin}/living-with-it#parley-sign-in=`);
    await type(page, '#sign-in-code', code);
    await page.keyboard.press('Enter');
    await welcomeAndPost(page, 'Ada L.', 'Hello from a page without accounts.');
    const { user } = await storedPostBy('Ada L.', 'Hello from a page without accounts.');
    expect(user.sub.startsWith('email:')).toBe(true);
    await page.browserContext().close();
  }, 90_000);

  it('a member signs in with the site’s OpenID provider, comes back to the page, chooses a name, and posts', async () => {
    provider.loginAs({ sub: 'olivia-1', claims: { name: 'Olivia Open', email: 'olivia@example.org', email_verified: true } });
    const page = await openHostPage();
    await click(page, 'button[data-sign-in]');
    // The provider signs the person in and sends the browser back to this page with a ticket.
    await Promise.all([
      page.waitForNavigation({ waitUntil: 'load' }),
      click(page, '[data-oidc]'),
    ]);
    await page.waitForFunction(() => location.origin !== '' && !location.hash.includes('parley-oidc'), { timeout: 20_000 });
    expect(new URL(page.url()).origin).toBe(hostOrigin);
    await welcomeAndPost(page, 'Olivia O.', 'Hello by way of our own identity provider.');
    const { user } = await storedPostBy('Olivia O.', 'Hello by way of our own identity provider.');
    expect(user.sub.startsWith('oidc:')).toBe(true);
    await page.browserContext().close();
  }, 90_000);
});
