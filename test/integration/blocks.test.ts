/**
 * Blocking (issue 13), end to end against a real server, real sockets, real SMTP (the sink on
 * loopback) and the real database: block, unblock and the list; the limits and refusals; that a
 * blocked person's mention of the blocker is plain text and notifies nobody, and that the blocker
 * is not in their `@` suggestions; that nobody else's view changes; that the list is private (not
 * in the public log, not visible to the blocked person); export and erasure of both sides.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Socket } from 'socket.io-client';
import { LIMITS } from '../../moderation/limits.js';
import { SOCKET_EVENTS } from '../../moderation/protocol.js';
import { settleNotifications } from '../../server/services/notify-queue.js';
import { connect, connected, http } from '../support/clients.js';
import { setUpIdentity } from '../support/identity-fixtures.js';
import { mailsIn, memberMaker, type Member } from '../support/mail-members.js';
import type { ReadMail } from '../support/mime.js';
import { key, startTestServer, type TestServer } from '../support/server.js';
import { startSmtpSink, type SmtpSink } from '../support/smtp-sink.js';

let clock = Date.parse('2026-03-02T09:00:00.000Z');
let sink: SmtpSink;
let server: TestServer;
let api: string;
const sockets: Socket[] = [];

beforeAll(async () => {
  sink = await startSmtpSink();
  server = await startTestServer({ smtpUrl: sink.url, now: () => new Date(clock), notifyIntervalMs: 3_600_000 });
  api = (await setUpIdentity(server)).api;
});
afterAll(async () => {
  for (const socket of sockets) socket.disconnect();
  await server.close();
  await sink.close();
});
beforeEach(() => {
  // Each test starts after the previous one's notification windows have passed.
  clock += 24 * 3_600_000;
});

type Person = Member;
const person = memberMaker(() => server, 'block');

const mailsTo = (email: string) => mailsIn(sink, email);
const mention = (p: Person) => `@[${p.name}](user:${p.id})`;

/** Opts in to mentions and opens the confirmation link, as the address's owner would. */
async function optInToMentions(p: Person, kinds: Record<string, boolean> = { mentions: true }) {
  const put = await http(`${api}/me/notifications`, { method: 'PUT', token: await p.token(), body: kinds });
  expect(put.status, JSON.stringify(put.body)).toBe(200);
  let confirmation: ReadMail | undefined;
  for (let i = 0; i < 200 && !confirmation; i++) {
    confirmation = mailsTo(p.email).find((m) => /Confirm your address/.test(m.subject));
    if (!confirmation) await new Promise((resolve) => setTimeout(resolve, 25));
  }
  const link = /(http:\/\/\S+\/notifications\/confirm\?token=\S+)/.exec(confirmation!.text)![1]!;
  expect((await http(link, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, rawBody: '' })).status).toBe(200);
}

async function post(p: Person, topic: string, body: string, parent?: string) {
  const response = await http(`${api}/posts`, { token: await p.token(), body: { topic, body, idempotencyKey: key(), ...(parent ? { parent } : {}) } });
  expect(response.status, JSON.stringify(response.body)).toBe(201);
  return response.body.post as { id: string; html: string };
}

const block = async (p: Person, userId: string) => http(`${api}/me/blocks/${userId}`, { method: 'PUT', token: await p.token() });
const unblock = async (p: Person, userId: string) => http(`${api}/me/blocks/${userId}`, { method: 'DELETE', token: await p.token() });
const listOf = async (p: Person) => http(`${api}/me/blocks`, { token: await p.token() });

