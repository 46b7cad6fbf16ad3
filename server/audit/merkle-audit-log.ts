/**
 * The audit log on SQLite (tables of migration 3): appends leaves to the site's RFC 6962
 * Merkle tree, keeps every complete subtree hash so roots and proofs for any tree size cost
 * O(log n) point reads, signs C2SP checkpoints with the site's Ed25519 key (debounced after
 * appends, re-signed at least hourly, fresh on read), rotates keys as logged entries, erases
 * committed values (redaction, itself logged), and stores witnesses' cosignatures.
 *
 * Appends run in the caller's transaction when there is one (better-sqlite3 nests them as
 * savepoints), so a change and its log entry commit or roll back together: wrap both in
 * `audit.transaction(() => …)`.
 */
import type Database from 'better-sqlite3';
import type { SqlDatabase } from '../store/sql/database.js';
import type { SqliteDatabase } from '../store/sql/sqlite-database.js';
import { randomBytes } from 'node:crypto';
import type { Logger } from 'pino';
import {
  consistencyProof,
  formatCheckpoint,
  formatSignatureLine,
  formatSignedNote,
  formatVerifierKey,
  generateSigningKey,
  inclusionProof,
  keyIdHex,
  nodeHash,
  leafHash as rfcLeafHash,
  parseSignedNote,
  parseVerifierKey,
  rootAt,
  signNoteText,
  toHex,
  utf8Encode,
  verifyCosignature,
  SIG_TYPE_COSIGNATURE_V1,
  type SigningKey,
  type SubtreeHashSource,
} from '../../moderation/log/index.js';
import type { AuditActor, AuditEntryInput, AuditEntryRef, AuditLog } from './audit-log.js';
import { buildLeaf, ruleOf, type AuditLeaf } from './leaf.js';

export interface MerkleAuditLogOptions {
  /** The store's database (`store.database`): appends join the store's transactions. */
  db: SqlDatabase;
  now?: () => Date;
  /** Host part of new logs' origins (`<host>/parley/<site>`), e.g. `talk.example.org`. Read when a log is created. */
  originHost?: () => string;
  log?: Pick<Logger, 'warn' | 'error'>;
  /** Sign at most this often after appends (ms); default 1000. */
  debounceMs?: number;
  /** Re-sign every log at least this often (ms); default one hour. */
  resignMs?: number;
  /** Run the signing timers (the server does; the CLI and tools sign explicitly). Default true. */
  timers?: boolean;
}

export interface StoredEntry {
  index: number;
  leaf: AuditLeaf;
  /** hex */
  leafHash: string;
}

export interface CheckpointRecord {
  id: number;
  site: string;
  treeSize: number;
  /** hex */
  rootHash: string;
  /** The checkpoint body (the signed text). */
  body: string;
  /** The signed note, with the witnesses' cosignature lines appended. */
  note: string;
  keyId: string;
  signedAt: string;
  cosignatures: CosignatureRecord[];
}

export interface CosignatureRecord {
  witness: string;
  treeSize: number;
  /** unix seconds, from the cosignature */
  timestamp: number;
  line: string;
  receivedAt: string;
}

export interface KeyRecord {
  keyId: string;
  name: string;
  verifierKey: string;
  fromSize: number;
  /** Checkpoint signed by the previous key over the rotation entry (null for the first key). */
  handover: string | null;
  createdAt: string;
  retiredAt: string | null;
}

export interface WitnessRecord {
  name: string;
  verifierKey: string;
  addedAt: string;
}

export interface ViewFilter {
  kind?: string;
  rule?: string;
  moderator?: string;
  from?: string;
  to?: string;
  post?: string;
  topic?: string;
  /** Entries with a smaller index than this (newest first). */
  before?: number;
  limit?: number;
}

export interface ViewEntry extends StoredEntry {
  /** Committed fields whose value and salt were erased. */
  redacted: string[];
}

/** A refusal the HTTP layer turns into a 4xx. */
export class AuditRequestError extends Error {
  constructor(
    readonly code: 'not_found' | 'validation_failed' | 'forbidden',
    message: string,
  ) {
    super(message);
    this.name = 'AuditRequestError';
  }
}

