/**
 * Notifications people ask for (issue 13), end to end against a real server, real SMTP (the
 * sink on loopback) and the real database: every kind of message, coalescing, the digest, the
 * RFC 8058 one-click unsubscribe, the confirmation of an unproven address, bounces, the member's
 * language, and that nobody who did not opt in receives anything.
 *
 * The server's clock is the test's (`clock`), so windows and digests are crossed by moving it.
 * `settleNotifications` finishes the runner's work in this process, so "no message" is a real
 * answer and not a race.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { settleNotifications } from '../../server/services/notify-queue.js';
import { http } from '../support/clients.js';
import { setUpIdentity } from '../support/identity-fixtures.js';
import { mailsIn, memberMaker, type Member } from '../support/mail-members.js';
import type { ReadMail } from '../support/mime.js';
import { key, startTestServer, type TestServer } from '../support/server.js';
import { startSmtpSink, type SmtpSink } from '../support/smtp-sink.js';

let clock = Date.parse('2026-03-02T09:00:00.000Z');
let sink: SmtpSink;
let server: TestServer;
let api: string;

const PAGE = 'https://alpha.example/living-with/sleep';
const MINUTE = 60_000;

beforeAll(async () => {
  sink = await startSmtpSink();
  server = await startTestServer({ smtpUrl: sink.url, now: () => new Date(clock), notifyIntervalMs: 3_600_000 });
  api = (await setUpIdentity(server)).api;
});
afterAll(async () => {
  await server.close();
  await sink.close();
});
beforeEach(() => {
  // Each test starts after the previous one's windows have passed.
  clock += 24 * 60 * MINUTE;
});

type Person = Member;
const person = memberMaker(() => server, 'notify');

const mailsTo = (email: string) => mailsIn(sink, email);

async function settle() {
  await settleNotifications(server.ctx);
}

/** Opts in and, for the address a host token only claimed, opens the confirmation link as its owner would. */
async function optIn(p: Person, preferences: Record<string, unknown>) {
  const put = await http(`${api}/me/notifications`, { method: 'PUT', token: await p.token(), body: preferences });
  expect(put.status, JSON.stringify(put.body)).toBe(200);
  if (put.body.address.state === 'confirmed') return put.body;
  let confirmation: ReadMail | undefined;
  for (let i = 0; i < 200 && !confirmation; i++) {
    confirmation = mailsTo(p.email).find((m) => /Confirm your address|Bevestig uw adres/.test(m.subject));
    if (!confirmation) await new Promise((resolve) => setTimeout(resolve, 25));
  }
  expect(confirmation, 'a confirmation mail').toBeDefined();
  const link = /(http:\/\/\S+\/notifications\/confirm\?token=\S+)/.exec(confirmation!.text)![1]!;
  const confirmed = await http(link, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, rawBody: '' });
  expect(confirmed.status).toBe(200);
  const after = await http(`${api}/me/notifications`, { token: await p.token() });
  expect(after.body.address.state).toBe('confirmed');
  return after.body;
}

async function post(p: Person, topic: string, body: string, extra: Record<string, unknown> = {}) {
  const response = await http(`${api}/posts`, { token: await p.token(), body: { topic, body, idempotencyKey: key(), pageUrl: PAGE, ...extra } });
  expect(response.status, JSON.stringify(response.body)).toBe(201);
  return response.body.post as { id: string };
}

