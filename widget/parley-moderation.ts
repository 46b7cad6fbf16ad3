/**
 * `<parley-moderation server site token lang>`: the moderators' queue (also shown by
 * `<parley-discussion>` in moderator mode, with its `discussion` and token). Lazily loaded.
 *
 * - Open reports and automated flags, oldest first (`GET /moderation/queue`): each with the
 *   post, its thread context, the author's recent history and past actions, and who reported
 *   (moderators only; company-affiliated reporters marked).
 * - An action form per item (`POST /moderation/actions`): remove, label, close replies,
 *   lock/unlock the topic, suspend for a period, ban, dismiss the report(s); every action cites a
 *   rule (with its version, from `GET /rules`) or a legal ground, a short public reason and the
 *   facts in plain words (published: no personal data); the source is shown. A taken action can
 *   be reversed at once (`POST /moderation/actions/{id}/reverse`).
 * - Open appeals (`GET /moderation/appeals`) with their decision form; an appeal against this
 *   moderator's own decision says they cannot decide it (the server enforces it too).
 * - Possible side effects (issue 6): `<parley-safety-panel>` (widget/safety/panel.ts), a section of
 *   its own — flags are not reports — with the flags, the one-step forward and failing deliveries.
 * Company staff never see any of it (the server refuses them; the discussion hides the toggle).
 */
import { themeStyles } from './styles/tokens.js';
import type { ActionType } from '../moderation/actions.js';
import { html, nothing, type PropertyValues } from 'lit';
import { isFailure } from './client/outcome.js';
import type { ActionInput, ActionView, ModAppeal, QueueItem, RuleView } from './moderation/api.js';
import { ModElement, modStyles, plainExcerpt, postText } from './moderation/base.js';
import './safety/panel.js';

const POST_ACTIONS = ['remove', 'label', 'restrict-replies', 'lock', 'unlock', 'suspend', 'ban', 'dismiss-report'] as const;
type ActKey = `act_${(typeof POST_ACTIONS)[number]}`;

export class ParleyModeration extends ModElement {
  static override styles = [themeStyles, ...modStyles];
  static override properties = {
    ...ModElement.properties,
    items: { state: true },
    appeals: { state: true },
    rules: { state: true },
    error: { state: true },
    chosen: { state: true },
    results: { state: true },
  };

  declare items: QueueItem[] | null;
  declare appeals: ModAppeal[] | null;
  declare rules: RuleView[];
  declare error: string;
  /** Chosen action type per queue item (post id). */
  declare chosen: Record<string, string>;
  /** What happened per item or appeal: the action taken (reversible), or an error. */
  declare results: Record<string, { action?: ActionView; error?: string; note?: string }>;

