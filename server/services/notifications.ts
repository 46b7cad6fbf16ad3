/**
 * Notifications a member asks for (issue 13), the member-facing half: their preferences per site,
 * following a topic (and the host page it is embedded in), `@` suggestions, seen markers and
 * "since your last visit". Everything is off until the member opts in. Sending is
 * server/services/notify-queue.ts; the mail itself server/mail/notification-mail.ts.
 *
 * An address counts as proven when Parley proved it (email sign-in, a staff link: the account's
 * subject is `email:…`), when the site's OpenID provider did (`email_verified: true`: the only
 * address an `oidc:…` account ever holds), or when the member opened our confirmation link for
 * it. A host token's email claim alone is not proof: the first opt-in sends a confirmation
 * first, and nothing else goes to that address until it is opened.
 */
import { ParleyError } from '../../moderation/errors.js';
import {
  FollowUpdateSchema, MentionQuerySchema, NO_NOTIFICATIONS, NotificationPreferencesUpdateSchema, NotificationSiteSettingsSchema,
  NOTIFY_LIMITS, SeenMarkerSchema, type NotificationKind, type NotificationPreferences,
} from '../../moderation/notification-schemas.js';
import type { FollowState, MentionSuggestions, NotificationSettings, SinceLastVisit } from '../../moderation/response-schemas.js';
import { can } from '../../moderation/permissions.js';
import { parseWith, TopicIdSchema } from '../../moderation/schemas.js';
import { fill, templateLanguage, templatesFor } from '../mail/templates/notifications/index.js';
import type { NotificationPreferencesRecord } from '../store/notify-store.js';
import type { SiteRecord, UserRecord } from '../store/store.js';
import type { AppContext } from './context.js';
import type { Principal } from './identity.js';
import { CONFIRM_LINK_MS, signNotifyToken } from './notify-tokens.js';
import { OIDC_SUBJECT_PREFIX } from './oidc-sign-in.js';
import { valid } from './validate.js';

/** A confirmation is sent again at most this often (a member toggling preferences is not a mail cannon). */
const CONFIRMATION_RESEND_MS = 10 * 60_000;

function member(principal: Principal): UserRecord {
  if (!principal.user) throw new ParleyError('unauthenticated', 'Sign in to choose your notifications.');
  if (principal.user.kind === 'deleted') throw new ParleyError('forbidden', 'This account was deleted.');
  return principal.user;
}

function topicOf(param: unknown): string {
  return valid(parseWith(TopicIdSchema, param));
}

/** The site's coalescing window in minutes (admins set it; default 15). */
export async function windowMinutes(ctx: AppContext, site: string): Promise<number> {
  const stored = Number(await ctx.store.getSetting(site, 'notify-window-minutes'));
  return Number.isInteger(stored) && stored >= NOTIFY_LIMITS.windowMinutesMin ? stored : NOTIFY_LIMITS.windowMinutesDefault;
}

/** Whether this address is proven to belong to the member (by Parley, or by the site's OpenID provider). */
export function addressProven(user: UserRecord, prefs: Pick<NotificationPreferencesRecord, 'confirmedEmail'> | null): boolean {
  if (!user.email) return false;
  // Parley's own email sign-in (or a staff link) proved it.
  if (user.sub.startsWith('email:')) return true;
  // The OpenID provider said `email_verified: true`: sign-in takes no other address (oidc-sign-in.ts).
  if (user.sub.startsWith(OIDC_SUBJECT_PREFIX)) return true;
  return prefs?.confirmedEmail?.toLowerCase() === user.email.toLowerCase();
}

export function addressState(user: UserRecord, prefs: NotificationPreferencesRecord | null): NotificationSettings['address']['state'] {
  if (!user.email) return 'none';
  if (prefs?.bouncedAt && prefs.bouncedEmail?.toLowerCase() === user.email.toLowerCase()) return 'bounced';
  if (addressProven(user, prefs)) return 'confirmed';
  return prefs?.confirmationSentAt ? 'confirmation-sent' : 'unconfirmed';
}

/** The kinds this member may choose: staff questions for company staff, the moderation digest for moderators. */
export function availableKinds(principal: Principal): NotificationKind[] {
  const kinds: NotificationKind[] = ['replies', 'mentions', 'followed', 'answers', 'digest'];
  if (principal.roles.includes('staff')) kinds.push('deskQuestions');
  if (principal.roles.includes('moderator') || principal.roles.includes('admin')) kinds.push('moderationDigest');
  return kinds;
}

function preferencesOf(record: NotificationPreferencesRecord | null): NotificationPreferences {
  if (!record) return { ...NO_NOTIFICATIONS };
  const { replies, mentions, followed, answers, digest, deskQuestions, moderationDigest } = record;
  return { replies, mentions, followed, answers, digest, deskQuestions, moderationDigest };
}

const anyOn = (p: NotificationPreferences) =>
  p.replies || p.mentions || p.followed || p.answers || p.deskQuestions || p.moderationDigest;

