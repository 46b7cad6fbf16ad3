/**
 * Migration 12 (issue 15, task "setup-permissions"): first-run setup without a terminal.
 * - `setup_links`: the one-time setup link `parley serve` prints on an empty data folder. Only
 *   the token's hash is kept; valid 24 hours, single use. Server-level (there is no site yet).
 * - `admin_invitations`: the first admin's emailed invitation (hashed token, single use); the
 *   address is kept to create the account when the link is followed.
 */
export const FIRST_RUN_MIGRATION = `
  CREATE TABLE setup_links (
    token_hash TEXT PRIMARY KEY,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    used_at TEXT
  ) STRICT;

  CREATE TABLE admin_invitations (
    token_hash TEXT PRIMARY KEY,
    site TEXT NOT NULL REFERENCES sites(id),
    email TEXT NOT NULL,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    used_at TEXT
  ) STRICT;
`;
