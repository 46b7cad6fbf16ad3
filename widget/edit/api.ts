/**
 * REST calls of the edit parts (lazily loaded): save an edit, read a post's versions. Like
 * `ParleyApi`, never throws: every call resolves to the value or a `Failure`.
 */
import type { EditPostInput } from '../../moderation/schemas.js';
import type { Post, PostHistory } from '../../moderation/types.js';
import { failure, isFailure, type Outcome } from '../client/outcome.js';

export class EditApi {
  readonly #base: string;

  constructor(server: string, site: string) {
    // Without a `server`, talk to the Parley that served this script (as TopicSession does).
    const origin = server || new URL(import.meta.url).origin;
    this.#base = `${origin.replace(/\/+$/, '')}/api/sites/${encodeURIComponent(site)}/posts/`;
  }

  edit(postId: string, token: string, input: EditPostInput): Promise<Outcome<{ post: Post; edited: boolean }>> {
    return this.#request('PATCH', encodeURIComponent(postId), token, input);
  }

  post(postId: string): Promise<Outcome<{ post: Post }>> {
    return this.#request('GET', encodeURIComponent(postId));
  }

  history(postId: string): Promise<Outcome<{ history: PostHistory }>> {
    return this.#request('GET', `${encodeURIComponent(postId)}/history`);
  }

  async #request<T>(method: string, path: string, token?: string, body?: unknown): Promise<Outcome<T>> {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (token) headers.authorization = `Bearer ${token}`;
    if (body !== undefined) headers['content-type'] = 'application/json';
    let res: Response;
    try {
      res = await fetch(this.#base + path, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(15_000),
      });
    } catch (err) {
      return failure((err as Error)?.name === 'TimeoutError' ? 'timeout' : 'network', String(err));
    }
    const data: unknown = await res.json().catch(() => null);
    if (res.ok && data !== null) return data as T;
    if (isFailure(data)) return data;
    return failure(res.status >= 502 && res.status <= 504 ? 'network' : 'internal', `HTTP ${res.status}`);
  }
}
