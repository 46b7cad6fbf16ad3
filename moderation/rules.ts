/**
 * House rules as data (pure). Each rule has a stable id (`R4`), a title, plain text,
 * examples, a version and the date it took effect. A change never edits a rule in place:
 * it creates the next version. New sites start from RULE_TEMPLATE, written for a patient
 * organisation that lets companies take part.
 *
 * Two kinds of rule: a `prohibition` says what is not allowed and may be cited by a
 * moderation action; a `commitment` binds the site itself (company staff do not moderate;
 * side-effect reports are never removed for that reason) and can never be cited to restrict
 * anyone's words.
 */
import type { TdbCategory } from './reasons.js';

export type RuleKind = 'prohibition' | 'commitment';

export interface RuleExamples {
  allowed: string[];
  notAllowed: string[];
}

/** One version of one rule, as published. */
export interface Rule {
  /** Stable across versions: `R1`, `R2`, ... */
  id: string;
  version: number;
  title: string;
  text: string;
  examples: RuleExamples;
  kind: RuleKind;
  /** DSA Transparency Database category a decision citing this rule is filed under. */
  category: TdbCategory;
  /** DSA Transparency Database `category_specification` keywords (KEYWORD_*). */
  keywords: string[];
  /** ISO date-time from which this version applies. */
  effectiveFrom: string;
  /** Set on a version that retires the rule (it stays in the history, is no longer in force). */
  retired: boolean;
  /** Why this version was made (empty for the first). */
  changeNote: string;
}

/** What an admin sends to create or change a rule (the server assigns the version). */
export interface RuleDraft {
  id: string;
  title: string;
  text: string;
  examples: RuleExamples;
  kind: RuleKind;
  category: TdbCategory;
  keywords: string[];
}

/** The rule that says company affiliation must show; it cannot be retired while company accounts exist. */
export const AFFILIATION_RULE_ID = 'R3';
/** The commitment that side-effect reports are never removed for describing side effects. */
export const SIDE_EFFECTS_RULE_ID = 'R8';

