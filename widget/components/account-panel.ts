/**
 * `<parley-account>`: the signed-in reader's own account, rendered by `<parley-discussion>`
 * from its "Your account" button (lazily loaded). Shows who you post as (name and badges;
 * staff see that their name, job title and employer are verified). Members can change their
 * display name (`PATCH /me`; the server's refusal is shown when a name imitates someone);
 * staff can ask a site admin for a change (`POST /me/name-change`). "Download my data"
 * (`GET /me/export`) saves a JSON file through a Blob URL. "Delete my account" asks to type
 * "delete my account" first, optionally removes the messages too (`DELETE /me`). "Sign out
 * everywhere" (`POST /session/sign-out-everywhere`) ends every session of the person.
 * "Email notifications" (issue 13) is `<parley-notification-prefs>` (widget/notifications/preferences.ts).
 * "People you blocked" (issue 13, members only) is `<parley-blocked-people>` (widget/readers/blocks.ts),
 * each with Unblock.
 *
 * Properties: `discussion`, `viewer`, `token` (the token in use), `done(token, note)` (the
 * discussion's sign-in callback: called with `null` after deletion or signing out).
 * After deleting or signing out it fires `parley-signed-out` `{ reason }` on the discussion.
 *
 * CSS parts: `panel`, `button`.
 */
import { html, nothing } from 'lit';
import type { Viewer } from '../../moderation/types.js';
import { isFailure, type Failure } from '../client/outcome.js';
import { endSession } from '../client/session-registry.js';
import { IdentityElement, identityStyles } from './identity-base.js';
import '../notifications/preferences.js';
import '../readers/blocks.js';
import type { BlockHost } from '../readers/blocks.js';

type Area = 'name' | 'export' | 'delete' | 'signout';
interface Message {
  ok: boolean;
  text: string;
}

export class ParleyAccount extends IdentityElement {
  static override styles = identityStyles;

  static override properties = {
    viewer: { attribute: false },
    token: { attribute: false },
    done: { attribute: false },
    confirming: { state: true },
    busy: { state: true },
  };

  declare viewer: Viewer | null;
  declare token: string | null;
  declare done?: (token: string | null, note?: string) => void;
  declare confirming: boolean;
  declare busy: Area | null;
  #messages = new Map<Area, Message>();
  #download: { url: string; fileName: string } | null = null;

  constructor() {
    super();
    this.viewer = null;
    this.token = null;
    this.confirming = false;
    this.busy = null;
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    if (this.#download) URL.revokeObjectURL(this.#download.url);
    this.#download = null;
  }

  #say(area: Area, ok: boolean, text: string): void {
    this.#messages.set(area, { ok, text });
    this.requestUpdate();
  }

