-- Several nodes on one database (issue 11): tables of the libraries that share state between
-- Parley nodes. PostgreSQL only: an embedded SQLite installation is one node, whose Socket.IO
-- adapter and rate limiters live in memory (test/integration/postgres-database.test.ts expects
-- exactly these two tables beyond the SQLite schema).

-- @socket.io/postgres-adapter: broadcasts travel between nodes as NOTIFY; a payload over 8,000
-- bytes (or with binary data) is stored here and only its id is notified. The adapter deletes
-- rows older than its cleanup interval itself. Its own shape, as the adapter's README gives it.
CREATE TABLE socket_io_attachments (
  id bigserial UNIQUE,
  created_at timestamptz DEFAULT now(),
  payload bytea
);

-- rate-limiter-flexible's RateLimiterPostgres (server/services/rate-limits.ts): one row per
-- limiter key ("<prefix>:<subject>"), points consumed and when they expire (ms since the epoch).
-- Its own shape, created here so that no node runs DDL at start-up.
CREATE TABLE rate_limit_points (
  key varchar(255) PRIMARY KEY,
  points integer NOT NULL DEFAULT 0,
  expire bigint
);
