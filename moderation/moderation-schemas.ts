/**
 * Schemas of the moderation messages: reports, actions, appeals and their decisions, rule
 * changes and moderation settings. The server validates every request with these; the widget
 * may use them to check a form before sending.
 */
import * as v from 'valibot';
import { MODERATOR_ACTION_TYPES } from './actions.js';
import { TDB_CATEGORIES } from './reasons.js';
import { RULE_ID_PATTERN } from './rules.js';
import { PostIdSchema, TopicIdSchema } from './schemas.js';

export const MODERATION_LIMITS = {
  reportExplanationMaxChars: 2000,
  reportNoteMaxChars: 1000,
  reasonMinChars: 3,
  reasonMaxChars: 280,
  factsMinChars: 10,
  factsMaxChars: 5000,
  labelMaxChars: 200,
  legalGroundMaxChars: 500,
  appealInfoMaxChars: 4000,
  decisionReasonMaxChars: 2000,
  suspensionMaxDays: 365,
} as const;

const Text = (min: number, max: number, what: string) =>
  v.pipe(v.string(`${what} is text`), v.trim(), v.minLength(min, `${what} needs at least ${min} characters`), v.maxLength(max, `${what} is at most ${max} characters`));
const RuleIdSchema = v.pipe(v.string(), v.regex(RULE_ID_PATTERN, 'a rule id looks like R4'));
export const OpaqueIdSchema = v.pipe(v.string(), v.regex(/^[A-Za-z0-9_-]{1,64}$/, 'not an id from this server'));

/** A signed-in person reports a post: a rule it breaks, or illegal content with an explanation. */
export const CreateReportSchema = v.pipe(
  v.strictObject({
    postId: PostIdSchema,
    ground: v.picklist(['rule', 'illegal'], 'ground is "rule" or "illegal"'),
    ruleId: v.optional(RuleIdSchema),
    /** Why the content is illegal (required for "illegal"), or what breaks the rule. */
    explanation: v.optional(Text(0, MODERATION_LIMITS.reportExplanationMaxChars, 'the explanation'), ''),
    note: v.optional(Text(0, MODERATION_LIMITS.reportNoteMaxChars, 'the note'), ''),
    goodFaith: v.literal(true, 'confirm that you report in good faith and that your report is accurate (goodFaith: true)'),
  }),
  v.check((r) => r.ground !== 'rule' || !!r.ruleId, 'ruleId: name the rule the post breaks'),
  v.check((r) => r.ground !== 'illegal' || r.explanation.length >= 10, 'explanation: say why the content is illegal (at least 10 characters)'),
);
export type CreateReportInput = v.InferOutput<typeof CreateReportSchema>;

/** A moderator's action. Which fields are needed depends on the type (checked by the domain). */
export const TakeActionSchema = v.strictObject({
  type: v.picklist(MODERATOR_ACTION_TYPES as [string, ...string[]], `type is one of ${MODERATOR_ACTION_TYPES.join(', ')}`),
  postId: v.optional(PostIdSchema),
  topic: v.optional(TopicIdSchema),
  userId: v.optional(OpaqueIdSchema),
  reportId: v.optional(OpaqueIdSchema),
  ruleId: v.optional(RuleIdSchema),
  ground: v.optional(v.picklist(['rule', 'illegal'])),
  legalGround: v.optional(Text(3, MODERATION_LIMITS.legalGroundMaxChars, 'the legal ground')),
  /** Short public reason (tombstone, label, lock). */
  reason: Text(MODERATION_LIMITS.reasonMinChars, MODERATION_LIMITS.reasonMaxChars, 'the reason'),
  /** Facts and circumstances, in plain words and without personal data (they are published). */
  facts: Text(MODERATION_LIMITS.factsMinChars, MODERATION_LIMITS.factsMaxChars, 'the facts'),
  labelText: v.optional(Text(3, MODERATION_LIMITS.labelMaxChars, 'the label')),
  days: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(MODERATION_LIMITS.suspensionMaxDays))),
  /** For a reversal: the action it reverses (found automatically when left out). */
  reverses: v.optional(OpaqueIdSchema),
  /** For dismiss-report: the report was manifestly unfounded (counts towards the misuse policy). */
  unfounded: v.optional(v.boolean()),
});
export type TakeActionInput = v.InferOutput<typeof TakeActionSchema>;

