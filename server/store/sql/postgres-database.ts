/**
 * SqlDatabase on PostgreSQL (node-postgres): a pool of connections, the same SQL text the
 * SQLite implementation runs.
 *
 * - Placeholders: stores write `?` (with an array) or `@name` (with an object), as better-sqlite3
 *   takes them; here they are rewritten once per SQL text to PostgreSQL's `$1, $2, …`, outside
 *   quoted strings, quoted identifiers and comments (so `'?'`, `"@x"`, `::text` and `@>` survive).
 * - Numbers: int8 (count(*), sum(), bigint columns) and numeric come back as JS numbers, as
 *   SQLite's integers do; bytea comes back as a Buffer. The parsers are this pool's own, not
 *   node-postgres' global ones.
 * - Transactions are ambient (AsyncLocalStorage), as in ./sqlite-database.ts: inside
 *   `transaction(fn)` every call made while `fn` runs uses the transaction's connection; outside
 *   one, a call is a single autocommitted statement on any pooled connection. Transactions run
 *   SERIALIZABLE, so a read-modify-write is safe without explicit locks; a serialization failure
 *   or a deadlock rolls back and runs `fn` again (hence: no effects outside the database in `fn`).
 *   A transaction named by a lock (TransactionOptions.lock) runs READ COMMITTED under that lock
 *   instead: see beginLocked.
 *
 * One difference from SQLite to keep in mind: after a statement fails inside a transaction,
 * PostgreSQL refuses every further statement of that transaction until it rolls back. So a
 * store must not catch a failed statement and carry on inside the same transaction.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import pg from 'pg';
import type { RunResult, SqlDatabase, SqlParams, TransactionOptions } from './database.js';

/** Rewritten SQL texts kept; Parley's own SQL is a few hundred distinct texts. */
const REWRITE_CACHE_MAX = 2000;
/** Attempts of a transaction that keeps meeting serialization failures before giving up. */
const MAX_ATTEMPTS = 20;

/** A SQL text with `$n` placeholders, and how to turn the caller's parameters into `$n` values. */
export interface RewrittenSql {
  text: string;
  /** Number of `?` placeholders (positional parameters), or 0. */
  positional: number;
  /** The `@name` placeholders in `$n` order (a name used twice is one parameter), or empty. */
  names: string[];
}

/**
 * Rewrites `?` and `@name` placeholders to `$1…`, leaving alone everything inside single-quoted
 * strings (also E'…' with backslash escapes), dollar-quoted strings, double-quoted identifiers,
 * `--` and (nested) block comments. A text may use `?` or `@name`, not both.
 */
export function rewritePlaceholders(sql: string): RewrittenSql {
  let out = '';
  let positional = 0;
  const names: string[] = [];
  const nameIndex = new Map<string, number>();
  let i = 0;
  const n = sql.length;
  while (i < n) {
    const c = sql[i]!;
    const next = sql[i + 1];
    if (c === "'") {
      // E'…' strings allow backslash escapes; plain ones only '' (standard_conforming_strings).
      const prev = i > 0 ? sql[i - 1]! : '';
      const escapes = (prev === 'E' || prev === 'e') && (i < 2 || !/[A-Za-z0-9_$]/.test(sql[i - 2]!));
      let j = i + 1;
      while (j < n) {
        if (escapes && sql[j] === '\\') j += 2;
        else if (sql[j] === "'" && sql[j + 1] === "'") j += 2;
        else if (sql[j] === "'") break;
        else j++;
      }
      out += sql.slice(i, j + 1);
      i = j + 1;
    } else if (c === '"') {
      let j = i + 1;
      while (j < n) {
        if (sql[j] === '"' && sql[j + 1] === '"') j += 2;
        else if (sql[j] === '"') break;
        else j++;
      }
      out += sql.slice(i, j + 1);
      i = j + 1;
    } else if (c === '-' && next === '-') {
      const end = sql.indexOf('\n', i);
      const j = end === -1 ? n : end;
      out += sql.slice(i, j);
      i = j;
    } else if (c === '/' && next === '*') {
      let depth = 1;
      let j = i + 2;
      while (j < n && depth > 0) {
        if (sql[j] === '/' && sql[j + 1] === '*') { depth++; j += 2; }
        else if (sql[j] === '*' && sql[j + 1] === '/') { depth--; j += 2; }
        else j++;
      }
      out += sql.slice(i, j);
      i = j;
    } else if (c === '$' && (i === 0 || !/[A-Za-z0-9_$]/.test(sql[i - 1]!))) {
      // A dollar-quoted string: $$…$$ or $tag$…$tag$ (a `$1` is not one: tags do not start with a digit).
      const tag = /^\$([A-Za-z_][A-Za-z0-9_]*)?\$/.exec(sql.slice(i));
      if (tag) {
        const end = sql.indexOf(tag[0], i + tag[0].length);
        const j = end === -1 ? n : end + tag[0].length;
        out += sql.slice(i, j);
        i = j;
      } else {
        out += c;
        i++;
      }
    } else if (c === '?') {
      positional++;
      out += `$${positional}`;
      i++;
    } else if (c === '@' && next !== undefined && /[A-Za-z_]/.test(next)) {
      const name = /^[A-Za-z_][A-Za-z0-9_]*/.exec(sql.slice(i + 1))![0];
      let index = nameIndex.get(name);
      if (index === undefined) {
        names.push(name);
        index = names.length;
        nameIndex.set(name, index);
      }
      out += `$${index}`;
      i += 1 + name.length;
    } else {
      out += c;
      i++;
    }
  }
  if (positional > 0 && names.length > 0) {
    throw new Error('SQL mixes ? and @name placeholders; use one kind per statement');
  }
  return { text: out, positional, names };
}

