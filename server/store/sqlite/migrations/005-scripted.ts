/**
 * Migration 5: automated "scripted reply" labels. One row per labelled staff post: the
 * earlier posts by staff of the same company whose text is nearly the same, how many there
 * were, and the public audit log entry that records the automated detection. Append-only
 * in practice (a label is never edited; boilerplate changes only affect later posts).
 */
export const SCRIPTED_MIGRATION = `
  CREATE TABLE scripted_labels (
    site TEXT NOT NULL REFERENCES sites(id),
    post_id TEXT NOT NULL,
    similar_ids TEXT NOT NULL,       -- JSON array of post ids, most similar first (at most 20)
    count INTEGER NOT NULL,          -- times similar text was posted: the earlier similar posts found + this one
    company_id TEXT NOT NULL,
    company_name TEXT NOT NULL,
    similarity REAL NOT NULL,        -- highest estimated Jaccard similarity
    created_at TEXT NOT NULL,
    log_index INTEGER,               -- public audit log entry, NULL when the server keeps no log
    PRIMARY KEY (site, post_id)
  ) STRICT;
`;
