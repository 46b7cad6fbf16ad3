/**
 * Safety routing (pharmacovigilance), the pure part: which national reporting scheme to
 * signpost a member to, the member's private signpost, what a forward to a company's safety
 * team carries (as JSON for a webhook and as plain text for email), the retry schedule of
 * deliveries, link building and the site's lexicon extension.
 *
 * Why here: the server decides *when* (detection, permissions, storage, delivery); this file
 * decides *what*, with plain data in and out, so it can be unit-tested and so the widget can
 * import the wire shapes. No clock, no randomness: times and ids are passed in.
 *
 * Principles (requirements C9): a possible adverse event is data for a safety team, not a
 * rule violation. Nothing here hides, edits or delays a post; a forward never carries the
 * member's email address — the safety team reaches the member only through the host
 * organisation, and only if the member opted in.
 */
import {
  DEFAULT_ADVERSE_EVENT_LEXICON,
  extendLexicon,
  type AdverseEventLexicon,
} from './detectors/adverse-event-lexicon.js';

// ---------------------------------------------------------------------------------------------
// National reporting schemes and the member's signpost
// ---------------------------------------------------------------------------------------------

/** Where a patient can report a suspected side effect themself. `country` is ISO 3166-1 alpha-2, or '*' for the fallback. */
export interface ReportingScheme {
  country: string;
  name: string;
  url: string;
}

export const FALLBACK_COUNTRY = '*';

/** The default map (a site may replace it with the `schemes` setting). */
export const DEFAULT_REPORTING_SCHEMES: readonly ReportingScheme[] = [
  { country: 'GB', name: 'Yellow Card scheme (MHRA)', url: 'https://yellowcard.mhra.gov.uk' },
  { country: 'NL', name: 'Bijwerkingencentrum Lareb', url: 'https://www.lareb.nl' },
  { country: 'DE', name: 'Bundesinstitut für Arzneimittel und Medizinprodukte (BfArM)', url: 'https://www.bfarm.de' },
  { country: 'US', name: 'FDA MedWatch', url: 'https://www.fda.gov/medwatch' },
  {
    country: FALLBACK_COUNTRY,
    name: 'your national medicines regulator (in the EU, the European Medicines Agency lists them)',
    url: 'https://www.ema.europa.eu',
  },
];

/**
 * Languages that point to one country clearly enough to be a first guess. English does not
 * (GB, IE, US, …): the site's default country or the fallback answers instead.
 */
const COUNTRY_OF_LANGUAGE: Readonly<Record<string, string>> = { nl: 'NL', de: 'DE' };

export interface SchemeChoice {
  scheme: ReportingScheme;
  /** How the scheme was chosen, so the widget can say "for the Netherlands" or offer a choice. */
  basis: 'member-country' | 'site-country' | 'post-language' | 'fallback';
  /** Every other configured scheme (for "not in this country?"). */
  others: ReportingScheme[];
}

/**
 * Picks the scheme for a member: their own country if the widget knows it (from the host
 * page's locale), else the site's country, else a guess from the post's language, else the
 * fallback. The member always gets the other schemes too, because every guess can be wrong.
 */
export function chooseReportingScheme(
  schemes: readonly ReportingScheme[],
  hints: { memberCountry?: string | null; siteCountry?: string | null; language?: string | null },
): SchemeChoice {
  const byCountry = (country: string | null | undefined) =>
    country ? schemes.find((s) => s.country === country.toUpperCase()) : undefined;
  const fallback = byCountry(FALLBACK_COUNTRY) ?? DEFAULT_REPORTING_SCHEMES.find((s) => s.country === FALLBACK_COUNTRY)!;
  const candidates: Array<[SchemeChoice['basis'], ReportingScheme | undefined]> = [
    ['member-country', byCountry(hints.memberCountry)],
    ['site-country', byCountry(hints.siteCountry)],
    ['post-language', byCountry(hints.language ? COUNTRY_OF_LANGUAGE[hints.language] : null)],
  ];
  const [basis, scheme] = candidates.find(([, s]) => s !== undefined) ?? ['fallback', fallback];
  return { scheme: scheme!, basis, others: schemes.filter((s) => s !== scheme) };
}

