/**
 * One thread as list items: the post as an `<article>` (byline, "in reply to" line, body
 * or tombstone, Reply button, inline reply composer) followed by its replies in a nested
 * list. Nesting is visible as indentation up to `MAX_INDENT` levels and always in words.
 *
 * Post bodies are set as `innerHTML` only after `sanitizePostHtml` (DOMPurify, strict allow-list).
 *
 * Edit history (issue 6): the author's own posts get an Edit button (`data-edit="edit"`) whose
 * inline editor is `ctx.editor` (lazy, widget/edit/); an edited post says "edited · see history"
 * (or "edited after a reply/report" for staff), its button `data-edit="history"` opens the versions.
 *
 * Questions put to a company (issue 14): "Question to Novacura Pharma"; once answered "Answered by
 * <name>, <role>, after 2 days", a link to the answer (`data-goto`: the discussion scrolls to it when
 * it is on screen); or the moderator's reason for marking it out of scope, with its log entry.
 * Moderators get "Mark out of scope" (`data-mod="out-of-scope"`) under an open question.
 *
 * Unread replies to the viewer (issue 13, `ctx.unread`) carry `data-unread` and a "New reply to you" (or "New: mentions you") marker (part `unread`).
 * Moderators' notes (labels, closed replies) are callouts outside the body: see `modNote`.
 *
 * Readers' basics (issue 16, moderation/spam-schemas.ts): the topic's pinned post says
 * "Pinned by the moderators" (moderators get Pin/Unpin, `data-pin`, on top-level posts); a held
 * post — sent only to its author — says it waits for a moderator and roughly how long; "Helpful"
 * (`data-helpful`, `aria-pressed`) with its count, staff marks apart with the staff badge; the
 * author's "Delete my post" (`data-delete`, a confirm dialog in the readers' chunk) leaves the
 * tombstone "Deleted by its author".
 *
 * Blocking (issue 13): a post by someone the viewer blocked (`ctx.blocked`) folds behind "Post by
 * someone you blocked — Show" (`data-blocked-post`, `data-show-blocked`; never a silent hide: its
 * replies stay, and Show opens it); company staff's posts never fold. Members get "Block" / "Unblock"
 * (`data-block`, `data-block-name`, `data-blocked-now`) on others' posts.
 *
 * CSS parts: `unread`, `mod-note`, `notice`, `post`, `author`, `badge`, `time`, `body`, `tombstone`, `button`, `reply-to`, `standard-info`, `mentions`
 * ("Mentions: Cognivex (prescription-only medicine)" under a staff post naming a listed product), `question`,
 * `pinned`, `held`, `helpful`.
 */
import { html, nothing, svg, type TemplateResult } from 'lit';
import { repeat } from 'lit/directives/repeat.js';
import { MAX_REPLY_DEPTH } from '../../moderation/post-limits.js';
import type { PinNote } from '../../moderation/spam-schemas.js';
import type { ModerationNote, Post } from '../../moderation/types.js';
import type { Thread } from '../client/state.js';
import type { Translate } from '../i18n/index.js';
import { sanitizePostHtml } from '../sanitize.js';
import { authorName, renderAuthor } from './author.js';
import { duration, renderTime } from './time.js';

/** Deeper replies still nest in the list, but no longer move to the right. */
export const MAX_INDENT = 3;

