/**
 * Migration 3: the public audit log, one RFC 6962 Merkle tree per site (see docs/audit-log.md).
 *
 * - `audit_logs`: one row per site whose log exists: its C2SP origin (fixed at creation).
 * - `audit_entries`: the leaves. `leaf` is the RFC 8785 canonical JSON text that is hashed,
 *   `leaf_hash` = SHA-256(0x00 || leaf). The other columns are copies of leaf fields for the
 *   filtered public view. Append-only: triggers refuse UPDATE and DELETE.
 * - `audit_nodes`: every complete subtree hash (level 0 = the leaf hashes as signed, kept apart
 *   from the entries' recorded hashes), written as the tree grows. Proofs and roots for any
 *   size are then O(log n) point reads; the tree size is the number of level-0 nodes.
 *   Append-only as well.
 * - `audit_sensitive`: personal or sensitive values committed to in a leaf (value + salt),
 *   outside the tree. Redaction deletes the row; the leaf keeps its commitment.
 * - `audit_keys`: the site's Ed25519 checkpoint keys (seed = RFC 8032 secret key); exactly one
 *   has `retired_at IS NULL`. `from_size` is the first tree size it signs; `handover` is the
 *   checkpoint the previous key signed over the rotation entry.
 * - `audit_checkpoints`: every signed checkpoint (note text), append-only.
 * - `audit_witnesses` / `audit_cosignatures`: third parties' verifier keys and the
 *   tlog-cosignature lines they sent for a checkpoint.
 */
export const AUDIT_LOG_MIGRATION = `
  CREATE TABLE audit_logs (
    site TEXT PRIMARY KEY REFERENCES sites(id),
    origin TEXT NOT NULL,
    created_at TEXT NOT NULL
  ) STRICT;

  CREATE TABLE audit_entries (
    site TEXT NOT NULL REFERENCES sites(id),
    idx INTEGER NOT NULL,
    kind TEXT NOT NULL,
    at TEXT NOT NULL,
    leaf TEXT NOT NULL,
    leaf_hash BLOB NOT NULL,
    actor_label TEXT,
    post_id TEXT,
    topic TEXT,
    rule_id TEXT,
    refers_to INTEGER,
    PRIMARY KEY (site, idx)
  ) STRICT;
  CREATE INDEX audit_entries_kind ON audit_entries (site, kind, idx);
  CREATE INDEX audit_entries_post ON audit_entries (site, post_id, idx) WHERE post_id IS NOT NULL;
  CREATE INDEX audit_entries_topic ON audit_entries (site, topic, idx) WHERE topic IS NOT NULL;
  CREATE TRIGGER audit_entries_append_only_u BEFORE UPDATE ON audit_entries
    BEGIN SELECT RAISE(ABORT, 'audit_entries is append-only'); END;
  CREATE TRIGGER audit_entries_append_only_d BEFORE DELETE ON audit_entries
    BEGIN SELECT RAISE(ABORT, 'audit_entries is append-only'); END;

  CREATE TABLE audit_nodes (
    site TEXT NOT NULL,
    level INTEGER NOT NULL CHECK (level >= 0),
    idx INTEGER NOT NULL,
    hash BLOB NOT NULL,
    PRIMARY KEY (site, level, idx)
  ) STRICT, WITHOUT ROWID;
  CREATE TRIGGER audit_nodes_append_only_u BEFORE UPDATE ON audit_nodes
    BEGIN SELECT RAISE(ABORT, 'audit_nodes is append-only'); END;
  CREATE TRIGGER audit_nodes_append_only_d BEFORE DELETE ON audit_nodes
    BEGIN SELECT RAISE(ABORT, 'audit_nodes is append-only'); END;

  CREATE TABLE audit_sensitive (
    site TEXT NOT NULL,
    idx INTEGER NOT NULL,
    field TEXT NOT NULL,
    value TEXT NOT NULL,
    salt BLOB NOT NULL,
    PRIMARY KEY (site, idx, field)
  ) STRICT;

  CREATE TABLE audit_keys (
    site TEXT NOT NULL REFERENCES sites(id),
    key_id TEXT NOT NULL,
    name TEXT NOT NULL,
    seed BLOB NOT NULL,
    verifier_key TEXT NOT NULL,
    from_size INTEGER NOT NULL,
    handover TEXT,
    created_at TEXT NOT NULL,
    retired_at TEXT,
    PRIMARY KEY (site, key_id)
  ) STRICT;

  CREATE TABLE audit_checkpoints (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    site TEXT NOT NULL REFERENCES sites(id),
    tree_size INTEGER NOT NULL,
    root BLOB NOT NULL,
    body TEXT NOT NULL,
    note TEXT NOT NULL,
    key_id TEXT NOT NULL,
    signed_at TEXT NOT NULL
  ) STRICT;
  CREATE INDEX audit_checkpoints_by_site ON audit_checkpoints (site, id);
  CREATE INDEX audit_checkpoints_by_body ON audit_checkpoints (site, body);
  CREATE TRIGGER audit_checkpoints_append_only_u BEFORE UPDATE ON audit_checkpoints
    BEGIN SELECT RAISE(ABORT, 'audit_checkpoints is append-only'); END;

  CREATE TABLE audit_witnesses (
    site TEXT NOT NULL REFERENCES sites(id),
    name TEXT NOT NULL,
    verifier_key TEXT NOT NULL,
    added_at TEXT NOT NULL,
    PRIMARY KEY (site, name)
  ) STRICT;

  CREATE TABLE audit_cosignatures (
    site TEXT NOT NULL,
    checkpoint_id INTEGER NOT NULL REFERENCES audit_checkpoints(id),
    witness TEXT NOT NULL,
    tree_size INTEGER NOT NULL,
    timestamp INTEGER NOT NULL,
    line TEXT NOT NULL,
    received_at TEXT NOT NULL,
    PRIMARY KEY (site, checkpoint_id, witness)
  ) STRICT;
`;
