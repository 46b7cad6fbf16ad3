/**
 * Migration 4: transparent moderation. Rules are versioned (a change is a new row); actions
 * and statements of reasons are append-only (triggers refuse UPDATE and DELETE), and a
 * reversal is a new action pointing to the one it reverses (at most one reversal each).
 * What is in force — removals, labels, locks, closed replies, suspensions, bans, misuse
 * restrictions — is derived from the actions not yet reversed (and not yet expired);
 * `posts.status` and `topics.locked` are kept in step in the same transaction.
 */
export const MODERATION_MIGRATION = `
  CREATE TABLE rules (
    site TEXT NOT NULL REFERENCES sites(id),
    id TEXT NOT NULL,
    version INTEGER NOT NULL,
    title TEXT NOT NULL,
    text TEXT NOT NULL,
    examples TEXT NOT NULL,          -- JSON {allowed, notAllowed}
    kind TEXT NOT NULL CHECK (kind IN ('prohibition','commitment')),
    category TEXT NOT NULL,          -- DSA Transparency Database category
    keywords TEXT NOT NULL,          -- JSON array of KEYWORD_*
    effective_from TEXT NOT NULL,
    retired INTEGER NOT NULL DEFAULT 0,
    change_note TEXT NOT NULL,
    changed_by TEXT NOT NULL,        -- user id, 'template' or 'cli'
    PRIMARY KEY (site, id, version)
  ) STRICT;
  CREATE TRIGGER rules_append_only_u BEFORE UPDATE ON rules BEGIN SELECT RAISE(ABORT, 'rules are versioned: add a version'); END;
  CREATE TRIGGER rules_append_only_d BEFORE DELETE ON rules BEGIN SELECT RAISE(ABORT, 'rules are versioned: add a version'); END;

  CREATE TABLE reports (
    id TEXT PRIMARY KEY,
    site TEXT NOT NULL REFERENCES sites(id),
    post_id TEXT NOT NULL REFERENCES posts(id),
    topic TEXT NOT NULL,
    reporter_id TEXT REFERENCES users(id),   -- NULL for an automated flag
    source TEXT NOT NULL CHECK (source IN ('member','company','automated')),
    detector TEXT,
    ground TEXT NOT NULL CHECK (ground IN ('rule','illegal')),
    rule_id TEXT,
    rule_version INTEGER,
    explanation TEXT NOT NULL,
    note TEXT NOT NULL,
    created_at TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open','actioned','dismissed')),
    decided_at TEXT,
    decided_by TEXT,
    decision_action_id TEXT,
    unfounded INTEGER NOT NULL DEFAULT 0
  ) STRICT;
  CREATE INDEX reports_by_status ON reports (site, status, created_at);
  CREATE INDEX reports_by_reporter ON reports (site, reporter_id, created_at);
  CREATE INDEX reports_by_post ON reports (site, post_id);

  CREATE TABLE moderation_actions (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT NOT NULL UNIQUE,
    site TEXT NOT NULL REFERENCES sites(id),
    type TEXT NOT NULL,
    target_kind TEXT NOT NULL CHECK (target_kind IN ('post','topic','account','report')),
    target_id TEXT NOT NULL,
    post_id TEXT,
    topic TEXT,
    subject_user_id TEXT,
    rule_id TEXT,
    rule_version INTEGER,
    reason TEXT NOT NULL,
    label_text TEXT,
    ends_at TEXT,
    reverses TEXT UNIQUE REFERENCES moderation_actions(id),
    report_ids TEXT NOT NULL,        -- JSON array
    appeal_id TEXT,
    moderator_id TEXT NOT NULL,      -- user id, or 'system' (misuse policy)
    automated_detection INTEGER NOT NULL,
    created_at TEXT NOT NULL
  ) STRICT;
  CREATE INDEX actions_by_target ON moderation_actions (site, target_kind, target_id, seq);
  CREATE INDEX actions_by_post ON moderation_actions (site, post_id, seq);
  CREATE INDEX actions_by_subject ON moderation_actions (site, subject_user_id, seq);
  CREATE TRIGGER moderation_actions_append_only_u BEFORE UPDATE ON moderation_actions BEGIN SELECT RAISE(ABORT, 'moderation_actions is append-only'); END;
  CREATE TRIGGER moderation_actions_append_only_d BEFORE DELETE ON moderation_actions BEGIN SELECT RAISE(ABORT, 'moderation_actions is append-only'); END;

  CREATE TABLE statements_of_reasons (
    puid TEXT PRIMARY KEY,
    site TEXT NOT NULL REFERENCES sites(id),
    action_id TEXT NOT NULL UNIQUE REFERENCES moderation_actions(id),
    statement TEXT NOT NULL,         -- JSON StatementOfReasons (no personal data)
    created_at TEXT NOT NULL
  ) STRICT;
  CREATE TRIGGER statements_append_only_u BEFORE UPDATE ON statements_of_reasons BEGIN SELECT RAISE(ABORT, 'statements_of_reasons is append-only'); END;
  CREATE TRIGGER statements_append_only_d BEFORE DELETE ON statements_of_reasons BEGIN SELECT RAISE(ABORT, 'statements_of_reasons is append-only'); END;

  CREATE TABLE appeals (
    id TEXT PRIMARY KEY,
    site TEXT NOT NULL REFERENCES sites(id),
    action_id TEXT REFERENCES moderation_actions(id),
    report_id TEXT REFERENCES reports(id),
    appellant_id TEXT NOT NULL REFERENCES users(id),
    info TEXT NOT NULL,
    created_at TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open','upheld','reversed')),
    decided_by TEXT,
    decided_at TEXT,
    decision_reason TEXT,
    reversal_action_id TEXT,
    unfounded INTEGER NOT NULL DEFAULT 0,
    CHECK ((action_id IS NULL) <> (report_id IS NULL))
  ) STRICT;
  CREATE UNIQUE INDEX appeals_one_per_action ON appeals (site, action_id, appellant_id) WHERE action_id IS NOT NULL;
  CREATE UNIQUE INDEX appeals_one_per_report ON appeals (site, report_id, appellant_id) WHERE report_id IS NOT NULL;
  CREATE INDEX appeals_by_status ON appeals (site, status, created_at);

  -- Notices to the person affected, at an unguessable id that works without signing in.
  CREATE TABLE notices (
    id TEXT PRIMARY KEY,
    site TEXT NOT NULL REFERENCES sites(id),
    user_id TEXT NOT NULL REFERENCES users(id),
    kind TEXT NOT NULL CHECK (kind IN ('action','report-received','report-outcome','appeal-received','appeal-decision','misuse-warning')),
    action_id TEXT,
    report_id TEXT,
    appeal_id TEXT,
    subject TEXT NOT NULL,
    body TEXT NOT NULL,              -- JSON
    created_at TEXT NOT NULL,
    emailed INTEGER NOT NULL DEFAULT 0
  ) STRICT;
  CREATE INDEX notices_by_user ON notices (site, user_id, created_at);

  CREATE TABLE moderator_pseudonyms (
    site TEXT NOT NULL REFERENCES sites(id),
    user_id TEXT NOT NULL,
    number INTEGER NOT NULL,
    PRIMARY KEY (site, user_id),
    UNIQUE (site, number)
  ) STRICT;

  -- Unfounded reports and appeals (the misuse policy counts them over a window).
  CREATE TABLE misuse_strikes (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    site TEXT NOT NULL REFERENCES sites(id),
    user_id TEXT NOT NULL REFERENCES users(id),
    kind TEXT NOT NULL CHECK (kind IN ('unfounded-report','unfounded-appeal')),
    ref_id TEXT NOT NULL,
    created_at TEXT NOT NULL
  ) STRICT;
  CREATE INDEX misuse_by_user ON misuse_strikes (site, user_id, created_at);

  -- Where each moderation record sits in the public audit log.
  CREATE TABLE moderation_log_refs (
    site TEXT NOT NULL REFERENCES sites(id),
    ref_kind TEXT NOT NULL CHECK (ref_kind IN ('action','appeal','rule','report')),
    ref_id TEXT NOT NULL,
    log_index INTEGER NOT NULL,
    PRIMARY KEY (site, ref_kind, ref_id)
  ) STRICT;
`;
