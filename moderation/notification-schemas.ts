/**
 * Notifications (issue 13): the message shapes shared by the server's routes and the widget.
 * One schema per shape; the answers' schemas are in response-schemas.ts.
 *
 * ## API sketch (every route under `/api/sites/{site}`, signed-in members; all off until opted in)
 *
 * | Route | Body | Answer |
 * |---|---|---|
 * | `GET /me/notifications` | – | `NotificationSettings` |
 * | `PUT /me/notifications` | `NotificationPreferencesUpdate` (any subset of the preferences) | `NotificationSettings` |
 * | `GET /topics/{topic}/follow` | – | `FollowState` |
 * | `PUT /topics/{topic}/follow` | `FollowUpdate` `{following, pageUrl?}` | `FollowState` |
 * | `GET /topics/{topic}/mention-suggestions?q=` | – | `MentionSuggestions` (display names + user ids, never email) |
 * | `GET /topics/{topic}/since-last-visit` | – | `SinceLastVisit` |
 * | `PUT /topics/{topic}/seen` | `SeenMarker` `{lastPostId}` | `SinceLastVisit` (after the marker moved) |
 * | `GET /admin/notifications` | – | `{windowMinutes}` (admins) |
 * | `PUT /admin/notifications` | `NotificationSiteSettings` `{windowMinutes}` | `{windowMinutes}` (admins) |
 *
 * - `NotificationSettings.address` says where mail goes and whether it can: `none` (no address), `unconfirmed`
 *   (a host token's claim never proven: the first opt-in sends a confirmation link, nothing else is sent until
 *   it is opened; email sign-in and an OpenID provider's `email_verified: true` count as proof), `confirmation-sent`, `confirmed`, `bounced` (a hard bounce turned every notification off;
 *   `bouncedAt` says when; opting in again re-arms it).
 * - `pageUrl` (on `PUT …/follow` and in `POST /posts` / `post:create`) is the host page the discussion is
 *   embedded in; the server keeps it per topic only when it is on one of the site's registered origins (else
 *   400 `validation`). Messages link to `pageUrl#parley-post-{postId}`.
 * - Mentions are stored in the post body as `@[Display Name](user:USER_ID)`; the rendered HTML carries
 *   `<a class="parley-mention" data-user="USER_ID" href="#parley-person-USER_ID">@Display Name</a>` (the widget
 *   may open the person's posts). A mention by someone the person blocked, or by a suspended member, notifies nobody.
 * - Outside the API (no sign-in, a signed token in the link, `token` query parameter):
 *   `GET /notifications/unsubscribe?token=` a confirm page; `POST` the same URL unsubscribes (RFC 8058 one-click,
 *   body `List-Unsubscribe=One-Click`); `GET|POST /notifications/confirm?token=` confirms an unproven address.
 * - Seen markers: the newest post a member has seen in a topic; `since-last-visit` lists replies to the member's
 *   posts (and mentions of them) newer than it, at most `LIMITS.sinceLastVisitMax`, oldest first.
 */
import * as v from 'valibot';
import { PostIdSchema } from './schemas.js';

/** How often a digest goes out instead of single messages. */
export const DIGEST_FREQUENCIES = ['off', 'daily', 'weekly'] as const;
export type DigestFrequency = (typeof DIGEST_FREQUENCIES)[number];

/** Kinds of message a member may ask for (and unsubscribe from, one by one). */
export const NOTIFICATION_KINDS = ['replies', 'mentions', 'followed', 'answers', 'digest', 'deskQuestions', 'moderationDigest'] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

/** Limits of this part (moderation/limits.ts keeps the rest). */
export const NOTIFY_LIMITS = {
  /** A host page URL the widget reports. */
  pageUrlMaxChars: 2_000,
  /** People suggested for one `@`. */
  mentionSuggestionsMax: 10,
  /** Characters typed after `@` used to filter suggestions. */
  mentionQueryMaxChars: 80,
  /** Mentions in one post that notify (the rest still render as links). */
  mentionsPerPostMax: 20,
  /** Replies listed by since-last-visit. */
  sinceLastVisitMax: 200,
  /** The coalescing window a site may set, in minutes. */
  windowMinutesMin: 1,
  windowMinutesMax: 24 * 60,
  windowMinutesDefault: 15,
} as const;