/** Where a contact applies: a country (ISO 3166-1 alpha-2) and a product (its registered name); null is "any". */
export interface PvContactScope {
  country: string | null;
  product: string | null;
}

/** How specific the chosen contact is, most specific first. */
export type PvContactMatch = 'product-country' | 'product' | 'country' | 'company';

/**
 * The country a flagged post's report is most likely about, for routing (P-4): the site's
 * country, else one the post's language points to clearly (nl → NL), else none. Parley does
 * not ask members where they live (G-1), so the author's own country is not known here.
 */
export function routingCountry(siteCountry: string | null | undefined, language: string | null | undefined): string | null {
  return siteCountry?.toUpperCase() ?? (language ? COUNTRY_OF_LANGUAGE[language] ?? null : null);
}

/**
 * The most specific pharmacovigilance contact for a flag (P-4): one for a flagged product in
 * the routing country, else one for a flagged product in any country, else one for the
 * country and any product, else the company's default. Products are tried in the flag's order
 * and compared without regard to case. Null when the company has no contact that applies.
 */
export function choosePvContact<T extends PvContactScope>(
  contacts: readonly T[],
  flag: { products: readonly string[]; country: string | null },
): { contact: T; match: PvContactMatch } | null {
  const fold = (s: string | null) => (s === null ? null : s.toLocaleLowerCase('en'));
  const products = flag.products.map(fold);
  const country = flag.country?.toUpperCase() ?? null;
  const forProduct = (c: T) => c.product !== null && products.includes(fold(c.product));
  const byProductOrder = (a: T, b: T) => products.indexOf(fold(a.product)) - products.indexOf(fold(b.product));
  const levels: Array<[PvContactMatch, (c: T) => boolean]> = [
    ['product-country', (c) => forProduct(c) && country !== null && c.country === country],
    ['product', (c) => forProduct(c) && c.country === null],
    ['country', (c) => c.product === null && country !== null && c.country === country],
    ['company', (c) => c.product === null && c.country === null],
  ];
  for (const [match, applies] of levels) {
    const found = contacts.filter(applies).sort(byProductOrder)[0];
    if (found) return { contact: found, match };
  }
  return null;
}

/** What the author of a flagged post is told, privately. */
export interface SafetySignpost {
  /** Plain, friendly English; the widget may render its own translation from the fields below. */
  message: string;
  scheme: ReportingScheme;
  basis: SchemeChoice['basis'];
  otherSchemes: ReportingScheme[];
  companyName: string;
  products: string[];
  /** Whether the company has a safety contact Parley can forward to (its address is never shown). */
  companyHasSafetyContact: boolean;
  /** The question the member answers with POST /safety/flags/{id}/consent. */
  consentQuestion: string;
}

export function signpostFor(input: {
  choice: SchemeChoice;
  companyName: string;
  products: readonly string[];
  hostName: string;
  companyHasSafetyContact: boolean;
}): SafetySignpost {
  const products = [...input.products];
  const product = products.join(', ');
  const message =
    `Thank you for sharing your experience. Your message stays up exactly as you wrote it. ` +
    `If you think ${product} may have caused a side effect, you can report it yourself to ${input.choice.scheme.name} ` +
    `(${input.choice.scheme.url}): anyone can, and it helps make medicines safer. ` +
    `A moderator or ${input.companyName} may also pass your message to ${input.companyName}'s drug-safety team, ` +
    `which has a duty to look at possible side effects of its medicines. They never receive your email address.`;
  const consentQuestion =
    `May ${input.companyName}'s drug-safety team contact you with follow-up questions? ` +
    `They would write through ${input.hostName}, never to you directly, and you can change your mind at any time.`;
  return {
    message,
    scheme: input.choice.scheme,
    basis: input.choice.basis,
    otherSchemes: input.choice.others,
    companyName: input.companyName,
    products,
    companyHasSafetyContact: input.companyHasSafetyContact,
    consentQuestion,
  };
}

