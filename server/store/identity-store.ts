/**
 * The identity part of the Store interface: the company register, verified staff,
 * roles, identity events, email proof, sessions, name changes, the outbox, and a
 * member's export and erasure. Each method is atomic.
 */
import type { AffiliationBadge, Disclosure, Product, Role } from '../../moderation/types.js';

export interface CompanyRecord {
  site: string;
  id: string;
  legalName: string;
  displayName: string;
  emailDomains: string[];
  products: Product[];
  disclosure: Disclosure;
  /** "Company-sponsored" (P-4): the company funds this installation. */
  sponsored: boolean;
  createdAt: string;
  updatedAt: string;
}

export interface StaffRecord extends AffiliationBadge {
  userId: string;
  name: string;
  revokedAt: string | null;
  revokedBy: string | null;
}

export interface IdentityEvent {
  seq?: number;
  site: string;
  at: string;
  actor: string;
  subjectId: string | null;
  kind:
    | 'role-granted' | 'role-revoked' | 'affiliation-added' | 'affiliation-revoked'
    | 'professional-verified' | 'name-change-requested' | 'name-change-approved' | 'name-change-rejected'
    | 'company-registered' | 'company-updated' | 'member-renamed' | 'member-erased';
  details: Record<string, unknown>;
}

export interface NameChangeRecord {
  id: string;
  site: string;
  userId: string;
  displayName: string | null;
  jobTitle: string | null;
  reason: string;
  status: 'pending' | 'approved' | 'rejected';
  requestedAt: string;
  decidedBy: string | null;
  decidedAt: string | null;
}

export interface EmailLinkRecord {
  tokenHash: string;
  site: string;
  email: string;
  companyId: string;
  displayName: string;
  jobTitle: string;
  createdAt: string;
  expiresAt: string;
  usedAt: string | null;
}

export interface SessionRecord {
  id: string;
  site: string;
  userId: string;
  refreshHash: string;
  createdAt: string;
  expiresAt: string;
  revokedAt: string | null;
}

export interface OutboxMessage {
  id?: number;
  site: string;
  recipient: string;
  subject: string;
  body: string;
  createdAt: string;
  delivered: boolean;
  /** The HTML part, when the message has one (notifications, issue 13). */
  html?: string;
  /** Extra headers it was sent with (List-Unsubscribe, List-Id …). */
  headers?: Record<string, string>;
}

export interface MemberExport {
  user: { id: string; displayName: string; email: string | null; kind: string; createdAt: string };
  roles: Role[];
  affiliations: StaffRecord[];
  professional: { profession: string; verifiedAt: string } | null;
  posts: Array<{ id: string; topic: string; parent: string | null; body: string; createdAt: string; status: string }>;
  sessions: Array<{ id: string; createdAt: string; expiresAt: string; revokedAt: string | null }>;
  nameChangeRequests: NameChangeRecord[];
}

export interface IdentityStore {
  upsertCompany(company: CompanyRecord): Promise<void>;
  getCompany(site: string, id: string): Promise<CompanyRecord | null>;
  listCompanies(site: string): Promise<CompanyRecord[]>;

  /** Every affiliation of a company (or the site), active and revoked, oldest first. */
  listStaff(site: string, companyId?: string): Promise<StaffRecord[]>;
  revokeAffiliation(site: string, userId: string, revokedBy: string, at: string): Promise<boolean>;
  revokeRole(site: string, userId: string, role: Role): Promise<boolean>;
  /** Users holding a granted role on the site. */
  listRoleHolders(site: string): Promise<Array<{ userId: string; name: string; role: Role }>>;

  recordIdentityEvent(event: IdentityEvent): Promise<void>;
  listIdentityEvents(site: string, afterSeq: number, limit: number): Promise<IdentityEvent[]>;

