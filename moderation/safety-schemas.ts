/**
 * Schemas of the safety-routing requests (pharmacovigilance contacts, site settings, the
 * seen clock, forwards, consent, lists). Every field has a limit; the server validates every
 * request with these and the widget may use them to check a form before sending.
 */
import * as v from 'valibot';
import { parsePhrasePattern } from './detectors/text-normalise.js';
import { CompanyIdSchema, PostIdSchema } from './schemas.js';

export const SAFETY_LIMITS = {
  emailMaxChars: 254,
  urlMaxChars: 500,
  /** Post ids in one POST /safety/seen. */
  seenMaxIds: 100,
  extraTermsMax: 200,
  patternsPerTermMax: 20,
  patternMaxChars: 60,
  conceptMaxChars: 40,
  schemesMax: 50,
  schemeNameMaxChars: 120,
  listDefaultLimit: 20,
  listMaxLimit: 100,
} as const;

const Email = v.pipe(
  v.string('an email address is text'),
  v.trim(),
  v.toLowerCase(),
  v.maxLength(SAFETY_LIMITS.emailMaxChars, `an email address is at most ${SAFETY_LIMITS.emailMaxChars} characters`),
  v.email('not an email address'),
);

/** An absolute http(s) URL without credentials in it. */
const HttpUrl = (what: string) =>
  v.pipe(
    v.string(`${what} is text`),
    v.trim(),
    v.maxLength(SAFETY_LIMITS.urlMaxChars, `${what} is at most ${SAFETY_LIMITS.urlMaxChars} characters`),
    v.check((text: string) => {
      try {
        const url = new URL(text);
        return (url.protocol === 'https:' || url.protocol === 'http:') && !url.username && !url.password;
      } catch {
        return false;
      }
    }, `${what} must be an http(s) URL without a user name or password`),
  );

/** A company's pharmacovigilance contact (admin). At least one channel, or both null to remove it. */
const ContactCountrySchema = v.pipe(
  v.string('country is a two-letter ISO 3166 code'), v.trim(), v.toUpperCase(), v.regex(/^[A-Z]{2}$/, 'country is a two-letter ISO 3166 code such as NL'),
);

export const SafetyContactSchema = v.pipe(
  v.strictObject({
    pvEmail: v.optional(v.nullable(Email), null),
    pvWebhookUrl: v.optional(v.nullable(HttpUrl('pvWebhookUrl')), null),
    /** The scope (issue 15, P-4): omitted or null means any country / any product (the company's default). */
    country: v.optional(v.nullable(ContactCountrySchema), null),
    product: v.optional(v.nullable(v.pipe(v.string('product is a product name'), v.trim(), v.minLength(1, 'product is a product name'), v.maxLength(100, 'product is at most 100 characters'))), null),
  }),
);

/** GET /admin/companies/{id}/safety-contact?country=&product= : which scope to read. */
export const SafetyContactScopeQuerySchema = v.strictObject({
  country: v.optional(ContactCountrySchema),
  product: v.optional(v.pipe(v.string(), v.trim(), v.minLength(1, 'product is a product name'), v.maxLength(100, 'product is at most 100 characters'))),
});
export type SafetyContactInput = v.InferOutput<typeof SafetyContactSchema>;

const CountrySchema = v.pipe(v.string(), v.toUpperCase(), v.regex(/^([A-Z]{2}|\*)$/, 'a country is a two-letter ISO 3166 code (or * for the fallback)'));

const PatternSchema = v.pipe(
  v.string('a pattern is text'),
  v.trim(),
  v.minLength(2, 'a pattern needs at least 2 characters'),
  v.maxLength(SAFETY_LIMITS.patternMaxChars, `a pattern is at most ${SAFETY_LIMITS.patternMaxChars} characters`),
  // Wildcards need a stem of 3 or more characters, or the pattern would match almost anything.
  v.check((p: string) => parsePhrasePattern(p, { wildcards: true, foldDiacritics: true }).length > 0, 'the pattern has no words, or a wildcard stem shorter than 3 characters'),
);

