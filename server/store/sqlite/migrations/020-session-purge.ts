/**
 * Migration 20 (security review: sessions stay bounded): ended sessions are deleted a day after
 * they expired or were revoked, by the next sign-in on the site (services/sessions.ts). These
 * indexes keep that purge from reading every session of the site on each sign-in.
 */
export const SESSION_PURGE_MIGRATION = `
  CREATE INDEX sessions_by_expiry ON sessions (site, expires_at);
  CREATE INDEX sessions_by_revocation ON sessions (site, revoked_at);
`;
