/**
 * What goes over the wire: compression (brotli, gzip, none: the same bytes once decoded),
 * cache headers of the widget's entry script vs its hashed chunks, absolute URLs from the
 * configured public URL (never the Host header; the Atom feed's links), and HSTS only when
 * the public URL is https; refusals of unregistered origins that the page can read. Requests go through node:http so the test sets Accept-Encoding
 * and Host itself and sees the bytes as sent.
 */
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoPlugin } from '../../demo/plugin.js';
import { sendNotice } from '../../server/services/moderation-notices.js';
import { outboxMail, startTestServer, type TestServer } from '../support/server.js';

interface Raw {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

function raw(url: string, headers: Record<string, string> = {}): Promise<Raw> {
  return new Promise((resolve, reject) => {
    // No Accept-Encoding unless the test names one (node:http adds none by itself).
    const req = http.get(url, { headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
  });
}

function decoded(res: Raw): Buffer {
  const encoding = res.headers['content-encoding'];
  if (encoding === 'br') return zlib.brotliDecompressSync(res.body);
  if (encoding === 'gzip') return zlib.gunzipSync(res.body);
  expect(encoding).toBeUndefined();
  return res.body;
}

/** Something shaped like a bundle: compressible, and over the compression threshold. */
function fakeBundle(seed: string): string {
  return Array.from({ length: 400 }, (_, i) => `export const ${seed}${i} = (value) => value.map((item) => item * ${i} + "${seed}-${i}");\n`).join('');
}

async function appendEntries(server: TestServer, site: string, count: number): Promise<void> {
  await server.store.transaction(async () => {
    for (let i = 0; i < count; i++) {
      await server.ctx.audit.append({
        site, kind: 'moderation.label', at: new Date(Date.UTC(2026, 0, 1, 0, i)).toISOString(),
        actor: { type: 'moderator', label: 'Moderator 1', userId: 'user-1' },
        subject: { postId: `post-${i}`, topic: 'feed' },
        data: { ruleId: 'R1', decisionGround: 'terms', facts: `Statement ${i}` },
      });
    }
  });
}

const ENCODINGS = [
  { accept: 'br, gzip, deflate', expected: 'br' },
  { accept: 'gzip, deflate', expected: 'gzip' },
  { accept: 'identity', expected: undefined },
  { accept: null, expected: undefined },
] as const;

describe('compression and caching', () => {
  let server: TestServer;
  let distDir: string;
  const chunk = 'assets/parley-audit-log-Ab12Cd34.js';

  beforeAll(async () => {
    distDir = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-dist-'));
    fs.mkdirSync(path.join(distDir, 'assets'));
    fs.writeFileSync(path.join(distDir, 'parley.js'), fakeBundle('entry'));
    fs.writeFileSync(path.join(distDir, chunk), fakeBundle('chunk'));
    server = await startTestServer({ distDir });
    await appendEntries(server, 'alpha', 30);
  });
  afterAll(async () => {
    await server?.close();
    fs.rmSync(distDir, { recursive: true, force: true });
  });

  for (const { accept, expected } of ENCODINGS) {
    it(`sends parley.js, a chunk and JSON ${expected ?? 'uncompressed'} for Accept-Encoding: ${accept ?? '(none)'}`, async () => {
      const headers: Record<string, string> = accept ? { 'accept-encoding': accept } : {};
      for (const [url, file] of [[`${server.url}/parley.js`, 'parley.js'], [`${server.url}/${chunk}`, chunk]] as const) {
        const res = await raw(url, headers);
        expect(res.status).toBe(200);
        expect(res.headers['content-encoding']).toBe(expected);
        expect(res.headers.vary).toMatch(/Accept-Encoding/i);
        expect(res.headers['content-type']).toMatch(/^text\/javascript/);
        expect(res.headers['access-control-allow-origin']).toBe('*');
        expect(decoded(res).equals(fs.readFileSync(path.join(distDir, file)))).toBe(true);
        if (expected) expect(res.body.length).toBeLessThan(decoded(res).length / 3);
      }
      const json = await raw(`${server.url}/api/sites/alpha/log/entries`, headers);
      expect(json.status).toBe(200);
      expect(json.headers['content-encoding']).toBe(expected);
      const plain = await raw(`${server.url}/api/sites/alpha/log/entries`);
      expect(plain.headers['content-encoding']).toBeUndefined();
      expect(decoded(json).toString('utf8')).toBe(plain.body.toString('utf8'));
      expect(JSON.parse(decoded(json).toString('utf8')).entries).toHaveLength(30);
    });
  }

  it('caches hashed chunks for a year and revalidates parley.js by ETag', async () => {
    const entry = await raw(`${server.url}/parley.js`, { 'accept-encoding': 'br' });
    expect(entry.headers['cache-control']).toBe('no-cache');
    const etag = entry.headers.etag!;
    expect(etag).toMatch(/^"[^"]+"$/);
    const again = await raw(`${server.url}/parley.js`, { 'accept-encoding': 'br', 'if-none-match': etag });
    expect(again.status).toBe(304);
    expect(again.body.length).toBe(0);
    // Each encoding is its own representation, with its own tag.
    const gz = await raw(`${server.url}/parley.js`, { 'accept-encoding': 'gzip', 'if-none-match': etag });
    expect(gz.status).toBe(200);
    expect(gz.headers.etag).not.toBe(etag);

    const lazy = await raw(`${server.url}/${chunk}`, { 'accept-encoding': 'br' });
    expect(lazy.headers['cache-control']).toBe('public, max-age=31536000, immutable');

    // A rebuild while the server runs: new bytes, new tag, no stale 304.
    fs.writeFileSync(path.join(distDir, 'parley.js'), fakeBundle('rebuilt'));
    const rebuilt = await raw(`${server.url}/parley.js`, { 'accept-encoding': 'br', 'if-none-match': etag });
    expect(rebuilt.status).toBe(200);
    expect(decoded(rebuilt).toString()).toContain('rebuilt-1');
  });

  it('answers unknown asset names with 404, never reading outside the build', async () => {
    expect((await raw(`${server.url}/assets/missing-Ab12Cd34.js`)).status).toBe(404);
    expect((await raw(`${server.url}/assets/..%2Fparley.js`)).status).toBe(404);
  });
});

describe('the demo site', () => {
  let demo: TestServer;
  beforeAll(async () => {
    demo = await startTestServer({ plugins: [demoPlugin()] });
  });
  afterAll(async () => {
    await demo?.close();
  });

  it('serves its pages compressed, and names a favicon that exists', async () => {
    const page = await raw(`${demo.url}/`, { 'accept-encoding': 'br, gzip' });
    expect(page.status).toBe(200);
    expect(page.headers['content-encoding']).toBe('br');
    const html = decoded(page).toString('utf8');
    const icon = /<link rel="icon" href="([^"]+)" type="image\/svg\+xml">/.exec(html);
    expect(icon).not.toBe(null);
    const favicon = await raw(`${demo.url}${icon![1]}`);
    expect(favicon.status).toBe(200);
    expect(favicon.headers['content-type']).toMatch(/^image\/svg\+xml/);
    expect(favicon.body.toString('utf8')).toMatch(/^<svg /);
  });
});

describe('absolute URLs and HSTS', () => {
  let proxied: TestServer;
  let plain: TestServer;

  beforeAll(async () => {
    proxied = await startTestServer({ publicUrl: 'https://parley.example.org' });
    plain = await startTestServer();
    await appendEntries(proxied, 'alpha', 3);
    await appendEntries(plain, 'alpha', 3);
  });
  afterAll(async () => {
    await proxied?.close();
    await plain?.close();
  });

  it('writes the Atom feed with links under the public URL whatever Host the request names, and the links work', async () => {
    const local = `http://127.0.0.1:${proxied.port}`;
    const res = await raw(`${local}/api/sites/alpha/log/feed.atom`, { host: 'evil.example' });
    expect(res.status).toBe(200);
    const xml = res.body.toString('utf8');
    const links = [...xml.matchAll(/(?:href="|<id>)([^"<]+)/g)].map((m) => m[1]!);
    expect(links.length).toBe(1 + 1 + 3 * 2); // feed id, self link, an id and a link per entry
    for (const link of links) expect(link.startsWith('https://parley.example.org/api/sites/alpha/log')).toBe(true);
    expect(xml).not.toContain('evil.example');
    expect(xml).not.toContain('/log/log/');
    expect(links).toContain('https://parley.example.org/api/sites/alpha/log/feed.atom');
    // The entry links lead to the entries (here, at the server's local address).
    const entryLink = links.find((link) => /\/entries\/2$/.test(link))!;
    const entry = await raw(entryLink.replace('https://parley.example.org', local));
    expect(entry.status).toBe(200);
    expect(JSON.parse(entry.body.toString('utf8')).entry.index).toBe(2);
  });

  it('puts the public URL in mail and in public documents, whatever Host the request names', async () => {
    const local = `http://127.0.0.1:${proxied.port}`;
    const howItWorks = JSON.parse((await raw(`${local}/api/sites/alpha/moderation/how-it-works`, { host: 'evil.example' })).body.toString('utf8'));
    expect(Object.values(howItWorks.links as Record<string, string>).every((link) => link.startsWith('https://parley.example.org/api/sites/alpha/'))).toBe(true);
    const { ctx } = proxied;
    const member = await ctx.store.upsertUserFromHost('alpha', 'noticed', 'Noticed', 'noticed@example.org', new Date().toISOString(), ctx.newId());
    const notice = await sendNotice(ctx, 'alpha', member.id, { kind: 'report-received', subject: { key: 'reportReceivedSubject' }, body: {} });
    const mail = await outboxMail(ctx.store, 'alpha', (m) => m.recipient === 'noticed@example.org');
    expect(mail?.body).toContain(`https://parley.example.org/api/sites/alpha/notices/${notice.id}`);
  });

  it('sends Strict-Transport-Security only when the public URL is https', async () => {
    const secure = await raw(`http://127.0.0.1:${proxied.port}/healthz`);
    expect(secure.headers['strict-transport-security']).toMatch(/max-age=\d+/);
    const insecure = await raw(`${plain.url}/healthz`);
    expect(insecure.headers['strict-transport-security']).toBeUndefined();
    // Without a public URL the feed uses the server's own address.
    const xml = (await raw(`${plain.url}/api/sites/alpha/log/feed.atom`, { host: 'evil.example' })).body.toString('utf8');
    expect(xml).toContain(`<link rel="self" href="${plain.url}/api/sites/alpha/log/feed.atom"/>`);
    expect(xml).not.toContain('evil.example');
  });
});

describe('origins no site lists', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => {
    await server?.close();
  });

  it('answers REST with a 403 the page can read, naming its origin and the site', async () => {
    const res = await raw(`${server.url}/api/sites/alpha/topics/anything/posts`, { origin: 'https://nowhere.example' });
    expect(res.status).toBe(403);
    expect(res.headers['access-control-allow-origin']).toBe('https://nowhere.example');
    expect(res.headers.vary).toMatch(/Origin/);
    const body = JSON.parse(res.body.toString('utf8'));
    expect(body.error.code).toBe('origin_not_allowed');
    expect(body.error.message).toContain('https://nowhere.example');
    expect(body.error.message).toContain('alpha');
  });

  it('lets the page read the long-polling handshake, so the refusal in it reaches the page', async () => {
    // Before: no CORS header for an origin no site lists, so the browser saw a network error and retried forever.
    const res = await raw(`${server.url}/socket.io/?EIO=4&transport=polling`, { origin: 'https://nowhere.example' });
    expect(res.status).toBe(200);
    expect(res.headers['access-control-allow-origin']).toBe('https://nowhere.example');
  });
});
