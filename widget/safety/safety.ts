/**
 * The safety chunk of `<parley-discussion>` (issue 6; loaded once someone is signed in).
 * `attachSafety(discussion, token)` adds a Lit controller to the discussion and returns the
 * function the discussion's post template calls for each post (`ctx.safety`). It never changes
 * a post: it only adds a line under it, and only for the people who may see it.
 *
 * - Moderators and verified company staff: flags about posts that are **on screen**
 *   (`GET /safety/flags?posts=…`, one request per batch of up to 100), shown as `<parley-safety-flag>`
 *   with the one-step forward and, for moderators, the delivery state. Only posts on screen are
 *   asked about because, for company staff, reading a flag starts the company's clock.
 * - Company staff also feed the seen clock: the ids of member posts that are on screen (at least
 *   half of the post, or half of the viewport, in a visible tab) go to `POST /safety/seen`, at
 *   most every 2 s, at most 100 per call, each id once per page load — before their flags are
 *   read, so the clock says "on screen" rather than "listed".
 * - Members (the post's author): `GET /safety/my-flags` once per page load (when they have a post
 *   on the page) and `?post=<id>` after each new post of theirs, with `country` from the page's
 *   language (en-GB → GB, nl → NL, de → DE); shown privately as `<parley-safety-signpost>`.
 *   Hidden notes stay hidden in this browser (localStorage).
 */
import { html, nothing, type ReactiveController, type ReactiveControllerHost } from 'lit';
import type { MySafetyFlagView, SafetyFlagView } from '../../moderation/safety.js';
import type { Post, Viewer } from '../../moderation/types.js';
import { isFailure, isTransportFailure, type Failure } from '../client/outcome.js';
import type { TopicSession } from '../client/session.js';
import { resolveLanguage } from '../i18n/index.js';
import { SafetyApi } from './api.js';
import './flag.js';
import { countryOf } from './shared.js';
import './signpost.js';

/** The parts of `<parley-discussion>` the controller reads. */
export interface DiscussionLike extends ReactiveControllerHost, HTMLElement {
  server: string;
  site: string;
  lang: string;
  readonly client?: TopicSession;
  readonly renderRoot: HTMLElement | DocumentFragment;
}

/** Seen-clock batching (docs/api.md: `POST /safety/seen` takes 1..100 ids). */
const BATCH_MS = 2000;
const MAX_IDS = 100;
/** Hidden signposts remembered per site in this browser. */
const HIDDEN_MAX = 200;

type Role = 'moderator' | 'staff' | 'member';

/** Mirrors the server (safetyViewerOf): a staff role makes someone company staff, never a moderator. */
function roleOf(v: Viewer): Role {
  if (v.roles.includes('staff')) return v.affiliation ? 'staff' : 'member';
  return v.roles.includes('moderator') || v.roles.includes('admin') ? 'moderator' : 'member';
}

/** Refusals after which asking again would not help (signed out, not staff any more). */
const gaveUp = (f: Failure) => f.error.code === 'forbidden' || f.error.code === 'unauthenticated' || f.error.code === 'token_invalid';

export class SafetyController implements ReactiveController {
  readonly #host: DiscussionLike;
  readonly #token: () => string | null;
  #viewer: string | null = null;
  #role: Role | null = null;
  /** The server refused this viewer's flag requests: stop asking until someone else signs in. */
  #off = false;
  #api?: { key: string; api: SafetyApi };

  /** Flags by post id (moderators and staff), and the posts already asked about or reported seen. */
  #flags = new Map<string, SafetyFlagView[]>();
  #asked = new Set<string>();
  #seen = new Set<string>();
  /** Posts on screen now. */
  #inView = new Set<string>();
  #observer: IntersectionObserver | null = null;
  #observed = new WeakSet<Element>();
  #timer?: ReturnType<typeof setTimeout>;
  #flushing = false;

