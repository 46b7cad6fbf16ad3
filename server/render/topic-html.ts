/**
 * A topic's first page as plain HTML, for search engines and readers without JavaScript
 * (GET /api/sites/{site}/topics/{topic}/html, issue 10). The host includes it server-side,
 * inside `<parley-discussion>` (the element shows it until its own first page is on screen)
 * or in a `<noscript>`; see docs/api.md.
 *
 * Why plain HTML and not Lit SSR: the server must not import the widget (architecture.json),
 * and HTML the element replaces costs its first render nothing: no hydration of 600 posts,
 * no second copy of the templates, no declarative shadow DOM the host must support.
 *
 * What a reader sees is what the widget shows a signed-out reader, from the same presented
 * posts (server/services/presenter.ts): removed posts are their tombstone (the presenter has
 * already emptied their text), staff badges, professional and moderator badges, lookalike
 * warnings, moderators' notes, scripted-reply labels, product mentions. Every string is
 * escaped here; post bodies are the server's own Markdown rendering (raw HTML is escaped by
 * markdown-it), passed through an allow-list of its tags once more, as the widget does with
 * DOMPurify. Structured data: one schema.org `DiscussionForumPosting` per thread, its replies
 * as nested `Comment`s, in JSON-LD safe inside a `<script>`.
 *
 * The wording is English (the widget's words for the same things, widget/i18n/en.ts).
 */
import type { PinNote } from '../../moderation/spam-schemas.js';
import type { ModerationNote, Post, PublicAuthor, TopicPage } from '../../moderation/types.js';
import { arrangeThreads, buildThreads, countThreads, type Thread } from '../../moderation/threads.js';

export interface TopicHtmlSite {
  name: string;
  rulesUrl: string | null;
}

const APPEALS: Record<string, string> = { none: 'none', open: 'pending', upheld: 'decision upheld', reversed: 'reversed' };
const SAFE_URL = /^(?:https?:|mailto:)/i;

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/**
 * The server's Markdown HTML once more through an allow-list (the widget's DOMPurify list):
 * markdown-it escapes every `<` of the text, so any tag is its own; one it would never write
 * is shown as text, and a link keeps only an http(s)/mailto target.
 */
export function allowListed(html: string): string {
  return html.replace(/<[^>]*>?/g, (tag) => {
    const simple = /^<\/?(p|em|strong|ul|ol|li|blockquote|code|br)\s*\/?>$/.exec(tag);
    if (simple) return tag;
    if (tag === '</a>') return tag;
    const link = /^<a href="([^"<>]*)"[^<>]*>$/.exec(tag);
    if (link && SAFE_URL.test(decodeEntities(link[1]!).trim())) return `<a href="${link[1]}" rel="nofollow ugc noopener" target="_blank">`;
    return escapeHtml(tag);
  });
}

function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|amp|lt|gt|quot|#39|apos|nbsp);/gi, (_m, e: string) => {
    const k = e.toLowerCase();
    if (k[0] === '#') {
      const code = k[1] === 'x' ? parseInt(k.slice(2), 16) : parseInt(k.slice(1), 10);
      return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : '';
    }
    return { amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'", apos: "'", nbsp: '\u00a0' }[k] ?? '';
  });
}

/** The words of a post's HTML, for structured data: tags out, entities decoded, blocks on lines. */
export function plainText(html: string): string {
  const text = html
    .replace(/<br\s*\/?>\n?/gi, '\n')
    .replace(/<\/(p|li|blockquote)>/gi, '\n')
    .replace(/<[^>]*>/g, '');
  return decodeEntities(text).replace(/\n{3,}/g, '\n\n').trim();
}

