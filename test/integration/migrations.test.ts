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

  it('give existing topics their last activity (the newest post, else the topic\'s creation) for GET /topics', () => {
    const db = new Database(path.join(dir, 'activity.db'));
    const step = MIGRATIONS.findIndex((m) => m.includes('last_activity_at'));
    expect(step).toBeGreaterThan(0);
    for (let v = 0; v < step; v++) db.exec(MIGRATIONS[v]!);
    db.pragma(`user_version = ${step}`);
    db.exec(`INSERT INTO sites (id, name, origins, public_keys, created_at) VALUES ('s', 'S', '[]', '[]', '2026-01-01T00:00:00.000Z');
      INSERT INTO users (id, site, sub, display_name, kind, created_at) VALUES ('u', 's', 'sub', 'U', 'member', '2026-01-01T00:00:00.000Z');
      INSERT INTO topics (site, id, created_at) VALUES ('s', 'busy', '2026-01-01T00:00:00.000Z'), ('s', 'empty', '2026-01-02T00:00:00.000Z');`);
    const insert = db.prepare(`INSERT INTO posts (id, site, topic, root, depth, seq, rev, author_id, author_snapshot, body, html, created_at, idempotency_key, request_hash)
      VALUES (?, 's', 'busy', ?, 0, ?, ?, 'u', '{}', 'b', 'b', ?, ?, 'h')`);
    insert.run('p1', 'p1', 1, 1, '2026-01-03T00:00:00.000Z', 'k1');
    insert.run('p2', 'p2', 2, 2, '2026-01-05T00:00:00.000Z', 'k2');
    migrate(db);
    expect(db.prepare('SELECT id, last_activity_at AS at FROM topics ORDER BY id').all()).toEqual([
      { id: 'busy', at: '2026-01-05T00:00:00.000Z' },
      { id: 'empty', at: '2026-01-02T00:00:00.000Z' },
    ]);
    db.close();
  });

  it('refuses a database from a newer Parley instead of guessing', () => {
    const db = new Database(path.join(dir, 'newer.db'));
    db.pragma(`user_version = ${MIGRATIONS.length + 1}`);
    expect(() => migrate(db)).toThrow(/newer than this Parley/);
    db.close();
  });
});
