/**
 * REST calls of the moderation parts (lazily loaded): rules, reports, appeals, notices, the
 * moderators' queue and actions, the numbers. Like `ParleyApi`, never throws: every call
 * resolves to the value or a `Failure` (rate limits carry `retryAfterSeconds`).
 */
import type { ActionIntent } from '../../moderation/actions.js';
import type { BulkActionAnswer, BulkActionInput, HoldReasonView, ModeratorNote, QueueQuery } from '../../moderation/spam-schemas.js';
import type { Post } from '../../moderation/types.js';
import type { TransparencyReport } from '../../moderation/transparency.js';
import type { Outcome } from '../client/outcome.js';
import { requestJson } from '../client/request.js';

/** A house rule as `GET /rules` publishes it. */
export interface RuleView {
  id: string;
  version: number;
  title: string;
  text: string;
  examples: { allowed: string[]; notAllowed: string[] };
  kind: 'prohibition' | 'commitment';
  effectiveFrom: string;
}

export interface ReportView {
  id: string;
  postId: string;
  topic: string;
  ground: 'rule' | 'illegal';
  ruleId: string | null;
  ruleVersion: number | null;
  note: string;
  createdAt: string;
  status: 'open' | 'actioned' | 'dismissed';
  decidedAt: string | null;
  outcome: { actionId: string; type: string; reason: string } | null;
  appealableUntil: string | null;
  appeal: { id: string; status: string; decidedAt: string | null; reason: string | null } | null;
}

export interface NoticeView {
  id: string;
  kind: string;
  subject: string;
  createdAt: string;
  url: string;
  actionId: string | null;
  reportId: string | null;
  appealId: string | null;
  body: Record<string, unknown> & { reason?: string; does?: string; message?: string; appeal?: { until: string } | null };
}

export interface AppealView {
  id: string;
  actionId: string | null;
  reportId: string | null;
  info: string;
  createdAt: string;
  status: 'open' | 'upheld' | 'reversed';
  decidedAt: string | null;
  reason: string | null;
  decidedBy: string | null;
}

export interface QueueItem {
  post: Post;
  thread: Post[];
  author: {
    id: string;
    name: string;
    kind: string;
    recentPosts: Array<{ id: string; topic: string; createdAt: string; status: string; excerpt: string }>;
    pastActions: Array<{ id: string; type: string; ruleId: string | null; createdAt: string; reversed: boolean }>;
  };
  reports: Array<{
    id: string;
    source: 'member' | 'company' | 'automated';
    companyAffiliated: boolean;
    ground: 'rule' | 'illegal';
    ruleId: string | null;
    ruleVersion: number | null;
    explanation: string;
    note: string;
    detector: string | null;
    createdAt: string;
    reporter: { id: string; name: string } | null;
  }>;
  oldestReportAt: string;
  /** Why the post is held for review (issue 16); empty when it is not held. */
  holds?: HoldReasonView[];
}

/** The queue's filters (GET /moderation/queue); empty fields are left out. */
export type QueueFilters = Partial<Pick<QueueQuery, 'filter' | 'ruleId' | 'topic' | 'q'>>;

export interface ActionView {
  id: string;
  type: string;
  ruleId: string | null;
  ruleVersion: number | null;
  reason: string;
  createdAt: string;
  reverses: string | null;
  reversedBy: string | null;
  moderator: { id: string; name: string; publicLabel: string };
  logIndex: number | null;
}

export interface ModAppeal extends AppealView {
  appellant: { id: string; name: string };
  action: ActionView | null;
  report: { id: string; postId: string; ruleId: string | null } | null;
  originalDecider: { id: string; name: string } | null;
  youMayDecide: boolean;
}

/** What a moderator sends: the domain's ActionIntent (one shape for server and widget). */
export type ActionInput = Omit<ActionIntent, 'reverses'>;

/** The report as the domain builds it: one shape for server and widget. */
export type TransparencyView = TransparencyReport;

export interface HowItWorks {
  siteName: string;
  moderators: { count: number; public: string[]; who: string; singleModerator: boolean; singleModeratorNotice: string | null };
  automation: Record<string, string>;
  reports: Record<string, string>;
  decisions: Record<string, string>;
  appeals: { windowMonths: number; what: string; decidedBy: string; outcome: string; externalRedress: string | null };
  misuse: { policy: string };
  links: { rules: string; transparency: string; statementsExport: string };
}

