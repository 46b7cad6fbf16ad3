/**
 * House rules of a site: seeded from the template on first use, published as JSON, changed
 * only by adding a version (logged), and the generated "how moderation works" description.
 */
import { describeHoldSettings } from '../../moderation/holds.js';
import { holdSettings } from './hold-settings.js';
import { ParleyError } from '../../moderation/errors.js';
import { APPEAL_WINDOW_MONTHS, DEFAULT_MISUSE_POLICY as MISUSE_POLICY } from '../../moderation/appeals.js';
import { REPORT_LIMITS } from '../../moderation/limits.js';
import { ChangeRuleSchema } from '../../moderation/moderation-schemas.js';
import { compareRuleIds, currentRules, nextRuleVersion, templateRules, RULE_ID_PATTERN, type Rule, type RuleDraft } from '../../moderation/rules.js';
import { parseWith } from '../../moderation/schemas.js';
import type { TdbCategory } from '../../moderation/reasons.js';
import { howModerationMessages } from '../i18n/how-moderation.js';
import { messages, type ServerLanguage } from '../i18n/index.js';
import { requirePermission, type Actor } from './actor.js';
import type { AppContext } from './context.js';
import { moderationSettings, moderatorPublicLabels, publicBase, recordLogRef } from './moderation-settings.js';

/** Every version of the site's rules; the template becomes version 1 on first use. */
export async function ruleVersions(ctx: AppContext, site: string): Promise<Rule[]> {
  const versions = await ctx.store.listRuleVersions(site);
  if (versions.length > 0) return versions;
  // First use: seed the template once, even when two requests arrive together.
  return ctx.store.transaction(async () => {
    const again = await ctx.store.listRuleVersions(site);
    if (again.length > 0) return again;
    const siteRecord = await ctx.store.getSite(site);
    if (!siteRecord) return [];
    await ctx.store.addRuleVersions(site, templateRules(siteRecord.createdAt), 'template');
    return ctx.store.listRuleVersions(site);
  });
}

export async function currentRuleById(ctx: AppContext, site: string, id: string): Promise<Rule | null> {
  return currentRules(await ruleVersions(ctx, site)).find((r) => r.id === id) ?? null;
}

export function ruleUrl(ctx: AppContext, site: string, id: string): string {
  return `${publicBase(ctx)}/api/sites/${site}/rules#${id}`;
}

export async function publicRules(ctx: AppContext, site: string) {
  const versions = await ruleVersions(ctx, site);
  const rules = currentRules(versions);
  return {
    site,
    /** The newest change: a widget that remembers it can announce "the rules changed". */
    updatedAt: rules.reduce((latest, r) => (r.effectiveFrom > latest ? r.effectiveFrom : latest), ''),
    version: versions.length,
    rules,
  };
}

export async function ruleHistory(ctx: AppContext, site: string) {
  return { site, versions: await ruleVersions(ctx, site) };
}

export async function changeRule(ctx: AppContext, actor: Actor, ruleId: string, input: unknown): Promise<{ rule: Rule }> {
  requirePermission(actor, 'manage-rules');
  if (!RULE_ID_PATTERN.test(ruleId)) throw new ParleyError('validation_failed', 'A rule id looks like R4.');
  const parsed = parseWith(ChangeRuleSchema, input);
  if (!parsed.ok) throw new ParleyError('validation_failed', parsed.message, { issues: parsed.issues });
  const site = actor.site.id;
  const body = parsed.value;
  const at = ctx.now().toISOString();
  const draft: RuleDraft | undefined = 'retire' in body ? undefined : {
    id: ruleId, title: body.title, text: body.text, examples: body.examples, kind: body.kind,
    category: body.category as TdbCategory, keywords: body.keywords,
  };
  // The next version is numbered from the versions read: reading and adding are one transaction.
  const rule = await ctx.store.transaction(async () => {
    const companyAccounts = (await ctx.store.listStaff(site)).filter((s) => s.revokedAt === null).length;
    const next = nextRuleVersion(await ruleVersions(ctx, site), { id: ruleId, draft, retire: 'retire' in body, changeNote: body.changeNote, effectiveFrom: at }, { companyAccounts });
    if (!next.ok) throw new ParleyError(next.refusal.code === 'not-found' ? 'not_found' : 'validation_failed', next.refusal.message);
    await ctx.store.addRuleVersions(site, [next.rule], actor.id);
    const ref = await ctx.audit.append({
      site, kind: 'rule.changed', at, actor: { type: 'admin', label: 'Site admin', userId: actor.id === 'cli' ? null : actor.id },
      subject: { ruleId },
      data: { rule: next.rule },
    });
    await recordLogRef(ctx, site, 'rule', `${ruleId}@${next.rule.version}`, ref.index);
    return next.rule;
  });
  return { rule };
}

/**
 * The public "how moderation works" page, generated from the site's configuration, in `lang`
 * (server/i18n/how-moderation.ts; the site's own texts stay as written).
 */