/** The site's safety settings (admin). Omitted fields keep their value; null resets to the default. */
export const SafetySettingsSchema = v.strictObject({
  /** Extra event terms merged into the default English/Dutch/German lexicon. */
  extraTerms: v.optional(
    v.pipe(
      v.array(
        v.strictObject({
          language: v.pipe(v.string(), v.toLowerCase(), v.regex(/^[a-z]{2,3}$/, 'language is a two- or three-letter code such as en, nl, de')),
          concept: v.pipe(v.string(), v.trim(), v.regex(/^[a-z0-9][a-z0-9-]{0,39}$/, 'concept is 1-40 lowercase letters, digits or dashes')),
          patterns: v.pipe(v.array(PatternSchema), v.minLength(1, 'give at least one pattern'), v.maxLength(SAFETY_LIMITS.patternsPerTermMax)),
        }),
      ),
      v.maxLength(SAFETY_LIMITS.extraTermsMax, `at most ${SAFETY_LIMITS.extraTermsMax} extra terms`),
    ),
  ),
  /** Replaces the default reporting schemes; null restores them. */
  schemes: v.optional(
    v.nullable(
      v.pipe(
        v.array(v.strictObject({
          country: CountrySchema,
          name: v.pipe(v.string(), v.trim(), v.minLength(2), v.maxLength(SAFETY_LIMITS.schemeNameMaxChars)),
          url: HttpUrl('url'),
        })),
        v.minLength(1, 'give at least one scheme, or null for the defaults'),
        v.maxLength(SAFETY_LIMITS.schemesMax),
        v.check((list) => new Set(list.map((s) => s.country)).size === list.length, 'one scheme per country'),
      ),
    ),
  ),
  /** The host organisation's country: the first guess for members whose country is not known. */
  defaultCountry: v.optional(v.nullable(v.pipe(v.string(), v.toUpperCase(), v.regex(/^[A-Z]{2}$/, 'defaultCountry is a two-letter ISO 3166 code')))),
  /** The host's page of a post, with {topic} and {post} (and optionally {site}) placeholders. */
  postUrlTemplate: v.optional(
    v.nullable(v.pipe(HttpUrl('postUrlTemplate'), v.check((t: string) => t.includes('{post}'), 'postUrlTemplate must contain {post}'))),
  ),
  /** The host organisation's mailbox for safety teams' follow-up questions (relayed to members who agreed). */
  relayEmail: v.optional(v.nullable(Email)),
});
export type SafetySettingsInput = v.InferOutput<typeof SafetySettingsSchema>;

/** POST /safety/seen: posts a staff member has on screen. */
export const SafetySeenSchema = v.strictObject({
  postIds: v.pipe(
    v.array(PostIdSchema),
    v.minLength(1, 'give at least one post id'),
    v.maxLength(SAFETY_LIMITS.seenMaxIds, `at most ${SAFETY_LIMITS.seenMaxIds} post ids per call`),
  ),
});

/** POST /safety/flags/{id}/consent (the post's author only). */
export const SafetyConsentSchema = v.strictObject({ contact: v.boolean('contact is true or false') });

/** POST /safety/flags/{id}/forward takes no options: one step. An empty object (or no body) is fine. */
export const SafetyForwardSchema = v.strictObject({});

const Limit = v.optional(
  v.pipe(
    v.string(),
    v.regex(/^\d{1,3}$/, 'limit is a number'),
    v.transform(Number),
    v.minValue(1, 'limit is at least 1'),
    v.maxValue(SAFETY_LIMITS.listMaxLimit, `limit is at most ${SAFETY_LIMITS.listMaxLimit}`),
  ),
  String(SAFETY_LIMITS.listDefaultLimit),
);
const Cursor = v.optional(v.pipe(v.string(), v.regex(/^\d{1,15}$/, 'not a cursor from this server'), v.transform(Number)));

export const SafetyFlagsQuerySchema = v.strictObject({
  company: v.optional(CompanyIdSchema),
  forwarded: v.optional(v.picklist(['true', 'false'], 'forwarded is true or false')),
  post: v.optional(PostIdSchema),
  /** Comma-separated post ids (1..100): the flags of the posts a widget has on screen, in one request. */
  posts: v.optional(
    v.pipe(
      v.string(),
      v.maxLength(SAFETY_LIMITS.seenMaxIds * 40, 'posts is too long'),
      v.transform((list: string) => list.split(',')),
      v.array(PostIdSchema),
      v.maxLength(SAFETY_LIMITS.seenMaxIds, `at most ${SAFETY_LIMITS.seenMaxIds} post ids in posts`),
    ),
  ),
  cursor: Cursor,
  limit: Limit,
});

export const SafetyFeedQuerySchema = v.strictObject({
  company: v.optional(CompanyIdSchema),
  cursor: Cursor,
  limit: Limit,
});

export const SafetyDeliveriesQuerySchema = v.strictObject({
  status: v.optional(v.picklist(['pending', 'delivered', 'failed', 'held'], 'status is pending, delivered, failed or held')),
  limit: Limit,
});

export const MyFlagsQuerySchema = v.strictObject({
  post: v.optional(PostIdSchema),
  country: v.optional(v.pipe(v.string(), v.toUpperCase(), v.regex(/^[A-Z]{2}$/, 'country is a two-letter ISO 3166 code'))),
});

export const SafetyReferenceSchema = v.pipe(v.string(), v.regex(/^PV-[A-Z0-9]{10}$/, 'a reference looks like PV-7K2M9QX4TB'));
