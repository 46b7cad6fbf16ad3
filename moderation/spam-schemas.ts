/**
 * Issue 16: keeping spam out without hiding anything, moderators' craft, readers' basics.
 * The shapes the server accepts and sends for holds, moderator notes, bulk actions, queue filters,
 * "Helpful", search, pins and an author deleting their own post. One schema per message shape,
 * shared by the REST routes, the sockets and the widget.
 *
 * API sketch (all paths under /api/v1/sites/{site}; errors are `{error:{code,message}}`):
 *
 * Holds (the site's options are public: "how moderation works" and the transparency report)
 *   GET  /moderation/holds/settings            → { settings: HoldSettings }              (anyone)
 *   PUT  /moderation/holds/settings  HoldSettingsSchema → { settings: HoldSettings }     (admin)
 *   POST /posts (and socket `post`) may carry `homepage`: the honeypot, a field people never see.
 *     A held post comes back to its AUTHOR with `hold: HoldNote` (201 as usual); readers and the
 *     topic's socket room get nothing until a moderator decides. Moderators see `hold` too.
 *   POST /moderation/actions {type:'release', postId, reason, facts}  releases a held post;
 *     {type:'remove', postId, …} on a held post removes it. Both are ordinary actions with a
 *     statement of reasons in the log; the post then reaches readers (released) or becomes a tombstone.
 *
 * Moderators' craft (moderators and admins of the site; never company staff)
 *   GET  /moderation/queue?filter=all|held|reported|appeals&ruleId=R2&topic=t&q=words&limit=50
 *        → { items: QueueItem[] (each with `holds: HoldReasonView[]`), openReports, held, appeals }
 *   POST /moderation/bulk  BulkActionSchema → BulkActionAnswer   (each target: its own action,
 *        statement and log entry; one failure does not stop the others)
 *   GET  /moderation/accounts/{userId}/notes → { notes: ModeratorNote[] }
 *   POST /moderation/accounts/{userId}/notes  ModeratorNoteSchema → { note: ModeratorNote } (201)
 *        the log records a commitment to the note (a hash), never its text.
 *   socket `moderation:join` {} (ack {ok:true}) → events `queue:changed` QueueChanged
 *
 * Readers
 *   PUT    /posts/{id}/helpful  → { helpful: HelpfulSummary }   (members and staff; once per person)
 *   DELETE /posts/{id}/helpful  → { helpful: HelpfulSummary }
 *   Post.helpful: HelpfulSummary (counts staff apart: staff marks never rank, S-3)
 *   GET /topics/{topic}/posts?order=newest|oldest|helpful
 *   GET /search?q=words&topic=t&cursor=c&limit=20 → SearchAnswer   (anyone who may read the site)
 *   PUT    /topics/{topic}/pin  PinSchema → { topic: TopicInfo }   (moderators only, never staff: S-4; logged)
 *   DELETE /topics/{topic}/pin  UnpinSchema → { topic: TopicInfo }
 *   TopicInfo.pinned: PinNote; the pinned post comes first on the topic's first page.
 *   DELETE /posts/{id}  DeleteOwnPostSchema → { post: Post }   (the author only) status 'deleted',
 *     body and html empty for everyone; the text is erased and redacted in the log where committed.
 *   Socket events: `post:new` for a released post; `post:updated` for helpful counts, deletion, pin.
 */
import * as v from 'valibot';
import { BULK_ACTION_TYPES } from './actions.js';
import { PostIdSchema, TopicIdSchema } from './schemas.js';
import { RULE_ID_PATTERN } from './rules.js';
import type { PublicAuthor } from './types.js';

export const SPAM_LIMITS = {
  /** Posts of a new account held for review (0 turns the rule off). */
  holdFirstPostsMax: 20,
  /** An account is "new" for this many days after its first sign-in. */
  newAccountDaysMax: 90,
  /** "More than K links" (0: any link). */
  linksMax: 50,
  /** Word lists, each tied to a house rule. */
  wordListsMax: 20,
  wordsPerListMax: 200,
  wordMaxChars: 60,
  /** The honeypot field's value is read only to see whether it is empty. */
  honeypotMaxChars: 500,
  /** Spam waves: the same text from at least this many new accounts within the window. */
  waveAccountsMin: 2,
  waveAccountsMax: 50,
  waveWindowMinutesMax: 24 * 60,
  /** Moderator notes on an account. */
  noteMaxChars: 2000,
  notesListMax: 200,
  /** One bulk request acts on at most this many targets. */
  bulkTargetsMax: 50,
  /** Search. */
  searchQueryMinChars: 2,
  searchQueryMaxChars: 200,
  searchMaxLimit: 50,
  searchDefaultLimit: 20,
  searchExcerptChars: 240,
  /** Queue. */
  queueMaxLimit: 100,
  queueDefaultLimit: 50,
  queueQueryMaxChars: 200,
  pinReasonMaxChars: 280,
} as const;

