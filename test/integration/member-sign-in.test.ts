/**
 * Members sign in by email (issue 12): the link and the one-time code over real SMTP, single
 * use and expiry on the server's clock, the abuse limits per address, IP and site, the same
 * answers for known and unknown addresses, the welcome before any write, and each site's
 * choice of sign-in methods (config file, admin API).
 */
import nodeHttp from 'node:http';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { connect, connected, http } from '../support/clients.js';
import { SOCKET_EVENTS } from '../../moderation/protocol.js';
import { key, startTestServer, TEST_SITES, type TestServer } from '../support/server.js';
import { startSmtpSink, type ReceivedMail, type SmtpSink } from '../support/smtp-sink.js';
import { cliActor } from '../../server/services/actor.js';
import { upsertCompany } from '../../server/services/admin.js';
import { ACME } from '../support/identity-fixtures.js';
import { startChildServer, tempDir } from '../support/child-server.js';
import fs from 'node:fs';

let sink: SmtpSink;
let server: TestServer;
let clock = Date.now();
const OPEN = { id: 'open', name: 'Open Patients', origins: ['https://open.example'] };
const CONFIGURED = { id: 'configured', name: 'Configured', origins: ['https://c.example'], secret: 'c'.repeat(40), signIn: { methods: ['email' as const, 'host-token' as const] } };

beforeAll(async () => {
  sink = await startSmtpSink();
  server = await startTestServer({
    smtpUrl: sink.url,
    now: () => new Date(clock),
    sites: [...TEST_SITES, OPEN, CONFIGURED],
  });
});
afterAll(async () => {
  await server.close();
  await sink.close();
});
// Tests that move the server's clock put it back: host tokens are signed by the real clock.
afterEach(() => {
  clock = Date.now();
});

const api = (site = 'open') => `${server.url}/api/sites/${site}`;
let n = 0;
const address = (name: string) => `${name}.${++n}@patients.example`;

function request(email: string, site = 'open', returnUrl = 'https://open.example/forum/topic-1?x=1') {
  return http(`${api(site)}/sign-in/email`, { body: { email, returnUrl } });
}

/** The mail's text, undoing quoted-printable (soft line breaks, =XX escapes). */
function decoded(mail: ReceivedMail): string {
  return mail.data.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}

/** The mail to `email` that arrived at the SMTP sink (sent after the answer, so waited for). */
async function mailTo(email: string, nth = 0): Promise<{ mail: ReceivedMail; token: string; code: string }> {
  for (let i = 0; i < 200; i++) {
    const mails = sink.messages.filter((m) => m.to.includes(`<${email}>`));
    const mail = mails[nth];
    if (mail) {
      const text = decoded(mail);
      const token = /#parley-sign-in=([A-Za-z0-9_-]+)/.exec(text)?.[1];
      const code = /code[^:]*: (\d{3}) (\d{3})/.exec(text);
      if (!token || !code) throw new Error(`no link or code in: ${text}`);
      return { mail, token, code: code[1]! + code[2]! };
    }
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`no mail to ${email}`);
}

async function signInByLink(email: string) {
  expect((await request(email)).status).toBe(202);
  const { token } = await mailTo(email);
  const res = await http(`${api()}/sign-in/email/verify`, { body: { token } });
  expect(res.status).toBe(200);
  return res.body;
}

async function rulesVersion(site = 'open'): Promise<number> {
  return (await http(`${api(site)}/rules`)).body.version;
}

