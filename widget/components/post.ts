/**
 * One thread as list items: the post as an `<article>` (byline, "in reply to" line, body
 * or tombstone, Reply button, inline reply composer) followed by its replies in a nested
 * list. Nesting is visible as indentation up to `MAX_INDENT` levels and always in words.
 *
 * Post bodies are set as `innerHTML` only after `sanitizePostHtml` (DOMPurify, strict allow-list).
 *
 * CSS parts: `post`, `author`, `badge`, `time`, `body`, `tombstone`, `button`, `reply-to`.
 */
import { html, nothing, type TemplateResult } from 'lit';
import { repeat } from 'lit/directives/repeat.js';
import { LIMITS } from '../../moderation/limits.js';
import type { Post } from '../../moderation/types.js';
import type { Thread } from '../client/state.js';
import type { Translate } from '../i18n/index.js';
import { sanitizePostHtml } from '../sanitize.js';
import { authorName, renderAuthor } from './author.js';
import { renderTime } from './time.js';

/** Deeper replies still nest in the list, but no longer move to the right. */
export const MAX_INDENT = 3;

export interface ThreadContext {
  t: Translate;
  lang: string;
  now: number;
  /** False when the topic is locked. */
  canReply: boolean;
  /** Id of the post whose reply composer is open. */
  replyingTo: string | null;
  onReply(post: Post): void;
  replyComposer(post: Post): TemplateResult;
}

export function renderThreads(threads: readonly Thread[], ctx: ThreadContext, level = 0): TemplateResult {
  return html`<ol role="list" class=${level === 0 ? 'threads' : level > MAX_INDENT ? 'replies flat' : 'replies'}>
    ${repeat(threads, (th) => th.post.id, (th) => renderThread(th, ctx, level))}
  </ol>`;
}

function renderThread(thread: Thread, ctx: ThreadContext, level: number): TemplateResult {
  const { post } = thread;
  const { t } = ctx;
  const removed = post.status === 'removed';
  const open = ctx.replyingTo === post.id;
  const canReply = ctx.canReply && !removed && post.depth < LIMITS.maxReplyDepth;
  return html`<li class="item">
    <article part="post" class=${removed ? 'post removed' : 'post'} aria-label=${t('postBy', { name: authorName(post.author, t) })} data-post-id=${post.id}>
      <header part="author" class="byline">${renderAuthor(post.author, t)} ${renderTime(post.createdAt, ctx.lang, ctx.now)}
        ${post.editedAt && !removed ? html`<span class="edited">${t('edited')}</span>` : nothing}</header>
      ${thread.inReplyTo
        ? html`<p part="reply-to" class="reply-to">${t('inReplyTo', { name: authorName(thread.inReplyTo, t) })}</p>`
        : nothing}
      ${removed
        ? html`<p part="tombstone" class="tombstone">${t('removed')}</p>`
        : html`<div part="body" class="body" .innerHTML=${sanitizePostHtml(post.html)}></div>`}
      ${canReply
        ? html`<div class="actions">
            <button part="button" class="link" type="button" data-reply-for=${post.id} aria-expanded=${open ? 'true' : 'false'} @click=${() => ctx.onReply(post)}>
              ${t('reply')}
            </button>
          </div>`
        : nothing}
      ${open ? ctx.replyComposer(post) : nothing}
    </article>
    ${thread.replies.length ? renderThreads(thread.replies, ctx, level + 1) : nothing}
  </li>`;
}
