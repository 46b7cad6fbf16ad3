/**
 * The public audit log end to end: storage, checkpoints, the HTTP endpoints, proofs checked
 * with the pure verifier, redaction, key rotation, witnesses, identity events.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  addCosignature, formatSignerKey, formatVerifierKey, fromBase64, fromHex, generateCosignerKey, hashLeafValue,
  parseCheckpoint, parseSignedNote, verifierKeyOf, verifyCheckpoint, verifyCommitment, verifyConsistency, verifyInclusion,
} from '../../moderation/log/index.js';
import { MerkleAuditLog } from '../../server/audit/merkle-audit-log.js';
import { runVerify } from '../../server/ops/verify-cli.js';
import { openSqliteStore } from '../../server/store/sqlite/sqlite-store.js';
import type { Store } from '../../server/store/store.js';
import { httpLogSource, verifyAuditLog } from '../../moderation/log/index.js';
import { http } from '../support/clients.js';
import { setUpIdentity } from '../support/identity-fixtures.js';
import { startTestServer, type TestServer } from '../support/server.js';

async function appendMany(store: Store, audit: MerkleAuditLog, site: string, count: number): Promise<void> {
  await store.transaction(async () => {
    for (let i = 0; i < count; i++) {
      await audit.append({
        site, kind: i % 3 === 0 ? 'moderation.remove' : 'moderation.label', at: new Date(Date.UTC(2025, 0, 1, 0, i)).toISOString(),
        actor: { type: 'moderator', label: `Moderator ${i % 4}`, userId: `user-${i % 4}` },
        subject: { postId: `post-${i}`, topic: `topic-${i % 5}` },
        data: { ruleId: `R${(i % 6) + 1}`, decisionGround: 'terms', facts: `Statement ${i}` },
        sensitive: { postText: `The removed words of post ${i}` },
      });
    }
  });
}

describe('audit log over HTTP', () => {
  let server: TestServer;
  let audit: MerkleAuditLog;
  let api: string;

  beforeAll(async () => {
    server = await startTestServer();
    audit = server.ctx.audit as MerkleAuditLog;
    api = `${server.url}/api/sites/alpha/log`;
    await appendMany(server.store, audit, 'alpha', 100);
  });
  afterAll(() => server.close());

  it('appends canonical leaves whose hashes the verifier recomputes, personal data committed not shown', async () => {
    const res = await http(`${api}/entries?start=0&end=10`);
    expect(res.status).toBe(200);
    expect(res.body.treeSize).toBe(100);
    expect(res.body.entries).toHaveLength(10);
    const e = res.body.entries[3];
    expect(e.index).toBe(3);
    expect(e.leaf).toMatchObject({ version: 1, site: 'alpha', index: 3, kind: 'moderation.remove', actor: { type: 'moderator', label: 'Moderator 3' } });
    expect(hashLeafValue(e.leaf)).toEqual(fromHex(e.leafHash));
    const text = JSON.stringify(res.body);
    expect(text).not.toContain('The removed words');
    expect(text).not.toContain('user-3');
    expect(Object.keys(e.leaf.commitments).sort()).toEqual(['actor.userId', 'postText']);
    const [value] = (await audit.sensitiveValues('alpha', 3)).filter((v) => v.field === 'postText');
    expect(verifyCommitment(value!.value, fromHex(value!.salt), e.leaf.commitments.postText)).toBe(true);
    const one = await http(`${api}/entries/3`);
    expect(one.body.entry.leafHash).toBe(e.leafHash);
    expect((await http(`${api}/entries/100`)).status).toBe(404);
    expect((await http(`${api}/entries?start=0&end=5000`)).body.entries).toHaveLength(100); // clamped to the tree
    expect((await http(`${api}/entries?start=-1`)).status).toBe(400);
  });

  it('serves a signed C2SP checkpoint (text and JSON) that verifies with the published key', async () => {
    const keys = (await http(`${api}/keys`)).body;
    expect(keys.origin).toBe(`${new URL(server.url).host}/parley/alpha`);
    const res = await fetch(`${api}/checkpoint`);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
    const note = await res.text();
    const v = verifyCheckpoint(note, keys.current, { origin: keys.origin });
    expect(v.ok).toBe(true);
    if (!v.ok) return;
    expect(v.checkpoint.treeSize).toBe(100);
    expect(v.checkpoint.extensions[0]).toMatch(/^time \d+$/);
    const json = (await http(`${api}/checkpoint.json`)).body;
    expect(json).toMatchObject({ treeSize: 100, verifierKey: keys.current, origin: keys.origin });
    expect(fromBase64(json.rootHashBase64)).toEqual(fromHex(json.rootHash));
  });

  it('inclusion and consistency proofs verify with the pure verifier at many sizes', async () => {
    const leaves = (await http(`${api}/entries?start=0&end=100`)).body.entries.map((e: any) => fromHex(e.leafHash));
    const sizes = [1, 2, 3, 4, 5, 7, 8, 9, 15, 16, 17, 31, 32, 33, 63, 64, 65, 99, 100];
    const roots = new Map<number, Uint8Array>();
    for (const n of sizes) {
      for (const i of new Set([0, Math.floor(n / 2), n - 1])) {
        const p = (await http(`${api}/proof/inclusion?index=${i}&size=${n}`)).body;
        const root = fromHex(p.rootHash);
        roots.set(n, root);
        expect(verifyInclusion(leaves[i], i, n, p.proof.map(fromHex), root), `inclusion ${i} in ${n}`).toBe(true);
        expect(verifyInclusion(leaves[(i + 1) % 100], i, n, p.proof.map(fromHex), root)).toBe(false);
      }
    }
    for (const m of sizes) {
      for (const n of sizes.filter((s) => s >= m)) {
        const p = (await http(`${api}/proof/consistency?from=${m}&to=${n}`)).body;
        expect(verifyConsistency(m, n, roots.get(m)!, roots.get(n)!, p.proof.map(fromHex)), `consistency ${m}→${n}`).toBe(true);
      }
    }
    expect((await http(`${api}/proof/inclusion?index=5&size=101`)).status).toBe(400);
    expect((await http(`${api}/proof/consistency?from=7&to=3`)).status).toBe(400);
  });

  it('the library and the CLI verify the whole log, from the URL and from the database (file or PostgreSQL)', async () => {
    const key = (await http(`${api}/keys`)).body.current;
    const lib = await verifyAuditLog(httpLogSource(server.url, 'alpha', fetch), { verifierKey: key });
    expect(lib.ok, lib.message).toBe(true);
    expect(lib.treeSize).toBe(100);
    const cli = await runVerify({ target: server.url, site: 'alpha', key });
    expect(cli.result.ok, cli.result.message).toBe(true);
    // The database the server runs on: its SQLite file, or its PostgreSQL URL on the PostgreSQL run.
    const file = await runVerify({ target: server.databaseUrl ?? path.join(server.dataDir, 'parley.db'), site: 'alpha', key });
    expect(file.result.ok, file.result.message).toBe(true);
    expect(file.result.treeSize).toBe(100);
    expect(file.result.checks.map((c) => c.name)).toEqual(expect.arrayContaining(['previous-root', 'sensitive-values']));
  });

  it('downloads the whole log as NDJSON and JSON', async () => {
    const res = await fetch(`${api}/download`);
    expect(res.headers.get('content-type')).toMatch(/ndjson/);
    const lines = (await res.text()).trim().split('\n').map((l) => JSON.parse(l));
    expect(lines).toHaveLength(100);
    expect(lines[99].index).toBe(99);
    const json = await (await fetch(`${api}/download?format=json`)).json();
    expect(json.entries).toHaveLength(100);
    expect(parseCheckpoint(parseSignedNote(json.checkpoint).text).treeSize).toBe(100);
  });

  it('offers a filtered, paginated view for people', async () => {
    const removals = (await http(`${api}/view?kind=moderation.remove&limit=10`)).body;
    expect(removals.entries).toHaveLength(10);
    expect(removals.entries.every((e: any) => e.leaf.kind === 'moderation.remove')).toBe(true);
    expect(removals.entries[0].index).toBe(99);
    const next = (await http(`${api}/view?kind=moderation&limit=10&before=${removals.nextBefore}`)).body;
    expect(next.entries[0].index).toBeLessThan(removals.nextBefore);
    const byRule = (await http(`${api}/view?rule=R2&limit=100`)).body.entries;
    expect(byRule.length).toBeGreaterThan(0);
    expect(byRule.every((e: any) => e.leaf.data.ruleId === 'R2')).toBe(true);
    expect((await http(`${api}/view?moderator=${encodeURIComponent('Moderator 1')}&limit=100`)).body.entries).toHaveLength(25);
    expect((await http(`${api}/view?post=post-42`)).body.entries.map((e: any) => e.index)).toEqual([42]);
    expect((await http(`${api}/view?topic=topic-2&limit=100`)).body.entries).toHaveLength(20);
    const dated = (await http(`${api}/view?from=2025-01-01T00:10:00.000Z&to=2025-01-01T00:19:00.000Z&limit=100`)).body.entries;
    expect(dated.map((e: any) => e.index)).toEqual([19, 18, 17, 16, 15, 14, 13, 12, 11, 10]);
  });

  it('publishes an Atom feed that is well-formed XML', async () => {
    const res = await fetch(`${api}/feed.atom`);
    expect(res.headers.get('content-type')).toMatch(/application\/atom\+xml/);
    const xml = await res.text();
    expect(xml.startsWith('<?xml version="1.0" encoding="utf-8"?>')).toBe(true);
    // Well-formedness: every tag closes in order, only the five XML entities are used.
    const stack: string[] = [];
    for (const m of xml.replace(/<\?xml[^>]*\?>/, '').matchAll(/<(\/?)([A-Za-z][\w:-]*)[^>]*?(\/?)>/g)) {
      if (m[3]) continue;
      if (m[1]) expect(stack.pop()).toBe(m[2]);
      else stack.push(m[2]!);
    }
    expect(stack).toEqual([]);
    expect(xml.match(/&(?!(lt|gt|amp|apos|quot);)/g)).toBe(null);
    expect((xml.match(/<entry>/g) ?? []).length).toBe(50);
    expect(xml).toContain('<feed xmlns="http://www.w3.org/2005/Atom">');
  });

  it('applies the site origin check to the log', async () => {
    expect((await http(`${api}/checkpoint.json`, { origin: 'https://evil.example' })).status).toBe(403);
    const ok = await fetch(`${api}/checkpoint.json`, { headers: { origin: 'https://alpha.example' } });
    expect(ok.status).toBe(200);
    expect(ok.headers.get('access-control-allow-origin')).toBe('https://alpha.example');
  });

  it('redaction erases the value, logs itself, and keeps the log verifiable', async () => {
    const before = await audit.size('alpha');
    const ref = await audit.redact('alpha', 12, 'postText', { type: 'admin', label: 'Admin 1' }, 'erasure-request');
    expect(ref.index).toBe(before);
    expect((await audit.sensitiveValues('alpha', 12)).map((v) => v.field)).toEqual(['actor.userId']);
    const entry = (await http(`${api}/entries/${ref.index}`)).body.entry;
    expect(entry.leaf).toMatchObject({ kind: 'redaction', refersTo: 12, subject: { entryIndex: 12 }, data: { field: 'postText', reason: 'erasure-request' } });
    expect((await http(`${api}/entries/12`)).body.entry.redacted).toEqual(['postText']);
    const key = (await http(`${api}/keys`)).body.current;
    const report = await verifyAuditLog(httpLogSource(server.url, 'alpha', fetch), { verifierKey: key });
    expect(report.ok, report.message).toBe(true);
    await expect(audit.redact('alpha', 12, 'nope', { type: 'admin', label: 'A' }, 'privacy')).rejects.toThrow(/no committed field/);
  });
});

describe('identity events reach the public log', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server.close());

  it('role grants and company registrations are logged; member names only as commitments', async () => {
    const fx = await setUpIdentity(server);
    const view = (await http(`${fx.api}/log/view?limit=100`)).body.entries;
    const kinds = view.map((e: any) => e.leaf.kind);
    expect(kinds).toContain('company.registered');
    expect(kinds).toContain('role.granted');
    const grant = view.find((e: any) => e.leaf.kind === 'role.granted');
    expect(grant.leaf.data).toEqual({ role: 'moderator' });
    expect(grant.leaf.actor.type).toBe('admin');
    expect(grant.leaf.actor.label).toMatch(/^Admin [0-9a-f]{6}$/);
    expect(JSON.stringify(view)).not.toContain('Ada Admin');
    expect(JSON.stringify(view)).not.toContain('Mo Moderator');
    expect(Object.keys(grant.leaf.commitments).sort()).toEqual(['actor.userId', 'subject.name', 'subject.userId']);
    const company = view.find((e: any) => e.leaf.kind === 'company.registered');
    expect(company.leaf.data.displayName).toBeTruthy();
  });
});

describe('checkpoint signing schedule', () => {
  it('signs after appends (debounced), re-signs on its timer, and stops on close', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-audit-'));
    const store = openSqliteStore({ file: path.join(dir, 'parley.db') });
    await store.upsertSite({ id: 's1', name: 'S1', origins: [], secret: null, publicKeys: [], rulesUrl: null, demo: false, createdAt: new Date().toISOString() });
    let clock = Date.UTC(2025, 5, 1);
    const audit = new MerkleAuditLog({ db: store.database, now: () => new Date(clock), debounceMs: 20, resignMs: 120, originHost: () => 'log.example' });
    const count = async () => (await store.database.get<{ n: number }>('SELECT count(*) AS n FROM audit_checkpoints'))!.n;
    try {
      for (let i = 0; i < 5; i++) await audit.append({ site: 's1', kind: 'test.entry', at: new Date(clock).toISOString(), actor: { type: 'system', label: 'T' }, data: { i } });
      expect(await count()).toBe(0);
      await new Promise((r) => setTimeout(r, 80));
      expect(await count()).toBe(1); // five appends, one signature
      expect((await audit.latestCheckpoint('s1', { fresh: false })).treeSize).toBe(5);
      clock += 3_600_000;
      await new Promise((r) => setTimeout(r, 200));
      const latest = await audit.latestCheckpoint('s1', { fresh: false });
      expect(await count()).toBeGreaterThanOrEqual(2);
      expect(latest.treeSize).toBe(5);
      expect(latest.body).toContain(`time ${Math.floor(clock / 1000)}`);
      await audit.close();
      const after = await count();
      await audit.resignAll();
      await new Promise((r) => setTimeout(r, 200));
      expect(await count()).toBe(after);
    } finally {
      await audit.close();
      await store.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('key rotation and witnesses', () => {
  let server: TestServer;
  let audit: MerkleAuditLog;
  let api: string;
  beforeAll(async () => {
    server = await startTestServer();
    audit = server.ctx.audit as MerkleAuditLog;
    api = `${server.url}/api/sites/beta/log`;
    await appendMany(server.store, audit, 'beta', 10);
  });
  afterAll(() => server.close());

  it('a rotation is a logged entry; a verifier that trusts the old key follows the handover', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-state-'));
    const state = path.join(dir, 'state.json');
    const oldKey = await audit.verifierKey('beta');
    expect((await runVerify({ target: server.url, site: 'beta', key: oldKey, state })).result.ok).toBe(true);
    const { index, verifierKey } = await audit.rotateKey('beta', { type: 'operator', label: 'Operator' }, 'scheduled');
    expect(verifierKey).not.toBe(oldKey);
    const entry = (await http(`${api}/entries/${index}`)).body.entry;
    expect(entry.leaf).toMatchObject({ kind: 'key.rotated', data: { previousKey: oldKey, newKey: verifierKey } });
    await appendMany(server.store, audit, 'beta', 3);
    const keys = (await http(`${api}/keys`)).body;
    expect(keys.current).toBe(verifierKey);
    expect(keys.keys.map((k: any) => k.verifierKey)).toEqual([oldKey, verifierKey]);
    const again = await runVerify({ target: server.url, site: 'beta', state });
    expect(again.result.ok, again.result.message).toBe(true);
    expect(again.result.verifierKey).toBe(verifierKey);
    const fromOld = await verifyAuditLog(httpLogSource(server.url, 'beta', fetch), { verifierKey: oldKey });
    expect(fromOld.ok, fromOld.message).toBe(true);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('accepts cosignatures from registered witnesses only, and shows them', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-witness-'));
    const witness = generateCosignerKey(new Uint8Array(32).fill(7), 'witness.example.org');
    const keyFile = path.join(dir, 'witness.key');
    fs.writeFileSync(keyFile, formatSignerKey(witness));
    const key = await audit.verifierKey('beta');

    // Not registered yet: refused.
    const refused = await runVerify({ target: server.url, site: 'beta', key, cosignKey: keyFile });
    expect(refused.cosigned?.status).toBe(403);

    // Registered by an admin over the API.
    const fx = await setUpIdentity(server, 'beta');
    const added = await http(`${api}/witnesses`, { token: fx.adminToken, body: { verifierKey: formatVerifierKey(verifierKeyOf(witness)) } });
    expect(added.status).toBe(201);
    expect((await http(`${api}/witnesses`, { token: fx.moderatorToken, body: { verifierKey: 'x' } })).status).toBe(403);

    const ok = await runVerify({ target: server.url, site: 'beta', key, cosignKey: keyFile });
    expect(ok.cosigned?.status).toBe(201);
    const listed = (await http(`${api}/witnesses`)).body.witnesses;
    expect(listed).toHaveLength(1);
    expect(listed[0].latest.treeSize).toBe(ok.result.treeSize);
    const note = await (await fetch(`${api}/checkpoint`)).text();
    expect(note).toContain('— witness.example.org ');

    // A forged cosignature (another key under the witness's name) is refused.
    const impostor = generateCosignerKey(new Uint8Array(32).fill(9), 'witness.example.org');
    const forged = addCosignature(ok.result.checkpoint!, impostor, Math.floor(Date.now() / 1000));
    const res = await fetch(`${api}/cosignatures`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: forged });
    expect(res.status).toBe(400);
    // A checkpoint the log never signed is refused.
    const body = parseSignedNote(ok.result.checkpoint!).text.replace(/\n(\d+)\n/, (_m, n) => `\n${Number(n) + 1}\n`);
    const unknown = addCosignature(`${body}\n— x AAAAAAAA\n`, witness, Math.floor(Date.now() / 1000));
    expect((await fetch(`${api}/cosignatures`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: unknown })).status).toBe(404);
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
