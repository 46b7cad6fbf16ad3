/**
 * First run (issue 15): `parley serve` on an empty data folder prints a one-time setup link; the
 * setup page creates the first site and invites its first admin over real SMTP; following the
 * invitation makes that person the site's admin, signed in. Single use, 24 hours, bad input
 * refused with nothing half-written, a second setup refused.
 */
import fs from 'node:fs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { http } from '../support/clients.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { startSmtpSink, type ReceivedMail, type SmtpSink } from '../support/smtp-sink.js';
import { startChildServer, tempDir } from '../support/child-server.js';
import { issueSetupLink } from '../../server/services/first-run.js';
import { sqliteDatabaseOf } from '../../server/store/sqlite/sqlite-store.js';

let sink: SmtpSink;
let server: TestServer;
let clock = Date.now();

beforeAll(async () => {
  sink = await startSmtpSink();
  server = await startTestServer({ sites: [], firstRunSetup: true, smtpUrl: sink.url, now: () => new Date(clock) });
});
afterAll(async () => {
  await server.close();
  await sink.close();
});
afterEach(() => {
  clock = Date.now();
});

const tokenOf = (url: string | null) => new URL(url!).searchParams.get('token')!;
const HOURS = 3_600_000;

function setupBody(token: string, overrides: Record<string, unknown> = {}) {
  return {
    token,
    site: { id: 'meadowbrook', name: 'Meadowbrook Patients', origins: ['https://www.meadowbrook.example', 'https://meadowbrook.example:443'], signIn: { methods: ['email', 'host-token'] } },
    adminEmail: 'chair@meadowbrook.example',
    ...overrides,
  };
}

/** The mail's text, undoing quoted-printable (soft line breaks, =XX escapes). */
function decoded(mail: ReceivedMail): string {
  return mail.data.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}

async function invitationTo(sinkOf: SmtpSink, email: string): Promise<string> {
  for (let i = 0; i < 200; i++) {
    const mail = sinkOf.messages.find((m) => m.to.includes(`<${email}>`));
    if (mail) {
      const token = /\/setup\/accept#token=([A-Za-z0-9_-]+)/.exec(decoded(mail))?.[1];
      if (!token) throw new Error(`no invitation link in: ${decoded(mail)}`);
      return token;
    }
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`no mail to ${email}`);
}

