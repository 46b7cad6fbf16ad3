/**
 * The numbers: a transparency report per site (JSON under an open licence), and the export of
 * statements of reasons in the DSA Transparency Database's format.
 */
import { describeHoldSettings } from '../../moderation/holds.js';
import { holdSettings } from './hold-settings.js';
import { ParleyError } from '../../moderation/errors.js';
import { buildTransparencyReport } from '../../moderation/transparency.js';
import { toTransparencyDatabase } from '../../moderation/reasons.js';
import type { AppContext } from './context.js';
import { moderationSettings } from './moderation-settings.js';

const DATE = /^\d{4}-\d{2}-\d{2}$/;

function period(ctx: AppContext, query: { from?: unknown; to?: unknown }) {
  const from = typeof query.from === 'string' && query.from ? query.from : '1970-01-01';
  const to = typeof query.to === 'string' && query.to ? query.to : ctx.now().toISOString().slice(0, 10);
  if (!DATE.test(from) || !DATE.test(to)) throw new ParleyError('validation_failed', 'from and to are dates: YYYY-MM-DD');
  const end = new Date(Date.parse(`${to}T00:00:00Z`) + 86_400_000).toISOString();
  return { from: `${from}T00:00:00.000Z`, to: end };
}

export async function transparencyReport(ctx: AppContext, site: string, query: { from?: unknown; to?: unknown }) {
  const siteRecord = (await ctx.store.getSite(site))!;
  const { from, to } = period(ctx, query);
  const actions = await ctx.store.listActions(site, {});
  const licence = (await moderationSettings(ctx, site)).reportLicence;
  // Holds (issue 16): how many posts waited for a moderator, why, and how they were decided; the options in force.
  const [holdFigures, holdOptions] = await Promise.all([ctx.store.holdFigures(site), holdSettings(ctx, site)]);
  const holds = { sinceStart: holdFigures, options: describeHoldSettings(holdOptions) };
  const report = buildTransparencyReport(
    {
      actions: actions.map((a) => ({
        type: a.type, ruleId: a.ruleId, createdAt: a.createdAt, source: a.statement?.source ?? null, viaAppeal: a.appealId !== null,
        automatedDecision: a.statement ? a.statement.automated_decision !== 'AUTOMATED_DECISION_NOT_AUTOMATED' : false,
      })),
      reports: (await ctx.store.allReports(site)).map((r) => ({ source: r.source, createdAt: r.createdAt, decidedAt: r.decidedAt, status: r.status })),
      appeals: (await ctx.store.listAppeals(site, {})).map((a) => ({ createdAt: a.createdAt, decidedAt: a.decidedAt, status: a.status })),
      safetyFlags: await safetyFlags(ctx, site),
    },
    {
      site, siteName: siteRecord.name, from, to, generatedAt: ctx.now().toISOString(), licence,
      licenceUrl: licence === 'CC0-1.0' ? 'https://creativecommons.org/publicdomain/zero/1.0/' : 'https://creativecommons.org/licenses/by/4.0/',
    },
  );
  return { ...report, holds };
}

/** Flags named by the company's public display name (the register is public; flags stay private). */
async function safetyFlags(ctx: AppContext, site: string) {
  const names = new Map((await ctx.store.listCompanies(site)).map((c) => [c.id, c.displayName]));
  return (await ctx.store.safetyFlagTimes(site)).map((f) => ({ company: names.get(f.companyId) ?? f.companyId, detectedAt: f.detectedAt, forwardedAt: f.forwardedAt }));
}

/** Every statement of reasons of the site, as the Transparency Database API takes them (batches of up to 100). */
export async function transparencyDatabaseExport(ctx: AppContext, site: string, query: { from?: unknown; to?: unknown }) {
  const { from, to } = period(ctx, query);
  const statements = (await ctx.store.listActions(site, {}))
    .filter((a) => a.statement && a.createdAt >= from && a.createdAt < to)
    .map((a) => toTransparencyDatabase(a.statement!));
  const batches: Array<{ statements: Record<string, unknown>[] }> = [];
  for (let i = 0; i < statements.length; i += 100) batches.push({ statements: statements.slice(i, i + 100) });
  return {
    site,
    format: 'DSA Transparency Database API, POST /api/v1/statements (batches of at most 100)',
    note: 'No personal data: facts are written without names, and targets are referred to by opaque ids only.',
    count: statements.length,
    statements,
    batches,
  };
}
