/**
 * Public moderation views (lazily loaded when used on a page):
 * - `<parley-transparency server site lang>`: the site's numbers (`GET /transparency`) as
 *   accessible tables: actions by type, rule and month; reports by source with outcomes; the
 *   median time from report to decision; appeals and the share reversed; automated detections
 *   and how many a person upheld. Shows the licence and links to the JSON and the DSA export.
 * - `<parley-rules server site lang>`: the house rules (`GET /rules`) with versions and
 *   examples, and "how moderation works" (`GET /moderation/how-it-works`).
 *
 * Both stand on a page of their own (a site's "Moderation" page), so each is a top-level themed
 * element like `<parley-discussion>`: `theme` attribute `light` | `dark` | `auto` (default:
 * follows `prefers-color-scheme`); the same `--parley-color-*` / `--parley-dark-color-*`
 * custom properties (widget/styles/tokens.ts).
 */
import { css, html, nothing, type PropertyValues } from 'lit';
import { isFailure } from '../client/outcome.js';
import type { ActionType } from '../../moderation/actions.js';
import type { HowItWorks, RuleView, TransparencyView } from './api.js';
import { themeStyles } from '../styles/tokens.js';
import { ModElement, modStyles } from './base.js';

const num = (n: number) => html`<td class="num">${n}</td>`;

export class ParleyTransparency extends ModElement {
  // Tables with many columns (one per action type; reports by outcome) are wider than a phone:
  // each scrolls on its own, as a focusable region so a keyboard can scroll it too.
  static override styles = [themeStyles, ...modStyles, css`.scroll { overflow-x: auto; max-width: 100%; }`];
  static override properties = { ...ModElement.properties, report: { state: true }, error: { state: true } };
  declare report: TransparencyView | null;
  declare error: string;

