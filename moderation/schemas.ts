/**
 * One schema per message shape, shared by the REST routes, the socket handlers and the
 * widget. The server validates every incoming message with these at the boundary; the
 * widget uses the same limits to warn before sending.
 */
import * as v from 'valibot';
import { CURRENCIES, FUNDING_TYPES } from './funding.js';
import { LIMITS } from './limits.js';
import type { FieldIssue } from './errors.js';
import { HIDDEN_CHARACTER_MESSAGE, nameHiddenCharacter, stripHiddenCharacters } from './hidden-characters.js';

export const SiteIdSchema = v.pipe(
  v.string('a site id is text'),
  v.regex(/^[a-z0-9][a-z0-9-]{0,39}$/, 'a site id is 1-40 lowercase letters, digits or dashes'),
);

export const TopicIdSchema = v.pipe(
  v.string('a topic id is text'),
  v.minLength(1, 'a topic id is required'),
  v.maxLength(LIMITS.topicIdMaxChars, `a topic id is at most ${LIMITS.topicIdMaxChars} characters`),
  v.regex(/^[A-Za-z0-9][A-Za-z0-9._:\/-]*$/, 'a topic id uses letters, digits and . _ : / -'),
);

export const PostIdSchema = v.pipe(
  v.string('a post id is text'),
  v.regex(/^[A-Za-z0-9_-]{1,64}$/, 'not a post id'),
);

/** An account's id in a path (`/me/blocks/{userId}`, issue 13): the same alphabet as post ids. */
export const UserIdSchema = v.pipe(
  v.string('an account id is text'),
  v.regex(/^[A-Za-z0-9_-]{1,64}$/, 'not an account id'),
);

/** Text that cannot be stored as UTF-8 as sent (a lone UTF-16 surrogate) is refused, not silently altered. */
const WellFormed = v.check((text: string) => !/\p{Surrogate}/u.test(text), 'the text contains invalid characters');

export const PostBodySchema = v.pipe(
  v.string('the message must be text'),
  WellFormed,
  v.trim(),
  v.minLength(1, 'the message is empty'),
  v.maxLength(LIMITS.postBodyMaxChars, `the message is longer than ${LIMITS.postBodyMaxChars} characters`),
);

export const IdempotencyKeySchema = v.pipe(
  v.string('an idempotency key is text'),
  v.regex(
    new RegExp(`^[A-Za-z0-9_-]{${LIMITS.idempotencyKeyMinChars},${LIMITS.idempotencyKeyMaxChars}}$`),
    `an idempotency key is ${LIMITS.idempotencyKeyMinChars}-${LIMITS.idempotencyKeyMaxChars} letters, digits, _ or -`,
  ),
);

export const TopicTitleSchema = v.pipe(v.string(), WellFormed, v.trim(), v.maxLength(LIMITS.topicTitleMaxChars));

/** Create a post or a reply. The same body is sent over REST and over the socket. */
export const CreatePostSchema = v.strictObject({
  topic: TopicIdSchema,
  parent: v.optional(v.nullable(PostIdSchema), null),
  body: PostBodySchema,
  idempotencyKey: IdempotencyKeySchema,
  /** Optional title for a topic created by its first post (the host page's title). */
  topicTitle: v.optional(TopicTitleSchema),
  /** Address the post to a company in the site's register as a question ("Ask Novacura", issue 14). */
  questionTo: v.optional(v.pipe(v.string('questionTo is a company id'), v.regex(/^[a-z0-9][a-z0-9-]{0,39}$/, 'questionTo is a company id'))),
  /** The host page the discussion is embedded in (issue 13: messages link back to it; kept only on the site's origins). */
  pageUrl: v.optional(v.pipe(v.string('pageUrl is text'), v.maxLength(2_000, 'pageUrl is at most 2000 characters'), v.url('pageUrl is an absolute address'))),
  /** The honeypot (issue 16): a field people never see; anything in it holds the post for review. */
  homepage: v.optional(v.pipe(v.string('homepage is text'), v.maxLength(500, 'homepage is at most 500 characters'))),
});
export type CreatePostInput = v.InferOutput<typeof CreatePostSchema>;

