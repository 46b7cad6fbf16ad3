/**
 * `<parley-discussion>`: a live, moderated conversation about one topic of a site.
 *
 * Attributes / properties:
 * - `server` (string): base URL of the Parley server, e.g. `https://talk.example.org`; defaults
 *   to the origin `parley.js` was loaded from (`<script type=module src="https://talk…/parley.js">`).
 * - `site` (string): the site id registered on that server.
 * - `topic` (string): the topic id (often the page path); created by its first post.
 * - `order` (`newest` | `oldest` | `helpful`, default `newest`): order of threads; the reader can
 *   switch it ("Most helpful" ranks by members' Helpful marks; the pinned post always comes first).
 * - `lang` (string): language of the widget (`en`, `nl`, `de`, `fr`, `ar`); defaults to the nearest `lang`, then
 *   English. The widget runs right to left in Arabic (`dir` on the element overrides).
 * - `token` (string | null): the host site's signed sign-in token (HS256 JWT); unset = signed out.
 *   Without one, the widget may hold a Parley session of its own, started by a link back to the
 *   page: a member's email sign-in (`#parley-sign-in=…`), an OpenID Connect ticket
 *   (`#parley-oidc=…`; `#parley-oidc-error=<code>` says it failed) or a company employee's email
 *   link (`#parley-verify=…`), or by a code typed into the sign-in dialog; the fragment is removed
 *   from the address bar at once, and the session is resumed on later visits (see
 *   widget/client/parley-session.ts). A host token always wins over it.
 * - `topic-title` / `topicTitle` (string): title for the topic, sent with the first post.
 * - `page-size` / `pageSize` (number): top-level posts per page (server default if unset).
 * - `log-url` / `logUrl` (string): page of the public moderation log; tombstones and moderators'
 *   notes link their entry there (`#entry-<n>`). Unset: the entry number is shown as text.
 * - `thread-url` / `threadUrl` (string): link template for a search result's thread on the host's
 *   pages, with `{topic}` and `{post}` placeholders (as `<parley-audit-log>`); unset: the post in the API.
 * - `connection` (read-only, reflected): `connecting` | `connected` | `reconnecting` | `offline` |
 *   `refused` (the server does not serve this page's origin for the site: the widget says so and
 *   stops trying; register the origin in the site's `origins`).
 * Methods:
 * - `setToken(token | null)`: sign in or out without re-rendering the conversation.
 * - `retry()`: reload the conversation after a load error.
 * - `openSignIn()`: open the widget's own sign-in dialog (email / OpenID Connect), for a host page
 *   that handles `parley-sign-in-requested` itself but also offers Parley's sign-in; returns false
 *   when the site offers neither.
 * Slots: `static`: the server's HTML rendition of the topic (GET /topics/{topic}/html, whose
 *   root carries `slot="static"`), included by the host inside the element for readers without
 *   JavaScript and search engines; shown while the first page loads, then replaced by it.
 * Properties for diagnostics and tests: `client` (the `TopicSession`, with `.realtime.socket`).
 * Events (bubbling, composed):
 * - `parley-sign-in-requested` (cancelable): the reader pressed "Sign in". A host page that signs
 *   its members in itself calls `preventDefault()` and shows its own sign-in; otherwise, when the
 *   site offers `email` or `oidc`, the widget opens its own sign-in dialog (`<parley-sign-in>`).
 * - `parley-welcomed` `{ viewer }`: a member Parley signed in chose a name and accepted the rules.
 * - `parley-post-created` `{ post }`: a message from this reader was stored.
 * - `parley-connection-change` `{ connection }`.
 * - `parley-follow-change` `{ following }`: the reader followed or stopped following the topic (the bell).
 * - `parley-notifications-saved` `{ settings }`: the reader saved their email choices in the account panel.
 * - `parley-signed-out` `{ reason: 'signed-out' | 'signed-out-everywhere' | 'account-deleted' | 'session-ended', cause? }`
 *   (`cause` with `session-ended`: the server's reason — `signed-out`, `deleted`, `suspended`, `banned`, `expired`):
 *   the reader pressed "Sign out" above the composer, signed out everywhere or deleted their
 *   account in the account panel, or their Parley session could not be renewed; a host should
 *   drop its own sign-in too (the widget has already forgotten the token).
 * Above the composer: "Posting as <name>" with the badge the post will carry, and "Sign out".
 * A member Parley signed in itself (`viewer.needsWelcome`) first gets `<parley-welcome>` (choose a
 * name, the notice that posts are public and health details sensitive, accept the house rules).
 * Identity (lazy, loaded on first use from the same server): the staff badge opens the company
 * card; "Who takes part" opens `<parley-participants>`; "Your account" opens `<parley-account>`;
 * signed-out readers can ask for a staff sign-in link (`<parley-staff-sign-in>`).
 * Company staff (lazy, widget/authenticity/staff-check.ts): the composer checks their text before
 * posting and shows a warning about similar staff text and a reminder of the rule on promotion.
 * Moderation (lazy, widget/moderation/reader.ts): removed posts keep a tombstone (their author
 * also sees their words), labels and closed replies show as notes; any `[data-mod]` button
 * ("Report", "Appeal", "Reports & appeals", "Moderator mode") opens `<parley-mod>`.
 * Questions to a company (issue 14): a member's composer offers "Ask a company" among the companies
 * taking part; a question's line says to whom, who answered after how long (the link scrolls to the
 * answer when it is on screen), or why a moderator marked it out of scope; moderators get
 * "Mark out of scope" (`data-mod="out-of-scope"`, a dialog in the moderation chunk).
 * A company's verified staff get "<Company> desk" in the toolbar: `<parley-company-desk>` inline
 * (lazy, widget/parley-company-desk.ts): open questions, claims, mentions, safety flags, figures.
 * Readers' basics (issue 16): "Helpful" (`data-helpful`, aria-pressed) with its count, staff marks
 * shown with the staff badge; moderators' Pin/Unpin (`data-pin`) and the pinned post first and
 * labelled; "Delete my post" (`data-delete`) with a confirm dialog, leaving "Deleted by its author";
 * a held post is shown to its author only, "waiting for a moderator (usually within …)" — all in
 * widget/components/post.ts, their requests in the lazy widget/readers/actions.ts. "Search" in the
 * toolbar opens `<parley-search>` (lazy, widget/search/): the site's discussions, results linking
 * into their thread. The composer has a Markdown preview; relative times share one page-wide clock.
 * Edit history (lazy, widget/edit/post-edit.ts): a post's `[data-edit]` buttons open `<parley-edit>`,
 * inline in place of the body ("Edit") or as a dialog of all versions ("see history").
 * Safety routing (lazy, widget/safety/safety.ts, once someone is signed in): moderators and the
 * company's staff see "Possible side effect of …" with a one-step forward under flagged posts on
 * screen (staff also feed the company's seen clock); an author gets a private signpost to their
 * country's reporting scheme (from `lang`'s region) under their own flagged post.
 * Notifications (issue 13; lazy, widget/notifications/, once a member is signed in): a bell in the
 * toolbar to follow the topic (`<parley-follow>`, aria-pressed, sends the page's address), "Since
 * your last visit: N replies to you" above the conversation with a "New reply to you" marker on
 * each of those posts until it has been on screen, and `@` suggestions of the people who took part
 * in the composer. The email choices are in the account panel.
 * Blocking (issue 13; lazy, widget/readers/blocks.ts, once a member is signed in): "Block" on
 * another person's post asks to confirm (`<parley-block-confirm>`); that person's posts then fold
 * for this reader behind "Post by someone you blocked — Show" (company staff's posts never fold);
 * "Unblock" on an opened post or in the account panel's list undoes it. `blockedPeople` holds the
 * reader's own list (id → display name; null until loaded).
 * Long threads (issue 17): a long page is rendered a screenful first, then in steps (Unfolding),
 * threads off screen skip layout (`content-visibility: auto`). A new conversation that arrives
 * live while the reader reads further down (newest first) does not push the page: it waits
 * behind a sticky "N new messages" button (`data-new-messages`), which shows it and moves focus there.
 * Links to a post: when the page's address ends in `#parley-post-{id}` (notification mail) or
 *   `#post-{id}` (the `thread-url` examples of the company desk, search and the audit log), the
 *   widget brings that post on screen once its first page is in (paging on, or fetching its
 *   thread, when it is further back: lazy widget/readers/post-link.ts), scrolls to it (smoothly
 *   unless `prefers-reduced-motion`), focuses it and marks it (`data-linked`, `aria-current`);
 *   also when the fragment changes later. A post of another topic is left to its own discussion;
 *   a post that cannot be found says so above the conversation (`data-link-missing`).
 * Themes (issue 17): `theme` attribute `light` | `dark` | `auto` (default: `prefers-color-scheme`).
 * CSS parts: `banner`, `since-last-visit`, `unread`, `toolbar`, `new-messages`, `mod-note`, `pinned`, `held`, `helpful`, `post`, `author`, `posting-as`, `badge` (also `staff-badge`, `professional-badge`,
 *   `moderator-badge`, `lookalike-badge`, `imported-badge`), `time`, `body`, `tombstone`, `mentions`,
 *   `reply-to`, `composer`, `button`, `notice`, `footer`, `safety-flag`, `safety-signpost`, `link`.
 * CSS custom properties (light theme; the dark theme reads the same names with `--parley-dark-color-*`):
 *   `--parley-font`, `--parley-color-text`, `--parley-color-bg`,
 *   `--parley-color-surface`, `--parley-color-border`, `--parley-color-accent`,
 *   `--parley-color-accent-text`, `--parley-color-muted`, `--parley-color-danger`, `--parley-color-ok`,
 *   `--parley-color-note-bg`, `--parley-color-note-border`, `--parley-color-note-text` (the moderators' callout),
 *   `--parley-color-focus`, `--parley-radius`, `--parley-space`, `--parley-indent`.
 */
