/** Two moderators, members and a company employee on a test site, for moderation tests. */
import { http } from './clients.js';
import { key, type TestServer } from './server.js';
import { setUpIdentity, type Fixture } from './identity-fixtures.js';

export interface ModerationFixture extends Fixture {
  mod2Token: string;
  mod2Id: string;
  alice: { token: string; id: string };
  bob: { token: string; id: string };
  carol: { token: string; id: string };
  staff: { token: string; id: string };
}

export async function setUpModeration(server: TestServer, site = 'alpha'): Promise<ModerationFixture> {
  const fx = await setUpIdentity(server, site);
  const person = async (sub: string, name: string, extra: Record<string, unknown> = {}) => {
    const token = await server.sign(site, { sub, name, ...extra }, { expiresIn: 3600 * 11 });
    const me = await http(`${fx.api}/me`, { token });
    return { token, id: me.body.viewer.id as string };
  };
  const mod2 = await person('mod2-sub', 'Nia Second');
  await http(`${fx.api}/admin/roles`, { token: fx.adminToken, body: { userId: mod2.id, role: 'moderator' } });
  return {
    ...fx,
    mod2Token: mod2.token,
    mod2Id: mod2.id,
    alice: await person('alice-sub', 'Alice A.', { email: 'alice@example.org' }),
    bob: await person('bob-sub', 'Bob B.', { email: 'bob@example.org' }),
    carol: await person('carol-sub', 'Carol C.'),
    staff: await person('staff-sub', 'Sam Staff', { affiliation: { company: 'acme', jobTitle: 'MSL' } }),
  };
}

export async function postAs(fx: ModerationFixture, token: string, body: string, topic = 'mod-topic', parent?: string) {
  const response = await http(`${fx.api}/posts`, { token, body: { topic, body, idempotencyKey: key(), ...(parent ? { parent } : {}) } });
  if (response.status !== 201) throw new Error(`post failed: ${JSON.stringify(response.body)}`);
  return response.body.post as { id: string; rev: number; topic: string };
}

export const act = (fx: ModerationFixture, token: string, body: Record<string, unknown>) =>
  http(`${fx.api}/moderation/actions`, { token, body });
