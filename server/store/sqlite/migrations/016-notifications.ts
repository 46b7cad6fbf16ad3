/**
 * Migration (issue 13, task "notify-server"): notifications people ask for.
 * - `notification_preferences`: a member's choices per site (all off until they opt in), the address
 *   our confirmation link proved, a hard bounce that turned mail off, when they were last sent a
 *   message and a digest (the coalescing window and the digest period count from these), and since
 *   when something waits for them (`waiting_since`: who is due is found without scanning the items).
 * - `topic_follows`: who follows which topic. `topic_pages`: the host page a topic is embedded in
 *   (reported by the widget, kept only on the site's origins), for the link back in messages.
 * - `seen_markers`: the newest post a member has seen per topic ("since your last visit").
 * - `notification_jobs`: the queue a post's commit adds to; a worker drains it off the request path
 *   into `notification_items` (one per person and post, waiting for their next message).
 * - `notification_messages`: what was sent (kinds, post ids, time; never the text), for the member's
 *   export. `notification_events`: unsubscribes, confirmations and bounces, for the member alone.
 */
export const NOTIFICATIONS_MIGRATION = `
  CREATE TABLE notification_preferences (
    site TEXT NOT NULL REFERENCES sites(id),
    user_id TEXT NOT NULL,
    replies INTEGER NOT NULL DEFAULT 0,
    mentions INTEGER NOT NULL DEFAULT 0,
    followed INTEGER NOT NULL DEFAULT 0,
    answers INTEGER NOT NULL DEFAULT 0,
    digest TEXT NOT NULL DEFAULT 'off',
    desk_questions INTEGER NOT NULL DEFAULT 0,
    moderation_digest INTEGER NOT NULL DEFAULT 0,
    language TEXT,
    confirmed_email TEXT,
    confirmation_sent_at TEXT,
    bounced_email TEXT,
    bounced_at TEXT,
    last_sent_at TEXT,
    last_digest_at TEXT,
    waiting_since TEXT,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (site, user_id)
  ) STRICT;

  CREATE INDEX notification_preferences_waiting ON notification_preferences (site, waiting_since);

  CREATE TABLE topic_follows (
    site TEXT NOT NULL REFERENCES sites(id),
    topic TEXT NOT NULL,
    user_id TEXT NOT NULL,
    created_at TEXT NOT NULL,
    PRIMARY KEY (site, topic, user_id)
  ) STRICT;
  CREATE INDEX topic_follows_by_user ON topic_follows (site, user_id);

  CREATE TABLE topic_pages (
    site TEXT NOT NULL REFERENCES sites(id),
    topic TEXT NOT NULL,
    page_url TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (site, topic)
  ) STRICT;

  CREATE TABLE seen_markers (
    site TEXT NOT NULL REFERENCES sites(id),
    topic TEXT NOT NULL,
    user_id TEXT NOT NULL,
    last_post_id TEXT NOT NULL,
    seen_at TEXT NOT NULL,
    PRIMARY KEY (site, topic, user_id)
  ) STRICT;
  CREATE INDEX seen_markers_by_user ON seen_markers (site, user_id);

  CREATE TABLE notification_jobs (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    site TEXT NOT NULL,
    kind TEXT NOT NULL,
    post_id TEXT NOT NULL,
    created_at TEXT NOT NULL,
    claimed_until TEXT
  ) STRICT;

  CREATE TABLE notification_items (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    site TEXT NOT NULL,
    user_id TEXT NOT NULL,
    kind TEXT NOT NULL,
    post_id TEXT NOT NULL,
    topic TEXT NOT NULL,
    created_at TEXT NOT NULL,
    message_id TEXT,
    UNIQUE (site, user_id, post_id)
  ) STRICT;
  CREATE INDEX notification_items_waiting ON notification_items (site, user_id, message_id);

  CREATE TABLE notification_messages (
    id TEXT PRIMARY KEY,
    site TEXT NOT NULL,
    user_id TEXT NOT NULL,
    kinds TEXT NOT NULL,
    post_ids TEXT NOT NULL,
    sent_at TEXT NOT NULL,
    outbox_id INTEGER,
    status TEXT NOT NULL
  ) STRICT;
  CREATE INDEX notification_messages_by_user ON notification_messages (site, user_id);

  CREATE TABLE notification_events (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    site TEXT NOT NULL,
    user_id TEXT NOT NULL,
    at TEXT NOT NULL,
    event TEXT NOT NULL,
    kind TEXT
  ) STRICT;
  CREATE INDEX notification_events_by_user ON notification_events (site, user_id);

  ALTER TABLE outbox ADD COLUMN html TEXT;
  ALTER TABLE outbox ADD COLUMN headers TEXT;
`;
