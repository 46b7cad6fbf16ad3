/**
 * One widget's conversation with the server about one topic: loads pages, joins the
 * topic's room, merges live posts and catch-ups into `TopicState`, and sends posts through
 * an outbox. No DOM: the element reads the public fields and re-renders on `changed()`.
 *
 * Delivery guarantees:
 * - every post is sent with an idempotency key made once per message; it stays in the
 *   outbox until the server acknowledges it (or rejects it), and is resent with the same
 *   key after a reconnect, so a message is posted at most once and never silently lost;
 * - after a reconnect the room is re-joined with `since` = highest rev seen, and the
 *   missed posts are merged by id; a truncated catch-up reloads the first page.
 *
 * Sign-in: a new or renewed token is handed to the open socket (`session:token`), so it keeps
 * writing without reconnecting. When the server says the sign-in has ended (`session:ended`:
 * signed out everywhere, account deleted, suspended or banned, token expired), the session
 * shows the reader as signed out (`signIn = 'invalid'`, `ended` says why) and the socket
 * reconnects without that token; a new token signs in again.
 */
import { SOCKET_EVENTS, type SessionEnded } from '../../moderation/protocol.js';
import type { CreatePostInput } from '../../moderation/schemas.js';
import type { PageOrder, Post, PublicSiteInfo, TopicInfo, Viewer } from '../../moderation/types.js';
import { ParleyApi } from './api.js';
import { failure, isFailure, isTransportFailure, type Failure } from './outcome.js';
import type { JoinResult, RealtimeClient } from './socket.js';
import { emptyState, mergePosts, type TopicState } from './state.js';

/** `refused`: the server will not serve this page (its origin is not registered for the site); no retries. */
export type Connection = 'connecting' | 'connected' | 'reconnecting' | 'offline' | 'refused';
export type SignIn = 'none' | 'checking' | 'ok' | 'invalid';

/** What the session reads from its element (read once, at construction, except `topicTitle`). */
export interface SessionOptions {
  /** Empty: the origin this script was loaded from. */
  readonly server: string;
  readonly site: string;
  readonly topic: string;
  readonly order: PageOrder;
  readonly token: string | null;
  readonly topicTitle?: string;
  readonly pageSize?: number;
}

/** What the session tells its element. */
export interface SessionHost {
  /** Anything rendered may have changed. */
  changed(): void;
  /** Posts by others arrived (live or by catch-up): worth announcing. */
  arrived(posts: Post[]): void;
  /** A message from composer `target` was stored by the server. */
  sent(target: string, post: Post): void;
  /** The server refused a message from composer `target`; it will not be resent. */
  rejected(target: string, reason: Failure): void;
}

interface OutboxItem {
  input: CreatePostInput;
  /** Which composer it came from: "top" or the id of the post replied to. */
  target: string;
  inFlight: boolean;
}

function newIdempotencyKey(): string {
  // randomUUID needs a secure context (absent otherwise); host pages on plain http still get 128 random bits.
  return crypto.randomUUID?.() ?? Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, '0')).join('');
}

export class TopicSession {
  status: 'loading' | 'ready' | 'error' = 'loading';
  site: PublicSiteInfo | null = null;
  topic: TopicInfo | null = null;
  state: TopicState;
  nextCursor: string | null = null;
  more: 'idle' | 'loading' | 'error' = 'idle';
  connection: Connection = 'connecting';
  /** Why the server refuses this page for good (`origin_not_allowed`): shown instead of the conversation. */
  refusal: Failure | null = null;
  viewer: Viewer | null = null;
  signIn: SignIn = 'none';
  /** Why the server ended the current sign-in, if it did (cleared by the next token). */
  ended: SessionEnded | null = null;

  /**
   * This widget is ending the sign-in itself (sign out everywhere, account deletion from its
   * account panel): the server's `session:ended` that may overtake the request's answer is its
   * echo, and the widget tells the host page in its own words. Cleared by the next token.
   */
  endingHere = false;

