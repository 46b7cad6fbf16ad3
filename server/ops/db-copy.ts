/**
 * `parley db copy --from <sqlite file | data dir> --to <postgres url>`: moves an installation from
 * its SQLite file into an EMPTY PostgreSQL database, then proves the copy.
 *
 *   const report = await copyDatabase({ from: 'data/parley.db', to: 'postgres://parley@db/parley' });
 *   report.verification.ok   // row counts, audit roots, checkpoints, identity sequences
 *   const again = await verifyCopy({ from, to });   // the verification alone (`parley db verify-copy`)
 *
 * How, and why so:
 * - The target must be empty: no tables at all, or Parley's schema with no rows (a node started
 *   on it once). Anything else is refused before a row is written, naming what is there — a
 *   copy never merges into a live installation.
 * - The schema is PostgreSQL's own (server/store/postgres/migrations, applied here); the rows
 *   follow it. Tables and columns are read from both databases, not listed here, so a table a
 *   later migration adds is copied without touching this file; a table or column that exists
 *   on one side only stops the copy (data would be lost or invented).
 * - One transaction for all tables, parents before children (the order comes from the
 *   foreign keys), every table locked first so a node started meanwhile waits instead of
 *   writing into a half-made copy. The source is read in one SQLite read transaction: one
 *   consistent snapshot even while a server still writes (stop it first: later writes would
 *   not be in the copy, and the verification would say so).
 * - Multi-row INSERTs of up to BATCH_ROWS rows (fewer for wide tables: PostgreSQL takes at most
 *   65,535 parameters), as named prepared statements: 10^6 posts are ~2,000 round trips.
 * - Identity columns keep their values: SQLite's implicit `rowid` becomes the real `rowid`
 *   column (GENERATED ALWAYS, hence OVERRIDING SYSTEM VALUE), AUTOINCREMENT ids are copied as
 *   they are, and every identity sequence is then set past the largest copied value.
 * - Verification reads both databases afresh (after COMMIT, from snapshots): row counts per
 *   table; per site, the audit root recomputed from the copied tree nodes equals the source's,
 *   the latest checkpoint is the same, and the copied tree has the root that checkpoint signed;
 *   every identity sequence's next value is past the copied maximum.
 *
 * PostgreSQL → SQLite is not offered: back up PostgreSQL with pg_dump.
 */
import Database from 'better-sqlite3';
import pg from 'pg';
import { rootAt, toHex } from '../../moderation/log/index.js';
import { isPostgresUrl, redactDatabaseUrl, redactedDatabaseError } from '../store/postgres/database-url.js';
import { migratePostgres } from '../store/postgres/migrations.js';
import { parleyTypes } from '../store/sql/postgres-database.js';
import { MIGRATIONS } from '../store/sqlite/migrations.js';
import { openSnapshot, sqliteFileOfTarget, withStoredNodes, type SnapshotReader } from './snapshot-reader.js';

/** Rows per INSERT statement, at most (wide tables get fewer, see batchSizeFor). */
export const BATCH_ROWS = 500;
/** Rows between progress lines within one table. */
const PROGRESS_ROWS = 100_000;
/** Parameters per statement we allow ourselves (PostgreSQL's hard limit is 65,535). */
const MAX_PARAMETERS = 30_000;

export interface CopyOptions {
  /** The SQLite file, or the data folder holding parley.db. */
  from: string;
  /** postgres://… of an empty database. */
  to: string;
  /** Rows per INSERT (default BATCH_ROWS); tests use small batches to cross batch edges. */
  batchRows?: number;
  /** Progress lines (one per table). */
  progress?: (line: string) => void;
}

export interface TableCopy {
  table: string;
  rows: number;
}

export interface CopyReport {
  from: string;
  /** The target URL without its password. */
  to: string;
  tables: TableCopy[];
  rows: number;
  /** INSERT statements sent (round trips for the rows). */
  statements: number;
  /** The copy (schema, rows, sequences) until COMMIT. */
  milliseconds: number;
  /** The verification afterwards. */
  verifyMilliseconds: number;
  verification: CopyVerification;
}

export interface CopyCheck {
  ok: boolean;
  message: string;
}

