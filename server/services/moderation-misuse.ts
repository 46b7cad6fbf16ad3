/**
 * The misuse policy (DSA Art. 23): manifestly unfounded reports and appeals are counted; after
 * a warning, a further stream leads to a time-limited pause on reporting and appealing. Both
 * steps are logged with their own reason and notified like any other decision.
 *
 * This file counts and warns; the pause is a moderation action like any other, so it hands the
 * intent back and moderation.ts takes it (moderation.ts calls this file, never the reverse).
 */
import type { ActionIntent } from '../../moderation/actions.js';
import { DEFAULT_MISUSE_POLICY as MISUSE_POLICY, misuseStep } from '../../moderation/appeals.js';
import { MISUSE_RULE_ID } from '../../moderation/rules.js';
import type { AppContext } from './context.js';
import { sendNotice } from './moderation-notices.js';
import { recordLogRef } from './moderation-settings.js';
import { accountRestrictions } from './restrictions.js';

/**
 * Records a strike against `userId` and warns them when the policy says so. Returns the
 * restriction to impose when one is due (to be taken by the system as a moderation action), else null.
 */
export async function recordMisuse(
  ctx: AppContext, site: string, userId: string, kind: 'unfounded-report' | 'unfounded-appeal', refId: string,
): Promise<ActionIntent | null> {
  const now = ctx.now();
  const at = now.toISOString();
  const since = new Date(now.getTime() - MISUSE_POLICY.windowDays * 86_400_000).toISOString();
  // Counting the strikes and deciding on a warning is one transaction: two strikes recorded at
  // once still lead to one warning. The notice (and its mail) goes out after it commits.
  const decided = await ctx.store.transaction(async () => {
    await ctx.store.addMisuseStrike(site, userId, kind, refId, at);
    const [strikes, actions, restrictions] = await Promise.all([
      ctx.store.countMisuseStrikes(site, userId, since),
      ctx.store.listActions(site, { targetKind: 'account', targetId: userId, types: ['misuse-warning'] }),
      accountRestrictions(ctx, site, userId, ['misuse-restriction']),
    ]);
    const warned = actions.some((a) => a.createdAt > since);
    const restricted = restrictions.length > 0;
    const step = misuseStep(strikes, warned, restricted, MISUSE_POLICY);
    if (step !== 'warn') return { step, strikes, action: null };
    const action = await ctx.store.recordAction({
      id: ctx.newId(), site, type: 'misuse-warning', target: { kind: 'account', id: userId }, postId: null, topic: null,
      subjectUserId: userId, ruleId: null, ruleVersion: null,
      reason: `${strikes} reports or appeals in ${MISUSE_POLICY.windowDays} days were found manifestly unfounded.`,
      labelText: null, endsAt: null, reverses: null, reportIds: [], appealId: null, moderatorId: 'system', automatedDetection: false,
      createdAt: at, statement: null,
    }, {});
    const ref = await ctx.audit.append({
      site, kind: 'misuse.warning', at, actor: { type: 'system', label: 'Parley (misuse policy)' },
      data: { actionId: action.id, reason: action.reason, policy: MISUSE_POLICY }, sensitive: {},
    });
    await recordLogRef(ctx, site, 'action', action.id, ref.index);
    return { step, strikes, action };
  });
  const { step, strikes, action } = decided;
  if (step === 'none') return null;
  if (step === 'warn') {
    await sendNotice(ctx, site, userId, {
      kind: 'misuse-warning', actionId: action!.id, subject: { key: 'misuseWarningSubject' },
      message: {
        key: 'misuseWarningMessage',
        values: { restrictAt: MISUSE_POLICY.restrictAt, windowDays: MISUSE_POLICY.windowDays, restrictionDays: MISUSE_POLICY.restrictionDays },
      },
      body: { reason: action!.reason },
    });
    return null;
  }
  return {
    type: 'misuse-restriction', userId, ground: 'rule', ruleId: MISUSE_RULE_ID,
    reason: `Reporting and appealing paused for ${MISUSE_POLICY.restrictionDays} days after repeated manifestly unfounded reports or appeals.`,
    facts: `${strikes} reports or appeals from this account within ${MISUSE_POLICY.windowDays} days were found manifestly unfounded, after a warning.`,
    days: MISUSE_POLICY.restrictionDays,
  };
}
