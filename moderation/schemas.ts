/**
 * One schema per message shape, shared by the REST routes, the socket handlers and the
 * widget. The server validates every incoming message with these at the boundary; the
 * widget uses the same limits to warn before sending.
 */
import * as v from 'valibot';
import { LIMITS } from './limits.js';
import type { FieldIssue } from './errors.js';

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

export const PostBodySchema = v.pipe(
  v.string('the message must be text'),
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

export const TopicTitleSchema = v.pipe(v.string(), v.trim(), v.maxLength(LIMITS.topicTitleMaxChars));

/** Create a post or a reply. The same body is sent over REST and over the socket. */
export const CreatePostSchema = v.strictObject({
  topic: TopicIdSchema,
  parent: v.optional(v.nullable(PostIdSchema), null),
  body: PostBodySchema,
  idempotencyKey: IdempotencyKeySchema,
  /** Optional title for a topic created by its first post (the host page's title). */
  topicTitle: v.optional(TopicTitleSchema),
});
export type CreatePostInput = v.InferOutput<typeof CreatePostSchema>;

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
  order: v.optional(v.picklist(['newest', 'oldest'], 'order is "newest" or "oldest"'), 'newest'),
  cursor: v.optional(v.pipe(v.string(), v.regex(/^[A-Za-z0-9_-]{1,64}$/, 'not a cursor from this server'))),
  limit: IntString(1, LIMITS.pageMaxLimit, LIMITS.pageDefaultLimit),
});
export type TopicPageQuery = v.InferOutput<typeof TopicPageQuerySchema>;

/** A socket joins a topic's room; with `since`, it also receives what it missed. */
export const JoinTopicSchema = v.strictObject({
  topic: TopicIdSchema,
  since: v.optional(v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(2_000_000_000)), undefined),
});
export type JoinTopicInput = v.InferOutput<typeof JoinTopicSchema>;

export const LeaveTopicSchema = v.strictObject({ topic: TopicIdSchema });

/** Catch-up over REST (the fallback when the socket cannot recover). */
export const ChangesQuerySchema = v.strictObject({
  since: IntString(0, 2_000_000_000, 0),
});

export const SetTokenSchema = v.strictObject({
  token: v.nullable(v.pipe(v.string(), v.maxLength(LIMITS.tokenMaxChars, 'token too long'))),
});

/** Claims Parley reads from a host site's sign-in token. */
export const HostClaimsSchema = v.object({
  sub: v.pipe(v.string('sub is required'), v.minLength(1), v.maxLength(200)),
  name: v.pipe(
    v.string('name is required'),
    v.trim(),
    v.minLength(1, 'name is empty'),
    v.maxLength(LIMITS.displayNameMaxChars, `name is longer than ${LIMITS.displayNameMaxChars} characters`),
  ),
  email: v.optional(v.pipe(v.string(), v.maxLength(254))),
});
export type HostClaims = v.InferOutput<typeof HostClaimsSchema>;

export type ParseResult<T> = { ok: true; value: T } | { ok: false; issues: FieldIssue[]; message: string };

/** Validate unknown input; on failure, give issues with dotted paths and one readable sentence. */
export function parseWith<S extends v.GenericSchema>(schema: S, input: unknown): ParseResult<v.InferOutput<S>> {
  const result = v.safeParse(schema, input);
  if (result.success) return { ok: true, value: result.output };
  const issues: FieldIssue[] = result.issues.slice(0, 10).map((issue) => ({
    path: issue.path?.map((p) => String(p.key)).join('.') || '',
    message: issue.message,
  }));
  const message = issues.map((i) => (i.path ? `${i.path}: ${i.message}` : i.message)).join('; ');
  return { ok: false, issues, message };
}
