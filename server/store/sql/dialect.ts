/**
 * The few places where SQLite and PostgreSQL need different SQL text. Stores call these
 * instead of branching on the dialect themselves, so every difference is listed here.
 */
import type { SqlDatabase } from './database.js';

/** Scalar maximum of its arguments: `max(a, b)` in SQLite, `greatest(a, b)` in PostgreSQL. */
export function greatest(db: Pick<SqlDatabase, 'dialect'>): string {
  return db.dialect === 'postgres' ? 'greatest' : 'max';
}

/**
 * Whether INSERT/UPDATE may appear in a WITH clause (PostgreSQL), so several dependent writes go
 * to the server as one statement — one round trip instead of several. SQLite has no writable
 * CTEs; it runs in-process, where a statement costs no round trip, so its stores keep the
 * step-by-step form.
 */
export function writableCtes(db: Pick<SqlDatabase, 'dialect'>): boolean {
  return db.dialect === 'postgres';
}

/**
 * True when a statement failed on a unique or primary key: PostgreSQL's 23505, SQLite's
 * SQLITE_CONSTRAINT_UNIQUE / _PRIMARYKEY.
 */
export function isUniqueViolation(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}

/** Scalar minimum of its arguments. */
export function least(db: Pick<SqlDatabase, 'dialect'>): string {
  return db.dialect === 'postgres' ? 'least' : 'min';
}

/**
 * Row lock for a read-then-write inside a transaction. SQLite has one writer at a time
 * (BEGIN IMMEDIATE), so it needs none.
 */
export function forUpdate(db: Pick<SqlDatabase, 'dialect'>): string {
  return db.dialect === 'postgres' ? ' FOR UPDATE' : '';
}

/** Aggregate joining text values with a separator: group_concat / string_agg. */
export function groupConcat(db: Pick<SqlDatabase, 'dialect'>, expression: string, separator: string): string {
  const quoted = `'${separator.replace(/'/g, "''")}'`;
  return db.dialect === 'postgres' ? `string_agg(${expression}, ${quoted})` : `group_concat(${expression}, ${quoted})`;
}

/**
 * Takes a lock named by `key` until the caller's transaction ends (commit or rollback), so work
 * under the same key is serialised across every process sharing the database — e.g. the audit
 * log's appends per site when several Parley nodes share one PostgreSQL. Call it inside
 * `db.transaction(…)`. On SQLite a transaction already holds the only write lock: nothing to do.
 */
export async function advisoryLock(db: SqlDatabase, key: string): Promise<void> {
  if (db.dialect !== 'postgres') return;
  if (!db.inTransaction()) throw new Error('advisoryLock must be called inside a transaction');
  await db.get('SELECT pg_advisory_xact_lock(hashtextextended(?, 0))', [key]);
}

/**
 * Row lock that skips rows another transaction holds: queue workers on several nodes each take
 * different jobs instead of waiting for one another (PostgreSQL `FOR UPDATE SKIP LOCKED`). SQLite
 * has one writer at a time, so there is nothing to skip.
 */
export function forUpdateSkipLocked(db: Pick<SqlDatabase, 'dialect'>): string {
  return db.dialect === 'postgres' ? ' FOR UPDATE SKIP LOCKED' : '';
}
