/**
 * Moderation actions end to end: a moderator's intent is validated with the shared schema,
 * checked by the domain (moderation/actions.ts), stored with its statement of reasons and
 * effects in one transaction, appended to the public audit log, notified to the people
 * affected, and broadcast so open widgets update at once. Also the moderators' queue and log,
 * and the public view of one action. What readers see of moderated posts is presenter.ts's;
 * what is in force now (and the posting check) is restrictions.ts's.
 */
import { ParleyError } from '../../moderation/errors.js';
import {
  ACTION_KINDS, addDays, buildStatement, checkAction, sourceOfReports, type ActionIntent, type ModerationAction,
} from '../../moderation/actions.js';
import { appealDeadline } from '../../moderation/appeals.js';
import { TakeActionSchema, ReverseActionSchema } from '../../moderation/moderation-schemas.js';
import { parseWith } from '../../moderation/schemas.js';
import { QueueQuerySchema } from '../../moderation/spam-schemas.js';
import { can } from '../../moderation/permissions.js';
import type { ActionEffects, ActionRecord, ReportRecord } from '../store/moderation-store.js';
import type { PostRecord } from '../store/store.js';
import { requirePermission, type Actor } from './actor.js';
import type { AppContext } from './context.js';
import { presentPosts, presentTopic, topicLockNote, topicPinNote } from './presenter.js';
import { flagIfPossibleAdverseEvent } from './safety.js';
import { queueChanged } from './queue-events.js';
import { enqueueNotification, kickNotifications } from './notify-queue.js';
import { countModerationAction } from '../ops/metrics.js';
import { valid } from './validate.js';
import { currentRuleById, ruleUrl } from './rules.js';
import { sendNotice } from './moderation-notices.js';
import { moderationSettings, moderatorPublicLabel, moderatorPublicLabels, recordLogRef, redressFor } from './moderation-settings.js';
import { recordMisuse } from './moderation-misuse.js';
import { reopenIfAnswerRemoved } from './questions.js';

// ---------------------------------------------------------------------------------------------
// Holds and pins (issue 16): ordinary actions with a few checks and effects of their own
// ---------------------------------------------------------------------------------------------

async function checkHoldsAndPins(ctx: AppContext, site: string, intent: ActionIntent, resolved: Resolved): Promise<void> {
  const post = resolved.post;
  if (intent.type === 'release' && !post?.held) throw new ParleyError('validation_failed', 'This post is not waiting for a moderator.');
  if (intent.type === 'release' && post?.status !== 'visible') throw new ParleyError('validation_failed', 'This post was removed; it cannot be released.');
  if (intent.type === 'pin') {
    if (!post || post.held || post.status !== 'visible') throw new ParleyError('validation_failed', 'Only a published, visible post can be pinned.');
    // Pinned means "first on the topic's page": a reply there would lose what it answers, and a
    // reply marked in place is one readers never see first. So only a top-level post is pinned.
    if (post.parent !== null) throw new ParleyError('validation_failed', 'Only a top-level message can be pinned, not a reply: pin the message that starts its thread.');
    // S-4: company staff get no elevated visibility, so their posts are never pinned.
    if (post.authorSnapshot.affiliation) throw new ParleyError('forbidden', 'Posts by company staff cannot be pinned (they get no elevated visibility).');
    const current = await ctx.store.getPin(site, post.topic);
    if (current) {
      throw new ParleyError('validation_failed', current.postId === post.id
        ? 'This post is already pinned.'
        : 'This topic already has a pinned post: unpin it first (one pinned post per topic).');
    }
  }
  if (intent.type === 'unpin' && post) {
    const current = await ctx.store.getPin(site, post.topic);
    if (current?.postId !== post.id) throw new ParleyError('validation_failed', 'This post is not pinned.');
  }
}

