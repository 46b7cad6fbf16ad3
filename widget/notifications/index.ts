/**
 * The notification chunk of `<parley-discussion>` (issue 13), loaded once a member is signed in:
 * defines `<parley-follow>` (the bell) and attaches what the discussion's templates ask for —
 * the "since your last visit" line and unread markers, and `@` suggestions for its composers.
 * The preferences live in the account panel (widget/notifications/preferences.ts, identity chunk).
 */
import { failure } from '../client/outcome.js';
import type { MentionCombo, ParleyComposer } from '../components/parley-composer.js';
import { loadFormatter } from '../i18n/index.js';
import { apiFor, languageOf, notifyTranslator, type DiscussionLike } from './base.js';
import { ParleyFollow } from './follow-bell.js';
import { MentionController } from './mentions.js';
import { SinceLastVisit } from './since-last-visit.js';

if (!customElements.get('parley-follow')) customElements.define('parley-follow', ParleyFollow);

export interface Notifications {
  /** Unread replies to the member (the post template marks them). */
  readonly unread: ReadonlyMap<string, 'reply' | 'mention'>;
  /** "Since your last visit: N replies to you", or nothing. */
  banner(): unknown;
  /** Gives a composer its `@` suggestions. */
  mentions(composer: ParleyComposer): MentionCombo;
}

export function attachNotifications(host: DiscussionLike, token: () => string | null): Notifications {
  const since = new SinceLastVisit(host, token);
  // The counts are ICU plurals: fetch the formatter now, not at the first `@`.
  void loadFormatter();
  const t = () => notifyTranslator(languageOf(host));
  const suggest = async (q: string) => {
    const t = token();
    return t ? apiFor(host.server, host.site).mentionSuggestions(t, host.topic, q) : failure('unauthenticated', 'Sign in first.');
  };
  host.requestUpdate();
  return {
    unread: since.unread,
    banner: () => since.banner(),
    mentions: (composer) => new MentionController(composer, suggest, t),
  };
}
