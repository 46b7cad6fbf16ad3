/**
 * The notification message itself (issue 13): plain text and HTML from the templates kept as data
 * (./templates/notifications/), in the member's language, with their display name, each post's text
 * rendered safely, a link to the post on the host page, and the unsubscribe links and headers of
 * RFC 2369 / RFC 8058. No tracking pixel, no rewritten link: every link is the page's own or ours.
 *
 * The HTML part uses the post's stored HTML, which the Markdown renderer produced from escaped
 * source (server/render/markdown.ts: no raw HTML, http(s)/mailto links only); every other value is
 * escaped here. The text part uses the post's source with mentions written as "@Name".
 */
import { MENTION_PATTERN, type NotificationKind } from '../../moderation/notification-schemas.js';
import { fill, templateLanguage, templatesFor } from './templates/notifications/index.js';

export type ItemKind = Exclude<NotificationKind, 'digest' | 'moderationDigest'>;

export interface MessagePost {
  kind: ItemKind;
  postId: string;
  topic: string;
  topicTitle: string;
  authorName: string;
  /** The company of a question or an answer, by name. */
  companyName: string | null;
  body: string;
  html: string;
  /** The post on the host page (`…#parley-post-ID`). */
  link: string;
}

export interface NotificationMessageInput {
  language: string | null;
  siteName: string;
  siteId: string;
  recipientName: string;
  /** 'single' for the coalesced message, or a digest's period. */
  cadence: 'single' | 'daily' | 'weekly';
  posts: MessagePost[];
  /** One-click links: per kind in the message, and for everything. */
  unsubscribe: { kinds: Partial<Record<ItemKind | 'digest', string>>; all: string };
  /** The host part of List-Id (Parley's public host name, without a port). */
  listHost: string;
}

export interface RenderedMail {
  subject: string;
  text: string;
  html: string;
  headers: Record<string, string>;
}

const escapeHtml = (text: string) =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** A header value never carries a line break (no header injection through a site or topic name). */
const oneLine = (text: string) => text.replace(/[\r\n]+/g, ' ').trim();

const plain = (body: string) => body.replace(MENTION_PATTERN, (_m, name: string) => `@${name}`);

export function renderNotificationMail(input: NotificationMessageInput): RenderedMail {
  const t = templatesFor(input.language);
  const first = input.posts[0]!;
  const kinds = [...new Set(input.posts.map((p) => p.kind))];
  const subject = oneLine(
    input.cadence !== 'single'
      ? fill(t.subject[input.cadence], { site: input.siteName })
      : input.posts.length === 1
        ? fill(t.subject[first.kind], { author: first.authorName, topic: first.topicTitle, company: first.companyName ?? '' })
        : fill(t.subject.several, { count: input.posts.length, site: input.siteName }),
  );
  const values = (p: MessagePost) => ({ author: p.authorName, company: p.companyName ?? '', topic: p.topicTitle });

  // Grouped by topic, in the order things happened.
  const byTopic = new Map<string, MessagePost[]>();
  for (const p of input.posts) byTopic.set(p.topic, [...(byTopic.get(p.topic) ?? []), p]);

  const kindNames = kinds.map((k) => t.kinds[k]).join(', ');
  const why = fill(t.why, { kinds: input.cadence === 'single' ? kindNames : `${t.kinds.digest} (${kindNames})`, site: input.siteName });
  const stopLinks = input.cadence === 'single'
    ? kinds.map((k) => ({ label: `${t.stopThese} (${t.kinds[k]})`, url: input.unsubscribe.kinds[k]! }))
    : [{ label: `${t.stopThese} (${t.kinds.digest})`, url: input.unsubscribe.kinds.digest! }];
  const stopAll = fill(t.stopAll, { site: input.siteName });

  const text = [
    fill(t.greeting, { name: input.recipientName }),
    '',
    ...[...byTopic.values()].flatMap((posts) => [
      ...(byTopic.size > 1 ? [fill(t.topicHeading, { topic: posts[0]!.topicTitle }), ''] : []),
      ...posts.flatMap((p) => [fill(t.intro[p.kind], values(p)), '', ...plain(p.body).split('\n').map((line) => `> ${line}`), '', `${t.readOnPage}: ${p.link}`, '']),
    ]),
    '-- ',
    why,
    ...stopLinks.map((l) => `${l.label}: ${l.url}`),
    `${stopAll}: ${input.unsubscribe.all}`,
    fill(t.changeInPanel, { site: input.siteName }),
  ].join('\n');

  const html = [
    '<!doctype html>',
    `<html lang="${templateLanguage(input.language)}" dir="${templateLanguage(input.language) === 'ar' ? 'rtl' : 'ltr'}"><head><meta charset="utf-8"><title>${escapeHtml(subject)}</title></head><body>`,
    `<p>${escapeHtml(fill(t.greeting, { name: input.recipientName }))}</p>`,
    ...[...byTopic.values()].flatMap((posts) => [
      ...(byTopic.size > 1 ? [`<h2>${escapeHtml(fill(t.topicHeading, { topic: posts[0]!.topicTitle }))}</h2>`] : []),
      ...posts.map((p) => [
        `<p>${escapeHtml(fill(t.intro[p.kind], values(p)))}</p>`,
        `<blockquote>${p.html}</blockquote>`,
        `<p><a href="${escapeHtml(p.link)}">${escapeHtml(t.readOnPage)}</a></p>`,
      ].join('\n')),
    ]),
    '<hr>',
    `<p>${escapeHtml(why)}</p>`,
    `<p>${[...stopLinks, { label: stopAll, url: input.unsubscribe.all }].map((l) => `<a href="${escapeHtml(l.url)}">${escapeHtml(l.label)}</a>`).join(' · ')}</p>`,
    `<p>${escapeHtml(fill(t.changeInPanel, { site: input.siteName }))}</p>`,
    '</body></html>',
  ].join('\n');

  // The header's one-click link stops what this message is: one kind, or (several kinds, a digest) everything.
  const headerLink = input.cadence === 'single' && kinds.length === 1 ? input.unsubscribe.kinds[kinds[0]!]! : input.unsubscribe.all;
  return {
    subject,
    text,
    html,
    headers: {
      'List-Unsubscribe': `<${headerLink}>`,
      'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
      'List-Id': `"${oneLine(input.siteName).replace(/["\\]/g, '')}" <notifications.${input.siteId}.${input.listHost}>`,
      'Auto-Submitted': 'auto-generated',
    },
  };
}