export const MAX_RANGE = 1000;

export class MerkleAuditLog implements AuditLog {
  readonly db: Database.Database;
  private readonly now: () => Date;
  private readonly originHost: () => string;
  private readonly log: Pick<Logger, 'warn' | 'error'> | undefined;
  private readonly debounceMs: number;
  private readonly pending = new Map<string, ReturnType<typeof setTimeout>>();
  private readonly resignTimer: ReturnType<typeof setInterval> | null;
  private readonly timers: boolean;
  private closed = false;
  private readonly q;
  private readonly appendTx: (input: AuditEntryInput) => AuditEntryRef;

  constructor(options: MerkleAuditLogOptions) {
    // Interim, until this log is written against SqlDatabase: the SQLite connection underneath.
    const db = (this.db = (options.db as SqliteDatabase).db);
    this.now = options.now ?? (() => new Date());
    this.originHost = options.originHost ?? (() => 'localhost');
    this.log = options.log;
    this.debounceMs = options.debounceMs ?? 1000;
    this.timers = options.timers ?? true;
    this.q = {
      getLog: db.prepare('SELECT origin FROM audit_logs WHERE site = ?'),
      insertLog: db.prepare('INSERT INTO audit_logs (site, origin, created_at) VALUES (?, ?, ?)'),
      listLogs: db.prepare('SELECT site FROM audit_logs ORDER BY site'),
      size: db.prepare('SELECT coalesce(max(idx), -1) + 1 AS n FROM audit_nodes WHERE site = ? AND level = 0'),
      node: db.prepare('SELECT hash FROM audit_nodes WHERE site = ? AND level = ? AND idx = ?'),
      insertNode: db.prepare('INSERT INTO audit_nodes (site, level, idx, hash) VALUES (?, ?, ?, ?)'),
      insertEntry: db.prepare(`INSERT INTO audit_entries (site, idx, kind, at, leaf, leaf_hash, actor_label, post_id, topic, rule_id, refers_to)
        VALUES (@site, @idx, @kind, @at, @leaf, @leafHash, @actorLabel, @postId, @topic, @ruleId, @refersTo)`),
      entries: db.prepare('SELECT idx, leaf, leaf_hash FROM audit_entries WHERE site = ? AND idx >= ? AND idx < ? ORDER BY idx'),
      entry: db.prepare('SELECT idx, leaf, leaf_hash FROM audit_entries WHERE site = ? AND idx = ?'),
      allEntries: db.prepare('SELECT idx, leaf, leaf_hash FROM audit_entries WHERE site = ? ORDER BY idx'),
      insertSensitive: db.prepare('INSERT INTO audit_sensitive (site, idx, field, value, salt) VALUES (?, ?, ?, ?, ?)'),
      sensitive: db.prepare('SELECT field, value, salt FROM audit_sensitive WHERE site = ? AND idx = ? ORDER BY field'),
      deleteSensitive: db.prepare('DELETE FROM audit_sensitive WHERE site = ? AND idx = ? AND field = ?'),
      activeKey: db.prepare('SELECT * FROM audit_keys WHERE site = ? AND retired_at IS NULL'),
      keys: db.prepare('SELECT * FROM audit_keys WHERE site = ? ORDER BY from_size, created_at'),
      insertKey: db.prepare(`INSERT INTO audit_keys (site, key_id, name, seed, verifier_key, from_size, handover, created_at)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?)`),
      retireKey: db.prepare('UPDATE audit_keys SET retired_at = ? WHERE site = ? AND key_id = ?'),
      latestCheckpoint: db.prepare('SELECT * FROM audit_checkpoints WHERE site = ? ORDER BY id DESC LIMIT 1'),
      checkpointById: db.prepare('SELECT * FROM audit_checkpoints WHERE site = ? AND id = ?'),
      checkpointByBody: db.prepare('SELECT * FROM audit_checkpoints WHERE site = ? AND body = ? ORDER BY id DESC LIMIT 1'),
      insertCheckpoint: db.prepare(`INSERT INTO audit_checkpoints (site, tree_size, root, body, note, key_id, signed_at)
        VALUES (?, ?, ?, ?, ?, ?, ?)`),
      witnesses: db.prepare('SELECT name, verifier_key AS verifierKey, added_at AS addedAt FROM audit_witnesses WHERE site = ? ORDER BY name'),
      witness: db.prepare('SELECT name, verifier_key AS verifierKey, added_at AS addedAt FROM audit_witnesses WHERE site = ? AND name = ?'),
      upsertWitness: db.prepare(`INSERT INTO audit_witnesses (site, name, verifier_key, added_at) VALUES (?, ?, ?, ?)
        ON CONFLICT (site, name) DO UPDATE SET verifier_key = excluded.verifier_key`),
      removeWitness: db.prepare('DELETE FROM audit_witnesses WHERE site = ? AND name = ?'),
      insertCosignature: db.prepare(`INSERT OR REPLACE INTO audit_cosignatures (site, checkpoint_id, witness, tree_size, timestamp, line, received_at)
        VALUES (?, ?, ?, ?, ?, ?, ?)`),
      cosignatures: db.prepare(`SELECT witness, tree_size AS treeSize, timestamp, line, received_at AS receivedAt
        FROM audit_cosignatures WHERE site = ? AND checkpoint_id = ? ORDER BY witness`),
      latestCosignatures: db.prepare(`SELECT c.witness, c.tree_size AS treeSize, c.timestamp, c.line, c.received_at AS receivedAt,
          c.checkpoint_id AS checkpointId
        FROM audit_cosignatures c WHERE c.site = ? AND c.checkpoint_id = (
          SELECT max(checkpoint_id) FROM audit_cosignatures d WHERE d.site = c.site AND d.witness = c.witness)
        ORDER BY c.witness`),
    };
    this.appendTx = db.transaction((input: AuditEntryInput) => this.appendNow(input));
    this.resignTimer = this.timers && (options.resignMs ?? 3_600_000) > 0
      ? setInterval(() => this.resignAll(), options.resignMs ?? 3_600_000)
      : null;
    this.resignTimer?.unref?.();
  }