export interface ThreadContext {
  t: Translate;
  lang: string;
  now: number;
  /** False when the topic is locked, or replies are closed beneath this post. */
  canReply: boolean;
  /** The topic is locked: its posts cannot be edited either. */
  locked?: boolean;
  /** Id of the post whose reply composer is open. */
  replyingTo: string | null;
  onReply(post: Post): void;
  replyComposer(post: Post): TemplateResult;
  /** The signed-in viewer's id: others' posts get a Report button (`data-mod="report"`). */
  me?: string | null;
  /** Page of the public audit log (`log-url`): tombstones and notes link their entry there. */
  log?: string;
  /** Removed words of the viewer's own posts (fetched with their token), by post id. */
  mine?: ReadonlyMap<string, string>;
  /** Id of the post whose inline editor (`editor`, lazily loaded) replaces its body. */
  editing?: string | null;
  editor?(post: Post): TemplateResult;
  /** Safety routing's line or private note under a post (lazy, widget/safety/), once loaded. */
  safety?(post: Post): unknown;
  /** The viewer moderates this site: open questions get "Mark out of scope". */
  moderator?: boolean;
  /** The topic's pinned post (TopicInfo.pinned). */
  pinned?: PinNote;
  /** The post a link in the page's address led to (`#parley-post-{id}`): marked. */
  linked?: string | null;
  /** Posts whose "Helpful" or "Pin" request is on its way (their buttons say so with aria-disabled). */
  busy?: ReadonlySet<string>;
  /** Replies to the viewer and posts mentioning them, not read yet (issue 13): marked "New reply to you" / "New: mentions you". */
  unread?: ReadonlyMap<string, 'reply' | 'mention'>;
  /** Where a post's own link points when it is not on screen (its thread on the host's page, or the API). */
  postHref?(postId: string): string;
  /** The organisation that moderates the site: "Note from the moderators of <org>". */
  org?: string;
  /** Accounts the viewer blocked (issue 13): their posts fold behind "Post by someone you blocked — Show". */
  blocked?: ReadonlySet<string>;
  /** Folded posts the viewer opened with Show. */
  unfolded?: ReadonlySet<string>;
  /** The viewer may block others: a signed-in member, not company staff. */
  canBlock?: boolean;
}

const APPEALS = ['none', 'open', 'upheld', 'reversed'];
export const ruleText = (n: ModerationNote) => (n.ruleId ? `${n.ruleId} ${n.ruleTitle ?? ''} (v${n.ruleVersion})` : '–');

/** " · log entry #n", linked when the widget knows the log page. */
function logRef(n: ModerationNote, ctx: ThreadContext) {
  if (n.logIndex === null) return nothing;
  const text = ctx.t('modLog', { n: n.logIndex });
  return html`<span class="log-ref"> · ${ctx.log ? html`<a href=${`${ctx.log}#entry-${n.logIndex}`}>${text}</a>` : text}</span>`;
}

/**
 * The moderators' shield: an inline SVG drawn by the widget. A post body is sanitised to a few
 * tags without attributes (no svg, style or class), so nothing an author writes can look like it.
 */
export const SHIELD = svg`<svg class="icon" viewBox="0 0 24 24" width="20" height="20" aria-hidden="true" focusable="false"><path fill="currentColor" d="M12 2 4 5v6c0 5 3.4 9.5 8 11 4.6-1.5 8-6 8-11V5l-8-3Zm-1 5h2v6h-2V7Zm0 8h2v2h-2v-2Z"/></svg>`;

/**
 * A moderators' note on a post or topic (a label, closed replies, a lock): the same for everyone.
 * A labelled callout ("Note from the moderators of <organisation>") outside the post's sanitised
 * body, with the moderators' icon, its own border and background, and the rule on a line of its own.
 */
export function modNote(n: ModerationNote, text: string, ctx: ThreadContext, kind: 'label' | 'closed' = 'label') {
  const title = ctx.org ? ctx.t('modNoteTitle', { org: ctx.org }) : ctx.t('modNoteTitleNoOrg');
  return html`<aside part="notice mod-note" class="callout mod-note" data-note=${kind} aria-label=${title}>
    ${SHIELD}
    <div class="callout-body">
      <p class="callout-title">${title}</p>
      <p class="callout-text">${text}</p>
      <p class="callout-meta">${n.ruleId ? ctx.t('modNoteRule', { rule: ruleText(n) }) : nothing}${logRef(n, ctx)}</p>
    </div>
  </aside>`;
}

