/**
 * Storage reads behind a company's presence over time (issue 6): the company's own posts and
 * the member posts that put a question to it. Read-only; the service (server/services/presence.ts)
 * turns these rows into the weekly series with moderation/detectors/presence.ts.
 *
 * "The company's posts" are visible posts whose author badge (the snapshot taken when the post
 * was written) names the company, so a former employee's old posts still count for it and
 * their posts for another employer do not. A "member" post is a visible post written without
 * a staff or a verified-professional badge: a patient or a carer.
 */

/** One of the company's posts, with what the presence series needs to classify it. */
export interface CompanyPostRow {
  id: string;
  topic: string;
  parent: string | null;
  createdAt: string;
  /** The post replies to a member post (a patient or carer). */
  repliesToMember: boolean;
}

/** A member post that contains a question mark (`?` or `？`) and may be a question to the company. */
export interface MemberQuestionRow {
  id: string;
  topic: string;
  parent: string | null;
  createdAt: string;
}

export interface PresenceStore {
  /** The company's visible posts, newest first, at most `limit` (created at any time). */
  companyPosts(site: string, companyId: string, limit: number): Promise<CompanyPostRow[]>;
  /** Visible member posts with a question mark that reply directly to one of the company's posts, created at or after `sinceIso`, at most `limit`. */
  memberQuestionsReplyingTo(site: string, companyId: string, sinceIso: string, limit: number): Promise<MemberQuestionRow[]>;
  /** Visible top-level member posts with a question mark in `topic`, created after `afterIso`, oldest first, at most `limit`. */
  memberQuestionsStartingThreads(site: string, topic: string, afterIso: string, limit: number): Promise<MemberQuestionRow[]>;
  /** A number that grows whenever a post is created anywhere (cache invalidation; not a count). */
  postsWatermark(): Promise<number>;
}
