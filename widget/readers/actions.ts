/**
 * The readers' chunk of `<parley-discussion>` (issue 16; loaded on the first press of one of
 * its buttons, so the first render does not carry it):
 * - `toggleHelpful()`: "Helpful" on or off (`PUT`/`DELETE /posts/{id}/helpful`);
 * - `togglePin()`: a moderator pins a top-level post or unpins it (`PUT`/`DELETE /topics/{topic}/pin`);
 * - `<parley-delete-post>`: "Delete my post" as a modal confirm dialog (`DELETE /posts/{id}`
 *   with `{confirm: true}`). Properties `discussion`, `postId`, `token`, `lang`. Focus starts on
 *   Cancel (the safe choice); Escape cancels. Event `parley-close` `{ deleted: boolean }`.
 * Every answer is merged into the discussion's session at once (the socket's `post:updated`
 * brings the same to everyone else); a refusal comes back as words to show.
 */
import { css, html, LitElement, nothing } from 'lit';
import type { HelpfulSummary } from '../../moderation/spam-schemas.js';
import type { Post, TopicInfo } from '../../moderation/types.js';
import { isFailure, type Failure } from '../client/outcome.js';
import { requestJson } from '../client/request.js';
import type { TopicSession } from '../client/session.js';
import { mergePosts } from '../client/state.js';
import { translator } from '../i18n/index.js';
import { controlStyles } from '../styles/controls.js';

/** The parts of `<parley-discussion>` the readers' chunk uses. */
export interface ReaderHost extends HTMLElement {
  server: string;
  site: string;
  topic: string;
  readonly client?: TopicSession;
  requestUpdate(): void;
}

const base = (d: ReaderHost) => `${(d.server || new URL(import.meta.url).origin).replace(/\/+$/, '')}/api/sites/${encodeURIComponent(d.site)}`;

const failureText = (f: Failure) => f.error.message || f.error.code;

/** Marks or unmarks `post` helpful for the viewer; resolves to an error text, or '' when done. */
export async function toggleHelpful(d: ReaderHost, post: Post, token: string): Promise<string> {
  const on = !post.helpful?.mine;
  const res = await requestJson<{ helpful: HelpfulSummary }>(on ? 'PUT' : 'DELETE', `${base(d)}/posts/${encodeURIComponent(post.id)}/helpful`, { token });
  if (isFailure(res)) return failureText(res);
  const s = d.client;
  const held = s?.state.posts.get(post.id);
  // The count is the server's; whether it is mine is what this viewer just did.
  if (s && held) s.state = { ...s.state, posts: new Map(s.state.posts).set(post.id, { ...held, helpful: { ...res.helpful, mine: on } }) };
  d.requestUpdate();
  return '';
}

/** Pins `postId` at the top of the topic, or unpins it; resolves to an error text, or ''. */
export async function togglePin(d: ReaderHost, postId: string, pinnedNow: boolean, token: string): Promise<string> {
  const url = `${base(d)}/topics/${encodeURIComponent(d.topic)}/pin`;
  const res = await requestJson<{ topic: TopicInfo }>(pinnedNow ? 'DELETE' : 'PUT', url, { token, body: pinnedNow ? {} : { postId } });
  if (isFailure(res)) return failureText(res);
  if (d.client) d.client.topic = res.topic;
  d.requestUpdate();
  return '';
}

export class ParleyDeletePost extends LitElement {
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
  static override properties = { postId: {}, token: {}, lang: {}, busy: { state: true }, error: { state: true } };
  declare postId: string;
  declare token: string | null;
  declare lang: string;
  declare busy: boolean;
  declare error: string;
  discussion?: ReaderHost;
  #deleted = false;

  constructor() {
    super();
    this.postId = this.lang = this.error = '';
    this.token = null;
    this.busy = false;
  }

  override firstUpdated(): void {
    this.renderRoot.querySelector('dialog')!.showModal();
    this.renderRoot.querySelector<HTMLElement>('[data-cancel]')?.focus();
  }

  override render() {
    const t = translator(this.lang);
    return html`<dialog aria-labelledby="delete-title" aria-describedby="delete-text" @close=${this.#closed}>
      <h2 id="delete-title">${t('deleteTitle')}</h2>
      <p id="delete-text">${t('deleteText')}</p>
      ${this.error ? html`<p class="error" role="alert">${this.error}</p>` : nothing}
      <div class="actions">
        <button part="button" type="button" class="primary" data-confirm aria-disabled=${this.busy ? 'true' : 'false'} @click=${this.#confirm}>${t('deleteConfirm')}</button>
        <button part="button" type="button" data-cancel @click=${() => this.renderRoot.querySelector('dialog')?.close()}>${t('cancel')}</button>
      </div>
    </dialog>`;
  }

  #confirm = async (): Promise<void> => {
    const d = this.discussion;
    if (this.busy || !d || !this.token) return;
    this.busy = true;
    const res = await requestJson<{ post: Post }>('DELETE', `${base(d)}/posts/${encodeURIComponent(this.postId)}`, { token: this.token, body: { confirm: true } });
    this.busy = false;
    if (isFailure(res)) {
      this.error = translator(this.lang)('actionFailed', { message: failureText(res) });
      return;
    }
    if (d.client) d.client.state = mergePosts(d.client.state, [res.post]).state;
    d.requestUpdate();
    this.#deleted = true;
    this.renderRoot.querySelector('dialog')?.close();
  };

  #closed = (): void => {
    this.dispatchEvent(new CustomEvent('parley-close', { detail: { deleted: this.#deleted } }));
  };
}

if (!customElements.get('parley-delete-post')) customElements.define('parley-delete-post', ParleyDeletePost);

declare global {
  interface HTMLElementTagNameMap {
    'parley-delete-post': ParleyDeletePost;
  }
}
