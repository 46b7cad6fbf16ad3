/**
 * REST calls of the company desk (issue 14; docs/api.md, "Questions to a company"). Like
 * `ParleyApi`, never throws: every call resolves to the value or a `Failure`.
 */
import type { DeskQuery } from '../../moderation/schemas.js';
import type { CompanyDesk, DeskClaim, Pledge, Post } from '../../moderation/types.js';
import type { Outcome } from '../client/outcome.js';
import { requestJson } from '../client/request.js';

export class DeskApi {
  readonly base: string;
  readonly #company: string;

  /** `server` empty: the origin this script was loaded from. */
  constructor(server: string, site: string, company: string) {
    this.base = `${(server || new URL(import.meta.url).origin).replace(/\/+$/, '')}/api/sites/${encodeURIComponent(site)}`;
    this.#company = `/companies/${encodeURIComponent(company)}`;
  }

  desk(token: string, query: DeskQuery = {}) {
    const q = new URLSearchParams();
    if (query.product) q.set('product', query.product);
    if (query.topic) q.set('topic', query.topic);
    return this.#json<CompanyDesk>('GET', `/desk${q.size ? `?${q}` : ''}`, token);
  }

  claim(token: string, postId: string) {
    return this.#json<{ claim: DeskClaim }>('POST', `/questions/${encodeURIComponent(postId)}/claim`, token, {});
  }

  release(token: string, postId: string) {
    return this.#json<unknown>('DELETE', `/questions/${encodeURIComponent(postId)}/claim`, token);
  }

  /** Mark a question answered by one of the viewer's own posts made after it. */
  answer(token: string, postId: string, answerPostId: string) {
    return this.#json<{ post: Post }>('POST', `/questions/${encodeURIComponent(postId)}/answer`, token, { answerPostId });
  }

  /** Propose the company's public pledge; it stays pending until the host's admin approves it. */
  pledge(token: string, body: { text: string; answerWithinDays: number }) {
    return this.#json<{ pledge: Pledge }>('PUT', '/pledge', token, body);
  }

  #json<T>(method: string, path: string, token: string, body?: unknown): Promise<Outcome<T>> {
    return requestJson(method, this.base + this.#company + path, { token, body });
  }
}
