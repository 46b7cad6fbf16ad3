/**
 * The shapes Parley's server sends and its widget renders. Plain data only: these cross
 * the wire as JSON, so dates are ISO-8601 strings and ids are opaque strings.
 */
import type { PresenceSummary } from './detectors/presence.js';
import type { SafetyFlagView } from './safety.js';
import type { FundingEntry, FundingSummary } from './funding.js';
import type { HelpfulSummary, HoldNote, PinNote } from './spam-schemas.js';

/** Roles per site. Readers need no sign-in; everything else is granted per site. */
export type Role = 'reader' | 'member' | 'staff' | 'moderator' | 'admin';

/** What a reader is told about whoever wrote a post. Never contains an email address. */
export interface PublicAuthor {
  /** Opaque and stable within a site; not the host site's `sub`. */
  id: string;
  /** Display name: a pseudonym for members, the real name for company staff. */
  name: string;
  /** `deleted` once a member has erased their account; their words may remain. */
  kind: 'member' | 'staff' | 'deleted';
  /** Present when the site shows this person moderates (roles are public: no secret moderators). */
  moderator?: boolean;
  /** Present for company staff: the affiliation as it was when the post was written. */
  affiliation?: AffiliationBadge;
  /** Present for healthcare professionals verified by the site. */
  professional?: ProfessionalBadge;
  /** Set when a member's name resembles a verified staff member or a company: shown as a warning. */
  lookalike?: boolean;
  /** Set when the post came in with an import (Disqus, WordPress, another Parley): the author never signed in here. */
  imported?: boolean;
}

/** An employee's verified link to a company, shown on every post they write. */
export interface AffiliationBadge {
  companyId: string;
  companyName: string;
  jobTitle: string;
  verifiedBy: string;
  verifiedAt: string;
}

export interface ProfessionalBadge {
  profession: string;
  verifiedAt: string;
}

/** 'deleted': the author deleted it (issue 16); like a removal, its text is gone for everyone. */
export type PostStatus = 'visible' | 'removed' | 'deleted';

export interface Post {
  id: string;
  site: string;
  topic: string;
  /** The post this replies to, or null for a top-level post. */
  parent: string | null;
  /** The top-level post of this thread (itself for a top-level post). */
  root: string;
  /** 0 for a top-level post, parent's depth + 1 for a reply. */
  depth: number;
  /** Creation order within the topic: 1, 2, 3, ... */
  seq: number;
  /** The topic's change counter when this post last changed; catch-up asks for rev > n. */
  rev: number;
  author: PublicAuthor;
  /** Markdown source as the author wrote it (the safe subset). */
  body: string;
  /** HTML rendered by the server from `body`. Clients must still sanitise it before use. */
  html: string;
  createdAt: string;
  editedAt: string | null;
  status: PostStatus;
  /**
   * Present when moderators acted on this post (a removal's tombstone, labels, closed replies).
   * The same for every viewer — no shadow bans — except `ownText`, sent only to the author.
   * A removed post has `body` and `html` empty for everyone.
   */
  moderation?: PostModeration;
  /**
   * Automated label on a company employee's post whose text is nearly the same as earlier
   * posts by staff of the same company (near-duplicate detection; the site's boilerplate does
   * not count). A label, never a removal; recorded in the public audit log. Same for everyone.
   */
  scripted?: ScriptedLabel;
  /**
   * Products of the site's company register that a staff post names (brand, generic name),
   * computed from the current text when the post is presented, so readers see a promotional
   * mention plainly ("Mentions: Cognivex (prescription-only medicine)"). Staff posts only; absent
   * when there is none or the post is removed.
   */
  productMentions?: ProductMentionNote[];
  /**
   * A staff post that includes the site's required boilerplate (a safety signpost, a standard
   * disclaimer): readers see "Includes the site's standard safety information", and that text
   * never counts as scripted. Staff posts only; absent otherwise.
   */
  standardSafetyInfo?: true;
  /**
   * Present once the author edited the post (`editedAt` is then set): how often, and whether
   * a staff post was edited after someone replied to it or reported it. Every version stays
   * readable by everyone at GET /posts/{id}/history (edit history, issue 6).
   */
  edits?: EditSummary;
  /**
   * Present when the author addressed the post to a company taking part ("Ask Novacura", issue 14):
   * "Question to Novacura Pharma", and once answered "Answered by <name>, <role>, after 2 days".
   * The same for every viewer.
   */
  question?: QuestionNote;
  /**
   * Present only for the post's author and the site's moderators while the post waits for a
   * moderator (issue 16): readers never receive a held post at all.
   */
  hold?: HoldNote;
  /** "Helpful" marks (issue 16): members' count ranks; staff marks are listed apart (S-3). */
  helpful?: HelpfulSummary;
}

