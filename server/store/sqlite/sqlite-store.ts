/**
 * The SQLite Store: better-sqlite3 under the shared SQL store (../sql/sql-store.ts). WAL mode
 * lets readers proceed while a write commits; synchronous=NORMAL in WAL is durable against
 * process crashes (a power loss may drop the last transactions, never corrupt the file).
 * Statements are prepared once, on first use (SqliteDatabase caches them by their text).
 * Writes that touch several rows run in one IMMEDIATE transaction.
 */
import Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import { migrate } from './migrations.js';
import { SqliteDatabase } from '../sql/sqlite-database.js';
import { createSqlStore } from '../sql/sql-store.js';
import type { Store } from '../store.js';

export interface SqliteStoreOptions {
  /** Path of the database file; ':memory:' for a throwaway store. */
  file: string;
}

const DATABASES = new WeakMap<Store, Database.Database>();

/** The better-sqlite3 connection behind a SQLite store (online backup, SQLite-only tooling). */
export function sqliteDatabaseOf(store: Store): Database.Database | null {
  return DATABASES.get(store) ?? null;
}

export function openSqliteStore(options: SqliteStoreOptions): Store {
  if (options.file !== ':memory:') fs.mkdirSync(path.dirname(path.resolve(options.file)), { recursive: true });
  const db = new Database(options.file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  migrate(db);

  const store = createSqlStore(new SqliteDatabase(db));
  DATABASES.set(store, db);
  return store;
}