describe('the block list', () => {
  it('blocks, lists by display name only, repeats harmlessly, and unblocks', async () => {
    const ann = await person('Ann Blocker');
    const ben = await person('Ben Blocked');
    const cat = await person('Cat Other');
    const logBefore = (await http(`${api}/log/checkpoint.json`)).body.size;

    expect((await listOf(ann)).body).toEqual({ blocks: [], max: LIMITS.blocksMax });
    const first = await block(ann, ben.id);
    expect(first.status, JSON.stringify(first.body)).toBe(200);
    expect(first.body).toEqual({ userId: ben.id, blocked: true });
    expect((await block(ann, ben.id)).body).toEqual({ userId: ben.id, blocked: true });
    clock += 1_000;
    expect((await block(ann, cat.id)).status).toBe(200);

    const list = await listOf(ann);
    expect(list.status).toBe(200);
    // Most recent first; names and ids, never an address.
    expect(list.body.blocks).toEqual([
      { userId: cat.id, displayName: 'Cat Other', blockedAt: expect.any(String) },
      { userId: ben.id, displayName: 'Ben Blocked', blockedAt: expect.any(String) },
    ]);
    expect(JSON.stringify(list.body)).not.toContain('@example.org');

    // Private: the blocked person's own list is theirs alone, and the public log did not move.
    expect((await listOf(ben)).body.blocks).toEqual([]);
    expect((await http(`${api}/log/checkpoint.json`)).body.size).toBe(logBefore);

    expect((await unblock(ann, ben.id)).body).toEqual({ userId: ben.id, blocked: false });
    expect((await unblock(ann, ben.id)).status).toBe(200);
    expect((await listOf(ann)).body.blocks.map((b: { userId: string }) => b.userId)).toEqual([cat.id]);
  });

  it('refuses what makes no sense: signed out, yourself, unknown accounts, bad ids, company staff', async () => {
    const dee = await person('Dee Refused');
    expect((await http(`${api}/me/blocks`)).status).toBe(401);
    expect((await http(`${api}/me/blocks/${dee.id}`, { method: 'PUT' })).status).toBe(401);

    const self = await block(dee, dee.id);
    expect(self.status).toBe(400);
    expect(self.body.error).toEqual(expect.objectContaining({ code: 'validation_failed', message: 'You cannot block yourself.' }));
    const unknown = await block(dee, 'no-such-account');
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.code).toBe('not_found');
    const bad = await block(dee, 'not%20an%20id');
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('validation_failed');
    expect((await block(dee, 'x'.repeat(65))).status).toBe(400);

    // An account of another site is not an account of this one.
    const elsewhere = await http(`${server.url}/api/sites/beta/me`, { token: await server.sign('beta', { sub: 'beta-person', name: 'Bea Elsewhere' }) });
    expect(elsewhere.status).toBe(200);
    expect((await block(dee, elsewhere.body.viewer.id)).status).toBe(404);

    // Company staff answer in public: they cannot block a member (members may block staff).
    const staff = await person('Sam Staff');
    // A fresh admin token: the fixture's has expired on the test's clock.
    const adminToken = await server.sign('alpha', { sub: 'admin-sub', name: 'Ada Admin' });
    const verified = await http(`${api}/admin/staff`, { token: adminToken, body: { userId: staff.id, company: 'acme', jobTitle: 'Medical Information' } });
    expect(verified.status, JSON.stringify(verified.body)).toBe(200);
    const byStaff = await block(staff, dee.id);
    expect(byStaff.status).toBe(403);
    expect(byStaff.body.error.code).toBe('forbidden');
    expect((await block(dee, staff.id)).status).toBe(200);
  });

  it(`stops at ${LIMITS.blocksMax} accounts`, async () => {
    const fay = await person('Fay Many');
    // Fill the list through the store (a thousand HTTP round trips prove nothing more), then ask over HTTP.
    const at = new Date(clock).toISOString();
    for (let i = 0; i < LIMITS.blocksMax; i++) {
      expect(await server.store.blockUser('alpha', fay.id, `filler-${i}`, at, LIMITS.blocksMax)).toBe('blocked');
    }
    const gil = await person('Gil One Too Many');
    const over = await block(fay, gil.id);
    expect(over.status).toBe(400);
    expect(over.body.error.message).toContain('at most 1,000');
    expect(await server.store.blockUser('alpha', fay.id, gil.id, at, LIMITS.blocksMax)).toBe('limit');
    // Unblocking one makes room again.
    expect((await unblock(fay, 'filler-0')).status).toBe(200);
    expect((await block(fay, gil.id)).status).toBe(200);
  });
});

