/**
 * The moderation chunk of `<parley-discussion>` (loaded on first use): `<parley-mod>`, opened by
 * any `[data-mod]` button of the discussion, shows
 * - `data-mod="report"` (`data-post`): the report form, as a modal dialog;
 * - `data-mod="appeal"` (`data-action` or `data-report`): the appeal form, as a modal dialog;
 * - `data-mod="mine"`: "Reports & appeals": my reports with outcomes, my notices (each readable
 *   at its durable link) and my appeals;
 * - `data-mod="queue"`: moderator mode, `<parley-moderation>` (its own chunk);
 * - `data-mod="out-of-scope"` (`data-post`): a moderator marks a question to a company out of scope,
 *   with a public reason, as a modal dialog (issue 14); the post's line updates live.
 * Escape (or Close) ends a dialog or panel with `parley-close`; the discussion then puts focus
 * back on the button that opened it. Also `ownText()`: an author's own removed words.
 */
import { html, nothing, type PropertyValues } from 'lit';
import { LIMITS } from '../../moderation/limits.js';
import { isFailure } from '../client/outcome.js';
import { ModerationApi, type AppealView, type NoticeView, type ReportView, type RuleView } from './api.js';
import { ModElement, modStyles } from './base.js';

/** Fetches the viewer's own removed words of `postId` into `into` and re-renders the discussion. */
export async function ownText(discussion: HTMLElement & { server: string; site: string; requestUpdate(): void }, postId: string, token: string, into: Map<string, string>): Promise<void> {
  const res = await new ModerationApi(discussion.server, discussion.site).post(postId, token);
  const own = isFailure(res) ? undefined : res.post.moderation?.ownText?.html;
  if (own && into.has(postId)) {
    into.set(postId, own);
    discussion.requestUpdate();
  }
}

type Dialog = { kind: 'report'; postId: string } | { kind: 'out-of-scope'; postId: string } | { kind: 'appeal'; actionId?: string; reportId?: string; until: string | null };

export class ParleyMod extends ModElement {
  static override styles = modStyles;
  static override properties = {
    ...ModElement.properties,
    opener: { attribute: false },
    rules: { state: true },
    error: { state: true },
    done: { state: true },
    busy: { state: true },
    ground: { state: true },
    mine: { state: true },
    notice: { state: true },
    dialog: { state: true },
  };

  declare opener: HTMLElement | null;
  declare rules: RuleView[] | null;
  declare error: string;
  declare done: string;
  declare busy: boolean;
  declare ground: string;
  declare mine: { reports: ReportView[]; notices: NoticeView[]; appeals: AppealView[] } | null;
  declare notice: NoticeView | null;
  declare dialog: Dialog | null;

  constructor() {
    super();
    this.opener = null;
    this.rules = this.mine = this.notice = this.dialog = null;
    this.error = this.done = this.ground = '';
    this.busy = false;
  }

  get kind(): string {
    return this.opener?.dataset.mod ?? '';
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (!changed.has('opener')) return;
    this.error = this.done = this.ground = '';
    this.notice = null;
    const d = this.opener?.dataset ?? {};
    if (this.kind === 'report') {
      this.dialog = { kind: 'report', postId: d.post ?? '' };
      void this.#loadRules();
    } else if (this.kind === 'out-of-scope') {
      this.dialog = { kind: 'out-of-scope', postId: d.post ?? '' };
    } else if (this.kind === 'appeal') {
      this.dialog = { kind: 'appeal', actionId: d.action, reportId: d.report, until: this.#deadline(d.action) };
    } else {
      this.dialog = null;
      if (this.kind === 'mine') void this.#loadMine();
      if (this.kind === 'queue') void import('../parley-moderation.js');
    }
  }

  protected override updated(): void {
    const dialog = this.renderRoot.querySelector('dialog');
    if (dialog && !dialog.open) {
      dialog.showModal();
      dialog.querySelector<HTMLElement>('input, textarea, button')?.focus();
    }
  }

  #deadline(actionId?: string): string | null {
    for (const p of this.discussion?.client?.state.posts.values() ?? []) {
      if (p.moderation?.removal?.actionId === actionId) return p.moderation!.removal!.appealableUntil;
    }
    return null;
  }

