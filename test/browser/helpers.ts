/**
 * Helpers of the widget's browser tests: mounting <parley-discussion> from source against the
 * real server, and finding things in its shadow DOM.
 */
import { fixture, html } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import '../../widget/index.js';
import type { ParleyDiscussion } from '../../widget/parley-discussion.js';
import { env, until } from './server-api.js';

export * from './server-api.js';

export interface MountOptions {
  topic: string;
  token?: string;
  order?: 'newest' | 'oldest';
  pageSize?: number;
  lang?: string;
  topicTitle?: string;
  /** Wait for the socket too (default true). */
  connected?: boolean;
}

/** Renders <parley-discussion> and waits until its first page is shown (and its socket is up). */
export async function mount(opts: MountOptions): Promise<ParleyDiscussion> {
  const el = await fixture<ParleyDiscussion>(html`<parley-discussion
    server=${env.server}
    site=${env.site}
    topic=${opts.topic}
    order=${opts.order ?? 'newest'}
    lang=${opts.lang ?? 'en'}
    .token=${opts.token ?? null}
    .pageSize=${opts.pageSize}
    topic-title=${opts.topicTitle ?? ''}
  ></parley-discussion>`);
  await until(() => el.client?.status === 'ready', 'the first page never loaded').catch((error: Error) => {
    throw new Error(`${error.message} (status ${el.client?.status}, connection ${el.getAttribute('connection')})`);
  });
  if (opts.connected !== false) await until(() => el.getAttribute('connection') === 'connected', 'the socket never connected');
  if (opts.token) await until(() => el.client?.signIn !== 'checking', 'the token was never checked');
  await el.updateComplete;
  return el;
}

/** A JSON request to the test site's API (`path` under /api/sites/{site}); throws on an error answer. */
export async function rest(method: string, path: string, token: string | null, body?: unknown): Promise<any> {
  const res = await fetch(`${env.server}/api/sites/${env.site}${path}`, {
    method,
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const data = await res.json();
  if (!res.ok) throw new Error(`${method} ${path} ${res.status}: ${JSON.stringify(data)}`);
  return data;
}

/** The element inside a shadow root that matches, searching nested shadow roots too. */
export function deep<T extends Element = HTMLElement>(start: ParentNode, selector: string): T | null {
  const found = start.querySelector<T>(selector);
  if (found) return found;
  for (const el of start.querySelectorAll('*')) {
    if (el.shadowRoot) {
      const inner = deep<T>(el.shadowRoot, selector);
      if (inner) return inner;
    }
  }
  return null;
}

export function root(el: ParleyDiscussion): ShadowRoot {
  return el.shadowRoot!;
}

export function articles(el: ParleyDiscussion): HTMLElement[] {
  return [...root(el).querySelectorAll<HTMLElement>('article')];
}

/** The article of post `postId`. */
export function article(el: ParleyDiscussion, postId: string): HTMLElement | null {
  return root(el).querySelector<HTMLElement>(`article[data-post-id="${postId}"]`);
}

/** The element that has focus, looking through open shadow roots. */
export function focused(): Element | null {
  let at: Element | null = document.activeElement;
  while (at?.shadowRoot?.activeElement) at = at.shadowRoot.activeElement;
  return at;
}

/** The article whose body contains `text`. */
export function articleWith(el: ParleyDiscussion, text: string): HTMLElement | undefined {
  return articles(el).find((a) => a.querySelector('.body, .tombstone')?.textContent?.includes(text));
}

export function liveRegion(el: ParleyDiscussion): HTMLElement {
  return root(el).querySelector<HTMLElement>('[aria-live="polite"]')!;
}

/** The composer for `target` ("top" or a post id). */
export function composer(el: ParleyDiscussion, target = 'top') {
  const c = root(el).querySelector(`parley-composer[data-composer="${target}"]`);
  if (!c) return null;
  const shadow = c.shadowRoot!;
  return {
    element: c as HTMLElement,
    textarea: shadow.querySelector('textarea')!,
    submit: shadow.querySelector<HTMLButtonElement>('button[part~="submit"]')!,
    error: () => shadow.querySelector('.error')?.textContent?.trim() ?? '',
  };
}

/** Types into a composer the way a person would, as far as the widget can tell. */
export function typeInto(textarea: HTMLTextAreaElement, text: string): void {
  textarea.value = text;
  textarea.dispatchEvent(new Event('input', { bubbles: true, composed: true }));
}

/** A real Ctrl+Enter through the browser's input pipeline (puppeteer has no chord syntax). */
export async function pressCtrlEnter(): Promise<void> {
  await sendKeys({ down: 'Control' });
  await sendKeys({ press: 'Enter' });
  await sendKeys({ up: 'Control' });
}