describe('mentions by a blocked person', () => {
  it('are plain text, notify nobody, and the blocker is not suggested to them; everyone else is unaffected', async () => {
    const hal = await person('Hal Blocker');
    const ivy = await person('Ivy Blocked');
    const jon = await person('Jon Bystander');
    await optInToMentions(hal);
    const topic = 'blocked-mentions';
    await post(hal, topic, 'How do you cope with the fatigue?');
    await post(jon, topic, 'Naps help me.');
    expect((await block(hal, ivy.id)).status).toBe(200);

    // Ivy's @ list leaves Hal out; Jon's still has him.
    const forIvy = await http(`${api}/topics/${topic}/mention-suggestions?q=h`, { token: await ivy.token() });
    expect(forIvy.status).toBe(200);
    expect(forIvy.body.people).toEqual([]);
    const forJon = await http(`${api}/topics/${topic}/mention-suggestions?q=h`, { token: await jon.token() });
    expect(forJon.body.people).toEqual([{ userId: hal.id, displayName: 'Hal Blocker' }]);

    // Over the socket, as the widget posts: the mention of Hal is text, the mention of Jon a link.
    const socket = connect(server.url, { site: 'alpha', token: await ivy.token() });
    sockets.push(socket);
    await connected(socket);
    const ack = await socket.emitWithAck(SOCKET_EVENTS.createPost, { topic, body: `Ask ${mention(hal)} or ${mention(jon)}.`, idempotencyKey: key() });
    expect(ack.created, JSON.stringify(ack)).toBe(true);
    expect(ack.post.html).toBe(`<p>Ask @Hal Blocker or <a class="parley-mention" data-user="${jon.id}" href="#parley-person-${jon.id}">@Jon Bystander</a>.</p>`);
    await settleNotifications(server.ctx);
    expect(mailsTo(hal.email).filter((m) => !m.subject.startsWith('Confirm'))).toEqual([]);

    // An edit cannot bring the link back.
    const edited = await http(`${api}/posts/${ack.post.id}`, { method: 'PATCH', token: await ivy.token(), body: { body: `Really, ask ${mention(hal)}.` } });
    expect(edited.status, JSON.stringify(edited.body)).toBe(200);
    expect(edited.body.post.html).toBe('<p>Really, ask @Hal Blocker.</p>');

    // Jon's mention of Hal links and notifies: blocking changes nothing for anyone else.
    const byJon = await post(jon, topic, `Agree with ${mention(hal)}.`);
    expect(byJon.html).toContain(`data-user="${hal.id}"`);
    await settleNotifications(server.ctx);
    expect(mailsTo(hal.email).filter((m) => !m.subject.startsWith('Confirm')).map((m) => m.subject)).toEqual(['Jon Bystander mentioned you in “blocked-mentions”']);

    // After an unblock Ivy can reach Hal again.
    expect((await unblock(hal, ivy.id)).status).toBe(200);
    clock += 24 * 3_600_000;
    const again = await post(ivy, topic, `Thanks ${mention(hal)}.`);
    expect(again.html).toContain(`data-user="${hal.id}"`);
    await settleNotifications(server.ctx);
    expect(mailsTo(hal.email).filter((m) => !m.subject.startsWith('Confirm'))).toHaveLength(2);
  });

  it('a block made after the post still stops its notification (the worker looks when it sends)', async () => {
    const kai = await person('Kai Late');
    const lou = await person('Lou Writer');
    await optInToMentions(kai);
    const topic = 'late-block';
    await post(kai, topic, 'Anyone tried swimming?');
    // Block and post in quick succession; the notification worker runs only at settle.
    expect((await block(kai, lou.id)).status).toBe(200);
    await post(lou, topic, `Yes ${mention(kai)}!`);
    await settleNotifications(server.ctx);
    expect(mailsTo(kai.email).filter((m) => !m.subject.startsWith('Confirm'))).toEqual([]);
  });
});

