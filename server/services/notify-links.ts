/**
 * What the links in notification mail do (issue 13): the one-click unsubscribe and the
 * confirmation of an unproven address, each a small page in the member's language. Unsubscribing
 * is recorded for the member alone (their export), never in the public audit log.
 */
import type { NotificationKind } from '../../moderation/notification-schemas.js';
import { fill, templateLanguage, templatesFor, type NotificationStrings } from '../mail/templates/notifications/index.js';
import type { AppContext } from './context.js';
import { readNotifyToken, type NotifyToken } from './notify-tokens.js';

export interface LinkPage {
  status: number;
  html: string;
}

const escapeHtml = (text: string) =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

function htmlPage(language: string, title: string, body: string): string {
  return `<!doctype html>
<html lang="${escapeHtml(language)}" dir="${language === 'ar' ? 'rtl' : 'ltr'}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<meta name="robots" content="noindex">
<title>${escapeHtml(title)}</title>
<link rel="stylesheet" href="/setup/setup.css">
</head>
<body>
<main>
<h1>${escapeHtml(title)}</h1>
${body}
</main>
</body>
</html>`;
}

const kindName = (t: NotificationStrings, kind: NotificationKind | 'all', site: string) =>
  kind === 'all' ? fill(t.stopAll, { site }).replace(/^./, (c) => c.toLowerCase()) : t.kinds[kind];

async function context(ctx: AppContext, text: unknown) {
  const token = await readNotifyToken(ctx.store, text, ctx.now().getTime());
  if (!token) return null;
  const [site, prefs] = await Promise.all([
    ctx.store.getSite(token.site), ctx.store.getNotificationPreferences(token.site, token.userId),
  ]);
  if (!site) return null;
  const language = templateLanguage(prefs?.language);
  return { token, site, language, t: templatesFor(language) };
}

const invalid = (): LinkPage => {
  const t = templatesFor('en');
  return { status: 400, html: htmlPage('en', t.page.invalid, `<p>${escapeHtml(t.page.invalid)}</p>`) };
};

/** GET: the page with one button; nothing changes (mail scanners open links). */
export async function linkPage(ctx: AppContext, purpose: NotifyToken['purpose'], text: unknown): Promise<LinkPage> {
  const c = await context(ctx, text);
  if (!c || c.token.purpose !== purpose) return invalid();
  const { t, site, language, token } = c;
  // The form posts back to this very URL, token included (a relative action keeps the query).
  const form = (question: string, button: string) =>
    `<p>${escapeHtml(question)}</p>\n<form method="post"><button type="submit">${escapeHtml(button)}</button></form>`;
  if (token.purpose === 'unsubscribe') {
    const title = fill(t.page.unsubscribeTitle, { site: site.name });
    return { status: 200, html: htmlPage(language, title, form(fill(t.page.unsubscribeQuestion, { kind: kindName(t, token.kind, site.name) }), t.page.unsubscribeButton)) };
  }
  return { status: 200, html: htmlPage(language, t.page.confirmTitle, form(fill(t.page.confirmQuestion, { site: site.name }), t.page.confirmButton)) };
}

/** POST /notifications/unsubscribe: RFC 8058 one-click, or the page's button. Idempotent. */
export async function unsubscribeFromLink(ctx: AppContext, text: unknown): Promise<LinkPage> {
  const c = await context(ctx, text);
  if (!c || c.token.purpose !== 'unsubscribe') return invalid();
  const { t, site, language, token } = c;
  const at = ctx.now().toISOString();
  await ctx.store.transaction(async () => {
    await ctx.store.turnOffNotifications(site.id, token.userId, token.kind, at);
    await ctx.store.recordNotificationEvent({ site: site.id, userId: token.userId, at, event: 'unsubscribed', kind: token.kind });
  });
  const title = fill(t.page.unsubscribeTitle, { site: site.name });
  return { status: 200, html: htmlPage(language, title, `<p role="status">${escapeHtml(fill(t.page.unsubscribed, { kind: kindName(t, token.kind, site.name), site: site.name }))}</p>`) };
}

/** POST /notifications/confirm: the address in the link is the member's (still): messages may go to it. */
export async function confirmFromLink(ctx: AppContext, text: unknown): Promise<LinkPage> {
  const c = await context(ctx, text);
  if (!c || c.token.purpose !== 'confirm') return invalid();
  const { t, site, language, token } = c;
  const user = await ctx.store.getUser(site.id, token.userId);
  // The account's address changed since the link was sent: this link proves nothing about the new one.
  if (!user || user.kind === 'deleted' || user.email?.toLowerCase() !== token.email.toLowerCase()) return invalid();
  const at = ctx.now().toISOString();
  await ctx.store.transaction(async () => {
    await ctx.store.confirmNotificationAddress(site.id, user.id, token.email, at);
    await ctx.store.recordNotificationEvent({ site: site.id, userId: user.id, at, event: 'confirmed', kind: null });
  });
  return { status: 200, html: htmlPage(language, t.page.confirmTitle, `<p role="status">${escapeHtml(t.page.confirmed)}</p>`) };
}
