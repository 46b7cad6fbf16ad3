/**
 * `<parley-composer>`: a labelled textarea with a submit button, used for new messages and
 * replies. It checks only what it can know (empty, too long); the server decides the rest
 * and the parent shows its answer through `error`.
 *
 * Properties:
 * - `label` (string): visible label of the textarea.
 * - `submitLabel` (string): text of the submit button.
 * - `busy` (boolean): a message is on its way; the text is read-only and submit does nothing.
 * - `notice` (string): a status line under the textarea (e.g. waiting for the connection).
 * - `error` (string): an error to show next to the composer (announced with role=alert).
 * - `cancellable` (boolean): shows a Cancel button; Escape cancels.
 * - `t` (Translate): the strings of the widget's language.
 * - `beforeSubmit` ((body) => Promise<boolean>): optional; consulted before `parley-submit`, which
 *   waits for it and is not sent when it answers false (the staff pre-check shows a warning first).
 * - `companies` ({id, name}[]): companies taking part a member may ask (issue 14); when given, an
 *   "Ask a company" choice (default: no one in particular) addresses the post to one as a question.
 * Preview: "Preview" (`aria-expanded`) shows the text rendered as readers will see it, under the
 *   textarea, kept current while typing; the renderer is a lazy chunk (widget/components/markdown-preview.ts).
 * - `mentions` ((composer) => MentionCombo): optional; `@` suggestions (issue 13, lazy, made by
 *   widget/notifications/mentions.ts): the textarea becomes a combobox while its list is open.
 * Methods: `clear()` empties the text; `focus()` focuses the textarea (focus is delegated).
 * Keyboard: Ctrl+Enter / Cmd+Enter submits; Escape cancels when `cancellable`. While `@`
 * suggestions are open, Up/Down choose, Enter/Tab insert and Escape closes the list.
 * Events:
 * - `parley-submit` `{ body, questionTo?, homepage? }`: the person asked to post `body` (not yet
 *   trimmed), put as a question to the company `questionTo` when they chose one. `homepage` is the
 *   honeypot (issue 16): a field hidden from people (off-screen, `aria-hidden`, out of the tab
 *   order) that only form-filling robots fill in; the server holds such a post for review.
 * - `parley-cancel`: the person closed the composer.
 * Slots: `check` (under the textarea: the staff pre-check's warnings).
 * CSS parts: `label`, `textarea`, `button` (all buttons), `submit`, `cancel`, `preview-toggle`, `preview`,
 *   `error`, `notice`, `ask`.
 * CSS custom properties: inherits the `--parley-*` properties of `<parley-discussion>`.
 */
import { html, LitElement, nothing, type PropertyValues } from 'lit';
import { POST_BODY_MAX_CHARS } from '../../moderation/post-limits.js';
import { translator, type Translate } from '../i18n/index.js';
import { composerStyles } from './parley-composer.styles.js';

/** `@` suggestions as the composer sees them (widget/notifications/mentions.ts makes one). */
export interface MentionCombo {
  readonly listId: string;
  /** The highlighted option's id, while the list is open and not empty. */
  readonly activeId: string | null;
  input(textarea: HTMLTextAreaElement): void;
  /** True when it used the key. */
  keydown(e: KeyboardEvent): boolean;
  close(): void;
  render(): unknown;
}

export class ParleyComposer extends LitElement {
  static override styles = composerStyles;
  static override shadowRootOptions = { ...LitElement.shadowRootOptions, delegatesFocus: true };

  static override properties = {
    label: {},
    submitLabel: { attribute: 'submit-label' },
    busy: { type: Boolean },
    notice: {},
    error: {},
    cancellable: { type: Boolean },
    t: { attribute: false },
    companies: { attribute: false },
    mentions: { attribute: false },
    value: { state: true },
    localError: { state: true },
    previewing: { state: true },
  };

  declare label: string;
  declare submitLabel: string;
  declare busy: boolean;
  declare notice: string;
  declare error: string;
  declare cancellable: boolean;
  declare t: Translate;
  declare companies: ReadonlyArray<{ id: string; name: string }>;
  declare mentions: ((composer: ParleyComposer) => MentionCombo) | null;
  #combo: MentionCombo | null = null;
  declare private value: string;
  declare private localError: string;
  declare private previewing: boolean;
  /** The preview renderer, once its chunk has loaded. */
  #render?: (source: string) => string;
  beforeSubmit?: (body: string) => Promise<boolean>;
  #checking = false;

  constructor() {
    super();
    this.label = this.submitLabel = this.notice = this.error = this.value = this.localError = '';
    this.busy = this.cancellable = this.previewing = false;
    this.t = translator('en');
    this.companies = [];
    this.mentions = null;
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('mentions') && !this.#combo && this.mentions) this.#combo = this.mentions(this);
  }

  clear(): void {
    this.value = '';
    this.localError = '';
    this.previewing = false;
    const textarea = this.renderRoot.querySelector('textarea');
    if (textarea) textarea.value = '';
    const ask = this.renderRoot.querySelector('select');
    if (ask) ask.value = '';
    this.#combo?.close();
  }

