/**
 * REST calls of the notification parts (issue 13), lazily loaded with them: a member's
 * preferences, following a topic, and what happened since their last visit. Like `ParleyApi`,
 * never throws: every call resolves to the value or a `Failure`.
 *
 * The shapes are the server's (moderation/notification-schemas.ts once merged); the widget
 * only shows what the server says (an address pending confirmation, or stopped by a bounce).
 */
import { requestJson } from '../client/request.js';
import type { Outcome } from '../client/outcome.js';

export type Digest = 'off' | 'daily' | 'weekly';

/** What a member chose to be told about; everything is off until they opt in. */
export interface NotificationPreferences {
  replies: boolean;
  mentions: boolean;
  follows: boolean;
  companyAnswers: boolean;
  digest: Digest;
}

/**
 * The state of the member's address for notifications: `none` (no address known), `pending`
 * (a confirmation was sent, nothing is mailed until it is clicked), `confirmed`, or `bounced`
 * (mail to it bounced, so notifications stopped).
 */
export type AddressState = 'none' | 'pending' | 'confirmed' | 'bounced';

export interface NotificationSettings {
  preferences: NotificationPreferences;
  address: AddressState;
}

export interface SinceLastVisit {
  /** When the member last marked this topic seen; null on a first visit. */
  lastVisitAt: string | null;
  /** Replies to the member (and mentions of them) posted since, oldest first. */
  unread: string[];
}

export const NO_PREFERENCES: NotificationPreferences = { replies: false, mentions: false, follows: false, companyAnswers: false, digest: 'off' };

export class NotificationsApi {
  readonly #base: string;

  /** `server` empty: the origin this script was loaded from. */
  constructor(server: string, site: string) {
    this.#base = `${(server || new URL(import.meta.url).origin).replace(/\/+$/, '')}/api/sites/${encodeURIComponent(site)}`;
  }

  settings(token: string): Promise<Outcome<NotificationSettings>> {
    return requestJson('GET', `${this.#base}/me/notifications`, { token });
  }

  /** Saves every choice at once; the answer says the address's state (a first opt-in may make it `pending`). */
  save(token: string, preferences: NotificationPreferences): Promise<Outcome<NotificationSettings>> {
    return requestJson('PUT', `${this.#base}/me/notifications`, { token, body: preferences });
  }

  following(token: string, topic: string): Promise<Outcome<{ following: boolean }>> {
    return requestJson('GET', this.#topic(topic, '/follow'), { token });
  }

  /** Follow with the page's address (the server keeps it only if it is on one of the site's origins), or stop. */
  follow(token: string, topic: string, follow: boolean, pageUrl: string): Promise<Outcome<{ following: boolean }>> {
    return follow
      ? requestJson('PUT', this.#topic(topic, '/follow'), { token, body: { pageUrl } })
      : requestJson('DELETE', this.#topic(topic, '/follow'), { token });
  }

  sinceLastVisit(token: string, topic: string): Promise<Outcome<SinceLastVisit>> {
    return requestJson('GET', this.#topic(topic, '/since-last-visit'), { token });
  }

  /** The member has seen these posts (they were on screen). */
  seen(token: string, topic: string, postIds: string[]): Promise<Outcome<{ unread: string[] }>> {
    return requestJson('POST', this.#topic(topic, '/seen'), { token, body: { postIds } });
  }

  #topic(topic: string, path: string): string {
    return `${this.#base}/topics/${encodeURIComponent(topic)}${path}`;
  }
}
