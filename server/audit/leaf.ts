/**
 * The public leaf of the audit log (format version 1): what an `AuditEntryInput` becomes
 * before it is hashed into the site's Merkle tree. Documented in docs/audit-log.md.
 *
 * ```
 * { "version": 1, "site": "demo", "index": 41, "kind": "moderation.remove", "at": "2025-…Z",
 *   "actor": { "type": "moderator", "label": "Moderator 3" },
 *   "subject": { "postId": "…", "topic": "…", "ruleId": "R4" },
 *   "data": { …public statement of reasons… },
 *   "commitments": { "actor.userId": "<hex>", "postText": "<hex>" },
 *   "refersTo": 12 }
 * ```
 * The leaf bytes are its RFC 8785 canonical JSON; leaf hash = SHA-256(0x00 || bytes).
 * Personal or sensitive values never appear: only `commit(value, salt)` (moderation/log
 * commitment.ts), with the value and its 32-byte salt kept beside the tree.
 */
import { randomBytes } from 'node:crypto';
import { canonicalize, commit } from '../../moderation/log/index.js';
import type { AuditActor, AuditEntryInput } from './audit-log.js';

export const LEAF_VERSION = 1;

export interface AuditLeaf {
  version: typeof LEAF_VERSION;
  site: string;
  index: number;
  kind: string;
  at: string;
  actor: { type: AuditActor['type']; label: string };
  subject: NonNullable<AuditEntryInput['subject']>;
  data: Record<string, unknown>;
  /** field name → hex commitment to its value (see commitment.ts). */
  commitments: Record<string, string>;
  refersTo?: number;
}

/** A sensitive value kept outside the tree, with the salt that opens its commitment. */
export interface SensitiveValue {
  field: string;
  value: string;
  salt: Uint8Array;
}

const KIND = /^[a-z][a-z0-9_-]*(\.[a-z0-9_-]+)*$/;
const FIELD = /^[A-Za-z][A-Za-z0-9_.-]{0,63}$/;
const ACTOR_TYPES = new Set(['moderator', 'admin', 'member', 'staff', 'system', 'automated', 'operator']);

/** Thrown for an entry the log refuses (a programming error in the caller). */
export class AuditEntryError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AuditEntryError';
  }
}

function cleanSubject(subject: AuditEntryInput['subject']): AuditLeaf['subject'] {
  const out: AuditLeaf['subject'] = {};
  if (!subject) return out;
  for (const [k, v] of Object.entries(subject)) {
    if (v !== undefined && v !== null) (out as Record<string, unknown>)[k] = v;
  }
  return out;
}

/**
 * Build the leaf for entry `index` and the sensitive values it commits to. The salts come
 * from node:crypto; `actor.userId` becomes the commitment `actor.userId`.
 * @throws {AuditEntryError} on a malformed entry (bad kind, field name, non-JSON data).
 */
export function buildLeaf(input: AuditEntryInput, index: number): { leaf: AuditLeaf; canonical: string; sensitive: SensitiveValue[] } {
  if (typeof input.kind !== 'string' || !KIND.test(input.kind) || input.kind.length > 64) {
    throw new AuditEntryError(`audit entry kind "${String(input.kind)}" must be dotted lower-case words`);
  }
  if (!input.actor || !ACTOR_TYPES.has(input.actor.type) || typeof input.actor.label !== 'string') {
    throw new AuditEntryError('audit entry actor needs a known type and a label');
  }
  if (typeof input.at !== 'string' || Number.isNaN(Date.parse(input.at))) throw new AuditEntryError('audit entry "at" must be an ISO time');
  if (input.refersTo !== undefined && (!Number.isSafeInteger(input.refersTo) || input.refersTo < 0 || input.refersTo >= index)) {
    throw new AuditEntryError(`refersTo ${input.refersTo} must name an earlier entry`);
  }
  const sensitive: SensitiveValue[] = [];
  const values: Record<string, string> = { ...(input.sensitive ?? {}) };
  if (input.actor.userId) values['actor.userId'] = input.actor.userId;
  const commitments: Record<string, string> = {};
  for (const [field, value] of Object.entries(values)) {
    if (!FIELD.test(field)) throw new AuditEntryError(`sensitive field name "${field}" is not allowed`);
    if (typeof value !== 'string') throw new AuditEntryError(`sensitive field "${field}" must be a string`);
    const salt = new Uint8Array(randomBytes(32));
    commitments[field] = commit(value, salt);
    sensitive.push({ field, value, salt });
  }
  const leaf: AuditLeaf = {
    version: LEAF_VERSION,
    site: input.site,
    index,
    kind: input.kind,
    at: input.at,
    actor: { type: input.actor.type, label: input.actor.label },
    subject: cleanSubject(input.subject),
    data: input.data ?? {},
    commitments,
  };
  if (input.refersTo !== undefined) leaf.refersTo = input.refersTo;
  let canonical: string;
  try {
    canonical = canonicalize(leaf);
  } catch (e) {
    throw new AuditEntryError(`audit entry is not canonical JSON: ${(e as Error).message}`);
  }
  return { leaf, canonical, sensitive };
}

/** The rule an entry cites, for the filtered view: subject.ruleId, data.ruleId or data.rule.id. */
export function ruleOf(leaf: AuditLeaf): string | null {
  const d = leaf.data as { ruleId?: unknown; rule?: { id?: unknown } };
  const r = leaf.subject.ruleId ?? d.ruleId ?? d.rule?.id;
  return typeof r === 'string' ? r : null;
}
