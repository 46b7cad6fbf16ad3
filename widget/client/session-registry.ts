/**
 * Connects `<parley-discussion>` elements to Parley sessions: one `ParleySessionController`
 * per server and site, shared by every widget of the page. Lazily loaded with the identity chunk.
 */
import { identityTranslator, languageOf, type DiscussionContext } from '../components/identity-base.js';
import { IdentityApi, type SignInLink } from './identity-api.js';
import type { SessionTokens } from '../../moderation/types.js';
import { ParleySessionController, type SessionListener } from './parley-session.js';
import { sessionKey } from './session-key.js';

/** The discussion's sign-in callback: an access token (or `null`), and a sentence saying why. */
export type UseToken = (token: string | null, note?: string) => void;

const controllers = new Map<string, ParleySessionController>();
const joined = new WeakMap<DiscussionContext, { controller: ParleySessionController; listener: SessionListener }>();

/**
 * Removes Parley's sign-in fragments (`parley-verify=`, `parley-sign-in=`, `parley-oidc=`,
 * `parley-oidc-error=`) from the address bar: they are single use and must not linger in
 * history or bookmarks. The host's own fragment parts stay.
 */
export function dropLinkFromUrl(): void {
  const rest = location.hash.replace(/^#/, '').split('&').filter((p) => !/^parley-(verify|sign-in|oidc|oidc-error)=/.test(p)).join('&');
  history.replaceState(history.state, '', location.href.split('#')[0] + (rest ? `#${rest}` : ''));
}

/**
 * Start (or join) the Parley session of `el`'s server and site: verify the email link's
 * `linkToken` if there is one, otherwise resume the stored session. `use` gets every token.
 */
export function joinSession(el: DiscussionContext, link: SignInLink | undefined, use: UseToken): void {
  if (link) dropLinkFromUrl();
  const controller = controllerOf(el);
  const previous = joined.get(el);
  if (previous?.controller === controller) return;
  previous?.controller.listeners.delete(previous.listener);
  const listener: SessionListener = (event) => {
    const t = identityTranslator(languageOf(el));
    if (event.type === 'signed-in') use(event.token, event.fresh ? (event.viewer.needsWelcome ? t('signedInWelcome') : t('signedInAs', { name: event.viewer.name })) : '');
    else if (event.type === 'renewed') use(event.token);
    else if (event.reason === 'link-refused') use(controller.accessToken, t('linkFailed', { message: event.failure?.error.message ?? '' }));
    else {
      use(null, event.reason === 'refresh-refused' ? t('sessionEnded') : '');
      if (event.reason === 'refresh-refused') {
        el.dispatchEvent(new CustomEvent('parley-signed-out', { detail: { reason: 'session-ended' }, bubbles: true, composed: true }));
      }
    }
  };
  controller.listeners.add(listener);
  joined.set(el, { controller, listener });
  if (controller.accessToken) use(controller.accessToken);
  void controller.start(link);
}

function controllerOf(el: DiscussionContext): ParleySessionController {
  const key = sessionKey(el.server, el.site);
  let controller = controllers.get(key);
  if (!controller) {
    controller = new ParleySessionController(new IdentityApi(el.server, el.site), key);
    controllers.set(key, controller);
  }
  return controller;
}

/** Tokens from the sign-in dialog (a one-time code) start the session of `el`'s server and site. */
export function adoptSession(el: DiscussionContext, tokens: SessionTokens, use: UseToken): void {
  joinSession(el, undefined, use);
  controllerOf(el).adopt(tokens);
}

/** Forget the Parley session of `el`'s server and site on this device (every widget signs out). */
export function endSession(el: DiscussionContext): void {
  controllers.get(sessionKey(el.server, el.site))?.end('signed-out');
}
