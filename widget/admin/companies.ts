/**
 * `<parley-admin-companies>`: the console's Companies section. The register (`GET /admin`) and,
 * per company, the editor of what the public company card shows (`PUT /admin/companies/{id}`):
 * names, email domains, products (INN, prescription status), the funding disclosure (year,
 * amount with its ISO 4217 currency, type, purpose, agreement reference, date added —
 * requirement F-1), projects, link, statement and the "company-sponsored" flag; and the
 * pharmacovigilance contacts per country and product (`/admin/companies/{id}/safety-contacts`
 * and `PUT …/safety-contact`, requirement P-4; a webhook's signing secret is shown once).
 * Amounts are shown with `Intl.NumberFormat` in the reader's language.
 * A server without the extended disclosure fields (currency, type, agreement reference, date
 * added, sponsored) refuses them as unknown keys: the console then saves without them and says so.
 */
import { html, nothing } from 'lit';
import { isFailure } from '../client/outcome.js';
import type { CompanyView, FundingInput, FundingType, SafetyContactView } from './api.js';
import { AdminSection, adminStyles, lines } from './base.js';

const FUNDING_TYPES: Array<[FundingType, string]> = [['donation', 'Donation'], ['grant', 'Grant'], ['sponsorship', 'Sponsorship'], ['in-kind', 'In kind']];
const EXTENDED = /currency|type|agreementRef|addedAt|sponsored/;

const blank = (): CompanyView => ({
  id: '', legalName: '', displayName: '', emailDomains: [], products: [], sponsored: false,
  disclosure: { funding: [], projects: [], url: null, statement: null },
});

/** An amount as people read it, with its currency (falls back to the plain number for an unknown code). */
export function formatAmount(amount: number, currency: string | undefined, lang: string): string {
  try {
    return currency ? new Intl.NumberFormat(lang, { style: 'currency', currency }).format(amount) : new Intl.NumberFormat(lang).format(amount);
  } catch {
    return `${new Intl.NumberFormat(lang).format(amount)} ${currency ?? ''}`.trim();
  }
}

export class ParleyAdminCompanies extends AdminSection {
  static override styles = adminStyles;
  static override properties = { ...AdminSection.properties, companies: { state: true }, editing: { state: true }, contacts: { state: true }, webhookSecret: { state: true } };

  declare companies: CompanyView[];
  /** The company in the editor (a copy), or null for the register. */
  declare editing: (CompanyView & { isNew?: boolean }) | null;
  /** The company's PV contacts (the default scope first), or null while loading. */
  declare contacts: SafetyContactView[] | null;
  declare webhookSecret: string | null;

  constructor() {
    super();
    this.companies = [];
    this.editing = null;
    this.contacts = null;
    this.webhookSecret = null;
  }

  override async load(): Promise<void> {
    const res = await this.api.overview(this.token);
    if (this.settle('load', res, '')) {
      this.companies = res.companies;
      this.notes = { ...this.notes, load: null };
    }
  }

  override render() {
    return html`<h2>${this.t('adminSectionCompanies')}</h2>${this.note('load')}${this.editing ? this.#renderEditor(this.editing) : this.#renderRegister()}`;
  }

  #renderRegister() {
    const lang = this.language;
    return html`<div class="table-wrap"><table data-register>
        <caption>${this.t('adminRegisterCaption')}</caption>
        <thead><tr><th scope="col">Company</th><th scope="col">Email domains</th><th scope="col" class="num">Latest funding</th><th scope="col"><span class="visually-hidden">Edit</span></th></tr></thead>
        <tbody>
          ${this.companies.map((c) => {
            const latest = [...c.disclosure.funding].sort((a, b) => b.year - a.year)[0];
            return html`<tr data-company=${c.id}>
              <th scope="row">${c.displayName}${c.sponsored ? html` <span class="muted">(company-sponsored)</span>` : nothing}<br /><span class="muted">${c.legalName}</span></th>
              <td>${c.emailDomains.join(', ')}</td>
              <td class="num">${latest ? `${latest.year}: ${formatAmount(latest.amount, latest.currency, lang)}` : '–'}</td>
              <td><button type="button" data-edit=${c.id} @click=${() => this.#edit(c)}>Edit<span class="visually-hidden"> ${c.displayName}</span></button></td>
            </tr>`;
          })}
        </tbody>
      </table></div>
      ${this.companies.length ? nothing : html`<p class="muted">No companies yet.</p>`}
      <div class="actions"><button type="button" class="primary" data-new-company @click=${() => this.#edit({ ...blank(), isNew: true } as CompanyView)}>Add a company</button></div>`;
  }