async function applyHoldAndPinEffects(ctx: AppContext, site: string, stored: ActionRecord, resolved: Resolved): Promise<void> {
  const post = resolved.post;
  if (!post) return;
  if (stored.type === 'release') {
    await ctx.store.releaseHold(site, post.id, stored.id, stored.createdAt);
    // Its notifications (issue 13) are queued now, as a new post's are in its own transaction.
    await enqueueNotification(ctx, 'post', site, post.id);
  }
  // A held post that is removed never reaches readers: its hold is closed, the post stays out of every page.
  if (stored.type === 'remove' && post.held) await ctx.store.closeHold(site, post.id, stored.id, stored.createdAt);
  if (stored.type === 'pin') await ctx.store.setPin({ site, topic: post.topic, postId: post.id, actionId: stored.id, pinnedBy: stored.moderatorId, pinnedAt: stored.createdAt });
  if (stored.type === 'unpin') await ctx.store.clearPin(site, post.topic);
}

async function announceReleased(ctx: AppContext, site: string, postId: string): Promise<void> {
  const record = await ctx.store.getPost(site, postId);
  if (!record || record.held) return;
  const [post] = await presentPosts(ctx, site, [record]);
  ctx.broadcast.postCreated(post!);
  kickNotifications(ctx);
  const [topic, lock, pinned] = await Promise.all([ctx.store.getTopic(site, record.topic), topicLockNote(ctx, site, record.topic), topicPinNote(ctx, site, record.topic)]);
  ctx.broadcast.topicUpdated(presentTopic(site, record.topic, topic, lock, pinned));
  // What waited for the release: the desk (a question to a company), safety routing.
  const question = await ctx.store.getQuestion(site, postId);
  if (question) ctx.broadcast.deskUpdated(site, { company: question.companyId, postId, reason: 'question' });
  if (!record.authorSnapshot.affiliation) {
    try {
      await flagIfPossibleAdverseEvent(ctx, record);
    } catch (err) {
      ctx.log.error({ err, site, post: postId }, 'adverse-event detection failed; the released post stands unflagged');
    }
  }
}

async function broadcastPosts(ctx: AppContext, site: string, postIds: string[]): Promise<void> {
  const records = (await Promise.all([...new Set(postIds)].map((id) => ctx.store.getPost(site, id)))).filter((p): p is PostRecord => p !== null);
  for (const post of await presentPosts(ctx, site, records)) ctx.broadcast.postUpdated(post);
}

// ---------------------------------------------------------------------------------------------
// Actions
// ---------------------------------------------------------------------------------------------

interface Resolved {
  targetId: string;
  postId: string | null;
  topic: string | null;
  subjectUserId: string | null;
  contentDate: string | null;
  post: PostRecord | null;
  report: ReportRecord | null;
}

async function resolveTarget(ctx: AppContext, site: string, intent: ActionIntent): Promise<Resolved> {
  const kind = ACTION_KINDS[intent.type].target;
  if (kind === 'post') {
    if (!intent.postId) throw new ParleyError('validation_failed', `postId: a ${intent.type} acts on a post`);
    const post = await ctx.store.getPost(site, intent.postId);
    if (!post) throw new ParleyError('not_found', 'No such message on this site.');
    return { targetId: post.id, postId: post.id, topic: post.topic, subjectUserId: post.authorId, contentDate: post.createdAt, post, report: null };
  }
  if (kind === 'topic') {
    if (!intent.topic) throw new ParleyError('validation_failed', `topic: a ${intent.type} acts on a topic`);
    const topic = await ctx.store.getTopic(site, intent.topic);
    if (!topic) throw new ParleyError('not_found', 'No such topic on this site.');
    return { targetId: topic.id, postId: null, topic: topic.id, subjectUserId: null, contentDate: topic.createdAt, post: null, report: null };
  }
  if (kind === 'account') {
    if (!intent.userId) throw new ParleyError('validation_failed', `userId: a ${intent.type} acts on an account`);
    const user = await ctx.store.getUser(site, intent.userId);
    if (!user || user.kind === 'deleted') throw new ParleyError('not_found', 'No such member on this site.');
    return { targetId: user.id, postId: null, topic: null, subjectUserId: user.id, contentDate: null, post: null, report: null };
  }
  if (!intent.reportId) throw new ParleyError('validation_failed', `reportId: a ${intent.type} acts on a report`);
  const report = await ctx.store.getReport(site, intent.reportId);
  if (!report) throw new ParleyError('not_found', 'No such report on this site.');
  if (intent.type === 'dismiss-report' && report.status !== 'open') throw new ParleyError('validation_failed', 'This report was already decided.');
  return { targetId: report.id, postId: report.postId, topic: report.topic, subjectUserId: report.reporterId, contentDate: null, post: null, report };
}

