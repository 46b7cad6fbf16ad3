/**
 * Schemas of the main response shapes, one per shape, so the served OpenAPI and AsyncAPI
 * documents describe answers as well as requests (issue 10), and the contract test can check
 * real answers against them. The interfaces in types.ts stay the documented source (their
 * comments are the API reference); each schema here is checked against its interface at
 * compile time (`Same<…>` at the end of the file), so the two cannot drift apart. Shapes new
 * with the protocol work (the topic list) derive their type from the schema instead.
 *
 * These schemas describe; they do not validate on the way out (the server builds answers from
 * typed data). `v.looseObject` where a shape is open by design (audit-log data, statements).
 */
import * as v from 'valibot';
import { HTTP_STATUS, type ErrorBody, type ErrorCode } from './errors.js';
import { FUNDING_TYPES } from './funding.js';
import type { SessionEnded } from './protocol.js';
import { NOTIFICATION_KINDS, NotificationPreferencesSchema } from './notification-schemas.js';
import { HOLD_REASON_KINDS, type HoldReasonKind } from './spam-schemas.js';
import type {
  CompanyInfo, CompanyPresence, CompanyRegister, DeskUpdated, QuestionFigures, SessionTokens, Post, PostHistory, PublicSiteInfo, TopicChanges, TopicInfo, TopicPage, TopicParticipants, Viewer,
} from './types.js';

const Iso = v.pipe(v.string(), v.isoTimestamp());
const NullableIso = v.nullable(Iso);
const Count = v.pipe(v.number(), v.integer(), v.minValue(0));

/** Every code of moderation/errors.ts: taken from its status table, so a new code is described at once. */
export const ErrorCodeSchema = v.picklist(Object.keys(HTTP_STATUS) as [ErrorCode, ...ErrorCode[]]);

/** `{error: {code, message}}`: every refusal over REST and in socket acks. */
export const ErrorBodySchema = v.strictObject({
  error: v.strictObject({
    code: ErrorCodeSchema,
    message: v.string(),
    retryAfterSeconds: v.optional(v.number()),
    issues: v.optional(v.array(v.strictObject({ path: v.string(), message: v.string() }))),
  }),
});

export const RoleSchema = v.picklist(['reader', 'member', 'staff', 'moderator', 'admin']);

export const AffiliationBadgeSchema = v.strictObject({
  companyId: v.string(), companyName: v.string(), jobTitle: v.string(), verifiedBy: v.string(), verifiedAt: Iso,
});
export const ProfessionalBadgeSchema = v.strictObject({ profession: v.string(), verifiedAt: Iso });

export const PublicAuthorSchema = v.strictObject({
  id: v.string(),
  name: v.string(),
  kind: v.picklist(['member', 'staff', 'deleted']),
  moderator: v.optional(v.boolean()),
  affiliation: v.optional(AffiliationBadgeSchema),
  professional: v.optional(ProfessionalBadgeSchema),
  lookalike: v.optional(v.boolean()),
  imported: v.optional(v.boolean()),
});

export const ModerationNoteEntries = {
  actionId: v.string(),
  ruleId: v.nullable(v.string()),
  ruleVersion: v.nullable(v.number()),
  ruleTitle: v.nullable(v.string()),
  reason: v.string(),
  moderator: v.string(),
  at: Iso,
  logIndex: v.nullable(Count),
};
export const ModerationNoteSchema = v.strictObject(ModerationNoteEntries);
export const TombstoneSchema = v.strictObject({
  ...ModerationNoteEntries,
  appeal: v.picklist(['none', 'open', 'upheld', 'reversed']),
  appealableUntil: Iso,
});
export const PostLabelSchema = v.strictObject({ ...ModerationNoteEntries, text: v.string() });