  override render() {
    const t = this.t;
    const max = POST_BODY_MAX_CHARS;
    const length = this.value.length;
    const error = this.localError || this.error;
    const showCount = length > max * 0.9;
    const combo = this.#combo;
    return html`
      <label part="label" for="body">${this.label}</label>
      <textarea
        part="textarea"
        id="body"
        rows="3"
        .value=${this.value}
        ?readonly=${this.busy}
        aria-invalid=${error ? 'true' : 'false'}
        aria-describedby="hint count error notice"
        aria-autocomplete=${combo ? 'list' : nothing}
        aria-controls=${combo?.activeId ? combo.listId : nothing}
        aria-activedescendant=${combo?.activeId ?? nothing}
        @input=${this.#onInput}
        @keydown=${this.#onKeydown}
        @blur=${() => combo?.close()}
      ></textarea>
      ${combo?.render() ?? nothing}
      <div class="row">
        <span class="hint" id="hint">${t('shortcutHint')}</span>
        <span class=${length > max ? 'count over' : 'count'} id="count">${showCount ? t('charCount', { count: length, max }) : nothing}</span>
      </div>
      ${this.previewing
        ? html`<section part="preview" class="preview" id="preview" aria-label=${t('previewTitle')} data-preview>
            ${!this.#render
              ? html`<p class="hint" role="status">${t('loadingMore')}</p>`
              : this.value.trim()
                ? html`<div class="body" .innerHTML=${this.#render(this.value)}></div>`
                : html`<p class="hint">${t('previewEmpty')}</p>`}
          </section>`
        : nothing}
      ${this.companies.length
        ? html`<div class="ask"><label part="label" for="ask">${t('askCompany')}</label>
            <select part="ask" id="ask" ?disabled=${this.busy}>
              <option value="">${t('askNobody')}</option>
              ${this.companies.map((c) => html`<option value=${c.id}>${c.name}</option>`)}
            </select></div>`
        : nothing}
      <input class="hp" name="homepage" type="text" tabindex="-1" autocomplete="off" aria-hidden="true" data-honeypot />
      <slot name="check"></slot>
      <p part="notice" class="notice" id="notice" role="status">${this.notice || nothing}</p>
      <p part="error" class="error" id="error" role="alert">${error || nothing}</p>
      <div class="actions">
        <button part="button submit" class="primary" type="button" aria-disabled=${this.busy ? 'true' : 'false'} @click=${this.#submit}>
          ${this.busy ? t('sending') : this.submitLabel || t('send')}
        </button>
        <button part="button preview-toggle" type="button" aria-expanded=${this.previewing ? 'true' : 'false'} aria-controls=${this.previewing ? 'preview' : nothing} data-preview-toggle @click=${this.#togglePreview}>
          ${t('preview')}
        </button>
        ${this.cancellable
          ? html`<button part="button cancel" type="button" @click=${this.#cancel}>${t('cancel')}</button>`
          : nothing}
      </div>
    `;
  }

  #togglePreview(): void {
    this.previewing = !this.previewing;
    if (this.previewing && !this.#render) {
      void import('./markdown-preview.js').then((m) => {
        this.#render = m.previewHtml;
        this.requestUpdate();
      });
    }
  }

  #onInput(e: Event): void {
    this.value = (e.target as HTMLTextAreaElement).value;
    this.#combo?.input(e.target as HTMLTextAreaElement);
    if (this.localError) this.localError = '';
  }

  #onKeydown(e: KeyboardEvent): void {
    if (this.#combo?.keydown(e)) return;
    if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
      e.preventDefault();
      void this.#submit();
    } else if (e.key === 'Escape' && this.cancellable) {
      e.preventDefault();
      this.#cancel();
    }
  }

  async #submit(): Promise<void> {
    if (this.busy || this.#checking) return;
    const body = this.value;
    const length = body.trim().length;
    const max = POST_BODY_MAX_CHARS;
    if (length === 0) this.localError = this.t('errorEmpty');
    else if (length > max) this.localError = this.t('errorTooLong', { count: length, max });
    else {
      this.localError = '';
      if (this.beforeSubmit) {
        this.#checking = true;
        const go = await this.beforeSubmit(body).catch(() => true);
        this.#checking = false;
        // Held back for a warning to be read, or the text changed meanwhile: the next press decides.
        if (!go || this.value !== body) return;
      }
      const questionTo = this.renderRoot.querySelector('select')?.value || undefined;
      const homepage = this.renderRoot.querySelector<HTMLInputElement>('[data-honeypot]')?.value || undefined;
      this.dispatchEvent(new CustomEvent('parley-submit', { detail: { body, questionTo, homepage } }));
    }
  }

  #cancel(): void {
    this.dispatchEvent(new CustomEvent('parley-cancel'));
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'parley-composer': ParleyComposer;
  }
}
