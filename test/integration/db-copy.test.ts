/**
 * `parley db copy`: a real SQLite installation, built through the HTTP API (sites, members,
 * posts with replies, a report, a removal with its statement of reasons, an appeal and its
 * decision, a redaction and a key rotation in the audit log), moved into a fresh PostgreSQL
 * database of a throwaway cluster. The copy verifies; a server started on it serves the same
 * pages and the same log; it refuses a non-empty target; and a copy tampered with after the
 * fact fails the verification step. The source is always SQLite, whatever PARLEY_TEST_DATABASE
 * says (the test server is given its own data folder).
 */
import Database from 'better-sqlite3';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT_DIR } from '../../server/app.js';
import type { MerkleAuditLog } from '../../server/audit/merkle-audit-log.js';
import { copyDatabase, CopyRefused, verifyCopy } from '../../server/ops/db-copy.js';
import { runVerify } from '../../server/ops/verify-cli.js';
import { http } from '../support/clients.js';
import { tempDir } from '../support/child-server.js';
import { act, postAs, setUpModeration } from '../support/moderation-fixtures.js';
import { testPostgres, type TestPostgres } from '../support/postgres.js';
import { startTestServer, type TestServer } from '../support/server.js';

let cluster: TestPostgres;
const cleanup: Array<() => unknown> = [];

beforeAll(async () => {
  cluster = await testPostgres();
}, 60_000);

afterAll(async () => {
  for (const step of cleanup.reverse()) await step();
  await cluster.stop();
});

