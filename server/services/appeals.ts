/**
 * Appeals (internal complaints, DSA Art. 20): filed by the person a decision affects (or whose
 * report was dismissed) within six months, free, with added information; decided by a
 * different moderator with reasons; the decision is notified, logged next to the original,
 * and a reversal takes effect at once.
 */
import { ParleyError } from '../../moderation/errors.js';
import { ACTION_KINDS, type ActionIntent } from '../../moderation/actions.js';
import { appealDeadline, checkAppeal, checkAppealDecider } from '../../moderation/appeals.js';
import { CreateAppealSchema, DecideAppealSchema } from '../../moderation/moderation-schemas.js';
import { can } from '../../moderation/permissions.js';
import { parseWith } from '../../moderation/schemas.js';
import type { AppealRecord } from '../store/moderation-store.js';
import { requirePermission, type Actor } from './actor.js';
import type { AppContext } from './context.js';
import type { Principal } from './identity.js';
import { afterAction, applyMisusePolicy, logAction, moderatorView, planAction } from './moderation.js';
import { presentPosts } from './presenter.js';
import { accountRestrictions } from './restrictions.js';
import { valid } from './validate.js';
import { sendNotice } from './moderation-notices.js';
import { moderationSettings, moderatorPublicLabel, recordLogRef } from './moderation-settings.js';

export async function appellantView(ctx: AppContext, appeal: AppealRecord) {
  return {
    id: appeal.id, actionId: appeal.actionId, reportId: appeal.reportId, info: appeal.info, createdAt: appeal.createdAt,
    status: appeal.status, decidedAt: appeal.decidedAt, reason: appeal.decisionReason, reversalActionId: appeal.reversalActionId,
    decidedBy: appeal.decidedBy ? await moderatorPublicLabel(ctx, appeal.site, appeal.decidedBy) : null,
  };
}

export async function fileAppeal(ctx: AppContext, principal: Principal, input: unknown) {
  if (!principal.user) throw new ParleyError('unauthenticated', 'Sign in to appeal.');
  if (!can(principal.roles, 'appeal')) throw new ParleyError('forbidden', 'You may not appeal on this site.');
  const body = valid(parseWith(CreateAppealSchema, input));
  const site = principal.site.id;
  const userId = principal.user.id;
  // Check and file in one transaction: an appeal sent twice at once is filed once.
  const { appeal, touchPosts } = await ctx.store.transaction(async () => {
    let informedAt: string;
    let appealable: boolean;
    let isAffected: boolean;
    let alreadyAppealed: boolean;
    let appealsTheRestriction = false;
    let touchPosts: string[] = [];
    if (body.actionId) {
      const action = await ctx.store.getAction(site, body.actionId);
      if (!action) throw new ParleyError('not_found', 'No such moderation action on this site.');
      if (action.reversedBy) throw new ParleyError('validation_failed', 'This decision was already reversed.');
      informedAt = action.createdAt;
      appealable = ACTION_KINDS[action.type].appealable && action.type !== 'dismiss-report';
      isAffected = action.subjectUserId === userId;
      alreadyAppealed = (await ctx.store.listAppeals(site, { actionIds: [action.id], appellantId: userId })).length > 0;
      appealsTheRestriction = action.type === 'misuse-restriction';
      if (action.type === 'remove' && action.postId) touchPosts = [action.postId];
    } else {
      const report = await ctx.store.getReport(site, body.reportId!);
      if (!report) throw new ParleyError('not_found', 'No such report on this site.');
      informedAt = report.decidedAt ?? report.createdAt;
      appealable = report.status === 'dismissed';
      isAffected = report.reporterId === userId;
      alreadyAppealed = (await ctx.store.listAppeals(site, { reportId: report.id, appellantId: userId })).length > 0;
    }
    const refusal = checkAppeal({
      now: ctx.now().toISOString(), informedAt, appealable, isAffected, alreadyAppealed, appealsTheRestriction,
      restricted: (await accountRestrictions(ctx, site, userId, ['misuse-restriction'])).length > 0,
    });
    if (refusal) {
      const code = refusal.code === 'not-affected' || refusal.code === 'restricted' ? 'forbidden' : 'validation_failed';
      throw new ParleyError(code, refusal.message);
    }
    const appeal: AppealRecord = {
      id: ctx.newId(), site, actionId: body.actionId ?? null, reportId: body.reportId ?? null, appellantId: userId, info: body.info,
      createdAt: ctx.now().toISOString(), status: 'open', decidedBy: null, decidedAt: null, decisionReason: null,
      reversalActionId: null, unfounded: false,
    };
    await ctx.store.createAppeal(appeal, touchPosts);
    return { appeal, touchPosts };
  });
  // A tombstone shows its appeal status: re-broadcast the post.
  for (const postId of touchPosts) await broadcast(ctx, site, postId);
  const notice = await sendNotice(ctx, site, userId, {
    kind: 'appeal-received', appealId: appeal.id, actionId: appeal.actionId ?? undefined, reportId: appeal.reportId ?? undefined,
    subject: { key: 'appealReceivedSubject' }, message: { key: 'appealReceivedMessage' },
    body: { appealId: appeal.id },
  });
  return { appeal: await appellantView(ctx, appeal), noticeId: notice.id };
}