  constructor() {
    super();
    this.report = null;
    this.error = '';
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('server') || changed.has('site')) void this.#load();
  }

  async #load(): Promise<void> {
    if (!this.site) return;
    const res = await this.api.transparency();
    if (isFailure(res)) this.error = this.t('loadFailed', { message: res.error.message });
    else this.report = res;
  }

  /** An action type as words in the reader's language ("remove" → "Message removed"); the raw type stays in data-type. */
  #typeName(type: ActionType): string {
    return this.t(`done_${type}`);
  }

  #counts(caption: string, head: string, counts: Record<string, number>, attr: string, label: (key: string) => string = (k) => k) {
    const t = this.t;
    const rows = Object.entries(counts);
    return html`<table data-table=${attr}>
      <caption>${caption}</caption>
      <thead><tr><th scope="col">${head}</th><th scope="col" class="num">${t('count')}</th></tr></thead>
      <tbody>${rows.length ? rows.map(([k, n]) => html`<tr><th scope="row" data-key=${k}>${label(k)}</th>${num(n)}</tr>`) : html`<tr><td colspan="2">${t('none')}</td></tr>`}</tbody>
    </table>`;
  }

  override render() {
    const t = this.t;
    const r = this.report;
    if (this.error) return html`<p class="error" role="alert">${this.error}</p>`;
    if (!r) return html`<p class="muted" role="status">…</p>`;
    const hours = (h: number | null) => (h === null ? t('none') : t('hours', { n: h }));
    const months = Object.keys(r.actions.byMonth).sort();
    const types = [...new Set(months.flatMap((m) => Object.keys(r.actions.byMonth[m]!) as ActionType[]))].sort();
    const sources = [
      ['members', r.reports.bySource.members],
      ['companyAffiliated', r.reports.bySource.companyAffiliated],
      ['automated', r.reports.bySource.automated],
    ] as const;
    return html`<section aria-labelledby="numbers-title">
      <h2 id="numbers-title">${t('numbersTitle', { site: r.siteName })}</h2>
      <p class="muted">${Date.parse(r.period.from) <= 0
        ? t('periodAll', { to: this.date(r.period.to), at: this.date(r.generatedAt) })
        : t('period', { from: this.date(r.period.from), to: this.date(r.period.to), at: this.date(r.generatedAt) })}</p>
      <p>${t('licence', { licence: '' })}<a href=${r.licenceUrl} rel="license noopener" target="_blank">${r.licence}</a>
        · <a href=${`${this.api.base}/transparency`} target="_blank" rel="noopener">${t('asJson')}</a>
        · <a href=${`${this.api.base}/transparency/statements`} target="_blank" rel="noopener">${t('dsaExport')}</a></p>
      ${this.#counts(t('actionsByType'), t('type'), r.actions.byType, 'type', (k) => this.#typeName(k as ActionType))}
      ${this.#counts(t('actionsByRule'), t('rule'), r.actions.byRule, 'rule')}
      <div class="scroll" role="region" tabindex="0" aria-labelledby="month-caption">
      <table data-table="month">
        <caption id="month-caption">${t('actionsByMonth')}</caption>
        <thead><tr><th scope="col">${t('month')}</th>${types.map((ty) => html`<th scope="col" class="num" data-key=${ty}>${this.#typeName(ty)}</th>`)}</tr></thead>
        <tbody>${months.map((m) => html`<tr><th scope="row">${m}</th>${types.map((ty) => num(r.actions.byMonth[m]![ty] ?? 0))}</tr>`)}</tbody>
      </table>
      </div>
      <p>${t('decidedBy', { people: r.actions.decidedByPeople, auto: r.actions.decidedAutomatically })}</p>
      <div class="scroll" role="region" tabindex="0" aria-labelledby="reports-caption">
      <table data-table="reports">
        <caption id="reports-caption">${t('reportsBySource')}</caption>
        <thead><tr><th scope="col">${t('source')}</th><th scope="col" class="num">${t('received')}</th><th scope="col" class="num">${t('actioned')}</th>
          <th scope="col" class="num">${t('dismissed')}</th><th scope="col" class="num">${t('open')}</th></tr></thead>
        <tbody>${sources.map(([k, o]) => html`<tr><th scope="row">${t(k)}</th>${num(o.received)}${num(o.actioned)}${num(o.dismissed)}${num(o.open)}</tr>`)}</tbody>
      </table>
      </div>
      <p data-median>${t('medianReport', { hours: hours(r.reports.medianHoursToDecision) })}</p>
      <table data-table="appeals">
        <caption>${t('appealsNumbers')}</caption>
        <tbody>
          <tr><th scope="row">${t('filed')}</th>${num(r.appeals.filed)}</tr>
          <tr><th scope="row">${t('decided')}</th>${num(r.appeals.decided)}</tr>
          <tr><th scope="row">${t('upheld')}</th>${num(r.appeals.upheld)}</tr>
          <tr><th scope="row">${t('reversed')}</th>${num(r.appeals.reversed)}</tr>
          <tr><th scope="row">${t('shareReversed')}</th><td class="num">${r.appeals.shareReversed === null ? t('none') : `${Math.round(r.appeals.shareReversed * 100)}%`}</td></tr>
          <tr><th scope="row">${t('medianAppeal')}</th><td class="num">${hours(r.appeals.medianHoursToDecision)}</td></tr>
        </tbody>
      </table>
      <table data-table="detections">
        <caption>${t('detections')}</caption>
        <tbody>
          <tr><th scope="row">${t('flagged')}</th>${num(r.automatedDetections.flagged)}</tr>
          <tr><th scope="row">${t('upheldByPerson')}</th>${num(r.automatedDetections.upheldByPerson)}</tr>
          <tr><th scope="row">${t('dismissedByPerson')}</th>${num(r.automatedDetections.dismissedByPerson)}</tr>
        </tbody>
      </table>
      <p>${t('accounts', { suspended: r.accounts.suspended, banned: r.accounts.banned, misuse: r.accounts.misuseRestrictions })}</p>
      ${r.safetyReferrals?.byCompany.length
        ? html`<table data-table="safety">
            <caption>${t('safetyReferrals')}</caption>
            <thead><tr><th scope="col">${t('company')}</th><th scope="col">${t('safetyFlagged')}</th><th scope="col">${t('safetyForwarded')}</th></tr></thead>
            <tbody>${r.safetyReferrals.byCompany.map((c) => html`<tr><th scope="row">${c.company}</th>${num(c.flagged)}${num(c.forwarded)}</tr>`)}</tbody>
          </table>`
        : nothing}
    </section>`;
  }
}

export class ParleyRules extends ModElement {
  static override styles = [themeStyles, ...modStyles];
  static override properties = { ...ModElement.properties, rules: { state: true }, how: { state: true }, error: { state: true } };
  declare rules: RuleView[] | null;
  declare how: HowItWorks | null;
  declare error: string;

  constructor() {
    super();
    this.rules = this.how = null;
    this.error = '';
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('server') || changed.has('site')) void this.#load();
  }

  async #load(): Promise<void> {
    if (!this.site) return;
    const [rules, how] = await Promise.all([this.api.rules(), this.api.howItWorks(this.language)]);
    if (isFailure(rules) || isFailure(how)) {
      this.error = this.t('loadFailed', { message: (isFailure(rules) ? rules : (how as { error: { message: string } })).error.message });
      return;
    }
    this.rules = rules.rules;
    this.how = how;
  }

  override render() {
    const t = this.t;
    if (this.error) return html`<p class="error" role="alert">${this.error}</p>`;
    if (!this.rules || !this.how) return html`<p class="muted" role="status">…</p>`;
    const h = this.how;
    return html`<section aria-labelledby="rules-title">
        <h2 id="rules-title">${t('rulesTitle')}</h2>
        ${this.rules.map(
          (r) => html`<article id=${r.id} data-rule=${r.id}>
            <h3>${r.id} ${r.title}</h3>
            <p class="muted">${t('ruleVersion', { version: r.version, date: this.date(r.effectiveFrom) })}</p>
            <p>${r.text}</p>
            ${r.kind === 'commitment' ? html`<p><strong>${t('commitment')}</strong></p>` : nothing}
            ${r.examples.allowed.length ? html`<p>${t('allowed')}:</p><ul>${r.examples.allowed.map((x) => html`<li>${x}</li>`)}</ul>` : nothing}
            ${r.examples.notAllowed.length ? html`<p>${t('notAllowed')}:</p><ul>${r.examples.notAllowed.map((x) => html`<li>${x}</li>`)}</ul>` : nothing}
          </article>`,
        )}
      </section>
      <section aria-labelledby="how-title" data-how>
        <h2 id="how-title">${t('howTitle')}</h2>
        <h3>${t('howWho')}</h3>
        <p>${h.moderators.who}</p>
        ${h.moderators.singleModeratorNotice ? html`<p><strong>${h.moderators.singleModeratorNotice}</strong></p>` : nothing}
        <p>${h.decisions.moderatorsShown}</p>
        <h3>${t('howAutomation')}</h3>
        <ul>${Object.values(h.automation).map((x) => html`<li>${x}</li>`)}</ul>
        <h3>${t('howReports')}</h3>
        <ul>${Object.values(h.reports).map((x) => html`<li>${x}</li>`)}</ul>
        <h3>${t('howDecisions')}</h3>
        <p>${h.decisions.statementOfReasons} ${h.decisions.neverEdited}</p>
        <h3>${t('howAppeals')}</h3>
        <p>${h.appeals.what} ${t('appealWindow', { months: h.appeals.windowMonths })} ${h.appeals.decidedBy} ${h.appeals.outcome}</p>
        ${h.appeals.externalRedress ? html`<p>${h.appeals.externalRedress}</p>` : nothing}
        <h3>${t('howMisuse')}</h3>
        <p>${h.misuse.policy}</p>
      </section>`;
  }
}

for (const [name, element] of [
  ['parley-transparency', ParleyTransparency],
  ['parley-rules', ParleyRules],
] as const) {
  if (!customElements.get(name)) customElements.define(name, element);
}

declare global {
  interface HTMLElementTagNameMap {
    'parley-transparency': ParleyTransparency;
    'parley-rules': ParleyRules;
  }
}