/** Questions put to a company (issue 14): the note on the post, the public figures, the pledge. */
export const QuestionNoteSchema = v.strictObject({
  company: v.strictObject({ id: v.string(), name: v.string() }),
  status: v.picklist(['open', 'answered', 'out-of-scope']),
  askedAt: Iso,
  answer: v.optional(v.strictObject({ postId: v.string(), authorName: v.string(), jobTitle: v.string(), companyName: v.string(), at: Iso, waitedHours: Count })),
  outOfScope: v.optional(v.strictObject({ reason: v.string(), moderator: v.string(), at: Iso, logIndex: v.nullable(Count) })),
});
const Share = v.nullable(v.pipe(v.number(), v.minValue(0), v.maxValue(1)));
export const QuestionFiguresSchema = v.strictObject({
  windowWeeks: Count, open: Count, oldestWaitHours: v.nullable(Count), answeredShare: Share, medianAnswerHours: v.nullable(v.pipe(v.number(), v.minValue(0))),
  withinPledgeShare: Share, asked: Count, answered: Count, outOfScope: Count,
});
export const PledgeViewSchema = v.strictObject({ text: v.string(), answerWithinDays: Count, approvedAt: NullableIso, proposedAt: Iso });

/** Issue 16: a held post's note (author and moderators only), "Helpful" marks, a topic's pin. */
export const HoldNoteSchema = v.strictObject({
  status: v.literal('held'),
  since: Iso,
  reasons: v.array(v.strictObject({ kind: v.picklist(HOLD_REASON_KINDS as [HoldReasonKind, ...HoldReasonKind[]]), ruleId: v.nullable(v.string()), detail: v.string() })),
  usualWaitHours: v.nullable(Count),
});
export const HelpfulSummarySchema = v.strictObject({
  count: Count,
  staff: v.array(v.strictObject({ name: v.string(), companyName: v.string() })),
  mine: v.optional(v.boolean()),
});
/** `queue:changed` (issue 16), to the site's moderators. */
export const QueueChangedSchema = v.strictObject({
  site: v.string(),
  reason: v.picklist(['held', 'reported', 'flagged', 'decided', 'appealed']),
  postId: v.nullable(v.string()),
  waiting: Count,
});
export const PinNoteSchema = v.strictObject({ postId: v.string(), moderator: v.string(), at: Iso, logIndex: v.nullable(Count) });

export const PostSchema = v.strictObject({
  id: v.string(),
  site: v.string(),
  topic: v.string(),
  parent: v.nullable(v.string()),
  root: v.string(),
  depth: Count,
  seq: Count,
  rev: Count,
  author: PublicAuthorSchema,
  body: v.string(),
  html: v.string(),
  createdAt: Iso,
  editedAt: NullableIso,
  status: v.picklist(['visible', 'removed', 'deleted']),
  moderation: v.optional(v.strictObject({
    removal: v.nullable(TombstoneSchema),
    labels: v.array(PostLabelSchema),
    repliesClosed: v.nullable(ModerationNoteSchema),
    ownText: v.optional(v.strictObject({ body: v.string(), html: v.string() })),
  })),
  scripted: v.optional(v.strictObject({ count: Count, company: v.string(), similarPostIds: v.array(v.string()), logIndex: v.nullable(Count) })),
  productMentions: v.optional(v.array(v.strictObject({ name: v.string(), prescriptionOnly: v.boolean() }))),
  standardSafetyInfo: v.optional(v.literal(true)),
  edits: v.optional(v.strictObject({ count: Count, afterReply: v.boolean(), afterReport: v.boolean() })),
  question: v.optional(QuestionNoteSchema),
  hold: v.optional(HoldNoteSchema),
  helpful: v.optional(HelpfulSummarySchema),
});

export const TopicInfoSchema = v.strictObject({
  site: v.string(),
  id: v.string(),
  title: v.nullable(v.string()),
  rev: Count,
  postCount: Count,
  locked: v.boolean(),
  lock: v.optional(ModerationNoteSchema),
  pinned: v.optional(PinNoteSchema),
});

export const TopicPageSchema = v.strictObject({
  topic: TopicInfoSchema,
  order: v.picklist(['newest', 'oldest', 'helpful']),
  posts: v.array(PostSchema),
  nextCursor: v.nullable(v.string()),
});

