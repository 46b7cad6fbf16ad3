// A browser that still holds the refresh token of a Parley session that was since signed out
// everywhere (revoked) starts resuming it, and while that resume is in flight the same person
// signs in with a fresh staff email link. The link's session must win: the stale resume's
// refusal may neither sign the new session out nor replace or clear its stored refresh token,
// and the first post after the link goes through.
//
// Everything runs against the real server. To make the interleaving deterministic, the page's
// fetch is wrapped so that the server's answers to `/session/refresh` and `/staff/verify`
// (already given: the server is not replaced or slowed) reach the widget only when the test
// releases them, in the order under test.
import { expect, fixture, html } from '@open-wc/testing';
import { executeServerCommand } from '@web/test-runner-commands';
import type { SessionTokens } from '../../moderation/types.js';
import { IdentityApi } from '../../widget/client/identity-api.js';
import { isFailure } from '../../widget/client/outcome.js';
import { ParleySessionController } from '../../widget/client/parley-session.js';
import { sessionKey } from '../../widget/client/session-key.js';
import { endSession } from '../../widget/client/session-registry.js';
import type { DiscussionContext } from '../../widget/components/identity-base.js';
import type { ParleyDiscussion } from '../../widget/parley-discussion.js';
import { articleWith, composer, env, mount, root, sign, typeInto, unique, until } from './helpers.js';

interface Mail {
  recipient: string;
  body: string;
}

const api = new IdentityApi(env.server, env.site);
const key = () => sessionKey(env.server, env.site);

/** Asks the real server for a sign-in link for `email` and reads its token from the outbox. */
async function linkToken(email: string): Promise<string> {
  const sent = await api.requestEmailLink({ email, name: 'Erin Employee', jobTitle: 'Medical Advisor', returnUrl: location.href.split('#')[0]! });
  if (isFailure(sent)) throw new Error(`link request refused: ${sent.error.message}`);
  const mail = (await executeServerCommand<Mail[], undefined>('parley-outbox')).find((m) => m.recipient === email);
  const token = /#parley-verify=([A-Za-z0-9_-]+)/.exec(mail?.body ?? '')?.[1];
  if (!token) throw new Error(`no sign-in link in the outbox for ${email}`);
  return token;
}

/** The refresh token of a session of `email` that was then signed out everywhere. */
async function revokedRefreshToken(email: string): Promise<string> {
  const tokens = await api.verifyEmailLink(await linkToken(email));
  if (isFailure(tokens)) throw new Error(`link refused: ${tokens.error.message}`);
  const out = await api.signOutEverywhere(tokens.accessToken);
  if (isFailure(out)) throw new Error(`sign-out everywhere refused: ${out.error.message}`);
  return tokens.refreshToken;
}

/** One intercepted request: the server has answered it; the widget sees the answer once released. */
interface Call {
  readonly path: string;
  readonly body: Record<string, unknown>;
  /** The server's answer, read from a copy as soon as it came. */
  answer?: unknown;
  released: boolean;
  /** The widget has read the answer. */
  read: boolean;
  release(): void;
}

/**
 * Holds back the answers to requests whose URL ends with one of `paths` until the test
 * releases them, one by one or a whole path at once (later requests of that path then pass).
 */
function intercept(paths: string[]) {
  const realFetch = window.fetch;
  const calls: Call[] = [];
  const passing = new Set<string>();
  window.fetch = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const url = input instanceof Request ? input.url : String(input);
    const path = paths.find((p) => url.endsWith(p));
    if (!path) return realFetch(input, init);
    let open!: () => void;
    const opened = new Promise<void>((resolve) => (open = resolve));
    const call: Call = {
      path, body: JSON.parse(String(init?.body)), released: false, read: false,
      release: () => {
        call.released = true;
        open();
      },
    };
    calls.push(call);
    if (passing.has(path)) call.release();
    try {
      const res = await realFetch(input, init);
      call.answer = await res.clone().json().catch(() => null);
      await opened;
      const json = res.json.bind(res);
      res.json = () => json().finally(() => (call.read = true));
      return res;
    } catch (error) {
      call.read = true;
      throw error;
    }
  };
  return {
    calls: (path: string): Call[] => calls.filter((c) => c.path === path),
    release(path: string): void {
      passing.add(path);
      for (const c of calls) if (c.path === path) c.release();
    },
    /** Every released answer has been read, and what the widget does with it has run. */
    async settled(): Promise<void> {
      // A macrotask after the last read, the promise chains that follow it have run.
      do await new Promise((resolve) => setTimeout(resolve));
      while (calls.some((c) => c.released && !c.read));
    },
    restore(): void {
      window.fetch = realFetch;
    },
  };
}