/** A member's choices on one site. Every one is off until they opt in. */
export const NotificationPreferencesSchema = v.strictObject({
  /** Replies to my posts. */
  replies: v.boolean('replies is true or false'),
  /** Someone wrote @me. */
  mentions: v.boolean('mentions is true or false'),
  /** New posts in topics I follow. */
  followed: v.boolean('followed is true or false'),
  /** A company answered a question I put to it. */
  answers: v.boolean('answers is true or false'),
  /** Gather the above into one daily or weekly message instead of single ones. */
  digest: v.picklist(DIGEST_FREQUENCIES, 'digest is "off", "daily" or "weekly"'),
  /** Company staff: a question was put to my company (ignored for others). */
  deskQuestions: v.boolean('deskQuestions is true or false'),
  /** Moderators: a daily digest of reports and appeals waiting (ignored for others). */
  moderationDigest: v.boolean('moderationDigest is true or false'),
});
export type NotificationPreferences = v.InferOutput<typeof NotificationPreferencesSchema>;

export const NO_NOTIFICATIONS: NotificationPreferences = {
  replies: false, mentions: false, followed: false, answers: false, digest: 'off', deskQuestions: false, moderationDigest: false,
};

/** A language tag for messages ("en", "nl", "pt-BR"); the server falls back to English without templates for it. */
export const MessageLanguageSchema = v.pipe(v.string('language is text'), v.regex(/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})?$/, 'language is a language tag such as "en" or "nl"'));

/**
 * `PUT /me/notifications`: any subset of the preferences (the rest stay as they are), and the
 * language messages should be written in (the widget sends its own).
 */
export const NotificationPreferencesUpdateSchema = v.pipe(
  v.strictObject({ ...v.partial(NotificationPreferencesSchema).entries, language: v.optional(MessageLanguageSchema) }),
  v.check((update) => Object.keys(update).length > 0, 'say which preference to change'),
);
export type NotificationPreferencesUpdate = v.InferOutput<typeof NotificationPreferencesUpdateSchema>;

/** A host page URL: absolute http(s); the server also checks it is on one of the site's origins. */
export const PageUrlSchema = v.pipe(
  v.string('pageUrl is text'),
  v.maxLength(NOTIFY_LIMITS.pageUrlMaxChars, `pageUrl is at most ${NOTIFY_LIMITS.pageUrlMaxChars} characters`),
  v.check((text) => {
    try {
      const url = new URL(text);
      return url.protocol === 'https:' || url.protocol === 'http:';
    } catch {
      return false;
    }
  }, 'pageUrl is an absolute http(s) address'),
);

/** `PUT /topics/{topic}/follow`. */
export const FollowUpdateSchema = v.strictObject({
  following: v.boolean('following is true or false'),
  /** The page the discussion is embedded in (links in messages point there). */
  pageUrl: v.optional(PageUrlSchema),
});
export type FollowUpdate = v.InferOutput<typeof FollowUpdateSchema>;

/** `PUT /admin/notifications` (admins): the site's coalescing window. */
export const NotificationSiteSettingsSchema = v.strictObject({
  windowMinutes: v.pipe(
    v.number('windowMinutes is a number'),
    v.integer('windowMinutes is a whole number'),
    v.minValue(NOTIFY_LIMITS.windowMinutesMin, `windowMinutes is at least ${NOTIFY_LIMITS.windowMinutesMin}`),
    v.maxValue(NOTIFY_LIMITS.windowMinutesMax, `windowMinutes is at most ${NOTIFY_LIMITS.windowMinutesMax}`),
  ),
});

/** Query of `GET /topics/{topic}/mention-suggestions`: what was typed after `@` (may be empty). */
export const MentionQuerySchema = v.strictObject({
  q: v.optional(v.pipe(v.string(), v.maxLength(NOTIFY_LIMITS.mentionQueryMaxChars, `q is at most ${NOTIFY_LIMITS.mentionQueryMaxChars} characters`)), ''),
});

/** `PUT /topics/{topic}/seen`: the newest post of the topic the member has seen. */
export const SeenMarkerSchema = v.strictObject({ lastPostId: PostIdSchema });
export type SeenMarker = v.InferOutput<typeof SeenMarkerSchema>;

/** The mention syntax stored in a post body: `@[Display Name](user:USER_ID)`. */
export const MENTION_PATTERN = /@\[([^\]\n]{1,80})\]\(user:([A-Za-z0-9_-]{1,64})\)/g;

/** The people a body mentions (ids in order of first mention, without repeats). */
export function mentionedUserIds(body: string): string[] {
  const ids: string[] = [];
  for (const match of body.matchAll(MENTION_PATTERN)) if (!ids.includes(match[2]!)) ids.push(match[2]!);
  return ids;
}

/** The text to insert for a picked suggestion (square brackets in a name would end it early). */
export function mentionText(person: { userId: string; displayName: string }): string {
  return `@[${person.displayName.replace(/[[\]\n]/g, ' ').slice(0, 80)}](user:${person.userId})`;
}
