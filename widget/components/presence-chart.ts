/**
 * `<parley-presence company="id">`: a company's presence over time (issue 6), in the company card
 * and in "Who takes part". A small SVG bar chart of its weekly activity — replies to patients and
 * carers solid, its other posts hatched, the busiest weeks marked with ▼, so it reads without
 * colour — named for assistive technology (`role="img"`, `aria-label` and `<title>`), followed by
 * its text alternative: a summary sentence, the steadiness index in words ("Steady participation:
 * the busiest 10% of weeks (3 of 21) hold 18% of its activity"), the median time to answer a
 * question, and the weekly figures as a table (in a `<details>`), with a link to the JSON.
 *
 * Attributes / properties: `company` (id), `level` (heading level, default 3), and as the other
 * identity elements `server`, `site`, `lang` or `discussion`. Data:
 * `GET /api/sites/{site}/companies/{id}/presence`. Loaded lazily by company-card.ts.
 * CSS parts: `chart`.
 */
import { css, html, nothing, svg, type PropertyValues } from 'lit';
import type { CompanyPresence } from '../../moderation/types.js';
import { isFailure } from '../client/outcome.js';
import { authenticityMessages as messages } from '../i18n/authenticity.js';
import { loadLanguage, translator } from '../i18n/index.js';
import { IdentityElement, identityStyles } from './identity-base.js';

/** Chart geometry in SVG user units: one slot per week, bars up to BAR_H high above the baseline. */
const SLOT = 6;
const BAR = 4;
const BAR_H = 48;
const BASE = 58;

const chartStyles = css`
  svg { display: block; width: 100%; max-width: 28em; max-height: 7em; color: var(--_text); }
  .legend { list-style: none; padding: 0; display: flex; flex-wrap: wrap; gap: 0 var(--_space); font-size: 0.9em; }
  .legend svg { display: inline; width: 1em; height: 1em; vertical-align: -0.15em; margin-inline-end: 0.3em; }
  details { margin-top: var(--_half); }
  td, th { font-variant-numeric: tabular-nums; }
`;

export class ParleyPresence extends IdentityElement {
  static override styles = [...identityStyles, chartStyles];

  static override properties = {
    company: {},
    level: { type: Number },
    data: { state: true },
    failed: { state: true },
  };

  declare company: string;
  declare level: number;
  declare data: CompanyPresence | null;
  declare failed: boolean;

  constructor() {
    super();
    this.company = '';
    this.level = 3;
    this.data = null;
    this.failed = false;
  }

