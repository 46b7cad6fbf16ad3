/**
 * `<parley-sign-in>`: the widget's own sign-in dialog (issue 12), opened by `<parley-discussion>`
 * when the reader presses "Sign in" and the host page did not take over (it did not call
 * `preventDefault()` on `parley-sign-in-requested`). It offers the site's methods
 * (`GET /api/sites/{site}` → `signIn`):
 * - `email`: the reader's address → `POST /sign-in/email` with `returnUrl` = this page → "check
 *   your mail" and a field for the 6-digit code (for mail read on another device) →
 *   `POST /sign-in/email/code`. The link in the mail comes back to this page as
 *   `#parley-sign-in=<token>`, which `<parley-discussion>` handles on load.
 * - `oidc`: "Sign in with <oidcName>", which navigates to the provider through
 *   `/sign-in/oidc/start?returnUrl=<this page>`; it comes back as `#parley-oidc=<ticket>`.
 * - `staff` (companies take part): "I work for a company taking part" opens the staff form.
 *
 * A modal `<dialog>` labelled by its heading; focus starts in the first field; Escape or Close
 * closes it and fires `parley-close` (the discussion returns focus to its Sign in button).
 * A code that signs in fires `parley-signed-in` `{ tokens }` and closes the dialog.
 * Lazily loaded with the identity chunk (parley-identity.ts).
 *
 * Properties: `offer` (SignInOffer), plus those of every identity element (`discussion`);
 *   `oidcStartUrl` (read-only): where the OpenID Connect button navigates.
 * CSS parts: `dialog`, `button`.
 */
import { css, html, nothing } from 'lit';
import type { SessionTokens, SignInOffer } from '../../moderation/types.js';
import { isFailure, type Failure } from '../client/outcome.js';
import { IdentityElement, identityStyles } from './identity-base.js';

const dialogStyles = css`
  dialog { max-width: min(32rem, 92vw); border: 1px solid var(--_border); border-radius: var(--_radius); color: var(--_text); background: var(--_bg); padding: var(--_space); }
  dialog::backdrop { background: rgb(0 0 0 / 0.4); }
  .head { display: flex; justify-content: space-between; align-items: start; gap: var(--_space); }
  input[inputmode='numeric'] { font: inherit; letter-spacing: 0.2em; width: 8em; padding: 0.3em 0.5em; border: 1px solid var(--_border); border-radius: var(--_radius); }
  hr { border: none; border-top: 1px solid var(--_border); margin: var(--_space) 0; }
`;

export class ParleySignIn extends IdentityElement {
  static override styles = [...identityStyles, dialogStyles];

  static override properties = {
    offer: { attribute: false },
    sentTo: { state: true },
    minutes: { state: true },
    busy: { state: true },
    error: { state: true },
    staff: { state: true },
  };

  declare offer: SignInOffer | null;
  declare sentTo: string | null;
  declare minutes: number;
  declare busy: boolean;
  declare error: string;
  declare staff: boolean;

  constructor() {
    super();
    this.offer = null;
    this.sentTo = null;
    this.minutes = 15;
    this.busy = this.staff = false;
    this.error = '';
  }

  protected override firstUpdated(): void {
    const dialog = this.renderRoot.querySelector('dialog')!;
    if (!dialog.open) dialog.showModal();
    this.renderRoot.querySelector<HTMLElement>('input, button[data-oidc]')?.focus();
  }

  close(): void {
    this.renderRoot.querySelector('dialog')?.close();
  }