export async function howModerationWorks(ctx: AppContext, site: string, lang: ServerLanguage = 'en') {
  const t = messages(howModerationMessages, lang);
  const [siteRecord, settings, holders] = await Promise.all([ctx.store.getSite(site), moderationSettings(ctx, site), ctx.store.listRoleHolders(site)]);
  const moderators = holders.filter((h) => h.role === 'moderator' || h.role === 'admin');
  const people = [...new Map(moderators.map((m) => [m.userId, m])).values()];
  const single = people.length <= 1;
  const [labels, holdOptions] = await Promise.all([moderatorPublicLabels(ctx, site, people.map((m) => m.userId)), holdSettings(ctx, site)]);
  return {
    site,
    lang,
    siteName: siteRecord!.name,
    generatedAt: ctx.now().toISOString(),
    moderators: {
      count: people.length,
      shownAs: settings.publicModeratorNames,
      public: people.map((m) => labels.get(m.userId)!),
      who: t('who', { count: people.length, site: siteRecord!.name }),
      singleModerator: single,
      singleModeratorNotice: single ? t('singleModerator', { count: people.length }) : null,
    },
    automation: {
      detection: t('detection'),
      decision: t('decision'),
      posts_describing_side_effects: t('sideEffects'),
    },
    // Issue 16: which posts wait for a moderator before readers see them, and how that is decided.
    holds: {
      rules: describeHoldSettings(holdOptions),
      usualWaitHours: holdOptions.usualWaitHours,
      author: 'A held post is never silent: its author sees it marked “waiting for a moderator”; readers see it once a moderator releases it. Removing it comes with a statement of reasons like any removal.',
    },
    reports: {
      who: t('reportsWho'),
      reporterIdentity: t('reporterIdentity'),
      rateLimit: t('rateLimit', { perHour: REPORT_LIMITS.perHour }),
      outcome: t('reportOutcome'),
    },
    decisions: {
      statementOfReasons: t('statementOfReasons'),
      neverEdited: t('neverEdited'),
      moderatorsShown: settings.publicModeratorNames === 'name' ? t('shownByName') : t('shownByPseudonym'),
    },
    appeals: {
      windowMonths: APPEAL_WINDOW_MONTHS,
      free: true,
      what: t('appealsWhat'),
      decidedBy: t('appealsDecidedBy'),
      outcome: t('appealsOutcome'),
      externalRedress: settings.externalRedress,
    },
    misuse: {
      policy: t('misusePolicy', { ...MISUSE_POLICY }),
      ...MISUSE_POLICY,
    },
    links: {
      rules: `${publicBase(ctx)}/api/sites/${site}/rules`,
      transparency: `${publicBase(ctx)}/api/sites/${site}/transparency`,
      statementsExport: `${publicBase(ctx)}/api/sites/${site}/transparency/statements`,
    },
  };
}

export async function howModerationWorksMarkdown(ctx: AppContext, site: string, lang: ServerLanguage = 'en'): Promise<string> {
  const h = await howModerationWorks(ctx, site, lang);
  const t = messages(howModerationMessages, lang);
  const rules = currentRules(await ruleVersions(ctx, site)).sort(compareRuleIds);
  return [
    `# ${t('title', { site: h.siteName })}`,
    '',
    `## ${t('hWho')}`,
    h.moderators.who,
    h.moderators.singleModeratorNotice ? `\n**${h.moderators.singleModeratorNotice}**` : '',
    h.decisions.moderatorsShown,
    '',
    `## ${t('hAutomation')}`,
    `- ${t('detectionLine', { text: h.automation.detection })}`,
    `- ${t('decisionLine', { text: h.automation.decision })}`,
    `- ${h.automation.posts_describing_side_effects}`,
    '',
    // Issue 16: in English for now (the hold options' wording is not in the message tables yet).
    '## Posts that wait for a moderator',
    ...h.holds.rules.map((line) => `- ${line}`),
    h.holds.author,
    '',
    `## ${t('hReports')}`,
    h.reports.who, h.reports.reporterIdentity, h.reports.rateLimit, h.reports.outcome,
    '',
    `## ${t('hDecisions')}`,
    h.decisions.statementOfReasons, h.decisions.neverEdited,
    '',
    `## ${t('hAppeals')}`,
    `${h.appeals.what} ${t('appealsWindow', { months: h.appeals.windowMonths })} ${h.appeals.decidedBy} ${h.appeals.outcome}`,
    '',
    h.appeals.externalRedress,
    '',
    `## ${t('hMisuse')}`,
    h.misuse.policy,
    '',
    `## ${t('hRules')}`,
    ...rules.map((r) => `- ${t('ruleLine', { id: r.id, title: r.title, version: r.version, date: r.effectiveFrom.slice(0, 10), kind: r.kind, text: r.text })}`),
    '',
    t('numbers', { url: h.links.transparency }),
    '',
  ].filter((line, i, all) => !(line === '' && all[i - 1] === '')).join('\n');
}