/** Where a question put to a company stands (issue 14). */
export type QuestionStatus = 'open' | 'answered' | 'out-of-scope';

/** A question put to a company, as shown on the post. */
export interface QuestionNote {
  company: { id: string; name: string };
  status: QuestionStatus;
  /** When the question was asked (the post's creation). */
  askedAt: string;
  /** Set once a verified staff member of the company answered: in the thread, or by linking a reply of theirs. */
  answer?: QuestionAnswer;
  /** Set when a moderator marked the question out of scope (logged in the public audit log). */
  outOfScope?: { reason: string; moderator: string; at: string; logIndex: number | null };
}

export interface QuestionAnswer {
  postId: string;
  authorName: string;
  jobTitle: string;
  companyName: string;
  at: string;
  /** Whole hours from the question to the answer. */
  waitedHours: number;
}

/** "edited · see history"; the markers are only ever set on company staff's posts. */
export interface EditSummary {
  /** Edits so far (the post has `count + 1` versions). */
  count: number;
  /** A staff post edited while it had at least one reply. */
  afterReply: boolean;
  /** A staff post edited after it had been reported at least once. */
  afterReport: boolean;
}

/** One version of a post's text, as GET /posts/{id}/history lists it. */
export interface PostVersion {
  /** 1 is the text as first posted; the highest is the current text. */
  version: number;
  /** Empty for everyone when the post was removed (like its tombstone). */
  body: string;
  html: string;
  /** When this text was published: the post's creation for version 1, else the edit that wrote it. */
  at: string;
  /** The edit that wrote this version, or null for the original. */
  editedAt: string | null;
  /** Markers of the edit that wrote this version (staff posts only; false for version 1). */
  afterReply: boolean;
  afterReport: boolean;
}

/** Every version of a post, oldest first; public. */
export interface PostHistory {
  postId: string;
  status: PostStatus;
  createdAt: string;
  versions: PostVersion[];
}

/** A product named in a staff post, as shown on the post (issue 6). */
export interface ProductMentionNote {
  /** The product's brand name as listed in the register (even when the post used the generic name). */
  name: string;
  prescriptionOnly: boolean;
}

/** "Similar text posted {count} times by {company} staff", linking to the other posts. */
export interface ScriptedLabel {
  /** Times similar text was posted by the company's staff: the earlier similar posts plus this one (≥ 2). */
  count: number;
  /** The company's display name. */
  company: string;
  /** The most similar of those posts (at most 20), most similar first. */
  similarPostIds: string[];
  /** The audit log entry recording the automated detection, or null without a log. */
  logIndex: number | null;
}

/** A moderation decision as readers see it on a post or topic. */
export interface ModerationNote {
  /** The action; its public statement of reasons is at GET /moderation/actions/{actionId}. */
  actionId: string;
  ruleId: string | null;
  ruleVersion: number | null;
  ruleTitle: string | null;
  /** Short public reason, in plain words. */
  reason: string;
  /** The moderator's name or stable pseudonym ("Moderator 3"), as the site chooses. */
  moderator: string;
  at: string;
  /** Index of the entry in the site's public audit log, when the log is enabled. */
  logIndex: number | null;
}

/** What stays in the thread when a post is removed. */
export interface Tombstone extends ModerationNote {
  appeal: 'none' | 'open' | 'upheld' | 'reversed';
  /** Appeals are open until then (six months after the decision). */
  appealableUntil: string;
}

/** A public note moderators attached to a post (lighter than removal; the words stay). */
export interface PostLabel extends ModerationNote {
  text: string;
}

export interface PostModeration {
  removal: Tombstone | null;
  labels: PostLabel[];
  /** Set while moderators have closed replies beneath this post. */
  repliesClosed: ModerationNote | null;
  /** Only in answers to the author themself (with their token): their own removed words. */
  ownText?: { body: string; html: string };
}

export interface TopicInfo {
  site: string;
  id: string;
  title: string | null;
  /** Highest `rev` in the topic: a client that has seen it is up to date. */
  rev: number;
  postCount: number;
  locked: boolean;
  /** Present when a moderator locked the topic: who, on which rule, why (REST pages and catch-up). */
  lock?: ModerationNote;
  /** The post a moderator pinned at the top of the topic (issue 16; one per topic, logged). */
  pinned?: PinNote;
}

