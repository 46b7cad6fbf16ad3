/**
 * `<parley-company-desk server site company token lang thread-url>`: what patients and doctors are
 * waiting for from one company (issue 14), shared by that company's verified staff. Lazily loaded
 * (widget/index.ts loads it when the element appears; `<parley-discussion>` opens it for staff).
 *
 * - Open questions, oldest first: who asked, in which topic, how long it has waited, a link into
 *   the thread, and "I'm on it" claims that colleagues see (who, since when, released
 *   automatically after the site's `claimHours`), with "I'm on it" / "Release"; "Answered
 *   elsewhere?" marks a question answered by one of the viewer's own replies (its id or link).
 * - Mentions of the company and its products in member posts, newest first.
 * - Possible side effects about its products, each with its forward status and the one-step
 *   forward (`<parley-safety-flag>`, widget/safety/).
 * - Its public figures and pledge (as on the company card), its presence chart
 *   (`<parley-presence>`), a pending pledge, and a form to propose one (the host's admin approves).
 * - Filters by product and by topic (for a company's several teams): filters, not private notes —
 *   nothing on the desk is hidden from the host's moderators, who read it without acting.
 * - Live: joins `desk:join {company}` on its own socket; on `desk:updated` the desk is read again
 *   and "The desk was updated" is announced politely. Without the socket it says it is not live.
 *
 * Attributes / properties: `server`, `site`, `lang`, `token` (the viewer's access token), or
 * `discussion` (a `<parley-discussion>` to take server, site and language from); `company` (id);
 * `thread-url` / `threadUrl` (optional): the host's page of a thread, with `{topic}` and `{post}`
 * (e.g. `/forum/{topic}#post-{post}`); without it a question links to its post in the API.
 * Data: `GET /api/sites/{site}/companies/{id}/desk?product=&topic=` (docs/api.md).
 * Events: `parley-desk-loaded` `{ desk }` after each read.
 * CSS parts: `button`, `question`.
 */
import { css, html, nothing, type PropertyValues } from 'lit';
import { repeat } from 'lit/directives/repeat.js';
import { io, type Socket } from 'socket.io-client';
import { LIMITS } from '../moderation/limits.js';
import { SOCKET_EVENTS } from '../moderation/protocol.js';
import type { SafetyFlagView } from '../moderation/safety.js';
import type { CompanyDesk, DeskQuestion, DeskUpdated, Viewer } from '../moderation/types.js';
import { isFailure, type Failure, type Outcome } from './client/outcome.js';
import { requestJson } from './client/request.js';
import { duration, renderTime } from './components/time.js';
import { DeskApi } from './desk/api.js';
import { deskTranslator, pledgeDays, renderQuestionFigures, type DeskTranslate } from './desk/figures.js';
import { ModElement, modStyles, postText } from './moderation/base.js';
import { themeStyles } from './styles/tokens.js';
import { SafetyApi } from './safety/api.js';
import './components/presence-chart.js';
import './safety/flag.js';

/** Updates arriving together (a reply that answers and releases) are read once. */
const SETTLE_MS = 250;

const deskStyles = css`
  section.part { margin-top: var(--_space); }
  .filters { display: flex; flex-wrap: wrap; gap: var(--_half) var(--_space); align-items: end; border: 0; padding: 0; margin: var(--_half) 0; }
  .filters label { margin: 0; }
  .filters select { width: auto; display: block; }
  ol.questions, ul.mentions, ul.flags { list-style: none; padding: 0; margin: 0; }
  ol.questions > li, ul.mentions > li, ul.flags > li { border: 1px solid var(--_border); border-radius: var(--_radius); padding: var(--_half) var(--_space); margin: var(--_half) 0; }
  .meta { margin: 0; }
  .claim { margin: 0.3em 0; font-weight: 600; }
  .actions { align-items: center; }
  details { margin-top: var(--_half); }
  .sr { position: absolute; width: 1px; height: 1px; overflow: hidden; clip-path: inset(50%); white-space: nowrap; }
  input[type='text'] { width: min(100%, 24em); }
`;

export class ParleyCompanyDesk extends ModElement {
  static override styles = [themeStyles, ...modStyles, deskStyles];

  static override properties = {
    ...ModElement.properties,
    company: {},
    threadUrl: { attribute: 'thread-url' },
    desk: { state: true },
    failure: { state: true },
    live: { state: true },
    product: { state: true },
    topic: { state: true },
    notes: { state: true },
    busy: { state: true },
    announcement: { state: true },
  };