  // ---------------------------------------------------------------------------
  // Appending
  // ---------------------------------------------------------------------------

  append(entry: AuditEntryInput): AuditEntryRef {
    if (this.closed) throw new Error('the audit log is closed');
    const ref = this.db.inTransaction ? this.appendTx(entry) : (this.appendTx as any).immediate(entry);
    this.scheduleSigning(entry.site);
    return ref;
  }

  /** Runs `fn` in one transaction (a savepoint inside another): store changes and their entries commit together. */
  transaction<T>(fn: () => T): T {
    const tx = this.db.transaction(fn);
    return this.db.inTransaction ? tx() : tx.immediate();
  }

  private appendNow(input: AuditEntryInput): AuditEntryRef {
    const site = input.site;
    this.ensureLog(site);
    const index = this.size(site);
    const { leaf, canonical, sensitive } = buildLeaf(input, index);
    const hash = rfcLeafHash(utf8Encode(canonical));
    this.q.insertEntry.run({
      site, idx: index, kind: leaf.kind, at: leaf.at, leaf: canonical, leafHash: hash,
      actorLabel: leaf.actor.label, postId: leaf.subject.postId ?? null, topic: leaf.subject.topic ?? null,
      ruleId: ruleOf(leaf), refersTo: leaf.refersTo ?? null,
    });
    for (const s of sensitive) this.q.insertSensitive.run(site, index, s.field, s.value, s.salt);
    // The new leaf completes one subtree per trailing 1-bit of its index.
    this.q.insertNode.run(site, 0, index, hash);
    let h = hash;
    let i = index;
    let level = 0;
    while (i % 2 === 1) {
      h = nodeHash(this.subtree(site, level, i - 1), h);
      i = (i - 1) / 2;
      level++;
      this.q.insertNode.run(site, level, i, h);
    }
    return { index, leafHash: toHex(hash) };
  }

  // ---------------------------------------------------------------------------
  // The log's identity: origin and keys
  // ---------------------------------------------------------------------------

