/**
 * `<parley-audit-log>`: a site's public moderation log, verified in the reader's browser.
 *
 * It checks the signed checkpoint with the site's key, remembers the last checkpoint this
 * device saw (localStorage) and checks on every visit that the log only grew (consistency
 * proof); a log of at most `verify-limit` entries is downloaded and recomputed in full,
 * a larger one is checked through inclusion proofs of the entries shown.
 *
 * Attributes / properties:
 * - `server` (string): base URL of the Parley server; defaults to the origin this script came from.
 * - `site` (string): the site id.
 * - `lang` (string): `en`, `nl`, `de`, `fr` or `ar`; defaults to the nearest `lang`, then English. Its direction is the page's.
 * - `log-key` / `logKey` (string): the site's published verifier key. Without it the key the
 *   server publishes is trusted on first use and then remembered.
 * - `thread-url` / `threadUrl` (string): link template for an entry's conversation, with
 *   `{topic}` and `{post}` placeholders, e.g. `/forum.html?topic={topic}#post-{post}`.
 * - `threadHref` (property, `(topic, postId) => string | null`): builds the link instead of `thread-url`.
 * - `page-size` / `pageSize` (number, default 20): entries per page.
 * - `verify-limit` / `verifyLimit` (number, default 2000): largest log verified entry by entry.
 * Methods: `reload()`.
 * Read-only: `verification` (the verifier's report), `rewritten` (history rewrite detected).
 * Events (bubbling, composed):
 * - `parley-log-verified` `{ verification }`: the log verified.
 * - `parley-log-warning` `{ verification }`: verification failed, or the history was rewritten.
 * CSS parts: `status`, `warning`, `filter`, `entries`, `entry`, `kind`, `details`, `thread-link`, `button`.
 * CSS custom properties: those of `<parley-discussion>` (`--parley-font`, `--parley-color-*`,
 *   `--parley-radius`, `--parley-space`) plus `--parley-color-ok` (verified status).
 */
import { css, html, LitElement, nothing, type PropertyValues } from 'lit';
import { loadLanguage, resolveLanguage, translator } from './i18n/index.js';
import { logMessages } from './i18n/log.js';
import { controlStyles } from './styles/controls.js';
import { checkHead, checkIncluded, httpLogSource, verifyAuditLog, type AuditLogSource, type AuditVerification } from '../moderation/log/index.js';

interface LeafView {
  kind: string;
  at: string;
  actor?: { type?: string; label?: string };
  subject?: { postId?: string; topic?: string; userLabel?: string; ruleId?: string; entryIndex?: number };
  data?: Record<string, unknown>;
  refersTo?: number;
}
interface ViewEntry {
  index: number;
  leaf: LeafView;
  leafHash: string;
  redacted: string[];
}
interface Remembered {
  checkpoint: string;
  verifierKey: string;
}

const KINDS = ['moderation', 'appeal', 'rule', 'role', 'affiliation', 'company', 'redaction', 'key'];

function storageKey(server: string, site: string): string {
  return `parley-audit-log:${server.replace(/\/+$/, '')}:${site}`;
}

function readMemory(key: string): Remembered | null {
  try {
    const v = JSON.parse(localStorage.getItem(key) ?? 'null');
    return v && typeof v.checkpoint === 'string' && typeof v.verifierKey === 'string' ? v : null;
  } catch {
    return null;
  }
}

function show(value: unknown): string {
  if (typeof value === 'string') return value;
  if (Array.isArray(value) && value.every((v) => typeof v !== 'object')) return value.join(', ');
  return JSON.stringify(value);
}