  get #t() {
    void loadLanguage(this.language)?.then(() => this.requestUpdate());
    return translator(this.language, messages);
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if ((changed.has('company') || changed.has('discussion') || changed.has('site')) && this.company && this.siteId) void this.#load();
  }

  async #load(): Promise<void> {
    const id = this.company;
    this.failed = false;
    const res = await this.api.presence(id);
    if (id !== this.company) return;
    if (isFailure(res)) this.failed = true;
    else this.data = res;
  }

  get #jsonUrl(): string {
    const server = (this.serverUrl || new URL(import.meta.url).origin).replace(/\/+$/, '');
    return `${server}/api/sites/${encodeURIComponent(this.siteId)}/companies/${encodeURIComponent(this.company)}/presence`;
  }

  override render() {
    const t = this.#t;
    const d = this.data;
    return html`<section data-presence aria-busy=${d || this.failed ? 'false' : 'true'}>
      <div role="heading" aria-level=${this.level}>${t('presenceHeading')}</div>
      ${this.failed
        ? html`<p class="error" role="alert">${t('presenceFailed')}</p>`
        : d
          ? this.#renderData(d)
          : html`<p class="muted" role="status">${t('presenceLoading')}</p>`}
    </section>`;
  }

  #renderData(d: CompanyPresence) {
    const t = this.#t;
    const lang = this.language;
    const company = d.companyName;
    const weeks = d.series.length;
    const num = new Intl.NumberFormat(lang);
    const pct = new Intl.NumberFormat(lang, { style: 'percent', maximumFractionDigits: 0 });
    const day = (weekStart: string) => new Date(`${weekStart}T00:00:00Z`).toLocaleDateString(lang, { dateStyle: 'medium', timeZone: 'UTC' });
    const posts = d.series.reduce((a, w) => a + w.posts, 0);
    const replies = d.series.reduce((a, w) => a + w.repliesToMembers, 0);
    const best = d.series.reduce((b, w) => (w.total > b.total ? w : b), d.series[0] ?? { total: 0, weekStart: '' });
    const label = d.totalActivity
      ? t('presenceChart', { company, weeks, total: num.format(d.totalActivity), best: best.weekStart ? day(best.weekStart) : '', max: num.format(best.total) })
      : t('presenceChartEmpty', { company, weeks });
    const klass = t(d.classification);
    const h = d.medianResponseHours;
    const time = h === null ? '' : h < 48 ? t('hours', { n: new Intl.NumberFormat(lang, { maximumFractionDigits: 1 }).format(h) }) : t('days', { n: new Intl.NumberFormat(lang, { maximumFractionDigits: 1 }).format(h / 24) });
    return html`
      ${this.#chart(d, label)}
      <ul class="legend" aria-hidden="true">
        <li>${swatch(false)}${t('presenceLegendReplies')}</li>
        <li>${swatch(true)}${t('presenceLegendPosts')}</li>
        <li>${t('presenceLegendBusiest')}</li>
      </ul>
      <p data-summary>${t('presenceSummary', { weeks, company, total: num.format(d.totalActivity), replies: num.format(replies), posts: num.format(posts), active: num.format(d.activeWeeks) })}</p>
      <p data-steadiness data-class=${d.classification}>
        ${d.burstiness === null
          ? t('presenceIndexNone', { label: klass })
          : t('presenceIndex', { label: klass, percent: pct.format(0.1), k: d.busiestWeeks, n: weeks, share: pct.format(d.burstiness) })}
      </p>
      <p data-median>
        ${h === null
          ? t('presenceMedianNone', { company, unanswered: num.format(d.unansweredQuestions) })
          : t('presenceMedian', { company, time, answered: num.format(d.answeredQuestions), unanswered: num.format(d.unansweredQuestions) })}
      </p>
      <details>
        <summary>${t('presenceTable')}</summary>
        <table>
          <caption>${t('presenceCaption', { company })}</caption>
          <thead><tr><th scope="col">${t('week')}</th><th scope="col" class="num">${t('replies')}</th><th scope="col" class="num">${t('answers')}</th><th scope="col" class="num">${t('posts')}</th></tr></thead>
          <tbody>
            ${d.series.map((w) => html`<tr><th scope="row">${day(w.weekStart)}</th><td class="num">${w.repliesToMembers}</td><td class="num">${w.answers}</td><td class="num">${w.posts}</td></tr>`)}
          </tbody>
        </table>
      </details>
      <p class="muted">${t('presenceHow')} <a href=${this.#jsonUrl} target="_blank" rel="noopener">${t('presenceJson')}</a></p>`;
  }

  /** Stacked weekly bars: replies to members solid at the bottom, other posts hatched above, ▼ over the busiest weeks. */
  #chart(d: CompanyPresence, label: string) {
    const n = Math.max(1, d.series.length);
    const width = n * SLOT;
    const max = Math.max(1, ...d.series.map((w) => w.total));
    const busiest = new Set(
      [...d.series.keys()].filter((i) => d.series[i].total > 0).sort((a, b) => d.series[b].total - d.series[a].total).slice(0, d.busiestWeeks),
    );
    const scale = (v: number) => (v / max) * BAR_H;
    return html`<svg part="chart" role="img" aria-label=${label} viewBox=${`0 0 ${width} ${BASE + 2}`} preserveAspectRatio="xMinYMax meet" data-weeks=${d.series.length}>
      <title>${label}</title>
      <defs>${hatch()}</defs>
      ${d.series.map((w, i) => {
        const x = i * SLOT + (SLOT - BAR) / 2;
        const r = scale(w.repliesToMembers);
        const p = scale(w.posts);
        const top = BASE - r - p;
        return svg`<g data-week=${w.weekStart}>
          ${r ? svg`<rect x=${x} y=${BASE - r} width=${BAR} height=${r} fill="currentColor"></rect>` : nothing}
          ${p ? svg`<rect x=${x} y=${top} width=${BAR} height=${p} fill="url(#hatch)" stroke="currentColor" stroke-width="0.5"></rect>` : nothing}
          ${busiest.has(i) ? svg`<path d=${`M${x + BAR / 2} ${top - 1}l-2 -4h4z`} fill="currentColor" data-busiest></path>` : nothing}
        </g>`;
      })}
      <line x1="0" x2=${width} y1=${BASE + 0.5} y2=${BASE + 0.5} stroke="currentColor" stroke-width="1"></line>
    </svg>`;
  }
}

function hatch() {
  return svg`<pattern id="hatch" width="3" height="3" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">
    <line x1="0" y1="0" x2="0" y2="3" stroke="currentColor" stroke-width="1.2"></line>
  </pattern>`;
}

/** The legend's sample of a bar: solid or hatched (its own pattern: ids are per shadow root, but not per svg). */
function swatch(hatched: boolean) {
  return html`<svg viewBox="0 0 10 10" aria-hidden="true">
    ${hatched
      ? svg`<defs><pattern id="hatch-key" width="3" height="3" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><line x1="0" y1="0" x2="0" y2="3" stroke="currentColor" stroke-width="1.2"></line></pattern></defs>
          <rect x="0.5" y="0.5" width="9" height="9" fill="url(#hatch-key)" stroke="currentColor"></rect>`
      : svg`<rect x="0.5" y="0.5" width="9" height="9" fill="currentColor"></rect>`}
  </svg>`;
}

if (!customElements.get('parley-presence')) customElements.define('parley-presence', ParleyPresence);

declare global {
  interface HTMLElementTagNameMap {
    'parley-presence': ParleyPresence;
  }
}
