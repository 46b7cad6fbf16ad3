/**
 * PostgreSQL schema migrations: the files NNN_name.sql in ./migrations, applied in order, once
 * each, recorded in `schema_migrations`. Every future SQLite migration
 * (server/store/sqlite/migrations.ts) needs its PostgreSQL twin here, as the next file; never
 * edit a file that has shipped.
 *
 * All pending files are applied in ONE transaction, after taking a transaction-scoped advisory
 * lock: two Parley nodes starting together against one database queue at the lock, and the
 * second then finds the work done. The transaction is READ COMMITTED (not the stores'
 * SERIALIZABLE) on purpose: each statement after the lock sees what the first node committed.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type pg from 'pg';

/** Where the .sql files live (the build must copy them next to the compiled runner). */
export const MIGRATIONS_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'migrations');

/** The advisory lock key every migrating node takes (hashed to a bigint by PostgreSQL). */
const LOCK_KEY = 'parley:schema-migrations';

export interface PostgresMigration {
  version: number;
  name: string;
  sql: string;
}

/** The migration files, in order; their numbers must run 1, 2, 3 … without gaps. */
export function postgresMigrations(dir: string = MIGRATIONS_DIR): PostgresMigration[] {
  if (!fs.existsSync(dir)) {
    throw new Error(`PostgreSQL schema migrations not found in ${dir} (a build must copy server/store/postgres/migrations/*.sql there)`);
  }
  const files = fs.readdirSync(dir).filter((f) => /^\d+_[\w-]+\.sql$/.test(f)).sort();
  return files.map((file, i) => {
    const version = Number(file.slice(0, file.indexOf('_')));
    if (version !== i + 1) throw new Error(`PostgreSQL migration ${file}: expected number ${i + 1}`);
    return { version, name: file.replace(/\.sql$/, ''), sql: fs.readFileSync(path.join(dir, file), 'utf8') };
  });
}

/**
 * Brings the database up to the newest schema. Returns the version before and after. Refuses a
 * database whose schema is newer than this Parley knows, as the SQLite migrator does.
 */
export async function migratePostgres(
  pool: pg.Pool,
  migrations: PostgresMigration[] = postgresMigrations(),
): Promise<{ from: number; to: number }> {
  const client = await pool.connect();
  let broken: Error | undefined;
  try {
    await client.query('BEGIN');
    try {
      await client.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [LOCK_KEY]);
      await client.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
        version integer PRIMARY KEY,
        name text NOT NULL,
        applied_at text NOT NULL
      )`);
      const { rows } = await client.query<{ version: number | null }>('SELECT max(version) AS version FROM schema_migrations');
      const from = rows[0]?.version ?? 0;
      const to = migrations.length;
      if (from > to) {
        throw new Error(
          `The database is at schema version ${from}, newer than this Parley (${to}). Upgrade Parley or restore a backup.`,
        );
      }
      for (const migration of migrations.slice(from)) {
        await client.query(migration.sql);
        await client.query('INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)', [
          migration.version, migration.name, new Date().toISOString(),
        ]);
      }
      await client.query('COMMIT');
      return { from, to };
    } catch (error) {
      await client.query('ROLLBACK').catch((rollbackError: Error) => {
        broken = rollbackError;
      });
      throw error;
    }
  } finally {
    client.release(broken);
  }
}