/** The action a reversal reverses: the one named, or the latest one in force on the same target. */
async function originalFor(ctx: AppContext, site: string, intent: ActionIntent, targetId: string): Promise<ActionRecord | null> {
  const reverses = ACTION_KINDS[intent.type].reverses;
  if (!reverses) return null;
  if (intent.reverses) {
    const named = await ctx.store.getAction(site, intent.reverses);
    if (!named) throw new ParleyError('not_found', 'No such moderation action on this site.');
    if (named.target.id !== targetId) throw new ParleyError('validation_failed', 'reverses: that action is about something else.');
    return named;
  }
  const candidates = await ctx.store.listActions(site, { targetKind: ACTION_KINDS[intent.type].target, targetId, types: [reverses] });
  return candidates.filter((a) => a.reversedBy === null).at(-1) ?? null;
}

function effectsOf(intent: ActionIntent, resolved: Resolved, reportIds: string[]): ActionEffects {
  const effects: ActionEffects = {};
  switch (intent.type) {
    case 'remove':
    case 'restore':
      effects.postStatus = { postId: resolved.targetId, status: intent.type === 'remove' ? 'removed' : 'visible' };
      effects.touchPosts = [resolved.targetId];
      break;
    case 'label':
    case 'unlabel':
    case 'restrict-replies':
    case 'lift-reply-restriction':
      effects.touchPosts = [resolved.targetId];
      break;
    case 'lock':
    case 'unlock':
      effects.topicLock = { topic: resolved.targetId, locked: intent.type === 'lock' };
      break;
    case 'dismiss-report':
      effects.resolveReports = { ids: [resolved.targetId], status: 'dismissed', unfounded: intent.unfounded === true };
      break;
    case 'reopen-report':
      effects.reopenReport = resolved.targetId;
      break;
    default:
      break;
  }
  if (reportIds.length && intent.type !== 'dismiss-report') effects.resolveReports = { ids: reportIds, status: 'actioned', unfounded: false };
  return effects;
}

export interface ActionOptions {
  /** The appeal whose decision causes this action (a reversal on appeal). */
  appealId?: string;
  /** The misuse policy acts as 'system'. */
  system?: boolean;
}

/**
 * Plans an action: validates, checks and builds the record with its statement of reasons and
 * effects, without storing it. Used directly and by appeal decisions (which store the
 * reversal together with the decision).
 */
