/**
 * Several Parley nodes on one PostgreSQL database (issue 11): Socket.IO's rooms span the nodes
 * through the official @socket.io/postgres-adapter, on the store's own connection pool.
 *
 *   joinCluster(io, db, log) → 'postgres' | 'single'
 *     On PostgreSQL, installs the adapter: every `io.to(room).emit(…)` (server/realtime/sockets.ts'
 *     broadcaster) reaches the room's sockets on every node, `except(socketId)` included, and
 *     `io.serverSideEmit` reaches the other nodes. The adapter holds one pooled connection for
 *     LISTEN; broadcasts are NOTIFY (payloads over 8,000 bytes go through the
 *     socket_io_attachments table of migration 002). On SQLite it does nothing: one process, the
 *     default in-memory adapter.
 *
 * Why PostgreSQL and not Redis: docs/scaling.md ("Socket.IO between nodes").
 * Ordering: the adapter sends each broadcast as its own `SELECT pg_notify(…)` on whichever pooled
 * connection is free, so two broadcasts sent close together could commit, and reach the other
 * nodes, in the opposite order. The adapter therefore gets a view of the pool whose queries run
 * one after another (`inOrder`): one node's broadcasts reach every other node in the order it
 * sent them, so a topic's posts stored on node A reach readers on node B in order. Two caveats,
 * both harmless to the widget, which places posts by their `seq` and catches up by it: posts two
 * nodes store at the same moment may arrive in either order, and a message over 8,000 bytes
 * (a post near the 10,000-character limit) is fetched from socket_io_attachments on arrival and
 * may be overtaken by a smaller one sent after it.
 */
import type pg from 'pg';
import type { Logger } from 'pino';
import type { Server } from 'socket.io';
import { createAdapter } from '@socket.io/postgres-adapter';
import type { SqlDatabase } from '../store/sql/database.js';
import { postgresPoolOf } from '../store/sql/postgres-database.js';

/** How often a node says it is alive, and after how long without a word another one forgets it. */
const HEARTBEAT_MS = 5_000;
const HEARTBEAT_TIMEOUT_MS = 15_000;

export type ClusterMode = 'postgres' | 'single';

export function joinCluster(io: Server, db: SqlDatabase | null | undefined, log: Logger): ClusterMode {
  const pool = postgresPoolOf(db);
  if (!pool) return 'single';
  io.adapter(
    createAdapter(inOrder(pool), {
      heartbeatInterval: HEARTBEAT_MS,
      heartbeatTimeout: HEARTBEAT_TIMEOUT_MS,
      // A lost LISTEN connection is re-established by the adapter; say so in the log, never crash.
      errorHandler: (err: Error) => log.warn({ err }, 'Socket.IO cluster adapter: PostgreSQL error'),
    }),
  );
  return 'postgres';
}

/**
 * The pool as the adapter sees it: `query` calls run one at a time, in the order they were made
 * (each waits for the one before, whatever its outcome); `connect` (its LISTEN connection) and
 * the rest are the pool's own.
 */
function inOrder(pool: pg.Pool): pg.Pool {
  let last: Promise<unknown> = Promise.resolve();
  const query = (...args: unknown[]): Promise<unknown> => {
    // `last` never rejects: a failed query does not hold up the ones after it.
    const next = last.then(() => (pool.query as (...a: unknown[]) => Promise<unknown>)(...args));
    last = next.catch(() => undefined);
    return next;
  };
  return new Proxy(pool, {
    get(target, property, receiver) {
      if (property === 'query') return query;
      const value: unknown = Reflect.get(target, property, receiver);
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
}
