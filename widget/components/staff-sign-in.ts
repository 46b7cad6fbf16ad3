/**
 * `<parley-staff-sign-in>`: "I work for a company taking part". A company employee enters
 * their work email, full name and job title; Parley emails a single-use link to this page
 * (`POST /staff/email-link` with `returnUrl` = this page without its fragment). Opening the
 * link signs them in as verified staff (see widget/client/parley-session.ts). Shows "Check your
 * inbox" or the server's refusal (an address outside every registered company's domains, too
 * many links). Rendered by `<parley-discussion>` in its signed-out notice; lazily loaded.
 *
 * CSS parts: `panel`, `button`.
 */
import { html, nothing } from 'lit';
import { isFailure } from '../client/outcome.js';
import { IdentityElement, identityStyles } from './identity-base.js';

export class ParleyStaffSignIn extends IdentityElement {
  static override styles = identityStyles;

  static override properties = {
    busy: { state: true },
    message: { state: true },
  };

  declare busy: boolean;
  declare message: { ok: boolean; text: string } | null;

  constructor() {
    super();
    this.busy = false;
    this.message = null;
  }

  override firstUpdated(): void {
    this.renderRoot.querySelector<HTMLInputElement>('input')?.focus();
  }

  async #submit(e: SubmitEvent): Promise<void> {
    e.preventDefault();
    if (this.busy) return;
    const form = e.target as HTMLFormElement;
    const value = (name: string) => (form.elements.namedItem(name) as HTMLInputElement).value.trim();
    const email = value('email');
    this.busy = true;
    this.message = null;
    const res = await this.api.requestEmailLink({
      email,
      name: value('name'),
      jobTitle: value('jobTitle'),
      returnUrl: location.href.split('#')[0]!,
    });
    this.busy = false;
    const t = this.t;
    if (!isFailure(res)) {
      this.message = { ok: true, text: t('checkInbox', { company: res.company, email, minutes: res.expiresInMinutes }) };
    } else {
      const { code, message } = res.error;
      this.message = { ok: false, text: code === 'network' || code === 'timeout' || code === 'internal' ? t('failed') : message };
    }
  }

  override render() {
    const t = this.t;
    const m = this.message;
    return html`<section part="panel" class="box" aria-labelledby="staff-heading">
      <h2 id="staff-heading">${t('staffHeading')}</h2>
      <p class="muted">${t('staffExplain')}</p>
      <form @submit=${this.#submit}>
        <label for="staff-email">${t('workEmail')}</label>
        <input id="staff-email" name="email" type="email" autocomplete="email" required maxlength="254">
        <label for="staff-name">${t('fullName')}</label>
        <input id="staff-name" name="name" type="text" autocomplete="name" required maxlength="80">
        <label for="staff-title">${t('jobTitle')}</label>
        <input id="staff-title" name="jobTitle" type="text" autocomplete="organization-title" required maxlength="120">
        <button part="button" class="primary" type="submit" aria-disabled=${this.busy ? 'true' : 'false'}>${this.busy ? t('sending') : t('sendLink')}</button>
      </form>
      ${m ? (m.ok ? html`<p class="ok" role="status" data-message>${m.text}</p>` : html`<p class="error" role="alert" data-message>${m.text}</p>`) : nothing}
    </section>`;
  }
}
