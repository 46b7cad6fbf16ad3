/**
 * `<parley-admin-reports>`: the console's Reports section. The transparency report (`GET
 * /transparency`) and the statements of reasons (`GET /transparency/statements`, in the DSA
 * Transparency Database's shape) as JSON and CSV downloads. Both are public; the CSV is made in
 * the browser from the same JSON (widget/admin/csv.ts), so the two files always agree.
 */
import { html } from 'lit';
import { isFailure } from '../client/outcome.js';
import { AdminSection, adminStyles, download } from './base.js';
import { flatten, toCsv } from './csv.js';

export class ParleyAdminReports extends AdminSection {
  static override styles = adminStyles;

  override render() {
    return html`<h2>${this.t('adminSectionReports')}</h2>
      <section class="box" aria-labelledby="tr-title">
        <h3 id="tr-title">${this.t('adminTransparencyTitle')}</h3>
        <p class="hint">The numbers of reports, actions and appeals, as published on the site.</p>
        <div class="actions">
          <button type="button" data-download="transparency-json" @click=${() => this.#transparency('json')}>Download JSON</button>
          <button type="button" data-download="transparency-csv" @click=${() => this.#transparency('csv')}>Download CSV</button>
        </div>
        ${this.note('transparency')}
      </section>
      <section class="box" aria-labelledby="sr-title">
        <h3 id="sr-title">${this.t('adminStatementsTitle')}</h3>
        <p class="hint">Every moderation decision's statement, without personal data, as the DSA Transparency Database takes them.</p>
        <div class="actions">
          <button type="button" data-download="statements-json" @click=${() => this.#statements('json')}>Download JSON</button>
          <button type="button" data-download="statements-csv" @click=${() => this.#statements('csv')}>Download CSV</button>
        </div>
        ${this.note('statements')}
      </section>`;
  }

  async #transparency(kind: 'json' | 'csv'): Promise<void> {
    const res = await this.api.transparency();
    if (!this.settle('transparency', res, `Transparency report downloaded (${kind.toUpperCase()}).`) || isFailure(res)) return;
    const name = `parley-${this.api.site}-transparency`;
    if (kind === 'json') download(`${name}.json`, 'application/json', JSON.stringify(res, null, 2));
    else download(`${name}.csv`, 'text/csv;charset=utf-8', toCsv([flatten(res as unknown as Record<string, unknown>)]));
  }

  async #statements(kind: 'json' | 'csv'): Promise<void> {
    const res = await this.api.statements();
    if (!this.settle('statements', res, `${isFailure(res) ? 0 : res.count} statements downloaded (${kind.toUpperCase()}).`) || isFailure(res)) return;
    const name = `parley-${this.api.site}-statements`;
    if (kind === 'json') download(`${name}.json`, 'application/json', JSON.stringify(res.statements, null, 2));
    else download(`${name}.csv`, 'text/csv;charset=utf-8', toCsv(res.statements.map((s) => flatten(s))));
  }
}

if (!customElements.get('parley-admin-reports')) customElements.define('parley-admin-reports', ParleyAdminReports);
