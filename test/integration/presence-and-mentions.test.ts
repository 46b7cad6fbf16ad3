/**
 * Authenticity signals (issue 6) against a real server and SQLite: a company's presence over
 * time (weekly series, replies to patients and carers, median time to answer, steadiness), the
 * plain product mention on staff posts, and the staff composer's pre-check (similar text,
 * prescription-only reminder with the site's rule on promotion).
 *
 * The server runs on an injected clock so that a synthetic history of twenty weeks can be
 * written through the ordinary API; the clock only moves forward and stays at or before the
 * real time. Host tokens are minted on the server's clock at each step of the history (a host
 * token lives 12 hours at most), as the host site would sign its members in at the time.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { weekStartOf } from '../../moderation/detectors/index.js';
import { http } from '../support/clients.js';
import { key, startTestServer, type TestServer } from '../support/server.js';
import { OTHER, setUpIdentity, type Fixture } from '../support/identity-fixtures.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const WEEK = 7 * DAY;

let server: TestServer;
let fx: Fixture;
let clock = 0;
const realNow = Date.now();
/** Monday of the first week of the history: the current week is W0 + 20 weeks. */
const W0 = weekStartOf(realNow) - 20 * WEEK;

const staff = (sub: string, name: string, company = 'acme') =>
  server.sign('alpha', { sub, name, affiliation: { company, jobTitle: 'Medical Advisor' } }, { expiresIn: 3600 });