  #refusal(area: Area, res: Failure): void {
    const { code, message } = res.error;
    const known = code !== 'network' && code !== 'timeout' && code !== 'internal';
    this.#say(area, false, known ? this.t('refused', { message }) : this.t('failed'));
  }

  /** Runs one action at a time; the area shows its outcome. */
  async #run<T>(area: Area, call: (token: string) => Promise<T | Failure>, ok: (value: T) => void): Promise<void> {
    if (!this.token || this.busy) return;
    this.#messages.delete(area);
    this.busy = area;
    try {
      const res = await call(this.token);
      if (isFailure(res)) this.#refusal(area, res);
      else ok(res);
    } finally {
      this.busy = null;
    }
  }

  /** A request that ends the sign-in from here: the server's echo of it is not news to this widget (unless it fails). */
  async #ending<T>(request: () => Promise<T | Failure>): Promise<T | Failure> {
    const client = this.discussion?.client;
    client?.expectEnd();
    const res = await request();
    if (isFailure(res) && client) client.endingHere = false;
    return res;
  }

  #field(form: HTMLFormElement, name: string): string {
    return ((form.elements.namedItem(name) as HTMLInputElement | null)?.value ?? '').trim();
  }

  #rename(e: SubmitEvent): void {
    e.preventDefault();
    const name = this.#field(e.target as HTMLFormElement, 'displayName');
    void this.#run('name', (token) => this.api.rename(token, name), (res) => {
      this.#say('name', true, this.t('renamed', { name: res.displayName }));
      // The discussion fetches the viewer again, so the new name shows everywhere.
      void this.discussion?.client?.setToken(this.token);
    });
  }

  #requestChange(e: SubmitEvent): void {
    e.preventDefault();
    const form = e.target as HTMLFormElement;
    const input: { displayName?: string; jobTitle?: string; reason: string } = { reason: this.#field(form, 'reason') };
    const name = this.#field(form, 'displayName');
    const title = this.#field(form, 'jobTitle');
    if (name) input.displayName = name;
    if (title) input.jobTitle = title;
    void this.#run('name', (token) => this.api.requestNameChange(token, input), () => {
      this.#say('name', true, this.t('requested'));
      form.reset();
    });
  }

  #export(): void {
    void this.#run('export', (token) => this.api.exportData(token), ({ blob, fileName }) => {
      if (this.#download) URL.revokeObjectURL(this.#download.url);
      this.#download = { url: URL.createObjectURL(blob), fileName };
      const a = document.createElement('a');
      a.href = this.#download.url;
      a.download = fileName;
      a.hidden = true;
      this.renderRoot.append(a);
      a.click();
      a.remove();
      this.#say('export', true, this.t('exported', { file: fileName }));
      this.dispatchEvent(new CustomEvent('parley-data-exported', { detail: { fileName }, bubbles: true, composed: true }));
    });
  }

  #delete(e: SubmitEvent): void {
    e.preventDefault();
    const form = e.target as HTMLFormElement;
    // The phrase in the reader's language; the English one is accepted everywhere too.
    const typed = this.#field(form, 'confirm').trim().toLowerCase();
    if (typed !== 'delete my account' && typed !== this.t('deletePhrase').toLowerCase()) {
      this.#say('delete', false, this.t('deleteMismatch', { phrase: this.t('deletePhrase') }));
      form.querySelector('input')?.focus();
      return;
    }
    const removePosts = (form.elements.namedItem('removePosts') as HTMLInputElement).checked;
    void this.#run('delete', (token) => this.#ending(() => this.api.deleteAccount(token, removePosts)), () => this.#signedOut('account-deleted', this.t('deleted')));
  }

  #signOutEverywhere(): void {
    void this.#run('signout', (token) => this.#ending(() => this.api.signOutEverywhere(token)), () =>
      this.#signedOut('signed-out-everywhere', this.t('signedOutEverywhere')),
    );
  }

  /** Forget every sign-in in this widget, say why, and tell the host page. */
  #signedOut(reason: 'account-deleted' | 'signed-out-everywhere', note: string): void {
    const d = this.discussion;
    if (d) endSession(d);
    d?.setToken(null);
    this.done?.(null, note);
    (d ?? this).dispatchEvent(new CustomEvent('parley-signed-out', { detail: { reason }, bubbles: true, composed: true }));
  }

  #message(area: Area) {
    const m = this.#messages.get(area);
    if (!m) return nothing;
    return m.ok
      ? html`<p class="ok" role="status" data-message=${area}>${m.text}</p>`
      : html`<p class="error" role="alert" data-message=${area}>${m.text}</p>`;
  }

  override render() {
    const t = this.t;
    const v = this.viewer;
    if (!v) return nothing;
    const a = v.affiliation;
    const staff = v.kind === 'staff' || a !== null;
    const busy = (area: Area) => (this.busy === area ? 'true' : 'false');
    return html`<section part="panel" class="box" aria-labelledby="account-title">
      <h2 id="account-title">${t('accountHeading')}</h2>
      <p data-posting-as>${t('postingAs')} <strong>${v.name}</strong>
        ${a ? html`<span class="badge staff">${t('staffBadge', { company: a.companyName, title: a.jobTitle })}</span>` : nothing}
        ${v.professional ? html`<span class="badge pro">${t('professional', { profession: v.professional.profession })}</span>` : nothing}
      </p>
      ${a ? html`<p>${t('staffNameVerified', { org: a.verifiedBy })} ${t('staffVerified', { org: a.verifiedBy, date: this.date(a.verifiedAt) })}</p>` : nothing}

      <section aria-labelledby="name-title" data-area="name">
        ${staff
          ? html`<h3 id="name-title">${t('nameChangeHeading')}</h3>
              <form @submit=${this.#requestChange}>
                <label for="new-name">${t('newName')}</label>
                <input id="new-name" name="displayName" type="text" autocomplete="name" maxlength="80">
                <label for="new-title">${t('newTitle')}</label>
                <input id="new-title" name="jobTitle" type="text" autocomplete="organization-title" maxlength="120">
                <label for="reason">${t('reason')}</label>
                <input id="reason" name="reason" type="text" required minlength="3" maxlength="500">
                <button part="button" type="submit" aria-disabled=${busy('name')}>${t('requestChange')}</button>
              </form>`
          : html`<h3 id="name-title">${t('displayName')}</h3>
              <form @submit=${this.#rename}>
                <label for="display-name">${t('displayName')}</label>
                <input id="display-name" name="displayName" type="text" autocomplete="nickname" required maxlength="80" .value=${v.name}>
                <button part="button" type="submit" aria-disabled=${busy('name')}>${t('rename')}</button>
              </form>`}
        ${this.#message('name')}
      </section>

      <parley-notification-prefs exportparts="button" .discussion=${this.discussion} .token=${this.token}></parley-notification-prefs>

      ${staff
        ? nothing
        : html`<parley-blocked-people exportparts="button" .discussion=${this.discussion as unknown as BlockHost} .token=${this.token} .lang=${this.language}></parley-blocked-people>`}

      <section aria-labelledby="export-title" data-area="export">
        <h3 id="export-title">${t('exportHeading')}</h3>
        <button part="button" type="button" data-export aria-disabled=${busy('export')} @click=${this.#export}>${t('exportButton')}</button>
        ${this.#message('export')}
        ${this.#download ? html`<p><a href=${this.#download.url} download=${this.#download.fileName} data-download>${t('saveAgain')}</a></p>` : nothing}
      </section>

      <section aria-labelledby="signout-title" data-area="signout">
        <h3 id="signout-title">${t('signOutEverywhere')}</h3>
        <button part="button" type="button" data-sign-out-everywhere aria-disabled=${busy('signout')} @click=${this.#signOutEverywhere}>${t('signOutEverywhere')}</button>
        ${this.#message('signout')}
      </section>

      <section aria-labelledby="delete-title" data-area="delete">
        <h3 id="delete-title">${t('deleteHeading')}</h3>
        <p>${t('deleteExplain')}</p>
        ${this.confirming
          ? html`<form @submit=${this.#delete} data-delete-form>
              <label for="confirm">${t('deleteConfirm', { phrase: t('deletePhrase') })}</label>
              <input id="confirm" name="confirm" type="text" autocomplete="off" spellcheck="false">
              <label class="check"><input name="removePosts" type="checkbox"> ${t('removePosts')}</label>
              <div class="actions">
                <button part="button" class="danger" type="submit" aria-disabled=${busy('delete')}>${t('deleteButton')}</button>
                <button part="button" type="button" @click=${() => (this.confirming = false)}>${t('cancel')}</button>
              </div>
            </form>`
          : html`<button part="button" type="button" data-delete-start @click=${this.#startDelete}>${t('deleteStart')}</button>`}
        ${this.#message('delete')}
      </section>
    </section>`;
  }

  async #startDelete(): Promise<void> {
    this.confirming = true;
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLInputElement>('#confirm')?.focus();
  }
}