export async function planAction(ctx: AppContext, site: string, moderatorId: string, intent: ActionIntent, options: ActionOptions = {}) {
  const kind = ACTION_KINDS[intent.type];
  const resolved = await resolveTarget(ctx, site, intent);
  const original = await originalFor(ctx, site, intent, resolved.targetId);
  const rule = kind.restrictive && (intent.ground ?? 'rule') === 'rule' && intent.ruleId ? await currentRuleById(ctx, site, intent.ruleId) : null;
  const refusal = checkAction(intent, {
    rule,
    actorId: moderatorId,
    subjectUserId: resolved.subjectUserId,
    original: kind.reverses ? (original ? { action: original, reversed: original.reversedBy !== null } : null) : undefined,
  });
  if (refusal) throw new ParleyError(refusal.code === 'own-content' ? 'forbidden' : 'validation_failed', refusal.message);
  await checkHoldsAndPins(ctx, site, intent, resolved);

  // Reports this decides: every open report on the post (for actions on a post), or the one named.
  let reports: ReportRecord[] = [];
  // A release (issue 16) decides the post's open flags too: they are why it was held.
  if ((kind.restrictive || intent.type === 'release') && resolved.postId && kind.target === 'post') reports = await ctx.store.listReports(site, { postId: resolved.postId, status: 'open' });
  else if (intent.reportId && kind.target !== 'report') {
    const report = await ctx.store.getReport(site, intent.reportId);
    if (report?.status === 'open') reports = [report];
  }
  if (intent.type === 'dismiss-report' && resolved.report) reports = [resolved.report];
  const { source, automatedDetection } = sourceOfReports(reports);

  const at = ctx.now().toISOString();
  const id = ctx.newId();
  const endsAt = kind.timed && intent.days ? addDays(at, intent.days) : null;
  const [redress, settings] = await Promise.all([redressFor(ctx, site, at, id), moderationSettings(ctx, site)]);
  const statement = buildStatement({
    site, actionId: id, intent, rule, ruleUrl: rule ? ruleUrl(ctx, site, rule.id) : null, at, endsAt,
    contentDate: resolved.contentDate, source, automatedDetection,
    redress, territorialScope: settings.territorialScope,
  });
  const action: ModerationAction = {
    id, site, type: intent.type, target: { kind: kind.target, id: resolved.targetId }, postId: resolved.postId, topic: resolved.topic,
    subjectUserId: resolved.subjectUserId, ruleId: rule?.id ?? null, ruleVersion: rule?.version ?? null, reason: intent.reason,
    labelText: intent.type === 'label' ? intent.labelText ?? null : null, endsAt, reverses: original?.id ?? null,
    reportIds: intent.type === 'dismiss-report' ? [] : reports.map((r) => r.id), appealId: options.appealId ?? null,
    moderatorId: options.system ? 'system' : moderatorId, automatedDetection, createdAt: at, statement,
  };
  return { action, effects: effectsOf(intent, resolved, action.reportIds), resolved, original, reports, facts: intent.facts };
}

/** After an action is stored: the audit log, notices to the people affected, the broadcast. */
/**
 * Appends a stored action to the public log and remembers its index. Call it inside the
 * transaction that stored the action: the change and its entry commit together or not at all.
 */
export async function logAction(
  ctx: AppContext,
  site: string,
  stored: ActionRecord,
  plan: { original: ActionRecord | null; resolved: Resolved; facts: string },
): Promise<void> {
  const [moderatorLabel, originalIndex, subject, moderator] = await Promise.all([
    moderatorPublicLabel(ctx, site, stored.moderatorId),
    plan.original ? ctx.store.getLogRefs(site, 'action', [plan.original.id]).then((refs) => refs.get(plan.original!.id)) : undefined,
    stored.subjectUserId ? ctx.store.getUser(site, stored.subjectUserId) : null,
    stored.moderatorId !== 'system' ? ctx.store.getUser(site, stored.moderatorId) : null,
  ]);
  const sensitive: Record<string, string> = {};
  if (stored.type === 'remove' && plan.resolved.post) sensitive.removedText = plan.resolved.post.body;
  if (subject) sensitive.subjectName = subject.displayName;
  if (moderator) sensitive.moderatorName = moderator.displayName;
  const ref = await ctx.audit.append({
    site,
    kind: stored.type === 'dismiss-report' ? 'report.dismissed' : stored.type.startsWith('misuse') ? `misuse.${stored.type.slice(7)}` : `moderation.${stored.type}`,
    at: stored.createdAt,
    actor: { type: stored.moderatorId === 'system' ? 'system' : 'moderator', label: moderatorLabel, userId: stored.moderatorId === 'system' ? null : stored.moderatorId },
    subject: {
      ...(stored.postId ? { postId: stored.postId } : {}),
      ...(stored.topic ? { topic: stored.topic } : {}),
      ...(stored.ruleId ? { ruleId: stored.ruleId } : {}),
      ...(originalIndex !== undefined ? { entryIndex: originalIndex } : {}),
    },
    data: {
      actionId: stored.id, type: stored.type, target: stored.target.kind === 'account' ? { kind: 'account' } : stored.target,
      reason: stored.reason, facts: plan.facts, rule: stored.ruleId ? { id: stored.ruleId, version: stored.ruleVersion } : null,
      endsAt: stored.endsAt, reverses: stored.reverses, appealId: stored.appealId, reports: stored.reportIds.length,
      statement: stored.statement,
    },
    sensitive,
    ...(originalIndex !== undefined ? { refersTo: originalIndex } : {}),
  });
  await recordLogRef(ctx, site, 'action', stored.id, ref.index);
}

