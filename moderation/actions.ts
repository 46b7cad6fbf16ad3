/**
 * Moderation actions (pure): what each kind does, what it may target, which action reverses
 * which, the checks an intent must pass, and the statement of reasons it carries.
 *
 * Nothing is edited in place: a reversal is a new action pointing to the one it reverses.
 * Moderators never edit anyone's words; there is no such action. Removals, suspensions and
 * bans are always decided by a person (`automated_decision` is AUTOMATED_DECISION_NOT_AUTOMATED).
 * The one decision the machine takes on its own, a word list's public label (issue 16), says so:
 * AUTOMATED_DECISION_FULLY.
 */
import type { Rule } from './rules.js';
import {
  sourceTypeOf, ymd, type AccountDecision, type ParleySource, type ProvisionDecision, type Redress, type StatementOfReasons,
  type TdbCategory, type VisibilityDecision,
} from './reasons.js';

export type ActionType =
  | 'remove' | 'restore'
  | 'label' | 'unlabel'
  | 'lock' | 'unlock'
  | 'restrict-replies' | 'lift-reply-restriction'
  | 'suspend' | 'lift-suspension'
  | 'ban' | 'unban'
  | 'dismiss-report' | 'reopen-report'
  | 'misuse-warning'
  | 'misuse-restriction' | 'lift-misuse-restriction'
  | 'release'
  | 'pin' | 'unpin';

export type TargetKind = 'post' | 'topic' | 'account' | 'report';

export interface ActionKind {
  target: TargetKind;
  /** A restriction: needs a ground (rule or law), carries a statement of reasons, can be appealed and exported. */
  restrictive: boolean;
  /** The action type that reverses this one. */
  reversedBy?: ActionType;
  /** The action type this one reverses. */
  reverses?: ActionType;
  /** Open to appeal by the person affected (or, for a dismissed report, by the reporter). */
  appealable: boolean;
  visibility?: VisibilityDecision;
  account?: AccountDecision;
  provision?: ProvisionDecision;
  /** Needs `days`. */
  timed?: boolean;
  /** Always decided by a person, never by automation. */
  humanOnly: boolean;
  /** Plain words for the statement: what the decision does. */
  does: string;
}

