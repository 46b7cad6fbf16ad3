/**
 * `@mentions` in the composer (issue 13): typing `@` suggests the people who took part in this
 * topic, by display name only (never an address). A Lit controller on `<parley-composer>`, which
 * keeps its textarea and asks this for what to add (see `MentionCombo` in parley-composer.ts).
 *
 * The combobox pattern (WAI-ARIA APG) on a textarea: `aria-autocomplete="list"`, `aria-controls`
 * the listbox while it is open, `aria-activedescendant` the highlighted option; Up/Down move,
 * Enter or Tab insert, Escape closes (and only then does a second Escape reach the composer); a
 * live region says how many people match. Picking inserts the server's mention syntax
 * (`mentionSyntax`), which the server turns into a link to the person's posts.
 */
import { html, nothing, type ReactiveController } from 'lit';
import type { PublicAuthor } from '../../moderation/types.js';
import type { MentionCombo, ParleyComposer } from '../components/parley-composer.js';
import type { NotifyTranslate } from './base.js';

export interface Mentionable {
  id: string;
  name: string;
}

/** At most this many suggestions at once. */
const MAX_SHOWN = 8;
/** What may follow `@` while the member is still typing a name (letters, digits, spaces inside a name, . ' -). */
const QUERY = /(?:^|[\s(])@([\p{L}\p{N}][\p{L}\p{N} .'’-]{0,39})?$/u;

/** The server's mention syntax: `@[Display name](person id)` (the id keeps two people of the same name apart). */
export function mentionSyntax(p: Mentionable): string {
  return `@[${p.name.replace(/[[\]]/g, '')}](${p.id}) `;
}

/** People who took part, most recent first: each once, never the writer, never a deleted or imported author. */
export function participantsOf(authors: Iterable<{ author: PublicAuthor; seq: number }>, me: string | null): Mentionable[] {
  const latest = new Map<string, { p: Mentionable; seq: number }>();
  for (const { author, seq } of authors) {
    if (author.id === me || author.kind === 'deleted' || author.imported) continue;
    const held = latest.get(author.id);
    if (!held || held.seq < seq) latest.set(author.id, { p: { id: author.id, name: author.name }, seq });
  }
  return [...latest.values()].sort((a, b) => b.seq - a.seq).map((x) => x.p);
}

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
  readonly #people: () => Mentionable[];
  readonly #t: () => NotifyTranslate;
  readonly #list = `mentions-${++ids}`;
  #options: Mentionable[] = [];
  #active = 0;
  /** Where the `@` of the name being typed is, while the list is open. */
  #at = -1;
  #say = '';

  constructor(host: ParleyComposer, people: () => Mentionable[], t: () => NotifyTranslate) {
    this.#host = host;
    this.#people = people;
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

  /** The text changed: open, narrow or close the list after an `@` before the caret. */
  input(textarea: HTMLTextAreaElement): void {
    const caret = textarea.selectionStart ?? textarea.value.length;
    const m = QUERY.exec(textarea.value.slice(0, caret));
    if (!m) return this.close();
    const query = m[1] ?? '';
    const options = this.#people().filter((p) => matches(p.name, query)).slice(0, MAX_SHOWN);
    const wasOpen = this.open;
    this.#at = caret - query.length - 1;
    if (!wasOpen || options.length !== this.#options.length || options.some((p, i) => p.id !== this.#options[i]?.id)) this.#active = 0;
    this.#options = options;
    const t = this.#t();
    this.#say = options.length === 1 ? t('mentionCountOne') : options.length ? t('mentionCountMany', { count: options.length }) : t('mentionCountNone');
    this.#host.requestUpdate();
  }

  close(): void {
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
    const text = mentionSyntax(p);
    area.setRangeText(text, this.#at, caret, 'end');
    this.close();
    this.#say = this.#t()('mentionInserted', { name: p.name });
    // The composer keeps its own copy of the text: tell it, as typing would.
    area.dispatchEvent(new Event('input', { bubbles: true }));
    area.focus();
  }

  /** The listbox under the textarea and the live region that says how many match. */
  render(): unknown {
    const t = this.#t();
    return html`<style>
        .mention-list { list-style: none; margin: 0.25em 0 0; padding: 0.25em 0; border: 1px solid var(--_border); border-radius: var(--_radius);
          background: var(--_bg); max-width: 24em; box-shadow: 0 2px 6px rgb(0 0 0 / 0.15); }
        .mention-list li { padding: 0.3em 0.75em; cursor: pointer; }
        .mention-list li[aria-selected='true'] { background: var(--_accent); color: var(--_accent-text); }
      </style>
      ${this.open && this.#options.length
        ? html`<ul class="mention-list" id=${this.#list} role="listbox" aria-label=${t('mentionListLabel')} data-mention-list>
            ${this.#options.map((p, i) => html`<li id=${`${this.#list}-${i}`} role="option" aria-selected=${i === this.#active ? 'true' : 'false'}
                data-mention=${p.id} @mousedown=${(e: Event) => e.preventDefault()} @click=${() => this.#pick(p, null)}>${p.name}</li>`)}
          </ul>`
        : nothing}
      <span class="visually-hidden" role="status" data-mention-status>${this.#say}</span>`;
  }
}