/** What follows a committed (and logged) action: metrics, notices, broadcasts, the misuse policy. */
export async function afterAction(
  ctx: AppContext,
  site: string,
  stored: ActionRecord,
  plan: { original: ActionRecord | null; reports: ReportRecord[]; resolved: Resolved; facts: string },
  effects: ActionEffects,
): Promise<void> {
  const kind = ACTION_KINDS[stored.type];
  countModerationAction(ctx, site, stored.type);

  // The person affected is told at the latest when the action takes effect.
  if (stored.subjectUserId && stored.type !== 'dismiss-report' && stored.type !== 'reopen-report') {
    await sendNotice(ctx, site, stored.subjectUserId, {
      kind: 'action', actionId: stored.id,
      subject: kind.restrictive ? { key: 'actionSubject', values: { target: kind.target } } : { key: 'actionReversedSubject' },
      body: {
        does: stored.statement?.decision_summary ?? kind.does, reason: stored.reason, rule: stored.statement?.rule ?? null,
        postId: stored.postId, topic: stored.topic, endsAt: stored.endsAt, statement: stored.statement,
        appeal: kind.appealable ? { until: appealDeadline(stored.createdAt), how: stored.statement?.redress.appealHow } : null,
      },
    });
  }
  // Reporters learn the outcome of their reports.
  for (const report of plan.reports) {
    if (!report.reporterId) continue;
    const dismissed = stored.type === 'dismiss-report';
    await sendNotice(ctx, site, report.reporterId, {
      kind: 'report-outcome', reportId: report.id, actionId: stored.id,
      subject: { key: dismissed ? 'reportDismissedSubject' : 'reportActionedSubject' },
      body: {
        outcome: dismissed ? 'dismissed' : 'actioned', action: stored.type, reason: stored.reason, postId: report.postId,
        appeal: dismissed ? { until: appealDeadline(stored.createdAt), how: `POST /api/sites/${site}/appeals {"reportId":"${report.id}","info":"..."}` } : null,
      },
    });
  }
  if (effects.touchPosts?.length) await broadcastPosts(ctx, site, effects.touchPosts);
  // The person's open widgets stop offering to write at once (their writes are refused anyway).
  if (stored.subjectUserId && (stored.type === 'suspend' || stored.type === 'ban')) {
    ctx.broadcast.sessionEnded(site, stored.subjectUserId, stored.type === 'suspend' ? 'suspended' : 'banned');
  }
  // Open widgets disable (or re-enable) their composer at once, with the reason.
  if (effects.topicLock) {
    const topic = effects.topicLock.topic;
    const [record, lock] = await Promise.all([ctx.store.getTopic(site, topic), topicLockNote(ctx, site, topic)]);
    ctx.broadcast.topicUpdated(presentTopic(site, topic, record, lock));
  }
  if (stored.type === 'dismiss-report' && effects.resolveReports?.unfounded && plan.resolved.report?.reporterId) {
    await applyMisusePolicy(ctx, site, plan.resolved.report.reporterId, 'unfounded-report', plan.resolved.report.id);
  }
}

