/**
 * The route registry: one line per HTTP route Parley mounts, from which the OpenAPI document at
 * `/api/openapi.json` is generated (server/http/openapi.ts). The contract test
 * (test/integration/contract.test.ts) walks the real app's router and fails, naming the route,
 * when a mounted route has no line here or a line here has no route.
 *
 * Adding a route: add one line in its group, e.g.
 *   identity.post('/sign-in/email', 'Send a sign-in link and code', { body: EmailSignInSchema, response: SentSchema, status: 202 }),
 * Paths use OpenAPI's `{param}` where Express has `:param`. Options (all optional):
 *   auth      'none' (default) | 'optional' (a token changes the answer) | 'token' | 'moderator' | 'admin'
 *             | 'staff' (verified company staff) | 'feed' (X-Parley-Feed-Token)
 *   query     a valibot object schema of the query string (its entries become parameters)
 *   body      a valibot schema of the JSON body; 'text' for text/plain
 *   response  a valibot schema of the JSON answer (moderation/response-schemas.ts); without one the
 *             answer is described as "a JSON object" and the contract test checks only that it is JSON
 *   status    the success status (200 by default); `created` adds 200 for a repeated request
 *   produces  the answer's media type when it is not JSON
 * A plug-in (server/plugins.ts) describes the routes it mounts in its `routes`, with `routeGroup`
 * (demo/routes.ts does).
 */
import * as v from 'valibot';
import {
  ChangesQuerySchema, CompanySchema, CreatePostSchema, DecideNameChangeSchema, EditPostSchema, EmailLinkRequestSchema,
  EmailLinkVerifySchema, EraseSchema, HostSessionSchema, MemberSignInCodeSchema, MemberSignInRequestSchema, MemberSignInVerifySchema,
  OidcCompleteSchema, OidcProviderSettingsSchema, SignInMethodsSchema, WelcomeSchema, NameChangeRequestSchema, RefreshSchema, RenameSchema, RevokeStaffSchema,
  RoleChangeSchema, TopicListQuerySchema, DeskQuerySchema, DeskSettingsSchema, MarkAnsweredSchema, OutOfScopeSchema, PledgeDecisionSchema, PledgeSchema, TopicPageQuerySchema, VerifyProfessionalSchema, VerifyStaffSchema,
} from '../../moderation/schemas.js';
import {
  ChangeRuleSchema, CreateAppealSchema, CreateReportSchema, DecideAppealSchema, ModerationSettingsSchema, ReverseActionSchema, RulePreviewSchema, TakeActionSchema,
} from '../../moderation/moderation-schemas.js';
import {
  MyFlagsQuerySchema, SafetyConsentSchema, SafetyContactSchema, SafetyContactScopeQuerySchema, SafetyDeliveriesQuerySchema, SafetyFeedQuerySchema, SafetyFlagsQuerySchema,
  SafetyForwardSchema, SafetySeenSchema, SafetySettingsSchema,
} from '../../moderation/safety-schemas.js';
import {
  CheckpointJsonSchema, CompanyInfoSchema, CompanyPresenceSchema, CompanyRegisterSchema, CreatePostResultSchema,
  EditResultSchema, LogEntryViewSchema, LogKeysSchema, SessionTokensSchema, LogEntriesSchema, LogViewSchema, MeSchema, OkSchema,
  PostHistorySchema, PostResultSchema, PublicActionSchema, PublicRulesSchema, PublicSiteInfoSchema, TopicChangesSchema, TopicListSchema,
  TopicPageSchema, TopicParticipantsSchema, ClaimResultSchema, DeskSettingsResultSchema, PendingPledgeResultSchema, PledgeDecisionResultSchema,
  HelpfulSummarySchema,
} from '../../moderation/response-schemas.js';
import { AuthenticitySettingsSchema, BoilerplateSchema, CheckTextSchema } from '../services/scripted-replies.js';
import { PresenceQuerySchema } from '../services/presence.js';
import { ImportQuerySchema, ImportReportSchema } from '../../moderation/import-export.js';
import {
  BulkActionSchema, DeleteOwnPostSchema, HoldSettingsSchema, ModeratorNoteSchema, PinSchema, QueueQuerySchema, SearchQuerySchema, UnpinSchema,
} from '../../moderation/spam-schemas.js';
import { PublicKeysSchema, SetupAcceptSchema, SetupSchema, SiteUpdateSchema } from '../../moderation/site-schemas.js';
import {
  FollowUpdateSchema, MentionQuerySchema, NotificationPreferencesUpdateSchema, NotificationSiteSettingsSchema, SeenMarkerSchema,
} from '../../moderation/notification-schemas.js';
import { BlockListSchema, BlockStateSchema, FollowStateSchema, MentionSuggestionsSchema, NotificationSettingsSchema, SinceLastVisitSchema } from '../../moderation/response-schemas.js';

