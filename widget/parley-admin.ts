/**
 * `<parley-admin site server token lang>`: the organisation's console (issue 15). Lazily loaded
 * by parley.js the first time the element appears; also served as a page by the Parley server at
 * `/admin/<site>` (server/http/admin-page.ts).
 *
 * - Attributes: `site` (required), `server` (default: the origin parley.js came from), `lang`.
 *   Property `token`: a Parley or host-site token, for a host page that signs its admins in
 *   itself. Without it the console uses Parley's own session (email or OpenID Connect sign-in,
 *   the same `<parley-sign-in>` dialog and stored session as the discussion).
 * - Sections, as a tab list (arrow keys, Home, End; the panel takes focus on Enter): Site, House
 *   rules, Companies, People, Settings, Reports, Data (widget/admin/*.ts).
 * - Whether the person may use it is the server's answer (`GET /admin`): anyone else sees "You
 *   need to be an admin of <site>" with a Sign in button. Every change goes through the same API
 *   as curl and the CLI, and lands in the public log as they do.
 * - Events: `parley-admin-section` `{section}` when the shown section changes.
 * - CSS custom properties: the widget's `--parley-*` (colours, radius, spacing, font).
 * - Language (issue 17): `lang`, else the nearest `lang` attribute, else the browser's; the frame
 *   (title, sign-in gate, section names) speaks en, nl, de, fr, ar (widget/i18n/admin.ts), and the
 *   element sets `dir` for Arabic.
 */
import { css, html, LitElement, nothing, type PropertyValues } from 'lit';
import type { SessionTokens, SignInOffer } from '../moderation/types.js';
import { AdminApi } from './admin/api.js';
import { adminStyles, describe } from './admin/base.js';
import { themeStyles } from './styles/tokens.js';
import { isFailure } from './client/outcome.js';
import { adminMessages, type AdminMessages } from './i18n/admin.js';
import { directionOf, translator } from './i18n/index.js';
import { sessionKey, storedSession } from './client/session-key.js';
import './admin/site.js';
import './admin/rules.js';
import './admin/companies.js';
import './admin/people.js';
import './admin/settings.js';
import './admin/reports.js';
import './admin/data.js';

export const ADMIN_SECTIONS = [
  ['site', 'adminSectionSite'],
  ['rules', 'adminSectionRules'],
  ['companies', 'adminSectionCompanies'],
  ['people', 'adminSectionPeople'],
  ['settings', 'adminSectionSettings'],
  ['reports', 'adminSectionReports'],
  ['data', 'adminSectionData'],
] as const satisfies ReadonlyArray<readonly [string, keyof AdminMessages]>;
export type AdminSectionId = (typeof ADMIN_SECTIONS)[number][0];

