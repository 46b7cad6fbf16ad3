/**
 * Parley's store on PostgreSQL: a connection pool, the schema brought up to date, and the same
 * SQL store the SQLite default runs (server/store/sql/sql-store.ts) on a PostgresDatabase.
 */
import pg from 'pg';
import { parleyTypes, PostgresDatabase } from '../sql/postgres-database.js';
import { createSqlStore } from '../sql/sql-store.js';
import type { Store } from '../store.js';
import { redactedDatabaseError } from './database-url.js';
import { migratePostgres } from './migrations.js';

export interface PostgresStoreOptions {
  /** postgres://user:password@host:port/database (the password never appears in logs or errors). */
  url: string;
  /** Connections in the pool (default 10). */
  poolSize?: number;
  /** Errors of idle pooled connections (e.g. the server restarted); they are otherwise ignored. */
  onPoolError?: (error: Error) => void;
}

export async function openPostgresStore(options: PostgresStoreOptions): Promise<Store> {
  const pool = new pg.Pool({
    connectionString: options.url,
    max: options.poolSize ?? 10,
    types: parleyTypes(),
  });
  const database = new PostgresDatabase(pool, options.onPoolError);
  try {
    await migratePostgres(pool);
  } catch (error) {
    await pool.end().catch(() => {});
    throw redactedDatabaseError(error, options.url);
  }
  return createSqlStore(database);
}
