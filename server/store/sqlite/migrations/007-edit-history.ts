/** Migration 7: edit history (issue 6) — every version of an edited post is kept and public. */
export const EDIT_HISTORY_MIGRATION = `
  -- (filled in by the edit-history work)
  SELECT 1;
`;