// ---------------------------------------------------------------------------------------------
// Links
// ---------------------------------------------------------------------------------------------

/**
 * The link a safety team follows to the post: the host's page when the site configured a
 * template (`https://host.example/forum/{topic}#post-{post}`), else Parley's API URL of the
 * post (always works, shows the JSON post).
 */
export function postLink(input: { template: string | null; apiBase: string; site: string; topic: string; postId: string }): {
  url: string;
  apiUrl: string;
} {
  const apiUrl = `${input.apiBase}/api/sites/${encodeURIComponent(input.site)}/posts/${encodeURIComponent(input.postId)}`;
  if (!input.template) return { url: apiUrl, apiUrl };
  const url = input.template
    .replaceAll('{site}', encodeURIComponent(input.site))
    .replaceAll('{topic}', encodeURIComponent(input.topic))
    .replaceAll('{post}', encodeURIComponent(input.postId));
  return { url, apiUrl };
}

// ---------------------------------------------------------------------------------------------
// The forward to a company's safety team
// ---------------------------------------------------------------------------------------------

export type FirstSeenVia = 'screen' | 'list' | 'forward' | 'feed';

/** How the safety team can reach the member: only through the host organisation, quoting the reference. */
export interface ContactThroughHost {
  /** Quote this to the host organisation; it maps to the member only inside the host's own records. */
  reference: string;
  hostName: string;
  /** The host organisation's mailbox for safety follow-up, if the site named one. */
  email: string | null;
  /** null: the member has not answered yet; false: declined; true: agreed to be contacted through the host. */
  memberAgreed: boolean | null;
  instructions: string;
}

/** The JSON body of a webhook forward (and the content of the email). Version 1. */
export interface SafetyForwardPayload {
  type: 'parley.safety.forward';
  version: 1;
  /** The forward's id: the same forward is never sent twice, and retries carry the same id. */
  id: string;
  reference: string;
  site: { id: string; name: string };
  company: { id: string; name: string };
  post: {
    id: string;
    topic: string;
    topicTitle: string | null;
    url: string;
    apiUrl: string;
    createdAt: string;
    editedAt: string | null;
    /** The post's words as they were when forwarded (the event text the safety team assesses). */
    text: string;
    language: string;
    /** The author's public display name on the forum (a pseudonym for members). Never an email. */
    reporterPseudonym: string;
  };
  products: string[];
  eventTerms: string[];
  concepts: string[];
  detectedAt: string;
  /** When any of the company's staff first had the post on screen (candidate day zero), or null. */
  firstSeenByCompanyStaffAt: string | null;
  firstSeenVia: FirstSeenVia | null;
  forwardedAt: string;
  forwardedBy: { role: 'moderator' | 'company-staff'; name: string | null };
  contactThroughHost: ContactThroughHost;
  /**
   * GVP VI.B.2's four minimum criteria as Parley can judge them. `identifiablePatient` is for a
   * person to assess from the text (null), the others are present by construction.
   */
  minimumCriteria: { identifiableReporter: true; suspectProduct: true; adverseEvent: true; identifiablePatient: null };
  automatedDetection: { detector: 'adverse-event'; note: string };
}

export interface ForwardInput {
  forwardId: string;
  reference: string;
  site: { id: string; name: string };
  company: { id: string; name: string };
  post: SafetyForwardPayload['post'];
  products: readonly string[];
  eventTerms: readonly string[];
  concepts: readonly string[];
  detectedAt: string;
  firstSeen: { at: string; via: FirstSeenVia } | null;
  forwardedAt: string;
  forwardedBy: SafetyForwardPayload['forwardedBy'];
  relayEmail: string | null;
  memberAgreed: boolean | null;
}