/** Reverse an action (POST /moderation/actions/{id}/reverse). */
export const ReverseActionSchema = v.strictObject({
  reason: Text(MODERATION_LIMITS.reasonMinChars, MODERATION_LIMITS.reasonMaxChars, 'the reason'),
  facts: v.optional(Text(MODERATION_LIMITS.factsMinChars, MODERATION_LIMITS.factsMaxChars, 'the facts')),
});

/** Appeal a decision: an action that affects you, or the dismissal of your report. */
export const CreateAppealSchema = v.pipe(
  v.strictObject({
    actionId: v.optional(OpaqueIdSchema),
    reportId: v.optional(OpaqueIdSchema),
    /** What the moderators should know: context, evidence, why the decision is wrong. */
    info: Text(10, MODERATION_LIMITS.appealInfoMaxChars, 'the information'),
  }),
  v.check((a) => !!a.actionId !== !!a.reportId, 'name either actionId or reportId'),
);

export const DecideAppealSchema = v.strictObject({
  outcome: v.picklist(['upheld', 'reversed'], 'outcome is "upheld" or "reversed"'),
  reason: Text(10, MODERATION_LIMITS.decisionReasonMaxChars, 'the reason'),
  /** The appeal was manifestly unfounded (counts towards the misuse policy; only with "upheld"). */
  unfounded: v.optional(v.boolean()),
});

const Examples = v.strictObject({
  allowed: v.optional(v.pipe(v.array(Text(1, 500, 'an example')), v.maxLength(10)), []),
  notAllowed: v.optional(v.pipe(v.array(Text(1, 500, 'an example')), v.maxLength(10)), []),
});

/** An admin writes a new version of a rule (or a new rule), or retires one. */
export const ChangeRuleSchema = v.union([
  v.strictObject({
    title: Text(3, 120, 'the title'),
    text: Text(10, 3000, 'the text'),
    examples: v.optional(Examples, { allowed: [], notAllowed: [] }),
    kind: v.optional(v.picklist(['prohibition', 'commitment']), 'prohibition'),
    category: v.optional(v.picklist(TDB_CATEGORIES as unknown as [string, ...string[]]), 'STATEMENT_CATEGORY_OTHER_VIOLATION_TC'),
    keywords: v.optional(v.pipe(v.array(v.pipe(v.string(), v.regex(/^KEYWORD_[A-Z_]{2,60}$/, 'a keyword looks like KEYWORD_OTHER'))), v.maxLength(10)), []),
    changeNote: Text(3, 500, 'the change note'),
  }),
  v.strictObject({ retire: v.literal(true), changeNote: Text(3, 500, 'the change note') }),
]);

/** Site moderation settings (admin). */
export const ModerationSettingsSchema = v.strictObject({
  /** Show moderators publicly by their name, or by a stable pseudonym ("Moderator 3"). */
  publicModeratorNames: v.optional(v.picklist(['name', 'pseudonym'])),
  /** Member states the site serves (for `territorial_scope`). */
  territorialScope: v.optional(v.pipe(v.array(v.pipe(v.string(), v.regex(/^[A-Z]{2}$/))), v.maxLength(30))),
  /** Where to turn after an appeal (an out-of-court body, a regulator, an independent panel). */
  externalRedress: v.optional(Text(10, 1000, 'the external redress text')),
  /** Licence of the transparency report (an SPDX id such as CC-BY-4.0 or CC0-1.0). */
  reportLicence: v.optional(v.picklist(['CC-BY-4.0', 'CC0-1.0'])),
});

/** Admin console (issue 15): a house rule's text to render as it would be published, before publishing. */
export const RulePreviewSchema = v.strictObject({ text: v.pipe(v.string('the text is text'), v.maxLength(3000, 'the text is at most 3000 characters')) });
