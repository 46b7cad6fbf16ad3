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

/** The public "how moderation works" page, generated from the site's configuration. */
export async function howModerationWorks(ctx: AppContext, site: string) {
  const [siteRecord, settings, holders] = await Promise.all([ctx.store.getSite(site), moderationSettings(ctx, site), ctx.store.listRoleHolders(site)]);
  const moderators = holders.filter((h) => h.role === 'moderator' || h.role === 'admin');
  const people = [...new Map(moderators.map((m) => [m.userId, m])).values()];
  const single = people.length <= 1;
  const [labels, holdOptions] = await Promise.all([moderatorPublicLabels(ctx, site, people.map((m) => m.userId)), holdSettings(ctx, site)]);
  return {
    site,
    siteName: siteRecord!.name,
    generatedAt: ctx.now().toISOString(),
    moderators: {
      count: people.length,
      shownAs: settings.publicModeratorNames,
      public: people.map((m) => labels.get(m.userId)!),
      who: `Moderation is done by ${people.length} volunteer${people.length === 1 ? '' : 's'} and staff of ${siteRecord!.name}. People who work for a company taking part can never moderate (enforced by the software).`,
      singleModerator: single,
      singleModeratorNotice: single
        ? `This site currently has ${people.length === 0 ? 'no moderators' : 'a single moderator'}: an appeal cannot be decided by a different moderator until a second one is appointed. Appeals stay open and are decided as soon as one is.`
        : null,
    },
    automation: {
      detection: 'Automated checks may flag a post for a person to review (for example near-identical, templated replies, or a company employee naming a prescription-only medicine). Flags never hide anything on their own.',
      decision: 'No decision is automated: every removal, label, lock, suspension and ban is taken by a person, and every appeal is decided by a person.',
      posts_describing_side_effects: 'Posts describing side effects are never removed for that reason.',
    },
    // Issue 16: which posts wait for a moderator before readers see them, and how that is decided.
    holds: {
      rules: describeHoldSettings(holdOptions),
      usualWaitHours: holdOptions.usualWaitHours,
      author: 'A held post is never silent: its author sees it marked “waiting for a moderator”; readers see it once a moderator releases it. Removing it comes with a statement of reasons like any removal.',
    },
    reports: {
      who: 'Anyone signed in can report a post: name the rule it breaks, or explain why it is illegal, and confirm you report in good faith.',
      reporterIdentity: 'Only moderators see who reported. Reports by company staff are marked as such and counted separately.',
      rateLimit: `At most ${REPORT_LIMITS.perHour} reports an hour per person.`,
      outcome: 'You get an acknowledgement at once and the outcome later, in "my reports" and in your notices.',
    },
    decisions: {
      statementOfReasons: 'Every decision comes with a statement of reasons: what it does and for how long, the rule and its version, the facts, whether it followed a report, and how to appeal. It is published in the moderation log without personal data.',
      neverEdited: 'Moderators never edit anyone’s words. A removed post leaves a notice in the thread; its author can still read it.',
      moderatorsShown: settings.publicModeratorNames === 'name' ? 'Moderators are shown by name.' : 'Moderators are shown by a stable pseudonym (“Moderator 3”); other moderators and appeal reviewers see who acted.',
    },
    appeals: {
      windowMonths: APPEAL_WINDOW_MONTHS,
      free: true,
      what: 'Every decision that restricts a post or an account, and every dismissed report, can be appealed with added information.',
      decidedBy: 'A different moderator from the one who decided (enforced by the software).',
      outcome: 'You get a reasoned decision; if the decision is reversed, the post or account is restored at once. Both are added to the public log next to the original.',
      externalRedress: settings.externalRedress,
    },
    misuse: {
      policy: `After ${MISUSE_POLICY.warnAt} manifestly unfounded reports or appeals within ${MISUSE_POLICY.windowDays} days you get a warning; after ${MISUSE_POLICY.restrictAt}, reporting and appealing are paused for ${MISUSE_POLICY.restrictionDays} days. Both are logged with their own reason and can be appealed.`,
      ...MISUSE_POLICY,
    },
    links: {
      rules: `${publicBase(ctx)}/api/sites/${site}/rules`,
      transparency: `${publicBase(ctx)}/api/sites/${site}/transparency`,
      statementsExport: `${publicBase(ctx)}/api/sites/${site}/transparency/statements`,
    },
  };
}

export async function howModerationWorksMarkdown(ctx: AppContext, site: string): Promise<string> {
  const h = await howModerationWorks(ctx, site);
  const rules = currentRules(await ruleVersions(ctx, site)).sort(compareRuleIds);
  return [
    `# How moderation works on ${h.siteName}`,
    '',
    '## Who moderates',
    h.moderators.who,
    h.moderators.singleModeratorNotice ? `\n**${h.moderators.singleModeratorNotice}**` : '',
    h.decisions.moderatorsShown,
    '',
    '## Automation',
    `- Detection: ${h.automation.detection}`,
    `- Decisions: ${h.automation.decision}`,
    `- ${h.automation.posts_describing_side_effects}`,
    '',
    '## Posts that wait for a moderator',
    ...h.holds.rules.map((line) => `- ${line}`),
    h.holds.author,
    '',
    '## Reports',
    h.reports.who, h.reports.reporterIdentity, h.reports.rateLimit, h.reports.outcome,
    '',
    '## Decisions',
    h.decisions.statementOfReasons, h.decisions.neverEdited,
    '',
    '## Appeals',
    `${h.appeals.what} Appeals are free and open for ${h.appeals.windowMonths} months. ${h.appeals.decidedBy} ${h.appeals.outcome}`,
    '',
    h.appeals.externalRedress,
    '',
    '## Misuse',
    h.misuse.policy,
    '',
    '## Rules',
    ...rules.map((r) => `- **${r.id} ${r.title}** (version ${r.version}, since ${r.effectiveFrom.slice(0, 10)}${r.kind === 'commitment' ? ', a commitment of the site' : ''}): ${r.text}`),
    '',
    `Numbers: ${h.links.transparency}`,
    '',
  ].filter((line, i, all) => !(line === '' && all[i - 1] === '')).join('\n');
}
