/** OidcStore over SqlDatabase: tables `oidc_providers`, `oidc_flows`, `oidc_tickets`. */
import type { SqlDatabase } from './database.js';
import type { OidcProviderRecord, OidcStore, OidcTicketRecord } from '../oidc-store.js';

const q = {
  getProvider: 'SELECT * FROM oidc_providers WHERE site = ?',
  setProvider: `INSERT INTO oidc_providers (site, issuer, client_id, client_secret, name, scopes, staff_claim, updated_at)
      VALUES (@site, @issuer, @clientId, @clientSecret, @name, @scopes, @staffClaim, @updatedAt)
      ON CONFLICT (site) DO UPDATE SET issuer = excluded.issuer, client_id = excluded.client_id,
        client_secret = excluded.client_secret, name = excluded.name, scopes = excluded.scopes,
        staff_claim = excluded.staff_claim, updated_at = excluded.updated_at`,
  deleteProvider: 'DELETE FROM oidc_providers WHERE site = ?',
  deleteFlowsOfSite: 'DELETE FROM oidc_flows WHERE site = ?',
  pruneFlows: 'DELETE FROM oidc_flows WHERE expires_at <= ?',
  pruneTickets: 'DELETE FROM oidc_tickets WHERE expires_at <= ?',
  pendingFlows: 'SELECT count(*) AS n FROM oidc_flows WHERE site = ?',
  insertFlow: `INSERT INTO oidc_flows (state_hash, site, issuer, nonce, code_verifier, return_url, ticket_challenge, created_at, expires_at)
      VALUES (@stateHash, @site, @issuer, @nonce, @codeVerifier, @returnUrl, @ticketChallenge, @createdAt, @expiresAt)`,
  // DELETE … RETURNING: two callbacks racing with the same state cannot both get the flow.
  takeFlow: 'DELETE FROM oidc_flows WHERE site = ? AND state_hash = ? RETURNING *',
  insertTicket: `INSERT INTO oidc_tickets (ticket_hash, site, user_id, ticket_challenge, created_at, expires_at)
      VALUES (@ticketHash, @site, @userId, @ticketChallenge, @createdAt, @expiresAt)`,
  takeTicket: 'DELETE FROM oidc_tickets WHERE site = ? AND ticket_hash = ? RETURNING *',
};

export function oidcStore(db: SqlDatabase): OidcStore {
  return {
    async getOidcProvider(site) {
      const row = await db.get(q.getProvider, [site]);
      if (!row) return null;
      return {
        site: row.site, issuer: row.issuer, clientId: row.client_id, clientSecret: row.client_secret, name: row.name,
        scopes: JSON.parse(row.scopes), staffClaim: row.staff_claim, updatedAt: row.updated_at,
      } satisfies OidcProviderRecord;
    },
    async setOidcProvider(record) {
      await db.run(q.setProvider, { ...record, scopes: JSON.stringify(record.scopes) });
    },
    deleteOidcProvider: (site) => db.transaction(async () => {
      await db.run(q.deleteFlowsOfSite, [site]);
      return (await db.run(q.deleteProvider, [site])).changes > 0;
    }),
    createOidcFlow: (flow, now, maxPending) => db.transaction(async () => {
      await db.run(q.pruneFlows, [now]);
      await db.run(q.pruneTickets, [now]);
      if ((await db.get<{ n: number }>(q.pendingFlows, [flow.site]))!.n >= maxPending) return false;
      await db.run(q.insertFlow, { ...flow });
      return true;
    }),
    async takeOidcFlow(site, stateHash, now) {
      const row = await db.get(q.takeFlow, [site, stateHash]);
      if (!row || row.expires_at <= now) return null;
      return {
        stateHash: row.state_hash, site: row.site, issuer: row.issuer, nonce: row.nonce, codeVerifier: row.code_verifier,
        returnUrl: row.return_url, ticketChallenge: row.ticket_challenge, createdAt: row.created_at, expiresAt: row.expires_at,
      };
    },
    async createOidcTicket(ticket: OidcTicketRecord) {
      await db.run(q.insertTicket, { ...ticket });
    },
    async takeOidcTicket(site, ticketHash, now) {
      const row = await db.get(q.takeTicket, [site, ticketHash]);
      if (!row || row.expires_at <= now) return null;
      return {
        ticketHash: row.ticket_hash, site: row.site, userId: row.user_id, ticketChallenge: row.ticket_challenge,
        createdAt: row.created_at, expiresAt: row.expires_at,
      };
    },
  };
}
