/**
 * `<parley-admin-people>`: the console's People section. Who holds a role (revoke), finding a
 * member by name (`GET /admin/users`) to give them a role, verify them as company staff or as a
 * healthcare professional; verified staff (revoke with a reason); pending name-change requests
 * (approve or reject). All of it through `/admin/...` (server/http/identity-routes.ts); the
 * server refuses what is not allowed (company staff never moderate) and the console shows why.
 */
import { html, nothing } from 'lit';
import { isFailure } from '../client/outcome.js';
import type { AdminOverview } from './api.js';
import { AdminSection, adminStyles } from './base.js';

type Found = { id: string; name: string; kind: string; createdAt: string };

export class ParleyAdminPeople extends AdminSection {
  static override styles = adminStyles;
  static override properties = { ...AdminSection.properties, overview: { state: true }, found: { state: true }, chosen: { state: true } };

  declare overview: AdminOverview | null;
  declare found: Found[] | null;
  declare chosen: Found | null;

  constructor() {
    super();
    this.overview = null;
    this.found = null;
    this.chosen = null;
  }

  override async load(): Promise<void> {
    const res = await this.api.overview(this.token);
    if (this.settle('load', res, '')) {
      this.overview = res;
      this.notes = { ...this.notes, load: null };
    }
  }

