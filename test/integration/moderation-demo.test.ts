/**
 * The demo's seeded moderation history: a removal with its tombstone, a label, an appeal reversed
 * by a second moderator. And the demo outbox, which anyone can read, never shows a member's address.
 */
import { SignJWT } from 'jose';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { http } from '../support/clients.js';
import { key, outboxMail, startTestServer, type TestServer } from '../support/server.js';
import { demoPlugin } from '../../demo/plugin.js';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ plugins: [demoPlugin()] });
});
afterAll(async () => server.close());

it('seeds a realistic stretch of moderation', async () => {
  const api = `${server.url}/api/sites/demo`;
  const carers = (await http(`${api}/topics/carers-corner/posts?order=oldest`)).body.posts;
  const tombstone = carers.find((p: any) => p.moderation?.removal);
  expect(tombstone).toMatchObject({ status: 'removed', body: '', moderation: { removal: { ruleId: 'R10', appeal: 'none' } } });
  const restored = carers.find((p: any) => p.body.includes('Nurse Bridget'));
  expect(restored.status).toBe('visible');
  const treatments = (await http(`${api}/topics/new-treatments/posts?order=oldest`)).body.posts;
  expect(treatments.find((p: any) => p.moderation?.labels?.length)?.moderation.labels[0].ruleId).toBe('R5');
  const numbers = (await http(`${api}/transparency`)).body;
  expect(numbers.actions.byType).toMatchObject({ remove: 2, label: 1, restore: 1, 'dismiss-report': 1 });
  expect(numbers.appeals).toMatchObject({ filed: 1, reversed: 1 });
  // The seeded history is in a possible order: every report comes before its decision.
  expect(numbers.reports.medianHoursToDecision).toBeGreaterThan(0);
  for (const report of await server.store.allReports('demo')) expect(report.decidedAt! > report.createdAt, report.id).toBe(true);
  // The public log reads in time order too.
  const entries = (await http(`${api}/log/entries?start=0&end=100`)).body.entries as Array<{ at?: string; leaf?: { at: string } }>;
  const times = entries.map((e) => e.at ?? e.leaf!.at);
  expect(times).toEqual([...times].sort());
  const restore = (await server.store.listActions('demo', { types: ['restore'] }))[0]!;
  const remove = (await server.store.getAction('demo', restore.reverses!))!;
  expect(restore.moderatorId).not.toBe(remove.moderatorId);
  const how = (await http(`${api}/moderation/how-it-works`)).body;
  expect(how.moderators.singleModerator).toBe(false);
});

it("the demo outbox shows mail to the demo's fictional addresses only, never a member's real address", async () => {
  const api = `${server.url}/api/sites/demo`;
  // A member whose host site vouches for a real address (as a real host site's sign-in would).
  const site = (await server.store.getSite('demo'))!;
  const now = Math.floor(Date.now() / 1000);
  const patient = await new SignJWT({ name: 'Pat Jones', email: 'pat.jones@mail.invalid' })
    .setProtectedHeader({ alg: 'HS256' }).setSubject('real-patient').setAudience('demo').setIssuedAt(now).setExpirationTime(now + 600)
    .sign(new TextEncoder().encode(site.secret!));
  const posted = await http(`${api}/posts`, { token: patient, body: { topic: 'carers-corner', body: 'You are all idiots.', idempotencyKey: key() } });
  expect(posted.status).toBe(201);
  // A moderator removes it: the decision's notice is mailed to the member's address.
  const moderator = (await http(`${server.url}/demo/api/sign-in`, { body: { persona: 'moderator' } })).body.token as string;
  const removed = await http(`${api}/moderation/actions`, {
    token: moderator, body: { type: 'remove', postId: posted.body.post.id, ruleId: 'R1', reason: 'Insult', facts: 'Calls members idiots.' },
  });
  expect(removed.status).toBe(201);
  expect(await outboxMail(server.store, 'demo', (m) => m.recipient === 'pat.jones@mail.invalid')).toBeDefined();
  // A company's staff sign-in link goes to a fictional address at novacura.example.
  const link = await http(`${api}/staff/email-link`, {
    body: { email: 'new.person@NovaCura.example', name: 'New Person', jobTitle: 'Medical Advisor', returnUrl: `${server.url}/treatments` },
  });
  expect(link.status).toBe(202);

  const outbox = await http(`${server.url}/demo/api/outbox`);
  expect(outbox.status).toBe(200);
  expect(JSON.stringify(outbox.body)).not.toContain('pat.jones');
  expect(outbox.body.messages[0].recipient).toBe('new.person@novacura.example');
  const recipients: string[] = outbox.body.messages.map((m: { recipient: string }) => m.recipient);
  expect(recipients.every((r) => /@(meadowbrook|novacura|brightwell)\.example$/i.test(r))).toBe(true);
});
