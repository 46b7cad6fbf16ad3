/**
 * `<parley-safety-flag>`: the line under a post that may describe a side effect, for moderators
 * and for verified staff of the company concerned (issue 6). Also used, one flag at a time, in
 * the moderators' "Possible side effects" section.
 *
 * - Not forwarded yet: "Possible side effect of Rememba · [Forward to Acme Pharma's safety team]"
 *   — one step, no confirmation (a forward is what the safety team needs; it changes nothing on
 *   the forum). A refusal is shown next to the button (e.g. no safety contact named).
 * - Forwarded: "Forwarded to Acme Pharma for safety review <time> by …", and for moderators the
 *   state of each delivery (sending / delivered / retrying / failed / waiting in the outbox) with
 *   "Retry now" where the server allows it. After a forward or a retry the flag is re-read a few
 *   times, so the outcome of the attempt shows without a reload.
 *
 * The post itself is never touched: this element only sits next to it.
 * Properties: `flags` (SafetyFlagView[] of one post), `moderator`, `api`, `token`, `lang`.
 * Event: `parley-safety-flag` (bubbling, composed) with the updated flag, so that other views of
 * the same flag (the post's line, the moderators' section) stay in step.
 * CSS parts: `button`.
 */
import { html, LitElement, nothing } from 'lit';
import type { SafetyDeliveryView, SafetyFlagView, SafetyForwardView } from '../../moderation/safety.js';
import { isFailure, type Failure } from '../client/outcome.js';
import { renderTime } from '../components/time.js';
import { controlStyles } from '../styles/controls.js';
import type { SafetyApi } from './api.js';
import { deliveryState, noteStyles, safetyTranslator, type SafetyTranslate } from './shared.js';

/** When to re-read a flag after a forward or a retry: its deliveries are attempted at once, in the background. */
const FOLLOW_MS = [1500, 4000, 10_000];

export class ParleySafetyFlag extends LitElement {
  static override styles = [controlStyles, noteStyles];
  static override properties = {
    flags: { attribute: false },
    moderator: { type: Boolean },
    api: { attribute: false },
    token: { attribute: false },
    lang: {},
    busy: { state: true },
    errors: { state: true },
    notes: { state: true },
  };

  declare flags: SafetyFlagView[];
  declare moderator: boolean;
  declare api?: SafetyApi;
  declare token: string | null;
  declare lang: string;
  /** Flag or delivery ids with a request under way. */
  declare busy: ReadonlySet<string>;
  /** A refusal per flag or delivery id, shown next to its button. */
  declare errors: Readonly<Record<string, string>>;
  /** A short confirmation per delivery id ("Trying again now…"). */
  declare notes: Readonly<Record<string, string>>;

  #timers = new Set<ReturnType<typeof setTimeout>>();

  constructor() {
    super();
    this.flags = [];
    this.moderator = false;
    this.token = null;
    this.lang = 'en';
    this.busy = new Set();
    this.errors = {};
    this.notes = {};
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    for (const timer of this.#timers) clearTimeout(timer);
    this.#timers.clear();
  }

  get #t(): SafetyTranslate {
    return safetyTranslator(this.lang);
  }