export type PageOrder = 'newest' | 'oldest' | 'helpful';

/** One page of a topic: top-level posts in the requested order, with their replies. */
export interface TopicPage {
  topic: TopicInfo;
  order: PageOrder;
  /** Top-level posts of this page followed by their replies (oldest first within a thread). */
  posts: Post[];
  /** Pass back as `cursor` for the next page; null when there is none. */
  nextCursor: string | null;
}

/** What a catch-up after a reconnect returns: every post changed since `since`. */
export interface TopicChanges {
  topic: TopicInfo;
  posts: Post[];
  /** True when more changed than one catch-up carries: the client should refetch the page. */
  truncated: boolean;
}

/** The public description of a site, fetched by the widget before it renders. */
export interface PublicSiteInfo {
  id: string;
  name: string;
  /** Where this site's house rules and moderation policy are published. */
  rulesUrl: string | null;
  /** When a house rule last changed (a new version after the first), so widgets can announce it. */
  rulesChangedAt: string | null;
  demo: boolean;
  /** How members may sign in here (issue 12): the widget offers exactly these. */
  signIn: SignInOffer;
}

/**
 * A way for members to sign in on a site, chosen per site (issue 12):
 * - `email`: a single-use link and a one-time code sent to the member's address;
 * - `oidc`: the site's OpenID Connect provider (authorization code flow with PKCE);
 * - `host-token`: the host page signs its own members in and hands the widget a JWT.
 */
export type SignInMethod = 'email' | 'oidc' | 'host-token';

export interface SignInOffer {
  methods: SignInMethod[];
  /** The OpenID provider's name for its button ("Sign in with <name>"), when `oidc` is offered. */
  oidcName?: string;
  /** Companies take part on this site: offer "I work for a company taking part". */
  staff: boolean;
}

/** Who the server thinks is signed in, for the widget's composer. */
export interface Viewer {
  id: string;
  name: string;
  roles: Role[];
  kind: PublicAuthor['kind'];
  /** Only ever sent to the person themself. */
  email: string | null;
  affiliation: AffiliationBadge | null;
  professional: ProfessionalBadge | null;
  /**
   * A member who signed in by email or OpenID Connect must first choose a display name, read the
   * notice that posts are public and health details sensitive, and accept the house rules
   * (`POST /me/welcome`); until then they may read but not write.
   */
  needsWelcome: boolean;
}

/** A medicine or device a company makes, named by brand and by generic (INN) name. */
export interface Product {
  name: string;
  inn: string[];
  prescriptionOnly: boolean;
}

// A funding entry (year, amount, currency, type, purpose, agreement, date added): moderation/funding.ts.
export type { FundingEntry, FundingType } from './funding.js';

/** The company's relationship with the host organisation, shown next to its people. */
export interface Disclosure {
  funding: FundingEntry[];
  projects: string[];
  /** Where the host publishes its full disclosure. */
  url: string | null;
  statement: string | null;
}

/** A verified employee, as readers see them in a company card. */
export interface StaffMember {
  userId: string;
  name: string;
  jobTitle: string;
  verifiedBy: string;
  verifiedAt: string;
  /** Set when the site revoked the affiliation; their past posts keep the badge they had. */
  revokedAt: string | null;
}

/** A company in a site's public register. */
export interface CompanyInfo {
  id: string;
  legalName: string;
  displayName: string;
  products: Product[];
  disclosure: Disclosure;
  /**
   * "Company-sponsored" (requirement P-4, GVP VI): the company funds this installation, so the
   * forum counts as a digital medium it sponsors and it must screen it for adverse events.
   */
  sponsored: boolean;
  people: StaffMember[];
  /** The company named a pharmacovigilance contact, so possible side effects can be forwarded to it (the address is not public). */
  safetyContact?: boolean;
  /** Questions put to the company: public figures over 12 weeks (issue 14). */
  questions?: QuestionFigures;
  /** The company's approved public pledge on answering, or null. */
  pledge?: Pledge | null;
}

/** The site's funding from companies, summarised for readers (per currency: see moderation/funding.ts). */
export type FundingOverview = FundingSummary;

/** The public register of companies taking part on a site. */
export interface CompanyRegister {
  site: string;
  siteName: string;
  companies: CompanyInfo[];
  funding: FundingOverview;
}

/** "Who takes part" in a topic: the companies whose staff posted there, and the site's funding. */
export interface TopicParticipants {
  topic: string;
  companies: Array<CompanyInfo & { postsInTopic: number }>;
  professionals: Array<{ userId: string; name: string; profession: string }>;
  funding: FundingOverview;
}