export interface CopyVerification {
  ok: boolean;
  checks: CopyCheck[];
  tables: Array<{ table: string; source: number | null; target: number | null }>;
  sites: Array<{ site: string; entries: number; root: string | null; checkpointSize: number | null }>;
}

/** A refusal the operator can act on (non-empty target, old source schema, …): exit code 1, no stack. */
export class CopyRefused extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CopyRefused';
  }
}

const quoteIdent = (name: string): string => `"${name.replace(/"/g, '""')}"`;

interface PgColumn {
  table_name: string;
  column_name: string;
  is_identity: string;
  identity_generation: string | null;
}

interface TablePlan {
  table: string;
  /** Target columns, in order. */
  columns: string[];
  /** What to SELECT from SQLite for each column (its name, or `rowid` for the implicit one). */
  sourceExpressions: string[];
  /** Has a GENERATED ALWAYS identity column: the INSERT must say OVERRIDING SYSTEM VALUE. */
  overriding: boolean;
  /** Identity columns, whose sequences are set past the copied maximum. */
  identities: string[];
  /** SQLite order of the source rows (insertion order where the table has a rowid). */
  orderBy: string;
}

/** Parley's tables in the target, in dependency order (a table after every table it references). */
async function targetTables(client: pg.ClientBase): Promise<{ order: string[]; columns: Map<string, PgColumn[]> }> {
  const columns = new Map<string, PgColumn[]>();
  const { rows } = await client.query<PgColumn>(
    `SELECT table_name, column_name, is_identity, identity_generation FROM information_schema.columns
     WHERE table_schema = 'public' AND table_name <> 'schema_migrations' AND is_generated = 'NEVER' ORDER BY table_name, ordinal_position`,
  );
  // Generated columns (posts.search_vector, issue 16) compute themselves from what is copied.
  for (const r of rows) {
    if (!columns.has(r.table_name)) columns.set(r.table_name, []);
    columns.get(r.table_name)!.push(r);
  }
  const { rows: fks } = await client.query<{ child: string; parent: string }>(
    `SELECT DISTINCT c.conrelid::regclass::text AS child, c.confrelid::regclass::text AS parent
     FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace
     WHERE c.contype = 'f' AND n.nspname = 'public'`,
  );
  const unquote = (name: string) => name.replace(/^"(.*)"$/, '$1').replace(/""/g, '"');
  const parents = new Map<string, Set<string>>([...columns.keys()].map((t) => [t, new Set<string>()]));
  for (const fk of fks) {
    const child = unquote(fk.child);
    const parent = unquote(fk.parent);
    if (child !== parent && parents.has(child) && parents.has(parent)) parents.get(child)!.add(parent);
  }
  const order: string[] = [];
  const done = new Set<string>();
  while (order.length < parents.size) {
    const ready = [...parents.keys()].filter((t) => !done.has(t) && [...parents.get(t)!].every((p) => done.has(p))).sort();
    if (ready.length === 0) throw new Error(`The foreign keys of ${[...parents.keys()].filter((t) => !done.has(t)).join(', ')} form a cycle.`);
    for (const t of ready) {
      order.push(t);
      done.add(t);
    }
  }
  return { order, columns };
}

/** Tables of the target that hold at least one row. */
async function tablesWithRows(client: pg.ClientBase, tables: readonly string[]): Promise<string[]> {
  const full: string[] = [];
  for (const t of tables) {
    if ((await client.query(`SELECT 1 FROM ${quoteIdent(t)} LIMIT 1`)).rowCount) full.push(t);
  }
  return full;
}

/**
 * Refuses a target that is not empty; brings an empty one to Parley's schema. "Empty" is no
 * table at all, or Parley's schema (schema_migrations present) with no row in any table.
 */
async function prepareTarget(pool: pg.Pool, url: string, installationTables: ReadonlySet<string>): Promise<void> {
  const { rows } = await pool.query<{ tablename: string }>(`SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename`);
  const present = rows.map((r) => r.tablename);
  if (present.length > 0 && !present.includes('schema_migrations')) {
    throw new CopyRefused(
      `The target database ${redactDatabaseUrl(url)} is not empty and is not a Parley database (tables: ${present.slice(0, 10).join(', ')}${present.length > 10 ? ', …' : ''}). ` +
      'Copy into a new, empty database (createdb parley).',
    );
  }
  await migratePostgres(pool);
  const client = await pool.connect();
  try {
    const { order } = await targetTables(client);
    const full = await tablesWithRows(client, order.filter((t) => installationTables.has(t)));
    if (full.length > 0) throw new CopyRefused(nonEmpty(url, full));
  } finally {
    client.release();
  }
}

