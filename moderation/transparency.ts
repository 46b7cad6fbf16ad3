/**
 * The transparency report (pure): numbers anyone can recompute from the public log. Actions
 * by type, rule and month; reports by source (members, company-affiliated, automated); the
 * median time from report to decision; appeals and the share reversed; automated detections
 * and how many a person upheld.
 */
import type { ActionType } from './actions.js';
import type { ParleySource } from './reasons.js';

export interface TransparencyInput {
  actions: Array<{ type: ActionType; ruleId: string | null; createdAt: string; source: ParleySource | null; viaAppeal: boolean; automatedDecision: boolean }>;
  reports: Array<{ source: 'member' | 'company' | 'automated'; createdAt: string; decidedAt: string | null; status: 'open' | 'actioned' | 'dismissed' }>;
  appeals: Array<{ createdAt: string; decidedAt: string | null; status: 'open' | 'upheld' | 'reversed' }>;
  /** Possible adverse events (issue 6): one row per flag, with the company and when (if) it was forwarded. */
  safetyFlags?: Array<{ company: string; detectedAt: string; forwardedAt: string | null }>;
}

export interface Outcomes {
  received: number;
  open: number;
  actioned: number;
  dismissed: number;
}

export interface TransparencyReport {
  site: string;
  siteName: string;
  period: { from: string; to: string };
  generatedAt: string;
  licence: string;
  licenceUrl: string;
  actions: {
    total: number;
    byType: Partial<Record<ActionType, number>>;
    byRule: Record<string, number>;
    byMonth: Record<string, Partial<Record<ActionType, number>>>;
    bySource: Partial<Record<ParleySource, number>>;
    decidedByPeople: number;
    decidedAutomatically: number;
    reversedOnAppeal: number;
    reversedOnOwnInitiative: number;
  };
  reports: {
    bySource: { members: Outcomes; companyAffiliated: Outcomes; automated: Outcomes };
    total: number;
    medianHoursToDecision: number | null;
  };
  appeals: { filed: number; decided: number; upheld: number; reversed: number; open: number; shareReversed: number | null; medianHoursToDecision: number | null };
  automatedDetections: { flagged: number; upheldByPerson: number; dismissedByPerson: number; open: number };
  accounts: { suspended: number; banned: number; misuseRestrictions: number };
  /**
   * Possible adverse events flagged for companies' safety teams, and how many were forwarded,
   * per company: numbers only, no content. Not moderation: nothing was removed for this.
   */
  safetyReferrals: { flagged: number; forwarded: number; byCompany: Array<{ company: string; flagged: number; forwarded: number }> };
}

export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

const hours = (from: string, to: string) => Math.round(((Date.parse(to) - Date.parse(from)) / 3_600_000) * 100) / 100;
const within = (at: string, from: string, to: string) => at >= from && at < to;
const bump = <K extends string>(record: Partial<Record<K, number>>, key: K) => {
  record[key] = (record[key] ?? 0) + 1;
};
const REVERSALS: ReadonlySet<ActionType> = new Set(['restore', 'unlabel', 'unlock', 'lift-reply-restriction', 'lift-suspension', 'unban', 'reopen-report', 'lift-misuse-restriction']);

export function buildTransparencyReport(
  input: TransparencyInput,
  meta: { site: string; siteName: string; from: string; to: string; generatedAt: string; licence?: string; licenceUrl?: string },
): TransparencyReport {
  const actions = input.actions.filter((a) => within(a.createdAt, meta.from, meta.to));
  const reports = input.reports.filter((r) => within(r.createdAt, meta.from, meta.to));
  const appeals = input.appeals.filter((a) => within(a.createdAt, meta.from, meta.to));

  const byType: Partial<Record<ActionType, number>> = {};
  const byRule: Record<string, number> = {};
  const byMonth: Record<string, Partial<Record<ActionType, number>>> = {};
  const bySource: Partial<Record<ParleySource, number>> = {};
  let reversedOnAppeal = 0;
  let reversedOnOwnInitiative = 0;
  for (const a of actions) {
    bump(byType, a.type);
    if (a.ruleId) byRule[a.ruleId] = (byRule[a.ruleId] ?? 0) + 1;
    bump((byMonth[a.createdAt.slice(0, 7)] ??= {}), a.type);
    if (a.source) bump(bySource, a.source);
    if (REVERSALS.has(a.type)) {
      if (a.viaAppeal) reversedOnAppeal++;
      else reversedOnOwnInitiative++;
    }
  }
  const outcomes = (source: 'member' | 'company' | 'automated'): Outcomes => {
    const of = reports.filter((r) => r.source === source);
    return {
      received: of.length,
      open: of.filter((r) => r.status === 'open').length,
      actioned: of.filter((r) => r.status === 'actioned').length,
      dismissed: of.filter((r) => r.status === 'dismissed').length,
    };
  };
  const automated = outcomes('automated');
  const decidedAppeals = appeals.filter((a) => a.status !== 'open');
  const reversed = appeals.filter((a) => a.status === 'reversed').length;
  return {
    site: meta.site,
    siteName: meta.siteName,
    period: { from: meta.from, to: meta.to },
    generatedAt: meta.generatedAt,
    licence: meta.licence ?? 'CC-BY-4.0',
    licenceUrl: meta.licenceUrl ?? 'https://creativecommons.org/licenses/by/4.0/',
    actions: {
      total: actions.length,
      byType,
      byRule,
      byMonth,
      bySource,
      decidedByPeople: actions.filter((a) => !a.automatedDecision).length,
      decidedAutomatically: actions.filter((a) => a.automatedDecision).length,
      reversedOnAppeal,
      reversedOnOwnInitiative,
    },
    reports: {
      bySource: { members: outcomes('member'), companyAffiliated: outcomes('company'), automated },
      total: reports.length,
      medianHoursToDecision: median(reports.filter((r) => r.decidedAt).map((r) => hours(r.createdAt, r.decidedAt!))),
    },
    appeals: {
      filed: appeals.length,
      decided: decidedAppeals.length,
      upheld: appeals.filter((a) => a.status === 'upheld').length,
      reversed,
      open: appeals.length - decidedAppeals.length,
      shareReversed: decidedAppeals.length ? Math.round((reversed / decidedAppeals.length) * 1000) / 1000 : null,
      medianHoursToDecision: median(decidedAppeals.map((a) => hours(a.createdAt, a.decidedAt!))),
    },
    automatedDetections: { flagged: automated.received, upheldByPerson: automated.actioned, dismissedByPerson: automated.dismissed, open: automated.open },
    accounts: { suspended: byType.suspend ?? 0, banned: byType.ban ?? 0, misuseRestrictions: byType['misuse-restriction'] ?? 0 },
    safetyReferrals: safetyReferrals((input.safetyFlags ?? []).filter((f) => within(f.detectedAt, meta.from, meta.to))),
  };
}

function safetyReferrals(flags: NonNullable<TransparencyInput['safetyFlags']>): TransparencyReport['safetyReferrals'] {
  const byCompany = new Map<string, { company: string; flagged: number; forwarded: number }>();
  for (const f of flags) {
    const row = byCompany.get(f.company) ?? { company: f.company, flagged: 0, forwarded: 0 };
    row.flagged++;
    if (f.forwardedAt) row.forwarded++;
    byCompany.set(f.company, row);
  }
  const rows = [...byCompany.values()].sort((a, b) => b.flagged - a.flagged || a.company.localeCompare(b.company));
  return { flagged: flags.length, forwarded: flags.filter((f) => f.forwardedAt).length, byCompany: rows };
}
