/**
 * The admin console's server side (issue 15): the `/admin/<site>` page (a plain page under the
 * server's CSP that loads parley.js and `<parley-admin>`) and the rule preview endpoint the
 * House rules section uses. The console's sections themselves: test/browser/admin-console.test.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { http } from '../support/clients.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { setUpIdentity, type Fixture } from '../support/identity-fixtures.js';

let server: TestServer;
let fx: Fixture;

beforeAll(async () => {
  server = await startTestServer();
  fx = await setUpIdentity(server);
});
afterAll(async () => server.close());

describe('the console page', () => {
  it('serves /admin/<site> as a page that loads parley.js and the element, with no inline script or style', async () => {
    const res = await http(`${server.url}/admin/alpha`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    const page = String(res.body);
    expect(page).toContain('<script type="module" src="/parley.js"></script>');
    expect(page).toContain('<parley-admin site="alpha" lang="en"></parley-admin>');
    expect(page).toContain('<title>Parley console · Alpha Patients</title>');
    // The server's CSP allows scripts and styles from itself only: the page must not need more.
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("style-src 'self'");
    expect(page).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
    expect(page).not.toMatch(/<style|style=/);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const css = await http(`${server.url}/admin/console.css`);
    expect(css.status).toBe(200);
    expect(css.headers.get('content-type')).toMatch(/^text\/css/);
  });

  it('speaks the browser’s language, or the one ?lang= names, and hands it to the element (issue 17)', async () => {
    const french = String((await http(`${server.url}/admin/alpha`, { headers: { 'accept-language': 'fr-CA, fr;q=0.9' } })).body);
    expect(french).toContain('<html lang="fr" dir="ltr">');
    expect(french).toContain('<parley-admin site="alpha" lang="fr"></parley-admin>');
    expect(french).toContain('<title>Console Parley · Alpha Patients</title>');
    const arabic = String((await http(`${server.url}/admin/alpha?lang=ar`, { headers: { 'accept-language': 'fr' } })).body);
    expect(arabic).toContain('<html lang="ar" dir="rtl">');
    expect(arabic).toContain('<parley-admin site="alpha" lang="ar"></parley-admin>');
    const missing = await http(`${server.url}/admin/nope`, { headers: { 'accept-language': 'de' } });
    expect(missing.status).toBe(404);
    expect(String(missing.body)).toContain('Auf diesem Parley-Server gibt es keine Seite „nope“.');
  });

  it('answers 404 as a readable page for a site that does not exist or an id that is not one', async () => {
    for (const path of ['/admin/nowhere', '/admin/Not_A_Site', `/admin/${'a'.repeat(60)}`, '/admin/%3Cb%3Ex']) {
      const res = await http(`${server.url}${path}`);
      expect(res.status, path).toBe(404);
      expect(res.headers.get('content-type')).toMatch(/^text\/html/);
      expect(String(res.body)).toContain('No such site');
      expect(String(res.body)).not.toContain('<parley-admin');
      expect(String(res.body)).not.toContain('<b>x');
    }
  });

  it('escapes the site name in the page', async () => {
    await server.store.upsertSite({ ...(await server.store.getSite('beta'))!, name: 'Beta <script>alert(1)</script> & Co' });
    const page = String((await http(`${server.url}/admin/beta`)).body);
    expect(page).toContain('Beta &#60;script&#62;alert(1)&#60;/script&#62; &#38; Co');
    expect(page).not.toContain('<script>alert(1)');
  });
});

describe('POST /admin/rules/preview', () => {
  const preview = (token: string | undefined, body: unknown) => http(`${fx.api}/admin/rules/preview`, { token, body });

  it('renders Markdown as published rules are, escaping raw HTML and unsafe links', async () => {
    const res = await preview(fx.adminToken, { text: 'Be *kind*.\n\n- no ads\n- [site](https://example.org) [bad](javascript:alert(1))\n\n<img src=x onerror=alert(1)>' });
    expect(res.status).toBe(200);
    expect(res.body.html).toContain('<em>kind</em>');
    expect(res.body.html).toContain('<li>no ads</li>');
    expect(res.body.html).toContain('href="https://example.org"');
    expect(res.body.html).not.toMatch(/href="javascript/);
    expect(res.body.html).toContain('[bad](javascript:alert(1))');
    expect(res.body.html).not.toContain('<img');
    expect(res.body.html).toContain('&lt;img');
  });

  it('is for admins only: members and moderators are refused, anonymous readers must sign in', async () => {
    const member = await server.sign('alpha', { sub: 'preview-member', name: 'Pat Member' });
    expect((await preview(member, { text: 'x' })).status).toBe(403);
    expect((await preview(fx.moderatorToken, { text: 'x' })).status).toBe(403);
    const anonymous = await preview(undefined, { text: 'x' });
    expect(anonymous.status).toBe(401);
    expect(anonymous.body.error.code).toBe('unauthenticated');
  });

  it('refuses bad bodies with the field named', async () => {
    const long = await preview(fx.adminToken, { text: 'x'.repeat(3001) });
    expect(long.status).toBe(400);
    expect(long.body.error.issues[0].path).toBe('text');
    expect((await preview(fx.adminToken, { text: 42 })).status).toBe(400);
    expect((await preview(fx.adminToken, { text: 'ok', html: '<b>' })).status).toBe(400);
  });
});
