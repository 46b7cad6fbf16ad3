/**
 * Possible adverse events go to the company's safety team (issue 6), end to end on a real
 * server and SQLite: detection in English, Dutch and German; who sees flags; the seen clock;
 * the one-step forward by email (a local SMTP sink) and webhook (local HTTP receivers, one
 * that fails once and one that always fails); the public log; the member's signpost and
 * consent; the monitoring feed. The member's email must never leave Parley.
 */
import { createHmac } from 'node:crypto';
import nodeHttp from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_DELIVERY_ATTEMPTS } from '../../moderation/safety.js';
import { runDueDeliveries } from '../../server/services/safety-delivery.js';
import { http } from '../support/clients.js';
import { setUpIdentity, type Fixture } from '../support/identity-fixtures.js';
import { key, startTestServer, type TestServer } from '../support/server.js';
import { demoPlugin } from '../../demo/plugin.js';
import { startSmtpSink, type SmtpSink } from '../support/smtp-sink.js';

const MEMBER_EMAIL = 'ann.private@example.org';

interface Receiver {
  url: string;
  requests: Array<{ headers: nodeHttp.IncomingHttpHeaders; body: string }>;
  close(): Promise<void>;
}

/** A local webhook receiver answering `statusOf(n)` to its n-th request (1-based). */
async function startReceiver(statusOf: (n: number) => number): Promise<Receiver> {
  const requests: Receiver['requests'] = [];
  const server = nodeHttp.createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      requests.push({ headers: req.headers, body });
      res.statusCode = statusOf(requests.length);
      res.end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/pv-hook`,
    requests,
    close: () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}

let sink: SmtpSink;
let ok: Receiver;
let flaky: Receiver;
let down: Receiver;
let server: TestServer;
let fx: Fixture;
/** The server's clock runs this far ahead of the real one (tokens stay valid: they live 10 minutes). */
let offsetMs = 0;

let member: string;
let otherMember: string;
let acmeStaff: string;
let acmeStaff2: string;
let otherStaff: string;
let acmeWebhookSecret: string;

const api = (path: string) => `${fx.api}${path}`;
const post = async (token: string, body: string, topic = 'treatments') => {
  const response = await http(api('/posts'), { token, body: { topic, body, idempotencyKey: key() } });
  expect(response.status, JSON.stringify(response.body)).toBe(201);
  return response.body.post as { id: string; body: string };
};
const flagsOf = async (postId: string, token = fx.moderatorToken) => (await http(api(`/safety/flags?post=${postId}`), { token })).body.flags as any[];
const company = (id: string, displayName: string, product: string) => ({
  id, legalName: `${displayName} Ltd`, displayName, emailDomains: [`${id}.example`],
  products: [{ name: product, inn: [], prescriptionOnly: true }],
});
const deliveriesOf = async (flagId: string) => (await http(api(`/safety/flags/${flagId}`), { token: fx.moderatorToken })).body.flag.forward.deliveries as any[];
/** Runs the retry schedule as the server's timer would, at a chosen moment. */
const runAt = (at: number) => runDueDeliveries({ ...server.ctx, now: () => new Date(at) });
/** A received mail as text: headers unfolded, quoted-printable soft line breaks joined. */
const mailText = (data: string) => data.replace(/\r?\n(?=[ \t])/g, '').replace(/=\r?\n/g, '');

beforeAll(async () => {
  sink = await startSmtpSink();
  ok = await startReceiver(() => 200);
  flaky = await startReceiver((n) => (n === 1 ? 500 : 200));
  down = await startReceiver(() => 500);
  server = await startTestServer({ smtpUrl: sink.url, mailFrom: 'Alpha Patients <forum@alpha.example>', now: () => new Date(Date.now() + offsetMs) });
  fx = await setUpIdentity(server);
  for (const c of [company('beacon', 'Beacon Bio', 'Lumora'), company('coral', 'Coral Care', 'Serenix'), company('delta', 'Delta Drugs', 'Placebra')]) {
    const put = await http(api(`/admin/companies/${c.id}`), { method: 'PUT', token: fx.adminToken, body: c });
    expect(put.status).toBe(201);
  }
  member = await server.sign('alpha', { sub: 'member-ann', name: 'Ann Member', email: MEMBER_EMAIL });
  otherMember = await server.sign('alpha', { sub: 'member-bob', name: 'Bob Member', email: 'bob@example.org' });
  acmeStaff = await server.sign('alpha', { sub: 'acme-sam', name: 'Sam Acme', affiliation: { company: 'acme', jobTitle: 'Medical Advisor' } });
  acmeStaff2 = await server.sign('alpha', { sub: 'acme-tia', name: 'Tia Acme', affiliation: { company: 'acme', jobTitle: 'MSL' } });
  otherStaff = await server.sign('alpha', { sub: 'other-oz', name: 'Oz Other', affiliation: { company: 'other', jobTitle: 'Engineer' } });
});

afterAll(async () => {
  await server?.close();
  await Promise.all([sink?.close(), ok?.close(), flaky?.close(), down?.close()]);
});

describe('pharmacovigilance contacts', () => {
  it('are set by site admins, validated, and not public', async () => {
    const bad = await http(api('/admin/companies/acme/safety-contact'), { method: 'PUT', token: fx.adminToken, body: { pvWebhookUrl: 'ftp://pv.acme.example' } });
    expect(bad.status).toBe(400);
    expect(bad.body.error).toMatchObject({ code: 'validation_failed', message: expect.stringContaining('pvWebhookUrl') });
    expect(bad.body.error.issues[0]).toMatchObject({ path: 'pvWebhookUrl' });
    const badEmail = await http(api('/admin/companies/acme/safety-contact'), { method: 'PUT', token: fx.adminToken, body: { pvEmail: 'not-an-address' } });
    expect(badEmail.body.error.code).toBe('validation_failed');
    const byModerator = await http(api('/admin/companies/acme/safety-contact'), { method: 'PUT', token: fx.moderatorToken, body: { pvEmail: 'pv@acme.example' } });
    expect(byModerator.status).toBe(403);
    expect(byModerator.body.error.code).toBe('forbidden');
    const unknown = await http(api('/admin/companies/nobody/safety-contact'), { method: 'PUT', token: fx.adminToken, body: { pvEmail: 'pv@acme.example' } });
    expect(unknown.status).toBe(404);

    const set = await http(api('/admin/companies/acme/safety-contact'), {
      method: 'PUT', token: fx.adminToken, body: { pvEmail: 'PV@acme.example', pvWebhookUrl: ok.url },
    });
    expect(set.status).toBe(200);
    expect(set.body.contact).toMatchObject({ company: 'acme', pvEmail: 'pv@acme.example', pvWebhookUrl: ok.url, webhookSigned: true });
    expect(set.body.webhookSecret).toMatch(/^[A-Za-z0-9_-]{40,}$/);
    acmeWebhookSecret = set.body.webhookSecret;
    for (const [id, url] of [['beacon', flaky.url], ['coral', down.url]] as const) {
      const r = await http(api(`/admin/companies/${id}/safety-contact`), { method: 'PUT', token: fx.adminToken, body: { pvWebhookUrl: url } });
      expect(r.status).toBe(200);
    }
    expect((await http(api('/admin/companies/acme/safety-contact'), { token: fx.adminToken })).body.contact.pvEmail).toBe('pv@acme.example');

    const register = await http(api('/companies'));
    const byId = Object.fromEntries(register.body.companies.map((c: any) => [c.id, c]));
    expect(byId.acme.safetyContact).toBe(true);
    expect(byId.delta.safetyContact).toBe(false);
    expect(JSON.stringify(register.body)).not.toContain('pv@acme.example');
    expect(JSON.stringify(register.body)).not.toContain(ok.url);
    // The change is public, the addresses are not.
    const log = await http(api('/log/view?kind=company.safety-contact&limit=10'));
    // (issue 15: the contact's scope, country and product, is public too; null is the company's default)
    expect(log.body.entries.find((e: any) => e.leaf.data.company === 'acme').leaf.data).toEqual({ company: 'acme', country: null, product: null, email: true, webhook: true });
    expect(JSON.stringify(log.body)).not.toContain('pv@acme.example');
  });
});

const ids: Record<string, string> = {};
const flags: Record<string, any> = {};

describe('detection', () => {
  it('flags a member post naming a product with a possible side effect, in English, Dutch and German', async () => {
    ids.en = (await post(member, 'Since starting Rememba my father is dizzy and he fell twice last week.')).id;
    ids.nl = (await post(member, 'Mijn moeder gebruikt Rememba en is sindsdien erg misselijk en duizelig.')).id;
    ids.de = (await post(member, 'Meine Mutter nimmt Rememba und hat seitdem starke Kopfschmerzen und Übelkeit.')).id;
    for (const [language, concepts] of [['en', ['dizziness', 'fall']], ['nl', ['nausea', 'dizziness']], ['de', ['headache', 'nausea']]] as const) {
      const found = await flagsOf(ids[language]!);
      expect(found, language).toHaveLength(1);
      expect(found[0]).toMatchObject({ postId: ids[language], company: { id: 'acme', name: 'Acme Pharma', hasSafetyContact: true }, products: ['Rememba'], language, concepts });
      expect(found[0].reference).toMatch(/^PV-[A-Z0-9]{10}$/);
      flags[language] = found[0];
    }
    expect(flags.en.eventTerms).toEqual(['dizzy', 'fell']);
  });

  it('does not flag a product alone, an event alone, or a company employee’s post', async () => {
    const productOnly = await post(member, 'We talk about Rememba with the neurologist next week.');
    const eventOnly = await post(member, 'My mother had a terrible headache and fell in the garden.');
    const negated = await post(member, 'Dad has been on Rememba for six months, no side effects so far.');
    const staffPost = await post(acmeStaff, 'Rememba can cause dizziness in some people; please tell your doctor if it happens.');
    for (const p of [productOnly, eventOnly, negated, staffPost]) expect(await flagsOf(p.id), p.body).toEqual([]);
  });

  it('records the detection in the public log as automated, without the text or the member', async () => {
    const log = await http(api(`/log/view?kind=detection.adverse-event&post=${ids.en}`));
    expect(log.body.entries).toHaveLength(1);
    const entry = log.body.entries[0];
    expect(entry.leaf).toMatchObject({
      kind: 'detection.adverse-event', actor: { type: 'automated', label: 'Adverse-event detector' },
      data: { postId: ids.en, company: 'acme', products: ['Rememba'], language: 'en', automated_detection: true, automated_decision: false },
    });
    expect(flags.en.logIndex).toBe(entry.index);
    const text = JSON.stringify(entry);
    for (const secret of ['dizzy', 'father', 'Ann Member', MEMBER_EMAIL]) expect(text).not.toContain(secret);
  });
});

describe('who sees flags', () => {
  it('shows moderators every flag with the post', async () => {
    const list = await http(api('/safety/flags'), { token: fx.moderatorToken });
    expect(list.status).toBe(200);
    expect(list.body.flags.map((f: any) => f.postId)).toEqual([ids.de, ids.nl, ids.en]);
    expect(list.body.flags[2]).toMatchObject({ post: { body: expect.stringContaining('dizzy'), status: 'visible', author: { name: 'Ann Member' } }, forward: null, youMayForward: true });
    expect(JSON.stringify(list.body)).not.toContain(MEMBER_EMAIL);
  });

  it('answers for a batch of posts in one request (the posts a widget has on screen)', async () => {
    const unflagged = (await post(otherMember, 'Just saying hello to everyone here.')).id;
    const batch = await http(api(`/safety/flags?posts=${ids.en},${unflagged},${ids.de}&limit=100`), { token: fx.moderatorToken });
    expect(batch.status).toBe(200);
    expect(batch.body.flags.map((f: any) => f.postId)).toEqual([ids.de, ids.en]);
    const tooMany = await http(api(`/safety/flags?posts=${Array.from({ length: 101 }, () => ids.en).join(',')}`), { token: fx.moderatorToken });
    expect(tooMany.status).toBe(400);
    expect(tooMany.body.error.code).toBe('validation_failed');
    const bad = await http(api('/safety/flags?posts=not%20an%20id'), { token: fx.moderatorToken });
    expect(bad.body.error.code).toBe('validation_failed');
  });

  it('shows company staff only their company’s flags, and nothing to members or readers', async () => {
    const other = await http(api('/safety/flags'), { token: otherStaff });
    expect(other.status).toBe(200);
    expect(other.body.flags).toEqual([]);
    expect((await http(api(`/safety/flags/${flags.en.id}`), { token: otherStaff })).status).toBe(404);
    const otherCompany = await http(api('/safety/flags?company=acme'), { token: otherStaff });
    expect(otherCompany.status).toBe(403);
    expect(otherCompany.body.error.code).toBe('forbidden');
    const byMember = await http(api('/safety/flags'), { token: member });
    expect(byMember.status).toBe(403);
    expect(byMember.body.error).toMatchObject({ code: 'forbidden', message: expect.any(String) });
    const anonymous = await http(api('/safety/flags'));
    expect(anonymous.status).toBe(401);
    expect(anonymous.body.error.code).toBe('unauthenticated');
    const badQuery = await http(api('/safety/flags?limit=1000'), { token: fx.moderatorToken });
    expect(badQuery.status).toBe(400);
    expect(badQuery.body.error).toMatchObject({ code: 'validation_failed', issues: [{ path: 'limit' }] });
    const paged = await http(api('/safety/flags?limit=2'), { token: fx.moderatorToken });
    expect(paged.body.flags).toHaveLength(2);
    const rest = await http(api(`/safety/flags?limit=2&cursor=${paged.body.nextCursor}`), { token: fx.moderatorToken });
    expect(rest.body.flags.map((f: any) => f.postId)).toEqual([ids.en]);
    expect(rest.body.nextCursor).toBeNull();
  });
});

describe('the seen clock', () => {
  it('keeps the first time any staff of the company had a flagged post on screen', async () => {
    const unflagged = await post(member, 'Just saying hello to everyone here.');
    expect((await http(api('/safety/seen'), { token: fx.moderatorToken, body: { postIds: [ids.en] } })).body).toEqual({ recorded: 0 });
    expect((await http(api('/safety/seen'), { token: otherStaff, body: { postIds: [ids.en] } })).body).toEqual({ recorded: 0 });
    const before = Date.now() + offsetMs;
    const first = await http(api('/safety/seen'), { token: acmeStaff, body: { postIds: [ids.en, unflagged.id, 'no-such-post'] } });
    expect(first.body).toEqual({ recorded: 1 });
    const seenAt = (await flagsOf(ids.en))[0].firstSeenByCompanyStaffAt;
    expect(Date.parse(seenAt)).toBeGreaterThanOrEqual(before - 1000);
    offsetMs += 120_000;
    expect((await http(api('/safety/seen'), { token: acmeStaff2, body: { postIds: [ids.en] } })).body).toEqual({ recorded: 0 });
    expect((await flagsOf(ids.en))[0]).toMatchObject({ firstSeenByCompanyStaffAt: seenAt, firstSeenVia: 'screen' });

    expect((await http(api('/safety/seen'), { token: member, body: { postIds: [ids.en] } })).status).toBe(403);
    const tooMany = await http(api('/safety/seen'), { token: acmeStaff, body: { postIds: Array.from({ length: 101 }, (_, i) => `p${i}`) } });
    expect(tooMany.status).toBe(400);
    expect(tooMany.body.error.code).toBe('validation_failed');
    expect((await http(api('/safety/seen'), { token: acmeStaff, body: { postIds: 'x' } })).status).toBe(400);
  });
});

describe('forwarding', () => {
  let postBefore: any;
  let forward: any;

  it('is one step for the company’s staff, carries what the safety team needs, and never the member’s email', async () => {
    postBefore = (await http(api(`/posts/${ids.en}`))).body.post;
    const response = await http(api(`/safety/flags/${flags.en.id}/forward`), { token: acmeStaff, body: {} });
    expect(response.status, JSON.stringify(response.body)).toBe(201);
    expect(response.body.created).toBe(true);
    forward = response.body.forward;
    const seenAt = (await flagsOf(ids.en))[0].firstSeenByCompanyStaffAt;
    expect(forward.payload).toMatchObject({
      type: 'parley.safety.forward', reference: flags.en.reference,
      company: { id: 'acme', name: 'Acme Pharma' },
      post: { id: ids.en, url: `${server.url}/api/sites/alpha/posts/${ids.en}`, text: 'Since starting Rememba my father is dizzy and he fell twice last week.', reporterPseudonym: 'Ann Member' },
      products: ['Rememba'], eventTerms: ['dizzy', 'fell'],
      firstSeenByCompanyStaffAt: seenAt, firstSeenVia: 'screen',
      forwardedBy: { role: 'company-staff', name: 'Sam Acme' },
      contactThroughHost: { reference: flags.en.reference, hostName: 'Alpha Patients', memberAgreed: null },
    });
    expect(forward.deliveries.map((d: any) => d.channel).sort()).toEqual(['email', 'webhook']);

    await runDueDeliveries(server.ctx);
    expect(sink.messages).toHaveLength(1);
    const mail = sink.messages[0]!;
    expect(mail.to).toEqual(['<pv@acme.example>']);
    const text = mailText(mail.data);
    expect(text).toMatch(/Subject: \[Alpha Patients\] Possible adverse event: Rememba \(ref PV-/);
    for (const part of [`/api/sites/alpha/posts/${ids.en}`, 'Since starting Rememba my father is dizzy', 'dizzy, fell', seenAt, flags.en.reference, 'Ann Member']) {
      expect(text).toContain(part);
    }
    expect(mail.data).not.toContain(MEMBER_EMAIL);

    expect(ok.requests).toHaveLength(1);
    const hook = ok.requests[0]!;
    expect(JSON.parse(hook.body)).toEqual(forward.payload);
    expect(hook.body).not.toContain(MEMBER_EMAIL);
    expect(hook.headers['x-parley-event']).toBe('parley.safety.forward');
    expect(hook.headers['x-parley-signature']).toBe(`sha256=${createHmac('sha256', acmeWebhookSecret).update(hook.body).digest('hex')}`);

    const delivered = await deliveriesOf(flags.en.id);
    expect(delivered.map((d) => d.status)).toEqual(['delivered', 'delivered']);
    expect(JSON.stringify(await http(api(`/safety/flags/${flags.en.id}`), { token: acmeStaff }))).not.toContain(MEMBER_EMAIL);
  });

  it('is idempotent: forwarding again sends nothing more', async () => {
    const again = await http(api(`/safety/flags/${flags.en.id}/forward`), { token: fx.moderatorToken, body: {} });
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ created: false, forward: { id: forward.id } });
    await runDueDeliveries(server.ctx);
    expect(sink.messages).toHaveLength(1);
    expect(ok.requests).toHaveLength(1);
    expect((await flagsOf(ids.en))[0].youMayForward).toBe(false);
  });

  it('counts flags and forwards per company in the transparency report, with no content', async () => {
    const report = await http(api('/transparency'));
    expect(report.status).toBe(200);
    const acme = report.body.safetyReferrals.byCompany.find((c: any) => c.company === 'Acme Pharma');
    expect(acme.flagged).toBeGreaterThanOrEqual(3);
    expect(acme.forwarded).toBeGreaterThanOrEqual(1);
    expect(JSON.stringify(report.body.safetyReferrals)).not.toMatch(/Rememba|dizzy|Ann/);
  });

  it('records "forwarded for safety review to <company>" in the public log, without personal data', async () => {
    const log = await http(api(`/log/view?kind=safety.forwarded&post=${ids.en}`));
    expect(log.body.entries).toHaveLength(1);
    const leaf = log.body.entries[0].leaf;
    expect(leaf).toMatchObject({
      kind: 'safety.forwarded', actor: { type: 'staff', label: 'Acme Pharma staff' },
      data: { postId: ids.en, company: 'acme', companyName: 'Acme Pharma', summary: 'forwarded for safety review to Acme Pharma' },
    });
    const text = JSON.stringify(log.body);
    for (const secret of ['Ann Member', MEMBER_EMAIL, 'Sam Acme', 'dizzy', 'pv@acme.example']) expect(text).not.toContain(secret);
  });

  it('never hides, edits or delays the post', async () => {
    const after = (await http(api(`/posts/${ids.en}`))).body.post;
    expect(after).toEqual(postBefore);
    expect(after.status).toBe('visible');
    const page = await http(api('/topics/treatments/posts?limit=100'));
    expect(page.body.posts.map((p: any) => p.id)).toEqual(expect.arrayContaining([ids.en, ids.nl, ids.de]));
  });

  it('lets moderators forward, but not members or staff of another company', async () => {
    expect((await http(api(`/safety/flags/${flags.nl.id}/forward`), { token: otherStaff, body: {} })).status).toBe(404);
    const byMember = await http(api(`/safety/flags/${flags.nl.id}/forward`), { token: member, body: {} });
    expect(byMember.status).toBe(403);
    expect(byMember.body.error.code).toBe('forbidden');
    const withOptions = await http(api(`/safety/flags/${flags.nl.id}/forward`), { token: fx.moderatorToken, body: { note: 'x' } });
    expect(withOptions.status).toBe(400);
    expect(withOptions.body.error.code).toBe('validation_failed');
    const byModerator = await http(api(`/safety/flags/${flags.nl.id}/forward`), { token: fx.moderatorToken, body: {} });
    expect(byModerator.status).toBe(201);
    expect(byModerator.body.forward.payload).toMatchObject({ forwardedBy: { role: 'moderator', name: null }, firstSeenByCompanyStaffAt: null, post: { language: 'nl' } });
    const log = await http(api(`/log/view?kind=safety.forwarded&post=${ids.nl}`));
    expect(log.body.entries[0].leaf.actor.type).toBe('moderator');
    await runDueDeliveries(server.ctx);
    expect(sink.messages).toHaveLength(2);
    expect(ok.requests).toHaveLength(2);
  });

  it('refuses clearly when the company has no safety contact', async () => {
    const p = await post(member, 'After two weeks of Placebra my husband has a rash and is very tired.');
    const [flag] = await flagsOf(p.id);
    expect(flag).toMatchObject({ company: { id: 'delta', hasSafetyContact: false }, youMayForward: false });
    const refused = await http(api(`/safety/flags/${flag.id}/forward`), { token: fx.moderatorToken, body: {} });
    expect(refused.status).toBe(409);
    expect(refused.body.error).toMatchObject({ code: 'no_safety_contact', message: expect.stringContaining('Delta Drugs') });
  });
});

describe('delivery failures', () => {
  it('retries a webhook that fails once, and delivers it', async () => {
    const p = await post(member, 'My dad started Lumora and now has swollen ankles and headaches.');
    const [flag] = await flagsOf(p.id);
    const response = await http(api(`/safety/flags/${flag.id}/forward`), { token: fx.moderatorToken, body: {} });
    expect(response.status).toBe(201);
    await runDueDeliveries(server.ctx);
    const [failing] = await deliveriesOf(flag.id);
    expect(failing).toMatchObject({ channel: 'webhook', status: 'pending', failing: true, attempts: 1, lastError: 'HTTP 500 Internal Server Error' });
    const queue = await http(api('/safety/deliveries?status=pending'), { token: fx.moderatorToken });
    expect(queue.body.deliveries.find((d: any) => d.id === failing.id)).toMatchObject({ failing: true, company: 'beacon', flagId: flag.id });

    // Not due yet: nothing happens.
    await runAt(Date.parse(failing.nextAttemptAt) - 1000);
    expect(flaky.requests).toHaveLength(1);
    await runAt(Date.parse(failing.nextAttemptAt) + 1000);
    expect(flaky.requests).toHaveLength(2);
    expect(flaky.requests[1]!.headers['x-parley-delivery']).toBe(flaky.requests[0]!.headers['x-parley-delivery']);
    expect(flaky.requests[1]!.body).toBe(flaky.requests[0]!.body);
    const [delivered] = await deliveriesOf(flag.id);
    expect(delivered).toMatchObject({ status: 'delivered', failing: false, attempts: 2, nextAttemptAt: null });
  });

  it('shows moderators a delivery that keeps failing, and lets them retry it', async () => {
    const p = await post(member, 'Since Serenix my mum is confused and had a seizure.');
    const [flag] = await flagsOf(p.id);
    expect((await http(api(`/safety/flags/${flag.id}/forward`), { token: fx.moderatorToken, body: {} })).status).toBe(201);
    await runDueDeliveries(server.ctx);
    for (let i = 1; i < MAX_DELIVERY_ATTEMPTS; i++) {
      const [d] = await deliveriesOf(flag.id);
      expect(d).toMatchObject({ status: 'pending', attempts: i });
      await runAt(Date.parse(d.nextAttemptAt) + 1000);
    }
    expect(down.requests).toHaveLength(MAX_DELIVERY_ATTEMPTS);
    const failed = await http(api('/safety/deliveries?status=failed'), { token: fx.moderatorToken });
    expect(failed.body.deliveries).toHaveLength(1);
    expect(failed.body.deliveries[0]).toMatchObject({ flagId: flag.id, status: 'failed', failing: true, attempts: MAX_DELIVERY_ATTEMPTS, lastError: 'HTTP 500 Internal Server Error', nextAttemptAt: null });
    expect((await http(api('/safety/deliveries'), { token: acmeStaff })).status).toBe(403);
    expect((await http(api('/safety/deliveries?status=lost'), { token: fx.moderatorToken })).body.error.code).toBe('validation_failed');

    const retry = await http(api(`/safety/deliveries/${failed.body.deliveries[0].id}/retry`), { token: fx.moderatorToken, body: {} });
    expect(retry.status).toBe(200);
    await runDueDeliveries(server.ctx);
    expect(down.requests).toHaveLength(MAX_DELIVERY_ATTEMPTS + 1);
    // One more attempt on request; failing again, it stays failed (and visible) until the next retry.
    expect((await deliveriesOf(flag.id))[0]).toMatchObject({ status: 'failed', failing: true, attempts: MAX_DELIVERY_ATTEMPTS + 1 });
    // The post is untouched by all of this.
    expect((await http(api(`/posts/${p.id}`))).body.post).toMatchObject({ status: 'visible', body: p.body, editedAt: null });
  });
});

describe('the member who wrote the post', () => {
  it('alone gets a private signpost to the reporting scheme of their country', async () => {
    const mine = await http(api('/safety/my-flags'), { token: member });
    expect(mine.status).toBe(200);
    const byPost = Object.fromEntries(mine.body.flags.map((f: any) => [f.postId, f]));
    expect(byPost[ids.nl].signpost).toMatchObject({ scheme: { country: 'NL', url: 'https://www.lareb.nl' }, basis: 'post-language', companyName: 'Acme Pharma', companyHasSafetyContact: true });
    expect(byPost[ids.de].signpost.scheme.url).toBe('https://www.bfarm.de');
    expect(byPost[ids.en].signpost).toMatchObject({ basis: 'fallback' });
    expect(byPost[ids.en]).toMatchObject({ forwarded: true, contactConsent: null, products: ['Rememba'] });
    expect(byPost[ids.en].signpost.message).toContain('stays up exactly as you wrote it');
    expect(JSON.stringify(mine.body)).not.toContain('pv@acme.example');

    const inGb = await http(api(`/safety/my-flags?post=${ids.en}&country=gb`), { token: member });
    expect(inGb.body.flags).toHaveLength(1);
    expect(inGb.body.flags[0].signpost).toMatchObject({ scheme: { country: 'GB', url: 'https://yellowcard.mhra.gov.uk' }, basis: 'member-country' });
    const settings = await http(api('/admin/safety/settings'), { method: 'PUT', token: fx.adminToken, body: { defaultCountry: 'GB' } });
    expect(settings.status).toBe(200);
    expect((await http(api(`/safety/my-flags?post=${ids.en}`), { token: member })).body.flags[0].signpost.basis).toBe('site-country');

    expect((await http(api('/safety/my-flags'), { token: otherMember })).body.flags).toEqual([]);
    expect((await http(api('/safety/my-flags'), { token: fx.moderatorToken })).body.flags).toEqual([]);
    expect((await http(api('/safety/my-flags'))).status).toBe(401);
    expect((await http(api('/safety/my-flags?country=Narnia'), { token: member })).body.error.code).toBe('validation_failed');
  });

  it('can agree to be contacted through the host; a forwarded flag sends the safety team an update', async () => {
    expect((await http(api(`/safety/flags/${flags.en.id}/consent`), { token: otherMember, body: { contact: true } })).status).toBe(404);
    expect((await http(api(`/safety/flags/${flags.en.id}/consent`), { token: acmeStaff, body: { contact: true } })).status).toBe(404);
    const invalid = await http(api(`/safety/flags/${flags.en.id}/consent`), { token: member, body: { contact: 'yes' } });
    expect(invalid.status).toBe(400);
    expect(invalid.body.error).toMatchObject({ code: 'validation_failed', issues: [{ path: 'contact' }] });

    const agreed = await http(api(`/safety/flags/${flags.en.id}/consent`), { token: member, body: { contact: true } });
    expect(agreed.status).toBe(200);
    expect(agreed.body.flag).toMatchObject({ contactConsent: true });
    expect((await flagsOf(ids.en))[0].memberConsent).toBe(true);
    await runDueDeliveries(server.ctx);
    expect(sink.messages).toHaveLength(3);
    expect(mailText(sink.messages[2]!.data)).toMatch(/reporter agreed to follow-up contact/);
    expect(sink.messages[2]!.data).not.toContain(MEMBER_EMAIL);
    const update = JSON.parse(ok.requests.at(-1)!.body);
    expect(update).toMatchObject({ type: 'parley.safety.consent-update', reference: flags.en.reference, contactThroughHost: { memberAgreed: true } });
    expect(ok.requests.at(-1)!.body).not.toContain(MEMBER_EMAIL);
    // The same answer again sends nothing.
    await http(api(`/safety/flags/${flags.en.id}/consent`), { token: member, body: { contact: true } });
    await runDueDeliveries(server.ctx);
    expect(sink.messages).toHaveLength(3);

    // Given before a forward, the answer travels with it.
    await http(api(`/safety/flags/${flags.de.id}/consent`), { token: member, body: { contact: true } });
    const forwarded = await http(api(`/safety/flags/${flags.de.id}/forward`), { token: acmeStaff2, body: {} });
    expect(forwarded.body.forward.payload.contactThroughHost).toMatchObject({ memberAgreed: true, instructions: expect.stringContaining('agreed') });
    expect(forwarded.body.forward.payload.firstSeenVia).toBe('forward');
    await runDueDeliveries(server.ctx);
  });

  it('lets site admins, and only them, resolve a reference to the member as the host knows them', async () => {
    const resolved = await http(api(`/safety/relay/${flags.en.reference}`), { token: fx.adminToken });
    expect(resolved.status).toBe(200);
    expect(resolved.body).toMatchObject({ reference: flags.en.reference, postId: ids.en, member: { hostSubject: 'member-ann' }, contactConsent: true });
    expect(JSON.stringify(resolved.body)).not.toContain(MEMBER_EMAIL);
    expect((await http(api(`/safety/relay/${flags.en.reference}`), { token: fx.moderatorToken })).status).toBe(403);
    expect((await http(api('/safety/relay/PV-0000000000'), { token: fx.adminToken })).status).toBe(404);
    expect((await http(api('/safety/relay/nonsense'), { token: fx.adminToken })).body.error.code).toBe('validation_failed');
  });
});

describe('the monitoring feed', () => {
  it('lists the company’s flagged posts, newest first and paged, for its staff', async () => {
    const feed = await http(api('/safety/feed?limit=2'), { token: acmeStaff });
    expect(feed.status).toBe(200);
    expect(feed.body).toMatchObject({ site: 'alpha', company: 'acme' });
    expect(feed.body.items.map((i: any) => i.postId)).toEqual([ids.de, ids.nl]);
    expect(feed.body.items[0]).toMatchObject({ products: ['Rememba'], url: expect.stringContaining(ids.de), forwarded: true, postStatus: 'visible' });
    const next = await http(api(`/safety/feed?limit=2&cursor=${feed.body.nextCursor}`), { token: acmeStaff });
    expect(next.body.items.map((i: any) => i.postId)).toEqual([ids.en]);
    expect(next.body.nextCursor).toBeNull();
    const all = JSON.stringify([feed.body, next.body]);
    expect(all).not.toContain(MEMBER_EMAIL);
    expect(all).not.toContain('Ann Member');
    expect(all).not.toContain('my father');

    expect((await http(api('/safety/feed'), { token: otherStaff })).body.items).toEqual([]);
    expect((await http(api('/safety/feed?company=acme'), { token: otherStaff })).status).toBe(403);
    expect((await http(api('/safety/feed'), { token: member })).status).toBe(403);
    expect((await http(api('/safety/feed'))).status).toBe(401);
  });

  it('is readable with a feed token an admin created, until it is revoked', async () => {
    expect((await http(api('/admin/companies/acme/safety-feed-token'), { token: fx.moderatorToken, body: {} })).status).toBe(403);
    const created = await http(api('/admin/companies/acme/safety-feed-token'), { token: fx.adminToken, body: {} });
    expect(created.status).toBe(201);
    const token = created.body.token as string;
    expect(created.body).toMatchObject({ company: 'acme', feedUrl: `${server.url}/api/sites/alpha/safety/feed` });
    const feed = await http(api('/safety/feed'), { headers: { 'x-parley-feed-token': token } });
    expect(feed.status).toBe(200);
    expect(feed.body.items.map((i: any) => i.postId)).toEqual([ids.de, ids.nl, ids.en]);
    expect((await http(api('/safety/feed?company=beacon'), { headers: { 'x-parley-feed-token': token } })).status).toBe(403);
    const wrong = await http(api('/safety/feed'), { headers: { 'x-parley-feed-token': 'x'.repeat(43) } });
    expect(wrong.status).toBe(401);
    expect(wrong.body.error.code).toBe('token_invalid');
    expect((await http(`${server.url}/api/sites/beta/safety/feed`, { headers: { 'x-parley-feed-token': token } })).status).toBe(401);
    expect((await http(api('/admin/companies/acme/safety-feed-token'), { method: 'DELETE', token: fx.adminToken })).status).toBe(200);
    expect((await http(api('/safety/feed'), { headers: { 'x-parley-feed-token': token } })).status).toBe(401);
  });
});

describe('a member’s data', () => {
  it('is in their export; erasure unlinks their flags and redacts what was sent, and retention redacts the rest', async () => {
    const carol = await server.sign('alpha', { sub: 'member-carol', name: 'Carol Member', email: 'carol.private@example.org' });
    const mine = await post(carol, 'Rememba gave my husband a terrible rash on his arms.');
    const [flag] = await flagsOf(mine.id);
    expect((await http(api(`/safety/flags/${flag.id}/consent`), { token: carol, body: { contact: true } })).status).toBe(200);
    expect((await http(api(`/safety/flags/${flag.id}/forward`), { token: fx.moderatorToken, body: {} })).status).toBe(201);
    await runDueDeliveries(server.ctx);

    const exported = await http(api('/me/export'), { token: carol });
    expect(exported.body.safety.flags).toEqual([
      expect.objectContaining({ id: flag.id, postId: mine.id, products: ['Rememba'], consent: true, forwardedAt: expect.any(String) }),
    ]);

    // The member also removes their posts, so no copy of the words may stay anywhere.
    const erased = await http(api('/me'), { method: 'DELETE', token: carol, body: { confirm: 'delete my account', removePosts: true } });
    expect(erased.status, JSON.stringify(erased.body)).toBe(200);
    const after = (await http(api(`/safety/flags/${flag.id}`), { token: fx.moderatorToken })).body.flag;
    expect(after.forward.payload).toMatchObject({ redacted: true, why: 'erasure' });
    expect(JSON.stringify(after)).not.toContain('terrible rash');
    expect(after.reference).toBe(flag.reference);
    // The relay reference no longer leads to anyone.
    const relay = await http(api(`/safety/relay/${flag.reference}`), { token: fx.adminToken });
    expect(JSON.stringify(relay.body)).not.toContain('member-carol');

    // Retention: an older forward's text goes too, and a redacted delivery cannot be re-sent.
    const older = (await http(api(`/safety/flags/${flags.de.id}`), { token: fx.moderatorToken })).body.flag;
    expect(JSON.stringify(older)).toContain('Kopfschmerzen');
    const { runSafetyRetention, SAFETY_RETENTION_DAYS } = await import('../../server/services/safety-delivery.js');
    if (!older.forward) expect((await http(api(`/safety/flags/${flags.de.id}/forward`), { token: fx.moderatorToken, body: {} })).status).toBe(201);
    await runDueDeliveries(server.ctx);
    const later = Date.now() + offsetMs + (SAFETY_RETENTION_DAYS + 1) * 86_400_000;
    expect(await runSafetyRetention({ ...server.ctx, now: () => new Date(later) })).toBeGreaterThan(0);
    const retained = (await http(api(`/safety/flags/${flags.de.id}`), { token: fx.moderatorToken })).body.flag;
    expect(retained.forward.payload).toMatchObject({ redacted: true, why: 'retention' });
    expect(retained.products).toEqual(['Rememba']);
  });
});

describe('site settings', () => {
  it('extend the lexicon with the site’s own terms, validated', async () => {
    const invalid = await http(api('/admin/safety/settings'), { method: 'PUT', token: fx.adminToken, body: { extraTerms: [{ language: 'en', concept: 'x', patterns: ['ab*'] }] } });
    expect(invalid.status).toBe(400);
    expect(invalid.body.error.code).toBe('validation_failed');
    expect((await http(api('/admin/safety/settings'), { method: 'PUT', token: acmeStaff, body: {} })).status).toBe(403);
    const before = await post(member, 'Since Rememba I hear a ringing in the ears all day.');
    expect(await flagsOf(before.id)).toEqual([]);
    const set = await http(api('/admin/safety/settings'), {
      method: 'PUT', token: fx.adminToken,
      body: { extraTerms: [{ language: 'en', concept: 'tinnitus', patterns: ['ringing in the ears'] }], postUrlTemplate: 'https://alpha.example/forum/{topic}#post-{post}' },
    });
    expect(set.status).toBe(200);
    expect(set.body.settings).toMatchObject({ defaultCountry: 'GB', customSchemes: false, postUrlTemplate: 'https://alpha.example/forum/{topic}#post-{post}' });
    const after = await post(member, 'Since Rememba I hear a ringing in the ears all day, it is awful.');
    const [flag] = await flagsOf(after.id);
    expect(flag).toMatchObject({ concepts: ['tinnitus'], url: `https://alpha.example/forum/treatments#post-${after.id}` });
  });
});

