/**
 * `<parley-staff-check slot="check">`: the staff composer's pre-check (issue 6). Before a
 * company employee posts, it asks the server (`POST /api/sites/{site}/staff/check-text`) whether
 * the text is nearly the same as text their colleagues already posted (it would carry the public
 * "scripted" label) and which products of the register it names, and shows, politely:
 * - a warning about the similar text and the label it would carry;
 * - for a prescription-only medicine, a reminder of the site's rule on promotion ("a reminder,
 *   not a block"), and the "Mentions: …" line the post will show.
 *
 * It never blocks: when the check fails or times out the message is sent as usual. It checks at
 * most once a second, once the person pauses typing, and only when the text changed; if "Post" is
 * pressed before a check of that exact text, it checks first and, if that brings up a warning,
 * holds the message once so it can be read (a second press posts it).
 *
 * Rendered by `<parley-discussion>` inside a `<parley-composer>` (its `check` slot) only when the
 * signed-in viewer has a company affiliation: members never call the check. Loaded lazily.
 * Properties: `discussion` (the `<parley-discussion>`: server, site, topic, lang, viewer), `token`.
 * The messages are a polite live region (`role="status"`), worded without relying on colour.
 */
import { css, html, LitElement, nothing } from 'lit';
import { LIMITS } from '../../moderation/limits.js';
import type { ProductMentionNote } from '../../moderation/types.js';
import type { ParleyComposer } from '../components/parley-composer.js';
import { authenticityMessages } from '../i18n/authenticity.js';
import { loadLanguage, resolveLanguage, translator } from '../i18n/index.js';
import type { TopicSession } from '../client/session.js';
import { controlStyles } from '../styles/controls.js';

export { authenticityMessages };

/** The answer of `POST /staff/check-text` (docs/api.md). */
export interface StaffTextCheck {
  similar: { count: number; postIds: string[] };
  threshold: number;
  productMentions: Array<ProductMentionNote & { companyId: string }>;
  promotionRule: { id: string; version: number; title: string; text: string; url: string } | null;
}

interface DiscussionLike extends HTMLElement {
  server: string;
  site: string;
  topic: string;
  lang: string;
  readonly client?: TopicSession;
}

/** Quiet time after the last keystroke, and the least time between two checks. */
const PAUSE_MS = 1000;
const MIN_INTERVAL_MS = 1000;
/** A check that takes longer than this is given up: posting goes ahead. */
const TIMEOUT_MS = 4000;

const needsAttention = (r: StaffTextCheck) => r.similar.count > 0 || r.productMentions.some((m) => m.prescriptionOnly);

export class ParleyStaffCheck extends LitElement {
  static override styles = [
    controlStyles,
    css`
      :host { display: block; }
      p { margin: var(--_half) 0 0; padding-inline-start: 0.6em; border-inline-start: 3px solid currentColor; }
      .held { font-weight: 600; }
    `,
  ];

  static override properties = {
    discussion: { attribute: false },
    token: { attribute: false },
    result: { state: true },
    held: { state: true },
  };

  declare discussion?: DiscussionLike;
  declare token: string | null;
  declare result: StaffTextCheck | null;
  declare held: boolean;

  #composer: ParleyComposer | null = null;
  #timer?: ReturnType<typeof setTimeout>;
  /** The trimmed text whose check is shown. */
  #checked = '';
  #lastRequest = 0;
  #inFlight: { text: string; answer: Promise<StaffTextCheck | null> } | null = null;