export const TopicChangesSchema = v.strictObject({ topic: TopicInfoSchema, posts: v.array(PostSchema), truncated: v.boolean() });

/** `POST /posts` and the `post:create` ack. */
export const CreatePostResultSchema = v.strictObject({ post: PostSchema, created: v.boolean() });
export const PostResultSchema = v.strictObject({ post: PostSchema });
/** `post:created` and `post:updated` events. */
export const PostEventSchema = PostResultSchema;

export const PostHistorySchema = v.strictObject({
  postId: v.string(),
  status: v.picklist(['visible', 'removed', 'deleted']),
  createdAt: Iso,
  versions: v.array(v.strictObject({
    version: Count, body: v.string(), html: v.string(), at: Iso, editedAt: NullableIso, afterReply: v.boolean(), afterReport: v.boolean(),
  })),
});

export const PublicSiteInfoSchema = v.strictObject({
  id: v.string(),
  name: v.string(),
  rulesUrl: v.nullable(v.string()),
  rulesChangedAt: NullableIso,
  demo: v.boolean(),
  signIn: v.strictObject({
    methods: v.array(v.picklist(['email', 'oidc', 'host-token'])),
    oidcName: v.optional(v.string()),
    staff: v.boolean(),
  }),
});

export const ViewerSchema = v.strictObject({
  id: v.string(),
  name: v.string(),
  roles: v.array(RoleSchema),
  kind: v.picklist(['member', 'staff', 'deleted']),
  email: v.nullable(v.string()),
  affiliation: v.nullable(AffiliationBadgeSchema),
  professional: v.nullable(ProfessionalBadgeSchema),
  needsWelcome: v.boolean(),
});
export const MeSchema = v.strictObject({ viewer: ViewerSchema });

const ProductInfoSchema = v.strictObject({ name: v.string(), inn: v.array(v.string()), prescriptionOnly: v.boolean() });
const CompanyEntries = {
  id: v.string(),
  legalName: v.string(),
  displayName: v.string(),
  products: v.array(ProductInfoSchema),
  disclosure: v.strictObject({
    // Issue 15 (F-1): moderation/funding.ts FundingEntry.
    funding: v.array(v.strictObject({
      year: v.number(), amount: v.number(), currency: v.string(), type: v.picklist(FUNDING_TYPES), purpose: v.string(),
      agreementRef: v.nullable(v.string()), addedAt: Iso,
    })),
    projects: v.array(v.string()),
    url: v.nullable(v.string()),
    statement: v.nullable(v.string()),
  }),
  sponsored: v.boolean(),
  people: v.array(v.strictObject({
    userId: v.string(), name: v.string(), jobTitle: v.string(), verifiedBy: v.string(), verifiedAt: Iso, revokedAt: NullableIso,
  })),
  safetyContact: v.optional(v.boolean()),
  questions: v.optional(QuestionFiguresSchema),
  pledge: v.optional(v.nullable(PledgeViewSchema)),
};
export const CompanyInfoSchema = v.strictObject(CompanyEntries);
const FundingSharesSchema = v.array(v.strictObject({ companyId: v.string(), companyName: v.string(), amount: v.number(), share: v.number() }));
/** Per currency, never added across currencies (moderation/funding.ts). */
export const FundingOverviewSchema = v.strictObject({
  year: v.nullable(v.number()),
  currency: v.string(),
  total: v.number(),
  shares: FundingSharesSchema,
  otherCurrencies: v.array(v.strictObject({ currency: v.string(), total: v.number(), shares: FundingSharesSchema })),
  note: v.nullable(v.picklist(['single-funder', 'dominant-funder'])),
  dominantCompany: v.nullable(v.string()),
});
export const CompanyRegisterSchema = v.strictObject({
  site: v.string(), siteName: v.string(), companies: v.array(CompanyInfoSchema), funding: FundingOverviewSchema,
});
export const TopicParticipantsSchema = v.strictObject({
  topic: v.string(),
  companies: v.array(v.strictObject({ ...CompanyEntries, postsInTopic: Count })),
  professionals: v.array(v.strictObject({ userId: v.string(), name: v.string(), profession: v.string() })),
  funding: FundingOverviewSchema,
});

