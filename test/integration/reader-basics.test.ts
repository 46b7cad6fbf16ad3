/**
 * Issue 16, readers' basics, against a real server and database (SQLite by default;
 * PARLEY_TEST_DATABASE=postgres for PostgreSQL and its full-text search): "Helpful" counts and
 * the ranking rule for staff (S-3), search (removed, held, deleted and erased text never found),
 * pinning permissions (S-4), and an author deleting their own post with the log redacted.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { http } from '../support/clients.js';
import { act, postAs, setUpModeration, type ModerationFixture } from '../support/moderation-fixtures.js';
import { key, startTestServer, type TestServer } from '../support/server.js';

let server: TestServer;
let fx: ModerationFixture;
const clock = Date.parse('2026-03-02T10:00:00Z');
const facts = 'Plain facts about the post, with no personal data in them.';

beforeAll(async () => {
  server = await startTestServer({ now: () => new Date(clock) });
  fx = await setUpModeration(server);
});
afterAll(async () => server.close());

const helpful = (token: string | undefined, postId: string, on = true) =>
  http(`${fx.api}/posts/${postId}/helpful`, { method: on ? 'PUT' : 'DELETE', ...(token ? { token } : {}) });
const search = (q: string, extra = '') => http(`${fx.api}/search?q=${encodeURIComponent(q)}${extra}`);
const ids = (body: any) => body.hits.map((h: any) => h.postId);

describe('Helpful', () => {
  it('one mark per member per post, counted; staff marks shown with the badge and not counted; "most helpful" ranks by members only', async () => {
    const a = await postAs(fx, fx.alice.token, 'First answer about fatigue.', 'helpful-topic');
    const b = await postAs(fx, fx.bob.token, 'Second answer about fatigue.', 'helpful-topic');
    const c = await postAs(fx, fx.carol.token, 'Third answer about fatigue.', 'helpful-topic');
    expect((await helpful(undefined, a.id)).status).toBe(401);
    expect((await helpful(fx.alice.token, a.id)).status).toBe(403);
    expect((await helpful(fx.bob.token, 'no-such-post')).status).toBe(404);

    const first = await helpful(fx.bob.token, a.id);
    expect(first.status).toBe(200);
    expect(first.body.helpful).toEqual({ count: 1, staff: [], mine: true });
    expect((await helpful(fx.bob.token, a.id)).body.helpful.count).toBe(1);
    await helpful(fx.carol.token, a.id);
    await helpful(fx.alice.token, b.id);
    // Three staff marks on c: shown with the badge, never counted for ranking (S-3).
    const staffMark = await helpful(fx.staff.token, c.id);
    expect(staffMark.body.helpful).toEqual({ count: 0, staff: [{ name: 'Sam Staff', companyName: expect.any(String) }], mine: true });

    const pageOf = async (token?: string) => (await http(`${fx.api}/topics/helpful-topic/posts?order=helpful`, token ? { token } : {})).body;
    const ranked = await pageOf();
    expect(ranked.order).toBe('helpful');
    expect(ranked.posts.map((p: any) => p.id)).toEqual([a.id, b.id, c.id]);
    expect(ranked.posts[0].helpful).toEqual({ count: 2, staff: [] });
    expect(ranked.posts[2].helpful.count).toBe(0);
    expect(ranked.posts[2].helpful.staff).toHaveLength(1);
    expect((await pageOf(fx.bob.token)).posts[0].helpful.mine).toBe(true);
    expect((await pageOf(fx.alice.token)).posts[0].helpful.mine).toBe(false);

    // Withdrawn: counted down once.
    expect((await helpful(fx.bob.token, a.id, false)).body.helpful).toEqual({ count: 1, staff: [], mine: false });
    expect((await helpful(fx.bob.token, a.id, false)).body.helpful.count).toBe(1);

    // Paging the helpful order with its own cursor (a and b now tie at 1: the newer first); a newest cursor is refused for it.
    const one = await http(`${fx.api}/topics/helpful-topic/posts?order=helpful&limit=1`);
    expect(one.body.posts.map((p: any) => p.id)).toEqual([b.id]);
    const two = await http(`${fx.api}/topics/helpful-topic/posts?order=helpful&limit=1&cursor=${one.body.nextCursor}`);
    expect(two.body.posts.map((p: any) => p.id)).toEqual([a.id]);
    const three = await http(`${fx.api}/topics/helpful-topic/posts?order=helpful&limit=1&cursor=${two.body.nextCursor}`);
    expect(three.body.posts.map((p: any) => p.id)).toEqual([c.id]);
    expect((await http(`${fx.api}/topics/helpful-topic/posts?order=newest&cursor=${one.body.nextCursor}`)).status).toBe(400);
  });
});

describe('search', () => {
  it('finds visible posts within the site, never removed, held, deleted or erased text', async () => {
    const visible = await postAs(fx, fx.alice.token, 'Methotrexate made my nausea worse in the mornings.', 'search-topic');
    const other = await postAs(fx, fx.bob.token, 'Nausea is better with ginger tea, for me.', 'search-other');
    const removed = await postAs(fx, fx.carol.token, 'Nausea cure: buy pills at my shop quicksilver.', 'search-topic');
    const deleted = await postAs(fx, fx.carol.token, 'My private nausea story, tangerine.', 'search-topic');
    expect((await act(fx, fx.moderatorToken, { type: 'remove', postId: removed.id, ruleId: 'R1', reason: 'Advertising', facts })).status).toBe(201);
    expect((await http(`${fx.api}/posts/${deleted.id}`, { method: 'DELETE', token: fx.carol.token, body: { confirm: true } })).status).toBe(200);

    const found = await search('NAUSEA');
    expect(found.status).toBe(200);
    expect(ids(found.body).sort()).toEqual([visible.id, other.id].sort());
    expect(found.body.hits.find((h: any) => h.postId === visible.id)).toMatchObject({ topic: 'search-topic', author: { name: 'Alice A.' }, excerpt: expect.stringContaining('nausea') });
    expect(ids((await search('nausea', '&topic=search-topic')).body)).toEqual([visible.id]);
    expect(ids((await search('methotrex')).body)).toEqual([visible.id]);
    expect(ids((await search('quicksilver')).body)).toEqual([]);
    expect(ids((await search('tangerine')).body)).toEqual([]);
    // Every word must occur; query syntax is not passed through.
    expect(ids((await search('nausea ginger')).body)).toEqual([other.id]);
    expect(ids((await search('nausea OR "quicksilver" NEAR(*)')).body)).toEqual([]);
    expect((await search('a')).status).toBe(400);
    expect((await search('x'.repeat(201))).status).toBe(400);
    // Another site never sees these.
    expect(ids((await http(`${server.url}/api/sites/beta/search?q=nausea`)).body)).toEqual([]);

    // An edit takes the old words out of the index.
    expect((await http(`${fx.api}/posts/${visible.id}`, { method: 'PATCH', token: fx.alice.token, body: { body: 'Now only about sleep.' } })).status).toBe(200);
    expect(ids((await search('methotrexate')).body)).toEqual([]);
    expect(ids((await search('sleep')).body)).toEqual([visible.id]);

    // Erasure of an account with its posts: gone from search too.
    const erasable = await server.sign('alpha', { sub: 'erase-me', name: 'Erin Erase' }, { expiresIn: 3600 });
    const p = await postAs(fx, erasable, 'Marmalade words to be erased soon.', 'search-topic');
    expect(ids((await search('marmalade')).body)).toEqual([p.id]);
    expect((await http(`${fx.api}/me`, { method: 'DELETE', token: erasable, body: { removePosts: true, confirm: 'delete my account' } })).status).toBe(200);
    expect(ids((await search('marmalade')).body)).toEqual([]);

    // Held posts are not found until released.
    await http(`${fx.api}/moderation/holds/settings`, { method: 'PUT', token: fx.adminToken, body: { wordLists: [{ ruleId: 'R1', action: 'hold', words: ['pomegranate'] }] } });
    const held = await http(`${fx.api}/posts`, { token: fx.bob.token, body: { topic: 'search-topic', body: 'Pomegranate juice helps.', idempotencyKey: key() } });
    expect(held.body.post.hold).toBeDefined();
    expect(ids((await search('pomegranate')).body)).toEqual([]);
    await act(fx, fx.moderatorToken, { type: 'release', postId: held.body.post.id, reason: 'Fine', facts });
    expect(ids((await search('pomegranate')).body)).toEqual([held.body.post.id]);
    await http(`${fx.api}/moderation/holds/settings`, { method: 'PUT', token: fx.adminToken, body: { wordLists: [] } });
  });

  it('pages newest first with a cursor', async () => {
    const made = [];
    for (let i = 0; i < 5; i++) made.push(await postAs(fx, fx.alice.token, `Quince number ${i}`, 'search-paging'));
    const first = await search('quince', '&limit=2');
    expect(ids(first.body)).toEqual([made[4]!.id, made[3]!.id]);
    const second = await search('quince', `&limit=2&cursor=${first.body.nextCursor}`);
    expect(ids(second.body)).toEqual([made[2]!.id, made[1]!.id]);
    const last = await search('quince', `&limit=2&cursor=${second.body.nextCursor}`);
    expect(ids(last.body)).toEqual([made[0]!.id]);
    expect(last.body.nextCursor).toBeNull();
  });
});

describe('pinning', () => {
  it('moderators pin one post per topic, logged, first on the page; never staff, never a staff post', async () => {
    const older = await postAs(fx, fx.alice.token, 'The best summary of the thread.', 'pin-topic');
    await postAs(fx, fx.bob.token, 'A newer post.', 'pin-topic');
    const staffPost = await postAs(fx, fx.staff.token, 'Official information from the company.', 'pin-topic');
    const pin = (token: string | undefined, body: unknown) => http(`${fx.api}/topics/pin-topic/pin`, { method: 'PUT', ...(token ? { token } : {}), body });
    expect((await pin(undefined, { postId: older.id })).status).toBe(401);
    expect((await pin(fx.alice.token, { postId: older.id })).status).toBe(403);
    expect((await pin(fx.staff.token, { postId: older.id })).status).toBe(403);
    expect((await pin(fx.moderatorToken, { postId: staffPost.id })).status).toBe(403);
    expect((await pin(fx.moderatorToken, { postId: 'nope' })).status).toBe(404);

    const pinned = await pin(fx.moderatorToken, { postId: older.id, reason: 'The clearest summary' });
    expect(pinned.status).toBe(200);
    expect(pinned.body.topic.pinned).toMatchObject({ postId: older.id, logIndex: expect.any(Number) });
    const entry = await http(`${fx.api}/log/entries/${pinned.body.topic.pinned.logIndex}`);
    expect(entry.body.entry.leaf).toMatchObject({ kind: 'moderation.pin', data: { reason: 'The clearest summary' } });
    const page = await http(`${fx.api}/topics/pin-topic/posts?order=newest`);
    expect(page.body.posts[0].id).toBe(older.id);
    expect(page.body.topic.pinned.postId).toBe(older.id);
    // One per topic.
    const another = await postAs(fx, fx.carol.token, 'Another candidate.', 'pin-topic');
    expect((await pin(fx.moderatorToken, { postId: another.id })).status).toBe(400);

    const unpin = await http(`${fx.api}/topics/pin-topic/pin`, { method: 'DELETE', token: fx.moderatorToken, body: { reason: 'Outdated now' } });
    expect(unpin.status).toBe(200);
    expect(unpin.body.topic.pinned).toBeUndefined();
    expect((await http(`${fx.api}/topics/pin-topic/posts?order=newest`)).body.posts[0].id).toBe(another.id);
    expect((await http(`${fx.api}/topics/pin-topic/pin`, { method: 'DELETE', token: fx.moderatorToken, body: {} })).status).toBe(404);
  });

  it('only a top-level post is pinned: a reply is refused with 400 in words; the HTML rendition puts the pinned post first and marks it', async () => {
    const topic = 'pin-reply-topic';
    const first = await postAs(fx, fx.alice.token, 'The opening question about dosing.', topic);
    const answer = await postAs(fx, fx.bob.token, 'A clear answer in a reply.', topic, first.id);
    const newer = await postAs(fx, fx.carol.token, 'A newer thread on something else.', topic);
    const pin = (postId: string) => http(`${fx.api}/topics/${topic}/pin`, { method: 'PUT', token: fx.moderatorToken, body: { postId } });

    const refused = await pin(answer.id);
    expect(refused.status).toBe(400);
    expect(refused.body.error).toMatchObject({ code: 'validation_failed', message: expect.stringMatching(/top-level/) });
    // Through the generic moderation action too: the same rule, nothing stored.
    expect((await act(fx, fx.moderatorToken, { type: 'pin', postId: answer.id, reason: 'A good answer', facts })).status).toBe(400);
    expect((await http(`${fx.api}/topics/${topic}/posts?order=newest`)).body.topic.pinned).toBeUndefined();

    expect((await pin(first.id)).status).toBe(200);
    const page = await http(`${fx.api}/topics/${topic}/posts?order=newest`);
    expect(page.body.posts.map((p: any) => p.id).slice(0, 2)).toEqual([first.id, newer.id]);
    // Readers without JavaScript see the same order as the widget, and the same line.
    const fragment = String((await http(`${fx.api}/topics/${topic}/html?order=newest`)).body);
    const at = (id: string) => fragment.indexOf(`id="parley-post-${id}"`);
    expect(at(first.id)).toBeGreaterThan(-1);
    expect(at(first.id)).toBeLessThan(at(newer.id));
    expect(at(answer.id)).toBeGreaterThan(at(first.id));
    expect(at(answer.id)).toBeLessThan(at(newer.id));
    expect(fragment).toMatch(new RegExp(`<article class="parley-post parley-pinned-post" id="parley-post-${first.id}"[^>]*><p class="parley-pinned">Pinned by the moderators · log entry #\\d+</p>`));
    expect(fragment.match(/class="parley-pinned"/g)).toHaveLength(1);
    await http(`${fx.api}/topics/${topic}/pin`, { method: 'DELETE', token: fx.moderatorToken, body: {} });
  });
});

describe('deleting one\'s own post', () => {
  it('leaves a tombstone "deleted by its author", erases the text and its versions, and redacts it in the log', async () => {
    const root = await postAs(fx, fx.alice.token, 'Secret words that I regret writing.', 'delete-topic');
    const reply = await postAs(fx, fx.bob.token, 'A reply that keeps the thread.', 'delete-topic', root.id);
    await http(`${fx.api}/posts/${root.id}`, { method: 'PATCH', token: fx.alice.token, body: { body: 'Edited regretful words.' } });
    const removal = await act(fx, fx.moderatorToken, { type: 'remove', postId: root.id, ruleId: 'R1', reason: 'Off topic', facts });
    const logIndex = removal.body.action.logIndex as number;
    const sensitive = await http(`${fx.api}/log/entries/${logIndex}/sensitive`, { token: fx.moderatorToken });
    expect(JSON.stringify(sensitive.body)).toContain('Edited regretful words.');

    const del = (token: string | undefined, body: unknown = { confirm: true }) => http(`${fx.api}/posts/${root.id}`, { method: 'DELETE', ...(token ? { token } : {}), body });
    expect((await del(undefined)).status).toBe(401);
    expect((await del(fx.bob.token)).status).toBe(403);
    expect((await del(fx.moderatorToken)).status).toBe(403);
    expect((await del(fx.alice.token, {})).status).toBe(400);
    const done = await del(fx.alice.token);
    expect(done.status).toBe(200);
    expect(done.body.post).toMatchObject({ id: root.id, status: 'deleted', body: '', html: '' });
    expect(done.body.post.moderation?.ownText).toBeUndefined();
    expect((await del(fx.alice.token)).status).toBe(400);

    const page = await http(`${fx.api}/topics/delete-topic/posts?order=oldest`);
    expect(page.body.posts.map((p: any) => [p.id, p.status])).toEqual([[root.id, 'deleted'], [reply.id, 'visible']]);
    const history = await http(`${fx.api}/posts/${root.id}/history`);
    expect(JSON.stringify(history.body)).not.toContain('regret');
    // The committed words are redacted; the redaction itself is logged.
    const entry = await http(`${fx.api}/log/entries/${logIndex}`);
    expect(entry.body.entry.redacted).toContain('removedText');
    const after = await http(`${fx.api}/log/entries/${logIndex}/sensitive`, { token: fx.moderatorToken });
    expect(JSON.stringify(after.body)).not.toContain('regretful');
  });
});
