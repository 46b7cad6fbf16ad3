/**
 * An attacker with the database (the host organisation included) edits, deletes, reorders and
 * inserts log rows, swaps the signing key, or edits a sensitive value kept beside the tree. The
 * verifier, as library (over HTTP) and as CLI (over HTTP and over the database: the SQLite file,
 * or the PostgreSQL URL on the PostgreSQL run), must catch each and name the entry.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { formatVerifierKey, generateSigningKey, hashLeafValue, keyIdHex, nodeHash, signCheckpoint, verifierKeyOf } from '../../moderation/log/index.js';
import type { MerkleAuditLog } from '../../server/audit/merkle-audit-log.js';
import { runVerify } from '../../server/ops/verify-cli.js';
import type { SqlDatabase } from '../../server/store/sql/database.js';
import { httpLogSource, verifyAuditLog, type AuditVerification } from '../../moderation/log/index.js';
import { startTestServer, type TestServer } from '../support/server.js';

const SITE = 'alpha';
const N = 40;

let server: TestServer;
let audit: MerkleAuditLog;
let key: string;
let stateDir: string;
let state: string;
let db: SqlDatabase;

/** The server's database as `parley verify` takes it: the SQLite file, or the PostgreSQL URL. */
function database(): string {
  return server.databaseUrl ?? path.join(server.dataDir, 'parley.db');
}

/**
 * The attacker's access: the server's own database (SQLite file or PostgreSQL), append-only
 * triggers dropped first, as anyone who holds the database can.
 */
async function attacker(): Promise<SqlDatabase> {
  const conn = server.store.database;
  for (const table of ['audit_entries', 'audit_nodes']) {
    for (const trigger of [`${table}_append_only_u`, `${table}_append_only_d`]) {
      // SQLite names triggers per schema, PostgreSQL per table.
      await conn.exec(conn.dialect === 'postgres' ? `DROP TRIGGER IF EXISTS ${trigger} ON ${table}` : `DROP TRIGGER IF EXISTS ${trigger}`);
    }
  }
  return conn;
}

async function leafOf(index: number): Promise<{ leaf: any; text: string }> {
  const row = (await db.get<{ leaf: string }>('SELECT leaf FROM audit_entries WHERE site = ? AND idx = ?', [SITE, index]))!;
  return { leaf: JSON.parse(row.leaf), text: row.leaf };
}

async function rewrite(index: number, leaf: unknown, withHash: boolean): Promise<void> {
  const text = JSON.stringify(leaf);
  if (withHash) {
    await db.run('UPDATE audit_entries SET leaf = ?, leaf_hash = ? WHERE site = ? AND idx = ?', [text, Buffer.from(hashLeafValue(leaf)), SITE, index]);
  } else {
    await db.run('UPDATE audit_entries SET leaf = ? WHERE site = ? AND idx = ?', [text, SITE, index]);
  }
}

/** The library over HTTP, the CLI over HTTP (with its state file) and the CLI over the database. */
async function verifyAll(): Promise<AuditVerification[]> {
  const lib = await verifyAuditLog(httpLogSource(server.url, SITE, fetch), { verifierKey: key });
  const cliUrl = (await runVerify({ target: server.url, site: SITE, key, state })).result;
  const cliFile = (await runVerify({ target: database(), site: SITE, key })).result;
  return [lib, cliUrl, cliFile];
}

function expectCaught(results: AuditVerification[], entry: number, problems: string[]): void {
  for (const r of results) {
    expect(r.ok, r.message).toBe(false);
    expect(problems).toContain(r.problem);
    expect(r.firstBadEntry, r.message).toBe(entry);
  }
}

beforeEach(async () => {
  server = await startTestServer();
  audit = server.ctx.audit as MerkleAuditLog;
  for (let i = 0; i < N; i++) {
    await audit.append({
      site: SITE, kind: 'moderation.remove', at: new Date(Date.UTC(2025, 2, 1, 12, i)).toISOString(),
      actor: { type: 'moderator', label: 'Moderator 1' }, subject: { postId: `p${i}` },
      data: { ruleId: 'R2', facts: `Removed for rule R2 (${i})` },
    });
  }
  key = await audit.verifierKey(SITE);
  stateDir = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-tamper-'));
  state = path.join(stateDir, 'state.json');
  // A visitor checked the log once and remembers its checkpoint.
  const first = await runVerify({ target: server.url, site: SITE, key, state });
  expect(first.result.ok, first.result.message).toBe(true);
  expect(first.result.treeSize).toBe(N);
  db = await attacker();
});

afterEach(async () => {
  await server.close();
  fs.rmSync(stateDir, { recursive: true, force: true });
});

