/**
 * Opens the store the configuration asks for: PostgreSQL when a database URL is given
 * (postgres:// or postgresql://), else the embedded SQLite file.
 */
import { isPostgresUrl, redactDatabaseUrl } from './postgres/database-url.js';
import { openPostgresStore } from './postgres/postgres-store.js';
import { openSqliteStore } from './sqlite/sqlite-store.js';
import type { Store } from './store.js';

export { isPostgresUrl, redactDatabaseUrl };

export interface OpenStoreOptions {
  /** A PostgreSQL URL; null, empty or absent for SQLite. */
  databaseUrl?: string | null;
  /** The SQLite database file (':memory:' for a throwaway store), used when there is no databaseUrl. */
  file: string;
  /** PostgreSQL pool size (default 10). */
  poolSize?: number;
}

/** The store's kind and location for a log line, without any password. */
export function describeStore(options: OpenStoreOptions): string {
  return isPostgresUrl(options.databaseUrl) ? `PostgreSQL ${redactDatabaseUrl(options.databaseUrl.trim())}` : `SQLite ${options.file}`;
}

export async function openStore(options: OpenStoreOptions): Promise<Store> {
  if (isPostgresUrl(options.databaseUrl)) {
    return openPostgresStore({ url: options.databaseUrl.trim(), poolSize: options.poolSize });
  }
  return openSqliteStore({ file: options.file });
}