/** The values for a rewritten text's `$n` placeholders, checked as better-sqlite3 checks them. */
function valuesFor(rewritten: RewrittenSql, params: SqlParams | undefined): unknown[] {
  if (rewritten.names.length > 0) {
    if (params === undefined || Array.isArray(params)) throw new Error('This statement has @name placeholders: pass an object');
    const named = params as Readonly<Record<string, unknown>>;
    return rewritten.names.map((name) => {
      if (!(name in named)) throw new Error(`Missing named parameter "${name}"`);
      return named[name];
    });
  }
  if (params === undefined) {
    if (rewritten.positional > 0) throw new Error('Too few parameter values were provided');
    return [];
  }
  if (!Array.isArray(params)) {
    if (rewritten.positional > 0) throw new Error('This statement has ? placeholders: pass an array');
    return [];
  }
  if (params.length > rewritten.positional) throw new Error('Too many parameter values were provided');
  if (params.length < rewritten.positional) throw new Error('Too few parameter values were provided');
  return params as unknown[];
}

/**
 * Type parsers of one pool: int8 and numeric as JS numbers (like SQLite's integers and reals);
 * everything else as node-postgres parses it (bytea → Buffer).
 */
export function parleyTypes(): pg.CustomTypesConfig {
  const types = new pg.TypeOverrides();
  types.setTypeParser(pg.types.builtins.INT8, (value: string) => Number(value));
  types.setTypeParser(pg.types.builtins.NUMERIC, (value: string) => Number(value));
  return types;
}

/** True for the errors after which a SERIALIZABLE transaction should simply be run again. */
export function isRetryable(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === '40001' /* serialization_failure */ || code === '40P01' /* deadlock_detected */;
}

/** A unique or primary key refused a row (23505). */
function isUniqueViolation(error: unknown): boolean {
  return (error as { code?: unknown } | null)?.code === '23505';
}

/**
 * BEGIN of a transaction named by a lock (TransactionOptions.lock): READ COMMITTED under a
 * transaction-scoped advisory lock, both in one round trip (one simple-protocol query, the lock
 * name as an escaped literal); COMMIT or ROLLBACK releases the lock, so ending it costs no
 * further round trip either.
 *
 * Why READ COMMITTED is enough here, where every other transaction runs SERIALIZABLE: all work
 * that takes the lock — writes that bump one topic's counters — queues on it, so two of them never
 * overlap. Each statement of READ COMMITTED reads what was committed when it starts, which is
 * after the lock was granted, so it sees every earlier holder's writes (the reason the lock used
 * to be taken before a SERIALIZABLE BEGIN). Writers that do not take the lock and touch the same
 * rows (a moderator locking the topic, an edit bumping its rev) meet row locks: an UPDATE waits
 * for the other writer and re-evaluates its WHERE on the newest row version, so counters never
 * lose an increment and a topic locked meanwhile is seen by createPost's `locked = 0`. The
 * uniqueness of an idempotency key across topics (two topics' locks do not exclude each other)
 * is left to the unique index: where SERIALIZABLE reported that race as a serialization failure
 * and ran the work again, a unique violation here runs it again once, and the second run finds
 * the committed post and replays it. The work under the lock must not rely on reads of rows that
 * other writers change without the lock staying unchanged until COMMIT.
 */
function beginLocked(client: pg.PoolClient, lock: string): string {
  return `BEGIN ISOLATION LEVEL READ COMMITTED; SELECT pg_advisory_xact_lock(hashtextextended(${client.escapeLiteral(lock)}, 0))`;
}

