-- Security review (host tokens after "sign out everywhere"): the twin of SQLite migration 18
-- (server/store/sqlite/migrations/018-signed-out-at.ts). When the user last signed out
-- everywhere; a host token whose `iat` is not after it is refused.

ALTER TABLE users ADD COLUMN signed_out_at text COLLATE "C";