async function settingsOf(ctx: AppContext, principal: Principal, user: UserRecord): Promise<NotificationSettings> {
  const site = principal.site.id;
  const record = await ctx.store.getNotificationPreferences(site, user.id);
  return {
    site,
    preferences: preferencesOf(record),
    address: {
      // The member's own address, shown to them alone (this answer goes to no one else).
      email: user.email,
      state: addressState(user, record),
      bouncedAt: record?.bouncedAt && addressState(user, record) === 'bounced' ? record.bouncedAt : null,
    },
    available: availableKinds(principal),
    language: templateLanguage(record?.language),
    windowMinutes: await windowMinutes(ctx, site),
  };
}

/** GET /me/notifications */
export async function notificationSettings(ctx: AppContext, principal: Principal): Promise<NotificationSettings> {
  return settingsOf(ctx, principal, member(principal));
}

/** PUT /me/notifications: change some preferences; the first opt-in of an unproven address sends a confirmation. */
export async function updateNotificationSettings(ctx: AppContext, principal: Principal, input: unknown): Promise<NotificationSettings> {
  const user = member(principal);
  const { language, ...update } = valid(parseWith(NotificationPreferencesUpdateSchema, input));
  const site = principal.site.id;
  const available = new Set(availableKinds(principal));
  for (const kind of Object.keys(update) as NotificationKind[]) {
    const on = kind === 'digest' ? update.digest !== 'off' : update[kind] === true;
    if (on && !available.has(kind)) throw new ParleyError('forbidden', `"${kind}" is not available to you on this site.`);
  }
  const at = ctx.now().toISOString();
  const sendConfirmation = await ctx.store.transaction(async () => {
    const record = await ctx.store.getNotificationPreferences(site, user.id);
    const next: NotificationPreferences = { ...preferencesOf(record), ...update };
    await ctx.store.saveNotificationPreferences(site, user.id, next, language ?? null, at);
    if (!anyOn(next)) return false;
    // Opting in again after a hard bounce re-arms the address (the member says it works now).
    if (record?.bouncedAt) await ctx.store.clearBounce(site, user.id);
    if (!user.email || addressProven(user, record)) return false;
    const lastSent = record?.confirmationSentAt ? Date.parse(record.confirmationSentAt) : 0;
    if (ctx.now().getTime() - lastSent < CONFIRMATION_RESEND_MS) return false;
    await ctx.store.markConfirmationSent(site, user.id, at);
    await ctx.store.recordNotificationEvent({ site, userId: user.id, at, event: 'confirmation-sent', kind: null });
    return true;
  });
  // After the commit, and without the request waiting on SMTP: a failed delivery stays in the outbox.
  if (sendConfirmation && user.email) {
    void sendConfirmationMail(ctx, principal.site, user, language ?? null).catch((err) => ctx.log.warn({ err }, 'confirmation mail not sent'));
  }
  return settingsOf(ctx, principal, user);
}

async function sendConfirmationMail(ctx: AppContext, site: SiteRecord, user: UserRecord, language: string | null): Promise<void> {
  const email = user.email!;
  const token = await signNotifyToken(ctx.store, {
    purpose: 'confirm', site: site.id, userId: user.id, email, expiresAt: ctx.now().getTime() + CONFIRM_LINK_MS,
  });
  const link = `${ctx.publicUrl?.() ?? ''}/notifications/confirm?token=${token}`;
  const t = templatesFor(language ?? (await ctx.store.getNotificationPreferences(site.id, user.id))?.language);
  const subject = fill(t.confirm.subject, { site: site.name });
  const text = [fill(t.greeting, { name: user.displayName }), '', fill(t.confirm.body, { site: site.name }), '', link, '', t.confirm.ignore].join('\n');
  await ctx.mailer.send(site.id, email, subject, text, ctx.now().toISOString());
}

// ---------------------------------------------------------------------------------------------
// Following a topic, and the host page it lives on
// ---------------------------------------------------------------------------------------------

/** The page URL without its fragment, when it is on one of the site's registered origins (or Parley's own pages). */
export function acceptedPageUrl(ctx: AppContext, site: SiteRecord, pageUrl: string): string {
  const url = new URL(pageUrl);
  const allowed = [...site.origins, ...ctx.selfOrigins()];
  if (!allowed.includes(url.origin)) {
    throw new ParleyError('validation_failed', 'pageUrl is not on one of this site\'s registered origins.', {
      issues: [{ path: 'pageUrl', message: 'not on one of the site\'s registered origins' }],
    });
  }
  url.hash = '';
  return url.toString();
}

/** Remembers where a topic is embedded (the link back in messages); the newest report wins. */
export async function rememberTopicPage(ctx: AppContext, site: SiteRecord, topic: string, pageUrl: string | undefined): Promise<void> {
  if (!pageUrl) return;
  await ctx.store.setTopicPageUrl(site.id, topic, acceptedPageUrl(ctx, site, pageUrl), ctx.now().toISOString());
}

