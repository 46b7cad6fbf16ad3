/**
 * Migration (issues 11 and 16, task "spamwave"): `staff_post_changes`, the feed by which every
 * node's scripted-reply index learns of edits and removals of staff posts, whichever node made them.
 *
 * A trigger appends a row when the text or status of a post whose author snapshot names an
 * affiliation changes (an edit, a moderator's removal or restoration, the author's own deletion,
 * an erasure); `seq` only grows. Each node remembers the highest `seq` it has read and, before its
 * next query, re-reads those posts' current state (server/services/scripted-replies.ts). The
 * filter is the same text pre-filter the index uses (`"affiliation"` in the snapshot); the
 * company is read in TypeScript. A row names a post, never its text. PostgreSQL twin: 008_near_duplicate_sync.sql.
 */
export const NEAR_DUPLICATE_SYNC_MIGRATION = `
  CREATE TABLE staff_post_changes (
    seq INTEGER PRIMARY KEY,          -- grows with every change (never deleted from the top)
    site TEXT NOT NULL,
    post_id TEXT NOT NULL
  ) STRICT;
  CREATE TRIGGER staff_post_changed AFTER UPDATE OF body, status ON posts
    WHEN (NEW.body IS NOT OLD.body OR NEW.status IS NOT OLD.status) AND NEW.author_snapshot LIKE '%"affiliation"%'
    BEGIN INSERT INTO staff_post_changes (site, post_id) VALUES (NEW.site, NEW.id); END;
`;