/** The author edits a post (PATCH /posts/{id}): the new text, with the same limits as posting. */
export const EditPostSchema = v.strictObject({
  body: PostBodySchema,
  /** The `rev` the editor started from: when the post changed since, the edit is refused (`edit_conflict`). */
  expectedRev: v.optional(v.pipe(v.number('expectedRev is a number'), v.integer('expectedRev is a whole number'), v.minValue(0), v.maxValue(2_000_000_000))),
});
export type EditPostInput = v.InferOutput<typeof EditPostSchema>;

const IntString = (min: number, max: number, fallback: number) =>
  v.optional(
    v.pipe(
      v.union([v.number(), v.pipe(v.string(), v.regex(/^\d{1,9}$/, 'must be a whole number'), v.transform(Number))]),
      v.integer('must be a whole number'),
      v.minValue(min, `must be at least ${min}`),
      v.maxValue(max, `must be at most ${max}`),
    ),
    fallback,
  );

/** Query of a topic page (REST query string or socket payload). */
export const TopicPageQuerySchema = v.strictObject({
  order: v.optional(v.picklist(['newest', 'oldest', 'helpful'], 'order is "newest", "oldest" or "helpful"'), 'newest'),
  cursor: v.optional(v.pipe(v.string(), v.regex(/^[A-Za-z0-9_-]{1,64}$/, 'not a cursor from this server'))),
  limit: IntString(1, LIMITS.pageMaxLimit, LIMITS.pageDefaultLimit),
});
export type TopicPageQuery = v.InferOutput<typeof TopicPageQuerySchema>;

/**
 * Query of a site's topic list (`GET /topics`): newest activity first, a page at a time, or
 * with `ids` (comma-separated topic ids) exactly those topics, for `<parley-count>` elements.
 */
export const TopicListQuerySchema = v.strictObject({
  cursor: v.optional(v.pipe(v.string(), v.regex(/^[A-Za-z0-9_-]{1,64}$/, 'not a cursor from this server'), v.description('the previous page\'s nextCursor'))),
  limit: IntString(1, LIMITS.topicListMaxLimit, LIMITS.topicListDefaultLimit),
  ids: v.optional(
    v.pipe(
      v.string('ids is a comma-separated list of topic ids'),
      v.description(`comma-separated topic ids (1..${LIMITS.topicIdsMax}): exactly these topics, instead of a page`),
      v.maxLength(LIMITS.topicIdsMax * (LIMITS.topicIdMaxChars + 1), 'ids is too long'),
      v.transform((list: string) => [...new Set(list.split(','))]),
      v.array(TopicIdSchema),
      v.minLength(1, 'ids names at least one topic'),
      v.maxLength(LIMITS.topicIdsMax, `at most ${LIMITS.topicIdsMax} topic ids in ids`),
    ),
  ),
});
export type TopicListQuery = v.InferOutput<typeof TopicListQuerySchema>;

/** A socket joins a topic's room; with `since`, it also receives what it missed. */
export const JoinTopicSchema = v.strictObject({
  topic: TopicIdSchema,
  since: v.optional(v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(2_000_000_000)), undefined),
});
export type JoinTopicInput = v.InferOutput<typeof JoinTopicSchema>;

export const LeaveTopicSchema = v.strictObject({ topic: TopicIdSchema });

/**
 * Catch-up over REST (the fallback when the socket cannot recover). `since` is required: a
 * client that has seen nothing reads the page instead (a missing `since` used to mean 0 silently).
 */
export const ChangesQuerySchema = v.strictObject({
  since: v.pipe(
    v.union([v.number(), v.pipe(v.string(), v.regex(/^\d{1,10}$/, 'since must be a whole number'), v.transform(Number))], 'since is required: the highest rev you have seen'),
    v.integer('since must be a whole number'),
    v.minValue(0, 'since must be at least 0'),
    v.maxValue(2_000_000_000, 'since must be at most 2000000000'),
  ),
});

export const SetTokenSchema = v.strictObject({
  token: v.nullable(v.pipe(v.string(), v.maxLength(LIMITS.tokenMaxChars, 'token too long'))),
});

/**
 * A name a person chooses for themselves: no direction overrides (they can display another
 * name than the one stored) and no invisible characters (issue 12; see hidden-characters.ts).
 * Whether it imitates someone is the server's check (moderation/names.ts).
 */
