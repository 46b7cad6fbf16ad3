/**
 * The moderation part of the Store interface: versioned rules, reports, append-only actions
 * with their statements of reasons, appeals, notices, moderator pseudonyms, misuse strikes
 * and links into the public audit log. Each method is atomic.
 */
import type { ActionType, ModerationAction, TargetKind } from '../../moderation/actions.js';
import type { AppealStatus } from '../../moderation/appeals.js';
import type { Rule } from '../../moderation/rules.js';
import type { PostRecord } from './store.js';

export type ReportSource = 'member' | 'company' | 'automated';
export type ReportStatus = 'open' | 'actioned' | 'dismissed';

export interface ReportRecord {
  id: string;
  site: string;
  postId: string;
  topic: string;
  /** Null for an automated flag. Visible to moderators only. */
  reporterId: string | null;
  source: ReportSource;
  detector: string | null;
  ground: 'rule' | 'illegal';
  ruleId: string | null;
  ruleVersion: number | null;
  explanation: string;
  note: string;
  createdAt: string;
  status: ReportStatus;
  decidedAt: string | null;
  decidedBy: string | null;
  decisionActionId: string | null;
  unfounded: boolean;
}

/** An action as stored, with the action that reversed it (if any). */
export interface ActionRecord extends ModerationAction {
  seq: number;
  reversedBy: string | null;
}

export interface AppealRecord {
  id: string;
  site: string;
  actionId: string | null;
  reportId: string | null;
  appellantId: string;
  info: string;
  createdAt: string;
  status: AppealStatus;
  decidedBy: string | null;
  decidedAt: string | null;
  decisionReason: string | null;
  reversalActionId: string | null;
  unfounded: boolean;
}

export type NoticeKind = 'action' | 'report-received' | 'report-outcome' | 'appeal-received' | 'appeal-decision' | 'misuse-warning';

export interface NoticeRecord {
  id: string;
  site: string;
  userId: string;
  kind: NoticeKind;
  actionId: string | null;
  reportId: string | null;
  appealId: string | null;
  subject: string;
  body: Record<string, unknown>;
  createdAt: string;
  emailed: boolean;
}

/** What one action changes besides its own row, applied in the same transaction. */
export interface ActionEffects {
  /** Set the post's status (remove / restore). */
  postStatus?: { postId: string; status: 'visible' | 'removed' | 'deleted' };
  /** Set the topic's locked flag (lock / unlock). */
  topicLock?: { topic: string; locked: boolean };
  /** Posts whose view changed: each gets a new rev (and its topic's rev moves) for catch-up. */
  touchPosts?: string[];
  /** Reports this action decides. */
  resolveReports?: { ids: string[]; status: ReportStatus; unfounded: boolean };
  /** Put a dismissed report back in the queue (reopen-report). */
  reopenReport?: string;
}

export interface ActionFilter {
  targetKind?: TargetKind;
  targetId?: string;
  subjectUserId?: string;
  types?: ActionType[];
  afterSeq?: number;
  limit?: number;
}

export interface ModerationStore {
  /** Every version of every rule of a site, oldest first. */
  listRuleVersions(site: string): Promise<Rule[]>;
  /** Adds rule versions (never changes one). */
  addRuleVersions(site: string, rules: Rule[], changedBy: string): Promise<void>;

  createReport(report: ReportRecord): Promise<void>;
  getReport(site: string, id: string): Promise<ReportRecord | null>;
  listReports(site: string, filter: { status?: ReportStatus; reporterId?: string; postId?: string; limit?: number }): Promise<ReportRecord[]>;
  /** Every report of a site (for the numbers). */
  allReports(site: string): Promise<ReportRecord[]>;

  /** Stores an action (and its statement of reasons) and applies its effects, in one transaction. */
  recordAction(action: ModerationAction, effects: ActionEffects): Promise<ActionRecord>;
  getAction(site: string, id: string): Promise<ActionRecord | null>;
  listActions(site: string, filter: ActionFilter): Promise<ActionRecord[]>;
  /** Actions on any of these posts, oldest first. */
  actionsForPosts(site: string, postIds: string[]): Promise<ActionRecord[]>;

  createAppeal(appeal: AppealRecord, touchPosts: string[]): Promise<void>;
  getAppeal(site: string, id: string): Promise<AppealRecord | null>;
  listAppeals(site: string, filter: { status?: AppealStatus; appellantId?: string; actionIds?: string[]; reportId?: string }): Promise<AppealRecord[]>;
  /** Records the decision, and the reversal it causes (if any), in one transaction. */
  decideAppeal(
    site: string,
    id: string,
    decision: { status: 'upheld' | 'reversed'; decidedBy: string; decidedAt: string; reason: string; unfounded: boolean },
    reversal: { action: ModerationAction; effects: ActionEffects } | null,
    touchPosts: string[],
  ): Promise<{ appeal: AppealRecord; reversal: ActionRecord | null } | null>;

  createNotice(notice: NoticeRecord): Promise<void>;
  markNoticeEmailed(id: string): Promise<void>;
  getNotice(id: string): Promise<NoticeRecord | null>;
  listNotices(site: string, userId: string, limit: number): Promise<NoticeRecord[]>;

  /** A moderator's stable public number on a site, assigned on first use. */
  moderatorNumber(site: string, userId: string): Promise<number>;
  /** Distinct people who took moderation actions or hold a moderation role. */
  countModerators(site: string): Promise<number>;

  addMisuseStrike(site: string, userId: string, kind: 'unfounded-report' | 'unfounded-appeal', refId: string, at: string): Promise<void>;
  countMisuseStrikes(site: string, userId: string, sinceIso: string): Promise<number>;

  setLogRef(site: string, kind: 'action' | 'appeal' | 'rule' | 'report', id: string, index: number): Promise<void>;
  getLogRefs(site: string, kind: 'action' | 'appeal' | 'rule' | 'report', ids: string[]): Promise<Map<string, number>>;

  /** The author's most recent posts (any status), newest first, for the moderators' queue. */
  recentPostsBy(site: string, userId: string, limit: number): Promise<PostRecord[]>;
  /** The post's ancestors, top-level first. */
  ancestorsOf(site: string, postId: string): Promise<PostRecord[]>;
}
