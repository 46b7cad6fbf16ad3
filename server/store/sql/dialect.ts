/**
 * The few places where SQLite and PostgreSQL need different SQL text. Stores call these
 * instead of branching on the dialect themselves, so every difference is listed here.
 */
import type { SqlDatabase } from './database.js';

/** Scalar maximum of its arguments: `max(a, b)` in SQLite, `greatest(a, b)` in PostgreSQL. */
export function greatest(db: Pick<SqlDatabase, 'dialect'>): string {
  return db.dialect === 'postgres' ? 'greatest' : 'max';
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
 * Takes a lock named `key` until the caller's transaction ends (call inside one). PostgreSQL:
 * a transaction-scoped advisory lock, which serialises the work across every node. SQLite
 * needs none: BEGIN IMMEDIATE already admits one writer at a time.
 */
export async function advisoryLock(db: SqlDatabase, key: string): Promise<void> {
  if (db.dialect !== 'postgres') return;
  await db.get('SELECT pg_advisory_xact_lock(hashtextextended(?, 0))', [key]);
}