export const RULE_TEMPLATE: readonly RuleDraft[] = [
  {
    id: 'R1', kind: 'prohibition', title: 'Be respectful',
    text: 'Disagree with ideas, not people. No insults, harassment, threats or hateful language about anyone, including company staff and moderators.',
    examples: {
      allowed: ['“I think the trial results are weaker than the press release suggests.”'],
      notAllowed: ['Calling another member stupid or a liar.', 'Mocking someone’s diagnosis or their carer.'],
    },
    category: 'STATEMENT_CATEGORY_ILLEGAL_OR_HARMFUL_SPEECH', keywords: [],
  },
  {
    id: 'R2', kind: 'prohibition', title: 'Protect everyone’s privacy',
    text: 'Do not post anyone else’s health details, contact details, addresses or photos without their consent. Share your own only as far as you are comfortable.',
    examples: {
      allowed: ['“My mother was diagnosed last year.”'],
      notAllowed: ['Naming a neighbour and their diagnosis.', 'Posting a nurse’s phone number.'],
    },
    category: 'STATEMENT_CATEGORY_DATA_PROTECTION_AND_PRIVACY_VIOLATIONS', keywords: [],
  },
  {
    id: 'R3', kind: 'prohibition', title: 'Affiliation must show',
    text: 'Anyone who works for, or is paid by, a company making medicines or devices must post under their verified real name, job title and employer. Posting about your employer’s products without that badge is not allowed.',
    examples: {
      allowed: ['A verified Medical Science Liaison answering a question with their badge showing.'],
      notAllowed: ['An employee posting as a “fellow carer” recommending their company’s product.'],
    },
    category: 'STATEMENT_CATEGORY_CONSUMER_INFORMATION', keywords: ['KEYWORD_HIDDEN_ADVERTISEMENT'],
  },
  {
    id: 'R4', kind: 'prohibition', title: 'No promotion of prescription-only medicines',
    text: 'Prescription-only medicines may be discussed factually, but not promoted to the public: no encouraging people to ask for a named product, no comparisons that sell, no offers. Company staff answer factual questions and point to the product information and the prescriber.',
    examples: {
      allowed: ['“The approved product information lists these side effects; please discuss with your neurologist.”'],
      notAllowed: ['“Ask your doctor to switch you to Cognivex — it works better than the rest.”'],
    },
    category: 'STATEMENT_CATEGORY_CONSUMER_INFORMATION', keywords: [],
  },
  {
    id: 'R5', kind: 'prohibition', title: 'No off-label claims',
    text: 'Company staff may not suggest a medicine or device for uses, doses or groups of people it is not approved for. Members may share their own experience; moderators may add a label pointing to the approved information.',
    examples: {
      allowed: ['A member describing what their own doctor prescribed.'],
      notAllowed: ['A company employee saying their Alzheimer’s medicine “also helps with Parkinson’s”.'],
    },
    category: 'STATEMENT_CATEGORY_RISK_FOR_PUBLIC_SECURITY', keywords: ['KEYWORD_RISK_PUBLIC_HEALTH'],
  },
  {
    id: 'R6', kind: 'prohibition', title: 'No scripted or templated replies',
    text: 'Write in your own words to the person in front of you. Company-approved scripts, copy-pasted answers and coordinated posting are not allowed.',
    examples: {
      allowed: ['Quoting a short passage from a public leaflet, with its source.'],
      notAllowed: ['The same “thank you for sharing, please contact our medical information line” answer pasted under many posts.'],
    },
    category: 'STATEMENT_CATEGORY_OTHER_VIOLATION_TC', keywords: ['KEYWORD_INAUTHENTIC_ACCOUNTS'],
  },
  {
    id: 'R7', kind: 'commitment', title: 'Company staff do not moderate',
    text: 'Moderators are volunteers and staff of the association. People who work for a company taking part can never moderate or administer this site, and companies have no say over moderation.',
    examples: { allowed: [], notAllowed: [] },
    category: 'STATEMENT_CATEGORY_OTHER_VIOLATION_TC', keywords: [],
  },
  {
    id: 'R8', kind: 'commitment', title: 'Side effects are welcome here',
    text: 'Posts describing side effects or problems with a medicine or device are never removed for that reason. Company staff must follow their own safety-reporting duties; the post stays.',
    examples: { allowed: ['“Since starting the infusion my father has had headaches every week.”'], notAllowed: [] },
    category: 'STATEMENT_CATEGORY_OTHER_VIOLATION_TC', keywords: [],
  },
  {
    id: 'R9', kind: 'prohibition', title: 'No dangerous health advice',
    text: 'Do not tell others to stop, start or change a treatment, or present unproven cures as facts. Share experiences and point to professionals.',
    examples: {
      allowed: ['“Stopping made my dizziness go away, but I did it with my GP’s help.”'],
      notAllowed: ['“Throw away your tablets and take this supplement instead.”'],
    },
    category: 'STATEMENT_CATEGORY_RISK_FOR_PUBLIC_SECURITY', keywords: ['KEYWORD_MISINFORMATION_DISINFORMATION'],
  },
  {
    id: 'R10', kind: 'prohibition', title: 'Stay on topic; no spam',
    text: 'Keep to the discussion. No advertising, fundraising for other causes, chain messages or links posted only to drive traffic.',
    examples: { allowed: ['Linking a patient guide that answers the question.'], notAllowed: ['Posting the same shop link in several topics.'] },
    category: 'STATEMENT_CATEGORY_OTHER_VIOLATION_TC', keywords: [],
  },
  {
    id: 'R11', kind: 'prohibition', title: 'Report and appeal in good faith',
    text: 'Reports and appeals are for real problems. A stream of manifestly unfounded reports or appeals leads to a warning, then to a pause on reporting and appealing for a limited time.',
    examples: { allowed: ['Reporting a post you honestly believe breaks a rule, even if moderators disagree.'], notAllowed: ['Reporting every post of someone you disagree with.'] },
    category: 'STATEMENT_CATEGORY_OTHER_VIOLATION_TC', keywords: [],
  },
];

