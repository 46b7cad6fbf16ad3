/** Who is speaking: staff verification paths, impersonation, revocation, sessions, export and erasure. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SignJWT } from 'jose';
import { http } from '../support/clients.js';
import { key, startTestServer, type TestServer } from '../support/server.js';
import { setUpIdentity, type Fixture } from '../support/identity-fixtures.js';

let server: TestServer;
let fx: Fixture;
let clock = Date.now();

beforeAll(async () => {
  server = await startTestServer({ now: () => new Date(clock) });
  fx = await setUpIdentity(server);
});
afterAll(async () => server.close());

const post = (token: string, body: string, topic = 'identity') =>
  http(`${fx.api}/posts`, { token, body: { topic, body, idempotencyKey: key() } });

async function linkTokenFromOutbox(email: string): Promise<string> {
  const message = (await server.store.listOutbox('alpha', 50)).find((m) => m.recipient === email);
  if (!message) throw new Error(`no mail to ${email}`);
  const match = /#parley-verify=([A-Za-z0-9_-]+)/.exec(message.body);
  if (!match) throw new Error('no link in the mail');
  return match[1]!;
}

async function requestLink(email: string, name = 'Erin Employee', returnUrl = 'https://alpha.example/forum') {
  return http(`${fx.api}/staff/email-link`, { body: { email, name, jobTitle: 'Medical Advisor', returnUrl } });
}

describe('verification by the host’s sign-in (SSO vouching)', () => {
  it('a token vouching for a registered company makes a staff post with a full badge', async () => {
    const token = await server.sign('alpha', { sub: 'sso-staff', name: 'Sam Staff', affiliation: { company: 'acme', jobTitle: 'MSL' } });
    const created = await post(token, 'Hello from Acme');
    expect(created.status).toBe(201);
    expect(created.body.post.author.kind).toBe('staff');
    expect(created.body.post.author.affiliation).toMatchObject({
      companyId: 'acme', companyName: 'Acme Pharma', jobTitle: 'MSL', verifiedBy: 'Alpha Patients',
    });
    const me = await http(`${fx.api}/me`, { token });
    expect(me.body.viewer.roles).toContain('staff');
  });

  it('a claim for a company not in the register is refused', async () => {
    const token = await server.sign('alpha', { sub: 'sso-x', name: 'X', affiliation: { company: 'unknown-co', jobTitle: 'CEO' } });
    const response = await http(`${fx.api}/me`, { token });
    expect(response.status).toBe(401);
    expect(response.body.error.message).toMatch(/not in this site's register/);
  });

  it('a forged affiliation claim (signed with the wrong key) is refused', async () => {
    const token = await server.sign('alpha', { sub: 'forger', name: 'F', affiliation: { company: 'acme', jobTitle: 'MSL' } }, {
      secret: 'not-the-site-secret-0123456789abcdef0123',
    });
    const response = await post(token, 'I am totally Acme');
    expect(response.status).toBe(401);
    expect(response.body.error.code).toBe('token_invalid');
  });
});

describe('verification by email proof', () => {
  it('sends a link for a registered domain, which signs the employee in as staff once', async () => {
    const sent = await requestLink('erin@acme.example');
    expect(sent.status).toBe(202);
    expect(sent.body).toMatchObject({ sent: true, company: 'Acme Pharma' });
    expect(JSON.stringify(sent.body)).not.toMatch(/parley-verify/);
    const token = await linkTokenFromOutbox('erin@acme.example');
    const mail = (await server.store.listOutbox('alpha', 50)).find((m) => m.recipient === 'erin@acme.example')!;
    expect(mail.body).toContain('https://alpha.example/forum#parley-verify=');

    const verified = await http(`${fx.api}/staff/verify`, { body: { token } });
    expect(verified.status).toBe(200);
    expect(verified.body.viewer.affiliation).toMatchObject({ companyId: 'acme', jobTitle: 'Medical Advisor' });
    expect(verified.body.viewer.roles).toContain('staff');
    const created = await post(verified.body.accessToken, 'Verified by email');
    expect(created.body.post.author).toMatchObject({ name: 'Erin Employee', kind: 'staff' });
    expect(JSON.stringify(created.body)).not.toContain('erin@acme.example');

    const reused = await http(`${fx.api}/staff/verify`, { body: { token } });
    expect(reused.status).toBe(401);
    expect(reused.body.error.message).toMatch(/already used/);
  });

  it('stores only a hash of the link token', async () => {
    await requestLink('hash@acme.example');
    const token = await linkTokenFromOutbox('hash@acme.example');
    const dump = JSON.stringify(await server.store.listOutbox('alpha', 0));
    void dump;
    const rows = await server.store.database.all<{ token_hash: string }>('SELECT token_hash FROM email_links');
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.some((r) => r.token_hash === token)).toBe(false);
  });

  it('an expired link is refused', async () => {
    await requestLink('late@acme.example');
    const token = await linkTokenFromOutbox('late@acme.example');
    clock += 31 * 60_000;
    try {
      const response = await http(`${fx.api}/staff/verify`, { body: { token } });
      expect(response.status).toBe(401);
      expect(response.body.error.message).toMatch(/expired/);
    } finally {
      clock -= 31 * 60_000;
    }
  });

  it('refuses addresses outside the company’s registered domains, including look-alike domains', async () => {
    for (const email of ['erin@gmail.example', 'erin@acme.example.evil.io', 'erin@notacme.example', 'erin@acme-example.com']) {
      const response = await requestLink(email);
      expect(response.status, email).toBe(400);
      expect(response.body.error.message, email).toMatch(/not registered for any company/);
    }
    const subdomain = await requestLink('erin@uk.acme.example');
    expect(subdomain.status).toBe(202);
  });

  it('refuses return URLs outside the site and unknown tokens', async () => {
    const elsewhere = await requestLink('ret@acme.example', 'Ret', 'https://evil.example/phish');
    expect(elsewhere.status).toBe(400);
    const unknown = await http(`${fx.api}/staff/verify`, { body: { token: 'x'.repeat(43) } });
    expect(unknown.status).toBe(401);
  });

  it('limits how many links one address can request', async () => {
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await requestLink('spam@acme.example')).status);
    expect(statuses).toEqual([202, 202, 202, 429]);
  });
});

describe('separation: company staff never moderate', () => {
  it('refuses to grant moderator or admin to verified staff', async () => {
    const token = await server.sign('alpha', { sub: 'sep-staff', name: 'Sep Staff', affiliation: { company: 'acme', jobTitle: 'PR' } });
    const id = (await http(`${fx.api}/me`, { token })).body.viewer.id;
    for (const role of ['moderator', 'admin']) {
      const response = await http(`${fx.api}/admin/roles`, { token: fx.adminToken, body: { userId: id, role } });
      expect(response.status, role).toBe(403);
      expect(response.body.error.message).toMatch(/never moderate/);
    }
  });

  it('refuses to add an affiliation to a moderator, by SSO and by admin', async () => {
    const ssoModerator = await server.sign('alpha', { sub: 'mod-sub', name: 'Mo Moderator', affiliation: { company: 'acme', jobTitle: 'MSL' } });
    const bySso = await http(`${fx.api}/me`, { token: ssoModerator });
    expect(bySso.status).toBe(403);
    const byAdmin = await http(`${fx.api}/admin/staff`, { token: fx.adminToken, body: { userId: fx.moderatorId, company: 'acme', jobTitle: 'MSL' } });
    expect(byAdmin.status).toBe(403);
    const me = await http(`${fx.api}/me`, { token: fx.moderatorToken });
    expect(me.body.viewer.affiliation).toBeNull();
  });
});

describe('impersonation', () => {
  it('a member cannot take a name that imitates verified staff or a company', async () => {
    await server.sign('alpha', { sub: 'sso-staff', name: 'Sam Staff', affiliation: { company: 'acme', jobTitle: 'MSL' } }).then((t) => http(`${fx.api}/me`, { token: t }));
    const member = await server.sign('alpha', { sub: 'imitator', name: 'Innocent Name' });
    for (const name of ['Sam Staff', 'Dr. Sam Staff', 'S4m St4ff', 'sam  STAFF (official)', 'Acme Pharma', 'Acme Therapeutics', 'ACME Pharma Team']) {
      const response = await http(`${fx.api}/me`, { method: 'PATCH', token: member, body: { displayName: name } });
      expect(response.status, name).toBe(400);
      expect(response.body.error.message, name).toMatch(/too close to/);
    }
    const fine = await http(`${fx.api}/me`, { method: 'PATCH', token: member, body: { displayName: 'Samuel the gardener' } });
    expect(fine.status).toBe(200);
    // The chosen name sticks although the host's token still says otherwise.
    const again = await http(`${fx.api}/me`, { token: member });
    expect(again.body.viewer.name).toBe('Samuel the gardener');
    const cors = await http(`${fx.api}/me/export`, { token: member, origin: 'https://alpha.example' });
    expect(cors.headers.get('access-control-expose-headers')).toContain('Content-Disposition');
  });

  it('a host-given name that imitates staff is visibly marked on posts', async () => {
    const token = await server.sign('alpha', { sub: 'host-imitator', name: 'Sam Staff' });
    const created = await post(token, 'I am the real Sam');
    expect(created.body.post.author.kind).toBe('member');
    expect(created.body.post.author.lookalike).toBe(true);
    expect(created.body.post.author.affiliation).toBeUndefined();
  });

  it('staff cannot rename themselves; a name change goes through an admin and is recorded', async () => {
    const token = await server.sign('alpha', { sub: 'renamer', name: 'Rita Real', affiliation: { company: 'acme', jobTitle: 'MSL' } });
    const self = await http(`${fx.api}/me`, { method: 'PATCH', token, body: { displayName: 'Anonymous Helper' } });
    expect(self.status).toBe(403);
    const request = await http(`${fx.api}/me/name-change`, { token, body: { displayName: 'Rita Real-Smith', reason: 'Married' } });
    expect(request.status).toBe(201);
    const byMember = await http(`${fx.api}/admin/name-changes/${request.body.request.id}`, { token, body: { approve: true } });
    expect(byMember.status).toBe(403);
    const approved = await http(`${fx.api}/admin/name-changes/${request.body.request.id}`, { token: fx.adminToken, body: { approve: true } });
    expect(approved.status).toBe(200);
    const me = await http(`${fx.api}/me`, { token });
    expect(me.body.viewer.name).toBe('Rita Real-Smith');
    const events = await http(`${fx.api}/admin/identity-events`, { token: fx.adminToken });
    expect(events.body.events.map((e: any) => e.kind)).toEqual(expect.arrayContaining(['name-change-requested', 'name-change-approved']));
  });
});

describe('revocation', () => {
  it('a revoked employee’s new posts carry no badge while old posts keep theirs', async () => {
    const token = await server.sign('alpha', { sub: 'leaver', name: 'Lee Leaver' });
    const id = (await http(`${fx.api}/me`, { token })).body.viewer.id;
    const verified = await http(`${fx.api}/admin/staff`, { token: fx.adminToken, body: { userId: id, company: 'acme', jobTitle: 'Nurse Advisor' } });
    expect(verified.status).toBe(200);
    const before = await post(token, 'While at Acme');
    expect(before.body.post.author.affiliation.companyName).toBe('Acme Pharma');
    const revoked = await http(`${fx.api}/admin/staff/revoke`, { token: fx.adminToken, body: { userId: id, reason: 'Left the company' } });
    expect(revoked.status).toBe(200);
    const after = await post(token, 'After leaving');
    expect(after.body.post.author.affiliation).toBeUndefined();
    const old = await http(`${fx.api}/posts/${before.body.post.id}`);
    expect(old.body.post.author.affiliation.companyName).toBe('Acme Pharma');
    const card = await http(`${fx.api}/companies/acme`);
    const person = card.body.people.find((p: any) => p.userId === id);
    expect(person.revokedAt).not.toBeNull();
  });
});

describe('sessions', () => {
  it('exchanges a host token for a session, refreshes with rotation, and signs out everywhere', async () => {
    const host = await server.sign('alpha', { sub: 'session-user', name: 'Sue Session' });
    const session = await http(`${fx.api}/session`, { body: { hostToken: host } });
    expect(session.status).toBe(200);
    expect(session.body.expiresIn).toBe(900);
    expect((await post(session.body.accessToken, 'with a session')).status).toBe(201);

    const refreshed = await http(`${fx.api}/session/refresh`, { body: { refreshToken: session.body.refreshToken } });
    expect(refreshed.status).toBe(200);
    const replay = await http(`${fx.api}/session/refresh`, { body: { refreshToken: session.body.refreshToken } });
    expect(replay.status).toBe(401);

    const second = await http(`${fx.api}/session`, { body: { hostToken: host } });
    const out = await http(`${fx.api}/session/sign-out-everywhere`, { method: 'POST', token: refreshed.body.accessToken });
    expect(out.status).toBe(200);
    expect(out.body.revoked).toBe(2);
    for (const token of [refreshed.body.accessToken, second.body.accessToken]) {
      expect((await http(`${fx.api}/me`, { token })).status).toBe(401);
    }
    expect((await http(`${fx.api}/session/refresh`, { body: { refreshToken: second.body.refreshToken } })).status).toBe(401);
  });

  it('a session from one site is useless on another', async () => {
    const host = await server.sign('alpha', { sub: 'iso', name: 'Iso' });
    const session = await http(`${fx.api}/session`, { body: { hostToken: host } });
    const beta = `${server.url}/api/sites/beta`;
    expect((await http(`${beta}/me`, { token: session.body.accessToken })).status).toBe(401);
    expect((await http(`${beta}/session/refresh`, { body: { refreshToken: session.body.refreshToken } })).status).toBe(401);
  });

  it('an access token forged with another key is refused', async () => {
    const now = Math.floor(Date.now() / 1000);
    const forged = await new SignJWT({ sid: 'x', ep: 0 }).setProtectedHeader({ alg: 'HS256', kid: 'parley-session' })
      .setIssuer('parley').setAudience('alpha').setSubject(fx.adminId).setIssuedAt(now).setExpirationTime(now + 60)
      .sign(new TextEncoder().encode('guessed-key-0123456789abcdef0123456789'));
    expect((await http(`${fx.api}/admin`, { token: forged })).status).toBe(401);
  });
});

describe('privacy: export and erasure', () => {
  it('exports everything held about the member, and only about them', async () => {
    const token = await server.sign('alpha', { sub: 'exporter', name: 'Ex Porter', email: 'ex@home.example' });
    const mine = await post(token, 'my words');
    await post(fx.adminToken, 'not my words');
    const exported = await http(`${fx.api}/me/export`, { token });
    expect(exported.status).toBe(200);
    expect(exported.headers.get('content-disposition')).toMatch(/attachment/);
    expect(exported.body.user).toMatchObject({ displayName: 'Ex Porter', email: 'ex@home.example' });
    expect(exported.body.posts.map((p: any) => p.id)).toEqual([mine.body.post.id]);
    const page = await http(`${fx.api}/topics/identity/posts?limit=100`);
    expect(JSON.stringify(page.body)).not.toContain('ex@home.example');
  });

  it('deleting an account erases personal data; posts stay as "Deleted member" and nothing breaks', async () => {
    const token = await server.sign('alpha', { sub: 'leaving-member', name: 'Lena Leaving', email: 'lena@home.example' });
    const session = await http(`${fx.api}/session`, { body: { hostToken: token } });
    const oldId = session.body.viewer.id;
    const root = await post(token, 'a question', 'erasure');
    const reply = await http(`${fx.api}/posts`, { token: fx.adminToken, body: { topic: 'erasure', parent: root.body.post.id, body: 'an answer', idempotencyKey: key() } });
    const refused = await http(`${fx.api}/me`, { method: 'DELETE', token, body: {} });
    expect(refused.status).toBe(400);
    const erased = await http(`${fx.api}/me`, { method: 'DELETE', token, body: { confirm: 'delete my account' } });
    expect(erased.status).toBe(200);
    const page = await http(`${fx.api}/topics/erasure/posts`);
    const kept = page.body.posts.find((p: any) => p.id === root.body.post.id);
    expect(kept.author).toEqual({ id: 'deleted', name: 'Deleted member', kind: 'deleted' });
    expect(kept.body).toBe('a question');
    expect(page.body.posts.find((p: any) => p.id === reply.body.post.id).parent).toBe(root.body.post.id);
    expect(JSON.stringify(page.body)).not.toMatch(/Lena|lena@home/);
    // Their Parley session is gone; if the host signs them in again, they start a new, empty account.
    expect((await http(`${fx.api}/me`, { token: session.body.accessToken })).status).toBe(401);
    const again = await http(`${fx.api}/me`, { token });
    expect(again.body.viewer.id).not.toBe(oldId);
    expect((await http(`${fx.api}/me/export`, { token })).body.posts).toEqual([]);
    const changes = await http(`${fx.api}/topics/erasure/changes?since=${reply.body.post.rev}`);
    expect(changes.body.posts.map((p: any) => p.id)).toContain(root.body.post.id);
  });

  it('on request, erasure also removes the member’s posts', async () => {
    const token = await server.sign('alpha', { sub: 'remove-all', name: 'Rae Remove' });
    const created = await post(token, 'please forget this', 'erasure-2');
    const erased = await http(`${fx.api}/me`, { method: 'DELETE', token, body: { confirm: 'delete my account', removePosts: true } });
    expect(erased.body.postsChanged).toBe(1);
    const fetched = await http(`${fx.api}/posts/${created.body.post.id}`);
    expect(fetched.body.post.status).toBe('removed');
    expect(fetched.body.post.body).toBe('');
  });
});

describe('the public register', () => {
  it('lists companies with disclosures, people and the funding summary', async () => {
    const register = await http(`${fx.api}/companies`);
    expect(register.status).toBe(200);
    const acme = register.body.companies.find((c: any) => c.id === 'acme');
    expect(acme.disclosure.statement).toMatch(/no say/);
    expect(acme.people.length).toBeGreaterThan(0);
    expect(JSON.stringify(register.body)).not.toMatch(/emailDomains|@acme\.example/);
    expect(register.body.funding).toMatchObject({ year: 2025, total: 40000, note: 'dominant-funder', dominantCompany: 'Acme Pharma' });
    expect(register.body.funding.shares[0]).toMatchObject({ companyId: 'acme', share: 0.75 });
  });

  it('says who takes part in a topic', async () => {
    const participants = await http(`${fx.api}/topics/identity/participants`);
    expect(participants.status).toBe(200);
    expect(participants.body.companies.map((c: any) => c.id)).toEqual(['acme']);
    expect(participants.body.companies[0].postsInTopic).toBeGreaterThan(0);
    expect(participants.body.funding.note).toBe('dominant-funder');
  });
});