const Text = (min: number, max: number, what: string) =>
  v.pipe(
    v.string(`${what} is text`),
    v.check((text: string) => !/\p{Surrogate}/u.test(text), `${what} contains invalid characters`),
    v.trim(),
    v.minLength(min, min > 1 ? `${what} needs at least ${min} characters` : `${what} is empty`),
    v.maxLength(max, `${what} is at most ${max} characters`),
  );
const RuleIdSchema = v.pipe(v.string('a rule id is text'), v.regex(RULE_ID_PATTERN, 'a rule id looks like R4'));
const OpaqueId = v.pipe(v.string('an id is text'), v.regex(/^[A-Za-z0-9_-]{1,64}$/, 'not an id from this server'));
const Int = (min: number, max: number, what: string) =>
  v.pipe(v.number(`${what} is a number`), v.integer(`${what} is a whole number`), v.minValue(min, `${what} is at least ${min}`), v.maxValue(max, `${what} is at most ${max}`));
const IntString = (min: number, max: number, fallback: number, what: string) =>
  v.optional(
    v.pipe(
      v.union([v.number(), v.pipe(v.string(), v.regex(/^\d{1,9}$/, `${what} must be a whole number`), v.transform(Number))], `${what} must be a whole number`),
      v.integer(`${what} must be a whole number`),
      v.minValue(min, `${what} must be at least ${min}`),
      v.maxValue(max, `${what} must be at most ${max}`),
    ),
    fallback,
  );

// ---------------------------------------------------------------------------------------------
// Holds
// ---------------------------------------------------------------------------------------------

/** Why a post waits for a moderator. Each is a per-site option, except a spam wave. */
export type HoldReasonKind = 'new-account' | 'links' | 'word-list' | 'honeypot' | 'spam-wave';
export const HOLD_REASON_KINDS: readonly HoldReasonKind[] = ['new-account', 'links', 'word-list', 'honeypot', 'spam-wave'];

/** A word list tied to a house rule: matching posts are held for review, or labelled with the rule. */
export const WordListSchema = v.strictObject({
  ruleId: RuleIdSchema,
  action: v.picklist(['hold', 'label'], 'action is "hold" or "label"'),
  words: v.pipe(
    v.array(Text(2, SPAM_LIMITS.wordMaxChars, 'a word'), 'words is a list of words or phrases'),
    v.minLength(1, 'a word list needs at least one word'),
    v.maxLength(SPAM_LIMITS.wordsPerListMax, `at most ${SPAM_LIMITS.wordsPerListMax} words in a list`),
  ),
});
export type WordList = v.InferOutput<typeof WordListSchema>;

/** A site's hold options (admin). Every field is optional on PUT: what is left out stays as it is. */
export const HoldSettingsSchema = v.strictObject({
  /** Hold the first N posts of a new account (0: off). */
  holdFirstPosts: v.optional(Int(0, SPAM_LIMITS.holdFirstPostsMax, 'holdFirstPosts')),
  /** How long an account counts as new, in days since it was created. */
  newAccountDays: v.optional(Int(1, SPAM_LIMITS.newAccountDaysMax, 'newAccountDays')),
  /** Hold new accounts' posts with links: 'off', 'any' link, or 'more-than' `maxLinks` links. */
  holdLinks: v.optional(v.picklist(['off', 'any', 'more-than'], 'holdLinks is "off", "any" or "more-than"')),
  maxLinks: v.optional(Int(0, SPAM_LIMITS.linksMax, 'maxLinks')),
  wordLists: v.optional(v.pipe(v.array(WordListSchema), v.maxLength(SPAM_LIMITS.wordListsMax, `at most ${SPAM_LIMITS.wordListsMax} word lists`))),
  /** Hold posts that filled in the hidden honeypot field. */
  honeypot: v.optional(v.boolean('honeypot is true or false')),
  /** Hold the same text posted by `waveAccounts` new accounts within `waveWindowMinutes` (0 accounts: off). */
  waveAccounts: v.optional(v.union([v.literal(0), Int(SPAM_LIMITS.waveAccountsMin, SPAM_LIMITS.waveAccountsMax, 'waveAccounts')], 'waveAccounts is 0 (off) or 2-50')),
  waveWindowMinutes: v.optional(Int(1, SPAM_LIMITS.waveWindowMinutesMax, 'waveWindowMinutes')),
  /** What the author is told: "usually within N hours" (null: no promise). */
  usualWaitHours: v.optional(v.nullable(Int(1, 24 * 14, 'usualWaitHours'))),
});
export type HoldSettingsInput = v.InferOutput<typeof HoldSettingsSchema>;

