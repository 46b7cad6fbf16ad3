/** Scripted replies are labelled, not hidden (issue 6): near-duplicate staff posts carry an automated label. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { http } from '../support/clients.js';
import { key, startTestServer, type TestServer } from '../support/server.js';
import { setUpIdentity, type Fixture } from '../support/identity-fixtures.js';

const SCRIPT =
  'Thank you for sharing your experience with us. Memory problems can have many causes. ' +
  'Please talk to your doctor or pharmacist about any side effects you notice. ' +
  'Our medical information line is open on weekdays and can answer questions about our medicines.';
// Same script, sentences reordered, a greeting added and one word changed.
const SCRIPT_EDITED =
  'Dear Maria,\nPlease talk to your doctor or pharmacist about any side effects you notice. ' +
  'Thank you for sharing your experience with us. Memory problems can have many causes. ' +
  'Our medical information line is open on working days and can answer questions about our medicines.';
// Unlike SCRIPT in every sentence.
const NODE_SCRIPT =
  'We are sorry to hear that the injection pen jammed twice last week. Please keep the pen and its batch number. ' +
  'Our device support team can arrange a replacement pen by courier within two working days. ' +
  'Call the number printed on the carton, and mention that you saw this reply in the patient forum.';
const BOILERPLATE =
  'If you are worried about a side effect, contact your doctor, pharmacist or nurse. ' +
  'You can also report side effects directly through the national reporting scheme. ' +
  'By reporting side effects you can help provide more information on the safety of medicines.';

let server: TestServer;
let fx: Fixture;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-scripted-'));
const dbFile = path.join(dir, 'parley.db');

const staffToken = (sub: string, name: string, company = 'acme') =>
  server.sign('alpha', { sub, name, affiliation: { company, jobTitle: 'Medical Advisor' } });
const post = (token: string, body: string, topic: string) =>
  http(`${fx.api}/posts`, { token, body: { topic, body, idempotencyKey: key() } });

beforeAll(async () => {
  // Kept across the restart below (on PostgreSQL the data is a database, not the file).
  server = await startTestServer({ dbFile, keepDatabase: true });
  fx = await setUpIdentity(server);
});
afterAll(async () => {
  await server?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('scripted-reply labels', () => {
  const ids: string[] = [];

  it('labels the second and third near-identical post by staff of the same company, in any topic', async () => {
    const anna = await staffToken('acme-anna', 'Anna Acme');
    const ben = await staffToken('acme-ben', 'Ben Acme');
    const first = await post(anna, SCRIPT, 'sleep');
    expect(first.status).toBe(201);
    expect(first.body.post.scripted).toBeUndefined();
    ids.push(first.body.post.id);

    const second = await post(ben, SCRIPT_EDITED, 'memory');
    expect(second.status).toBe(201);
    expect(second.body.post.scripted).toMatchObject({ count: 2, company: 'Acme Pharma', similarPostIds: [ids[0]] });
    expect(typeof second.body.post.scripted.logIndex).toBe('number');
    ids.push(second.body.post.id);

    const third = await post(anna, SCRIPT, 'diet');
    expect(third.body.post.scripted.count).toBe(3);
    expect(new Set(third.body.post.scripted.similarPostIds)).toEqual(new Set(ids));
    ids.push(third.body.post.id);

    // Visible to anonymous readers, on the page and on the single post.
    const page = await http(`${fx.api}/topics/memory/posts`);
    const seen = page.body.posts.find((p: any) => p.id === ids[1]);
    expect(seen.scripted).toMatchObject({ count: 2, company: 'Acme Pharma', similarPostIds: [ids[0]] });
    const single = await http(`${fx.api}/posts/${ids[2]}`);
    expect(single.body.post.scripted.count).toBe(3);
    // The first post stays unlabelled: it was not a copy when it was written.
    expect((await http(`${fx.api}/posts/${ids[0]}`)).body.post.scripted).toBeUndefined();
  });

  it('does not link identical text by another company, and never labels members', async () => {
    const other = await staffToken('other-olga', 'Olga Other', 'other');
    const byOther = await post(other, SCRIPT, 'sleep');
    expect(byOther.status).toBe(201);
    expect(byOther.body.post.author.affiliation.companyId).toBe('other');
    expect(byOther.body.post.scripted).toBeUndefined();

    const member = await server.sign('alpha', { sub: 'member-mia', name: 'Mia Member' });
    for (const topic of ['sleep', 'memory']) {
      const byMember = await post(member, SCRIPT, topic);
      expect(byMember.status).toBe(201);
      expect(byMember.body.post.scripted).toBeUndefined();
    }
  });

  it('records the label in the public audit log as automated detection', async () => {
    const view = await http(`${fx.api}/log/view?kind=detection.scripted&limit=50`);
    expect(view.status).toBe(200);
    const entry = view.body.entries.find((e: any) => e.leaf.data.postId === ids[1]);
    expect(entry.leaf).toMatchObject({
      kind: 'detection.scripted',
      actor: { type: 'automated', label: 'Scripted-reply detector' },
      data: { postId: ids[1], similarTo: [ids[0]], company: 'acme', automated_detection: true, automated_decision: true },
    });
    expect(entry.leaf.data.similarity).toBeGreaterThanOrEqual(0.6);
    const single = await http(`${fx.api}/posts/${ids[1]}`);
    expect(single.body.post.scripted.logIndex).toBe(entry.index);
  });

  it('does not count the site’s required boilerplate', async () => {
    const denied = await http(`${fx.api}/admin/boilerplate`, { method: 'PUT', token: fx.moderatorToken, body: { texts: [BOILERPLATE] } });
    expect(denied.status).toBe(403);
    const tooMany = await http(`${fx.api}/admin/boilerplate`, { method: 'PUT', token: fx.adminToken, body: { texts: Array(21).fill('x') } });
    expect(tooMany.status).toBe(400);
    const tooLong = await http(`${fx.api}/admin/boilerplate`, { method: 'PUT', token: fx.adminToken, body: { texts: ['x'.repeat(2001)] } });
    expect(tooLong.status).toBe(400);
    const set = await http(`${fx.api}/admin/boilerplate`, { method: 'PUT', token: fx.adminToken, body: { texts: [BOILERPLATE] } });
    expect(set.status).toBe(200);
    expect(set.body.texts).toEqual([BOILERPLATE]);
    expect((await http(`${fx.api}/admin/boilerplate`, { token: fx.adminToken })).body.texts).toEqual([BOILERPLATE]);

    const carl = await staffToken('acme-carl', 'Carl Acme');
    const first = await post(carl, `Good question, Jan, I hope your appointment goes well.\n\n${BOILERPLATE}`, 'boiler-1');
    const second = await post(carl, `Sorry to hear the nights are hard, please look after yourself.\n\n${BOILERPLATE}`, 'boiler-2');
    const onlyBoilerplate = await post(carl, BOILERPLATE, 'boiler-3');
    for (const r of [first, second, onlyBoilerplate]) {
      expect(r.status).toBe(201);
      expect(r.body.post.scripted).toBeUndefined();
      // Said plainly instead: the post carries the site's standard safety information.
      expect(r.body.post.standardSafetyInfo).toBe(true);
    }
    // The same on every read, and never on posts without the boilerplate or by members.
    const page = await http(`${fx.api}/topics/boiler-1/posts`);
    expect(page.body.posts[0].standardSafetyInfo).toBe(true);
    const plain = await post(carl, 'Our helpline is open on weekdays from nine to five for questions about the clinic visits.', 'boiler-4');
    expect(plain.body.post.standardSafetyInfo).toBeUndefined();
    const member = await server.sign('alpha', { sub: 'member-bo', name: 'Bo Member' });
    const quoted = await post(member, `Someone told me this: ${BOILERPLATE}`, 'boiler-5');
    expect(quoted.body.post.standardSafetyInfo).toBeUndefined();
  });

  it('lets site admins, and only them, set the threshold and the promotion rule; the change is logged', async () => {
    const url = `${fx.api}/admin/authenticity`;
    expect((await http(url, { token: fx.adminToken })).body).toEqual({ scriptedThreshold: 0.6, promotionRule: 'R4' });
    expect((await http(url, { method: 'PUT', token: fx.moderatorToken, body: { scriptedThreshold: 0.7 } })).status).toBe(403);
    for (const body of [{ scriptedThreshold: 0.1 }, { scriptedThreshold: 1 }, { scriptedThreshold: '0.7' }, { promotionRule: 'R999' }, { promotionRule: 'no' }, { other: 1 }]) {
      const refused = await http(url, { method: 'PUT', token: fx.adminToken, body });
      expect(refused.status, JSON.stringify(body)).toBe(400);
      expect(refused.body.error.code).toBe('validation_failed');
    }
    const set = await http(url, { method: 'PUT', token: fx.adminToken, body: { scriptedThreshold: 0.75, promotionRule: 'R5' } });
    expect(set.status).toBe(200);
    expect(set.body).toEqual({ scriptedThreshold: 0.75, promotionRule: 'R5' });
    const dana = await staffToken('acme-dana-2', 'Dana Two');
    expect((await http(`${fx.api}/staff/check-text`, { token: dana, body: { topic: 'new', body: 'Anything at all to check here.' } })).body.threshold).toBe(0.75);
    const log = await http(`${fx.api}/log/view?kind=settings.authenticity`);
    expect(log.body.entries[0].leaf.data).toMatchObject({ scriptedThreshold: 0.75, promotionRule: 'R5' });
    // Back to the defaults for the tests that follow.
    expect((await http(url, { method: 'PUT', token: fx.adminToken, body: { scriptedThreshold: 0.6, promotionRule: 'R4' } })).status).toBe(200);
  });

  it('lets staff check text before posting, and refuses members and readers', async () => {
    const dana = await staffToken('acme-dana', 'Dana Acme');
    const warned = await http(`${fx.api}/staff/check-text`, { token: dana, body: { topic: 'new', body: SCRIPT_EDITED } });
    expect(warned.status).toBe(200);
    expect(warned.body.threshold).toBe(0.6);
    expect(warned.body.similar.count).toBe(3);
    expect(new Set(warned.body.similar.postIds)).toEqual(new Set(ids));
    const fresh = await http(`${fx.api}/staff/check-text`, {
      token: dana, body: { topic: 'new', body: 'We are running a new study on sleep quality in people living with dementia and their carers this spring.' },
    });
    expect(fresh.body.similar).toEqual({ count: 0, postIds: [] });
    const empty = await http(`${fx.api}/staff/check-text`, { token: dana, body: { topic: 'new', body: '   ' } });
    expect(empty.status).toBe(400);

    const member = await server.sign('alpha', { sub: 'member-mia', name: 'Mia Member' });
    expect((await http(`${fx.api}/staff/check-text`, { token: member, body: { topic: 'new', body: SCRIPT } })).status).toBe(403);
    expect((await http(`${fx.api}/staff/check-text`, { body: { topic: 'new', body: SCRIPT } })).status).toBe(401);
  });

  it('honours the per-site threshold', async () => {
    await server.store.setSetting('alpha', 'scripted-threshold', '0.99');
    try {
      const dana = await staffToken('acme-dana', 'Dana Acme');
      const checked = await http(`${fx.api}/staff/check-text`, { token: dana, body: { topic: 'new', body: SCRIPT_EDITED } });
      expect(checked.body.threshold).toBe(0.99);
      expect(checked.body.similar.postIds).toContain(ids[1]); // the very same text
      expect(checked.body.similar.postIds).not.toContain(ids[0]); // an edited copy, below 0.99
    } finally {
      await server.store.setSetting('alpha', 'scripted-threshold', '0.6');
    }
  });

  it('counts staff posts another node stored after this one built its index (several nodes, one database)', async () => {
    // A second server on the same database, its index built now, before the post below exists.
    const other = await startTestServer({ dbFile, databaseUrl: server.databaseUrl, keepDatabase: true });
    try {
      const anna = await staffToken('acme-anna', 'Anna Acme');
      const ben = await staffToken('acme-ben', 'Ben Acme');
      const first = await post(anna, NODE_SCRIPT, 'node-one');
      expect(first.status).toBe(201);
      expect(first.body.post.scripted).toBeUndefined();
      const copy = await http(`${other.url}/api/sites/alpha/posts`, { token: ben, body: { topic: 'node-two', body: NODE_SCRIPT, idempotencyKey: key() } });
      expect(copy.status).toBe(201);
      expect(copy.body.post.scripted).toMatchObject({ count: 2, similarPostIds: [first.body.post.id] });
    } finally {
      await other.close();
    }
  });

  it('keeps labels and rebuilds the index from the database after a restart', async () => {
    await server.close();
    server = await startTestServer({ dbFile, databaseUrl: server.databaseUrl });
    fx = { ...fx, api: `${server.url}/api/sites/alpha` };
    const kept = await http(`${fx.api}/posts/${ids[1]}`);
    expect(kept.body.post.scripted).toMatchObject({ count: 2, similarPostIds: [ids[0]] });
    const ben = await staffToken('acme-ben', 'Ben Acme');
    const after = await post(ben, SCRIPT_EDITED, 'after-restart');
    expect(after.body.post.scripted.count).toBe(4);
    expect(new Set(after.body.post.scripted.similarPostIds)).toEqual(new Set(ids));
  });
});