export function ChosenName(minLength = 1) {
  return v.pipe(
    v.string(),
    v.trim(),
    v.minLength(minLength, minLength > 1 ? 'your full name is required' : 'a name is required'),
    v.maxLength(LIMITS.displayNameMaxChars, `a name is at most ${LIMITS.displayNameMaxChars} characters`),
    v.check((name) => nameHiddenCharacter(name) !== 'bidi-control', HIDDEN_CHARACTER_MESSAGE['bidi-control']),
    v.check((name) => nameHiddenCharacter(name) !== 'invisible', HIDDEN_CHARACTER_MESSAGE.invisible),
  );
}

/** Claims Parley reads from a host site's sign-in token. */
export const HostClaimsSchema = v.object({
  sub: v.pipe(v.string('sub is required'), v.minLength(1), v.maxLength(200)),
  name: v.pipe(
    v.string('name is required'),
    // The host chose the name, so it is not refused for hidden characters: they are dropped.
    v.transform(stripHiddenCharacters),
    v.trim(),
    v.minLength(1, 'name is empty'),
    v.maxLength(LIMITS.displayNameMaxChars, `name is longer than ${LIMITS.displayNameMaxChars} characters`),
  ),
  email: v.optional(v.pipe(v.string(), v.maxLength(254))),
  /** The host vouches that this person works for a company in the site's register. */
  affiliation: v.optional(
    v.strictObject({
      company: v.pipe(v.string(), v.regex(/^[a-z0-9][a-z0-9-]{0,39}$/, 'affiliation.company is a company id')),
      jobTitle: v.pipe(v.string(), v.trim(), v.minLength(1), v.maxLength(120)),
    }),
  ),
  /** The host vouches that this person is a healthcare professional. */
  professional: v.optional(v.strictObject({ profession: v.pipe(v.string(), v.trim(), v.minLength(2), v.maxLength(80)) })),
});
export type HostClaims = v.InferOutput<typeof HostClaimsSchema>;

export type ParseResult<T> = { ok: true; value: T } | { ok: false; issues: FieldIssue[]; message: string };

/** Validate unknown input; on failure, give issues with dotted paths and one readable sentence. */
export function parseWith<S extends v.GenericSchema>(schema: S, input: unknown): ParseResult<v.InferOutput<S>> {
  const result = v.safeParse(schema, input);
  if (result.success) return { ok: true, value: result.output };
  const issues: FieldIssue[] = result.issues.slice(0, 10).map((issue) => ({
    path: issue.path?.map((p) => String(p.key)).join('.') || '',
    // A strict object's own wording ("Invalid key: Expected never…") does not say what is wrong.
    message: issue.type === 'strict_object' && issue.expected === 'never' ? `unknown field "${String(issue.input).slice(0, 64)}": this message has no such field` : issue.message,
  }));
  const message = issues.map((i) => (i.path ? `${i.path}: ${i.message}` : i.message)).join('; ');
  return { ok: false, issues, message };
}

export const CompanyIdSchema = v.pipe(v.string(), v.regex(/^[a-z0-9][a-z0-9-]{0,39}$/, 'a company id is 1-40 lowercase letters, digits or dashes'));
const ShortText = (max: number) => v.pipe(v.string(), v.trim(), v.minLength(1), v.maxLength(max));

export const ProductSchema = v.strictObject({
  name: ShortText(100),
  inn: v.optional(v.pipe(v.array(ShortText(100)), v.maxLength(10)), []),
  prescriptionOnly: v.optional(v.boolean(), true),
});

/**
 * One funding entry (F-1). `addedAt` is set by the server (funding.ts `stampFunding`); it is
 * accepted so that an entry read from the API can be sent back as it is, and otherwise ignored.
 */
export const FundingEntrySchema = v.strictObject({
  year: v.pipe(v.number('year is a number'), v.integer('year is a whole number'), v.minValue(1990, 'year is 1990 or later'), v.maxValue(2100, 'year is 2100 or earlier')),
  amount: v.pipe(v.number('amount is a number'), v.minValue(0, 'amount is 0 or more (0: in kind of no stated value)'), v.maxValue(1e12, 'amount is at most 10^12')),
  currency: v.pipe(
    v.string('currency is an ISO 4217 code such as "EUR"'),
    v.trim(),
    v.toUpperCase(),
    v.check((c: string) => CURRENCIES.has(c), 'currency is not an active ISO 4217 code (e.g. "EUR", "GBP", "USD")'),
  ),
  type: v.picklist(FUNDING_TYPES, 'type is "donation", "grant", "sponsorship" or "in-kind"'),
  purpose: v.optional(v.pipe(v.string(), v.trim(), v.maxLength(300, 'purpose is at most 300 characters')), ''),
  agreementRef: v.optional(v.nullable(v.pipe(v.string(), v.trim(), v.maxLength(100, 'agreementRef is at most 100 characters'), v.transform((r) => r || null))), null),
  addedAt: v.optional(v.pipe(v.string(), v.maxLength(40))),
});