export function contactThroughHost(input: { reference: string; hostName: string; relayEmail: string | null; memberAgreed: boolean | null }): ContactThroughHost {
  const where = input.relayEmail ? `${input.hostName} at ${input.relayEmail}` : input.hostName;
  const consent =
    input.memberAgreed === true
      ? 'The member agreed to be contacted through the host organisation.'
      : input.memberAgreed === false
        ? 'The member declined to be contacted; the host organisation will not pass messages on.'
        : 'The member has not said yet whether they may be contacted; you will receive an update if they agree.';
  return {
    reference: input.reference,
    hostName: input.hostName,
    email: input.relayEmail,
    memberAgreed: input.memberAgreed,
    instructions: `To follow up, write to ${where} quoting reference ${input.reference}. ${consent}`,
  };
}

/** Builds the forward. Pure: everything it says comes from the input (never the member's email). */
export function buildForwardPayload(input: ForwardInput): SafetyForwardPayload {
  return {
    type: 'parley.safety.forward',
    version: 1,
    id: input.forwardId,
    reference: input.reference,
    site: { ...input.site },
    company: { ...input.company },
    post: { ...input.post },
    products: [...input.products],
    eventTerms: [...input.eventTerms],
    concepts: [...input.concepts],
    detectedAt: input.detectedAt,
    firstSeenByCompanyStaffAt: input.firstSeen?.at ?? null,
    firstSeenVia: input.firstSeen?.via ?? null,
    forwardedAt: input.forwardedAt,
    forwardedBy: { ...input.forwardedBy },
    contactThroughHost: contactThroughHost({
      reference: input.reference, hostName: input.site.name, relayEmail: input.relayEmail, memberAgreed: input.memberAgreed,
    }),
    minimumCriteria: { identifiableReporter: true, suspectProduct: true, adverseEvent: true, identifiablePatient: null },
    automatedDetection: {
      detector: 'adverse-event',
      note: 'Found by keyword matching of a product name and a possible side-effect term; a person decided to forward it. Causality and seriousness are not assessed.',
    },
  };
}

const FIRST_SEEN_WORDS: Record<FirstSeenVia, string> = {
  screen: 'had the post on screen in the forum',
  list: 'opened the list of flagged posts',
  forward: 'forwarded it',
  feed: 'the monitoring feed delivered it',
};

/** The email version of a forward: plain text, everything a safety team needs, no member email. */
export function forwardEmail(p: SafetyForwardPayload): { subject: string; text: string } {
  const subject = `[${p.site.name}] Possible adverse event: ${p.products.join(', ')} (ref ${p.reference})`;
  const firstSeen = p.firstSeenByCompanyStaffAt
    ? `${p.firstSeenByCompanyStaffAt} (${p.company.name} staff ${FIRST_SEEN_WORDS[p.firstSeenVia ?? 'screen']})`
    : 'not recorded (no staff of the company had opened it in Parley before this forward)';
  const quoted = p.post.text.split('\n').map((line) => `> ${line}`).join('\n');
  const text = [
    `A post on ${p.site.name} may describe a side effect of ${p.products.join(', ')} (${p.company.name}).`,
    `It was forwarded for safety review by ${p.forwardedBy.role === 'moderator' ? 'a moderator' : `${p.company.name} staff`}${p.forwardedBy.name ? ` (${p.forwardedBy.name})` : ''}.`,
    '',
    `Reference:        ${p.reference}`,
    `Link:             ${p.post.url}`,
    `Posted:           ${p.post.createdAt}${p.post.editedAt ? ` (edited ${p.post.editedAt})` : ''}`,
    `Reporter:         ${p.post.reporterPseudonym} (forum pseudonym)`,
    `Product(s):       ${p.products.join(', ')}`,
    `Possible events:  ${p.eventTerms.join(', ')}`,
    `Language:         ${p.post.language}`,
    `Flagged:          ${p.detectedAt} (automated keyword detection)`,
    `First seen by ${p.company.name} staff: ${firstSeen}`,
    `Forwarded:        ${p.forwardedAt}`,
    '',
    'The post, as written:',
    quoted,
    '',
    'Contacting the reporter:',
    p.contactThroughHost.instructions,
    '',
    'Minimum criteria: identifiable reporter (forum member, reachable through the host organisation), suspect product and',
    'possible adverse event are present; whether the patient is identifiable needs your assessment of the text.',
    '',
    `Machine-readable forward id: ${p.id}`,
  ].join('\n');
  return { subject, text };
}