  declare company: string;
  declare threadUrl: string;
  declare desk: CompanyDesk | null;
  declare failure: Failure | null;
  declare live: boolean;
  declare product: string;
  declare topic: string;
  /** A confirmation or refusal per question id, and for the pledge form (`pledge`). */
  declare notes: Readonly<Record<string, { text: string; error: boolean }>>;
  /** Question ids (or `pledge`) with a request under way. */
  declare busy: ReadonlySet<string>;
  declare announcement: string;

  /** Topics seen on the unfiltered desk, for the topic filter (id → title). */
  #topics = new Map<string, string>();
  #socket?: Socket;
  #me?: { token: string; id: string | null };
  #settle?: ReturnType<typeof setTimeout>;
  #reads = 0;

  constructor() {
    super();
    this.company = this.threadUrl = this.product = this.topic = this.announcement = '';
    this.desk = this.failure = null;
    this.live = false;
    this.notes = {};
    this.busy = new Set();
  }

  get dt(): DeskTranslate {
    return deskTranslator(this.language);
  }

  get #server(): string {
    return (this.discussion?.server || this.server || new URL(import.meta.url).origin).replace(/\/+$/, '');
  }

  get #site(): string {
    return this.discussion?.site || this.site;
  }

  get #api(): DeskApi {
    return new DeskApi(this.#server, this.#site, this.company);
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    const place = (['company', 'server', 'site', 'discussion'] as const).some((k) => changed.has(k));
    if (place) {
      // Another desk: start afresh. A renewed token only reads the same desk again, without flicker.
      this.desk = null;
      this.failure = null;
      this.#topics.clear();
    }
    if (place || changed.has('token')) {
      void this.refresh();
      this.#connect();
    }
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    clearTimeout(this.#settle);
    this.#socket?.close();
    this.#socket = undefined;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    if (this.hasUpdated && !this.#socket) this.#connect();
  }

  /** Read the desk again (with the current filters). */
  async refresh(): Promise<void> {
    const read = ++this.#reads;
    if (!this.company || !this.#site || !this.token) {
      this.desk = null;
      return;
    }
    const token = this.token;
    const [res] = await Promise.all([this.#api.desk(token, { product: this.product || undefined, topic: this.topic || undefined }), this.#whoAmI(token)]);
    if (read !== this.#reads) return;
    if (isFailure(res)) {
      this.failure = res;
      return;
    }
    this.failure = null;
    this.desk = res;
    if (!this.product && !this.topic) {
      for (const item of [...res.openQuestions, ...res.mentions]) this.#topics.set(item.topic.id, item.topic.title || item.topic.id);
    }
    this.dispatchEvent(new CustomEvent('parley-desk-loaded', { detail: { desk: res }, bubbles: true, composed: true }));
  }

  /** The viewer's id, to tell their own claims from colleagues'. */
  async #whoAmI(token: string): Promise<void> {
    if (this.#me?.token === token) return;
    const known = this.discussion?.client?.viewer;
    if (known) return void (this.#me = { token, id: known.id });
    const res: Outcome<{ viewer: Viewer }> = await requestJson('GET', `${this.#server}/api/sites/${encodeURIComponent(this.#site)}/me`, { token });
    this.#me = { token, id: isFailure(res) ? null : res.viewer.id };
  }

  /** Follow the desk live: its own socket, signed in with the viewer's token. */
  #connect(): void {
    this.#socket?.close();
    this.#socket = undefined;
    this.live = false;
    if (!this.isConnected || !this.company || !this.#site || !this.token) return;
    const company = this.company;
    const socket = io(this.#server, { transports: ['polling', 'websocket'], auth: { site: this.#site, token: this.token } });
    this.#socket = socket;
    socket.on('connect', async () => {
      const res = (await socket.timeout(10_000).emitWithAck(SOCKET_EVENTS.deskJoin, { company }).catch(() => null)) as Outcome<unknown> | null;
      if (this.#socket !== socket) return;
      this.live = !!res && !isFailure(res);
      // Back after a drop: catch up on what happened meanwhile.
      if (this.live && this.desk) this.#schedule();
    });
    socket.on('disconnect', () => void (this.live = false));
    socket.on(SOCKET_EVENTS.deskUpdated, (msg: DeskUpdated) => {
      if (msg?.company === company) this.#schedule(true);
    });
  }

  #schedule(announce = false): void {
    clearTimeout(this.#settle);
    this.#settle = setTimeout(async () => {
      await this.refresh();
      if (announce) this.#say(this.dt('deskUpdated'));
    }, SETTLE_MS);
  }

  #say(text: string): void {
    this.announcement = text === this.announcement ? `${text}\u00a0` : text;
  }

  #threadHref(q: { post: { id: string }; topic: { id: string } }): string {
    const tpl = this.threadUrl;
    if (tpl && /^(https?:\/\/|\/)/i.test(tpl)) {
      return tpl.replaceAll('{topic}', encodeURIComponent(q.topic.id)).replaceAll('{post}', encodeURIComponent(q.post.id)).replaceAll('{site}', encodeURIComponent(this.#site));
    }
    return `${this.#api.base}/posts/${encodeURIComponent(q.post.id)}`;
  }

  #note(id: string, text: string, error: boolean): void {
    this.notes = { ...this.notes, [id]: { text, error } };
  }

  #setBusy(id: string, on: boolean): void {
    const next = new Set(this.busy);
    if (on) next.add(id);
    else next.delete(id);
    this.busy = next;
  }

  async #toggleClaim(q: DeskQuestion): Promise<void> {
    const id = q.post.id;
    if (this.busy.has(id) || !this.token) return;
    const mine = !!q.claim && q.claim.byUserId === this.#me?.id;
    this.#setBusy(id, true);
    const res = mine ? await this.#api.release(this.token, id) : await this.#api.claim(this.token, id);
    this.#setBusy(id, false);
    if (isFailure(res)) return this.#note(id, this.failureText(res), true);
    this.#note(id, this.dt(mine ? 'released' : 'claimed'), false);
    await this.refresh();
  }

  async #markAnswered(e: SubmitEvent, q: DeskQuestion): Promise<void> {
    e.preventDefault();
    const id = q.post.id;
    if (this.busy.has(id) || !this.token) return;
    const typed = String(new FormData(e.target as HTMLFormElement).get('answer') ?? '').trim();
    // A pasted link to the reply (the API's /posts/{id} or a host page's #post-{id}) is as good as its id.
    const answer = /(?:\/posts\/|#post-)([A-Za-z0-9_-]{1,64})/.exec(typed)?.[1] ?? typed;
    if (!answer) return this.#note(id, this.dt('answerNeedId'), true);
    this.#setBusy(id, true);
    const res = await this.#api.answer(this.token, id, answer);
    this.#setBusy(id, false);
    if (isFailure(res)) return this.#note(id, this.failureText(res), true);
    this.#say(this.dt('answered'));
    await this.refresh();
    // The question has left the list, and with it the focused button: go on from the list's heading.
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>('#open-title')?.focus();
  }

  async #proposePledge(e: SubmitEvent): Promise<void> {
    e.preventDefault();
    if (this.busy.has('pledge') || !this.token) return;
    // Kept: an event from a shadow tree loses its target once dispatched.
    const element = e.target as HTMLFormElement;
    const form = new FormData(element);
    const text = String(form.get('text') ?? '').trim();
    const days = Number(form.get('days'));
    const dt = this.dt;
    if (text.length < 3) return this.#note('pledge', dt('pledgeNeedText'), true);
    if (!Number.isInteger(days) || days < LIMITS.pledgeDaysMin || days > LIMITS.pledgeDaysMax) {
      return this.#note('pledge', dt('pledgeNeedDays', { min: LIMITS.pledgeDaysMin, max: LIMITS.pledgeDaysMax }), true);
    }
    this.#setBusy('pledge', true);
    const res = await this.#api.pledge(this.token, { text, answerWithinDays: days });
    this.#setBusy('pledge', false);
    if (isFailure(res)) return this.#note('pledge', this.failureText(res), true);
    this.#note('pledge', dt('pledgeSent'), false);
    element.reset();
    await this.refresh();
  }

  #onFilter(e: Event): void {
    const select = e.target as HTMLSelectElement;
    if (select.name === 'product') this.product = select.value;
    else this.topic = select.value;
    void this.refresh();
  }

  override render() {
    const dt = this.dt;
    const d = this.desk;
    const name = d?.company.name ?? this.company;
    return html`<section aria-labelledby="desk-title" data-desk aria-busy=${d || this.failure ? 'false' : 'true'}>
      <h2 id="desk-title">${dt('deskTitle', { company: name })}</h2>
      <p class="muted">${dt('deskIntro', { company: name })}</p>
      <div class="sr" aria-live="polite" data-announce>${this.announcement}</div>
      ${!this.token
        ? html`<p class="box" role="status">${dt('deskSignIn')}</p>`
        : this.failure
          ? html`<div role="alert" data-desk-error>
              <p class="error">${this.failure.error.code === 'forbidden' || this.failure.error.code === 'unauthenticated' ? dt('deskForbidden') : dt('deskFailed', { message: this.failure.error.message })}</p>
              <button part="button" type="button" @click=${() => void this.refresh()}>${dt('deskRetry')}</button>
            </div>`
          : d
            ? this.#renderDesk(d, dt)
            : html`<p class="muted" role="status">${dt('deskLoading')}</p>`}
    </section>`;
  }

  #renderDesk(d: CompanyDesk, dt: DeskTranslate) {
    const company = d.company.name;
    const lang = this.language;
    return html`
      ${d.canAct ? nothing : html`<p class="box" data-read-only>${dt('deskReadOnly')}</p>`}
      <p class="muted" data-live=${this.live ? 'on' : 'off'}>${this.live ? dt('deskLive') : dt('deskOffline')}</p>
      <fieldset class="filters" data-filters>
        <legend>${dt('filters')}</legend>
        <label>${dt('filterProduct')}
          <select name="product" .value=${this.product} @change=${this.#onFilter}>
            <option value="">${dt('filterAll')}</option>
            ${d.company.products.map((p) => html`<option value=${p} ?selected=${p === this.product}>${p}</option>`)}
          </select>
        </label>
        <label>${dt('filterTopic')}
          <select name="topic" .value=${this.topic} @change=${this.#onFilter}>
            <option value="">${dt('filterAll')}</option>
            ${[...this.#topics].map(([id, title]) => html`<option value=${id} ?selected=${id === this.topic}>${title}</option>`)}
          </select>
        </label>
      </fieldset>

      <section class="part" aria-labelledby="open-title" data-open-questions>
        <h3 id="open-title" tabindex="-1">${dt('openHeading', { n: d.openQuestions.length })}</h3>
        ${d.openQuestions.length
          ? html`<ol class="questions">${repeat(d.openQuestions, (q) => q.post.id, (q) => this.#question(q, d, dt, lang))}</ol>`
          : html`<p>${dt('openNone', { company })}</p>`}
        <p class="muted">${dt('claimHours', { hours: d.claimHours })}</p>
      </section>

      <section class="part" aria-labelledby="mentions-title" data-mentions>
        <h3 id="mentions-title">${dt('mentionsHeading', { company, n: d.mentions.length })}</h3>
        ${d.mentions.length
          ? html`<ul class="mentions">
              ${repeat(d.mentions, (m) => m.post.id, (m) => html`<li data-mention=${m.post.id}>
                <p class="meta">${m.post.author.name} · ${dt('inTopic', { topic: m.topic.title || m.topic.id })} · ${renderTime(m.post.createdAt, lang, Date.now())}
                  · ${dt('mentionNames', { names: m.names.join(', ') })}</p>
                ${postText(m.post)}
                <a href=${this.#threadHref(m)}>${dt('openThread')}</a>
              </li>`)}
            </ul>`
          : html`<p>${dt('mentionsNone', { company })}</p>`}
      </section>

      <section class="part" aria-labelledby="flags-title" data-flags>
        <h3 id="flags-title">${dt('flagsHeading', { n: d.safetyFlags.length })}</h3>
        ${d.safetyFlags.length
          ? html`<ul class="flags">${repeat(d.safetyFlags, (f) => f.id, (f) => this.#flag(f, lang))}</ul>`
          : html`<p>${dt('flagsNone', { company })}</p>`}
      </section>

      <section class="part" aria-labelledby="figures-title" data-desk-figures>
        <h3 id="figures-title">${dt('figuresDeskHeading')}</h3>
        ${renderQuestionFigures(company, d.figures, d.pledge, { lang, level: 4 })}
        <parley-presence company=${d.company.id} level="4" server=${this.#server} site=${this.#site} lang=${lang}></parley-presence>
      </section>

      <section class="part" aria-labelledby="pledge-title" data-pledge-form>
        <h3 id="pledge-title">${dt('pledgeHeading')}</h3>
        ${d.pendingPledge ? html`<p data-pending>${dt('pledgePending', { text: d.pendingPledge.text, days: pledgeDays(d.pendingPledge.answerWithinDays, dt) })}</p>` : nothing}
        ${d.canAct ? this.#pledgeForm(dt) : nothing}
      </section>`;
  }

  #question(q: DeskQuestion, d: CompanyDesk, dt: DeskTranslate, lang: string) {
    const id = q.post.id;
    const c = q.claim;
    const mine = !!c && c.byUserId === this.#me?.id;
    const at = (iso: string) => new Date(iso).toLocaleString(lang, { dateStyle: 'medium', timeStyle: 'short' });
    const note = this.notes[id];
    const busy = this.busy.has(id);
    return html`<li part="question" data-question=${id}>
      <p class="meta"><strong>${dt('askedBy', { name: q.post.author.name })}</strong> · ${dt('inTopic', { topic: q.topic.title || q.topic.id })}
        · ${renderTime(q.post.createdAt, lang, Date.now())} · <span data-waited>${dt('waited', { wait: duration(q.waitedHours, lang) })}</span></p>
      ${postText(q.post)}
      ${c
        ? html`<p class="claim" data-claim>${mine
            ? dt('claimedByYou', { since: at(c.since), until: at(c.expiresAt) })
            : dt('claimedBy', { name: c.by, since: at(c.since), until: at(c.expiresAt) })}</p>`
        : nothing}
      <div class="actions">
        <a href=${this.#threadHref(q)}>${dt('openThread')}</a>
        ${d.canAct && (!c || mine)
          ? html`<button part="button" type="button" data-claim-button aria-disabled=${busy ? 'true' : 'false'} @click=${() => this.#toggleClaim(q)}>${mine ? dt('release') : dt('claim')}</button>`
          : nothing}
      </div>
      ${note ? html`<p class=${note.error ? 'error' : 'ok'} role=${note.error ? 'alert' : 'status'} data-note>${note.text}</p>` : nothing}
      ${d.canAct
        ? html`<details>
            <summary>${dt('markAnswered')}</summary>
            <form @submit=${(e: SubmitEvent) => this.#markAnswered(e, q)} novalidate>
              <label for=${`answer-${id}`}>${dt('answerLabel')}</label>
              <input type="text" id=${`answer-${id}`} name="answer" maxlength="500" autocomplete="off" />
              <div class="actions"><button part="button" type="submit" aria-disabled=${busy ? 'true' : 'false'}>${dt('answerSend')}</button></div>
            </form>
          </details>`
        : nothing}
    </li>`;
  }

  #safety?: SafetyApi;

  #flag(f: SafetyFlagView, lang: string) {
    this.#safety ??= new SafetyApi(this.#server, this.#site);
    return html`<li data-flag-item=${f.id}>
      <p class="meta">${f.post?.author.name ?? ''} · ${renderTime(f.detectedAt, lang, Date.now())} · ${f.reference}</p>
      ${f.post && f.post.status === 'visible' ? html`<p class="post-text">${f.post.body}</p>` : nothing}
      <parley-safety-flag .flags=${[f]} .api=${this.#safety} .token=${this.token} lang=${lang} ?moderator=${!this.desk?.canAct}></parley-safety-flag>
    </li>`;
  }

  #pledgeForm(dt: DeskTranslate) {
    const note = this.notes.pledge;
    const { pledgeTextMaxChars: max, pledgeDaysMin: min, pledgeDaysMax } = LIMITS;
    return html`<details>
      <summary>${dt('pledgePropose')}</summary>
      <form @submit=${this.#proposePledge} novalidate>
        <label for="pledge-text">${dt('pledgeText', { max })}</label>
        <input type="text" id="pledge-text" name="text" maxlength=${max} required />
        <label for="pledge-days">${dt('pledgeDays', { min, max: pledgeDaysMax })}</label>
        <input type="number" id="pledge-days" name="days" min=${min} max=${pledgeDaysMax} step="1" required />
        <div class="actions"><button part="button" type="submit" class="primary" aria-disabled=${this.busy.has('pledge') ? 'true' : 'false'}>${dt('pledgeSend')}</button></div>
        ${note ? html`<p class=${note.error ? 'error' : 'ok'} role=${note.error ? 'alert' : 'status'} data-note>${note.text}</p>` : nothing}
      </form>
    </details>`;
  }
}

if (!customElements.get('parley-company-desk')) customElements.define('parley-company-desk', ParleyCompanyDesk);

declare global {
  interface HTMLElementTagNameMap {
    'parley-company-desk': ParleyCompanyDesk;
  }
}
