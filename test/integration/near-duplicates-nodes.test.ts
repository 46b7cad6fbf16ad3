/**
 * Spam waves and scripted replies across two nodes (issues 11 and 16): two real servers on one
 * database (one SQLite file by default; one PostgreSQL database with PARLEY_TEST_DATABASE=postgres),
 * each with its own in-memory near-duplicate indexes, each built BEFORE the posts below exist, so
 * only catching up from the database can make them agree.
 *
 * - A spam wave whose posts alternate between the nodes is held on both.
 * - A staff post edited on node A is recognised as scripted on node B; one removed on node A no
 *   longer counts on node B.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { http } from '../support/clients.js';
import { act, setUpModeration, type ModerationFixture } from '../support/moderation-fixtures.js';
import { key, startTestServer, type TestServer } from '../support/server.js';

let nodeA: TestServer;
let nodeB: TestServer;
let fx: ModerationFixture;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-nodes-'));
const dbFile = path.join(dir, 'parley.db');

const api = (node: TestServer) => `${node.url}/api/sites/alpha`;
const postOn = (node: TestServer, token: string, body: string, topic: string) =>
  http(`${api(node)}/posts`, { token, body: { topic, body, idempotencyKey: key() } });
async function newMember(sub: string, name: string) {
  const token = await nodeA.sign('alpha', { sub, name }, { expiresIn: 3600 });
  const me = await http(`${api(nodeA)}/me`, { token });
  return { token, id: me.body.viewer.id as string };
}
const staffToken = (sub: string, name: string) =>
  nodeA.sign('alpha', { sub, name, affiliation: { company: 'acme', jobTitle: 'Medical Advisor' } });

beforeAll(async () => {
  nodeA = await startTestServer({ dbFile, keepDatabase: true });
  fx = await setUpModeration(nodeA);
  // Node B starts on the same data after the site exists, and builds its indexes at once (below).
  nodeB = await startTestServer({ dbFile, databaseUrl: nodeA.databaseUrl, keepDatabase: true });
});
afterAll(async () => {
  await nodeB?.close();
  // The last one out drops the PostgreSQL database (keepDatabase was only for node B's sake).
  if (nodeA) await nodeA.close();
  if (nodeA?.databaseUrl) {
    const { testPostgres } = await import('../support/postgres.js');
    await (await testPostgres()).dropDatabase(nodeA.databaseUrl);
  }
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('spam waves across nodes', () => {
  it('holds a wave whose posts alternate between two nodes', async () => {
    const settings = await http(`${api(nodeA)}/moderation/holds/settings`, {
      method: 'PUT', token: fx.adminToken, body: { holdFirstPosts: 0, holdLinks: 'off', waveAccounts: 3, waveWindowMinutes: 30 },
    });
    expect(settings.status).toBe(200);
    // Both nodes build their wave index now, before any post of the wave exists.
    const warmA = await newMember('warm-a', 'Warm A');
    const warmB = await newMember('warm-b', 'Warm B');
    expect((await postOn(nodeA, warmA.token, 'Hello everyone, I was diagnosed last month and I am finding my feet.', 'welcome')).body.post.hold).toBeUndefined();
    expect((await postOn(nodeB, warmB.token, 'Hi all, does anyone have tips for sleeping better during treatment?', 'welcome')).body.post.hold).toBeUndefined();

    const text = (n: number) => `Cheap pills without prescription, fast delivery to your door, visit our shop today ${n}`;
    const wave = await Promise.all(['a', 'b', 'c', 'd'].map((s) => newMember(`wave-${s}`, `Wave ${s.toUpperCase()}`)));
    const nodes = [nodeA, nodeB, nodeA, nodeB];
    const answers = [];
    for (const [i, member] of wave.entries()) {
      const answer = await postOn(nodes[i]!, member.token, text(i + 1), 'wave-nodes');
      expect(answer.status).toBe(201);
      answers.push(answer.body.post);
    }
    // Two accounts are not yet a wave; the third (on node A, after the second on node B) is, and so is the fourth on node B.
    expect(answers[0].hold).toBeUndefined();
    expect(answers[1].hold).toBeUndefined();
    expect(answers[2].hold.reasons).toEqual([expect.objectContaining({ kind: 'spam-wave' })]);
    expect(answers[3].hold.reasons).toEqual([expect.objectContaining({ kind: 'spam-wave' })]);

    // The queue (read through either node) has the held posts and the wave's earlier, published ones.
    const queue = await http(`${api(nodeB)}/moderation/queue?topic=wave-nodes`, { token: fx.moderatorToken });
    expect(queue.status).toBe(200);
    const flagged = new Set(queue.body.items.map((item: any) => item.post.id));
    for (const post of answers) expect(flagged.has(post.id)).toBe(true);
    for (const item of queue.body.items) expect(item.reports[0]).toMatchObject({ source: 'automated', detector: 'hold:spam-wave' });
  });
});

// Unlike one another in every sentence.
const ORIGINAL =
  'Thanks for asking about the travel case. It keeps the pens cool for up to twelve hours on a warm day. ' +
  'You can order one free of charge through the patient support programme website or by phone.';
const SCRIPT =
  'Thank you for sharing your experience with us. Tiredness can have many causes during treatment. ' +
  'Please talk to your doctor or nurse about any side effects you notice. ' +
  'Our medical information line is open on weekdays and can answer questions about our medicines.';
const REMOVED_SCRIPT =
  'We are sorry to hear that the injection pen jammed twice last week. Please keep the pen and its batch number. ' +
  'Our device support team can arrange a replacement pen by courier within two working days.';
const UNRELATED =
  'Our next online information evening for carers is on the first Tuesday of the month. ' +
  'A nurse specialist answers questions about travelling with treatment, and a recording is shared afterwards.';

describe('scripted replies across nodes', () => {
  it('recognises on node B a staff post edited on node A, and forgets there one removed on node A', async () => {
    const anna = await staffToken('acme-anna', 'Anna Acme');
    const ben = await staffToken('acme-ben', 'Ben Acme');
    const original = await postOn(nodeA, anna, ORIGINAL, 'pens');
    expect(original.status).toBe(201);
    const toRemove = await postOn(nodeA, anna, REMOVED_SCRIPT, 'pens');
    expect(toRemove.status).toBe(201);
    // Node B catches up now: its index holds both posts as they were first written.
    const warm = await postOn(nodeB, ben, UNRELATED, 'events');
    expect(warm.status).toBe(201);
    expect(warm.body.post.scripted).toBeUndefined();

    // On node A: Anna edits her post into the script; a moderator removes the other one.
    const edited = await http(`${api(nodeA)}/posts/${original.body.post.id}`, { method: 'PATCH', token: anna, body: { body: SCRIPT } });
    expect(edited.status, JSON.stringify(edited.body)).toBe(200);
    expect(edited.body.edited).toBe(true);
    const removed = await act(fx, fx.moderatorToken, {
      type: 'remove', postId: toRemove.body.post.id, ruleId: 'R1', reason: 'Off topic', facts: 'Plain facts about the post, with no personal data.',
    });
    expect(removed.status).toBe(201);

    // On node B: Ben posts the script, and the jammed-pen text again.
    const copy = await postOn(nodeB, ben, SCRIPT, 'tiredness');
    expect(copy.status).toBe(201);
    expect(copy.body.post.scripted).toMatchObject({ count: 2, company: 'Acme Pharma', similarPostIds: [original.body.post.id] });
    const again = await postOn(nodeB, ben, REMOVED_SCRIPT, 'pens');
    expect(again.status).toBe(201);
    expect(again.body.post.scripted).toBeUndefined();

    // Both nodes now answer the same for the same text (the authenticity check before posting).
    const check = (node: TestServer) => http(`${api(node)}/staff/check-text`, { token: anna, body: { topic: 'tiredness', body: SCRIPT } });
    const [onA, onB] = await Promise.all([check(nodeA), check(nodeB)]);
    expect(onA.status).toBe(200);
    expect(new Set(onA.body.similar.postIds)).toEqual(new Set([original.body.post.id, copy.body.post.id]));
    expect(onB.body.similar).toEqual(onA.body.similar);
  });
});
