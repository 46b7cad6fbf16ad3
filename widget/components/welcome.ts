/**
 * `<parley-welcome>`: a member who signed in by email or OpenID Connect (`viewer.needsWelcome`)
 * chooses the name they post under, reads that posts are public and that health details are
 * sensitive (requirement G-2), and accepts the house rules (linked) before their first post:
 * `POST /me/welcome {displayName, acceptRules: true, rulesVersion}` with the version of the
 * rules in force (`GET /rules`). The server's refusals (a name imitating staff or a company,
 * rules changed meanwhile) are shown next to the field they concern.
 * Rendered by `<parley-discussion>` in place of its composer; lazily loaded (parley-identity.ts).
 *
 * Properties: `token` (the member's access token), `rulesUrl` (the site's rules page, if any),
 *   plus those of every identity element (`discussion`).
 * Events: `parley-welcomed` `{ viewer }`: the member may post now.
 * CSS parts: `panel`, `button`.
 */
import { html, nothing } from 'lit';
import type { Viewer } from '../../moderation/types.js';
import { LIMITS } from '../../moderation/limits.js';
import { isFailure } from '../client/outcome.js';
import { IdentityElement, identityStyles } from './identity-base.js';

export class ParleyWelcome extends IdentityElement {
  static override styles = identityStyles;

  static override properties = {
    token: { attribute: false },
    rulesUrl: { attribute: false },
    version: { state: true },
    busy: { state: true },
    error: { state: true },
    field: { state: true },
  };

  declare token: string | null;
  declare rulesUrl: string | null;
  declare version: number | null;
  declare busy: boolean;
  declare error: string;
  /** The field the error concerns ('displayName', 'acceptRules', 'rulesVersion'), if any. */
  declare field: string;

  constructor() {
    super();
    this.token = this.rulesUrl = this.version = null;
    this.busy = false;
    this.error = this.field = '';
  }

  override connectedCallback(): void {
    super.connectedCallback();
    void this.#loadRules();
  }

  override firstUpdated(): void {
    this.renderRoot.querySelector<HTMLInputElement>('#welcome-name')?.focus();
  }

  async #loadRules(): Promise<void> {
    const res = await this.api.rules();
    if (isFailure(res)) this.error = this.t('loadFailed');
    else this.version = res.version;
  }

  async #submit(e: SubmitEvent): Promise<void> {
    e.preventDefault();
    if (this.busy || !this.token || this.version === null) return;
    const form = e.target as HTMLFormElement;
    const displayName = (form.elements.namedItem('displayName') as HTMLInputElement).value;
    const accepted = (form.elements.namedItem('acceptRules') as HTMLInputElement).checked;
    this.busy = true;
    this.error = this.field = '';
    const res = await this.api.welcome(this.token, { displayName, acceptRules: accepted as true, rulesVersion: this.version });
    this.busy = false;
    if (isFailure(res)) {
      const { code, message, issues } = res.error;
      this.error = code === 'network' || code === 'timeout' || code === 'internal' ? this.t('failed') : message;
      this.field = issues?.[0]?.path ?? '';
      // The rules changed while the form was open: take the new version (the link shows them).
      if (this.field === 'rulesVersion') void this.#loadRules();
      await this.updateComplete;
      this.renderRoot.querySelector<HTMLElement>(this.field === 'acceptRules' ? '#welcome-accept' : '#welcome-name')?.focus();
      return;
    }
    this.dispatchEvent(new CustomEvent<{ viewer: Viewer }>('parley-welcomed', { detail: { viewer: res.viewer }, bubbles: true, composed: true }));
  }

  override render() {
    const t = this.t;
    const site = this.siteName;
    const rulesUrl = this.rulesUrl && /^https?:/i.test(this.rulesUrl) ? this.rulesUrl : `${this.api.base}/rules`;
    const nameError = this.error && this.field !== 'acceptRules';
    return html`<section part="panel" class="box" aria-labelledby="welcome-heading">
      <h2 id="welcome-heading">${site ? t('welcomeHeading', { site }) : t('welcomeHeadingNoSite')}</h2>
      <form @submit=${this.#submit}>
        <label for="welcome-name">${t('chooseName')}</label>
        <p class="muted" id="welcome-name-hint">${t('chooseNameHint')}</p>
        <input id="welcome-name" name="displayName" type="text" autocomplete="nickname" required minlength="2" maxlength=${LIMITS.displayNameMaxChars}
          aria-describedby=${nameError ? 'welcome-name-hint welcome-error' : 'welcome-name-hint'} aria-invalid=${nameError ? 'true' : 'false'}>
        <div class="note" id="welcome-notice" data-notice>
          <p>${t('publicNotice')}</p>
          <p>${t('healthNotice')}</p>
        </div>
        <p><a href=${rulesUrl} target="_blank" rel="noopener" data-rules>${t('readRules')}</a></p>
        <label class="check">
          <input id="welcome-accept" name="acceptRules" type="checkbox" required aria-describedby="welcome-notice"
            aria-invalid=${this.error && this.field === 'acceptRules' ? 'true' : 'false'}>
          ${t('acceptRules')}
        </label>
        <button part="button" class="primary" type="submit" aria-disabled=${this.busy || this.version === null ? 'true' : 'false'}>
          ${this.version === null && !this.error ? t('rulesLoading') : this.busy ? t('sending') : t('startPosting')}
        </button>
      </form>
      <p class="error" id="welcome-error" role="alert">${this.error || nothing}</p>
    </section>`;
  }
}
