/**
 * `<parley-company-card company="id">`: a company taking part, as readers are shown it when
 * they press a staff badge: its disclosure (funding received by year: amount in its own
 * currency with `Intl.NumberFormat`, type, purpose, agreement reference and date added (F-1);
 * projects, statement, link to the published disclosure), whether it sponsors the forum
 * itself ("company-sponsored", P-4), its products, its people in this community
 * (verified staff; those whose affiliation ended are listed as former staff), the questions put to
 * it (issue 14: open now, the oldest wait, the share answered and the median time to answer over
 * 12 weeks) beside its approved public pledge, and its presence over time (`<parley-presence>`:
 * a weekly chart with a text alternative, loaded lazily).
 *
 * A modal `<dialog>` labelled by its heading: it opens at once (focus on Close), Escape or
 * Close closes it and fires `parley-close`; `<parley-discussion>` then returns focus to the
 * badge. Data: `GET /api/sites/{site}/companies/{id}`. Lazily loaded (parley-identity.ts).
 *
 * CSS parts: `dialog`, `button`.
 */
import { css, html, nothing, type PropertyValues } from 'lit';
import type { CompanyInfo, FundingType } from '../../moderation/types.js';
import type { IdentityMessages } from '../i18n/identity.en.js';
import { isFailure } from '../client/outcome.js';
import { renderQuestionFigures } from '../desk/figures.js';
import { IdentityElement, identityStyles, type IdentityTranslate } from './identity-base.js';

const FUNDING_TYPE_LABEL: Record<FundingType, keyof IdentityMessages> = {
  donation: 'typeDonation', grant: 'typeGrant', sponsorship: 'typeSponsorship', 'in-kind': 'typeIn-kind',
};

/**
 * An amount in its own currency (ISO 4217), in the reader's language: "€30,000.00", "30.000,00 £".
 * The one way Parley shows money (card and participants panel): always with its currency.
 */
export function formatMoney(amount: number, currency: string, lang: string): string {
  try {
    return new Intl.NumberFormat(lang, { style: 'currency', currency }).format(amount);
  } catch {
    // A code this browser's Intl does not know: the number and the code, never a wrong symbol.
    return `${new Intl.NumberFormat(lang).format(amount)} ${currency}`;
  }
}

/** A company's disclosure, products and people; headings start at `level`. */
export function renderCompany(c: CompanyInfo, t: IdentityTranslate, opts: { lang: string; level: number; siteName: string | null; host?: IdentityElement }) {
  const { lang, level } = opts;
  const date = (iso: string) => new Date(iso).toLocaleDateString(lang, { dateStyle: 'medium' });
  const d = c.disclosure;
  const heading = (text: string) => html`<div role="heading" aria-level=${level}>${text}</div>`;
  const people = [...c.people].sort((a, b) => Number(a.revokedAt !== null) - Number(b.revokedAt !== null));
  return html`
    ${c.legalName !== c.displayName ? html`<p class="muted">${t('legalName', { name: c.legalName })}</p>` : nothing}
    <div data-disclosure>
      ${heading(opts.siteName ? t('disclosureHeading', { site: opts.siteName }) : t('disclosureHeadingNoSite'))}
      ${c.sponsored
        ? html`<p class="note" role="note" data-sponsored><strong>${t('sponsoredBadge')}</strong> — ${t('sponsoredNote', { company: c.displayName })}</p>`
        : nothing}
      ${d.funding.length
        ? html`<table>
            <caption>${t('fundingCaption')}</caption>
            <thead><tr>
              <th scope="col">${t('year')}</th><th scope="col" class="num">${t('amount')}</th><th scope="col">${t('fundingType')}</th>
              <th scope="col">${t('purpose')}</th><th scope="col">${t('fundingAgreement')}</th><th scope="col">${t('fundingAdded')}</th>
            </tr></thead>
            <tbody>
              ${[...d.funding].sort((a, b) => b.year - a.year).map((f) => html`<tr data-funding-entry>
                <td>${f.year}</td>
                <td class="num">${f.type === 'in-kind' && f.amount === 0 ? t('inKindNoValue') : formatMoney(f.amount, f.currency, lang)}</td>
                <td>${t(FUNDING_TYPE_LABEL[f.type] ?? 'typeDonation')}</td>
                <td>${f.purpose}</td>
                <td>${f.agreementRef ?? ''}</td>
                <td>${f.addedAt ? date(f.addedAt) : ''}</td>
              </tr>`)}
            </tbody>
          </table>`
        : html`<p>${t('noFunding')}</p>`}
      ${d.projects.length ? html`<p>${t('projects', { projects: d.projects.join(', ') })}</p>` : nothing}
      ${d.statement ? html`<p>${t('statement', { statement: d.statement })}</p>` : nothing}
      ${d.url && /^https?:/i.test(d.url) ? html`<p><a href=${d.url} target="_blank" rel="noopener">${t('disclosureLink')}</a></p>` : nothing}
    </div>
    ${c.products.length
      ? html`<div data-products>
          ${heading(t('productsHeading'))}
          <ul>
            ${c.products.map((p) => html`<li>${p.name}${p.inn.length ? ` (${t('inn', { inn: p.inn.join(', ') })})` : ''}${p.prescriptionOnly ? ` · ${t('prescriptionOnly')}` : ''}</li>`)}
          </ul>
        </div>`
      : nothing}
    <div data-people>
      ${heading(t('peopleHeading'))}
      ${people.length
        ? html`<ul>
            ${people.map((p) => html`<li class=${p.revokedAt ? 'former' : ''}>
              <strong>${p.name}</strong> — ${p.revokedAt
                ? t('former', { date: date(p.revokedAt) })
                : t('personVerified', { title: p.jobTitle, org: p.verifiedBy, date: date(p.verifiedAt) })}
            </li>`)}
          </ul>`
        : html`<p>${t('noPeople')}</p>`}
    </div>
    ${c.questions !== undefined || c.pledge !== undefined ? renderQuestionFigures(c.displayName, c.questions, c.pledge, { lang, level }) : nothing}
    ${opts.host ? presence(c.id, opts.host, level) : nothing}`;
}