export type HttpMethod = 'get' | 'post' | 'put' | 'patch' | 'delete';
export type RouteAuth = 'none' | 'optional' | 'token' | 'moderator' | 'admin' | 'staff' | 'feed';

export interface RouteOptions {
  auth?: RouteAuth;
  query?: v.GenericSchema;
  body?: v.GenericSchema | 'text';
  response?: v.GenericSchema;
  status?: number;
  /** Also answers 200 for a repeat (idempotent create). */
  created?: boolean;
  produces?: string;
  /** Groups routes in the document (OpenAPI tags); set by the group helpers. */
  tag?: string;
}

export interface RouteDescription extends RouteOptions {
  method: HttpMethod;
  /** OpenAPI path: `/api/sites/{site}/posts/{id}`. */
  path: string;
  summary: string;
}

/** Route helpers for one path prefix and tag: `routeGroup('/api/sites/{site}', 'posts').get('/posts/{id}', …)`. */
export function routeGroup(prefix: string, tag: string, defaults: RouteOptions = {}) {
  const at = (method: HttpMethod) => (path: string, summary: string, options: RouteOptions = {}): RouteDescription => ({
    method,
    path: path === '/' && prefix ? prefix : prefix + path,
    summary,
    tag,
    ...defaults,
    ...options,
  });
  return { get: at('get'), post: at('post'), put: at('put'), patch: at('patch'), delete: at('delete') };
}

const SITE = '/api/sites/{site}';
const server = routeGroup('', 'server');
const posts = routeGroup(SITE, 'posts');
const identity = routeGroup(SITE, 'identity');
const admin = routeGroup(SITE, 'administration', { auth: 'admin' });
const moderation = routeGroup(SITE, 'moderation');
const log = routeGroup(`${SITE}/log`, 'audit log');
const safety = routeGroup(SITE, 'safety');
const authenticity = routeGroup(SITE, 'authenticity');
const desk = routeGroup(SITE, 'company desk');
const notify = routeGroup(SITE, 'notifications');

const Q = (entries: v.ObjectEntries) => v.strictObject(entries);
const num = v.optional(v.pipe(v.string(), v.regex(/^\d{1,16}$/)));
const text = (max: number) => v.optional(v.pipe(v.string(), v.maxLength(max)));
const DateRange = Q({ from: text(10), to: text(10) });

