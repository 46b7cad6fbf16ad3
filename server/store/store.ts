/**
 * The storage interface the rest of the server uses, written once in SQL over a SqlDatabase
 * (server/store/sql/database.ts): SQLite embedded by default, PostgreSQL for several nodes.
 * Every method is asynchronous and atomic: a method either fully happens or not at all;
 * `transaction` groups several into one.
 */
import type { SqlDatabase, TransactionOptions } from './sql/database.js';
import type { IdentityStore } from './identity-store.js';
import type { ModerationStore } from './moderation-store.js';
import type { EditStore } from './edit-store.js';
import type { SafetyStore } from './safety-store.js';
import type { PresenceStore } from './presence-store.js';
import type { OidcStore } from './oidc-store.js';
import type { SignInStore } from './sign-in-store.js';
import type { ImportStore } from './import-store.js';
import type { SetupStore } from './setup-store.js';
import type { DeskStore } from './desk-store.js';
import type { NotifyStore } from './notify-store.js';
import type { SpamStore } from './spam-store.js';
import type { BlockStore } from './block-store.js';
import type { AffiliationBadge, PageOrder, PostStatus, ProfessionalBadge, Role } from '../../moderation/types.js';

export interface SiteRecord {
  id: string;
  name: string;
  /** Exact origins (scheme://host[:port]) allowed to embed this site's discussions. */
  origins: string[];
  /** HS256 secret shared with the host site's sign-in, if it uses one. */
  secret: string | null;
  /** PEM (SPKI) public keys for EdDSA / RS256 tokens, if the host site signs with a key pair. */
  publicKeys: string[];
  rulesUrl: string | null;
  demo: boolean;
  createdAt: string;
}

export interface UserRecord {
  id: string;
  site: string;
  /** The host site's subject id; never shown to readers. */
  sub: string;
  displayName: string;
  /** Only ever shown to the user themself. */
  email: string | null;
  kind: 'member' | 'staff' | 'deleted';
  createdAt: string;
}

export interface TopicRecord {
  site: string;
  id: string;
  title: string | null;
  /** Change counter: bumped by every post created or changed in the topic. */
  rev: number;
  /** Creation counter: the seq of the newest post. */
  lastSeq: number;
  postCount: number;
  locked: boolean;
  createdAt: string;
  /** When its newest post was written. */
  lastActivityAt: string;
}

/** A page of a site's topics, newest activity first; `after` is the previous page's `next`. */
export interface TopicListRequest {
  limit: number;
  after?: TopicListPosition | null;
  /** Exactly these topics (those that exist), instead of a page. */
  ids?: string[];
}
export interface TopicListPosition {
  lastActivityAt: string;
  /** Tie-breaker among topics with the same time (SQLite's rowid). */
  position: number;
}

/** Badges as they were when a post was written (an affiliation revoked later stays on old posts). */
export interface AuthorSnapshot {
  moderator?: boolean;
  affiliation?: AffiliationBadge;
  professional?: ProfessionalBadge;
}

export interface PostRecord {
  id: string;
  site: string;
  topic: string;
  parent: string | null;
  root: string;
  depth: number;
  seq: number;
  rev: number;
  authorId: string;
  /** Joined from the author's user record at read time. */
  authorName: string;
  authorKind: UserRecord['kind'];
  /** The author's name resembles a verified staff member or company (shown as a warning). */
  authorLookalike: boolean;
  /** The author came in with an import (issue 15): never verified, shown as imported. */
  authorImported?: boolean;
  authorSnapshot: AuthorSnapshot;
  body: string;
  html: string;
  createdAt: string;
  editedAt: string | null;
  status: PostStatus;
  /** Waiting for a moderator (issue 16): readers never receive it; its author and moderators do. */
  held?: boolean;
  /** Set when its author deleted it (status is then 'removed' in the store and the text erased). */
  deletedAt?: string | null;
  /** Members' "Helpful" marks (staff marks never count: S-3). */
  helpfulCount?: number;
}

export interface NewPost {
  id: string;
  site: string;
  topic: string;
  topicTitle: string | null;
  parent: string | null;
  authorId: string;
  authorSnapshot: AuthorSnapshot;
  body: string;
  html: string;
  createdAt: string;
  idempotencyKey: string;
  maxDepth: number;
  /** Store it held for review (issue 16): the topic's post count moves only when it is released. */
  held?: boolean;
  /**
   * Queue the post's notification job (kind 'post', issue 13) with it, in the same transaction —
   * on PostgreSQL in the same statement, so it costs no round trip under the topic's lock.
   */
  notify?: boolean;
}