/** What stays of a removed post: who, which rule, why, the appeal, the log entry; its author also sees their words. */
function tombstone(post: Post, ctx: ThreadContext) {
  const { t } = ctx;
  const r = post.moderation?.removal;
  const own = post.moderation?.ownText?.html || ctx.mine?.get(post.id);
  return html`<div part="tombstone" class="tombstone">
    ${SHIELD}
    <div class="callout-body">
    <p class="callout-title">${t('removed')}</p>
    ${r
      ? html`<p>${t('removedBy', { mod: r.moderator, rule: ruleText(r), reason: r.reason, appeal: t('appealStates').split('|')[APPEALS.indexOf(r.appeal)] ?? r.appeal })}${logRef(r, ctx)}</p>`
      : nothing}
    ${own
      ? html`<div class="own"><strong>${t('ownText')}</strong><div part="body" class="body" dir="auto" .innerHTML=${sanitizePostHtml(own)}></div>
          ${r && r.appeal === 'none' && Date.parse(r.appealableUntil) > ctx.now
            ? html`<button part="button" type="button" data-mod="appeal" data-action=${r.actionId}>${t('appeal')}</button>`
            : nothing}</div>`
      : nothing}
    </div>
  </div>`;
}

/** The line of a question put to a company: to whom, and who answered after how long, or why it is out of scope. */
function question(post: Post, ctx: ThreadContext) {
  const q = post.question;
  if (!q || post.status === 'removed') return nothing;
  const { t } = ctx;
  const a = q.answer;
  const o = q.outOfScope;
  return html`<p part="question" class="question" data-question=${q.status}>
    <strong>${t('questionTo', { company: q.company.name })}</strong>
    ${a
      ? html` · <a href=${ctx.postHref?.(a.postId) ?? `#post-${a.postId}`} data-goto=${a.postId}>${t('questionAnswered', { name: a.authorName, role: a.jobTitle, wait: duration(a.waitedHours, ctx.lang) })}</a>`
      : nothing}
    ${o
      ? html` · ${t('questionOutOfScope', { mod: o.moderator, reason: o.reason })}${o.logIndex === null ? nothing : html` · ${ctx.log ? html`<a href=${`${ctx.log}#entry-${o.logIndex}`}>${t('modLog', { n: o.logIndex })}</a>` : t('modLog', { n: o.logIndex })}`}`
      : nothing}
    ${ctx.moderator && q.status === 'open'
      ? html` <button part="button" class="link" type="button" data-mod="out-of-scope" data-post=${post.id}>${t('markOutOfScope')}</button>`
      : nothing}
  </p>`;
}

/** "edited · see history"; a staff edit after a reply or a report says so instead of "edited". */
function edited(post: Post, t: Translate) {
  const e = post.edits;
  const marks = [e?.afterReply && t('editedAfterReply'), e?.afterReport && t('editedAfterReport')].filter(Boolean).join(' · ');
  return html`<span class="edited">· ${marks || t('edited')} · <button part="button" class="link" type="button" data-edit="history" data-post=${post.id} aria-haspopup="dialog">${t('seeHistory')}</button></span>`;
}

export function renderThreads(threads: readonly Thread[], ctx: ThreadContext, level = 0): TemplateResult {
  return html`<ol role="list" class=${level === 0 ? 'threads' : level > MAX_INDENT ? 'replies flat' : 'replies'}>
    ${repeat(threads, (th) => th.post.id, (th) => renderThread(th, ctx, level))}
  </ol>`;
}

/** "Waiting for a moderator (usually within 4 hours)": what a held post's author sees; readers never get the post. */
function heldNote(post: Post, ctx: ThreadContext) {
  const hold = post.hold;
  if (!hold) return nothing;
  const { t } = ctx;
  const wait = hold.usualWaitHours === null ? null : duration(hold.usualWaitHours, ctx.lang);
  return html`<div part="held" class="held" role="note" data-held>
    <p><strong>${wait ? t('held', { wait }) : t('heldNoEstimate')}</strong></p>
    ${hold.reasons.length ? html`<p>${t('heldWhy', { reason: hold.reasons.map((r) => r.detail).join('; ') })}</p>` : nothing}
  </div>`;
}

