/** The demo's seeded moderation history: a removal with its tombstone, a label, an appeal reversed by a second moderator. */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { http } from '../support/clients.js';
import { startTestServer, type TestServer } from '../support/server.js';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ demo: true });
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
  for (const report of server.store.allReports('demo')) expect(report.decidedAt! > report.createdAt, report.id).toBe(true);
  // The public log reads in time order too.
  const entries = (await http(`${api}/log/entries?start=0&end=100`)).body.entries as Array<{ at?: string; leaf?: { at: string } }>;
  const times = entries.map((e) => e.at ?? e.leaf!.at);
  expect(times).toEqual([...times].sort());
  const restore = server.store.listActions('demo', { types: ['restore'] })[0]!;
  const remove = server.store.getAction('demo', restore.reverses!)!;
  expect(restore.moderatorId).not.toBe(remove.moderatorId);
  const how = (await http(`${api}/moderation/how-it-works`)).body;
  expect(how.moderators.singleModerator).toBe(false);
});