  /** Creates the site's log (origin and first signing key) if it does not exist yet; returns the origin. */
  ensureLog(site: string): string {
    const row = this.q.getLog.get(site) as { origin: string } | undefined;
    if (row) return row.origin;
    return this.transaction(() => {
      const again = this.q.getLog.get(site) as { origin: string } | undefined;
      if (again) return again.origin;
      const origin = `${this.originHost()}/parley/${site}`;
      const at = this.now().toISOString();
      this.q.insertLog.run(site, origin, at);
      this.insertKey(site, origin, 0, null, at);
      return origin;
    });
  }

  origin(site: string): string | null {
    return (this.q.getLog.get(site) as { origin: string } | undefined)?.origin ?? null;
  }

  private insertKey(site: string, name: string, fromSize: number, handover: string | null, at: string): SigningKey {
    const key = generateSigningKey(new Uint8Array(randomBytes(32)), name);
    this.q.insertKey.run(site, keyIdHex(key.keyId), name, Buffer.from(key.seed), formatVerifierKey(key), fromSize, handover, at);
    return key;
  }

  private signingKey(site: string): SigningKey {
    const row = this.q.activeKey.get(site) as { seed: Buffer; name: string } | undefined;
    if (!row) throw new Error(`the audit log of ${site} has no active key`);
    return generateSigningKey(new Uint8Array(row.seed), row.name);
  }

  /** Every key the site's log has used, oldest first (public parts only). */
  keys(site: string): KeyRecord[] {
    return (this.q.keys.all(site) as any[]).map((r) => ({
      keyId: r.key_id, name: r.name, verifierKey: r.verifier_key, fromSize: r.from_size, handover: r.handover,
      createdAt: r.created_at, retiredAt: r.retired_at,
    }));
  }

  /** The verifier key currently signing checkpoints. */
  verifierKey(site: string): string {
    this.ensureLog(site);
    return (this.q.activeKey.get(site) as { verifier_key: string }).verifier_key;
  }

  /**
   * Replaces the site's signing key. Logged as a `key.rotated` entry; the old key signs a
   * last ("handover") checkpoint that includes that entry, so a verifier that trusts the old
   * key can move to the new one; then the new key signs.
   */
  rotateKey(site: string, actor: AuditActor, reason?: string): { index: number; verifierKey: string } {
    return this.transaction(() => {
      const origin = this.ensureLog(site);
      const old = this.signingKey(site);
      const at = this.now().toISOString();
      const next = generateSigningKey(new Uint8Array(randomBytes(32)), origin);
      const ref = this.appendNow({
        site, kind: 'key.rotated', at, actor,
        data: { previousKey: formatVerifierKey(old), newKey: formatVerifierKey(next), ...(reason ? { reason } : {}) },
      });
      const handover = this.signWith(site, old);
      this.q.retireKey.run(at, site, keyIdHex(old.keyId));
      this.q.insertKey.run(site, keyIdHex(next.keyId), origin, Buffer.from(next.seed), formatVerifierKey(next), ref.index + 1, handover.note, at);
      this.signWith(site, next);
      return { index: ref.index, verifierKey: formatVerifierKey(next) };
    });
  }

  // ---------------------------------------------------------------------------
  // Reading the tree
  // ---------------------------------------------------------------------------

  size(site: string): number {
    return (this.q.size.get(site) as { n: number }).n;
  }

  private subtree(site: string, level: number, index: number): Uint8Array {
    const row = this.q.node.get(site, level, index) as { hash: Buffer } | undefined;
    if (!row) throw new Error(`audit log ${site}: missing subtree hash (${level}, ${index})`);
    return new Uint8Array(row.hash);
  }

  /** The site's tree as a SubtreeHashSource (for proofs at any size up to the current one). */
  source(site: string): SubtreeHashSource {
    return { subtreeHash: (level, index) => this.subtree(site, level, index) };
  }

  rootAt(site: string, size: number): Uint8Array {
    return rootAt(this.source(site), size);
  }

  private checkSize(site: string, size: number, what: string): number {
    const n = this.size(site);
    if (!Number.isSafeInteger(size) || size < 0 || size > n) {
      throw new AuditRequestError('validation_failed', `${what} must be a tree size between 0 and ${n}`);
    }
    return n;
  }

