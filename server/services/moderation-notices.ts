/**
 * Notices to the people moderation affects: the statement of reasons, report outcomes and
 * appeal decisions. Each notice lives at an unguessable id that works without signing in
 * (so it stays readable while an account is suspended), is listed in "my notices", and is
 * emailed when the person's email is known.
 *
 * Wording (issue 17): callers name sentences of server/i18n/moderation-notices.ts, and the notice is
 * written in the member's language — the one they chose in their notification preferences, else
 * English (sites have no default language of their own yet). The stored notice keeps its shape
 * (`subject` and `body.message` are plain strings), so the widget shows what the mail said.
 */
import { ParleyError } from '../../moderation/errors.js';
import type { NoticeKind, NoticeRecord } from '../store/moderation-store.js';
import type { AppContext } from './context.js';
import type { Principal } from './identity.js';
import { publicBase } from './moderation-settings.js';
import { randomBytes } from 'node:crypto';
import { messages, pickLanguage, type ServerLanguage } from '../i18n/index.js';
import { noticeMessages, type NoticeMessageKey } from '../i18n/moderation-notices.js';

/** A sentence of the notice catalogue and the values it is filled with. */
export interface NoticeText {
  key: NoticeMessageKey;
  values?: Record<string, string | number>;
}

/** The language notices to this member are written in: their chosen one, else English. */
export async function memberLanguage(ctx: AppContext, site: string, userId: string): Promise<ServerLanguage> {
  return pickLanguage((await ctx.store.getNotificationPreferences(site, userId))?.language);
}

/** A notice sentence in `lang`. */
export function noticeText(lang: ServerLanguage, text: NoticeText): string {
  return messages(noticeMessages, lang)(text.key, text.values);
}

export function noticeUrl(ctx: AppContext, site: string, id: string): string {
  return `${publicBase(ctx)}/api/sites/${site}/notices/${id}`;
}

export async function sendNotice(
  ctx: AppContext,
  site: string,
  userId: string,
  notice: {
    kind: NoticeKind; subject: NoticeText; message?: NoticeText; body: Record<string, unknown>;
    actionId?: string; reportId?: string; appealId?: string;
  },
): Promise<NoticeRecord> {
  const lang = await memberLanguage(ctx, site, userId);
  const subject = noticeText(lang, notice.subject);
  const body = notice.message ? { ...notice.body, message: noticeText(lang, notice.message) } : notice.body;
  const record: NoticeRecord = {
    // 24 random bytes: unguessable, so the link itself is the credential.
    id: randomBytes(24).toString('base64url'),
    site, userId, kind: notice.kind, actionId: notice.actionId ?? null, reportId: notice.reportId ?? null,
    appealId: notice.appealId ?? null, subject, body, createdAt: ctx.now().toISOString(), emailed: false,
  };
  await ctx.store.createNotice(record);
  const user = await ctx.store.getUser(site, userId);
  if (user?.email) {
    const url = noticeUrl(ctx, site, record.id);
    const text = `${subject}\n\n${describe(lang, body)}\n\n${noticeText(lang, { key: 'mailReadFull' })}\n${url}\n`;
    await ctx.store.markNoticeEmailed(record.id);
    const siteName = (await ctx.store.getSite(site))?.name ?? site;
    void ctx.mailer.send(site, user.email, `[${siteName}] ${subject}`, text, record.createdAt)
      .catch((error) => ctx.log.warn({ err: error }, 'notice mail failed'));
  }
  return record;
}

function describe(lang: ServerLanguage, body: Record<string, unknown>): string {
  const lines: string[] = [];
  if (typeof body.does === 'string') lines.push(body.does);
  if (typeof body.reason === 'string') lines.push(noticeText(lang, { key: 'mailReason', values: { reason: body.reason } }));
  const rule = body.rule as { id: string; version: number; title: string } | null | undefined;
  if (rule) lines.push(noticeText(lang, { key: 'mailRule', values: { id: rule.id, version: String(rule.version), title: rule.title } }));
  const appeal = body.appeal as { until: string; how?: string } | null | undefined;
  if (appeal) lines.push(noticeText(lang, { key: 'mailAppealUntil', values: { date: appeal.until.slice(0, 10) } }));
  if (typeof body.message === 'string') lines.push(body.message);
  return lines.join('\n');
}

export function presentNotice(ctx: AppContext, notice: NoticeRecord) {
  return {
    id: notice.id, kind: notice.kind, subject: notice.subject, createdAt: notice.createdAt, url: noticeUrl(ctx, notice.site, notice.id),
    actionId: notice.actionId, reportId: notice.reportId, appealId: notice.appealId, body: notice.body,
  };
}

export async function getNotice(ctx: AppContext, site: string, id: string) {
  const notice = /^[A-Za-z0-9_-]{20,64}$/.test(id) ? await ctx.store.getNotice(id) : null;
  if (!notice || notice.site !== site) throw new ParleyError('not_found', 'No such notice.');
  return { notice: presentNotice(ctx, notice) };
}

export async function myNotices(ctx: AppContext, principal: Principal) {
  if (!principal.user) throw new ParleyError('unauthenticated', 'Sign in to read your notices.');
  return { notices: (await ctx.store.listNotices(principal.site.id, principal.user.id, 200)).map((n) => presentNotice(ctx, n)) };
}
