/**
 * Storage behind questions put to a company and the company desk (issue 14). The service
 * (server/services/questions.ts, company-desk.ts) decides; these methods only keep the result.
 * Every method is synchronous and atomic.
 */
import type { QuestionStatus } from '../../moderation/types.js';
import type { PostRecord } from './store.js';

export interface QuestionRecord {
  site: string;
  postId: string;
  companyId: string;
  topic: string;
  askedAt: string;
  status: QuestionStatus;
  answer: { postId: string; authorId: string; authorName: string; jobTitle: string; companyName: string; at: string } | null;
  outOfScope: { reason: string; by: string; at: string; logIndex: number | null } | null;
}

export interface ClaimRecord {
  site: string;
  postId: string;
  companyId: string;
  userId: string;
  since: string;
  expiresAt: string;
}

export interface PledgeRecord {
  site: string;
  companyId: string;
  state: 'pending' | 'approved';
  text: string;
  answerWithinDays: number;
  proposedBy: string;
  proposedAt: string;
  approvedBy: string | null;
  approvedAt: string | null;
}

export interface DeskStore {
  /** Records a post as a question to a company (once per post; a replayed post changes nothing). */
  addQuestion(q: { site: string; postId: string; companyId: string; topic: string; askedAt: string }): Promise<void>;
  getQuestion(site: string, postId: string): Promise<QuestionRecord | null>;
  /** The questions among these posts, by post id. */
  questionsFor(site: string, postIds: readonly string[]): Promise<Map<string, QuestionRecord>>;
  /** The company's open questions, oldest first, at most `limit`. */
  openQuestions(site: string, companyId: string, limit: number): Promise<QuestionRecord[]>;
  /** The company's questions that are open or were asked at or after `sinceIso` (for the figures). */
  questionsForFigures(site: string, companyId: string, sinceIso: string): Promise<QuestionRecord[]>;
  /** Marks an open question answered and bumps the post's rev (one transaction); false if it was not open. */
  answerQuestion(site: string, postId: string, answer: NonNullable<QuestionRecord['answer']>): Promise<boolean>;
  /**
   * The answer was removed by the moderators: the questions it answered are open again (their rev
   * bumped), as a removed post answers nobody. Returns their post ids.
   */
  reopenQuestionsAnsweredBy(site: string, answerPostId: string): Promise<string[]>;
  /** Marks an open question out of scope and bumps the post's rev; false if it was not open. */
  markOutOfScope(site: string, postId: string, decision: NonNullable<QuestionRecord['outOfScope']>): Promise<boolean>;

  /** The claim on a question, expired or not (the service decides), or null. */
  getClaim(site: string, postId: string): Promise<ClaimRecord | null>;
  claimsFor(site: string, postIds: readonly string[]): Promise<Map<string, ClaimRecord>>;
  /** Sets the claim, replacing any earlier one. */
  setClaim(claim: ClaimRecord): Promise<void>;
  deleteClaim(site: string, postId: string): Promise<void>;

  getPledge(site: string, companyId: string, state: PledgeRecord['state']): Promise<PledgeRecord | null>;
  /** Stores a proposal, replacing a pending one. */
  proposePledge(pledge: PledgeRecord): Promise<void>;
  /** The pending pledge becomes the approved one (replacing it); false without a pending one. */
  approvePledge(site: string, companyId: string, by: string, at: string): Promise<boolean>;
  /** Drops the pending pledge; false without one. */
  rejectPledge(site: string, companyId: string): Promise<boolean>;

  /**
   * Visible member posts (no staff or professional badge) whose text contains one of `names`
   * (case-insensitive substring; the service checks word boundaries), newest first, at most `limit`.
   */
  memberPostsNaming(site: string, names: readonly string[], limit: number): Promise<PostRecord[]>;
}