/** "Helpful · 3" (a toggle for signed-in members other than the author; a count for everyone else) and staff marks apart. */
function helpful(post: Post, ctx: ThreadContext) {
  const { t } = ctx;
  const h = post.helpful ?? { count: 0, staff: [] };
  // Staff marks carry the staff badge and never rank the thread (S-3).
  const staff = h.staff.length
    ? html` <span class="helpful-staff" data-helpful-staff>${h.staff.map((s) => html`<span part="badge staff-badge" class="badge staff">${t('staffBadge', { company: s.companyName, title: s.name })}</span> `)}${t('helpfulStaff', { count: h.staff.length })}</span>`
    : nothing;
  if (ctx.me && ctx.me !== post.author.id) {
    return html`<span part="helpful" class="helpful"><button part="button" class="link" type="button" data-helpful=${post.id}
      aria-pressed=${h.mine ? 'true' : 'false'} aria-disabled=${ctx.busy?.has(post.id) ? 'true' : 'false'}
      aria-label=${t('helpfulLabel', { count: h.count })}>${h.count ? t('helpfulCount', { count: h.count }) : t('helpful')}</button>${staff}</span>`;
  }
  return h.count || h.staff.length ? html`<span part="helpful" class="helpful" data-helpful-count>${t('helpfulCount', { count: h.count })}${staff}</span>` : nothing;
}

/** A post by someone the viewer blocked, folded to one line with Show; its replies stay in the thread. */
function renderFolded(thread: Thread, ctx: ThreadContext, level: number): TemplateResult {
  const { post } = thread;
  const { t } = ctx;
  return html`<li class="item">
    <article part="post" class="post folded" aria-label=${t('blockedPost')} data-post-id=${post.id} data-blocked-post>
      <p class="blocked-line">${t('blockedPost')} — <button part="button" class="link" type="button" data-show-blocked=${post.id} aria-expanded="false">${t('showBlocked')}</button></p>
    </article>
    ${thread.replies.length ? renderThreads(thread.replies, ctx, level + 1) : nothing}
  </li>`;
}

