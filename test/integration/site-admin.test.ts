/**
 * The site's own settings over the admin API (issue 15): name and origins (checked, with hints,
 * enforced at once), the host-token secret (rotated, shown once, the old one dead), public keys
 * (tokens signed with them accepted), admins only, every change in the public log.
 */
import { generateKeyPairSync } from 'node:crypto';
import { SignJWT, importPKCS8 } from 'jose';
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

type Entry = { leaf: { kind: string; data: Record<string, unknown>; actor: { type: string } } };
async function logEntries(kind: string): Promise<Entry[]> {
  const entries = (await http(`${fx.api}/log/entries?start=0&end=1000`)).body.entries as Entry[];
  return entries.filter((e) => e.leaf.kind === kind);
}

describe('the site admin API', () => {
  it('shows the site without its secret', async () => {
    const site = await http(`${fx.api}/admin/site`, { token: fx.adminToken });
    expect(site.status).toBe(200);
    expect(site.body).toEqual({
      id: 'alpha', name: 'Alpha Patients', origins: ['https://alpha.example'], signIn: { methods: ['host-token'] }, hasSecret: true, publicKeys: [],
    });
    expect(JSON.stringify(site.body)).not.toContain('alpha-secret');
  });

  it('is refused to moderators and company staff, as to members', async () => {
    const staff = await server.sign('alpha', { sub: 'site-staff', name: 'Sam Staff', affiliation: { company: 'acme', jobTitle: 'MSL' } });
    for (const token of [fx.moderatorToken, staff]) {
      for (const [method, path, body] of [['GET', '/admin/site'], ['PATCH', '/admin/site', { name: 'X' }], ['POST', '/admin/site/secret', {}], ['PUT', '/admin/site/public-keys', { publicKeys: [] }]] as const) {
        const response = await http(`${fx.api}${path}`, { method, token, body });
        expect(response.status, `${method} ${path}`).toBe(403);
      }
    }
    expect((await server.store.getSite('alpha'))!.name).toBe('Alpha Patients');
  });

  it('renames the site and changes its origins, normalised, with hints, enforced at once and logged', async () => {
    const changed = await http(`${fx.api}/admin/site`, {
      method: 'PATCH', token: fx.adminToken,
      body: { name: '  Alpha Patients Network ', origins: ['https://www.alpha.example:443', 'https://alpha.example', 'https://www.alpha.example/', 'http://localhost:8080'] },
    });
    expect(changed.status, JSON.stringify(changed.body)).toBe(200);
    expect(changed.body).toMatchObject({
      name: 'Alpha Patients Network',
      origins: ['https://www.alpha.example', 'https://alpha.example', 'http://localhost:8080'],
      hints: [],
    });
    expect((await http(`${fx.api}`)).body.name).toBe('Alpha Patients Network');
    // The origin check follows at once: a listed page is served, another refused.
    expect((await http(`${fx.api}/rules`, { origin: 'https://www.alpha.example' })).status).toBe(200);
    expect((await http(`${fx.api}/rules`, { origin: 'https://evil.example' })).status).toBe(403);
    const [entry] = (await logEntries('site.updated')).slice(-1);
    expect(entry!.leaf.data).toEqual({ name: 'Alpha Patients Network', origins: ['https://www.alpha.example', 'https://alpha.example', 'http://localhost:8080'] });
    expect(entry!.leaf.actor.type).toBe('admin');

    const hinted = await http(`${fx.api}/admin/site`, { method: 'PATCH', token: fx.adminToken, body: { origins: ['https://www.alpha.example', 'https://alpha.example:8443'] } });
    expect(hinted.status).toBe(200);
    expect(hinted.body.hints.join(' ')).toContain('If your pages also open at https://alpha.example, add it too: https://www.alpha.example and https://alpha.example are different origins');
    expect(hinted.body.hints.join(' ')).toContain('only matches pages on port 8443');
  });

  it('refuses bad origins one by one and changes nothing', async () => {
    const before = (await server.store.getSite('alpha'))!;
    const refused = await http(`${fx.api}/admin/site`, {
      method: 'PATCH', token: fx.adminToken,
      body: { name: 'Renamed', origins: ['https://ok.example', 'http://alpha.example', 'ftp://alpha.example', 'https://alpha.example/forum?x=1', 'https://user:pw@alpha.example', '*'] },
    });
    expect(refused.status).toBe(400);
    expect(refused.body.error.code).toBe('validation_failed');
    expect(refused.body.error.issues.map((i: { path: string }) => i.path)).toEqual(['origins.1', 'origins.2', 'origins.3', 'origins.4', 'origins.5']);
    expect(refused.body.error.issues[0].message).toContain('write https://alpha.example');
    expect(await server.store.getSite('alpha')).toEqual(before);

    for (const body of [{}, { name: '' }, { name: 'x'.repeat(101) }, { origins: 'https://a.example' }, { origins: Array.from({ length: 21 }, (_, i) => `https://s${i}.example`) }, { secret: 'mine' }]) {
      const response = await http(`${fx.api}/admin/site`, { method: 'PATCH', token: fx.adminToken, body });
      expect(response.status, JSON.stringify(body)).toBe(400);
    }
    expect(await server.store.getSite('alpha')).toEqual(before);
  });

  it('takes public keys that verify host tokens, refuses what is not a key, and logs fingerprints', async () => {
    const { publicKey, privateKey } = generateKeyPairSync('ed25519');
    const pem = publicKey.export({ type: 'spki', format: 'pem' }).toString().trim();
    const set = await http(`${fx.api}/admin/site/public-keys`, { method: 'PUT', token: fx.adminToken, body: { publicKeys: [pem] } });
    expect(set.status, JSON.stringify(set.body)).toBe(200);
    expect(set.body.publicKeys).toEqual([pem]);
    const key = await importPKCS8(privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(), 'EdDSA');
    const now = Math.floor(Date.now() / 1000);
    const token = await new SignJWT({ name: 'Kim Keyed', aud: 'alpha' }).setProtectedHeader({ alg: 'EdDSA' }).setSubject('keyed').setIssuedAt(now).setExpirationTime(now + 600).sign(key);
    expect((await http(`${fx.api}/me`, { token })).status).toBe(200);
    const [entry] = (await logEntries('site.public-keys')).slice(-1);
    expect(entry!.leaf.data.fingerprints).toEqual([expect.stringMatching(/^[0-9a-f]{16}$/)]);
    expect(JSON.stringify(entry)).not.toContain('BEGIN PUBLIC KEY');

    const fake = '-----BEGIN PUBLIC KEY-----\nbm90IGEga2V5\n-----END PUBLIC KEY-----';
    const bad = await http(`${fx.api}/admin/site/public-keys`, { method: 'PUT', token: fx.adminToken, body: { publicKeys: [pem, fake] } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.issues).toEqual([{ path: 'publicKeys.1', message: 'not an Ed25519 or RSA public key' }]);
    const notPem = await http(`${fx.api}/admin/site/public-keys`, { method: 'PUT', token: fx.adminToken, body: { publicKeys: ['ssh-ed25519 AAAA'] } });
    expect(notPem.status).toBe(400);
    expect((await server.store.getSite('alpha'))!.publicKeys).toEqual([pem]);

    expect((await http(`${fx.api}/admin/site/public-keys`, { method: 'PUT', token: fx.adminToken, body: { publicKeys: [] } })).status).toBe(200);
    expect((await http(`${fx.api}/me`, { token })).status).toBe(401);
  });

  it('rotates the host-token secret: shown once, the old one refused, never readable again, logged without it', async () => {
    const rotated = await http(`${fx.api}/admin/site/secret`, { method: 'POST', token: fx.adminToken, body: {} });
    expect(rotated.status).toBe(200);
    expect(rotated.headers.get('cache-control')).toBe('no-store');
    const secret = rotated.body.secret as string;
    expect(secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
    // The admin's own token was signed with the old secret: refused now.
    expect((await http(`${fx.api}/me`, { token: fx.adminToken })).status).toBe(401);
    const fresh = await server.sign('alpha', { sub: 'admin-sub', name: 'Ada Admin' }, { secret });
    const site = await http(`${fx.api}/admin/site`, { token: fresh });
    expect(site.status).toBe(200);
    expect(site.body.hasSecret).toBe(true);
    expect(JSON.stringify(site.body)).not.toContain(secret);
    const [entry] = (await logEntries('site.secret-rotated')).slice(-1);
    expect(entry!.leaf.data).toEqual({ hadSecret: true });
    expect(JSON.stringify(await http(`${fx.api}/log/entries?start=0&end=1000`))).not.toContain(secret);
  });
});
