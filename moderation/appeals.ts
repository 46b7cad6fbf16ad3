/**
 * Appeals (internal complaints, DSA Art. 20) and the misuse policy (Art. 23), pure.
 *
 * Every restrictive action, and every dismissed report, can be appealed for six months from
 * the moment the person was told, free, with added information. A different moderator
 * decides: never the one who took the action, nor the appellant. The decision is reasoned;
 * a reversal restores at once.
 */

export const APPEAL_WINDOW_MONTHS = 6;

export type AppealStatus = 'open' | 'upheld' | 'reversed';
export type AppealOutcome = 'upheld' | 'reversed';

/** The last moment an appeal can be filed: six calendar months after the person was informed (UTC). */
export function appealDeadline(informedAt: string): string {
  const d = new Date(informedAt);
  const target = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + APPEAL_WINDOW_MONTHS, 1, d.getUTCHours(), d.getUTCMinutes(), d.getUTCSeconds(), d.getUTCMilliseconds()));
  // Clamp to the month's last day (31 August + 6 months is 28/29 February).
  const lastDay = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  target.setUTCDate(Math.min(d.getUTCDate(), lastDay));
  return target.toISOString();
}

export type AppealRefusal = 'window-closed' | 'not-affected' | 'already-appealed' | 'not-appealable' | 'restricted';

export function checkAppeal(input: {
  now: string;
  informedAt: string;
  appealable: boolean;
  isAffected: boolean;
  alreadyAppealed: boolean;
  /** The appellant is under a misuse restriction (they may still appeal that restriction itself). */
  restricted: boolean;
  appealsTheRestriction: boolean;
}): { code: AppealRefusal; message: string } | null {
  if (!input.appealable) return { code: 'not-appealable', message: 'This decision cannot be appealed (only restrictions and dismissed reports can).' };
  if (!input.isAffected) return { code: 'not-affected', message: 'Only the person a decision affects (or whose report was dismissed) can appeal it.' };
  if (input.alreadyAppealed) return { code: 'already-appealed', message: 'You already appealed this decision; you will be told the outcome.' };
  if (input.now > appealDeadline(input.informedAt)) {
    return { code: 'window-closed', message: `Appeals are open for ${APPEAL_WINDOW_MONTHS} months; this one closed on ${appealDeadline(input.informedAt).slice(0, 10)}.` };
  }
  if (input.restricted && !input.appealsTheRestriction) {
    return { code: 'restricted', message: 'Your appeals are paused for a while after a series of unfounded ones; you can still appeal that pause itself.' };
  }
  return null;
}

/** Who may decide an appeal: a moderator who neither took the decision appealed nor filed the appeal. */
export function checkAppealDecider(input: { deciderId: string; actedBy: readonly string[]; appellantId: string }):
  { code: 'same-moderator' | 'own-appeal'; message: string } | null {
  if (input.deciderId === input.appellantId) return { code: 'own-appeal', message: 'You cannot decide your own appeal.' };
  if (input.actedBy.includes(input.deciderId)) {
    return { code: 'same-moderator', message: 'A different moderator must decide this appeal: you took the decision it is about.' };
  }
  return null;
}

/** The misuse policy (DSA Art. 23): a warning first, then a time-limited pause on reporting and appealing. */
export interface MisusePolicy {
  /** Unfounded reports or appeals counted over this many days. */
  windowDays: number;
  warnAt: number;
  restrictAt: number;
  restrictionDays: number;
}

export const DEFAULT_MISUSE_POLICY: MisusePolicy = { windowDays: 30, warnAt: 3, restrictAt: 5, restrictionDays: 14 };

/**
 * What follows a new unfounded report or appeal, given how many the person had in the window
 * (including this one) and whether they were already warned in it.
 */
export function misuseStep(strikes: number, warnedInWindow: boolean, restrictedNow: boolean, policy: MisusePolicy = DEFAULT_MISUSE_POLICY):
  'none' | 'warn' | 'restrict' {
  if (restrictedNow) return 'none';
  if (strikes >= policy.restrictAt && warnedInWindow) return 'restrict';
  if (strikes >= policy.warnAt && !warnedInWindow) return 'warn';
  return 'none';
}
