/** Transparent moderation end to end: rules, reports, every action and its reversal, notices, appeals, misuse. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect, connected, http, nextEvents } from '../support/clients.js';
import { outboxMail, startTestServer, type TestServer } from '../support/server.js';
import { act, postAs, setUpModeration, type ModerationFixture } from '../support/moderation-fixtures.js';

let server: TestServer;
let fx: ModerationFixture;
let clock = Date.parse('2025-03-01T10:00:00Z');

beforeAll(async () => {
  server = await startTestServer({ now: () => new Date(clock) });
  fx = await setUpModeration(server);
});
afterAll(async () => server.close());

const facts = 'The post insults another member by name-calling in reply to a question about care homes.';

describe('rules', () => {
  it('a new site publishes the company-participation template as versioned JSON', async () => {
    const response = await http(`${fx.api}/rules`);
    expect(response.status).toBe(200);
    const ids = response.body.rules.map((r: any) => r.id);
    expect(ids).toEqual(['R1', 'R2', 'R3', 'R4', 'R5', 'R6', 'R7', 'R8', 'R9', 'R10', 'R11']);
    const titles = response.body.rules.map((r: any) => r.title).join(' | ');
    for (const phrase of ['prescription-only', 'off-label', 'Affiliation must show', 'scripted', 'staff do not moderate', 'Side effects']) {
      expect(titles).toContain(phrase);
    }
    expect(response.body.rules[0]).toMatchObject({ version: 1, kind: 'prohibition', category: expect.stringMatching(/^STATEMENT_CATEGORY_/) });
  });

  it('a rule change is a new version, admins only; the affiliation rule cannot be retired while company accounts exist', async () => {
    const change = { title: 'Be respectful and kind', text: 'Disagree with ideas, not people. No insults or harassment.', changeNote: 'Shorter wording' };
    expect((await http(fx.api)).body.rulesChangedAt).toBeNull();
    expect((await http(`${fx.api}/rules/R1`, { method: 'PUT', token: fx.moderatorToken, body: change })).status).toBe(403);
    const changed = await http(`${fx.api}/rules/R1`, { method: 'PUT', token: fx.adminToken, body: change });
    expect(changed.status).toBe(200);
    expect(changed.body.rule).toMatchObject({ id: 'R1', version: 2, title: 'Be respectful and kind' });
    // Widgets learn that the rules changed, to announce it to returning readers.
    expect((await http(fx.api)).body.rulesChangedAt).toBe(changed.body.rule.effectiveFrom);
    const history = await http(`${fx.api}/rules/history`);
    expect(history.body.versions.filter((r: any) => r.id === 'R1').map((r: any) => r.version)).toEqual([1, 2]);
    const retire = await http(`${fx.api}/rules/R3`, { method: 'PUT', token: fx.adminToken, body: { retire: true, changeNote: 'Try' } });
    expect(retire.status).toBe(400);
    expect(retire.body.error.message).toMatch(/company accounts exist/);
  });

  it('"how moderation works" is generated from the configuration, as JSON and Markdown', async () => {
    const json = await http(`${fx.api}/moderation/how-it-works`);
    expect(json.body.moderators.singleModerator).toBe(false);
    expect(json.body.appeals.windowMonths).toBe(6);
    expect(json.body.automation.decision).toMatch(/No decision is automated/);
    const md = await http(`${fx.api}/moderation/how-it-works?format=markdown`);
    expect(md.headers.get('content-type')).toMatch(/text\/markdown/);
    expect(md.body).toContain('# How moderation works on Alpha Patients');
    const beta = await startTestServer();
    try {
      const solo = await http(`${beta.url}/api/sites/beta/moderation/how-it-works`);
      expect(solo.body.moderators.singleModerator).toBe(true);
      expect(solo.body.moderators.singleModeratorNotice).toMatch(/no moderators|single moderator/);
    } finally {
      await beta.close();
    }
  });
});

describe('reports and the queue', () => {
  it('needs a sign-in, a rule or an explanation of illegality, and a good-faith statement; acknowledges at once', async () => {
    const post = await postAs(fx, fx.alice.token, 'You are all idiots.');
    expect((await http(`${fx.api}/reports`, { body: { postId: post.id, ground: 'rule', ruleId: 'R1', goodFaith: true } })).status).toBe(401);
    const noFaith = await http(`${fx.api}/reports`, { token: fx.bob.token, body: { postId: post.id, ground: 'rule', ruleId: 'R1' } });
    expect(noFaith.status).toBe(400);
    const illegalNoWhy = await http(`${fx.api}/reports`, { token: fx.bob.token, body: { postId: post.id, ground: 'illegal', goodFaith: true } });
    expect(illegalNoWhy.status).toBe(400);
    const commitment = await http(`${fx.api}/reports`, { token: fx.bob.token, body: { postId: post.id, ground: 'rule', ruleId: 'R8', goodFaith: true } });
    expect(commitment.status).toBe(400);
    const ok = await http(`${fx.api}/reports`, { token: fx.bob.token, body: { postId: post.id, ground: 'rule', ruleId: 'R1', note: 'Rude', goodFaith: true } });
    expect(ok.status).toBe(201);
    expect(ok.body.acknowledgement.message).toMatch(/received/);
    expect(ok.body.report).toMatchObject({ status: 'open', ruleId: 'R1', ruleVersion: 2 });
    const staffReport = await http(`${fx.api}/reports`, { token: fx.staff.token, body: { postId: post.id, ground: 'rule', ruleId: 'R1', goodFaith: true } });
    expect(staffReport.status).toBe(201);

    const mine = await http(`${fx.api}/me/reports`, { token: fx.bob.token });
    expect(mine.body.reports[0]).toMatchObject({ postId: post.id, status: 'open' });

    expect((await http(`${fx.api}/moderation/queue`, { token: fx.bob.token })).status).toBe(403);
    expect((await http(`${fx.api}/moderation/queue`, { token: fx.staff.token })).status).toBe(403);
    const queue = await http(`${fx.api}/moderation/queue`, { token: fx.moderatorToken });
    expect(queue.status).toBe(200);
    const item = queue.body.items.find((i: any) => i.post.id === post.id);
    expect(item.post.body).toBe('You are all idiots.');
    expect(item.author.name).toBe('Alice A.');
    const sources = item.reports.map((r: any) => [r.source, r.reporter?.name]);
    expect(sources).toEqual([['member', 'Bob B.'], ['company', 'Sam Staff']]);
    expect(item.reports[1].companyAffiliated).toBe(true);
    // Readers never learn who reported.
    const publicPost = await http(`${fx.api}/posts/${post.id}`);
    expect(JSON.stringify(publicPost.body)).not.toContain('Bob');
  });

  it('is rate-limited', async () => {
    const token = await server.sign('alpha', { sub: 'spammy', name: 'Spammy' });
    let last = 0;
    for (let i = 0; i < 22; i++) {
      const post = await postAs(fx, fx.carol.token, `post ${i}`, 'rate-topic');
      last = (await http(`${fx.api}/reports`, { token, body: { postId: post.id, ground: 'rule', ruleId: 'R10', goodFaith: true } })).status;
      if (last === 429) break;
    }
    expect(last).toBe(429);
  });
});

describe('actions, tombstones, notices and appeals', () => {
  it('removal: a tombstone for everyone, the author sees their text, live update, notice and reporter outcome', async () => {
    const post = await postAs(fx, fx.alice.token, 'Shut up, Carol, nobody asked you.', 'remove-topic');
    await http(`${fx.api}/reports`, { token: fx.bob.token, body: { postId: post.id, ground: 'rule', ruleId: 'R1', goodFaith: true } });
    const socket = connect(server.url, { site: 'alpha' });
    await connected(socket);
    await socket.emitWithAck('topic:join', { topic: 'remove-topic' });
    const updated = nextEvents(socket, 'post:updated');

    expect((await act(fx, fx.staff.token, { type: 'remove', postId: post.id, ruleId: 'R1', reason: 'Insult', facts })).status).toBe(403);
    expect((await act(fx, fx.moderatorToken, { type: 'remove', postId: post.id, reason: 'Insult', facts })).status).toBe(400);
    expect((await act(fx, fx.moderatorToken, { type: 'remove', postId: post.id, ruleId: 'R8', reason: 'x side effect', facts })).status).toBe(400);
    const removed = await act(fx, fx.moderatorToken, { type: 'remove', postId: post.id, ruleId: 'R1', reason: 'Insult towards another member', facts });
    expect(removed.status).toBe(201);
    const action = removed.body.action;
    expect(action.statement).toMatchObject({
      decision_visibility: ['DECISION_VISIBILITY_CONTENT_REMOVED'], decision_ground: 'DECISION_GROUND_INCOMPATIBLE_CONTENT',
      incompatible_content_ground: 'R1 v2: Be respectful and kind', source: 'member_report', source_type: 'SOURCE_TYPE_OTHER_NOTIFICATION',
      automated_detection: false, automated_decision: 'AUTOMATED_DECISION_NOT_AUTOMATED', puid: `alpha-${action.id}`,
    });
    expect(action.moderator).toMatchObject({ id: fx.moderatorId, name: 'Mo Moderator', publicLabel: expect.stringMatching(/^Moderator \d+$/) });

    const [event] = await updated;
    socket.close();
    expect(event.post).toMatchObject({ id: post.id, status: 'removed', body: '', html: '' });
    expect(event.post.rev).toBeGreaterThan(post.rev);
    expect(event.post.moderation.removal).toMatchObject({ actionId: action.id, ruleId: 'R1', reason: 'Insult towards another member', appeal: 'none' });
    expect(event.post.moderation.removal.moderator).toMatch(/^Moderator \d+$/);

    const asReader = (await http(`${fx.api}/posts/${post.id}`)).body.post;
    expect(asReader.moderation.ownText).toBeUndefined();
    const asAuthor = (await http(`${fx.api}/posts/${post.id}`, { token: fx.alice.token })).body.post;
    expect(asAuthor.moderation.ownText.body).toBe('Shut up, Carol, nobody asked you.');
    const changes = await http(`${fx.api}/topics/remove-topic/changes?since=${post.rev}`);
    expect(changes.body.posts.map((p: any) => p.id)).toContain(post.id);

    const notices = await http(`${fx.api}/me/notices`, { token: fx.alice.token });
    const notice = notices.body.notices.find((n: any) => n.actionId === action.id);
    expect(notice.body.statement.puid).toBe(`alpha-${action.id}`);
    const durable = await http(notice.url);
    expect(durable.status).toBe(200);
    expect(await outboxMail(server.store, 'alpha', (m) => m.recipient === 'alice@example.org' && m.body.includes(notice.url))).toBeDefined();
    const bobReports = await http(`${fx.api}/me/reports`, { token: fx.bob.token });
    expect(bobReports.body.reports.find((r: any) => r.postId === post.id)).toMatchObject({ status: 'actioned', outcome: { type: 'remove' } });
    expect((await http(`${fx.api}/moderation/actions/${action.id}`)).body.action.statement.decision_facts).toBe(facts);

    // Appeal: only the author; the same moderator cannot decide it; a second one reverses it and the post comes back.
    expect((await http(`${fx.api}/appeals`, { token: fx.bob.token, body: { actionId: action.id, info: 'I think this is unfair.' } })).status).toBe(403);
    const appeal = await http(`${fx.api}/appeals`, { token: fx.alice.token, body: { actionId: action.id, info: 'Carol and I are friends; it was a joke between us.' } });
    expect(appeal.status).toBe(201);
    expect((await http(`${fx.api}/posts/${post.id}`)).body.post.moderation.removal.appeal).toBe('open');
    const open = await http(`${fx.api}/moderation/appeals`, { token: fx.mod2Token });
    expect(open.body.appeals.find((a: any) => a.id === appeal.body.appeal.id)).toMatchObject({ youMayDecide: true, originalDecider: { name: 'Mo Moderator' } });
    const same = await http(`${fx.api}/moderation/appeals/${appeal.body.appeal.id}/decision`, { token: fx.moderatorToken, body: { outcome: 'reversed', reason: 'I changed my mind about it.' } });
    expect(same.status).toBe(403);
    expect(same.body.error.message).toMatch(/different moderator/);
    const decided = await http(`${fx.api}/moderation/appeals/${appeal.body.appeal.id}/decision`, { token: fx.mod2Token, body: { outcome: 'reversed', reason: 'Context shows a joke between friends; no insult.' } });
    expect(decided.status).toBe(200);
    expect(decided.body.reversal).toMatchObject({ type: 'restore', reverses: action.id, appealId: appeal.body.appeal.id });
    const restored = (await http(`${fx.api}/posts/${post.id}`)).body.post;
    expect(restored).toMatchObject({ status: 'visible', body: 'Shut up, Carol, nobody asked you.' });
    expect(restored.moderation).toBeUndefined();
    const aliceNotices = (await http(`${fx.api}/me/notices`, { token: fx.alice.token })).body.notices;
    expect(aliceNotices.find((n: any) => n.kind === 'appeal-decision').body).toMatchObject({ outcome: 'reversed' });
    expect((await http(`${fx.api}/moderation/actions/${action.id}`)).body.action).toMatchObject({ reversedBy: decided.body.reversal.id, appeal: { status: 'reversed' } });
  });

  it('restore (by hand) points to the removal it reverses; reversing twice is refused', async () => {
    const post = await postAs(fx, fx.alice.token, 'Another borderline post.', 'restore-topic');
    const removed = await act(fx, fx.moderatorToken, { type: 'remove', postId: post.id, ruleId: 'R10', reason: 'Off topic', facts: 'The post does not relate to the topic at all.' });
    const restore = await http(`${fx.api}/moderation/actions/${removed.body.action.id}/reverse`, { token: fx.mod2Token, body: { reason: 'It was on topic after all' } });
    expect(restore.status).toBe(201);
    expect(restore.body.action).toMatchObject({ type: 'restore', reverses: removed.body.action.id });
    const again = await http(`${fx.api}/moderation/actions/${removed.body.action.id}/reverse`, { token: fx.mod2Token, body: { reason: 'again' } });
    expect(again.status).toBe(400);
    expect((await http(`${fx.api}/posts/${post.id}`)).body.post.status).toBe('visible');
  });

  it('label and unlabel: a public note; the words stay', async () => {
    const post = await postAs(fx, fx.staff.token, 'Our medicine may also help with sleep problems.', 'label-topic');
    const label = await act(fx, fx.moderatorToken, { type: 'label', postId: post.id, ruleId: 'R5', reason: 'Unapproved use', labelText: 'Not an approved use; see the product information.', facts: 'A company employee suggested a use the medicine is not approved for.' });
    expect(label.status).toBe(201);
    expect(label.body.action.statement.decision_visibility).toEqual(['DECISION_VISIBILITY_CONTENT_LABELLED']);
    const seen = (await http(`${fx.api}/posts/${post.id}`)).body.post;
    expect(seen.body).toContain('sleep problems');
    expect(seen.moderation.labels[0]).toMatchObject({ text: 'Not an approved use; see the product information.', ruleId: 'R5' });
    const unlabel = await act(fx, fx.moderatorToken, { type: 'unlabel', postId: post.id, reason: 'Clarified', facts: 'The employee clarified the statement in a reply.' });
    expect(unlabel.body.action.reverses).toBe(label.body.action.id);
    expect((await http(`${fx.api}/posts/${post.id}`)).body.post.moderation).toBeUndefined();
  });

  it('lock and unlock a topic', async () => {
    await postAs(fx, fx.alice.token, 'Heated topic', 'lock-topic');
    const reader = connect(server.url, { site: 'alpha' });
    await connected(reader);
    await reader.emitWithAck('topic:join', { topic: 'lock-topic' });
    const told = nextEvents(reader, 'topic:updated');
    const lock = await act(fx, fx.moderatorToken, { type: 'lock', topic: 'lock-topic', ruleId: 'R1', reason: 'Cooling off', facts: 'The discussion turned into repeated insults between several members.' });
    expect(lock.status).toBe(201);
    // Open widgets learn of the lock at once, with its reason.
    const [event] = await told;
    expect(event.topic).toMatchObject({ id: 'lock-topic', locked: true, lock: { actionId: lock.body.action.id, reason: 'Cooling off' } });
    reader.close();
    const page = await http(`${fx.api}/topics/lock-topic/posts`);
    expect(page.body.topic).toMatchObject({ locked: true, lock: { actionId: lock.body.action.id, ruleId: 'R1' } });
    const refused = await http(`${fx.api}/posts`, { token: fx.bob.token, body: { topic: 'lock-topic', body: 'hello', idempotencyKey: 'lockedkey-1' } });
    expect(refused.body.error.code).toBe('topic_locked');
    await act(fx, fx.mod2Token, { type: 'unlock', topic: 'lock-topic', reason: 'Calmer now', facts: 'A day has passed; the topic reopens.' });
    expect((await http(`${fx.api}/topics/lock-topic/posts`)).body.topic.locked).toBe(false);
    const metrics = String((await http(`${server.url}/metrics`)).body);
    expect(metrics).toMatch(/^parley_moderation_actions_total\{site="alpha",action="lock"\} 1$/m);
    expect(metrics).toMatch(/^parley_moderation_actions_total\{site="alpha",action="unlock"\} 1$/m);
    expect((await http(`${fx.api}/posts`, { token: fx.bob.token, body: { topic: 'lock-topic', body: 'hello', idempotencyKey: 'lockedkey-2' } })).status).toBe(201);
  });

  it('restrict replies beneath a post, and lift it', async () => {
    const root = await postAs(fx, fx.alice.token, 'Root', 'restrict-topic');
    const reply = await postAs(fx, fx.bob.token, 'Reply', 'restrict-topic', root.id);
    const restrict = await act(fx, fx.moderatorToken, { type: 'restrict-replies', postId: root.id, ruleId: 'R10', reason: 'Thread went off topic', facts: 'Replies drifted to unrelated advertising.' });
    expect(restrict.status).toBe(201);
    expect((await http(`${fx.api}/posts/${root.id}`)).body.post.moderation.repliesClosed.actionId).toBe(restrict.body.action.id);
    const refused = await http(`${fx.api}/posts`, { token: fx.carol.token, body: { topic: 'restrict-topic', parent: reply.id, body: 'more', idempotencyKey: 'restrict-key1' } });
    expect(refused.status).toBe(403);
    expect((await http(`${fx.api}/posts`, { token: fx.carol.token, body: { topic: 'restrict-topic', body: 'new thread', idempotencyKey: 'restrict-key2' } })).status).toBe(201);
    await act(fx, fx.moderatorToken, { type: 'lift-reply-restriction', postId: root.id, reason: 'Reopened', facts: 'The advertising was dealt with.' });
    expect((await http(`${fx.api}/posts`, { token: fx.carol.token, body: { topic: 'restrict-topic', parent: reply.id, body: 'more', idempotencyKey: 'restrict-key3' } })).status).toBe(201);
  });

  it('suspend for a period: posting refused, notices still readable, it ends by itself or when lifted', async () => {
    const member = await server.sign('alpha', { sub: 'suspendee', name: 'Sus Pendee' });
    const id = (await http(`${fx.api}/me`, { token: member })).body.viewer.id;
    await postAs(fx, member, 'first', 'suspend-topic');
    expect((await act(fx, fx.moderatorToken, { type: 'suspend', userId: id, ruleId: 'R1', reason: 'Repeated insults', facts: 'Three removals for insults this week.' })).status).toBe(400);
    const suspend = await act(fx, fx.moderatorToken, { type: 'suspend', userId: id, ruleId: 'R1', days: 7, reason: 'Repeated insults', facts: 'Three removals for insults this week.' });
    expect(suspend.status).toBe(201);
    expect(suspend.body.action.statement).toMatchObject({ decision_account: 'DECISION_ACCOUNT_SUSPENDED', end_date_account_restriction: '2025-03-08' });
    const refused = await http(`${fx.api}/posts`, { token: member, body: { topic: 'suspend-topic', body: 'again', idempotencyKey: 'suspended-1' } });
    expect(refused.status).toBe(403);
    expect(refused.body.error.message).toMatch(/suspended/);
    const notices = (await http(`${fx.api}/me/notices`, { token: member })).body.notices;
    expect((await http(notices[0].url)).body.notice.body.statement.decision_account).toBe('DECISION_ACCOUNT_SUSPENDED');
    expect((await act(fx, fx.moderatorToken, { type: 'suspend', userId: fx.moderatorId, ruleId: 'R1', days: 1, reason: 'myself', facts: 'Trying to suspend myself.' })).status).toBe(403);
    const lifted = await act(fx, fx.mod2Token, { type: 'lift-suspension', userId: id, reason: 'Apologised', facts: 'The member apologised to those affected.' });
    expect(lifted.body.action.reverses).toBe(suspend.body.action.id);
    expect((await http(`${fx.api}/posts`, { token: member, body: { topic: 'suspend-topic', body: 'again', idempotencyKey: 'suspended-2' } })).status).toBe(201);
  });

  it('ban and unban', async () => {
    const member = await server.sign('alpha', { sub: 'bannee', name: 'Ban Nee' });
    const id = (await http(`${fx.api}/me`, { token: member })).body.viewer.id;
    const ban = await act(fx, fx.moderatorToken, { type: 'ban', userId: id, ground: 'illegal', legalGround: 'Criminal code, threats', reason: 'Threats', facts: 'The account threatened violence against a named member.' });
    expect(ban.status).toBe(201);
    expect(ban.body.action.statement).toMatchObject({ decision_account: 'DECISION_ACCOUNT_TERMINATED', decision_ground: 'DECISION_GROUND_ILLEGAL_CONTENT', illegal_content_legal_ground: 'Criminal code, threats' });
    expect((await http(`${fx.api}/posts`, { token: member, body: { topic: 'ban-topic', body: 'x', idempotencyKey: 'banned-key1' } })).status).toBe(403);
    await act(fx, fx.mod2Token, { type: 'unban', userId: id, reason: 'Mistaken identity', facts: 'The threats came from another account.' });
    expect((await http(`${fx.api}/posts`, { token: member, body: { topic: 'ban-topic', body: 'x', idempotencyKey: 'banned-key2' } })).status).toBe(201);
  });

  it('dismiss a report: the reporter is told and may appeal; a reversed dismissal reopens the report', async () => {
    const post = await postAs(fx, fx.alice.token, 'I disagree with the neurologist here.', 'dismiss-topic');
    const report = await http(`${fx.api}/reports`, { token: fx.carol.token, body: { postId: post.id, ground: 'rule', ruleId: 'R9', goodFaith: true } });
    const dismissed = await act(fx, fx.moderatorToken, { type: 'dismiss-report', reportId: report.body.report.id, reason: 'Disagreement is allowed', facts: 'The post disagrees politely; no rule is broken.' });
    expect(dismissed.status).toBe(201);
    const mine = (await http(`${fx.api}/me/reports`, { token: fx.carol.token })).body.reports.find((r: any) => r.id === report.body.report.id);
    expect(mine).toMatchObject({ status: 'dismissed', outcome: { type: 'dismiss-report' }, appealableUntil: expect.any(String) });
    const appeal = await http(`${fx.api}/appeals`, { token: fx.carol.token, body: { reportId: report.body.report.id, info: 'It gives dangerous advice in the last line.' } });
    expect(appeal.status).toBe(201);
    const decided = await http(`${fx.api}/moderation/appeals/${appeal.body.appeal.id}/decision`, { token: fx.mod2Token, body: { outcome: 'reversed', reason: 'The last line does advise stopping treatment.' } });
    expect(decided.body.reversal).toMatchObject({ type: 'reopen-report' });
    expect((await server.store.getReport('alpha', report.body.report.id))!.status).toBe('open');
  });

  it('appeals close six months after the decision', async () => {
    const post = await postAs(fx, fx.alice.token, 'Old post', 'window-topic');
    const removed = await act(fx, fx.moderatorToken, { type: 'remove', postId: post.id, ruleId: 'R10', reason: 'Spam', facts: 'The post advertised an unrelated shop.' });
    const saved = clock;
    try {
      clock = Date.parse('2025-09-01T09:59:00Z');
      // Six months on, Alice signs in again: host tokens live 12 hours at most.
      const aliceLater = () => server.sign('alpha', { sub: 'alice-sub', name: 'Alice A.', email: 'alice@example.org' });
      const inTime = await http(`${fx.api}/appeals`, { token: await aliceLater(), body: { actionId: removed.body.action.id, info: 'Still within six months.' } });
      expect(inTime.status).toBe(201);
      const post2 = await postAs(fx, await aliceLater(), 'Another', 'window-topic');
      clock = saved;
      const removed2 = await act(fx, fx.moderatorToken, { type: 'remove', postId: post2.id, ruleId: 'R10', reason: 'Spam', facts: 'The post advertised an unrelated shop.' });
      clock = Date.parse('2025-09-01T10:01:00Z');
      const late = await http(`${fx.api}/appeals`, { token: await aliceLater(), body: { actionId: removed2.body.action.id, info: 'Too late by a minute.' } });
      expect(late.status).toBe(400);
      expect(late.body.error.message).toMatch(/6 months/);
    } finally {
      clock = saved;
    }
  });
});

describe('misuse', () => {
  it('a stream of unfounded reports brings a warning, then a time-limited pause, each logged with its own reason', async () => {
    const token = await server.sign('alpha', { sub: 'misuser', name: 'Mis User' });
    const id = (await http(`${fx.api}/me`, { token })).body.viewer.id;
    const dismissOne = async (i: number) => {
      const post = await postAs(fx, fx.carol.token, `harmless ${i}`, 'misuse-topic');
      const report = await http(`${fx.api}/reports`, { token, body: { postId: post.id, ground: 'rule', ruleId: 'R1', goodFaith: true } });
      expect(report.status).toBe(201);
      await act(fx, fx.moderatorToken, { type: 'dismiss-report', reportId: report.body.report.id, unfounded: true, reason: 'Manifestly unfounded', facts: 'The post is a friendly greeting.' });
    };
    for (let i = 0; i < 3; i++) await dismissOne(i);
    const notices = (await http(`${fx.api}/me/notices`, { token })).body.notices;
    expect(notices.some((n: any) => n.kind === 'misuse-warning')).toBe(true);
    for (let i = 3; i < 5; i++) await dismissOne(i);
    const restriction = (await server.store.listActions('alpha', { targetId: id, types: ['misuse-restriction'] }))[0]!;
    expect(restriction).toMatchObject({ moderatorId: 'system', ruleId: 'R11' });
    expect(restriction.statement).toMatchObject({ decision_provision: 'DECISION_PROVISION_PARTIAL_SUSPENSION', end_date_service_restriction: '2025-03-15' });
    const post = await postAs(fx, fx.carol.token, 'another', 'misuse-topic');
    const refused = await http(`${fx.api}/reports`, { token, body: { postId: post.id, ground: 'rule', ruleId: 'R1', goodFaith: true } });
    expect(refused.status).toBe(403);
    // The pause itself can be appealed.
    const appeal = await http(`${fx.api}/appeals`, { token, body: { actionId: restriction.id, info: 'I reported in good faith each time.' } });
    expect(appeal.status).toBe(201);
  });
});