/** A site's hold options as stored and published. */
export interface HoldSettings {
  holdFirstPosts: number;
  newAccountDays: number;
  holdLinks: 'off' | 'any' | 'more-than';
  maxLinks: number;
  wordLists: WordList[];
  honeypot: boolean;
  waveAccounts: number;
  waveWindowMinutes: number;
  usualWaitHours: number | null;
}

/** One reason a post is held, as the queue and the author see it. */
export interface HoldReasonView {
  kind: HoldReasonKind;
  /** The house rule behind a word-list hold. */
  ruleId: string | null;
  /** Plain words: "new account: post 2 of the first 3 is reviewed", "3 links", "matches the word list of R2". */
  detail: string;
}

/** On a held post, for its author and moderators only (readers never receive a held post). */
export interface HoldNote {
  status: 'held';
  since: string;
  reasons: HoldReasonView[];
  /** "usually within N hours", from the site's settings; null when the site makes no promise. */
  usualWaitHours: number | null;
}

/** The honeypot: a field the widget renders hidden from people (off-screen, aria-hidden, tabindex -1). */
export const HONEYPOT_FIELD = 'homepage';
export const HoneypotSchema = v.optional(v.pipe(v.string('homepage is text'), v.maxLength(SPAM_LIMITS.honeypotMaxChars)));

// ---------------------------------------------------------------------------------------------
// Moderators' craft
// ---------------------------------------------------------------------------------------------

/** A private moderator note on an account. */
export const ModeratorNoteSchema = v.strictObject({ text: Text(1, SPAM_LIMITS.noteMaxChars, 'the note') });

export interface ModeratorNote {
  id: string;
  userId: string;
  /** The moderator who wrote it (moderators see each other's names). */
  by: { id: string; name: string };
  text: string;
  createdAt: string;
  /** The log entry committing to the note (its hash, never its text), or null without a log. */
  logIndex: number | null;
}

/** What a bulk action targets: one of postId, reportId, userId or topic, as the action type needs. */
export const BulkTargetSchema = v.pipe(
  v.strictObject({
    postId: v.optional(PostIdSchema),
    reportId: v.optional(OpaqueId),
    userId: v.optional(OpaqueId),
    topic: v.optional(TopicIdSchema),
  }),
  v.check((t) => [t.postId, t.reportId, t.userId, t.topic].filter((x) => x !== undefined).length === 1, 'a target names exactly one of postId, reportId, userId, topic'),
);
export type BulkTarget = v.InferOutput<typeof BulkTargetSchema>;

/**
 * One decision applied to several targets. The fields are those of POST /moderation/actions
 * (`TakeActionSchema`) without the target; each target gets its own action and statement.
 */
export const BulkActionSchema = v.strictObject({
  type: v.picklist(BULK_ACTION_TYPES as [string, ...string[]], `type is one of ${BULK_ACTION_TYPES.join(', ')}`),
  targets: v.pipe(
    v.array(BulkTargetSchema, 'targets is a list'),
    v.minLength(1, 'name at least one target'),
    v.maxLength(SPAM_LIMITS.bulkTargetsMax, `at most ${SPAM_LIMITS.bulkTargetsMax} targets at once`),
  ),
  ruleId: v.optional(RuleIdSchema),
  ground: v.optional(v.picklist(['rule', 'illegal'])),
  legalGround: v.optional(v.pipe(v.string(), v.maxLength(500))),
  reason: v.pipe(v.string('the reason is text'), v.maxLength(280)),
  facts: v.pipe(v.string('the facts are text'), v.maxLength(5000)),
  labelText: v.optional(v.pipe(v.string(), v.maxLength(200))),
  days: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(365))),
  unfounded: v.optional(v.boolean()),
});
export type BulkActionInput = v.InferOutput<typeof BulkActionSchema>;

