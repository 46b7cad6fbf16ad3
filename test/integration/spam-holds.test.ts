/**
 * Issue 16, holds and the moderators' craft, against a real server, real sockets and a real
 * database (SQLite by default; PARLEY_TEST_DATABASE=postgres for PostgreSQL): each hold rule,
 * that readers (REST and sockets) see nothing of a held post while its author does, release and
 * removal as ordinary actions with statements, spam waves, automated flags, queue filters, bulk
 * actions, moderator notes and the live queue event.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SOCKET_EVENTS } from '../../moderation/protocol.js';
import { connect, connected, http, nextEvents } from '../support/clients.js';
import { act, postAs, setUpModeration, type ModerationFixture } from '../support/moderation-fixtures.js';
import { key, startTestServer, type TestServer } from '../support/server.js';

let server: TestServer;
let fx: ModerationFixture;
let clock = Date.parse('2026-03-02T10:00:00Z');
const facts = 'Plain facts about the held post, with no personal data in them.';

beforeAll(async () => {
  server = await startTestServer({ now: () => new Date(clock) });
  fx = await setUpModeration(server);
});
afterAll(async () => server.close());

const settings = (body: Record<string, unknown>) => http(`${fx.api}/moderation/holds/settings`, { method: 'PUT', token: fx.adminToken, body });
const post = (token: string, body: string, topic: string, extra: Record<string, unknown> = {}) =>
  http(`${fx.api}/posts`, { token, body: { topic, body, idempotencyKey: key(), ...extra } });
const page = (topic: string, token?: string) => http(`${fx.api}/topics/${topic}/posts?order=oldest`, token ? { token } : {});
const queue = (query = '') => http(`${fx.api}/moderation/queue${query}`, { token: fx.moderatorToken });
async function newMember(sub: string, name: string) {
  const token = await server.sign('alpha', { sub, name }, { expiresIn: 3600 * 11 });
  const me = await http(`${fx.api}/me`, { token });
  return { token, id: me.body.viewer.id as string };
}
/** Waits (up to 5 s) for something a socket receives; the assertion after it says what was expected. */
async function until(check: () => boolean) {
  for (let i = 0; i < 200 && !check(); i++) await new Promise((resolve) => setTimeout(resolve, 25));
}
async function reset() {
  expect((await settings({ holdFirstPosts: 0, holdLinks: 'off', wordLists: [], honeypot: true, waveAccounts: 0 })).status).toBe(200);
}

describe('hold settings', () => {
  it('are public (word lists by rule, never their words), changed by admins only, validated', async () => {
    expect((await http(`${fx.api}/moderation/holds/settings`, { method: 'PUT', token: fx.moderatorToken, body: { holdFirstPosts: 2 } })).status).toBe(403);
    expect((await http(`${fx.api}/moderation/holds/settings`, { method: 'PUT', body: { holdFirstPosts: 2 } })).status).toBe(401);
    const bad = await settings({ holdFirstPosts: 99 });
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('validation_failed');
    expect((await settings({ wordLists: [{ ruleId: 'R99', action: 'hold', words: ['casino'] }] })).status).toBe(400);
    const ok = await settings({ holdFirstPosts: 2, wordLists: [{ ruleId: 'R1', action: 'hold', words: ['miracle cure'] }], usualWaitHours: 12 });
    expect(ok.status).toBe(200);
    const shown = await http(`${fx.api}/moderation/holds/settings`);
    expect(shown.body.settings).toMatchObject({ holdFirstPosts: 2, usualWaitHours: 12, wordLists: [{ ruleId: 'R1', action: 'hold', words: [], wordCount: 1 }] });
    expect(JSON.stringify(shown.body)).not.toContain('miracle cure');
    expect(shown.body.described.join(' ')).toContain('The first 2 posts of an account younger than 7 days wait for a moderator');
    await reset();
  });
});

