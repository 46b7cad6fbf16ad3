/**
 * `<parley-search>`: search the site's discussions (issue 16; a lazy chunk, opened by "Search"
 * in `<parley-discussion>`'s toolbar). The server searches visible posts only: removed, deleted,
 * held and erased text is never found (GET /search).
 *
 * Properties: `discussion` (the `<parley-discussion>`: server, site, language, `threadUrl`).
 * Each result names its author, when, and its topic, with the excerpt as plain text, and links
 * into its thread: a post on screen in this discussion is scrolled to (`data-goto`); otherwise
 * the discussion's `thread-url` template (`{topic}`, `{post}`), else the post in the API.
 * "More results" follows the server's cursor. Escape (or Close) ends it with `parley-close`.
 * CSS parts: `form`, `input`, `button`, `results`, `result`, `status`.
 */
import { css, html, LitElement, nothing } from 'lit';
import { SPAM_LIMITS, type SearchAnswer, type SearchHit } from '../../moderation/spam-schemas.js';
import { isFailure } from '../client/outcome.js';
import { requestJson } from '../client/request.js';
import { authorName } from '../components/author.js';
import { formatDate } from '../components/time.js';
import { resolveLanguage, translator } from '../i18n/index.js';
import { controlStyles } from '../styles/controls.js';
import { searchMessages } from './i18n.js';

/** The parts of `<parley-discussion>` the search reads. */
interface SearchHost extends HTMLElement {
  server: string;
  site: string;
  topic: string;
  lang: string;
  threadUrl?: string;
}

export class ParleySearch extends LitElement {
  static override styles = [
    controlStyles,
    css`
      :host { display: block; }
      form { display: flex; flex-wrap: wrap; gap: var(--_half); align-items: end; }
      label { display: block; font-weight: 600; width: 100%; }
      input { font: inherit; color: inherit; background: var(--_bg); border: 1px solid var(--_border); border-radius: var(--_radius); padding: 0.3em 0.5em; flex: 1 1 12em; min-width: 0; }
      ol { list-style: none; margin: var(--_half) 0 0; padding: 0; }
      li { padding: var(--_half) 0; border-top: 1px solid var(--_border); }
      li p { margin: 0.15em 0; overflow-wrap: anywhere; }
      .meta { font-size: 0.85em; color: var(--_muted); }
      a { color: var(--_accent); }
      .error { color: var(--_danger); font-weight: 600; }
      .close { margin-left: auto; }
    `,
  ];
  static override properties = { hits: { state: true }, status: { state: true }, error: { state: true } };

  declare hits: SearchHit[] | null;
  declare status: 'idle' | 'searching' | 'more';
  declare error: string;
  discussion?: SearchHost;
  #q = '';
  #cursor: string | null = null;

  constructor() {
    super();
    this.hits = null;
    this.status = 'idle';
    this.error = '';
  }

