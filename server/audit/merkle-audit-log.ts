/**
 * The public audit log, in the store's database (SQLite or PostgreSQL; tables of SQLite
 * migration 3 and their PostgreSQL twin): appends leaves to the site's RFC 6962 Merkle tree,
 * keeps every complete subtree hash so roots and proofs for any tree size cost O(log n) point
 * reads (fetched in one query), signs C2SP checkpoints with the site's Ed25519 key (debounced
 * after appends, re-signed at least hourly, fresh on read), rotates keys as logged entries,
 * erases committed values (redaction, itself logged), and stores witnesses' cosignatures.
 *
 * Appends run in the caller's store transaction when there is one, so a change and its log
 * entry commit or roll back together: `await store.transaction(async () => { …; await audit.append(e) })`.
 * Appends to one site are serialised across processes and nodes by a transaction-scoped lock
 * on the site's log (an advisory lock on PostgreSQL; SQLite has one writer at a time anyway).
 */
import type { SqlDatabase } from '../store/sql/database.js';
import { advisoryLock } from '../store/sql/dialect.js';
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
  readonly db: SqlDatabase;
  private readonly now: () => Date;
  private readonly originHost: () => string;
  private readonly log: Pick<Logger, 'warn' | 'error'> | undefined;
  private readonly debounceMs: number;
  private readonly resignMs: number;
  private readonly pending = new Map<string, ReturnType<typeof setTimeout>>();
  private readonly resignTimer: ReturnType<typeof setInterval> | null;
  private readonly timers: boolean;
  private closed = false;

  constructor(options: MerkleAuditLogOptions) {
    this.db = options.db;
    this.now = options.now ?? (() => new Date());
    this.originHost = options.originHost ?? (() => 'localhost');
    this.log = options.log;
    this.debounceMs = options.debounceMs ?? 1000;
    this.resignMs = options.resignMs ?? 3_600_000;
    this.timers = options.timers ?? true;
    this.resignTimer = this.timers && this.resignMs > 0 ? setInterval(() => void this.resignAll(), this.resignMs) : null;
    this.resignTimer?.unref?.();
  }

  // ---------------------------------------------------------------------------
  // Appending
  // ---------------------------------------------------------------------------

  async append(entry: AuditEntryInput): Promise<AuditEntryRef> {
    if (this.closed) throw new Error('the audit log is closed');
    const ref = await this.db.transaction(() => this.appendNow(entry));
    this.scheduleSigning(entry.site);
    return ref;
  }

  /** Takes the site's append lock for the rest of the caller's transaction. */
  private lockLog(site: string): Promise<void> {
    return advisoryLock(this.db, `parley-audit:${site}`);
  }

  /** Call inside a transaction. */
  private async appendNow(input: AuditEntryInput): Promise<AuditEntryRef> {
    const site = input.site;
    await this.ensureLog(site);
    await this.lockLog(site);
    const index = await this.size(site);
    const { leaf, canonical, sensitive } = buildLeaf(input, index);
    const hash = rfcLeafHash(utf8Encode(canonical));
    await this.db.run(INSERT_ENTRY, {
      site, idx: index, kind: leaf.kind, at: leaf.at, leaf: canonical, leafHash: Buffer.from(hash),
      actorLabel: leaf.actor.label, postId: leaf.subject.postId ?? null, topic: leaf.subject.topic ?? null,
      ruleId: ruleOf(leaf), refersTo: leaf.refersTo ?? null,
    });
    for (const s of sensitive) await this.db.run(INSERT_SENSITIVE, [site, index, s.field, s.value, s.salt]);
    // The new leaf completes one subtree per trailing 1-bit of its index; their left siblings
    // are read in one query.
    const siblings: Array<[number, number]> = [];
    for (let i = index, level = 0; i % 2 === 1; i = (i - 1) / 2, level++) siblings.push([level, i - 1]);
    const nodes = await this.nodes(site, siblings);
    const rows: unknown[] = [site, 0, index, Buffer.from(hash)];
    let h = hash;
    let i = index;
    let level = 0;
    while (i % 2 === 1) {
      h = nodeHash(nodes.subtreeHash(level, i - 1), h);
      i = (i - 1) / 2;
      level++;
      rows.push(site, level, i, Buffer.from(h));
    }
    await this.db.run(`INSERT INTO audit_nodes (site, level, idx, hash) VALUES ${rowsOf(rows.length / 4, 4)}`, rows);
    return { index, leafHash: toHex(hash) };
  }

  // ---------------------------------------------------------------------------
  // The log's identity: origin and keys
  // ---------------------------------------------------------------------------

  /** Creates the site's log (origin and first signing key) if it does not exist yet; returns the origin. */
  async ensureLog(site: string): Promise<string> {
    const row = await this.db.get<{ origin: string }>(GET_LOG, [site]);
    if (row) return row.origin;
    return this.db.transaction(async () => {
      await this.lockLog(site);
      const again = await this.db.get<{ origin: string }>(GET_LOG, [site]);
      if (again) return again.origin;
      const origin = `${this.originHost()}/parley/${site}`;
      const at = this.now().toISOString();
      await this.db.run('INSERT INTO audit_logs (site, origin, created_at) VALUES (?, ?, ?)', [site, origin, at]);
      await this.insertKey(site, origin, 0, null, at);
      return origin;
    });
  }

  async origin(site: string): Promise<string | null> {
    return (await this.db.get<{ origin: string }>(GET_LOG, [site]))?.origin ?? null;
  }

  private async insertKey(site: string, name: string, fromSize: number, handover: string | null, at: string, key?: SigningKey): Promise<SigningKey> {
    key ??= generateSigningKey(new Uint8Array(randomBytes(32)), name);
    await this.db.run(INSERT_KEY, [site, keyIdHex(key.keyId), name, Buffer.from(key.seed), formatVerifierKey(key), fromSize, handover, at]);
    return key;
  }

  private async signingKey(site: string): Promise<SigningKey> {
    const row = await this.db.get<{ seed: Buffer; name: string }>(ACTIVE_KEY, [site]);
    if (!row) throw new Error(`the audit log of ${site} has no active key`);
    return generateSigningKey(new Uint8Array(row.seed), row.name);
  }

  /** Every key the site's log has used, oldest first (public parts only). */
  async keys(site: string): Promise<KeyRecord[]> {
    const rows = await this.db.all('SELECT * FROM audit_keys WHERE site = ? ORDER BY from_size, created_at', [site]);
    return rows.map((r) => ({
      keyId: r.key_id, name: r.name, verifierKey: r.verifier_key, fromSize: r.from_size, handover: r.handover,
      createdAt: r.created_at, retiredAt: r.retired_at,
    }));
  }

  /** The verifier key currently signing checkpoints. */
  async verifierKey(site: string): Promise<string> {
    await this.ensureLog(site);
    return (await this.db.get<{ verifier_key: string }>(ACTIVE_KEY, [site]))!.verifier_key;
  }

  /**
   * Replaces the site's signing key. Logged as a `key.rotated` entry; the old key signs a
   * last ("handover") checkpoint that includes that entry, so a verifier that trusts the old
   * key can move to the new one; then the new key signs.
   */
  async rotateKey(site: string, actor: AuditActor, reason?: string): Promise<{ index: number; verifierKey: string }> {
    // The key is generated outside the transaction: PostgreSQL may run the transaction again.
    const origin = await this.ensureLog(site);
    const next = generateSigningKey(new Uint8Array(randomBytes(32)), origin);
    return this.db.transaction(async () => {
      await this.lockLog(site);
      const old = await this.signingKey(site);
      const at = this.now().toISOString();
      const ref = await this.appendNow({
        site, kind: 'key.rotated', at, actor,
        data: { previousKey: formatVerifierKey(old), newKey: formatVerifierKey(next), ...(reason ? { reason } : {}) },
      });
      const handover = await this.signWith(site, old);
      await this.db.run('UPDATE audit_keys SET retired_at = ? WHERE site = ? AND key_id = ?', [at, site, keyIdHex(old.keyId)]);
      await this.insertKey(site, origin, ref.index + 1, handover.note, at, next);
      await this.signWith(site, next);
      return { index: ref.index, verifierKey: formatVerifierKey(next) };
    });
  }

  // ---------------------------------------------------------------------------
  // Reading the tree
  // ---------------------------------------------------------------------------

  async size(site: string): Promise<number> {
    return (await this.db.get<{ n: number }>(SIZE, [site]))!.n;
  }

  /** The subtree hashes at these (level, index) positions, read in one query, as a SubtreeHashSource. */
  private async nodes(site: string, positions: Array<[number, number]>): Promise<SubtreeHashSource> {
    const found = new Map<string, Uint8Array>();
    for (let start = 0; start < positions.length; start += 200) {
      const chunk = positions.slice(start, start + 200);
      const rows = await this.db.all<{ level: number; idx: number; hash: Buffer }>(
        `SELECT level, idx, hash FROM audit_nodes WHERE site = ? AND (${chunk.map(() => '(level = ? AND idx = ?)').join(' OR ')})`,
        [site, ...chunk.flat()],
      );
      for (const r of rows) found.set(`${r.level}/${r.idx}`, new Uint8Array(r.hash));
    }
    return {
      subtreeHash: (level, index) => {
        const hash = found.get(`${level}/${index}`);
        if (!hash) throw new Error(`audit log ${site}: missing subtree hash (${level}, ${index})`);
        return hash;
      },
    };
  }

  /**
   * Runs a pure tree computation over the stored subtree hashes. Which hashes a root or proof
   * needs depends only on sizes and indexes, never on hash values, so a first dry run records
   * the positions, one query fetches them, and the second run computes the answer.
   */
  private async overTree<T>(site: string, compute: (source: SubtreeHashSource) => T): Promise<T> {
    const wanted = new Map<string, [number, number]>();
    const zero = new Uint8Array(32);
    compute({ subtreeHash: (level, index) => (wanted.set(`${level}/${index}`, [level, index]), zero) });
    return compute(await this.nodes(site, [...wanted.values()]));
  }

  async rootAt(site: string, size: number): Promise<Uint8Array> {
    return this.overTree(site, (source) => rootAt(source, size));
  }

  private async checkSize(site: string, size: number, what: string): Promise<number> {
    const n = await this.size(site);
    if (!Number.isSafeInteger(size) || size < 0 || size > n) {
      throw new AuditRequestError('validation_failed', `${what} must be a tree size between 0 and ${n}`);
    }
    return n;
  }

  async inclusionProof(site: string, index: number, size: number): Promise<{ leafHash: string; proof: string[]; rootHash: string }> {
    await this.checkSize(site, size, 'size');
    if (!Number.isSafeInteger(index) || index < 0 || index >= size) {
      throw new AuditRequestError('validation_failed', `index must be between 0 and ${size - 1}`);
    }
    return this.overTree(site, (src) => ({
      leafHash: toHex(src.subtreeHash(0, index)),
      proof: inclusionProof(src, index, size).map(toHex),
      rootHash: toHex(rootAt(src, size)),
    }));
  }

  async consistencyProof(site: string, from: number, to: number): Promise<string[]> {
    await this.checkSize(site, to, 'to');
    if (!Number.isSafeInteger(from) || from < 0 || from > to) throw new AuditRequestError('validation_failed', 'from must be between 0 and to');
    return this.overTree(site, (src) => consistencyProof(src, from, to).map(toHex));
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
  async entries(site: string, start: number, end: number): Promise<StoredEntry[]> {
    if (!Number.isSafeInteger(start) || !Number.isSafeInteger(end) || start < 0 || end < start) {
      throw new AuditRequestError('validation_failed', 'start and end must be integers with 0 ≤ start ≤ end');
    }
    if (end - start > MAX_RANGE) throw new AuditRequestError('validation_failed', `at most ${MAX_RANGE} entries per request`);
    const rows = await this.db.all('SELECT idx, leaf, leaf_hash FROM audit_entries WHERE site = ? AND idx >= ? AND idx < ? ORDER BY idx', [site, start, end]);
    return rows.map((r) => this.toEntry(r));
  }

  async entry(site: string, index: number): Promise<StoredEntry | null> {
    const row = await this.db.get('SELECT idx, leaf, leaf_hash FROM audit_entries WHERE site = ? AND idx = ?', [site, index]);
    return row ? this.toEntry(row) : null;
  }

  /** The committed values still held for an entry (never public: for moderators and the person concerned). */
  async sensitiveValues(site: string, index: number): Promise<Array<{ field: string; value: string; salt: string }>> {
    const rows = await this.db.all<{ field: string; value: string; salt: Buffer }>(SENSITIVE, [site, index]);
    return rows.map((r) => ({ field: r.field, value: r.value, salt: toHex(new Uint8Array(r.salt)) }));
  }

  /** Committed fields of `entry` whose value was erased. */
  async redactedFields(site: string, entry: StoredEntry): Promise<string[]> {
    return (await this.redactedFieldsOf(site, [entry])).get(entry.index) ?? [];
  }

  /** Redacted fields of several entries, in one query. */
  private async redactedFieldsOf(site: string, entries: StoredEntry[]): Promise<Map<number, string[]>> {
    const out = new Map<number, string[]>();
    const committed = entries.filter((e) => Object.keys(e.leaf.commitments ?? {}).length > 0);
    if (committed.length === 0) return out;
    const rows = await this.db.all<{ idx: number; field: string }>(
      `SELECT idx, field FROM audit_sensitive WHERE site = ? AND idx IN (${committed.map(() => '?').join(', ')})`,
      [site, ...committed.map((e) => e.index)],
    );
    const held = new Set(rows.map((r) => `${r.idx}/${r.field}`));
    for (const e of committed) out.set(e.index, Object.keys(e.leaf.commitments ?? {}).filter((f) => !held.has(`${e.index}/${f}`)));
    return out;
  }

  /** Filtered, newest-first page of entries for people. */
  async view(site: string, filter: ViewFilter): Promise<{ entries: ViewEntry[]; nextBefore: number | null }> {
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
    const rows = await this.db.all(
      `SELECT idx, leaf, leaf_hash FROM audit_entries WHERE ${where.join(' AND ')} ORDER BY idx DESC LIMIT @limit`,
      params,
    );
    const more = rows.length > limit;
    const entries = (more ? rows.slice(0, limit) : rows).map((r) => this.toEntry(r));
    const redacted = await this.redactedFieldsOf(site, entries);
    const page = entries.map((e) => ({ ...e, redacted: redacted.get(e.index) ?? [] }));
    return { entries: page, nextBefore: more ? page[page.length - 1]!.index : null };
  }

  // ---------------------------------------------------------------------------
  // Redaction
  // ---------------------------------------------------------------------------

  /**
   * Erases a committed value (value and salt) of entry `index` and logs the redaction as a
   * new entry naming the entry and field. The tree is untouched, so it stays verifiable.
   */
  async redact(site: string, index: number, field: string, actor: AuditActor, reason: 'privacy' | 'erasure-request' | 'legal' | string): Promise<AuditEntryRef> {
    const ref = await this.db.transaction(async () => {
      const entry = await this.entry(site, index);
      if (!entry) throw new AuditRequestError('not_found', `There is no entry ${index} in this log.`);
      if (!(field in (entry.leaf.commitments ?? {}))) {
        throw new AuditRequestError('validation_failed', `Entry ${index} has no committed field "${field}".`);
      }
      await this.db.run('DELETE FROM audit_sensitive WHERE site = ? AND idx = ? AND field = ?', [site, index, field]);
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

  private async toCheckpoint(row: any): Promise<CheckpointRecord> {
    const cosignatures = await this.db.all<CosignatureRecord>(`SELECT witness, tree_size AS "treeSize", timestamp, line, received_at AS "receivedAt"
        FROM audit_cosignatures WHERE site = ? AND checkpoint_id = ? ORDER BY witness`, [row.site, row.id]);
    return {
      id: row.id, site: row.site, treeSize: row.tree_size, rootHash: toHex(new Uint8Array(row.root)), body: row.body,
      note: row.note + cosignatures.map((c) => c.line + '\n').join(''),
      keyId: row.key_id, signedAt: row.signed_at, cosignatures,
    };
  }

  /** Call inside a transaction holding the site's lock. */
  private async signWith(site: string, key: SigningKey): Promise<CheckpointRecord> {
    const origin = await this.ensureLog(site);
    const size = await this.size(site);
    const root = await this.rootAt(site, size);
    const now = this.now();
    const body = formatCheckpoint({ origin, treeSize: size, rootHash: root, extensions: [`time ${Math.floor(now.getTime() / 1000)}`] });
    const note = formatSignedNote({ text: body, signatures: [signNoteText(body, key)] });
    const row = await this.db.get(`INSERT INTO audit_checkpoints (site, tree_size, root, body, note, key_id, signed_at)
        VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING *`, [site, size, Buffer.from(root), body, note, keyIdHex(key.keyId), now.toISOString()]);
    return this.toCheckpoint(row);
  }

  /** Signs a checkpoint of the current tree now (a fresh time even if nothing changed). */
  async signCheckpoint(site: string): Promise<CheckpointRecord> {
    return this.db.transaction(async () => {
      await this.lockLog(site);
      return this.signWith(site, await this.signingKey(site));
    });
  }

  /**
   * Signs a checkpoint unless the latest already covers the current tree and is younger than
   * `maxAgeMs`. Decided under the site's lock, so several nodes never sign the same size twice.
   */
  private async signIfNeeded(site: string, maxAgeMs: number): Promise<CheckpointRecord> {
    return this.db.transaction(async () => {
      await this.lockLog(site);
      const row = await this.db.get(LATEST_CHECKPOINT, [site]);
      const fresh = row && row.tree_size === (await this.size(site)) && this.now().getTime() - Date.parse(row.signed_at) < maxAgeMs;
      return fresh ? this.toCheckpoint(row) : this.signWith(site, await this.signingKey(site));
    });
  }

  /** The latest checkpoint; with `fresh` (default), signs one first if the tree grew since. */
  async latestCheckpoint(site: string, options: { fresh?: boolean } = {}): Promise<CheckpointRecord> {
    await this.ensureLog(site);
    const row = await this.db.get(LATEST_CHECKPOINT, [site]);
    if (!row || (options.fresh !== false && row.tree_size !== (await this.size(site)))) return this.signIfNeeded(site, Infinity);
    return this.toCheckpoint(row);
  }

  private scheduleSigning(site: string): void {
    if (!this.timers || this.closed || this.pending.has(site)) return;
    const timer = setTimeout(() => {
      this.pending.delete(site);
      if (this.closed) return;
      this.signIfNeeded(site, Infinity).catch((error: unknown) => {
        if (!this.closed) this.log?.error({ err: error, site }, 'audit log: signing a checkpoint failed');
      });
    }, this.debounceMs);
    timer.unref?.();
    this.pending.set(site, timer);
  }

  /** Re-signs every site's log whose latest checkpoint is older than the re-sign interval (the hourly timer). */
  async resignAll(): Promise<void> {
    if (this.closed) return;
    const logs = await this.db.all<{ site: string }>('SELECT site FROM audit_logs ORDER BY site');
    for (const { site } of logs) {
      if (this.closed) return;
      try {
        // Half the interval: another node that re-signed a moment ago is enough.
        await this.signIfNeeded(site, this.resignMs / 2);
      } catch (error) {
        this.log?.error({ err: error, site }, 'audit log: re-signing failed');
      }
    }
  }

  // ---------------------------------------------------------------------------
  // Witnesses
  // ---------------------------------------------------------------------------

  async witnesses(site: string): Promise<WitnessRecord[]> {
    return this.db.all<WitnessRecord>(`${WITNESS_COLUMNS} WHERE site = ? ORDER BY name`, [site]);
  }

  /** Registers (or replaces) a witness by its tlog-cosignature verifier key (type 0x04). */
  async addWitness(site: string, verifierKey: string): Promise<WitnessRecord> {
    let key;
    try {
      key = parseVerifierKey(verifierKey);
    } catch (e) {
      throw new AuditRequestError('validation_failed', `Not a verifier key: ${(e as Error).message}`);
    }
    if (key.type !== SIG_TYPE_COSIGNATURE_V1) throw new AuditRequestError('validation_failed', 'Witness keys must be cosignature/v1 keys (type 0x04).');
    await this.ensureLog(site);
    await this.db.run(`INSERT INTO audit_witnesses (site, name, verifier_key, added_at) VALUES (?, ?, ?, ?)
        ON CONFLICT (site, name) DO UPDATE SET verifier_key = excluded.verifier_key`, [site, key.name, verifierKey.trim(), this.now().toISOString()]);
    return (await this.db.get<WitnessRecord>(`${WITNESS_COLUMNS} WHERE site = ? AND name = ?`, [site, key.name]))!;
  }

  async removeWitness(site: string, name: string): Promise<boolean> {
    return (await this.db.run('DELETE FROM audit_witnesses WHERE site = ? AND name = ?', [site, name])).changes > 0;
  }

  /** Each witness's most recent cosignature. */
  async latestCosignatures(site: string): Promise<Array<CosignatureRecord & { checkpointId: number }>> {
    return this.db.all(`SELECT c.witness, c.tree_size AS "treeSize", c.timestamp, c.line, c.received_at AS "receivedAt",
          c.checkpoint_id AS "checkpointId"
        FROM audit_cosignatures c WHERE c.site = ? AND c.checkpoint_id = (
          SELECT max(checkpoint_id) FROM audit_cosignatures d WHERE d.site = c.site AND d.witness = c.witness)
        ORDER BY c.witness`, [site]);
  }

  /**
   * Stores witnesses' cosignatures of one of this log's checkpoints. `note` is the checkpoint
   * as the witness returns it (our note plus its `— name base64` lines); lines from unknown
   * keys are ignored, but at least one must be from a registered witness and verify.
   */
  async addCosignatures(site: string, note: string): Promise<CosignatureRecord[]> {
    let parsed;
    try {
      parsed = parseSignedNote(note);
    } catch (e) {
      throw new AuditRequestError('validation_failed', `Not a signed note: ${(e as Error).message}`);
    }
    const row = await this.db.get('SELECT * FROM audit_checkpoints WHERE site = ? AND body = ? ORDER BY id DESC LIMIT 1', [site, parsed.text]);
    if (!row) throw new AuditRequestError('not_found', 'This log never signed that checkpoint.');
    const witnesses = await this.witnesses(site);
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
      await this.db.run(`INSERT INTO audit_cosignatures (site, checkpoint_id, witness, tree_size, timestamp, line, received_at)
          VALUES (?, ?, ?, ?, ?, ?, ?)
          ON CONFLICT (site, checkpoint_id, witness) DO UPDATE SET tree_size = excluded.tree_size,
            timestamp = excluded.timestamp, line = excluded.line, received_at = excluded.received_at`,
        [site, row.id, witness.name, row.tree_size, v.timestamp, line, receivedAt]);
      stored.push({ witness: witness.name, treeSize: row.tree_size, timestamp: v.timestamp, line, receivedAt });
    }
    if (stored.length === 0) {
      throw new AuditRequestError(refusal ? 'validation_failed' : 'forbidden', refusal ?? 'No cosignature from a registered witness of this log.');
    }
    return stored;
  }

  /** Stops the timers; the database stays open (the store owns it). */
  async close(): Promise<void> {
    this.closed = true;
    for (const t of this.pending.values()) clearTimeout(t);
    this.pending.clear();
    if (this.resignTimer) clearInterval(this.resignTimer);
  }
}

const GET_LOG = 'SELECT origin FROM audit_logs WHERE site = ?';
const SIZE = 'SELECT coalesce(max(idx), -1) + 1 AS n FROM audit_nodes WHERE site = ? AND level = 0';
const INSERT_ENTRY = `INSERT INTO audit_entries (site, idx, kind, at, leaf, leaf_hash, actor_label, post_id, topic, rule_id, refers_to)
  VALUES (@site, @idx, @kind, @at, @leaf, @leafHash, @actorLabel, @postId, @topic, @ruleId, @refersTo)`;
const INSERT_SENSITIVE = 'INSERT INTO audit_sensitive (site, idx, field, value, salt) VALUES (?, ?, ?, ?, ?)';
const SENSITIVE = 'SELECT field, value, salt FROM audit_sensitive WHERE site = ? AND idx = ? ORDER BY field';
const ACTIVE_KEY = 'SELECT * FROM audit_keys WHERE site = ? AND retired_at IS NULL';
const INSERT_KEY = `INSERT INTO audit_keys (site, key_id, name, seed, verifier_key, from_size, handover, created_at)
  VALUES (?, ?, ?, ?, ?, ?, ?, ?)`;
const LATEST_CHECKPOINT = 'SELECT * FROM audit_checkpoints WHERE site = ? ORDER BY id DESC LIMIT 1';
const WITNESS_COLUMNS = 'SELECT name, verifier_key AS "verifierKey", added_at AS "addedAt" FROM audit_witnesses';

/** `(?, ?, …), (?, ?, …)` for a multi-row VALUES list. */
function rowsOf(rows: number, columns: number): string {
  const row = `(${Array.from({ length: columns }, () => '?').join(', ')})`;
  return Array.from({ length: rows }, () => row).join(', ');
}
