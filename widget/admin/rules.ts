/**
 * `<parley-admin-rules>`: the console's House rules section. Pick a rule (or start a new one),
 * edit its title and text, see the text rendered by the server's own Markdown renderer
 * (`POST /admin/rules/preview`, then DOMPurify as every post: never unsanitised HTML) and the
 * difference against the version in force, and publish with a change note (`PUT /rules/{id}`:
 * a new version, in the public log as from the API). Retiring a rule works the same way.
 */
import { html, nothing } from 'lit';
import { isFailure } from '../client/outcome.js';
import type { RuleView } from '../moderation/api.js';
import { sanitizePostHtml } from '../sanitize.js';
import { AdminSection, adminStyles } from './base.js';
import { diffWords } from './diff.js';

const NEW = '';

export class ParleyAdminRules extends AdminSection {
  static override styles = adminStyles;
  static override properties = {
    ...AdminSection.properties,
    rules: { state: true },
    chosen: { state: true },
    draft: { state: true },
    previewHtml: { state: true },
  };

  declare rules: RuleView[];
  /** The rule being edited (its id), or NEW. */
  declare chosen: string;
  declare draft: { id: string; title: string; text: string; kind: 'prohibition' | 'commitment' };
  declare previewHtml: string | null;

  constructor() {
    super();
    this.rules = [];
    this.chosen = NEW;
    this.draft = { id: '', title: '', text: '', kind: 'prohibition' };
    this.previewHtml = null;
  }

  override async load(): Promise<void> {
    const res = await this.api.rules();
    if (isFailure(res)) {
      this.settle('load', res, '');
      return;
    }
    this.rules = res.rules;
    if (this.chosen === NEW && res.rules[0]) this.#choose(res.rules[0].id);
  }

