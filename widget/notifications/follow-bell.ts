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
import { css, html, LitElement, nothing, type PropertyValues } from 'lit';
import { isFailure, isTransportFailure } from '../client/outcome.js';
import { controlStyles } from '../styles/controls.js';
import { apiFor, languageOf, notifyTranslator, pageUrl, type DiscussionLike, type NotifyTranslate } from './base.js';

export class ParleyFollow extends LitElement {
  static override styles = [
    controlStyles,
    css`
      :host { display: inline-flex; align-items: center; gap: 0.4em; flex-wrap: wrap; }
      button[aria-pressed='true'] { color: var(--_accent-text); background: var(--_accent); border-color: var(--_accent); }
      .bell { display: inline-block; width: 1em; text-align: center; }
      .status:empty { display: none; }
      .status { font-size: 0.9em; }
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
        <span class="bell" aria-hidden="true">${on ? '🔔' : '🔕'}</span> ${t('follow')}
      </button>
      <span part="status" class=${this.message?.ok === false ? 'status error' : 'status'} role="status" data-follow-status>${this.message?.text ?? nothing}</span>`;
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
