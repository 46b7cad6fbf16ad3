/**
 * `<parley-count>`: how many messages a discussion has, for listing pages ("12 messages"
 * beside each article). A separate, dependency-free entry (`/parley-count.js`, about 1 kB
 * gzip): it never loads the discussion's code. Every `<parley-count>` on a page that appears
 * in the same moment is answered by one request per server and site
 * (`GET /api/sites/{site}/topics?ids=…`, at most 50 topics a request). It renders plain text in
 * the light DOM, styled by the host page; on an error it shows nothing.
 *
 *   <script type="module" src="https://your-parley/parley-count.js"></script>
 *   <a href="/articles/respite-care">Respite care <parley-count site="demo" topic="respite-care"></parley-count></a>
 *
 * Attributes / properties:
 * - `site` (string, required): the site id, as on `<parley-discussion>`.
 * - `topic` (string, required): the topic id, as on `<parley-discussion>`.
 * - `server` (string): Parley's URL; defaults to the origin this script was loaded from.
 * - `lang` (string): `en`, `nl`, `de`, `fr` or `ar`; defaults to the nearest `lang`, then English.
 * - `zero` (string): your wording for no messages (default "No messages yet").
 * - `one` (string): your wording for one message, `{count}` for the number (default "1 message").
 * - `other` (string): your wording for more, `{count}` for the number (default "{count} messages").
 * - `two`, `few`, `many` (string): wordings for the other plural categories of the language
 *   (`Intl.PluralRules`; Arabic has all three), falling back to `other`.
 *   This tiny entry does not load the ICU formatter; its five wordings per language are the
 *   plural categories themselves.
 * - `count` (read-only, reflected): the number, once known.
 * - `state` (read-only, reflected): `loading` | `ready` | `error`.
 * Events: none. Slots: none. CSS parts: none.
 */

type Forms = { zero: string; one: string; other: string } & Partial<Record<'two' | 'few' | 'many', string>>;
const WORDS: Record<string, Forms> = {
  en: { zero: 'No messages yet', one: '1 message', other: '{count} messages' },
  nl: { zero: 'Nog geen berichten', one: '1 bericht', other: '{count} berichten' },
  de: { zero: 'Noch keine Beiträge', one: '1 Beitrag', other: '{count} Beiträge' },
  fr: { zero: 'Aucun message pour l’instant', one: '{count} message', many: '{count} de messages', other: '{count} messages' },
  ar: { zero: 'لا توجد رسائل بعد', one: 'رسالة واحدة', two: 'رسالتان', few: '{count} رسائل', many: '{count} رسالة', other: '{count} رسالة' },
};
/** LIMITS.topicIdsMax (moderation/limits.ts), repeated so this entry imports nothing. */
const IDS_PER_REQUEST = 50;
const SCRIPT_ORIGIN = (() => {
  try {
    return new URL(import.meta.url).origin;
  } catch {
    return '';
  }
})();

let pending: ParleyCount[] = [];
let scheduled = false;

/** Sends one request per server, site and 50 topics for every element waiting, then fills them in. */
function flush(): void {
  scheduled = false;
  const groups = new Map<string, ParleyCount[]>();
  for (const el of pending) {
    const groupKey = `${el.server}\n${el.site}`;
    groups.set(groupKey, [...(groups.get(groupKey) ?? []), el]);
  }
  pending = [];
  for (const [groupKey, elements] of groups) {
    const [server, site] = groupKey.split('\n') as [string, string];
    const topics = [...new Set(elements.map((el) => el.topic))];
    for (let i = 0; i < topics.length; i += IDS_PER_REQUEST) {
      const ids = topics.slice(i, i + IDS_PER_REQUEST);
      const waiting = elements.filter((el) => ids.includes(el.topic));
      const url = `${server.replace(/\/+$/, '')}/api/sites/${encodeURIComponent(site)}/topics?ids=${ids.map(encodeURIComponent).join(',')}`;
      fetch(url, { headers: { accept: 'application/json' } })
        .then((res) => (res.ok ? res.json() : Promise.reject(new Error(`HTTP ${res.status}`))))
        .then((list: { topics: Array<{ id: string; postCount: number }> }) => {
          const counts = new Map(list.topics.map((t) => [t.id, t.postCount]));
          // A topic nobody has posted in yet does not exist on the server: zero messages.
          for (const el of waiting) el.show(counts.get(el.topic) ?? 0);
        })
        .catch(() => {
          for (const el of waiting) el.fail();
        });
    }
  }
}

export class ParleyCount extends HTMLElement {
  static observedAttributes = ['site', 'topic', 'server', 'lang', 'zero', 'one', 'other'];

  #count: number | null = null;

  get site(): string {
    return this.getAttribute('site') ?? '';
  }
  get topic(): string {
    return this.getAttribute('topic') ?? '';
  }
  get server(): string {
    return this.getAttribute('server') || SCRIPT_ORIGIN;
  }

  connectedCallback(): void {
    this.#request();
  }

  attributeChangedCallback(name: string, old: string | null, value: string | null): void {
    if (old === value || !this.isConnected) return;
    // Another topic asks the server again; other wording only re-renders the number it has.
    if (name === 'site' || name === 'topic' || name === 'server') this.#request();
    else if (this.#count !== null) this.show(this.#count);
  }

  #request(): void {
    if (!this.site || !this.topic || !this.server) return;
    this.setAttribute('state', 'loading');
    if (!pending.includes(this)) pending.push(this);
    if (!scheduled) {
      scheduled = true;
      // Elements parsed or added in the same moment share one request.
      setTimeout(flush, 0);
    }
  }

  /** @internal Called with the answer of the batched request. */
  show(count: number): void {
    this.#count = count;
    const lang = (this.closest('[lang]')?.getAttribute('lang') ?? 'en').toLowerCase().split(/[-_]/)[0]!;
    const words = WORDS[lang] ?? WORDS.en!;
    // No messages has its own wording in every language; otherwise the language's plural category.
    const form = count === 0 ? 'zero' : (new Intl.PluralRules(lang).select(count) as keyof Forms);
    const template = this.getAttribute(form) ?? words[form] ?? this.getAttribute('other') ?? words.other;
    this.textContent = template.replace('{count}', count.toLocaleString(lang));
    this.setAttribute('count', String(count));
    this.setAttribute('state', 'ready');
  }

  /** @internal The request failed: show nothing rather than a wrong number. */
  fail(): void {
    this.textContent = '';
    this.setAttribute('state', 'error');
  }

  /** The number of messages, once known. */
  get count(): number | null {
    return this.#count;
  }
}

if (typeof customElements !== 'undefined' && !customElements.get('parley-count')) customElements.define('parley-count', ParleyCount);