interface Transaction {
  client: pg.PoolClient;
  /** False once the transaction has committed or rolled back: late work falls back to the pool. */
  open: boolean;
  /**
   * The transaction's statements, one after another: callers may start several at once
   * (Promise.all of reads), and one connection runs one query at a time (node-postgres 9 will
   * refuse overlapping queries on a client rather than queue them).
   */
  queue: Promise<unknown>;
}

export class PostgresDatabase implements SqlDatabase {
  readonly dialect = 'postgres' as const;
  readonly pool: pg.Pool;
  private readonly rewrites = new Map<string, RewrittenSql>();
  private readonly context = new AsyncLocalStorage<Transaction>();

  /**
   * `pool` should be created with `types: parleyTypes()` (openPostgresStore does so). The pool's
   * idle-connection errors (a restarted server) are handed to `onError` instead of crashing.
   */
  constructor(pool: pg.Pool, onError: (error: Error) => void = () => {}) {
    this.pool = pool;
    pool.on('error', onError);
  }

  private rewrite(sql: string): RewrittenSql {
    let rewritten = this.rewrites.get(sql);
    if (!rewritten) {
      if (this.rewrites.size >= REWRITE_CACHE_MAX) this.rewrites.clear();
      rewritten = rewritePlaceholders(sql);
      this.rewrites.set(sql, rewritten);
    }
    return rewritten;
  }

  /** The caller's transaction connection, or the pool. */

  private async query(sql: string, params: SqlParams | undefined): Promise<pg.QueryResult> {
    const rewritten = this.rewrite(sql);
    const values = valuesFor(rewritten, params);
    return this.onConnection((connection) => connection.query(rewritten.text, values));
  }

  /** Runs `work` on the caller's transaction (after its earlier statements), or on the pool. */
  private onConnection<T>(work: (connection: pg.Pool | pg.PoolClient) => Promise<T>): Promise<T> {
    const transaction = this.context.getStore();
    if (!transaction?.open) return work(this.pool);
    const result = transaction.queue.then(() => work(transaction.client));
    transaction.queue = result.catch(() => undefined);
    return result;
  }

  async all<Row = any>(sql: string, params?: SqlParams): Promise<Row[]> {
    return (await this.query(sql, params)).rows as Row[];
  }

  async get<Row = any>(sql: string, params?: SqlParams): Promise<Row | undefined> {
    return (await this.query(sql, params)).rows[0] as Row | undefined;
  }

  async run(sql: string, params?: SqlParams): Promise<RunResult> {
    return { changes: (await this.query(sql, params)).rowCount ?? 0 };
  }

  async exec(sql: string): Promise<void> {
    // No parameters: the simple query protocol, which accepts several statements.
    await this.onConnection((connection) => connection.query(sql));
  }

  inTransaction(): boolean {
    return this.context.getStore()?.open === true;
  }

  async transaction<T>(fn: () => Promise<T>, options: TransactionOptions = {}): Promise<T> {
    if (this.inTransaction()) return fn();
    for (let attempt = 1; ; attempt++) {
      const client = await this.pool.connect();
      const transaction: Transaction = { client, open: true, queue: Promise.resolve() };
      let broken: Error | undefined;
      try {
        await client.query(options.lock ? beginLocked(client, options.lock) : 'BEGIN ISOLATION LEVEL SERIALIZABLE');
        const result = await this.context.run(transaction, fn);
        await client.query('COMMIT');
        return result;
      } catch (error) {
        // After a failed COMMIT the transaction is gone already; ROLLBACK then only warns.
        await client.query('ROLLBACK').catch((rollbackError: Error) => {
          broken = rollbackError;
        });
        if (!broken && (isRetryable(error) || (options.lock !== undefined && attempt === 1 && isUniqueViolation(error))) && attempt < MAX_ATTEMPTS) {
          await backoff(attempt);
          continue;
        }
        throw error;
      } finally {
        transaction.open = false;
        // A connection that could not even roll back is discarded, not reused.
        client.release(broken);
      }
    }
  }

  async close(): Promise<void> {
    if (!this.pool.ended && !this.pool.ending) await this.pool.end();
  }
}

/** A few milliseconds, growing with the attempts, jittered so two retrying transactions drift apart. */
function backoff(attempt: number): Promise<void> {
  const ms = Math.random() * Math.min(100, 2 * 2 ** Math.min(attempt, 6));
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * The connection pool under a database, when it is PostgreSQL: what several Parley nodes share
 * beyond the stores (the Socket.IO adapter in server/realtime/cluster.ts, the rate limiters in
 * server/services/rate-limits.ts) uses the store's own pool rather than opening another. Null
 * on SQLite, where everything of the kind stays in the one process.
 */
export function postgresPoolOf(db: SqlDatabase | null | undefined): pg.Pool | null {
  return db instanceof PostgresDatabase ? db.pool : null;
}