  expectEnd(): void {
    this.endingHere = true;
  }
  /** Composer targets with a message on its way: `sending`, or `waiting` for the connection. */
  readonly pending = new Map<string, 'sending' | 'waiting'>();
  readonly api: ParleyApi;
  /** The live channel: null until the first page has loaded (see #connect). */
  realtime: RealtimeClient | null = null;
  #server: string;

  #outbox = new Map<string, OutboxItem>();
  #token: string | null;
  /** A token the socket handshake refused: the socket connects without it. */
  #refusedToken: string | null = null;
  #tokenSync: Promise<unknown> = Promise.resolve();
  /** Token hand-overs on their way: a `session:ended` sent before one arrived may be about the old token. */
  #handing = 0;
  /** Bumped whenever the view is reloaded, so late answers for an older view are dropped. */
  #generation = 0;
  #joined = false;
  #closed = false;
  #goLive!: () => void;
  /**
   * Resolves as soon as the live channel exists: it is made once the first page has loaded
   * (see #connect). Exists from the start, so tests and hosts can wait for it.
   */
  readonly live: Promise<void> = new Promise<void>((go) => (this.#goLive = go))
    // After the first page is painted: the task after the next frame (or 200 ms at most, since
    // a background tab draws no frames).
    .then(() => new Promise((go) => {
      requestAnimationFrame(() => setTimeout(go));
      setTimeout(go, 200);
    }))
    .then(() => this.#connect())
    // The chunk could not be fetched (offline, say): reading and posting still work over REST.
    .catch(() => this.#setConnection('offline'));

  readonly #opts: SessionOptions;
  /** The token the shown page was loaded with (pages carry the viewer's own held posts and marks). */
  #pageToken: string | null = null;
  readonly #host: SessionHost;

  constructor(opts: SessionOptions, host: SessionHost) {
    this.#opts = opts;
    this.#host = host;
    this.state = emptyState(opts.order === 'oldest' || opts.order === 'helpful' ? opts.order : 'newest');
    this.#token = opts.token || null;
    // Without a `server`, talk to the Parley that served this script (its /parley.js).
    const server = opts.server || new URL(import.meta.url).origin;
    this.api = new ParleyApi(server, opts.site);
    this.#server = server;
    addEventListener('online', this.#onOnline);
    addEventListener('offline', this.#onOffline);
    if (!navigator.onLine) this.connection = 'offline';
    // The socket does not exist yet: its handshake will carry the token.
    void this.setToken(this.#token);
    void this.load();
  }

  /**
   * The live channel, loaded after the first page is on screen: socket.io-client is a third of
   * the widget's code and the first render does not need it (the page comes over REST). Joining
   * with `since` = the page's rev catches up whatever was posted meanwhile; a post sent before
   * the socket is up goes over REST.
   */
  async #connect(): Promise<void> {
    if (this.refusal) return;
    const { RealtimeClient } = await import('./socket.js');
    if (this.#closed || this.refusal) return;
    const token = () => (this.#token === this.#refusedToken ? null : this.#token);
    /** The token the socket's latest handshake carried. */
    let sent: string | null = null;
    const realtime = (this.realtime = new RealtimeClient(this.#server, this.#opts.site, () => (sent = token())));
    const socket = realtime.socket;
    socket.on('connect', () => {
      this.#setConnection('connected');
      this.#joined = false;
      // A sign-in that came after the handshake left (while connecting, setToken cannot reach
      // the socket) would otherwise leave the socket anonymous: posts would be refused.
      if (sent !== token()) this.#handOver(token());
      void this.#join();
      this.#flush();
    });
    socket.on('disconnect', () => {
      this.#joined = false;
      this.#setConnection(socket.active && navigator.onLine ? 'reconnecting' : 'offline');
    });
    socket.on('connect_error', (err) => {
      const data = (err as Error & { data?: Failure }).data;
      const code = data?.error?.code;
      if (code === 'origin_not_allowed') return this.#refuse(data!);
      if (!socket.active && this.#token && (code === 'token_invalid' || code === 'unauthenticated')) {
        // The handshake refused the sign-in (expired, say): keep reading as a guest, and say so.
        this.#refusedToken = this.#token;
        this.viewer = null;
        this.signIn = 'invalid';
        socket.connect();
      }
      this.#setConnection(socket.active && navigator.onLine ? 'reconnecting' : 'offline');
    });
    socket.on(SOCKET_EVENTS.serverRestarting, () => this.#setConnection('reconnecting'));
    socket.on(SOCKET_EVENTS.sessionEnded, (msg) => this.#sessionEnded(msg));
    socket.on(SOCKET_EVENTS.postCreated, (msg) => this.#receive(msg?.post));
    socket.on(SOCKET_EVENTS.postUpdated, (msg) => this.#receive(msg?.post));
    socket.on(SOCKET_EVENTS.topicUpdated, (msg) => {
      if (msg?.topic?.id !== this.#opts.topic || this.status !== 'ready') return;
      this.topic = msg.topic;
      this.#host.changed();
    });
  }

  close(): void {
    this.#closed = true;
    removeEventListener('online', this.#onOnline);
    removeEventListener('offline', this.#onOffline);
    this.realtime?.close();
  }

  /**
   * (Re)load the first page: with the loading state (first load, Retry, order switch), or
   * `quietly` over what is shown (after a truncated catch-up; a failure then changes nothing).
   */
  async load(order: PageOrder = this.state.order, quietly = false): Promise<void> {
    if (!quietly) {
      this.status = 'loading';
      this.#host.changed();
    }
    const gen = ++this.#generation;
    const [site, page] = await Promise.all([
      this.site ?? this.api.site(),
      this.api.page(this.#opts.topic, { order, limit: this.#opts.pageSize }, this.#pageToken = this.#token),
    ]);
    if (gen !== this.#generation || this.#closed || (quietly && isFailure(page))) return;
    const refused = [site, page].find((r): r is Failure => isFailure(r) && r.error.code === 'origin_not_allowed');
    if (refused) {
      this.#refuse(refused);
    } else if (isFailure(site) || isFailure(page)) {
      this.status = 'error';
    } else {
      this.site = site;
      this.topic = page.topic;
      const fresh = mergePosts(emptyState(page.order), page.posts, { rev: page.topic.rev }).state;
      // What changed after the page was read (a post acknowledged, a live event received while
      // it was on its way) stays: the server sends neither again, the sender's own post never.
      const newer = [...this.state.posts.values()].filter((p) => p.rev > page.topic.rev);
      this.state = newer.length ? mergePosts(fresh, newer, { onlyInView: true }).state : fresh;
      this.nextCursor = page.nextCursor;
      this.more = 'idle';
      this.status = 'ready';
      void this.#join();
    }
    this.#host.changed();
    this.#goLive();
  }

  async loadMore(): Promise<void> {
    if (!this.nextCursor || this.more === 'loading') return;
    this.more = 'loading';
    this.#host.changed();
    const gen = this.#generation;
    const page = await this.api.page(this.#opts.topic, { order: this.state.order, cursor: this.nextCursor, limit: this.#opts.pageSize }, this.#token);
    if (gen !== this.#generation || this.#closed) return;
    if (isFailure(page)) {
      this.more = 'error';
    } else {
      this.more = 'idle';
      // Not the page's rev: a later page says nothing about newer posts we might have missed.
      this.state = mergePosts(this.state, page.posts).state;
      this.nextCursor = page.nextCursor;
    }
    this.#host.changed();
  }

  /**
   * Change the sign-in. A connected socket learns it at once (a connecting one on `connect`);
   * the viewer is fetched over REST.
   */
  async setToken(token: string | null): Promise<void> {
    const before = this.viewer?.id;
    this.#token = token;
    this.viewer = null;
    this.ended = null;
    if (token) this.endingHere = false;
    this.signIn = token ? 'checking' : 'none';
    this.#host.changed();
    if (this.realtime?.connected) this.#handOver(token);
    // Signed out: what was the previous viewer's alone (a held post) leaves the screen.
    if (!token && this.#pageToken && this.status === 'ready') void this.load(this.state.order, true);
    if (!token) return;
    const res = await this.api.me(token);
    if (this.#token !== token || this.#closed) return;
    if (!isFailure(res)) this.viewer = res.viewer;
    // Someone else now reads: the page they see includes what is theirs alone (their held posts,
    // their Helpful marks), so load it again quietly. A renewed token of the same person does not.
    if (!isFailure(res) && res.viewer.id !== before && this.#pageToken !== token && this.status === 'ready') void this.load(this.state.order, true);
    const code = isFailure(res) && res.error.code;
    // Refused: say so. On a network error, let the person write: the server judges the token when they post.
    this.signIn = code === 'token_invalid' || code === 'unauthenticated' ? 'invalid' : 'ok';
    this.#host.changed();
  }

  /** Hand a token to the open socket; posts wait for the hand-over (see #send). */
  #handOver(token: string | null): void {
    const realtime = this.realtime;
    if (!realtime) return;
    this.#handing++;
    this.#tokenSync = realtime.request(SOCKET_EVENTS.setToken, { token }).finally(() => this.#handing--);
  }

  /**
   * The server ended this socket's sign-in. Ignored while a new token is on its way (the
   * notice may be about the one it replaces: the server answers the hand-over for itself).
   */
  #sessionEnded(msg: SessionEnded | undefined): void {
    if (!this.#token || this.#handing > 0 || this.#closed) return;
    // Reconnects go without the token; a new one from the host or the Parley session signs in again.
    this.#refusedToken = this.#token;
    this.viewer = null;
    this.signIn = 'invalid';
    this.ended = msg?.reason ? { reason: msg.reason, message: String(msg.message ?? '') } : null;
    this.#host.changed();
  }

  /**
   * Queue a message from a composer and send it; `questionTo` addresses it to a company as a
   * question; `homepage` is the composer's honeypot, sent only when something filled it in.
   */
  submit(target: string, parent: string | null, body: string, questionTo?: string, homepage?: string): void {
    const input: CreatePostInput = { topic: this.#opts.topic, parent, body, idempotencyKey: newIdempotencyKey() };
    if (this.#opts.topicTitle) input.topicTitle = this.#opts.topicTitle;
    if (questionTo) input.questionTo = questionTo;
    if (homepage) input.homepage = homepage;
    // Issue 13: mail about this post links back to the page it was written on (without its
    // fragment, which may hold a sign-in link; the server keeps it only on the site's origins).
    const page = location.href.split('#')[0]!;
    if (/^https?:/.test(page) && page.length <= 2000) input.pageUrl = page;
    const item: OutboxItem = { input, target, inFlight: false };
    this.#outbox.set(input.idempotencyKey, item);
    this.pending.set(target, 'sending');
    this.#host.changed();
    void this.#send(item);
  }

  /** Show merged posts; those by someone other than the signed-in viewer are announced. */
  #show({ state, added }: { state: TopicState; added: Post[] }): void {
    this.state = state;
    const me = this.viewer?.id;
    const news = added.filter((p) => p.author.id !== me);
    if (news.length) this.#host.arrived(news);
    this.#host.changed();
  }

  async #join(): Promise<void> {
    const realtime = this.realtime;
    if (this.#joined || this.status !== 'ready' || !realtime?.connected) return;
    this.#joined = true;
    const gen = this.#generation;
    const res = await realtime.request(SOCKET_EVENTS.join, { topic: this.#opts.topic, since: this.state.sinceRev });
    if (this.#closed) return;
    if (isFailure(res)) {
      this.#joined = false;
      // No answer on a live socket: try again shortly (a dropped socket re-joins on 'connect').
      if (isTransportFailure(res)) setTimeout(() => this.#join(), 3000);
      // The socket is up but will not take us in: catch up over REST instead.
      else await this.#catchUpOverRest();
      return;
    }
    // A page reloaded meanwhile already shows everything up to its own rev.
    if (gen === this.#generation) this.#applyChanges(res);
  }

  async #catchUpOverRest(): Promise<void> {
    const gen = this.#generation;
    const res = await this.api.changes(this.#opts.topic, this.state.sinceRev);
    if (gen === this.#generation && !this.#closed && !isFailure(res)) this.#applyChanges(res);
  }

  /** Merge a catch-up; posts by others that are new to the screen are announced. */
  #applyChanges(changes: JoinResult): void {
    if (changes.truncated) {
      void this.load(this.state.order, true);
      return;
    }
    this.topic = changes.topic;
    this.#show(mergePosts(this.state, changes.posts, { onlyInView: true, rev: changes.topic.rev }));
  }

  #receive(post: Post | undefined): void {
    if (!post || post.topic !== this.#opts.topic || this.status !== 'ready') return;
    const merged = mergePosts(this.state, [post], { onlyInView: true });
    if (merged.state !== this.state) this.#show(merged);
  }

  #flush(): void {
    for (const item of this.#outbox.values()) void this.#send(item);
  }

  async #send(item: OutboxItem): Promise<void> {
    if (item.inFlight || this.#closed) return;
    item.inFlight = true;
    const token = this.#token;
    let res;
    if (!token) {
      res = failure('unauthenticated', 'Sign in to post.');
    } else if (this.realtime?.connected) {
      await this.#tokenSync;
      res = await this.realtime.request(SOCKET_EVENTS.createPost, item.input);
      // Connected but no answer: try once over REST (same key, so never twice).
      if (isFailure(res) && res.error.code === 'timeout') res = await this.api.createPost(token, item.input);
    } else {
      res = await this.api.createPost(token, item.input);
    }
    item.inFlight = false;
    const key = item.input.idempotencyKey;
    if (this.#closed || !this.#outbox.has(key)) return;
    if (isFailure(res) && isTransportFailure(res)) {
      this.pending.set(item.target, 'waiting');
      this.#host.changed();
      // Resent on the next 'connect' or 'online'. If the socket is already back, go now.
      if (this.realtime?.connected) setTimeout(() => this.#send(item), 2000);
      return;
    }
    this.#outbox.delete(key);
    if (![...this.#outbox.values()].some((i) => i.target === item.target)) this.pending.delete(item.target);
    if (isFailure(res)) {
      this.#host.rejected(item.target, res);
    } else {
      this.state = mergePosts(this.state, [res.post]).state;
      this.#host.sent(item.target, res.post);
    }
    this.#host.changed();
  }

  /** The server will never serve this page: say why, and stop trying (no socket, no retries). */
  #refuse(reason: Failure): void {
    this.refusal = reason;
    this.status = 'error';
    this.realtime?.close();
    this.#setConnection('refused');
    this.#host.changed();
  }

  #setConnection(connection: Connection): void {
    if (this.connection === connection || this.#closed) return;
    // Refused is final: no later event (offline, online, disconnect) turns it into a retry.
    if (this.connection === 'refused') return;
    this.connection = connection;
    this.#host.changed();
  }

  #onOnline = (): void => {
    if (this.refusal) return;
    if (this.realtime && !this.realtime.connected) {
      this.#setConnection('reconnecting');
      this.realtime.socket.connect();
    }
    this.#flush();
  };

  #onOffline = (): void => this.#setConnection('offline');
}
