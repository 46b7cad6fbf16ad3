/**
 * Statements of reasons (DSA Art. 17) and their mapping onto the DSA Transparency Database
 * (pure). A StatementOfReasons is what the affected person, the public log and the export
 * all carry; its field names follow the Transparency Database where one exists.
 *
 * Enumerations are those of the database's `Statement` model and `StatementStoreRequest`
 * (digital-services-act/transparency-database, as digested in the project's requirements
 * reference). `category_specification` keywords are only checked for their `KEYWORD_`
 * prefix: the full list (about 65) is not reproduced here. See docs/moderation.md.
 */

export const DECISION_VISIBILITY = [
  'DECISION_VISIBILITY_CONTENT_REMOVED', 'DECISION_VISIBILITY_CONTENT_DISABLED', 'DECISION_VISIBILITY_CONTENT_DEMOTED',
  'DECISION_VISIBILITY_CONTENT_AGE_RESTRICTED', 'DECISION_VISIBILITY_CONTENT_INTERACTION_RESTRICTED',
  'DECISION_VISIBILITY_CONTENT_LABELLED', 'DECISION_VISIBILITY_OTHER',
] as const;
export const DECISION_MONETARY = ['DECISION_MONETARY_SUSPENSION', 'DECISION_MONETARY_TERMINATION', 'DECISION_MONETARY_OTHER'] as const;
export const DECISION_PROVISION = [
  'DECISION_PROVISION_PARTIAL_SUSPENSION', 'DECISION_PROVISION_TOTAL_SUSPENSION',
  'DECISION_PROVISION_PARTIAL_TERMINATION', 'DECISION_PROVISION_TOTAL_TERMINATION',
] as const;
export const DECISION_ACCOUNT = ['DECISION_ACCOUNT_SUSPENDED', 'DECISION_ACCOUNT_TERMINATED'] as const;
export const ACCOUNT_TYPE = ['ACCOUNT_TYPE_BUSINESS', 'ACCOUNT_TYPE_PRIVATE'] as const;
export const DECISION_GROUND = ['DECISION_GROUND_ILLEGAL_CONTENT', 'DECISION_GROUND_INCOMPATIBLE_CONTENT'] as const;
export const CONTENT_TYPE = [
  'CONTENT_TYPE_APP', 'CONTENT_TYPE_AUDIO', 'CONTENT_TYPE_IMAGE', 'CONTENT_TYPE_PRODUCT', 'CONTENT_TYPE_SYNTHETIC_MEDIA',
  'CONTENT_TYPE_TEXT', 'CONTENT_TYPE_VIDEO', 'CONTENT_TYPE_OTHER',
] as const;
export const TDB_CATEGORIES = [
  'STATEMENT_CATEGORY_ANIMAL_WELFARE', 'STATEMENT_CATEGORY_CONSUMER_INFORMATION', 'STATEMENT_CATEGORY_CYBER_VIOLENCE',
  'STATEMENT_CATEGORY_CYBER_VIOLENCE_AGAINST_WOMEN', 'STATEMENT_CATEGORY_DATA_PROTECTION_AND_PRIVACY_VIOLATIONS',
  'STATEMENT_CATEGORY_ILLEGAL_OR_HARMFUL_SPEECH', 'STATEMENT_CATEGORY_INTELLECTUAL_PROPERTY_INFRINGEMENTS',
  'STATEMENT_CATEGORY_NEGATIVE_EFFECTS_ON_CIVIC_DISCOURSE_OR_ELECTIONS', 'STATEMENT_CATEGORY_NOT_SPECIFIED_NOTICE',
  'STATEMENT_CATEGORY_OTHER_VIOLATION_TC', 'STATEMENT_CATEGORY_PROTECTION_OF_MINORS', 'STATEMENT_CATEGORY_RISK_FOR_PUBLIC_SECURITY',
  'STATEMENT_CATEGORY_SCAMS_AND_FRAUD', 'STATEMENT_CATEGORY_SELF_HARM', 'STATEMENT_CATEGORY_UNSAFE_AND_PROHIBITED_PRODUCTS',
  'STATEMENT_CATEGORY_VIOLENCE',
] as const;
export const SOURCE_TYPE = ['SOURCE_ARTICLE_16', 'SOURCE_TRUSTED_FLAGGER', 'SOURCE_TYPE_OTHER_NOTIFICATION', 'SOURCE_VOLUNTARY'] as const;
export const AUTOMATED_DECISION = ['AUTOMATED_DECISION_FULLY', 'AUTOMATED_DECISION_PARTIALLY', 'AUTOMATED_DECISION_NOT_AUTOMATED'] as const;
/** EU and EEA member states (ISO 3166-1 alpha-2) accepted in `territorial_scope`. */
export const EU_EEA_COUNTRIES = [
  'AT', 'BE', 'BG', 'CY', 'CZ', 'DE', 'DK', 'EE', 'ES', 'FI', 'FR', 'GR', 'HR', 'HU', 'IE', 'IT', 'LT', 'LU', 'LV', 'MT',
  'NL', 'PL', 'PT', 'RO', 'SE', 'SI', 'SK', 'IS', 'LI', 'NO',
] as const;