export class ParleyAuditLog extends LitElement {
  static override styles = [
    controlStyles,
    css`
      :host { display: block; --_ok: var(--parley-color-ok, #1a7f37); }
      :host([hidden]) { display: none; }
      .status { padding: var(--_half) var(--_space); border: 1px solid var(--_border); border-radius: var(--_radius); background: var(--_surface); }
      .status.ok { border-inline-start: 4px solid var(--_ok); }
      .status.ok::before { content: '✓ '; color: var(--_ok); font-weight: bold; }
      .warning { padding: var(--_half) var(--_space); border: 2px solid var(--_danger); border-radius: var(--_radius); color: var(--_danger); font-weight: 600; }
      .warning::before { content: '⚠ '; }
      .muted, time { color: var(--_muted); font-size: 0.9em; }
      ol { list-style: none; padding: 0; margin: var(--_space) 0; }
      li + li { margin-top: var(--_half); }
      article { border: 1px solid var(--_border); border-radius: var(--_radius); padding: var(--_half) var(--_space); }
      .kind { font-weight: 600; }
      dl { display: grid; grid-template-columns: max-content 1fr; gap: 0.25rem 1rem; margin: var(--_half) 0 0; }
      dt { color: var(--_muted); }
      dd { margin: 0; overflow-wrap: anywhere; }
      a:focus-visible, summary:focus-visible, select:focus-visible, button:focus-visible { outline: 3px solid var(--_focus); outline-offset: 2px; }
      section > * + * { margin-top: var(--_space); }
      .toolbar { display: flex; gap: var(--_half); align-items: center; }
    `,
  ];

  static override properties = {
    server: {},
    site: {},
    lang: {},
    logKey: { attribute: 'log-key' },
    threadUrl: { attribute: 'thread-url' },
    pageSize: { attribute: 'page-size', type: Number },
    verifyLimit: { attribute: 'verify-limit', type: Number },
    kind: { state: true },
    phase: { state: true },
    verification: { state: true },
    rewritten: { state: true },
    firstVisit: { state: true },
    entries: { state: true },
    nextBefore: { state: true },
    witnesses: { state: true },
    loadingMore: { state: true },
  };

  declare server: string;
  declare site: string;
  declare lang: string;
  declare logKey: string | null;
  declare threadUrl: string | null;
  declare pageSize: number;
  declare verifyLimit: number;
  declare kind: string;
  declare phase: 'loading' | 'ready' | 'error';
  declare verification: AuditVerification | null;
  declare rewritten: boolean;
  declare firstVisit: boolean;
  declare entries: ViewEntry[];
  declare nextBefore: number | null;
  declare witnesses: number;
  declare loadingMore: boolean;

  /** Builds an entry's conversation link (wins over `thread-url`). */
  threadHref: ((topic: string, postId: string | null) => string | null) | null = null;
  #source: AuditLogSource | null = null;
  #run = 0;

  constructor() {
    super();
    this.server = '';
    this.site = '';
    this.lang = '';
    this.logKey = null;
    this.threadUrl = null;
    this.pageSize = 20;
    this.verifyLimit = 2000;
    this.kind = '';
    this.phase = 'loading';
    this.verification = null;
    this.rewritten = false;
    this.firstVisit = false;
    this.entries = [];
    this.nextBefore = null;
    this.witnesses = 0;
    this.loadingMore = false;
  }

  get #t() {
    void loadLanguage(this.#lang)?.then(() => this.requestUpdate());
    return translator(this.#lang, logMessages);
  }

  get #lang(): string {
    return this.lang || this.closest('[lang]')?.getAttribute('lang') || 'en';
  }

  /** Also waits for the language's messages and the formatter (plural counts), so that hosts and tests see the final text. */
  protected override async getUpdateComplete(): Promise<boolean> {
    const done = await super.getUpdateComplete();
    const strings = loadLanguage(this.#lang);
    return strings ? strings.then(() => super.getUpdateComplete()) : done;
  }

  get #server(): string {
    return (this.server || new URL(import.meta.url).origin).replace(/\/+$/, '');
  }