/** Sent after a forward when the member later changes whether they may be contacted. */
export interface SafetyConsentUpdatePayload {
  type: 'parley.safety.consent-update';
  version: 1;
  forwardId: string;
  reference: string;
  site: { id: string; name: string };
  company: { id: string; name: string };
  post: { id: string; url: string };
  at: string;
  contactThroughHost: ContactThroughHost;
}

export function buildConsentUpdate(input: {
  forward: Pick<SafetyForwardPayload, 'id' | 'reference' | 'site' | 'company' | 'post'>;
  at: string;
  relayEmail: string | null;
  memberAgreed: boolean;
}): SafetyConsentUpdatePayload {
  const f = input.forward;
  return {
    type: 'parley.safety.consent-update',
    version: 1,
    forwardId: f.id,
    reference: f.reference,
    site: { ...f.site },
    company: { ...f.company },
    post: { id: f.post.id, url: f.post.url },
    at: input.at,
    contactThroughHost: contactThroughHost({
      reference: f.reference, hostName: f.site.name, relayEmail: input.relayEmail, memberAgreed: input.memberAgreed,
    }),
  };
}

export function consentUpdateEmail(p: SafetyConsentUpdatePayload): { subject: string; text: string } {
  return {
    subject: `[${p.site.name}] Update on ref ${p.reference}: reporter ${p.contactThroughHost.memberAgreed ? 'agreed to' : 'declined'} follow-up contact`,
    text: [
      `Update on the possible adverse event forwarded earlier (reference ${p.reference}, ${p.post.url}).`,
      '',
      p.contactThroughHost.instructions,
      '',
      `Forward id: ${p.forwardId}`,
    ].join('\n'),
  };
}

// ---------------------------------------------------------------------------------------------
// Delivery retries
// ---------------------------------------------------------------------------------------------

/** Waits after the 1st, 2nd, … failed attempt: quick at first, then spread over a day. */
export const RETRY_DELAYS_MS: readonly number[] = [
  60_000, 5 * 60_000, 15 * 60_000, 60 * 60_000, 3 * 3600_000, 6 * 3600_000, 12 * 3600_000, 24 * 3600_000,
];
/** After this many failed attempts a delivery is marked failed (a moderator can still retry it). */
export const MAX_DELIVERY_ATTEMPTS = RETRY_DELAYS_MS.length + 1;

/** What follows a failed attempt: another try later, or give up (visible to moderators as failed). */
export function afterFailedAttempt(attempts: number, nowMs: number): { status: 'pending'; nextAttemptAt: string } | { status: 'failed' } {
  if (attempts >= MAX_DELIVERY_ATTEMPTS) return { status: 'failed' };
  const delay = RETRY_DELAYS_MS[Math.max(0, attempts - 1)] ?? RETRY_DELAYS_MS[RETRY_DELAYS_MS.length - 1]!;
  return { status: 'pending', nextAttemptAt: new Date(nowMs + delay).toISOString() };
}

// ---------------------------------------------------------------------------------------------
// The site's lexicon
// ---------------------------------------------------------------------------------------------

/** An extra event term a site adds (e.g. a product-specific side effect, a regional word). */
export interface ExtraEventTerm {
  language: string;
  concept: string;
  patterns: string[];
}

/** The default lexicon plus the site's extra terms (a new object; the default is untouched). */
export function siteLexicon(extraTerms: readonly ExtraEventTerm[]): AdverseEventLexicon {
  if (extraTerms.length === 0) return DEFAULT_ADVERSE_EVENT_LEXICON;
  const byLanguage = new Map<string, ExtraEventTerm[]>();
  for (const term of extraTerms) byLanguage.set(term.language, [...(byLanguage.get(term.language) ?? []), term]);
  return extendLexicon(
    DEFAULT_ADVERSE_EVENT_LEXICON,
    [...byLanguage].map(([language, terms]) => ({
      language,
      terms: terms.map((t) => ({ concept: t.concept, patterns: [...t.patterns] })),
    })),
  );
}