/** The tables of a SQLite installation (its schema's, whatever rows they hold). */
function sourceTableNames(source: Database.Database): Set<string> {
  return new Set((source.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'posts_fts%'`).all() as Array<{ name: string }>).map((r) => r.name));
}

function nonEmpty(url: string, tables: readonly string[]): string {
  return `The target database ${redactDatabaseUrl(url)} already holds Parley data (rows in ${tables.slice(0, 10).join(', ')}${tables.length > 10 ? ', …' : ''}). ` +
    'parley db copy only fills an EMPTY database, so nothing is ever merged or overwritten: copy into a new database (createdb parley_new).';
}

/** Matches the target's tables and columns with the source's, or says what differs. */
function planTables(source: Database.Database, order: readonly string[], columns: Map<string, PgColumn[]>): TablePlan[] {
  const sourceTables = new Map(
    // posts_fts* is SQLite's search index (issue 16): PostgreSQL computes its own (posts.search_vector).
    (source.prepare(`SELECT name, sql FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'posts_fts%'`).all() as Array<{ name: string; sql: string }>)
      .map((r) => [r.name, r.sql]),
  );
  // Tables only PostgreSQL has (migration 002: the state several nodes share, such as rate-limit
  // points) have nothing to copy and stay empty. A table only SQLite has would be data lost.
  const onlySource = [...sourceTables.keys()].filter((t) => !columns.has(t));
  if (onlySource.length) {
    throw new Error(`The two schemas differ: only in SQLite: ${onlySource.join(', ')}. Is this Parley the same version on both sides?`);
  }
  return order.filter((table) => sourceTables.has(table)).map((table) => {
    const sourceColumns = new Set((source.prepare(`SELECT name FROM pragma_table_info(?)`).all(table) as Array<{ name: string }>).map((r) => r.name));
    const withoutRowid = /WITHOUT\s+ROWID/i.test(sourceTables.get(table) ?? '');
    const target = columns.get(table)!;
    const sourceExpressions = target.map((c) => {
      if (sourceColumns.has(c.column_name)) return quoteIdent(c.column_name);
      if (c.column_name === 'rowid' && !withoutRowid) return 'rowid';
      throw new Error(`Column ${table}.${c.column_name} exists only in PostgreSQL.`);
    });
    const missing = [...sourceColumns].filter((c) => !target.some((t) => t.column_name === c));
    if (missing.length) throw new Error(`Column(s) ${missing.map((c) => `${table}.${c}`).join(', ')} exist only in SQLite.`);
    return {
      table,
      columns: target.map((c) => c.column_name),
      sourceExpressions,
      overriding: target.some((c) => c.identity_generation === 'ALWAYS'),
      identities: target.filter((c) => c.is_identity === 'YES').map((c) => c.column_name),
      orderBy: withoutRowid ? '' : ' ORDER BY rowid',
    };
  });
}

function batchSizeFor(plan: TablePlan, batchRows: number): number {
  return Math.max(1, Math.min(batchRows, Math.floor(MAX_PARAMETERS / plan.columns.length)));
}

function insertSql(plan: TablePlan, rows: number): string {
  const width = plan.columns.length;
  const tuples: string[] = [];
  for (let r = 0; r < rows; r++) tuples.push(`(${plan.columns.map((_, c) => `$${r * width + c + 1}`).join(', ')})`);
  return `INSERT INTO ${quoteIdent(plan.table)} (${plan.columns.map(quoteIdent).join(', ')})` +
    `${plan.overriding ? ' OVERRIDING SYSTEM VALUE' : ''} VALUES ${tuples.join(', ')}`;
}

/** Opens the SQLite source read-only, checking it is at this Parley's schema version. */
function openSource(from: string): { db: Database.Database; file: string } {
  const file = sqliteFileOfTarget(from);
  let db: Database.Database;
  try {
    db = new Database(file, { readonly: true, fileMustExist: true });
  } catch {
    throw new CopyRefused(`There is no SQLite database at ${file}.`);
  }
  db.pragma('busy_timeout = 5000');
  const version = db.pragma('user_version', { simple: true }) as number;
  if (version !== MIGRATIONS.length) {
    db.close();
    throw new CopyRefused(version < MIGRATIONS.length
      ? `${file} is at schema version ${version}; this Parley's is ${MIGRATIONS.length}. Start this Parley once on it (parley serve --data-dir …) so it upgrades the file, stop it, then copy.`
      : `${file} is at schema version ${version}, newer than this Parley (${MIGRATIONS.length}): copy with the Parley that wrote it.`);
  }
  return { db, file };
}