describe('a held post', () => {
  it('first posts of a new account: its author sees it waiting, readers see nothing (REST, catch-up, GET, sockets), the queue shows why', async () => {
    await settings({ holdFirstPosts: 1, usualWaitHours: 6 });
    const newcomer = await newMember('newcomer-1', 'Nora Newcomer');
    const reader = connect(server.url, { site: 'alpha' });
    await connected(reader);
    const joined = await reader.emitWithAck(SOCKET_EVENTS.join, { topic: 'held-topic' });
    expect(joined.error).toBeUndefined();
    const events: unknown[] = [];
    reader.on(SOCKET_EVENTS.postCreated, (e) => events.push(e));

    const created = await post(newcomer.token, 'Hello, my very first post here.', 'held-topic');
    expect(created.status).toBe(201);
    const held = created.body.post;
    expect(held.hold).toMatchObject({ status: 'held', usualWaitHours: 6, reasons: [{ kind: 'new-account', ruleId: null }] });

    // Its author sees it in the topic, marked; nobody else does.
    expect((await page('held-topic', newcomer.token)).body.posts.map((p: any) => [p.id, !!p.hold])).toEqual([[held.id, true]]);
    for (const token of [undefined, fx.alice.token, fx.staff.token]) {
      expect((await page('held-topic', token)).body.posts).toEqual([]);
      expect((await http(`${fx.api}/posts/${held.id}`, token ? { token } : {})).status).toBe(404);
    }
    expect((await http(`${fx.api}/topics/held-topic/changes?since=0`)).body.posts).toEqual([]);
    expect((await page('held-topic')).body.topic.postCount).toBe(0);
    // Moderators see it, and why.
    expect((await http(`${fx.api}/posts/${held.id}`, { token: fx.moderatorToken })).body.post.hold.status).toBe('held');
    const q = await queue('?filter=held');
    const item = q.body.items.find((i: any) => i.post.id === held.id);
    expect(item.held).toBe(true);
    expect(item.holds).toEqual([expect.objectContaining({ kind: 'new-account' })]);
    expect(item.reports).toEqual([expect.objectContaining({ source: 'automated', detector: 'hold:new-account' })]);
    // Nobody can reply to it yet.
    expect((await post(fx.alice.token, 'A reply to something I cannot see', 'held-topic', { parent: held.id })).status).toBe(404);
    // The second post is not held (only the first post of this account is).
    const second = await post(newcomer.token, 'And my second post, published at once.', 'held-topic');
    expect(second.body.post.hold).toBeUndefined();

    // Released: an ordinary action with reasons; readers get it now, live and in the page.
    // The second post's own event may still be on its way (PostgreSQL queues a topic's posts): wait for it first.
    await until(() => events.some((e: any) => e.post.id === second.body.post.id));
    expect(events.some((e: any) => e.post.id === held.id)).toBe(false);
    const released = await act(fx, fx.moderatorToken, { type: 'release', postId: held.id, reason: 'Not spam', facts });
    expect(released.status).toBe(201);
    expect(released.body.action).toMatchObject({ type: 'release', automatedDetection: true, reportIds: [item.reports[0].id] });
    await until(() => events.some((e: any) => e.post.id === held.id));
    const event = events.find((e: any) => e.post.id === held.id) as any;
    expect(event.post.hold).toBeUndefined();
    expect(events.filter((e: any) => e.post.id === held.id)).toHaveLength(1);
    const after = await page('held-topic');
    expect(after.body.posts.map((p: any) => p.id)).toEqual([held.id, second.body.post.id]);
    expect(after.body.topic.postCount).toBe(2);
    expect((await http(`${fx.api}/topics/held-topic/changes?since=${joined.topic.rev}`)).body.posts.map((p: any) => p.id)).toContain(held.id);
    // The log has it, with its reason; a second release is refused.
    const entry = await http(`${fx.api}/log/entries/${released.body.action.logIndex}`);
    expect(entry.body.entry.leaf).toMatchObject({ kind: 'moderation.release', data: { type: 'release', reason: 'Not spam', facts } });
    expect((await act(fx, fx.moderatorToken, { type: 'release', postId: held.id, reason: 'Again', facts })).status).toBe(400);
    reader.disconnect();
    await reset();
  });

  it('links from a new account, a word list, the honeypot: each holds with its reason; removal keeps it from readers, with a statement', async () => {
    await settings({ holdLinks: 'more-than', maxLinks: 1, wordLists: [{ ruleId: 'R1', action: 'hold', words: ['miracle cure'] }] });
    const spammer = await newMember('spammer-1', 'Sly Seller');
    const oneLink = await post(spammer.token, 'See https://example.org for the leaflet.', 'rules-topic');
    expect(oneLink.body.post.hold).toBeUndefined();
    const links = await post(spammer.token, 'Buy at https://a.example and https://b.example today', 'rules-topic');
    expect(links.body.post.hold.reasons).toEqual([expect.objectContaining({ kind: 'links' })]);
    const words = await post(fx.alice.token, 'This MIRACLE   cure fixed everything!', 'rules-topic');
    expect(words.body.post.hold.reasons).toEqual([expect.objectContaining({ kind: 'word-list', ruleId: 'R1' })]);
    const bot = await post(fx.bob.token, 'An innocent looking message.', 'rules-topic', { homepage: 'http://spam.example' });
    expect(bot.body.post.hold.reasons).toEqual([expect.objectContaining({ kind: 'honeypot' })]);
    // Staff are verified by the site: the link rule never holds them; moderators are never held.
    const staff = await post(fx.staff.token, 'Links: https://a.example https://b.example https://c.example', 'rules-topic');
    expect(staff.body.post.hold).toBeUndefined();
    const mod = await post(fx.moderatorToken, 'A miracle cure does not exist.', 'rules-topic');
    expect(mod.body.post.hold).toBeUndefined();

    expect((await queue('?filter=held&ruleId=R1')).body.items.map((i: any) => i.post.id)).toEqual([words.body.post.id]);
    expect((await queue('?filter=held&topic=rules-topic')).body.items.map((i: any) => i.post.id).sort()).toEqual([links.body.post.id, words.body.post.id, bot.body.post.id].sort());

    const removed = await act(fx, fx.moderatorToken, { type: 'remove', postId: links.body.post.id, ruleId: 'R1', reason: 'Advertising', facts });
    expect(removed.status).toBe(201);
    // Held by the machine, removed by a person: an automated detection, not an automated decision (statement and log alike).
    const personDecided = { automated_detection: true, automated_decision: 'AUTOMATED_DECISION_NOT_AUTOMATED', source: 'automated_flag' };
    expect(removed.body.action.statement).toMatchObject(personDecided);
    const removalEntry = (await http(`${fx.api}/log/entries/${removed.body.action.logIndex}`)).body.entry;
    expect(removalEntry.leaf).toMatchObject({ kind: 'moderation.remove', actor: { type: 'moderator' }, data: { statement: personDecided } });
    // Removed while held: readers never see it, not even as a tombstone; it left the queue.
    expect((await page('rules-topic')).body.posts.map((p: any) => p.id)).not.toContain(links.body.post.id);
    expect((await queue('?filter=held')).body.items.map((i: any) => i.post.id)).not.toContain(links.body.post.id);
    expect((await act(fx, fx.moderatorToken, { type: 'release', postId: links.body.post.id, reason: 'Oops', facts })).status).toBe(400);
    await reset();
  });

  it('a word list that labels publishes the post with a public label citing the rule, recorded as automated', async () => {
    await settings({ wordLists: [{ ruleId: 'R5', action: 'label', words: ['off-label'] }] });
    const labelled = await post(fx.carol.token, 'I heard about off-label use of this.', 'label-topic');
    expect(labelled.body.post.hold).toBeUndefined();
    expect(labelled.body.post.moderation.labels).toEqual([expect.objectContaining({ ruleId: 'R5' })]);
    const label = labelled.body.post.moderation.labels[0];
    const action = await http(`${fx.api}/moderation/actions/${label.actionId}`);
    // Detected and decided by the machine: no person applied this label.
    const automated = { automated_detection: true, automated_decision: 'AUTOMATED_DECISION_FULLY', source: 'automated_flag' };
    expect(action.body.action.statement).toMatchObject(automated);
    // The public log says the same, and names the machine (not a moderator, not the misuse policy) as the actor.
    expect(label.moderator).toBe('Parley (automated)');
    const entry = await http(`${fx.api}/log/entries/${label.logIndex}`);
    expect(entry.status).toBe(200);
    expect(entry.body.entry.leaf).toMatchObject({
      kind: 'moderation.label', actor: { type: 'system', label: 'Parley (automated)' },
      data: { actionId: label.actionId, statement: automated },
    });
    await reset();
  });

  it('company staff never see or decide a held post', async () => {
    await settings({ holdFirstPosts: 5 });
    const newcomer = await newMember('newcomer-2', 'Ned New');
    const held = (await post(newcomer.token, 'Question about Cognivex side effects please.', 'staff-topic')).body.post;
    expect(held.hold).toBeDefined();
    expect((await http(`${fx.api}/moderation/queue`, { token: fx.staff.token })).status).toBe(403);
    expect((await act(fx, fx.staff.token, { type: 'release', postId: held.id, reason: 'Fine', facts })).status).toBe(403);
    expect((await page('staff-topic', fx.staff.token)).body.posts).toEqual([]);
    // A held question to the company reaches its desk only once a moderator releases it.
    const question = (await post(newcomer.token, 'Novacura, is the dose the same for children?', 'staff-topic', { questionTo: 'acme' })).body.post;
    expect(question.hold).toBeDefined();
    const desk = async () => (await http(`${fx.api}/companies/acme/desk`, { token: fx.staff.token })).body.openQuestions.map((q: any) => q.post.id);
    expect(await desk()).not.toContain(question.id);
    expect((await act(fx, fx.moderatorToken, { type: 'release', postId: question.id, reason: 'A real question', facts })).status).toBe(201);
    expect(await desk()).toContain(question.id);
    await reset();
  });
});

