/** Every cell of the permission matrix that has an endpoint today, exercised over real HTTP. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { can, type Action } from '../../moderation/permissions.js';
import type { Role } from '../../moderation/types.js';
import { http } from '../support/clients.js';
import { key, startTestServer, type TestServer } from '../support/server.js';
import { setUpIdentity, type Fixture } from '../support/identity-fixtures.js';

let server: TestServer;
let fx: Fixture;
const tokens = new Map<Role, string | undefined>();
let rootPost: string;
let targetUser: string;

beforeAll(async () => {
  server = await startTestServer();
  fx = await setUpIdentity(server);
  tokens.set('reader', undefined);
  tokens.set('member', await server.sign('alpha', { sub: 'perm-member', name: 'Pat Member' }));
  tokens.set('staff', await server.sign('alpha', { sub: 'perm-staff', name: 'Stan Staff', affiliation: { company: 'acme', jobTitle: 'MSL' } }));
  tokens.set('moderator', fx.moderatorToken);
  tokens.set('admin', fx.adminToken);
  const root = await http(`${fx.api}/posts`, { token: fx.adminToken, body: { topic: 'matrix', body: 'root', idempotencyKey: key() } });
  rootPost = root.body.post.id;
  const target = await server.sign('alpha', { sub: 'perm-target', name: 'Tara Target' });
  targetUser = (await http(`${fx.api}/me`, { token: target })).body.viewer.id;
});
afterAll(async () => server.close());

const holder = (role: Role): Role[] => (role === 'reader' ? ['reader'] : role === 'member' ? ['member'] : ['member', role]);

const endpoints: Record<string, (token: string | undefined) => Promise<{ status: number; body: any }>> = {
  post: (token) => http(`${fx.api}/posts`, { token, body: { topic: 'matrix', body: 'p', idempotencyKey: key() } }),
  reply: (token) => http(`${fx.api}/posts`, { token, body: { topic: 'matrix', parent: rootPost, body: 'r', idempotencyKey: key() } }),
  'manage-roles': (token) => http(`${fx.api}/admin`, { token }),
  'manage-companies': (token) =>
    http(`${fx.api}/admin/companies/matrix-co`, {
      method: 'PUT', token,
      body: { id: 'matrix-co', legalName: 'Matrix Co', displayName: 'Matrix', emailDomains: ['matrix.example'] },
    }),
  'verify-staff': (token) => http(`${fx.api}/admin/professionals`, { token, body: { userId: targetUser, profession: 'Pharmacist' } }),
};

describe('permission matrix over HTTP', () => {
  for (const [action, call] of Object.entries(endpoints)) {
    for (const role of ['reader', 'member', 'staff', 'moderator', 'admin'] as Role[]) {
      const allowed = can(holder(role), action as Action);
      it(`${action} × ${role}: ${allowed ? 'allowed' : 'refused'}`, async () => {
        const response = await call(tokens.get(role));
        if (allowed) {
          expect(response.status, JSON.stringify(response.body)).toBeLessThan(300);
        } else {
          expect([401, 403]).toContain(response.status);
          expect(response.body.error.code).toBe(role === 'reader' ? 'unauthenticated' : 'forbidden');
        }
      });
    }
  }
});