async function broadcast(ctx: AppContext, site: string, postId: string): Promise<void> {
  const record = await ctx.store.getPost(site, postId);
  if (!record) return;
  const [post] = await presentPosts(ctx, site, [record]);
  if (post) ctx.broadcast.postUpdated(post);
}

export async function myAppeals(ctx: AppContext, principal: Principal) {
  if (!principal.user) throw new ParleyError('unauthenticated', 'Sign in to see your appeals.');
  const appeals = (await ctx.store.listAppeals(principal.site.id, { appellantId: principal.user.id })).reverse();
  return { appeals: await Promise.all(appeals.map((a) => appellantView(ctx, a))) };
}

/** Open appeals with the decision appealed and who took it (moderators and admins). */
export async function openAppeals(ctx: AppContext, actor: Actor) {
  requirePermission(actor, 'decide-appeal');
  const site = actor.site.id;
  return {
    appeals: await Promise.all((await ctx.store.listAppeals(site, { status: 'open' })).map(async (appeal) => {
      const action = appeal.actionId ? await ctx.store.getAction(site, appeal.actionId) : null;
      const report = appeal.reportId ? await ctx.store.getReport(site, appeal.reportId) : null;
      const appellant = await ctx.store.getUser(site, appeal.appellantId);
      const decidedBy = action?.moderatorId ?? report?.decidedBy ?? null;
      return {
        ...(await appellantView(ctx, appeal)),
        appellant: { id: appeal.appellantId, name: appellant?.displayName ?? '' },
        action: action ? await moderatorView(ctx, site, action) : null,
        report,
        originalDecider: decidedBy ? { id: decidedBy, name: (await ctx.store.getUser(site, decidedBy))?.displayName ?? decidedBy } : null,
        youMayDecide: decidedBy !== actor.id && appeal.appellantId !== actor.id,
      };
    })),
  };
}

