/**
 * Blocking in `<parley-discussion>` (issue 13; a lazy chunk, loaded once a member is signed in):
 * - `loadBlocks()`: the member's own list (`GET /me/blocks`) into `discussion.blockedPeople`
 *   (id → display name), which folds those people's posts behind "Post by someone you blocked — Show";
 * - `setBlocked()`: block or unblock (`PUT`/`DELETE /me/blocks/{userId}`), the list updated at once;
 * - `onBlockButton()`: what the discussion's `[data-show-blocked]` and `[data-block]` buttons do;
 * - `<parley-block-confirm>`: "Block <name>?" as a modal confirm dialog saying what a block does.
 *   Properties `discussion`, `userId`, `name`, `token`, `lang`. Focus starts on Cancel (the safe
 *   choice); Escape cancels. Event `parley-close` `{ blocked: boolean }`.
 * - `<parley-blocked-people>`: the list in the account panel, each with "Unblock". Properties
 *   `discussion`, `token`, `lang`. CSS part `button`.
 * The block list is the member's alone: nothing here is shown to anyone else.
 */
import { css, html, LitElement, nothing } from 'lit';
import type { BlockList, BlockState } from '../../moderation/response-schemas.js';
import { isFailure } from '../client/outcome.js';
import { requestJson } from '../client/request.js';
import { blocksMessages } from '../i18n/blocks.js';
import { translator } from '../i18n/index.js';
import { controlStyles } from '../styles/controls.js';
import type { ReaderHost } from './actions.js';
import { ConfirmDialog, type ConfirmWords } from './confirm-dialog.js';

/** The parts of `<parley-discussion>` blocking uses. */
export interface BlockHost extends ReaderHost {
  /** The member's blocked accounts (id → display name); null until loaded. */
  blockedPeople: Map<string, string> | null;
  /** Folded posts the reader opened with Show. */
  unfoldedPosts: Set<string>;
  readonly renderRoot: HTMLElement | DocumentFragment;
  readonly updateComplete: Promise<boolean>;
}

function focusAfterUpdate(d: BlockHost, selector: string): Promise<void> {
  return d.updateComplete.then(() => {
    const el = d.renderRoot.querySelector<HTMLElement>(selector);
    if (el?.tagName === 'ARTICLE') el.tabIndex = -1;
    el?.focus();
  });
}

/**
 * A press of `[data-show-blocked]` (open a folded post), or of `[data-block]` (Block after the
 * confirm dialog, or Unblock at once). Resolves to the sentence to announce, or ''.
 */
export async function onBlockButton(d: BlockHost, button: HTMLElement, token: string, lang: string): Promise<string> {
  const t = translator(lang);
  const shown = button.dataset.showBlocked;
  if (shown) {
    // The opened post takes the place of its line: focus moves to it, not to the top of the page.
    d.unfoldedPosts.add(shown);
    d.requestUpdate();
    await focusAfterUpdate(d, `article[data-post-id="${CSS.escape(shown)}"]`);
    return '';
  }
  const userId = button.dataset.block;
  const name = button.dataset.blockName ?? '';
  if (!userId) return '';
  if (button.dataset.blockedNow === 'true') {
    const error = await setBlocked(d, userId, name, false, token);
    return error ? t('actionFailed', { message: error }) : t('unblocked', { name });
  }
  if (d.renderRoot.querySelector('parley-block-confirm')) return '';
  const dialog = Object.assign(document.createElement('parley-block-confirm'), { discussion: d, userId, name, token, lang });
  const closed = new Promise<boolean>((resolve) => dialog.addEventListener('parley-close', (e) => resolve((e as CustomEvent<{ blocked: boolean }>).detail.blocked), { once: true }));
  d.renderRoot.append(dialog);
  const blocked = await closed;
  dialog.remove();
  if (!blocked) {
    button.focus();
    return '';
  }
  // Their posts fold from now on, also ones opened before; focus goes to this post's folded line.
  const postId = button.closest('article')?.getAttribute('data-post-id');
  for (const [id, p] of d.client?.state.posts ?? []) if (p.author.id === userId) d.unfoldedPosts.delete(id);
  d.requestUpdate();
  if (postId) await focusAfterUpdate(d, `[data-show-blocked="${CSS.escape(postId)}"]`);
  return t('blockDone', { name });
}

const base = (d: ReaderHost) => `${(d.server || new URL(import.meta.url).origin).replace(/\/+$/, '')}/api/sites/${encodeURIComponent(d.site)}`;

/** Loads the member's block list into the discussion; resolves to an error text, or ''. */
export async function loadBlocks(d: BlockHost, token: string): Promise<string> {
  const res = await requestJson<BlockList>('GET', `${base(d)}/me/blocks`, { token });
  if (isFailure(res)) return res.error.message || res.error.code;
  d.blockedPeople = new Map(res.blocks.map((b) => [b.userId, b.displayName]));
  d.requestUpdate();
  return '';
}

