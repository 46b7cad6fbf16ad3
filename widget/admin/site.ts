/**
 * `<parley-admin-site>`: the console's Site section. Name and allowed origins (`PATCH
 * /admin/site`; each origin checked in the browser first with a hint, the server's answer per
 * origin shown as it gives it), the host-token secret (`POST /admin/site/secret`: rotated and
 * shown once, never readable again) and the public keys (`PUT /admin/site/public-keys`).
 * Sign-in methods are shown as the server reports them.
 */
import { html, nothing } from 'lit';
import { checkOrigin } from '../../moderation/site-schemas.js';
import { isFailure } from '../client/outcome.js';
import type { SiteSettingsView } from './api.js';
import { AdminSection, adminStyles, lines } from './base.js';

/**
 * What is wrong with one line of the origins list, or null: the domain's check, the same the
 * server applies (moderation/site-schemas.ts), so the console warns exactly when the server would refuse.
 */
export function originProblem(line: string): string | null {
  const checked = checkOrigin(line);
  return 'problem' in checked ? checked.problem : null;
}

export class ParleyAdminSite extends AdminSection {
  static override styles = adminStyles;
  static override properties = { ...AdminSection.properties, settings: { state: true }, secret: { state: true }, originHints: { state: true }, confirming: { state: true } };

  declare settings: SiteSettingsView | null;
  declare secret: string | null;
  declare originHints: string[];
  /** Rotating asks once more (a second button), since the host site breaks until it switches. */
  declare confirming: boolean;

  constructor() {
    super();
    this.settings = null;
    this.secret = null;
    this.originHints = [];
    this.confirming = false;
  }

  override async load(): Promise<void> {
    const res = await this.api.siteSettings(this.token);
    if (this.settle('load', res, '')) {
      this.settings = res;
      this.notes = { ...this.notes, load: null };
    }
  }

  override render() {
    const s = this.settings;
    return html`<h2>${this.t('adminSectionSite')}</h2>
      ${this.note('load')}
      ${s
        ? html`<form class="box" data-form="site" @submit=${this.#save} novalidate>
              <label for="site-name">Name shown to members</label>
              <input type="text" id="site-name" name="name" required maxlength="100" .value=${s.name} />
              <label for="site-origins">Allowed origins (one a line)</label>
              <textarea id="site-origins" name="origins" aria-describedby="origins-hint" @input=${this.#checkOrigins} .value=${s.origins.join('\n')}></textarea>
              <p class="hint" id="origins-hint">
                The addresses of the pages that embed Parley: https:// and the host, with the port only if it is not the usual one.
                <code>https://example.org</code> and <code>https://www.example.org</code> are different origins: list both if both are used.
              </p>
              ${this.originHints.length
                ? html`<ul class="error" role="alert" data-origin-hints>${this.originHints.map((h) => html`<li>${h}</li>`)}</ul>`
                : nothing}
              <div class="actions"><button type="submit" class="primary">Save name and origins</button></div>
              ${this.note('site')}
            </form>
            <section class="box" aria-labelledby="signin-title">
              <h3 id="signin-title">${this.t('adminSignInTitle')}</h3>
              <p>${s.signIn.methods.length ? s.signIn.methods.join(', ') : 'none'}</p>
            </section>
            <section class="box" aria-labelledby="secret-title">
              <h3 id="secret-title">${this.t('adminSecretTitle')}</h3>
              <p>${s.hasSecret ? 'A secret is set. It is never shown again once set.' : 'No secret is set: host sites cannot sign their members in with HS256 tokens.'}</p>
              <p class="hint">Rotating makes a new secret at once: the host site must use it from now on; tokens signed with the old one are refused.</p>
              <div class="actions">
                ${this.confirming
                  ? html`<button type="button" class="primary" data-rotate-confirm @click=${this.#rotate}>Yes, make a new secret now</button>
                      <button type="button" @click=${() => (this.confirming = false)}>Cancel</button>`
                  : html`<button type="button" data-rotate @click=${this.#askRotate}>${s.hasSecret ? 'Rotate the secret' : 'Create a secret'}</button>`}
              </div>
              ${this.secret
                ? html`<div role="status" data-secret>
                    <p class="ok">The new secret (copy it now: it will not be shown again):</p>
                    <p class="secret"><code>${this.secret}</code></p>
                  </div>`
                : nothing}
              ${this.note('secret')}
            </section>
            <form class="box" data-form="keys" @submit=${this.#saveKeys} novalidate>
              <h3>${this.t('adminPublicKeysTitle')}</h3>
              <label for="site-keys">Public keys of the host site (PEM or JWK, one block each, separated by an empty line)</label>
              <textarea id="site-keys" name="keys" .value=${s.publicKeys.join('\n\n')}></textarea>
              <div class="actions"><button type="submit">Save public keys</button></div>
              ${this.note('keys')}
            </form>`
        : nothing}`;
  }

  #checkOrigins = (e: Event): void => {
    this.originHints = lines((e.target as HTMLTextAreaElement).value).map(originProblem).filter((h): h is string => h !== null);
  };

  #save = async (e: SubmitEvent): Promise<void> => {
    e.preventDefault();
    const form = new FormData(e.target as HTMLFormElement);
    const origins = lines(String(form.get('origins') ?? ''));
    this.originHints = origins.map(originProblem).filter((h): h is string => h !== null);
    if (this.originHints.length) return;
    const res = await this.api.patchSite(this.token, { name: String(form.get('name') ?? '').trim(), origins });
    if (this.settle('site', res, 'Saved. The change is in the public log.')) this.settings = { ...this.settings!, ...res };
  };

  #askRotate = async (): Promise<void> => {
    this.confirming = true;
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>('[data-rotate-confirm]')?.focus();
  };

  #rotate = async (): Promise<void> => {
    this.confirming = false;
    const res = await this.api.rotateSecret(this.token);
    this.secret = isFailure(res) ? null : res.secret;
    if (this.settle('secret', res, 'Secret rotated.')) this.settings = { ...this.settings!, hasSecret: true };
  };

  #saveKeys = async (e: SubmitEvent): Promise<void> => {
    e.preventDefault();
    const text = String(new FormData(e.target as HTMLFormElement).get('keys') ?? '');
    const keys = text.split(/\n\s*\n/).map((k) => k.trim()).filter(Boolean);
    const res = await this.api.putPublicKeys(this.token, keys);
    if (this.settle('keys', res, 'Public keys saved.')) this.settings = { ...this.settings!, ...res };
  };
}

if (!customElements.get('parley-admin-site')) customElements.define('parley-admin-site', ParleyAdminSite);
