-- Security review (sessions stay bounded): the twin of SQLite migration 20
-- (server/store/sqlite/migrations/020-session-purge.ts). Ended sessions are deleted a day after
-- they expired or were revoked, by the next sign-in on the site; these indexes keep that purge
-- from reading every session of the site.

CREATE INDEX sessions_by_expiry ON sessions (site, expires_at);
CREATE INDEX sessions_by_revocation ON sessions (site, revoked_at);