  setDisplayName(site: string, userId: string, name: string, lookalike: boolean): Promise<void>;
  setLookalike(site: string, userId: string, lookalike: boolean): Promise<void>;
  isLookalike(site: string, userId: string): Promise<boolean>;
  createNameChange(request: NameChangeRecord): Promise<void>;
  getNameChange(site: string, id: string): Promise<NameChangeRecord | null>;
  listNameChanges(site: string, status?: NameChangeRecord['status']): Promise<NameChangeRecord[]>;
  /** Decides a pending request; when approved, applies the new name / job title in the same transaction. */
  decideNameChange(site: string, id: string, approve: boolean, decidedBy: string, at: string): Promise<NameChangeRecord | null>;

  createEmailLink(link: EmailLinkRecord): Promise<void>;
  /** Marks the link used and returns it, or says why it cannot be used. Single use, atomic. */
  consumeEmailLink(tokenHash: string, at: string): Promise<{ ok: true; link: EmailLinkRecord } | { ok: false; reason: 'unknown' | 'used' | 'expired' }>;
  countRecentEmailLinks(site: string, email: string, sinceIso: string): Promise<number>;
  /** Deletes the site's links that expired before `expiredBefore` (ISO time). */
  purgeEmailLinks(site: string, expiredBefore: string): Promise<void>;

  createSession(session: SessionRecord): Promise<void>;
  getSessionByRefresh(refreshHash: string): Promise<SessionRecord | null>;
  /** Replaces a session's refresh token (rotation); false if it was revoked or already rotated. */
  rotateSession(id: string, oldHash: string, newHash: string, expiresAt: string): Promise<boolean>;
  getSession(id: string): Promise<SessionRecord | null>;
  /**
   * Revokes the user's live sessions (not revoked, expiring after `now`) beyond the `keep`
   * newest; returns how many it revoked.
   */
  revokeSessionsBeyond(site: string, userId: string, keep: number, now: string): Promise<number>;
  /**
   * Deletes the site's sessions that expired, or were revoked, before `before` (ISO time);
   * returns how many. The refresh token lives in the row, so it goes with it.
   */
  purgeSessions(site: string, before: string): Promise<number>;
  /**
   * Revokes every session of the user and bumps their epoch, so outstanding access tokens die too,
   * and notes `at` as the moment they signed out everywhere (host tokens issued before it die too).
   */
  revokeAllSessions(site: string, userId: string, at: string): Promise<number>;
  getSessionEpoch(site: string, userId: string): Promise<number>;
  /**
   * When the user with this host subject last signed out everywhere (ISO time); null if they
   * never did or there is no such user. By subject: a host token names its user so.
   */
  getSignedOutAt(site: string, sub: string): Promise<string | null>;

  /** Creates or finds the user for a verified email (staff proven by email have no host subject). */
  upsertEmailUser(site: string, sub: string, displayName: string, email: string, now: string, newId: string): Promise<{ id: string }>;

  addOutbox(message: OutboxMessage): Promise<number>;
  markDelivered(id: number): Promise<void>;
  /** Newest first; with `recipientDomains`, only mail to addresses at those domains (case-insensitive). */
  listOutbox(site: string, limit: number, recipientDomains?: readonly string[]): Promise<OutboxMessage[]>;

  /** Companies and professionals who posted in a topic, from the badges on their posts. */
  topicParticipation(site: string, topic: string): Promise<{
    companies: Array<{ companyId: string; posts: number }>;
    professionals: Array<{ userId: string; name: string; profession: string }>;
  }>;
  /** Users of a site whose name contains `name` (for admins looking someone up). */
  findUsers(site: string, name: string, limit: number): Promise<Array<{ id: string; name: string; kind: string; createdAt: string }>>;

  exportMember(site: string, userId: string): Promise<MemberExport | null>;
  /**
   * Erases a member's personal data: name, email, host subject, sessions; their posts stay as
   * "deleted member", or are removed (status `removed`, text erased) when `removePosts`.
   * Returns the ids of posts that changed so they can be re-broadcast.
   */
  eraseMember(site: string, userId: string, removePosts: boolean, at: string): Promise<string[]>;
}
