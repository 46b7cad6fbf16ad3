/** Migration 4: transparent moderation (owned by the moderation work; reserved until it lands). */
export const MODERATION_MIGRATION = `SELECT 1;`;