describe('the demo', () => {
  let demo: TestServer;
  beforeAll(async () => {
    demo = await startTestServer({ plugins: [demoPlugin()] });
  });
  afterAll(async () => demo?.close());

  it('shows moderators a flagged post for Novacura; a forward lands in the outbox', async () => {
    const signIn = async (persona: string) => (await http(`${demo.url}/demo/api/sign-in`, { body: { persona } })).body.token as string;
    const demoApi = `${demo.url}/api/sites/demo`;
    const moderator = await signIn('moderator');
    const list = await http(`${demoApi}/safety/flags`, { token: moderator });
    expect(list.status).toBe(200);
    expect(list.body.flags[0]).toMatchObject({ company: { id: 'novacura', name: 'Novacura Pharma', hasSafetyContact: true }, products: ['Cognivex'], youMayForward: true });
    const staffView = await http(`${demoApi}/safety/flags`, { token: await signIn('staff') });
    expect(staffView.body.flags.map((f: any) => f.id)).toEqual(list.body.flags.map((f: any) => f.id));
    const forward = await http(`${demoApi}/safety/flags/${list.body.flags[0].id}/forward`, { token: moderator, body: {} });
    expect(forward.status).toBe(201);
    await runDueDeliveries(demo.ctx);
    expect((await http(`${demoApi}/safety/flags/${list.body.flags[0].id}`, { token: moderator })).body.flag.forward.deliveries[0]).toMatchObject({ channel: 'email', status: 'held' });
    const outbox = await http(`${demo.url}/demo/api/outbox`);
    expect(outbox.body.messages[0]).toMatchObject({ recipient: 'drug.safety@novacura.example', subject: expect.stringContaining('Possible adverse event: Cognivex') });
  });
});
