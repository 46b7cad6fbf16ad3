/**
 * Migration: OpenID Connect sign-in per site (issue 12). The provider settings of a site,
 * the flows under way (state, nonce and PKCE verifier kept server-side, found by the hash of
 * the state, ten minutes to live), and the tickets that hand a finished sign-in to the widget
 * (hashed, single use, short-lived). Flows and tickets are rows, not process memory, so a
 * sign-in started before a restart, or on another node, still finishes.
 */
export const OIDC_MIGRATION = `
  CREATE TABLE oidc_providers (
    site TEXT PRIMARY KEY REFERENCES sites(id),
    issuer TEXT NOT NULL,
    client_id TEXT NOT NULL,
    client_secret TEXT,              -- write-only: never returned by the API or the CLI
    name TEXT NOT NULL,
    scopes TEXT NOT NULL,            -- JSON array, besides openid
    staff_claim TEXT,
    updated_at TEXT NOT NULL
  ) STRICT;

  CREATE TABLE oidc_flows (
    state_hash TEXT PRIMARY KEY,     -- sha256 of the state sent to the provider
    site TEXT NOT NULL REFERENCES sites(id),
    issuer TEXT NOT NULL,
    nonce TEXT NOT NULL,
    code_verifier TEXT NOT NULL,
    return_url TEXT NOT NULL,
    ticket_challenge TEXT,           -- optional: sha256 of a verifier only the starting page knows
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL
  ) STRICT;
  CREATE INDEX oidc_flows_by_site ON oidc_flows (site);
  CREATE INDEX oidc_flows_by_expiry ON oidc_flows (expires_at);

  CREATE TABLE oidc_tickets (
    ticket_hash TEXT PRIMARY KEY,    -- sha256 of the ticket in the return URL's fragment
    site TEXT NOT NULL REFERENCES sites(id),
    user_id TEXT NOT NULL REFERENCES users(id),
    ticket_challenge TEXT,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL
  ) STRICT;
  CREATE INDEX oidc_tickets_by_expiry ON oidc_tickets (expires_at);
`;
