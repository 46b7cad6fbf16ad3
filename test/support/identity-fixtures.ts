/** A site with a registered company, an admin and a moderator, for identity tests. */
import type { TestServer } from './server.js';
import { http } from './clients.js';

export const ACME = {
  id: 'acme',
  legalName: 'Acme Therapeutics GmbH',
  displayName: 'Acme Pharma',
  emailDomains: ['acme.example'],
  products: [{ name: 'Rememba', inn: ['memantinol'], prescriptionOnly: true }],
  disclosure: {
    funding: [{ year: 2025, amount: 30000, currency: 'EUR', type: 'grant', purpose: 'Helpline' }],
    projects: ['Helpline'],
    url: 'https://alpha.example/funding',
    statement: 'Acme has no say over what is published here.',
  },
};

export const OTHER = {
  id: 'other',
  legalName: 'Other Devices Ltd',
  displayName: 'Other Devices',
  emailDomains: ['other.example'],
  disclosure: { funding: [{ year: 2025, amount: 10000, currency: 'EUR', type: 'donation', purpose: 'Guide' }], projects: [], url: null, statement: null },
};

export interface Fixture {
  api: string;
  adminToken: string;
  adminId: string;
  moderatorToken: string;
  moderatorId: string;
}

/** Makes `admin-sub` an admin through the CLI path (the store), then registers companies over the API. */
export async function setUpIdentity(server: TestServer, site = 'alpha'): Promise<Fixture> {
  const api = `${server.url}/api/sites/${site}`;
  // Long-lived enough (11 of the 12 hours a host token may live) for tests that move the server's clock.
  const adminToken = await server.sign(site, { sub: 'admin-sub', name: 'Ada Admin' }, { expiresIn: 11 * 3600 });
  const me = await http(`${api}/me`, { token: adminToken });
  const adminId = me.body.viewer.id;
  await server.store.grantRole(site, adminId, 'admin');
  for (const company of [ACME, OTHER]) {
    const response = await http(`${api}/admin/companies/${company.id}`, { method: 'PUT', token: adminToken, body: company });
    if (response.status >= 300) throw new Error(`company setup failed: ${JSON.stringify(response.body)}`);
  }
  const moderatorToken = await server.sign(site, { sub: 'mod-sub', name: 'Mo Moderator' }, { expiresIn: 11 * 3600 });
  const moderatorId = (await http(`${api}/me`, { token: moderatorToken })).body.viewer.id;
  const granted = await http(`${api}/admin/roles`, { token: adminToken, body: { userId: moderatorId, role: 'moderator' } });
  if (granted.status !== 200) throw new Error(`role setup failed: ${JSON.stringify(granted.body)}`);
  return { api, adminToken, adminId, moderatorToken, moderatorId };
}
