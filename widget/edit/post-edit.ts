/**
 * The edit chunk of `<parley-discussion>` (loaded on first use): `<parley-edit>`, opened by a
 * post's `[data-edit]` buttons.
 *
 * Properties: `discussion` (the `<parley-discussion>`: server, site, language, its session),
 * `opener` (the button: `data-edit` is `edit` or `history`, `data-post` the post), `token` (the
 * viewer's, for saving).
 * - `kind="edit"`: the inline editor that takes the place of the post's body: a textarea with
 *   the current text, Save and Cancel. Ctrl+Enter saves, Escape cancels. A refusal of the
 *   server is shown next to it and the text stays. The saved post is merged into the session
 *   at once (other widgets get it as `post:updated`).
 * - `kind="history"`: a modal dialog listing every version, newest first, with their times and
 *   the "after a reply / report" marks. Escape or Close ends it.
 * Events: `parley-close` when done (saved, cancelled, closed), its `detail` a sentence to
 * announce (or ''); the discussion then removes it and puts focus back on the opener.
 */
import { css, html, LitElement, nothing, type PropertyValues } from 'lit';
import { LIMITS } from '../../moderation/limits.js';
import type { Post, PostHistory, PostVersion } from '../../moderation/types.js';
import { isFailure, type Failure } from '../client/outcome.js';
import type { TopicSession } from '../client/session.js';
import { mergePosts } from '../client/state.js';
import { editMessages } from '../i18n/edit.js';
import { resolveLanguage, translator } from '../i18n/index.js';
import { sanitizePostHtml } from '../sanitize.js';
import { controlStyles } from '../styles/controls.js';
import { EditApi } from './api.js';


/** The parts of `<parley-discussion>` this element reads. */
export interface DiscussionLike extends HTMLElement {
  server: string;
  site: string;
  lang: string;
  readonly client?: TopicSession;
  requestUpdate(): void;
}

export class ParleyEdit extends LitElement {
  static override styles = [
    controlStyles,
    css`
      :host { display: block; }
      label { display: block; font-weight: 600; }
      textarea {
        display: block; box-sizing: border-box; width: 100%; min-height: 6em; margin: 0.25em 0;
        font: inherit; color: inherit; background: var(--_bg); border: 1px solid var(--_border);
        border-radius: var(--_radius); padding: 0.4em 0.5em;
      }
      textarea:focus-visible, button:focus-visible, h2:focus-visible { outline: 2px solid var(--_focus); outline-offset: 2px; }
      .hint, .muted { color: var(--_muted); font-size: 0.9em; margin: 0; }
      .error { color: var(--_danger); font-weight: 600; }
      .error::before { content: '⚠ '; }
      .actions { display: flex; gap: var(--_half); flex-wrap: wrap; margin-top: var(--_half); }
      dialog { max-width: min(42em, 92vw); max-height: 85vh; border: 1px solid var(--_border); border-radius: var(--_radius); color: var(--_text); background: var(--_bg); }
      dialog::backdrop { background: rgb(0 0 0 / 0.35); }
      h2 { font-size: 1.15em; margin: 0 0 var(--_half); }
      h3 { font-size: 1em; margin: 0; }
      ol { list-style: none; margin: var(--_half) 0; padding: 0; }
      li { border-top: 1px solid var(--_border); padding: var(--_half) 0; }
      .mark { font-weight: 600; }
      .text { border-inline-start: 3px solid var(--_border); padding-inline-start: var(--_half); margin-top: 0.25em; overflow-wrap: anywhere; }
    `,
  ];

  static override properties = {
    discussion: { attribute: false },
    opener: { attribute: false },
    token: { attribute: false },
    error: { state: true },
    busy: { state: true },
    history: { state: true },
  };

  declare discussion?: DiscussionLike;
  declare opener: HTMLElement | null;
  declare token: string | null;
  declare error: string;
  declare busy: boolean;
  declare history: PostHistory | null;

  /** The text being edited: kept across re-renders and refusals, so nothing typed is lost. */
  #draft = '';
  /** The rev the edit started from (sent as `expectedRev`). */
  #rev = 0;
  #focused = false;

  constructor() {
    super();
    this.opener = this.token = null;
    this.error = '';
    this.busy = false;
    this.history = null;
  }

  get kind(): 'edit' | 'history' {
    return this.opener?.dataset.edit === 'history' ? 'history' : 'edit';
  }

  get postId(): string {
    return this.opener?.dataset.post ?? '';
  }