function targetPool(to: string, max: number): pg.Pool {
  if (!isPostgresUrl(to)) throw new CopyRefused(`--to must be a postgres:// URL, not "${to}".`);
  const pool = new pg.Pool({ connectionString: to, max, types: parleyTypes() });
  pool.on('error', () => {});
  return pool;
}

/** Copies, then verifies. Throws CopyRefused (or a database error) when nothing was copied. */
export async function copyDatabase(options: CopyOptions): Promise<CopyReport> {
  const started = performance.now();
  const progress = options.progress ?? (() => {});
  const source = openSource(options.from);
  const pool = targetPool(options.to, 1);
  const copied: TableCopy[] = [];
  let statements = 0;
  try {
    try {
      await prepareTarget(pool, options.to, sourceTableNames(source.db));
    } catch (error) {
      throw error instanceof CopyRefused ? error : redactedDatabaseError(error, options.to);
    }
    const client = await pool.connect();
    let broken: Error | undefined;
    try {
      await client.query('BEGIN');
      const { order, columns } = await targetTables(client);
      const plans = planTables(source.db, order, columns);
      // Nobody writes into the copy while it is made; a node started meanwhile waits here.
      await client.query(`LOCK TABLE ${order.map(quoteIdent).join(', ')} IN ACCESS EXCLUSIVE MODE`);
      // Checked again under the lock: a node may have started on the database since.
      const full = await tablesWithRows(client, plans.map((p) => p.table));
      if (full.length > 0) throw new CopyRefused(nonEmpty(options.to, full));
      // One snapshot of the source for every table.
      source.db.exec('BEGIN');
      for (const [index, plan] of plans.entries()) {
        const size = batchSizeFor(plan, options.batchRows ?? BATCH_ROWS);
        // Prepared once per table on this connection (numbered: a name is at most 63 bytes).
        const fullBatch = { name: `parley_copy_${index}_${size}`, text: insertSql(plan, size) };
        const select = source.db.prepare(`SELECT ${plan.sourceExpressions.join(', ')} FROM ${quoteIdent(plan.table)}${plan.orderBy}`);
        // Exact integers (BigInt) whatever their size; node-postgres sends them as text.
        select.raw(true).safeIntegers(true);
        let batch: unknown[] = [];
        let rows = 0;
        const flush = async () => {
          const n = batch.length / plan.columns.length;
          if (n === 0) return;
          await client.query(n === size ? { ...fullBatch, values: batch } : { text: insertSql(plan, n), values: batch });
          statements++;
          rows += n;
          batch = [];
          // A sign of life on big tables (a million posts take minutes).
          if (Math.floor(rows / PROGRESS_ROWS) > Math.floor((rows - n) / PROGRESS_ROWS)) progress(`  ${plan.table}: ${rows.toLocaleString('en')} rows …`);
        };
        for (const row of select.iterate() as Iterable<unknown[]>) {
          for (const v of row) batch.push(v);
          if (batch.length === size * plan.columns.length) await flush();
        }
        await flush();
        for (const column of plan.identities) {
          // The next value is past everything copied (1 for an empty table).
          await client.query(
            `SELECT setval(pg_get_serial_sequence($1, $2), coalesce((SELECT max(${quoteIdent(column)}) FROM ${quoteIdent(plan.table)}), 0) + 1, false)`,
            [quoteIdent(plan.table), column],
          );
        }
        copied.push({ table: plan.table, rows });
        if (rows > 0) progress(`  ${plan.table}: ${rows.toLocaleString('en')} ${rows === 1 ? 'row' : 'rows'}`);
      }
      source.db.exec('COMMIT');
      await client.query('COMMIT');
    } catch (error) {
      if (source.db.inTransaction) source.db.exec('ROLLBACK');
      await client.query('ROLLBACK').catch((rollbackError: Error) => {
        broken = rollbackError;
      });
      throw error instanceof CopyRefused || (error as { code?: unknown }).code === undefined ? error : redactedDatabaseError(error, options.to);
    } finally {
      client.release(broken);
    }
  } finally {
    source.db.close();
    await pool.end();
  }
  const copiedAt = performance.now();
  const verification = await verifyCopy({ from: source.file, to: options.to });
  return {
    from: source.file,
    to: redactDatabaseUrl(options.to),
    tables: copied,
    rows: copied.reduce((sum, t) => sum + t.rows, 0),
    statements,
    milliseconds: Math.round(copiedAt - started),
    verifyMilliseconds: Math.round(performance.now() - copiedAt),
    verification,
  };
}

