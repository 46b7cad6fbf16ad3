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
 * - Moderators' craft (issue 16): filters (held, reported, appeals; by rule, by topic) and a
 *   search; a held post shows why it was held and can be released (`release`, an ordinary action
 *   with its statement); select several items and act once (`POST /moderation/bulk`: each still
 *   gets its own statement and log entry, and its own result line); private notes on the author's
 *   account (`<parley-mod-notes>`); live "N new" (its own socket, `queue:changed`; pressing it
 *   reloads); keyboard shortcuts (widget/moderation/queue-keys.ts: j/k next/previous, o open,
 *   a act, d dismiss, x select, ? the help dialog listing them), never while typing in a field.
 * Company staff never see any of it (the server refuses them; the discussion hides the toggle).
 */
import { themeStyles } from './styles/tokens.js';
import type { ActionType } from '../moderation/actions.js';
import { html, nothing, type PropertyValues } from 'lit';
import type { BulkActionAnswer, BulkActionInput, BulkTarget } from '../moderation/spam-schemas.js';
import { isFailure } from './client/outcome.js';
import type { ActionInput, ActionView, ModAppeal, QueueFilters, QueueItem, RuleView } from './moderation/api.js';
import { ModElement, modStyles, plainExcerpt, postText } from './moderation/base.js';
import './moderation/notes.js';
import { commandOf, QUEUE_SHORTCUTS, type QueueCommand } from './moderation/queue-keys.js';
import { followQueue, type QueueLive } from './moderation/queue-live.js';
import './safety/panel.js';

