/**
 * REST calls to a Parley server. Never throws: every call resolves to the value or a
 * `Failure` (`{ error: { code, message } }`), including network errors and timeouts.
 */
import type { CreatePostInput } from '../../moderation/schemas.js';
import type { CompanyRegister, PageOrder, Post, PublicSiteInfo, TopicChanges, TopicPage, Viewer } from '../../moderation/types.js';
import type { Outcome } from './outcome.js';
import { requestJson } from './request.js';

export interface PageQuery {
  order: PageOrder;
  cursor?: string | null;
  limit?: number;
}

export class ParleyApi {
  #base: string;

  readonly #timeoutMs: number;

  constructor(server: string, site: string, timeoutMs = 15_000) {
    this.#timeoutMs = timeoutMs;
    this.#base = `${server.replace(/\/+$/, '')}/api/sites/${encodeURIComponent(site)}`;
  }

  site(): Promise<Outcome<PublicSiteInfo>> {
    return this.#request('');
  }

  me(token: string): Promise<Outcome<{ viewer: Viewer }>> {
    return this.#request('/me', { token });
  }

  /** With the viewer's `token`, the page also carries what is theirs alone: their held posts, their Helpful marks. */
  page(topic: string, query: PageQuery, token?: string | null): Promise<Outcome<TopicPage>> {
    const params = new URLSearchParams({ order: query.order });
    if (query.cursor) params.set('cursor', query.cursor);
    if (query.limit) params.set('limit', String(query.limit));
    return this.#request(`/topics/${encodeURIComponent(topic)}/posts?${params}`, token ? { token } : {});
  }

  changes(topic: string, since: number): Promise<Outcome<TopicChanges>> {
    return this.#request(`/topics/${encodeURIComponent(topic)}/changes?since=${since}`);
  }

  /** The companies taking part (the composer's "Ask a company"). */
  companies(): Promise<Outcome<CompanyRegister>> {
    return this.#request('/companies');
  }

  createPost(token: string, input: CreatePostInput): Promise<Outcome<{ post: Post; created: boolean }>> {
    return this.#request('/posts', { token, body: input });
  }

  #request<T>(path: string, opts: { token?: string; body?: unknown } = {}): Promise<Outcome<T>> {
    return requestJson(opts.body === undefined ? 'GET' : 'POST', this.#base + path, { ...opts, timeoutMs: this.#timeoutMs });
  }
}