  constructor() {
    super();
    this.token = null;
    this.result = null;
    this.held = false;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.#composer = this.closest('parley-composer');
    this.#composer?.addEventListener('input', this.#onInput);
    if (this.#composer) this.#composer.beforeSubmit = this.#gate;
    this.#listen(this.discussion);
    // A draft typed before this chunk arrived is checked too.
    if (this.#text()) this.#onInput();
  }

  // `discussion` may arrive after connection (set before this element was defined, Lit restores
  // it on the first update): follow it from here.
  protected override willUpdate(changed: Map<PropertyKey, unknown>): void {
    if (changed.has('discussion')) this.#listen(this.discussion);
  }

  #listeningTo?: HTMLElement;
  #listen(d: HTMLElement | undefined): void {
    if (d === this.#listeningTo) return;
    this.#listeningTo?.removeEventListener('parley-post-created', this.#onPosted);
    d?.addEventListener('parley-post-created', this.#onPosted);
    this.#listeningTo = d;
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    clearTimeout(this.#timer);
    this.#composer?.removeEventListener('input', this.#onInput);
    if (this.#composer?.beforeSubmit === this.#gate) this.#composer.beforeSubmit = undefined;
    this.#listen(undefined);
    this.#composer = null;
  }

  get #t() {
    const lang = resolveLanguage(this.discussion?.lang || this.closest('[lang]')?.getAttribute('lang') || document.documentElement.lang);
    void loadLanguage(lang)?.then(() => this.requestUpdate());
    return translator(lang, authenticityMessages);
  }

  #text(): string {
    return this.#composer?.shadowRoot?.querySelector('textarea')?.value.trim() ?? '';
  }

  #onInput = (): void => {
    clearTimeout(this.#timer);
    const text = this.#text();
    if (!text) return this.#reset();
    if (text === this.#checked) return;
    const wait = Math.max(PAUSE_MS, this.#lastRequest + MIN_INTERVAL_MS - Date.now());
    this.#timer = setTimeout(() => void this.#check(this.#text()), wait);
  };

  /** After a post the composer is emptied (right after this event): forget the old warnings. */
  #onPosted = (): void => {
    queueMicrotask(() => {
      if (!this.#text()) this.#reset();
    });
  };

  #reset(): void {
    this.#checked = '';
    this.result = null;
    this.held = false;
  }

  /** Held back once when pressing "Post" brings up a warning the person has not seen; never otherwise. */
  #gate = async (body: string): Promise<boolean> => {
    const text = body.trim();
    if (text === this.#checked) return true;
    clearTimeout(this.#timer);
    const result = await this.#check(text);
    if (!result || !needsAttention(result)) return true;
    this.held = true;
    return false;
  };

  /** Checks `text` (one request at a time per text); null when the check failed. */
  #check(text: string): Promise<StaffTextCheck | null> {
    if (!text || text.length > LIMITS.postBodyMaxChars) return Promise.resolve(null);
    if (text === this.#checked) return Promise.resolve(this.result);
    if (this.#inFlight?.text === text) return this.#inFlight.answer;
    this.#lastRequest = Date.now();
    const answer = this.#request(text).then((result) => {
      if (this.#inFlight?.answer === answer) this.#inFlight = null;
      // Shown only while it is still the text in the composer.
      if (result && this.#text() === text) {
        this.result = result;
        this.#checked = text;
        this.held = false;
      }
      return result;
    });
    this.#inFlight = { text, answer };
    return answer;
  }

  async #request(body: string): Promise<StaffTextCheck | null> {
    const d = this.discussion;
    if (!d || !this.token) return null;
    const server = (d.server || new URL(import.meta.url).origin).replace(/\/+$/, '');
    try {
      const res = await fetch(`${server}/api/sites/${encodeURIComponent(d.site)}/staff/check-text`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json', authorization: `Bearer ${this.token}` },
        body: JSON.stringify({ topic: d.topic, body }),
        signal: AbortSignal.timeout(TIMEOUT_MS),
      });
      if (!res.ok) return null;
      const data = (await res.json()) as StaffTextCheck;
      return data && data.similar && Array.isArray(data.productMentions) ? data : null;
    } catch {
      // Offline, timed out, refused: the check is advice, never a gate.
      return null;
    }
  }

  override render() {
    const r = this.result;
    const t = this.#t;
    const company = this.discussion?.client?.viewer?.affiliation?.companyName ?? '';
    const rx = r ? r.productMentions.filter((m) => m.prescriptionOnly) : [];
    const names = (list: ProductMentionNote[]) => [...new Set(list.map((m) => m.name))].join(', ');
    const rule = r?.promotionRule;
    const line = r?.productMentions.length
      ? t('mentions', { list: r.productMentions.map((m) => (m.prescriptionOnly ? t('mentionRx', { name: m.name }) : m.name)).join(', ') })
      : '';
    const count = r?.similar.count ?? 0;
    return html`<div role="status" aria-label=${t('checkRegion')}>
      ${count > 0
        ? html`<p class="similar" data-similar>⚠ ${t('checkSimilar', { company, count, label: count + 1 })}</p>`
        : nothing}
      ${rx.length
        ? html`<p class="reminder" data-reminder>ⓘ ${t('checkRx', { names: names(rx), count: new Set(rx.map((m) => m.name)).size })}
            ${rule ? t('checkRule', { id: rule.id, title: rule.title, text: rule.text }) : t('checkNoRule')}
            ${rule && /^https?:/i.test(rule.url) ? html`<a href=${rule.url} target="_blank" rel="noopener">${t('checkRuleLink', { id: rule.id })}</a>` : nothing}
            <strong>${t('checkNotBlock')}</strong></p>`
        : nothing}
      ${line ? html`<p class="shows" data-shows>${t('checkShows', { line })}</p>` : nothing}
      ${this.held && r
        ? html`<p class="held" data-held>${t('checkHeld', { button: this.#composer?.submitLabel || t('send') })}</p>`
        : nothing}
    </div>`;
  }
}

if (!customElements.get('parley-staff-check')) customElements.define('parley-staff-check', ParleyStaffCheck);

declare global {
  interface HTMLElementTagNameMap {
    'parley-staff-check': ParleyStaffCheck;
  }
}