/** The audit root of a site's first `size` entries, from its stored tree nodes (hex), or null if nodes are missing. */
async function storedRoot(db: SnapshotReader, site: string, size: number): Promise<string | null> {
  try {
    return toHex(await withStoredNodes(db, site, (src) => rootAt(src, size)));
  } catch {
    return null;
  }
}

interface CheckpointRow {
  id: number;
  tree_size: number;
  root: Buffer;
  note: string;
}

/** Rows per page when comparing contents (keyset pages in primary-key order on both sides). */
const COMPARE_PAGE = 2000;

/** A value as text that is the same on both sides (bytea and BLOB as hex; bigint and INTEGER as numbers). */
function comparable(value: unknown): unknown {
  if (Buffer.isBuffer(value) || value instanceof Uint8Array) return `\\x${Buffer.from(value).toString('hex')}`;
  if (typeof value === 'bigint') return Number(value);
  return value;
}

/**
 * The rows of a table one by one, in primary-key order, as comparable JSON texts. `select` says
 * what to read for each target column (SQLite's implicit rowid as `rowid`); keyset pages keep a
 * 10^6-row table from being read into memory at once.
 */
async function* tableRows(db: SnapshotReader, table: string, select: string[], key: number[]): AsyncGenerator<{ key: unknown[]; text: string }> {
  const keyList = key.map((k) => select[k]!).join(', ');
  let after: unknown[] | null = null;
  for (;;) {
    const where: string = after ? ` WHERE (${keyList}) > (${after.map(() => '?').join(', ')})` : '';
    const rows: Array<Record<string, unknown>> = await db.all(
      `SELECT ${select.map((expr, i) => `${expr} AS c${i}`).join(', ')} FROM ${quoteIdent(table)}${where} ORDER BY ${keyList} LIMIT ${COMPARE_PAGE}`,
      after ?? [],
    );
    for (const row of rows) {
      const values = select.map((_, i) => row[`c${i}`]);
      yield { key: key.map((k) => values[k]), text: JSON.stringify(values.map(comparable)) };
    }
    if (rows.length < COMPARE_PAGE) return;
    const last = rows[rows.length - 1]!;
    after = key.map((k) => last[`c${k}`]);
  }
}

