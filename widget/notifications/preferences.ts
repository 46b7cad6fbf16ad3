/**
 * `<parley-notification-prefs>`: a member's email notifications (issue 13), in the account panel
 * (`<parley-account>`, identity chunk). Everything is off until the member opts in. Shows the
 * choices the server offers this member (`available`: replies, mentions, followed topics, company
 * answers; staff also questions to their company, moderators a digest of what waits), how often
 * (as it happens, a daily or a weekly digest), and the state of their address as the server
 * reports it: where mail goes (their own address, shown to them alone), a confirmation pending,
 * or stopped because mail bounced. Saving says saving, saved, or why not, and sends the widget's
 * language so that mail comes in it.
 *
 * Properties: `discussion` (the `<parley-discussion>`), `token` (the token in use).
 * Events: `parley-notifications-saved` `{ settings }` (bubbling, composed).
 * CSS parts: `button`.
 */
import { css, html, LitElement, nothing, type PropertyValues } from 'lit';
import { NOTIFICATION_KINDS, type NotificationKind, type NotificationPreferencesUpdate } from '../../moderation/notification-schemas.js';
import { isFailure, isTransportFailure, type Failure } from '../client/outcome.js';
import { controlStyles } from '../styles/controls.js';
import type { NotificationSettings } from './api.js';
import { apiFor, languageOf, notifyTranslator, type DiscussionInfo, type NotifyTranslate } from './base.js';

/** The yes/no choices, in the order shown, with their labels. */
const CHOICES = [
  ['replies', 'notifyReplies'],
  ['mentions', 'notifyMentions'],
  ['followed', 'notifyFollows'],
  ['answers', 'notifyCompanyAnswers'],
  ['deskQuestions', 'notifyDeskQuestions'],
  ['moderationDigest', 'notifyModerationDigest'],
] as const;
const DIGESTS = [
  ['off', 'digestOff'],
  ['daily', 'digestDaily'],
  ['weekly', 'digestWeekly'],
] as const;

type Saving = 'idle' | 'saving' | 'saved' | Failure;

export class ParleyNotificationPrefs extends LitElement {
  static override styles = [
    controlStyles,
    css`
      :host { display: block; margin: var(--_space) 0; }
      h3 { font-size: 1em; font-weight: 700; margin: 0 0 var(--_half); }
      p { margin: var(--_half) 0; }
      fieldset { border: 1px solid var(--_border); border-radius: var(--_radius); margin: var(--_half) 0; padding: var(--_half) var(--_space); }
      legend { font-weight: 600; padding: 0 0.25em; }
      /* The box beside its words, and a long label wraps beside the box, not under it. */
      label { display: flex; align-items: baseline; gap: 0.5em; padding: 0.15em 0; }
      .note { padding: var(--_half); border: 2px solid currentColor; border-radius: var(--_radius); font-weight: 600; }
      .error { color: var(--_danger); font-weight: 600; }
      .error:not(:empty)::before { content: '⚠ '; }
      .ok:not(:empty)::before { content: '✓ '; }
      .muted { color: var(--_muted); }
    `,
  ];

  static override properties = {
    discussion: { attribute: false },
    token: { attribute: false },
    settings: { state: true },
    saving: { state: true },
  };

  declare discussion?: DiscussionInfo;
  declare token: string | null;
  /** Null while loading; a Failure when it could not be loaded. */
  declare settings: NotificationSettings | Failure | null;
  declare saving: Saving;
  #loadedFor = '';

  constructor() {
    super();
    this.token = null;
    this.settings = null;
    this.saving = 'idle';
  }

  get #t(): NotifyTranslate {
    return notifyTranslator(languageOf(this.discussion ?? this));
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    const d = this.discussion;
    const who = d?.client?.viewer?.id;
    if (!(changed.has('token') || changed.has('discussion')) || !d || !this.token || !who) return;
    const key = `${d.server} ${d.site} ${who}`;
    if (key === this.#loadedFor) return;
    this.#loadedFor = key;
    this.settings = null;
    void apiFor(d.server, d.site).settings(this.token).then((res) => {
      if (this.#loadedFor === key) this.settings = res;
    });
  }

  #address(s: NotificationSettings) {
    const t = this.#t;
    const { email, state } = s.address;
    switch (state) {
      case 'none': return html`<p class="note" data-address="none">${t('notifyNoAddress')}</p>`;
      case 'unconfirmed': return html`<p class="muted" data-address="unconfirmed">${t('notifyUnconfirmed', { email: email ?? '' })}</p>`;
      case 'confirmation-sent': return html`<p class="note" data-address="confirmation-sent">${t('notifyPending')}</p>`;
      case 'bounced': return html`<p class="note" data-address="bounced">${t('notifyBounced')} ${t('notifyBouncedAgain')}</p>`;
      default: return email ? html`<p class="muted" data-address="confirmed">${t('notifyAddress', { email })}</p>` : nothing;
    }
  }