/** GET /topics/{topic}/follow */
export async function followState(ctx: AppContext, principal: Principal, topicParam: unknown): Promise<FollowState> {
  const user = member(principal);
  const topic = topicOf(topicParam);
  const [following, pageUrl] = await Promise.all([
    ctx.store.isFollowing(principal.site.id, topic, user.id),
    ctx.store.getTopicPageUrl(principal.site.id, topic),
  ]);
  return { topic, following, pageUrl };
}

/** PUT /topics/{topic}/follow {following, pageUrl?} */
export async function setFollowing(ctx: AppContext, principal: Principal, topicParam: unknown, input: unknown): Promise<FollowState> {
  const user = member(principal);
  const topic = topicOf(topicParam);
  const { following, pageUrl } = valid(parseWith(FollowUpdateSchema, input));
  const at = ctx.now().toISOString();
  // The URL is checked before anything is stored: a refused page changes nothing.
  const accepted = pageUrl ? acceptedPageUrl(ctx, principal.site, pageUrl) : null;
  await ctx.store.transaction(async () => {
    await ctx.store.setFollow(principal.site.id, topic, user.id, following, at);
    if (accepted) await ctx.store.setTopicPageUrl(principal.site.id, topic, accepted, at);
  });
  return followState(ctx, principal, topic);
}

// ---------------------------------------------------------------------------------------------
// Mentions, seen markers, since your last visit
// ---------------------------------------------------------------------------------------------

/** GET /topics/{topic}/mention-suggestions?q=: people who took part here (display names and ids, never an address). */
export async function mentionSuggestions(ctx: AppContext, principal: Principal, topicParam: unknown, query: unknown): Promise<MentionSuggestions> {
  const user = member(principal);
  const topic = topicOf(topicParam);
  const { q } = valid(parseWith(MentionQuerySchema, query ?? {}));
  // People who blocked the asker are never suggested (issue 13): read three times what is shown, so
  // a few blockers (and the asker) do not shorten the list.
  const people = await ctx.store.topicPeople(principal.site.id, topic, q.trim(), NOTIFY_LIMITS.mentionSuggestionsMax * 3 + 1);
  const others = people.filter((p) => p.userId !== user.id);
  const blockers = new Set(await ctx.store.blockersAmong(principal.site.id, user.id, others.map((p) => p.userId)));
  return { people: others.filter((p) => !blockers.has(p.userId)).slice(0, NOTIFY_LIMITS.mentionSuggestionsMax) };
}

/** GET /topics/{topic}/since-last-visit */
export async function sinceLastVisit(ctx: AppContext, principal: Principal, topicParam: unknown): Promise<SinceLastVisit> {
  const user = member(principal);
  const topic = topicOf(topicParam);
  const marker = await ctx.store.getSeenMarker(principal.site.id, topic, user.id);
  // Never visited: nothing counts as new (the whole topic is, and a count of it says nothing).
  if (!marker) return { topic, seenAt: null, lastPostId: null, count: 0, replies: [] };
  const replies = await ctx.store.repliesSince(principal.site.id, topic, user.id, marker.seenAt, NOTIFY_LIMITS.sinceLastVisitMax);
  return { topic, seenAt: marker.seenAt, lastPostId: marker.lastPostId, count: replies.length, replies };
}

/** PUT /topics/{topic}/seen {lastPostId}: the newest post of the topic the member has seen. */
export async function markSeen(ctx: AppContext, principal: Principal, topicParam: unknown, input: unknown): Promise<SinceLastVisit> {
  const user = member(principal);
  const topic = topicOf(topicParam);
  const { lastPostId } = valid(parseWith(SeenMarkerSchema, input));
  const post = await ctx.store.getPost(principal.site.id, lastPostId);
  if (!post || post.topic !== topic) {
    throw new ParleyError('not_found', 'There is no such post in this topic.', { issues: [{ path: 'lastPostId', message: 'not a post in this topic' }] });
  }
  await ctx.store.setSeenMarker(principal.site.id, topic, user.id, { lastPostId, seenAt: post.createdAt });
  return sinceLastVisit(ctx, principal, topic);
}

// ---------------------------------------------------------------------------------------------
// The site's setting (admins)
// ---------------------------------------------------------------------------------------------

function requireAdmin(principal: Principal): void {
  if (!principal.user) throw new ParleyError('unauthenticated', 'Sign in first.');
  if (!can(principal.roles, 'manage-site')) throw new ParleyError('forbidden', 'Only the site\'s admins change this.');
}

/** GET /admin/notifications */
export async function notificationSiteSettings(ctx: AppContext, principal: Principal): Promise<{ windowMinutes: number }> {
  requireAdmin(principal);
  return { windowMinutes: await windowMinutes(ctx, principal.site.id) };
}

/** PUT /admin/notifications {windowMinutes} */
export async function setNotificationSiteSettings(ctx: AppContext, principal: Principal, input: unknown): Promise<{ windowMinutes: number }> {
  requireAdmin(principal);
  const { windowMinutes: minutes } = valid(parseWith(NotificationSiteSettingsSchema, input));
  await ctx.store.setSetting(principal.site.id, 'notify-window-minutes', String(minutes));
  return { windowMinutes: minutes };
}
