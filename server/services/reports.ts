/**
 * Reports (notice and action, DSA Art. 16): a signed-in person reports a post against a rule
 * or as illegal content, with a good-faith statement; they get an acknowledgement at once
 * and the outcome later. Rate-limited per person and per site; the reporter's identity is
 * shown to moderators only; reports by company staff are marked. Automated flags enter the
 * same queue with source "automated".
 */
import { RateLimiterRes } from 'rate-limiter-flexible';
import { ParleyError } from '../../moderation/errors.js';
import { REPORT_LIMITS } from '../../moderation/limits.js';
import { appealDeadline } from '../../moderation/appeals.js';
import { CreateReportSchema } from '../../moderation/moderation-schemas.js';
import { can } from '../../moderation/permissions.js';
import { parseWith } from '../../moderation/schemas.js';
import type { ReportRecord } from '../store/moderation-store.js';
import type { AppContext } from './context.js';
import type { Principal } from './identity.js';
import { queueChanged } from './queue-events.js';
import { accountRestrictions } from './restrictions.js';
import { valid } from './validate.js';
import { memberLanguage, noticeText, noticeUrl, sendNotice } from './moderation-notices.js';
import { currentRuleById } from './rules.js';
import { requireWelcomed } from './welcome-state.js';

async function consumeReport(ctx: AppContext, site: string, userId: string): Promise<void> {
  // Counted where the other rate limits count: in the database when several nodes share it.
  const l = {
    account: ctx.limits.counter('report-account', REPORT_LIMITS.perHour, 3600),
    site: ctx.limits.counter('report-site', REPORT_LIMITS.perSitePerMinute, 60),
  };
  try {
    await l.account.consume(`${site}:${userId}`);
    await l.site.consume(site);
  } catch (error) {
    if (!(error instanceof RateLimiterRes)) throw error;
    const seconds = Math.max(1, Math.ceil(error.msBeforeNext / 1000));
    throw new ParleyError('rate_limited', `You are sending reports too quickly. Try again in ${seconds} seconds.`, { retryAfterSeconds: seconds });
  }
}

/** A report as its reporter sees it ("my reports"). */
export async function reporterView(ctx: AppContext, report: ReportRecord) {
  const [action, appeals] = await Promise.all([
    report.decisionActionId ? ctx.store.getAction(report.site, report.decisionActionId) : null,
    ctx.store.listAppeals(report.site, { reportId: report.id }),
  ]);
  const appeal = appeals.at(-1) ?? null;
  return {
    id: report.id, postId: report.postId, topic: report.topic, ground: report.ground, ruleId: report.ruleId,
    ruleVersion: report.ruleVersion, explanation: report.explanation, note: report.note, createdAt: report.createdAt,
    status: report.status, decidedAt: report.decidedAt,
    outcome: action ? { actionId: action.id, type: action.type, reason: action.reason } : null,
    appealableUntil: report.status === 'dismissed' && report.decidedAt ? appealDeadline(report.decidedAt) : null,
    appeal: appeal ? { id: appeal.id, status: appeal.status, decidedAt: appeal.decidedAt, reason: appeal.decisionReason } : null,
  };
}