export type TdbCategory = (typeof TDB_CATEGORIES)[number];
export type VisibilityDecision = (typeof DECISION_VISIBILITY)[number];
export type AccountDecision = (typeof DECISION_ACCOUNT)[number];
export type ProvisionDecision = (typeof DECISION_PROVISION)[number];
export type DecisionGround = (typeof DECISION_GROUND)[number];
export type SourceType = (typeof SOURCE_TYPE)[number];
export type AutomatedDecision = (typeof AUTOMATED_DECISION)[number];

/**
 * Where a decision came from, in Parley's own words. The database has no value for a
 * company-affiliated notifier: on export it maps to SOURCE_TYPE_OTHER_NOTIFICATION, like a
 * member's report against the house rules; a notice of illegal content maps to SOURCE_ARTICLE_16.
 */
export type ParleySource = 'member_report' | 'company_affiliated_report' | 'illegal_content_notice' | 'automated_flag' | 'own_initiative';

export function sourceTypeOf(source: ParleySource): SourceType {
  switch (source) {
    case 'illegal_content_notice': return 'SOURCE_ARTICLE_16';
    case 'member_report':
    case 'company_affiliated_report': return 'SOURCE_TYPE_OTHER_NOTIFICATION';
    case 'automated_flag':
    case 'own_initiative': return 'SOURCE_VOLUNTARY';
  }
}

/** How to seek redress, as the affected person is told. */
export interface Redress {
  /** The appeal (internal complaint) is free and open until this moment. */
  appealUntil: string;
  appealHow: string;
  outOfCourt: string;
  judicial: string;
}

/** The statement of reasons of one moderation decision (DSA Art. 17(3)), with DSA field names. */
export interface StatementOfReasons {
  /** Platform-unique id, never reused: `<site>-<action id>`. */
  puid: string;
  /** What the decision does, and for how long, in plain words. */
  decision_summary: string;
  decision_visibility: VisibilityDecision[];
  decision_account: AccountDecision | null;
  decision_provision: ProvisionDecision | null;
  decision_ground: DecisionGround;
  decision_ground_reference_url: string | null;
  /** The rule relied on: id, version and title (`R4 v2: No promotion of prescription-only medicines`). */
  incompatible_content_ground: string | null;
  incompatible_content_explanation: string | null;
  illegal_content_legal_ground: string | null;
  illegal_content_explanation: string | null;
  rule: { id: string; version: number; title: string } | null;
  /** Facts and circumstances, in plain words and without personal data. */
  decision_facts: string;
  source: ParleySource;
  source_type: SourceType;
  automated_detection: boolean;
  automated_decision: AutomatedDecision;
  category: TdbCategory;
  category_specification: string[];
  content_type: Array<(typeof CONTENT_TYPE)[number]>;
  territorial_scope: string[];
  /** YYYY-MM-DD: when the content was posted (for a decision about an account: the decision's date). */
  content_date: string;
  /** YYYY-MM-DD: when the restriction starts. */
  application_date: string;
  end_date_visibility_restriction: string | null;
  end_date_account_restriction: string | null;
  end_date_service_restriction: string | null;
  redress: Redress;
}