  override render() {
    const t = this.#t;
    const s = this.settings;
    const heading = html`<h3 id="notify-title">${t('notifyHeading')}</h3>`;
    if (!s) return html`<section aria-labelledby="notify-title" data-area="notify">${heading}<p role="status">${t('notifyLoading')}</p></section>`;
    if (isFailure(s)) return html`<section aria-labelledby="notify-title" data-area="notify">${heading}<p class="error" role="alert">${t('notifyLoadFailed')}</p></section>`;
    const available = new Set<NotificationKind>(s.available);
    const saving = this.saving;
    const busy = saving === 'saving';
    return html`<section aria-labelledby="notify-title" data-area="notify">
      ${heading}
      <p>${t('notifyExplain')}</p>
      ${this.#address(s)}
      <form @submit=${this.#save} data-notify-form>
        <fieldset>
          <legend>${t('notifyWhat')}</legend>
          ${CHOICES.filter(([kind]) => available.has(kind)).map(([kind, label]) => html`<label>
            <input type="checkbox" name=${kind} .checked=${s.preferences[kind]} ?disabled=${s.address.state === 'none'}> ${t(label)}</label>`)}
        </fieldset>
        ${available.has('digest')
          ? html`<fieldset>
              <legend>${t('notifyHow')}</legend>
              ${DIGESTS.map(([value, label]) => html`<label>
                <input type="radio" name="digest" value=${value} .checked=${s.preferences.digest === value} ?disabled=${s.address.state === 'none'}> ${t(label)}</label>`)}
            </fieldset>`
          : nothing}
        <button part="button" type="submit" aria-disabled=${busy || s.address.state === 'none' ? 'true' : 'false'} data-notify-save>${busy ? t('notifySaving') : t('notifySave')}</button>
        <p class="ok" role="status" data-notify-status>${saving === 'saved' ? t('notifySaved') : busy ? t('notifySaving') : nothing}</p>
        <p class="error" role="alert" data-notify-error>${typeof saving === 'object'
          ? isTransportFailure(saving) || saving.error.code === 'internal' ? t('notifyRetry') : t('notifyFailed', { message: saving.error.message })
          : nothing}</p>
      </form>
    </section>`;
  }

  async #save(e: SubmitEvent): Promise<void> {
    e.preventDefault();
    const d = this.discussion;
    const s = this.settings;
    if (!d || !this.token || !s || isFailure(s) || this.saving === 'saving' || s.address.state === 'none') return;
    const form = e.target as HTMLFormElement;
    const update: NotificationPreferencesUpdate = {};
    for (const kind of NOTIFICATION_KINDS) {
      const input = form.elements.namedItem(kind);
      if (kind !== 'digest' && input instanceof HTMLInputElement) update[kind] = input.checked;
    }
    const digest = form.querySelector<HTMLInputElement>('input[name="digest"]:checked')?.value;
    if (digest === 'off' || digest === 'daily' || digest === 'weekly') update.digest = digest;
    // Mail in the language the member reads the widget in.
    update.language = languageOf(d);
    this.saving = 'saving';
    const res = await apiFor(d.server, d.site).save(this.token, update);
    if (isFailure(res)) {
      this.saving = res;
      return;
    }
    this.settings = res;
    this.saving = 'saved';
    this.dispatchEvent(new CustomEvent('parley-notifications-saved', { detail: { settings: res }, bubbles: true, composed: true }));
  }
}

if (!customElements.get('parley-notification-prefs')) customElements.define('parley-notification-prefs', ParleyNotificationPrefs);

declare global {
  interface HTMLElementTagNameMap {
    'parley-notification-prefs': ParleyNotificationPrefs;
  }
}