const REFRESH = '/session/refresh';
const VERIFY = '/staff/verify';

describe('session race: a stale resume against a fresh staff link', () => {
  let net: ReturnType<typeof intercept> | undefined;
  /** Controllers standing in for other tabs of the same site (they share localStorage). */
  const tabs: ParleySessionController[] = [];
  const signedOut: string[] = [];
  const onSignedOut = (e: Event) => signedOut.push((e as CustomEvent<{ reason: string }>).detail.reason);

  beforeEach(() => {
    signedOut.length = 0;
    document.addEventListener('parley-signed-out', onSignedOut);
  });

  afterEach(() => {
    net?.restore();
    net = undefined;
    for (const tab of tabs.splice(0)) tab.end();
    document.removeEventListener('parley-signed-out', onSignedOut);
    endSession({ server: env.server, site: env.site } as DiscussionContext);
    localStorage.removeItem(key());
    history.replaceState(null, '', location.pathname + location.search);
  });

  /** Stores a revoked session of `email`; returns a fresh link for the same person. */
  async function staleSessionAndLink(email: string): Promise<string> {
    localStorage.setItem(key(), await revokedRefreshToken(email));
    const link = await linkToken(email);
    net = intercept([REFRESH, VERIFY]);
    return link;
  }

  /** Mounts a widget on the page as opened from the link (`#parley-verify=`); its verify is held. Resolves with the mounted element once the verify was asked for. */
  async function openLink(link: string, topic: string): Promise<ParleyDiscussion> {
    history.replaceState(null, '', `#parley-verify=${link}`);
    const linked = mount({ topic });
    await until(() => net!.calls(VERIFY).length === 1, 'the link was never verified');
    return linked;
  }

  /** The first post of the linked session goes through, and nothing signed out. */
  async function firstPostGoesThrough(el: ParleyDiscussion): Promise<void> {
    await until(() => el.client?.viewer?.affiliation?.companyId === 'acme', 'the link never signed the employee in');
    await until(() => composer(el), 'no composer for the signed-in employee');
    // Short (under ten words): the scripted-reply check never looks at it.
    const text = `First post after the link ${unique('p')}`;
    typeInto(composer(el)!.textarea, text);
    composer(el)!.submit.click();
    // Sent means acknowledged: the composer is emptied (the post may show first, from the room).
    await until(() => composer(el)?.error() || (articleWith(el, text) && composer(el)?.textarea.value === ''), 'the first post was neither sent nor refused');
    expect(composer(el)!.error(), 'the composer error').to.equal('');
    expect(articleWith(el, text), 'the first post').to.exist;
    await net!.settled();
    expect(signedOut, 'parley-signed-out events').to.deep.equal([]);
    expect(root(el).textContent).to.not.contain('could not be renewed');
  }

  it('a refusal that comes while the link is verified neither signs out nor outlives the link', async () => {
    const link = await staleSessionAndLink(`race-a-${unique('e').slice(-10)}@acme.example`);
    const topic = unique('race');
    // A widget resumes the revoked session; the server's refusal is on its way.
    const stale = await mount({ topic });
    await until(() => net!.calls(REFRESH).length === 1, 'the stored session was never resumed');
    const linked = await openLink(link, topic);
    net!.release(REFRESH);
    await net!.settled();
    net!.release(VERIFY);
    const el = linked;
    await net!.settled();
    expect(signedOut, 'parley-signed-out events').to.deep.equal([]);
    expect(localStorage.getItem(key()), 'the stored refresh token').to.equal((net!.calls(VERIFY)[0]!.answer as SessionTokens).refreshToken);
    await firstPostGoesThrough(el);
    await until(() => stale.client?.viewer?.name === 'Erin Employee', 'the other widget of the page did not share the new session');
    expect(root(stale).textContent).to.not.contain('could not be renewed');
  });

  it('a refusal that comes after the link signed in neither ends nor replaces the new session', async () => {
    const link = await staleSessionAndLink(`race-b-${unique('e').slice(-10)}@acme.example`);
    const topic = unique('race');
    const stale = await mount({ topic });
    await until(() => net!.calls(REFRESH).length === 1, 'the stored session was never resumed');
    const linked = await openLink(link, topic);
    net!.release(VERIFY);
    const el = linked;
    await until(() => el.client?.viewer?.affiliation?.companyId === 'acme', 'the link never signed the employee in');
    net!.release(REFRESH);
    await net!.settled();
    expect(signedOut, 'parley-signed-out events').to.deep.equal([]);
    expect(localStorage.getItem(key()), 'the stored refresh token').to.equal((net!.calls(VERIFY)[0]!.answer as SessionTokens).refreshToken);
    await firstPostGoesThrough(el);
    await until(() => stale.client?.viewer?.name === 'Erin Employee', 'the other widget of the page did not share the new session');
  });

  it('two other tabs resuming the revoked session do not clear the new one from storage', async () => {
    const link = await staleSessionAndLink(`race-c-${unique('e').slice(-10)}@acme.example`);
    // Two more tabs of the site (a controller each, as after a page load) resume the stored session.
    for (let i = 0; i < 2; i++) {
      const tab = new ParleySessionController(new IdentityApi(env.server, env.site), key());
      tabs.push(tab);
      void tab.start();
    }
    await until(() => net!.calls(REFRESH).length === 2, 'the other tabs never resumed');
    const linked = await openLink(link, unique('race'));
    net!.release(VERIFY);
    const el = linked;
    await until(() => el.client?.viewer?.affiliation?.companyId === 'acme', 'the link never signed the employee in');
    // Both tabs are refused, find the link's session in storage and try it: one rotates it,
    // the other is refused in turn. The winner's answer is let through first.
    for (const call of net!.calls(REFRESH)) call.release();
    await net!.settled();
    await until(() => net!.calls(REFRESH).length === 4 && net!.calls(REFRESH).every((c) => c.answer !== undefined), 'the tabs did not try the new session');
    const retries = net!.calls(REFRESH).slice(2);
    expect(retries.map((c) => c.body.refreshToken)).to.deep.equal(Array(2).fill((net!.calls(VERIFY)[0]!.answer as SessionTokens).refreshToken));
    const winner = retries.find((c) => !isFailure(c.answer))!;
    const loser = retries.find((c) => isFailure(c.answer))!;
    expect(winner && loser, 'one retry won, the other lost').to.be.ok;
    winner.release();
    await net!.settled();
    loser.release();
    await net!.settled();
    expect(localStorage.getItem(key()), 'the stored refresh token').to.equal((winner.answer as SessionTokens).refreshToken);
    await firstPostGoesThrough(el);
  });
});

