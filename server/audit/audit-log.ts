/**
 * The contract between the services that do things worth logging (moderation actions,
 * reversals, appeal decisions, rule changes, role and affiliation changes, redactions, key
 * rotations) and the public, append-only audit log that records them. Services call
 * `ctx.audit.append(...)` inside the same flow as the change itself; the implementation
 * (server/audit/) turns the entry into a canonical leaf of the site's Merkle tree.
 */

/** Who acted, as the public sees it: a moderator by name or stable pseudonym, never an email. */
export interface AuditActor {
  type: 'moderator' | 'admin' | 'member' | 'staff' | 'system' | 'automated' | 'operator';
  /** Public label: a name or a pseudonym such as "Moderator 3". */
  label: string;
  /** Internal user id, kept out of the public leaf (committed as a salted hash). */
  userId?: string | null;
}

export interface AuditEntryInput {
  site: string;
  /** Dotted kind, e.g. 'moderation.remove', 'moderation.restore', 'appeal.decided', 'rule.changed',
   *  'role.granted', 'affiliation.added', 'affiliation.revoked', 'redaction', 'key.rotated'. */
  kind: string;
  at: string;
  actor: AuditActor;
  /** What the entry is about (public identifiers only). */
  subject?: { postId?: string; topic?: string; userLabel?: string; ruleId?: string; entryIndex?: number };
  /** Public, non-personal data: statement of reasons, rule id/version, decision, etc. */
  data: Record<string, unknown>;
  /**
   * Personal or sensitive text (a removed post's words, a pseudonym, a free-text note). These
   * enter the leaf only as salted hash commitments; the text and salt are stored beside the
   * tree and can be erased later without breaking it.
   */
  sensitive?: Record<string, string>;
  /** Index of an earlier entry this one reverses or corrects. */
  refersTo?: number;
}

export interface AuditEntryRef {
  index: number;
  /** hex SHA-256 leaf hash */
  leafHash: string;
}

export interface AuditLog {
  /** Appends one entry; returns its index in the site's log. Joins the caller's store transaction, if any. */
  append(entry: AuditEntryInput): Promise<AuditEntryRef>;
}

/** Used until the log is wired in, and in tests that do not look at it. */
export const NO_AUDIT_LOG: AuditLog = {
  async append() {
    return { index: -1, leafHash: '' };
  },
};