  override render() {
    return this.flags.map((f) => this.#flag(f, this.#t));
  }

  #flag(f: SafetyFlagView, t: SafetyTranslate) {
    const company = f.company.name;
    const busy = this.busy.has(f.id);
    const error = this.errors[f.id];
    return html`<div class="note" data-flag=${f.id}>
      <p>
        <span class="info-mark" aria-hidden="true">i</span> ${t('flagLine', { products: f.products.join(', ') })}
        ${f.eventTerms.length ? html`<span class="muted">${t('flagTerms', { terms: f.eventTerms.join(', ') })}</span>` : nothing}
        ${f.forward
          ? nothing
          : f.youMayForward
            ? html`· <button part="button" type="button" class="link" data-forward aria-disabled=${busy ? 'true' : 'false'} @click=${() => this.#forward(f)}>
                ${busy ? t('flagForwarding') : t('flagForward', { company })}</button>`
            : !f.company.hasSafetyContact
              ? html`· <span data-no-contact>${t('flagNoContact', { company })}</span>`
              : nothing}
        ${error ? html`<span class="error" role="alert" data-error>${error}</span>` : nothing}
      </p>
      ${f.forward ? this.#forwarded(f, f.forward, t) : nothing}
    </div>`;
  }

  #forwarded(f: SafetyFlagView, fw: SafetyForwardView, t: SafetyTranslate) {
    const company = f.company.name;
    const who = fw.by.role === 'moderator' ? t('flagByModerator') : t('flagByStaff', { company });
    return html`<p class="ok" data-forwarded tabindex="-1">
        ${t('flagForwarded', { company })} ${renderTime(fw.at, this.lang, Date.now())} ${t('flagBy', { who: fw.by.name ? `${who} (${fw.by.name})` : who })}
      </p>
      ${this.moderator && fw.deliveries.length
        ? html`<ul aria-label=${t('deliveriesLabel', { company })} data-deliveries>
            ${fw.deliveries.map((d) => this.#delivery(f, d, t))}
          </ul>`
        : nothing}`;
  }

  #delivery(f: SafetyFlagView, d: SafetyDeliveryView, t: SafetyTranslate) {
    const state = deliveryState(d, t, this.lang);
    const channel = t(d.channel === 'email' ? 'channel_email' : 'channel_webhook');
    const error = this.errors[d.id];
    const note = this.notes[d.id];
    return html`<li data-delivery=${d.id} data-channel=${d.channel} data-status=${d.status}>
      ${channel}${d.kind === 'consent-update' ? ` (${t('kind_consent')})` : ''}: ${state.text}
      ${d.lastError && (d.status === 'pending' || d.status === 'failed') ? html`<span class="muted">— ${d.lastError}</span>` : nothing}
      ${state.retry
        ? html`<button part="button" type="button" class="link" data-retry aria-label=${t('deliveryRetryName', { channel })}
            aria-disabled=${this.busy.has(d.id) ? 'true' : 'false'} @click=${() => this.#retry(f, d)}>${t('deliveryRetry')}</button>`
        : nothing}
      ${note ? html`<span role="status">${note}</span>` : nothing}
      ${error ? html`<span class="error" role="alert">${error}</span>` : nothing}
    </li>`;
  }

  #setBusy(id: string, on: boolean): void {
    const next = new Set(this.busy);
    if (on) next.add(id);
    else next.delete(id);
    this.busy = next;
  }

  #setError(id: string, text: string): void {
    this.errors = { ...this.errors, [id]: text };
  }

  /** Replaces the flag here and tells the other views of it. */
  #update(flag: SafetyFlagView): void {
    this.flags = this.flags.map((f) => (f.id === flag.id ? flag : f));
    this.dispatchEvent(new CustomEvent('parley-safety-flag', { detail: flag, bubbles: true, composed: true }));
  }

  #refusal(f: SafetyFlagView, failure: Failure): string {
    const t = this.#t;
    const company = f.company.name;
    const { code, message } = failure.error;
    if (code === 'no_safety_contact') return t('flagNoContact', { company });
    if (code === 'forbidden' || code === 'not_found') return t('flagNotAllowed', { company });
    if (code === 'network' || code === 'timeout') return t('flagNetwork');
    return t('flagRefused', { message });
  }

  async #forward(f: SafetyFlagView): Promise<void> {
    if (this.busy.has(f.id) || !this.api || !this.token) return;
    this.#setBusy(f.id, true);
    this.#setError(f.id, '');
    const res = await this.api.forward(f.id, this.token);
    this.#setBusy(f.id, false);
    if (isFailure(res)) {
      this.#setError(f.id, this.#refusal(f, res));
      return;
    }
    this.#update({ ...f, forward: res.forward, youMayForward: false });
    // The button is gone: give focus to what replaced it, so keyboard and screen-reader users hear the outcome.
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>(`[data-flag="${CSS.escape(f.id)}"] [data-forwarded]`)?.focus();
    if (this.moderator) this.#follow(f.id);
  }

  async #retry(f: SafetyFlagView, d: SafetyDeliveryView): Promise<void> {
    if (this.busy.has(d.id) || !this.api || !this.token || !f.forward) return;
    const t = this.#t;
    this.#setBusy(d.id, true);
    this.#setError(d.id, '');
    const res = await this.api.retry(d.id, this.token);
    this.#setBusy(d.id, false);
    if (isFailure(res)) {
      this.#setError(d.id, t('deliveryRetryFailed', { message: res.error.message }));
      return;
    }
    const current = this.flags.find((x) => x.id === f.id) ?? f;
    if (current.forward) {
      const deliveries = current.forward.deliveries.map((x) => (x.id === d.id ? res.delivery : x));
      this.#update({ ...current, forward: { ...current.forward, deliveries } });
    }
    this.notes = { ...this.notes, [d.id]: t('deliveryRetried') };
    this.#follow(f.id);
  }

  /**
   * Re-reads the flag a few times until each delivery that was due has had its attempt (its
   * `attempts` grew past `before`) or is no longer pending.
   */
  #follow(flagId: string, before = this.#attempts(flagId), step = 0): void {
    const timer = setTimeout(async () => {
      this.#timers.delete(timer);
      if (!this.api || !this.token || !this.isConnected) return;
      const res = await this.api.flag(flagId, this.token);
      if (isFailure(res)) return;
      this.#update(res.flag);
      const deliveries = res.flag.forward?.deliveries ?? [];
      const settled = deliveries.every((d) => d.status !== 'pending' || d.attempts > (before.get(d.id) ?? 0));
      if (settled) {
        const ids = new Set(deliveries.map((d) => d.id));
        this.notes = Object.fromEntries(Object.entries(this.notes).filter(([id]) => !ids.has(id)));
      } else if (step + 1 < FOLLOW_MS.length) {
        this.#follow(flagId, before, step + 1);
      }
    }, FOLLOW_MS[step]);
    this.#timers.add(timer);
  }

  #attempts(flagId: string): Map<string, number> {
    const deliveries = this.flags.find((f) => f.id === flagId)?.forward?.deliveries ?? [];
    return new Map(deliveries.map((d) => [d.id, d.attempts]));
  }
}

if (!customElements.get('parley-safety-flag')) customElements.define('parley-safety-flag', ParleySafetyFlag);

declare global {
  interface HTMLElementTagNameMap {
    'parley-safety-flag': ParleySafetyFlag;
  }
}