/** Per target, in request order: the action taken, or why not. */
export interface BulkActionAnswer {
  results: Array<
    | { target: BulkTarget; ok: true; actionId: string; logIndex: number | null }
    | { target: BulkTarget; ok: false; error: { code: string; message: string } }
  >;
  done: number;
  failed: number;
}

export type QueueFilter = 'all' | 'held' | 'reported' | 'appeals';

/** GET /moderation/queue: filters and a search over the queued posts' text and authors' names. */
export const QueueQuerySchema = v.strictObject({
  filter: v.optional(v.picklist(['all', 'held', 'reported', 'appeals'], 'filter is "all", "held", "reported" or "appeals"'), 'all'),
  ruleId: v.optional(RuleIdSchema),
  topic: v.optional(TopicIdSchema),
  q: v.optional(v.pipe(v.string('q is text'), v.trim(), v.maxLength(SPAM_LIMITS.queueQueryMaxChars, `q is at most ${SPAM_LIMITS.queueQueryMaxChars} characters`))),
  limit: IntString(1, SPAM_LIMITS.queueMaxLimit, SPAM_LIMITS.queueDefaultLimit, 'limit'),
});
export type QueueQuery = v.InferOutput<typeof QueueQuerySchema>;

/** Socket event `queue:changed` to the site's moderators (never to staff or readers). */
export interface QueueChanged {
  site: string;
  reason: 'held' | 'reported' | 'flagged' | 'decided' | 'appealed';
  postId: string | null;
  /** Items now waiting (held posts + posts with open reports + open appeals). */
  waiting: number;
}

// ---------------------------------------------------------------------------------------------
// Readers
// ---------------------------------------------------------------------------------------------

/** "Helpful" on a post. Staff marks are shown with the staff badge and never count for ranking (S-3). */
export interface HelpfulSummary {
  /** Members' marks: this is what "most helpful" ranks by. */
  count: number;
  /** Company staff who marked the post, shown with their badge; not in `count`. */
  staff: Array<{ name: string; companyName: string }>;
  /** Whether the viewer marked it (only in answers to that viewer). */
  mine?: boolean;
}

/** GET /search: words to find in the site's visible posts. */
export const SearchQuerySchema = v.strictObject({
  q: v.pipe(
    v.string('q is the words to look for'),
    v.check((text: string) => !/\p{Surrogate}/u.test(text), 'q contains invalid characters'),
    v.trim(),
    v.minLength(SPAM_LIMITS.searchQueryMinChars, `search for at least ${SPAM_LIMITS.searchQueryMinChars} characters`),
    v.maxLength(SPAM_LIMITS.searchQueryMaxChars, `search for at most ${SPAM_LIMITS.searchQueryMaxChars} characters`),
  ),
  topic: v.optional(TopicIdSchema),
  cursor: v.optional(v.pipe(v.string(), v.regex(/^[A-Za-z0-9_-]{1,64}$/, 'not a cursor from this server'))),
  limit: IntString(1, SPAM_LIMITS.searchMaxLimit, SPAM_LIMITS.searchDefaultLimit, 'limit'),
});
export type SearchQuery = v.InferOutput<typeof SearchQuerySchema>;

export interface SearchHit {
  postId: string;
  topic: string;
  topicTitle: string | null;
  /** Plain text around the match (no HTML), at most SPAM_LIMITS.searchExcerptChars characters. */
  excerpt: string;
  author: PublicAuthor;
  createdAt: string;
}

export interface SearchAnswer {
  q: string;
  hits: SearchHit[];
  nextCursor: string | null;
}

/** A moderator pins one post per topic (never company staff: S-4). Logged. */
export const PinSchema = v.strictObject({
  postId: PostIdSchema,
  reason: v.optional(Text(3, SPAM_LIMITS.pinReasonMaxChars, 'the reason'), 'Pinned by the moderators.'),
});
export const UnpinSchema = v.strictObject({
  reason: v.optional(Text(3, SPAM_LIMITS.pinReasonMaxChars, 'the reason'), 'Unpinned by the moderators.'),
});

/** On TopicInfo: the pinned post. */
export interface PinNote {
  postId: string;
  moderator: string;
  at: string;
  logIndex: number | null;
}

/** The author deletes one of their own posts; the confirmation keeps a stray click from erasing it. */
export const DeleteOwnPostSchema = v.strictObject({
  confirm: v.literal(true, 'confirm that you delete this post (confirm: true)'),
});
