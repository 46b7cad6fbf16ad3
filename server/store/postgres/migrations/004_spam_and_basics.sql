-- Issue 16 (spam-server): the twin of SQLite migration 17 (server/store/sqlite/migrations/017-spam-and-basics.ts).
-- Holds, moderator notes, "Helpful", pins, an author's own deletion, and search. Search is the one
-- intended difference: SQLite keeps an FTS5 table (posts_fts) filled by triggers; here a generated
-- tsvector column of visible, released posts with a GIN index does the same (the schema-match test
-- knows about this pair). The 'simple' configuration: no stemming, like SQLite's unicode61.

ALTER TABLE posts ADD COLUMN held integer NOT NULL DEFAULT 0;
ALTER TABLE posts ADD COLUMN deleted_at text COLLATE "C";
ALTER TABLE posts ADD COLUMN helpful_count bigint NOT NULL DEFAULT 0;
CREATE INDEX posts_helpful ON posts (site, topic, helpful_count, seq) WHERE depth = 0;
CREATE INDEX posts_by_author ON posts (site, author_id, created_at);
ALTER TABLE posts ADD COLUMN search_vector tsvector GENERATED ALWAYS AS (
  CASE WHEN status = 'visible' AND held = 0 THEN to_tsvector('simple', body) END
) STORED;
CREATE INDEX posts_search ON posts USING gin (search_vector);

CREATE TABLE post_holds (
  site text COLLATE "C" NOT NULL REFERENCES sites(id),
  post_id text COLLATE "C" NOT NULL,
  topic text COLLATE "C" NOT NULL,
  author_id text COLLATE "C" NOT NULL,
  reasons text COLLATE "C" NOT NULL,           -- JSON: [{kind, ruleId, detail}]
  created_at text COLLATE "C" NOT NULL,
  status text COLLATE "C" NOT NULL CHECK (status IN ('held', 'released', 'removed')),
  decided_at text COLLATE "C",
  action_id text COLLATE "C",
  PRIMARY KEY (site, post_id)
);
CREATE INDEX post_holds_open ON post_holds (site, status, created_at);

CREATE TABLE helpful_marks (
  site text COLLATE "C" NOT NULL REFERENCES sites(id),
  post_id text COLLATE "C" NOT NULL,
  user_id text COLLATE "C" NOT NULL,
  staff integer NOT NULL DEFAULT 0,
  name text COLLATE "C" NOT NULL,
  company_name text COLLATE "C",
  created_at text COLLATE "C" NOT NULL,
  PRIMARY KEY (site, post_id, user_id)
);

CREATE TABLE moderator_notes (
  id text COLLATE "C" PRIMARY KEY,
  site text COLLATE "C" NOT NULL REFERENCES sites(id),
  user_id text COLLATE "C" NOT NULL,
  author_id text COLLATE "C" NOT NULL,
  text text COLLATE "C" NOT NULL,
  created_at text COLLATE "C" NOT NULL,
  log_index bigint
);
CREATE INDEX moderator_notes_by_user ON moderator_notes (site, user_id, created_at);

CREATE TABLE topic_pins (
  site text COLLATE "C" NOT NULL REFERENCES sites(id),
  topic text COLLATE "C" NOT NULL,
  post_id text COLLATE "C" NOT NULL,
  action_id text COLLATE "C" NOT NULL,
  pinned_by text COLLATE "C" NOT NULL,
  pinned_at text COLLATE "C" NOT NULL,
  PRIMARY KEY (site, topic)
);
