/**
 * "Since your last visit: N replies to you" (issue 13): a Lit controller on `<parley-discussion>`
 * that asks the server once per sign-in and topic (`GET /topics/{topic}/since-last-visit`: replies
 * to the member's posts and mentions of them, newer than their seen marker), marks those posts
 * unread (the discussion's post template reads `unread`), and moves the marker as they are read
 * (`PUT /topics/{topic}/seen {lastPostId}`).
 *
 * "Read": at least half of the post (or half of the viewport, for a long one) on screen for a
 * second, in a visible tab. The marker is the newest post seen, so it only moves past a reply
 * once every older unread reply was read too; once none is left (or on a visit with nothing new)
 * it moves to the newest post on the page. What was seen is the server's to remember (no
 * cookies, no third-party storage): the next visit, on any device, asks it again.
 */
import { html, nothing, type ReactiveController } from 'lit';
import type { SinceLastVisit as Answer } from '../../moderation/response-schemas.js';
import { isFailure } from '../client/outcome.js';
import { loadFormatter } from '../i18n/index.js';
import { apiFor, languageOf, notifyTranslator, type DiscussionLike } from './base.js';

const DWELL_MS = 1000;
const BATCH_MS = 1000;

export class SinceLastVisit implements ReactiveController {
  readonly #host: DiscussionLike;
  readonly #token: () => string | null;
  /** Unread posts (a reply to the member, or a post mentioning them) the server listed, not yet read here. */
  readonly unread = new Map<string, 'reply' | 'mention'>();
  /** The server's list, oldest first, and how many it counted (it lists at most a limit). */
  #listed: Answer['replies'] = [];
  #count = 0;
  /** Which viewer and topic the answer is for ('' when nobody is signed in). */
  #for = '';
  #observer: IntersectionObserver | null = null;
  #observed = new WeakSet<Element>();
  #dwell = new Map<string, ReturnType<typeof setTimeout>>();
  /** The marker last sent, and the one to send next. */
  #sent: string | null = null;
  #next: string | null = null;
  #timer?: ReturnType<typeof setTimeout>;
  /** What the live region said when the line appeared. */
  #announced: string | null = null;

  constructor(host: DiscussionLike, token: () => string | null) {
    this.#host = host;
    this.#token = token;
    host.addController(this);
  }