// ---------------------------------------------------------------------------------------------
// Wire shapes of the safety API (docs/api.md), for the widget and other clients
// ---------------------------------------------------------------------------------------------

/** A delivery of a forward (or of a consent update) to one channel of the company's contact. */
export interface SafetyDeliveryView {
  id: string;
  kind: 'forward' | 'consent-update';
  channel: 'email' | 'webhook';
  target: string;
  /** `held`: email with no mail server configured — it waits in the outbox. */
  status: 'pending' | 'delivered' | 'failed' | 'held';
  /** Needs a person's attention: the last attempt failed, or the email is held for want of a mail server. */
  failing: boolean;
  attempts: number;
  lastError: string | null;
  lastAttemptAt: string | null;
  nextAttemptAt: string | null;
  deliveredAt: string | null;
  createdAt: string;
}

export interface SafetyForwardView {
  id: string;
  flagId: string;
  at: string;
  by: SafetyForwardPayload['forwardedBy'];
  logIndex: number | null;
  deliveries: SafetyDeliveryView[];
  /** Exactly what the safety team receives (the webhook body; the email says the same). */
  payload: SafetyForwardPayload;
}

/** A flag as moderators and the company's own staff see it (GET /safety/flags). */
export interface SafetyFlagView {
  id: string;
  /** What the company's safety team quotes to the host organisation. */
  reference: string;
  postId: string;
  topic: string;
  url: string;
  company: { id: string; name: string; hasSafetyContact: boolean };
  products: string[];
  eventTerms: string[];
  concepts: string[];
  negatedTerms: string[];
  language: string;
  detectedAt: string;
  logIndex: number | null;
  /** The post as it is now (it is public; a removed post has no text). */
  post: {
    id: string; createdAt: string; editedAt: string | null; status: 'visible' | 'removed' | 'deleted'; body: string;
    /** `id` only for moderators. */
    author: { name: string; kind: string; id?: string };
  } | null;
  firstSeenByCompanyStaffAt: string | null;
  firstSeenVia: FirstSeenVia | null;
  /** The member's answer to "may the safety team contact you through the host?" (null: not answered). */
  memberConsent: boolean | null;
  forward: SafetyForwardView | null;
  /** Not yet forwarded, and the company has a contact to forward to. */
  youMayForward: boolean;
}

/** One of the signed-in member's own flagged posts (GET /safety/my-flags). */
export interface MySafetyFlagView {
  id: string;
  postId: string;
  topic: string;
  company: { id: string; name: string };
  products: string[];
  detectedAt: string;
  /** Your answer (null: not answered yet). */
  contactConsent: boolean | null;
  consentAt: string | null;
  forwarded: boolean;
  signpost: SafetySignpost;
}

/** An item of a company's monitoring feed (GET /safety/feed): no post text, follow the link. */
export interface SafetyFeedItem {
  flagId: string;
  reference: string;
  postId: string;
  topic: string;
  url: string;
  products: string[];
  eventTerms: string[];
  language: string;
  flaggedAt: string;
  postCreatedAt: string | null;
  postStatus: 'visible' | 'removed' | 'deleted' | null;
  forwarded: boolean;
}

/** A company's pharmacovigilance contact as site admins see it. */
export interface SafetyContactView {
  company: string;
  /** ISO 3166-1 alpha-2, or null: any country. */
  country: string | null;
  /** One of the company's product names, or null: any product. */
  product: string | null;
  pvEmail: string | null;
  pvWebhookUrl: string | null;
  /** Webhook bodies carry `X-Parley-Signature: sha256=<HMAC of the body>` with the secret shown when the URL was set. */
  webhookSigned: boolean;
  updatedAt: string;
}
