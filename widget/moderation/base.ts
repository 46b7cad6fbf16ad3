/**
 * What the lazily loaded moderation elements share: where they talk to (their own `server`,
 * `site`, `lang`, `token`, or those of the `<parley-discussion>` given as `discussion`), their
 * strings (widget/moderation/i18n.ts over the main ones), error wording and look.
 */
import { css, html, LitElement, type PropertyDeclarations } from 'lit';
import type { Post } from '../../moderation/types.js';
import type { Failure } from '../client/outcome.js';
import type { TopicSession } from '../client/session.js';
import { resolveLanguage, translator } from '../i18n/index.js';
import { sanitizePostHtml } from '../sanitize.js';
import { controlStyles } from '../styles/controls.js';
import { ModerationApi } from './api.js';
import { modMessages } from './i18n.js';

export type ModTranslate = ReturnType<typeof modTranslator>;
export const modTranslator = (lang: string) => translator(lang, modMessages);

/** The parts of `<parley-discussion>` the moderation elements read. */
export interface DiscussionLike extends HTMLElement {
  server: string;
  site: string;
  lang: string;
  readonly client?: TopicSession;
}

export class ModElement extends LitElement {
  static override properties: PropertyDeclarations = {
    server: {},
    site: {},
    lang: {},
    token: {},
    discussion: { attribute: false },
  };

  declare server: string;
  declare site: string;
  declare lang: string;
  declare token: string | null;
  declare discussion?: DiscussionLike;
  #api?: { key: string; api: ModerationApi };

  constructor() {
    super();
    this.server = this.site = this.lang = '';
    this.token = null;
  }

  get api(): ModerationApi {
    const server = this.discussion?.server || this.server;
    const site = this.discussion?.site || this.site;
    const key = `${server} ${site}`;
    if (this.#api?.key !== key) this.#api = { key, api: new ModerationApi(server, site) };
    return this.#api.api;
  }

  get language(): string {
    const from = this.lang || this.discussion?.lang || this.closest('[lang]')?.getAttribute('lang') || document.documentElement.lang;
    return resolveLanguage(from);
  }

  get t(): ModTranslate {
    return modTranslator(this.language);
  }

  date(iso: string | null | undefined): string {
    return iso ? new Date(iso).toLocaleDateString(this.language, { dateStyle: 'medium' }) : '';
  }

  /** A refusal of the server in words: rate limits say when to try again. */
  failureText(f: Failure): string {
    const { code, message, retryAfterSeconds } = f.error;
    return code === 'rate_limited' ? this.t('errRate', { seconds: Math.max(1, Math.ceil(retryAfterSeconds ?? 60)) }) : this.t('errGeneric', { message });
  }
}

export const modStyles = [
  controlStyles,
  css`
    :host { display: block; }
    :host([hidden]) { display: none; }
    h2 { font-size: 1.15em; margin: 0 0 var(--_half); }
    h3 { font-size: 1em; margin: var(--_space) 0 var(--_half); }
    .box { padding: var(--_space); border: 1px solid var(--_border); border-radius: var(--_radius); background: var(--_surface); margin: var(--_half) 0; }
    .muted { color: var(--_muted); font-size: 0.9em; }
    .error { color: var(--_danger); font-weight: 600; }
    .error::before { content: '⚠ '; }
    .ok { font-weight: 600; }
    .ok::before { content: '✓ '; }
    ul { margin: 0; padding-inline-start: 1.25em; }
    table { border-collapse: collapse; margin: var(--_half) 0; }
    caption { text-align: start; font-weight: 600; }
    th, td { text-align: start; padding-block: 0.2em; padding-inline: 0 0.8em; vertical-align: top; border-bottom: 1px solid var(--_border); }
    td.num, th.num { text-align: end; }
    label { display: block; font-weight: 600; margin-top: var(--_half); }
    label.check { font-weight: 400; }
    fieldset { border: 1px solid var(--_border); border-radius: var(--_radius); margin: var(--_half) 0; }
    legend { font-weight: 600; }
    input[type='text'], input[type='search'], input[type='number'], textarea, select {
      font: inherit; color: inherit; background: var(--_bg); border: 1px solid var(--_border);
      border-radius: var(--_radius); padding: 0.3em 0.5em; width: min(100%, 36em); box-sizing: border-box;
    }
    input[type='number'] { width: 6em; }
    textarea { min-height: 4em; }
    .actions { margin-top: var(--_half); display: flex; gap: var(--_half); flex-wrap: wrap; }
    dialog { max-width: min(40em, 92vw); border: 1px solid var(--_border); border-radius: var(--_radius); color: var(--_text); background: var(--_bg); }
    dialog::backdrop { background: rgb(0 0 0 / 0.35); }
    .post-text { border-inline-start: 3px solid var(--_border); padding-inline-start: var(--_half); margin: var(--_half) 0; }
    article + article { margin-top: var(--_space); }
    article.current { outline: 3px solid var(--_focus, var(--_accent)); outline-offset: 2px; }
    article:focus { outline: 3px solid var(--_focus, var(--_accent)); outline-offset: 2px; }
    .filters { display: flex; flex-wrap: wrap; gap: 0 var(--_space); align-items: end; }
    .filters > div { flex: 1 1 10em; min-width: 0; }
    .filters input, .filters select { width: 100%; }
    .held-reason { border-left: 3px solid var(--_accent); padding-left: var(--_half); }
    kbd { font-family: inherit; font-weight: 700; border: 1px solid var(--_border); border-radius: 3px; padding: 0 0.35em; }
    .fresh:empty { display: none; }
    h4 { font-size: 0.95em; margin: var(--_half) 0 0.25em; }
  `,
];

/** The text of a post for moderators' views (sanitised like everywhere else). */
/**
 * An excerpt of a post's Markdown source as plain words (the author's recent history showed
 * "**who is actually eligible**" and "[link](https://…)" as typed): emphasis, code, quote and
 * list marks are dropped, a link keeps its text. Text only; it is rendered as a text node.
 */
export function plainExcerpt(markdown: string): string {
  return markdown
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/(\*\*|__|\*|_|`)(?=\S)([^]*?\S)\1/g, '$2')
    .replace(/^\s{0,3}(?:>\s?|[-*+]\s+|\d+[.)]\s+|#{1,6}\s+)/gm, '')
    .replace(/\s+/g, ' ')
    .trim();
}

export function postText(post: Pick<Post, 'html'>) {
  return html`<div class="post-text" .innerHTML=${sanitizePostHtml(post.html)}></div>`;
}
