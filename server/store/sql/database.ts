/**
 * The one seam between Parley's stores and a SQL database. Each store (posts, identity,
 * moderation, the audit log, …) is written once against this interface, in SQL that both
 * SQLite and PostgreSQL accept; where the two dialects differ, the difference lives in
 * ./dialect.ts. Implementations: ./sqlite-database.ts (better-sqlite3, the embedded default)
 * and ./postgres-database.ts (node-postgres).
 *
 * Transactions are ambient: inside `transaction(fn)`, every call made while `fn` runs —
 * through this database, any store on it, or the audit log — joins that transaction
 * (AsyncLocalStorage carries it across awaits). A nested `transaction` joins the outer one.
 * So a service writes `await store.transaction(async () => { await store.x(); await audit.append(e) })`
 * and the change and its log entry commit together or not at all.
 */

/** Positional parameters for `?` placeholders, or named ones for `@name` placeholders. */
export type SqlParams = readonly unknown[] | Readonly<Record<string, unknown>>;

export type SqlDialect = 'sqlite' | 'postgres';

export interface RunResult {
  /** Rows inserted, updated or deleted. */
  changes: number;
}

export interface TransactionOptions {
  /**
   * Work that contends on one row (posts to one topic bump its counters) names it here. On
   * PostgreSQL the transaction then queues on a lock of that name, held until it ends, and runs
   * READ COMMITTED under it: each statement sees the previous holder's commit, instead of failing
   * with a serialization error and running again (measured: a few dozen posts per second to one
   * topic without the lock). Everything done under the lock serialises the topic, so keep it to
   * the statements that must be atomic; and since it is not SERIALIZABLE, a read-modify-write of
   * rows that writers without the lock change needs an explicit row lock or a conditional UPDATE
   * (see PostgresDatabase's beginLocked). SQLite has one writer at a time anyway. Ignored when
   * joining an outer transaction.
   */
  lock?: string;
}

export interface SqlDatabase {
  readonly dialect: SqlDialect;
  /** Every row the statement returns. */
  all<Row = any>(sql: string, params?: SqlParams): Promise<Row[]>;
  /** The first row, or undefined. */
  get<Row = any>(sql: string, params?: SqlParams): Promise<Row | undefined>;
  /** A statement that returns no rows (or whose rows are not needed). */
  run(sql: string, params?: SqlParams): Promise<RunResult>;
  /** Several statements without parameters (schema changes). */
  exec(sql: string): Promise<void>;
  /**
   * Runs `fn` in one transaction; joins the caller's transaction if there is one. Rolls back
   * if `fn` throws. PostgreSQL may run `fn` again after a serialization failure, so `fn` must
   * not have effects outside the database (broadcast after the transaction, not inside it).
   */
  transaction<T>(fn: () => Promise<T>, options?: TransactionOptions): Promise<T>;
  /** True while the caller runs inside a transaction of this database. */
  inTransaction(): boolean;
  close(): Promise<void>;
}
