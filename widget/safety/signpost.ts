/**
 * `<parley-safety-signpost>`: the private note under a member's own post that may describe a
 * side effect (issue 6). Only its author ever gets it (the server answers `GET /safety/my-flags`
 * with the signed-in member's own flags only). It says, kindly:
 * - the message stays exactly as written;
 * - they can report the side effect themself to their country's scheme (Yellow Card, Lareb,
 *   BfArM, … chosen by the server from the page's country; the others in a disclosure);
 * - and asks whether the company's safety team may contact them through the host organisation
 *   (`POST /safety/flags/{id}/consent`); the saved answer shows and can be changed.
 * It is a polite status region next to the post, never a dialog, and can be hidden.
 *
 * Properties: `flag` (MySafetyFlagView), `api`, `token`, `lang`, `site` (the host's name).
 * Events (bubbling, composed): `parley-safety-mine` with the updated flag after an answer;
 * `parley-safety-hide` with the flag id when the member hides the note.
 * CSS parts: `button`, `link`.
 */
import { html, LitElement, nothing } from 'lit';
import type { MySafetyFlagView } from '../../moderation/safety.js';
import { isFailure } from '../client/outcome.js';
import { controlStyles } from '../styles/controls.js';
import type { SafetyApi } from './api.js';
import { httpUrl, noteStyles, safetyTranslator } from './shared.js';

export class ParleySafetySignpost extends LitElement {
  static override styles = [controlStyles, noteStyles];
  static override properties = {
    flag: { attribute: false },
    api: { attribute: false },
    token: { attribute: false },
    lang: {},
    site: {},
    busy: { state: true },
    error: { state: true },
  };

  declare flag?: MySafetyFlagView;
  declare api?: SafetyApi;
  declare token: string | null;
  declare lang: string;
  declare site: string;
  declare busy: boolean;
  declare error: string;

  constructor() {
    super();
    this.token = null;
    this.lang = 'en';
    this.site = '';
    this.busy = false;
    this.error = '';
  }

  override render() {
    const f = this.flag;
    if (!f) return nothing;
    const t = safetyTranslator(this.lang);
    const s = f.signpost;
    const company = f.company.name;
    const site = this.site || t('signpostHost');
    const others = s.otherSchemes.filter((o) => httpUrl(o.url));
    return html`<div class="note" role="status" aria-label=${t('signpostLabel')} data-signpost=${f.id}>
      <p><strong>${t('signpostPrivate')}</strong> ${t('signpostIntro', { products: f.products.join(', ') })}</p>
      <p data-scheme>${t('signpostReport')} ${this.#scheme(s.scheme.name, s.scheme.url, t('signpostNewTab'))}. ${t('signpostReportWhy')}</p>
      ${others.length
        ? html`<details>
            <summary>${t('signpostOthers')}</summary>
            <ul>${others.map((o) => html`<li>${this.#scheme(o.name, o.url, t('signpostNewTab'))}</li>`)}</ul>
          </details>`
        : nothing}
      ${f.contactConsent === null
        ? html`<p id="question">${t('signpostQuestion', { company, site })}</p>
            <div class="actions" role="group" aria-labelledby="question">
              <button part="button" type="button" class="primary" data-consent="yes" aria-disabled=${this.busy ? 'true' : 'false'} @click=${() => this.#answer(true)}>${t('signpostYes')}</button>
              <button part="button" type="button" data-consent="no" aria-disabled=${this.busy ? 'true' : 'false'} @click=${() => this.#answer(false)}>${t('signpostNo')}</button>
            </div>`
        : html`<p class="ok" data-consent-saved tabindex="-1">${t(f.contactConsent ? 'signpostSavedYes' : 'signpostSavedNo', { company, site })}</p>`}
      ${this.busy ? html`<p class="muted">${t('signpostSaving')}</p>` : nothing}
      ${this.error ? html`<p class="error" role="alert">${this.error}</p>` : nothing}
      <div class="actions">
        ${f.contactConsent === null
          ? nothing
          : html`<button part="button" type="button" class="link" data-consent=${f.contactConsent ? 'no' : 'yes'} aria-disabled=${this.busy ? 'true' : 'false'}
              @click=${() => this.#answer(!f.contactConsent)}>${t(f.contactConsent ? 'signpostChangeToNo' : 'signpostChangeToYes')}</button>`}
        <button part="button" type="button" class="link" data-hide @click=${this.#hide}>${t('signpostHide')}</button>
      </div>
    </div>`;
  }

  /** A scheme's name, linked only when the server gave an http(s) URL (set as an attribute by Lit, never as HTML). */
  #scheme(name: string, url: string, newTab: string) {
    const href = httpUrl(url);
    return href
      ? html`<a part="link" href=${href} target="_blank" rel="noopener noreferrer">${name}</a> <span class="muted">${newTab}</span>`
      : name;
  }

  async #answer(contact: boolean): Promise<void> {
    const f = this.flag;
    if (!f || this.busy || !this.api || !this.token) return;
    this.busy = true;
    this.error = '';
    const res = await this.api.consent(f.id, contact, this.token);
    this.busy = false;
    if (isFailure(res)) {
      this.error = safetyTranslator(this.lang)('signpostFailed', { message: res.error.message });
      return;
    }
    // Keep the scheme this note was shown with (the answer's signpost is chosen without the page's country).
    const next: MySafetyFlagView = { ...f, contactConsent: res.flag.contactConsent, consentAt: res.flag.consentAt, forwarded: res.flag.forwarded };
    this.flag = next;
    this.dispatchEvent(new CustomEvent('parley-safety-mine', { detail: next, bubbles: true, composed: true }));
    // The buttons were replaced by the saved answer: move focus there so it is heard.
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>('[data-consent-saved]')?.focus();
  }

  #hide = (): void => {
    if (this.flag) this.dispatchEvent(new CustomEvent('parley-safety-hide', { detail: this.flag.id, bubbles: true, composed: true }));
  };
}

if (!customElements.get('parley-safety-signpost')) customElements.define('parley-safety-signpost', ParleySafetySignpost);

declare global {
  interface HTMLElementTagNameMap {
    'parley-safety-signpost': ParleySafetySignpost;
  }
}