describe('tampering with the database is caught and the entry named', () => {
  it('an untampered log verifies', async () => {
    for (const r of await verifyAll()) expect(r.ok, r.message).toBe(true);
  });

  it('editing an entry (recorded hash left alone)', async () => {
    const { leaf } = await leafOf(17);
    leaf.data.facts = 'Nothing happened here';
    await rewrite(17, leaf, false);
    expectCaught(await verifyAll(), 17, ['entry-hash']);
  });

  it('editing an entry and its recorded hash', async () => {
    const { leaf } = await leafOf(23);
    leaf.actor.label = 'Moderator 2';
    await rewrite(23, leaf, true);
    expectCaught(await verifyAll(), 23, ['root-mismatch']);
  });

  it('deleting an entry in the middle', async () => {
    await db.run('DELETE FROM audit_entries WHERE site = ? AND idx = ?', [SITE, 9]);
    expectCaught(await verifyAll(), 9, ['gap']);
  });

  it('deleting the newest entries (and their tree nodes): the log shrank', async () => {
    await db.run('DELETE FROM audit_entries WHERE site = ? AND idx >= 35', [SITE]);
    // `level` is a bigint in PostgreSQL, whose `<<` wants an integer shift count.
    await db.run('DELETE FROM audit_nodes WHERE site = ? AND idx * (1 << CAST(level AS INTEGER)) + (1 << CAST(level AS INTEGER)) > 35', [SITE]);
    // The server, none the wiser, signs the shorter log; only someone who remembers notices.
    const [lib, cliUrl, cliFile] = await verifyAll();
    expect(lib.ok).toBe(true); // no memory: a consistent, validly signed smaller log
    expect(cliUrl.ok).toBe(false);
    expect(cliUrl.problem).toBe('shrank');
    expect(cliUrl.message).toMatch(/shrank from 40 to 35/);
    expect(cliFile.ok).toBe(false);
    expect(cliFile.problem).toBe('shrank');
    expect(cliFile.firstBadEntry).toBe(35);
  });

  it('reordering two entries', async () => {
    const a = await db.get('SELECT leaf, leaf_hash FROM audit_entries WHERE site = ? AND idx = ?', [SITE, 5]);
    const b = await db.get('SELECT leaf, leaf_hash FROM audit_entries WHERE site = ? AND idx = ?', [SITE, 30]);
    const set = 'UPDATE audit_entries SET leaf = ?, leaf_hash = ? WHERE site = ? AND idx = ?';
    await db.run(set, [b.leaf, b.leaf_hash, SITE, 5]);
    await db.run(set, [a.leaf, a.leaf_hash, SITE, 30]);
    expectCaught(await verifyAll(), 5, ['root-mismatch']);
  });

  it('inserting an entry in the middle (later entries shifted up)', async () => {
    await db.run('UPDATE audit_entries SET idx = idx + 1000000 WHERE site = ? AND idx >= 12', [SITE]);
    await db.run('UPDATE audit_entries SET idx = idx - 1000000 + 1 WHERE site = ? AND idx >= 1000000', [SITE]);
    const fake = { ...(await leafOf(11)).leaf, index: 12, data: { ruleId: 'R1', facts: 'A decision that never happened' } };
    await db.run(`INSERT INTO audit_entries (site, idx, kind, at, leaf, leaf_hash) VALUES (?, 12, 'moderation.remove', ?, ?, ?)`,
      [SITE, fake.at, JSON.stringify(fake), Buffer.from(hashLeafValue(fake))]);
    expectCaught(await verifyAll(), 12, ['root-mismatch']);
  });

  it('rewriting history and re-signing it with the stored key: a fork for anyone who remembers', async () => {
    // The attacker edits entry 3 and recomputes everything: entries, nodes, a new checkpoint.
    const { leaf } = await leafOf(3);
    leaf.data.facts = 'Rewritten';
    await rewrite(3, leaf, true);
    await db.run('DELETE FROM audit_nodes WHERE site = ?', [SITE]);
    const hashes = (await db.all('SELECT leaf_hash FROM audit_entries WHERE site = ? ORDER BY idx', [SITE])).map((r) => r.leaf_hash);
    const insert = 'INSERT INTO audit_nodes (site, level, idx, hash) VALUES (?, ?, ?, ?)';
    let level: Uint8Array[] = hashes.map((h: Buffer) => new Uint8Array(h));
    for (let l = 0; level.length > 0; l++) {
      for (const [i, h] of level.entries()) await db.run(insert, [SITE, l, i, Buffer.from(h)]);
      const up: Uint8Array[] = [];
      for (let i = 0; i + 1 < level.length; i += 2) up.push(nodeHash(level[i]!, level[i + 1]!));
      level = up;
    }
    await audit.signCheckpoint(SITE); // the server signs the forged tree with its real key
    const [lib, cliUrl, cliFile] = await verifyAll();
    expect(lib.ok).toBe(true); // without memory nothing can tell
    expect(cliUrl.ok).toBe(false);
    expect(cliUrl.problem).toBe('fork');
    expect(cliFile.ok).toBe(false);
    expect(cliFile.problem).toBe('fork'); // the database's own checkpoint history disagrees
  });

  it('editing a kept sensitive value (a removed post\'s text): the database check names entry and field', async () => {
    const at = new Date(Date.UTC(2025, 2, 2)).toISOString();
    const removal = await audit.append({
      site: SITE, kind: 'moderation.remove', at, actor: { type: 'moderator', label: 'Moderator 1', userId: 'u-mod' },
      subject: { postId: 'p-sensitive' }, data: { ruleId: 'R2' }, sensitive: { postText: 'What the member really wrote' },
    });
    await audit.signCheckpoint(SITE);
    const before = await runVerify({ target: database(), site: SITE, key });
    expect(before.result.ok, before.result.message).toBe(true);
    expect(before.result.checks.find((c) => c.name === 'sensitive-values')?.message).toMatch(/All 2 stored sensitive values match/);

    // The moderator-only copy of the text is rewritten; the public log cannot show it.
    await db.run('UPDATE audit_sensitive SET value = ? WHERE site = ? AND idx = ? AND field = ?',
      ['Something the member never wrote', SITE, removal.index, 'postText']);
    const [lib, cliUrl, cliFile] = await verifyAll();
    expect(lib.ok && cliUrl.ok, 'over HTTP the values are not public: nothing to see').toBe(true);
    expect(cliFile.ok).toBe(false);
    expect(cliFile.problem).toBe('sensitive');
    expect(cliFile.firstBadEntry).toBe(removal.index);
    expect(cliFile.message).toBe(`Entry ${removal.index}: the stored value of "postText" does not match the entry's commitment: it was changed after it was logged.`);

    // A value and a salt swapped in together do not open the commitment either.
    await db.run('UPDATE audit_sensitive SET value = ?, salt = ? WHERE site = ? AND idx = ? AND field = ?',
      ['What the member really wrote', Buffer.alloc(32, 7), SITE, removal.index, 'postText']);
    expect((await runVerify({ target: database(), site: SITE, key })).result.message).toMatch(/"postText" does not match/);

    // A value for a field the entry never committed to is refused too.
    await db.run('DELETE FROM audit_sensitive WHERE site = ? AND idx = ? AND field = ?', [SITE, removal.index, 'postText']);
    await db.run('INSERT INTO audit_sensitive (site, idx, field, value, salt) VALUES (?, ?, ?, ?, ?)', [SITE, 4, 'postText', 'planted', Buffer.alloc(32, 1)]);
    const planted = (await runVerify({ target: database(), site: SITE, key })).result;
    expect(planted.ok).toBe(false);
    expect(planted.firstBadEntry).toBe(4);
    expect(planted.message).toMatch(/Entry 4: a stored value for "postText" has no commitment/);
  });

  it('an erased (redacted) sensitive value is fine', async () => {
    const removal = await audit.append({
      site: SITE, kind: 'moderation.remove', at: new Date(Date.UTC(2025, 2, 2)).toISOString(),
      actor: { type: 'moderator', label: 'Moderator 1', userId: 'u-mod' }, subject: { postId: 'p-erased' },
      data: { ruleId: 'R2' }, sensitive: { postText: 'Text to be erased' },
    });
    await audit.redact(SITE, removal.index, 'postText', { type: 'operator', label: 'Operator' }, 'erasure-request');
    await audit.signCheckpoint(SITE);
    const r = (await runVerify({ target: database(), site: SITE, key })).result;
    expect(r.ok, r.message).toBe(true);
    expect(await db.get('SELECT count(*) AS n FROM audit_sensitive WHERE site = ? AND idx = ? AND field = ?', [SITE, removal.index, 'postText'])).toEqual({ n: 0 });
  });

  it('swapping the signing key', async () => {
    const forged = generateSigningKey(new Uint8Array(32).fill(1), `${new URL(server.url).host}/parley/${SITE}`);
    await db.run('UPDATE audit_keys SET key_id = ?, seed = ?, verifier_key = ? WHERE site = ? AND retired_at IS NULL',
      [keyIdHex(forged.keyId), Buffer.from(forged.seed), formatVerifierKey(verifierKeyOf(forged)), SITE]);
    const { leaf } = await leafOf(2);
    leaf.data.facts = 'Forged';
    await rewrite(2, leaf, true);
    // The forger signs a checkpoint of their own.
    const origin = `${new URL(server.url).host}/parley/${SITE}`;
    const note = signCheckpoint({ origin, treeSize: N, rootHash: new Uint8Array(32) }, forged);
    await db.run(`INSERT INTO audit_checkpoints (site, tree_size, root, body, note, key_id, signed_at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
      [SITE, N, Buffer.alloc(32), note.split('\n\n')[0] + '\n', note, keyIdHex(forged.keyId), new Date().toISOString()]);
    for (const r of await verifyAll()) {
      expect(r.ok).toBe(false);
      expect(r.problem).toBe('signature');
    }
    // Trusting whatever key the server publishes is exactly what a pinned key prevents.
    const tofu = await verifyAuditLog(httpLogSource(server.url, SITE, fetch), {});
    expect(tofu.trust).toBe('first-use');
  });
});