/** A single-use sign-in proof in the page's address (as `<parley-discussion>` reads it). */
function signInLinkIn(hash: string): { kind: 'email' | 'staff' | 'oidc'; token: string } | undefined {
  const m = /(?:^#|&)parley-(sign-in|verify|oidc)=([\w-]{20,200})(?:&|$)/.exec(hash);
  if (!m) return undefined;
  return { kind: m[1] === 'sign-in' ? 'email' : m[1] === 'verify' ? 'staff' : 'oidc', token: m[2]! };
}

export class ParleyAdmin extends LitElement {
  static override styles = [
    themeStyles,
    ...adminStyles,
    css`
      [role='tablist'] { display: flex; flex-wrap: wrap; gap: 0.25em; border-bottom: 2px solid var(--_border); margin: var(--_half) 0 var(--_space); padding: 0; }
      [role='tab'] { border: 1px solid var(--_border); border-bottom: none; border-radius: var(--_radius) var(--_radius) 0 0; background: var(--_surface); color: var(--_text); padding: 0.4em 0.8em; }
      [role='tab'][aria-selected='true'] { background: var(--_accent); color: var(--_accent-text); border-color: var(--_accent); font-weight: 600; }
      [role='tabpanel']:focus-visible { outline: 2px solid var(--_focus); outline-offset: 4px; }
      header { display: flex; flex-wrap: wrap; justify-content: space-between; align-items: baseline; gap: var(--_half); }
      h1 { font-size: 1.4em; margin: 0; }
    `,
  ];

  static override properties = {
    site: {},
    server: {},
    lang: {},
    token: {},
    topic: {},
    section: { state: true },
    state: { state: true },
    viewerName: { state: true },
    offer: { state: true },
    signingIn: { state: true },
    message: { state: true },
  };

  declare site: string;
  declare server: string;
  declare lang: string;
  declare token: string | null;
  /** Always empty: the console is not a topic, but the sign-in dialog reads the discussion's shape. */
  declare topic: string;
  declare section: AdminSectionId;
  /** What the server said about this person: not asked yet, no token, refused, or an admin. */
  declare state: 'loading' | 'signed-out' | 'refused' | 'admin' | 'failed';
  declare viewerName: string;
  declare offer: SignInOffer | null;
  declare signingIn: boolean;
  declare message: string;
  #api?: { key: string; api: AdminApi };
  #sessionStarted = false;

  constructor() {
    super();
    this.site = this.server = this.lang = this.topic = this.viewerName = this.message = '';
    this.token = null;
    this.section = 'site';
    this.state = 'loading';
    this.offer = null;
    this.signingIn = false;
  }

  get api(): AdminApi {
    const key = `${this.server} ${this.site}`;
    if (this.#api?.key !== key) this.#api = { key, api: new AdminApi(this.server, this.site) };
    return this.#api.api;
  }

  /** The sign-in dialog and the session registry hand the token over here. */
  setToken(token: string | null): void {
    this.token = token;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    // Parley's own session: a sign-in link in the address, or one stored on this device.
    if (this.token || this.#sessionStarted || !this.site) return;
    const link = signInLinkIn(location.hash);
    if (link || storedSession(sessionKey(this.server, this.site))) {
      this.#sessionStarted = true;
      void import('./parley-identity.js').then((m) => m.joinSession(this, link, this.#useToken));
    }
  }

  #useToken = (token: string | null): void => {
    this.token = token;
  };

  protected override willUpdate(changed: PropertyValues<this>): void {
    const dir = directionOf(this.#language);
    if (this.getAttribute('dir') !== dir) this.setAttribute('dir', dir);
    if (changed.has('token') || changed.has('site') || changed.has('server')) void this.#check();
  }

  /** Ask the server whether this token administers the site; the console never guesses. */
  async #check(): Promise<void> {
    if (!this.site) return;
    if (!this.token) {
      this.state = 'signed-out';
      return;
    }
    const [overview, me] = await Promise.all([this.api.overview(this.token), this.api.me(this.token)]);
    this.viewerName = isFailure(me) ? '' : me.viewer.name;
    if (!isFailure(overview)) this.state = 'admin';
    else if (['forbidden', 'unauthenticated', 'token_invalid'].includes(overview.error.code)) this.state = overview.error.code === 'forbidden' ? 'refused' : 'signed-out';
    else {
      this.state = 'failed';
      this.message = describe(overview).error;
    }
  }

  /** The console's language: its `lang`, the nearest one around it, else the browser's. */
  get #language(): string {
    return this.lang || this.closest<HTMLElement>('[lang]')?.lang || navigator.language;
  }

  get #t() {
    return translator(this.#language, adminMessages);
  }

  override render() {
    const t = this.#t;
    return html`<header>
        <h1>${t('adminConsole')} · <span data-site>${this.site}</span></h1>
        ${this.viewerName && this.state === 'admin' ? html`<p class="muted">${t('adminSignedInAs', { name: this.viewerName })}</p>` : nothing}
      </header>
      ${this.state === 'admin' ? this.#renderConsole() : this.#renderGate()}`;
  }

  #renderGate() {
    const t = this.#t;
    if (this.state === 'loading') return html`<p role="status" class="muted">${t('adminChecking')}</p>`;
    if (this.state === 'failed') return html`<p role="alert" class="error">${this.message}</p>`;
    return html`<section class="box" data-gate aria-labelledby="gate-title">
      <h2 id="gate-title">${t('adminGateTitle', { site: this.site })}</h2>
      <p>
        ${this.state === 'refused'
          ? this.viewerName ? t('adminGateRefusedNamed', { name: this.viewerName, site: this.site }) : t('adminGateRefused', { site: this.site })
          : t('adminGateSignedOut', { site: this.site })}
      </p>
      <div class="actions"><button type="button" class="primary" data-sign-in @click=${this.#openSignIn}>${t('adminSignIn')}</button></div>
      ${this.signingIn
        ? html`<parley-sign-in .discussion=${this} .offer=${this.offer} @parley-close=${this.#closeSignIn} @parley-signed-in=${this.#onSignedIn}></parley-sign-in>`
        : nothing}
    </section>`;
  }

  #openSignIn = async (): Promise<void> => {
    const [, site] = await Promise.all([import('./parley-identity.js'), this.api.publicSite()]);
    if (isFailure(site)) {
      this.state = 'failed';
      this.message = describe(site).error;
      return;
    }
    this.offer = site.signIn;
    this.signingIn = true;
  };

  #closeSignIn = async (): Promise<void> => {
    this.signingIn = false;
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>('[data-sign-in]')?.focus();
  };

  #onSignedIn = (e: CustomEvent<{ tokens: SessionTokens }>): void => {
    this.signingIn = false;
    this.#sessionStarted = true;
    void import('./parley-identity.js').then((m) => m.adoptSession(this, e.detail.tokens, this.#useToken));
  };

  #renderConsole() {
    const token = this.token!;
    const t = this.#t;
    return html`<div role="tablist" aria-label=${t('adminSections')} @keydown=${this.#onTabKey}>
        ${ADMIN_SECTIONS.map(
          ([id, label]) => html`<button type="button" role="tab" id=${`tab-${id}`} aria-controls=${`panel-${id}`} aria-selected=${String(this.section === id)}
            tabindex=${this.section === id ? '0' : '-1'} data-tab=${id} @click=${() => this.#show(id)}>${t(label)}</button>`,
        )}
      </div>
      <div role="tabpanel" id=${`panel-${this.section}`} aria-labelledby=${`tab-${this.section}`} tabindex="0" data-panel=${this.section}>
        ${this.#renderSection(this.section, token)}
      </div>`;
  }

  #renderSection(id: AdminSectionId, token: string) {
    const api = this.api;
    switch (id) {
      case 'site': return html`<parley-admin-site .api=${api} .token=${token} lang=${this.#language}></parley-admin-site>`;
      case 'rules': return html`<parley-admin-rules .api=${api} .token=${token} lang=${this.#language}></parley-admin-rules>`;
      case 'companies': return html`<parley-admin-companies .api=${api} .token=${token} lang=${this.#language}></parley-admin-companies>`;
      case 'people': return html`<parley-admin-people .api=${api} .token=${token} lang=${this.#language}></parley-admin-people>`;
      case 'settings': return html`<parley-admin-settings .api=${api} .token=${token} lang=${this.#language}></parley-admin-settings>`;
      case 'reports': return html`<parley-admin-reports .api=${api} .token=${token} lang=${this.#language}></parley-admin-reports>`;
      case 'data': return html`<parley-admin-data .api=${api} .token=${token} lang=${this.#language}></parley-admin-data>`;
    }
  }

  async #show(id: AdminSectionId, focusTab = false): Promise<void> {
    if (this.section !== id) {
      this.section = id;
      this.dispatchEvent(new CustomEvent('parley-admin-section', { detail: { section: id }, bubbles: true, composed: true }));
    }
    await this.updateComplete;
    if (focusTab) this.renderRoot.querySelector<HTMLElement>(`#tab-${id}`)?.focus();
  }

  /** The tab list's keys (WAI-ARIA tabs pattern, automatic activation). */
  #onTabKey = (e: KeyboardEvent): void => {
    const ids = ADMIN_SECTIONS.map(([id]) => id);
    const at = ids.indexOf(this.section);
    // Right to left, the next tab is on the left.
    const forward = this.getAttribute('dir') === 'rtl' ? 'ArrowLeft' : 'ArrowRight';
    const back = forward === 'ArrowLeft' ? 'ArrowRight' : 'ArrowLeft';
    const next =
      e.key === forward ? ids[(at + 1) % ids.length]
      : e.key === back ? ids[(at - 1 + ids.length) % ids.length]
      : e.key === 'Home' ? ids[0]
      : e.key === 'End' ? ids[ids.length - 1]
      : undefined;
    if (next) {
      e.preventDefault();
      void this.#show(next, true);
    } else if (e.key === 'Enter' && (e.target as HTMLElement).getAttribute('role') === 'tab') {
      // Enter moves into the section; Tab would too, Enter saves a keystroke.
      e.preventDefault();
      this.renderRoot.querySelector<HTMLElement>('[role="tabpanel"]')?.focus();
    }
  };
}

if (!customElements.get('parley-admin')) customElements.define('parley-admin', ParleyAdmin);

declare global {
  interface HTMLElementTagNameMap {
    'parley-admin': ParleyAdmin;
  }
}
