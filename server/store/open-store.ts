/**
 * Opens the store the configuration asks for: PostgreSQL when a database URL is given
 * (postgres:// or postgresql://), else the embedded SQLite file.
 */
import { openPostgresStore, redactDatabaseUrl } from './postgres/postgres-store.js';
import { openSqliteStore } from './sqlite/sqlite-store.js';
import type { Store } from './store.js';

export { redactDatabaseUrl };

export interface OpenStoreOptions {
  /** A PostgreSQL URL; null, empty or absent for SQLite. */
  databaseUrl?: string | null;
  /** The SQLite database file (':memory:' for a throwaway store), used when there is no databaseUrl. */
  file: string;
  /** PostgreSQL pool size (default 10). */
  poolSize?: number;
}

/** True for a URL that names a PostgreSQL database. */
export function isPostgresUrl(url: string | null | undefined): url is string {
  return typeof url === 'string' && /^postgres(ql)?:\/\//i.test(url.trim());
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
