/**
 * Migration 9 (issue 12, task "signin-email"): members sign in by email, and their welcome.
 * - `member_sign_ins`: one row per email sign-in asked for. Only hashes of the link token and of
 *   the one-time code are kept; the address is kept (to create the account and mail it) until the
 *   row is purged a day later. `ip` and `email_hash` count requests for the abuse limits.
 * - `welcomes`: a member who signed in by email or OpenID Connect chose a name and accepted the
 *   house rules: the rules version they accepted and when (their consent, kept as a record).
 */
export const MEMBER_SIGN_IN_MIGRATION = `
  CREATE TABLE member_sign_ins (
    id TEXT PRIMARY KEY,
    site TEXT NOT NULL REFERENCES sites(id),
    token_hash TEXT NOT NULL UNIQUE,
    code_hash TEXT NOT NULL,
    email TEXT NOT NULL,
    email_hash TEXT NOT NULL,
    ip TEXT NOT NULL,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    used_at TEXT,
    failed_codes INTEGER NOT NULL DEFAULT 0
  ) STRICT;
  CREATE INDEX member_sign_ins_by_email ON member_sign_ins (site, email_hash, created_at);
  CREATE INDEX member_sign_ins_by_ip ON member_sign_ins (site, ip, created_at);
  CREATE INDEX member_sign_ins_by_time ON member_sign_ins (site, created_at);

  CREATE TABLE welcomes (
    site TEXT NOT NULL REFERENCES sites(id),
    user_id TEXT NOT NULL REFERENCES users(id),
    rules_version INTEGER NOT NULL,
    accepted_at TEXT NOT NULL,
    PRIMARY KEY (site, user_id)
  ) STRICT;
`;
