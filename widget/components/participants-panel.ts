/**
 * `<parley-participants server site topic>`: "Who takes part" in a topic. The companies whose
 * staff posted there (with their disclosure, products, people and presence over time), the verified healthcare
 * professionals who posted, and how the host organisation is funded by companies: each
 * company's share of the latest year as a table with percentages (and a bar that repeats the
 * number), with a worded note when one company is the only or the dominant (over half) funder.
 * Shares are within one currency; funding in other currencies is listed after the table, never
 * added to the total (no exchange rates).
 *
 * Works standalone (attributes; `lang` as elsewhere) or inside `<parley-discussion>`, which
 * renders it from its "Who takes part" button and sets `discussion`. A labelled region with
 * a heading. Data: `GET /api/sites/{site}/topics/{topic}/participants`. Lazily loaded.
 *
 * CSS parts: `panel`, `note`, `button`.
 */
import { html, nothing, type PropertyValues } from 'lit';
import type { TopicParticipants } from '../../moderation/types.js';
import { isFailure } from '../client/outcome.js';
import { formatMoney, renderCompany } from './company-card.js';
import { IdentityElement, identityStyles } from './identity-base.js';

export class ParleyParticipants extends IdentityElement {
  static override styles = identityStyles;

  static override properties = {
    topic: {},
    data: { state: true },
    failed: { state: true },
  };

  declare topic: string;
  declare data: TopicParticipants | null;
  declare failed: boolean;

  constructor() {
    super();
    this.topic = '';
    this.data = null;
    this.failed = false;
  }

  get topicId(): string {
    return this.discussion?.topic || this.topic;
  }

  /** Fetch again (the panel does not follow the conversation live). */
  async reload(): Promise<void> {
    const topic = this.topicId;
    if (!topic || !this.siteId) return;
    this.failed = false;
    const res = await this.api.participants(topic);
    if (topic !== this.topicId) return;
    if (isFailure(res)) this.failed = true;
    else this.data = res;
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('topic') || changed.has('site') || changed.has('server') || changed.has('discussion')) void this.reload();
  }

  override render() {
    const t = this.t;
    const d = this.data;
    return html`<section part="panel" class="box" aria-labelledby="who-title" aria-busy=${d || this.failed ? 'false' : 'true'}>
      <h2 id="who-title">${t('whoHeading')}</h2>
      ${this.failed
        ? html`<p class="error" role="alert">${t('loadFailed')}</p>
            <button part="button" type="button" @click=${() => this.reload()}>${t('retry')}</button>`
        : !d
          ? html`<p class="muted" role="status">${t('idLoading')}</p>`
          : this.#renderData(d)}
    </section>`;
  }

  #renderData(d: TopicParticipants) {
    const t = this.t;
    const lang = this.language;
    return html`
      <section data-companies aria-labelledby="who-companies">
        <h3 id="who-companies">${t('whoCompanies')}</h3>
        ${d.companies.length
          ? d.companies.map((c) => html`<article class="company" aria-labelledby=${`company-${c.id}`} data-company-id=${c.id}>
              <div role="heading" aria-level="4" id=${`company-${c.id}`}>${c.displayName}</div>
              <p class="muted">${t('postsHere', { count: c.postsInTopic })}</p>
              ${renderCompany(c, t, { lang, level: 5, siteName: this.siteName, host: this })}
            </article>`)
          : html`<p class="empty">${t('whoNone')}</p>`}
      </section>
      ${d.professionals.length
        ? html`<section data-professionals aria-labelledby="who-pros">
            <h3 id="who-pros">${t('whoProfessionals')}</h3>
            <ul>${d.professionals.map((p) => html`<li><strong>${p.name}</strong> — ${p.profession}</li>`)}</ul>
          </section>`
        : nothing}
      ${this.#renderFunding(d.funding)}`;
  }

  #renderFunding(f: TopicParticipants['funding']) {
    const t = this.t;
    const lang = this.language;
    // Always with its currency, formatted as in the company card (no silent euros).
    const money = { format: (amount: number) => formatMoney(amount, f.currency, lang) };
    const percent = new Intl.NumberFormat(lang, { style: 'percent', maximumFractionDigits: 1 });
    const top = f.shares[0];
    return html`<section data-funding aria-labelledby="who-funding">
      <h3 id="who-funding">${f.year ? t('whoFunding', { year: f.year }) : t('whoFundingNoYear')}</h3>
      ${f.note && top
        ? html`<p part="note" class="note" role="note" data-note=${f.note}>
            ${f.note === 'single-funder'
              ? t('noteSingle', { company: f.dominantCompany ?? top.companyName })
              : t('noteDominant', { company: f.dominantCompany ?? top.companyName, share: percent.format(top.share) })}
          </p>`
        : nothing}
      ${f.shares.length
        ? html`<table>
            <thead><tr><th scope="col">${t('company')}</th><th scope="col" class="num">${t('amount')}</th><th scope="col">${t('share')}</th></tr></thead>
            <tbody>
              ${f.shares.map((s) => html`<tr data-share=${s.companyId}>
                <th scope="row">${s.companyName}</th>
                <td class="num">${money.format(s.amount)}</td>
                <td><meter min="0" max="1" .value=${s.share} aria-hidden="true"></meter><span>${percent.format(s.share)}</span></td>
              </tr>`)}
            </tbody>
            <tfoot><tr><th scope="row">${t('total')}</th><td class="num">${money.format(f.total)}</td><td>${percent.format(1)}</td></tr></tfoot>
          </table>`
        : html`<p>${t('fundingNone')}</p>`}
      ${f.otherCurrencies?.length && f.year
        ? html`<p data-other-currencies>${t('otherCurrencies', {
            year: f.year,
            amounts: f.otherCurrencies
              .flatMap((o) => o.shares.map((s) => `${s.companyName} ${formatMoney(s.amount, o.currency, lang)}`))
              .join('; '),
          })}</p>`
        : nothing}
    </section>`;
  }
}
