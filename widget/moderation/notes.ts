/**
 * `<parley-mod-notes>`: private moderator notes on one account (issue 16), inside a queue item.
 * Only moderators see them (the server refuses everyone else); the public log records that a
 * note exists — a commitment to it — never its text, and the form says so.
 *
 * Properties: `userId`, `name` (the account's public name), plus those of every moderation
 * element (`discussion` or `server`/`site`, `token`, `lang`). Notes load on first render.
 */
import { html, nothing, type PropertyValues } from 'lit';
import { SPAM_LIMITS, type ModeratorNote } from '../../moderation/spam-schemas.js';
import { isFailure } from '../client/outcome.js';
import { ModElement, modStyles } from './base.js';

export class ParleyModNotes extends ModElement {
  static override styles = modStyles;
  static override properties = {
    ...ModElement.properties,
    userId: { attribute: 'user-id' },
    name: {},
    notes: { state: true },
    error: { state: true },
    busy: { state: true },
  };

  declare userId: string;
  declare name: string;
  declare notes: ModeratorNote[] | null;
  declare error: string;
  declare busy: boolean;

  constructor() {
    super();
    this.userId = this.name = this.error = '';
    this.notes = null;
    this.busy = false;
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if ((changed.has('userId') || changed.has('token')) && this.userId && this.token) void this.#load();
  }

  async #load(): Promise<void> {
    const res = await this.api.notes(this.token!, this.userId);
    if (isFailure(res)) this.error = this.failureText(res);
    else this.notes = res.notes;
  }

  override render() {
    const t = this.t;
    const id = `note-${this.userId}`;
    return html`<section aria-labelledby=${`${id}-title`} data-notes>
      <h4 id=${`${id}-title`}>${t('notesTitle', { name: this.name })}</h4>
      ${this.notes === null && !this.error ? html`<p class="muted" role="status">…</p>` : nothing}
      ${this.notes?.length
        ? html`<ul>${this.notes.map((n) => html`<li data-note=${n.id}>${n.text} <span class="muted">— ${n.by.name}, ${this.date(n.createdAt)}</span></li>`)}</ul>`
        : this.notes
          ? html`<p class="muted">${t('notesEmpty')}</p>`
          : nothing}
      <form @submit=${this.#add} novalidate>
        <label for=${id}>${t('noteLabel')}</label>
        <textarea id=${id} name="text" maxlength=${SPAM_LIMITS.noteMaxChars} aria-describedby=${`${id}-hint`}></textarea>
        <p class="muted" id=${`${id}-hint`}>${t('noteHint')}</p>
        ${this.error ? html`<p class="error" role="alert">${this.error}</p>` : nothing}
        <div class="actions"><button type="submit" aria-disabled=${this.busy ? 'true' : 'false'}>${t('noteAdd')}</button></div>
      </form>
    </section>`;
  }

  #add = async (e: SubmitEvent): Promise<void> => {
    e.preventDefault();
    const field = (e.target as HTMLFormElement).querySelector('textarea')!;
    const text = field.value.trim();
    if (!text) {
      this.error = this.t('noteEmpty');
      return;
    }
    if (this.busy || !this.token) return;
    this.busy = true;
    const res = await this.api.addNote(this.token, this.userId, text);
    this.busy = false;
    if (isFailure(res)) {
      this.error = this.failureText(res);
      return;
    }
    this.error = '';
    field.value = '';
    this.notes = [res.note, ...(this.notes ?? [])];
  };
}

if (!customElements.get('parley-mod-notes')) customElements.define('parley-mod-notes', ParleyModNotes);

declare global {
  interface HTMLElementTagNameMap {
    'parley-mod-notes': ParleyModNotes;
  }
}