/** Blocks or unblocks `userId`; resolves to an error text, or '' when done. */
export async function setBlocked(d: BlockHost, userId: string, name: string, on: boolean, token: string): Promise<string> {
  const res = await requestJson<BlockState>(on ? 'PUT' : 'DELETE', `${base(d)}/me/blocks/${encodeURIComponent(userId)}`, { token });
  if (isFailure(res)) return res.error.message || res.error.code;
  const people = new Map(d.blockedPeople ?? []);
  if (on) people.set(userId, name);
  else people.delete(userId);
  d.blockedPeople = people;
  d.requestUpdate();
  return '';
}

/** "Block <name>?" (see ./confirm-dialog.ts). Properties `userId`, `name`; `parley-close` `{ blocked }`. */
export class ParleyBlockConfirm extends ConfirmDialog {
  static override properties = { userId: {}, name: {} };
  declare userId: string;
  declare name: string;
  declare discussion?: BlockHost;
  protected readonly kind = 'block';
  protected readonly doneKey = 'blocked';

  constructor() {
    super();
    this.userId = this.name = '';
  }

  protected words(): ConfirmWords {
    const t = translator(this.lang, blocksMessages);
    return { title: t('blockTitle', { name: this.name }), text: t('blockText'), confirm: t('blockConfirm'), cancel: t('cancel') };
  }

  protected async act(_d: ReaderHost, token: string): Promise<string> {
    const error = await setBlocked(this.discussion!, this.userId, this.name, true, token);
    return error ? translator(this.lang, blocksMessages)('actionFailed', { message: error }) : '';
  }
}

export class ParleyBlockedPeople extends LitElement {
  static override styles = [
    controlStyles,
    css`
      :host { display: block; }
      h3 { font-size: 1em; margin: var(--_space) 0 var(--_half); }
      ul { list-style: none; margin: 0; padding: 0; }
      li { display: flex; align-items: center; justify-content: space-between; gap: var(--_half); padding: var(--_half) 0; border-top: 1px solid var(--_border); }
      .name { overflow-wrap: anywhere; }
      .error { color: var(--_danger); font-weight: 600; }
      .ok { color: var(--_ok); }
    `,
  ];
  static override properties = { token: {}, lang: {}, busy: { state: true }, note: { state: true }, error: { state: true } };
  declare token: string | null;
  declare lang: string;
  declare busy: string | null;
  declare note: string;
  declare error: string;
  discussion?: BlockHost;

  constructor() {
    super();
    this.token = null;
    this.lang = this.note = this.error = '';
    this.busy = null;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    // Fresh from the server: another tab may have changed it.
    const d = this.discussion;
    if (d && this.token) {
      void loadBlocks(d, this.token).then((error) => {
        this.error = error ? translator(this.lang, blocksMessages)('actionFailed', { message: error }) : '';
        this.requestUpdate();
      });
    }
  }

  override render() {
    const t = translator(this.lang, blocksMessages);
    const people = [...(this.discussion?.blockedPeople ?? new Map<string, string>())];
    return html`<section aria-labelledby="blocks-title" data-area="blocks">
      <h3 id="blocks-title" tabindex="-1">${t('blocksHeading')}</h3>
      <p>${t('blocksExplain')}</p>
      ${this.discussion?.blockedPeople === null
        ? html`<p>${t('blocksLoading')}</p>`
        : people.length
          ? html`<ul data-blocked-list>${people.map(([id, name]) => html`<li>
              <span class="name" dir="auto">${name}</span>
              <button part="button" type="button" data-unblock=${id} aria-label=${t('unblockName', { name })}
                aria-disabled=${this.busy === id ? 'true' : 'false'} @click=${() => this.#unblock(id, name)}>${t('unblock')}</button>
            </li>`)}</ul>`
          : html`<p data-blocked-none>${t('blocksNone')}</p>`}
      <p role="status" class="ok">${this.note}</p>
      ${this.error ? html`<p class="error" role="alert">${this.error}</p>` : nothing}
    </section>`;
  }

  async #unblock(id: string, name: string): Promise<void> {
    const d = this.discussion;
    if (!d || !this.token || this.busy) return;
    const t = translator(this.lang, blocksMessages);
    this.busy = id;
    const error = await setBlocked(d, id, name, false, this.token);
    this.busy = null;
    this.error = error ? t('actionFailed', { message: error }) : '';
    if (!error) {
      this.note = t('unblocked', { name });
      // The row went: keep focus in the list (the next row's button, else the heading's section).
      await this.updateComplete;
      (this.renderRoot.querySelector<HTMLElement>('[data-unblock]') ?? this.renderRoot.querySelector<HTMLElement>('h3'))?.focus();
    }
  }
}

if (!customElements.get('parley-block-confirm')) customElements.define('parley-block-confirm', ParleyBlockConfirm);
if (!customElements.get('parley-blocked-people')) customElements.define('parley-blocked-people', ParleyBlockedPeople);

declare global {
  interface HTMLElementTagNameMap {
    'parley-block-confirm': ParleyBlockConfirm;
    'parley-blocked-people': ParleyBlockedPeople;
  }
}