/** A report or appeal was found manifestly unfounded: count it, and pause the account's reporting when the policy says so. */
export async function applyMisusePolicy(ctx: AppContext, site: string, userId: string, kind: 'unfounded-report' | 'unfounded-appeal', refId: string): Promise<void> {
  const restriction = await recordMisuse(ctx, site, userId, kind, refId);
  if (restriction) await takeAction(ctx, { site: (await ctx.store.getSite(site))!, id: 'system', roles: [] }, restriction, { system: true });
}

export async function takeAction(ctx: AppContext, actor: Actor, input: unknown, options: ActionOptions = {}): Promise<{ action: ModeratorActionView }> {
  if (!options.system) requirePermission(actor, 'moderate');
  // The misuse policy builds its intent itself (its action types are not open to moderators).
  const intent = options.system ? (input as ActionIntent) : (valid(parseWith(TakeActionSchema, input)) as ActionIntent);
  const site = actor.site.id;
  // Checked against what is stored and stored in one transaction: two moderators acting on the
  // same thing at once cannot both pass the checks (a reversal reverses once, a report is decided once).
  const { plan, stored } = await ctx.store.transaction(async () => {
    const plan = await planAction(ctx, site, actor.id, intent, options);
    const stored = await ctx.store.recordAction(plan.action, plan.effects);
    await applyHoldAndPinEffects(ctx, site, stored, plan.resolved);
    await logAction(ctx, site, stored, plan);
    return { plan, stored };
  });
  // A released post reaches readers now, as a new post (issue 16).
  if (stored.type === 'release') await announceReleased(ctx, site, stored.target.id);
  if ((stored.type === 'pin' || stored.type === 'unpin') && stored.topic) {
    const [topic, lock, pinned] = await Promise.all([ctx.store.getTopic(site, stored.topic), topicLockNote(ctx, site, stored.topic), topicPinNote(ctx, site, stored.topic)]);
    ctx.broadcast.topicUpdated(presentTopic(site, stored.topic, topic, lock, pinned));
  }
  if (stored.reportIds.length || stored.type === 'dismiss-report' || stored.type === 'reopen-report') queueChanged(ctx, site, 'decided', stored.postId);
  await afterAction(ctx, site, stored, plan, plan.effects);
  // A removed answer answers nobody (issue 14): its questions are open again.
  if (stored.type === 'remove' && stored.target.kind === 'post') await reopenIfAnswerRemoved(ctx, site, stored.target.id);
  return { action: await moderatorView(ctx, site, stored) };
}

/** Reverses an action by id: a new action of the matching kind pointing to it. */
export async function reverseAction(ctx: AppContext, actor: Actor, actionId: string, input: unknown): Promise<{ action: ModeratorActionView }> {
  requirePermission(actor, 'moderate');
  const body = valid(parseWith(ReverseActionSchema, input));
  const original = await ctx.store.getAction(actor.site.id, actionId);
  if (!original) throw new ParleyError('not_found', 'No such moderation action on this site.');
  const reversal = ACTION_KINDS[original.type].reversedBy;
  if (!reversal) throw new ParleyError('validation_failed', `A ${original.type} cannot be reversed.`);
  const target = original.target;
  return takeAction(ctx, actor, {
    type: reversal, reverses: original.id, reason: body.reason, facts: body.facts ?? `Reversal of ${original.type} ${original.id}: ${body.reason}`,
    ...(target.kind === 'post' ? { postId: target.id } : target.kind === 'topic' ? { topic: target.id } : target.kind === 'account' ? { userId: target.id } : { reportId: target.id }),
  });
}

// ---------------------------------------------------------------------------------------------
// Views for moderators and the public
// ---------------------------------------------------------------------------------------------

export interface ModeratorActionView extends ActionRecord {
  /** Full identity: moderators and appeal reviewers always see who acted. */
  moderator: { id: string; name: string; publicLabel: string };
  logIndex: number | null;
}

export async function moderatorView(ctx: AppContext, site: string, action: ActionRecord): Promise<ModeratorActionView> {
  return (await moderatorViews(ctx, site, [action]))[0]!;
}