  inclusionProof(site: string, index: number, size: number): { leafHash: string; proof: string[]; rootHash: string } {
    this.checkSize(site, size, 'size');
    if (!Number.isSafeInteger(index) || index < 0 || index >= size) {
      throw new AuditRequestError('validation_failed', `index must be between 0 and ${size - 1}`);
    }
    const src = this.source(site);
    return {
      leafHash: toHex(src.subtreeHash(0, index)),
      proof: inclusionProof(src, index, size).map(toHex),
      rootHash: toHex(rootAt(src, size)),
    };
  }

  consistencyProof(site: string, from: number, to: number): string[] {
    this.checkSize(site, to, 'to');
    if (!Number.isSafeInteger(from) || from < 0 || from > to) throw new AuditRequestError('validation_failed', 'from must be between 0 and to');
    return consistencyProof(this.source(site), from, to).map(toHex);
  }

  private toEntry(row: { idx: number; leaf: string; leaf_hash: Buffer }): StoredEntry {
    let leaf: AuditLeaf;
    try {
      leaf = JSON.parse(row.leaf) as AuditLeaf;
    } catch {
      leaf = { unreadable: row.leaf } as unknown as AuditLeaf;
    }
    return { index: row.idx, leaf, leafHash: toHex(new Uint8Array(row.leaf_hash)) };
  }

  /** Entries [start, end), at most MAX_RANGE. */
  entries(site: string, start: number, end: number): StoredEntry[] {
    if (!Number.isSafeInteger(start) || !Number.isSafeInteger(end) || start < 0 || end < start) {
      throw new AuditRequestError('validation_failed', 'start and end must be integers with 0 ≤ start ≤ end');
    }
    if (end - start > MAX_RANGE) throw new AuditRequestError('validation_failed', `at most ${MAX_RANGE} entries per request`);
    return (this.q.entries.all(site, start, end) as any[]).map((r) => this.toEntry(r));
  }

  entry(site: string, index: number): StoredEntry | null {
    const row = this.q.entry.get(site, index) as any;
    return row ? this.toEntry(row) : null;
  }

  /** Every stored entry in index order (for downloads and verification); lazily read. */
  *iterateEntries(site: string): Generator<StoredEntry> {
    for (const row of this.q.allEntries.iterate(site) as Iterable<any>) yield this.toEntry(row);
  }

  /** The committed values still held for an entry (never public: for moderators and the person concerned). */
  sensitiveValues(site: string, index: number): Array<{ field: string; value: string; salt: string }> {
    return (this.q.sensitive.all(site, index) as Array<{ field: string; value: string; salt: Buffer }>).map((r) => ({
      field: r.field, value: r.value, salt: toHex(new Uint8Array(r.salt)),
    }));
  }

  /** Committed fields of `entry` whose value was erased. */
  redactedFields(site: string, entry: StoredEntry): string[] {
    const committed = Object.keys(entry.leaf.commitments ?? {});
    if (committed.length === 0) return [];
    const held = new Set((this.q.sensitive.all(site, entry.index) as Array<{ field: string }>).map((r) => r.field));
    return committed.filter((f) => !held.has(f));
  }

  /** Filtered, newest-first page of entries for people. */
  view(site: string, filter: ViewFilter): { entries: ViewEntry[]; nextBefore: number | null } {
    const where = ['site = @site'];
    const params: Record<string, unknown> = { site };
    if (filter.kind) {
      where.push('(kind = @kind OR kind LIKE @kindPrefix)');
      params.kind = filter.kind;
      params.kindPrefix = `${filter.kind.replace(/[%_]/g, '')}.%`;
    }
    if (filter.rule) (where.push('rule_id = @rule'), (params.rule = filter.rule));
    if (filter.moderator) (where.push('actor_label = @moderator'), (params.moderator = filter.moderator));
    if (filter.post) (where.push('post_id = @post'), (params.post = filter.post));
    if (filter.topic) (where.push('topic = @topic'), (params.topic = filter.topic));
    if (filter.from) (where.push('at >= @from'), (params.from = filter.from));
    if (filter.to) (where.push('at <= @to'), (params.to = filter.to));
    if (filter.before !== undefined) (where.push('idx < @before'), (params.before = filter.before));
    const limit = Math.min(Math.max(filter.limit ?? 20, 1), 100);
    params.limit = limit + 1;
    const rows = this.db
      .prepare(`SELECT idx, leaf, leaf_hash FROM audit_entries WHERE ${where.join(' AND ')} ORDER BY idx DESC LIMIT @limit`)
      .all(params) as any[];
    const more = rows.length > limit;
    const page = (more ? rows.slice(0, limit) : rows).map((r) => {
      const e = this.toEntry(r);
      return { ...e, redacted: this.redactedFields(site, e) };
    });
    return { entries: page, nextBefore: more ? page[page.length - 1]!.index : null };
  }