/** A house rule as published (`GET /rules`); open to fields rules gain later. */
export const RuleSchema = v.looseObject({
  id: v.string(), version: Count, title: v.string(), text: v.string(), kind: v.string(), category: v.string(),
});
export const PublicRulesSchema = v.looseObject({ site: v.string(), version: Count, rules: v.array(RuleSchema) });

/** A public statement of reasons (`GET /moderation/actions/{id}`); its statement follows the DSA's fields. */
export const PublicActionSchema = v.strictObject({
  action: v.looseObject({ id: v.string(), type: v.string(), createdAt: Iso, reason: v.string(), moderator: v.string(), statement: v.looseObject({}) }),
});

/** One leaf of the public audit log (format version 1, docs/audit-log.md). */
export const AuditLeafSchema = v.strictObject({
  version: v.literal(1),
  site: v.string(),
  index: Count,
  kind: v.pipe(v.string(), v.regex(/^[a-z][a-z0-9_-]*(\.[a-z0-9_-]+)*$/)),
  at: Iso,
  actor: v.strictObject({ type: v.picklist(['moderator', 'admin', 'member', 'staff', 'system', 'automated', 'operator']), label: v.string() }),
  subject: v.record(v.string(), v.unknown()),
  data: v.record(v.string(), v.unknown()),
  commitments: v.record(v.string(), v.pipe(v.string(), v.regex(/^[0-9a-f]{64}$/))),
  refersTo: v.optional(Count),
});
const Hex32 = v.pipe(v.string(), v.regex(/^[0-9a-f]{64}$/));
export const LogEntrySchema = v.strictObject({ index: Count, leaf: AuditLeafSchema, leafHash: Hex32 });
export const LogEntriesSchema = v.strictObject({ treeSize: Count, entries: v.array(LogEntrySchema) });
export const LogViewSchema = v.strictObject({
  entries: v.array(v.strictObject({ index: Count, leaf: AuditLeafSchema, leafHash: Hex32, redacted: v.array(v.string()) })),
  nextBefore: v.nullable(Count),
  /** Titles of the conversations the entries on this page name, by topic id (a topic without a title is left out). */
  topics: v.optional(v.record(v.string(), v.string())),
});
export const CheckpointJsonSchema = v.strictObject({
  origin: v.nullable(v.string()),
  treeSize: Count,
  rootHash: Hex32,
  rootHashBase64: v.string(),
  signedAt: Iso,
  keyId: v.string(),
  verifierKey: v.nullable(v.string()),
  note: v.string(),
  cosignatures: v.array(v.unknown()),
});

/** One topic of a site's list (`GET /topics`): its title, how many posts, and when it last moved. */
export const TopicSummarySchema = v.strictObject({
  id: v.string(),
  title: v.nullable(v.string()),
  /** Posts written in the topic, as `TopicInfo.postCount` (a removed post stays as a tombstone and counts). */
  postCount: Count,
  /** When the newest post in the topic was written. */
  lastActivityAt: Iso,
  locked: v.boolean(),
});
export type TopicSummary = v.InferOutput<typeof TopicSummarySchema>;
export const TopicListSchema = v.strictObject({
  site: v.string(),
  topics: v.array(TopicSummarySchema),
  /** Pass back as `cursor` for the next page; null when there is none (always null with `ids`). */
  nextCursor: v.nullable(v.string()),
});
export type TopicList = v.InferOutput<typeof TopicListSchema>;

/** `PATCH /posts/{id}`: the post as it now stands; `edited: false` when the text was the same. */
export const EditResultSchema = v.strictObject({ post: PostSchema, edited: v.boolean() });

/** Parley's own session (`POST /session`, `/session/refresh`, `/staff/verify`). */
export const SessionTokensSchema = v.strictObject({
  accessToken: v.string(), expiresIn: Count, refreshToken: v.string(), viewer: ViewerSchema,
});