function parley(args: string[], env: Record<string, string> = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [path.join(ROOT_DIR, 'bin/parley-dev.js'), ...args], {
      cwd: ROOT_DIR,
      env: { ...process.env, LOG_LEVEL: 'silent', ...env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

/** A SQLite test server on a data folder of our own (it outlives the server). */
async function sqliteServer(dataDir: string): Promise<TestServer> {
  return startTestServer({ dataDir });
}

/** A pool for looking into (or tampering with) a database directly. */
function poolOn(url: string): pg.Pool {
  const pool = new pg.Pool({ connectionString: url, max: 1 });
  pool.on('error', () => {}); // an idle connection ended by a database drop in cleanup
  return pool;
}

async function emptyDatabase(): Promise<string> {
  const url = await cluster.createDatabase({ schema: false });
  cleanup.push(() => cluster.dropDatabase(url));
  return url;
}

/** Rows per table in a SQLite file. */
function sqliteCounts(file: string): Record<string, number> {
  const db = new Database(file, { readonly: true });
  try {
    // posts_fts* is SQLite's search index (issue 16): not copied, PostgreSQL computes its own.
    const tables = (db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'posts_fts%' ORDER BY name`).all() as Array<{ name: string }>).map((r) => r.name);
    return Object.fromEntries(tables.map((t) => [t, (db.prepare(`SELECT count(*) AS n FROM "${t}"`).get() as { n: number }).n]));
  } finally {
    db.close();
  }
}

/** Everything a visitor, a member and a moderator read, with the server's own address taken out. */
async function readPages(server: TestServer, tokens: { alice: string; carol: string; moderator: string }, topic: string, postIds: string[], actionId: string) {
  const api = `${server.url}/api/sites/alpha`;
  const get = async (url: string, token?: string) => {
    const res = await http(url, token ? { token } : {});
    expect(res.status, url).toBe(200);
    // Stored statements keep the address the source server had; pages built now use the copy's.
    return JSON.parse(JSON.stringify(res.body).replace(/http:\/\/127\.0\.0\.1:\d+/g, 'SERVER'));
  };
  const size = (await get(`${api}/log/checkpoint?format=json`)).treeSize as number;
  return {
    topics: await get(`${api}/topics`),
    posts: await get(`${api}/topics/${topic}/posts`),
    post: await Promise.all(postIds.map((id) => get(`${api}/posts/${id}`))),
    history: await get(`${api}/posts/${postIds[0]}/history`),
    action: await get(`${api}/moderation/actions/${actionId}`),
    statements: await get(`${api}/transparency/statements`),
    rules: await get(`${api}/rules`),
    aliceNotices: await get(`${api}/me/notices`, tokens.alice),
    carolAppeals: await get(`${api}/me/appeals`, tokens.carol),
    moderationLog: await get(`${api}/moderation/log`, tokens.moderator),
    entries: await get(`${api}/log/entries?start=0&end=${size}`),
    keys: await get(`${api}/log/keys`),
    betaTopics: await get(`${server.url}/api/sites/beta/topics`),
  };
}

describe('parley db copy', () => {
  it('moves a real installation into PostgreSQL: verified, and a server on the copy serves the same pages and log', async () => {
    const dataDir = tempDir('parley-copy-src-');
    cleanup.push(() => fs.rmSync(dataDir, { recursive: true, force: true }));
    const source = await sqliteServer(dataDir);
    let sourceOpen = true;
    cleanup.push(() => sourceOpen && source.close());
    const fx = await setUpModeration(source);
    const topic = 'copy-topic';
    const question = await postAs(fx, fx.alice.token, 'Has anyone taken the new dose with food?', topic);
    const reply = await postAs(fx, fx.bob.token, 'Yes, with breakfast; no trouble.', topic, question.id);
    await postAs(fx, fx.alice.token, 'Thank you, that helps.', topic, reply.id);
    const edited = await http(`${fx.api}/posts/${reply.id}`, { method: 'PATCH', token: fx.bob.token, body: { body: 'Yes, with breakfast; no trouble at all.' } });
    expect(edited.status, JSON.stringify(edited.body)).toBe(200);
    const insult = await postAs(fx, fx.carol.token, 'Shut up, Alice, nobody asked you.', topic, question.id);
    expect((await http(`${fx.api}/reports`, { token: fx.alice.token, body: { postId: insult.id, ground: 'rule', ruleId: 'R1', goodFaith: true } })).status).toBe(201);
    const removed = await act(fx, fx.moderatorToken, { type: 'remove', postId: insult.id, ruleId: 'R1', reason: 'Insult towards another member', facts: 'The reply insults another member.' });
    expect(removed.status, JSON.stringify(removed.body)).toBe(201);
    const action = removed.body.action;
    const appeal = await http(`${fx.api}/appeals`, { token: fx.carol.token, body: { actionId: action.id, info: 'It was a joke between friends.' } });
    expect(appeal.status).toBe(201);
    const decided = await http(`${fx.api}/moderation/appeals/${appeal.body.appeal.id}/decision`, { token: fx.mod2Token, body: { outcome: 'upheld', reason: 'The words insult a member whatever the intent.' } });
    expect(decided.status, JSON.stringify(decided.body)).toBe(200);
    // The operator's log commands: a redaction and a key rotation (no HTTP route: the server's own log service).
    const audit = source.ctx.audit as MerkleAuditLog;
    const withText = (await source.store.database.all<{ idx: number; field: string }>(`SELECT idx, field FROM audit_sensitive WHERE site = 'alpha' AND field <> 'actor.userId' ORDER BY idx`));
    expect(withText.length).toBeGreaterThan(0);
    await audit.redact('alpha', withText[0]!.idx, withText[0]!.field, { type: 'operator', label: 'Operator' }, 'erasure-request');
    await audit.rotateKey('alpha', { type: 'operator', label: 'Operator' }, 'scheduled');
    await audit.signCheckpoint('alpha');
    // A second site with a little in it.
    const betaToken = await source.sign('beta', { sub: 'beta-1', name: 'Bea' });
    expect((await http(`${source.url}/api/sites/beta/posts`, { token: betaToken, body: { topic: 'beta-topic', body: 'Hello from Beta', idempotencyKey: 'beta-key-0001' } })).status).toBe(201);

    const tokens = { alice: fx.alice.token, carol: fx.carol.token, moderator: fx.moderatorToken };
    const before = await readPages(source, tokens, topic, [question.id, reply.id, insult.id], action.id);
    const key = before.keys.current as string;
    await source.close();
    sourceOpen = false;
    const file = path.join(dataDir, 'parley.db');
    const counts = sqliteCounts(file);

    // Small batches, so every table with more than a few rows crosses batch edges.
    const url = await emptyDatabase();
    const lines: string[] = [];
    const report = await copyDatabase({ from: dataDir, to: url, batchRows: 7, progress: (l) => lines.push(l) });
    expect(report.verification.ok, JSON.stringify(report.verification.checks)).toBe(true);
    expect(Object.fromEntries(report.tables.map((t) => [t.table, t.rows]))).toEqual(counts);
    expect(report.verification.tables.every((t) => t.source === t.target)).toBe(true);
    expect(report.rows).toBe(Object.values(counts).reduce((a, b) => a + b, 0));
    expect(report.statements).toBeLessThan(report.rows); // multi-row INSERTs, not one per row
    expect(report.verification.sites.map((s) => s.site)).toEqual(['alpha', 'beta']);
    // The tables only PostgreSQL has (state the nodes share) stay empty and are named, not compared.
    expect(report.verification.checks.map((c) => c.message).join('\n')).toMatch(/^Not compared: .*rate_limit_points.* \(PostgreSQL only: state the nodes share, empty after a copy\)\.$/m);
    expect(report.verification.checks.map((c) => c.message).join('\n')).toMatch(/Site alpha: \d+ entries, root [0-9a-f]{16}… equal; latest checkpoint \(\d+ entries\) equal and matches the copied tree\./);
    expect(report.to).not.toContain('@127.0.0.1:0');
    expect(lines.some((l) => /posts: \d+ rows/.test(l))).toBe(true);

    // The identity columns came across unchanged.
    const sqlite = new Database(file, { readonly: true });
    const target = poolOn(url);
    cleanup.push(() => target.end());
    const rowids = (sqlite.prepare('SELECT rowid, id FROM posts ORDER BY rowid').all() as Array<{ rowid: number; id: string }>).map((r) => `${r.rowid}:${r.id}`);
    expect((await target.query('SELECT rowid, id FROM posts ORDER BY rowid')).rows.map((r) => `${r.rowid}:${r.id}`)).toEqual(rowids);
    const seqs = (sqlite.prepare('SELECT seq, id FROM moderation_actions ORDER BY seq').all() as Array<{ seq: number; id: string }>).map((r) => `${r.seq}:${r.id}`);
    expect((await target.query('SELECT seq, id FROM moderation_actions ORDER BY seq')).rows.map((r) => `${r.seq}:${r.id}`)).toEqual(seqs);
    sqlite.close();

    // parley verify accepts the copy, sensitive values included, as it accepts the original.
    for (const database of [file, url]) {
      const v = (await runVerify({ target: database, site: 'alpha', key })).result;
      expect(v.ok, v.message).toBe(true);
      expect(v.checks.find((c) => c.name === 'sensitive-values')?.ok).toBe(true);
    }

    // A server on the copy serves the same JSON, then carries on: new ids follow the copied ones.
    const copy = await startTestServer({ databaseUrl: url, keepDatabase: true });
    let copyOpen = true;
    cleanup.push(() => copyOpen && copy.close());
    const after = await readPages(copy, tokens, topic, [question.id, reply.id, insult.id], action.id);
    expect(after).toEqual(before);
    const more = await postAs({ ...fx, api: `${copy.url}/api/sites/alpha` }, fx.bob.token, 'Written after the move.', topic);
    // moderation_actions.seq is an identity column: a sequence left at 1 would collide here.
    const label = await act({ ...fx, api: `${copy.url}/api/sites/alpha` }, fx.moderatorToken, { type: 'label', postId: more.id, ruleId: 'R5', reason: 'Context', labelText: 'See the product information.', facts: 'A label added after the move.' });
    expect(label.status, JSON.stringify(label.body)).toBe(201);
    expect((await target.query('SELECT max(seq) AS m FROM moderation_actions')).rows[0].m).toBe(String(seqs.length + 1));
    const newest = (await target.query<{ rowid: string }>('SELECT rowid FROM posts WHERE id = $1', [more.id])).rows[0]!;
    expect(Number(newest.rowid)).toBeGreaterThan(rowids.length);
    await copy.close();
    copyOpen = false;
  }, 120_000);

  it('refuses a target that is not empty, and copies nothing into it', async () => {
    const dataDir = tempDir('parley-copy-refuse-');
    cleanup.push(() => fs.rmSync(dataDir, { recursive: true, force: true }));
    const source = await sqliteServer(dataDir);
    const token = await source.sign('alpha', { sub: 'm1', name: 'Mia' });
    expect((await http(`${source.url}/api/sites/alpha/posts`, { token, body: { topic: 't', body: 'One post', idempotencyKey: 'refuse-key-01' } })).status).toBe(201);
    await source.close();

    // A database that already holds an installation (here: a first copy).
    const url = await emptyDatabase();
    expect((await copyDatabase({ from: dataDir, to: url })).verification.ok).toBe(true);
    const refused = copyDatabase({ from: dataDir, to: url });
    await expect(refused).rejects.toBeInstanceOf(CopyRefused);
    await expect(copyDatabase({ from: dataDir, to: url })).rejects.toThrow(/already holds Parley data \(rows in .*posts.*\)\. parley db copy only fills an EMPTY database/);
    const pool = poolOn(url);
    try {
      expect(Number((await pool.query('SELECT count(*) AS n FROM posts')).rows[0].n)).toBe(1);
    } finally {
      await pool.end();
    }

    // A database with something else in it.
    const other = await emptyDatabase();
    const otherPool = poolOn(other);
    try {
      await otherPool.query('CREATE TABLE invoices (id integer PRIMARY KEY)');
      await expect(copyDatabase({ from: dataDir, to: other })).rejects.toThrow(/is not empty and is not a Parley database \(tables: invoices\)/);
      expect((await otherPool.query(`SELECT tablename FROM pg_tables WHERE schemaname = 'public'`)).rows).toEqual([{ tablename: 'invoices' }]);
    } finally {
      await otherPool.end();
    }

    // A Parley schema with no rows (a node started on it once, say) counts as empty.
    const migrated = await cluster.createDatabase();
    cleanup.push(() => cluster.dropDatabase(migrated));
    expect((await copyDatabase({ from: dataDir, to: migrated })).verification.ok).toBe(true);
    // The operator's log commands follow the installation there (PARLEY_DATABASE_URL).
    const signed = await parley(['log', 'sign', 'alpha'], { PARLEY_DATABASE_URL: migrated });
    expect(signed.code, signed.stderr).toBe(0);
    expect(signed.stdout).toMatch(/\/parley\/alpha\n\d+\n/);
    expect((await runVerify({ target: migrated, site: 'alpha' })).result.ok).toBe(true);

    // The command line: exit code 1 and the reason, password-free.
    const cli = await parley(['db', 'copy', '--from', dataDir, '--to', url]);
    expect(cli.code).toBe(1);
    expect(cli.stderr).toMatch(/parley db copy: The target database .* already holds Parley data/);
    expect((await parley(['db', 'copy', '--from', dataDir])).code).toBe(2); // no target anywhere
    expect((await parley(['db', 'copy', '--from', dataDir, '--to', 'mysql://x'])).stderr).toMatch(/--to must be a postgres:\/\/ URL/);
  }, 120_000);

  it('the command copies and verifies (exit 0); a copy tampered with afterwards fails verification (exit 1)', async () => {
    const dataDir = tempDir('parley-copy-tamper-');
    cleanup.push(() => fs.rmSync(dataDir, { recursive: true, force: true }));
    const source = await sqliteServer(dataDir);
    const fx = await setUpModeration(source);
    const posts = [];
    for (let i = 0; i < 12; i++) posts.push(await postAs(fx, fx.alice.token, `Message number ${i}`, 'tamper-topic'));
    expect((await act(fx, fx.moderatorToken, { type: 'remove', postId: posts[3]!.id, ruleId: 'R1', reason: 'Insult', facts: 'An insult.' })).status).toBe(201);
    await (source.ctx.audit as MerkleAuditLog).signCheckpoint('alpha');
    await source.close();

    const url = await emptyDatabase();
    const run = await parley(['db', 'copy', '--from', dataDir, '--to', url]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/Copied [\d,]+ rows of \d+ tables in [\d,]+ statements/);
    expect(run.stdout).toMatch(/✓ Row counts equal in all \d+ tables/);
    expect(run.stdout).toMatch(/✓ Site alpha: \d+ entries, root [0-9a-f]+… equal/);
    expect(run.stdout).toMatch(/OK: the copy is complete and verified/);
    expect((await parley(['db', 'verify-copy', '--from', dataDir, '--to', url])).code).toBe(0);

    const pool = poolOn(url);
    cleanup.push(() => pool.end());
    const failures = async () => {
      const v = await verifyCopy({ from: dataDir, to: url });
      expect(v.ok).toBe(false);
      return v.checks.filter((c) => !c.ok).map((c) => c.message).join('\n');
    };
    // A lost row.
    await pool.query('DELETE FROM posts WHERE id = $1', [posts[11]!.id]);
    expect(await failures()).toMatch(/^posts: 12 rows in the source, 11 in the copy$/m);
    // A tree node changed (triggers dropped, as anyone holding the database can).
    await pool.query('DROP TRIGGER audit_nodes_append_only_u ON audit_nodes');
    await pool.query(`UPDATE audit_nodes SET hash = $1 WHERE site = 'alpha' AND level = 0 AND idx = 1`, [Buffer.alloc(32, 9)]);
    expect(await failures()).toMatch(/Contents differ: audit_nodes: the row with site, level, idx = \["alpha",0,1\] differs from the source's/);
    // …and the biggest complete subtree, which the root is made of.
    await pool.query(`UPDATE audit_nodes SET hash = $1 WHERE site = 'alpha' AND idx = 0 AND level = (SELECT max(level) FROM audit_nodes WHERE site = 'alpha')`, [Buffer.alloc(32, 9)]);
    expect(await failures()).toMatch(/Site alpha: audit root [0-9a-f]{16}… differs from the source's/);
    // A checkpoint that the source never signed.
    await pool.query(`INSERT INTO audit_checkpoints (site, tree_size, root, body, note, key_id, signed_at)
      SELECT site, tree_size, root, body, note || ' ', key_id, signed_at FROM audit_checkpoints WHERE site = 'alpha' ORDER BY id DESC LIMIT 1`);
    expect(await failures()).toMatch(/the latest checkpoint differs from the source's/);
    // A sequence set back: the next new action would collide with a copied one.
    await pool.query(`SELECT setval(pg_get_serial_sequence('moderation_actions', 'seq'), 1, false)`);
    expect(await failures()).toMatch(/Identity sequences behind the copied ids: moderation_actions\.seq \(next 1, copied up to \d+\)/);
    const cli = await parley(['db', 'verify-copy', '--from', dataDir, '--to', url]);
    expect(cli.code).toBe(1);
    expect(cli.stdout).toMatch(/✗ posts: 12 rows in the source, 11 in the copy/);
    expect(cli.stdout).toMatch(/FAILED: the copy does not match its source/);
  }, 120_000);

  it('parley backup refuses a PostgreSQL installation and points to pg_dump', async () => {
    const url = await emptyDatabase();
    const withPassword = url.replace('parley@', 'parley:s3cret@');
    const run = await parley(['backup', path.join(tempDir('parley-copy-backup-'), 'b.db')], { PARLEY_DATABASE_URL: withPassword });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/this installation runs on PostgreSQL .* parley backup copies only a SQLite file\. Back up PostgreSQL with its own tools, e\.g\.: pg_dump --format=custom/);
    expect(run.stderr).not.toContain('s3cret');
  }, 60_000);
});