export const ACTION_KINDS: Readonly<Record<ActionType, ActionKind>> = {
  remove: { target: 'post', restrictive: true, reversedBy: 'restore', appealable: true, visibility: 'DECISION_VISIBILITY_CONTENT_REMOVED', humanOnly: true, does: 'The post was removed from the discussion; a notice stays in its place.' },
  restore: { target: 'post', restrictive: false, reverses: 'remove', appealable: false, humanOnly: true, does: 'The post was restored.' },
  label: { target: 'post', restrictive: true, reversedBy: 'unlabel', appealable: true, visibility: 'DECISION_VISIBILITY_CONTENT_LABELLED', humanOnly: false, does: 'A public note was added to the post; its words stay visible.' },
  unlabel: { target: 'post', restrictive: false, reverses: 'label', appealable: false, humanOnly: false, does: 'The note on the post was withdrawn.' },
  lock: { target: 'topic', restrictive: true, reversedBy: 'unlock', appealable: true, visibility: 'DECISION_VISIBILITY_CONTENT_INTERACTION_RESTRICTED', humanOnly: true, does: 'The topic was locked: nobody can post in it until it is unlocked.' },
  unlock: { target: 'topic', restrictive: false, reverses: 'lock', appealable: false, humanOnly: true, does: 'The topic was unlocked.' },
  'restrict-replies': { target: 'post', restrictive: true, reversedBy: 'lift-reply-restriction', appealable: true, visibility: 'DECISION_VISIBILITY_CONTENT_INTERACTION_RESTRICTED', humanOnly: true, does: 'Replies to this post were closed; the post stays visible.' },
  'lift-reply-restriction': { target: 'post', restrictive: false, reverses: 'restrict-replies', appealable: false, humanOnly: true, does: 'Replies to this post are open again.' },
  suspend: { target: 'account', restrictive: true, reversedBy: 'lift-suspension', appealable: true, account: 'DECISION_ACCOUNT_SUSPENDED', timed: true, humanOnly: true, does: 'The account was suspended from posting for a limited time; it can still read, see its notices and appeal.' },
  'lift-suspension': { target: 'account', restrictive: false, reverses: 'suspend', appealable: false, humanOnly: true, does: 'The suspension was lifted.' },
  ban: { target: 'account', restrictive: true, reversedBy: 'unban', appealable: true, account: 'DECISION_ACCOUNT_TERMINATED', humanOnly: true, does: 'The account was banned from posting on this site; it can still read, see its notices and appeal.' },
  unban: { target: 'account', restrictive: false, reverses: 'ban', appealable: false, humanOnly: true, does: 'The ban was lifted.' },
  'dismiss-report': { target: 'report', restrictive: false, reversedBy: 'reopen-report', appealable: true, humanOnly: false, does: 'The report was dismissed: no action was taken on the post.' },
  'reopen-report': { target: 'report', restrictive: false, reverses: 'dismiss-report', appealable: false, humanOnly: true, does: 'The report was reopened for a new decision.' },
  'misuse-warning': { target: 'account', restrictive: false, appealable: false, humanOnly: false, does: 'A warning about unfounded reports or appeals was sent.' },
  'misuse-restriction': { target: 'account', restrictive: true, reversedBy: 'lift-misuse-restriction', appealable: true, provision: 'DECISION_PROVISION_PARTIAL_SUSPENSION', timed: true, humanOnly: false, does: 'Reporting and appealing were paused for a limited time after a series of manifestly unfounded reports or appeals.' },
  'lift-misuse-restriction': { target: 'account', restrictive: false, reverses: 'misuse-restriction', appealable: false, humanOnly: true, does: 'The pause on reporting and appealing was lifted.' },
  // Issue 16: a post held for review reaches readers only by a person's release (or is removed).
  release: { target: 'post', restrictive: false, appealable: false, humanOnly: true, does: 'The post was held for review and released: readers see it now.' },
  pin: { target: 'post', restrictive: false, reversedBy: 'unpin', appealable: false, humanOnly: true, does: 'The post was pinned at the top of its topic.' },
  unpin: { target: 'post', restrictive: false, reverses: 'pin', appealable: false, humanOnly: true, does: 'The post was unpinned.' },
};

export const ACTION_TYPES = Object.keys(ACTION_KINDS) as ActionType[];
/** What a moderator may do by hand (misuse warnings and restrictions are applied by the misuse policy). */
export const MODERATOR_ACTION_TYPES = ACTION_TYPES.filter((t) => t !== 'misuse-warning' && t !== 'misuse-restriction');
/** What one bulk request may apply to several targets (pins are one per topic, so never in bulk). */
export const BULK_ACTION_TYPES = MODERATOR_ACTION_TYPES.filter((t) => t !== 'pin' && t !== 'unpin');

export const isReversal = (type: ActionType): boolean => ACTION_KINDS[type].reverses !== undefined;

/** A stored moderation action (append-only). */
export interface ModerationAction {
  id: string;
  site: string;
  type: ActionType;
  target: { kind: TargetKind; id: string };
  postId: string | null;
  topic: string | null;
  /** The person whose content or account is affected (for a dismissed report: the reporter). */
  subjectUserId: string | null;
  ruleId: string | null;
  ruleVersion: number | null;
  /** Short public reason shown on the tombstone, the label or the lock. */
  reason: string;
  /** For a label: its public text. */
  labelText: string | null;
  endsAt: string | null;
  /** The action this one reverses. */
  reverses: string | null;
  /** Reports this action decided. */
  reportIds: string[];
  /** The appeal whose decision caused this action. */
  appealId: string | null;
  /** The moderator's user id, or 'system' for the misuse policy. */
  moderatorId: string;
  automatedDetection: boolean;
  createdAt: string;
  /** Present on restrictive actions. */
  statement: StatementOfReasons | null;
}

/** A moderator's intent, after schema validation. */
export interface ActionIntent {
  type: ActionType;
  postId?: string;
  topic?: string;
  userId?: string;
  reportId?: string;
  ruleId?: string;
  ground?: 'rule' | 'illegal';
  legalGround?: string;
  reason: string;
  facts: string;
  labelText?: string;
  days?: number;
  reverses?: string;
  unfounded?: boolean;
}

