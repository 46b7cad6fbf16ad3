/**
 * `<parley-safety-panel>`: the "Possible side effects" section of moderator mode (issue 6),
 * rendered by `<parley-moderation>`. Lists
 * - deliveries that need attention (`GET /safety/deliveries`: failing, failed, or email held in
 *   the outbox because the server has no mail server), with "Retry now" where it can help;
 * - flags, newest first, forwarded or not (`GET /safety/flags`, "Load more" by cursor; a filter
 *   for those not yet forwarded): products, company, when, topic, reference, whether the
 *   company's staff saw it, the member's answer, the post's text, and the same line as on the
 *   post (`<parley-safety-flag>`: one-step forward, delivery state, retry).
 * Flags are not reports: this is a section of its own, outside the moderation queue.
 * Moderators' views start no company's clock, so listing everything here is fine.
 * Properties as the other moderation elements (`discussion` or `server`/`site`, `token`, `lang`).
 */
import { html, nothing, type PropertyValues } from 'lit';
import type { SafetyFlagView } from '../../moderation/safety.js';
import { isFailure } from '../client/outcome.js';
import { ModElement, modStyles } from '../moderation/base.js';
import { SafetyApi, type ListedDelivery } from './api.js';
import './flag.js';
import { deliveryState, safetyTranslator, when, type SafetyTranslate } from './shared.js';

const PAGE = 20;
/** A post's text in the list: enough to judge, not the whole post (its link is in the forward). */
const EXCERPT_CHARS = 400;

export class ParleySafetyPanel extends ModElement {
  static override styles = modStyles;
  static override properties = {
    ...ModElement.properties,
    flags: { state: true },
    next: { state: true },
    attention: { state: true },
    onlyOpen: { state: true },
    failed: { state: true },
    notes: { state: true },
  };

  declare flags: SafetyFlagView[] | null;
  declare next: string | null;
  declare attention: ListedDelivery[];
  declare onlyOpen: boolean;
  declare failed: string;
  /** A refusal or confirmation per delivery id in the attention list. */
  declare notes: Record<string, { text: string; error: boolean }>;

  #safetyApi?: { key: string; api: SafetyApi };
  #listeningTo?: HTMLElement;

  constructor() {
    super();
    this.flags = null;
    this.next = null;
    this.attention = [];
    this.onlyOpen = false;
    this.failed = '';
    this.notes = {};
  }

  get safetyApi(): SafetyApi {
    const server = this.discussion?.server || this.server;
    const site = this.discussion?.site || this.site;
    const key = `${server} ${site}`;
    if (this.#safetyApi?.key !== key) this.#safetyApi = { key, api: new SafetyApi(server, site) };
    return this.#safetyApi.api;
  }

  get st(): SafetyTranslate {
    return safetyTranslator(this.language);
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('discussion')) this.#listen(this.discussion);
    if (changed.has('token') || changed.has('server') || changed.has('site') || changed.has('discussion')) void this.refresh();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#listen(undefined);
  }

  // A forward from a post's own line (in the discussion) shows here too, and the other way round.
  #listen(d: HTMLElement | undefined): void {
    if (d === this.#listeningTo) return;
    this.#listeningTo?.removeEventListener('parley-safety-flag', this.#onFlag);
    d?.addEventListener('parley-safety-flag', this.#onFlag);
    this.#listeningTo = d;
  }

  #onFlag = (e: Event): void => {
    const flag = (e as CustomEvent<SafetyFlagView>).detail;
    if (flag && this.flags?.some((f) => f.id === flag.id)) this.flags = this.flags.map((f) => (f.id === flag.id ? flag : f));
    if (flag?.forward) void this.#loadAttention();
  };

  /** Reload the first page of flags and the deliveries that need attention. */
  async refresh(): Promise<void> {
    if (!this.token) return;
    this.notes = {};
    await Promise.all([this.#loadFlags(false), this.#loadAttention()]);
  }

  async #loadFlags(more: boolean): Promise<void> {
    if (!this.token) return;
    const res = await this.safetyApi.flags(this.token, {
      limit: PAGE,
      ...(this.onlyOpen ? { forwarded: false } : {}),
      ...(more && this.next ? { cursor: this.next } : {}),
    });
    if (isFailure(res)) {
      this.failed = this.st('panelLoadFailed', { message: res.error.message });
      return;
    }
    this.failed = '';
    this.flags = more ? [...(this.flags ?? []), ...res.flags.filter((f) => !this.flags?.some((x) => x.id === f.id))] : res.flags;
    this.next = res.nextCursor;
  }

  async #loadAttention(): Promise<void> {
    if (!this.token) return;
    const res = await this.safetyApi.deliveries(this.token);
    // Held email counts: without a mail server, nothing reaches the safety team.
    if (!isFailure(res)) this.attention = res.deliveries.filter((d) => d.status !== 'delivered' && (d.failing || d.status === 'failed' || d.status === 'held'));
  }