export async function createReport(ctx: AppContext, principal: Principal, input: unknown) {
  if (!principal.user) throw new ParleyError('unauthenticated', 'Sign in to report a message.');
  await requireWelcomed(ctx, principal);
  if (!can(principal.roles, 'report')) throw new ParleyError('forbidden', 'You may not report messages on this site.');
  const intent = valid(parseWith(CreateReportSchema, input));
  const site = principal.site.id;
  const user = principal.user;
  if ((await accountRestrictions(ctx, site, user.id, ['misuse-restriction'])).length > 0) {
    throw new ParleyError('forbidden', 'Your reports are paused for a while after a series of unfounded ones. Your notices explain why and how to appeal.');
  }
  const post = await ctx.store.getPost(site, intent.postId);
  if (!post) throw new ParleyError('not_found', 'No such message on this site.');
  if (post.status !== 'visible') throw new ParleyError('validation_failed', 'This message was already removed.');
  if (post.authorId === user.id) throw new ParleyError('validation_failed', 'You cannot report your own message; you can ask a moderator for help instead.');
  const rule = intent.ground === 'rule' ? await currentRuleById(ctx, site, intent.ruleId!) : null;
  if (intent.ground === 'rule' && (!rule || rule.kind !== 'prohibition')) {
    throw new ParleyError('validation_failed', `ruleId: ${intent.ruleId} is not a rule messages can break on this site.`);
  }
  const openReport = async () => (await ctx.store.listReports(site, { reporterId: user.id, postId: post.id, status: 'open' }))[0];
  const existing = await openReport();
  if (existing) return { report: await reporterView(ctx, existing), acknowledgement: await acknowledgement(ctx, site, existing, null, user.id), created: false };
  await consumeReport(ctx, site, user.id);

  const report: ReportRecord = {
    id: ctx.newId(), site, postId: post.id, topic: post.topic, reporterId: user.id,
    source: principal.roles.includes('staff') ? 'company' : 'member', detector: null,
    ground: intent.ground, ruleId: rule?.id ?? null, ruleVersion: rule?.version ?? null,
    explanation: intent.explanation, note: intent.note, createdAt: ctx.now().toISOString(), status: 'open',
    decidedAt: null, decidedBy: null, decisionActionId: null, unfounded: false,
  };
  // Looked for again and created in one transaction: the same report sent twice at once is stored once.
  const meanwhile = await ctx.store.transaction(async () => {
    const again = await openReport();
    if (!again) await ctx.store.createReport(report);
    return again;
  });
  if (meanwhile) return { report: await reporterView(ctx, meanwhile), acknowledgement: await acknowledgement(ctx, site, meanwhile, null, user.id), created: false };
  const notice = await sendNotice(ctx, site, user.id, {
    kind: 'report-received', reportId: report.id, subject: { key: 'reportReceivedSubject' }, message: { key: 'reportReceivedMessage' },
    body: { postId: post.id, ruleId: report.ruleId, ground: report.ground },
  });
  queueChanged(ctx, site, 'reported', post.id);
  return { report: await reporterView(ctx, report), acknowledgement: await acknowledgement(ctx, site, report, notice.id, user.id), created: true };
}

async function acknowledgement(ctx: AppContext, site: string, report: ReportRecord, noticeId: string | null, userId: string) {
  return {
    receivedAt: report.createdAt,
    message: noticeText(await memberLanguage(ctx, site, userId), { key: 'reportAcknowledgement' }),
    noticeUrl: noticeId ? noticeUrl(ctx, site, noticeId) : null,
  };
}

export async function myReports(ctx: AppContext, principal: Principal) {
  if (!principal.user) throw new ParleyError('unauthenticated', 'Sign in to see your reports.');
  const reports = await ctx.store.listReports(principal.site.id, { reporterId: principal.user.id, limit: 200 });
  return { reports: await Promise.all(reports.map((r) => reporterView(ctx, r))) };
}

/** An automated detector flags a post for a person to review. It never hides anything by itself. */
export async function flagPost(ctx: AppContext, site: string, postId: string, flag: { detector: string; ruleId: string | null; explanation: string }): Promise<ReportRecord> {
  const post = await ctx.store.getPost(site, postId);
  if (!post) throw new ParleyError('not_found', 'No such message on this site.');
  const rule = flag.ruleId ? await currentRuleById(ctx, site, flag.ruleId) : null;
  const report: ReportRecord = {
    id: ctx.newId(), site, postId, topic: post.topic, reporterId: null, source: 'automated', detector: flag.detector,
    ground: 'rule', ruleId: rule?.id ?? null, ruleVersion: rule?.version ?? null, explanation: flag.explanation, note: '',
    createdAt: ctx.now().toISOString(), status: 'open', decidedAt: null, decidedBy: null, decisionActionId: null, unfounded: false,
  };
  await ctx.store.createReport(report);
  return report;
}