  override render() {
    const o = this.overview;
    return html`<h2>${this.t('adminSectionPeople')}</h2>${this.note('load')}
      ${o ? html`${this.#renderRoles(o)}${this.#renderFind(o)}${this.#renderStaff(o)}${this.#renderNameChanges(o)}` : nothing}`;
  }

  #renderRoles(o: AdminOverview) {
    return html`<section class="box" aria-labelledby="roles-title">
      <h3 id="roles-title">${this.t('adminRolesTitle')}</h3>
      <ul data-roles>
        ${o.roles.map((r) => html`<li>${r.name} — ${r.role}
          <button type="button" data-revoke-role=${`${r.userId}:${r.role}`} @click=${() => this.#revokeRole(r.userId, r.role, r.name)}>Remove role<span class="visually-hidden"> ${r.role} from ${r.name}</span></button></li>`)}
      </ul>
      ${this.note('roles')}
    </section>`;
  }

  #renderFind(o: AdminOverview) {
    const c = this.chosen;
    return html`<section class="box" aria-labelledby="find-title">
      <h3 id="find-title">${this.t('adminFindTitle')}</h3>
      <form data-form="find" role="search" @submit=${this.#find} novalidate>
        <label for="find-name">Name (or part of it)</label>
        <input type="text" id="find-name" name="name" maxlength="80" />
        <div class="actions"><button type="submit">Find</button></div>
      </form>
      ${this.found
        ? this.found.length
          ? html`<ul data-found aria-live="polite">${this.found.map((u) => html`<li>${u.name} <span class="muted">(${u.kind}, since ${this.date(u.createdAt)})</span>
              <button type="button" data-choose=${u.id} aria-pressed=${String(c?.id === u.id)} @click=${() => this.#choose(u)}>Choose</button></li>`)}</ul>`
          : html`<p role="status">Nobody by that name.</p>`
        : nothing}
      ${c
        ? html`<div data-chosen aria-labelledby="chosen-title">
            <h4 id="chosen-title">${c.name}</h4>
            <form data-form="role" @submit=${this.#grant} novalidate>
              <label for="grant-role">Give the role</label>
              <select id="grant-role" name="role"><option value="moderator">Moderator</option><option value="admin">Admin</option></select>
              <div class="actions"><button type="submit">Give role</button></div>
              ${this.note('grant')}
            </form>
            <form data-form="staff" @submit=${this.#verifyStaff} novalidate>
              <label for="staff-company">Verify as staff of</label>
              <select id="staff-company" name="company">${o.companies.map((co) => html`<option value=${co.id}>${co.displayName}</option>`)}</select>
              <label for="staff-title">Job title</label>
              <input type="text" id="staff-title" name="jobTitle" required maxlength="120" />
              <div class="actions"><button type="submit" ?disabled=${!o.companies.length}>Verify as staff</button></div>
              ${this.note('verify-staff')}
            </form>
            <form data-form="professional" @submit=${this.#verifyProfessional} novalidate>
              <label for="prof-profession">Verify as healthcare professional: profession</label>
              <input type="text" id="prof-profession" name="profession" required maxlength="80" />
              <div class="actions"><button type="submit">Verify as professional</button></div>
              ${this.note('verify-professional')}
            </form>
          </div>`
        : nothing}
    </section>`;
  }

  #renderStaff(o: AdminOverview) {
    const active = o.staff.filter((s) => !s.revokedAt);
    return html`<section class="box" aria-labelledby="staff-title">
      <h3 id="staff-title">${this.t('adminStaffTitle')}</h3>
      ${active.length
        ? html`<ul data-staff>${active.map((s) => html`<li>
            ${s.name}, ${s.jobTitle} at ${s.companyName}
            <form class="actions" data-revoke-staff=${s.userId} @submit=${(e: SubmitEvent) => this.#revokeStaff(e, s.userId, s.name)} novalidate>
              <label for=${`rs-${s.userId}`} class="visually-hidden">Reason for revoking ${s.name}</label>
              <input type="text" id=${`rs-${s.userId}`} name="reason" maxlength="500" placeholder="Reason (shown in the log)" />
              <button type="submit">Revoke</button>
            </form></li>`)}</ul>`
        : html`<p class="muted">No verified staff.</p>`}
      ${this.note('staff')}
    </section>`;
  }

  #renderNameChanges(o: AdminOverview) {
    return html`<section class="box" aria-labelledby="nc-title">
      <h3 id="nc-title">${this.t('adminNameChangesTitle')}</h3>
      ${o.nameChanges.length
        ? html`<ul data-name-changes>${o.nameChanges.map((n) => html`<li>
            ${n.displayName ?? ''}${n.jobTitle ? ` (${n.jobTitle})` : ''} — <q>${n.reason}</q> <span class="muted">${this.date(n.requestedAt)}</span>
            <button type="button" @click=${() => this.#decide(n.id, true)}>Approve</button>
            <button type="button" @click=${() => this.#decide(n.id, false)}>Reject</button></li>`)}</ul>`
        : html`<p class="muted">No pending requests.</p>`}
      ${this.note('names')}
    </section>`;
  }

  async #choose(u: Found): Promise<void> {
    this.chosen = u;
    this.notes = {};
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>('#grant-role')?.focus();
  }

  #find = async (e: SubmitEvent): Promise<void> => {
    e.preventDefault();
    const name = String(new FormData(e.target as HTMLFormElement).get('name') ?? '').trim();
    const res = await this.api.findUsers(this.token, name);
    this.found = isFailure(res) ? [] : res.users;
    this.chosen = null;
  };

  #grant = async (e: SubmitEvent): Promise<void> => {
    e.preventDefault();
    const role = String(new FormData(e.target as HTMLFormElement).get('role'));
    if (this.settle('grant', await this.api.grantRole(this.token, this.chosen!.id, role), `${this.chosen!.name} is now ${role}.`)) await this.#reload('grant');
  };

  #revokeRole = async (userId: string, role: string, name: string): Promise<void> => {
    if (this.settle('roles', await this.api.revokeRole(this.token, userId, role), `${name} no longer has the ${role} role.`)) await this.#reload('roles');
  };

  #verifyStaff = async (e: SubmitEvent): Promise<void> => {
    e.preventDefault();
    const f = new FormData(e.target as HTMLFormElement);
    const res = await this.api.verifyStaff(this.token, { userId: this.chosen!.id, company: String(f.get('company') ?? ''), jobTitle: String(f.get('jobTitle') ?? '').trim() });
    if (this.settle('verify-staff', res, `${this.chosen!.name} is verified as company staff.`)) await this.#reload('verify-staff');
  };

  #verifyProfessional = async (e: SubmitEvent): Promise<void> => {
    e.preventDefault();
    const profession = String(new FormData(e.target as HTMLFormElement).get('profession') ?? '').trim();
    this.settle('verify-professional', await this.api.verifyProfessional(this.token, { userId: this.chosen!.id, profession }), `${this.chosen!.name} is verified as ${profession}.`);
  };

  #revokeStaff = async (e: SubmitEvent, userId: string, name: string): Promise<void> => {
    e.preventDefault();
    const reason = String(new FormData(e.target as HTMLFormElement).get('reason') ?? '').trim();
    if (this.settle('staff', await this.api.revokeStaff(this.token, { userId, reason }), `${name} is no longer verified staff.`)) await this.#reload('staff');
  };

  async #decide(id: string, approve: boolean): Promise<void> {
    if (this.settle('names', await this.api.decideNameChange(this.token, id, approve), approve ? 'Approved.' : 'Rejected.')) await this.#reload('names');
  }

  /** Reload after a change, keeping that change's note. */
  async #reload(form: string): Promise<void> {
    const note = this.notes[form];
    await this.load();
    this.notes = { ...this.notes, [form]: note ?? null };
  }
}

if (!customElements.get('parley-admin-people')) customElements.define('parley-admin-people', ParleyAdminPeople);
