/**
 * `<parley-admin-data>`: the console's Data section. Import (Disqus XML, WordPress WXR, a Parley
 * export): the file is first sent as a dry run (`POST /admin/import?dryRun=true`) and its report
 * shown (what would be new, what exists already, what would be skipped, each problem); only then
 * is "Import now" offered, which sends the same file for real. Export: `GET /admin/export`, the
 * whole site as documented JSON (no members' emails, no secrets), saved as a file.
 */
import { html, nothing } from 'lit';
import { isFailure } from '../client/outcome.js';
import type { ImportFormat, ImportReport } from './api.js';
import { AdminSection, adminStyles, download } from './base.js';

const MAX_BYTES = 20 * 1024 * 1024;

export class ParleyAdminData extends AdminSection {
  static override styles = adminStyles;
  static override properties = { ...AdminSection.properties, report: { state: true }, busy: { state: true } };

  /** The dry run's report (and the file and format it was for), or the real run's. */
  declare report: { format: ImportFormat; file: File; result: ImportReport } | null;
  declare busy: boolean;

  constructor() {
    super();
    this.report = null;
    this.busy = false;
  }

  override render() {
    const r = this.report;
    return html`<h2>${this.t('adminSectionData')}</h2>
      <form class="box" data-form="import" @submit=${this.#dryRun} @change=${() => (this.report = null)} novalidate aria-labelledby="import-title">
        <h3 id="import-title">${this.t('adminImportTitle')}</h3>
        <label for="import-format">From</label>
        <select id="import-format" name="format">
          <option value="disqus">Disqus (XML export)</option>
          <option value="wordpress">WordPress (WXR export)</option>
          <option value="parley">Another Parley (JSON export)</option>
        </select>
        <label for="import-file">File (at most 20 MB)</label>
        <input type="file" id="import-file" name="file" required accept=".xml,.json,application/xml,text/xml,application/json" />
        <p class="hint">First a dry run: nothing is written until you have seen what would be imported. Running the same file twice creates nothing twice.</p>
        <div class="actions"><button type="submit" class="primary" ?disabled=${this.busy}>Check the file (dry run)</button></div>
        ${this.note('import')}
      </form>
      ${r ? this.#renderReport(r.result) : nothing}
      <section class="box" aria-labelledby="export-title">
        <h3 id="export-title">${this.t('adminExportTitle')}</h3>
        <p class="hint">Topics, posts with their history, rules, actions and statements, companies and the log, as JSON another Parley can import. Without members' email addresses or secrets.</p>
        <div class="actions"><button type="button" data-export @click=${this.#export} ?disabled=${this.busy}>Download the export</button></div>
        ${this.note('export')}
      </section>`;
  }

  #renderReport(r: ImportReport) {
    return html`<section class="box" aria-labelledby="report-title" data-import-report=${r.dryRun ? 'dry-run' : 'done'}>
      <h3 id="report-title" tabindex="-1">${r.dryRun ? 'What the import would do' : 'Imported'}</h3>
      <div class="table-wrap"><table>
        <thead><tr><th scope="col"><span class="visually-hidden">What</span></th><th scope="col" class="num">${r.dryRun ? 'New' : 'Created'}</th><th scope="col" class="num">Already there</th><th scope="col" class="num">Skipped</th></tr></thead>
        <tbody>
          <tr><th scope="row">Topics</th><td class="num">${r.topics.new}</td><td class="num">${r.topics.existing}</td><td class="num">–</td></tr>
          <tr><th scope="row">Posts</th><td class="num">${r.posts.new}</td><td class="num">${r.posts.existing}</td><td class="num">${r.posts.skipped}</td></tr>
          <tr><th scope="row">Authors</th><td class="num">${r.authors.new}</td><td class="num">${r.authors.existing}</td><td class="num">–</td></tr>
        </tbody>
      </table></div>
      ${r.problems.length
        ? html`<h4>Problems (${r.problems.length})</h4><ul data-problems>${r.problems.map((p) => html`<li><code>${p.where}</code>: ${p.message}</li>`)}</ul>`
        : html`<p class="muted">No problems found.</p>`}
      ${r.dryRun
        ? html`<div class="actions"><button type="button" class="primary" data-import-now @click=${this.#importNow} ?disabled=${this.busy}>Import now</button></div>`
        : html`<p class="ok" role="status">The import is done and recorded in the public log.</p>`}
    </section>`;
  }

  async #run(format: ImportFormat, file: File, dryRun: boolean): Promise<void> {
    this.busy = true;
    const res = await this.api.importFile(this.token, format, file, dryRun);
    this.busy = false;
    if (!this.settle('import', res, dryRun ? 'Dry run finished: nothing was written yet.' : 'Import finished.') || isFailure(res)) {
      this.report = null;
      return;
    }
    this.report = { format, file, result: res };
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>('#report-title')?.focus();
  }

  #dryRun = async (e: SubmitEvent): Promise<void> => {
    e.preventDefault();
    const form = new FormData(e.target as HTMLFormElement);
    const file = form.get('file');
    if (!(file instanceof File) || !file.size) {
      this.notes = { ...this.notes, import: { error: 'Choose the file to import.' } };
      return;
    }
    if (file.size > MAX_BYTES) {
      this.notes = { ...this.notes, import: { error: `The file is ${(file.size / 1024 / 1024).toFixed(1)} MB; at most 20 MB can be imported at once.` } };
      return;
    }
    await this.#run(String(form.get('format')) as ImportFormat, file, true);
  };

  #importNow = async (): Promise<void> => {
    const r = this.report;
    if (r) await this.#run(r.format, r.file, false);
  };

  #export = async (): Promise<void> => {
    this.busy = true;
    const res = await this.api.exportSite(this.token);
    this.busy = false;
    if (!this.settle('export', res, 'Export downloaded.') || isFailure(res)) return;
    download(`parley-${this.api.site}-export.json`, 'application/json', JSON.stringify(res));
  };
}

if (!customElements.get('parley-admin-data')) customElements.define('parley-admin-data', ParleyAdminData);