  get #inForce(): RuleView | undefined {
    return this.rules.find((r) => r.id === this.chosen);
  }

  #choose(id: string): void {
    this.chosen = id;
    const rule = this.rules.find((r) => r.id === id);
    this.draft = rule
      ? { id: rule.id, title: rule.title, text: rule.text, kind: rule.kind }
      : { id: `R${this.rules.reduce((n, r) => Math.max(n, Number(r.id.slice(1)) || 0), 0) + 1}`, title: '', text: '', kind: 'prohibition' };
    this.previewHtml = null;
    this.notes = {};
  }

  override render() {
    const inForce = this.#inForce;
    const d = this.draft;
    return html`<h2>${this.t('adminSectionRules')}</h2>
      ${this.note('load')}
      <label for="rule-pick">Rule</label>
      <select id="rule-pick" @change=${(e: Event) => this.#choose((e.target as HTMLSelectElement).value)}>
        ${this.rules.map((r) => html`<option value=${r.id} ?selected=${r.id === this.chosen}>${r.id} ${r.title} (version in force: v${r.version})</option>`)}
        <option value=${NEW} ?selected=${this.chosen === NEW}>A new rule…</option>
      </select>
      <form class="box" data-form="rule" @submit=${this.#publish} novalidate>
        ${this.chosen === NEW
          ? html`<label for="rule-id">Rule id</label>
              <input type="text" id="rule-id" name="id" required pattern="R[0-9]{1,3}" .value=${d.id} aria-describedby="rule-id-hint"
                @input=${(e: Event) => (this.draft = { ...this.draft, id: (e.target as HTMLInputElement).value.trim() })} />
              <p class="hint" id="rule-id-hint">Like R7: an R and a number not used yet.</p>`
          : html`<p class="muted">In force since ${this.date(inForce?.effectiveFrom)} as version ${inForce?.version}.</p>`}
        <label for="rule-title">Title</label>
        <input type="text" id="rule-title" name="title" required minlength="3" maxlength="120" .value=${d.title}
          @input=${(e: Event) => (this.draft = { ...this.draft, title: (e.target as HTMLInputElement).value })} />
        <label for="rule-kind">Kind</label>
        <select id="rule-kind" name="kind" @change=${(e: Event) => (this.draft = { ...this.draft, kind: (e.target as HTMLSelectElement).value as 'prohibition' })}>
          <option value="prohibition" ?selected=${d.kind === 'prohibition'}>Prohibition (moderators can cite it)</option>
          <option value="commitment" ?selected=${d.kind === 'commitment'}>Commitment (what the organisation promises)</option>
        </select>
        <label for="rule-text">Text (Markdown: *emphasis*, lists, links)</label>
        <textarea id="rule-text" name="text" required minlength="10" maxlength="3000" rows="8" .value=${d.text}
          @input=${(e: Event) => (this.draft = { ...this.draft, text: (e.target as HTMLTextAreaElement).value })}></textarea>
        <div class="actions"><button type="button" data-preview @click=${this.#preview}>Preview</button></div>
        ${this.previewHtml !== null
          ? html`<section aria-labelledby="preview-title" data-preview-out>
              <h3 id="preview-title">${this.t('adminPreviewTitle')}</h3>
              <div class="preview" .innerHTML=${sanitizePostHtml(this.previewHtml)}></div>
            </section>`
          : nothing}
        ${this.note('preview')}
        <section aria-labelledby="diff-title">
          <h3 id="diff-title">${this.t('adminDiffTitle')}</h3>
          ${inForce ? this.#renderDiff(inForce, d) : html`<p class="muted">A new rule: everything is new.</p>`}
        </section>
        <label for="rule-note">Change note (public, in the rules' history and the log)</label>
        <input type="text" id="rule-note" name="changeNote" required minlength="3" maxlength="500" />
        <div class="actions">
          <button type="submit" class="primary" name="intent" value="publish">Publish new version</button>
          ${inForce ? html`<button type="submit" name="intent" value="retire">Retire this rule</button>` : nothing}
        </div>
        ${this.note('rule')}
      </form>`;
  }

  #renderDiff(inForce: RuleView, d: { title: string; text: string }) {
    const before = `${inForce.title}\n\n${inForce.text}`;
    const after = `${d.title}\n\n${d.text}`;
    if (before === after) return html`<p class="muted" data-diff>No changes yet.</p>`;
    return html`<p class="hint">Removed words are struck through, added words are underlined in green.</p>
      <div class="diff" data-diff>${diffWords(before, after).map((p) =>
        p.kind === 'same' ? p.text : p.kind === 'added' ? html`<ins><span class="visually-hidden">[added: </span>${p.text}<span class="visually-hidden">]</span></ins>` : html`<del><span class="visually-hidden">[removed: </span>${p.text}<span class="visually-hidden">]</span></del>`,
      )}</div>`;
  }

  #preview = async (): Promise<void> => {
    const res = await this.api.previewRule(this.token, this.draft.text);
    if (isFailure(res)) {
      this.previewHtml = null;
      this.settle('preview', res, '');
    } else {
      this.previewHtml = res.html;
      this.notes = { ...this.notes, preview: null };
    }
  };

  #publish = async (e: SubmitEvent): Promise<void> => {
    e.preventDefault();
    const retire = (e.submitter as HTMLButtonElement | null)?.value === 'retire';
    const changeNote = String(new FormData(e.target as HTMLFormElement).get('changeNote') ?? '').trim();
    const d = this.draft;
    const inForce = this.#inForce;
    const body = retire
      ? { retire: true, changeNote }
      : { title: d.title.trim(), text: d.text.trim(), kind: d.kind, changeNote, ...(inForce ? { examples: inForce.examples } : {}) };
    const res = await this.api.changeRule(this.token, d.id, body);
    if (this.settle('rule', res, retire ? `Rule ${d.id} retired.` : `Published ${d.id} version ${isFailure(res) ? '' : res.rule.version}. It is in the public log.`)) {
      const notes = this.notes;
      await this.load();
      if (!retire) this.#choose(d.id);
      else if (this.rules[0]) this.#choose(this.rules[0].id);
      this.notes = { rule: notes.rule ?? null };
    }
  };
}

if (!customElements.get('parley-admin-rules')) customElements.define('parley-admin-rules', ParleyAdminRules);