const member = (sub: string, name: string) => server.sign('alpha', { sub, name }, { expiresIn: 3600 });
/** Posts with a token, or with a fresh token from `signIn` (minted at the server's time). */
async function post(signIn: string | (() => Promise<string>), topic: string, body: string, parent?: string) {
  const token = typeof signIn === 'string' ? signIn : await signIn();
  const res = await http(`${fx.api}/posts`, { token, body: { topic, body, idempotencyKey: key(), ...(parent ? { parent } : {}) } });
  if (res.status !== 201) throw new Error(`post failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.post;
}

beforeAll(async () => {
  clock = W0 + 2 * DAY + 8 * HOUR; // a Wednesday morning, twenty weeks ago
  server = await startTestServer({ now: () => new Date(clock) });
  fx = await setUpIdentity(server); // registers Acme (Rememba, prescription-only) and Other Devices now
});
afterAll(async () => server?.close());

describe('presence over time', () => {
  const topic = `ask-acme-${Date.now().toString(36)}`;

  beforeAll(async () => {
    // Each post of the history signs its author in at that moment.
    const anna = () => staff('acme-anna', 'Anna Acme');
    const ben = () => staff('acme-ben', 'Ben Acme');
    const olga = () => staff('other-olga', 'Olga Other', 'other');
    const mia = () => member('member-mia', 'Mia Member');
    const jan = () => member('member-jan', 'Jan Member');

    // Events in time order: [time, action]. Each week 0..19: an update by Anna, a question by
    // Mia beneath it an hour later, Ben's answer three hours after the question.
    const events: Array<[number, () => Promise<unknown>]> = [];
    const updates = new Map<number, string>();
    const questions = new Map<number, string>();
    for (let i = 0; i < 20; i++) {
      const wed = W0 + i * WEEK + 2 * DAY + 10 * HOUR;
      events.push([wed, async () => updates.set(i, (await post(anna, topic, `Update ${i} on the support programme, week ${i}.`)).id)]);
      events.push([wed + HOUR, async () => questions.set(i, (await post(mia, topic, `Is week ${i}'s leaflet available in Dutch?`, updates.get(i))).id)]);
      events.push([wed + 4 * HOUR, () => post(ben, topic, `Yes, the week ${i} leaflet is available in Dutch.`, questions.get(i))]);
    }
    // Week 3: Jan starts a thread with a question in the topic Acme takes part in; answered 30 hours later.
    let janQuestion = '';
    events.push([W0 + 3 * WEEK + 3 * DAY + 9 * HOUR, async () => (janQuestion = (await post(jan, topic, 'Does the helpline also take calls from carers?')).id)]);
    events.push([W0 + 3 * WEEK + 4 * DAY + 15 * HOUR, () => post(anna, topic, 'It does, every weekday.', janQuestion)]);
    // Week 5: thanks without a question (a reply to a member, not an answer), then a question nobody answers.
    let thanks = '';
    events.push([W0 + 5 * WEEK + 2 * DAY + 12 * HOUR, async () => (thanks = (await post(jan, topic, 'Thanks, that helps a lot.', updates.get(5))).id)]);
    events.push([W0 + 5 * WEEK + 2 * DAY + 15 * HOUR, () => post(ben, topic, 'You are welcome, Jan.', thanks)]);
    events.push([W0 + 5 * WEEK + 2 * DAY + 16 * HOUR, () => post(jan, topic, 'And is there one for children?', updates.get(5))]);
    // A question in a topic Acme never posted in is not put to Acme.
    events.push([W0 + 6 * WEEK, () => post(jan, `elsewhere-${topic}`, 'Has anyone tried the memory clinic?')]);
    // Other Devices: eight posts in one week (week 12), nothing else.
    for (let k = 0; k < 8; k++) {
      events.push([W0 + 12 * WEEK + DAY + k * HOUR, () => post(olga, `other-${topic}`, `Launch news number ${k} about our new device guide.`)]);
    }
    events.sort((a, b) => a[0] - b[0]);
    for (const [at, run] of events) {
      clock = at;
      await run();
    }
    clock = realNow;
  });

  it('gives the weekly series, replies to members, the median time to answer and a steady classification', async () => {
    const res = await http(`${fx.api}/companies/acme/presence`);
    expect(res.status).toBe(200);
    const p = res.body;
    expect(p).toMatchObject({ site: 'alpha', companyId: 'acme', companyName: 'Acme Pharma', windowWeeks: 52 });
    // From the company's registration (week 0) to the current week.
    expect(p.series).toHaveLength(21);
    expect(p.series[0].weekStart).toBe(new Date(W0).toISOString().slice(0, 10));
    expect(p.series[0]).toMatchObject({ posts: 1, repliesToMembers: 1, answers: 1, total: 2 });
    expect(p.series[3]).toMatchObject({ posts: 1, repliesToMembers: 2, answers: 2, total: 3 });
    expect(p.series[5]).toMatchObject({ posts: 1, repliesToMembers: 2, answers: 1, total: 3 });
    expect(p.series[20]).toMatchObject({ posts: 0, repliesToMembers: 0, answers: 0, total: 0 });
    expect(p.totalActivity).toBe(42);
    expect(p.activeWeeks).toBe(20);
    // 20 answers after 3 hours and one after 30 hours; the question in week 5 is still open.
    expect(p.answeredQuestions).toBe(21);
    expect(p.unansweredQuestions).toBe(1);
    expect(p.medianResponseHours).toBe(3);
    // The busiest ⌈10 % of 21⌉ = 3 weeks hold 3 + 3 + 2 of 42 activities.
    expect(p.busiestWeeks).toBe(3);
    expect(p.burstiness).toBeCloseTo(8 / 42, 3);
    expect(p.classification).toBe('steady');
  });

  it('tells a campaign burst from steady participation', async () => {
    const res = await http(`${fx.api}/companies/other/presence`);
    expect(res.status).toBe(200);
    expect(res.body.series).toHaveLength(21);
    expect(res.body.series[12]).toMatchObject({ posts: 8, repliesToMembers: 0, total: 8 });
    expect(res.body.totalActivity).toBe(8);
    expect(res.body.burstiness).toBe(1);
    expect(res.body.classification).toBe('campaign');
    expect(res.body.medianResponseHours).toBeNull();
    expect(res.body.answeredQuestions).toBe(0);
  });

  it('limits the window to the weeks asked for', async () => {
    const res = await http(`${fx.api}/companies/acme/presence?weeks=4`);
    expect(res.status).toBe(200);
    expect(res.body.windowWeeks).toBe(4);
    expect(res.body.series).toHaveLength(4);
    expect(res.body.series.map((w: any) => w.total)).toEqual([2, 2, 2, 0]);
  });

  it('follows new posts at once (the cache does not hide them)', async () => {
    const before = (await http(`${fx.api}/companies/acme/presence`)).body.series[20].total;
    await post(await staff('acme-anna', 'Anna Acme'), topic, 'A fresh update this week on the support programme.');
    const after = (await http(`${fx.api}/companies/acme/presence`)).body.series[20];
    expect(after.total).toBe(before + 1);
    expect(after.posts).toBe(1);
  });

  it('refuses invalid requests', async () => {
    for (const q of ['weeks=3', 'weeks=105', 'weeks=abc', 'weeks=-1', 'other=1']) {
      const res = await http(`${fx.api}/companies/acme/presence?${q}`);
      expect(res.status, q).toBe(400);
      expect(res.body.error.code).toBe('validation_failed');
    }
    expect((await http(`${fx.api}/companies/Not_A_Company/presence`)).status).toBe(400);
    const missing = await http(`${fx.api}/companies/nobody/presence`);
    expect(missing.status).toBe(404);
    expect(missing.body.error.code).toBe('not_found');
    expect((await http(`${server.url}/api/sites/nosuchsite/companies/acme/presence`)).status).toBe(404);
  });
});

