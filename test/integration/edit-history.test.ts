/** Edit history (issue 6): authors edit their posts, every version stays public, staff edits after a reply or report are marked. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect, connected, http, nextEvents } from '../support/clients.js';
import { LIFTED_RATE_LIMITS, startTestServer, type TestServer } from '../support/server.js';
import { demoPlugin } from '../../demo/plugin.js';
import { act, postAs, setUpModeration, type ModerationFixture } from '../support/moderation-fixtures.js';

let server: TestServer;
let fx: ModerationFixture;

beforeAll(async () => {
  server = await startTestServer();
  fx = await setUpModeration(server);
});
afterAll(async () => server?.close());

const edit = (token: string | undefined, id: string, body: unknown) => http(`${fx.api}/posts/${id}`, { method: 'PATCH', token, body });
const history = (id: string) => http(`${fx.api}/posts/${id}/history`);
const facts = 'The post insults another member by name-calling in reply to a question about care homes.';

describe('editing a post', () => {
  it('lets the author edit; every version is kept and readable by everyone, oldest first', async () => {
    const post = await postAs(fx, fx.alice.token, 'I take **10 mg** in the mornin', 'edit-basic');
    const first = await edit(fx.alice.token, post.id, { body: 'I take **10 mg** in the morning', expectedRev: post.rev });
    expect(first.status).toBe(200);
    expect(first.body.edited).toBe(true);
    expect(first.body.post).toMatchObject({ id: post.id, body: 'I take **10 mg** in the morning', edits: { count: 1, afterReply: false, afterReport: false } });
    expect(first.body.post.html).toContain('<strong>10 mg</strong> in the morning');
    expect(first.body.post.editedAt).toEqual(expect.any(String));
    expect(first.body.post.rev).toBeGreaterThan(post.rev);
    const second = await edit(fx.alice.token, post.id, { body: '  I take 10 mg in the morning, with food.  ' });
    expect(second.status).toBe(200);
    expect(second.body.post.body).toBe('I take 10 mg in the morning, with food.');
    expect(second.body.post.edits.count).toBe(2);

    // Public: no token needed.
    const h = await history(post.id);
    expect(h.status).toBe(200);
    expect(h.body.history).toMatchObject({ postId: post.id, status: 'visible' });
    const versions = h.body.history.versions;
    expect(versions.map((v: any) => [v.version, v.body])).toEqual([
      [1, 'I take **10 mg** in the mornin'],
      [2, 'I take **10 mg** in the morning'],
      [3, 'I take 10 mg in the morning, with food.'],
    ]);
    expect(versions[0]).toMatchObject({ editedAt: null, at: h.body.history.createdAt });
    expect(versions[1].editedAt).toBe(first.body.post.editedAt);
    expect(versions[2].editedAt).toBe(second.body.post.editedAt);
    expect(versions[1].html).toContain('<strong>');
    for (const v of versions) expect(v).toMatchObject({ afterReply: false, afterReport: false });

    // The page and the single post carry the summary too.
    const page = await http(`${fx.api}/topics/edit-basic/posts`);
    expect(page.body.posts[0]).toMatchObject({ id: post.id, edits: { count: 2 } });
    expect((await http(`${fx.api}/posts/${post.id}`)).body.post.edits.count).toBe(2);
  });

  it('treats the same text as a no-op: no new version, no new rev', async () => {
    const post = await postAs(fx, fx.alice.token, 'Unchanged text', 'edit-noop');
    const same = await edit(fx.alice.token, post.id, { body: 'Unchanged text ' });
    expect(same.status).toBe(200);
    expect(same.body).toMatchObject({ edited: false, post: { rev: post.rev, editedAt: null } });
    expect(same.body.post.edits).toBeUndefined();
    expect((await history(post.id)).body.history.versions).toHaveLength(1);
  });

  it('refuses anyone but the author, and readers without a token', async () => {
    const post = await postAs(fx, fx.alice.token, 'Alice wrote this', 'edit-others');
    const byBob = await edit(fx.bob.token, post.id, { body: 'Bob rewrote it' });
    expect(byBob.status).toBe(403);
    expect(byBob.body.error.code).toBe('forbidden');
    // Moderators moderate; they do not rewrite members' words.
    expect((await edit(fx.moderatorToken, post.id, { body: 'Moderator rewrote it' })).status).toBe(403);
    expect((await edit(undefined, post.id, { body: 'Anonymous' })).status).toBe(401);
    expect((await edit(fx.alice.token, 'no-such-post', { body: 'x' })).status).toBe(404);
    expect((await history('no-such-post')).status).toBe(404);
    expect((await http(`${fx.api}/posts/${post.id}`)).body.post.body).toBe('Alice wrote this');
  });

  it('validates like posting, answering {error:{code,message,issues}}', async () => {
    const post = await postAs(fx, fx.alice.token, 'Valid text', 'edit-validation');
    for (const body of [{ body: '   ' }, { body: 'x'.repeat(10_001) }, { body: 42 }, {}, { body: 'ok', extra: 1 }, { body: 'ok', expectedRev: -1 }]) {
      const res = await edit(fx.alice.token, post.id, body);
      expect(res.status, JSON.stringify(body).slice(0, 60)).toBe(400);
      expect(res.body.error).toMatchObject({ code: 'validation_failed', message: expect.any(String), issues: expect.any(Array) });
    }
    const bad = await http(`${fx.api}/posts/${post.id}`, { method: 'PATCH', token: fx.alice.token, rawBody: '{not json' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('bad_request');
    expect((await edit(fx.alice.token, 'bad id!', { body: 'x' })).body.error.code).toBe('validation_failed');
    expect((await history(post.id)).body.history.versions).toHaveLength(1);
  });

  it('refuses an edit based on an old rev with edit_conflict, keeping the newer text', async () => {
    const post = await postAs(fx, fx.alice.token, 'Version one', 'edit-conflict');
    expect((await edit(fx.alice.token, post.id, { body: 'Version two', expectedRev: post.rev })).status).toBe(200);
    const stale = await edit(fx.alice.token, post.id, { body: 'Version two from another tab', expectedRev: post.rev });
    expect(stale.status).toBe(409);
    expect(stale.body.error.code).toBe('edit_conflict');
    expect((await http(`${fx.api}/posts/${post.id}`)).body.post.body).toBe('Version two');
  });

  it('refuses editing a removed post, and its history shows no text of any version', async () => {
    const post = await postAs(fx, fx.bob.token, 'Something rude, first draft', 'edit-removed');
    expect((await edit(fx.bob.token, post.id, { body: 'Something rude, second draft' })).status).toBe(200);
    const removed = await act(fx, fx.moderatorToken, { type: 'remove', postId: post.id, ruleId: 'R1', reason: 'Insult', facts });
    expect(removed.status).toBe(201);
    const refused = await edit(fx.bob.token, post.id, { body: 'Now it is nice, honestly' });
    expect(refused.status).toBe(403);
    expect(refused.body.error.code).toBe('forbidden');
    const h = (await history(post.id)).body.history;
    expect(h.status).toBe('removed');
    expect(h.versions).toHaveLength(2);
    for (const v of h.versions) expect(v).toMatchObject({ body: '', html: '' });
    expect(JSON.stringify(h)).not.toContain('rude');
  });

  it('refuses editing in a locked topic', async () => {
    const post = await postAs(fx, fx.carol.token, 'Before the lock', 'edit-locked');
    const lock = await act(fx, fx.moderatorToken, { type: 'lock', topic: 'edit-locked', ruleId: 'R1', reason: 'Cooling off', facts });
    expect(lock.status).toBe(201);
    const refused = await edit(fx.carol.token, post.id, { body: 'After the lock' });
    expect(refused.status).toBe(403);
    expect(refused.body.error.code).toBe('topic_locked');
  });

  it('refuses edits while the author is suspended, as it refuses posts', async () => {
    const token = await server.sign('alpha', { sub: 'suspend-me', name: 'Sid Suspended' });
    const post = await postAs(fx, token, 'Written before the suspension', 'edit-suspended');
    const me = (await http(`${fx.api}/me`, { token })).body.viewer.id;
    expect((await act(fx, fx.moderatorToken, { type: 'suspend', userId: me, ruleId: 'R1', days: 3, reason: 'Insults', facts })).status).toBe(201);
    const refused = await edit(token, post.id, { body: 'Turned into something else while suspended' });
    expect(refused.status).toBe(403);
    expect(refused.body.error.code).toBe('forbidden');
  });

  it('refuses editing the posts of an erased account', async () => {
    const token = await server.sign('alpha', { sub: 'erase-me', name: 'Erin Erased' });
    const post = await postAs(fx, token, 'Soon to be a deleted member', 'edit-erased');
    expect((await http(`${fx.api}/me`, { method: 'DELETE', token, body: { confirm: 'delete my account' } })).status).toBe(200);
    // The same host sign-in now is somebody new: the old posts are nobody's to edit.
    const again = await edit(token, post.id, { body: 'Rewritten after erasure' });
    expect(again.status).toBe(403);
    const stored = await http(`${fx.api}/posts/${post.id}`);
    expect(stored.body.post).toMatchObject({ body: 'Soon to be a deleted member', editedAt: null, author: { kind: 'deleted' } });
  });
});

describe('erasure', () => {
  it('keeps showing a staff post’s edit markers when its author’s account is erased', async () => {
    const staff = await server.sign('alpha', { sub: 'erase-staff', name: 'Sid Staff', affiliation: { company: 'acme', jobTitle: 'Medical Advisor' } });
    const post = await postAs(fx, staff, 'Our trial results are out.', 'edit-erase-staff');
    await postAs(fx, fx.alice.token, 'Where can I read them?', 'edit-erase-staff', post.id);
    expect((await edit(staff, post.id, { body: 'Our trial results are out next month.' })).status).toBe(200);
    const reader = connect(server.url, { site: 'alpha' });
    try {
      await connected(reader);
      await reader.emitWithAck('topic:join', { topic: 'edit-erase-staff' });
      const updated = nextEvents(reader, 'post:updated');
      expect((await http(`${fx.api}/me`, { method: 'DELETE', token: staff, body: { confirm: 'delete my account' } })).status).toBe(200);
      const [event] = await updated;
      expect(event.post).toMatchObject({ id: post.id, author: { kind: 'deleted' }, edits: { count: 1, afterReply: true } });
    } finally {
      reader.close();
    }
  });

  it('erasing an account with its posts erases their earlier versions too', async () => {
    const token = await server.sign('alpha', { sub: 'erase-all', name: 'Ezra Erased' });
    const post = await postAs(fx, token, 'My private story, first telling', 'edit-erase-all');
    expect((await edit(token, post.id, { body: 'My private story, retold' })).status).toBe(200);
    const count = async () => (await server.store.database.get<{ n: number }>('SELECT count(*) AS n FROM post_versions WHERE post_id = ?', [post.id]))!.n;
    expect(await count()).toBe(1);
    // Before erasure, the member's export holds every version of their words.
    const exported = await http(`${fx.api}/me/export`, { token });
    expect(exported.body.posts).toEqual([
      expect.objectContaining({ id: post.id, body: 'My private story, retold', earlierVersions: [expect.objectContaining({ version: 1, body: 'My private story, first telling' })] }),
    ]);
    const erased = await http(`${fx.api}/me`, { method: 'DELETE', token, body: { confirm: 'delete my account', removePosts: true } });
    expect(erased.status).toBe(200);
    expect(await count()).toBe(0);
    expect(JSON.stringify((await history(post.id)).body)).not.toContain('private story');
  });
});

describe('markers on staff edits', () => {
  it('marks a staff edit made after a reply', async () => {
    const post = await postAs(fx, fx.staff.token, 'Our medicine is taken once a day.', 'edit-staff-reply');
    await postAs(fx, fx.alice.token, 'Thanks, that helps.', 'edit-staff-reply', post.id);
    const res = await edit(fx.staff.token, post.id, { body: 'Our medicine is taken once or twice a day.' });
    expect(res.status).toBe(200);
    expect(res.body.post.edits).toEqual({ count: 1, afterReply: true, afterReport: false });
    const versions = (await history(post.id)).body.history.versions;
    expect(versions[0]).toMatchObject({ version: 1, afterReply: false });
    expect(versions[1]).toMatchObject({ version: 2, afterReply: true, afterReport: false });
  });

  it('marks a staff edit made after a report', async () => {
    const post = await postAs(fx, fx.staff.token, 'Ask us about the new dosage, it works wonders.', 'edit-staff-report');
    const report = await http(`${fx.api}/reports`, { token: fx.bob.token, body: { postId: post.id, ground: 'rule', ruleId: 'R1', goodFaith: true } });
    expect(report.status).toBe(201);
    const res = await edit(fx.staff.token, post.id, { body: 'Ask your doctor about the dosage.' });
    expect(res.body.post.edits).toEqual({ count: 1, afterReply: false, afterReport: true });
    // A later edit without a new reply still counts the report that exists.
    const again = await edit(fx.staff.token, post.id, { body: 'Please ask your doctor about the dosage.' });
    expect(again.body.post.edits).toEqual({ count: 2, afterReply: false, afterReport: true });
  });

  it('does not mark a staff edit before any reply or report, nor any member edit', async () => {
    const staffPost = await postAs(fx, fx.staff.token, 'Early staff text.', 'edit-unmarked');
    expect((await edit(fx.staff.token, staffPost.id, { body: 'Early staff text, corrected.' })).body.post.edits).toEqual({ count: 1, afterReply: false, afterReport: false });
    const memberPost = await postAs(fx, fx.alice.token, 'A member question.', 'edit-unmarked');
    await postAs(fx, fx.bob.token, 'A reply to it.', 'edit-unmarked', memberPost.id);
    await http(`${fx.api}/reports`, { token: fx.bob.token, body: { postId: memberPost.id, ground: 'rule', ruleId: 'R1', goodFaith: true } });
    const res = await edit(fx.alice.token, memberPost.id, { body: 'A member question, clarified.' });
    expect(res.body.post.edits).toEqual({ count: 1, afterReply: false, afterReport: false });
    for (const v of (await history(memberPost.id)).body.history.versions) expect(v).toMatchObject({ afterReply: false, afterReport: false });
  });
});

describe('scripted-reply labels after an edit', () => {
  const SCRIPT =
    'Thank you for sharing your experience with us. Memory problems can have many causes. ' +
    'Please talk to your doctor or pharmacist about any side effects you notice. ' +
    'Our medical information line is open on weekdays and can answer questions about our medicines.';

  it('checks the edited text of an unlabelled staff post again, so editing into a copy is labelled', async () => {
    const original = await postAs(fx, fx.staff.token, SCRIPT, 'edit-scripted-a');
    const colleague = await server.sign('alpha', { sub: 'acme-cleo', name: 'Cleo Acme', affiliation: { company: 'acme', jobTitle: 'MSL' } });
    const post = await postAs(fx, colleague, 'A personal answer about sleep hygiene, written for this question only.', 'edit-scripted-b');
    expect((await http(`${fx.api}/posts/${post.id}`)).body.post.scripted).toBeUndefined();
    const res = await edit(colleague, post.id, { body: `Dear Jan,\n${SCRIPT}` });
    expect(res.status).toBe(200);
    expect(res.body.post.scripted).toMatchObject({ count: 2, company: 'Acme Pharma', similarPostIds: [original.id] });
    // The label stays when the text is edited away from the script: that version was posted.
    const away = await edit(colleague, post.id, { body: 'A personal answer again, nothing like the script at all.' });
    expect(away.body.post.scripted).toMatchObject({ count: 2 });
  });
});

describe('the version cap', () => {
  it('allows at most LIMITS.postVersionsMax versions of a post', async () => {
    const post = await postAs(fx, fx.carol.token, 'Version 1', 'edit-cap');
    for (let v = 2; v <= 50; v++) expect((await edit(fx.carol.token, post.id, { body: `Version ${v}` })).status).toBe(200);
    const over = await edit(fx.carol.token, post.id, { body: 'Version 51' });
    expect(over.status).toBe(403);
    expect(over.body.error.message).toMatch(/at most 50 versions/);
    const versions = (await history(post.id)).body.history.versions;
    expect(versions).toHaveLength(50);
    expect(versions.at(-1)).toMatchObject({ version: 50, body: 'Version 50' });
  });
});

describe('live updates and catch-up', () => {
  it('sends the edit as post:updated to other sockets in the topic', async () => {
    const topic = 'edit-live';
    const post = await postAs(fx, fx.alice.token, 'Live, before', topic);
    const reader = connect(server.url, { site: 'alpha' });
    try {
      await connected(reader);
      await reader.emitWithAck('topic:join', { topic });
      const told = nextEvents(reader, 'post:updated');
      await edit(fx.alice.token, post.id, { body: 'Live, after' });
      const [event] = await told;
      expect(event.post).toMatchObject({ id: post.id, body: 'Live, after', edits: { count: 1 } });
      expect(event.post.rev).toBeGreaterThan(post.rev);
    } finally {
      reader.close();
    }
  });

  it('bumps the topic rev, so catch-up since an earlier rev returns the edited post', async () => {
    const topic = 'edit-catch-up';
    const post = await postAs(fx, fx.alice.token, 'Catch-up, before', topic);
    await postAs(fx, fx.bob.token, 'Another post', topic);
    const seen = (await http(`${fx.api}/topics/${topic}/posts`)).body.topic.rev;
    await edit(fx.alice.token, post.id, { body: 'Catch-up, after' });
    const changes = await http(`${fx.api}/topics/${topic}/changes?since=${seen}`);
    expect(changes.body.topic.rev).toBe(seen + 1);
    expect(changes.body.posts).toHaveLength(1);
    expect(changes.body.posts[0]).toMatchObject({ id: post.id, body: 'Catch-up, after', rev: seen + 1, edits: { count: 1 } });
    // Over the socket as well.
    const socket = connect(server.url, { site: 'alpha' });
    try {
      await connected(socket);
      const ack = await socket.emitWithAck('topic:join', { topic, since: seen });
      expect(ack.posts.map((p: any) => p.id)).toEqual([post.id]);
    } finally {
      socket.close();
    }
  });
});

describe('rate limits', () => {
  it('limits edits per account like posts, in a budget of their own', async () => {
    const limited = await startTestServer({ rateLimits: { ...LIFTED_RATE_LIMITS, postsPerAccountPerMinute: 3 } });
    try {
      const api = `${limited.url}/api/sites/alpha`;
      const token = await limited.sign('alpha', { sub: 'fast-editor', name: 'Fast Editor' });
      const created = await http(`${api}/posts`, { token, body: { topic: 'edit-rate', body: 'Draft 0', idempotencyKey: 'edit-rate-key-1' } });
      expect(created.status).toBe(201);
      const id = created.body.post.id;
      const statuses: number[] = [];
      for (let i = 1; i <= 4; i++) statuses.push((await http(`${api}/posts/${id}`, { method: 'PATCH', token, body: { body: `Draft ${i}` } })).status);
      expect(statuses).toEqual([200, 200, 200, 429]);
      const refused = await http(`${api}/posts/${id}`, { method: 'PATCH', token, body: { body: 'Draft 5' } });
      expect(refused.body.error).toMatchObject({ code: 'rate_limited', retryAfterSeconds: expect.any(Number) });
      expect(refused.headers.get('retry-after')).toMatch(/^\d+$/);
      // Retrying the saved text is a no-op and is not refused.
      expect((await http(`${api}/posts/${id}`, { method: 'PATCH', token, body: { body: 'Draft 3' } })).status).toBe(200);
      // Posting still has its own budget (2 of 3 left).
      const another = await http(`${api}/posts`, { token, body: { topic: 'edit-rate', body: 'A new post', idempotencyKey: 'edit-rate-key-2' } });
      expect(another.status).toBe(201);
      expect((await http(`${api}/posts/${id}/history`)).body.history.versions).toHaveLength(4);
    } finally {
      await limited.close();
    }
  });
});

describe('the demo', () => {
  it('seeds a staff answer edited after a reply, with its history', async () => {
    const demo = await startTestServer({ plugins: [demoPlugin()] });
    try {
      const api = `${demo.url}/api/sites/demo`;
      const posts = (await http(`${api}/topics/new-treatments/posts?order=oldest`)).body.posts;
      const edited = posts.filter((p: any) => p.edits);
      expect(edited).toHaveLength(1);
      expect(edited[0]).toMatchObject({ author: { kind: 'staff' }, edits: { count: 1, afterReply: true, afterReport: false } });
      const versions = (await http(`${api}/posts/${edited[0].id}/history`)).body.history.versions;
      expect(versions).toHaveLength(2);
      expect(versions[1].body).toContain('APOE4');
      expect(versions[0].body).not.toContain('APOE4');
      expect(Date.parse(versions[1].editedAt)).toBeGreaterThan(Date.parse(versions[0].at));
    } finally {
      await demo.close();
    }
  });
});