/** The first row where two tables of equal size differ, or null when every row is equal. */
async function firstDifference(from: SnapshotReader, to: SnapshotReader, table: string): Promise<string | null> {
  const columns = (await to.all<{ column_name: string }>(
    `SELECT column_name FROM information_schema.columns WHERE table_schema = 'public' AND table_name = ? AND is_generated = 'NEVER' ORDER BY ordinal_position`, [table],
  )).map((r) => r.column_name);
  const keyColumns = (await to.all<{ column_name: string }>(
    `SELECT a.attname AS column_name FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey)
     WHERE i.indrelid = ?::regclass AND i.indisprimary ORDER BY array_position(i.indkey::int2[], a.attnum)`, [quoteIdent(table)],
  )).map((r) => r.column_name);
  const sourceColumns = new Set((await from.all<{ name: string }>('SELECT name FROM pragma_table_info(?)', [table])).map((r) => r.name));
  const key = (keyColumns.length ? keyColumns : columns).map((c) => columns.indexOf(c));
  const sourceSelect = columns.map((c) => (sourceColumns.has(c) ? quoteIdent(c) : 'rowid'));
  const targetSelect = columns.map(quoteIdent);
  const a = tableRows(from, table, sourceSelect, key);
  const b = tableRows(to, table, targetSelect, key);
  for (;;) {
    const [x, y] = [await a.next(), await b.next()];
    if (x.done && y.done) return null;
    if (x.done || y.done || x.value.text !== y.value.text) {
      const at = (x.done ? y.value! : x.value).key;
      await a.return(undefined);
      await b.return(undefined);
      return `${table}: the row with ${keyColumns.length ? keyColumns.join(', ') : 'values'} = ${JSON.stringify(at.map(comparable))} differs from the source's`;
    }
  }
}

/**
 * Compares a copy with its source, reading both afresh: row counts per table; every row, value
 * for value (unless `contents: false`: a quick check of a very large copy); every site's audit
 * root (recomputed from the tree nodes on each side) and latest checkpoint, the copied tree against
 * that checkpoint's signed root; and the target's identity sequences against the copied maximum.
 */
