/**
 * What the console's sections share: the `AdminApi` and token they are given by `<parley-admin>`,
 * how a refusal of the server is put into words (its message and each field's issue), the
 * "saved" and "failed" notes (announced: `role="status"` / `role="alert"`), a file download, and
 * the look. A section never decides what is allowed: it shows what the server answered.
 */
import { css, html, LitElement, nothing, type PropertyDeclarations, type PropertyValues } from 'lit';
import { isFailure, type Failure, type Outcome } from '../client/outcome.js';
import { controlStyles } from '../styles/controls.js';
import type { AdminApi } from './api.js';
import { adminMessages } from '../i18n/admin.js';
import { translator } from '../i18n/index.js';

export type Note = { ok: string } | { error: string; issues?: Array<{ path: string; message: string }> } | null;

export class AdminSection extends LitElement {
  static override properties: PropertyDeclarations = {
    api: { attribute: false },
    token: { attribute: false },
    lang: {},
    notes: { state: true },
  };

  declare api: AdminApi;
  declare token: string;
  declare lang: string;
  /** The last outcome per form, shown next to that form. */
  declare notes: Record<string, Note>;

  constructor() {
    super();
    this.token = '';
    this.lang = '';
    this.notes = {};
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if ((changed.has('api') || changed.has('token')) && this.api && this.token) void this.load();
  }

  /** (Re)load what the section shows. */
  async load(): Promise<void> {}

  get language(): string {
    return this.lang || this.closest('[lang]')?.getAttribute('lang') || document.documentElement.lang || 'en';
  }

  /** The console's words in this section's language (widget/i18n/admin.ts): headings so far. */
  get t() {
    return translator(this.language, adminMessages);
  }

  /** Remember `outcome` as the note of `form`; true when it succeeded. */
  settle<T>(form: string, outcome: Outcome<T>, ok: string): outcome is T {
    if (isFailure(outcome)) {
      this.notes = { ...this.notes, [form]: describe(outcome) };
      return false;
    }
    this.notes = { ...this.notes, [form]: { ok } };
    return true;
  }

  note(form: string) {
    const n = this.notes[form];
    if (!n) return nothing;
    if ('ok' in n) return html`<p class="ok" role="status" data-note=${form}>${n.ok}</p>`;
    return html`<div class="error" role="alert" data-note=${form}>
      <p>${n.error}</p>
      ${n.issues?.length ? html`<ul>${n.issues.map((i) => html`<li>${i.path ? html`<code>${i.path}</code>: ` : nothing}${i.message}</li>`)}</ul>` : nothing}
    </div>`;
  }

  date(iso: string | null | undefined): string {
    return iso ? new Date(iso).toLocaleDateString(this.language, { dateStyle: 'medium' }) : '';
  }
}

/** A refusal in words: the server's message and its field issues; transport problems said plainly. */
export function describe(f: Failure): { error: string; issues?: Array<{ path: string; message: string }> } {
  const { code, message, issues, retryAfterSeconds } = f.error;
  if (code === 'network' || code === 'timeout') return { error: 'The Parley server could not be reached. Check your connection and try again.' };
  if (code === 'rate_limited') return { error: `Too many changes at once. Try again in ${Math.max(1, Math.ceil(retryAfterSeconds ?? 60))} seconds.` };
  if (code === 'not_found' && /HTTP 404|No such|Cannot/.test(message)) return { error: `This server does not offer that yet (${message}).` };
  return { error: message, issues };
}

/** Offer `data` as a file download (JSON or CSV made in the browser: nothing extra on the server). */
export function download(name: string, type: string, data: string): void {
  const url = URL.createObjectURL(new Blob([data], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.rel = 'noopener';
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** Lines of a textarea: trimmed, empty ones dropped. */
export const lines = (text: string): string[] => text.split('\n').map((l) => l.trim()).filter(Boolean);

export const adminStyles = [
  controlStyles,
  css`
    :host { display: block; }
    h2 { font-size: 1.2em; margin: 0 0 var(--_half); }
    h3 { font-size: 1.05em; margin: var(--_space) 0 var(--_half); }
    .box { padding: var(--_space); border: 1px solid var(--_border); border-radius: var(--_radius); background: var(--_surface); margin: var(--_half) 0; }
    .muted, .hint { color: var(--_muted); font-size: 0.9em; }
    .hint { margin: 0.15em 0 0; }
    .error { color: var(--_danger); font-weight: 600; }
    .error p { margin: 0; }
    .error p::before { content: '⚠ '; }
    .ok { font-weight: 600; }
    .ok::before { content: '✓ '; }
    ul { margin: 0; padding-inline-start: 1.25em; }
    label { display: block; font-weight: 600; margin-top: var(--_half); }
    label.check { font-weight: 400; display: flex; gap: 0.4em; align-items: baseline; }
    fieldset { border: 1px solid var(--_border); border-radius: var(--_radius); margin: var(--_half) 0; min-width: 0; }
    legend { font-weight: 600; }
    input[type='text'], input[type='number'], input[type='url'], input[type='email'], input[type='date'], input[type='file'], textarea, select {
      font: inherit; color: inherit; background: var(--_bg); border: 1px solid var(--_border);
      border-radius: var(--_radius); padding: 0.3em 0.5em; width: min(100%, 36em); box-sizing: border-box;
    }
    input[type='number'] { width: min(100%, 10em); }
    textarea { min-height: 5em; }
    .actions { margin-top: var(--_half); display: flex; gap: var(--_half); flex-wrap: wrap; align-items: center; }
    .table-wrap { overflow-x: auto; max-width: 100%; }
    table { border-collapse: collapse; margin: var(--_half) 0; }
    caption { text-align: start; font-weight: 600; }
    th, td { text-align: start; padding-block: 0.25em; padding-inline: 0 0.8em; vertical-align: top; border-bottom: 1px solid var(--_border); }
    td.num, th.num { text-align: end; }
    code, .secret { font-family: ui-monospace, monospace; overflow-wrap: anywhere; }
    .preview { border-inline-start: 3px solid var(--_border); padding-inline-start: var(--_half); }
    del { background: #ffebe9; text-decoration: line-through; }
    ins { background: #dafbe1; text-decoration: none; }
    .diff { white-space: pre-wrap; font-family: ui-monospace, monospace; font-size: 0.9em; padding: var(--_half); border: 1px solid var(--_border); border-radius: var(--_radius); background: var(--_bg); overflow-wrap: anywhere; }
    .visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip-path: inset(50%); white-space: nowrap; }
    .row { display: flex; flex-wrap: wrap; gap: var(--_half) var(--_space); }
    .row > * { flex: 1 1 12em; min-width: 0; }
  `,
];
