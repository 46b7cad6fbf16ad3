/**
 * Schema migrations, applied in order inside one transaction each. The applied version
 * is recorded in SQLite's `user_version`, so a database is upgraded exactly once per step.
 * Never edit a migration that has shipped: add a new one.
 */
import type Database from 'better-sqlite3';

export const MIGRATIONS: string[] = [
  // 1: sites, users, roles, topics, posts.
  `
  CREATE TABLE sites (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    origins TEXT NOT NULL,          -- JSON array of exact origins
    secret TEXT,                     -- HS256 secret, or NULL
    public_keys TEXT NOT NULL,       -- JSON array of PEM public keys
    rules_url TEXT,
    demo INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL
  ) STRICT;

  CREATE TABLE site_settings (
    site TEXT NOT NULL REFERENCES sites(id),
    key TEXT NOT NULL,
    value TEXT NOT NULL,
    PRIMARY KEY (site, key)
  ) STRICT;

  CREATE TABLE users (
    id TEXT PRIMARY KEY,
    site TEXT NOT NULL REFERENCES sites(id),
    sub TEXT NOT NULL,
    display_name TEXT NOT NULL,
    email TEXT,
    kind TEXT NOT NULL CHECK (kind IN ('member','staff','deleted')),
    created_at TEXT NOT NULL,
    UNIQUE (site, sub)
  ) STRICT;

  CREATE TABLE site_roles (
    site TEXT NOT NULL REFERENCES sites(id),
    user_id TEXT NOT NULL REFERENCES users(id),
    role TEXT NOT NULL CHECK (role IN ('member','staff','moderator','admin')),
    PRIMARY KEY (site, user_id, role)
  ) STRICT;

  CREATE TABLE topics (
    site TEXT NOT NULL REFERENCES sites(id),
    id TEXT NOT NULL,
    title TEXT,
    rev INTEGER NOT NULL DEFAULT 0,
    last_seq INTEGER NOT NULL DEFAULT 0,
    post_count INTEGER NOT NULL DEFAULT 0,
    locked INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL,
    PRIMARY KEY (site, id)
  ) STRICT;

  CREATE TABLE posts (
    id TEXT PRIMARY KEY,
    site TEXT NOT NULL,
    topic TEXT NOT NULL,
    parent TEXT REFERENCES posts(id),
    root TEXT NOT NULL,
    depth INTEGER NOT NULL,
    seq INTEGER NOT NULL,
    rev INTEGER NOT NULL,
    author_id TEXT NOT NULL REFERENCES users(id),
    author_snapshot TEXT NOT NULL,   -- JSON: badges as they were when written
    body TEXT NOT NULL,
    html TEXT NOT NULL,
    created_at TEXT NOT NULL,
    edited_at TEXT,
    status TEXT NOT NULL DEFAULT 'visible' CHECK (status IN ('visible','removed')),
    idempotency_key TEXT NOT NULL,
    request_hash TEXT NOT NULL,
    FOREIGN KEY (site, topic) REFERENCES topics(site, id),
    UNIQUE (site, topic, seq),
    UNIQUE (site, author_id, idempotency_key)
  ) STRICT;

  -- A company employee's verified link to a company (the register itself grows in later migrations).
  CREATE TABLE affiliations (
    site TEXT NOT NULL REFERENCES sites(id),
    user_id TEXT NOT NULL REFERENCES users(id),
    company_id TEXT NOT NULL,
    company_name TEXT NOT NULL,
    job_title TEXT NOT NULL,
    verified_by TEXT NOT NULL,
    verified_at TEXT NOT NULL,
    revoked_at TEXT,
    PRIMARY KEY (site, user_id, verified_at)
  ) STRICT;

  CREATE TABLE professionals (
    site TEXT NOT NULL REFERENCES sites(id),
    user_id TEXT NOT NULL REFERENCES users(id),
    profession TEXT NOT NULL,
    verified_at TEXT NOT NULL,
    PRIMARY KEY (site, user_id)
  ) STRICT;

  CREATE INDEX posts_roots ON posts (site, topic, seq) WHERE depth = 0;
  CREATE INDEX posts_thread ON posts (site, topic, root, seq);
  CREATE INDEX posts_changes ON posts (site, topic, rev);
  `,
];

export function migrate(db: Database.Database): { from: number; to: number } {
  const from = db.pragma('user_version', { simple: true }) as number;
  if (from > MIGRATIONS.length) {
    throw new Error(
      `The database is at schema version ${from}, newer than this Parley (${MIGRATIONS.length}). Upgrade Parley or restore a backup.`,
    );
  }
  for (let version = from; version < MIGRATIONS.length; version++) {
    db.transaction(() => {
      db.exec(MIGRATIONS[version]!);
      db.pragma(`user_version = ${version + 1}`);
    })();
  }
  return { from, to: MIGRATIONS.length };
}
