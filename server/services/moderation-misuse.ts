/**
 * The misuse policy (DSA Art. 23): manifestly unfounded reports and appeals are counted; after
 * a warning, a further stream leads to a time-limited pause on reporting and appealing. Both
 * steps are logged with their own reason and notified like any other decision.
 */
import { DEFAULT_MISUSE_POLICY, misuseStep } from '../../moderation/appeals.js';
import { MISUSE_RULE_ID } from '../../moderation/rules.js';
import type { AppContext } from './context.js';
import { accountRestrictions, takeAction } from './moderation.js';
import { sendNotice } from './moderation-notices.js';
import { recordLogRef } from './moderation-settings.js';

export const MISUSE_POLICY = DEFAULT_MISUSE_POLICY;

export function recordMisuse(ctx: AppContext, site: string, userId: string, kind: 'unfounded-report' | 'unfounded-appeal', refId: string): void {
  const now = ctx.now();
  const at = now.toISOString();
  ctx.store.addMisuseStrike(site, userId, kind, refId, at);
  const since = new Date(now.getTime() - MISUSE_POLICY.windowDays * 86_400_000).toISOString();
  const strikes = ctx.store.countMisuseStrikes(site, userId, since);
  const warned = ctx.store.listActions(site, { targetKind: 'account', targetId: userId, types: ['misuse-warning'] }).some((a) => a.createdAt > since);
  const restricted = accountRestrictions(ctx, site, userId, ['misuse-restriction']).length > 0;
  const step = misuseStep(strikes, warned, restricted, MISUSE_POLICY);
  if (step === 'none') return;
  const siteRecord = ctx.store.getSite(site)!;
  if (step === 'warn') {
    const action = ctx.store.recordAction({
      id: ctx.newId(), site, type: 'misuse-warning', target: { kind: 'account', id: userId }, postId: null, topic: null,
      subjectUserId: userId, ruleId: null, ruleVersion: null,
      reason: `${strikes} reports or appeals in ${MISUSE_POLICY.windowDays} days were found manifestly unfounded.`,
      labelText: null, endsAt: null, reverses: null, reportIds: [], appealId: null, moderatorId: 'system', automatedDetection: false,
      createdAt: at, statement: null,
    }, {});
    const ref = ctx.audit.append({
      site, kind: 'misuse.warning', at, actor: { type: 'system', label: 'Parley (misuse policy)' },
      data: { actionId: action.id, reason: action.reason, policy: MISUSE_POLICY }, sensitive: {},
    });
    recordLogRef(ctx, site, 'action', action.id, ref.index);
    sendNotice(ctx, site, userId, {
      kind: 'misuse-warning', actionId: action.id, subject: 'A warning about unfounded reports or appeals',
      body: {
        reason: action.reason,
        message: `If ${MISUSE_POLICY.restrictAt} or more of your reports or appeals within ${MISUSE_POLICY.windowDays} days are found manifestly unfounded, ` +
          `reporting and appealing will be paused for ${MISUSE_POLICY.restrictionDays} days.`,
      },
    });
    return;
  }
  takeAction(ctx, { site: siteRecord, id: 'system', roles: [] }, {
    type: 'misuse-restriction', userId, ground: 'rule', ruleId: MISUSE_RULE_ID,
    reason: `Reporting and appealing paused for ${MISUSE_POLICY.restrictionDays} days after repeated manifestly unfounded reports or appeals.`,
    facts: `${strikes} reports or appeals from this account within ${MISUSE_POLICY.windowDays} days were found manifestly unfounded, after a warning.`,
    days: MISUSE_POLICY.restrictionDays,
  }, { system: true });
}