  hostConnected(): void {
    document.addEventListener('visibilitychange', this.#onVisibility);
  }

  hostDisconnected(): void {
    document.removeEventListener('visibilitychange', this.#onVisibility);
    this.#stop();
  }

  hostUpdated(): void {
    const s = this.#host.client;
    const v = s?.status === 'ready' ? s.viewer : null;
    const key = v && !v.needsWelcome ? `${v.id} ${this.#host.site} ${this.#host.topic}` : '';
    if (key !== this.#for) this.#reset(key);
    if (this.unread.size) this.#watch();
  }

  /** The line above the conversation, when the server listed at least one reply. */
  banner(): unknown {
    if (!this.#count) return nothing;
    const t = notifyTranslator(languageOf(this.#host));
    const left = this.unread.size + Math.max(0, this.#count - this.#listed.length);
    const text = left ? t('since', { count: left }) : t('sinceAllSeen');
    // The oldest unread reply that is on the page (not the DOM: this renders before the posts do).
    const posts = this.#host.client?.state.posts;
    const first = this.#listed.find((r) => this.unread.has(r.postId) && posts?.has(r.postId))?.postId;
    // Announced once, when it appears (a live region speaks when its text changes, and this one's
    // never does): not at every post read, which would be noise. Not before the plural can be
    // formatted (the formatter is a chunk of its own).
    const formatter = loadFormatter();
    if (formatter) void formatter.then(() => this.#host.requestUpdate());
    else this.#announced ??= text;
    return html`<div part="since-last-visit" class="since" data-since-last-visit>
      <p>${text}</p>
      ${first ? html`<button part="button" class="link" type="button" data-since-first @click=${() => this.#goTo(first)}>${t('sinceFirst')}</button>` : nothing}
      <span class="visually-hidden" role="status">${this.#announced}</span>
    </div>`;
  }

  #reset(key: string): void {
    this.#stop();
    this.#for = key;
    this.unread.clear();
    this.#listed = [];
    this.#count = 0;
    this.#sent = this.#next = null;
    this.#announced = null;
    const token = this.#token();
    if (!key || !token) return;
    const { server, site, topic } = this.#host;
    void apiFor(server, site).sinceLastVisit(token, topic).then((res) => {
      if (this.#for !== key || isFailure(res)) return;
      this.#listed = res.replies;
      this.#count = res.count;
      this.#sent = res.lastPostId;
      for (const r of res.replies) this.unread.set(r.postId, r.reason);
      // Nothing new: this visit is the last one now.
      if (!res.count) this.#advance();
      this.#host.requestUpdate();
    });
  }

  #goTo(id: string): void {
    const article = this.#host.renderRoot.querySelector<HTMLElement>(`article[data-post-id="${CSS.escape(id)}"]`);
    if (!article) return;
    article.tabIndex = -1;
    article.scrollIntoView({ block: 'center' });
    article.focus();
  }

  #watch(): void {
    if (typeof IntersectionObserver === 'undefined' || document.visibilityState !== 'visible') return;
    this.#observer ??= new IntersectionObserver(this.#onIntersect, { threshold: [0, 0.25, 0.5, 0.75, 1] });
    for (const article of this.#host.renderRoot.querySelectorAll<HTMLElement>('article[data-unread]')) {
      if (this.#observed.has(article)) continue;
      this.#observed.add(article);
      this.#observer.observe(article);
    }
  }

  #stopWatching(): void {
    this.#observer?.disconnect();
    this.#observer = null;
    this.#observed = new WeakSet();
    for (const timer of this.#dwell.values()) clearTimeout(timer);
    this.#dwell.clear();
  }

  #stop(): void {
    this.#stopWatching();
    clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  #onIntersect = (entries: IntersectionObserverEntry[]): void => {
    for (const e of entries) {
      const id = (e.target as HTMLElement).dataset.postId;
      if (!id || !this.unread.has(id)) continue;
      const viewport = e.rootBounds?.height || innerHeight;
      const onScreen = e.isIntersecting && (e.intersectionRatio >= 0.5 || e.intersectionRect.height >= viewport / 2);
      if (onScreen && !this.#dwell.has(id)) this.#dwell.set(id, setTimeout(() => this.#read(id), DWELL_MS));
      if (!onScreen) {
        clearTimeout(this.#dwell.get(id));
        this.#dwell.delete(id);
      }
    }
  };

  /** A hidden tab reads nothing: the dwell starts again when it is back. */
  #onVisibility = (): void => {
    if (document.visibilityState !== 'visible') this.#stopWatching();
    else if (this.unread.size) this.#watch();
  };

  #read(id: string): void {
    this.#dwell.delete(id);
    if (document.visibilityState !== 'visible' || !this.unread.delete(id)) return;
    this.#advance();
    this.#host.requestUpdate();
  }

  /** The marker goes as far as every older listed reply was read; past them all, to the newest post here. */
  #advance(): void {
    let marker: string | null = null;
    for (const r of this.#listed) {
      if (this.unread.has(r.postId)) break;
      marker = r.postId;
    }
    if (!this.unread.size && this.#count <= this.#listed.length) marker = this.#newestOnPage() ?? marker;
    if (!marker || marker === this.#sent || marker === this.#next) return;
    this.#next = marker;
    this.#timer ??= setTimeout(() => void this.#send(), BATCH_MS);
  }

  #newestOnPage(): string | null {
    let newest: { id: string; at: string } | null = null;
    for (const p of this.#host.client?.state.posts.values() ?? []) if (!newest || p.createdAt > newest.at) newest = { id: p.id, at: p.createdAt };
    return newest?.id ?? null;
  }

  async #send(): Promise<void> {
    this.#timer = undefined;
    const token = this.#token();
    const key = this.#for;
    const marker = this.#next;
    if (!token || !marker) return;
    this.#next = null;
    const res = await apiFor(this.#host.server, this.#host.site).seen(token, this.#host.topic, marker);
    if (this.#for !== key) return;
    if (isFailure(res)) {
      // Not recorded: tried again with the next post read (or the next visit lists them again).
      this.#next ??= marker;
      return;
    }
    this.#sent = marker;
    if (this.#next) this.#timer = setTimeout(() => void this.#send(), BATCH_MS);
  }
}
