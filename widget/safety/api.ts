/**
 * REST calls of the safety-routing parts (lazily loaded; docs/api.md, "Possible adverse
 * events"). Like `ParleyApi`, never throws: every call resolves to the value or a `Failure`.
 */
import type { MySafetyFlagView, SafetyDeliveryView, SafetyFlagView, SafetyForwardView } from '../../moderation/safety.js';
import type { Outcome } from '../client/outcome.js';
import { requestJson } from '../client/request.js';

export type ListedDelivery = SafetyDeliveryView & { flagId: string; company: string };

export class SafetyApi {
  readonly #base: string;

  constructor(server: string, site: string) {
    // Without a `server`, talk to the Parley that served this script (as TopicSession does).
    const origin = server || new URL(import.meta.url).origin;
    this.#base = `${origin.replace(/\/+$/, '')}/api/sites/${encodeURIComponent(site)}/safety`;
  }

  /**
   * Flags, newest first. For company staff this counts as having the listed posts on screen
   * (the company's clock starts), so the discussion only asks about posts that are on screen.
   */
  flags(token: string, query: { post?: string; posts?: string; forwarded?: boolean; cursor?: string; limit?: number } = {}) {
    const q = new URLSearchParams();
    for (const [key, value] of Object.entries(query)) if (value !== undefined) q.set(key, String(value));
    return this.#request<{ flags: SafetyFlagView[]; nextCursor: string | null }>('GET', `/flags?${q}`, token);
  }

  flag(id: string, token: string) {
    return this.#request<{ flag: SafetyFlagView }>('GET', `/flags/${encodeURIComponent(id)}`, token);
  }

  /** One step, no options: at most one forward per flag (again answers the first one). */
  forward(id: string, token: string) {
    return this.#request<{ forward: SafetyForwardView; created: boolean }>('POST', `/flags/${encodeURIComponent(id)}/forward`, token, {});
  }

  /** Company staff had these posts on screen (1..100 ids). */
  seen(postIds: string[], token: string) {
    return this.#request<{ recorded: number }>('POST', '/seen', token, { postIds });
  }

  deliveries(token: string, limit = 100) {
    return this.#request<{ deliveries: ListedDelivery[] }>('GET', `/deliveries?limit=${limit}`, token);
  }

  retry(deliveryId: string, token: string) {
    return this.#request<{ delivery: SafetyDeliveryView }>('POST', `/deliveries/${encodeURIComponent(deliveryId)}/retry`, token, {});
  }

  /** The signed-in member's own flagged posts, with the signpost for `country` (ISO 3166 alpha-2). */
  myFlags(token: string, query: { post?: string; country?: string }) {
    const q = new URLSearchParams();
    if (query.post) q.set('post', query.post);
    if (query.country) q.set('country', query.country);
    return this.#request<{ flags: MySafetyFlagView[] }>('GET', `/my-flags?${q}`, token);
  }

  consent(id: string, contact: boolean, token: string) {
    return this.#request<{ flag: MySafetyFlagView }>('POST', `/flags/${encodeURIComponent(id)}/consent`, token, { contact });
  }

  #request<T>(method: string, path: string, token: string, body?: unknown): Promise<Outcome<T>> {
    return requestJson(method, this.#base + path, { token, body });
  }
}