/** Parley's own session, issued after a verified email link or in exchange for a host token. */
export interface SessionTokens {
  accessToken: string;
  /** Seconds until the access token expires; refresh before then. */
  expiresIn: number;
  refreshToken: string;
  viewer: Viewer;
}

/**
 * A company's presence over time on a site (issue 6), `GET /companies/{id}/presence`: its weekly
 * activity, how fast it answers questions put to it, and whether it takes part steadily or in
 * campaign bursts. Computed by moderation/detectors/presence.ts; see docs/api.md for the definitions.
 */
export interface CompanyPresence extends PresenceSummary {
  site: string;
  companyId: string;
  companyName: string;
  /** Weeks (ISO, UTC, Monday first) the series may cover: the most recent `windowWeeks`. */
  windowWeeks: number;
  /**
   * The summary's `series` runs from the company's registration or first post (whichever is
   * earlier, but no further back than the window) to the current week, empty weeks included.
   * `posts` are the company's posts that do not reply to a patient or carer; `repliesToMembers`
   * those that do (`answers` of them answered a question put to the company); `total` is both.
   * `classification` is `insufficient-data` below 4 weeks or 6 activities.
   */
  generatedAt: string;
}

// ---------------------------------------------------------------------------------------------
// Questions put to a company and the company desk (issue 14)
// ---------------------------------------------------------------------------------------------

/** A company's public promise on answering ("we answer within 3 working days"), approved by the host's admin. */
export interface Pledge {
  text: string;
  /** Calendar days (1-30) within which the company undertakes to answer. */
  answerWithinDays: number;
  /** When an admin approved it; null while it is pending. */
  approvedAt: string | null;
  /** When the company proposed it. */
  proposedAt: string;
}

/**
 * Public figures on the questions put to a company, over the most recent `windowWeeks` weeks
 * (questions asked in the window). Nothing per person: see docs/company-desk.md.
 */
export interface QuestionFigures {
  windowWeeks: number;
  /** Questions open now (asked at any time, not answered, not out of scope). */
  open: number;
  /** Hours the oldest open question has waited, or null when none is open. */
  oldestWaitHours: number | null;
  /** Share (0-1) of the window's questions that were answered (out-of-scope ones do not count); null without questions. */
  answeredShare: number | null;
  /** Median hours to answer the window's answered questions; null when none was answered. */
  medianAnswerHours: number | null;
  /** Share (0-1) of the window's questions answered within the approved pledge; null without pledge or questions. */
  withinPledgeShare: number | null;
  /** Questions asked in the window (answered, open and out of scope). */
  asked: number;
  answered: number;
  outOfScope: number;
}

/** "I'm on it": who of the company's staff took up a question, visible to colleagues and moderators only. */
export interface DeskClaim {
  by: string;
  byUserId: string;
  since: string;
  expiresAt: string;
}

export interface DeskQuestion {
  post: Post;
  topic: { id: string; title: string | null };
  waitedHours: number;
  claim: DeskClaim | null;
  /** Products of the company's register that the question names (for the desk's product filter). */
  products: string[];
}

/** A member post naming the company or one of its products. */
export interface DeskMention {
  post: Post;
  topic: { id: string; title: string | null };
  /** What it named: the company's display name and/or product brand names. */
  names: string[];
}

/** Everything a company's verified staff follow up on (GET /companies/{id}/desk). Nothing on it is hidden from the host's moderators. */
export interface CompanyDesk {
  site: string;
  company: { id: string; name: string; products: string[] };
  /** Oldest first. */
  openQuestions: DeskQuestion[];
  /** Newest first, at most 50. */
  mentions: DeskMention[];
  /** Possible adverse events about the company's products, with their forward status. */
  safetyFlags: SafetyFlagView[];
  presence: CompanyPresence;
  figures: QuestionFigures;
  pledge: Pledge | null;
  pendingPledge: Pledge | null;
  /** Hours after which a claim is released automatically. */
  claimHours: number;
  /** Whether the viewer may act (claim, answer, propose a pledge): false for moderators and admins, who read only. */
  canAct: boolean;
  generatedAt: string;
}

export type DeskUpdateReason = 'question' | 'answered' | 'claimed' | 'released' | 'out-of-scope';

/** Emitted to the room `desk:<site>:<company>`; the widget re-reads the desk. */
export interface DeskUpdated {
  company: string;
  postId: string;
  reason: DeskUpdateReason;
}
