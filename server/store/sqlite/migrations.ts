/**
 * Schema migrations, applied in order inside one transaction each. The applied version
 * is recorded in SQLite's `user_version`, so a database is upgraded exactly once per step.
 * Never edit a migration that has shipped: add a new one.
 */
import type Database from 'better-sqlite3';
import { AUDIT_LOG_MIGRATION } from './migrations/003-audit-log.js';
import { MODERATION_MIGRATION } from './migrations/004-moderation.js';
import { SCRIPTED_MIGRATION } from './migrations/005-scripted.js';
import { EDIT_HISTORY_MIGRATION } from './migrations/007-edit-history.js';
import { SAFETY_MIGRATION } from './migrations/008-safety.js';
import { OIDC_MIGRATION } from './migrations/009-oidc.js';
import { MEMBER_SIGN_IN_MIGRATION } from './migrations/010-member-sign-in.js';
import { TOPIC_ACTIVITY_MIGRATION } from './migrations/011-topic-activity.js';
import { DISCLOSURE_MIGRATION } from './migrations/012-disclosure.js';
import { FIRST_RUN_MIGRATION } from './migrations/013-first-run.js';
import { COMPANY_DESK_MIGRATION } from './migrations/014-company-desk.js';
import { NOTIFICATIONS_MIGRATION } from './migrations/016-notifications.js';
import { SPAM_AND_BASICS_MIGRATION } from './migrations/017-spam-and-basics.js';
import { SIGNED_OUT_AT_MIGRATION } from './migrations/018-signed-out-at.js';
import { BLOCKS_MIGRATION } from './migrations/019-blocks.js';
import { SESSION_PURGE_MIGRATION } from './migrations/020-session-purge.js';

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
  // 2: who is speaking — company register, identity events, email proof, sessions, name changes, mail outbox.
  `
  CREATE TABLE companies (
    site TEXT NOT NULL REFERENCES sites(id),
    id TEXT NOT NULL,
    legal_name TEXT NOT NULL,
    display_name TEXT NOT NULL,
    email_domains TEXT NOT NULL,     -- JSON array
    products TEXT NOT NULL,          -- JSON array of Product
    disclosure TEXT NOT NULL,        -- JSON Disclosure
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (site, id)
  ) STRICT;

  ALTER TABLE affiliations ADD COLUMN revoked_by TEXT;
  ALTER TABLE users ADD COLUMN session_epoch INTEGER NOT NULL DEFAULT 0;
  ALTER TABLE users ADD COLUMN lookalike INTEGER NOT NULL DEFAULT 0;
  ALTER TABLE users ADD COLUMN deleted_at TEXT;

  -- Append-only record of identity changes (roles, affiliations, names); feeds the public log.
  CREATE TABLE identity_events (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    site TEXT NOT NULL REFERENCES sites(id),
    at TEXT NOT NULL,
    actor TEXT NOT NULL,             -- user id, 'cli', 'host-sso' or 'email-proof'
    subject_id TEXT,
    kind TEXT NOT NULL,
    details TEXT NOT NULL            -- JSON, no personal data beyond public names
  ) STRICT;
  CREATE TRIGGER identity_events_append_only_u BEFORE UPDATE ON identity_events BEGIN SELECT RAISE(ABORT, 'identity_events is append-only'); END;
  CREATE TRIGGER identity_events_append_only_d BEFORE DELETE ON identity_events BEGIN SELECT RAISE(ABORT, 'identity_events is append-only'); END;

  CREATE TABLE name_change_requests (
    id TEXT PRIMARY KEY,
    site TEXT NOT NULL REFERENCES sites(id),
    user_id TEXT NOT NULL REFERENCES users(id),
    display_name TEXT,
    job_title TEXT,
    reason TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('pending','approved','rejected')),
    requested_at TEXT NOT NULL,
    decided_by TEXT,
    decided_at TEXT
  ) STRICT;

  -- Sign-in links for email proof of employment: only a hash of the token is kept.
  CREATE TABLE email_links (
    token_hash TEXT PRIMARY KEY,
    site TEXT NOT NULL REFERENCES sites(id),
    email TEXT NOT NULL,
    company_id TEXT NOT NULL,
    display_name TEXT NOT NULL,
    job_title TEXT NOT NULL,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    used_at TEXT
  ) STRICT;
  CREATE INDEX email_links_by_email ON email_links (site, email, created_at);

  CREATE TABLE sessions (
    id TEXT PRIMARY KEY,
    site TEXT NOT NULL REFERENCES sites(id),
    user_id TEXT NOT NULL REFERENCES users(id),
    refresh_hash TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    revoked_at TEXT
  ) STRICT;
  CREATE INDEX sessions_by_user ON sessions (site, user_id);

  -- Mail Parley sent (or, without SMTP configured, would have sent): the dev/demo outbox.
  CREATE TABLE outbox (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    site TEXT NOT NULL,
    recipient TEXT NOT NULL,
    subject TEXT NOT NULL,
    body TEXT NOT NULL,
    created_at TEXT NOT NULL,
    delivered INTEGER NOT NULL DEFAULT 0
  ) STRICT;
  `,
  // 3: the public audit log (Merkle tree leaves, checkpoints, signing keys, witnesses).
  AUDIT_LOG_MIGRATION,
  // 4: transparent moderation (rules, reports, actions, statements of reasons, appeals).
  MODERATION_MIGRATION,
  // 5: automated labels on scripted (near-duplicate) staff posts.
  SCRIPTED_MIGRATION,
  // 6: a member's display name chosen in Parley wins over the host's name claim.
  `ALTER TABLE users ADD COLUMN name_chosen INTEGER NOT NULL DEFAULT 0;`,
  // 7: edit history (every version of an edited post, public).
  EDIT_HISTORY_MIGRATION,
  // 8: safety routing (pharmacovigilance contacts, products, adverse-event flags, forwards).
  SAFETY_MIGRATION,
  // 9: OpenID Connect sign-in per site (issue 12, engineer "oidc"): the site's provider, flows under way, tickets.
  OIDC_MIGRATION,
  // 10 (issue 12, signin-email): members' email sign-ins (hashed link token and code) and their welcome.
  MEMBER_SIGN_IN_MIGRATION,
  // 11 (issue 10, task "protocol"): a site's topic list by latest activity, GET /topics.
  TOPIC_ACTIVITY_MIGRATION,
  // 12 (issue 15, company-disclosure): funding entries get currency (site's or EUR), type ('donation'), agreementRef
  // and addedAt; companies get the "company-sponsored" flag; safety contacts get a country and product scope.
  DISCLOSURE_MIGRATION,
  // 13 (issue 15, setup-permissions): the first-run setup link and the first admin's invitation.
  FIRST_RUN_MIGRATION,
  // 14 (issue 14, desk-server): questions put to a company, "I'm on it" claims, company pledges.
  COMPANY_DESK_MIGRATION,
  // 15 (issue 15, import-export): authors created by an import are marked with the format they came
  // from (never verified, never staff), and every imported post and author remembers its source id,
  // so re-running an import creates nothing twice.
  `
  ALTER TABLE users ADD COLUMN imported_from TEXT;
  CREATE TABLE import_sources (
    site TEXT NOT NULL REFERENCES sites(id),
    source TEXT NOT NULL,            -- '<format>:post:<id>' or '<format>:author:<key>'
    local_id TEXT NOT NULL,          -- the post or user id it became here
    PRIMARY KEY (site, source)
  ) STRICT;
  `,
  // 16 (issue 13, notify-server): preferences, follows, host pages, seen markers, the notification
  // queue and what was sent; the outbox keeps a message's HTML part and headers.
  NOTIFICATIONS_MIGRATION,
  // 17 (issue 16, spam-server): holds, moderator notes, "Helpful", pins, an author's own deletion, search (FTS5).
  SPAM_AND_BASICS_MIGRATION,
  // 18 (security review): when the user last signed out everywhere, to refuse older host tokens.
  SIGNED_OUT_AT_MIGRATION,
  // 19 (issue 13, block): who blocked whom, private to the blocker.
  BLOCKS_MIGRATION,
  // 20 (security review): indexes for deleting ended sessions a day later.
  SESSION_PURGE_MIGRATION,
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
