/**
 * Storage behind notifications (issue 13): a member's choices, follows, the host page of each
 * topic, seen markers, the queue a post's commit feeds and a worker drains, what was sent, and
 * the member-only record of unsubscribes and bounces. The services (server/services/notify-*.ts)
 * decide; these methods keep the result. Every method is atomic.
 */
import type { NotificationKind, NotificationPreferences } from '../../moderation/notification-schemas.js';

export interface NotificationPreferencesRecord extends NotificationPreferences {
  site: string;
  userId: string;
  /** The member's language for messages, when they chose one (else the site's default). */
  language: string | null;
  /** The address our confirmation link proved (a host token's email claim is not proof). */
  confirmedEmail: string | null;
  confirmationSentAt: string | null;
  /** A hard bounce (SMTP 5xx) turned every notification off for this address. */
  bouncedEmail: string | null;
  bouncedAt: string | null;
  /** When the last single message and the last digest went out (coalescing and digest periods). */
  lastSentAt: string | null;
  lastDigestAt: string | null;
  updatedAt: string;
}

/** Work a commit left for the notification worker: a post to fan out. */
export interface NotificationJob {
  id: number;
  site: string;
  /**
   * 'post': a new post (replies, mentions, followers); 'question': a post put to a company (its
   * staff); 'answer': a company answered a question (`postId` is the question's post).
   */
  kind: 'post' | 'question' | 'answer';
  postId: string;
  createdAt: string;
}

/** One thing a person will be told about in their next message. */
export interface NotificationItem {
  id?: number;
  site: string;
  userId: string;
  kind: Exclude<NotificationKind, 'digest' | 'moderationDigest'>;
  postId: string;
  topic: string;
  createdAt: string;
}

/** A message sent: kinds, post ids and time, never the text (the member's export shows these). */
export interface NotificationMessageRecord {
  id: string;
  site: string;
  userId: string;
  kinds: string[];
  postIds: string[];
  sentAt: string;
  outboxId: number | null;
  /** 'sent' (accepted by SMTP), 'held' (no SMTP: waits in the outbox), 'failed', 'bounced'. */
  status: 'sent' | 'held' | 'failed' | 'bounced';
}

export interface NotificationEventRecord {
  site: string;
  userId: string;
  at: string;
  event: 'unsubscribed' | 'confirmed' | 'bounced' | 'confirmation-sent';
  kind: string | null;
}

export interface SeenMarkerRecord {
  lastPostId: string;
  seenAt: string;
}

export interface NotifyStore {
  getNotificationPreferences(site: string, userId: string): Promise<NotificationPreferencesRecord | null>;
  /** Sets the choices (and language); the address and bounce columns are untouched. */
  saveNotificationPreferences(site: string, userId: string, preferences: NotificationPreferences, language: string | null, at: string): Promise<void>;
  /** Every preference off (unsubscribe "all", a bounce), or one kind off (one-click unsubscribe). */
  turnOffNotifications(site: string, userId: string, kind: NotificationKind | 'all', at: string): Promise<void>;
  markConfirmationSent(site: string, userId: string, at: string): Promise<void>;
  confirmNotificationAddress(site: string, userId: string, email: string, at: string): Promise<void>;
  /** A hard bounce: every member of the site with this address gets notifications off; their ids. */
  recordBounce(site: string, email: string, at: string): Promise<string[]>;
  /** Opting in again after a bounce clears it. */
  clearBounce(site: string, userId: string): Promise<void>;
  recordNotificationEvent(event: NotificationEventRecord): Promise<void>;

  setFollow(site: string, topic: string, userId: string, following: boolean, at: string): Promise<void>;
  isFollowing(site: string, topic: string, userId: string): Promise<boolean>;
  /** Followers of a topic, by user id, a page after `afterUserId`. */
  listFollowers(site: string, topic: string, afterUserId: string | null, limit: number): Promise<string[]>;
  setTopicPageUrl(site: string, topic: string, pageUrl: string, at: string): Promise<void>;
  getTopicPageUrl(site: string, topic: string): Promise<string | null>;

  getSeenMarker(site: string, topic: string, userId: string): Promise<SeenMarkerRecord | null>;
  /** Moves the marker forward only (an older post seen later does not move it back). */
  setSeenMarker(site: string, topic: string, userId: string, marker: SeenMarkerRecord): Promise<void>;
  /** Visible posts of others newer than `since` that reply to the member's posts or mention them; none by someone they blocked (but company staff's replies). */
  repliesSince(site: string, topic: string, userId: string, since: string, limit: number): Promise<Array<{
    postId: string; parentId: string | null; authorName: string; at: string; reason: 'reply' | 'mention';
  }>>;
  /** People who wrote visible posts in a topic whose display name contains `query` (not deleted). */
  topicPeople(site: string, topic: string, query: string, limit: number): Promise<Array<{ userId: string; displayName: string }>>;

  enqueueNotificationJob(job: Omit<NotificationJob, 'id'>): Promise<void>;
  /** Claims up to `limit` jobs nobody holds (one worker per job across nodes) until `leaseUntil`. */
  claimNotificationJobs(now: string, leaseUntil: string, limit: number): Promise<NotificationJob[]>;
  finishNotificationJob(id: number): Promise<void>;
  /** Forgets a site's queued jobs (the demo's seeded history is not news). */
  dropNotificationJobs(site: string): Promise<void>;
  /** Items for people; a person is told about a post once (the first kind wins). */
  addNotificationItems(items: NotificationItem[]): Promise<void>;
  waitingItems(site: string, userId: string): Promise<Array<Required<NotificationItem>>>;
  /**
   * Records a message sent for these items (they stop waiting) and moves the person's window
   * (`last_sent_at`, or `last_digest_at` for a digest). Returns false if another worker took them.
   */
  recordNotificationMessage(message: NotificationMessageRecord, itemIds: number[], digest: boolean): Promise<boolean>;
  setNotificationMessageStatus(id: string, status: NotificationMessageRecord['status'], outboxId: number | null): Promise<void>;
  /** A message that could not be sent for now: its items wait again (sent with the next one). */
  releaseNotificationItems(messageId: string): Promise<void>;
  /** Items nobody will be told about (the person turned the kind off, has no usable address …). */
  discardNotificationItems(site: string, userId: string, ids: number[]): Promise<void>;
  /** People of a site whose next message is due (cut-offs: ISO times before which the last one went out). */
  peopleDue(site: string, cutoffs: { window: string; daily: string; weekly: string }, limit: number): Promise<string[]>;
  /** The stored preferences of these people (those who have any). */
  preferencesOf(site: string, userIds: string[]): Promise<NotificationPreferencesRecord[]>;

  exportNotifications(site: string, userId: string): Promise<{
    preferences: NotificationPreferencesRecord | null;
    /** When this moderator's daily digest last went out (a site setting; see moderationDigestSettingKey). */
    moderationDigestSentAt: string | null;
    follows: Array<{ topic: string; since: string }>;
    messages: NotificationMessageRecord[];
    events: NotificationEventRecord[];
  }>;
  /** Everything above, the moderation digest's last-sent time included. */
  eraseNotifications(site: string, userId: string): Promise<void>;
}

/**
 * The site setting that holds when a moderator's daily digest last went out (claimed in the
 * sending transaction, so two nodes never send the same day's digest). It is keyed by the
 * person, so it is theirs: exported with their notifications and erased with their account.
 */
export const moderationDigestSettingKey = (userId: string) => `moderation-digest-at:${userId}`;
