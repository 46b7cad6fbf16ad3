/**
 * REST calls of the identity parts (lazily loaded): the public register, who takes part,
 * sessions, staff email proof and the reader's own account. Like `ParleyApi`, never throws:
 * every call resolves to the value or a `Failure`.
 */
import type { CompanyInfo, CompanyPresence, SessionTokens, TopicParticipants, Viewer } from '../../moderation/types.js';
import { failure, isFailure, type Outcome } from './outcome.js';

export interface EmailLinkRequest {
  email: string;
  name: string;
  jobTitle: string;
  returnUrl: string;
}

/**
 * A single-use proof found in the page's address (issue 12): a staff email link
 * (`#parley-verify=`), a member's email link (`#parley-sign-in=`), or an OpenID Connect
 * ticket (`#parley-oidc=`). Each is exchanged once for a Parley session.
 */
export interface SignInLink {
  kind: 'staff' | 'email' | 'oidc';
  token: string;
}

export class IdentityApi {
  readonly #base: string;

  /** `server` empty: the origin this script was loaded from. */
  constructor(server: string, site: string) {
    this.#base = `${(server || new URL(import.meta.url).origin).replace(/\/+$/, '')}/api/sites/${encodeURIComponent(site)}`;
  }

  /** `…/api/sites/{site}`: where the site's routes start (the OpenID Connect start URL is built on it). */
  get base(): string {
    return this.#base;
  }

  company(id: string): Promise<Outcome<CompanyInfo>> {
    return this.#json('GET', `/companies/${encodeURIComponent(id)}`);
  }

  /** A company's presence over time (issue 6): weekly activity, answer time, steadiness. */
  presence(id: string): Promise<Outcome<CompanyPresence>> {
    return this.#json('GET', `/companies/${encodeURIComponent(id)}/presence`);
  }

  participants(topic: string): Promise<Outcome<TopicParticipants>> {
    return this.#json('GET', `/topics/${encodeURIComponent(topic)}/participants`);
  }

  verifyEmailLink(token: string): Promise<Outcome<SessionTokens>> {
    return this.#json('POST', '/staff/verify', { body: { token } });
  }

  /** Exchanges a link's token (or an OpenID Connect ticket) for a session. */
  redeem(link: SignInLink): Promise<Outcome<SessionTokens>> {
    if (link.kind === 'staff') return this.verifyEmailLink(link.token);
    if (link.kind === 'oidc') return this.#json('POST', '/sign-in/oidc/complete', { body: { ticket: link.token } });
    return this.#json('POST', '/sign-in/email/verify', { body: { token: link.token } });
  }

  /** A member asks for a sign-in link and code by email (the same answer for any address). */
  requestMemberSignIn(input: { email: string; returnUrl: string; lang?: string }): Promise<Outcome<{ sent: true; expiresInMinutes: number }>> {
    return this.#json('POST', '/sign-in/email', { body: input });
  }

  signInWithCode(email: string, code: string): Promise<Outcome<SessionTokens>> {
    return this.#json('POST', '/sign-in/email/code', { body: { email, code } });
  }

  /** The house rules in force (their version is what a new member accepts). */
  rules(): Promise<Outcome<{ version: number }>> {
    return this.#json('GET', '/rules');
  }

  welcome(token: string, input: { displayName: string; acceptRules: true; rulesVersion: number }): Promise<Outcome<{ viewer: Viewer }>> {
    return this.#json('POST', '/me/welcome', { token, body: input });
  }

  refresh(refreshToken: string): Promise<Outcome<SessionTokens>> {
    return this.#json('POST', '/session/refresh', { body: { refreshToken } });
  }

  requestEmailLink(input: EmailLinkRequest): Promise<Outcome<{ sent: true; expiresInMinutes: number; company: string }>> {
    return this.#json('POST', '/staff/email-link', { body: input });
  }

  me(token: string): Promise<Outcome<{ viewer: Viewer }>> {
    return this.#json('GET', '/me', { token });
  }

  rename(token: string, displayName: string): Promise<Outcome<{ ok: true; displayName: string }>> {
    return this.#json('PATCH', '/me', { token, body: { displayName } });
  }

  requestNameChange(token: string, input: { displayName?: string; jobTitle?: string; reason: string }): Promise<Outcome<{ request: unknown }>> {
    return this.#json('POST', '/me/name-change', { token, body: input });
  }

  /** The export as a Blob (it is served as an attachment), with the server's file name. */
  async exportData(token: string): Promise<Outcome<{ blob: Blob; fileName: string }>> {
    const res = await this.#fetch('GET', '/me/export', { token });
    if (isFailure(res)) return res;
    if (!res.ok) return this.#failureOf(res);
    const text = await res.text();
    // Content-Disposition is not readable cross-origin unless the server exposes it: the
    // server's own name is used when it is, otherwise the same name is built from the site.
    let site = 'parley';
    try {
      site = (JSON.parse(text) as { site?: string }).site ?? site;
    } catch {
      // Not JSON after all: still offered as the download.
    }
    const name = /filename="([^"]+)"/.exec(res.headers.get('content-disposition') ?? '')?.[1] ?? `parley-${site}-my-data.json`;
    return { blob: new Blob([text], { type: 'application/json' }), fileName: name };
  }

  deleteAccount(token: string, removePosts: boolean): Promise<Outcome<{ ok: true; postsChanged: number }>> {
    return this.#json('DELETE', '/me', { token, body: { confirm: 'delete my account', removePosts } });
  }

  signOutEverywhere(token: string): Promise<Outcome<{ revoked: number }>> {
    return this.#json('POST', '/session/sign-out-everywhere', { token });
  }

  async #json<T>(method: string, path: string, opts: { token?: string; body?: unknown } = {}): Promise<Outcome<T>> {
    const res = await this.#fetch(method, path, opts);
    if (isFailure(res)) return res;
    if (!res.ok) return this.#failureOf(res);
    return ((await res.json().catch(() => null)) as T | null) ?? failure('internal', `HTTP ${res.status}`);
  }

  async #failureOf(res: Response) {
    const data: unknown = await res.json().catch(() => null);
    if (isFailure(data)) return data;
    return failure(res.status >= 502 && res.status <= 504 ? 'network' : 'internal', `HTTP ${res.status}`);
  }

  async #fetch(method: string, path: string, opts: { token?: string; body?: unknown }) {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (opts.token) headers.authorization = `Bearer ${opts.token}`;
    if (opts.body !== undefined) headers['content-type'] = 'application/json';
    try {
      return await fetch(this.#base + path, {
        method,
        headers,
        body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
        signal: AbortSignal.timeout(15_000),
      });
    } catch (err) {
      return failure((err as Error)?.name === 'TimeoutError' ? 'timeout' : 'network', String(err));
    }
  }
}