/** moderatorView of many actions: their log entries in one read, each moderator's name and label once. */
async function moderatorViews(ctx: AppContext, site: string, actions: readonly ActionRecord[]): Promise<ModeratorActionView[]> {
  if (actions.length === 0) return [];
  const moderatorIds = [...new Set(actions.map((a) => a.moderatorId))];
  const [users, labels, refs] = await Promise.all([
    Promise.all(moderatorIds.map(async (id) => (id === 'system' ? null : ctx.store.getUser(site, id)))),
    moderatorPublicLabels(ctx, site, moderatorIds),
    ctx.store.getLogRefs(site, 'action', actions.map((a) => a.id)),
  ]);
  const names = new Map(moderatorIds.map((id, i) => [id, users[i]?.displayName]));
  return actions.map((action) => ({
    ...action,
    moderator: { id: action.moderatorId, name: names.get(action.moderatorId) ?? 'Parley misuse policy', publicLabel: labels.get(action.moderatorId)! },
    logIndex: refs.get(action.id) ?? null,
  }));
}

/** An action as the public sees it: the statement of reasons, no personal data, moderator by public label. */
export async function publicAction(ctx: AppContext, site: string, id: string) {
  const action = await ctx.store.getAction(site, id);
  if (!action) throw new ParleyError('not_found', 'No such moderation action on this site.');
  const [appeals, moderator, refs] = await Promise.all([
    ctx.store.listAppeals(site, { actionIds: [action.id] }),
    moderatorPublicLabel(ctx, site, action.moderatorId),
    ctx.store.getLogRefs(site, 'action', [action.id]),
  ]);
  return {
    action: {
      id: action.id, type: action.type, target: action.target.kind === 'account' ? { kind: 'account' } : action.target,
      postId: action.postId, topic: action.topic, ruleId: action.ruleId, ruleVersion: action.ruleVersion, reason: action.reason,
      labelText: action.labelText, endsAt: action.endsAt, reverses: action.reverses, reversedBy: action.reversedBy,
      appealId: action.appealId, moderator, createdAt: action.createdAt,
      statement: action.statement, logIndex: refs.get(action.id) ?? null,
      appeal: appeals.length ? { status: appeals.at(-1)!.status, decidedAt: appeals.at(-1)!.decidedAt, reason: appeals.at(-1)!.decisionReason } : null,
    },
  };
}

/** The moderators' log: every action with who took it (moderators and admins only). */
export async function moderatorLog(ctx: AppContext, actor: Actor, query: { after?: unknown }) {
  requirePermission(actor, 'moderate');
  const after = Number(query.after ?? 0);
  const actions = await ctx.store.listActions(actor.site.id, { afterSeq: Number.isFinite(after) ? after : 0, limit: 200 });
  return { actions: await moderatorViews(ctx, actor.site.id, actions) };
}

/**
 * The queue: open reports and automated flags (held posts among them, issue 16) grouped by post,
 * oldest first, with context. Filters: held, reported (by people), appeals (posts whose decision
 * is under appeal), by rule, by topic, and a search over the posts' text and authors' names.
 */
