/**
 * Storage of safety routing (issue 6): pharmacovigilance contacts, possible adverse-event
 * flags (one per post and company), the first time a company's staff saw a flagged post,
 * the member's consent to follow-up, forwards to safety teams with their deliveries, and
 * monitoring-feed tokens. Kept apart from moderation: a flag is not a report and never
 * changes the post. Each method is atomic.
 */
import type { FirstSeenVia } from '../../moderation/safety.js';

export interface SafetyContactRecord {
  site: string;
  companyId: string;
  /** ISO 3166-1 alpha-2 country this contact is for, or null for any country (issue 15, P-4). */
  country: string | null;
  /** The company's product (its registered name) this contact is for, or null for any product. */
  product: string | null;
  pvEmail: string | null;
  pvWebhookUrl: string | null;
  /** Signs webhook bodies (HMAC-SHA256), generated when a webhook is set; shown to the admin once. */
  webhookSecret: string | null;
  updatedAt: string;
  updatedBy: string;
}

export interface SafetyFlagRecord {
  /** Creation order on the server: the cursor of lists and feeds. */
  seq: number;
  id: string;
  site: string;
  postId: string;
  topic: string;
  /** The post's author: only they see the signpost and answer the consent question. Never sent to a company. */
  authorId: string;
  companyId: string;
  products: string[];
  eventTerms: string[];
  concepts: string[];
  negatedTerms: string[];
  language: string;
  /** The reference a safety team quotes to the host organisation (PV-…); maps to the member only here. */
  reference: string;
  detectedAt: string;
  logIndex: number | null;
  firstSeenAt: string | null;
  firstSeenBy: string | null;
  firstSeenVia: FirstSeenVia | null;
  /** null: not answered; the member's latest answer otherwise. */
  consent: boolean | null;
  consentAt: string | null;
}

export type NewSafetyFlag = Omit<SafetyFlagRecord, 'seq' | 'logIndex' | 'firstSeenAt' | 'firstSeenBy' | 'firstSeenVia' | 'consent' | 'consentAt'>;

export interface SafetyForwardRecord {
  id: string;
  site: string;
  flagId: string;
  companyId: string;
  postId: string;
  /** User id of who forwarded (private). */
  forwardedBy: string;
  forwardedByRole: 'moderator' | 'company-staff';
  createdAt: string;
  /** The SafetyForwardPayload as sent (JSON). */
  payload: string;
  logIndex: number | null;
}

export type DeliveryChannel = 'email' | 'webhook';
/** `held`: email with no mail server configured — it waits in the outbox and is not retried. */
export type DeliveryStatus = 'pending' | 'delivered' | 'failed' | 'held';

export interface SafetyDeliveryRecord {
  id: string;
  site: string;
  forwardId: string;
  flagId: string;
  companyId: string;
  kind: 'forward' | 'consent-update';
  channel: DeliveryChannel;
  target: string;
  /** What is sent: the JSON payload (the email is rendered from it). */
  payload: string;
  status: DeliveryStatus;
  attempts: number;
  lastError: string | null;
  lastAttemptAt: string | null;
  nextAttemptAt: string | null;
  deliveredAt: string | null;
  createdAt: string;
}

export interface SafetyFlagFilter {
  companyId?: string;
  authorId?: string;
  postId?: string;
  /** Any of these posts. */
  postIds?: readonly string[];
  forwarded?: boolean;
  /** Flags with seq below this (newest first paging). */
  beforeSeq?: number;
  limit: number;
}

export interface SafetyStore {
  /** The contact of exactly this scope (country and product null: the company's default). */
  getSafetyContact(site: string, companyId: string, scope?: { country: string | null; product: string | null }): Promise<SafetyContactRecord | null>;
  /** Sets or (with both channels null) removes the contact of its scope. */
  setSafetyContact(contact: SafetyContactRecord): Promise<void>;
  /** Every contact of the site, or of one company (all scopes). */
  listSafetyContacts(site: string, companyId?: string): Promise<SafetyContactRecord[]>;

