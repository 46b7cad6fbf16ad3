/**
 * What the lazily loaded identity elements share: where they talk to (their own `server`,
 * `site`, `lang` attributes, or those of the `<parley-discussion>` that renders them, given as
 * the `discussion` property), their strings, and their look.
 */
import { css, LitElement, type PropertyDeclarations } from 'lit';
import type { Viewer } from '../../moderation/types.js';
import { IdentityApi } from '../client/identity-api.js';
import type { TopicSession } from '../client/session.js';
import { identityMessages } from '../i18n/identity.js';
import { loadLanguage, resolveLanguage, translator } from '../i18n/index.js';
import { controlStyles } from '../styles/controls.js';

export { identityMessages };
export type IdentityTranslate = ReturnType<typeof identityTranslator>;

export function identityTranslator(lang: string) {
  return translator(lang, identityMessages);
}

/** The parts of `<parley-discussion>` the identity elements read. */
export interface DiscussionContext extends HTMLElement {
  server: string;
  site: string;
  topic: string;
  lang: string;
  readonly client?: TopicSession;
  setToken(token: string | null): void;
}

export function languageOf(el: HTMLElement & { lang: string }): string {
  return resolveLanguage(el.lang || el.closest('[lang]')?.getAttribute('lang') || document.documentElement.lang);
}

export class IdentityElement extends LitElement {
  static override properties: PropertyDeclarations = {
    server: {},
    site: {},
    lang: {},
    discussion: { attribute: false },
  };

  declare server: string;
  declare site: string;
  declare lang: string;
  declare discussion?: DiscussionContext;
  #api?: { key: string; api: IdentityApi };

  constructor() {
    super();
    this.server = this.site = this.lang = '';
  }

  get serverUrl(): string {
    return this.discussion?.server || this.server;
  }

  get siteId(): string {
    return this.discussion?.site || this.site;
  }

  get api(): IdentityApi {
    const key = `${this.serverUrl} ${this.siteId}`;
    if (this.#api?.key !== key) this.#api = { key, api: new IdentityApi(this.serverUrl, this.siteId) };
    return this.#api.api;
  }

  get language(): string {
    return this.lang ? resolveLanguage(this.lang) : languageOf(this.discussion ?? this);
  }

  get t(): IdentityTranslate {
    void loadLanguage(this.language)?.then(() => this.requestUpdate());
    return identityTranslator(this.language);
  }

  /** The host organisation's name, when a discussion has loaded it. */
  get siteName(): string | null {
    return this.discussion?.client?.site?.name ?? null;
  }

  get viewerOfDiscussion(): Viewer | null {
    return this.discussion?.client?.viewer ?? null;
  }

  date(iso: string): string {
    return new Date(iso).toLocaleDateString(this.language, { dateStyle: 'medium' });
  }
}

export const identityStyles = [
  controlStyles,
  css`
    :host { display: block; }
    :host([hidden]) { display: none; }
    h2 { font-size: 1.15em; margin: 0 0 var(--_half); }
    h3, [role='heading'] { font-size: 1em; font-weight: 700; margin: var(--_space) 0 var(--_half); }
    .box { padding: var(--_space); border: 1px solid var(--_border); border-radius: var(--_radius); background: var(--_surface); }
    .muted { color: var(--_muted); font-size: 0.9em; }
    .error { color: var(--_danger); font-weight: 600; }
    .error::before { content: '⚠ '; }
    /* An empty alert region stays in place (so what fills it is announced) without a stray icon. */
    .error:empty::before { content: none; }
    .ok::before { content: '✓ '; }
    .note { padding: var(--_half); border: 2px solid currentColor; border-radius: var(--_radius); font-weight: 600; }
    .note::before { content: 'ⓘ '; }
    /* A note of several paragraphs (the welcome's notice) reads as text: no icon on a line of its own, normal weight. */
    .note:has(> p) { font-weight: 400; }
    .note:has(> p)::before { content: none; }
    .note > p { margin: 0.25em 0; }
    ul { margin: 0; padding-inline-start: 1.25em; }
    table { border-collapse: collapse; margin: var(--_half) 0; }
    caption { text-align: start; font-weight: 600; }
    th, td { text-align: start; padding-block: 0.2em; padding-inline: 0 0.8em; vertical-align: top; }
    td.num, th.num { text-align: end; }
    meter { width: 6em; margin-inline-end: 0.5em; }
    label { display: block; font-weight: 600; margin-top: var(--_half); }
    label.check { font-weight: 400; }
    input[type='text'], input[type='email'] {
      font: inherit; color: inherit; background: var(--_bg); border: 1px solid var(--_border);
      border-radius: var(--_radius); padding: 0.3em 0.5em; width: min(100%, 24em); box-sizing: border-box;
    }
    form > button, .actions { margin-top: var(--_half); }
    .former { font-style: italic; }
    button.danger { color: var(--_danger); }
    .badge { font-size: 0.85em; font-weight: 600; padding: 0.05em 0.5em; border: 1px solid currentColor; border-radius: var(--_radius); }
    .badge.staff { color: var(--_accent); }
    .badge.pro { border-style: dashed; }
    section + section { margin-top: var(--_space); }
  `,
];