describe('preferences', () => {
  it('start all off, and change one at a time', async () => {
    const ann = await person('Ann Prefs');
    const start = await http(`${api}/me/notifications`, { token: await ann.token() });
    expect(start.status).toBe(200);
    expect(start.body.preferences).toEqual({ replies: false, mentions: false, followed: false, answers: false, digest: 'off', deskQuestions: false, moderationDigest: false });
    expect(start.body.address).toEqual({ email: ann.email, state: 'unconfirmed', bouncedAt: null });
    expect(start.body.available).toEqual(['replies', 'mentions', 'followed', 'answers', 'digest']);
    expect(start.body.windowMinutes).toBe(15);

    const bad = await http(`${api}/me/notifications`, { method: 'PUT', token: await ann.token(), body: { replies: 'yes' } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('validation_failed');
    const empty = await http(`${api}/me/notifications`, { method: 'PUT', token: await ann.token(), body: {} });
    expect(empty.status).toBe(400);
    // Staff questions are for company staff only.
    const notStaff = await http(`${api}/me/notifications`, { method: 'PUT', token: await ann.token(), body: { deskQuestions: true } });
    expect(notStaff.status).toBe(403);
    expect((await http(`${api}/me/notifications`)).status).toBe(401);
  });

  it('confirm an address a host token only claimed before anything else is sent to it', async () => {
    const bea = await person('Bea Confirm');
    const writer = await person('Will Writer');
    const topic = 'confirm-first';
    const root = await post(bea, topic, 'Does anyone sleep well on this?');

    const put = await http(`${api}/me/notifications`, { method: 'PUT', token: await bea.token(), body: { replies: true } });
    expect(put.body.address.state).toBe('confirmation-sent');
    await settle();
    let mails: ReadMail[] = [];
    for (let i = 0; i < 200 && mails.length === 0; i++) {
      mails = mailsTo(bea.email);
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    expect(mails.map((m) => m.subject)).toEqual(['Confirm your address for messages from Alpha Patients']);
    const link = /(http:\/\/\S+\/notifications\/confirm\?token=\S+)/.exec(mails[0]!.text)![1]!;

    // Before confirming, a reply tells her nothing.
    await post(writer, topic, 'Not really, no.', { parent: root.id });
    await settle();
    expect(mailsTo(bea.email)).toHaveLength(1);

    // Opening the link (GET) changes nothing: a mail scanner may open it.
    const page = await http(link);
    expect(page.status).toBe(200);
    expect(page.body).toContain('<form method="post">');
    expect((await http(`${api}/me/notifications`, { token: await bea.token() })).body.address.state).toBe('confirmation-sent');
    // A forged token is refused.
    expect((await http(link.replace(/.$/, (c) => (c === 'A' ? 'B' : 'A')), { method: 'POST', rawBody: '', headers: { 'content-type': 'application/x-www-form-urlencoded' } })).status).toBe(400);

    expect((await http(link, { method: 'POST', rawBody: '', headers: { 'content-type': 'application/x-www-form-urlencoded' } })).status).toBe(200);
    expect((await http(`${api}/me/notifications`, { token: await bea.token() })).body.address.state).toBe('confirmed');
    await post(writer, topic, 'Melatonin helped me a little.', { parent: root.id });
    await settle();
    expect(mailsTo(bea.email).map((m) => m.subject)).toEqual([
      'Confirm your address for messages from Alpha Patients',
      'Will Writer replied to you in “confirm-first”',
    ]);
  });
});

describe('messages', () => {
  it('a reply: text and HTML, the right name, the post rendered safely, the link to the host page, RFC 8058 headers', async () => {
    const cara = await person('Cara Carer');
    const ben = await person('Ben Replier');
    await optIn(cara, { replies: true });
    const topic = 'reply-mail';
    const root = await post(cara, topic, 'How do you handle nights?', { topicTitle: 'Nights at home' });
    const reply = await post(ben, topic, 'We take **turns**. <img src=x onerror=alert(1)>', { parent: root.id });
    await settle();

    const [mail] = mailsTo(cara.email).filter((m) => !m.subject.startsWith('Confirm'));
    expect(mail).toBeDefined();
    expect(mail!.subject).toBe('Ben Replier replied to you in “Nights at home”');
    expect(mail!.text).toContain('Hello Cara Carer,');
    expect(mail!.text).toContain('> We take **turns**. <img src=x onerror=alert(1)>');
    expect(mail!.text).toContain(`${PAGE}#parley-post-${reply.id}`);
    expect(mail!.html).toContain('<strong>turns</strong>');
    expect(mail!.html).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(mail!.html).not.toContain('<img');
    expect(mail!.html).toContain(`href="${PAGE}#parley-post-${reply.id}"`);
    expect(mail!.headers['list-unsubscribe-post']).toBe('List-Unsubscribe=One-Click');
    expect(mail!.headers['list-unsubscribe']).toMatch(/^<http:\/\/127\.0\.0\.1:\d+\/notifications\/unsubscribe\?token=[\w.-]+>$/);
    expect(mail!.headers['list-id']).toBe('"Alpha Patients" <notifications.alpha.127.0.0.1>');
    // The visible link is the same one-click link.
    expect(mail!.text).toContain(mail!.headers['list-unsubscribe']!.slice(1, -1));
    // Ben asked for nothing: Cara's reply back tells him nothing.
    await post(cara, topic, 'Thank you!', { parent: reply.id });
    await settle();
    expect(mailsTo(ben.email)).toEqual([]);
  });

  it('a mention: suggestions show names and ids only; the mention links to the person and notifies them', async () => {
    const dan = await person('Dan Mentioned');
    const eve = await person('Eve Mentioner');
    const quiet = await person('Quinn Quiet');
    await optIn(dan, { mentions: true });
    const topic = 'mention-mail';
    await post(dan, topic, 'I have a question about dosing.');
    await post(quiet, topic, 'Me too.');

    const suggestions = await http(`${api}/topics/${topic}/mention-suggestions?q=da`, { token: await eve.token() });
    expect(suggestions.status).toBe(200);
    expect(suggestions.body).toEqual({ people: [{ userId: dan.id, displayName: 'Dan Mentioned' }] });
    expect(JSON.stringify((await http(`${api}/topics/${topic}/mention-suggestions`, { token: await eve.token() })).body)).not.toContain('@example.org');

    const mention = await post(eve, topic, `Ask @[Dan Mentioned](user:${dan.id}) and @[Quinn Quiet](user:${quiet.id}), they know.`);
    const stored = await http(`${api}/posts/${mention.id}`);
    expect(stored.body.post.html).toContain(`<a class="parley-mention" data-user="${dan.id}" href="#parley-person-${dan.id}">@Dan Mentioned</a>`);
    await settle();
    const mails = mailsTo(dan.email).filter((m) => !m.subject.startsWith('Confirm'));
    expect(mails.map((m) => m.subject)).toEqual(['Eve Mentioner mentioned you in “mention-mail”']);
    expect(mails[0]!.text).toContain('> Ask @Dan Mentioned and @Quinn Quiet, they know.');
    // Quinn was mentioned too, but never asked to be told.
    expect(mailsTo(quiet.email)).toEqual([]);
  });

  it('new posts in a followed topic, coalesced: at most one message per window, with everything in it', async () => {
    const fay = await person('Fay Follower');
    const gus = await person('Gus Poster');
    await optIn(fay, { followed: true });
    const topic = 'followed-topic';
    const follow = await http(`${api}/topics/${topic}/follow`, { method: 'PUT', token: await fay.token(), body: { following: true, pageUrl: `${PAGE}#comments` } });
    expect(follow.status).toBe(200);
    expect(follow.body).toEqual({ topic, following: true, pageUrl: PAGE });
    expect((await http(`${api}/topics/${topic}/follow`, { token: await fay.token() })).body.following).toBe(true);

    await post(gus, topic, 'First news.');
    await settle();
    expect(mailsTo(fay.email).filter((m) => m.subject.startsWith('New in'))).toHaveLength(1);

    clock += MINUTE;
    const second = await post(gus, topic, 'Second news.');
    clock += MINUTE;
    const third = await post(gus, topic, 'Third news.');
    await settle();
    // Still within the window of the first message: nothing more yet.
    expect(mailsTo(fay.email).filter((m) => !m.subject.startsWith('Confirm'))).toHaveLength(1);

    clock += 15 * MINUTE;
    await settle();
    const mails = mailsTo(fay.email).filter((m) => !m.subject.startsWith('Confirm'));
    expect(mails).toHaveLength(2);
    expect(mails[1]!.subject).toBe('2 new messages for you on Alpha Patients');
    expect(mails[1]!.text).toContain(`${PAGE}#parley-post-${second.id}`);
    expect(mails[1]!.text).toContain(`${PAGE}#parley-post-${third.id}`);

    // Unfollowing stops them.
    await http(`${api}/topics/${topic}/follow`, { method: 'PUT', token: await fay.token(), body: { following: false } });
    clock += 16 * MINUTE;
    await post(gus, topic, 'Fourth news.');
    await settle();
    expect(mailsTo(fay.email).filter((m) => !m.subject.startsWith('Confirm'))).toHaveLength(2);
  });

  it('a daily digest gathers the day instead of single messages', async () => {
    const hal = await person('Hal Digest');
    const ivy = await person('Ivy Poster');
    await optIn(hal, { followed: true, digest: 'daily' });
    const topic = 'digest-topic';
    await http(`${api}/topics/${topic}/follow`, { method: 'PUT', token: await hal.token(), body: { following: true } });
    await post(ivy, topic, 'Morning post.');
    clock += 3 * 60 * MINUTE;
    await post(ivy, topic, 'Afternoon post.');
    await settle();
    expect(mailsTo(hal.email).filter((m) => !m.subject.startsWith('Confirm'))).toEqual([]);

    clock += 22 * 60 * MINUTE;
    await settle();
    const mails = mailsTo(hal.email).filter((m) => !m.subject.startsWith('Confirm'));
    expect(mails.map((m) => m.subject)).toEqual(['Your daily digest from Alpha Patients']);
    expect(mails[0]!.text).toContain('Morning post.');
    expect(mails[0]!.text).toContain('Afternoon post.');
    // A digest's one-click stops everything (stopping only "the digest" would switch to single messages).
    const url = mails[0]!.headers['list-unsubscribe']!.slice(1, -1);
    expect((await http(url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, rawBody: 'List-Unsubscribe=One-Click' })).status).toBe(200);
    expect((await http(`${api}/me/notifications`, { token: await hal.token() })).body.preferences).toMatchObject({ followed: false, digest: 'off' });
  });

  it('a question to a company: its staff are told; the company\'s answer reaches the carer, in Dutch', async () => {
    const carer = await person('Kim Carer');
    const staff = await person('Lou Staff');
    // The fixture's admin token was minted hours ago on the test's clock: a fresh one, as the admin signs in again.
    const adminToken = await server.sign('alpha', { sub: 'admin-sub', name: 'Ada Admin' });
    const verified = await http(`${api}/admin/staff`, { token: adminToken, body: { userId: staff.id, company: 'acme', jobTitle: 'Medical Information' } });
    expect(verified.status, JSON.stringify(verified.body)).toBe(200);
    await optIn(carer, { answers: true, language: 'nl' });
    const staffPrefs = await http(`${api}/me/notifications`, { token: await staff.token() });
    expect(staffPrefs.body.available).toContain('deskQuestions');
    await optIn(staff, { deskQuestions: true });

    const topic = 'ask-acme';
    const question = await post(carer, topic, 'Can Rememba be taken with food?', { questionTo: 'acme', topicTitle: 'Rememba en eten' });
    await settle();
    const staffMails = mailsTo(staff.email).filter((m) => !m.subject.startsWith('Confirm'));
    expect(staffMails.map((m) => m.subject)).toEqual(['A question for Acme Pharma in “Rememba en eten”']);
    expect(staffMails[0]!.text).toContain('Kim Carer put a question to Acme Pharma:');
    expect(staffMails[0]!.text).not.toContain(carer.email);

    const answer = await post(staff, topic, 'Yes, with or without food.', { parent: question.id });
    await settle();
    const carerMails = mailsTo(carer.email).filter((m) => !m.subject.startsWith('Bevestig'));
    expect(carerMails.map((m) => m.subject)).toEqual(['Acme Pharma beantwoordde uw vraag in “Rememba en eten”']);
    expect(carerMails[0]!.text).toContain('Beste Kim Carer,');
    expect(carerMails[0]!.text).toContain('Lou Staff (Acme Pharma) beantwoordde uw vraag:');
    expect(carerMails[0]!.text).toContain(`${PAGE}#parley-post-${answer.id}`);
    expect(carerMails[0]!.text).not.toContain(staff.email);
  });
});

describe('moderators', () => {
  it('a moderator who chose it gets a daily digest of reports and appeals waiting; others none', async () => {
    const mo = { id: '', name: 'Mo Moderator', email: 'mo.moderator@example.org', token: () => server.sign('alpha', { sub: 'mod-sub', name: 'Mo Moderator', email: 'mo.moderator@example.org' }, { expiresIn: 11 * 3600 }) };
    mo.id = (await http(`${api}/me`, { token: await mo.token() })).body.viewer.id;
    const member = await person('Rae Reporter');
    // A member cannot choose it.
    expect((await http(`${api}/me/notifications`, { method: 'PUT', token: await member.token(), body: { moderationDigest: true } })).status).toBe(403);
    await optIn(mo, { moderationDigest: true });
    const spammer = await person('Spam Sender');
    const target = await post(spammer, 'reported', 'Buy cheap pills at example.com');
    const report = await http(`${api}/reports`, { token: await member.token(), body: { postId: target.id, ground: 'rule', ruleId: 'R1', goodFaith: true } });
    expect(report.status, JSON.stringify(report.body)).toBe(201);
    await settle();
    const digests = mailsTo(mo.email).filter((m) => m.subject.startsWith('Waiting on'));
    expect(digests.map((m) => m.subject)).toEqual([expect.stringMatching(/^Waiting on Alpha Patients: [1-9]\d* reports, \d+ appeals$/)]);
    expect(digests[0]!.headers['list-unsubscribe-post']).toBe('List-Unsubscribe=One-Click');
    // Once a day.
    await settle();
    expect(mailsTo(mo.email).filter((m) => m.subject.startsWith('Waiting on'))).toHaveLength(1);
    // The reporter may get moderation's own receipt (those keep working), never the moderators' digest.
    expect(mailsTo(member.email).filter((m) => m.subject.startsWith('Waiting on'))).toEqual([]);
  });
});

describe('stopping messages', () => {
  it('one-click POST (RFC 8058) unsubscribes without signing in, for the member alone (not in the public log)', async () => {
    const mia = await person('Mia Unsub');
    const ned = await person('Ned Replier');
    await optIn(mia, { replies: true, mentions: true });
    const topic = 'unsubscribe-topic';
    const root = await post(mia, topic, 'Tips for appointments?');
    await post(ned, topic, 'Write questions down first.', { parent: root.id });
    await settle();
    const [mail] = mailsTo(mia.email).filter((m) => !m.subject.startsWith('Confirm'));
    const url = mail!.headers['list-unsubscribe']!.slice(1, -1);

    const logBefore = (await http(`${api}/log/checkpoint.json`)).body.size;
    // GET shows a page and changes nothing.
    const page = await http(url);
    expect(page.status).toBe(200);
    expect(page.body).toContain('Stop sending replies to your posts to this address?');
    expect((await http(`${api}/me/notifications`, { token: await mia.token() })).body.preferences.replies).toBe(true);

    const done = await http(url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, rawBody: 'List-Unsubscribe=One-Click' });
    expect(done.status).toBe(200);
    expect(done.body).toContain('you will no longer receive replies to your posts');
    const prefs = (await http(`${api}/me/notifications`, { token: await mia.token() })).body.preferences;
    expect(prefs).toMatchObject({ replies: false, mentions: true });
    expect((await http(`${api}/log/checkpoint.json`)).body.size).toBe(logBefore);

    clock += 16 * MINUTE;
    await post(ned, topic, 'And bring someone along.', { parent: root.id });
    await settle();
    expect(mailsTo(mia.email).filter((m) => !m.subject.startsWith('Confirm'))).toHaveLength(1);

    const exported = await http(`${api}/me/export`, { token: await mia.token() });
    expect(exported.body.notifications.preferences).toMatchObject({ replies: false, mentions: true });
    expect(exported.body.notifications.messages).toEqual([
      expect.objectContaining({ kinds: ['replies'], postIds: [expect.any(String)], status: 'sent' }),
    ]);
    expect(JSON.stringify(exported.body.notifications.messages)).not.toContain('Write questions down first');
    expect(exported.body.notifications.events.map((e: any) => [e.event, e.kind])).toEqual([
      ['confirmation-sent', null], ['confirmed', null], ['unsubscribed', 'replies'],
    ]);
  });

  it('erasing the account erases preferences, follows and the record of messages', async () => {
    const ola = await person('Ola Erased');
    await optIn(ola, { followed: true });
    await http(`${api}/topics/erase-topic/follow`, { method: 'PUT', token: await ola.token(), body: { following: true } });
    const token = await ola.token();
    expect((await http(`${api}/me`, { method: 'DELETE', token, body: { confirm: 'delete my account' } })).status).toBe(200);
    const left = await server.store.exportNotifications('alpha', ola.id);
    expect(left).toEqual({ preferences: null, moderationDigestSentAt: null, follows: [], messages: [], events: [] });
  });

  it('a moderator\'s digest time is in their export and erased with their account', async () => {
    const kim = await person('Kim Moderator');
    // The fixture's admin, signed in again at the test's clock.
    const adminToken = await server.sign('alpha', { sub: 'admin-sub', name: 'Ada Admin' }, { expiresIn: 11 * 3600 });
    const granted = await http(`${api}/admin/roles`, { token: adminToken, body: { userId: kim.id, role: 'moderator' } });
    expect(granted.status, JSON.stringify(granted.body)).toBeLessThan(300);
    await optIn(kim, { moderationDigest: true });
    const reporter = await person('Ros Reporter');
    const target = await post(await person('Pill Pusher'), 'reported-again', 'Cheap pills at example.com');
    expect((await http(`${api}/reports`, { token: await reporter.token(), body: { postId: target.id, ground: 'rule', ruleId: 'R1', goodFaith: true } })).status).toBe(201);
    await settle();
    expect(mailsTo(kim.email).filter((m) => m.subject.startsWith('Waiting on'))).toHaveLength(1);
    const sentAt = new Date(clock).toISOString();
    expect((await http(`${api}/me/export`, { token: await kim.token() })).body.notifications.moderationDigestSentAt).toBe(sentAt);
    // Nobody else's export carries it.
    expect((await http(`${api}/me/export`, { token: await reporter.token() })).body.notifications.moderationDigestSentAt).toBeNull();

    expect((await http(`${api}/me`, { method: 'DELETE', token: await kim.token(), body: { confirm: 'delete my account' } })).status).toBe(200);
    expect(await server.store.getSetting('alpha', `moderation-digest-at:${kim.id}`)).toBeNull();
    expect(await server.store.exportNotifications('alpha', kim.id)).toEqual({ preferences: null, moderationDigestSentAt: null, follows: [], messages: [], events: [] });
  });

  it('a hard bounce (SMTP 5xx) turns the address\'s notifications off, and the preferences say so', async () => {
    const refusing = await startSmtpSink({ failWith: 550 });
    const bounceServer = await startTestServer({ smtpUrl: refusing.url, now: () => new Date(clock), notifyIntervalMs: 3_600_000 });
    try {
      const bapi = `${bounceServer.url}/api/sites/alpha`;
      const pat = { token: () => bounceServer.sign('alpha', { sub: 'pat', name: 'Pat Bounce', email: 'pat@bounce.example' }, { expiresIn: 11 * 3600 }) };
      const rex = { token: () => bounceServer.sign('alpha', { sub: 'rex', name: 'Rex Replier' }, { expiresIn: 11 * 3600 }) };
      const patId = (await http(`${bapi}/me`, { token: await pat.token() })).body.viewer.id;
      // The confirmation bounces too (a plain mail); the address is then confirmed from the store, as if opened.
      await http(`${bapi}/me/notifications`, { method: 'PUT', token: await pat.token(), body: { replies: true } });
      await bounceServer.store.confirmNotificationAddress('alpha', patId, 'pat@bounce.example', new Date(clock).toISOString());
      const root = await http(`${bapi}/posts`, { token: await pat.token(), body: { topic: 'bounce', body: 'Anyone?', idempotencyKey: key() } });
      await http(`${bapi}/posts`, { token: await rex.token(), body: { topic: 'bounce', body: 'Here.', parent: root.body.post.id, idempotencyKey: key() } });
      await settleNotifications(bounceServer.ctx);
      const prefs = (await http(`${bapi}/me/notifications`, { token: await pat.token() })).body;
      expect(prefs.address.state).toBe('bounced');
      expect(prefs.address.bouncedAt).toBe(new Date(clock).toISOString());
      expect(prefs.preferences.replies).toBe(false);
      const exported = (await http(`${bapi}/me/export`, { token: await pat.token() })).body.notifications;
      expect(exported.messages.map((m: any) => m.status)).toEqual(['bounced']);
      // Opting in again re-arms the address.
      const again = await http(`${bapi}/me/notifications`, { method: 'PUT', token: await pat.token(), body: { replies: true } });
      expect(again.body.address.state).toBe('confirmed');
    } finally {
      await bounceServer.close();
      await refusing.close();
    }
  });
});

describe('host pages, seen markers and since your last visit', () => {
  it('accepts only page URLs on the site\'s registered origins', async () => {
    const sam = await person('Sam Pages');
    const off = await http(`${api}/topics/pages/follow`, { method: 'PUT', token: await sam.token(), body: { following: true, pageUrl: 'https://evil.example/alpha' } });
    expect(off.status).toBe(400);
    expect(off.body.error.code).toBe('validation_failed');
    expect((await http(`${api}/topics/pages/follow`, { token: await sam.token() })).body.following).toBe(false);
    const posted = await http(`${api}/posts`, { token: await sam.token(), body: { topic: 'pages', body: 'Hi', idempotencyKey: key(), pageUrl: 'javascript:alert(1)' } });
    expect(posted.status).toBe(400);
  });

  it('counts replies to you and mentions of you after the newest post you saw', async () => {
    const tia = await person('Tia Reader');
    const uma = await person('Uma Writer');
    const topic = 'since-visit';
    expect((await http(`${api}/topics/${topic}/since-last-visit`, { token: await tia.token() })).body).toEqual({ topic, seenAt: null, lastPostId: null, count: 0, replies: [] });
    const mine = await post(tia, topic, 'My first post.');
    const seen = await http(`${api}/topics/${topic}/seen`, { method: 'PUT', token: await tia.token(), body: { lastPostId: mine.id } });
    expect(seen.status).toBe(200);
    expect(seen.body.count).toBe(0);
    clock += MINUTE;
    const reply = await post(uma, topic, 'A reply to Tia.', { parent: mine.id });
    clock += MINUTE;
    await post(uma, topic, 'Something else entirely.');
    clock += MINUTE;
    const mention = await post(uma, topic, `Also @[Tia Reader](user:${tia.id}).`);
    const since = await http(`${api}/topics/${topic}/since-last-visit`, { token: await tia.token() });
    expect(since.body.count).toBe(2);
    expect(since.body.replies).toEqual([
      { postId: reply.id, parentId: mine.id, authorName: 'Uma Writer', at: expect.any(String), reason: 'reply' },
      { postId: mention.id, parentId: null, authorName: 'Uma Writer', at: expect.any(String), reason: 'mention' },
    ]);
    // Seeing the newest post clears them; an older marker afterwards does not bring them back.
    expect((await http(`${api}/topics/${topic}/seen`, { method: 'PUT', token: await tia.token(), body: { lastPostId: mention.id } })).body.count).toBe(0);
    expect((await http(`${api}/topics/${topic}/seen`, { method: 'PUT', token: await tia.token(), body: { lastPostId: mine.id } })).body.count).toBe(0);
    expect((await http(`${api}/topics/other/seen`, { method: 'PUT', token: await tia.token(), body: { lastPostId: mine.id } })).status).toBe(404);
  });
});
