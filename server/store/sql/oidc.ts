/** SQLite implementation of OidcStore: tables `oidc_providers`, `oidc_flows`, `oidc_tickets`. */
import type Database from 'better-sqlite3';
import type { SyncOf } from './sync-of.js';
import type { OidcFlowRecord, OidcProviderRecord, OidcStore, OidcTicketRecord } from '../oidc-store.js';

export function sqliteOidcStore(db: Database.Database): SyncOf<OidcStore> {
  const q = {
    getProvider: db.prepare('SELECT * FROM oidc_providers WHERE site = ?'),
    setProvider: db.prepare(`INSERT INTO oidc_providers (site, issuer, client_id, client_secret, name, scopes, staff_claim, updated_at)
      VALUES (@site, @issuer, @clientId, @clientSecret, @name, @scopes, @staffClaim, @updatedAt)
      ON CONFLICT (site) DO UPDATE SET issuer = excluded.issuer, client_id = excluded.client_id,
        client_secret = excluded.client_secret, name = excluded.name, scopes = excluded.scopes,
        staff_claim = excluded.staff_claim, updated_at = excluded.updated_at`),
    deleteProvider: db.prepare('DELETE FROM oidc_providers WHERE site = ?'),
    deleteFlowsOfSite: db.prepare('DELETE FROM oidc_flows WHERE site = ?'),
    pruneFlows: db.prepare('DELETE FROM oidc_flows WHERE expires_at <= ?'),
    pruneTickets: db.prepare('DELETE FROM oidc_tickets WHERE expires_at <= ?'),
    pendingFlows: db.prepare('SELECT count(*) AS n FROM oidc_flows WHERE site = ?'),
    insertFlow: db.prepare(`INSERT INTO oidc_flows (state_hash, site, issuer, nonce, code_verifier, return_url, ticket_challenge, created_at, expires_at)
      VALUES (@stateHash, @site, @issuer, @nonce, @codeVerifier, @returnUrl, @ticketChallenge, @createdAt, @expiresAt)`),
    // DELETE … RETURNING: two callbacks racing with the same state cannot both get the flow.
    takeFlow: db.prepare('DELETE FROM oidc_flows WHERE site = ? AND state_hash = ? RETURNING *'),
    insertTicket: db.prepare(`INSERT INTO oidc_tickets (ticket_hash, site, user_id, ticket_challenge, created_at, expires_at)
      VALUES (@ticketHash, @site, @userId, @ticketChallenge, @createdAt, @expiresAt)`),
    takeTicket: db.prepare('DELETE FROM oidc_tickets WHERE site = ? AND ticket_hash = ? RETURNING *'),
  };
  const createFlow = db.transaction((flow: OidcFlowRecord, now: string, maxPending: number): boolean => {
    q.pruneFlows.run(now);
    q.pruneTickets.run(now);
    if ((q.pendingFlows.get(flow.site) as { n: number }).n >= maxPending) return false;
    q.insertFlow.run(flow);
    return true;
  });
  const deleteProvider = db.transaction((site: string): boolean => {
    q.deleteFlowsOfSite.run(site);
    return q.deleteProvider.run(site).changes > 0;
  });
  return {
    getOidcProvider(site) {
      const row = q.getProvider.get(site) as any;
      if (!row) return null;
      return {
        site: row.site, issuer: row.issuer, clientId: row.client_id, clientSecret: row.client_secret, name: row.name,
        scopes: JSON.parse(row.scopes), staffClaim: row.staff_claim, updatedAt: row.updated_at,
      } satisfies OidcProviderRecord;
    },
    setOidcProvider(record) {
      q.setProvider.run({ ...record, scopes: JSON.stringify(record.scopes) });
    },
    deleteOidcProvider: (site) => deleteProvider(site),
    createOidcFlow: (flow, now, maxPending) => createFlow(flow, now, maxPending),
    takeOidcFlow(site, stateHash, now) {
      const row = q.takeFlow.get(site, stateHash) as any;
      if (!row || row.expires_at <= now) return null;
      return {
        stateHash: row.state_hash, site: row.site, issuer: row.issuer, nonce: row.nonce, codeVerifier: row.code_verifier,
        returnUrl: row.return_url, ticketChallenge: row.ticket_challenge, createdAt: row.created_at, expiresAt: row.expires_at,
      };
    },
    createOidcTicket(ticket: OidcTicketRecord) {
      q.insertTicket.run(ticket);
    },
    takeOidcTicket(site, ticketHash, now) {
      const row = q.takeTicket.get(site, ticketHash) as any;
      if (!row || row.expires_at <= now) return null;
      return {
        ticketHash: row.ticket_hash, site: row.site, userId: row.user_id, ticketChallenge: row.ticket_challenge,
        createdAt: row.created_at, expiresAt: row.expires_at,
      };
    },
  };
}