export const ROUTES: RouteDescription[] = [
  server.get('/healthz', 'Liveness: the process answers', { response: OkSchema }),
  server.get('/readyz', 'Readiness: the database answers', { response: OkSchema }),
  server.get('/metrics', 'Prometheus metrics', { produces: 'text/plain' }),
  server.get('/parley.js', 'The widget bundle (one script tag on the host page)', { produces: 'text/javascript' }),
  server.get('/parley-count.js', 'The <parley-count> element alone, for listing pages', { produces: 'text/javascript' }),
  server.get('/admin/{site}', 'The admin console of a site (a page loading <parley-admin>; the API decides what it shows)', { produces: 'text/html' }),
  server.get('/admin/console.css', 'The console page’s own styles', { produces: 'text/css' }),
  server.get('/assets/{name}', 'A lazily loaded chunk of the widget (named by its content hash)', { produces: 'text/javascript' }),
  server.get('/api/openapi.json', 'This document: the HTTP API in OpenAPI 3.1'),
  server.get('/api/asyncapi.json', 'The Socket.IO events in AsyncAPI 3.0'),
  // First run (issue 15): before any site exists; the token is the authority.
  server.get('/setup', 'First run: the setup page of a one-time link (404 unknown, 410 used, expired or already set up)', { produces: 'text/html', query: Q({ token: text(100) }) }),
  server.get('/setup/accept', 'First run: the invited admin\'s page (token in the fragment)', { produces: 'text/html' }),
  server.get('/setup/setup.js', 'The setup pages\' script', { produces: 'text/javascript' }),
  server.get('/setup/setup.css', 'The setup pages\' stylesheet', { produces: 'text/css' }),
  server.post('/api/setup', 'First run: create the first site and invite its first admin by email', { body: SetupSchema, status: 201 }),
  server.post('/api/setup/accept', 'First run: the invited person becomes the site\'s admin, signed in', { body: SetupAcceptSchema }),

  posts.get('/', 'The site: name, rules, sign-in methods', { response: PublicSiteInfoSchema }),
  posts.get('/me', 'Who the token signs in', { auth: 'token', response: MeSchema }),
  posts.get('/topics', 'Topics by latest activity, or the topics named in `ids`, with post counts', { query: TopicListQuerySchema, response: TopicListSchema }),
  posts.get('/topics/{topic}/posts', 'A page of a topic: top-level posts and their replies', { auth: 'optional', query: TopicPageQuerySchema, response: TopicPageSchema }),
  posts.get('/topics/{topic}/html', 'The first page as an HTML fragment with schema.org JSON-LD, for readers without JavaScript and search engines (always the public view)', { query: TopicPageQuerySchema, produces: 'text/html' }),
  posts.get('/topics/{topic}/changes', 'Catch-up: posts changed after `since`', { query: ChangesQuerySchema, response: TopicChangesSchema }),
  posts.post('/posts', 'Post or reply (idempotent by key)', { auth: 'token', body: CreatePostSchema, response: CreatePostResultSchema, status: 201, created: true }),
  posts.get('/posts/{id}', 'One post', { auth: 'optional', response: PostResultSchema }),
  posts.patch('/posts/{id}', 'The author edits a post', { auth: 'token', body: EditPostSchema, response: EditResultSchema }),
  posts.get('/posts/{id}/history', 'Every version of a post', { response: v.strictObject({ history: PostHistorySchema }) }),
  // Issue 16: readers' basics.
  posts.delete('/posts/{id}', 'The author deletes their post: a tombstone "deleted by its author", the text erased', { auth: 'token', body: DeleteOwnPostSchema, response: PostResultSchema }),
  posts.put('/posts/{id}/helpful', 'Mark a post helpful (once per person; staff marks shown apart, never ranked)', { auth: 'token', response: v.strictObject({ helpful: HelpfulSummarySchema }) }),
  posts.delete('/posts/{id}/helpful', 'Withdraw one\'s "Helpful" mark', { auth: 'token', response: v.strictObject({ helpful: HelpfulSummarySchema }) }),
  posts.get('/search', 'Search the site\'s visible posts (every word; the last as a prefix), newest first', { query: SearchQuerySchema }),
  posts.put('/topics/{topic}/pin', 'Pin one post at the top of a topic (moderators; never staff or staff posts)', { auth: 'moderator', body: PinSchema }),
  posts.delete('/topics/{topic}/pin', 'Unpin the topic\'s pinned post', { auth: 'moderator', body: UnpinSchema }),

  identity.get('/companies', 'The register of companies taking part', { response: CompanyRegisterSchema }),
  identity.get('/companies/{company}', 'One company card', { response: CompanyInfoSchema }),
  identity.get('/companies/{id}/presence', 'A company’s presence over time', { query: PresenceQuerySchema, response: CompanyPresenceSchema }),
  identity.get('/topics/{topic}/participants', 'Companies and professionals who posted in a topic', { response: TopicParticipantsSchema }),
  identity.post('/session', 'Exchange a host token for a Parley session', { body: HostSessionSchema, response: SessionTokensSchema }),
  identity.post('/session/refresh', 'Rotate a refresh token', { body: RefreshSchema, response: SessionTokensSchema }),
  identity.post('/session/sign-out-everywhere', 'Revoke every session of the person', { auth: 'token' }),
  identity.post('/staff/email-link', 'Company staff ask for a sign-in link at their work address', { body: EmailLinkRequestSchema, status: 202 }),
  identity.post('/staff/verify', 'Open a staff sign-in link', { body: EmailLinkVerifySchema, response: SessionTokensSchema }),
  identity.post('/sign-in/email', 'A member asks for a sign-in link and one-time code by email', { body: MemberSignInRequestSchema, status: 202 }),
  identity.post('/sign-in/email/verify', 'Open the emailed link: a Parley session', { body: MemberSignInVerifySchema, response: SessionTokensSchema }),
  identity.post('/sign-in/email/code', 'Type the emailed code: a Parley session', { body: MemberSignInCodeSchema, response: SessionTokensSchema }),
  identity.post('/me/welcome', 'A new member chooses a name and accepts the house rules', { auth: 'token', body: WelcomeSchema, response: MeSchema }),
  identity.get('/sign-in/oidc/start', 'OpenID Connect sign-in: 302 to the site’s provider (returnUrl, challenge?)', { status: 302 }),
  identity.get('/sign-in/oidc/callback', 'The provider returns here: 302 back to returnUrl with a ticket or an error code', { status: 302 }),
  identity.post('/sign-in/oidc/complete', 'Exchange the ticket for a Parley session', { body: OidcCompleteSchema, response: SessionTokensSchema }),
  identity.patch('/me', 'Change your display name (members)', { auth: 'token', body: RenameSchema }),
  identity.post('/me/name-change', 'Staff ask for a name or job title change', { auth: 'token', body: NameChangeRequestSchema, status: 201 }),
  identity.get('/me/export', 'Everything held about you, as a download', { auth: 'token' }),
  identity.delete('/me', 'Erase your account', { auth: 'token', body: EraseSchema }),
  identity.get('/me/blocks', 'The accounts you blocked (display names only; private to you)', { auth: 'token', response: BlockListSchema }),
  identity.put('/me/blocks/{userId}', 'Block an account: it cannot mention you, and your widget folds its posts', { auth: 'token', response: BlockStateSchema }),
  identity.delete('/me/blocks/{userId}', 'Unblock an account', { auth: 'token', response: BlockStateSchema }),

  admin.get('/admin', 'Roles, staff, companies and pending name changes'),
  admin.get('/admin/users', 'Find members by name', { query: Q({ name: text(80) }) }),
  admin.post('/admin/roles', 'Grant moderator or admin', { body: RoleChangeSchema }),
  admin.delete('/admin/roles', 'Revoke moderator or admin', { body: RoleChangeSchema }),
  admin.put('/admin/companies/{company}', 'Register or update a company', { body: CompanySchema, status: 201, created: true }),
  admin.post('/admin/staff', 'Verify a member as company staff', { body: VerifyStaffSchema }),
  admin.post('/admin/staff/revoke', 'Revoke a staff affiliation', { body: RevokeStaffSchema }),
  admin.post('/admin/professionals', 'Verify a healthcare professional', { body: VerifyProfessionalSchema }),
  admin.post('/admin/name-changes/{id}', 'Decide a name change request', { body: DecideNameChangeSchema }),
  admin.put('/admin/sign-in', 'Choose how members sign in here', { body: SignInMethodsSchema }),
  admin.get('/admin/oidc', 'The site’s OpenID provider (the client secret is write-only)'),
  admin.put('/admin/oidc', 'Set the site’s OpenID provider', { body: OidcProviderSettingsSchema, status: 201, created: true }),
  admin.delete('/admin/oidc', 'Remove the site’s OpenID provider'),
  admin.get('/admin/site', 'The site: name, origins, sign-in methods, whether it has a secret, public keys'),
  admin.patch('/admin/site', 'Rename the site or change its allowed origins (each checked, with hints)', { body: SiteUpdateSchema }),
  admin.post('/admin/site/secret', 'A new host-token secret, shown once'),
  admin.put('/admin/site/public-keys', 'The public keys host tokens may be signed with', { body: PublicKeysSchema }),
  admin.get('/admin/identity-events', 'The record of identity changes', { query: Q({ after: num }) }),
  admin.get('/admin/boilerplate', 'Required boilerplate that never counts as scripted'),
  admin.put('/admin/boilerplate', 'Set the required boilerplate', { body: BoilerplateSchema }),
  admin.get('/admin/authenticity', 'Scripted-reply threshold and promotion rule'),
  admin.put('/admin/authenticity', 'Set the threshold and promotion rule', { body: AuthenticitySettingsSchema }),
  admin.get('/admin/safety/settings', 'Adverse-event terms, schemes and relay'),
  admin.put('/admin/safety/settings', 'Change the safety settings', { body: SafetySettingsSchema }),
  admin.get('/admin/companies/{company}/safety-contacts', 'Every pharmacovigilance contact of a company (default, per country, per product)'),
  admin.get('/admin/companies/{company}/safety-contact', 'A company’s pharmacovigilance contact for one scope (default: the company default)', { query: SafetyContactScopeQuerySchema }),
  admin.put('/admin/companies/{company}/safety-contact', 'Set a company’s pharmacovigilance contact', { body: SafetyContactSchema }),
  admin.post('/admin/companies/{company}/safety-feed-token', 'Issue a company’s safety feed token', { status: 201 }),
  admin.delete('/admin/companies/{company}/safety-feed-token', 'Revoke a company’s safety feed token'),
  // Issue 15: the body is the export file itself (XML or JSON, up to 20 MB), not a JSON message.
  admin.post('/admin/import', 'Import a Disqus, WordPress or Parley export (dryRun=true by default)', { query: ImportQuerySchema, response: ImportReportSchema }),
  admin.get('/admin/export', 'The whole site as a JSON download (docs/import-export.md)'),

  moderation.get('/rules', 'House rules in force', { response: PublicRulesSchema }),
  moderation.get('/rules/history', 'Every version of every rule'),
  moderation.put('/rules/{rule}', 'Change or retire a rule', { auth: 'admin', body: ChangeRuleSchema }),
  admin.post('/admin/rules/preview', 'A rule’s text rendered as it would be published (nothing stored)', { body: RulePreviewSchema }),
  moderation.get('/moderation/how-it-works', 'Who moderates and how (JSON, or Markdown with format=markdown), in `lang` or the Accept-Language (en, nl, de, fr, ar)', { query: Q({ format: v.optional(v.picklist(['markdown'])), lang: v.optional(v.pipe(v.string(), v.maxLength(35))) }) }),
  moderation.get('/moderation/settings', 'Public moderation settings'),
  moderation.put('/moderation/settings', 'Change moderation settings', { auth: 'admin', body: ModerationSettingsSchema }),
  moderation.get('/moderation/actions/{id}', 'A public statement of reasons', { response: PublicActionSchema }),
  moderation.get('/notices/{id}', 'A notice (by its unguessable id)'),
  moderation.get('/transparency', 'The transparency report', { query: DateRange }),
  moderation.get('/transparency/statements', 'Statements of reasons in DSA Transparency Database format', { query: DateRange }),
  moderation.post('/reports', 'Report a post', { auth: 'token', body: CreateReportSchema, status: 201, created: true }),
  moderation.get('/me/reports', 'Your reports and their outcomes', { auth: 'token' }),
  moderation.post('/appeals', 'Appeal a decision', { auth: 'token', body: CreateAppealSchema, status: 201 }),
  moderation.get('/me/appeals', 'Your appeals', { auth: 'token' }),
  moderation.get('/me/notices', 'Your notices', { auth: 'token' }),
  moderation.get('/moderation/queue', 'The moderation queue: filters held, reported, appeals, by rule, by topic, and a search', { auth: 'moderator', query: QueueQuerySchema }),
  moderation.post('/moderation/bulk', 'One decision on several targets: each its own action, statement and log entry', { auth: 'moderator', body: BulkActionSchema }),
  moderation.get('/moderation/accounts/{userId}/notes', 'Private moderator notes on an account', { auth: 'moderator' }),
  moderation.post('/moderation/accounts/{userId}/notes', 'Add a private note on an account (the log keeps a commitment, not the text)', { auth: 'moderator', body: ModeratorNoteSchema, status: 201 }),
  moderation.get('/moderation/holds/settings', 'Which posts wait for a moderator (public)'),
  moderation.put('/moderation/holds/settings', 'Change the hold options', { auth: 'admin', body: HoldSettingsSchema }),
  moderation.get('/moderation/log', 'Actions with the moderators’ identity', { auth: 'moderator', query: Q({ after: num }) }),
  moderation.post('/moderation/actions', 'Take a moderation action', { auth: 'moderator', body: TakeActionSchema, status: 201 }),
  moderation.post('/moderation/actions/{id}/reverse', 'Reverse an action', { auth: 'moderator', body: ReverseActionSchema, status: 201 }),
  moderation.get('/moderation/appeals', 'Open appeals', { auth: 'moderator' }),
  moderation.post('/moderation/appeals/{id}/decision', 'Decide an appeal', { auth: 'moderator', body: DecideAppealSchema }),

  log.get('/checkpoint', 'The latest signed checkpoint note (JSON with format=json)', { produces: 'text/plain', query: Q({ format: v.optional(v.picklist(['json'])) }) }),
  log.get('/checkpoint.json', 'The latest checkpoint as JSON', { response: CheckpointJsonSchema }),
  log.get('/entries', 'Log entries [start, end), at most 1000', { query: Q({ start: num, end: num }), response: LogEntriesSchema }),
  log.get('/entries/{index}', 'One entry', { response: LogEntryViewSchema }),
  log.get('/entries/{index}/sensitive', 'The committed values still held', { auth: 'moderator' }),
  log.get('/proof/inclusion', 'Inclusion proof (RFC 6962)', { query: Q({ index: v.pipe(v.string(), v.regex(/^\d{1,16}$/)), size: num }) }),
  log.get('/proof/consistency', 'Consistency proof (RFC 6962)', { query: Q({ from: v.pipe(v.string(), v.regex(/^\d{1,16}$/)), to: num }) }),
  log.get('/download', 'The whole log as NDJSON (JSON with format=json)', { produces: 'application/x-ndjson', query: Q({ format: v.optional(v.picklist(['json'])) }) }),
  log.get('/feed.atom', 'Atom feed of the newest entries', { produces: 'application/atom+xml' }),
  log.get('/view', 'Entries filtered, newest first', {
    query: Q({ kind: text(64), action: text(64), rule: text(64), moderator: text(200), from: text(40), to: text(40), post: text(200), topic: text(200), before: num,
      limit: v.optional(v.pipe(v.string(), v.regex(/^\d{1,3}$/), v.description('1..100, default 20'))) }),
    response: LogViewSchema,
  }),
  log.get('/keys', 'Signing keys, current and past', { response: LogKeysSchema }),
  log.get('/witnesses', 'Witnesses and their latest cosignatures'),
  log.post('/cosignatures', 'A witness posts its cosigned checkpoint (text/plain or {note})', { body: 'text', status: 201 }),
  log.post('/witnesses', 'Register a witness', { auth: 'admin', status: 201 }),
  log.post('/redactions', 'Redact a committed value', { auth: 'admin', status: 201 }),

  safety.get('/safety/flags', 'Possible adverse events flagged', { auth: 'staff', query: SafetyFlagsQuerySchema }),
  safety.get('/safety/flags/{id}', 'One flag', { auth: 'staff' }),
  safety.post('/safety/flags/{id}/forward', 'Forward a flag to the company’s safety team', { auth: 'staff', body: SafetyForwardSchema, status: 201, created: true }),
  safety.post('/safety/seen', 'Staff saw these posts', { auth: 'staff', body: SafetySeenSchema }),
  safety.get('/safety/deliveries', 'Deliveries to safety teams', { auth: 'moderator', query: SafetyDeliveriesQuerySchema }),
  safety.post('/safety/deliveries/{id}/retry', 'Retry a delivery now', { auth: 'moderator' }),
  safety.get('/safety/my-flags', 'Flags on your own posts, with a signpost', { auth: 'token', query: MyFlagsQuerySchema }),
  safety.post('/safety/flags/{id}/consent', 'May the safety team contact you through the host?', { auth: 'token', body: SafetyConsentSchema }),
  safety.get('/safety/feed', 'The company’s feed of flagged posts (no text)', { auth: 'feed', query: SafetyFeedQuerySchema }),
  safety.get('/safety/relay/{reference}', 'Whom the host should contact for a reference', { auth: 'admin' }),

  notify.get('/me/notifications', 'Your notification choices, where mail goes and whether it can (issue 13)', { auth: 'token', response: NotificationSettingsSchema }),
  notify.put('/me/notifications', 'Change some notification choices; the first opt-in of an unproven address mails a confirmation link', { auth: 'token', body: NotificationPreferencesUpdateSchema, response: NotificationSettingsSchema }),
  notify.get('/topics/{topic}/follow', 'Whether you follow a topic', { auth: 'token', response: FollowStateSchema }),
  notify.put('/topics/{topic}/follow', 'Follow or unfollow a topic (and report the host page it is on)', { auth: 'token', body: FollowUpdateSchema, response: FollowStateSchema }),
  notify.get('/topics/{topic}/mention-suggestions', 'People who took part in a topic, for `@` (display names and ids only)', { auth: 'token', query: MentionQuerySchema, response: MentionSuggestionsSchema }),
  notify.get('/topics/{topic}/since-last-visit', 'Replies to you and mentions of you since the newest post you saw', { auth: 'token', response: SinceLastVisitSchema }),
  notify.put('/topics/{topic}/seen', 'The newest post of a topic you have seen', { auth: 'token', body: SeenMarkerSchema, response: SinceLastVisitSchema }),
  admin.get('/admin/notifications', 'The site’s notification window (minutes)'),
  admin.put('/admin/notifications', 'Set the site’s notification window', { body: NotificationSiteSettingsSchema }),
  server.get('/notifications/unsubscribe', 'A mailed one-click unsubscribe link: a page asking to confirm (changes nothing)', { produces: 'text/html', query: Q({ token: text(1000) }) }),
  server.post('/notifications/unsubscribe', 'Unsubscribe (RFC 8058 one-click POST, body List-Unsubscribe=One-Click, or the page’s button)', { produces: 'text/html', query: Q({ token: text(1000) }) }),
  server.get('/notifications/confirm', 'A mailed address-confirmation link: a page asking to confirm', { produces: 'text/html', query: Q({ token: text(1000) }) }),
  server.post('/notifications/confirm', 'Confirm the address notifications go to', { produces: 'text/html', query: Q({ token: text(1000) }) }),
  desk.get('/companies/{company}/desk', 'The company desk: open questions, mentions, safety flags, figures (its staff; moderators and admins read)', { auth: 'staff', query: DeskQuerySchema }),
  desk.post('/companies/{company}/questions/{postId}/claim', '“I’m on it”: claim a question for a while', { auth: 'staff', response: ClaimResultSchema }),
  desk.delete('/companies/{company}/questions/{postId}/claim', 'Release your claim', { auth: 'staff', response: v.strictObject({ released: v.literal(true) }) }),
  desk.post('/companies/{company}/questions/{postId}/answer', 'Mark a question answered by one of your later posts', { auth: 'staff', body: MarkAnsweredSchema, response: PostResultSchema }),
  desk.put('/companies/{company}/pledge', 'Propose the company’s public pledge (pending until an admin approves)', { auth: 'staff', body: PledgeSchema, response: PendingPledgeResultSchema }),
  desk.post('/moderation/questions/{postId}/out-of-scope', 'Mark a question out of scope, with a public reason', { auth: 'moderator', body: OutOfScopeSchema, response: PostResultSchema }),
  desk.post('/admin/companies/{company}/pledge', 'Approve or refuse a company’s proposed pledge', { auth: 'admin', body: PledgeDecisionSchema, response: PledgeDecisionResultSchema }),
  desk.get('/admin/desk', 'Desk settings: how long a claim lasts', { auth: 'admin', response: DeskSettingsResultSchema }),
  desk.put('/admin/desk', 'Set how long a claim lasts', { auth: 'admin', body: DeskSettingsSchema, response: DeskSettingsResultSchema }),

  authenticity.post('/staff/check-text', 'Staff pre-check: similar posts and product mentions', { auth: 'staff', body: CheckTextSchema }),
];