describe('email sign-in: the link', () => {
  it('mails a link to the member’s page and a code; the link signs in once, as a new member who must be welcomed', async () => {
    const email = address('lina');
    const sent = await request(email);
    expect(sent.status).toBe(202);
    expect(sent.body).toEqual({ sent: true, expiresInMinutes: 15 });

    const { mail, token } = await mailTo(email);
    expect(mail.data).toMatch(/Subject: Sign in to Open Patients/);
    const text = decoded(mail);
    expect(text).toContain(`https://open.example/forum/topic-1?x=1#parley-sign-in=${token}`);

    const first = await http(`${api()}/sign-in/email/verify`, { body: { token } });
    expect(first.status).toBe(200);
    expect(first.body.viewer).toMatchObject({ kind: 'member', email, needsWelcome: true, roles: ['member'] });
    expect(typeof first.body.refreshToken).toBe('string');

    const again = await http(`${api()}/sign-in/email/verify`, { body: { token } });
    expect(again.status).toBe(401);
    expect(again.body.error.code).toBe('token_invalid');
    expect(again.body.error.message).toMatch(/already used/);
  });

  it('signs the same address in to the same account each time', async () => {
    const email = address('same');
    const a = await signInByLink(email);
    // The address is normalised (trimmed, lower case): the same person, the same account.
    expect((await request(` ${email.toUpperCase()} `)).status).toBe(202);
    const { token } = await mailTo(email, 1);
    const b = (await http(`${api()}/sign-in/email/verify`, { body: { token } })).body;
    expect(b.viewer.id).toBe(a.viewer.id);
  });

  it('refuses a link after 15 minutes on the server’s clock', async () => {
    const email = address('late');
    await request(email);
    const { token } = await mailTo(email);
    clock += 15 * 60_000 + 1000;
    const res = await http(`${api()}/sign-in/email/verify`, { body: { token } });
    expect(res.status).toBe(401);
    expect(res.body.error.message).toMatch(/expired/);
  });

  it('stores only hashes of the link token and the code', async () => {
    const email = address('hash');
    await request(email);
    const { token, code } = await mailTo(email);
    const rows = await server.store.database.all<Record<string, unknown>>('SELECT * FROM member_sign_ins WHERE email = ?', [email]);
    expect(rows).toHaveLength(1);
    const stored = JSON.stringify(rows);
    expect(stored).not.toContain(token);
    expect(stored).not.toContain(code);
  });

  it('refuses return URLs outside the site, and a link of another site', async () => {
    const outside = await request(address('away'), 'open', 'https://evil.example/forum');
    expect(outside.status).toBe(400);
    expect(outside.body.error.code).toBe('validation_failed');

    const email = address('cross');
    await request(email, 'configured', 'https://c.example/page');
    const { token } = await mailTo(email);
    const res = await http(`${api('open')}/sign-in/email/verify`, { body: { token } });
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('token_invalid');
  });

  it('refuses malformed input with the field named', async () => {
    const res = await http(`${api()}/sign-in/email`, { body: { email: 'not an address', returnUrl: 'https://open.example/' } });
    expect(res.status).toBe(400);
    expect(res.body.error.issues[0].path).toBe('email');
    const extra = await http(`${api()}/sign-in/email`, { body: { email: address('x'), returnUrl: 'https://open.example/', admin: true } });
    expect(extra.status).toBe(400);
    const long = await http(`${api()}/sign-in/email`, { body: { email: `${'a'.repeat(250)}@x.example`, returnUrl: 'https://open.example/' } });
    expect(long.status).toBe(400);
  });
});

describe('email sign-in: the one-time code', () => {
  it('signs in once with the code from the mail (spaces allowed)', async () => {
    const email = address('coda');
    await request(email);
    const { code } = await mailTo(email);
    const res = await http(`${api()}/sign-in/email/code`, { body: { email, code: `${code.slice(0, 3)} ${code.slice(3)}` } });
    expect(res.status).toBe(200);
    expect(res.body.viewer).toMatchObject({ email, needsWelcome: true });
    const again = await http(`${api()}/sign-in/email/code`, { body: { email, code } });
    expect(again.status).toBe(401);
    expect(again.body.error.code).toBe('token_invalid');
  });

  it('gives up on a mail’s code after five wrong tries (its link still works)', async () => {
    const email = address('guess');
    await request(email);
    const { code, token } = await mailTo(email);
    const wrong = String((Number(code) + 1) % 1_000_000).padStart(6, '0');
    for (let i = 0; i < 5; i++) {
      const res = await http(`${api()}/sign-in/email/code`, { body: { email, code: wrong } });
      expect(res.status).toBe(401);
    }
    const right = await http(`${api()}/sign-in/email/code`, { body: { email, code } });
    expect(right.status).toBe(401);
    expect((await http(`${api()}/sign-in/email/verify`, { body: { token } })).status).toBe(200);
  });

  it('refuses an expired code, and a code for another address, with the same answer', async () => {
    const email = address('expire');
    await request(email);
    const { code } = await mailTo(email);
    const other = await http(`${api()}/sign-in/email/code`, { body: { email: address('nobody'), code } });
    clock += 16 * 60_000;
    const expired = await http(`${api()}/sign-in/email/code`, { body: { email, code } });
    expect(expired.status).toBe(401);
    expect(other.status).toBe(401);
    expect(expired.body).toEqual(other.body);
  });

  it('refuses a code that is not six digits', async () => {
    const res = await http(`${api()}/sign-in/email/code`, { body: { email: address('bad'), code: '12ab56' } });
    expect(res.status).toBe(400);
    expect(res.body.error.issues[0].path).toBe('code');
  });
});