const POST_ACTIONS = ['release', 'remove', 'label', 'restrict-replies', 'lock', 'unlock', 'suspend', 'ban', 'dismiss-report'] as const;
/** What one decision may be applied to several items at once (pins are one per topic, locks one per topic). */
const BULK_ACTIONS = ['release', 'remove', 'label', 'restrict-replies', 'suspend', 'ban', 'dismiss-report'] as const;
type ActKey = `act_${(typeof POST_ACTIONS)[number]}`;
type KeyText = `key_${QueueCommand}`;
const FILTERS = ['all', 'held', 'reported', 'appeals'] as const;
/** Actions that need a rule or legal ground. */
const restrictive = (type: string) => type !== 'dismiss-report' && type !== 'unlock' && type !== 'release';

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
    filters: { state: true },
    current: { state: true },
    selected: { state: true },
    fresh: { state: true },
    live: { state: true },
    help: { state: true },
    bulkType: { state: true },
    bulkResult: { state: true },
  };

  declare items: QueueItem[] | null;
  declare appeals: ModAppeal[] | null;
  declare rules: RuleView[];
  declare error: string;
  /** Chosen action type per queue item (post id). */
  declare chosen: Record<string, string>;
  /** What happened per item or appeal: the action taken (reversible), or an error. */
  declare results: Record<string, { action?: ActionView; error?: string; note?: string }>;
  declare filters: QueueFilters;
  /** The item the shortcuts act on (post id). */
  declare current: string | null;
  /** Items chosen for one decision (post ids). */
  declare selected: ReadonlySet<string>;
  /** Changes to the queue since it was last loaded ("N new"). */
  declare fresh: number;
  declare live: boolean;
  declare help: boolean;
  declare bulkType: string;
  declare bulkResult: { answer?: BulkActionAnswer; error?: string } | null;
  #live?: QueueLive;

  constructor() {
    super();
    this.items = this.appeals = this.current = this.bulkResult = null;
    this.rules = [];
    this.error = '';
    this.chosen = {};
    this.results = {};
    this.filters = {};
    this.selected = new Set();
    this.fresh = 0;
    this.live = this.help = false;
    this.bulkType = 'remove';
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.addEventListener('keydown', this.#onKey);
    if (this.hasUpdated) this.#follow();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.removeEventListener('keydown', this.#onKey);
    this.#live?.close();
    this.#live = undefined;
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('token') || changed.has('server') || changed.has('site') || changed.has('discussion')) {
      void this.refresh();
      this.#follow();
    }
  }

  /** Follow the queue live with the moderator's token ("N new"). */
  #follow(): void {
    this.#live?.close();
    this.#live = undefined;
    this.live = false;
    const site = this.discussion?.site || this.site;
    if (!this.token || !site || !this.isConnected) return;
    const server = (this.discussion?.server || this.server || new URL(import.meta.url).origin).replace(/\/+$/, '');
    this.#live = followQueue(server, site, this.token, {
      live: (live) => void (this.live = live),
      changed: () => void (this.fresh += 1),
    });
  }

  /** Reload the queue (with its filters), the open appeals and the rules. */
  async refresh(): Promise<void> {
    if (!this.token) return;
    this.fresh = 0;
    const [queue, appeals, rules] = await Promise.all([this.api.queue(this.token, this.filters), this.api.appeals(this.token), this.api.rules()]);
    if (isFailure(queue)) {
      this.error = queue.error.code === 'forbidden' ? this.t('notModerator') : this.t('loadFailed', { message: queue.error.message });
      return;
    }
    this.error = '';
    this.items = queue.items;
    // Selections and the current item survive a reload only for items still there.
    const ids = new Set(queue.items.map((i) => i.post.id));
    this.selected = new Set([...this.selected].filter((id) => ids.has(id)));
    if (this.current && !ids.has(this.current)) this.current = null;
    this.appeals = isFailure(appeals) ? [] : appeals.appeals;
    if (!isFailure(rules)) this.rules = rules.rules.filter((r) => r.kind === 'prohibition');
  }

  override render() {
    const t = this.t;
    if (!this.token) return html`<p class="box" role="status">${t('signInFirst')}</p>`;
    return html`<section class="box" aria-labelledby="queue-title">
      <h2 id="queue-title">${t('queueTitle')}</h2>
      <div class="actions">
        <button type="button" @click=${() => this.refresh()}>${t('refresh')}</button>
        <button type="button" data-keys aria-haspopup="dialog" @click=${() => (this.help = true)}>${t('keysButton')}</button>
      </div>
      <p class="muted" id="keys-hint">${t('keysHint')}</p>
      <div role="status" class="fresh">
        ${this.fresh
          ? html`<button type="button" class="primary" data-fresh @click=${() => this.refresh()}>${t('queueFresh', { count: this.fresh })}</button>`
          : nothing}
      </div>
      ${this.#renderFilters()}
      ${this.error ? html`<p class="error" role="alert">${this.error}</p>` : nothing}
      ${this.items === null && !this.error ? html`<p class="muted" role="status">…</p>` : nothing}
      ${this.items
        ? this.items.length
          ? html`<p class="muted">${t('queueCount', { count: this.items.reduce((n, i) => n + i.reports.length, 0) })}${this.#heldCount() ? ` · ${t('queueHeld', { count: this.#heldCount() })}` : ''}</p>
              ${this.#renderBulk(this.items)}
              ${this.items.map((item) => this.#renderItem(item))}`
          : html`<p role="status">${t('queueEmpty')}</p>`
        : nothing}
      ${this.help ? this.#renderHelp() : nothing}
      ${this.appeals ? this.#renderAppeals(this.appeals) : nothing}
      <parley-safety-panel .discussion=${this.discussion} .token=${this.token} server=${this.server} site=${this.site} lang=${this.language}></parley-safety-panel>
    </section>`;
  }

  #heldCount(): number {
    return this.items?.filter((i) => i.holds?.length).length ?? 0;
  }

  // ---- Filters and search ---------------------------------------------------------------

  #renderFilters() {
    const t = this.t;
    const f = this.filters;
    return html`<form class="filters" role="search" aria-label=${t('filtersLabel')} @submit=${this.#applyFilters} novalidate>
      <div>
        <label for="q-filter">${t('filterShow')}</label>
        <select id="q-filter" name="filter">
          ${FILTERS.map((x) => html`<option value=${x} ?selected=${(f.filter ?? 'all') === x}>${t(`filter_${x}`)}</option>`)}
        </select>
      </div>
      <div>
        <label for="q-rule">${t('filterRule')}</label>
        <select id="q-rule" name="ruleId">
          <option value="">${t('filterAnyRule')}</option>
          ${this.rules.map((r) => html`<option value=${r.id} ?selected=${f.ruleId === r.id}>${r.id} ${r.title}</option>`)}
        </select>
      </div>
      <div>
        <label for="q-topic">${t('filterTopic')}</label>
        <input type="text" id="q-topic" name="topic" maxlength="200" .value=${f.topic ?? ''} />
      </div>
      <div>
        <label for="q-search">${t('filterSearch')}</label>
        <input type="search" id="q-search" name="q" maxlength="200" .value=${f.q ?? ''} />
      </div>
      <div class="actions"><button type="submit">${t('filterApply')}</button></div>
    </form>`;
  }

  #applyFilters = (e: SubmitEvent): void => {
    e.preventDefault();
    const form = new FormData(e.target as HTMLFormElement);
    const get = (k: string) => String(form.get(k) ?? '').trim();
    const filter = get('filter');
    this.filters = {
      filter: (FILTERS as readonly string[]).includes(filter) ? (filter as (typeof FILTERS)[number]) : 'all',
      ...(get('ruleId') ? { ruleId: get('ruleId') } : {}),
      ...(get('topic') ? { topic: get('topic') } : {}),
      ...(get('q') ? { q: get('q') } : {}),
    };
    void this.refresh();
  };

  // ---- Several items, one decision ------------------------------------------------------

  #select(id: string, on: boolean): void {
    const next = new Set(this.selected);
    if (on) next.add(id);
    else next.delete(id);
    this.selected = next;
  }

  #renderBulk(items: QueueItem[]) {
    const t = this.t;
    const all = items.length > 0 && items.every((i) => this.selected.has(i.post.id));
    const n = this.selected.size;
    const type = this.bulkType;
    const r = this.bulkResult;
    return html`<div class="bulk box" data-bulk>
      <label class="check"><input type="checkbox" data-select-all .checked=${all}
        @change=${(e: Event) => (this.selected = (e.target as HTMLInputElement).checked ? new Set(items.map((i) => i.post.id)) : new Set())} /> ${t('selectAll')}</label>
      ${n
        ? html`<form @submit=${this.#bulk} novalidate aria-labelledby="bulk-title">
            <h3 id="bulk-title">${t('bulkTitle', { count: n })}</h3>
            <p class="muted">${t('bulkHint')}</p>
            <label for="bulk-type">${t('action')}</label>
            <select id="bulk-type" name="type" @change=${(e: Event) => (this.bulkType = (e.target as HTMLSelectElement).value)}>
              ${BULK_ACTIONS.map((a) => html`<option value=${a} ?selected=${a === type}>${t(`act_${a}` as ActKey)}</option>`)}
            </select>
            ${restrictive(type)
              ? html`<label for="bulk-rule">${t('ruleLabel')}</label>
                  <select id="bulk-rule" name="rule">
                    ${this.rules.map((rule) => html`<option value=${rule.id}>${rule.id} ${rule.title} (v${rule.version})</option>`)}
                    <option value="illegal">${t('ruleIllegal')}</option>
                  </select>
                  <label for="bulk-legal">${t('legalGround')}</label>
                  <input type="text" id="bulk-legal" name="legalGround" maxlength="500" />`
              : nothing}
            ${type === 'label' ? html`<label for="bulk-label">${t('labelText')}</label><input type="text" id="bulk-label" name="labelText" maxlength="200" />` : nothing}
            ${type === 'suspend' ? html`<label for="bulk-days">${t('days')}</label><input type="number" id="bulk-days" name="days" min="1" max="365" value="7" />` : nothing}
            <label for="bulk-reason">${t('reasonLabel')}</label>
            <input type="text" id="bulk-reason" name="reason" required minlength="3" maxlength="280" />
            <label for="bulk-facts">${t('factsLabel')}</label>
            <textarea id="bulk-facts" name="facts" required minlength="10" maxlength="5000"></textarea>
            ${type === 'dismiss-report' ? html`<label class="check"><input type="checkbox" name="unfounded" /> ${t('unfounded')}</label>` : nothing}
            <div class="actions"><button type="submit" class="primary">${t('bulkAct', { count: n })}</button></div>
          </form>`
        : nothing}
      ${r?.error ? html`<p class="error" role="alert">${r.error}</p>` : nothing}
      ${r?.answer
        ? html`<div role="status" data-bulk-result>
            <p class=${r.answer.failed ? 'error' : 'ok'}>${t('bulkDone', { done: r.answer.done, failed: r.answer.failed })}</p>
            <ul>${r.answer.results.map((x) => html`<li>${this.#targetText(x.target)}: ${x.ok ? t('done', { type: this.bulkType, n: x.logIndex ?? '–' }) : x.error.message}</li>`)}</ul>
          </div>`
        : nothing}
    </div>`;
  }

  #targetText(target: BulkTarget): string {
    const item = this.items?.find((i) => i.post.id === target.postId || i.author.id === target.userId || i.reports.some((r) => r.id === target.reportId));
    return item ? `${item.author.name} · ${item.post.topic}` : (target.postId ?? target.reportId ?? target.userId ?? target.topic ?? '');
  }

  #bulk = async (e: SubmitEvent): Promise<void> => {
    e.preventDefault();
    const form = new FormData(e.target as HTMLFormElement);
    const get = (k: string) => String(form.get(k) ?? '').trim();
    const type = this.bulkType as BulkActionInput['type'];
    const chosen = (this.items ?? []).filter((i) => this.selected.has(i.post.id));
    // Each target is what the action needs: the reports to dismiss, the author to suspend, else the post.
    const targets: BulkTarget[] =
      type === 'dismiss-report'
        ? chosen.flatMap((i) => i.reports.map((r) => ({ reportId: r.id })))
        : type === 'suspend' || type === 'ban'
          ? [...new Set(chosen.map((i) => i.author.id))].map((userId) => ({ userId }))
          : chosen.map((i) => ({ postId: i.post.id }));
    if (!targets.length) {
      this.bulkResult = { error: this.t('bulkNothing') };
      return;
    }
    const rule = get('rule');
    const body: BulkActionInput = {
      type,
      targets,
      reason: get('reason'),
      facts: get('facts'),
      ...(restrictive(type) ? (rule === 'illegal' ? { ground: 'illegal' as const, legalGround: get('legalGround') } : rule ? { ruleId: rule } : {}) : {}),
      ...(type === 'label' ? { labelText: get('labelText') } : {}),
      ...(type === 'suspend' ? { days: Number(get('days')) || 7 } : {}),
      ...(type === 'dismiss-report' && form.get('unfounded') ? { unfounded: true } : {}),
    };
    const res = await this.api.bulk(this.token!, body);
    if (isFailure(res)) {
      this.bulkResult = { error: this.failureText(res) };
      return;
    }
    this.bulkResult = { answer: res };
    this.selected = new Set();
  };

  // ---- Keyboard -------------------------------------------------------------------------

  #renderHelp() {
    const t = this.t;
    return html`<dialog aria-labelledby="keys-title" data-keys-dialog @close=${this.#closeHelp}>
      <h2 id="keys-title">${t('keysTitle')}</h2>
      <table>
        <caption class="muted">${t('keysCaption')}</caption>
        <thead><tr><th scope="col">${t('keysKey')}</th><th scope="col">${t('keysDoes')}</th></tr></thead>
        <tbody>${QUEUE_SHORTCUTS.map((s) => html`<tr><td><kbd>${s.key}</kbd></td><td>${t(`key_${s.command}` as KeyText)}</td></tr>`)}</tbody>
      </table>
      <div class="actions"><button type="button" class="primary" data-close @click=${() => this.renderRoot.querySelector<HTMLDialogElement>('dialog[data-keys-dialog]')?.close()}>${t('close')}</button></div>
    </dialog>`;
  }

  #closeHelp = async (): Promise<void> => {
    this.help = false;
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>('[data-keys]')?.focus();
  };

  protected override updated(): void {
    const dialog = this.renderRoot.querySelector<HTMLDialogElement>('dialog[data-keys-dialog]');
    if (dialog && !dialog.open) {
      dialog.showModal();
      dialog.querySelector<HTMLElement>('[data-close]')?.focus();
    }
  }

  #onKey = (e: KeyboardEvent): void => {
    if (this.help) return;
    const command = commandOf(e);
    if (!command) return;
    e.preventDefault();
    void this.#run(command);
  };

  async #run(command: QueueCommand): Promise<void> {
    if (command === 'help') {
      this.help = true;
      return;
    }
    const items = this.items ?? [];
    if (!items.length) return;
    let i = items.findIndex((x) => x.post.id === this.current);
    if (command === 'next' || command === 'previous' || i < 0) {
      i = i < 0 ? 0 : command === 'next' ? Math.min(items.length - 1, i + 1) : command === 'previous' ? Math.max(0, i - 1) : i;
    }
    const item = items[i]!;
    const id = item.post.id;
    this.current = id;
    await this.updateComplete;
    const article = this.renderRoot.querySelector<HTMLElement>(`article[data-queue-post="${CSS.escape(id)}"]`);
    if (!article) return;
    if (command === 'next' || command === 'previous') {
      article.focus();
      article.scrollIntoView({ block: 'nearest' });
    } else if (command === 'open') {
      article.querySelectorAll('details').forEach((d) => (d.open = true));
      article.focus();
    } else if (command === 'select') {
      this.#select(id, !this.selected.has(id));
    } else if (command === 'act') {
      article.querySelector<HTMLElement>('select[name="type"]')?.focus();
    } else if (command === 'dismiss') {
      // Nothing wrong with it: dismiss its reports, or release it when it is only held.
      this.chosen = { ...this.chosen, [id]: item.reports.length ? 'dismiss-report' : 'release' };
      await this.updateComplete;
      article.querySelector<HTMLElement>('input[name="reason"]')?.focus();
    }
  }

  // ---- Queue items ----------------------------------------------------------------------

  #renderItem(item: QueueItem) {
    const t = this.t;
    const p = item.post;
    const current = this.current === p.id;
    return html`<article class=${current ? 'box current' : 'box'} data-queue-post=${p.id} aria-labelledby=${`q-${p.id}`}
      aria-current=${current ? 'true' : nothing} tabindex="-1" @focusin=${() => (this.current = p.id)}>
      <h3 id=${`q-${p.id}`}>${p.author.name} · ${this.date(p.createdAt)} · ${p.topic}</h3>
      <label class="check"><input type="checkbox" data-select=${p.id} .checked=${this.selected.has(p.id)}
        @change=${(e: Event) => this.#select(p.id, (e.target as HTMLInputElement).checked)} /> ${t('selectItem', { name: p.author.name })}</label>
      ${item.holds?.length
        ? html`<p class="held-reason" data-hold><strong>${t('heldBecause')}</strong> ${item.holds.map((h) => h.detail).join('; ')}</p>`
        : nothing}
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
        <parley-mod-notes .discussion=${this.discussion} server=${this.server} site=${this.site} lang=${this.language} .token=${this.token}
          user-id=${item.author.id} name=${item.author.name}></parley-mod-notes>
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
    const type = this.chosen[id] ?? (item.holds?.length ? 'release' : 'remove');
    const result = this.results[id];
    const f = (name: string) => `${name}-${id}`;
    return html`<form class="action-form" @submit=${(e: SubmitEvent) => this.#act(e, item)} novalidate>
      <label for=${f('type')}>${t('action')}</label>
      <select id=${f('type')} name="type" .value=${type} @change=${(e: Event) => (this.chosen = { ...this.chosen, [id]: (e.target as HTMLSelectElement).value })}>
        ${POST_ACTIONS.filter((a) => a !== 'release' || item.holds?.length).map((a) => html`<option value=${a} ?selected=${a === type}>${t(`act_${a}` as ActKey)}</option>`)}
      </select>
      ${restrictive(type)
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
