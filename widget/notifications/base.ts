/**
 * What the notification parts share: their strings (merged over the widget's main ones) and
 * the parts of `<parley-discussion>` they read.
 */
import type { ReactiveControllerHost } from 'lit';
import { NOTIFY_LIMITS } from '../../moderation/notification-schemas.js';
import type { TopicSession } from '../client/session.js';
import { resolveLanguage, translator } from '../i18n/index.js';
import { notifyMessages } from '../i18n/notify.js';
import { NotificationsApi } from './api.js';

export { notifyMessages };
export type NotifyTranslate = ReturnType<typeof notifyTranslator>;

export function notifyTranslator(lang: string) {
  return translator(lang, notifyMessages);
}

/** The parts of `<parley-discussion>` the notification parts read. */
export interface DiscussionLike extends ReactiveControllerHost, HTMLElement {
  server: string;
  site: string;
  topic: string;
  lang: string;
  readonly client?: TopicSession;
  readonly renderRoot: HTMLElement | DocumentFragment;
}

/** What the panels read of it (the account panel passes its own view of the discussion). */
export type DiscussionInfo = HTMLElement & Pick<DiscussionLike, 'server' | 'site' | 'lang' | 'client'>;

const apis = new Map<string, NotificationsApi>();
/** One client per server and site. */
export function apiFor(server: string, site: string): NotificationsApi {
  const key = `${server} ${site}`;
  let api = apis.get(key);
  if (!api) apis.set(key, (api = new NotificationsApi(server, site)));
  return api;
}

/**
 * The address of the page the widget is on, for links in notification mail: without its
 * fragment (a sign-in link, say, must never travel) and without its query when that is too long (over 2,000 characters).
 * The server keeps it only if it is on one of the site's registered origins.
 */
export function pageUrl(): string | null {
  const url = new URL(location.href);
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return null;
  url.hash = '';
  if (url.href.length > NOTIFY_LIMITS.pageUrlMaxChars) url.search = '';
  return url.href.length > NOTIFY_LIMITS.pageUrlMaxChars ? null : url.href;
}

/** The discussion's language: its `lang`, the nearest `lang` around it, the page's. */
export function languageOf(el: HTMLElement): string {
  return resolveLanguage(el.lang || el.closest('[lang]')?.getAttribute('lang') || document.documentElement.lang);
}
