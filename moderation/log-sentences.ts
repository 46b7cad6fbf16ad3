/**
 * The public log in plain language (issue 17): what an entry says as a sentence ("Moderator 3
 * removed a post in “New treatments” under rule R10.", "Decision reversed on appeal.") and its
 * statement of reasons as labelled fields in words. Pure: a leaf in, message keys and their
 * parameters out; the widget translates the keys (widget/i18n/log.ts) and formats dates and
 * numbers with Intl. Ids and the raw entry are not part of the sentence: the widget keeps them
 * one click away for verifiers.
 *
 * Any leaf the log may hold is accepted (the leaf format is open to new kinds): an unknown kind
 * gets the generic sentence "<actor> recorded “<kind in words>”", never an error.
 */

/** The parts of a log leaf this module reads (docs/audit-log.md). */
export interface LogLeafView {
  kind: string;
  at: string;
  actor?: { type?: string; label?: string };
  subject?: { postId?: string; topic?: string; userLabel?: string; ruleId?: string; entryIndex?: number };
  data?: Record<string, unknown>;
  refersTo?: number;
}

/** A message of the log's string table and its parameters (strings only, or a count to format). */
export interface LogPhrase {
  key: LogSentenceKey;
  params: Record<string, string | number>;
}

/** A labelled field of the statement of reasons; `as` says how the widget formats the value. */
export interface LogField {
  key: LogFieldKey;
  value: string | number;
  as: 'text' | 'date' | 'count' | 'words';
}

export interface LogSentence {
  /** The main sentence: who did what … */
  lead: LogPhrase;
  /** … where, under which rule, until when ("in “New treatments”", "under rule R10"). */
  clauses: LogPhrase[];
  /** Further sentences: "Decision reversed on appeal.", "Refers to entry 12." */
  more: LogPhrase[];
  /** The statement of reasons in words, in a fixed order. */
  fields: LogField[];
}

/** What each kind of entry says; `{actor}` is the public label of who did it. */
const VERBS = {
  'moderation.remove': 'logDidRemove',
  'moderation.restore': 'logDidRestore',
  'moderation.label': 'logDidLabel',
  'moderation.unlabel': 'logDidUnlabel',
  'moderation.lock': 'logDidLock',
  'moderation.unlock': 'logDidUnlock',
  'moderation.restrict-replies': 'logDidRestrictReplies',
  'moderation.lift-reply-restriction': 'logDidLiftReplyRestriction',
  'moderation.suspend': 'logDidSuspend',
  'moderation.lift-suspension': 'logDidLiftSuspension',
  'moderation.ban': 'logDidBan',
  'moderation.unban': 'logDidUnban',
  'moderation.reopen-report': 'logDidReopenReport',
  'moderation.lift-misuse-restriction': 'logDidLiftMisuseRestriction',
  'moderation.settings-changed': 'logDidChangeModerationSettings',
  'report.dismissed': 'logDidDismissReport',
  'misuse.warning': 'logDidMisuseWarning',
  'misuse.restriction': 'logDidMisuseRestriction',
  'question.out-of-scope': 'logDidOutOfScope',
  'rule.changed': 'logDidChangeRule',
  'role.granted': 'logDidGrantRole',
  'role.revoked': 'logDidRevokeRole',
  'affiliation.added': 'logDidAddAffiliation',
  'affiliation.ended': 'logDidEndAffiliation',
  'professional.verified': 'logDidVerifyProfessional',
  'member.renamed': 'logDidRename',
  'member.erased': 'logDidErase',
  'company.pledge': 'logDidPledge',
  'detection.scripted': 'logDidDetectScripted',
  'detection.adverse-event': 'logDidDetectAdverseEvent',
  'safety.forwarded': 'logDidForwardSafety',
  'site.created': 'logDidCreateSite',
  'site.updated': 'logDidUpdateSite',
  'key.rotated': 'logDidRotateKey',
} as const;

export type LogSentenceKey =
  | (typeof VERBS)[keyof typeof VERBS]
  | 'logDidOther' | 'logDidAppealUpheld' | 'logDidAppealReversed' | 'logDidAppealOther'
  | 'logInTopic' | 'logUnderRule' | 'logReversedOnAppeal' | 'logRefersToEntry' | 'logUntil' | 'logFullStop';

export type LogFieldKey =
  | 'logFieldDecision' | 'logFieldRule' | 'logFieldReason' | 'logFieldExplanation' | 'logFieldFacts'
  | 'logFieldSource' | 'logFieldAutomated' | 'logFieldUntil' | 'logFieldReports' | 'logFieldAppealOutcome';

const str = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() ? v : undefined);

/** The rule an entry relies on, from wherever the kind keeps it. */
export function ruleOf(leaf: LogLeafView): string | undefined {
  const rule = leaf.data?.rule as { id?: unknown } | null | undefined;
  return str(leaf.subject?.ruleId) ?? str(leaf.data?.ruleId) ?? str(rule?.id);
}

/** "site.sign-in-methods" → "site sign-in-methods": the last resort for a kind this module does not know. */
export function kindInWords(kind: string): string {
  return kind.replace(/[._]/g, ' ').replace(/\s+/g, ' ').trim();
}