  #filter(onlyOpen: boolean): void {
    if (this.onlyOpen === onlyOpen) return;
    this.onlyOpen = onlyOpen;
    this.next = null;
    void this.#loadFlags(false);
  }

  override render() {
    const t = this.st;
    if (!this.token) return nothing;
    return html`<section class="box" aria-labelledby="safety-title" data-safety-panel>
      <h3 id="safety-title">${t('panelTitle')}</h3>
      <p class="muted">${t('panelIntro')}</p>
      <div class="actions" role="group" aria-label=${t('panelFilter')}>
        <button type="button" aria-pressed=${this.onlyOpen ? 'false' : 'true'} @click=${() => this.#filter(false)}>${t('panelShowAll')}</button>
        <button type="button" aria-pressed=${this.onlyOpen ? 'true' : 'false'} @click=${() => this.#filter(true)}>${t('panelShowOpen')}</button>
        <button type="button" data-safety-refresh @click=${() => this.refresh()}>${t('panelRefresh')}</button>
      </div>
      ${this.failed ? html`<p class="error" role="alert">${this.failed}</p>` : nothing}
      <h4>${t('panelAttention')}</h4>
      ${this.attention.length
        ? html`<ul data-safety-attention>${this.attention.map((d) => this.#attentionItem(d, t))}</ul>`
        : html`<p class="muted">${t('panelAttentionNone')}</p>`}
      <h4>${t('panelTitle')}</h4>
      ${this.flags === null && !this.failed ? html`<p class="muted" role="status">…</p>` : nothing}
      ${this.flags
        ? this.flags.length
          ? html`<ul data-safety-flags>${this.flags.map((f) => this.#flagItem(f, t))}</ul>`
          : html`<p>${t('panelEmpty')}</p>`
        : nothing}
      ${this.next ? html`<button type="button" @click=${() => this.#loadFlags(true)}>${t('panelMore')}</button>` : nothing}
    </section>`;
  }

  #flagItem(f: SafetyFlagView, t: SafetyTranslate) {
    const company = f.company.name;
    const body = f.post?.body ?? '';
    const excerpt = body.length > EXCERPT_CHARS ? `${body.slice(0, EXCERPT_CHARS)}…` : body;
    return html`<li data-safety-item=${f.id} data-post=${f.postId}>
      <h5>${t('panelFlagHeading', { products: f.products.join(', '), company })}</h5>
      <p class="muted">${t('panelMeta', { date: when(f.detectedAt, this.language), topic: f.topic, reference: f.reference })}
        · ${f.firstSeenByCompanyStaffAt ? t('panelFirstSeen', { company, date: when(f.firstSeenByCompanyStaffAt, this.language) }) : t('panelNotSeen', { company })}
        · ${t(f.memberConsent === true ? 'panelConsent_true' : f.memberConsent === false ? 'panelConsent_false' : 'panelConsent_null')}</p>
      ${f.post && f.post.status === 'visible'
        ? html`<blockquote class="post-text">${f.post.author.name}: ${excerpt}</blockquote>`
        : html`<p class="muted">${t('panelRemoved')}</p>`}
      <parley-safety-flag .flags=${[f]} moderator .api=${this.safetyApi} .token=${this.token} lang=${this.language}></parley-safety-flag>
    </li>`;
  }

  #attentionItem(d: ListedDelivery, t: SafetyTranslate) {
    const flag = this.flags?.find((f) => f.id === d.flagId);
    const channel = t(d.channel === 'email' ? 'channel_email' : 'channel_webhook');
    const state = deliveryState(d, t, this.language);
    const note = this.notes[d.id];
    return html`<li data-attention=${d.id} data-status=${d.status}>
      ${t('panelDeliveryFor', { channel, company: flag?.company.name ?? d.company, reference: flag?.reference ?? d.flagId })}: ${state.text}
      ${d.lastError && d.status !== 'held' ? html`<span class="muted">— ${d.lastError}</span>` : nothing}
      ${state.retry
        ? html`<button type="button" class="link" aria-label=${t('deliveryRetryName', { channel })} @click=${() => this.#retry(d)}>${t('deliveryRetry')}</button>`
        : nothing}
      ${note ? html`<span class=${note.error ? 'error' : ''} role=${note.error ? 'alert' : 'status'}>${note.text}</span>` : nothing}
    </li>`;
  }

  async #retry(d: ListedDelivery): Promise<void> {
    if (!this.token) return;
    const res = await this.safetyApi.retry(d.id, this.token);
    const t = this.st;
    this.notes = {
      ...this.notes,
      [d.id]: isFailure(res) ? { text: t('deliveryRetryFailed', { message: res.error.message }), error: true } : { text: t('deliveryRetried'), error: false },
    };
    if (!isFailure(res)) this.attention = this.attention.map((x) => (x.id === d.id ? { ...x, ...res.delivery } : x));
  }
}

if (!customElements.get('parley-safety-panel')) customElements.define('parley-safety-panel', ParleySafetyPanel);

declare global {
  interface HTMLElementTagNameMap {
    'parley-safety-panel': ParleySafetyPanel;
  }
}