import { html, LitElement, nothing, type PropertyValues } from 'lit';
import type { PageOrder, Post, PublicAuthor, SessionTokens, Viewer } from '../moderation/types.js';
import { isFailure, type ClientErrorCode, type Failure } from './client/outcome.js';
import type { Notifications } from './notifications/index.js';
import { sessionKey, storedSession } from './client/session-key.js';
import { TopicSession, type Connection } from './client/session.js';
import { buildThreads } from './client/state.js';
import { arrangeThreads } from './readers/order.js';
import { authorName, renderAuthor } from './components/author.js';
import type { ParleyComposer } from './components/parley-composer.js';
import { modNote, renderThreads, type ThreadContext } from './components/post.js';
import { apart } from './client/idle.js';
import { onTick } from './components/clock.js';
import { warmFormatters } from './components/time.js';
import { preparePurifier } from './sanitize.js';
import { Unfolding } from './components/unfolding.js';
import type { MessageKey } from './i18n/en.js';
import { directionOf, loadLanguage, loadLater, loadRest, resolveLanguage, translator, type Translate } from './i18n/index.js';
import { discussionStyles } from './parley-discussion.styles.js';

const TOP = 'top';

/** The post a link to this page points to: `#parley-post-{id}` (mail) or a host's `#post-{id}`. */
function postLinkIn(hash: string): string | null {
  return /(?:^#|&)(?:parley-)?post-([A-Za-z0-9_-]{1,64})(?:&|$)/.exec(hash)?.[1] ?? null;
}

/** A single-use sign-in proof in the page's address: a member's or staff email link, an OpenID Connect ticket. */
function signInLinkIn(hash: string): { kind: 'email' | 'staff' | 'oidc'; token: string } | undefined {
  const m = /(?:^#|&)parley-(sign-in|verify|oidc)=([\w-]{20,200})(?:&|$)/.exec(hash);
  if (!m) return undefined;
  return { kind: m[1] === 'sign-in' ? 'email' : m[1] === 'verify' ? 'staff' : 'oidc', token: m[2]! };
}
/** How each refusal of the server is worded; validation messages quote the server. */
const ERROR_MESSAGES: Partial<Record<ClientErrorCode, MessageKey>> = {
  rate_limited: 'errorRateLimited',
  unauthenticated: 'errorSignIn',
  token_invalid: 'errorSignIn',
  forbidden: 'errorForbidden',
  topic_locked: 'errorLocked',
  too_deep: 'errorTooDeep',
  validation_failed: 'errorInvalid',
  bad_request: 'errorInvalid',
  payload_too_large: 'errorTooLarge',
};
/** Properties that identify the conversation: changing one starts a new session. */
const RESTART_ON = ['server', 'site', 'topic', 'pageSize'] as const;

export class ParleyDiscussion extends LitElement {
  static override styles = discussionStyles;

  static override properties = {
    server: {},
    site: {},
    topic: {},
    order: { reflect: true },
    lang: {},
    token: {},
    topicTitle: { attribute: 'topic-title' },
    pageSize: { attribute: 'page-size', type: Number },
    logUrl: { attribute: 'log-url' },
    threadUrl: { attribute: 'thread-url' },
    connection: { reflect: true },
  };

  declare server: string;
  declare site: string;
  declare topic: string;
  declare order: PageOrder;
  declare lang: string;
  declare token: string | null;
  declare topicTitle: string;
  declare pageSize?: number;
  declare logUrl?: string;
  declare threadUrl?: string;
  declare connection: Connection;

  #session?: TopicSession;
  #replyingTo: string | null = null;
  #errors = new Map<string, string>();
  #announcement = '';
  #now = Date.now();
  /** Stops this element's share of the page's one clock (relative times stay current). */
  #stopClock?: () => void;
  /** The access token of this widget's own Parley session (staff email sign-in), if any. */
  #own: string | null = null;
  /** Why the reader was signed out, shown in the sign-in notice. */
  #note = '';
  /** The open panel: who takes part, account, staff sign-in, the sign-in dialog. */
  #panel: 'who' | 'account' | 'staff' | 'sign-in' | 'desk' | 'search' | null = null;
  /** The staff badge whose company card is open. */
  #card: HTMLElement | null = null;
  #identity?: Promise<typeof import('./parley-identity.js')>;
  /** The `[data-mod]` button whose moderation dialog or panel is open. */
  #mod: HTMLElement | null = null;
  #modChunk?: Promise<typeof import('./moderation/reader.js')>;
  /** Safety routing (lazy, widget/safety/): loaded once someone is signed in; its note under each post. */
  #safety?: Promise<void>;
  #safetyNote?: (post: Post) => unknown;
  /** Notifications (lazy, widget/notifications/): loaded once a member is signed in. */
  #notifyChunk?: Promise<void>;
  #notify?: Notifications;
  /** The `[data-edit]` button whose editor or history view is open (its `data-edit` says which). */
  #edit: HTMLElement | null = null;
  /** The viewer's own removed words by post id ('' while loading), and whose they are. */
  #mine = new Map<string, string>();
  #mineFor?: string;
  /** A long page is rendered a screenful first, then in steps that yield to the browser. */
  #unfolding = new Unfolding(this);
  /** Readers' actions (lazy, widget/readers/actions.ts): Helpful, Pin, Delete my post. */
  #readers?: Promise<typeof import('./readers/actions.js')>;
  /** Posts whose Helpful or Pin request is on its way. */
  #busy = new Set<string>();
  /** The `[data-delete]` button whose confirm dialog is open. */
  #deleting: HTMLElement | null = null;
  /** Blocking (issue 13, lazy widget/readers/blocks.ts): the reader's block list, for whom it was loaded. */
  blockedPeople: Map<string, string> | null = null;
  /** Folded posts (by someone the reader blocked) opened with Show. */
  unfoldedPosts = new Set<string>();
  #blocksFor?: string;
  #blocks?: Promise<typeof import('./readers/blocks.js')>;
  /** The post a link in the address points to, until the first page is in to look for it. */
  #linkWanted: string | null = null;
  /** The post a link led to: marked until another link is followed. */
  #linked: string | null = null;
  /** The linked post could not be found: said above the conversation. */
  #linkMissing = false;
  /** Companies a member may ask (loaded once a member is signed in), by the session they belong to. */
  #companies?: { session: TopicSession; list: Array<{ id: string; name: string }> };

  constructor() {
    super();
    this.server = this.site = this.topic = this.topicTitle = '';
    this.order = 'newest';
    this.token = null;
    this.connection = 'connecting';
  }

  /**
   * Relative times move ("now" → "2 minutes ago"): every 30 s, and at once when the reader comes
   * back to a tab that was hidden (timers are throttled there, so its times were stale).
   */
  #tick = (): void => {
    if (document.visibilityState === 'hidden') return;
    this.#now = Date.now();
    this.requestUpdate();
  };

  get client(): TopicSession | undefined {
    return this.#session;
  }

  setToken(token: string | null): void {
    this.token = token;
  }

  retry(): void {
    void this.#session?.load();
  }

  override connectedCallback(): void {
    super.connectedCallback();
    // One shared clock for the page's relative times; a tab coming back into view updates at once.
    this.#stopClock = onTick(() => this.#tick());
    document.addEventListener('visibilitychange', this.#tick);
    addEventListener('hashchange', this.#onHashChange);
    if (this.hasUpdated) this.#restart();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#stopClock?.();
    document.removeEventListener('visibilitychange', this.#tick);
    removeEventListener('hashchange', this.#onHashChange);
    this.#session?.close();
    this.#session = undefined;
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (!this.#session || RESTART_ON.some((key) => changed.has(key))) {
      this.#restart();
    } else if (changed.has('token')) {
      void this.#session.setToken(this.token || this.#own);
    }
    if (changed.has('order') && this.#session && this.#session.state.order !== this.order) void this.#session.load(this.order);
    if (this.#session && this.connection !== this.#session.connection) {
      this.connection = this.#session.connection;
      this.#emit('parley-connection-change', { connection: this.connection });
    }
  }

  protected override updated(): void {
    // A link to a post: looked for once the first page is on screen (its chunk only then).
    const id = this.#linkWanted;
    if (!id || this.#session?.status !== 'ready') return;
    this.#linkWanted = null;
    void import('./readers/post-link.js').then((m) =>
      m.showLinkedPost(this, id, this.token || this.#own, (linked, missing) => {
        this.#linked = linked ?? this.#linked;
        this.#linkMissing = missing;
        this.requestUpdate();
      }),
    );
  }

  /** The address now points to another post (a link on the same page, Back): go there too. */
  #onHashChange = (): void => {
    const id = postLinkIn(location.hash);
    if (!id || id === this.#linked) return;
    this.#linkWanted = id;
    this.#linkMissing = false;
    this.requestUpdate();
  };

  #restart(): void {
    this.#session?.close();
    this.#session = undefined;
    this.#replyingTo = this.#edit = null;
    this.#errors.clear();
    this.#held.clear();
    this.#unfolding.reset();
    this.#linkWanted = postLinkIn(location.hash);
    this.#linked = null;
    this.#linkMissing = false;
    if (!this.site || !this.topic || !this.isConnected) return;
    // Callbacks of a session that has since been replaced are ignored.
    let session: TopicSession | null = null;
    const current = () => session === null || this.#session === session;
    session = new TopicSession(this, {
      changed: () => {
        if (!current()) return;
        // Also called from the session's constructor, before `session` is assigned.
        if (session) this.#noticeEnded(session);
        this.requestUpdate();
      },
      arrived: (posts) => current() && this.#announce(posts),
      sent: (target, post) => current() && this.#onSent(target, post),
      rejected: (target, reason) => current() && this.#onRejected(target, reason),
    });
    this.#session = session;
    // While the first page is on the network: the sanitiser and date formatters its posts need.
    apart(preparePurifier);
    warmFormatters(this.#language);
    if (this.#own && !this.token) void session.setToken(this.#own);
    // A sign-in link back to this page, or a session kept from an earlier visit: resume it.
    const link = signInLinkIn(location.hash);
    if (link || storedSession(sessionKey(this.server, this.site))) void this.#lazy().then((m) => m.joinSession(this, link, this.#useToken));
    // The OpenID provider refused or failed: say so, and drop the fragment like a used link.
    const oidcError = /(?:^#|&)parley-oidc-error=([\w.-]{1,64})/.exec(location.hash)?.[1];
    if (oidcError) {
      this.#note = this.#t('oidcFailed', { code: oidcError });
      void this.#lazy().then((m) => m.dropLinkFromUrl());
    }
  }

  /** The server ended the reader's sign-in (signed out everywhere, deleted, suspended, banned, expired): tell the host once. */
  #noticeEnded(session: TopicSession): void {
    if (!session.ended || session.ended === this.#endedSeen || session.endingHere) return;
    this.#endedSeen = session.ended;
    this.#emit('parley-signed-out', { reason: 'session-ended', cause: session.ended.reason });
  }

  #endedSeen: unknown = null;

  /** Why the sign-in ended, in the reader's language (the server's sentence is English only). */
  #endedText(): string {
    const t = this.#t;
    switch (this.#session?.ended?.reason) {
      case 'signed-out': return t('signInEndedSignedOut');
      case 'deleted': return t('signInEndedDeleted');
      case 'suspended': return t('signInEndedSuspended');
      case 'banned': return t('signInEndedBanned');
      default: return t('signInExpired');
    }
  }

  #lazy() {
    return (this.#identity ??= import('./parley-identity.js'));
  }

  /** The Parley session (or the account panel) signs in or out: `note` says why. */
  #useToken = (token: string | null, note = ''): void => {
    this.#own = token;
    this.#note = note;
    if (!token) this.#panel = null;
    if (note) this.#say(note);
    void this.#session?.setToken(this.token || token);
  };

  #toggle(panel: 'who' | 'account' | 'staff' | 'sign-in' | 'desk' | 'search'): void {
    this.#panel = this.#panel === panel ? null : panel;
    void (panel === 'desk' ? import('./parley-company-desk.js') : panel === 'search' ? import('./search/parley-search.js') : this.#lazy());
    this.requestUpdate();
  }

  #lazyMod() {
    return (this.#modChunk ??= import('./moderation/reader.js'));
  }

  #closeMod = (): void => {
    // A button gone meanwhile (a question no longer open): focus its post instead.
    const post = this.#mod?.dataset.post;
    const article = this.#mod?.isConnected || !post ? null : this.renderRoot.querySelector<HTMLElement>(`article[data-post-id="${CSS.escape(post)}"]`);
    if (article) article.tabIndex = -1;
    (article ?? this.#mod)?.focus();
    this.#mod = null;
    this.requestUpdate();
  };

  #closeSearch = async (): Promise<void> => {
    this.#panel = null;
    this.requestUpdate();
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>('[data-panel="search"]')?.focus();
  };

  #closeDelete = (e: CustomEvent<{ deleted: boolean }>): void => {
    const opener = this.#deleting;
    this.#deleting = null;
    if (e.detail.deleted) {
      this.#say(this.#t('deleted'));
      // The button went with the post's text: focus the tombstone's article instead.
      const article = opener && this.renderRoot.querySelector<HTMLElement>(`article[data-post-id="${CSS.escape(opener.dataset.delete!)}"]`);
      if (article) {
        article.tabIndex = -1;
        article.focus();
      }
    } else {
      opener?.focus();
    }
    this.requestUpdate();
  };

  /** Show a folded post; Block (after a confirm dialog) or Unblock its author (issue 13): all in the lazy chunk. */
  #onBlockAction(button: HTMLElement): void {
    const token = this.token || this.#own;
    if (!token) return;
    void (this.#blocks ??= import('./readers/blocks.js'))
      .then((m) => m.onBlockButton(this, button, token, this.#language))
      .then((said) => said && this.#say(said));
  }

  /** Helpful, Pin and Delete my post (the readers' chunk, loaded on first use). */
  #onReaderAction(button: HTMLElement): void {
    const token = this.token || this.#own;
    const s = this.#session;
    if (!token || !s) return;
    const chunk = (this.#readers ??= import('./readers/actions.js'));
    if (button.dataset.delete) {
      this.#deleting = button;
      void chunk.then(() => this.requestUpdate());
      return;
    }
    const id = button.dataset.helpful ?? button.dataset.pin!;
    const post = s.state.posts.get(id);
    if (!post || this.#busy.has(id)) return;
    this.#busy.add(id);
    this.requestUpdate();
    void chunk
      .then((m) => (button.dataset.helpful ? m.toggleHelpful(this, post, token) : m.togglePin(this, id, button.dataset.pinnedNow === 'true', token)))
      .then((error) => {
        this.#busy.delete(id);
        const t = this.#t;
        const said = error ? t('actionFailed', { message: error }) : button.dataset.pin ? (s.topic?.pinned?.postId === id ? t('pinDone') : t('unpinDone')) : '';
        if (said) this.#say(said);
        else this.requestUpdate();
      });
  }

  #onClick(e: Event): void {
    const reader = (e.target as Element).closest<HTMLElement>('[data-helpful], [data-pin], [data-delete]');
    if (reader && reader.tagName === 'BUTTON') {
      this.#onReaderAction(reader);
      return;
    }
    const blocking = (e.target as Element).closest<HTMLElement>('[data-block], [data-show-blocked]');
    if (blocking && blocking.tagName === 'BUTTON') {
      this.#onBlockAction(blocking);
      return;
    }
    const goto = (e.target as Element).closest<HTMLElement>('[data-goto]');
    const target = goto && this.renderRoot.querySelector<HTMLElement>(`article[data-post-id="${CSS.escape(goto.dataset.goto!)}"]`);
    if (target) {
      // The answer is on screen: go there; otherwise the link leads to its thread.
      e.preventDefault();
      target.tabIndex = -1;
      target.scrollIntoView({ block: 'center' });
      target.focus();
      return;
    }
    const edit = (e.target as Element).closest<HTMLElement>('[data-edit]');
    if (edit) {
      this.#edit = this.#edit === edit ? null : edit;
      void import('./edit/post-edit.js');
      this.requestUpdate();
    }
    const mod = (e.target as Element).closest<HTMLElement>('[data-mod]');
    if (mod) {
      this.#mod = this.#mod === mod ? null : mod;
      void this.#lazyMod();
      this.requestUpdate();
    }
    const badge = (e.target as Element).closest<HTMLElement>('[data-company]');
    if (!badge) return;
    this.#card = badge;
    void this.#lazy();
    this.requestUpdate();
  }

  /** `<parley-edit>` of the open editor or history view (lazily defined). */
  #editor() {
    return html`<parley-edit .discussion=${this} .opener=${this.#edit} .token=${this.token || this.#own} @parley-close=${this.#closeEdit}></parley-edit>`;
  }

  /** `detail` is what to announce (a saved edit), if anything. */
  #closeEdit = (e: CustomEvent<string>): void => {
    if (e.detail) this.#say(e.detail);
    this.#edit?.focus();
    this.#edit = null;
    this.requestUpdate();
  };

  #closeCard(): void {
    this.#card?.focus();
    this.#card = null;
    this.requestUpdate();
  }

  get #t(): Translate {
    // Languages other than English arrive in a chunk of their own; English is shown meanwhile.
    void loadLanguage(this.#language, false)?.then(() => this.requestUpdate());
    // Someone signed in (or signing in) gets the composer: its words are in the rest of English.
    if (this.token || this.#own || (this.#session && this.#session.signIn !== 'none')) void loadLater()?.then(() => this.requestUpdate());
    if (this.#session?.status === 'ready') this.#wantRest();
    return translator(this.#language);
  }

  #restAsked = false;

  /**
   * The ICU formatter (plural, select and number messages) and the rest of English (the
   * composer's words and other strings the first render does not show, i18n/en-later.ts) are
   * fetched once the first page is on screen, when the browser is idle, so that they are never
   * part of the first render (issue 17).
   */
  #wantRest(): void {
    if (this.#restAsked) return;
    this.#restAsked = true;
    const fetchIt = () => void loadRest()?.then(() => this.requestUpdate());
    if ('requestIdleCallback' in window) requestIdleCallback(fetchIt, { timeout: 1000 });
    else setTimeout(fetchIt, 200);
  }

  /**
   * Also waits for the language's strings and for every post of a long page (see Unfolding),
   * so that tests and hosts see the final text.
   */
  protected override async getUpdateComplete(): Promise<boolean> {
    let done = await super.getUpdateComplete();
    const strings = loadLanguage(this.#language, this.#session?.status === 'ready');
    if (strings) done = await strings.then(() => super.getUpdateComplete());
    for (let steps = this.#unfolding.settled; steps; steps = this.#unfolding.settled) {
      await steps;
      done = await super.getUpdateComplete();
    }
    return done;
  }

  get #language(): string {
    return resolveLanguage(this.lang || this.closest('[lang]')?.getAttribute('lang') || document.documentElement.lang);
  }

  override render() {
    const s = this.#session;
    const t = this.#t;
    const label = this.topicTitle ? t('discussionTitled', { title: this.topicTitle }) : t('discussionLabel');
    // The widget's text runs in its language's direction (Arabic right to left) whatever the
    // page's; a `dir` attribute on the element overrides. Styles use logical properties only.
    return html`<section aria-label=${label} lang=${this.#language} dir=${this.getAttribute('dir') || directionOf(this.#language)} @click=${this.#onClick}>
      <div part="banner" role="status" class=${s && (s.connection === 'reconnecting' || s.connection === 'offline') ? 'banner on' : 'banner'}>
        ${s?.connection === 'reconnecting' ? t('reconnecting') : s?.connection === 'offline' ? t('offline') : nothing}
      </div>
      ${s ? this.#renderBody(s, t) : nothing}
      <div class="visually-hidden" aria-live="polite" data-live>${this.#announcement}</div>
      ${this.#card
        ? html`<parley-company-card .discussion=${this} company=${this.#card.dataset.company!} @parley-close=${this.#closeCard}></parley-company-card>`
        : nothing}
      ${this.#panel === 'sign-in' && s?.site
        ? html`<parley-sign-in .discussion=${this} .offer=${s.site.signIn} @parley-close=${this.#closeSignIn} @parley-signed-in=${this.#onSignedIn}></parley-sign-in>`
        : nothing}
    </section>`;
  }

  #renderBody(s: TopicSession, t: Translate) {
    // The server's HTML rendition, when the host included it (slot="static"), stays on screen
    // until the first page is: no blank "Loading…" where the conversation already was.
    if (s.status === 'loading') return html`<slot name="static"><p class="state" role="status">${t('loading')}</p></slot>`;
    if (s.status === 'error' && s.refusal) {
      // Not a passing failure: no retry button, and words the host site's operator can act on.
      return html`<div class="state error" role="alert" data-refused>
        <p>${t('originNotRegistered', { origin: location.origin, site: this.site })}</p>
      </div>`;
    }
    if (s.status === 'error') {
      return html`<div class="state error" role="alert">
        <p>${t('loadError')}</p>
        <button part="button" class="primary" type="button" data-retry @click=${this.retry}>${t('retry')}</button>
      </div>`;
    }
    // Conversations held back while the reader reads further down (see #announce); gone ones are forgotten.
    for (const id of this.#held) if (!s.state.posts.has(id)) this.#held.delete(id);
    const all = arrangeThreads(buildThreads(s.state), s.state.order, s.topic?.pinned?.postId);
    const threads = this.#held.size ? all.filter((th) => !this.#held.has(th.post.id)) : all;
    const locked = s.topic?.locked ?? false;
    const v = s.viewer;
    const token = this.token || this.#own;
    if (v?.id !== this.#mineFor) {
      this.#mine.clear();
      this.#mineFor = v?.id;
    }
    // Only for those who may see something: moderators, company staff, and authors of a post here.
    if (v && (v.affiliation || v.roles.some((r) => r === 'moderator' || r === 'admin') || [...s.state.posts.values()].some((p) => p.author.id === v.id))) {
      this.#safety ??= import('./safety/safety.js').then((m) => void (this.#safetyNote = m.attachSafety(this, () => this.token || this.#own)));
    }
    // The reader's block list (issue 13): members only (company staff cannot block).
    if (v?.id !== this.#blocksFor) {
      this.#blocksFor = v?.id;
      this.blockedPeople = null;
      this.unfoldedPosts.clear();
      const own = token;
      if (v && own && v.kind === 'member' && !v.affiliation) {
        void (this.#blocks ??= import('./readers/blocks.js')).then((m) => (this.#blocksFor === v.id ? m.loadBlocks(this, own) : ''));
      }
    }
    if (v && !v.needsWelcome) {
      this.#notifyChunk ??= import('./notifications/index.js').then((m) => void (this.#notify = m.attachNotifications(this, () => this.token || this.#own)));
    }
    // The author of a removed post may read their own words: ask for them with their token.
    if (v && token) {
      for (const p of s.state.posts.values()) {
        if (p.status === 'removed' && p.author.id === v.id && !this.#mine.has(p.id)) {
          this.#mine.set(p.id, '');
          void this.#lazyMod().then((m) => m.ownText(this, p.id, token, this.#mine));
        }
      }
    }
    const ctx: ThreadContext = {
      t,
      lang: this.#language,
      now: this.#now,
      canReply: !locked,
      locked,
      replyingTo: this.#replyingTo,
      onReply: (post) => this.#openReply(post),
      replyComposer: (post) => this.#renderComposer(post.id, post),
      me: v?.id,
      log: this.logUrl,
      mine: this.#mine,
      editing: this.#edit?.dataset.edit === 'edit' ? this.#edit.dataset.post : null,
      editor: () => this.#editor(),
      safety: this.#safetyNote,
      moderator: !!v?.roles.some((r) => r === 'moderator' || r === 'admin') && !v.affiliation,
      pinned: s.topic?.pinned,
      linked: this.#linked,
      busy: this.#busy,
      unread: v ? this.#notify?.unread : undefined,
      org: s.site?.name,
      // Moderator mode shows everything, also posts by people the moderator blocked.
      blocked: this.blockedPeople && this.#mod?.dataset.mod !== 'queue' ? new Set(this.blockedPeople.keys()) : undefined,
      unfolded: this.unfoldedPosts,
      canBlock: !!v && !!token && v.kind === 'member' && !v.affiliation && !v.needsWelcome,
      postHref: (id) => `${this.#serverBase}/api/sites/${encodeURIComponent(this.site)}/posts/${encodeURIComponent(id)}`,
    };
    const lock = s.topic?.lock;
    const mod = this.#mod?.dataset.mod;
    return html`
      <div part="toolbar" class="toolbar">
        <button part="button" class="link" type="button" data-panel="who" aria-expanded=${this.#panel === 'who'} @click=${() => this.#toggle('who')}>${t('whoTakesPart')}</button>
        ${s.viewer
          ? html`<button part="button" class="link" type="button" data-panel="account" aria-expanded=${this.#panel === 'account'} @click=${() => this.#toggle('account')}>${t('yourAccount')}</button>
              <button part="button" class="link" type="button" data-mod="mine" aria-expanded=${mod === 'mine'}>${t('modMine')}</button>`
          : nothing}
        ${v && !v.needsWelcome ? html`<parley-follow exportparts="button" .discussion=${this} .token=${token}></parley-follow>` : nothing}
        ${v?.affiliation
          ? html`<button part="button" class="link" type="button" data-panel="desk" aria-expanded=${this.#panel === 'desk'} @click=${() => this.#toggle('desk')}>${t('companyDesk', { company: v.affiliation.companyName })}</button>`
          : nothing}
        ${v?.roles.some((r) => r === 'moderator' || r === 'admin') && !v.roles.includes('staff')
          ? html`<button part="button" class="link" type="button" data-mod="queue" aria-pressed=${mod === 'queue'}>${t('modMode')}</button>`
          : nothing}
        <button part="button" class="link" type="button" data-panel="search" aria-expanded=${this.#panel === 'search'} @click=${() => this.#toggle('search')}>${t('searchOpen')}</button>
        <label for="order">${t('orderLabel')}</label>
        <select id="order" .value=${this.order} @change=${this.#onOrder}>
          <option value="newest" ?selected=${this.order === 'newest'}>${t('orderNewest')}</option>
          <option value="oldest" ?selected=${this.order === 'oldest'}>${t('orderOldest')}</option>
          <option value="helpful" ?selected=${this.order === 'helpful'}>${t('orderHelpful')}</option>
        </select>
      </div>
      ${this.#panel === 'who'
        ? html`<parley-participants .discussion=${this}></parley-participants>`
        : this.#panel === 'account' && s.viewer
          ? html`<parley-account .discussion=${this} .viewer=${s.viewer} .token=${this.token || this.#own} .done=${this.#useToken}></parley-account>`
          : this.#panel === 'desk' && v?.affiliation
            ? html`<parley-company-desk class="box" .discussion=${this} company=${v.affiliation.companyId} .token=${token} .threadUrl=${this.threadUrl ?? ''}></parley-company-desk>`
            : this.#panel === 'search'
              ? html`<parley-search class="box" .discussion=${this} @parley-close=${this.#closeSearch}></parley-search>`
              : nothing}
      ${this.#deleting
        ? html`<parley-delete-post .discussion=${this} .postId=${this.#deleting.dataset.delete!} .token=${token} .lang=${this.#language} @parley-close=${this.#closeDelete}></parley-delete-post>`
        : nothing}
      ${this.#edit?.dataset.edit === 'history' ? this.#editor() : nothing}
      ${this.#mod ? html`<parley-mod .discussion=${this} .opener=${this.#mod} .token=${token} @parley-close=${this.#closeMod}></parley-mod>` : nothing}
      ${locked
        ? html`<div part="notice" class="notice" data-locked><p>${t('locked')}</p>
            ${lock ? modNote(lock, t('closedBy', { mod: lock.moderator, reason: lock.reason }), ctx, 'closed') : nothing}</div>`
        : this.#renderComposer(TOP, null)}
      ${v ? this.#notify?.banner() : nothing}
      ${this.#held.size
        ? html`<div class="fresh"><button part="button new-messages" class="primary" type="button" data-new-messages @click=${this.#showHeld}>
            ${t('showNewMessages', { count: this.#held.size })}</button></div>`
        : nothing}
      ${this.#linkMissing ? html`<p part="notice" class="notice" role="status" data-link-missing>${t('linkedPostMissing')}</p>` : nothing}
      ${threads.length ? renderThreads(this.#unfolding.take(threads), ctx) : html`<p class="state empty">${t('empty')}</p>`}
      ${s.nextCursor
        ? html`<div class="more">
            ${s.more === 'error' ? html`<p role="alert">${t('loadMoreError')}</p>` : nothing}
            <button part="button" type="button" data-load-more aria-disabled=${s.more === 'loading' ? 'true' : 'false'} @click=${() => s.loadMore()}>
              ${s.more === 'loading' ? t('loadingMore') : s.more === 'error' ? t('retry') : t('loadMore')}
            </button>
          </div>`
        : nothing}
      ${s.site
        ? html`<footer part="footer" class="footer">
            ${this.#rulesChanged(s.site.id, s.site.rulesChangedAt) ? html`<strong role="status" data-rules-changed>${t('rulesChanged')}</strong> ` : nothing}
            ${t('moderatedBy', { site: s.site.name })}
            ${s.site.rulesUrl && /^https?:/i.test(s.site.rulesUrl)
              ? html`<a href=${s.site.rulesUrl} target="_blank" rel="noopener">${t('houseRules')}</a>`
              : nothing}
          </footer>`
        : nothing}
    `;
  }

  get #serverBase(): string {
    return (this.server || new URL(import.meta.url).origin).replace(/\/+$/, '');
  }

  /** Companies taking part, for a member's "Ask a company" (staff may not ask one; the server decides). */
  #askable(s: TopicSession, v: Viewer | null) {
    if (!v || v.affiliation) return [];
    if (this.#companies?.session !== s) {
      const entry = (this.#companies = { session: s, list: [] as Array<{ id: string; name: string }> });
      void s.api.companies().then((res) => {
        if (isFailure(res) || this.#companies !== entry) return;
        entry.list = res.companies.map((c) => ({ id: c.id, name: c.displayName }));
        this.requestUpdate();
      });
    }
    return this.#companies.list;
  }

  #rulesNews?: boolean;
  /** Did the house rules change since this browser last saw them? Remembers the latest change. */
  #rulesChanged(site: string, at: string | null): boolean {
    if (this.#rulesNews === undefined) {
      const key = `parley-rules:${site}`;
      let seen = null;
      try {
        seen = localStorage.getItem(key);
        if (at) localStorage.setItem(key, at);
      } catch {
        // Storage may be blocked (private mode, third-party rules): just do not announce.
      }
      this.#rulesNews = !!(at && seen && seen < at);
    }
    return this.#rulesNews;
  }

  /** The composer for `target` ("top" or a post id), or the sign-in notice. */
  #renderComposer(target: string, parent: Post | null) {
    const s = this.#session!;
    const t = this.#t;
    if (s.signIn === 'none' || s.signIn === 'invalid') {
      return html`<div part="notice" class="notice sign-in" data-composer=${target}>
        <p>${this.#note || (s.signIn === 'invalid' ? this.#endedText() : t('signInNotice'))}</p>
        <button part="button" class="primary" type="button" data-sign-in aria-haspopup=${this.#ownSignIn ? 'dialog' : nothing} @click=${this.#requestSignIn}>${t('signIn')}</button>
        ${parent
          ? html`<button part="button" type="button" @click=${() => this.#closeReply(parent.id)}>${t('cancel')}</button>`
          : s.site?.signIn.staff
            ? html`<button part="button" type="button" data-panel="staff" aria-expanded=${this.#panel === 'staff'} @click=${() => this.#toggle('staff')}>${t('staffSignIn')}</button>
                ${this.#panel === 'staff' ? html`<parley-staff-sign-in .discussion=${this}></parley-staff-sign-in>` : nothing}`
            : nothing}
      </div>`;
    }
    const v = s.viewer;
    if (v?.needsWelcome) {
      // First sign-in by email or OpenID Connect: a name and the house rules before the first post.
      if (parent) {
        return html`<div part="notice" class="notice" data-composer=${target}><p>${t('welcomeFirst')}</p>
          <button part="button" type="button" @click=${() => this.#closeReply(parent.id)}>${t('cancel')}</button></div>`;
      }
      void this.#lazy();
      return html`<parley-welcome data-composer=${target} .discussion=${this} .token=${this.token || this.#own} .rulesUrl=${s.site?.rulesUrl ?? null}
        @parley-welcomed=${this.#onWelcomed}></parley-welcome>`;
    }
    const pending = s.pending.get(target);
    return html`${v && !parent ? this.#postingAs(v, t) : nothing}<parley-composer
      part="composer"
      exportparts="button, textarea, label, error, notice"
      data-composer=${target}
      .t=${t}
      .label=${parent ? t('replyLabel', { name: authorName(parent.author, t) }) : t('composerLabel')}
      .submitLabel=${parent ? t('sendReply') : t('send')}
      .busy=${pending !== undefined}
      .notice=${pending === 'waiting' ? t('waitingToSend') : ''}
      .error=${this.#errors.get(target) ?? ''}
      ?cancellable=${parent !== null}
      .companies=${this.#askable(s, v)}
      .mentions=${this.#notify?.mentions ?? null}
      @parley-submit=${(e: CustomEvent<{ body: string; questionTo?: string; homepage?: string }>) => this.#submit(target, parent, e.detail.body, e.detail.questionTo, e.detail.homepage)}
      @parley-cancel=${() => parent && this.#closeReply(parent.id)}
    >${s.viewer?.affiliation ? this.#staffCheck() : nothing}</parley-composer>`;
  }

  /** "Posting as <name>" with the badge a new post will carry, and "Sign out". */
  #postingAs(v: Viewer, t: Translate) {
    const moderator = v.roles.some((r) => r === 'moderator' || r === 'admin');
    const author: PublicAuthor = {
      id: v.id, name: v.name, kind: v.kind,
      ...(moderator ? { moderator } : {}),
      ...(v.affiliation ? { affiliation: v.affiliation } : {}),
      ...(v.professional ? { professional: v.professional } : {}),
    };
    return html`<p part="posting-as" class="posting-as" data-posting-as>
      <span>${t('postingAs')}</span> ${renderAuthor(author, t, this.#language)}
      <button part="button" class="link" type="button" data-sign-out @click=${this.#signOut}>${t('signOut')}</button>
    </p>`;
  }

  /**
   * Sign out here: a Parley session of the widget's own is forgotten on this device; a host's
   * token is dropped and the host told (`parley-signed-out`), since only it can end its sign-in.
   */
  #signOut = async (): Promise<void> => {
    if (this.#own) (await this.#lazy()).endSession(this);
    this.#own = null;
    this.token = null;
    this.#panel = null;
    this.#emit('parley-signed-out', { reason: 'signed-out' });
    this.#say(this.#t('signedOut'));
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>('[data-sign-in]')?.focus();
  };

  #closeSignIn = async (): Promise<void> => {
    this.#panel = null;
    this.requestUpdate();
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>('[data-sign-in], parley-welcome, parley-composer[data-composer="top"]')?.focus();
  };

  /** A one-time code signed the reader in: that session is now the widget's own. */
  #onSignedIn = (e: CustomEvent<{ tokens: SessionTokens }>): void => {
    void this.#lazy().then((m) => m.adoptSession(this, e.detail.tokens, this.#useToken));
  };

  #onWelcomed = async (e: CustomEvent<{ viewer: Viewer }>): Promise<void> => {
    if (this.#session) this.#session.viewer = e.detail.viewer;
    this.#say(this.#t('welcomeDone', { name: e.detail.viewer.name }));
    this.requestUpdate();
    await this.updateComplete;
    this.#composerFor(TOP)?.focus();
  };

  /** Company staff see the pre-check's warning and reminder in the composer (lazy chunk). */
  #staffCheck() {
    void import('./authenticity/staff-check.js');
    return html`<parley-staff-check slot="check" .discussion=${this} .token=${this.token || this.#own}></parley-staff-check>`;
  }

  #submit(target: string, parent: Post | null, body: string, questionTo?: string, homepage?: string): void {
    this.#errors.delete(target);
    this.#session?.submit(target, parent ? parent.id : null, body.trim(), questionTo, homepage);
  }

  #onSent(target: string, post: Post): void {
    this.#errors.delete(target);
    this.#say(this.#t('posted'));
    this.#emit('parley-post-created', { post });
    if (target === TOP) this.#composerFor(TOP)?.clear();
    else if (this.#replyingTo === target) this.#closeReply(target);
  }

  #onRejected(target: string, reason: Failure): void {
    const { code, message, retryAfterSeconds } = reason.error;
    const key = ERROR_MESSAGES[code] ?? 'errorGeneric';
    const seconds = Math.max(1, Math.ceil(retryAfterSeconds ?? 10));
    this.#errors.set(target, this.#t(key, { seconds, message }));
    this.requestUpdate();
  }

  async #openReply(post: Post): Promise<void> {
    this.#replyingTo = this.#replyingTo === post.id ? null : post.id;
    this.#errors.delete(post.id);
    this.requestUpdate();
    await this.updateComplete;
    if (this.#replyingTo === post.id) (this.#composerFor(post.id) ?? this.renderRoot.querySelector<HTMLElement>(`[data-composer="${post.id}"] button`))?.focus();
  }

  /** Close the reply composer of `id` and give focus back to its Reply button. */
  async #closeReply(id: string): Promise<void> {
    if (this.#replyingTo !== id) return;
    this.#replyingTo = null;
    this.requestUpdate();
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>(`button[data-reply-for="${CSS.escape(id)}"]`)?.focus();
  }

  #composerFor(target: string): ParleyComposer | null {
    return this.renderRoot.querySelector<ParleyComposer>(`parley-composer[data-composer="${CSS.escape(target)}"]`);
  }

  #onOrder(e: Event): void {
    const value = (e.target as HTMLSelectElement).value;
    this.order = value === 'oldest' || value === 'helpful' ? value : 'newest';
  }

  /** The host page may take over (preventDefault); otherwise the widget's own dialog opens, if the site offers one. */
  #requestSignIn(): void {
    const event = new CustomEvent('parley-sign-in-requested', { detail: {}, bubbles: true, composed: true, cancelable: true });
    this.dispatchEvent(event);
    if (event.defaultPrevented || !this.#ownSignIn) return;
    this.#toggle('sign-in');
  }

  openSignIn(): boolean {
    if (!this.#ownSignIn) return false;
    if (this.#panel !== 'sign-in') this.#toggle('sign-in');
    return true;
  }

  /** Does the site offer a sign-in the widget can do itself (rather than the host's token)? */
  get #ownSignIn(): boolean {
    return (this.#session?.site?.signIn.methods ?? []).some((m) => m === 'email' || m === 'oidc');
  }

  /**
   * Announce new posts by others politely, without moving focus. New conversations that would
   * appear above where the reader is reading (newest first, the list's top scrolled away) wait
   * behind the "N new messages" button instead of pushing the page down under them.
   */
  #announce(posts: Post[]): void {
    const t = this.#t;
    if (this.order === 'newest' && this.#readingBelowTop()) {
      for (const p of posts) if (p.parent === null) this.#held.add(p.id);
    }
    // One new post is announced by its author's name; several by their number (a plural message).
    this.#say(posts.length > 1 ? t('newMessages', { count: posts.length }) : t('newMessageFrom', { name: authorName(posts[0].author, t) }));
  }

  /** Top-level posts that arrived live while the reader was further down the page. */
  #held = new Set<string>();

  /** Is the top of the conversation list scrolled out of view (the reader is reading below it)? */
  #readingBelowTop(): boolean {
    const list = this.renderRoot.querySelector('.threads');
    return !!list && list.getBoundingClientRect().top < 0;
  }

  /** "3 new messages" pressed: show them, take the reader to the first, and give it focus. */
  async #showHeld(): Promise<void> {
    const first = [...this.#held][0];
    this.#held.clear();
    this.requestUpdate();
    await this.updateComplete;
    const article = first ? this.renderRoot.querySelector<HTMLElement>(`article[data-post-id="${CSS.escape(first)}"]`) : null;
    const target = article ?? this.renderRoot.querySelector<HTMLElement>('.threads');
    if (!target) return;
    target.tabIndex = -1;
    target.scrollIntoView({ block: 'start' });
    target.focus({ preventScroll: true });
  }

  #say(text: string): void {
    // A repeated sentence must still change the region's text to be read again.
    this.#announcement = text === this.#announcement ? `${text}\u00a0` : text;
    this.requestUpdate();
  }

  #emit(type: string, detail: unknown): void {
    this.dispatchEvent(new CustomEvent(type, { detail, bubbles: true, composed: true }));
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'parley-discussion': ParleyDiscussion;
  }
}
