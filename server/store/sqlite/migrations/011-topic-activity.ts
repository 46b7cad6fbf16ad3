/**
 * Migration 11 (issue 10, task "protocol"): a site's topic list by latest activity (GET /topics).
 * `topics.last_activity_at` is when the topic's newest post was written (kept by the post insert);
 * existing topics get it from their posts, or their creation when they have none.
 */
export const TOPIC_ACTIVITY_MIGRATION = `
  ALTER TABLE topics ADD COLUMN last_activity_at TEXT NOT NULL DEFAULT '';
  UPDATE topics SET last_activity_at = COALESCE(
    (SELECT MAX(p.created_at) FROM posts p WHERE p.site = topics.site AND p.topic = topics.id), created_at);
  CREATE INDEX topics_activity ON topics (site, last_activity_at);
`;