  get #t() {
    const d = this.discussion;
    return translator(resolveLanguage(d?.lang || d?.closest('[lang]')?.getAttribute('lang') || document.documentElement.lang), searchMessages);
  }

  override firstUpdated(): void {
    this.renderRoot.querySelector('input')?.focus();
  }

  override render() {
    const t = this.#t;
    return html`<section aria-labelledby="search-title" @keydown=${this.#onKey}>
      <form part="form" role="search" @submit=${this.#submit} novalidate>
        <label id="search-title" for="q">${t('searchLabel')}</label>
        <input part="input" id="q" type="search" name="q" autocomplete="off" minlength=${SPAM_LIMITS.searchQueryMinChars}
          maxlength=${SPAM_LIMITS.searchQueryMaxChars} aria-describedby="search-status" />
        <button part="button" class="primary" type="submit" aria-disabled=${this.status === 'searching' ? 'true' : 'false'}>${t('searchButton')}</button>
        <button part="button" class="close" type="button" data-close @click=${this.#close}>${t('searchClose')}</button>
      </form>
      <p part="status" id="search-status" role="status" class=${this.error ? 'error' : 'meta'}>${this.#statusText()}</p>
      ${this.hits?.length
        ? html`<ol part="results" aria-label=${t('searchResults')}>${this.hits.map((h) => this.#renderHit(h))}</ol>`
        : nothing}
      ${this.#cursor
        ? html`<button part="button" type="button" data-more aria-disabled=${this.status === 'more' ? 'true' : 'false'} @click=${() => this.#search(true)}>${t('searchMore')}</button>`
        : nothing}
    </section>`;
  }

  #statusText(): string {
    const t = this.#t;
    if (this.error) return this.error;
    if (this.status === 'searching') return t('searching');
    if (this.hits === null) return '';
    return this.hits.length ? t('searchCount', { count: this.hits.length, q: this.#q }) : t('searchNone', { q: this.#q });
  }

  #renderHit(h: SearchHit) {
    const t = this.#t;
    const d = this.discussion;
    const lang = resolveLanguage(d?.lang);
    const here = h.topic === d?.topic;
    return html`<li part="result" data-hit=${h.postId}>
      <p><a href=${this.#href(h)} data-goto=${here ? h.postId : nothing} @click=${this.#goto}>${t('searchIn', { topic: h.topicTitle || h.topic })}</a></p>
      <p>${h.excerpt}</p>
      <p class="meta">${authorName(h.author, translator(lang))} · <time datetime=${h.createdAt}>${formatDate(h.createdAt, lang)}</time></p>
    </li>`;
  }

  /** Where a result leads: the host's thread page when the discussion has a template, else the post itself. */
  #href(h: SearchHit): string {
    const d = this.discussion;
    const fill = (tpl: string) => tpl.replace(/\{topic\}/g, encodeURIComponent(h.topic)).replace(/\{post\}/g, encodeURIComponent(h.postId));
    if (d?.threadUrl) return fill(d.threadUrl);
    const server = (d?.server || new URL(import.meta.url).origin).replace(/\/+$/, '');
    return `${server}/api/sites/${encodeURIComponent(d?.site ?? '')}/posts/${encodeURIComponent(h.postId)}`;
  }

  /** A result in this discussion that is on screen: go there rather than leave the page. */
  #goto = (e: MouseEvent): void => {
    const id = (e.currentTarget as HTMLElement).dataset.goto;
    const article = id ? this.discussion?.shadowRoot?.querySelector<HTMLElement>(`article[data-post-id="${CSS.escape(id)}"]`) : null;
    if (!article) return;
    e.preventDefault();
    article.tabIndex = -1;
    article.scrollIntoView({ block: 'center' });
    article.focus();
  };

  #submit = (e: SubmitEvent): void => {
    e.preventDefault();
    const q = this.renderRoot.querySelector('input')!.value.trim();
    if (q.length < SPAM_LIMITS.searchQueryMinChars) {
      this.error = this.#t('searchTooShort', { min: SPAM_LIMITS.searchQueryMinChars });
      return;
    }
    this.#q = q;
    this.#cursor = null;
    void this.#search(false);
  };

  async #search(more: boolean): Promise<void> {
    const d = this.discussion;
    if (!d || this.status !== 'idle') return;
    this.status = more ? 'more' : 'searching';
    this.error = '';
    const params = new URLSearchParams({ q: this.#q });
    if (more && this.#cursor) params.set('cursor', this.#cursor);
    const server = (d.server || new URL(import.meta.url).origin).replace(/\/+$/, '');
    const res = await requestJson<SearchAnswer>('GET', `${server}/api/sites/${encodeURIComponent(d.site)}/search?${params}`);
    this.status = 'idle';
    if (isFailure(res)) {
      this.error = this.#t('searchFailed', { message: res.error.message });
      return;
    }
    this.hits = more ? [...(this.hits ?? []), ...res.hits] : res.hits;
    this.#cursor = res.nextCursor;
  }

  #onKey = (e: KeyboardEvent): void => {
    if (e.key === 'Escape') {
      e.preventDefault();
      this.#close();
    }
  };

  #close = (): void => {
    this.dispatchEvent(new CustomEvent('parley-close'));
  };
}

if (!customElements.get('parley-search')) customElements.define('parley-search', ParleySearch);

declare global {
  interface HTMLElementTagNameMap {
    'parley-search': ParleySearch;
  }
}
