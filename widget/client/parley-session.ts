/**
 * A Parley session of the widget's own, for readers the host site does not sign in: company
 * staff who proved their work address with an email link (`#parley-verify=<token>`).
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
 * - One controller per server and site serves every widget on the page.
 */
import type { SessionTokens, Viewer } from '../../moderation/types.js';
import type { IdentityApi } from './identity-api.js';
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

  constructor(
    readonly api: IdentityApi,
    readonly storageKey: string,
  ) {}

  /**
   * Verify an email link's token (each token once), or resume a stored session (once, until
   * the session ends). Widgets that join later wait for the same attempt.
   */
  start(linkToken?: string): Promise<void> {
    if (linkToken && linkToken !== this.#link) {
      this.#link = linkToken;
      this.#started = this.#verify(linkToken);
    }
    return (this.#started ??= this.#refresh(false));
  }

  /** Forget the session on this device (the server's sign-out is the caller's business). */
  end(reason: 'signed-out' | 'refresh-refused' | 'link-refused' = 'signed-out', failure?: Failure): void {
    clearTimeout(this.#timer);
    this.accessToken = null;
    this.viewer = null;
    this.#write(null);
    this.#started = undefined;
    this.#emit({ type: 'ended', reason, failure });
  }

  async #verify(linkToken: string): Promise<void> {
    const res = await this.api.verifyEmailLink(linkToken);
    if (isFailure(res)) {
      // A stored session (from an earlier visit) still stands; the failed link is reported.
      this.#emit({ type: 'ended', reason: 'link-refused', failure: res });
      if (storedSession(this.storageKey)) await this.#refresh(false);
      return;
    }
    this.#accept(res, true);
  }

  async #refresh(retried: boolean): Promise<void> {
    const used = storedSession(this.storageKey);
    if (!used) return;
    const res = await this.api.refresh(used);
    if (!isFailure(res)) return this.#accept(res, this.accessToken === null);
    if (isTransportFailure(res)) {
      // The server could not be reached: keep the session and try again shortly.
      this.#schedule(20);
      return;
    }
    // Another tab rotated the token meanwhile: its successor is in storage.
    const now = storedSession(this.storageKey);
    if (!retried && now && now !== used) return this.#refresh(true);
    this.end('refresh-refused', res);
  }

  #accept(tokens: SessionTokens, fresh: boolean): void {
    this.accessToken = tokens.accessToken;
    this.viewer = tokens.viewer;
    this.#write(tokens.refreshToken);
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
