/**
 * Online backup of the SQLite database with SQLite's backup API (better-sqlite3's
 * `db.backup()`), safe while the server is running and writing: the source is opened
 * read-only by a separate connection, and all pages are copied in one step, so the copy is
 * one consistent snapshot (a multi-step copy restarts whenever another process commits,
 * and under steady writes might never finish). The server keeps writing meanwhile: in WAL
 * mode a reader does not block writers. The copy is written beside the target and renamed
 * into place, so a crash never leaves a half-written backup under the target's name.
 *
 * Restore (README): stop the server, copy the backup to <data dir>/parley.db, delete any
 * parley.db-wal and parley.db-shm left beside it, start the server.
 *
 * SQLite only: a PostgreSQL installation is backed up with PostgreSQL's own tools (pg_dump).
 */
import Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import type { Store } from '../store/store.js';
import { sqliteDatabaseOf } from '../store/sqlite/sqlite-store.js';
import { redactDatabaseUrl } from '../store/postgres/database-url.js';

export const NOT_SQLITE = 'parley backup copies an SQLite database, and this store is not SQLite: back up PostgreSQL with pg_dump.';

/** The refusal for a configured PostgreSQL database, with the pg_dump command for it (password left out). */
export function postgresBackupAdvice(databaseUrl: string): string {
  return `this installation runs on PostgreSQL (${redactDatabaseUrl(databaseUrl)}), and parley backup copies only a SQLite file. ` +
    `Back up PostgreSQL with its own tools, e.g.: pg_dump --format=custom --file parley.dump '${redactDatabaseUrl(databaseUrl)}' ` +
    '(the password from PGPASSWORD or ~/.pgpass; restore with pg_restore into an empty database). See docs/operations.md, "Backups on PostgreSQL".';
}

/** The SQLite file under a store, or a clear refusal when the store is on another database. */
export function sqliteFileOf(store: Store): string {
  const db = sqliteDatabaseOf(store);
  if (!db) throw new Error(NOT_SQLITE);
  return db.name;
}

/** Backs up the database of an open store (SQLite only; see NOT_SQLITE). */
export async function backupStore(store: Store, target: string, options: { overwrite?: boolean } = {}): Promise<BackupResult> {
  return backupDatabase(sqliteFileOf(store), target, options);
}

export interface BackupResult {
  file: string;
  bytes: number;
  pages: number;
  /** Posts in the copy, as a quick sanity figure for the operator. */
  posts: number;
  milliseconds: number;
}

export async function backupDatabase(source: string, target: string, options: { overwrite?: boolean } = {}): Promise<BackupResult> {
  const started = performance.now();
  const from = path.resolve(source);
  const to = path.resolve(target);
  if (!fs.existsSync(from)) throw new Error(`There is no database at ${from}.`);
  if (from === to) throw new Error('The backup must not overwrite the database itself.');
  if (fs.existsSync(to) && !options.overwrite) throw new Error(`${to} already exists; choose another name or pass --force.`);
  if (!fs.existsSync(path.dirname(to))) throw new Error(`The folder ${path.dirname(to)} does not exist.`);

  const partial = `${to}.partial-${process.pid}`;
  fs.rmSync(partial, { force: true });
  const db = new Database(from, { readonly: true, fileMustExist: true });
  try {
    db.pragma('busy_timeout = 5000');
    // The first step (0 pages) only sizes the copy; then everything in one step.
    const progress = await db.backup(partial, { progress: () => 0x7fffffff });
    const copy = new Database(partial);
    let posts = 0;
    try {
      const check = copy.pragma('quick_check', { simple: true });
      if (check !== 'ok') throw new Error(`The copy failed its integrity check: ${String(check)}`);
      // A standalone file: no WAL beside it, so copying it into place is a complete restore.
      copy.pragma('journal_mode = DELETE');
      posts = (copy.prepare('SELECT count(*) AS n FROM posts').get() as { n: number }).n;
    } finally {
      copy.close();
    }
    fs.renameSync(partial, to);
    return { file: to, bytes: fs.statSync(to).size, pages: progress.totalPages, posts, milliseconds: Math.round(performance.now() - started) };
  } catch (error) {
    fs.rmSync(partial, { force: true });
    throw error;
  } finally {
    db.close();
  }
}

/** `parley backup <file> [--data-dir DIR] [--force]`: prints one line (JSON) on success. */
export async function backupCommand(args: string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const { parseArgs } = await import('node:util');
  const { loadConfig } = await import('../config.js');
  let parsed;
  try {
    parsed = parseArgs({
      args,
      allowPositionals: true,
      options: { 'data-dir': { type: 'string' }, force: { type: 'boolean', default: false } },
      strict: true,
    });
  } catch (error) {
    process.stderr.write(`parley backup: ${(error as Error).message}\n`);
    return 2;
  }
  const target = parsed.positionals[0];
  if (!target || parsed.positionals.length > 1) {
    process.stderr.write('usage: parley backup <file> [--data-dir DIR] [--force]\n');
    return 2;
  }
  let config;
  try {
    config = loadConfig(env);
  } catch (error) {
    process.stderr.write(`parley backup: ${(error as Error).message}\n`);
    return 2;
  }
  // An installation on PostgreSQL has no SQLite file to copy: say so rather than back up a stale one.
  if (config.databaseUrl) {
    process.stderr.write(`parley backup: ${postgresBackupAdvice(config.databaseUrl)}\n`);
    return 1;
  }
  const dataDir = parsed.values['data-dir'] ? path.resolve(parsed.values['data-dir']) : config.dataDir;
  try {
    const result = await backupDatabase(path.join(dataDir, 'parley.db'), target, { overwrite: parsed.values.force });
    process.stdout.write(`${JSON.stringify({ ok: true, ...result })}\n`);
    return 0;
  } catch (error) {
    process.stderr.write(`parley backup: ${(error as Error).message}\n`);
    return 1;
  }
}
