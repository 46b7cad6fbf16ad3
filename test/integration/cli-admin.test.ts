/** The operator's `parley` admin commands, run as real child processes on a real database. */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSqliteStore } from '../../server/store/sqlite/sqlite-store.js';

const run = promisify(execFile);
let dataDir: string;

async function parley(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run('node', ['bin/parley-dev.js', ...args, '--data-dir', dataDir]);
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

async function withStore<T>(fn: (store: ReturnType<typeof openSqliteStore>) => Promise<T>): Promise<T> {
  const store = openSqliteStore({ file: path.join(dataDir, 'parley.db') });
  try {
    return await fn(store);
  } finally {
    await store.close();
  }
}

beforeAll(() => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-cli-'));
});
afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

// Each command is a fresh Node process compiling the TypeScript sources through tsx: a test of
// several commands takes seconds on an idle machine and far longer on a loaded one.
describe('parley admin commands', { timeout: 120_000 }, () => {
  it('adds a site with a generated secret and lists it', async () => {
    const added = await parley('site', 'add', 'carers', '--name', 'Carers United', '--origin', 'https://carers.example', '--generate-secret');
    expect(added.code).toBe(0);
    expect(added.stdout).toMatch(/HS256 secret/);
    const site = await withStore((s) => s.getSite('carers'));
    expect(site?.origins).toEqual(['https://carers.example']);
    expect(site?.secret?.length).toBeGreaterThanOrEqual(32);
    const listed = await parley('site', 'list');
    expect(JSON.parse(listed.stdout).map((s: any) => s.id)).toEqual(['carers']);
    const bad = await parley('site', 'add', 'Bad Id!', '--name', 'x');
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/site id/);
  });

  it('shows and sets how members sign in to a site', async () => {
    // A site with a secret signs its members in itself: host tokens by default.
    expect(JSON.parse((await parley('site', 'sign-in', 'carers')).stdout)).toEqual({ methods: ['host-token'] });
    const set = await parley('site', 'sign-in', 'carers', '--method', 'host-token', '--method', 'email');
    expect(set.code).toBe(0);
    expect(JSON.parse((await parley('site', 'sign-in', 'carers')).stdout)).toEqual({ methods: ['host-token', 'email'] });
    const bad = await parley('site', 'sign-in', 'carers', '--method', 'password');
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/validation_failed/);
    // Without a secret or key, a site offers email, and cannot offer host tokens.
    expect((await parley('site', 'add', 'plain', '--name', 'Plain', '--origin', 'https://plain.example')).code).toBe(0);
    expect(JSON.parse((await parley('site', 'sign-in', 'plain')).stdout)).toEqual({ methods: ['email'] });
    expect((await parley('site', 'sign-in', 'plain', '--method', 'host-token')).code).toBe(1);
  });

  it('registers a company, verifies staff, and refuses to make staff a moderator', async () => {
    const companyFile = path.join(dataDir, 'acme.json');
    fs.writeFileSync(companyFile, JSON.stringify({ id: 'acme', legalName: 'Acme AG', displayName: 'Acme', emailDomains: ['acme.example'] }));
    expect((await parley('company', 'set', 'carers', companyFile)).code).toBe(0);
    const [employee, volunteer] = await withStore(async (s) => [
      await s.upsertUserFromHost('carers', 'emp', 'Eve Employee', null, new Date().toISOString(), 'user-emp-1'),
      await s.upsertUserFromHost('carers', 'vol', 'Val Volunteer', null, new Date().toISOString(), 'user-vol-1'),
    ]);
    const verified = await parley('staff', 'verify', 'carers', employee!.id, 'acme', 'Medical', 'Advisor');
    expect(verified.code).toBe(0);
    expect(await withStore((s) => s.getActiveAffiliation('carers', employee!.id))).toMatchObject({ companyId: 'acme', jobTitle: 'Medical Advisor' });

    const refused = await parley('role', 'grant', 'carers', employee!.id, 'moderator');
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/never moderate/);
    expect((await parley('role', 'grant', 'carers', volunteer!.id, 'moderator')).code).toBe(0);
    expect(await withStore((s) => s.getRoles('carers', volunteer!.id))).toEqual(['moderator']);

    expect((await parley('staff', 'revoke', 'carers', employee!.id, '--reason', 'left')).code).toBe(0);
    expect(await withStore((s) => s.getActiveAffiliation('carers', employee!.id))).toBeNull();
    const events = await withStore(async (s) => (await s.listIdentityEvents('carers', 0, 50)).map((e) => `${e.actor}:${e.kind}`));
    expect(events).toEqual(['cli:company-registered', 'cli:affiliation-added', 'cli:role-granted', 'cli:affiliation-revoked']);
  });

  it('finds users by name and explains unknown commands', async () => {
    const users = await parley('users', 'carers', '--name', 'Val');
    expect(JSON.parse(users.stdout).map((u: any) => u.name)).toEqual(['Val Volunteer']);
    const unknown = await parley('role', 'promote', 'carers');
    expect(unknown.code).toBe(2);
  });

  it('sets, shows and clears a site\'s OpenID provider; the client secret comes from a file and is never printed', async () => {
    expect((await parley('site', 'add', 'oidc-site', '--name', 'OIDC Site', '--origin', 'https://oidc.example')).code).toBe(0);
    const secretFile = path.join(dataDir, 'client-secret');
    fs.writeFileSync(secretFile, 'a-very-private-client-secret\n');
    const set = await parley('site', 'oidc', 'oidc-site', '--issuer', 'https://id.oidc.example', '--client-id', 'parley',
      '--name', 'Oidc ID', '--client-secret-file', secretFile, '--scope', 'profile', '--scope', 'email', '--staff-claim', 'org_affiliation');
    expect(set.code).toBe(0);
    expect(set.stdout).not.toContain('a-very-private-client-secret');
    expect(JSON.parse(set.stdout)).toMatchObject({ issuer: 'https://id.oidc.example', hasClientSecret: true, scopes: ['profile', 'email'], staffClaim: 'org_affiliation' });
    expect((await withStore((s) => s.getOidcProvider('oidc-site')))?.clientSecret).toBe('a-very-private-client-secret');

    const shown = await parley('site', 'oidc', 'oidc-site');
    expect(JSON.parse(shown.stdout).oidc).toMatchObject({ clientId: 'parley', hasClientSecret: true });
    expect(shown.stdout).not.toContain('a-very-private-client-secret');

    const bad = await parley('site', 'oidc', 'oidc-site', '--issuer', 'http://id.oidc.example', '--client-id', 'parley', '--name', 'Oidc ID');
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/https/);

    expect(JSON.parse((await parley('site', 'oidc', 'oidc-site', '--clear')).stdout)).toEqual({ removed: true });
    expect(await withStore((s) => s.getOidcProvider('oidc-site'))).toBeNull();
  });
});
