/**
 * Storage behind issue 16: holds, "Helpful" marks, moderator notes, pins, an author's own
 * deletion, and search. The services (server/services/holds.ts, helpful.ts, moderator-notes.ts,
 * pins.ts, own-deletion.ts, search.ts) decide; these methods keep the result. Every method is
 * atomic; several join a caller's `store.transaction`.
 */
import type { HoldReasonView } from '../../moderation/spam-schemas.js';
import type { PostRecord } from './store.js';

export type HoldStatus = 'held' | 'released' | 'removed';

export interface HoldRecord {
  site: string;
  postId: string;
  topic: string;
  authorId: string;
  reasons: HoldReasonView[];
  createdAt: string;
  status: HoldStatus;
  decidedAt: string | null;
  actionId: string | null;
}

export interface HelpfulMarker {
  userId: string;
  name: string;
  /** Company staff: shown with the badge, never counted for ranking (S-3). */
  staff: boolean;
  companyName: string | null;
}

export interface HelpfulTally {
  count: number;
  staff: Array<{ name: string; companyName: string }>;
}

export interface ModeratorNoteRecord {
  id: string;
  site: string;
  userId: string;
  authorId: string;
  text: string;
  createdAt: string;
  logIndex: number | null;
}

export interface PinRecord {
  site: string;
  topic: string;
  postId: string;
  actionId: string;
  pinnedBy: string;
  pinnedAt: string;
}

export interface SearchRequest {
  /** Words, already split into letters-and-digits tokens (at most 16). */
  words: string[];
  topic?: string;
  /** The previous page's last position (newest first). */
  before?: number | null;
  limit: number;
}

export interface SearchRow {
  post: PostRecord;
  topicTitle: string | null;
  /** Opaque position for the next page. */
  position: number;
}

export interface SpamStore {
  /** Records why a just-stored held post waits (in the posting transaction). */
  createHold(hold: HoldRecord): Promise<void>;
  getHold(site: string, postId: string): Promise<HoldRecord | null>;
  holdsFor(site: string, postIds: string[]): Promise<Map<string, HoldRecord>>;
  /** Open holds, oldest first. */
  openHolds(site: string, limit: number): Promise<HoldRecord[]>;
  countOpenHolds(site: string): Promise<number>;
  /** Holds by status, for the transparency report. */
  holdFigures(site: string): Promise<{ held: number; released: number; removed: number; byReason: Record<string, number> }>;
  /**
   * Releases a held post: readers see it from now on. It gets a new rev (catch-up delivers it),
   * its topic's rev and post count move. Returns false when it was not held.
   */
  releaseHold(site: string, postId: string, actionId: string, at: string): Promise<boolean>;
  /** A held post was removed: the hold is decided; the post never reaches readers. */
  closeHold(site: string, postId: string, actionId: string, at: string): Promise<void>;
  /** Posts the author wrote on the site (held or not), for the first-posts rule. */
  countPostsBy(site: string, authorId: string): Promise<number>;
  /** Recent visible-or-held posts from accounts created after `accountsSince`, written after `since` (spam waves). */
  recentPostsOfNewAccounts(site: string, since: string, accountsSince: string, limit: number): Promise<Array<{ id: string; authorId: string; body: string; createdAt: string }>>;

  /** One mark per person and post; returns false when it was there already. Members' marks move helpful_count. */
  markHelpful(site: string, postId: string, marker: HelpfulMarker, at: string): Promise<boolean>;
  unmarkHelpful(site: string, postId: string, userId: string): Promise<boolean>;
  helpfulFor(site: string, postIds: string[]): Promise<Map<string, HelpfulTally>>;
  /** Which of these posts the person marked. */
  markedBy(site: string, userId: string, postIds: string[]): Promise<Set<string>>;

  addModeratorNote(note: ModeratorNoteRecord): Promise<void>;
  setModeratorNoteLogIndex(site: string, id: string, logIndex: number): Promise<void>;
  moderatorNotes(site: string, userId: string, limit: number): Promise<ModeratorNoteRecord[]>;

  getPin(site: string, topic: string): Promise<PinRecord | null>;
  /** Pins a post (replacing the topic's earlier pin). */
  setPin(pin: PinRecord): Promise<void>;
  clearPin(site: string, topic: string): Promise<void>;

  /** The author deleted their post: status 'removed', deleted_at set, text (and its versions) erased, new rev. */
  deleteOwnPost(site: string, postId: string, at: string): Promise<void>;

  /** Visible, released posts of the site containing every word (a prefix match on the last), newest first. */
  searchPosts(site: string, request: SearchRequest): Promise<SearchRow[]>;
}
