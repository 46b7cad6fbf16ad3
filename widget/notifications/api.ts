/**
 * REST calls of the notification parts (issue 13), lazily loaded with them: a member's
 * preferences, following a topic, `@` suggestions and what happened since their last visit.
 * The shapes are the server's (moderation/notification-schemas.ts, response-schemas.ts). Like
 * `ParleyApi`, never throws: every call resolves to the value or a `Failure`.
 */
import type { FollowState, MentionSuggestions, NotificationSettings, SinceLastVisit } from '../../moderation/response-schemas.js';
import type { NotificationPreferencesUpdate } from '../../moderation/notification-schemas.js';
import { requestJson } from '../client/request.js';
import type { Outcome } from '../client/outcome.js';

export type { FollowState, MentionSuggestions, NotificationSettings, SinceLastVisit };

export class NotificationsApi {
  readonly #base: string;

  /** `server` empty: the origin this script was loaded from. */
  constructor(server: string, site: string) {
    this.#base = `${(server || new URL(import.meta.url).origin).replace(/\/+$/, '')}/api/sites/${encodeURIComponent(site)}`;
  }

  settings(token: string): Promise<Outcome<NotificationSettings>> {
    return requestJson('GET', `${this.#base}/me/notifications`, { token });
  }

  /** Saves the changed choices; the answer says the address's state (a first opt-in of an unproven one sends a confirmation). */
  save(token: string, update: NotificationPreferencesUpdate): Promise<Outcome<NotificationSettings>> {
    return requestJson('PUT', `${this.#base}/me/notifications`, { token, body: update });
  }

  following(token: string, topic: string): Promise<Outcome<FollowState>> {
    return requestJson('GET', this.#topic(topic, '/follow'), { token });
  }

  /** Follow, with the page's address (links in mail point there), or stop following. */
  follow(token: string, topic: string, following: boolean, pageUrl: string | null): Promise<Outcome<FollowState>> {
    return requestJson('PUT', this.#topic(topic, '/follow'), { token, body: following && pageUrl ? { following, pageUrl } : { following } });
  }

  mentionSuggestions(token: string, topic: string, q: string): Promise<Outcome<MentionSuggestions>> {
    return requestJson('GET', this.#topic(topic, `/mention-suggestions?q=${encodeURIComponent(q)}`), { token });
  }

  sinceLastVisit(token: string, topic: string): Promise<Outcome<SinceLastVisit>> {
    return requestJson('GET', this.#topic(topic, '/since-last-visit'), { token });
  }

  /** Moves the member's seen marker to `lastPostId` (the newest post they have seen); answers what is still new. */
  seen(token: string, topic: string, lastPostId: string): Promise<Outcome<SinceLastVisit>> {
    return requestJson('PUT', this.#topic(topic, '/seen'), { token, body: { lastPostId } });
  }

  #topic(topic: string, path: string): string {
    return `${this.#base}/topics/${encodeURIComponent(topic)}${path}`;
  }
}