describe('product mentions on posts', () => {
  beforeAll(async () => {
    // Other Devices lists a product that is not prescription-only.
    const res = await http(`${fx.api}/admin/companies/other`, {
      method: 'PUT', token: await server.sign('alpha', { sub: 'admin-sub', name: 'Ada Admin' }), // signed in now, twenty weeks after the fixture
      body: { ...OTHER, products: [{ name: 'Steady Band', inn: [], prescriptionOnly: false }] },
    });
    expect(res.status).toBeLessThan(300);
  });

  it('shows the products a staff post names, by brand or generic name, and never on member posts', async () => {
    const topic = `mentions-${Date.now().toString(36)}`;
    const byStaff = await post(await staff('acme-carla', 'Carla Acme'), topic, 'About memantinol (Rememba): please see the leaflet. The steady band is a different thing.');
    expect(byStaff.productMentions).toEqual([
      { name: 'Rememba', prescriptionOnly: true },
      { name: 'Steady Band', prescriptionOnly: false },
    ]);
    const byMember = await post(await member('member-mia', 'Mia Member'), topic, 'I take Rememba every morning.');
    expect(byMember.productMentions).toBeUndefined();
    const plain = await post(await staff('acme-carla', 'Carla Acme'), topic, 'Our helpline is open every weekday.');
    expect(plain.productMentions).toBeUndefined();

    // The same on the page and on the single post, for anonymous readers.
    const page = await http(`${fx.api}/topics/${topic}/posts`);
    const seen = new Map(page.body.posts.map((p: any) => [p.id, p]));
    expect((seen.get(byStaff.id) as any).productMentions).toEqual(byStaff.productMentions);
    expect((seen.get(byMember.id) as any).productMentions).toBeUndefined();
    expect((await http(`${fx.api}/posts/${byStaff.id}`)).body.post.productMentions[0]).toEqual({ name: 'Rememba', prescriptionOnly: true });
  });
});

describe('the staff composer pre-check', () => {
  const SCRIPT =
    'Thank you for telling us about your experience with the infusion appointments this month. ' +
    'Every person responds differently, so please discuss any change with your specialist nurse. ' +
    'Our patient support line can send you the information pack about the programme.';

  it('warns about similar staff text and reminds of the rule on promotion for prescription-only medicines', async () => {
    const dora = await staff('acme-dora', 'Dora Acme');
    await post(await staff('acme-eric', 'Eric Acme'), `check-${Date.now().toString(36)}`, SCRIPT);
    const res = await http(`${fx.api}/staff/check-text`, { token: dora, body: { topic: 'new', body: `Dear Jan,\n${SCRIPT} Rememba is one option.` } });
    expect(res.status).toBe(200);
    expect(res.body.similar.count).toBe(1);
    expect(res.body.productMentions).toEqual([{ name: 'Rememba', prescriptionOnly: true, companyId: 'acme' }]);
    expect(res.body.promotionRule).toMatchObject({ id: 'R4', version: 1, title: 'No promotion of prescription-only medicines' });
    expect(res.body.promotionRule.text).toContain('not promoted to the public');
    expect(res.body.promotionRule.url).toMatch(/\/api\/sites\/alpha\/rules#R4$/);
    // Nothing was stored: the check is not a post.
    expect((await http(`${fx.api}/topics/new/posts`)).body.posts).toHaveLength(0);
  });

  it('names other products without a reminder, and nothing for plain text', async () => {
    const dora = await staff('acme-dora', 'Dora Acme');
    const device = await http(`${fx.api}/staff/check-text`, { token: dora, body: { topic: 'new', body: 'The Steady Band is sold in pharmacies.' } });
    expect(device.body.productMentions).toEqual([{ name: 'Steady Band', prescriptionOnly: false, companyId: 'other' }]);
    expect(device.body.promotionRule).toBeNull();
    const plain = await http(`${fx.api}/staff/check-text`, { token: dora, body: { topic: 'new', body: 'See you at the carers’ café on Friday.' } });
    expect(plain.body).toMatchObject({ similar: { count: 0, postIds: [] }, productMentions: [], promotionRule: null });
  });

  it('quotes the rule the site names in its settings', async () => {
    await server.store.setSetting('alpha', 'promotion-rule', 'R10');
    try {
      const res = await http(`${fx.api}/staff/check-text`, { token: await staff('acme-dora', 'Dora Acme'), body: { topic: 'new', body: 'Rememba questions welcome.' } });
      expect(res.body.promotionRule.id).toBe('R10');
    } finally {
      await server.store.setSetting('alpha', 'promotion-rule', 'R4');
    }
  });

  it('refuses invalid input, members and readers', async () => {
    const dora = await staff('acme-dora', 'Dora Acme');
    const cases: unknown[] = [{ topic: 'new' }, { topic: 'new', body: 'x'.repeat(10_001) }, { topic: '', body: 'Rememba' }, { topic: 'new', body: 42 }];
    for (const body of cases) {
      const res = await http(`${fx.api}/staff/check-text`, { token: dora, body });
      expect(res.status, JSON.stringify(body).slice(0, 60)).toBe(400);
      expect(res.body.error.code).toBe('validation_failed');
    }
    const asMember = await http(`${fx.api}/staff/check-text`, { token: await member('member-mia', 'Mia Member'), body: { topic: 'new', body: 'Rememba' } });
    expect(asMember.status).toBe(403);
    expect((await http(`${fx.api}/staff/check-text`, { body: { topic: 'new', body: 'Rememba' } })).status).toBe(401);
  });
});
