/**
 * Which rows of an append-only table this node has not read yet, by their increasing id (issue
 * 11): what the in-memory near-duplicate indexes (scripted replies, spam waves) use to catch up
 * with rows other nodes stored, before every decision.
 *
 *   const cursor = await CommitCursor.at(db, 'posts', 'rowid');   // when the index is built
 *   const { after, holes } = await cursor.next(db);               // before each query
 *   … read rows WHERE rowid > after OR rowid IN (holes) …
 *
 * SQLite admits one writer at a time (BEGIN IMMEDIATE, also across processes on one file), so ids
 * become visible in order: everything up to the highest id read is there, and `holes` is empty.
 * PostgreSQL hands out an id when a row is inserted, not when it commits: a lower id can become
 * visible after a higher one. So there the cursor first reads which ids committed since it last
 * looked (an index-only read of a few rows), remembers the ids missing below the highest one
 * (inserts still in flight, or rolled back, e.g. by a retried SERIALIZABLE transaction), and hands
 * them back to be read again until they appear. A hole more than HOLE_WINDOW ids below the newest
 * is forgotten (a transaction open that long, or an id that was rolled back).
 */
import type { SqlDatabase } from '../store/sql/database.js';

/** Ids below the newest within which a missing id is still expected to commit. */
export const HOLE_WINDOW = 1000;

type Source = { table: 'posts'; column: 'rowid' } | { table: 'staff_post_changes'; column: 'seq' };

export class CommitCursor {
  private readonly holes = new Set<number>();

  private constructor(private readonly source: Source, private watermark: number) {}

  /**
   * A cursor at the newest row now (take it before reading the rows the index is built from). On
   * PostgreSQL it starts HOLE_WINDOW ids lower, so the first step reads again what may have been in
   * flight while the index was built (once; the caller skips what it already holds).
   */
  static async at(db: SqlDatabase, table: Source['table'], column: Source['column']): Promise<CommitCursor> {
    const source = { table, column } as Source;
    const row = await db.get<{ top: number }>(`SELECT coalesce(max(${column}), 0) AS top FROM ${table}`);
    const top = Number(row?.top ?? 0);
    return new CommitCursor(source, db.dialect === 'postgres' ? Math.max(0, top - HOLE_WINDOW) : top);
  }

  /** The highest id read so far. */
  get position(): number {
    return this.watermark;
  }

  /** Ids still expected (PostgreSQL only). */
  get missing(): number {
    return this.holes.size;
  }

  /**
   * What to read now: rows with an id above `after`, and the ids in `holes`. Moves the cursor:
   * the caller must read those rows (a later call will not offer them again, except holes still missing).
   */
  async next(db: SqlDatabase): Promise<{ after: number; holes: number[] }> {
    const { table, column } = this.source;
    const after = this.watermark;
    if (db.dialect !== 'postgres') {
      const row = await db.get<{ top: number }>(`SELECT coalesce(max(${column}), 0) AS top FROM ${table}`);
      this.watermark = Math.max(after, Number(row?.top ?? 0));
      return { after, holes: [] };
    }
    const holes = [...this.holes];
    // Only the last HOLE_WINDOW ids can still be missing: a node that looked long ago reads no more ids than that.
    const newest = Number((await db.get<{ top: number }>(`SELECT coalesce(max(${column}), 0) AS top FROM ${table}`))?.top ?? 0);
    const from = Math.max(after, newest - HOLE_WINDOW);
    const committed = await db.all<{ n: number }>(
      `SELECT ${column} AS n FROM ${table} WHERE ${column} > ?${holes.length ? ` OR ${column} IN (${holes.map(() => '?').join(', ')})` : ''}`,
      [from, ...holes],
    );
    let top = from;
    const fresh = new Set<number>();
    for (const { n } of committed) {
      const id = Number(n);
      if (id > from) {
        fresh.add(id);
        if (id > top) top = id;
      } else {
        this.holes.delete(id);
      }
    }
    for (let id = from + 1; id < top; id++) if (!fresh.has(id)) this.holes.add(id);
    this.watermark = top;
    for (const id of this.holes) if (id <= top - HOLE_WINDOW) this.holes.delete(id);
    // The caller reads every row above `after` now (ids more than HOLE_WINDOW below the newest count as committed), and the holes again.
    return { after, holes };
  }
}

/** `column > ? [OR column IN (…)]` and its parameters, for the rows a cursor step offers. */
export function newRows(column: string, step: { after: number; holes: number[] }): { sql: string; params: number[] } {
  if (!step.holes.length) return { sql: `${column} > ?`, params: [step.after] };
  return { sql: `(${column} > ? OR ${column} IN (${step.holes.map(() => '?').join(', ')}))`, params: [step.after, ...step.holes] };
}