  // ---------------------------------------------------------------------------
  // Redaction
  // ---------------------------------------------------------------------------

  /**
   * Erases a committed value (value and salt) of entry `index` and logs the redaction as a
   * new entry naming the entry and field. The tree is untouched, so it stays verifiable.
   */
  redact(site: string, index: number, field: string, actor: AuditActor, reason: 'privacy' | 'erasure-request' | 'legal' | string): AuditEntryRef {
    const ref = this.transaction(() => {
      const entry = this.entry(site, index);
      if (!entry) throw new AuditRequestError('not_found', `There is no entry ${index} in this log.`);
      if (!(field in (entry.leaf.commitments ?? {}))) {
        throw new AuditRequestError('validation_failed', `Entry ${index} has no committed field "${field}".`);
      }
      this.q.deleteSensitive.run(site, index, field);
      return this.appendNow({
        site, kind: 'redaction', at: this.now().toISOString(), actor,
        subject: { entryIndex: index }, data: { field, reason }, refersTo: index,
      });
    });
    this.scheduleSigning(site);
    return ref;
  }

  // ---------------------------------------------------------------------------
  // Checkpoints
  // ---------------------------------------------------------------------------

  private toCheckpoint(row: any): CheckpointRecord {
    const cosignatures = this.q.cosignatures.all(row.site, row.id) as CosignatureRecord[];
    return {
      id: row.id, site: row.site, treeSize: row.tree_size, rootHash: toHex(new Uint8Array(row.root)), body: row.body,
      note: row.note + cosignatures.map((c) => c.line + '\n').join(''),
      keyId: row.key_id, signedAt: row.signed_at, cosignatures,
    };
  }

  private signWith(site: string, key: SigningKey): CheckpointRecord {
    const origin = this.ensureLog(site);
    const size = this.size(site);
    const root = this.rootAt(site, size);
    const now = this.now();
    const body = formatCheckpoint({ origin, treeSize: size, rootHash: root, extensions: [`time ${Math.floor(now.getTime() / 1000)}`] });
    const note = formatSignedNote({ text: body, signatures: [signNoteText(body, key)] });
    const info = this.q.insertCheckpoint.run(site, size, Buffer.from(root), body, note, keyIdHex(key.keyId), now.toISOString());
    return this.toCheckpoint(this.q.checkpointById.get(site, info.lastInsertRowid));
  }

  /** Signs a checkpoint of the current tree now (a fresh time even if nothing changed). */
  signCheckpoint(site: string): CheckpointRecord {
    return this.transaction(() => this.signWith(site, this.signingKey(site)));
  }

  /** The latest checkpoint; with `fresh` (default), signs one first if the tree grew since. */
  latestCheckpoint(site: string, options: { fresh?: boolean } = {}): CheckpointRecord {
    this.ensureLog(site);
    const row = this.q.latestCheckpoint.get(site) as any;
    if (!row || (options.fresh !== false && row.tree_size !== this.size(site))) return this.signCheckpoint(site);
    return this.toCheckpoint(row);
  }

  private scheduleSigning(site: string): void {
    if (!this.timers || this.closed || this.pending.has(site)) return;
    const timer = setTimeout(() => {
      this.pending.delete(site);
      if (this.closed) return;
      try {
        const row = this.q.latestCheckpoint.get(site) as any;
        if (!row || row.tree_size !== this.size(site)) this.signCheckpoint(site);
      } catch (error) {
        this.log?.error({ err: error, site }, 'audit log: signing a checkpoint failed');
      }
    }, this.debounceMs);
    timer.unref?.();
    this.pending.set(site, timer);
  }