describe('before setup', () => {
  it('issues a setup link on a server without a site, served as a private page', async () => {
    expect(server.setupUrl).toMatch(new RegExp(`^${server.url}/setup\\?token=[A-Za-z0-9_-]{40,}$`));
    const page = await fetch(server.setupUrl!);
    expect(page.status).toBe(200);
    expect(page.headers.get('cache-control')).toBe('no-store');
    expect(page.headers.get('referrer-policy')).toBe('no-referrer');
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    const html = await page.text();
    expect(html).toContain('<form id="setup"');
    expect(html).toContain('<label for="origins">');
    // The token is read by the script from the address, never written into the page.
    expect(html).not.toContain(tokenOf(server.setupUrl));
    const script = await fetch(`${server.url}/setup/setup.js`);
    expect(script.headers.get('content-type')).toMatch(/javascript/);
    expect(await script.text()).toContain("fetch(url, { method: 'POST'");
  });

  it('says why a link cannot be used: unknown, expired', async () => {
    const unknown = await fetch(`${server.url}/setup?token=${'x'.repeat(43)}`);
    expect(unknown.status).toBe(404);
    expect(await unknown.text()).toContain('This setup link is not valid');
    clock = Date.now() + 24 * HOURS + 1000;
    const expired = await fetch(server.setupUrl!);
    expect(expired.status).toBe(410);
    expect(await expired.text()).toContain('has expired');
    const refused = await http(`${server.url}/api/setup`, { body: setupBody(tokenOf(server.setupUrl)) });
    expect(refused.status).toBe(401);
    expect(refused.body.error).toMatchObject({ code: 'token_invalid', message: expect.stringContaining('expired') });
    expect(await server.store.listSites()).toEqual([]);
  });

  it('keeps one link at a time: a new one ends the earlier one', async () => {
    const earlier = tokenOf(server.setupUrl);
    const later = await issueSetupLink(server.ctx);
    expect(tokenOf(later)).not.toBe(earlier);
    const refused = await http(`${server.url}/api/setup`, { body: setupBody(earlier) });
    expect(refused.status).toBe(401);
    expect(refused.body.error.code).toBe('token_invalid');
    server.setupUrl = later;
  });

  it('refuses bad input field by field, with hints, and writes nothing', async () => {
    const token = tokenOf(server.setupUrl);
    const origins = await http(`${server.url}/api/setup`, {
      body: setupBody(token, {
        site: { id: 'meadowbrook', name: 'Meadowbrook', signIn: { methods: ['email'] },
          origins: ['http://meadowbrook.example', 'https://meadowbrook.example/forum', 'meadowbrook.example', '*', 'http://localhost:8080'] },
      }),
    });
    expect(origins.status).toBe(400);
    expect(origins.body.error.code).toBe('validation_failed');
    const byPath = Object.fromEntries(origins.body.error.issues.map((i: { path: string; message: string }) => [i.path, i.message]));
    expect(Object.keys(byPath).sort()).toEqual(['site.origins.0', 'site.origins.1', 'site.origins.2', 'site.origins.3']);
    expect(byPath['site.origins.0']).toContain('https://meadowbrook.example');
    expect(byPath['site.origins.1']).toContain('without a path: https://meadowbrook.example');
    expect(byPath['site.origins.2']).toContain('with its scheme');
    expect(byPath['site.origins.3']).toContain('any web page');

    const fields = await http(`${server.url}/api/setup`, {
      body: setupBody(token, { site: { id: 'Not An Id', name: '', origins: [], signIn: { methods: ['sms'] } }, adminEmail: 'not-an-address' }),
    });
    expect(fields.status).toBe(400);
    const paths = fields.body.error.issues.map((i: { path: string }) => i.path);
    expect(paths).toEqual(expect.arrayContaining(['site.id', 'site.name', 'site.origins', 'site.signIn.methods.0', 'adminEmail']));

    const oidc = await http(`${server.url}/api/setup`, { body: setupBody(token, { site: { ...setupBody(token).site, signIn: { methods: ['oidc'] } } }) });
    expect(oidc.status).toBe(400);
    expect(oidc.body.error.issues[0].path).toBe('site.signIn.methods');

    const junk = await http(`${server.url}/api/setup`, { rawBody: '{"token":' });
    expect(junk.status).toBe(400);
    const extra = await http(`${server.url}/api/setup`, { body: { ...setupBody(token), role: 'owner' } });
    expect(extra.status).toBe(400);

    // Nothing half-written: no site, the link still works.
    expect(await server.store.listSites()).toEqual([]);
    expect((await fetch(server.setupUrl!)).status).toBe(200);
  });
});

