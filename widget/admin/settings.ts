/**
 * `<parley-admin-settings>`: the console's Settings section. Moderation settings (`PUT
 * /moderation/settings`: public moderator names, territorial scope, external redress, report
 * licence), company-post settings (`PUT /admin/authenticity`: scripted-reply threshold and the
 * promotion rule) and the required boilerplate (`PUT /admin/boilerplate`). Each form saves on
 * its own, and each change is in the public log as from the API. Rate limits are part of the
 * server's configuration file (docs/operations.md), not of a site's settings.
 */
import { html, nothing } from 'lit';
import { isFailure } from '../client/outcome.js';
import type { RuleView } from '../moderation/api.js';
import type { ModerationSettingsView } from './api.js';
import { AdminSection, adminStyles, lines } from './base.js';

export class ParleyAdminSettings extends AdminSection {
  static override styles = adminStyles;
  static override properties = { ...AdminSection.properties, moderation: { state: true }, authenticity: { state: true }, boilerplate: { state: true }, rules: { state: true } };

  declare moderation: ModerationSettingsView | null;
  declare authenticity: { scriptedThreshold: number; promotionRule: string } | null;
  declare boilerplate: string[] | null;
  declare rules: RuleView[];

  constructor() {
    super();
    this.moderation = this.authenticity = this.boilerplate = null;
    this.rules = [];
  }

  override async load(): Promise<void> {
    const [m, a, b, r] = await Promise.all([this.api.moderationSettings(), this.api.authenticity(this.token), this.api.boilerplate(this.token), this.api.rules()]);
    if (!this.settle('load', isFailure(m) ? m : isFailure(a) ? a : b, '')) return;
    this.notes = { ...this.notes, load: null };
    this.moderation = isFailure(m) ? null : m.settings;
    this.authenticity = isFailure(a) ? null : a;
    this.boilerplate = isFailure(b) ? null : b.texts;
    this.rules = isFailure(r) ? [] : r.rules.filter((x) => x.kind === 'prohibition');
  }

  override render() {
    const m = this.moderation;
    const a = this.authenticity;
    return html`<h2>${this.t('adminSectionSettings')}</h2>${this.note('load')}
      ${m
        ? html`<form class="box" data-form="moderation" @submit=${this.#saveModeration} novalidate aria-labelledby="mod-title">
            <h3 id="mod-title">${this.t('adminModerationTitle')}</h3>
            <label for="set-names">Moderators are shown in public by</label>
            <select id="set-names" name="publicModeratorNames">
              <option value="pseudonym" ?selected=${m.publicModeratorNames === 'pseudonym'}>A stable pseudonym ("Moderator 3")</option>
              <option value="name" ?selected=${m.publicModeratorNames === 'name'}>Their name</option>
            </select>
            <label for="set-scope">Countries the site serves (two-letter codes, comma separated)</label>
            <input type="text" id="set-scope" name="territorialScope" .value=${m.territorialScope.join(', ')} aria-describedby="scope-hint" />
            <p class="hint" id="scope-hint">For example: NL, BE. Used in the statements of reasons.</p>
            <label for="set-redress">Where members can turn after an appeal</label>
            <textarea id="set-redress" name="externalRedress" minlength="10" maxlength="1000" .value=${m.externalRedress}></textarea>
            <label for="set-licence">Licence of the transparency report</label>
            <select id="set-licence" name="reportLicence">
              ${(['CC-BY-4.0', 'CC0-1.0'] as const).map((l) => html`<option value=${l} ?selected=${m.reportLicence === l}>${l}</option>`)}
            </select>
            <div class="actions"><button type="submit" class="primary">Save moderation settings</button></div>
            ${this.note('moderation')}
          </form>`
        : nothing}
      ${a
        ? html`<form class="box" data-form="authenticity" @submit=${this.#saveAuthenticity} novalidate aria-labelledby="auth-title">
            <h3 id="auth-title">${this.t('adminCompanyPostsTitle')}</h3>
            <label for="set-threshold">Scripted-reply threshold (0 to 1)</label>
            <input type="number" id="set-threshold" name="scriptedThreshold" min="0" max="1" step="0.05" .value=${String(a.scriptedThreshold)} aria-describedby="threshold-hint" />
            <p class="hint" id="threshold-hint">How alike two staff posts must be before they are labelled as a scripted reply.</p>
            <label for="set-promotion">Promotion rule (the house rule cited when staff promote a product)</label>
            <select id="set-promotion" name="promotionRule">
              ${this.rules.map((r) => html`<option value=${r.id} ?selected=${a.promotionRule === r.id}>${r.id} ${r.title}</option>`)}
            </select>
            <div class="actions"><button type="submit" class="primary">Save company-post settings</button></div>
            ${this.note('authenticity')}
          </form>`
        : nothing}
      ${this.boilerplate
        ? html`<form class="box" data-form="boilerplate" @submit=${this.#saveBoilerplate} novalidate aria-labelledby="bp-title">
            <h3 id="bp-title">${this.t('adminBoilerplateTitle')}</h3>
            <label for="set-boilerplate">Texts staff must include (one a line; these never count as scripted)</label>
            <textarea id="set-boilerplate" name="texts" .value=${this.boilerplate.join('\n')}></textarea>
            <div class="actions"><button type="submit" class="primary">Save boilerplate</button></div>
            ${this.note('boilerplate')}
          </form>`
        : nothing}
      <p class="muted">Rate limits are set in the server's configuration file (see docs/operations.md).</p>`;
  }

  #saveModeration = async (e: SubmitEvent): Promise<void> => {
    e.preventDefault();
    const f = new FormData(e.target as HTMLFormElement);
    const res = await this.api.putModerationSettings(this.token, {
      publicModeratorNames: String(f.get('publicModeratorNames')) as 'name',
      territorialScope: String(f.get('territorialScope') ?? '').split(',').map((c) => c.trim().toUpperCase()).filter(Boolean),
      externalRedress: String(f.get('externalRedress') ?? '').trim(),
      reportLicence: String(f.get('reportLicence')) as 'CC0-1.0',
    });
    if (this.settle('moderation', res, 'Saved. The change is in the public log.')) this.moderation = res.settings;
  };

  #saveAuthenticity = async (e: SubmitEvent): Promise<void> => {
    e.preventDefault();
    const f = new FormData(e.target as HTMLFormElement);
    const res = await this.api.putAuthenticity(this.token, { scriptedThreshold: Number(f.get('scriptedThreshold')), promotionRule: String(f.get('promotionRule') ?? '') });
    if (this.settle('authenticity', res, 'Saved. The change is in the public log.')) this.authenticity = res;
  };

  #saveBoilerplate = async (e: SubmitEvent): Promise<void> => {
    e.preventDefault();
    const texts = lines(String(new FormData(e.target as HTMLFormElement).get('texts') ?? ''));
    const res = await this.api.putBoilerplate(this.token, texts);
    if (this.settle('boilerplate', res, 'Saved. The change is in the public log.')) this.boilerplate = res.texts;
  };
}

if (!customElements.get('parley-admin-settings')) customElements.define('parley-admin-settings', ParleyAdminSettings);