describe('spam waves', () => {
  it('holds the same text from several new accounts in a short time, and flags the wave\'s published posts', async () => {
    await settings({ waveAccounts: 3, waveWindowMinutes: 30 });
    const text = (n: number) => `Earn money fast from home with this simple trick, visit now friend ${n}`;
    const a = await newMember('wave-a', 'Wave A');
    const b = await newMember('wave-b', 'Wave B');
    const c = await newMember('wave-c', 'Wave C');
    const first = await post(a.token, text(1), 'wave-topic');
    const second = await post(b.token, text(2), 'wave-topic');
    expect(first.body.post.hold).toBeUndefined();
    expect(second.body.post.hold).toBeUndefined();
    const third = await post(c.token, text(3), 'wave-topic');
    expect(third.body.post.hold.reasons).toEqual([expect.objectContaining({ kind: 'spam-wave' })]);
    // The earlier posts stay published (the machine hides nothing by itself) but go to the queue.
    const items = (await queue('?topic=wave-topic')).body.items;
    expect(items.map((i: any) => i.post.id).sort()).toEqual([first.body.post.id, second.body.post.id, third.body.post.id].sort());
    for (const item of items) expect(item.reports[0]).toMatchObject({ source: 'automated', detector: 'hold:spam-wave' });
    // Different text is not a wave; nor is the same text once the window has passed.
    expect((await post(a.token, 'A completely different message about my treatment plan and my doctor', 'wave-topic')).body.post.hold).toBeUndefined();
    clock += 31 * 60_000;
    const d = await newMember('wave-d', 'Wave D');
    expect((await post(d.token, text(4), 'wave-topic')).body.post.hold).toBeUndefined();
    await reset();
  });
});