  async #edit(c: CompanyView & { isNew?: boolean }): Promise<void> {
    this.editing = structuredClone(c);
    this.contacts = null;
    this.webhookSecret = null;
    this.notes = {};
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>('#co-name')?.focus();
    if (!c.isNew) await this.#loadContacts(c.id);
  }

  async #loadContacts(id: string): Promise<void> {
    const res = await this.api.safetyContacts(this.token, id);
    this.contacts = isFailure(res) ? [] : res.contacts;
  }

  #set(patch: Partial<CompanyView>): void {
    this.editing = { ...this.editing!, ...patch };
  }

  /** Handlers read the state at event time, not the render's copy: two quick inputs must not undo each other. */
  #setProduct(i: number, patch: Partial<CompanyView['products'][number]>): void {
    this.#set({ products: this.editing!.products.map((p, j) => (j === i ? { ...p, ...patch } : p)) });
  }

  #setDisclosure(patch: Partial<CompanyView['disclosure']>): void {
    this.#set({ disclosure: { ...this.editing!.disclosure, ...patch } });
  }

  #setFunding(i: number, patch: Partial<FundingInput>): void {
    const funding = this.editing!.disclosure.funding.map((f, j) => (j === i ? { ...f, ...patch } : f));
    this.#set({ disclosure: { ...this.editing!.disclosure, funding } });
  }

  #renderEditor(c: CompanyView & { isNew?: boolean }) {
    const d = c.disclosure;
    const lang = this.language;
    const val = (e: Event) => (e.target as HTMLInputElement).value;
    return html`<form class="box" data-form="company" @submit=${this.#save} novalidate aria-labelledby="co-title">
        <h3 id="co-title">${c.isNew ? 'A new company' : `Edit ${c.displayName}`}</h3>
        ${c.isNew
          ? html`<label for="co-id">Id (lowercase letters, digits, dashes; cannot change later)</label>
              <input type="text" id="co-id" required pattern="[a-z0-9][a-z0-9-]{0,39}" .value=${c.id} @input=${(e: Event) => this.#set({ id: val(e).trim() })} />`
          : nothing}
        <div class="row">
          <div><label for="co-name">Name shown</label><input type="text" id="co-name" required maxlength="100" .value=${c.displayName} @input=${(e: Event) => this.#set({ displayName: val(e) })} /></div>
          <div><label for="co-legal">Legal name</label><input type="text" id="co-legal" required maxlength="200" .value=${c.legalName} @input=${(e: Event) => this.#set({ legalName: val(e) })} /></div>
        </div>
        <label for="co-domains">Email domains of its staff (one a line)</label>
        <textarea id="co-domains" .value=${c.emailDomains.join('\n')} @input=${(e: Event) => this.#set({ emailDomains: lines(val(e)) })}></textarea>
        <label class="check"><input type="checkbox" data-sponsored .checked=${Boolean(c.sponsored)} @change=${(e: Event) => this.#set({ sponsored: (e.target as HTMLInputElement).checked })} /> Company-sponsored (shown on the company card and its posts)</label>

        <fieldset data-products>
          <legend>${this.t('adminProductsLegend')}</legend>
          ${c.products.map((p, i) => html`<div class="row" data-product=${i}>
            <div><label for=${`p-name-${i}`}>Product name</label><input type="text" id=${`p-name-${i}`} maxlength="100" .value=${p.name}
              @input=${(e: Event) => this.#setProduct(i, { name: val(e) })} /></div>
            <div><label for=${`p-inn-${i}`}>INN (comma separated)</label><input type="text" id=${`p-inn-${i}`} .value=${p.inn.join(', ')}
              @input=${(e: Event) => this.#setProduct(i, { inn: val(e).split(',').map((x) => x.trim()).filter(Boolean) })} /></div>
            <div><label class="check"><input type="checkbox" .checked=${p.prescriptionOnly}
              @change=${(e: Event) => this.#setProduct(i, { prescriptionOnly: (e.target as HTMLInputElement).checked })} /> Prescription only</label>
              <button type="button" @click=${() => this.#set({ products: this.editing!.products.filter((_, j) => j !== i) })}>Remove<span class="visually-hidden"> product ${p.name || i + 1}</span></button></div>
          </div>`)}
          <div class="actions"><button type="button" data-add-product @click=${() => this.#set({ products: [...this.editing!.products, { name: '', inn: [], prescriptionOnly: true }] })}>Add a product</button></div>
        </fieldset>

        <fieldset data-funding>
          <legend>${this.t('adminFundingLegend')}</legend>
          ${d.funding.map((f, i) => html`<fieldset data-funding-row=${i}>
            <legend>${f.year || 'New entry'}${f.amount ? `: ${formatAmount(f.amount, f.currency, lang)}` : ''}</legend>
            <div class="row">
              <div><label for=${`f-year-${i}`}>Year</label><input type="number" id=${`f-year-${i}`} min="1990" max="2100" .value=${String(f.year || '')} @input=${(e: Event) => this.#setFunding(i, { year: Number(val(e)) })} /></div>
              <div><label for=${`f-amount-${i}`}>Amount</label><input type="number" id=${`f-amount-${i}`} min="0" step="0.01" .value=${String(f.amount ?? '')} @input=${(e: Event) => this.#setFunding(i, { amount: Number(val(e)) })} /></div>
              <div><label for=${`f-cur-${i}`}>Currency (ISO 4217)</label><input type="text" id=${`f-cur-${i}`} maxlength="3" pattern="[A-Z]{3}" placeholder="EUR" .value=${f.currency ?? ''} @input=${(e: Event) => this.#setFunding(i, { currency: val(e).toUpperCase() })} /></div>
              <div><label for=${`f-type-${i}`}>Type</label><select id=${`f-type-${i}`} @change=${(e: Event) => this.#setFunding(i, { type: val(e) as FundingType })}>
                ${FUNDING_TYPES.map(([v, l]) => html`<option value=${v} ?selected=${(f.type ?? 'donation') === v}>${l}</option>`)}</select></div>
            </div>
            <label for=${`f-purpose-${i}`}>Purpose</label><input type="text" id=${`f-purpose-${i}`} maxlength="300" .value=${f.purpose ?? ''} @input=${(e: Event) => this.#setFunding(i, { purpose: val(e) })} />
            <div class="row">
              <div><label for=${`f-ref-${i}`}>Agreement reference</label><input type="text" id=${`f-ref-${i}`} maxlength="100" .value=${f.agreementRef ?? ''} @input=${(e: Event) => this.#setFunding(i, { agreementRef: val(e) })} /></div>
              <div><label for=${`f-added-${i}`}>Date added</label><input type="date" id=${`f-added-${i}`} .value=${(f.addedAt ?? '').slice(0, 10)} @input=${(e: Event) => this.#setFunding(i, { addedAt: val(e) })} /></div>
            </div>
            <button type="button" @click=${() => this.#setDisclosure({ funding: this.editing!.disclosure.funding.filter((_, j) => j !== i) })}>Remove this entry<span class="visually-hidden"> (${i + 1})</span></button>
          </fieldset>`)}
          <div class="actions"><button type="button" data-add-funding @click=${() => this.#setDisclosure({ funding: [...this.editing!.disclosure.funding, { year: new Date().getFullYear(), amount: 0, currency: 'EUR', type: 'donation', purpose: '', addedAt: new Date().toISOString().slice(0, 10) }] })}>Add a funding entry</button></div>
          <label for="co-projects">Projects (one a line)</label>
          <textarea id="co-projects" .value=${d.projects.join('\n')} @input=${(e: Event) => this.#setDisclosure({ projects: lines(val(e)) })}></textarea>
          <label for="co-url">Link to the company's own disclosure</label>
          <input type="url" id="co-url" maxlength="500" .value=${d.url ?? ''} @input=${(e: Event) => this.#setDisclosure({ url: val(e).trim() || null })} />
          <label for="co-statement">Statement</label>
          <textarea id="co-statement" maxlength="2000" .value=${d.statement ?? ''} @input=${(e: Event) => this.#setDisclosure({ statement: val(e).trim() || null })}></textarea>
        </fieldset>
        <div class="actions"><button type="submit" class="primary">Save company</button><button type="button" data-back @click=${this.#back}>Back to the register</button></div>
        ${this.note('company')}
      </form>
      ${c.isNew ? nothing : this.#renderContact(c)}`;
  }

  #renderContact(c: CompanyView) {
    const list = this.contacts;
    const scope = (k: SafetyContactView) => `${k.country ?? 'any country'} · ${k.product ?? 'any product'}`;
    return html`<form class="box" data-form="contact" @submit=${this.#saveContact} novalidate aria-labelledby="pv-title">
      <h3 id="pv-title">Pharmacovigilance contacts of ${c.displayName}</h3>
      <p class="hint">Where possible side effects reported in the discussion are forwarded to (requirement P-4). The most specific
        contact wins: country and product, then country, then product, then the default (any country, any product).</p>
      ${list === null
        ? html`<p class="muted" role="status">Loading…</p>`
        : list.length
          ? html`<div class="table-wrap"><table data-contacts>
              <caption>${this.t('adminContactsCaption')}</caption>
              <thead><tr><th scope="col">Scope</th><th scope="col">Email</th><th scope="col">Webhook</th></tr></thead>
              <tbody>${list.map((k) => html`<tr><th scope="row">${scope(k)}</th><td>${k.pvEmail ?? '–'}</td><td>${k.pvWebhookUrl ?? '–'}</td></tr>`)}</tbody>
            </table></div>`
          : html`<p class="muted">No contact yet: flags about this company's products cannot be forwarded.</p>`}
      <fieldset>
        <legend>${this.t('adminContactLegend')}</legend>
        <div class="row">
          <div><label for="pv-country">Country (two letters; empty: any)</label>
            <input type="text" id="pv-country" name="country" maxlength="2" pattern="[A-Za-z]{2}" /></div>
          <div><label for="pv-product">Product</label>
            <select id="pv-product" name="product"><option value="">Any product</option>${c.products.map((p) => html`<option value=${p.name}>${p.name}</option>`)}</select></div>
        </div>
        <label for="pv-email">Safety email address</label>
        <input type="email" id="pv-email" name="pvEmail" maxlength="254" />
        <label for="pv-hook">Safety webhook URL (https)</label>
        <input type="url" id="pv-hook" name="pvWebhookUrl" maxlength="500" aria-describedby="pv-hook-hint" />
        <p class="hint" id="pv-hook-hint">Both empty removes the contact of that scope.</p>
        <div class="actions"><button type="submit">Save contact</button></div>
      </fieldset>
      ${this.note('contact')}
      ${this.webhookSecret
        ? html`<div role="status" data-webhook-secret><p class="ok">The webhook's signing secret (give it to the company's safety team now: it is not shown again):</p>
            <p class="secret"><code>${this.webhookSecret}</code></p></div>`
        : nothing}
    </form>`;
  }

  #back = async (): Promise<void> => {
    const id = this.editing?.id;
    this.editing = null;
    await this.load();
    await this.updateComplete;
    (this.renderRoot.querySelector<HTMLElement>(`[data-edit="${CSS.escape(id ?? '')}"]`) ?? this.renderRoot.querySelector<HTMLElement>('[data-new-company]'))?.focus();
  };

  #save = async (e: SubmitEvent): Promise<void> => {
    e.preventDefault();
    const { isNew, createdAt, updatedAt, ...company } = this.editing! as CompanyView & { isNew?: boolean };
    void createdAt;
    void updatedAt;
    company.products = company.products.filter((p) => p.name.trim());
    company.disclosure.funding = company.disclosure.funding.map((f) => ({
      ...f,
      ...(f.agreementRef ? {} : { agreementRef: undefined }),
      ...(f.addedAt ? { addedAt: f.addedAt.length === 10 ? `${f.addedAt}T00:00:00.000Z` : f.addedAt } : {}),
    }));
    let res = await this.api.putCompany(this.token, company);
    let note = isNew ? `${company.displayName} added to the register.` : 'Saved. The change is in the public log.';
    if (isFailure(res) && res.error.code === 'validation_failed' && EXTENDED.test(res.error.message)) {
      // A server from before the extended disclosure: save what it keeps, say what it did not.
      const { sponsored, ...plain } = company;
      void sponsored;
      plain.disclosure = { ...plain.disclosure, funding: plain.disclosure.funding.map((f) => ({ year: f.year, amount: f.amount, purpose: f.purpose ?? '' })) };
      res = await this.api.putCompany(this.token, plain);
      note += ' This server does not keep currency, type, agreement reference, date added or the sponsored flag yet.';
    }
    if (this.settle('company', res, note) && isNew) {
      // Registered: now it can have a pharmacovigilance contact (none yet).
      this.editing = { ...this.editing!, isNew: false };
      this.contacts = [];
    }
  };

  #saveContact = async (e: SubmitEvent): Promise<void> => {
    e.preventDefault();
    // Kept now: once the event has been dispatched, its target is retargeted out of the shadow root.
    const el = e.target as HTMLFormElement;
    const form = new FormData(el);
    const get = (k: string) => String(form.get(k) ?? '').trim() || null;
    const id = this.editing!.id;
    const res = await this.api.putSafetyContact(this.token, id, {
      pvEmail: get('pvEmail'), pvWebhookUrl: get('pvWebhookUrl'), country: get('country')?.toUpperCase() ?? null, product: get('product'),
    });
    this.webhookSecret = isFailure(res) ? null : (res.webhookSecret ?? null);
    if (this.settle('contact', res, res && !isFailure(res) && !res.contact ? 'Contact removed.' : 'Contact saved.')) {
      el.reset();
      await this.#loadContacts(id);
    }
  };
}

if (!customElements.get('parley-admin-companies')) customElements.define('parley-admin-companies', ParleyAdminCompanies);
