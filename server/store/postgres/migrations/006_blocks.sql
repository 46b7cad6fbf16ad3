-- Issue 13 (block): the twin of SQLite migration 19 (server/store/sqlite/migrations/019-blocks.ts).
-- Who blocked whom: private to the blocker, never in the audit log.

CREATE TABLE user_blocks (
  site text COLLATE "C" NOT NULL REFERENCES sites(id),
  user_id text COLLATE "C" NOT NULL,
  blocked_id text COLLATE "C" NOT NULL,
  created_at text COLLATE "C" NOT NULL,
  PRIMARY KEY (site, user_id, blocked_id)
);
CREATE INDEX user_blocks_blocked ON user_blocks (site, blocked_id);