export async function moderationQueue(ctx: AppContext, actor: Actor, query: unknown = {}) {
  requirePermission(actor, 'moderate');
  const q = valid(parseWith(QueueQuerySchema, query ?? {}));
  const site = actor.site.id;
  const [open, openAppealList] = await Promise.all([
    ctx.store.listReports(site, { status: 'open', limit: 1000 }),
    ctx.store.listAppeals(site, { status: 'open' }),
  ]);
  const byPost = new Map<string, ReportRecord[]>();
  for (const report of open) byPost.set(report.postId, [...(byPost.get(report.postId) ?? []), report]);
  // Posts whose decision is under appeal (a removal, a label …): in the queue under "appeals".
  const appealed = new Map<string, string[]>();
  const appealActions = await Promise.all(openAppealList.map(async (a) => (a.actionId ? ctx.store.getAction(site, a.actionId) : null)));
  openAppealList.forEach((appeal, i) => {
    const postId = appealActions[i]?.postId;
    if (postId) appealed.set(postId, [...(appealed.get(postId) ?? []), appeal.id]);
  });
  const candidates = [...new Set([...byPost.keys(), ...(q.filter === 'appeals' || q.filter === 'all' ? appealed.keys() : [])])];
  const holds = await ctx.store.holdsFor(site, candidates);
  const records = new Map((await Promise.all(candidates.map((id) => ctx.store.getPost(site, id)))).filter((p): p is PostRecord => p !== null).map((p) => [p.id, p]));
  const needle = q.q?.toLowerCase() ?? '';
  const selected = candidates.filter((postId) => {
    const record = records.get(postId);
    if (!record) return false;
    const reports = byPost.get(postId) ?? [];
    const hold = holds.get(postId);
    const held = hold?.status === 'held';
    if (q.filter === 'held' && !held) return false;
    if (q.filter === 'reported' && !reports.some((r) => r.source !== 'automated')) return false;
    if (q.filter === 'appeals' && !appealed.has(postId)) return false;
    if (q.ruleId && !reports.some((r) => r.ruleId === q.ruleId) && !(hold?.reasons ?? []).some((r) => r.ruleId === q.ruleId)) return false;
    if (q.topic && record.topic !== q.topic) return false;
    if (needle && !record.body.toLowerCase().includes(needle) && !record.authorName.toLowerCase().includes(needle)) return false;
    return true;
  });
  const showReporters = can(actor.roles, 'view-reporters');
  const items = await Promise.all(selected.slice(0, q.limit).map(async (postId) => {
    const reports = byPost.get(postId) ?? [];
    const record = records.get(postId)!;
    const hold = holds.get(postId);
    const [[post], recent, actions, thread, reporters] = await Promise.all([
      presentPosts(ctx, site, [record]),
      ctx.store.recentPostsBy(site, record.authorId, 11),
      ctx.store.listActions(site, { subjectUserId: record.authorId }),
      ctx.store.ancestorsOf(site, postId).then((ancestors) => presentPosts(ctx, site, ancestors)),
      Promise.all(reports.map(async (r) => (r.reporterId && showReporters ? ctx.store.getUser(site, r.reporterId) : null))),
    ]);
    const history = recent.filter((p) => p.id !== postId).slice(0, 10);
    const pastActions = actions.filter((a) => ACTION_KINDS[a.type].restrictive);
    return {
      post: { ...post!, body: record.body, html: record.html },
      thread,
      author: {
        id: record.authorId, name: record.authorName, kind: record.authorKind,
        recentPosts: history.map((p) => ({ id: p.id, topic: p.topic, createdAt: p.createdAt, status: p.status, excerpt: p.body.slice(0, 280) })),
        pastActions: pastActions.map((a) => ({ id: a.id, type: a.type, ruleId: a.ruleId, createdAt: a.createdAt, reversed: a.reversedBy !== null })),
      },
      reports: reports.map((r, i) => {
        const reporter = reporters[i];
        return {
          id: r.id, source: r.source, companyAffiliated: r.source === 'company', ground: r.ground, ruleId: r.ruleId, ruleVersion: r.ruleVersion,
          explanation: r.explanation, note: r.note, detector: r.detector, createdAt: r.createdAt,
          reporter: reporter ? { id: reporter.id, name: reporter.displayName } : null,
        };
      }),
      oldestReportAt: reports[0]?.createdAt ?? record.createdAt,
      held: hold?.status === 'held',
      holds: hold?.status === 'held' ? hold.reasons : [],
      appeals: appealed.get(postId) ?? [],
    };
  }));
  const heldCount = [...holds.values()].filter((h) => h.status === 'held').length;
  return { items, openReports: open.length, held: heldCount, appeals: openAppealList.length, total: selected.length };
}