describe('the same answer whether or not the address is known', () => {
  it('answers a member’s address exactly as an unknown one, and mails both', async () => {
    const known = address('known');
    await signInByLink(known);
    const unknown = address('unknown');
    const a = await request(known);
    const b = await request(unknown);
    expect(a.status).toBe(b.status);
    expect(a.body).toEqual(b.body);
    await mailTo(known, 1);
    await mailTo(unknown);
  });
});

describe('the welcome', () => {
  it('refuses writes until the member has chosen a name and accepted the rules', async () => {
    const { accessToken, viewer } = await signInByLink(address('newbie'));
    expect(viewer.name).toBe('New member');
    const posted = await http(`${api()}/posts`, { token: accessToken, body: { topic: 'welcome', body: 'Hello', idempotencyKey: key() } });
    expect(posted.status).toBe(403);
    expect(posted.body.error.code).toBe('welcome_required');

    // A post by someone else, to report.
    const other = await signInByLink(address('other'));
    await http(`${api()}/me/welcome`, { token: other.accessToken, body: { displayName: 'Otto', acceptRules: true, rulesVersion: await rulesVersion() } });
    const target = await http(`${api()}/posts`, { token: other.accessToken, body: { topic: 'welcome', body: 'A post', idempotencyKey: key() } });
    expect(target.status).toBe(201);
    const reported = await http(`${api()}/reports`, {
      token: accessToken, body: { postId: target.body.post.id, ground: 'rule', ruleId: 'R1', goodFaith: true },
    });
    expect(reported.status).toBe(403);
    expect(reported.body.error.code).toBe('welcome_required');

    // The socket answers the same: the welcome guards the service, not only the REST route.
    const socket = connect(server.url, { site: 'open', token: accessToken });
    try {
      await connected(socket);
      const ack = await socket.emitWithAck(SOCKET_EVENTS.createPost, { topic: 'welcome', body: 'Hello', idempotencyKey: key() });
      expect(ack.error.code).toBe('welcome_required');
    } finally {
      socket.close();
    }
  });

  it('records the name and consent, after which the member posts under that name; the address stays private', async () => {
    const email = address('wendy');
    const { accessToken } = await signInByLink(email);
    const version = await rulesVersion();
    const done = await http(`${api()}/me/welcome`, { token: accessToken, body: { displayName: '  Wendy W ', acceptRules: true, rulesVersion: version } });
    expect(done.status).toBe(200);
    expect(done.body.viewer).toMatchObject({ name: 'Wendy W', needsWelcome: false, email });
    expect((await http(`${api()}/me`, { token: accessToken })).body.viewer.needsWelcome).toBe(false);

    const consent = await server.store.database.get('SELECT rules_version, accepted_at FROM welcomes WHERE user_id = ?', [done.body.viewer.id]);
    expect(consent).toEqual({ rules_version: version, accepted_at: new Date(clock).toISOString() });

    const posted = await http(`${api()}/posts`, { token: accessToken, body: { topic: 'wendy', body: 'Hello all', idempotencyKey: key() } });
    expect(posted.status).toBe(201);
    expect(posted.body.post.author.name).toBe('Wendy W');
    const page = await http(`${api()}/topics/wendy/posts`);
    expect(JSON.stringify(page.body)).not.toContain(email);

    const twice = await http(`${api()}/me/welcome`, { token: accessToken, body: { displayName: 'Wendy 2', acceptRules: true, rulesVersion: version } });
    expect(twice.status).toBe(403);
  });

  it('refuses a welcome without consent, for an old rules version, or with an imitating name', async () => {
    await upsertCompany(server.ctx, cliActor((await server.store.getSite('open'))!), ACME);
    const { accessToken } = await signInByLink(address('imit'));
    const version = await rulesVersion();
    const noConsent = await http(`${api()}/me/welcome`, { token: accessToken, body: { displayName: 'Ivo', acceptRules: false, rulesVersion: version } });
    expect(noConsent.status).toBe(400);
    expect(noConsent.body.error.issues[0].path).toBe('acceptRules');
    const old = await http(`${api()}/me/welcome`, { token: accessToken, body: { displayName: 'Ivo', acceptRules: true, rulesVersion: version + 1 } });
    expect(old.status).toBe(400);
    expect(old.body.error.issues[0].path).toBe('rulesVersion');
    const imitating = await http(`${api()}/me/welcome`, { token: accessToken, body: { displayName: 'Acme Pharma', acceptRules: true, rulesVersion: version } });
    expect(imitating.status).toBe(400);
    expect(imitating.body.error.issues[0].path).toBe('displayName');
    const anonymous = await http(`${api()}/me/welcome`, { body: { displayName: 'Ivo', acceptRules: true, rulesVersion: version } });
    expect(anonymous.status).toBe(401);
    expect((await http(`${api()}/me`, { token: accessToken })).body.viewer.needsWelcome).toBe(true);
  });

  it('exports the consent with the member’s data; erasing the account forgets the address in pending sign-ins too', async () => {
    const email = address('gone');
    const { accessToken } = await signInByLink(email);
    const version = await rulesVersion();
    await http(`${api()}/me/welcome`, { token: accessToken, body: { displayName: 'Gina Gone', acceptRules: true, rulesVersion: version } });
    const exported = await http(`${api()}/me/export`, { token: accessToken });
    expect(exported.body.welcome).toEqual({ rulesVersion: version, acceptedAt: new Date(clock).toISOString() });
    expect(exported.body.user.email).toBe(email);

    expect((await request(email)).status).toBe(202); // a pending sign-in holds the address
    const held = async () => (await server.store.database.get<{ n: number }>('SELECT count(*) AS n FROM member_sign_ins WHERE email = ?', [email]))!.n;
    expect(await held()).toBe(2);
    const erased = await http(`${api()}/me`, { method: 'DELETE', token: accessToken, body: { confirm: 'delete my account' } });
    expect(erased.status).toBe(200);
    expect(await held()).toBe(0);
  });

  it('never asks host-token members for a welcome', async () => {
    const token = await server.sign('alpha', { sub: 'host-member', name: 'Hosted Hana' });
    expect((await http(`${api('alpha')}/me`, { token })).body.viewer.needsWelcome).toBe(false);
    const posted = await http(`${api('alpha')}/posts`, { token, body: { topic: 'hosted', body: 'Hi', idempotencyKey: key() } });
    expect(posted.status).toBe(201);
  });
});