describe('moderators\' craft', () => {
  it('bulk: one request, each target its own action, statement and log entry; failures reported per target', async () => {
    const p1 = await postAs(fx, fx.alice.token, 'Bulk one: advertising a shop.', 'bulk-topic');
    const p2 = await postAs(fx, fx.bob.token, 'Bulk two: advertising a shop.', 'bulk-topic');
    const own = await postAs(fx, fx.moderatorToken, 'A moderator\'s own post.', 'bulk-topic');
    expect((await http(`${fx.api}/moderation/bulk`, { token: fx.alice.token, body: {} })).status).toBe(403);
    const tooShort = await http(`${fx.api}/moderation/bulk`, { token: fx.moderatorToken, body: { type: 'remove', targets: [{ postId: p1.id }], ruleId: 'R1', reason: 'x', facts } });
    expect(tooShort.status).toBe(400);
    const done = await http(`${fx.api}/moderation/bulk`, {
      token: fx.moderatorToken,
      body: { type: 'remove', ruleId: 'R1', reason: 'Advertising', facts, targets: [{ postId: p1.id }, { postId: p2.id }, { postId: own.id }, { postId: 'nope' }] },
    });
    expect(done.status).toBe(200);
    expect(done.body).toMatchObject({ done: 2, failed: 2 });
    expect(done.body.results.map((r: any) => r.ok)).toEqual([true, true, false, false]);
    expect(done.body.results[2].error.code).toBe('forbidden');
    expect(done.body.results[3].error.code).toBe('not_found');
    const [a1, a2] = done.body.results;
    expect(a1.actionId).not.toBe(a2.actionId);
    expect(a1.logIndex).not.toBe(a2.logIndex);
    for (const r of [a1, a2]) {
      const statement = (await http(`${fx.api}/moderation/actions/${r.actionId}`)).body.action.statement;
      expect(statement.decision_visibility).toEqual(['DECISION_VISIBILITY_CONTENT_REMOVED']);
    }
  });

  it('queue: filters reported and appeals, and a search', async () => {
    const reported = await postAs(fx, fx.carol.token, 'Totally unique zebra words here.', 'queue-topic');
    const report = await http(`${fx.api}/reports`, { token: fx.alice.token, body: { postId: reported.id, ground: 'rule', ruleId: 'R1', goodFaith: true } });
    expect(report.status).toBe(201);
    expect((await queue('?filter=reported')).body.items.map((i: any) => i.post.id)).toContain(reported.id);
    expect((await queue('?q=ZEBRA')).body.items.map((i: any) => i.post.id)).toEqual([reported.id]);
    expect((await queue('?filter=held')).body.items.map((i: any) => i.post.id)).not.toContain(reported.id);
    expect((await queue('?filter=nonsense')).status).toBe(400);
    const removed = await act(fx, fx.moderatorToken, { type: 'remove', postId: reported.id, ruleId: 'R1', reason: 'Breaks R1', facts });
    const appeal = await http(`${fx.api}/appeals`, { token: fx.carol.token, body: { actionId: removed.body.action.id, info: 'I did not break any rule at all.' } });
    expect(appeal.status).toBe(201);
    const appeals = await queue('?filter=appeals');
    expect(appeals.body.items.map((i: any) => i.post.id)).toEqual([reported.id]);
    expect(appeals.body.items[0].appeals).toEqual([appeal.body.appeal.id]);
  });

  it('notes on an account: moderators only; the log commits to the note, never shows its text', async () => {
    const url = `${fx.api}/moderation/accounts/${fx.bob.id}/notes`;
    expect((await http(url, { token: fx.bob.token })).status).toBe(403);
    expect((await http(url, { token: fx.staff.token })).status).toBe(403);
    expect((await http(url, { token: fx.moderatorToken, body: { text: '' } })).status).toBe(400);
    const added = await http(url, { token: fx.moderatorToken, body: { text: 'Warned privately about tone on 2 March.' } });
    expect(added.status).toBe(201);
    expect(added.body.note).toMatchObject({ userId: fx.bob.id, by: { id: fx.moderatorId }, text: 'Warned privately about tone on 2 March.' });
    const listed = await http(url, { token: fx.mod2Token });
    expect(listed.body.notes.map((n: any) => n.text)).toEqual(['Warned privately about tone on 2 March.']);
    const entry = await http(`${fx.api}/log/entries/${added.body.note.logIndex}`);
    expect(entry.status).toBe(200);
    expect(JSON.stringify(entry.body)).not.toContain('Warned privately');
    expect(JSON.stringify(entry.body)).not.toContain(fx.bob.id);
    expect(JSON.stringify(entry.body)).toContain('moderation.note');
    expect((await http(`${fx.api}/moderation/accounts/nobody/notes`, { token: fx.moderatorToken })).status).toBe(404);
  });

  it('moderators following the queue hear "queue changed"; others cannot follow it', async () => {
    const member = connect(server.url, { site: 'alpha', token: fx.alice.token });
    await connected(member);
    const refused = await member.emitWithAck(SOCKET_EVENTS.moderationJoin, {});
    expect(refused.error.code).toBe('forbidden');
    const moderator = connect(server.url, { site: 'alpha', token: fx.moderatorToken });
    await connected(moderator);
    expect(await moderator.emitWithAck(SOCKET_EVENTS.moderationJoin, {})).toEqual({ ok: true });
    const memberEvents: unknown[] = [];
    member.on(SOCKET_EVENTS.queueChanged, (e) => memberEvents.push(e));
    const changed = nextEvents(moderator, SOCKET_EVENTS.queueChanged, 1);
    const target = await postAs(fx, fx.bob.token, 'Something to report for the live queue.', 'live-topic');
    await http(`${fx.api}/reports`, { token: fx.carol.token, body: { postId: target.id, ground: 'rule', ruleId: 'R1', goodFaith: true } });
    const [event] = await changed;
    expect(event).toMatchObject({ site: 'alpha', reason: 'reported', postId: target.id });
    expect((event as any).waiting).toBeGreaterThan(0);
    expect(memberEvents).toEqual([]);
    member.disconnect();
    moderator.disconnect();
  });
});