export type CreatePostOutcome =
  | { kind: 'created'; post: PostRecord }
  /** The same author already sent this key with the same content: here is that post. */
  | { kind: 'replayed'; post: PostRecord }
  /** The key was used before for different content. */
  | { kind: 'key-conflict' }
  | { kind: 'parent-not-found' }
  | { kind: 'too-deep' }
  | { kind: 'topic-locked' };

export interface PageRequest {
  order: PageOrder;
  /** seq of the last top-level post of the previous page. */
  afterSeq: number | null;
  /** For the 'helpful' order: the previous page's last members' count (with `afterSeq`). */
  afterHelpful?: number | null;
  limit: number;
  repliesMax: number;
}

export interface PageResult {
  topic: TopicRecord | null;
  posts: PostRecord[];
  /** seq to continue from, or null at the end. */
  nextAfterSeq: number | null;
  /** For the 'helpful' order: the members' count of the page's last top-level post. */
  nextAfterHelpful?: number | null;
}

export interface Store extends IdentityStore, ModerationStore, EditStore, SafetyStore, PresenceStore, OidcStore, SignInStore, SetupStore, DeskStore, ImportStore, NotifyStore, SpamStore, BlockStore {
  /** The database under this store; the audit log and other stores share it (and its transactions). */
  readonly database: SqlDatabase;
  /**
   * Runs `fn` in one transaction: every store, audit-log and database call made inside it joins
   * it, and all of it commits or none. Broadcast and send mail after it returns, not inside it
   * (PostgreSQL may run `fn` again after a serialization failure).
   */
  transaction<T>(fn: () => Promise<T>, options?: TransactionOptions): Promise<T>;
  /** Sites: created from configuration or the CLI, read on every request. */
  upsertSite(site: SiteRecord): Promise<void>;
  getSite(id: string): Promise<SiteRecord | null>;
  listSites(): Promise<SiteRecord[]>;
  /** Key-value settings per site (e.g. the demo's generated secret). */
  getSetting(site: string, key: string): Promise<string | null>;
  setSetting(site: string, key: string, value: string): Promise<void>;

  /** Users: found or created from a verified host token; the display name follows the host. */
  upsertUserFromHost(site: string, sub: string, displayName: string, email: string | null, now: string, newId: string): Promise<UserRecord>;
  getUser(site: string, id: string): Promise<UserRecord | null>;
  /** Roles granted on a site beyond `member` (which every signed-in user has). */
  getRoles(site: string, userId: string): Promise<Role[]>;
  grantRole(site: string, userId: string, role: Role): Promise<void>;

  /** Records a verified affiliation and marks the user as company staff (one transaction). */
  addAffiliation(site: string, userId: string, badge: AffiliationBadge): Promise<void>;
  /** The affiliation in force, or null (none, or revoked). */
  getActiveAffiliation(site: string, userId: string): Promise<AffiliationBadge | null>;
  setProfessional(site: string, userId: string, badge: ProfessionalBadge): Promise<void>;
  getProfessional(site: string, userId: string): Promise<ProfessionalBadge | null>;

  getTopic(site: string, topic: string): Promise<TopicRecord | null>;
  /** Topics by latest activity (a page after `after`), or the named ones; `next` is null on the last page. */
  listTopics(site: string, request: TopicListRequest): Promise<{ topics: TopicRecord[]; next: TopicListPosition | null }>;
  /** Creates the post in one transaction, creating the topic on its first post; idempotent per (author, key). */
  createPost(input: NewPost): Promise<CreatePostOutcome>;
  getPost(site: string, id: string): Promise<PostRecord | null>;
  /** One page of top-level posts in order, plus up to `repliesMax` of their replies (oldest first). */
  getTopicPage(site: string, topic: string, request: PageRequest): Promise<PageResult>;
  /** The author's own posts of a topic that wait for a moderator (issue 16), oldest first. */
  heldPostsOf(site: string, topic: string, authorId: string): Promise<PostRecord[]>;
  /** Posts of a topic changed after `sinceRev`, in rev order, at most `limit`. */
  getChangesSince(site: string, topic: string, sinceRev: number, limit: number): Promise<PostRecord[]>;

  /** Counts for health checks and metrics. */
  stats(): Promise<{ sites: number; topics: number; posts: number }>;
  close(): Promise<void>;
}

/** The lock name of writes that bump a topic's counters (TransactionOptions.lock). */
export function topicWriteLock(site: string, topic: string): string {
  return `topic:${site}:${topic}`;
}