/** `GET /companies/{id}/presence`: a company's weekly activity and steadiness. */
export const CompanyPresenceSchema = v.strictObject({
  site: v.string(),
  companyId: v.string(),
  companyName: v.string(),
  windowWeeks: Count,
  series: v.array(v.strictObject({
    weekStart: v.pipe(v.string(), v.isoDate()), isoWeek: v.pipe(v.string(), v.regex(/^\d{4}-W\d\d$/)),
    posts: Count, repliesToMembers: Count, answers: Count, total: Count,
  })),
  totalActivity: Count,
  activeWeeks: Count,
  medianResponseHours: v.nullable(v.number()),
  answeredQuestions: Count,
  unansweredQuestions: Count,
  burstiness: v.nullable(v.number()),
  busiestWeeks: Count,
  classification: v.picklist(['steady', 'mixed', 'campaign', 'insufficient-data']),
  generatedAt: Iso,
});

/** `GET /log/entries/{index}`: one entry with the committed fields since redacted. */
export const LogEntryViewSchema = v.strictObject({
  entry: v.strictObject({ index: Count, leaf: AuditLeafSchema, leafHash: Hex32, redacted: v.array(v.string()) }),
});

/** `GET /log/keys`: the keys that signed this log's checkpoints, current and retired. */
export const LogKeysSchema = v.strictObject({
  origin: v.nullable(v.string()),
  current: v.string(),
  keys: v.array(v.strictObject({
    keyId: v.string(), name: v.string(), verifierKey: v.string(), fromSize: Count, handover: v.nullable(v.string()),
    createdAt: Iso, retiredAt: NullableIso,
  })),
});

export const OkSchema = v.strictObject({ ok: v.literal(true) });
export const ServerRestartingSchema = v.strictObject({ reason: v.string() });
/** `session:ended`: the socket's sign-in no longer counts (moderation/protocol.ts `SessionEnded`). */
export const SessionEndedSchema = v.strictObject({ reason: v.picklist(['signed-out', 'deleted', 'suspended', 'banned', 'expired']), message: v.string() });
export const TopicEventSchema = v.strictObject({ topic: TopicInfoSchema });
export const SessionViewerSchema = v.strictObject({ viewer: v.nullable(ViewerSchema) });
/** The company desk (issue 14): `desk:join`'s ack and the `desk:updated` event. */
export const DeskJoinedSchema = v.strictObject({ ok: v.literal(true), company: v.string() });
export const DeskUpdatedSchema = v.strictObject({ company: v.string(), postId: v.string(), reason: v.picklist(['question', 'answered', 'claimed', 'released', 'out-of-scope']) });
const ClaimSchema = v.strictObject({ by: v.string(), byUserId: v.string(), since: Iso, expiresAt: Iso });
export const ClaimResultSchema = v.strictObject({ claim: ClaimSchema });
export const PendingPledgeResultSchema = v.strictObject({ pendingPledge: PledgeViewSchema });
export const PledgeDecisionResultSchema = v.strictObject({ pledge: v.nullable(PledgeViewSchema), pendingPledge: v.nullable(PledgeViewSchema) });
export const DeskSettingsResultSchema = v.strictObject({ claimHours: Count });

/**
 * Notifications (issue 13): the answers of the routes sketched in moderation/notification-schemas.ts.
 */
export const NotificationSettingsSchema = v.strictObject({
  site: v.string(),
  preferences: NotificationPreferencesSchema,
  /** Where mail goes (the member's own address, shown to them alone) and whether it can go there. */
  address: v.strictObject({
    email: v.nullable(v.string()),
    state: v.picklist(['none', 'unconfirmed', 'confirmation-sent', 'confirmed', 'bounced']),
    /** When a hard bounce turned notifications off (null otherwise). */
    bouncedAt: NullableIso,
  }),
  /** Which preferences apply to this member: `deskQuestions` only for company staff, `moderationDigest` for moderators. */
  available: v.array(v.picklist(NOTIFICATION_KINDS)),
  /** The member's language for messages (their account's, else the site's). */
  language: v.string(),
  /** At most one message per this many minutes (the site's setting). */
  windowMinutes: Count,
});
export type NotificationSettings = v.InferOutput<typeof NotificationSettingsSchema>;