export type ActionRefusal =
  | 'rule-required' | 'rule-not-citable' | 'legal-ground-required' | 'days-required' | 'label-text-required'
  | 'nothing-to-reverse' | 'already-reversed' | 'wrong-reversal' | 'own-content' | 'not-reversal';

/** Checks an intent against what the server looked up; returns a refusal with a readable message, or null. */
export function checkAction(
  intent: ActionIntent,
  facts: {
    rule: Rule | null;
    actorId: string;
    subjectUserId: string | null;
    /** The action a reversal reverses, and whether it was already reversed. */
    original?: { action: Pick<ModerationAction, 'type' | 'id'>; reversed: boolean } | null;
  },
): { code: ActionRefusal; message: string } | null {
  const kind = ACTION_KINDS[intent.type];
  if (kind.restrictive) {
    const ground = intent.ground ?? 'rule';
    if (ground === 'rule') {
      if (!intent.ruleId) return { code: 'rule-required', message: 'Cite the house rule this relies on (ruleId), or ground "illegal" with the law.' };
      if (!facts.rule) return { code: 'rule-required', message: `Rule ${intent.ruleId} is not in force on this site.` };
      if (facts.rule.kind !== 'prohibition') {
        return { code: 'rule-not-citable', message: `Rule ${facts.rule.id} (${facts.rule.title}) is a commitment of the site and cannot be cited to restrict anyone.` };
      }
    } else if (!intent.legalGround) {
      return { code: 'legal-ground-required', message: 'Name the law relied on (legalGround) for a decision on illegal content.' };
    }
  }
  if (kind.timed && !intent.days) return { code: 'days-required', message: 'Say for how many days (days).' };
  if (intent.type === 'label' && !intent.labelText) return { code: 'label-text-required', message: 'A label needs its public text (labelText).' };
  if (kind.reverses) {
    if (!facts.original) return { code: 'nothing-to-reverse', message: `There is no ${kind.reverses} in force here to reverse.` };
    if (facts.original.action.type !== kind.reverses) {
      return { code: 'wrong-reversal', message: `A ${intent.type} reverses a ${kind.reverses}, not a ${facts.original.action.type}.` };
    }
    if (facts.original.reversed) return { code: 'already-reversed', message: 'That action was already reversed.' };
  }
  if (kind.restrictive && facts.subjectUserId && facts.subjectUserId === facts.actorId) {
    return { code: 'own-content', message: 'You cannot moderate your own posts or account; ask another moderator.' };
  }
  return null;
}

/** Where a decision came from, from the reports it decides. */
export function sourceOfReports(reports: ReadonlyArray<{ source: 'member' | 'company' | 'automated'; ground: 'rule' | 'illegal' }>): {
  source: ParleySource;
  automatedDetection: boolean;
} {
  const automatedDetection = reports.some((r) => r.source === 'automated');
  if (reports.length === 0) return { source: 'own_initiative', automatedDetection };
  if (reports.some((r) => r.ground === 'illegal' && r.source !== 'automated')) return { source: 'illegal_content_notice', automatedDetection };
  if (reports.some((r) => r.source === 'member')) return { source: 'member_report', automatedDetection };
  if (reports.some((r) => r.source === 'company')) return { source: 'company_affiliated_report', automatedDetection };
  return { source: 'automated_flag', automatedDetection };
}

export function addDays(iso: string, days: number): string {
  return new Date(new Date(iso).getTime() + days * 86_400_000).toISOString();
}

