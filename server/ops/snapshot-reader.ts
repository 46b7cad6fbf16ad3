/**
 * Read-only access to a Parley database for the operator's tools (`parley verify`,
 * `parley db copy`), on either database, seeing ONE consistent snapshot from the first read to
 * `close()` — so a server that keeps appending meanwhile cannot make a check compare a newer
 * checkpoint with older entries.
 *
 *   const db = await openSnapshot('data/parley.db');            // or 'postgres://…'
 *   const rows = await db.all<{ site: string }>('SELECT site FROM audit_logs WHERE origin = ?', [o]);
 *   await db.close();
 *
 * SQL uses `?` placeholders (rewritten to `$n` on PostgreSQL, as the stores' SQL is).
 * - SQLite: a read-only better-sqlite3 connection in a deferred transaction (WAL: the snapshot
 *   is taken at the first read; writers carry on).
 * - PostgreSQL: one connection in a REPEATABLE READ READ ONLY transaction; int8 and numeric come
 *   back as numbers, bytea as Buffers (Parley's type parsers). Never migrates the schema.
 */
import Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { isPostgresUrl, redactDatabaseUrl, redactedDatabaseError } from '../store/postgres/database-url.js';
import { parleyTypes, rewritePlaceholders } from '../store/sql/postgres-database.js';
import type { SqlDialect } from '../store/sql/database.js';
import type { SubtreeHashSource } from '../../moderation/log/index.js';

export interface SnapshotReader {
  readonly dialect: SqlDialect;
  /** What to call the database in messages: the file, or the URL without its password. */
  readonly name: string;
  all<Row = any>(sql: string, params?: readonly unknown[]): Promise<Row[]>;
  get<Row = any>(sql: string, params?: readonly unknown[]): Promise<Row | undefined>;
  close(): Promise<void>;
}

/** The SQLite file a target names: the file itself, or parley.db in a data folder. */
export function sqliteFileOfTarget(target: string): string {
  return fs.existsSync(target) && fs.statSync(target).isDirectory() ? path.join(target, 'parley.db') : target;
}

/** Opens a snapshot of a SQLite file (or data folder) or a postgres:// URL. */
export async function openSnapshot(target: string): Promise<SnapshotReader> {
  return isPostgresUrl(target) ? openPostgresSnapshot(target) : openSqliteSnapshot(sqliteFileOfTarget(target));
}

export function openSqliteSnapshot(file: string): SnapshotReader {
  if (!fs.existsSync(file)) throw new Error(`There is no database at ${file}.`);
  const db = new Database(file, { readonly: true, fileMustExist: true });
  db.pragma('busy_timeout = 5000');
  db.exec('BEGIN');
  return {
    dialect: 'sqlite',
    name: file,
    async all<Row>(sql: string, params: readonly unknown[] = []) {
      return db.prepare(sql).all(...params) as Row[];
    },
    async get<Row>(sql: string, params: readonly unknown[] = []) {
      return db.prepare(sql).get(...params) as Row | undefined;
    },
    async close() {
      if (db.inTransaction) db.exec('COMMIT');
      db.close();
    },
  };
}

export async function openPostgresSnapshot(url: string): Promise<SnapshotReader> {
  const client = new pg.Client({ connectionString: url, types: parleyTypes() });
  // An idle connection dropped by the server must not crash the process; the next query fails instead.
  client.on('error', () => {});
  try {
    await client.connect();
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
  } catch (error) {
    await client.end().catch(() => {});
    throw redactedDatabaseError(error, url);
  }
  const query = async (sql: string, params: readonly unknown[]) => {
    try {
      return (await client.query(rewritePlaceholders(sql).text, params as unknown[])).rows;
    } catch (error) {
      throw redactedDatabaseError(error, url);
    }
  };
  return {
    dialect: 'postgres',
    name: redactDatabaseUrl(url),
    async all<Row>(sql: string, params: readonly unknown[] = []) {
      return (await query(sql, params)) as Row[];
    },
    async get<Row>(sql: string, params: readonly unknown[] = []) {
      return (await query(sql, params))[0] as Row | undefined;
    },
    async close() {
      await client.query('COMMIT').catch(() => {});
      await client.end();
    },
  };
}

/**
 * Runs a Merkle computation (a root, a proof) that asks for stored subtree hashes synchronously,
 * with the hashes read from `audit_nodes`: a first pass with placeholder hashes learns which
 * (level, index) pairs it needs (O(log n) of them), one query reads them, a second pass computes.
 */
export async function withStoredNodes<T>(db: SnapshotReader, site: string, compute: (source: SubtreeHashSource) => T): Promise<T> {
  const wanted = new Map<string, [number, number]>();
  compute({
    subtreeHash(level, index) {
      wanted.set(`${level}/${index}`, [level, index]);
      return new Uint8Array(32);
    },
  });
  const stored = new Map<string, Uint8Array>();
  const pairs = [...wanted.values()];
  for (let i = 0; i < pairs.length; i += 200) {
    const chunk = pairs.slice(i, i + 200);
    const rows = await db.all<{ level: number; idx: number; hash: Buffer }>(
      `SELECT level, idx, hash FROM audit_nodes WHERE site = ? AND (${chunk.map(() => '(level = ? AND idx = ?)').join(' OR ')})`,
      [site, ...chunk.flat()],
    );
    for (const r of rows) stored.set(`${r.level}/${r.idx}`, new Uint8Array(r.hash));
  }
  return compute({
    subtreeHash(level, index) {
      const hash = stored.get(`${level}/${index}`);
      if (!hash) throw new Error(`missing subtree hash (${level}, ${index})`);
      return hash;
    },
  });
}