describe('sign-in methods of a site', () => {
  it('offers email on a site without a secret, the host token on one with, and what the config file says', async () => {
    expect((await http(api('open'))).body.signIn).toEqual({ methods: ['email'], staff: true });
    expect((await http(api('alpha'))).body.signIn).toEqual({ methods: ['host-token'], staff: false });
    expect((await http(api('configured'))).body.signIn.methods).toEqual(['email', 'host-token']);
    const refused = await request(address('hosted'), 'alpha', 'https://alpha.example/');
    expect(refused.status).toBe(403);
    expect(refused.body.error.code).toBe('forbidden');
  });

  it('lets a site admin change them; others may not; host-token needs a key', async () => {
    const adminToken = await server.sign('beta', { sub: 'beta-admin', name: 'Bea Admin' });
    const adminId = (await http(`${api('beta')}/me`, { token: adminToken })).body.viewer.id;
    await server.store.grantRole('beta', adminId, 'admin');
    const memberToken = await server.sign('beta', { sub: 'beta-member', name: 'Ben Member' });

    const put = (token: string | undefined, body: unknown, site = 'beta') => http(`${api(site)}/admin/sign-in`, { method: 'PUT', token, body });
    expect((await put(memberToken, { methods: ['email'] })).status).toBe(403);
    expect((await put(undefined, { methods: ['email'] })).status).toBe(401);
    expect((await put(adminToken, { methods: ['email', 'password'] })).status).toBe(400);
    expect((await put(adminToken, { methods: ['email', 'email'] })).status).toBe(400);

    const changed = await put(adminToken, { methods: ['host-token', 'email'] });
    expect(changed.status).toBe(200);
    expect(changed.body).toEqual({ methods: ['host-token', 'email'] });
    expect((await http(api('beta'))).body.signIn.methods).toEqual(['host-token', 'email']);
    expect((await request(address('beta'), 'beta', 'https://beta.example/')).status).toBe(202);

    // A site without a secret or key cannot offer host tokens: none could be verified.
    const openAdmin = await signInByLink(address('openadmin'));
    await server.store.grantRole('open', openAdmin.viewer.id, 'admin');
    const noKey = await put(openAdmin.accessToken, { methods: ['host-token'] }, 'open');
    expect(noKey.status).toBe(400);
    expect(noKey.body.error.issues[0].path).toBe('methods');
  });
});

