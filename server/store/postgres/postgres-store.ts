/**
 * Parley's store on PostgreSQL: a connection pool, the schema brought up to date, and the same
 * SQL store the SQLite default runs (server/store/sql/sql-store.ts) on a PostgresDatabase.
 */
import pg from 'pg';
import { parleyTypes, PostgresDatabase } from '../sql/postgres-database.js';
import { createSqlStore } from '../sql/sql-store.js';
import type { Store } from '../store.js';
import { migratePostgres } from './migrations.js';

export interface PostgresStoreOptions {
  /** postgres://user:password@host:port/database (the password never appears in logs or errors). */
  url: string;
  /** Connections in the pool (default 10). */
  poolSize?: number;
  /** Errors of idle pooled connections (e.g. the server restarted); they are otherwise ignored. */
  onPoolError?: (error: Error) => void;
}

/** The URL with its password (and any password parameter) replaced by `***`, for logs and errors. */
export function redactDatabaseUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    for (const key of [...parsed.searchParams.keys()]) {
      if (/pass|secret|key/i.test(key)) parsed.searchParams.set(key, '***');
    }
    return parsed.toString();
  } catch {
    return url.replace(/\/\/([^:/@]*):[^@]*@/, '//$1:***@');
  }
}

/** An error that names the database without its password, keeping PostgreSQL's code. */
function redactedError(error: unknown, url: string): Error {
  const password = (() => {
    try {
      return decodeURIComponent(new URL(url).password);
    } catch {
      return '';
    }
  })();
  const scrub = (text: string): string => {
    let out = text.split(url).join(redactDatabaseUrl(url));
    if (password) out = out.split(password).join('***');
    return out;
  };
  const message = scrub(error instanceof Error ? error.message : String(error));
  const wrapped = new Error(`PostgreSQL at ${redactDatabaseUrl(url)}: ${message}`);
  const code = (error as { code?: unknown } | null)?.code;
  if (code !== undefined) Object.assign(wrapped, { code });
  return wrapped;
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
    throw redactedError(error, options.url);
  }
  return createSqlStore(database);
}