/** Its presence over time (issue 6): a chart with a text alternative, in a chunk of its own. */
function presence(company: string, host: IdentityElement, level: number) {
  void import('./presence-chart.js');
  return html`<parley-presence company=${company} level=${level} .discussion=${host.discussion} server=${host.server} site=${host.site} lang=${host.lang}></parley-presence>`;
}

const cardStyles = css`
  dialog { max-width: min(40rem, 92vw); border: 1px solid var(--_border); border-radius: var(--_radius); color: var(--_text); background: var(--_bg); padding: var(--_space); }
  dialog::backdrop { background: rgb(0 0 0 / 0.4); }
  .head { display: flex; justify-content: space-between; align-items: start; gap: var(--_space); }
`;

export class ParleyCompanyCard extends IdentityElement {
  static override styles = [...identityStyles, cardStyles];

  static override properties = {
    company: {},
    data: { state: true },
    failed: { state: true },
  };

  declare company: string;
  declare data: CompanyInfo | null;
  declare failed: boolean;

  constructor() {
    super();
    this.company = '';
    this.data = null;
    this.failed = false;
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('company') && this.company) void this.#load();
  }

  protected override firstUpdated(): void {
    const dialog = this.renderRoot.querySelector('dialog')!;
    if (!dialog.open) dialog.showModal();
  }

  /** Close the card (as Escape or the Close button do). */
  close(): void {
    this.renderRoot.querySelector('dialog')?.close();
  }

  async #load(): Promise<void> {
    const id = this.company;
    this.data = null;
    this.failed = false;
    const res = await this.api.company(id);
    if (id !== this.company) return;
    if (isFailure(res)) this.failed = true;
    else this.data = res;
  }

  #onClose = (): void => {
    this.dispatchEvent(new CustomEvent('parley-close'));
  };

  override render() {
    const t = this.t;
    const c = this.data;
    return html`<dialog part="dialog" aria-labelledby="card-title" @close=${this.#onClose}>
      <div class="head">
        <h2 id="card-title">${c ? c.displayName : this.failed ? t('cardError') : t('idLoading')}</h2>
        <button part="button" type="button" data-close @click=${() => this.close()}>${t('close')}</button>
      </div>
      ${c ? renderCompany(c, t, { lang: this.language, level: 3, siteName: this.siteName, host: this }) : nothing}
    </dialog>`;
  }

}

