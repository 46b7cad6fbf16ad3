/**
 * Migration 8: safety routing (issue 6) — pharmacovigilance contacts, possible adverse-event
 * flags, forwards to companies' safety teams with their deliveries, and monitoring-feed
 * tokens. Separate from moderation tables on purpose: a flag is not a report, and nothing
 * here changes a post. The products themselves stay in `companies.products` (migration 2).
 */
export const SAFETY_MIGRATION = `
  -- A company's pharmacovigilance contact: not public (the register only says one exists).
  CREATE TABLE safety_contacts (
    site TEXT NOT NULL REFERENCES sites(id),
    company_id TEXT NOT NULL,
    pv_email TEXT,
    pv_webhook_url TEXT,
    webhook_secret TEXT,             -- HMAC key for webhook signatures
    updated_at TEXT NOT NULL,
    updated_by TEXT NOT NULL,
    PRIMARY KEY (site, company_id),
    CHECK (pv_email IS NOT NULL OR pv_webhook_url IS NOT NULL)
  ) STRICT;

  -- One flag per (post, company) whose product a member's post names with a possible side effect.
  CREATE TABLE safety_flags (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT NOT NULL UNIQUE,
    site TEXT NOT NULL REFERENCES sites(id),
    post_id TEXT NOT NULL REFERENCES posts(id),
    topic TEXT NOT NULL,
    author_id TEXT NOT NULL,
    company_id TEXT NOT NULL,
    products TEXT NOT NULL,          -- JSON array of product names
    event_terms TEXT NOT NULL,       -- JSON array: matched terms as folded in the text
    concepts TEXT NOT NULL,          -- JSON array: lexicon concepts
    negated_terms TEXT NOT NULL,     -- JSON array
    language TEXT NOT NULL,
    reference TEXT NOT NULL UNIQUE,  -- PV-…: what a safety team quotes to the host organisation
    detected_at TEXT NOT NULL,
    log_index INTEGER,
    first_seen_at TEXT,              -- first time any staff of the company had it on screen (first wins)
    first_seen_by TEXT,              -- user id, or 'feed-token' (private)
    first_seen_via TEXT CHECK (first_seen_via IN ('screen','list','forward','feed')),
    consent INTEGER CHECK (consent IN (0, 1)),  -- NULL: the member has not answered
    consent_at TEXT,
    UNIQUE (site, post_id, company_id)
  ) STRICT;
  CREATE INDEX safety_flags_company ON safety_flags (site, company_id, seq);
  CREATE INDEX safety_flags_author ON safety_flags (site, author_id, seq);

  -- At most one forward per flag (idempotent); the payload is kept as sent.
  CREATE TABLE safety_forwards (
    id TEXT PRIMARY KEY,
    site TEXT NOT NULL REFERENCES sites(id),
    flag_id TEXT NOT NULL UNIQUE REFERENCES safety_flags(id),
    company_id TEXT NOT NULL,
    post_id TEXT NOT NULL,
    forwarded_by TEXT NOT NULL,
    forwarded_by_role TEXT NOT NULL CHECK (forwarded_by_role IN ('moderator','company-staff')),
    created_at TEXT NOT NULL,
    payload TEXT NOT NULL,
    log_index INTEGER
  ) STRICT;

  CREATE TABLE safety_deliveries (
    id TEXT PRIMARY KEY,
    site TEXT NOT NULL REFERENCES sites(id),
    forward_id TEXT NOT NULL REFERENCES safety_forwards(id),
    flag_id TEXT NOT NULL,
    company_id TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('forward','consent-update')),
    channel TEXT NOT NULL CHECK (channel IN ('email','webhook')),
    target TEXT NOT NULL,
    payload TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('pending','delivered','failed','held')),
    attempts INTEGER NOT NULL DEFAULT 0,
    last_error TEXT,
    last_attempt_at TEXT,
    next_attempt_at TEXT,
    delivered_at TEXT,
    created_at TEXT NOT NULL
  ) STRICT;
  CREATE INDEX safety_deliveries_due ON safety_deliveries (status, next_attempt_at);
  CREATE INDEX safety_deliveries_forward ON safety_deliveries (forward_id);

  -- A safety system polls its company's monitoring feed with this token (only a hash is kept).
  CREATE TABLE safety_feed_tokens (
    token_hash TEXT PRIMARY KEY,
    site TEXT NOT NULL REFERENCES sites(id),
    company_id TEXT NOT NULL,
    created_at TEXT NOT NULL,
    created_by TEXT NOT NULL,
    UNIQUE (site, company_id)
  ) STRICT;
`;
