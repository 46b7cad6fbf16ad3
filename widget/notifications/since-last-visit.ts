/**
 * "Since your last visit: N replies to you" (issue 13): a Lit controller on `<parley-discussion>`
 * that asks the server once per sign-in and topic (`GET /topics/{topic}/since-last-visit`), marks
 * those posts unread (the discussion's post template reads `unread`), and tells the server which of
 * them the member has read (`POST /topics/{topic}/seen`).
 *
 * "Read": at least half of the post (or half of the viewport, for a long one) on screen for a
 * second, in a visible tab. Seen ids are sent in batches, at most one request a second; a failed
 * batch is tried again with the next one. What was seen is the server's to remember (no cookies,
 * no third-party storage): the next visit asks it again.
 */
import { html, nothing, type ReactiveController } from 'lit';
import { isFailure } from '../client/outcome.js';
import { resolveLanguage } from '../i18n/index.js';
import { apiFor, notifyTranslator, type DiscussionLike } from './base.js';

const DWELL_MS = 1000;
const BATCH_MS = 1000;
const MAX_IDS = 100;

export class SinceLastVisit implements ReactiveController {
  readonly #host: DiscussionLike;
  readonly #token: () => string | null;
  /** Unread posts: replies to the member the server counted, not yet read here. */
  readonly unread = new Set<string>();
  /** How many the server counted when the topic was opened (null: not asked yet, or nothing). */
  #count: number | null = null;
  /** Which viewer and topic the answer is for. */
  #for = '';
  #observer: IntersectionObserver | null = null;
  #observed = new WeakSet<Element>();
  #dwell = new Map<string, ReturnType<typeof setTimeout>>();
  #toSend = new Set<string>();
  #timer?: ReturnType<typeof setTimeout>;
  #announced = false;

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

  get #t() {
    return notifyTranslator(resolveLanguage(this.#host.lang || this.#host.closest('[lang]')?.getAttribute('lang') || document.documentElement.lang));
  }

  /** The line above the conversation, once the server has counted at least one reply. */
  banner(): unknown {
    if (!this.#count) return nothing;
    const t = this.#t;
    const left = this.unread.size;
    const text = left === 1 ? t('sinceOne') : left ? t('sinceMany', { count: left }) : t('sinceAllSeen');
    const first = left ? this.#firstUnread() : null;
    // Announced once when it appears (not at every post read, which would be noise).
    const say = this.#announced ? '' : text;
    this.#announced = true;
    return html`<div part="since-last-visit" class="since" data-since-last-visit>
      <p>${text}</p>
      ${first ? html`<button part="button" class="link" type="button" @click=${() => this.#goTo(first)}>${t('sinceFirst')}</button>` : nothing}
      <span class="visually-hidden" role="status">${say}</span>
    </div>`;
  }

  #reset(key: string): void {
    this.#stop();
    this.#for = key;
    this.unread.clear();
    this.#count = null;
    this.#announced = false;
    this.#toSend.clear();
    const token = this.#token();
    if (!key || !token) return;
    const { server, site, topic } = this.#host;
    void apiFor(server, site).sinceLastVisit(token, topic).then((res) => {
      if (this.#for !== key || isFailure(res)) return;
      for (const id of res.unread) this.unread.add(id);
      this.#count = res.unread.length;
      this.#host.requestUpdate();
    });
  }

  /** The earliest unread post on screen's page, in document order. */
  #firstUnread(): string | null {
    for (const a of this.#host.renderRoot.querySelectorAll<HTMLElement>('article[data-unread]')) return a.dataset.postId ?? null;
    return null;
  }

  #goTo(id: string): void {
    const article = this.#host.renderRoot.querySelector<HTMLElement>(`article[data-post-id="${CSS.escape(id)}"]`);
    if (!article) return;
    article.tabIndex = -1;
    article.scrollIntoView({ block: 'center' });
    article.focus();
  }

  #watch(): void {
    if (typeof IntersectionObserver === 'undefined') return;
    this.#observer ??= new IntersectionObserver(this.#onIntersect, { threshold: [0, 0.25, 0.5, 0.75, 1] });
    for (const article of this.#host.renderRoot.querySelectorAll<HTMLElement>('article[data-unread]')) {
      if (this.#observed.has(article)) continue;
      this.#observed.add(article);
      this.#observer.observe(article);
    }
  }

  #stop(): void {
    this.#observer?.disconnect();
    this.#observer = null;
    this.#observed = new WeakSet();
    for (const timer of this.#dwell.values()) clearTimeout(timer);
    this.#dwell.clear();
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

  #onVisibility = (): void => {
    // A hidden tab reads nothing: start the dwell again when it is back.
    if (document.visibilityState !== 'visible') {
      for (const timer of this.#dwell.values()) clearTimeout(timer);
      this.#dwell.clear();
      this.#observer?.disconnect();
      this.#observer = null;
      this.#observed = new WeakSet();
    } else if (this.unread.size) this.#watch();
  };

  #read(id: string): void {
    this.#dwell.delete(id);
    if (document.visibilityState !== 'visible' || !this.unread.delete(id)) return;
    this.#toSend.add(id);
    this.#host.requestUpdate();
    this.#timer ??= setTimeout(() => void this.#send(), BATCH_MS);
  }

  async #send(): Promise<void> {
    this.#timer = undefined;
    const token = this.#token();
    const key = this.#for;
    const ids = [...this.#toSend].slice(0, MAX_IDS);
    if (!token || !ids.length) return;
    for (const id of ids) this.#toSend.delete(id);
    const res = await apiFor(this.#host.server, this.#host.site).seen(token, this.#host.topic, ids);
    if (this.#for !== key) return;
    // Not recorded: tried again with the next batch (or the next visit shows them again).
    if (isFailure(res)) for (const id of ids) this.#toSend.add(id);
    if (this.#toSend.size && !isFailure(res)) this.#timer = setTimeout(() => void this.#send(), BATCH_MS);
  }
}