describe('replies by a blocked person', () => {
  it('tell the blocker nothing, by mail or since their last visit; a company staff reply still does, but not its mention', async () => {
    const pat = await person('Pat Blocker');
    const quin = await person('Quin Blocked');
    const staff = await person('Stef Staff');
    const adminToken = await server.sign('alpha', { sub: 'admin-sub', name: 'Ada Admin' });
    expect((await http(`${api}/admin/staff`, { token: adminToken, body: { userId: staff.id, company: 'acme', jobTitle: 'Medical Information' } })).status).toBe(200);
    await optInToMentions(pat, { replies: true, mentions: true });
    const topic = 'blocked-replies';
    const root = await post(pat, topic, 'Does the new dose make anyone else dizzy?');
    expect((await http(`${api}/topics/${topic}/seen`, { method: 'PUT', token: await pat.token(), body: { lastPostId: root.id } })).status).toBe(200);
    expect((await block(pat, quin.id)).status).toBe(200);
    expect((await block(pat, staff.id)).status).toBe(200);

    await post(quin, topic, `Only you, ${mention(pat)}.`, root.id);
    clock += 1_000;
    const answer = await post(staff, topic, `${mention(pat)}, please tell your prescriber; dizziness is listed.`, root.id);
    // The staff reply's mention of Pat is plain text, as any blocked writer's.
    expect(answer.html).not.toContain(`data-user="${pat.id}"`);
    await settleNotifications(server.ctx);
    // One message, about the staff reply, as a reply (not a mention).
    expect(mailsTo(pat.email).filter((m) => !m.subject.startsWith('Confirm')).map((m) => m.subject)).toEqual(['Stef Staff replied to you in “blocked-replies”']);

    const since = await http(`${api}/topics/${topic}/since-last-visit`, { token: await pat.token() });
    expect(since.status).toBe(200);
    expect(since.body.replies).toEqual([{ postId: answer.id, parentId: root.id, authorName: 'Stef Staff', at: expect.any(String), reason: 'reply' }]);
  });
});

describe('privacy', () => {
  it('the list is in the member export; erasing either account removes its rows', async () => {
    const mia = await person('Mia Export');
    const ned = await person('Ned Erased');
    const oli = await person('Oli Eraser');
    expect((await block(mia, ned.id)).status).toBe(200);
    expect((await block(oli, mia.id)).status).toBe(200);

    const exported = await http(`${api}/me/export`, { token: await mia.token() });
    expect(exported.status).toBe(200);
    expect(exported.body.blocks).toEqual([{ userId: ned.id, displayName: 'Ned Erased', blockedAt: expect.any(String) }]);
    // Who blocked Mia is not hers to know.
    expect(JSON.stringify(exported.body)).not.toContain(oli.id);

    // Ned (blocked) erases his account: Mia's row about him goes.
    const nedGone = await http(`${api}/me`, { method: 'DELETE', token: await ned.token(), body: { confirm: 'delete my account' } });
    expect(nedGone.status, JSON.stringify(nedGone.body)).toBe(200);
    expect((await listOf(mia)).body.blocks).toEqual([]);
    // Oli (the blocker) erases his: his row about Mia goes.
    expect(await server.store.blockersAmong('alpha', mia.id, [oli.id])).toEqual([oli.id]);
    const oliGone = await http(`${api}/me`, { method: 'DELETE', token: await oli.token(), body: { confirm: 'delete my account' } });
    expect(oliGone.status, JSON.stringify(oliGone.body)).toBe(200);
    expect(await server.store.blockersAmong('alpha', mia.id, [oli.id])).toEqual([]);
  });
});
