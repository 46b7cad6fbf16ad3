/**
 * Questions put to a company and the company desk (issue 14), against a real server, real sockets
 * and SQLite: addressing, answering (in the thread and by a link), claims and their expiry, a
 * moderator's out-of-scope decision (audit log), the public figures against a synthetic history,
 * the pledge, permissions (only that company's verified staff; moderators read-only; members never),
 * and live updates of the desk.
 *
 * The server runs on an injected clock that only moves forward and stays before the real time;
 * host tokens are minted on it at each step, as a host would sign its members in at the time.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect, connected, http, nextEvents } from '../support/clients.js';
import { key, startTestServer, type TestServer } from '../support/server.js';
import { setUpIdentity, type Fixture } from '../support/identity-fixtures.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const ORIGIN = 'https://alpha.example';

let server: TestServer;
let fx: Fixture;
let clock = Date.now() - 60 * DAY;
const advance = (ms: number) => { clock += ms; };

const sign = (claims: { sub: string; name: string; [k: string]: unknown }) => server.sign('alpha', claims, { expiresIn: 3600 });
const mia = () => sign({ sub: 'mia', name: 'Mia Member' });
const neuro = () => sign({ sub: 'neuro', name: 'Dr Nora Neuro', professional: { profession: 'Neurologist' } });
const anna = () => sign({ sub: 'anna', name: 'Anna Acme', affiliation: { company: 'acme', jobTitle: 'Medical Information Lead' } });
const ben = () => sign({ sub: 'ben', name: 'Ben Acme', affiliation: { company: 'acme', jobTitle: 'Patient Liaison' } });
const olga = () => sign({ sub: 'olga', name: 'Olga Other', affiliation: { company: 'other', jobTitle: 'Nurse Advisor' } });
const fran = () => sign({ sub: 'fran', name: 'Fran Figures', affiliation: { company: 'figco', jobTitle: 'Nurse Advisor' } });
const moderator = () => sign({ sub: 'mod-sub', name: 'Mo Moderator' });
const admin = () => sign({ sub: 'admin-sub', name: 'Ada Admin' });

async function post(token: Promise<string>, body: Record<string, unknown>) {
  return http(`${fx.api}/posts`, { token: await token, body: { idempotencyKey: key(), ...body } });
}
async function ok(token: Promise<string>, body: Record<string, unknown>) {
  const res = await post(token, body);
  if (res.status !== 201) throw new Error(`post failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.post;
}
const desk = async (token: Promise<string>, company = 'acme', query = '') => http(`${fx.api}/companies/${company}/desk${query}`, { token: await token });
const call = async (token: Promise<string>, method: string, path: string, body?: unknown) => http(`${fx.api}${path}`, { method, token: await token, body });

beforeAll(async () => {
  server = await startTestServer({ now: () => new Date(clock) });
  fx = await setUpIdentity(server); // Acme Pharma (Rememba, memantinol) and Other Devices
  // Sign every staff member in once, so they are verified staff of their company.
  for (const t of [anna(), ben(), olga()]) await http(`${fx.api}/me`, { token: await t });
});
afterAll(async () => server?.close());

describe('addressing a question to a company', () => {
  it('stores and shows "Question to Acme Pharma" on the post, in pages and to every reader', async () => {
    const topic = `ask-${key()}`;
    const q = await ok(mia(), { topic, body: 'Does Rememba interact with grapefruit?', questionTo: 'acme' });
    expect(q.question).toEqual({ company: { id: 'acme', name: 'Acme Pharma' }, status: 'open', askedAt: q.createdAt });
    const page = await http(`${fx.api}/topics/${topic}/posts`);
    expect(page.body.posts.find((p: any) => p.id === q.id).question.status).toBe('open');
    // A reply may be a question too, and a professional may ask.
    const reply = await ok(neuro(), { topic, parent: q.id, body: 'And with donepezil?', questionTo: 'acme' });
    expect(reply.question.company.id).toBe('acme');
  });

  it('refuses staff asking a company, an unknown company, and readers', async () => {
    const topic = `ask-${key()}`;
    const staffAsks = await post(olga(), { topic, body: 'Acme, what about X?', questionTo: 'acme' });
    expect(staffAsks.status).toBe(403);
    expect(staffAsks.body.error.code).toBe('forbidden');
    const unknown = await post(mia(), { topic, body: 'Hello?', questionTo: 'nobody' });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.code).toBe('validation_failed');
    const bad = await post(mia(), { topic, body: 'Hello?', questionTo: 'Not An Id!' });
    expect(bad.status).toBe(400);
    const reader = await http(`${fx.api}/posts`, { body: { topic, body: 'Hi?', idempotencyKey: key(), questionTo: 'acme' } });
    expect(reader.status).toBe(401);
  });

  it('accepts questionTo over the socket too', async () => {
    const socket = connect(server.url, { site: 'alpha', token: await mia() }, { origin: ORIGIN });
    await connected(socket);
    const ack: any = await socket.emitWithAck('post:create', { topic: `ask-${key()}`, body: 'Is there a patient leaflet?', idempotencyKey: key(), questionTo: 'acme' });
    socket.close();
    expect(ack.post.question.status).toBe('open');
  });
});

describe('answering', () => {
  it('a reply by the company’s verified staff anywhere beneath the question answers it, with name, role and wait', async () => {
    const topic = `answer-${key()}`;
    const q = await ok(mia(), { topic, body: 'When is Rememba covered by insurance?', questionTo: 'acme' });
    const revBefore = q.rev;
    advance(2 * DAY + 3 * HOUR);
    const nurse = await ok(neuro(), { topic, parent: q.id, body: 'Good question, I wonder too.' });
    // Another company's staff do not answer it.
    await ok(olga(), { topic, parent: nurse.id, body: 'Not for me to say.' });
    expect((await http(`${fx.api}/posts/${q.id}`)).body.post.question.status).toBe('open');
    const answer = await ok(anna(), { topic, parent: nurse.id, body: 'From March, in most regions.' });
    const after = (await http(`${fx.api}/posts/${q.id}`)).body.post;
    expect(after.question).toMatchObject({
      status: 'answered',
      answer: { postId: answer.id, authorName: 'Anna Acme', jobTitle: 'Medical Information Lead', companyName: 'Acme Pharma', waitedHours: 51 },
    });
    expect(after.rev).toBeGreaterThan(revBefore);
    // Catch-up after a reconnect carries the change.
    const changes = await http(`${fx.api}/topics/${topic}/changes?since=${answer.rev}`);
    expect(changes.body.posts.map((p: any) => p.id)).toContain(q.id);
  });

  it('staff may link a reply of theirs elsewhere; never an earlier one, someone else’s, or close it without an answer', async () => {
    const topic = `link-${key()}`;
    const early = await ok(ben(), { topic: `faq-${key()}`, body: 'Our FAQ on Rememba dosing.' });
    advance(HOUR);
    const q = await ok(mia(), { topic, body: 'How do I split the Rememba dose?', questionTo: 'acme' });
    const path = `/companies/acme/questions/${q.id}/answer`;
    expect((await call(ben(), 'POST', path, { answerPostId: early.id })).status).toBe(400);
    const memberPost = await ok(mia(), { topic, body: 'Answering myself.' });
    expect((await call(ben(), 'POST', path, { answerPostId: memberPost.id })).status).toBe(400);
    expect((await call(mia(), 'POST', path, { answerPostId: memberPost.id })).status).toBe(403);
    expect((await call(olga(), 'POST', path, { answerPostId: memberPost.id })).status).toBe(403);
    expect((await call(ben(), 'POST', path, {})).status).toBe(400);
    advance(HOUR);
    const reply = await ok(ben(), { topic: `faq-${key()}`, body: 'Dose splitting explained: ask your pharmacist.' });
    const done = await call(ben(), 'POST', path, { answerPostId: reply.id });
    expect(done.status).toBe(200);
    expect(done.body.post.question).toMatchObject({ status: 'answered', answer: { postId: reply.id, authorName: 'Ben Acme', waitedHours: 1 } });
    const again = await call(anna(), 'POST', path, { answerPostId: reply.id });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('question_conflict');
  });
});

describe('a removed answer', () => {
  it('answers nobody: the moderators’ removal reopens the question, and its author may link another', async () => {
    const topic = `removed-${key()}`;
    const q = await ok(mia(), { topic, body: 'Where do I report a problem with the Rememba pen?', questionTo: 'acme' });
    const answer = await ok(anna(), { topic, parent: q.id, body: 'Ask your pharmacist, they know everything.' });
    expect((await http(`${fx.api}/posts/${q.id}`)).body.post.question.status).toBe('answered');
    const removal = await call(moderator(), 'POST', '/moderation/actions', {
      type: 'remove', postId: answer.id, ruleId: 'R1', reason: 'Misleading', facts: 'The reply sends members away with a misleading claim.',
    });
    expect(removal.status).toBe(201);
    const reopened = (await http(`${fx.api}/posts/${q.id}`)).body.post;
    expect(reopened.question.status).toBe('open');
    expect(reopened.question.answer).toBeUndefined();
    expect((await desk(ben())).body.openQuestions.map((d: any) => d.post.id)).toContain(q.id);
    const better = await ok(ben(), { topic, parent: q.id, body: 'Please use the national reporting scheme; the link is in the leaflet.' });
    expect((await http(`${fx.api}/posts/${q.id}`)).body.post.question.answer.postId).toBe(better.id);
  });
});

describe('claims', () => {
  it('are visible to colleagues and moderators, refused to a second colleague, and lapse after the site’s hours', async () => {
    const q = await ok(mia(), { topic: `claim-${key()}`, body: 'Is there a Rememba helpline at weekends?', questionTo: 'acme' });
    const path = `/companies/acme/questions/${q.id}/claim`;
    const claimed = await call(anna(), 'POST', path);
    expect(claimed.status).toBe(200);
    expect(claimed.body.claim.by).toBe('Anna Acme');
    const seenByBen = (await desk(ben())).body.openQuestions.find((d: any) => d.post.id === q.id);
    expect(seenByBen.claim).toMatchObject({ by: 'Anna Acme' });
    const seenByMod = (await desk(moderator())).body.openQuestions.find((d: any) => d.post.id === q.id);
    expect(seenByMod.claim.by).toBe('Anna Acme');
    const second = await call(ben(), 'POST', path);
    expect(second.status).toBe(409);
    expect((await call(ben(), 'DELETE', path)).status).toBe(403);
    // Claims are not public: the post carries nothing of them.
    expect(JSON.stringify((await http(`${fx.api}/posts/${q.id}`)).body)).not.toContain('Anna Acme');

    advance(24 * HOUR + 1000);
    expect((await desk(ben())).body.openQuestions.find((d: any) => d.post.id === q.id).claim).toBeNull();
    expect((await call(ben(), 'POST', path)).status).toBe(200);
    expect((await call(ben(), 'DELETE', path)).status).toBe(200);
    expect((await desk(anna())).body.openQuestions.find((d: any) => d.post.id === q.id).claim).toBeNull();
    expect((await call(ben(), 'DELETE', path)).status).toBe(404);
  });

  it('last as long as the admin sets, within limits', async () => {
    expect((await call(mia(), 'PUT', '/admin/desk', { claimHours: 2 })).status).toBe(403);
    expect((await call(admin(), 'PUT', '/admin/desk', { claimHours: 0 })).status).toBe(400);
    expect((await call(admin(), 'PUT', '/admin/desk', { claimHours: 2 })).body).toEqual({ claimHours: 2 });
    const q = await ok(mia(), { topic: `claim-${key()}`, body: 'Can I travel with Rememba?', questionTo: 'acme' });
    const claim = (await call(anna(), 'POST', `/companies/acme/questions/${q.id}/claim`)).body.claim;
    expect(Date.parse(claim.expiresAt) - Date.parse(claim.since)).toBe(2 * HOUR);
    expect((await desk(anna())).body.claimHours).toBe(2);
    advance(2 * HOUR);
    expect((await desk(anna())).body.openQuestions.find((d: any) => d.post.id === q.id).claim).toBeNull();
    await call(admin(), 'PUT', '/admin/desk', { claimHours: 24 });
  });

  it('are refused on another company’s questions and on closed ones', async () => {
    const q = await ok(mia(), { topic: `claim-${key()}`, body: 'Other Devices, is the pen recyclable?', questionTo: 'other' });
    expect((await call(anna(), 'POST', `/companies/other/questions/${q.id}/claim`)).status).toBe(403);
    expect((await call(anna(), 'POST', `/companies/acme/questions/${q.id}/claim`)).status).toBe(404);
    expect((await call(moderator(), 'POST', `/companies/other/questions/${q.id}/claim`)).status).toBe(403);
  });
});

describe('out of scope', () => {
  it('a moderator marks a question out of scope with a public reason in the audit log; staff and members cannot', async () => {
    const q = await ok(mia(), { topic: `scope-${key()}`, body: 'Acme, what do you think of the election?', questionTo: 'acme' });
    const path = `/moderation/questions/${q.id}/out-of-scope`;
    expect((await call(anna(), 'POST', path, { reason: 'Not about our products' })).status).toBe(403);
    expect((await call(mia(), 'POST', path, { reason: 'Changed my mind' })).status).toBe(403);
    expect((await call(moderator(), 'POST', path, { reason: '' })).status).toBe(400);
    expect((await call(moderator(), 'POST', path, { reason: 'x'.repeat(501) })).status).toBe(400);
    const marked = await call(moderator(), 'POST', path, { reason: 'Politics, not a question the company can answer.' });
    expect(marked.status).toBe(200);
    const note = marked.body.post.question;
    expect(note.status).toBe('out-of-scope');
    expect(note.outOfScope.reason).toBe('Politics, not a question the company can answer.');
    expect(typeof note.outOfScope.logIndex).toBe('number');
    const entry = await http(`${fx.api}/log/entries/${note.outOfScope.logIndex}`);
    expect(JSON.stringify(entry.body)).toContain('question.out-of-scope');
    expect((await desk(anna())).body.openQuestions.map((d: any) => d.post.id)).not.toContain(q.id);
    // A staff reply later does not turn it into an answer.
    await ok(anna(), { topic: q.topic, parent: q.id, body: 'We stay out of politics.' });
    expect((await http(`${fx.api}/posts/${q.id}`)).body.post.question.status).toBe('out-of-scope');
    expect((await call(moderator(), 'POST', path, { reason: 'Again' })).status).toBe(409);
  });
});

describe('the desk', () => {
  it('opens only for that company’s verified staff, and read-only for moderators and admins', async () => {
    expect((await http(`${fx.api}/companies/acme/desk`)).status).toBe(401);
    expect((await desk(mia())).status).toBe(403);
    expect((await desk(neuro())).status).toBe(403);
    expect((await desk(olga())).status).toBe(403);
    expect((await desk(olga(), 'other')).status).toBe(200);
    const asStaff = await desk(anna());
    expect(asStaff.status).toBe(200);
    expect(asStaff.body.canAct).toBe(true);
    const asModerator = await desk(moderator());
    expect(asModerator.status).toBe(200);
    expect(asModerator.body.canAct).toBe(false);
    expect((await desk(admin())).body.canAct).toBe(false);
    expect((await desk(moderator(), 'nobody')).status).toBe(404);
    expect((await desk(anna(), 'acme', '?product=Nonexistent')).status).toBe(400);
    expect((await desk(anna(), 'acme', '?colour=red')).status).toBe(400);
  });

  it('lists open questions oldest first with their wait, mentions newest first, and filters by product and topic', async () => {
    const topic = `desk-${key()}`;
    const first = await ok(mia(), { topic, body: 'Does Rememba cause dizziness in the first weeks?', questionTo: 'acme' });
    advance(5 * HOUR);
    const second = await ok(neuro(), { topic: `${topic}-b`, body: 'Is there data for patients over 85?', questionTo: 'acme' });
    advance(HOUR);
    const mention = await ok(mia(), { topic, body: 'My father takes memantinol and sleeps better; Acme Pharma’s leaflet helped.' });
    await ok(anna(), { topic, body: 'Rememba leaflets are at the clinic.' }); // staff posts are not mentions

    const all = (await desk(anna())).body;
    const ids = all.openQuestions.map((d: any) => d.post.id);
    expect(ids.indexOf(first.id)).toBeLessThan(ids.indexOf(second.id));
    const entry = all.openQuestions.find((d: any) => d.post.id === first.id);
    expect(entry.waitedHours).toBe(6);
    expect(entry.topic.id).toBe(topic);
    expect(entry.products).toEqual(['Rememba']);
    expect(all.mentions[0].post.id).toBe(mention.id);
    expect(all.mentions[0].names).toEqual(expect.arrayContaining(['Acme Pharma', 'Rememba']));
    expect(all.mentions.every((m: any) => !m.post.author.affiliation)).toBe(true);
    expect(all.mentions.length).toBeLessThanOrEqual(50);
    expect(all.company).toEqual({ id: 'acme', name: 'Acme Pharma', products: ['Rememba'] });
    expect(all.presence.companyId).toBe('acme');
    expect(Array.isArray(all.safetyFlags)).toBe(true);

    const byTopic = (await desk(anna(), 'acme', `?topic=${topic}-b`)).body;
    expect(byTopic.openQuestions.map((d: any) => d.post.id)).toEqual([second.id]);
    expect(byTopic.mentions).toEqual([]);
    const byProduct = (await desk(anna(), 'acme', '?product=rememba')).body;
    expect(byProduct.openQuestions.map((d: any) => d.post.id)).toContain(first.id);
    expect(byProduct.openQuestions.map((d: any) => d.post.id)).not.toContain(second.id);
  });

  it('shows safety flags about the company’s products with their forward status', async () => {
    const flagged = await ok(mia(), { topic: `safety-${key()}`, body: 'Since starting Rememba I have had terrible headaches and vomiting.' });
    const flags = (await desk(anna())).body.safetyFlags;
    const flag = flags.find((f: any) => f.postId === flagged.id);
    expect(flag).toBeDefined();
    expect(flag.forward).toBeNull();
    expect((await desk(olga(), 'other')).body.safetyFlags.find((f: any) => f.postId === flagged.id)).toBeUndefined();
  });
});

describe('figures and the pledge', () => {
  it('public figures over 12 weeks match a synthetic history, next to the approved pledge', async () => {
    // A company registered for this history. Two answered (10 h, 60 h), one out of scope, one open;
    // one answered 14 weeks ago falls outside the window.
    const figco = { id: 'figco', legalName: 'Figures Co', displayName: 'Figures Co', emailDomains: ['figco.example'], products: [] };
    expect((await call(admin(), 'PUT', '/admin/companies/figco', figco)).status).toBeLessThan(300);
    const topic = `figures-${key()}`;
    const old = await ok(mia(), { topic, body: 'Old question about the pen?', questionTo: 'figco' });
    advance(HOUR);
    await ok(fran(), { topic, parent: old.id, body: 'Old answer.' });
    advance(14 * 7 * DAY);
    const a = await ok(mia(), { topic, body: 'Is the pen needle reusable?', questionTo: 'figco' });
    const b = await ok(neuro(), { topic, body: 'Does the pen work with gloves?', questionTo: 'figco' });
    const c = await ok(mia(), { topic, body: 'What about the weather?', questionTo: 'figco' });
    const d = await ok(mia(), { topic, body: 'Is there a left-handed pen?', questionTo: 'figco' });
    await call(moderator(), 'POST', `/moderation/questions/${c.id}/out-of-scope`, { reason: 'Not about the company.' });
    advance(10 * HOUR);
    await ok(fran(), { topic, parent: a.id, body: 'No, single use only.' });
    advance(50 * HOUR);
    await ok(fran(), { topic, parent: b.id, body: 'Yes, with thin gloves.' });
    advance(40 * HOUR); // d has waited 100 hours

    // The pledge: proposed by staff (pending, not public), approved by an admin (public, logged).
    expect((await call(mia(), 'PUT', '/companies/figco/pledge', { text: 'We answer within 2 days', answerWithinDays: 2 })).status).toBe(403);
    expect((await call(fran(), 'PUT', '/companies/figco/pledge', { text: 'We answer within 2 days', answerWithinDays: 31 })).status).toBe(400);
    expect((await call(fran(), 'PUT', '/companies/figco/pledge', { text: 'x'.repeat(201), answerWithinDays: 2 })).status).toBe(400);
    expect((await call(fran(), 'PUT', '/companies/acme/pledge', { text: 'We answer within 2 days', answerWithinDays: 2 })).status).toBe(403);
    const proposed = await call(fran(), 'PUT', '/companies/figco/pledge', { text: 'We answer within 2 working days', answerWithinDays: 2 });
    expect(proposed.status).toBe(200);
    expect((await http(`${fx.api}/companies/figco`)).body.pledge).toBeNull();
    expect((await desk(fran(), 'figco')).body.pendingPledge.text).toBe('We answer within 2 working days');
    expect((await call(fran(), 'POST', '/admin/companies/figco/pledge', { approve: true })).status).toBe(403);
    expect((await call(moderator(), 'POST', '/admin/companies/figco/pledge', { approve: true })).status).toBe(403);
    const approved = await call(admin(), 'POST', '/admin/companies/figco/pledge', { approve: true });
    expect(approved.status).toBe(200);
    expect(approved.body.pendingPledge).toBeNull();
    expect((await call(admin(), 'POST', '/admin/companies/figco/pledge', { approve: true })).status).toBe(404);

    const info = (await http(`${fx.api}/companies/figco`)).body;
    expect(info.pledge).toMatchObject({ text: 'We answer within 2 working days', answerWithinDays: 2 });
    expect(typeof info.pledge.approvedAt).toBe('string');
    expect(info.questions).toEqual({
      windowWeeks: 12, open: 1, oldestWaitHours: 100, answeredShare: 0.67, medianAnswerHours: 35, withinPledgeShare: 0.33,
      asked: 4, answered: 2, outOfScope: 1,
    });
    // The register shows the same figures, and the desk too.
    const register = (await http(`${fx.api}/companies`)).body;
    expect(register.companies.find((c: any) => c.id === 'figco').questions).toEqual(info.questions);
    expect((await desk(fran(), 'figco')).body.figures).toEqual(info.questions);
  });

  it('an admin may refuse a proposal; the approved pledge stays', async () => {
    await call(fran(), 'PUT', '/companies/figco/pledge', { text: 'We answer within 1 day', answerWithinDays: 1 });
    const refused = await call(admin(), 'POST', '/admin/companies/figco/pledge', { approve: false, reason: 'Too ambitious for your team.' });
    expect(refused.status).toBe(200);
    expect(refused.body.pendingPledge).toBeNull();
    expect(refused.body.pledge.answerWithinDays).toBe(2);
  });
});

describe('live', () => {
  it('desk:join lets the company’s staff and moderators follow the desk; a new question, claim and answer arrive', async () => {
    const staffSocket = connect(server.url, { site: 'alpha', token: await ben() }, { origin: ORIGIN });
    const modSocket = connect(server.url, { site: 'alpha', token: await moderator() }, { origin: ORIGIN });
    const memberSocket = connect(server.url, { site: 'alpha', token: await mia() }, { origin: ORIGIN });
    const otherSocket = connect(server.url, { site: 'alpha', token: await olga() }, { origin: ORIGIN });
    try {
      await Promise.all([staffSocket, modSocket, memberSocket, otherSocket].map(connected));
      expect(await staffSocket.emitWithAck('desk:join', { company: 'acme' })).toEqual({ ok: true, company: 'acme' });
      expect(await modSocket.emitWithAck('desk:join', { company: 'acme' })).toEqual({ ok: true, company: 'acme' });
      expect(((await memberSocket.emitWithAck('desk:join', { company: 'acme' })) as any).error.code).toBe('forbidden');
      expect(((await otherSocket.emitWithAck('desk:join', { company: 'acme' })) as any).error.code).toBe('forbidden');
      expect(((await staffSocket.emitWithAck('desk:join', { company: 'Bad Id' })) as any).error.code).toBe('validation_failed');

      const staffEvents = nextEvents(staffSocket, 'desk:updated', 3);
      const modEvents = nextEvents(modSocket, 'desk:updated', 1);
      const q = await ok(mia(), { topic: `live-${key()}`, body: 'Is Rememba safe with alcohol?', questionTo: 'acme' });
      await call(ben(), 'POST', `/companies/acme/questions/${q.id}/claim`);
      await ok(ben(), { topic: q.topic, parent: q.id, body: 'Please avoid alcohol; ask your doctor.' });
      expect(await staffEvents).toEqual([
        { company: 'acme', postId: q.id, reason: 'question' },
        { company: 'acme', postId: q.id, reason: 'claimed' },
        { company: 'acme', postId: q.id, reason: 'answered' },
      ]);
      expect((await modEvents)[0]).toEqual({ company: 'acme', postId: q.id, reason: 'question' });
    } finally {
      for (const s of [staffSocket, modSocket, memberSocket, otherSocket]) s.close();
    }
  });

  it('readers of the topic see the question answered without reload (post:updated)', async () => {
    const topic = `live-${key()}`;
    const q = await ok(mia(), { topic, body: 'Any news on the Rememba patch?', questionTo: 'acme' });
    const reader = connect(server.url, { site: 'alpha' }, { origin: ORIGIN });
    try {
      await connected(reader);
      await reader.emitWithAck('topic:join', { topic });
      const updated = nextEvents<any>(reader, 'post:updated', 1);
      await ok(anna(), { topic, parent: q.id, body: 'Expected next year.' });
      const [{ post }] = await updated;
      expect(post.id).toBe(q.id);
      expect(post.question.status).toBe('answered');
    } finally {
      reader.close();
    }
  });
});

describe('the demo', () => {
  it('seeds two journeys with Novacura questions open and answered, a neurologist and a nurse, and an approved pledge', async () => {
    const { demoPlugin } = await import('../../demo/plugin.js');
    const demo = await startTestServer({ plugins: [demoPlugin()] });
    try {
      const api = `${demo.url}/api/sites/demo`;
      const card = (await http(`${api}/companies/novacura`)).body;
      expect(card.pledge).toMatchObject({ answerWithinDays: 3 });
      expect(card.questions).toMatchObject({ windowWeeks: 12, open: 3, answered: 3, asked: 6 });
      expect(card.questions.oldestWaitHours).toBeGreaterThan(24 * 30);
      const journey = (await http(`${api}/topics/journey-starting/posts?order=oldest`)).body.posts;
      const first = journey.find((p: any) => p.question);
      expect(first.question).toMatchObject({ status: 'answered', answer: { authorName: 'Dr. Sarah Lindqvist', jobTitle: 'Medical Science Liaison' } });
      expect(journey.some((p: any) => p.author.professional?.profession === 'Nurse')).toBe(true);
      const signIn = await http(`${demo.url}/demo/api/sign-in`, { body: { persona: 'staff2' } });
      const desk = (await http(`${api}/companies/novacura/desk`, { token: signIn.body.token })).body;
      expect(desk.openQuestions).toHaveLength(3);
      expect(desk.openQuestions.filter((q: any) => q.claim?.by === 'Tom Becker')).toHaveLength(1);
      const member = await http(`${demo.url}/demo/api/sign-in`, { body: { persona: 'carer' } });
      expect((await http(`${api}/companies/novacura/desk`, { token: member.body.token })).status).toBe(403);
    } finally {
      await demo.close();
    }
  });
});
