/** Schema migrations: applied once each, in order, recorded in user_version; a newer database is refused. */
import Database from 'better-sqlite3';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { migrate, MIGRATIONS } from '../../server/store/sqlite/migrations.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-migrations-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('migrations', () => {
  it('bring a new database to the latest version once, and are idempotent on reopen', () => {
    const db = new Database(path.join(dir, 'fresh.db'));
    expect(migrate(db)).toEqual({ from: 0, to: MIGRATIONS.length });
    expect(db.pragma('user_version', { simple: true })).toBe(MIGRATIONS.length);
    expect(migrate(db)).toEqual({ from: MIGRATIONS.length, to: MIGRATIONS.length });
    const columns = (db.prepare(`SELECT name FROM pragma_table_info('users')`).all() as { name: string }[]).map((c) => c.name);
    expect(columns).toContain('name_chosen');
    db.close();
  });

  it('upgrade a database made by an earlier version step by step, keeping its rows', () => {
    const db = new Database(path.join(dir, 'older.db'));
    for (let v = 0; v < 2; v++) db.exec(MIGRATIONS[v]!);
    db.pragma('user_version = 2');
    db.prepare(`INSERT INTO sites (id, name, origins, public_keys, created_at) VALUES ('s', 'S', '[]', '[]', 'now')`).run();
    expect(migrate(db)).toEqual({ from: 2, to: MIGRATIONS.length });
    expect(db.prepare('SELECT name FROM sites').get()).toEqual({ name: 'S' });
    db.close();
  });

  it('refuses a database from a newer Parley instead of guessing', () => {
    const db = new Database(path.join(dir, 'newer.db'));
    db.pragma(`user_version = ${MIGRATIONS.length + 1}`);
    expect(() => migrate(db)).toThrow(/newer than this Parley/);
    db.close();
  });
});