/** The rule the misuse policy relies on. */
export const MISUSE_RULE_ID = 'R11';

/** Rule ids: `R` and a number. */
export const RULE_ID_PATTERN = /^R[1-9][0-9]{0,3}$/;

/** The rules in force: the newest version of each rule, without retired ones, in id order. */
export function currentRules(versions: readonly Rule[]): Rule[] {
  const latest = new Map<string, Rule>();
  for (const rule of versions) {
    const seen = latest.get(rule.id);
    if (!seen || rule.version > seen.version) latest.set(rule.id, rule);
  }
  return [...latest.values()].filter((r) => !r.retired).sort(compareRuleIds);
}

export function compareRuleIds(a: { id: string }, b: { id: string }): number {
  return Number(a.id.slice(1)) - Number(b.id.slice(1));
}

/** The template as version 1 of each rule, in force from `effectiveFrom`. */
export function templateRules(effectiveFrom: string): Rule[] {
  return RULE_TEMPLATE.map((draft) => ({ ...draft, version: 1, effectiveFrom, retired: false, changeNote: '' }));
}

export type RuleChangeRefusal =
  | { code: 'unchanged'; message: string }
  | { code: 'affiliation-rule-required'; message: string }
  | { code: 'not-found'; message: string };

/**
 * The next version of a rule, or why there is none. `retire` retires the rule; the
 * affiliation rule cannot be retired (or turned into a commitment) while company accounts exist.
 */
export function nextRuleVersion(
  versions: readonly Rule[],
  change: { draft?: RuleDraft; retire?: boolean; id: string; changeNote: string; effectiveFrom: string },
  context: { companyAccounts: number },
): { ok: true; rule: Rule } | { ok: false; refusal: RuleChangeRefusal } {
  const previous = versions.filter((r) => r.id === change.id).sort((a, b) => b.version - a.version)[0];
  if (change.retire) {
    if (!previous || previous.retired) return { ok: false, refusal: { code: 'not-found', message: `Rule ${change.id} is not in force.` } };
    if (change.id === AFFILIATION_RULE_ID && context.companyAccounts > 0) {
      return { ok: false, refusal: { code: 'affiliation-rule-required', message: `Rule ${AFFILIATION_RULE_ID} (affiliation must show) cannot be retired while company accounts exist.` } };
    }
    return { ok: true, rule: { ...previous, version: previous.version + 1, retired: true, effectiveFrom: change.effectiveFrom, changeNote: change.changeNote } };
  }
  const draft = change.draft!;
  if (change.id === AFFILIATION_RULE_ID && context.companyAccounts > 0 && draft.kind !== 'prohibition') {
    return { ok: false, refusal: { code: 'affiliation-rule-required', message: `Rule ${AFFILIATION_RULE_ID} must stay a rule members can be held to while company accounts exist.` } };
  }
  if (previous && !previous.retired && sameContent(previous, draft)) {
    return { ok: false, refusal: { code: 'unchanged', message: `Rule ${change.id} already reads like this.` } };
  }
  return {
    ok: true,
    rule: { ...draft, id: change.id, version: (previous?.version ?? 0) + 1, effectiveFrom: change.effectiveFrom, retired: false, changeNote: change.changeNote },
  };
}

function sameContent(rule: Rule, draft: RuleDraft): boolean {
  return JSON.stringify([rule.title, rule.text, rule.examples, rule.kind, rule.category, rule.keywords]) ===
    JSON.stringify([draft.title, draft.text, draft.examples, draft.kind, draft.category, draft.keywords]);
}

/** The version of a rule in force at a moment (for citing the version an action relied on). */
export function ruleAt(versions: readonly Rule[], id: string, at: string): Rule | null {
  const candidates = versions.filter((r) => r.id === id && r.effectiveFrom <= at).sort((a, b) => b.version - a.version);
  const found = candidates[0] ?? versions.filter((r) => r.id === id).sort((a, b) => b.version - a.version)[0];
  return found && !found.retired ? found : null;
}
