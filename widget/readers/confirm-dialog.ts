/**
 * The shape of the readers' modal confirm dialogs (`<parley-delete-post>` in ./actions.ts,
 * `<parley-block-confirm>` in ./blocks.ts): a title, a sentence saying what will happen, the
 * action and Cancel. Focus starts on Cancel (the safe choice); Escape cancels; a refusal is shown
 * in the dialog as an alert and the dialog stays open. Subclasses give the words and the action.
 * Properties `discussion`, `token`, `lang`; CSS part `button`. Event `parley-close`
 * `{ [doneKey]: boolean }`: whether the action was done.
 */
import { css, html, LitElement, nothing, type PropertyDeclarations } from 'lit';
import { controlStyles } from '../styles/controls.js';
import type { ReaderHost } from './actions.js';

export interface ConfirmWords {
  title: string;
  text: string;
  confirm: string;
  cancel: string;
}

export abstract class ConfirmDialog extends LitElement {
  static override styles = [
    controlStyles,
    css`
      dialog { max-width: min(32em, 92vw); border: 1px solid var(--_border); border-radius: var(--_radius); color: var(--_text); background: var(--_bg); }
      dialog::backdrop { background: rgb(0 0 0 / 0.35); }
      h2 { font-size: 1.1em; margin: 0 0 var(--_half); }
      .actions { display: flex; gap: var(--_half); flex-wrap: wrap; margin-top: var(--_space); }
      .error { color: var(--_danger); font-weight: 600; }
    `,
  ];
  static override properties: PropertyDeclarations = { token: {}, lang: {}, busy: { state: true }, error: { state: true } };
  declare token: string | null;
  declare lang: string;
  declare busy: boolean;
  declare error: string;
  discussion?: ReaderHost;
  #done = false;

  /** Prefix of the title's and the text's ids (`<kind>-title`, `<kind>-text`). */
  protected abstract readonly kind: string;
  /** The key of `parley-close`'s detail. */
  protected abstract readonly doneKey: string;
  protected abstract words(): ConfirmWords;
  /** Does it; resolves to the words of a refusal to show, or '' when done. */
  protected abstract act(discussion: ReaderHost, token: string): Promise<string>;

  constructor() {
    super();
    this.lang = this.error = '';
    this.token = null;
    this.busy = false;
  }

  override firstUpdated(): void {
    this.renderRoot.querySelector('dialog')!.showModal();
    this.renderRoot.querySelector<HTMLElement>('[data-cancel]')?.focus();
  }

  override render() {
    const w = this.words();
    return html`<dialog aria-labelledby=${`${this.kind}-title`} aria-describedby=${`${this.kind}-text`} @close=${this.#closed}>
      <h2 id=${`${this.kind}-title`}>${w.title}</h2>
      <p id=${`${this.kind}-text`}>${w.text}</p>
      ${this.error ? html`<p class="error" role="alert">${this.error}</p>` : nothing}
      <div class="actions">
        <button part="button" type="button" class="primary" data-confirm aria-disabled=${this.busy ? 'true' : 'false'} @click=${this.#confirm}>${w.confirm}</button>
        <button part="button" type="button" data-cancel @click=${() => this.renderRoot.querySelector('dialog')?.close()}>${w.cancel}</button>
      </div>
    </dialog>`;
  }

  #confirm = async (): Promise<void> => {
    const d = this.discussion;
    if (this.busy || !d || !this.token) return;
    this.busy = true;
    const error = await this.act(d, this.token);
    this.busy = false;
    if (error) {
      this.error = error;
      return;
    }
    this.#done = true;
    this.renderRoot.querySelector('dialog')?.close();
  };

  #closed = (): void => {
    this.dispatchEvent(new CustomEvent('parley-close', { detail: { [this.doneKey]: this.#done } }));
  };
}
