/**
 * Migration (issue 16, task "spam-server"): holds, moderator notes, "Helpful", pins, an author's
 * own deletion, and search.
 * - `posts.held`: 1 while the post waits for a moderator (readers never receive it); `post_holds`
 *   keeps why (JSON list of reasons) and how it was decided.
 * - `posts.deleted_at`: set when the author deleted the post (its status is then 'removed', its
 *   text erased); shown as the tombstone "deleted by its author".
 * - `posts.helpful_count`: members' "Helpful" marks (staff marks never rank: S-3), for the
 *   "most helpful" order; `helpful_marks` holds one row per person and post.
 * - `moderator_notes`: private notes on an account (moderators only; the log holds a hash).
 * - `topic_pins`: the one pinned post of a topic.
 * - `posts_fts`: SQLite's FTS5 index of visible, released posts, kept by triggers so edits,
 *   removals, deletions and erasures leave the index at once. Contentless (`content=''`): the
 *   index keeps no copy of the text, so erased words cannot be read back from it. PostgreSQL
 *   has a generated tsvector column and a GIN index instead (its migration 004): the one
 *   intended difference between the two schemas.
 */
export const SPAM_AND_BASICS_MIGRATION = `
  ALTER TABLE posts ADD COLUMN held INTEGER NOT NULL DEFAULT 0;
  ALTER TABLE posts ADD COLUMN deleted_at TEXT;
  ALTER TABLE posts ADD COLUMN helpful_count INTEGER NOT NULL DEFAULT 0;
  CREATE INDEX posts_helpful ON posts (site, topic, helpful_count, seq) WHERE depth = 0;
  CREATE INDEX posts_by_author ON posts (site, author_id, created_at);

  CREATE TABLE post_holds (
    site TEXT NOT NULL REFERENCES sites(id),
    post_id TEXT NOT NULL,
    topic TEXT NOT NULL,
    author_id TEXT NOT NULL,
    reasons TEXT NOT NULL,           -- JSON: [{kind, ruleId, detail}]
    created_at TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('held', 'released', 'removed')),
    decided_at TEXT,
    action_id TEXT,
    PRIMARY KEY (site, post_id)
  ) STRICT;
  CREATE INDEX post_holds_open ON post_holds (site, status, created_at);

  CREATE TABLE helpful_marks (
    site TEXT NOT NULL REFERENCES sites(id),
    post_id TEXT NOT NULL,
    user_id TEXT NOT NULL,
    staff INTEGER NOT NULL DEFAULT 0,
    name TEXT NOT NULL,
    company_name TEXT,
    created_at TEXT NOT NULL,
    PRIMARY KEY (site, post_id, user_id)
  ) STRICT;

  CREATE TABLE moderator_notes (
    id TEXT PRIMARY KEY,
    site TEXT NOT NULL REFERENCES sites(id),
    user_id TEXT NOT NULL,
    author_id TEXT NOT NULL,
    text TEXT NOT NULL,
    created_at TEXT NOT NULL,
    log_index INTEGER
  ) STRICT;
  CREATE INDEX moderator_notes_by_user ON moderator_notes (site, user_id, created_at);

  CREATE TABLE topic_pins (
    site TEXT NOT NULL REFERENCES sites(id),
    topic TEXT NOT NULL,
    post_id TEXT NOT NULL,
    action_id TEXT NOT NULL,
    pinned_by TEXT NOT NULL,
    pinned_at TEXT NOT NULL,
    PRIMARY KEY (site, topic)
  ) STRICT;

  CREATE VIRTUAL TABLE posts_fts USING fts5(body, content = '', contentless_delete = 1, tokenize = 'unicode61 remove_diacritics 2');
  CREATE TRIGGER posts_fts_insert AFTER INSERT ON posts WHEN new.status = 'visible' AND new.held = 0 BEGIN
    INSERT INTO posts_fts (rowid, body) VALUES (new.rowid, new.body);
  END;
  CREATE TRIGGER posts_fts_update AFTER UPDATE OF body, status, held ON posts BEGIN
    DELETE FROM posts_fts WHERE rowid = old.rowid;
    INSERT INTO posts_fts (rowid, body) SELECT new.rowid, new.body WHERE new.status = 'visible' AND new.held = 0;
  END;
  CREATE TRIGGER posts_fts_delete AFTER DELETE ON posts BEGIN
    DELETE FROM posts_fts WHERE rowid = old.rowid;
  END;
  INSERT INTO posts_fts (rowid, body) SELECT rowid, body FROM posts WHERE status = 'visible';
`;
