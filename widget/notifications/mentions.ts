/**
 * `@mentions` in the composer (issue 13): typing `@` suggests the people who took part in this
 * topic, by display name only (never an address), as the server lists them
 * (`GET /topics/{topic}/mention-suggestions?q=`: it leaves out whoever may not be mentioned by
 * this member, e.g. people who blocked them). A Lit controller on `<parley-composer>`, which
 * keeps its textarea and asks this for what to add (see `MentionCombo` in parley-composer.ts).
 *
 * The combobox pattern (WAI-ARIA APG) on a textarea: `aria-autocomplete="list"`, `aria-controls`
 * the listbox while it is open, `aria-activedescendant` the highlighted option; Up/Down move,
 * Enter or Tab insert, Escape closes (and only then does a second Escape reach the composer); a
 * live region says how many people match. Picking inserts the server's mention syntax
 * (`mentionText`: `@[Name](user:ID)`), which the server renders as a link to the person's posts.
 * Answers are asked for at most every 150 ms of typing, remembered per query, and an answer to an
 * older query never replaces a newer one.
 */
import { html, nothing, type ReactiveController } from 'lit';
import { mentionText, NOTIFY_LIMITS } from '../../moderation/notification-schemas.js';
import type { MentionSuggestions } from '../../moderation/response-schemas.js';
import { isFailure, type Outcome } from '../client/outcome.js';
import type { MentionCombo, ParleyComposer } from '../components/parley-composer.js';
import type { NotifyTranslate } from './base.js';

export type Mentionable = MentionSuggestions['people'][number];

/** At most this many suggestions at once. */
const MAX_SHOWN = NOTIFY_LIMITS.mentionSuggestionsMax;
const DEBOUNCE_MS = 150;
/** `@` at the start or after a space or bracket, then what is being typed of a name (letters, digits, spaces inside it, . ' -). */
const QUERY = /(?:^|[\s(])@([\p{L}\p{N}][\p{L}\p{N} .'’-]{0,39})?$/u;

/** Does `name` match what was typed: the start of the name, or of one of its words, ignoring case and accents. */
function matches(name: string, query: string): boolean {
  const fold = (s: string) => s.normalize('NFD').replace(/\p{M}/gu, '').toLocaleLowerCase();
  const n = fold(name);
  const q = fold(query.trim());
  return !q || n.startsWith(q) || n.split(/[\s.'’-]+/).some((w) => w.startsWith(q));
}

let ids = 0;

export class MentionController implements ReactiveController, MentionCombo {
  readonly #host: ParleyComposer;
  readonly #suggest: (q: string) => Promise<Outcome<MentionSuggestions>>;
  /** Answers by query; the query the list is for. */
  readonly #answers = new Map<string, Mentionable[]>();
  #query = '';
  #debounce?: ReturnType<typeof setTimeout>;
  readonly #t: () => NotifyTranslate;
  readonly #list = `mentions-${++ids}`;
  #options: Mentionable[] = [];
  #active = 0;
  /** Where the `@` of the name being typed is, while the list is open. */
  #at = -1;
  #say = '';

  constructor(host: ParleyComposer, suggest: (q: string) => Promise<Outcome<MentionSuggestions>>, t: () => NotifyTranslate) {
    this.#host = host;
    this.#suggest = suggest;
    this.#t = t;
    host.addController(this);
  }

  get open(): boolean {
    return this.#at >= 0;
  }

  get listId(): string {
    return this.#list;
  }

  get activeId(): string | null {
    return this.open && this.#options.length ? `${this.#list}-${this.#active}` : null;
  }

  hostConnected(): void {}

  hostDisconnected(): void {
    clearTimeout(this.#debounce);
  }

  /** The text changed: open, narrow or close the list after an `@` before the caret. */
  input(textarea: HTMLTextAreaElement): void {
    const caret = textarea.selectionStart ?? textarea.value.length;
    const m = QUERY.exec(textarea.value.slice(0, caret));
    if (!m) return this.close();
    const query = m[1] ?? '';
    this.#at = caret - query.length - 1;
    this.#query = query;
    const known = this.#answers.get(query.toLocaleLowerCase());
    // Until the server answers, what it said for a shorter query, narrowed here.
    this.#show(known ?? this.#options.filter((p) => matches(p.displayName, query)), !!known);
    if (known) return;
    clearTimeout(this.#debounce);
    this.#debounce = setTimeout(() => void this.#ask(query), DEBOUNCE_MS);
  }

  async #ask(query: string): Promise<void> {
    const res = await this.#suggest(query);
    if (isFailure(res)) return;
    const people = res.people.slice(0, MAX_SHOWN);
    this.#answers.set(query.toLocaleLowerCase(), people);
    if (this.open && this.#query === query) this.#show(people, true);
  }

  /** `final`: the server's answer for this query (only then is "no one matches" true). */
  #show(options: Mentionable[], final: boolean): void {
    const wasOpen = this.#options.length > 0;
    if (!wasOpen || options.length !== this.#options.length || options.some((p, i) => p.userId !== this.#options[i]?.userId)) this.#active = 0;
    this.#options = options;
    const t = this.#t();
    this.#say = options.length || final ? t('mentionCount', { count: options.length }) : '';
    this.#host.requestUpdate();
  }

  close(): void {
    clearTimeout(this.#debounce);
    if (!this.open) return;
    this.#at = -1;
    this.#options = [];
    this.#say = '';
    this.#host.requestUpdate();
  }

  /** Handles the keys of an open list; true when the key was used (the composer ignores it then). */
  keydown(e: KeyboardEvent): boolean {
    if (!this.open || e.ctrlKey || e.metaKey || e.altKey) return false;
    const n = this.#options.length;
    if (e.key === 'Escape') {
      this.close();
    } else if (e.key === 'ArrowDown' && n) {
      this.#active = (this.#active + 1) % n;
    } else if (e.key === 'ArrowUp' && n) {
      this.#active = (this.#active - 1 + n) % n;
    } else if ((e.key === 'Enter' || e.key === 'Tab') && n && !e.shiftKey) {
      this.#pick(this.#options[this.#active]!, e.target as HTMLTextAreaElement);
    } else {
      return false;
    }
    e.preventDefault();
    this.#host.requestUpdate();
    return true;
  }

  #pick(p: Mentionable, textarea: HTMLTextAreaElement | null): void {
    const area = textarea ?? this.#host.renderRoot.querySelector('textarea');
    if (!area) return;
    const caret = area.selectionStart ?? area.value.length;
    const text = `${mentionText(p)} `;
    area.setRangeText(text, this.#at, caret, 'end');
    this.close();
    this.#say = this.#t()('mentionInserted', { name: p.displayName });
    // The composer keeps its own copy of the text: tell it, as typing would.
    area.dispatchEvent(new Event('input', { bubbles: true }));
    area.focus();
  }

  /** The listbox under the textarea and the live region that says how many match (styled by the composer: no inline styles under a CSP). */
  render(): unknown {
    const t = this.#t();
    return html`${this.open && this.#options.length
        ? html`<ul class="mention-list" id=${this.#list} role="listbox" aria-label=${t('mentionListLabel')} data-mention-list>
            ${this.#options.map((p, i) => html`<li id=${`${this.#list}-${i}`} role="option" aria-selected=${i === this.#active ? 'true' : 'false'}
                data-mention=${p.userId} @mousedown=${(e: Event) => e.preventDefault()} @click=${() => this.#pick(p, null)}>${p.displayName}</li>`)}
          </ul>`
        : nothing}
      <span class="visually-hidden" role="status" data-mention-status>${this.#say}</span>`;
  }
}