describe('sign-in methods in the config file (parley serve)', () => {
  it('are applied at start, and a host-token method without a secret stops the server with a message', async () => {
    const dataDir = tempDir('parley-sign-in-config-');
    try {
      const served = await startChildServer({
        dataDir,
        sites: [{ id: 'filed', name: 'Filed', origins: ['https://filed.example'], secret: 'f'.repeat(40), signIn: { methods: ['host-token', 'email'] } }],
      });
      try {
        expect((await http(`${served.url}/api/sites/filed`)).body.signIn.methods).toEqual(['host-token', 'email']);
      } finally {
        served.child.kill('SIGTERM');
        await served.exited;
      }
      await expect(startChildServer({
        dataDir,
        sites: [{ id: 'keyless', name: 'Keyless', origins: ['https://k.example'], signIn: { methods: ['host-token'] } }],
      })).rejects.toThrow(/host-token, but the site has no secret or public key/);
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

/** POST from a chosen loopback address (127.0.0.x), to act as several networks. */
function postFrom(localAddress: string, url: string, body: unknown): Promise<{ status: number; body: any }> {
  return new Promise((resolve, reject) => {
    const data = JSON.stringify(body);
    const req = nodeHttp.request(url, { method: 'POST', localAddress, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(data) } }, (res) => {
      let text = '';
      res.on('data', (chunk) => (text += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) }));
    });
    req.on('error', reject);
    req.end(data);
  });
}

describe('abuse limits', () => {
  let limited: TestServer;
  let limitedClock = Date.now();
  const site = (id: string, extra = {}) => ({ id, name: id, origins: [`https://${id}.example`], ...extra });
  beforeAll(async () => {
    limited = await startTestServer({
      now: () => new Date(limitedClock),
      rateLimits: { signInEmailsPerAddressPerHour: 2, signInEmailsPerIpPerHour: 3, signInEmailsPerSitePerHour: 100 },
      sites: [site('per-address'), site('per-ip'), site('per-site', { rateLimits: { signInEmailsPerSitePerHour: 2 } })],
    });
  });
  afterAll(async () => limited.close());
  const ask = (ip: string, id: string, email: string) =>
    postFrom(ip, `${limited.url}/api/sites/${id}/sign-in/email`, { email, returnUrl: `https://${id}.example/` });

  it('per address: the same refusal for any address, from any network, until an hour has passed', async () => {
    expect((await ask('127.0.0.1', 'per-address', 'a@x.example')).status).toBe(202);
    expect((await ask('127.0.0.2', 'per-address', 'A@x.example')).status).toBe(202);
    const third = await ask('127.0.0.3', 'per-address', 'a@x.example');
    expect(third.status).toBe(429);
    expect(third.body.error.code).toBe('rate_limited');
    expect(third.body.error.retryAfterSeconds).toBe(3600);
    expect((await ask('127.0.0.3', 'per-address', 'b@x.example')).status).toBe(202);
    limitedClock += 3_600_000 + 1000;
    expect((await ask('127.0.0.3', 'per-address', 'a@x.example')).status).toBe(202);
  });

  it('per IP: one network asking for many addresses is stopped; another network is not', async () => {
    for (const email of ['1@x.example', '2@x.example', '3@x.example']) expect((await ask('127.0.0.1', 'per-ip', email)).status).toBe(202);
    const fourth = await ask('127.0.0.1', 'per-ip', '4@x.example');
    expect(fourth.status).toBe(429);
    expect(fourth.body.error.message).toMatch(/network/);
    expect((await ask('127.0.0.2', 'per-ip', '4@x.example')).status).toBe(202);
  });

  it('per site: many networks together are stopped at the site’s own limit', async () => {
    expect((await ask('127.0.0.1', 'per-site', 'p@x.example')).status).toBe(202);
    expect((await ask('127.0.0.2', 'per-site', 'q@x.example')).status).toBe(202);
    const third = await ask('127.0.0.3', 'per-site', 'r@x.example');
    expect(third.status).toBe(429);
    expect(third.body.error.message).toMatch(/site/);
  });
});
