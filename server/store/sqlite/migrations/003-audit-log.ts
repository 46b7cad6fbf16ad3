/** Migration 3: the public audit log (owned by the audit-log work; reserved until it lands). */
export const AUDIT_LOG_MIGRATION = `SELECT 1;`;
