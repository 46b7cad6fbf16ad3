/**
 * `<parley-follow>`: the bell on a discussion for following its topic (issue 13), rendered by
 * `<parley-discussion>` in its toolbar for a signed-in member (lazily defined). A toggle button
 * (`aria-pressed`) whose name stays "Follow"; the bell fills and the button is marked when
 * following, and a status line says what changed. Following sends the page's address, so that
 * mail links back to the page the discussion is embedded in (the server keeps it only if it is on
 * one of the site's registered origins). Reversible at any time; a refusal is shown.
 *
 * Properties: `discussion` (the `<parley-discussion>`), `token` (the token in use).
 * Events: `parley-follow-change` `{ following }` (bubbling, composed) after the server agreed.
 * CSS parts: `button`, `status`.
 * CSS custom properties: the `--parley-*` properties of `<parley-discussion>`.
 */
import { css, html, LitElement, nothing, svg, type PropertyValues } from 'lit';
import { isFailure, isTransportFailure } from '../client/outcome.js';
import { controlStyles } from '../styles/controls.js';
import { apiFor, languageOf, notifyTranslator, pageUrl, type DiscussionLike, type NotifyTranslate } from './base.js';

/** A bell, filled while following (a drawing, not an emoji: no font is needed). */
const bell = (filled: boolean) => svg`<svg viewBox="0 0 16 16" aria-hidden="true" focusable="false">
  <path d="M8 1.5a4.5 4.5 0 0 0-4.5 4.5v2.6L2 11v1h12v-1l-1.5-2.4V6A4.5 4.5 0 0 0 8 1.5zM6.2 13a1.8 1.8 0 0 0 3.6 0z"
    fill=${filled ? 'currentColor' : 'none'} stroke="currentColor" stroke-width="1.2" stroke-linejoin="round"/></svg>`;

export class ParleyFollow extends LitElement {
  static override styles = [
    controlStyles,
    css`
      /* The button and its status line take part in the toolbar's own (wrapping) layout. */
      :host { display: contents; }
      button { display: inline-flex; align-items: center; gap: 0.35em; }
      button[aria-pressed='true'] { color: var(--_accent-text); background: var(--_accent); border-color: var(--_accent); }
      svg { width: 1em; height: 1em; flex: none; }
      /* What changed, on a line of its own under the toolbar. */
      .status { flex-basis: 100%; order: 99; margin: 0; text-align: end; }
      .status:empty { display: none; }
      .status.error { color: var(--_danger); font-weight: 600; }
    `,
  ];

  static override properties = {
    discussion: { attribute: false },
    token: { attribute: false },
    following: { state: true },
    busy: { state: true },
    message: { state: true },
  };

  declare discussion?: DiscussionLike;
  declare token: string | null;
  /** Null until the server has said. */
  declare following: boolean | null;
  declare busy: boolean;
  declare message: { ok: boolean; text: string } | null;
  #asked = '';

  constructor() {
    super();
    this.token = null;
    this.following = null;
    this.busy = false;
    this.message = null;
  }

  get #t(): NotifyTranslate {
    return notifyTranslator(languageOf(this.discussion ?? this));
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    const d = this.discussion;
    const viewer = d?.client?.viewer;
    if ((!changed.has('token') && !changed.has('discussion')) || !d || !viewer || !this.token) return;
    // A renewed token of the same person keeps the state; a new sign-in or topic asks again.
    const who = `${d.server} ${d.site} ${d.topic} ${viewer.id}`;
    if (who === this.#asked) return;
    this.#asked = who;
    this.following = null;
    this.message = null;
    void apiFor(d.server, d.site).following(this.token, d.topic).then((res) => {
      if (this.#asked !== who) return;
      this.following = isFailure(res) ? false : res.following;
    });
  }

  override render() {
    const t = this.#t;
    const on = this.following === true;
    return html`<button part="button" type="button" data-follow aria-pressed=${on ? 'true' : 'false'}
        aria-disabled=${this.busy || this.following === null ? 'true' : 'false'} title=${t('followHint')} @click=${this.#toggle}>
        ${bell(on)}<span>${t('follow')}</span>
      </button>
      <p part="status" class=${this.message?.ok === false ? 'status error' : 'status'} role="status" data-follow-status>${this.message?.text ?? nothing}</p>`;
  }

  async #toggle(): Promise<void> {
    const d = this.discussion;
    if (!d || !this.token || this.busy || this.following === null) return;
    const t = this.#t;
    const want = !this.following;
    this.busy = true;
    this.message = null;
    const res = await apiFor(d.server, d.site).follow(this.token, d.topic, want, pageUrl());
    this.busy = false;
    if (isFailure(res)) {
      this.message = { ok: false, text: isTransportFailure(res) ? t('followRetry') : t('followFailed', { message: res.error.message }) };
      return;
    }
    this.following = res.following;
    this.message = { ok: true, text: res.following ? t('followMailNote') : t('followOff') };
    this.dispatchEvent(new CustomEvent('parley-follow-change', { detail: { following: res.following }, bubbles: true, composed: true }));
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'parley-follow': ParleyFollow;
  }
}