  async #loadRules(): Promise<void> {
    const res = await this.api.rules();
    if (isFailure(res)) this.error = this.t('loadFailed', { message: res.error.message });
    else this.rules = res.rules.filter((r) => r.kind === 'prohibition');
  }

  async #loadMine(): Promise<void> {
    if (!this.token) return;
    const [reports, notices, appeals] = await Promise.all([this.api.myReports(this.token), this.api.myNotices(this.token), this.api.myAppeals(this.token)]);
    if (isFailure(reports) || isFailure(notices) || isFailure(appeals)) {
      const f = [reports, notices, appeals].find(isFailure)!;
      this.error = this.t('loadFailed', { message: f.error.message });
      return;
    }
    this.mine = { reports: reports.reports, notices: notices.notices, appeals: appeals.appeals };
  }

  #close = (): void => {
    if (this.dialog && this.kind === 'mine') {
      // An appeal opened from the panel: back to the panel, which reloads.
      this.dialog = null;
      this.done = '';
      void this.#loadMine();
      return;
    }
    this.dispatchEvent(new CustomEvent('parley-close', { bubbles: true, composed: true }));
  };

  #onKey(e: KeyboardEvent): void {
    if (e.key === 'Escape' && !this.dialog) {
      e.stopPropagation();
      this.#close();
    }
  }

  override render() {
    const t = this.t;
    if (this.kind === 'queue') {
      return html`<parley-moderation .discussion=${this.discussion} .token=${this.token} lang=${this.language}></parley-moderation>`;
    }
    if (!this.token) return html`<p class="box" role="status">${t('signInFirst')}</p>`;
    return html`${this.kind === 'mine' ? this.#renderMine() : nothing}
      ${this.dialog
        ? html`<dialog aria-labelledby="dlg-title" @close=${this.#close}>
            ${this.dialog.kind === 'report'
              ? this.#renderReport(this.dialog.postId)
              : this.dialog.kind === 'out-of-scope'
                ? this.#renderOutOfScope(this.dialog.postId)
                : this.#renderAppeal(this.dialog)}
          </dialog>`
        : nothing}`;
  }

  // ---- Report form ----------------------------------------------------------------------

  #renderReport(postId: string) {
    const t = this.t;
    if (this.done) {
      return html`<h2 id="dlg-title">${t('reportThanks')}</h2>
        <p class="ok" role="status" data-ack>${this.done}</p>
        <div class="actions"><button type="button" class="primary" @click=${this.#closeDialog}>${t('close')}</button></div>`;
    }
    const illegal = this.ground === 'illegal';
    return html`<h2 id="dlg-title">${t('reportTitle')}</h2>
      <p class="muted">${t('reportIntro')}</p>
      <form @submit=${(e: SubmitEvent) => this.#sendReport(e, postId)} novalidate>
        <fieldset>
          <legend>${t('reportGround')}</legend>
          ${this.rules === null && !this.error ? html`<p class="muted" role="status">…</p>` : nothing}
          ${(this.rules ?? []).map(
            (r) => html`<label class="check"><input type="radio" name="ground" value=${r.id} aria-describedby=${`rule-${r.id}`} @change=${this.#onGround} />
                ${r.id} ${r.title}</label>
              <p class="muted" id=${`rule-${r.id}`}>${r.text}${r.examples.notAllowed.length ? html` ${t('examplesNot', { examples: r.examples.notAllowed.join('; ') })}` : nothing}</p>`,
          )}
          <label class="check"><input type="radio" name="ground" value="illegal" @change=${this.#onGround} /> ${t('reportIllegal')}</label>
        </fieldset>
        ${illegal
          ? html`<label for="explanation">${t('reportExplanation')}</label>
              <textarea id="explanation" name="explanation" required maxlength="2000"></textarea>`
          : nothing}
        <label for="note">${t('reportNote')}</label>
        <textarea id="note" name="note" maxlength="1000"></textarea>
        <label class="check"><input type="checkbox" name="goodFaith" required /> ${t('reportGoodFaith')}</label>
        ${this.error ? html`<p class="error" role="alert">${this.error}</p>` : nothing}
        <div class="actions">
          <button type="submit" class="primary" aria-disabled=${this.busy ? 'true' : 'false'}>${t('reportSend')}</button>
          <button type="button" @click=${this.#closeDialog}>${t('close')}</button>
        </div>
      </form>`;
  }

  #onGround(e: Event): void {
    this.ground = (e.target as HTMLInputElement).value;
  }

  #closeDialog = (): void => {
    this.renderRoot.querySelector('dialog')?.close();
  };

  async #sendReport(e: SubmitEvent, postId: string): Promise<void> {
    e.preventDefault();
    if (this.busy) return;
    const form = new FormData(e.target as HTMLFormElement);
    const ground = String(form.get('ground') ?? '');
    const explanation = String(form.get('explanation') ?? '').trim();
    const t = this.t;
    if (!ground) return void (this.error = t('reportNeedRule'));
    if (ground === 'illegal' && explanation.length < 10) return void (this.error = t('reportNeedExplanation'));
    if (!form.get('goodFaith')) return void (this.error = t('reportNeedFaith'));
    this.error = '';
    this.busy = true;
    const res = await this.api.report(this.token!, {
      postId,
      ...(ground === 'illegal' ? { ground: 'illegal', explanation } : { ground: 'rule', ruleId: ground }),
      note: String(form.get('note') ?? '').trim(),
      goodFaith: true,
    });
    this.busy = false;
    if (isFailure(res)) this.error = this.failureText(res);
    else this.done = res.acknowledgement.message;
    await this.#focusOutcome();
  }

  /** After sending: focus the Close button of the acknowledgement, or the error (the form's button may be gone). */
  async #focusOutcome(): Promise<void> {
    await this.updateComplete;
    const alert = this.renderRoot.querySelector<HTMLElement>('dialog [role="alert"]');
    alert?.setAttribute('tabindex', '-1');
    (this.done ? this.renderRoot.querySelector<HTMLElement>('dialog button') : alert)?.focus();
  }

  // ---- Out of scope (questions to a company) -----------------------------------------------

  #renderOutOfScope(postId: string) {
    const t = this.t;
    if (this.done) {
      return html`<h2 id="dlg-title">${t('scopeTitle')}</h2>
        <p class="ok" role="status" data-ack>${this.done}</p>
        <div class="actions"><button type="button" class="primary" @click=${this.#closeDialog}>${t('close')}</button></div>`;
    }
    const company = this.discussion?.client?.state.posts.get(postId)?.question?.company.name ?? '';
    const max = LIMITS.outOfScopeReasonMaxChars;
    return html`<h2 id="dlg-title">${t('scopeTitle')}</h2>
      <p class="muted">${t('scopeIntro', { company })}</p>
      <form @submit=${(e: SubmitEvent) => this.#sendOutOfScope(e, postId)} novalidate>
        <label for="reason">${t('scopeReason', { max })}</label>
        <textarea id="reason" name="reason" required minlength="3" maxlength=${max}></textarea>
        ${this.error ? html`<p class="error" role="alert">${this.error}</p>` : nothing}
        <div class="actions">
          <button type="submit" class="primary" aria-disabled=${this.busy ? 'true' : 'false'}>${t('scopeSend')}</button>
          <button type="button" @click=${this.#closeDialog}>${t('close')}</button>
        </div>
      </form>`;
  }

  async #sendOutOfScope(e: SubmitEvent, postId: string): Promise<void> {
    e.preventDefault();
    if (this.busy) return;
    const reason = String(new FormData(e.target as HTMLFormElement).get('reason') ?? '').trim();
    if (reason.length < 3) return void (this.error = this.t('scopeNeedReason'));
    this.error = '';
    this.busy = true;
    const res = await this.api.outOfScope(this.token!, postId, reason);
    this.busy = false;
    if (isFailure(res)) this.error = this.failureText(res);
    else this.done = this.t('scopeDone');
    await this.#focusOutcome();
  }

  // ---- Appeal form ----------------------------------------------------------------------

  #renderAppeal(d: Extract<Dialog, { kind: 'appeal' }>) {
    const t = this.t;
    if (this.done) {
      return html`<h2 id="dlg-title">${t('appealTitle')}</h2>
        <p class="ok" role="status" data-ack>${this.done}</p>
        <div class="actions"><button type="button" class="primary" @click=${this.#closeDialog}>${t('close')}</button></div>`;
    }
    return html`<h2 id="dlg-title">${t('appealTitle')}</h2>
      ${d.until ? html`<p class="muted">${t('appealIntro', { date: this.date(d.until) })}</p>` : nothing}
      <form @submit=${(e: SubmitEvent) => this.#sendAppeal(e, d)} novalidate>
        <label for="info">${t('appealInfo')}</label>
        <textarea id="info" name="info" required minlength="10" maxlength="4000"></textarea>
        ${this.error ? html`<p class="error" role="alert">${this.error}</p>` : nothing}
        <div class="actions">
          <button type="submit" class="primary" aria-disabled=${this.busy ? 'true' : 'false'}>${t('appealSend')}</button>
          <button type="button" @click=${this.#closeDialog}>${t('close')}</button>
        </div>
      </form>`;
  }

  async #sendAppeal(e: SubmitEvent, d: Extract<Dialog, { kind: 'appeal' }>): Promise<void> {
    e.preventDefault();
    if (this.busy) return;
    const info = String(new FormData(e.target as HTMLFormElement).get('info') ?? '').trim();
    if (info.length < 10) return void (this.error = this.t('appealNeedInfo'));
    this.error = '';
    this.busy = true;
    const res = await this.api.appeal(this.token!, { ...(d.actionId ? { actionId: d.actionId } : { reportId: d.reportId }), info });
    this.busy = false;
    if (isFailure(res)) this.error = this.failureText(res);
    else this.done = this.t('appealThanks');
    await this.#focusOutcome();
  }

  // ---- Reports & appeals ----------------------------------------------------------------

  #renderMine() {
    const t = this.t;
    const m = this.mine;
    const status = (s: string) => t(`status_${s}` as 'status_open');
    return html`<section class="box" aria-labelledby="mine-title" @keydown=${this.#onKey}>
      <h2 id="mine-title">${t('mineTitle')}</h2>
      ${this.error && !this.dialog ? html`<p class="error" role="alert">${this.error}</p>` : nothing}
      ${m === null && !this.error ? html`<p class="muted" role="status">…</p>` : nothing}
      ${m
        ? html`<h3>${t('myReports')}</h3>
            ${m.reports.length
              ? html`<ul data-my-reports>
                  ${m.reports.map(
                    (r) => html`<li>
                      ${t('reportLine', { date: this.date(r.createdAt), rule: r.ruleId ?? t('reportIllegalRule'), status: status(r.status) })}
                      ${r.outcome ? html`<br />${t('outcome', { type: r.outcome.type, reason: r.outcome.reason })}` : nothing}
                      ${r.appeal ? html`<br />${t('myAppeals')}: ${status(r.appeal.status)}` : nothing}
                      ${r.status === 'dismissed' && !r.appeal && r.appealableUntil && Date.parse(r.appealableUntil) > Date.now()
                        ? html`<button type="button" class="link" @click=${() => this.#appealReport(r)}>${t('appealReport')}</button>`
                        : nothing}
                    </li>`,
                  )}
                </ul>`
              : html`<p class="muted">${t('noneYet')}</p>`}
            <h3>${t('myNotices')}</h3>
            ${m.notices.length
              ? html`<ul data-my-notices>
                  ${m.notices.map(
                    (n) => html`<li>${this.date(n.createdAt)} · ${n.subject}
                      <button type="button" class="link" aria-expanded=${this.notice?.id === n.id} @click=${() => this.#readNotice(n.id)}>${t('readNotice')}</button>
                      ${this.notice?.id === n.id ? this.#renderNotice(this.notice) : nothing}</li>`,
                  )}
                </ul>`
              : html`<p class="muted">${t('noneYet')}</p>`}
            <h3>${t('myAppeals')}</h3>
            ${m.appeals.length
              ? html`<ul data-my-appeals>
                  ${m.appeals.map(
                    (a) => html`<li>${t('appealLine', { date: this.date(a.createdAt), status: status(a.status) })}${a.reason ? html` — ${a.reason}` : nothing}</li>`,
                  )}
                </ul>`
              : html`<p class="muted">${t('noneYet')}</p>`}`
        : nothing}
      <div class="actions"><button type="button" @click=${this.#close}>${t('close')}</button></div>
    </section>`;
  }

  #appealReport(r: ReportView): void {
    this.error = this.done = '';
    this.dialog = { kind: 'appeal', reportId: r.id, until: r.appealableUntil };
  }

  /** A notice, fetched at its durable link (`GET /notices/{id}`, no sign-in needed). */
  async #readNotice(id: string): Promise<void> {
    if (this.notice?.id === id) return void (this.notice = null);
    const res = await this.api.notice(id);
    if (isFailure(res)) this.error = this.t('loadFailed', { message: res.error.message });
    else this.notice = res.notice;
  }

  #renderNotice(n: NoticeView) {
    const t = this.t;
    const b = n.body;
    return html`<div class="box" data-notice>
      <strong>${n.subject}</strong>
      ${typeof b.does === 'string' ? html`<p>${b.does}</p>` : nothing}
      ${typeof b.reason === 'string' ? html`<p>${b.reason}</p>` : nothing}
      ${typeof b.message === 'string' ? html`<p>${b.message}</p>` : nothing}
      ${b.appeal?.until ? html`<p>${t('appealUntil', { date: this.date(b.appeal.until) })}</p>` : nothing}
      <p><a href=${n.url} target="_blank" rel="noopener">${t('noticeLink')}</a></p>
    </div>`;
  }
}

if (!customElements.get('parley-mod')) customElements.define('parley-mod', ParleyMod);

declare global {
  interface HTMLElementTagNameMap {
    'parley-mod': ParleyMod;
  }
}