  /** Re-signs every site's log (the hourly timer). */
  resignAll(): void {
    if (this.closed) return;
    for (const { site } of this.q.listLogs.all() as Array<{ site: string }>) {
      try {
        this.signCheckpoint(site);
      } catch (error) {
        this.log?.error({ err: error, site }, 'audit log: re-signing failed');
      }
    }
  }

  // ---------------------------------------------------------------------------
  // Witnesses
  // ---------------------------------------------------------------------------

  witnesses(site: string): WitnessRecord[] {
    return this.q.witnesses.all(site) as WitnessRecord[];
  }

  /** Registers (or replaces) a witness by its tlog-cosignature verifier key (type 0x04). */
  addWitness(site: string, verifierKey: string): WitnessRecord {
    let key;
    try {
      key = parseVerifierKey(verifierKey);
    } catch (e) {
      throw new AuditRequestError('validation_failed', `Not a verifier key: ${(e as Error).message}`);
    }
    if (key.type !== SIG_TYPE_COSIGNATURE_V1) throw new AuditRequestError('validation_failed', 'Witness keys must be cosignature/v1 keys (type 0x04).');
    this.ensureLog(site);
    this.q.upsertWitness.run(site, key.name, verifierKey.trim(), this.now().toISOString());
    return this.q.witness.get(site, key.name) as WitnessRecord;
  }

  removeWitness(site: string, name: string): boolean {
    return this.q.removeWitness.run(site, name).changes > 0;
  }

  /** Each witness's most recent cosignature. */
  latestCosignatures(site: string): Array<CosignatureRecord & { checkpointId: number }> {
    return this.q.latestCosignatures.all(site) as Array<CosignatureRecord & { checkpointId: number }>;
  }

  /**
   * Stores witnesses' cosignatures of one of this log's checkpoints. `note` is the checkpoint
   * as the witness returns it (our note plus its `— name base64` lines); lines from unknown
   * keys are ignored, but at least one must be from a registered witness and verify.
   */
  addCosignatures(site: string, note: string): CosignatureRecord[] {
    let parsed;
    try {
      parsed = parseSignedNote(note);
    } catch (e) {
      throw new AuditRequestError('validation_failed', `Not a signed note: ${(e as Error).message}`);
    }
    const row = this.q.checkpointByBody.get(site, parsed.text) as any;
    if (!row) throw new AuditRequestError('not_found', 'This log never signed that checkpoint.');
    const witnesses = this.witnesses(site);
    const nowSeconds = Math.floor(this.now().getTime() / 1000);
    const stored: CosignatureRecord[] = [];
    let refusal: string | null = null;
    for (const sig of parsed.signatures) {
      const witness = witnesses.find((w) => w.name === sig.name);
      if (!witness) continue;
      const v = verifyCosignature(parsed.text, sig, witness.verifierKey, { notAfter: nowSeconds + 600 });
      if (!v.ok) {
        if (v.reason !== 'wrong-key') refusal = `The cosignature of ${witness.name} does not verify (${v.reason}).`;
        else refusal ??= `The cosignature of ${witness.name} is not from its registered key.`;
        continue;
      }
      const line = formatSignatureLine(sig).trimEnd();
      const receivedAt = this.now().toISOString();
      this.q.insertCosignature.run(site, row.id, witness.name, row.tree_size, v.timestamp, line, receivedAt);
      stored.push({ witness: witness.name, treeSize: row.tree_size, timestamp: v.timestamp, line, receivedAt });
    }
    if (stored.length === 0) {
      throw new AuditRequestError(refusal ? 'validation_failed' : 'forbidden', refusal ?? 'No cosignature from a registered witness of this log.');
    }
    return stored;
  }

  /** Stops the timers; the database stays open (the store owns it). */
  close(): void {
    this.closed = true;
    for (const t of this.pending.values()) clearTimeout(t);
    this.pending.clear();
    if (this.resignTimer) clearInterval(this.resignTimer);
  }
}