export const DisclosureSchema = v.strictObject({
  funding: v.optional(
    v.pipe(
      v.array(FundingEntrySchema),
      v.maxLength(50),
    ),
    [],
  ),
  projects: v.optional(v.pipe(v.array(ShortText(300)), v.maxLength(50)), []),
  url: v.optional(v.nullable(v.pipe(v.string(), v.url('the disclosure link must be a URL'), v.maxLength(500))), null),
  statement: v.optional(v.nullable(v.pipe(v.string(), v.maxLength(2000))), null),
});

/** Register or update a company (admin). */
export const CompanySchema = v.strictObject({
  id: CompanyIdSchema,
  legalName: ShortText(200),
  displayName: ShortText(100),
  emailDomains: v.pipe(
    v.array(v.pipe(v.string(), v.toLowerCase(), v.regex(/^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+$/, 'not a domain name'))),
    v.maxLength(20),
  ),
  products: v.optional(v.pipe(v.array(ProductSchema), v.maxLength(100)), []),
  disclosure: v.optional(DisclosureSchema, { funding: [], projects: [], url: null, statement: null }),
  /** "Company-sponsored" (P-4): the company funds this installation. */
  sponsored: v.optional(v.boolean('sponsored is true or false'), false),
});
export type CompanyInput = v.InferOutput<typeof CompanySchema>;

export const GrantableRoleSchema = v.picklist(['moderator', 'admin'], 'role is "moderator" or "admin"');
export const RoleChangeSchema = v.strictObject({ userId: PostIdSchema, role: GrantableRoleSchema });

/** An admin verifies a member as company staff directly (e.g. someone they know). */
export const VerifyStaffSchema = v.strictObject({ userId: PostIdSchema, company: CompanyIdSchema, jobTitle: ShortText(120) });
export const VerifyProfessionalSchema = v.strictObject({ userId: PostIdSchema, profession: ShortText(80) });
export const RevokeStaffSchema = v.strictObject({ userId: PostIdSchema, reason: v.optional(v.pipe(v.string(), v.maxLength(500)), '') });

/** A company employee asks for a sign-in link at their work address. */
export const EmailLinkRequestSchema = v.strictObject({
  email: v.pipe(v.string(), v.trim(), v.toLowerCase(), v.maxLength(254), v.email('not an email address')),
  name: ChosenName(2),
  jobTitle: ShortText(120),
  /** Where the link should bring them back to: a page of this site (an allowed origin). */
  returnUrl: v.pipe(v.string(), v.url('returnUrl must be a URL'), v.maxLength(2000)),
});
export const EmailLinkVerifySchema = v.strictObject({ token: v.pipe(v.string(), v.regex(/^[A-Za-z0-9_-]{20,100}$/, 'not a sign-in link token')) });
/** Members' own sign-in by email (issue 12): the address, and the page the link brings them back to. */
const EmailAddressSchema = v.pipe(v.string('an email address is text'), v.trim(), v.toLowerCase(), v.maxLength(254), v.email('not an email address'));
export const MemberSignInRequestSchema = v.strictObject({
  email: EmailAddressSchema,
  returnUrl: v.pipe(v.string(), v.url('returnUrl must be a URL'), v.maxLength(2000)),
  /** Language of the mail (the widget's); English otherwise. */
  lang: v.optional(v.pipe(v.string(), v.maxLength(35))),
});
export const MemberSignInVerifySchema = v.strictObject({ token: v.pipe(v.string(), v.regex(/^[A-Za-z0-9_-]{20,100}$/, 'not a sign-in link token')) });
/** The one-time code from the mail, typed into the widget (spaces and dashes are ignored). */
export const MemberSignInCodeSchema = v.strictObject({
  email: EmailAddressSchema,
  code: v.pipe(v.string(), v.maxLength(20), v.transform((c) => c.replace(/[\s-]/g, '')), v.regex(/^\d{6}$/, 'the code has 6 digits')),
});
/** A new member's welcome: the name they post under, and their acceptance of the house rules they read. */
export const WelcomeSchema = v.strictObject({
  displayName: ChosenName(2),
  acceptRules: v.literal(true, 'accept the house rules to take part'),
  rulesVersion: v.pipe(v.number(), v.integer(), v.minValue(1)),
});
/** A site's sign-in methods (admin API, config file, CLI). */
export const SignInMethodsSchema = v.strictObject({
  methods: v.pipe(
    v.array(v.picklist(['email', 'oidc', 'host-token'], 'a method is "email", "oidc" or "host-token"')),
    v.maxLength(3),
    v.check((m) => new Set(m).size === m.length, 'each method once'),
  ),
});
export const HostSessionSchema = v.strictObject({ hostToken: v.pipe(v.string(), v.maxLength(LIMITS.tokenMaxChars)) });
export const RefreshSchema = v.strictObject({ refreshToken: v.pipe(v.string(), v.regex(/^[A-Za-z0-9_-]{20,100}$/, 'not a refresh token')) });

