/**
 * REST calls to a Parley server. Never throws: every call resolves to the value or a
 * `Failure` (`{ error: { code, message } }`), including network errors and timeouts.
 */
import type { CreatePostInput } from '../../moderation/schemas.js';
import type { PageOrder, Post, PublicSiteInfo, TopicChanges, TopicPage, Viewer } from '../../moderation/types.js';
import { failure, isFailure, type Outcome } from './outcome.js';

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

  page(topic: string, query: PageQuery): Promise<Outcome<TopicPage>> {
    const params = new URLSearchParams({ order: query.order });
    if (query.cursor) params.set('cursor', query.cursor);
    if (query.limit) params.set('limit', String(query.limit));
    return this.#request(`/topics/${encodeURIComponent(topic)}/posts?${params}`);
  }

  changes(topic: string, since: number): Promise<Outcome<TopicChanges>> {
    return this.#request(`/topics/${encodeURIComponent(topic)}/changes?since=${since}`);
  }

  createPost(token: string, input: CreatePostInput): Promise<Outcome<{ post: Post; created: boolean }>> {
    return this.#request('/posts', { token, body: input });
  }

  async #request<T>(path: string, opts: { token?: string; body?: unknown } = {}): Promise<Outcome<T>> {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (opts.token) headers.authorization = `Bearer ${opts.token}`;
    if (opts.body !== undefined) headers['content-type'] = 'application/json';
    let res: Response;
    try {
      res = await fetch(this.#base + path, {
        method: opts.body === undefined ? 'GET' : 'POST',
        headers,
        body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
        signal: AbortSignal.timeout(this.#timeoutMs),
      });
    } catch (err) {
      // Not shown to people: the widget words failures from their codes.
      return failure((err as Error)?.name === 'TimeoutError' ? 'timeout' : 'network', String(err));
    }
    const data: unknown = await res.json().catch(() => null);
    if (res.ok && data !== null) return data as T;
    if (isFailure(data)) return data;
    // A gateway without a Parley behind it: the request did not reach the server.
    const unreachable = res.status === 502 || res.status === 503 || res.status === 504;
    return failure(unreachable ? 'network' : 'internal', `HTTP ${res.status}`);
  }
}
