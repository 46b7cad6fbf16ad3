/**
 * A moderation action and its public log entry commit together or not at all (issue #11): an
 * action whose entry cannot be written is not taken, and a post is not removed unlogged.
 * The failure is real: the table the entry's committed values go into is gone.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { http } from '../support/clients.js';
import type { MerkleAuditLog } from '../../server/audit/merkle-audit-log.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { act, postAs, setUpModeration, type ModerationFixture } from '../support/moderation-fixtures.js';

let server: TestServer;
let fx: ModerationFixture;

beforeAll(async () => {
  server = await startTestServer();
  fx = await setUpModeration(server);
});
afterAll(async () => server.close());

it('a removal whose log entry fails is rolled back: the post stays, no action is stored', async () => {
  const member = await server.sign('alpha', { sub: 'atomic-member', name: 'Ann Member' });
  const post = await postAs(fx, member, 'A post a moderator will try to remove.');
  const audit = server.ctx.audit as MerkleAuditLog;
  const sizeBefore = await audit.size('alpha');
  await server.store.database.exec('DROP TABLE audit_sensitive');
  const removal = await act(fx, fx.moderatorToken, {
    type: 'remove', postId: post.id, ruleId: 'R1', reason: 'Insults another member',
    facts: 'The post calls another member names in reply to their question.',
  });
  expect(removal.status).toBe(500);
  const read = await http(`${fx.api}/posts/${post.id}`);
  expect(read.body.post.status).toBe('visible');
  expect(await server.store.actionsForPosts('alpha', [post.id])).toEqual([]);
  expect(await audit.size('alpha')).toBe(sizeBefore);
});