  get #api(): EditApi {
    return new EditApi(this.discussion?.server ?? '', this.discussion?.site ?? '');
  }

  get #lang(): string {
    const d = this.discussion;
    return resolveLanguage(d?.lang || d?.closest('[lang]')?.getAttribute('lang') || document.documentElement.lang);
  }

  get #t() {
    return translator(this.#lang, editMessages);
  }

  #post(): Post | undefined {
    return this.discussion?.client?.state.posts.get(this.postId);
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (!changed.has('opener')) return;
    this.error = '';
    this.#focused = false;
    if (this.kind === 'history') {
      this.history = null;
      void this.#loadHistory();
    } else {
      const post = this.#post();
      this.#draft = post?.body ?? '';
      this.#rev = post?.rev ?? 0;
    }
  }

  protected override updated(): void {
    if (this.#focused) return;
    this.#focused = true;
    if (this.kind === 'history') {
      const dialog = this.renderRoot.querySelector('dialog');
      if (dialog && !dialog.open) dialog.showModal();
      // The title first, so a screen reader says where it is; Tab then reaches the versions and Close.
      this.renderRoot.querySelector<HTMLElement>('h2')?.focus();
    } else {
      const area = this.renderRoot.querySelector('textarea');
      area?.focus();
      area?.setSelectionRange(area.value.length, area.value.length);
    }
  }

  #close(say = ''): void {
    // Out of the modal state first: while it is modal, nothing outside (the opener) can take focus.
    this.renderRoot.querySelector('dialog')?.close();
    this.dispatchEvent(new CustomEvent('parley-close', { detail: say }));
  }

  async #loadHistory(): Promise<void> {
    this.error = '';
    const res = await this.#api.history(this.postId);
    if (isFailure(res)) this.error = this.#t('historyError');
    else this.history = res.history;
  }

  #onKey = (e: KeyboardEvent): void => {
    if (e.key === 'Escape') {
      e.preventDefault();
      e.stopPropagation();
      this.#close();
    } else if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
      e.preventDefault();
      void this.#save();
    }
  };

  async #save(e?: Event): Promise<void> {
    e?.preventDefault();
    if (this.busy) return;
    const t = this.#t;
    const body = this.#draft.trim();
    if (!body) return void (this.error = t('editEmpty'));
    if (body.length > LIMITS.postBodyMaxChars) return void (this.error = t('editTooLong', { count: body.length, max: LIMITS.postBodyMaxChars }));
    if (!this.token) return void (this.error = t('errorSignIn'));
    this.busy = true;
    this.error = '';
    const res = await this.#api.edit(this.postId, this.token, { body, expectedRev: this.#rev });
    this.busy = false;
    if (isFailure(res)) return void (await this.#refused(res));
    this.#merge(res.post);
    this.#close(res.edited ? t('editSaved') : '');
  }

  /** Words a refusal; the draft stays in the textarea whatever happened. */
  async #refused(f: Failure): Promise<void> {
    const t = this.#t;
    const { code, message, retryAfterSeconds } = f.error;
    if (code === 'edit_conflict') {
      // Someone (this author in another tab, or a moderator's label) changed the post: show
      // the newest state and let a second Save deliberately replace it.
      const fresh = await this.#api.post(this.postId);
      if (!isFailure(fresh)) {
        this.#merge(fresh.post);
        this.#rev = fresh.post.rev;
      }
      this.error = t('editConflict');
    } else if (code === 'rate_limited') {
      this.error = t('editRate', { seconds: Math.max(1, Math.ceil(retryAfterSeconds ?? 10)) });
    } else if (code === 'network' || code === 'timeout') {
      this.error = t('editNetwork');
    } else {
      this.error = t('editFailed', { message });
    }
  }

  #merge(post: Post): void {
    const session = this.discussion?.client;
    if (!session) return;
    session.state = mergePosts(session.state, [post]).state;
    this.discussion!.requestUpdate();
  }

  override render() {
    return this.kind === 'history' ? this.#renderHistory() : this.#renderEditor();
  }

  #renderEditor() {
    const t = this.#t;
    return html`<form @submit=${this.#save} @keydown=${this.#onKey} aria-busy=${this.busy}>
      <label for="edit">${t('editLabel')}</label>
      <textarea id="edit" part="textarea" aria-describedby="edit-hint edit-error"
        .value=${this.#draft} @input=${(e: Event) => (this.#draft = (e.target as HTMLTextAreaElement).value)}></textarea>
      <p class="hint" id="edit-hint">${t('editHint')}</p>
      <p class="error" id="edit-error" role="alert" ?hidden=${!this.error}>${this.error}</p>
      <div class="actions">
        <button part="button" class="primary" type="submit" data-save aria-disabled=${this.busy}>${this.busy ? t('editSaving') : t('editSave')}</button>
        <button part="button" type="button" data-cancel @click=${() => this.#close()}>${t('editCancel')}</button>
      </div>
    </form>`;
  }

  #renderHistory() {
    const t = this.#t;
    const h = this.history;
    const versions = h ? [...h.versions].reverse() : [];
    const last = h?.versions.length ?? 0;
    return html`<dialog aria-labelledby="history-title" @cancel=${(e: Event) => (e.preventDefault(), this.#close())}>
      <h2 id="history-title" tabindex="-1">${t('historyTitle')}</h2>
      <p class="muted">${t('historyIntro')}</p>
      ${this.error
        ? html`<p class="error" role="alert">${this.error}</p>
            <button part="button" type="button" @click=${() => this.#loadHistory()}>${t('historyRetry')}</button>`
        : !h
          ? html`<p role="status">${t('historyLoading')}</p>`
          : html`${h.status === 'removed' ? html`<p>${t('historyRemoved')}</p>` : nothing}
              <ol>${versions.map((v) => this.#version(v, v.version === last))}</ol>`}
      <div class="actions">
        <button part="button" type="button" data-close @click=${() => this.#close()}>${t('historyClose')}</button>
      </div>
    </dialog>`;
  }

  #version(v: PostVersion, current: boolean) {
    const t = this.#t;
    const name = v.version > 1 ? t('historyVersion', { n: v.version }) : t('historyOriginal');
    const when = new Date(v.at).toLocaleString(this.#lang, { dateStyle: 'medium', timeStyle: 'short' });
    const marks = [v.afterReply && t('editedAfterReply'), v.afterReport && t('editedAfterReport')].filter(Boolean).join(' · ');
    return html`<li data-version=${v.version}>
      <h3>${name}${current ? ` (${t('historyCurrent')})` : ''}</h3>
      <p class="muted"><time datetime=${v.at}>${when}</time>${marks ? html` · <span class="mark">${marks}</span>` : nothing}</p>
      ${v.html ? html`<div class="text" .innerHTML=${sanitizePostHtml(v.html)}></div>` : nothing}
    </li>`;
  }
}

if (!customElements.get('parley-edit')) customElements.define('parley-edit', ParleyEdit);

declare global {
  interface HTMLElementTagNameMap {
    'parley-edit': ParleyEdit;
  }
}