// The other half of the staff sign-in flake: a sign-in that arrives while the widget's socket
// is between sending its handshake (which carries the token of that moment) and being
// connected. The socket cannot be told then (a request fails at once while it is down), so
// unless the widget tells it on `connect`, the socket stays anonymous while the widget shows
// a composer, and the first post over it is refused ("Your sign-in is no longer valid"). A
// fast link sign-in (the identity chunk already loaded, as after a stale session's resume)
// lands in that window.
describe('session race: a sign-in during the socket handshake', () => {
  it('the socket learns a token set after its handshake was sent, before it connected', async () => {
    const topic = unique('handshake');
    const token = await sign('Hana Handshake');
    const el = await fixture<ParleyDiscussion>(html`<parley-discussion server=${env.server} site=${env.site} topic=${topic} lang="en"></parley-discussion>`);
    // The socket is made once the first page is in (TopicSession#connect); `live` resolves in the
    // same task, so only microtasks run between making the socket and watching it: no answer
    // from the server (a macrotask) can have arrived, and its handshake has not been sent yet.
    await el.client!.live;
    const socket = el.client!.realtime!.socket;
    expect(socket.connected, 'connected before the test could watch the handshake').to.equal(false);
    let connectSent = false;
    // socket.io-client's own 'open' listener (registered when the socket was made) has just
    // sent the CONNECT packet with the auth of this moment; this one runs right after it.
    socket.io.once('open', () => {
      connectSent = true;
      el.setToken(token);
    });
    await until(() => el.getAttribute('connection') === 'connected' && el.client?.status === 'ready', 'the widget never connected');
    expect(connectSent, 'the token was set between the handshake and connect').to.equal(true);
    await until(() => el.client?.signIn === 'ok' && composer(el), 'no composer for the signed-in reader');
    const text = `First post after a sign-in mid-handshake ${unique('p')}`;
    typeInto(composer(el)!.textarea, text);
    composer(el)!.submit.click();
    await until(() => composer(el)?.error() || (articleWith(el, text) && composer(el)?.textarea.value === ''), 'the first post was neither sent nor refused');
    expect(composer(el)!.error(), 'the composer error').to.equal('');
    expect(articleWith(el, text), 'the first post').to.exist;
  });
});