export async function decideAppeal(ctx: AppContext, actor: Actor, appealId: string, input: unknown) {
  requirePermission(actor, 'decide-appeal');
  const body = valid(parseWith(DecideAppealSchema, input));
  const site = actor.site.id;
  // The checks, the decision (with its reversal) and its log entry in one transaction: what was checked is what is decided.
  const { appeal, plan, decided, touchPosts } = await ctx.store.transaction(async () => {
    const appeal = await ctx.store.getAppeal(site, appealId);
    if (!appeal) throw new ParleyError('not_found', 'No such appeal on this site.');
    if (appeal.status !== 'open') throw new ParleyError('validation_failed', 'This appeal was already decided.');
    const action = appeal.actionId ? await ctx.store.getAction(site, appeal.actionId) : null;
    const report = appeal.reportId ? await ctx.store.getReport(site, appeal.reportId) : null;
    const actedBy = [action?.moderatorId, report?.decidedBy, report?.decisionActionId ? (await ctx.store.getAction(site, report.decisionActionId))?.moderatorId : undefined]
      .filter((id): id is string => !!id);
    const refusal = checkAppealDecider({ deciderId: actor.id, actedBy, appellantId: appeal.appellantId });
    if (refusal) throw new ParleyError('forbidden', refusal.message);
    if (body.unfounded && body.outcome !== 'upheld') throw new ParleyError('validation_failed', 'unfounded: only an upheld decision can find an appeal unfounded.');

    let plan: Awaited<ReturnType<typeof planAction>> | null = null;
    if (body.outcome === 'reversed') {
      if (action?.reversedBy) throw new ParleyError('validation_failed', 'The decision was already reversed; decide the appeal as upheld with that explained, or it will be closed.');
      const target = action ? action.target : { kind: 'report' as const, id: report!.id };
      const type = action ? ACTION_KINDS[action.type].reversedBy! : 'reopen-report';
      const intent: ActionIntent = {
        type, reverses: action?.id, reason: `Reversed on appeal: ${body.reason}`.slice(0, 280), facts: `The appeal succeeded: the decision was reversed. ${body.reason}`.slice(0, 5000),
        ...(target.kind === 'post' ? { postId: target.id } : target.kind === 'topic' ? { topic: target.id } : target.kind === 'account' ? { userId: target.id } : { reportId: target.id }),
      };
      plan = await planAction(ctx, site, actor.id, intent, { appealId: appeal.id });
    }
    const at = ctx.now().toISOString();
    const touchPosts = action?.type === 'remove' && action.postId ? [action.postId] : [];
    const decided = await ctx.store.decideAppeal(site, appeal.id, { status: body.outcome, decidedBy: actor.id, decidedAt: at, reason: body.reason, unfounded: body.unfounded === true },
      plan ? { action: plan.action, effects: plan.effects } : null, touchPosts);
    if (!decided) throw new ParleyError('validation_failed', 'This appeal was already decided.');

    // The decision goes into the public log next to the original.
    const originalRef = action ? (await ctx.store.getLogRefs(site, 'action', [action.id])).get(action.id)
      : report?.decisionActionId ? (await ctx.store.getLogRefs(site, 'action', [report.decisionActionId])).get(report.decisionActionId) : undefined;
    const ref = await ctx.audit.append({
      site, kind: 'appeal.decided', at,
      actor: { type: 'moderator', label: await moderatorPublicLabel(ctx, site, actor.id), userId: actor.id },
      subject: { ...(action?.postId ? { postId: action.postId } : {}), ...(originalRef !== undefined ? { entryIndex: originalRef } : {}) },
      data: { appealId: appeal.id, actionId: appeal.actionId, reportId: appeal.reportId, outcome: body.outcome, reason: body.reason, reversalActionId: decided.reversal?.id ?? null },
      sensitive: { appellantInfo: appeal.info },
      ...(originalRef !== undefined ? { refersTo: originalRef } : {}),
    });
    await recordLogRef(ctx, site, 'appeal', appeal.id, ref.index);
    if (plan && decided.reversal) await logAction(ctx, site, decided.reversal, plan);
    return { appeal, plan, decided, touchPosts };
  });
  if (plan && decided.reversal) await afterAction(ctx, site, decided.reversal, plan, plan.effects);
  else for (const postId of touchPosts) await broadcast(ctx, site, postId);

  await sendNotice(ctx, site, appeal.appellantId, {
    kind: 'appeal-decision', appealId: appeal.id, actionId: appeal.actionId ?? undefined, reportId: appeal.reportId ?? undefined,
    subject: { key: body.outcome === 'reversed' ? 'appealReversedSubject' : 'appealStandsSubject' },
    body: {
      outcome: body.outcome, reason: body.reason, decidedBy: await moderatorPublicLabel(ctx, site, actor.id),
      reversalActionId: decided.reversal?.id ?? null, externalRedress: (await moderationSettings(ctx, site)).externalRedress,
    },
  });
  if (body.unfounded) await applyMisusePolicy(ctx, site, appeal.appellantId, 'unfounded-appeal', appeal.id);
  return { appeal: await appellantView(ctx, decided.appeal), reversal: decided.reversal ? await moderatorView(ctx, site, decided.reversal) : null };
}

export { appealDeadline };
