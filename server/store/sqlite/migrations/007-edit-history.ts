/**
 * Migration 7: edit history (issue 6). The posts table keeps the current text; every text an
 * edit replaced is kept here, with when it was written and replaced, and the markers of that
 * edit ("after a reply", "after a report": computed when editing, for company staff's posts).
 * Rows are never changed; they go only with the text itself when an erased member's posts are
 * blanked (the trigger below), so no earlier version outlives an erasure.
 */
export const EDIT_HISTORY_MIGRATION = `
  CREATE TABLE post_versions (
    site TEXT NOT NULL REFERENCES sites(id),
    post_id TEXT NOT NULL REFERENCES posts(id),
    version INTEGER NOT NULL,         -- 1 = the text as first posted
    body TEXT NOT NULL,               -- Markdown source of this version
    html TEXT NOT NULL,
    written_at TEXT NOT NULL,         -- when this text was published (the post's creation or an earlier edit)
    replaced_at TEXT NOT NULL,        -- when the edit replaced it
    editor_id TEXT NOT NULL REFERENCES users(id),
    after_reply INTEGER NOT NULL CHECK (after_reply IN (0, 1)),
    after_report INTEGER NOT NULL CHECK (after_report IN (0, 1)),
    PRIMARY KEY (post_id, version)
  ) STRICT;

  CREATE TRIGGER post_versions_no_update BEFORE UPDATE ON post_versions
    BEGIN SELECT RAISE(ABORT, 'post_versions are never changed'); END;

  -- Erasing a member with removePosts blanks their posts' text: their earlier versions go too.
  CREATE TRIGGER post_versions_erased AFTER UPDATE OF body ON posts
    WHEN NEW.body = '' AND NEW.status = 'removed'
    BEGIN DELETE FROM post_versions WHERE post_id = NEW.id; END;
`;