/** A member changes their display name; staff ask the site to change name or job title. */
export const RenameSchema = v.strictObject({ displayName: ChosenName() });
export const NameChangeRequestSchema = v.strictObject({
  displayName: v.optional(ChosenName(2)),
  jobTitle: v.optional(ShortText(120)),
  reason: v.pipe(v.string(), v.trim(), v.minLength(3, 'say why'), v.maxLength(500)),
});
export const DecideNameChangeSchema = v.strictObject({ approve: v.boolean() });
export const EraseSchema = v.strictObject({ removePosts: v.optional(v.boolean(), false), confirm: v.literal('delete my account', 'confirm with "delete my account"') });

const isLoopbackHost = (host: string) => host === 'localhost' || host === '127.0.0.1' || host === '[::1]';

/**
 * A site's OpenID provider as an admin sets it (issue 12): the admin API, the CLI and the config
 * file. The issuer is https (plain http only on loopback, for development and tests), without
 * query or fragment. `clientSecret`: omitted keeps the stored one, null removes it (a public client).
 */
export const OidcProviderSettingsSchema = v.strictObject({
  issuer: v.pipe(
    v.string('issuer is a URL'),
    v.maxLength(LIMITS.oidcIssuerMaxChars, `issuer is at most ${LIMITS.oidcIssuerMaxChars} characters`),
    v.url('issuer is a URL'),
    v.check((value) => {
      const url = new URL(value);
      return !url.search && !url.hash && !url.username && !url.password;
    }, 'issuer has no query, fragment or credentials'),
    v.check((value) => {
      const url = new URL(value);
      return url.protocol === 'https:' || (url.protocol === 'http:' && isLoopbackHost(url.hostname));
    }, 'issuer must use https (http only on localhost)'),
  ),
  clientId: v.pipe(v.string('clientId is text'), v.minLength(1, 'clientId is required'), v.maxLength(LIMITS.oidcClientIdMaxChars)),
  clientSecret: v.optional(
    v.nullable(v.pipe(v.string('clientSecret is text'), v.minLength(1, 'clientSecret is empty'), v.maxLength(LIMITS.oidcClientSecretMaxChars))),
  ),
  name: v.pipe(
    v.string('name is text'),
    v.trim(),
    v.minLength(1, 'name is required (it labels the sign-in button)'),
    v.maxLength(LIMITS.oidcNameMaxChars, `name is at most ${LIMITS.oidcNameMaxChars} characters`),
  ),
  scopes: v.optional(
    v.pipe(
      v.array(v.pipe(v.string(), v.regex(/^[\x21\x23-\x5b\x5d-\x7e]{1,64}$/, 'a scope is 1-64 printable characters without spaces or quotes'))),
      v.maxLength(LIMITS.oidcScopesMax, `at most ${LIMITS.oidcScopesMax} scopes`),
    ),
  ),
  staffClaim: v.optional(
    v.nullable(v.pipe(v.string(), v.regex(/^[A-Za-z0-9_.:/-]{1,100}$/, 'staffClaim is a claim name (1-100 letters, digits, _ . : / -)'))),
  ),
});
export type OidcProviderSettings = v.InferOutput<typeof OidcProviderSettingsSchema>;

