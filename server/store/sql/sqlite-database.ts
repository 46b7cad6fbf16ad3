/**
 * SqlDatabase on better-sqlite3: one connection, statements prepared once and cached by
 * their text, every call answered synchronously underneath.
 *
 * One connection means one transaction at a time, and a transaction that awaits between its
 * statements must not let another request's statement run inside it. So while a transaction
 * is open, calls from outside it wait (a FIFO gate); calls from inside it (recognised through
 * AsyncLocalStorage) run at once. When no transaction is open a call runs immediately — the
 * common read path costs one resolved promise over the synchronous driver.
 */
import Database from 'better-sqlite3';
import { AsyncLocalStorage } from 'node:async_hooks';
import type { RunResult, SqlDatabase, SqlParams, TransactionOptions } from './database.js';

/** Statements kept prepared; Parley's own SQL is a few hundred distinct texts. */
const STATEMENT_CACHE_MAX = 2000;

export class SqliteDatabase implements SqlDatabase {
  readonly dialect = 'sqlite' as const;
  readonly db: Database.Database;
  private readonly statements = new Map<string, Database.Statement>();
  private readonly context = new AsyncLocalStorage<symbol>();
  private active: symbol | null = null;
  /** Calls waiting for the connection, in arrival order; `opens` marks a transaction. */
  private waiting: Array<{ wake: () => void; opens: boolean }> = [];

  constructor(db: Database.Database) {
    this.db = db;
  }

  private statement(sql: string): Database.Statement {
    let statement = this.statements.get(sql);
    if (!statement) {
      if (this.statements.size >= STATEMENT_CACHE_MAX) this.statements.clear();
      statement = this.db.prepare(sql);
      this.statements.set(sql, statement);
    }
    return statement;
  }

  /** True when a call from this async context may use the connection now. */
  private free(): boolean {
    return this.active === null || this.context.getStore() === this.active;
  }

  private async turn(): Promise<void> {
    while (!this.free()) await new Promise<void>((resolve) => this.waiting.push({ wake: resolve, opens: false }));
  }

  /**
   * Runs synchronous work on the connection when it is this caller's turn. Stores written
   * directly against better-sqlite3 go through here so they never run inside another
   * request's open transaction.
   */
  gate<T>(work: () => T): Promise<T> {
    if (this.free()) {
      try {
        return Promise.resolve(work());
      } catch (error) {
        return Promise.reject(error);
      }
    }
    // Queued as a callback, not a promise continuation: it runs synchronously when woken, so
    // no transaction can begin between "the connection is free" and the work.
    return new Promise<T>((resolve, reject) => {
      const attempt = () => {
        if (!this.free()) return void this.waiting.unshift({ wake: attempt, opens: false });
        try {
          resolve(work());
        } catch (error) {
          reject(error);
        }
      };
      this.waiting.push({ wake: attempt, opens: false });
    });
  }

  all<Row = any>(sql: string, params?: SqlParams): Promise<Row[]> {
    return this.gate(() => bind(this.statement(sql), params, 'all') as Row[]);
  }

  get<Row = any>(sql: string, params?: SqlParams): Promise<Row | undefined> {
    return this.gate(() => bind(this.statement(sql), params, 'get') as Row | undefined);
  }

  run(sql: string, params?: SqlParams): Promise<RunResult> {
    return this.gate(() => ({ changes: (bind(this.statement(sql), params, 'run') as Database.RunResult).changes }));
  }

  exec(sql: string): Promise<void> {
    return this.gate(() => void this.db.exec(sql));
  }

  inTransaction(): boolean {
    return this.active !== null && this.context.getStore() === this.active;
  }

  // `options.lock` needs nothing here: BEGIN IMMEDIATE already admits one writer at a time.
  async transaction<T>(fn: () => Promise<T>, _options?: TransactionOptions): Promise<T> {
    if (this.inTransaction()) return fn();
    // No await between the last check and taking the connection: two transactions started
    // together must not both get past the check.
    // Woken but overtaken (a new transaction took the connection first): wait again at the front.
    for (let again = false; !this.free(); again = true) {
      await new Promise<void>((resolve) => this.waiting[again ? 'unshift' : 'push']({ wake: resolve, opens: true }));
    }
    const token = Symbol('transaction');
    this.active = token;
    try {
      // IMMEDIATE takes the write lock now, so another process (the CLI) waits at BEGIN
      // rather than failing half-way through.
      this.db.exec('BEGIN IMMEDIATE');
      try {
        const result = await this.context.run(token, fn);
        this.db.exec('COMMIT');
        return result;
      } catch (error) {
        if (this.db.inTransaction) this.db.exec('ROLLBACK');
        throw error;
      }
    } finally {
      this.active = null;
      this.wakeWaiting();
    }
  }

  /**
   * Lets waiting calls through in arrival order: plain calls run now, one after another; the
   * first waiting transaction is woken and the calls behind it stay queued until it ends, so a
   * call never overtakes a transaction that asked before it.
   */
  private wakeWaiting(): void {
    while (this.waiting.length > 0 && this.active === null) {
      const next = this.waiting.shift()!;
      next.wake();
      if (next.opens) return;
    }
  }

  async close(): Promise<void> {
    await this.turn();
    if (this.db.open) this.db.close();
  }
}

function bind(statement: Database.Statement, params: SqlParams | undefined, mode: 'all' | 'get' | 'run'): unknown {
  if (params === undefined) return statement[mode]();
  if (Array.isArray(params)) return statement[mode](...params);
  return statement[mode](params);
}