export const ymd = (iso: string): string => iso.slice(0, 10);

/**
 * The statement as the Transparency Database API takes it: only database fields, booleans as
 * "Yes"/"No", nulls and empty arrays left out. No personal data: Parley's facts never name people.
 */
export function toTransparencyDatabase(sor: StatementOfReasons): Record<string, unknown> {
  const out: Record<string, unknown> = {
    decision_ground: sor.decision_ground,
    content_type: sor.content_type,
    category: sor.category,
    decision_facts: sor.decision_facts,
    source_type: sor.source_type,
    automated_detection: sor.automated_detection ? 'Yes' : 'No',
    automated_decision: sor.automated_decision,
    application_date: sor.application_date,
    puid: sor.puid,
  };
  if (sor.decision_visibility.length) out.decision_visibility = sor.decision_visibility;
  if (sor.decision_account) out.decision_account = sor.decision_account;
  if (sor.decision_provision) out.decision_provision = sor.decision_provision;
  if (sor.decision_ground === 'DECISION_GROUND_INCOMPATIBLE_CONTENT') {
    out.incompatible_content_ground = sor.incompatible_content_ground;
    out.incompatible_content_explanation = sor.incompatible_content_explanation;
    out.incompatible_content_illegal = 'No';
  } else {
    out.illegal_content_legal_ground = sor.illegal_content_legal_ground;
    out.illegal_content_explanation = sor.illegal_content_explanation;
  }
  if (sor.decision_ground_reference_url) out.decision_ground_reference_url = sor.decision_ground_reference_url;
  if (sor.category_specification.length) out.category_specification = sor.category_specification;
  if (sor.territorial_scope.length) out.territorial_scope = sor.territorial_scope;
  out.content_date = sor.content_date;
  if (sor.end_date_visibility_restriction) out.end_date_visibility_restriction = sor.end_date_visibility_restriction;
  if (sor.end_date_account_restriction) out.end_date_account_restriction = sor.end_date_account_restriction;
  if (sor.end_date_service_restriction) out.end_date_service_restriction = sor.end_date_service_restriction;
  return out;
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const TDB_FIELDS = new Set([
  'decision_visibility', 'decision_visibility_other', 'decision_monetary', 'decision_monetary_other', 'decision_provision',
  'decision_account', 'account_type', 'decision_ground', 'decision_ground_reference_url', 'illegal_content_legal_ground',
  'illegal_content_explanation', 'incompatible_content_ground', 'incompatible_content_explanation', 'incompatible_content_illegal',
  'content_type', 'content_type_other', 'category', 'category_addition', 'category_specification', 'category_specification_other',
  'territorial_scope', 'content_language', 'content_date', 'application_date', 'end_date_visibility_restriction',
  'end_date_monetary_restriction', 'end_date_service_restriction', 'end_date_account_restriction', 'decision_facts',
  'source_type', 'source_identity', 'automated_detection', 'automated_decision', 'puid', 'content_id',
]);

/**
 * Checks one statement against the Transparency Database's required fields, enumerations and
 * limits; returns the problems (empty when it would be accepted as far as we can tell offline).
 */
export function checkTransparencyDatabaseStatement(s: Record<string, unknown>): string[] {
  const issues: string[] = [];
  const str = (k: string, max: number, required: boolean) => {
    const value = s[k];
    if (value === undefined || value === null || value === '') {
      if (required) issues.push(`${k}: required`);
      return;
    }
    if (typeof value !== 'string') issues.push(`${k}: must be text`);
    else if (value.length > max) issues.push(`${k}: at most ${max} characters`);
  };
  const oneOf = (k: string, allowed: readonly string[], required: boolean) => {
    const value = s[k];
    if (value === undefined || value === null) {
      if (required) issues.push(`${k}: required`);
      return;
    }
    if (typeof value !== 'string' || !allowed.includes(value)) issues.push(`${k}: "${String(value)}" is not one of ${allowed.join(', ')}`);
  };
  const manyOf = (k: string, allowed: readonly string[] | null, required: boolean) => {
    const value = s[k];
    if (value === undefined || value === null) {
      if (required) issues.push(`${k}: required`);
      return;
    }
    if (!Array.isArray(value) || (required && value.length === 0)) return issues.push(`${k}: must be a non-empty array`);
    for (const item of value) {
      if (typeof item !== 'string' || (allowed ? !allowed.includes(item) : !/^KEYWORD_[A-Z_]+$/.test(item))) {
        issues.push(`${k}: "${String(item)}" is not an allowed value`);
      }
    }
  };
  for (const k of Object.keys(s)) if (!TDB_FIELDS.has(k)) issues.push(`${k}: not a Transparency Database field`);

  const decisions = ['decision_visibility', 'decision_monetary', 'decision_provision', 'decision_account'].filter((k) => s[k] !== undefined && s[k] !== null);
  if (decisions.length === 0) issues.push('decision_visibility: one of decision_visibility, decision_monetary, decision_provision, decision_account is required');
  manyOf('decision_visibility', DECISION_VISIBILITY, false);
  if (Array.isArray(s.decision_visibility) && s.decision_visibility.includes('DECISION_VISIBILITY_OTHER')) str('decision_visibility_other', 500, true);
  oneOf('decision_monetary', DECISION_MONETARY, false);
  oneOf('decision_provision', DECISION_PROVISION, false);
  oneOf('decision_account', DECISION_ACCOUNT, false);
  oneOf('account_type', ACCOUNT_TYPE, false);
  oneOf('decision_ground', DECISION_GROUND, true);
  str('decision_ground_reference_url', 500, false);
  if (s.decision_ground === 'DECISION_GROUND_ILLEGAL_CONTENT') {
    str('illegal_content_legal_ground', 500, true);
    str('illegal_content_explanation', 2000, true);
  }
  if (s.decision_ground === 'DECISION_GROUND_INCOMPATIBLE_CONTENT') {
    str('incompatible_content_ground', 500, true);
    str('incompatible_content_explanation', 2000, true);
    oneOf('incompatible_content_illegal', ['Yes', 'No'], false);
  }
  manyOf('content_type', CONTENT_TYPE, true);
  oneOf('category', TDB_CATEGORIES, true);
  manyOf('category_addition', TDB_CATEGORIES, false);
  manyOf('category_specification', null, false);
  manyOf('territorial_scope', EU_EEA_COUNTRIES, false);
  if (s.content_language !== undefined && !(typeof s.content_language === 'string' && /^[A-Z]{2}$/.test(s.content_language))) {
    issues.push('content_language: an ISO 639-1 code in capitals');
  }
  for (const k of ['content_date', 'application_date', 'end_date_visibility_restriction', 'end_date_monetary_restriction', 'end_date_service_restriction', 'end_date_account_restriction']) {
    const value = s[k];
    const required = k === 'content_date' || k === 'application_date';
    if (value === undefined || value === null) {
      if (required) issues.push(`${k}: required`);
      continue;
    }
    if (typeof value !== 'string' || !DATE.test(value)) issues.push(`${k}: must be YYYY-MM-DD`);
    else if (k.startsWith('end_date') && typeof s.application_date === 'string' && value < s.application_date) {
      issues.push(`${k}: must not be before application_date`);
    }
  }
  str('decision_facts', 5000, true);
  oneOf('source_type', SOURCE_TYPE, true);
  str('source_identity', 500, false);
  oneOf('automated_detection', ['Yes', 'No'], true);
  oneOf('automated_decision', AUTOMATED_DECISION, true);
  str('puid', 500, true);
  if (typeof s.puid === 'string' && !/^[a-zA-Z0-9_-]+$/.test(s.puid)) issues.push('puid: only letters, digits, _ and -');
  return issues;
}
