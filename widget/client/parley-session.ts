/**
 * A Parley session of the widget's own, for readers the host site does not sign in: company
 * staff who proved their work address with an email link (`#parley-verify=<token>`), members
 * who signed in by email (a link `#parley-sign-in=<token>`, or a code typed into the sign-in
 * dialog: `adopt`), or with the site's OpenID Connect provider (`#parley-oidc=<ticket>`).
 *
 * - The link's token is posted to `/staff/verify` once and removed from the address bar
 *   (`history.replaceState`), so it is neither reused nor left in history or bookmarks.
 * - The **access token** (15 minutes) is kept in memory only and used for REST and the socket.
 * - The **refresh token** (30 days, single use, rotated on every refresh) is kept in
 *   `localStorage` under `parley-session:<server origin>:<site>`, so that a staff member stays
 *   signed in across page loads without a new email. Trade-off: any script running on the
 *   host page can read localStorage, so an XSS on the host site could steal it (an httpOnly
 *   cookie would not be readable, but the widget is embedded cross-site, where third-party
 *   cookies are blocked). The damage is bounded: the token is only valid for this site,
 *   rotation makes a stolen-and-used token visible (the real owner's next refresh fails and
 *   signs them out), and "Sign out everywhere" revokes every session at once.
 * - The access token is renewed a minute before it expires. A refused refresh signs out
 *   cleanly (the stored token is removed, listeners get `null` and a reason). Another tab
 *   may have rotated the token first: then the newer stored token is tried once.
 * - A link wins over a resume still in flight (a stored session being refreshed when the
 *   link is opened, say one that was since signed out everywhere): the refresh's answer waits
 *   for the link's, and once the link has signed in it is dropped. The stored token is only
 *   cleared or replaced by a refresh if it is still the one that refresh sent (compare and
 *   set), so a refused refresh never signs out a newer session, here or in another tab.
 * - One controller per server and site serves every widget on the page.
 */
import type { SessionTokens, Viewer } from '../../moderation/types.js';
import type { IdentityApi, SignInLink } from './identity-api.js';
import { isFailure, isTransportFailure, type Failure } from './outcome.js';
import { storedSession } from './session-key.js';

export type SessionEvent =
  | { type: 'signed-in'; token: string; viewer: Viewer; fresh: boolean }
  | { type: 'renewed'; token: string }
  | { type: 'ended'; reason: 'refresh-refused' | 'link-refused' | 'signed-out'; failure?: Failure };

export type SessionListener = (event: SessionEvent) => void;

/** Seconds before expiry at which the access token is renewed. */
const EARLY_SECONDS = 60;

export class ParleySessionController {
  accessToken: string | null = null;
  viewer: Viewer | null = null;
  readonly listeners = new Set<SessionListener>();
  #timer?: ReturnType<typeof setTimeout>;
  #started?: Promise<void>;
  #link?: string;
  /**
   * Bumped when a link signs in and when the session ends: the answer to a refresh sent
   * before then belongs to a session this device no longer uses, and is dropped.
   */
  #generation = 0;
  /** Settles once the link being verified has signed in (or been reported refused). */
  #verifying?: Promise<boolean>;

  constructor(
    readonly api: IdentityApi,
    readonly storageKey: string,
  ) {}

  /**
   * Verify an email link's token (each token once), or resume a stored session (once, until
   * the session ends). Widgets that join later wait for the same attempt.
   */
  start(link?: SignInLink): Promise<void> {
    if (link && link.token !== this.#link) {
      this.#link = link.token;
      this.#started = this.#verify(link, this.#started);
    }
    return (this.#started ??= this.#refresh(false));
  }

  /** Tokens obtained elsewhere (a one-time code typed into the sign-in dialog) become the session. */
  adopt(tokens: SessionTokens): void {
    this.#generation++;
    this.#started = Promise.resolve();
    this.#accept(tokens, true);
  }

  /**
   * Forget the session on this device (the server's sign-out is the caller's business).
   * `refused`: the refresh token the server refused; the stored one is removed only if it is
   * still that one (another tab may have stored a newer session meanwhile).
   */
  end(reason: 'signed-out' | 'refresh-refused' | 'link-refused' = 'signed-out', failure?: Failure, refused?: string): void {
    this.#generation++;
    clearTimeout(this.#timer);
    this.accessToken = null;
    this.viewer = null;
    if (!refused || storedSession(this.storageKey) === refused) this.#write(null);
    this.#started = undefined;
    this.#emit({ type: 'ended', reason, failure });
  }

  /** `before`: the attempt this link interrupts (a resume, perhaps still under way). */
  async #verify(link: SignInLink, before?: Promise<void>): Promise<void> {
    const verifying = (this.#verifying = this.#signInWithLink(link));
    const ok = await verifying;
    if (this.#verifying === verifying) this.#verifying = undefined;
    if (ok) return;
    // The session from before the link still stands: the resume already under way decides
    // about it (a second refresh of the same token would be refused), else the stored one.
    if (before) return before;
    if (storedSession(this.storageKey)) await this.#refresh(false);
  }

  async #signInWithLink(link: SignInLink): Promise<boolean> {
    const res = await this.api.redeem(link);
    if (isFailure(res)) {
      this.#emit({ type: 'ended', reason: 'link-refused', failure: res });
      return false;
    }
    // From now on this is the session: refresh answers still on their way are for the old one.
    this.#generation++;
    this.#accept(res, true);
    return true;
  }

  async #refresh(retried: boolean): Promise<void> {
    const generation = this.#generation;
    const used = storedSession(this.storageKey);
    if (!used) return;
    const res = await this.api.refresh(used);
    // A link being verified wins: whether this answer still counts depends on its outcome.
    await this.#verifying;
    if (generation !== this.#generation) return;
    if (!isFailure(res)) return this.#accept(res, this.accessToken === null, used);
    if (isTransportFailure(res)) {
      // The server could not be reached: keep the session and try again shortly.
      this.#schedule(20);
      return;
    }
    // Another tab rotated the token meanwhile: its successor is in storage.
    const now = storedSession(this.storageKey);
    if (!retried && now && now !== used) return this.#refresh(true);
    this.end('refresh-refused', res, used);
  }

  /** `used`: the refresh token these tokens were rotated from (none for a link). */
  #accept(tokens: SessionTokens, fresh: boolean, used?: string): void {
    this.accessToken = tokens.accessToken;
    this.viewer = tokens.viewer;
    // Replace the stored token only if it is still the one rotated, or was just removed (by
    // another tab's refusal of that same token, which lost to this rotation); a different
    // one is a newer session stored by another tab, which stays.
    const stored = used && storedSession(this.storageKey);
    if (!used || !stored || stored === used) this.#write(tokens.refreshToken);
    this.#schedule(Math.max(5, tokens.expiresIn - EARLY_SECONDS));
    this.#emit(fresh ? { type: 'signed-in', token: tokens.accessToken, viewer: tokens.viewer, fresh } : { type: 'renewed', token: tokens.accessToken });
  }

  #schedule(seconds: number): void {
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => void this.#refresh(false), seconds * 1000);
  }

  #write(value: string | null): void {
    try {
      if (value) localStorage.setItem(this.storageKey, value);
      else localStorage.removeItem(this.storageKey);
    } catch {
      // No storage: the session lasts as long as the page.
    }
  }

  #emit(event: SessionEvent): void {
    for (const listener of this.listeners) listener(event);
  }
}