describe('setup and the first admin', () => {
  let invitation: string;
  let secret: string;

  it('creates the site, shows the host-token secret once and mails the invitation', async () => {
    const created = await http(`${server.url}/api/setup`, { body: setupBody(tokenOf(server.setupUrl)) });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.body).toMatchObject({
      site: {
        id: 'meadowbrook', name: 'Meadowbrook Patients', hasSecret: true, publicKeys: [],
        // Normalised: the default port dropped.
        origins: ['https://www.meadowbrook.example', 'https://meadowbrook.example'],
        signIn: { methods: ['email', 'host-token'] },
      },
      invited: 'chair@meadowbrook.example',
      invitationExpiresInHours: 24,
    });
    secret = created.body.secret;
    expect(secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect((await server.store.getSite('meadowbrook'))!.secret).toBe(secret);
    const info = await http(`${server.url}/api/sites/meadowbrook`);
    expect(info.body).toMatchObject({ name: 'Meadowbrook Patients', signIn: { methods: ['email', 'host-token'] } });
    invitation = await invitationTo(sink, 'chair@meadowbrook.example');
    // Hashed at rest: the setup link's token is nowhere in the database; the invitation's only
    // as its hash (the mail as sent is kept in the outbox, as every mail is).
    // The raw file is read where the store is SQLite's (under PostgreSQL there is no file).
    const sqlite = sqliteDatabaseOf(server.store);
    if (sqlite) {
      sqlite.pragma('wal_checkpoint(TRUNCATE)');
      expect(fs.readFileSync(`${server.dataDir}/parley.db`).toString('latin1')).not.toContain(tokenOf(server.setupUrl));
    }
    const stored = await server.store.database.all<{ token_hash: string; email: string }>('SELECT token_hash, email FROM admin_invitations');
    expect(stored).toEqual([{ token_hash: expect.not.stringContaining(invitation), email: 'chair@meadowbrook.example' }]);
    expect(stored[0]!.token_hash).not.toBe(invitation);
  });

  it('refuses a second setup, with the same link or a new one', async () => {
    const again = await http(`${server.url}/api/setup`, { body: setupBody(tokenOf(server.setupUrl), { site: { ...setupBody('').site, id: 'second' } }) });
    expect(again.status).toBe(401);
    expect(again.body.error.message).toContain('already used');
    expect(await issueSetupLink(server.ctx)).toBeNull();
    const page = await fetch(server.setupUrl!);
    expect(page.status).toBe(410);
    expect(await page.text()).toContain('already set up');
    expect((await server.store.listSites()).map((s) => s.id)).toEqual(['meadowbrook']);
  });

  it('makes the invited person the admin, signed in, once', async () => {
    const page = await fetch(`${server.url}/setup/accept`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('id="accept-status" role="status"');

    const accepted = await http(`${server.url}/api/setup/accept`, { body: { token: invitation } });
    expect(accepted.status, JSON.stringify(accepted.body)).toBe(200);
    expect(accepted.body.site).toEqual({ id: 'meadowbrook', name: 'Meadowbrook Patients' });
    const { accessToken, refreshToken } = accepted.body.session;
    expect(refreshToken).toBeTruthy();
    const api = `${server.url}/api/sites/meadowbrook`;
    const me = await http(`${api}/me`, { token: accessToken });
    expect(me.body.viewer.roles).toContain('admin');
    // Only the owner sees their address.
    expect(me.body.viewer.email).toBe('chair@meadowbrook.example');
    const settings = await http(`${api}/admin/site`, { token: accessToken });
    expect(settings.status).toBe(200);
    expect(settings.body).not.toHaveProperty('secret');

    const twice = await http(`${server.url}/api/setup/accept`, { body: { token: invitation } });
    expect(twice.status).toBe(401);
    expect(twice.body.error.message).toContain('already accepted');

    // The same account as signing in by email later: one person, one account.
    const users = await server.store.findUsers('meadowbrook', '', 10);
    expect(users).toHaveLength(1);

    // The public log tells the story without the address.
    const entries = (await http(`${api}/log/entries?start=0&end=100`)).body.entries as Array<{ leaf: { kind: string; data: unknown; actor: { label: string } } }>;
    expect(entries.map((e) => e.leaf.kind)).toEqual(['site.created', 'role.granted']);
    expect(entries[0]!.leaf.actor.label).toBe('First-run setup');
    expect(JSON.stringify(entries)).not.toContain('chair@meadowbrook.example');
  });
});

describe('invitation expiry', () => {
  it('refuses an invitation followed after 24 hours, and makes nobody admin', async () => {
    const mails = await startSmtpSink();
    let now = Date.now();
    const other = await startTestServer({ sites: [], firstRunSetup: true, smtpUrl: mails.url, now: () => new Date(now) });
    try {
      const created = await http(`${other.url}/api/setup`, {
        body: { ...setupBody(tokenOf(other.setupUrl)), site: { id: 'late', name: 'Late', origins: ['https://late.example'], signIn: { methods: ['email'] } } },
      });
      expect(created.status).toBe(201);
      expect(created.body).not.toHaveProperty('secret');
      const token = await invitationTo(mails, 'chair@meadowbrook.example');
      now += 24 * HOURS + 1000;
      const late = await http(`${other.url}/api/setup/accept`, { body: { token } });
      expect(late.status).toBe(401);
      expect(late.body.error.message).toContain('expired');
      expect(await other.store.findUsers('late', '', 10)).toEqual([]);
    } finally {
      await other.close();
      await mails.close();
    }
  });
});

describe('parley serve', () => {
  it('prints the setup link on an empty data folder, and none once a site exists', async () => {
    const dataDir = tempDir('parley-first-run-');
    try {
      const served = await startChildServer({ dataDir, sites: [] });
      try {
        // The lines after "Parley is running at" may arrive a moment later.
        let link: string | undefined;
        for (let i = 0; i < 200 && !link; i++) {
          link = /No site yet\. Set Parley up in your browser[^\n]*\n\s+(http:\/\/\S+\/setup\?token=\S+)/.exec(served.output())?.[1];
          if (!link) await new Promise((resolve) => setTimeout(resolve, 25));
        }
        expect(link, served.output()).toBeTruthy();
        expect((await fetch(link!)).status).toBe(200);
      } finally {
        served.child.kill('SIGTERM');
        await served.exited;
      }
      const configured = await startChildServer({ dataDir, sites: [{ id: 'filed', name: 'Filed', origins: ['https://filed.example'] }] });
      try {
        // Its last line says the data folder: everything before it was printed.
        for (let i = 0; i < 200 && !configured.output().includes('Data:'); i++) await new Promise((resolve) => setTimeout(resolve, 25));
        expect(configured.output()).toContain('Data:');
        expect(configured.output()).not.toContain('/setup?token=');
      } finally {
        configured.child.kill('SIGTERM');
        await configured.exited;
      }
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