export class ModerationApi {
  readonly base: string;

  /** `server` empty: the origin this script was loaded from. */
  constructor(server: string, site: string) {
    this.base = `${(server || new URL(import.meta.url).origin).replace(/\/+$/, '')}/api/sites/${encodeURIComponent(site)}`;
  }

  rules = () => this.#json<{ site: string; updatedAt: string; version: number; rules: RuleView[] }>('GET', '/rules');
  /** In the widget's language (`lang`), which the server falls back from to English. */
  howItWorks = (lang = 'en') => this.#json<HowItWorks>('GET', `/moderation/how-it-works?lang=${encodeURIComponent(lang)}`);
  transparency = () => this.#json<TransparencyView>('GET', '/transparency');
  post = (id: string, token: string | null) => this.#json<{ post: Post }>('GET', `/posts/${encodeURIComponent(id)}`, { token });
  notice = (id: string) => this.#json<{ notice: NoticeView }>('GET', `/notices/${encodeURIComponent(id)}`);

  report = (token: string, body: { postId: string; ground: 'rule' | 'illegal'; ruleId?: string; explanation?: string; note?: string; goodFaith: true }) =>
    this.#json<{ report: ReportView; acknowledgement: { receivedAt: string; message: string; noticeUrl: string | null }; created: boolean }>('POST', '/reports', { token, body });
  myReports = (token: string) => this.#json<{ reports: ReportView[] }>('GET', '/me/reports', { token });
  myNotices = (token: string) => this.#json<{ notices: NoticeView[] }>('GET', '/me/notices', { token });
  myAppeals = (token: string) => this.#json<{ appeals: AppealView[] }>('GET', '/me/appeals', { token });
  appeal = (token: string, body: { actionId?: string; reportId?: string; info: string }) =>
    this.#json<{ appeal: AppealView; noticeId: string }>('POST', '/appeals', { token, body });

  queue = (token: string, filters: QueueFilters = {}) => {
    const params = new URLSearchParams();
    for (const [k, v] of Object.entries(filters)) if (v && !(k === 'filter' && v === 'all')) params.set(k, v);
    const query = params.size ? `?${params}` : '';
    return this.#json<{ items: QueueItem[]; openReports: number; held?: number; appeals?: number }>('GET', `/moderation/queue${query}`, { token });
  };
  /** One decision for several targets: each gets its own action, statement and log entry. */
  bulk = (token: string, body: BulkActionInput) => this.#json<BulkActionAnswer>('POST', '/moderation/bulk', { token, body });
  /** Private moderator notes on an account (moderators only; the log holds a commitment, not the text). */
  notes = (token: string, userId: string) => this.#json<{ notes: ModeratorNote[] }>('GET', `/moderation/accounts/${encodeURIComponent(userId)}/notes`, { token });
  addNote = (token: string, userId: string, text: string) =>
    this.#json<{ note: ModeratorNote }>('POST', `/moderation/accounts/${encodeURIComponent(userId)}/notes`, { token, body: { text } });
  act = (token: string, body: ActionInput) => this.#json<{ action: ActionView }>('POST', '/moderation/actions', { token, body });
  reverse = (token: string, id: string, body: { reason: string; facts?: string }) =>
    this.#json<{ action: ActionView }>('POST', `/moderation/actions/${encodeURIComponent(id)}/reverse`, { token, body });
  appeals = (token: string) => this.#json<{ appeals: ModAppeal[] }>('GET', '/moderation/appeals', { token });
  decide = (token: string, id: string, body: { outcome: 'upheld' | 'reversed'; reason: string; unfounded?: boolean }) =>
    this.#json<{ appeal: AppealView; reversal: ActionView | null }>('POST', `/moderation/appeals/${encodeURIComponent(id)}/decision`, { token, body });

  /** A moderator marks a question put to a company out of scope (public, logged; issue 14). */
  outOfScope = (token: string, postId: string, reason: string) =>
    this.#json<{ post: Post }>('POST', `/moderation/questions/${encodeURIComponent(postId)}/out-of-scope`, { token, body: { reason } });

  #json<T>(method: string, path: string, opts: { token?: string | null; body?: unknown } = {}): Promise<Outcome<T>> {
    return requestJson(method, this.base + path, opts);
  }
}