  #failed(res: Failure): string {
    const { code, message } = res.error;
    return code === 'network' || code === 'timeout' || code === 'internal' ? this.t('failed') : message;
  }

  async #sendMail(e: SubmitEvent): Promise<void> {
    e.preventDefault();
    if (this.busy) return;
    const email = (this.renderRoot.querySelector<HTMLInputElement>('#sign-in-email')!).value.trim();
    this.busy = true;
    this.error = '';
    const res = await this.api.requestMemberSignIn({ email, returnUrl: location.href.split('#')[0]!, lang: this.language });
    this.busy = false;
    if (isFailure(res)) {
      this.error = this.#failed(res);
      return;
    }
    this.sentTo = email;
    this.minutes = res.expiresInMinutes;
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLInputElement>('#sign-in-code')?.focus();
  }

  async #useCode(e: SubmitEvent): Promise<void> {
    e.preventDefault();
    if (this.busy || !this.sentTo) return;
    const code = (this.renderRoot.querySelector<HTMLInputElement>('#sign-in-code')!).value;
    this.busy = true;
    this.error = '';
    const res = await this.api.signInWithCode(this.sentTo, code);
    this.busy = false;
    if (isFailure(res)) {
      this.error = this.#failed(res);
      this.renderRoot.querySelector<HTMLInputElement>('#sign-in-code')?.focus();
      return;
    }
    this.dispatchEvent(new CustomEvent<{ tokens: SessionTokens }>('parley-signed-in', { detail: { tokens: res } }));
    this.close();
  }

  async #otherAddress(): Promise<void> {
    this.sentTo = null;
    this.error = '';
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLInputElement>('#sign-in-email')?.focus();
  }

  /** Where "Sign in with <provider>" goes: the server's start URL, coming back to this page. */
  get oidcStartUrl(): string {
    const start = new URL(`${this.api.base}/sign-in/oidc/start`);
    start.searchParams.set('returnUrl', location.href.split('#')[0]!);
    return start.toString();
  }

  #oidc(): void {
    location.assign(this.oidcStartUrl);
  }

  #renderEmail() {
    const t = this.t;
    if (!this.sentTo) {
      return html`<form @submit=${this.#sendMail} data-email-form>
        <p class="muted">${t('signInEmailExplain')}</p>
        <label for="sign-in-email">${t('email')}</label>
        <input id="sign-in-email" name="email" type="email" autocomplete="email" required maxlength="254"
          aria-describedby=${this.error ? 'sign-in-error' : nothing} aria-invalid=${this.error ? 'true' : 'false'}>
        <button part="button" class="primary" type="submit" aria-disabled=${this.busy ? 'true' : 'false'}>${this.busy ? t('sending') : t('sendSignIn')}</button>
      </form>`;
    }
    return html`<p class="ok" role="status" data-sent>${t('mailSent', { email: this.sentTo, minutes: this.minutes })}</p>
      <form @submit=${this.#useCode} data-code-form>
        <label for="sign-in-code">${t('codeLabel')}</label>
        <p class="muted" id="code-hint">${t('codeHint')}</p>
        <input id="sign-in-code" name="code" type="text" inputmode="numeric" autocomplete="one-time-code" required maxlength="7"
          pattern="[0-9 ]{6,7}" aria-describedby=${this.error ? 'code-hint sign-in-error' : 'code-hint'} aria-invalid=${this.error ? 'true' : 'false'}>
        <div class="actions">
          <button part="button" class="primary" type="submit" aria-disabled=${this.busy ? 'true' : 'false'}>${this.busy ? t('sending') : t('useCode')}</button>
          <button part="button" type="button" data-other @click=${this.#otherAddress}>${t('otherAddress')}</button>
        </div>
      </form>`;
  }

  override render() {
    const t = this.t;
    const methods = this.offer?.methods ?? [];
    const email = methods.includes('email');
    const oidc = methods.includes('oidc');
    return html`<dialog part="dialog" aria-labelledby="sign-in-title" @close=${() => this.dispatchEvent(new CustomEvent('parley-close'))}>
      <div class="head">
        <h2 id="sign-in-title">${t('signInHeading')}</h2>
        <button part="button" type="button" data-close @click=${() => this.close()}>${t('close')}</button>
      </div>
      ${email ? this.#renderEmail() : nothing}
      <p class="error" id="sign-in-error" role="alert">${this.error || nothing}</p>
      ${oidc
        ? html`${email ? html`<hr>` : nothing}
            <button part="button" class=${email ? '' : 'primary'} type="button" data-oidc @click=${this.#oidc}>
              ${this.offer?.oidcName ? t('signInWith', { name: this.offer.oidcName }) : t('signInWithProvider')}
            </button>`
        : nothing}
      ${this.offer?.staff
        ? html`<hr>
            <button part="button" class="link" type="button" data-staff aria-expanded=${this.staff} @click=${() => (this.staff = !this.staff)}>${t('staffLink')}</button>
            ${this.staff ? html`<parley-staff-sign-in .discussion=${this.discussion}></parley-staff-sign-in>` : nothing}`
        : nothing}
    </dialog>`;
  }
}
