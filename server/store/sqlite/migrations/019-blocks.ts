/**
 * Migration (issue 13, task "block"): who blocked whom. One row per blocker and blocked account
 * of a site. Private to the blocker: never in the audit log, never shown to the blocked person.
 * The second index answers "who among these people blocked this writer?" (mentions) and erases
 * the rows of a blocked account.
 */
export const BLOCKS_MIGRATION = `
  CREATE TABLE user_blocks (
    site TEXT NOT NULL REFERENCES sites(id),
    user_id TEXT NOT NULL,           -- the member who blocked
    blocked_id TEXT NOT NULL,        -- the account they blocked
    created_at TEXT NOT NULL,
    PRIMARY KEY (site, user_id, blocked_id)
  ) STRICT;
  CREATE INDEX user_blocks_blocked ON user_blocks (site, blocked_id);
`;