  /** The author's own flags by post id, whether the page load's look-up ran, and hidden notes. */
  #mine = new Map<string, MySafetyFlagView[]>();
  #mineLoaded = false;
  #hidden: Set<string> | null = null;

  constructor(host: DiscussionLike, token: () => string | null) {
    this.#host = host;
    this.#token = token;
    host.addController(this);
  }

  get api(): SafetyApi {
    const key = `${this.#host.server} ${this.#host.site}`;
    if (this.#api?.key !== key) this.#api = { key, api: new SafetyApi(this.#host.server, this.#host.site) };
    return this.#api.api;
  }

  /** The page's language as written (its region is the member's likely country). */
  get #lang(): string {
    const h = this.#host;
    return h.lang || h.closest('[lang]')?.getAttribute('lang') || document.documentElement.lang || '';
  }

  hostConnected(): void {
    const h = this.#host;
    h.addEventListener('parley-post-created', this.#onPosted);
    h.addEventListener('parley-safety-flag', this.#onFlag);
    h.addEventListener('parley-safety-mine', this.#onMine);
    h.addEventListener('parley-safety-hide', this.#onHide);
    document.addEventListener('visibilitychange', this.#onVisibility);
  }

  hostDisconnected(): void {
    const h = this.#host;
    h.removeEventListener('parley-post-created', this.#onPosted);
    h.removeEventListener('parley-safety-flag', this.#onFlag);
    h.removeEventListener('parley-safety-mine', this.#onMine);
    h.removeEventListener('parley-safety-hide', this.#onHide);
    document.removeEventListener('visibilitychange', this.#onVisibility);
    this.#stopWatching();
  }

  hostUpdated(): void {
    const s = this.#host.client;
    const v = s?.viewer ?? null;
    if ((v?.id ?? null) !== this.#viewer) this.#reset(v);
    if (!s || !v) return;
    if (this.#role !== 'staff' && !this.#mineLoaded && [...s.state.posts.values()].some((p) => p.author.id === v.id && p.status === 'visible')) {
      void this.#loadMine();
    }
    if ((this.#role === 'moderator' || this.#role === 'staff') && !this.#off) this.#watch();
  }

  /** What goes under `post`: the flag line (moderators, staff) and the author's signpost. */
  note(post: Post): unknown {
    const v = this.#host.client?.viewer;
    // Until hostUpdated has caught up with a new sign-in, show nothing of the previous one.
    if (!v || v.id !== this.#viewer || post.status !== 'visible') return nothing;
    const flags = this.#flags.get(post.id);
    const mine = post.author.id === v.id ? this.#mine.get(post.id)?.filter((f) => !this.#hiddenSet().has(f.id)) : undefined;
    if (!flags?.length && !mine?.length) return nothing;
    const lang = resolveLanguage(this.#lang);
    const token = this.#token();
    return html`${flags?.length
      ? html`<parley-safety-flag part="safety-flag" exportparts="button" .flags=${flags} ?moderator=${this.#role === 'moderator'}
          .api=${this.api} .token=${token} lang=${lang}></parley-safety-flag>`
      : nothing}${mine?.map(
      (f) => html`<parley-safety-signpost part="safety-signpost" exportparts="button, link" .flag=${f} .api=${this.api} .token=${token}
          lang=${lang} site=${this.#host.client?.site?.name ?? ''}></parley-safety-signpost>`,
    )}`;
  }

  #reset(v: Viewer | null): void {
    this.#stopWatching();
    this.#viewer = v?.id ?? null;
    this.#role = v ? roleOf(v) : null;
    this.#off = false;
    this.#flags.clear();
    this.#asked.clear();
    this.#seen.clear();
    this.#mine.clear();
    this.#mineLoaded = false;
  }

  // ---- On screen: flags for moderators and staff, the seen clock ----------------------------

  #watch(): void {
    if (typeof IntersectionObserver === 'undefined') return;
    // Small steps, so that a post taller than the viewport still reports how much of it shows.
    this.#observer ??= new IntersectionObserver(this.#onIntersect, { threshold: [0, 0.1, 0.25, 0.5, 0.75, 1] });
    for (const article of this.#host.renderRoot.querySelectorAll<HTMLElement>('article[data-post-id]')) {
      if (this.#observed.has(article)) continue;
      this.#observed.add(article);
      this.#observer.observe(article);
    }
  }

  #stopWatching(): void {
    this.#observer?.disconnect();
    this.#observer = null;
    this.#observed = new WeakSet();
    this.#inView.clear();
    clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  #onIntersect = (entries: IntersectionObserverEntry[]): void => {
    for (const e of entries) {
      const id = (e.target as HTMLElement).dataset.postId;
      if (!id) continue;
      const viewport = e.rootBounds?.height || innerHeight;
      // "On screen": most of the post, or (for a long post) at least half of the viewport.
      if (e.isIntersecting && (e.intersectionRatio >= 0.5 || e.intersectionRect.height >= viewport / 2)) this.#inView.add(id);
      else this.#inView.delete(id);
    }
    this.#schedule();
  };

  #onVisibility = (): void => {
    if (document.visibilityState === 'visible') this.#schedule();
  };

  /** Posts on screen still to report (staff) or to ask flags for: visible posts by members, not staff. */
  #pending(): string[] {
    const posts = this.#host.client?.state.posts;
    if (!posts) return [];
    return [...this.#inView].filter((id) => {
      const p = posts.get(id);
      if (!p || p.status !== 'visible' || p.author.kind === 'staff') return false;
      return !this.#asked.has(id) || (this.#role === 'staff' && !this.#seen.has(id));
    });
  }

  #schedule(): void {
    if (this.#timer || this.#flushing || this.#off || !this.#pending().length) return;
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      void this.#flush();
    }, BATCH_MS);
  }

  async #flush(): Promise<void> {
    // A post in a background tab is not on screen: wait until the tab shows again.
    if (document.visibilityState === 'hidden') return;
    const token = this.#token();
    const viewer = this.#viewer;
    const ids = this.#pending().slice(0, MAX_IDS);
    if (!token || !ids.length || this.#off) return;
    this.#flushing = true;
    let transportFailed = false;
    try {
      if (this.#role === 'staff') {
        const fresh = ids.filter((id) => !this.#seen.has(id));
        if (fresh.length) {
          for (const id of fresh) this.#seen.add(id);
          const res = await this.api.seen(fresh, token);
          if (isFailure(res)) {
            if (isTransportFailure(res)) for (const id of fresh) this.#seen.delete(id);
            transportFailed ||= isTransportFailure(res);
            if (gaveUp(res)) this.#off = true;
          }
        }
      }
      const ask = ids.filter((id) => !this.#asked.has(id));
      for (const id of ask) this.#asked.add(id);
      let found = false;
      // One request for the whole batch (at most 100 posts; a post rarely has more than one flag).
      const res = ask.length && !this.#off ? await this.api.flags(token, { posts: ask.join(','), limit: MAX_IDS }) : null;
      if (res && viewer === this.#viewer) {
        if (isFailure(res)) {
          if (isTransportFailure(res)) {
            for (const id of ask) this.#asked.delete(id);
            transportFailed = true;
          }
          if (gaveUp(res)) this.#off = true;
        } else {
          for (const flag of res.flags) {
            this.#flags.set(flag.postId, [...(this.#flags.get(flag.postId) ?? []).filter((f) => f.id !== flag.id), flag]);
            found = true;
          }
        }
      }
      if (found) this.#host.requestUpdate();
    } finally {
      this.#flushing = false;
    }
    if (this.#off) this.#stopWatching();
    // More than one batch on screen: the next one in 2 s. After a network failure, wait for the next scroll.
    else if (!transportFailed) this.#schedule();
  }

  // ---- The author's signpost --------------------------------------------------------------

  async #loadMine(): Promise<void> {
    const token = this.#token();
    if (!token) return;
    this.#mineLoaded = true;
    const viewer = this.#viewer;
    const res = await this.api.myFlags(token, { country: countryOf(this.#lang) });
    if (viewer !== this.#viewer) return;
    if (isFailure(res)) {
      // A network failure: try again with the next update. A refusal: leave it for this page load.
      if (isTransportFailure(res)) this.#mineLoaded = false;
      return;
    }
    this.#addMine(res.flags);
  }

  #onPosted = async (e: Event): Promise<void> => {
    const post = (e as CustomEvent<{ post?: Post }>).detail?.post;
    const token = this.#token();
    // Before the page load's look-up has run, that look-up will include this post.
    if (!post || !token || !this.#mineLoaded || this.#role === 'staff') return;
    const viewer = this.#viewer;
    const res = await this.api.myFlags(token, { post: post.id, country: countryOf(this.#lang) });
    if (viewer === this.#viewer && !isFailure(res)) this.#addMine(res.flags);
  };

  #addMine(flags: MySafetyFlagView[]): void {
    if (!flags.length) return;
    for (const f of flags) {
      const list = (this.#mine.get(f.postId) ?? []).filter((x) => x.id !== f.id);
      this.#mine.set(f.postId, [...list, f]);
    }
    this.#host.requestUpdate();
  }

  #onMine = (e: Event): void => {
    const f = (e as CustomEvent<MySafetyFlagView>).detail;
    if (!f || !this.#mine.has(f.postId)) return;
    this.#mine.set(f.postId, this.#mine.get(f.postId)!.map((x) => (x.id === f.id ? f : x)));
    this.#host.requestUpdate();
  };

  /** Another view of a flag changed it (a forward, a retry): keep the post's line in step. */
  #onFlag = (e: Event): void => {
    const f = (e as CustomEvent<SafetyFlagView>).detail;
    if (!f || (!this.#flags.has(f.postId) && !this.#asked.has(f.postId))) return;
    const list = this.#flags.get(f.postId) ?? [];
    this.#flags.set(f.postId, list.some((x) => x.id === f.id) ? list.map((x) => (x.id === f.id ? f : x)) : [...list, f]);
    this.#host.requestUpdate();
  };

  #hiddenKey(): string {
    return `parley-safety-hidden:${this.#host.site}`;
  }

  #hiddenSet(): Set<string> {
    if (!this.#hidden) {
      try {
        const stored: unknown = JSON.parse(localStorage.getItem(this.#hiddenKey()) ?? '[]');
        this.#hidden = new Set(Array.isArray(stored) ? stored.filter((x): x is string => typeof x === 'string') : []);
      } catch {
        this.#hidden = new Set();
      }
    }
    return this.#hidden;
  }

  #onHide = async (e: Event): Promise<void> => {
    const id = (e as CustomEvent<string>).detail;
    if (typeof id !== 'string') return;
    const hidden = this.#hiddenSet();
    hidden.add(id);
    try {
      localStorage.setItem(this.#hiddenKey(), JSON.stringify([...hidden].slice(-HIDDEN_MAX)));
    } catch {
      // Storage may be blocked: hidden for this page load only.
    }
    const postId = [...this.#mine.values()].flat().find((f) => f.id === id)?.postId;
    this.#host.requestUpdate();
    await this.#host.updateComplete;
    // The note (and the focus in it) is gone: continue from the post's own buttons.
    if (postId) this.#host.renderRoot.querySelector<HTMLElement>(`article[data-post-id="${CSS.escape(postId)}"] .actions button`)?.focus();
  };
}

/** Adds the safety controller to the discussion; returns what its post template calls for each post. */
export function attachSafety(host: DiscussionLike, token: () => string | null): (post: Post) => unknown {
  const controller = new SafetyController(host, token);
  host.requestUpdate();
  return (post) => controller.note(post);
}