/** The affiliation an organisation's own IdP vouches through its staff claim (same shape as a host token's). */
export const OidcStaffClaimSchema = v.strictObject({
  company: v.pipe(v.string(), v.regex(/^[a-z0-9][a-z0-9-]{0,39}$/, 'company is a company id')),
  jobTitle: v.pipe(v.string(), v.trim(), v.minLength(1), v.maxLength(120)),
});

/** The widget redeems the ticket it found in the return URL's fragment. */
export const OidcCompleteSchema = v.strictObject({
  ticket: v.pipe(v.string('ticket is text'), v.minLength(1, 'ticket is required'), v.maxLength(LIMITS.oidcStateMaxChars, 'ticket too long')),
  /** The secret behind the `challenge` the page sent to `start`, when it sent one. */
  verifier: v.optional(v.pipe(v.string('verifier is text'), v.regex(/^[A-Za-z0-9._~-]{43,128}$/, 'verifier is 43-128 URL-safe characters'))),
});

/** `challenge` of `GET /sign-in/oidc/start`: base64url SHA-256 of a verifier the page keeps. */
export const OidcTicketChallengeSchema = v.pipe(v.string('challenge is text'), v.regex(/^[A-Za-z0-9_-]{43}$/, 'challenge is a base64url SHA-256 (43 characters)'));

// ---------------------------------------------------------------------------------------------
// Questions put to a company and the company desk (issue 14)
// ---------------------------------------------------------------------------------------------

/** Filters of GET /companies/{id}/desk: a product of the company's register, a topic. */
export const DeskQuerySchema = v.strictObject({
  product: v.optional(v.pipe(v.string(), v.trim(), v.maxLength(100, 'a product name is at most 100 characters'))),
  topic: v.optional(TopicIdSchema),
});
export type DeskQuery = v.InferOutput<typeof DeskQuerySchema>;

/** Staff mark a question answered by pointing at a reply of theirs elsewhere. */
export const MarkAnsweredSchema = v.strictObject({ answerPostId: PostIdSchema });

/** A moderator marks a question out of scope; the reason is public (audit log). */
export const OutOfScopeSchema = v.strictObject({
  reason: v.pipe(
    v.string('the reason is text'),
    WellFormed,
    v.trim(),
    v.minLength(3, 'say why the question is out of scope'),
    v.maxLength(LIMITS.outOfScopeReasonMaxChars, `the reason is at most ${LIMITS.outOfScopeReasonMaxChars} characters`),
  ),
});

/** A company's staff propose its public pledge; an admin approves it. */
export const PledgeSchema = v.strictObject({
  text: v.pipe(
    v.string('the pledge is text'),
    WellFormed,
    v.trim(),
    v.minLength(3, 'the pledge is empty'),
    v.maxLength(LIMITS.pledgeTextMaxChars, `the pledge is at most ${LIMITS.pledgeTextMaxChars} characters`),
  ),
  answerWithinDays: v.pipe(
    v.number('answerWithinDays is a number'),
    v.integer('answerWithinDays is a whole number'),
    v.minValue(LIMITS.pledgeDaysMin, `answerWithinDays is at least ${LIMITS.pledgeDaysMin}`),
    v.maxValue(LIMITS.pledgeDaysMax, `answerWithinDays is at most ${LIMITS.pledgeDaysMax}`),
  ),
});

export const PledgeDecisionSchema = v.strictObject({
  approve: v.boolean('approve is true or false'),
  reason: v.optional(v.pipe(v.string(), WellFormed, v.trim(), v.maxLength(LIMITS.pledgeDecisionReasonMaxChars, `the reason is at most ${LIMITS.pledgeDecisionReasonMaxChars} characters`))),
});

/** The site's desk settings (admins): how long an "I'm on it" claim lasts. */
export const DeskSettingsSchema = v.strictObject({
  claimHours: v.pipe(
    v.number('claimHours is a number'),
    v.integer('claimHours is a whole number'),
    v.minValue(LIMITS.claimHoursMin, `claimHours is at least ${LIMITS.claimHoursMin}`),
    v.maxValue(LIMITS.claimHoursMax, `claimHours is at most ${LIMITS.claimHoursMax}`),
  ),
});

/** Socket `desk:join`: follow a company's desk live. */
export const DeskJoinSchema = v.strictObject({ company: CompanyIdSchema });