  /** Stores a flag unless this post is already flagged for this company; true when stored. */
  createSafetyFlag(flag: NewSafetyFlag): Promise<boolean>;
  setSafetyFlagLogIndex(site: string, id: string, logIndex: number): Promise<void>;
  getSafetyFlag(site: string, id: string): Promise<SafetyFlagRecord | null>;
  getSafetyFlagByReference(site: string, reference: string): Promise<SafetyFlagRecord | null>;
  /** Newest first. */
  listSafetyFlags(site: string, filter: SafetyFlagFilter): Promise<SafetyFlagRecord[]>;
  /**
   * Records, for the company's flags on these posts, the first time its staff saw them: only
   * where none is recorded yet (first wins). Returns the flags newly recorded.
   */
  recordSafetyFirstSeen(site: string, companyId: string, postIds: readonly string[], at: string, by: string, via: FirstSeenVia): Promise<number>;
  setSafetyConsent(site: string, flagId: string, consent: boolean, at: string): Promise<void>;

  /** At most one forward per flag: stores it with its deliveries, or returns the one already stored. */
  createSafetyForward(forward: SafetyForwardRecord, deliveries: SafetyDeliveryRecord[]): Promise<{ created: boolean; forward: SafetyForwardRecord }>;
  setSafetyForwardLogIndex(site: string, id: string, logIndex: number): Promise<void>;
  getSafetyForwardByFlag(site: string, flagId: string): Promise<SafetyForwardRecord | null>;
  addSafetyDeliveries(deliveries: SafetyDeliveryRecord[]): Promise<void>;
  getSafetyDelivery(site: string, id: string): Promise<SafetyDeliveryRecord | null>;
  /** Newest first; by forward, or by status. */
  listSafetyDeliveries(site: string, filter: { forwardIds?: readonly string[]; status?: DeliveryStatus; limit: number }): Promise<SafetyDeliveryRecord[]>;
  /** Pending deliveries due at `now`, on every site, oldest first. */
  dueSafetyDeliveries(now: string, limit: number): Promise<SafetyDeliveryRecord[]>;
  /** Takes a due delivery for one attempt (moves its next attempt to `leaseUntil`); false if someone else has it. */
  claimSafetyDelivery(id: string, now: string, leaseUntil: string): Promise<boolean>;
  /** Records the attempt's outcome. */
  finishSafetyDelivery(id: string, outcome: Pick<SafetyDeliveryRecord, 'status' | 'attempts' | 'lastError' | 'lastAttemptAt' | 'nextAttemptAt' | 'deliveredAt'>): Promise<void>;
  /** A moderator asks for another attempt now (a failed delivery becomes pending again). */
  retrySafetyDelivery(site: string, id: string, now: string): Promise<boolean>;

  /** Replaces (or with null removes) a company's monitoring-feed token, stored as a hash. */
  setSafetyFeedToken(site: string, companyId: string, tokenHash: string | null, at: string, by: string): Promise<void>;
  safetyFeedTokenOwner(tokenHash: string): Promise<{ site: string; companyId: string } | null>;

  /** What the safety records hold about a member's posts, for their data export. */
  exportSafetyOf(site: string, authorId: string): Promise<SafetyMemberExport>;
  /**
   * A member's erasure: their flags lose the link to them, the matched terms and their consent;
   * forwards and deliveries already sent lose the post text. A delivery still pending keeps its
   * payload until it is sent, because the company's legal duty to receive a safety report
   * (GDPR Art. 17(3)(b)) outweighs it for those minutes or hours; the retention pass then
   * redacts it. Returns how many flags changed.
   */
  eraseSafetyOf(site: string, authorId: string, at: string): Promise<number>;
  /** Every flag of the site with its company and forward time, for the transparency report's counts. */
  safetyFlagTimes(site: string): Promise<Array<{ companyId: string; detectedAt: string; forwardedAt: string | null }>>;
  /** Retention: redacts the post text of forwards and finished deliveries created before `before`. */
  redactSafetyBefore(before: string, at: string): Promise<number>;
}

export interface SafetyMemberExport {
  flags: Array<{
    id: string; postId: string; products: string[]; eventTerms: string[]; detectedAt: string;
    consent: boolean | null; consentAt: string | null; forwardedAt: string | null;
  }>;
}