/**
 * The sentences of one entry. `topicTitle` names a conversation by its title when the page
 * knows it (the log's view sends the titles of the topics on the page); otherwise the topic's id.
 */
export function describeLogEntry(leaf: LogLeafView, topicTitle?: (topic: string) => string | undefined): LogSentence {
  const actor = str(leaf.actor?.label) ?? '';
  const data = leaf.data ?? {};
  const clauses: LogPhrase[] = [];
  const more: LogPhrase[] = [];
  let lead: LogPhrase;

  if (leaf.kind === 'appeal.decided') {
    const outcome = str(data.outcome);
    lead = { key: outcome === 'reversed' ? 'logDidAppealReversed' : outcome === 'upheld' ? 'logDidAppealUpheld' : 'logDidAppealOther', params: { actor } };
  } else {
    const verb = VERBS[leaf.kind as keyof typeof VERBS];
    const params: Record<string, string | number> = { actor };
    if (leaf.kind.startsWith('role.')) params.role = str(data.role) ?? '';
    if (leaf.subject?.userLabel) params.person = leaf.subject.userLabel;
    lead = verb ? { key: verb, params } : { key: 'logDidOther', params: { actor, kind: kindInWords(leaf.kind) } };
  }

  const topic = str(leaf.subject?.topic);
  if (topic) clauses.push({ key: 'logInTopic', params: { topic: topicTitle?.(topic) ?? topic } });
  const rule = ruleOf(leaf);
  if (rule) clauses.push({ key: 'logUnderRule', params: { rule } });
  const until = str(data.endsAt);
  if (until) clauses.push({ key: 'logUntil', params: { until } });
  // A reversal that an appeal caused says so in the plain words of the issue.
  if (str(data.reverses) && str(data.appealId)) more.push({ key: 'logReversedOnAppeal', params: {} });
  if (leaf.refersTo !== undefined) more.push({ key: 'logRefersToEntry', params: { index: leaf.refersTo } });

  return { lead, clauses, more, fields: reasonFields(leaf) };
}

/** Translates a key with parameters (the widget's `translator`); dates arrive formatted already. */
export type LogTranslate = (key: string, params?: Record<string, string | number>) => string;

/**
 * The entry as text: the lead and its clauses as one sentence, then the further sentences.
 * `formatDate` formats the ISO date of "until" (Intl.DateTimeFormat in the widget).
 */
export function logSentenceText(s: LogSentence, t: LogTranslate, formatDate: (iso: string) => string): string {
  const phrase = (p: LogPhrase) => t(p.key, p.key === 'logUntil' ? { until: formatDate(String(p.params.until)) } : p.params);
  const first = [phrase(s.lead), ...s.clauses.map(phrase)].join(' ');
  return [`${first}${t('logFullStop')}`, ...s.more.map(phrase)].join(' ');
}

/** The statement of reasons as labelled fields, in the order a reader asks: what, which rule, why, facts, how found. */
export function reasonFields(leaf: LogLeafView): LogField[] {
  const data = leaf.data ?? {};
  const sor = (data.statement ?? {}) as Record<string, unknown>;
  const fields: LogField[] = [];
  const add = (key: LogFieldKey, value: unknown, as: LogField['as'] = 'text') => {
    if ((typeof value === 'string' && value.trim()) || (typeof value === 'number' && Number.isFinite(value))) fields.push({ key, value, as });
  };
  add('logFieldDecision', sor.decision_summary);
  const rule = data.rule as { id?: string; version?: number } | null | undefined;
  add('logFieldRule', str(sor.incompatible_content_ground) ?? (rule?.id ? `${rule.id}${rule.version ? ` (v${rule.version})` : ''}` : undefined));
  if (leaf.kind === 'appeal.decided') add('logFieldAppealOutcome', str(data.outcome), 'words');
  add('logFieldReason', data.reason);
  add('logFieldExplanation', sor.incompatible_content_explanation ?? sor.illegal_content_explanation);
  add('logFieldFacts', sor.decision_facts ?? data.facts);
  add('logFieldSource', sor.source, 'words');
  if (typeof sor.automated_decision === 'string') add('logFieldAutomated', sor.automated_decision, 'words');
  add('logFieldUntil', data.endsAt, 'date');
  if (typeof data.reports === 'number' && data.reports > 0) add('logFieldReports', data.reports, 'count');
  return fields;
}

/**
 * Words for the enumerated values of a statement (`as: 'words'`): the key of the log's string
 * table, or undefined for a value this module does not know (the widget then shows the value).
 */
export function valueWordsKey(value: string): string | undefined {
  return VALUE_WORDS[value];
}

const VALUE_WORDS: Record<string, string> = {
  member_report: 'logSourceMemberReport',
  company_affiliated_report: 'logSourceCompanyReport',
  illegal_content_notice: 'logSourceIllegalNotice',
  automated_flag: 'logSourceAutomated',
  own_initiative: 'logSourceOwnInitiative',
  AUTOMATED_DECISION_FULLY: 'logAutomatedFully',
  AUTOMATED_DECISION_PARTIALLY: 'logAutomatedPartially',
  AUTOMATED_DECISION_NOT_AUTOMATED: 'logAutomatedNot',
  upheld: 'logOutcomeUpheld',
  reversed: 'logOutcomeReversed',
};