  get #base(): string {
    return `${this.#server}/api/sites/${encodeURIComponent(this.site)}/log`;
  }

  protected override updated(changed: PropertyValues): void {
    if ((changed.has('server') || changed.has('site') || changed.has('logKey')) && this.site) void this.reload();
  }

  /** Fetches and verifies the log again. */
  async reload(): Promise<void> {
    const run = ++this.#run;
    this.phase = 'loading';
    this.rewritten = false;
    this.entries = [];
    const source = (this.#source = httpLogSource(this.#server, this.site, (url, init) => fetch(url, init)));
    const memoryKey = storageKey(this.#server, this.site);
    const remembered = readMemory(memoryKey);
    const options = { verifierKey: this.logKey || remembered?.verifierKey || null, previous: remembered?.checkpoint ?? null };
    try {
      let result = await checkHead(source, options);
      if (result.ok && (result.treeSize ?? 0) <= this.verifyLimit) result = await verifyAuditLog(source, options);
      const [page, witnesses] = await Promise.all([this.#fetchPage(undefined), this.#fetchWitnesses()]);
      if (run !== this.#run) return;
      if (result.ok && result.entries.length === 0) {
        // Head-only verification: the entries shown must be in the signed tree.
        const bad = await checkIncluded(source, result, page.entries.map((e) => ({ index: e.index, leaf: e.leaf, leafHash: e.leafHash })));
        if (bad !== null) result = { ...result, ok: false, problem: 'root-mismatch', firstBadEntry: bad, message: `Entry ${bad} is not in the signed log.` };
      }
      if (run !== this.#run) return;
      this.verification = result;
      this.rewritten = !result.ok && (result.problem === 'fork' || result.problem === 'shrank');
      this.firstVisit = result.ok && !remembered;
      if (result.ok && result.checkpoint && result.verifierKey) {
        try {
          localStorage.setItem(memoryKey, JSON.stringify({ checkpoint: result.checkpoint, verifierKey: result.verifierKey }));
        } catch {
          // storage full or disabled: verification still happened
        }
      }
      this.entries = page.entries;
      this.nextBefore = page.nextBefore;
      this.witnesses = witnesses;
      this.phase = 'ready';
      this.dispatchEvent(new CustomEvent(result.ok ? 'parley-log-verified' : 'parley-log-warning', {
        detail: { verification: result }, bubbles: true, composed: true,
      }));
    } catch {
      if (run === this.#run) this.phase = 'error';
    }
  }

  async #fetchPage(before: number | undefined): Promise<{ entries: ViewEntry[]; nextBefore: number | null }> {
    const params = new URLSearchParams({ limit: String(this.pageSize || 20) });
    if (this.kind) params.set('kind', this.kind);
    if (before !== undefined) params.set('before', String(before));
    const res = await fetch(`${this.#base}/view?${params}`, { headers: { accept: 'application/json' } });
    if (!res.ok) throw new Error(`HTTP ${res.status}`);
    return res.json();
  }

  async #fetchWitnesses(): Promise<number> {
    try {
      const res = await fetch(`${this.#base}/witnesses`);
      const body = (await res.json()) as { witnesses: Array<{ latest: unknown }> };
      return body.witnesses.filter((w) => w.latest).length;
    } catch {
      return 0;
    }
  }

  async #more(): Promise<void> {
    if (this.nextBefore === null || this.loadingMore) return;
    this.loadingMore = true;
    try {
      const page = await this.#fetchPage(this.nextBefore);
      const v = this.verification;
      if (v?.ok && v.entries.length === 0 && this.#source) {
        const bad = await checkIncluded(this.#source, v, page.entries);
        if (bad !== null) this.verification = { ...v, ok: false, problem: 'root-mismatch', firstBadEntry: bad, message: `Entry ${bad} is not in the signed log.` };
      }
      this.entries = [...this.entries, ...page.entries];
      this.nextBefore = page.nextBefore;
    } catch {
      // keep what is shown; the button stays for another try
    } finally {
      this.loadingMore = false;
    }
  }

  async #filter(event: Event): Promise<void> {
    this.kind = (event.target as HTMLSelectElement).value;
    try {
      const page = await this.#fetchPage(undefined);
      this.entries = page.entries;
      this.nextBefore = page.nextBefore;
    } catch {
      this.phase = 'error';
    }
  }

  #time(iso: string | number): string {
    const date = typeof iso === 'number' ? new Date(iso * 1000) : new Date(iso);
    return new Intl.DateTimeFormat(resolveLanguage(this.lang || 'en'), { dateStyle: 'medium', timeStyle: 'short' }).format(date);
  }

  #status() {
    const t = this.#t;
    const v = this.verification;
    if (!v) return nothing;
    if (this.rewritten) return html`<p part="warning" class="warning" role="alert">${t('logRewritten', { message: v.message })}</p>`;
    if (!v.ok) return html`<p part="warning" class="warning" role="alert">${t('logFailed', { message: v.message })}</p>`;
    const count = v.treeSize ?? 0;
    const text = v.entries.length === 0 && count > 0
      ? t('logVerifiedHead', { count, time: v.signedAt ? this.#time(v.signedAt) : '' })
      : v.signedAt ? t('logVerified', { count, time: this.#time(v.signedAt) }) : t('logVerifiedNoTime', { count });
    return html`<p part="status" class="status ok" role="status">${text}${this.witnesses > 0 ? html` · ${t('logWitnesses', { count: this.witnesses })}` : nothing}</p>
      ${this.firstVisit ? html`<p class="muted">${t('logFirstVisit')}</p>` : nothing}`;
  }

  #threadLink(leaf: LeafView) {
    const s = leaf.subject;
    if (!s?.topic) return nothing;
    const href = this.threadHref
      ? this.threadHref(s.topic, s.postId ?? null)
      : this.threadUrl?.replace('{topic}', encodeURIComponent(s.topic)).replace('{post}', encodeURIComponent(s.postId ?? ''));
    if (!href) return nothing;
    return html`<a part="thread-link" href=${href}>${this.#t('logThread')}</a>`;
  }

  #entry(e: ViewEntry) {
    const t = this.#t;
    const l = e.leaf;
    const rule = l.subject?.ruleId ?? (l.data?.ruleId as string | undefined) ?? ((l.data?.rule as { id?: string } | undefined)?.id);
    const data = Object.entries(l.data ?? {});
    return html`<li part="entry"><article aria-label=${t('logEntry', { index: e.index })}>
      <header>
        <span class="muted">#${e.index}</span> <span part="kind" class="kind">${l.kind}</span>
        <time datetime=${l.at}>${this.#time(l.at)}</time>
        <span>${t('logBy', { actor: l.actor?.label ?? '?' })}</span>
        ${rule ? html`<span> · ${t('logRule', { rule })}</span>` : nothing}
        ${l.subject?.userLabel ? html`<span> · ${l.subject.userLabel}</span>` : nothing}
      </header>
      ${l.refersTo !== undefined ? html`<p class="muted">${t('logRefersTo', { index: l.refersTo })}</p>` : nothing}
      ${e.redacted.length ? html`<p class="muted">${t('logRedacted', { fields: e.redacted.join(', ') })}</p>` : nothing}
      ${data.length ? html`<details part="details"><summary>${t('logDetails')}</summary>
        <dl>${data.map(([k, v]) => html`<dt>${k}</dt><dd>${show(v)}</dd>`)}</dl></details>` : nothing}
      ${this.#threadLink(l)}
    </article></li>`;
  }

  protected override render() {
    const t = this.#t;
    if (this.phase === 'loading') return html`<section aria-label=${t('logLabel')} aria-busy="true"><p class="muted" role="status">${t('logLoading')}</p></section>`;
    if (this.phase === 'error') {
      return html`<section aria-label=${t('logLabel')}><p part="warning" class="warning" role="alert">${t('logError')}</p>
        <button part="button" @click=${() => this.reload()}>${t('retry')}</button></section>`;
    }
    return html`<section aria-label=${t('logLabel')}>
      ${this.#status()}
      <div class="toolbar">
        <label>${t('logFilter')}
          <select part="filter" @change=${this.#filter}>
            <option value="" ?selected=${!this.kind}>${t('logFilterAll')}</option>
            ${KINDS.map((k) => html`<option value=${k} ?selected=${this.kind === k}>${k}</option>`)}
          </select>
        </label>
      </div>
      ${this.entries.length === 0
        ? html`<p class="muted empty">${t('logEmpty')}</p>`
        : html`<ol part="entries" role="list">${this.entries.map((e) => this.#entry(e))}</ol>`}
      ${this.nextBefore !== null
        ? html`<button part="button" ?disabled=${this.loadingMore} @click=${() => this.#more()}>${t('logLoadMore')}</button>`
        : nothing}
    </section>`;
  }
}