const authorName = (a: PublicAuthor) => (a.kind === 'deleted' ? 'Deleted member' : a.name);
const ruleText = (n: ModerationNote) => (n.ruleId ? `${n.ruleId} ${n.ruleTitle ?? ''} (v${n.ruleVersion})` : '–');
const longDate = (iso: string) => new Date(iso).toLocaleDateString('en-GB', { dateStyle: 'medium', timeZone: 'UTC' });
const dateTime = (iso: string) => new Date(iso).toLocaleString('en-GB', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC' }) + ' UTC';

function note(n: ModerationNote, text: string): string {
  return `<p class="parley-note">${escapeHtml(text)}${n.logIndex === null ? '' : ` · log entry #${n.logIndex}`}</p>`;
}

function byline(post: Post): string {
  const a = post.author;
  const f = a.affiliation;
  const badges = [
    f && `<span class="parley-badge parley-staff">${escapeHtml(`${f.companyName} · ${f.jobTitle}`)} <span class="parley-verified">${escapeHtml(`✓ verified by ${f.verifiedBy} on ${longDate(f.verifiedAt)}`)}</span></span>`,
    a.professional && `<span class="parley-badge parley-professional">${escapeHtml(`${a.professional.profession} · verified professional`)}</span>`,
    a.moderator && '<span class="parley-badge parley-moderator">Moderator</span>',
    a.lookalike && '<span class="parley-badge parley-lookalike">⚠ Not verified staff — name resembles a verified person</span>',
  ].filter(Boolean);
  const edited = post.editedAt && post.status !== 'removed' ? ' <span class="parley-edited">· edited</span>' : '';
  return `<header class="parley-byline"><strong class="parley-author">${escapeHtml(authorName(a))}</strong>${badges.map((b) => ` ${b}`).join('')} <time datetime="${escapeHtml(post.createdAt)}">${dateTime(post.createdAt)}</time>${edited}</header>`;
}

function renderPost(thread: Thread, pinned: PinNote | undefined): string {
  const { post } = thread;
  const m = post.moderation;
  const parts: string[] = [];
  // The widget's pinned line (widget/components/post.ts): first in the article, above the byline.
  if (pinned?.postId === post.id && post.status === 'visible') {
    parts.push(`<p class="parley-pinned">Pinned by the moderators${pinned.logIndex === null ? '' : ` · log entry #${pinned.logIndex}`}</p>`);
  }
  parts.push(byline(post));
  if (thread.inReplyTo) parts.push(`<p class="parley-reply-to">${escapeHtml(`In reply to ${authorName(thread.inReplyTo)}`)}</p>`);
  if (post.status === 'removed') {
    const r = m?.removal;
    // Never the words: the presenter empties them for everyone, and only the tombstone is written here.
    parts.push(`<div class="parley-tombstone"><p>This message was removed by the moderators</p>${
      r ? note(r, `Removed by ${r.moderator} · Rule ${ruleText(r)}: ${r.reason} · Appeal: ${APPEALS[r.appeal] ?? r.appeal}`) : ''
    }</div>`);
  } else {
    parts.push(`<div class="parley-body">${allowListed(post.html)}</div>`);
  }
  for (const l of m?.labels ?? []) parts.push(note(l, `Moderators’ note · Rule ${ruleText(l)}: ${l.text}`));
  if (post.scripted) parts.push(`<p class="parley-note">${escapeHtml(`Similar text posted ${post.scripted.count} times by ${post.scripted.company} staff`)}</p>`);
  if (post.standardSafetyInfo) parts.push('<p class="parley-note">Includes the site’s standard safety information</p>');
  if (post.productMentions?.length) {
    const list = post.productMentions.map((p) => (p.prescriptionOnly ? `${p.name} (prescription-only medicine)` : p.name)).join(', ');
    parts.push(`<p class="parley-note">${escapeHtml(`Mentions: ${list}`)}</p>`);
  }
  if (m?.repliesClosed) parts.push(note(m.repliesClosed, `Closed by ${m.repliesClosed.moderator} · Rule ${ruleText(m.repliesClosed)}: ${m.repliesClosed.reason}`));
  const label = escapeHtml(`Message from ${authorName(post.author)}`);
  const id = escapeHtml(post.id);
  const classes = `parley-post${post.status === 'removed' ? ' parley-removed' : ''}${pinned?.postId === post.id ? ' parley-pinned-post' : ''}`;
  return `<article class="${classes}" id="parley-post-${id}" data-post-id="${id}" aria-label="${label}">${parts.join('')}</article>`;
}

function renderThreads(threads: readonly Thread[], top: boolean, pinned: PinNote | undefined): string {
  const items = threads.map((t) => `<li>${renderPost(t, pinned)}${t.replies.length ? renderThreads(t.replies, false, pinned) : ''}</li>`);
  return `<ol class="${top ? 'parley-threads' : 'parley-replies'}">${items.join('')}</ol>`;
}

// ---- Structured data (schema.org) ----

function person(a: PublicAuthor): Record<string, unknown> {
  const p: Record<string, unknown> = { '@type': 'Person', name: authorName(a) };
  if (a.affiliation) {
    p.jobTitle = a.affiliation.jobTitle;
    p.affiliation = { '@type': 'Organization', name: a.affiliation.companyName };
  }
  return p;
}

function posting(thread: Thread, type: 'DiscussionForumPosting' | 'Comment', topicTitle: string | null): Record<string, unknown> {
  const { post } = thread;
  const removed = post.status === 'removed';
  const text = removed ? 'This message was removed by the moderators' : plainText(post.html);
  const item: Record<string, unknown> = { '@type': type, '@id': `#parley-post-${post.id}` };
  if (type === 'DiscussionForumPosting') {
    // A thread's title is its opening line (the topic's title, when known, is the page's).
    const first = removed ? 'Removed message' : text.split('\n')[0]!;
    item.headline = first.length > 110 ? `${first.slice(0, 109)}…` : first;
    if (topicTitle) item.isPartOf = { '@type': 'WebPage', name: topicTitle };
  }
  item.author = person(post.author);
  item.datePublished = post.createdAt;
  if (post.editedAt && !removed) item.dateModified = post.editedAt;
  item.text = text;
  if (removed) item.creativeWorkStatus = 'Deleted';
  item.interactionStatistic = { '@type': 'InteractionCounter', interactionType: 'https://schema.org/CommentAction', userInteractionCount: countThreads(thread.replies) };
  if (thread.replies.length) item.comment = thread.replies.map((r) => posting(r, 'Comment', null));
  return item;
}

/** JSON that cannot end its `<script>` or open a comment: `<`, `>`, `&` and line separators as \u escapes. */
export function scriptSafeJson(value: unknown): string {
  return JSON.stringify(value).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** The structured data of a page of threads: one `DiscussionForumPosting` per thread. */
export function topicStructuredData(threads: readonly Thread[], topicTitle: string | null): Record<string, unknown>[] {
  return threads.map((t) => ({ '@context': 'https://schema.org', ...posting(t, 'DiscussionForumPosting', topicTitle) }));
}

/** The fragment: structured data, the threads, a line on what is not shown, the site's footer. */
export function renderTopicHtml(page: TopicPage, site: TopicHtmlSite): string {
  // The order the widget shows: "Most helpful" ranked, the pinned post first (issue 16).
  const pinned = page.topic.pinned;
  const threads = arrangeThreads(buildThreads({ order: page.order, posts: new Map(page.posts.map((p) => [p.id, p])) }), page.order, pinned?.postId);
  const shown = countThreads(threads);
  const title = page.topic.title;
  const out: string[] = [];
  // slot="static": inside <parley-discussion>, the element shows it until its own first page is on screen.
  out.push(`<section class="parley-static" slot="static" data-parley-static aria-label="${escapeHtml(title ? `Discussion: ${title}` : 'Discussion')}">`);
  if (threads.length) out.push(`<script type="application/ld+json">${scriptSafeJson(topicStructuredData(threads, title))}</script>`);
  if (page.topic.locked) {
    out.push('<div class="parley-notice"><p>This conversation is closed to new messages.</p>');
    const lock = page.topic.lock;
    if (lock) out.push(note(lock, `Closed by ${lock.moderator} · Rule ${ruleText(lock)}: ${lock.reason}`));
    out.push('</div>');
  }
  out.push(threads.length ? renderThreads(threads, true, pinned) : '<p class="parley-empty">No messages yet.</p>');
  if (page.nextCursor && page.topic.postCount > shown) {
    out.push(`<p class="parley-more">${shown} of ${page.topic.postCount} messages are shown here; the live discussion (with JavaScript) has them all.</p>`);
  }
  const rules = site.rulesUrl && SAFE_URL.test(site.rulesUrl) ? ` <a href="${escapeHtml(site.rulesUrl)}" rel="noopener">House rules</a>` : '';
  out.push(`<p class="parley-footer">${escapeHtml(`Moderated by ${site.name}.`)}${rules}</p>`);
  out.push('</section>');
  return out.join('\n');
}