/** The statement of reasons of a restrictive action (DSA Art. 17(3)); null for other actions. */
export function buildStatement(input: {
  site: string;
  actionId: string;
  intent: ActionIntent;
  rule: Rule | null;
  ruleUrl: string | null;
  at: string;
  endsAt: string | null;
  contentDate: string | null;
  source: ParleySource;
  automatedDetection: boolean;
  /** Taken by the machine without a person deciding (a word list's label); people decide everything else. */
  automatedDecision?: boolean;
  redress: Redress;
  territorialScope: string[];
}): StatementOfReasons | null {
  const kind = ACTION_KINDS[input.intent.type];
  if (!kind.restrictive) return null;
  const illegal = (input.intent.ground ?? 'rule') === 'illegal';
  const rule = illegal ? null : input.rule;
  const duration = input.endsAt ? ` It lasts until ${ymd(input.endsAt)}.` : kind.account || kind.visibility ? ' It lasts until it is reversed.' : '';
  const category: TdbCategory = rule?.category ?? (illegal ? 'STATEMENT_CATEGORY_NOT_SPECIFIED_NOTICE' : 'STATEMENT_CATEGORY_OTHER_VIOLATION_TC');
  const explanation = `${input.intent.reason} ${input.intent.facts}`.slice(0, 2000);
  return {
    puid: `${input.site}-${input.actionId}`,
    decision_summary: `${kind.does}${duration}`,
    decision_visibility: kind.visibility ? [kind.visibility] : [],
    decision_account: kind.account ?? null,
    decision_provision: kind.provision ?? null,
    decision_ground: illegal ? 'DECISION_GROUND_ILLEGAL_CONTENT' : 'DECISION_GROUND_INCOMPATIBLE_CONTENT',
    decision_ground_reference_url: illegal ? null : input.ruleUrl,
    incompatible_content_ground: rule ? `${rule.id} v${rule.version}: ${rule.title}` : null,
    incompatible_content_explanation: rule ? explanation : null,
    illegal_content_legal_ground: illegal ? (input.intent.legalGround ?? '').slice(0, 500) : null,
    illegal_content_explanation: illegal ? explanation : null,
    rule: rule ? { id: rule.id, version: rule.version, title: rule.title } : null,
    decision_facts: input.intent.facts.slice(0, 5000),
    source: input.source,
    source_type: sourceTypeOf(input.source),
    automated_detection: input.automatedDetection,
    // People decide every restriction in Parley except a word list's label, which the machine
    // applies on its own (the post stays visible; a moderator can remove the label).
    automated_decision: input.automatedDecision ? 'AUTOMATED_DECISION_FULLY' : 'AUTOMATED_DECISION_NOT_AUTOMATED',
    category,
    category_specification: rule?.keywords ?? [],
    content_type: ['CONTENT_TYPE_TEXT'],
    territorial_scope: input.territorialScope,
    content_date: ymd(input.contentDate ?? input.at),
    application_date: ymd(input.at),
    end_date_visibility_restriction: kind.visibility && input.endsAt ? ymd(input.endsAt) : null,
    end_date_account_restriction: kind.account && input.endsAt ? ymd(input.endsAt) : null,
    end_date_service_restriction: kind.provision && input.endsAt ? ymd(input.endsAt) : null,
    redress: input.redress,
  };
}

/** Is a timed or standing restriction in force at `now`? */
export function inForce(action: Pick<ModerationAction, 'endsAt'>, reversed: boolean, now: string): boolean {
  return !reversed && (action.endsAt === null || action.endsAt > now);
}

/**
 * May this person post here? Checks the restrictions in force on the account, the topic and
 * the thread. Returns null when allowed.
 */
export function postingRefusal(state: {
  now: string;
  account: ReadonlyArray<Pick<ModerationAction, 'type' | 'endsAt'>>;
  topicLocked: boolean;
  repliesClosed: boolean;
}): { code: 'suspended' | 'banned' | 'topic-locked' | 'replies-closed'; message: string } | null {
  const ban = state.account.find((a) => a.type === 'ban');
  if (ban) return { code: 'banned', message: 'Your account is banned from posting on this site. Your notices explain why and how to appeal.' };
  const suspension = state.account.find((a) => a.type === 'suspend');
  if (suspension) {
    return { code: 'suspended', message: `Your account is suspended from posting until ${suspension.endsAt ?? 'further notice'}. Your notices explain why and how to appeal.` };
  }
  if (state.topicLocked) return { code: 'topic-locked', message: 'This discussion is locked by the moderators; new messages are not accepted.' };
  if (state.repliesClosed) return { code: 'replies-closed', message: 'The moderators closed replies to this message.' };
  return null;
}