  constructor() {
    super();
    this.items = this.appeals = null;
    this.rules = [];
    this.error = '';
    this.chosen = {};
    this.results = {};
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('token') || changed.has('server') || changed.has('site') || changed.has('discussion')) void this.refresh();
  }

  /** Reload the queue, the open appeals and the rules. */
  async refresh(): Promise<void> {
    if (!this.token) return;
    const [queue, appeals, rules] = await Promise.all([this.api.queue(this.token), this.api.appeals(this.token), this.api.rules()]);
    if (isFailure(queue)) {
      this.error = queue.error.code === 'forbidden' ? this.t('notModerator') : this.t('loadFailed', { message: queue.error.message });
      return;
    }
    this.error = '';
    this.items = queue.items;
    this.appeals = isFailure(appeals) ? [] : appeals.appeals;
    if (!isFailure(rules)) this.rules = rules.rules.filter((r) => r.kind === 'prohibition');
  }

  override render() {
    const t = this.t;
    if (!this.token) return html`<p class="box" role="status">${t('signInFirst')}</p>`;
    return html`<section class="box" aria-labelledby="queue-title">
      <h2 id="queue-title">${t('queueTitle')}</h2>
      <button type="button" @click=${() => this.refresh()}>${t('refresh')}</button>
      ${this.error ? html`<p class="error" role="alert">${this.error}</p>` : nothing}
      ${this.items === null && !this.error ? html`<p class="muted" role="status">…</p>` : nothing}
      ${this.items
        ? this.items.length
          ? html`<p class="muted">${t('queueCount', { count: this.items.reduce((n, i) => n + i.reports.length, 0) })}</p>
              ${this.items.map((item) => this.#renderItem(item))}`
          : html`<p role="status">${t('queueEmpty')}</p>`
        : nothing}
      ${this.appeals ? this.#renderAppeals(this.appeals) : nothing}
      <parley-safety-panel .discussion=${this.discussion} .token=${this.token} server=${this.server} site=${this.site} lang=${this.language}></parley-safety-panel>
    </section>`;
  }

  // ---- Queue items ----------------------------------------------------------------------

  #renderItem(item: QueueItem) {
    const t = this.t;
    const p = item.post;
    return html`<article class="box" data-queue-post=${p.id} aria-labelledby=${`q-${p.id}`}>
      <h3 id=${`q-${p.id}`}>${p.author.name} · ${this.date(p.createdAt)} · ${p.topic}</h3>
      ${postText(p)}
      <ul>
        ${item.reports.map(
          (r) => html`<li data-report=${r.id}>
            ${t('reportedBy', {
              date: this.date(r.createdAt),
              who: r.source === 'automated' ? t('reporterAutomated', { detector: r.detector ?? '' }) : `${r.reporter?.name ?? '?'}${r.companyAffiliated ? ` (${t('reporterCompany')})` : ''}`,
            })}
            · ${r.ground === 'illegal' ? t('reportIllegalRule') : `${t('rule')} ${r.ruleId} (v${r.ruleVersion})`}
            ${r.explanation ? html`<br />${r.explanation}` : nothing} ${r.note ? html`<br /><q>${r.note}</q>` : nothing}
          </li>`,
        )}
      </ul>
      ${item.thread.length
        ? html`<details><summary>${t('threadContext')}</summary>
            ${item.thread.map((a) => html`<p class="muted">${a.author.name}, ${this.date(a.createdAt)}:</p>${postText(a)}`)}</details>`
        : nothing}
      <details><summary>${t('authorHistory', { name: item.author.name })}</summary>
        <ul>
          ${item.author.pastActions.map(
            (a) => html`<li>${t('pastAction', { date: this.date(a.createdAt), type: a.type, rule: a.ruleId ?? '–', reversed: a.reversed ? t('wasReversed') : '' })}</li>`,
          )}
          ${item.author.recentPosts.map((r) => html`<li>${t('recentPost', { date: this.date(r.createdAt), status: r.status, excerpt: plainExcerpt(r.excerpt) })}</li>`)}
        </ul>
      </details>
      ${this.#renderActionForm(item)}
    </article>`;
  }

  #source(item: QueueItem): string {
    const t = this.t;
    const s = item.reports.map((r) => r.source);
    return s.includes('member') ? t('sourceReport') : s.includes('company') ? t('sourceCompany') : t('sourceAutomated');
  }

  #renderActionForm(item: QueueItem) {
    const t = this.t;
    const id = item.post.id;
    const type = this.chosen[id] ?? 'remove';
    const result = this.results[id];
    const f = (name: string) => `${name}-${id}`;
    const restrictive = type !== 'dismiss-report' && type !== 'unlock';
    return html`<form class="action-form" @submit=${(e: SubmitEvent) => this.#act(e, item)} novalidate>
      <label for=${f('type')}>${t('action')}</label>
      <select id=${f('type')} name="type" .value=${type} @change=${(e: Event) => (this.chosen = { ...this.chosen, [id]: (e.target as HTMLSelectElement).value })}>
        ${POST_ACTIONS.map((a) => html`<option value=${a} ?selected=${a === type}>${t(`act_${a}` as ActKey)}</option>`)}
      </select>
      ${restrictive
        ? html`<label for=${f('rule')}>${t('ruleLabel')}</label>
            <select id=${f('rule')} name="rule">
              ${this.rules.map((r) => html`<option value=${r.id} ?selected=${item.reports[0]?.ruleId === r.id}>${r.id} ${r.title} (v${r.version})</option>`)}
              <option value="illegal">${t('ruleIllegal')}</option>
            </select>
            <label for=${f('legal')}>${t('legalGround')}</label>
            <input type="text" id=${f('legal')} name="legalGround" maxlength="500" />`
        : nothing}
      ${type === 'label' ? html`<label for=${f('label')}>${t('labelText')}</label><input type="text" id=${f('label')} name="labelText" maxlength="200" />` : nothing}
      ${type === 'suspend' ? html`<label for=${f('days')}>${t('days')}</label><input type="number" id=${f('days')} name="days" min="1" max="365" value="7" />` : nothing}
      <label for=${f('reason')}>${t('reasonLabel')}</label>
      <input type="text" id=${f('reason')} name="reason" required minlength="3" maxlength="280" />
      <label for=${f('facts')}>${t('factsLabel')}</label>
      <textarea id=${f('facts')} name="facts" required minlength="10" maxlength="5000"></textarea>
      ${type === 'dismiss-report' ? html`<label class="check"><input type="checkbox" name="unfounded" /> ${t('unfounded')}</label>` : nothing}
      <p class="muted">${t('sourceLabel', { source: this.#source(item) })}</p>
      ${result?.error ? html`<p class="error" role="alert">${result.error}</p>` : nothing}
      <div class="actions"><button type="submit" class="primary">${t('takeAction')}</button></div>
      ${result?.action ? this.#renderDone(id, result.action) : nothing}
    </form>`;
  }

  #renderDone(key: string, action: ActionView) {
    const t = this.t;
    const r = this.results[key]!;
    return html`<div role="status" data-done>
      <p class="ok">${t('done', { type: action.type, n: action.logIndex ?? '–' })}</p>
      ${r.note
        ? html`<p class="ok">${r.note}</p>`
        : html`<label for=${`rev-${key}`}>${t('reverseReason')}</label>
            <input type="text" id=${`rev-${key}`} />
            <button type="button" @click=${() => this.#reverse(key, action)}>${t('reverse')}</button>`}
    </div>`;
  }

  async #act(e: SubmitEvent, item: QueueItem): Promise<void> {
    e.preventDefault();
    const form = new FormData(e.target as HTMLFormElement);
    const get = (k: string) => String(form.get(k) ?? '').trim();
    // The form's select offers only the domain's action types; the server validates again.
    const type = (get('type') || 'remove') as ActionType;
    const rule = get('rule');
    const base = { reason: get('reason'), facts: get('facts') };
    const cite = rule === 'illegal' ? { ground: 'illegal' as const, legalGround: get('legalGround') } : rule ? { ruleId: rule } : {};
    const inputs: ActionInput[] =
      type === 'dismiss-report'
        ? item.reports.map((r) => ({ type, reportId: r.id, ...base, ...(form.get('unfounded') ? { unfounded: true } : {}) }))
        : type === 'lock' || type === 'unlock'
          ? [{ type, topic: item.post.topic, ...base, ...(type === 'lock' ? cite : {}) }]
          : type === 'suspend' || type === 'ban'
            ? [{ type, userId: item.author.id, ...base, ...cite, ...(type === 'suspend' ? { days: Number(get('days')) || 7 } : {}) }]
            : [{ type, postId: item.post.id, ...base, ...cite, ...(type === 'label' ? { labelText: get('labelText') } : {}) }];
    let last: ActionView | undefined;
    for (const input of inputs) {
      const res = await this.api.act(this.token!, input);
      if (isFailure(res)) {
        this.results = { ...this.results, [item.post.id]: { error: this.failureText(res) } };
        return;
      }
      last = res.action;
    }
    this.results = { ...this.results, [item.post.id]: { action: last } };
  }

  async #reverse(key: string, action: ActionView): Promise<void> {
    const reason = this.renderRoot.querySelector<HTMLInputElement>(`#rev-${CSS.escape(key)}`)?.value.trim() ?? '';
    const res = await this.api.reverse(this.token!, action.id, { reason });
    this.results = {
      ...this.results,
      [key]: isFailure(res) ? { action, error: this.failureText(res) } : { action, note: this.t('done', { type: res.action.type, n: res.action.logIndex ?? '–' }) },
    };
  }

  // ---- Appeals --------------------------------------------------------------------------

  #renderAppeals(appeals: ModAppeal[]) {
    const t = this.t;
    return html`<h3>${t('appealsTitle')}</h3>
      ${appeals.length ? appeals.map((a) => this.#renderAppeal(a)) : html`<p class="muted">${t('appealsEmpty')}</p>`}`;
  }

  #renderAppeal(a: ModAppeal) {
    const t = this.t;
    const result = this.results[a.id];
    return html`<article class="box" data-appeal=${a.id}>
      <p>${t('appealBy', {
        name: a.appellant.name,
        date: this.date(a.createdAt),
        type: a.action ? `${a.action.type}${a.action.ruleId ? ` (${t('rule')} ${a.action.ruleId})` : ''}: ${a.action.reason}` : 'dismiss-report',
        decider: a.originalDecider?.name ?? '–',
      })}</p>
      <blockquote>${a.info}</blockquote>
      ${result?.note
        ? html`<p class="ok" role="status">${result.note}</p>`
        : a.youMayDecide
          ? html`<form @submit=${(e: SubmitEvent) => this.#decide(e, a)} novalidate>
              <label for=${`dec-${a.id}`}>${t('decideReason')}</label>
              <textarea id=${`dec-${a.id}`} name="reason" required minlength="10" maxlength="2000"></textarea>
              ${result?.error ? html`<p class="error" role="alert">${result.error}</p>` : nothing}
              <div class="actions">
                <button type="submit" name="outcome" value="upheld">${t('uphold')}</button>
                <button type="submit" name="outcome" value="reversed" class="primary">${t('reverseDecision')}</button>
              </div>
            </form>`
          : html`<p class="note" data-cannot-decide>${t('cannotDecide')}</p>`}
    </article>`;
  }

  async #decide(e: SubmitEvent, a: ModAppeal): Promise<void> {
    e.preventDefault();
    const outcome = (e.submitter as HTMLButtonElement | null)?.value === 'reversed' ? 'reversed' : 'upheld';
    const reason = String(new FormData(e.target as HTMLFormElement).get('reason') ?? '').trim();
    const res = await this.api.decide(this.token!, a.id, { outcome, reason });
    this.results = {
      ...this.results,
      [a.id]: isFailure(res) ? { error: this.failureText(res) } : { note: this.t(outcome === 'reversed' ? 'status_reversed' : 'status_upheld') },
    };
  }
}

if (!customElements.get('parley-moderation')) customElements.define('parley-moderation', ParleyModeration);

declare global {
  interface HTMLElementTagNameMap {
    'parley-moderation': ParleyModeration;
  }
}