function renderThread(thread: Thread, ctx: ThreadContext, level: number): TemplateResult {
  const { post } = thread;
  const { t } = ctx;
  const deleted = post.status === 'deleted';
  const removed = post.status === 'removed' || deleted;
  // Blocking folds a member's posts for the blocker alone; a company's public answers stay in view.
  const blockedAuthor = !!ctx.blocked?.has(post.author.id);
  const staffAuthor = post.author.kind === 'staff' || !!post.author.affiliation;
  if (blockedAuthor && !staffAuthor && !removed && !ctx.unfolded?.has(post.id)) return renderFolded(thread, ctx, level);
  const held = !!post.hold;
  const pin = ctx.pinned?.postId === post.id ? ctx.pinned : undefined;
  const open = ctx.replyingTo === post.id;
  const m = post.moderation;
  const closed = m?.repliesClosed;
  const canReply = ctx.canReply && !removed && !held && !closed && post.depth < MAX_REPLY_DEPTH;
  const report = ctx.me && ctx.me !== post.author.id && !removed && !held;
  const own = ctx.me === post.author.id && !removed && !ctx.locked;
  const blockable = ctx.canBlock && ctx.me && ctx.me !== post.author.id && post.author.kind !== 'deleted' && !removed && !held;
  // Moderators pin one top-level post per topic (the server refuses a reply); company staff never
  // (S-4: ctx.moderator excludes them). A reply pinned before that rule can still be unpinned.
  const pinnable = ctx.moderator && (post.depth === 0 || !!pin) && !removed && !held;
  const linked = ctx.linked === post.id;
  const classes = ['post', removed && 'removed', held && 'held-post', pin && 'pinned-post', linked && 'linked-post'].filter(Boolean).join(' ');
  const unread = ctx.unread?.get(post.id);
  return html`<li class="item">
    <article part="post" class=${classes} aria-label=${t('postBy', { name: authorName(post.author, t) })} data-post-id=${post.id} data-unread=${unread ? '' : nothing}
      data-linked=${linked ? '' : nothing} aria-current=${linked ? 'location' : nothing}>
      ${pin && !removed
        ? html`<p part="pinned" class="pinned" data-pinned>${t('pinned')}${pin.logIndex === null ? nothing : html` · ${ctx.log ? html`<a href=${`${ctx.log}#entry-${pin.logIndex}`}>${t('modLog', { n: pin.logIndex })}</a>` : t('modLog', { n: pin.logIndex })}`}</p>`
        : nothing}
      <header part="author" class="byline">${unread ? html`<strong part="unread" class="unread">${t(unread === 'mention' ? 'unreadMention' : 'unreadReply')}</strong> ` : nothing}${renderAuthor(post.author, t, ctx.lang)} ${renderTime(post.createdAt, ctx.lang, ctx.now)}
        ${post.editedAt && !removed ? edited(post, t) : nothing}</header>
      ${question(post, ctx)}
      ${thread.inReplyTo
        ? html`<p part="reply-to" class="reply-to">${t('inReplyTo', { name: authorName(thread.inReplyTo, t) })}</p>`
        : nothing}
      ${deleted
        ? html`<div part="tombstone" class="tombstone" data-deleted><p>${t('deletedByAuthor')}</p></div>`
        : removed ? tombstone(post, ctx) : ctx.editing === post.id && ctx.editor ? ctx.editor(post) : html`<div part="body" class="body" dir="auto" .innerHTML=${sanitizePostHtml(post.html)}></div>`}
      ${m?.labels.map((l) => modNote(l, l.text, ctx))}${post.scripted && t('scripted', post.scripted as never)}
      ${post.standardSafetyInfo ? html`<p part="standard-info">${t('standardInfo')}</p>` : nothing}
      ${post.productMentions
        ? html`<p part="mentions">${t('mentions', { list: post.productMentions.map((p) => (p.prescriptionOnly ? t('mentionRx', { name: p.name }) : p.name)).join(', ') })}</p>`
        : nothing}
      ${ctx.safety?.(post)}
      ${heldNote(post, ctx)}
      ${closed ? modNote(closed, t('closedBy', { mod: closed.moderator, reason: closed.reason }), ctx, 'closed') : nothing}
      ${canReply || report || own || pinnable || blockable || (!removed && !held && (post.helpful?.count || post.helpful?.staff.length))
        ? html`<div class="actions">
            ${removed || held ? nothing : helpful(post, ctx)}
            ${canReply
              ? html`<button part="button" class="link" type="button" data-reply-for=${post.id} aria-expanded=${open ? 'true' : 'false'} @click=${() => ctx.onReply(post)}>
                  ${t('reply')}
                </button>`
              : nothing}
            ${report ? html`<button part="button" class="link" type="button" data-mod="report" data-post=${post.id}>${t('report')}</button>` : nothing}
            ${own ? html`<button part="button" class="link" type="button" data-edit="edit" data-post=${post.id} aria-expanded=${ctx.editing === post.id}>${t('edit')}</button>` : nothing}
            ${own ? html`<button part="button" class="link" type="button" data-delete=${post.id} aria-haspopup="dialog">${t('deleteOwn')}</button>` : nothing}
            ${blockable
              ? html`<button part="button" class="link" type="button" data-block=${post.author.id} data-block-name=${post.author.name}
                  data-blocked-now=${blockedAuthor ? 'true' : 'false'} aria-haspopup=${blockedAuthor ? nothing : 'dialog'}>${blockedAuthor ? t('unblock') : t('block')}</button>`
              : nothing}
            ${pinnable
              ? html`<button part="button" class="link" type="button" data-pin=${post.id} data-pinned-now=${pin ? 'true' : 'false'} aria-disabled=${ctx.busy?.has(post.id) ? 'true' : 'false'}>${pin ? t('unpin') : t('pin')}</button>`
              : nothing}
          </div>`
        : nothing}
      ${open ? ctx.replyComposer(post) : nothing}
    </article>
    ${thread.replies.length ? renderThreads(thread.replies, closed ? { ...ctx, canReply: false } : ctx, level + 1) : nothing}
  </li>`;
}
