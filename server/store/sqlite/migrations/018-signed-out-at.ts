/**
 * Migration 18 (security review: host tokens after "sign out everywhere"): when the user last
 * signed out everywhere (ISO time, null if never). A host site's token carries no epoch, only
 * its `iat`; this is the moment it is compared with, so a host token issued before the
 * sign-out is refused over REST, sockets and the session exchange alike.
 */
export const SIGNED_OUT_AT_MIGRATION = `
  ALTER TABLE users ADD COLUMN signed_out_at TEXT;
`;
