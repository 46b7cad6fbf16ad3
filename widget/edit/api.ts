/**
 * REST calls of the edit parts (lazily loaded): save an edit, read a post's versions. Like
 * `ParleyApi`, never throws: every call resolves to the value or a `Failure`.
 */
import type { EditPostInput } from '../../moderation/schemas.js';
import type { Post, PostHistory } from '../../moderation/types.js';
import type { Outcome } from '../client/outcome.js';
import { requestJson } from '../client/request.js';

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

  #request<T>(method: string, path: string, token?: string, body?: unknown): Promise<Outcome<T>> {
    return requestJson(method, this.#base + path, { token, body });
  }
}