export const FollowStateSchema = v.strictObject({ topic: v.string(), following: v.boolean(), pageUrl: v.nullable(v.string()) });
export type FollowState = v.InferOutput<typeof FollowStateSchema>;

export const MentionSuggestionsSchema = v.strictObject({
  people: v.array(v.strictObject({ userId: v.string(), displayName: v.string() })),
});
export type MentionSuggestions = v.InferOutput<typeof MentionSuggestionsSchema>;

/** `GET /me/blocks` (issue 13): the accounts the member blocked, by display name only (never an address). */
export const BlockListSchema = v.strictObject({
  blocks: v.array(v.strictObject({ userId: v.string(), displayName: v.string(), blockedAt: Iso })),
  /** How many accounts one member may block (LIMITS.blocksMax). */
  max: Count,
});
export type BlockList = v.InferOutput<typeof BlockListSchema>;

/** `PUT` / `DELETE /me/blocks/{userId}`: whether the member now blocks that account. */
export const BlockStateSchema = v.strictObject({ userId: v.string(), blocked: v.boolean() });
export type BlockState = v.InferOutput<typeof BlockStateSchema>;

export const SinceLastVisitSchema = v.strictObject({
  topic: v.string(),
  /** The time of the newest post seen (null: never visited; then nothing counts as new). */
  seenAt: NullableIso,
  lastPostId: v.nullable(v.string()),
  /** Replies to the member's posts and posts mentioning them, newer than the marker (at most the limit). */
  count: Count,
  replies: v.array(v.strictObject({
    postId: v.string(), parentId: v.nullable(v.string()), authorName: v.string(), at: Iso, reason: v.picklist(['reply', 'mention']),
  })),
});
export type SinceLastVisit = v.InferOutput<typeof SinceLastVisitSchema>;

// --- The schemas above and the interfaces of types.ts describe the same data (compile-time check).
// Identical types, not merely assignable: a property missing on either side (optional ones too) fails.
type Same<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
type Out<S extends v.GenericSchema> = v.InferOutput<S>;
type Flat<T> = { [K in keyof T]: T[K] };
export const SCHEMAS_MATCH_TYPES: [
  Same<Out<typeof ErrorBodySchema>, ErrorBody>,
  Same<Out<typeof PostSchema>, Post>,
  Same<Out<typeof TopicInfoSchema>, TopicInfo>,
  Same<Out<typeof TopicPageSchema>, TopicPage>,
  Same<Out<typeof TopicChangesSchema>, TopicChanges>,
  Same<Out<typeof PostHistorySchema>, PostHistory>,
  Same<Out<typeof PublicSiteInfoSchema>, PublicSiteInfo>,
  Same<Out<typeof ViewerSchema>, Viewer>,
  Same<Out<typeof SessionTokensSchema>, SessionTokens>,
  Same<Out<typeof SessionEndedSchema>, SessionEnded>,
  Same<Out<typeof DeskUpdatedSchema>, DeskUpdated>,
  Same<Out<typeof QuestionFiguresSchema>, QuestionFigures>,
  Same<Omit<Out<typeof CompanyPresenceSchema>, 'series'>, Omit<Flat<CompanyPresence>, 'series'>>,
  Same<Out<typeof CompanyPresenceSchema>['series'][number], Flat<CompanyPresence['series'][number]>>,
  Same<Out<typeof CompanyInfoSchema>, CompanyInfo>,
  Same<Out<typeof CompanyRegisterSchema>, CompanyRegister>,
  // The identity check does not see through `CompanyInfo & {postsInTopic}`: compare it flattened.
  Same<Omit<Out<typeof TopicParticipantsSchema>, 'companies'>, Omit<TopicParticipants, 'companies'>>,
  Same<Out<typeof TopicParticipantsSchema>['companies'][number], Flat<TopicParticipants['companies'][number]>>,
] = [true, true, true, true, true, true, true, true, true, true, true, true, true, true, true, true, true, true];