export async function verifyCopy(options: { from: string; to: string; contents?: boolean }): Promise<CopyVerification> {
  const checks: CopyCheck[] = [];
  const tables: CopyVerification['tables'] = [];
  const sites: CopyVerification['sites'] = [];
  const from = await openSnapshot(sqliteFileOfTarget(options.from));
  let to: SnapshotReader;
  try {
    to = await openSnapshot(options.to);
  } catch (error) {
    await from.close();
    throw error;
  }
  try {
    // Row counts, table by table.
    const sourceNames = (await from.all<{ name: string }>(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'posts_fts%'`)).map((r) => r.name);
    const targetNames = (await to.all<{ tablename: string }>(`SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'schema_migrations'`)).map((r) => r.tablename);
    const count = async (db: SnapshotReader, names: string[], t: string) =>
      names.includes(t) ? (await db.get<{ n: number | bigint }>(`SELECT count(*) AS n FROM ${quoteIdent(t)}`))!.n : null;
    let rows = 0;
    const targetOnly = targetNames.filter((t) => !sourceNames.includes(t)).sort();
    for (const table of [...new Set([...sourceNames, ...targetNames])].sort()) {
      if (targetOnly.includes(table)) continue;
      const s = await count(from, sourceNames, table);
      const t = await count(to, targetNames, table);
      const entry = { table, source: s === null ? null : Number(s), target: t === null ? null : Number(t) };
      tables.push(entry);
      rows += entry.source ?? 0;
      if (entry.source !== entry.target) {
        checks.push({
          ok: false,
          message: entry.target === null ? `${table}: missing in the copy`
            : `${table}: ${(entry.source ?? 0).toLocaleString('en')} rows in the source, ${entry.target.toLocaleString('en')} in the copy`,
        });
      }
    }
    if (checks.every((c) => c.ok)) checks.push({ ok: true, message: `Row counts equal in all ${tables.length} tables (${rows.toLocaleString('en')} rows).` });
    if (targetOnly.length) checks.push({ ok: true, message: `Not compared: ${targetOnly.join(', ')} (PostgreSQL only: state the nodes share, empty after a copy).` });

    // Row by row, for the tables whose counts agree: every value equal, identity columns included.
    if (options.contents !== false) {
      const differing: string[] = [];
      for (const t of tables) {
        if (t.source === null || t.source !== t.target) continue;
        const difference = await firstDifference(from, to, t.table);
        if (difference) differing.push(difference);
      }
      checks.push(differing.length
        ? { ok: false, message: `Contents differ: ${differing.join('; ')}.` }
        : { ok: true, message: `Every row of every table equals the source's, value for value.` });
    }

    // Every site's log: the root from the stored nodes, the latest checkpoint, and the two agree.
    const logSites = async (db: SnapshotReader) => (await db.all<{ site: string }>('SELECT site FROM audit_logs ORDER BY site')).map((r) => r.site);
    for (const site of [...new Set([...(await logSites(from)), ...(await logSites(to))])].sort()) {
      const entries = async (db: SnapshotReader) => Number((await db.get<{ n: number | bigint }>('SELECT count(*) AS n FROM audit_entries WHERE site = ?', [site]))!.n);
      const latest = (db: SnapshotReader) => db.get<CheckpointRow>('SELECT id, tree_size, root, note FROM audit_checkpoints WHERE site = ? ORDER BY id DESC LIMIT 1', [site]);
      const [sourceSize, targetSize] = [await entries(from), await entries(to)];
      const [sourceRoot, targetRoot] = [await storedRoot(from, site, sourceSize), await storedRoot(to, site, targetSize)];
      const [sourceCheckpoint, targetCheckpoint] = [await latest(from), await latest(to)];
      sites.push({ site, entries: targetSize, root: targetRoot, checkpointSize: targetCheckpoint?.tree_size ?? null });
      const problems: string[] = [];
      if (sourceSize !== targetSize) problems.push(`${sourceSize} entries in the source, ${targetSize} in the copy`);
      if (sourceRoot === null) problems.push('the source\'s tree nodes do not give a root');
      if (targetRoot === null) problems.push('the copy\'s tree nodes do not give a root');
      else if (sourceRoot !== null && sourceRoot !== targetRoot) problems.push(`audit root ${targetRoot.slice(0, 16)}… differs from the source's ${sourceRoot.slice(0, 16)}…`);
      if (!sourceCheckpoint !== !targetCheckpoint) problems.push(targetCheckpoint ? 'a checkpoint the source does not have' : 'the latest checkpoint is missing');
      else if (sourceCheckpoint && targetCheckpoint) {
        if (sourceCheckpoint.id !== targetCheckpoint.id || sourceCheckpoint.note !== targetCheckpoint.note || !Buffer.from(sourceCheckpoint.root).equals(Buffer.from(targetCheckpoint.root))) {
          problems.push('the latest checkpoint differs from the source\'s');
        } else if (targetCheckpoint.tree_size > targetSize) {
          problems.push(`the latest checkpoint signs ${targetCheckpoint.tree_size} entries, the copy has ${targetSize}`);
        } else {
          const signed = await storedRoot(to, site, targetCheckpoint.tree_size);
          if (signed !== toHex(new Uint8Array(targetCheckpoint.root))) problems.push(`the copied tree does not have the root the latest checkpoint (${targetCheckpoint.tree_size} entries) signed`);
        }
      }
      checks.push(problems.length
        ? { ok: false, message: `Site ${site}: ${problems.join('; ')}.` }
        : {
          ok: true,
          message: `Site ${site}: ${targetSize} entries, root ${targetRoot!.slice(0, 16)}… equal; ` +
            (targetCheckpoint ? `latest checkpoint (${targetCheckpoint.tree_size} entries) equal and matches the copied tree.` : 'no checkpoint on either side.'),
        });
    }

    // Identity sequences: the next id the copy hands out is past every copied one.
    const identities = await to.all<{ table_name: string; column_name: string }>(
      `SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = 'public' AND is_identity = 'YES' ORDER BY table_name, column_name`,
    );
    const behind: string[] = [];
    for (const { table_name: table, column_name: column } of identities) {
      const seq = (await to.get<{ seq: string | null }>('SELECT pg_get_serial_sequence(?, ?) AS seq', [quoteIdent(table), column]))!.seq;
      const max = Number((await to.get<{ m: number | null }>(`SELECT max(${quoteIdent(column)}) AS m FROM ${quoteIdent(table)}`))!.m ?? 0);
      const state = seq ? await to.get<{ last_value: number; is_called: boolean }>(`SELECT last_value, is_called FROM ${seq}`) : undefined;
      const next = state ? (state.is_called ? state.last_value + 1 : state.last_value) : 0;
      if (next <= max) behind.push(`${table}.${column} (next ${next}, copied up to ${max})`);
    }
    checks.push(behind.length
      ? { ok: false, message: `Identity sequences behind the copied ids: ${behind.join(', ')}.` }
      : { ok: true, message: `All ${identities.length} identity sequences continue past the copied ids.` });
  } finally {
    await from.close();
    await to.close();
  }
  return { ok: checks.every((c) => c.ok), checks, tables, sites };
}

const DB_HELP = `  parley db copy [--from <sqlite file | data dir>] [--to <postgres url>] [--json]
      Move an installation into an EMPTY PostgreSQL database (stop the server first): the
      schema, every table in one transaction, ids kept; then verify row counts, every site's
      audit root and checkpoint. Exit 0 only when verified. Defaults: the data folder's
      parley.db, and PARLEY_DATABASE_URL.
  parley db verify-copy [--from …] [--to …] [--json]
      The verification alone, e.g. again before switching the server over.`;
export { DB_HELP };

function printVerification(v: CopyVerification, out: (s: string) => void): void {
  for (const c of v.checks) out(`  ${c.ok ? '✓' : '✗'} ${c.message}`);
}

/** `parley db copy|verify-copy`: 0 verified, 1 refused or not verified, 2 usage. */
export async function dbCommand(argv: string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const { parseArgs } = await import('node:util');
  const { loadConfig } = await import('../config.js');
  const out = (s: string) => process.stdout.write(`${s}\n`);
  let parsed;
  try {
    parsed = parseArgs({
      args: argv, allowPositionals: true, strict: true,
      options: { from: { type: 'string' }, to: { type: 'string' }, json: { type: 'boolean', default: false }, 'batch-rows': { type: 'string' } },
    });
  } catch (error) {
    process.stderr.write(`parley db: ${(error as Error).message}\n\nUsage:\n${DB_HELP}\n`);
    return 2;
  }
  const [action, ...extra] = parsed.positionals;
  if ((action !== 'copy' && action !== 'verify-copy') || extra.length > 0) {
    process.stderr.write(`Usage:\n${DB_HELP}\n`);
    return 2;
  }
  let from = parsed.values.from;
  let to = parsed.values.to;
  try {
    if (!from || !to) {
      const config = loadConfig(env);
      from ??= config.dataDir;
      to ??= config.databaseUrl ?? undefined;
    }
  } catch (error) {
    process.stderr.write(`parley db: ${(error as Error).message}\n`);
    return 2;
  }
  if (!to) {
    process.stderr.write('parley db: name the PostgreSQL database: --to postgres://user@host/database (or set PARLEY_DATABASE_URL)\n');
    return 2;
  }
  const batchRows = parsed.values['batch-rows'] === undefined ? undefined : Number(parsed.values['batch-rows']);
  if (batchRows !== undefined && (!Number.isSafeInteger(batchRows) || batchRows < 1 || batchRows > 10_000)) {
    process.stderr.write('parley db: --batch-rows must be a whole number from 1 to 10000\n');
    return 2;
  }
  try {
    if (action === 'verify-copy') {
      const v = await verifyCopy({ from, to });
      if (parsed.values.json) out(JSON.stringify(v, null, 2));
      else {
        printVerification(v, out);
        out(v.ok ? 'OK: the copy matches its source.' : 'FAILED: the copy does not match its source.');
      }
      return v.ok ? 0 : 1;
    }
    if (!parsed.values.json) out(`Copying ${sqliteFileOfTarget(from)} to ${redactDatabaseUrl(to)} …`);
    const report = await copyDatabase({ from, to, batchRows, progress: parsed.values.json ? undefined : out });
    if (parsed.values.json) out(JSON.stringify(report, null, 2));
    else {
      out(`Copied ${report.rows.toLocaleString('en')} rows of ${report.tables.length} tables in ${report.statements.toLocaleString('en')} statements, ${(report.milliseconds / 1000).toFixed(1)} s.`);
      out(`Verification (${(report.verifyMilliseconds / 1000).toFixed(1)} s):`);
      printVerification(report.verification, out);
      out(report.verification.ok
        ? `OK: the copy is complete and verified. Point Parley at it: PARLEY_DATABASE_URL=${report.to}`
        : 'FAILED: the copy does not match its source (was the server still writing?). Drop the target database, stop the server and copy again.');
    }
    return report.verification.ok ? 0 : 1;
  } catch (error) {
    process.stderr.write(`parley db ${action}: ${(error as Error).message}\n`);
    return 1;
  }
}
