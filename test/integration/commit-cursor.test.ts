/**
 * The cursor the near-duplicate indexes catch up with (server/services/commit-cursor.ts), on a real
 * PostgreSQL (it starts its own, like postgres-database.test.ts) and on SQLite: a row whose id was
 * taken before a higher one commits after it is still read, once it commits.
 */
import Database from 'better-sqlite3';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CommitCursor, newRows } from '../../server/services/commit-cursor.js';
import { migrate as migrateSqlite } from '../../server/store/sqlite/migrations.js';
import type { SqlDatabase } from '../../server/store/sql/database.js';
import { parleyTypes, PostgresDatabase } from '../../server/store/sql/postgres-database.js';
import { SqliteDatabase } from '../../server/store/sql/sqlite-database.js';
import { testPostgres, type TestPostgres } from '../support/postgres.js';

let cluster: TestPostgres;
const closers: Array<() => Promise<void>> = [];

beforeAll(async () => {
  cluster = await testPostgres();
}, 60_000);
afterAll(async () => {
  for (const close of closers.reverse()) await close();
  await cluster.stop();
});

/** Reads what a cursor step offers, as an index would. */
async function read(db: SqlDatabase, cursor: CommitCursor): Promise<string[]> {
  const rows = newRows('seq', await cursor.next(db));
  return (await db.all<{ post_id: string }>(`SELECT post_id FROM staff_post_changes WHERE ${rows.sql} ORDER BY seq`, rows.params)).map((r) => r.post_id);
}
const add = (db: SqlDatabase, id: string) => db.run(`INSERT INTO staff_post_changes (site, post_id) VALUES ('s', ?)`, [id]);

describe('commit cursor', () => {
  it('on PostgreSQL, reads a row that commits after a higher one, once it commits, and nothing twice', async () => {
    const url = await cluster.createDatabase();
    const pool = new pg.Pool({ connectionString: url, max: 4, types: parleyTypes() });
    const db = new PostgresDatabase(pool);
    closers.push(() => db.close());
    await add(db, 'before');
    const cursor = await CommitCursor.at(db, 'staff_post_changes', 'seq');
    // The first step after the cursor is taken reads again what may have been in flight meanwhile.
    expect(await read(db, cursor)).toEqual(['before']);
    expect(await read(db, cursor)).toEqual([]);

    // A transaction takes an id and stays open; a later one takes a higher id and commits.
    const slow = await pool.connect();
    try {
      await slow.query('BEGIN');
      await slow.query(`INSERT INTO staff_post_changes (site, post_id) VALUES ('s', 'slow')`);
      await add(db, 'fast');
      expect(await read(db, cursor)).toEqual(['fast']);
      expect(cursor.missing).toBe(1);
      expect(await read(db, cursor)).toEqual([]);
      await slow.query('COMMIT');
    } finally {
      slow.release();
    }
    expect(await read(db, cursor)).toEqual(['slow']);
    expect(cursor.missing).toBe(0);
    expect(await read(db, cursor)).toEqual([]);

    // Long after it last looked (more ids than the hole window), it still finds a late commit among the newest.
    await db.run(`INSERT INTO staff_post_changes (site, post_id) SELECT 's', 'bulk' FROM generate_series(1, 1500)`);
    const late = await pool.connect();
    try {
      await late.query('BEGIN');
      await late.query(`INSERT INTO staff_post_changes (site, post_id) VALUES ('s', 'late')`);
      await add(db, 'after-late');
      const seen = await read(db, cursor);
      expect(seen.length).toBe(1501);
      expect(seen.at(-1)).toBe('after-late');
      expect(cursor.missing).toBe(1);
      await late.query('COMMIT');
    } finally {
      late.release();
    }
    expect(await read(db, cursor)).toEqual(['late']);
    expect(cursor.missing).toBe(0);
  });

  it('on SQLite, where ids commit in order, reads each new row once', async () => {
    const raw = new Database(':memory:');
    migrateSqlite(raw);
    const db = new SqliteDatabase(raw);
    closers.push(() => db.close());
    await add(db, 'before');
    const cursor = await CommitCursor.at(db, 'staff_post_changes', 'seq');
    expect(await read(db, cursor)).toEqual([]);
    await add(db, 'one');
    await add(db, 'two');
    expect(await read(db, cursor)).toEqual(['one', 'two']);
    expect(await read(db, cursor)).toEqual([]);
    expect(cursor.missing).toBe(0);
  });
});
