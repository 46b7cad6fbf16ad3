import { expect } from '@open-wc/testing';
import { SOCKET_EVENTS } from '../../moderation/protocol.js';
import { articleWith, composer, mount, rest, root, sign, typeInto, unique, until } from './helpers.js';

/**
 * Open widgets follow the session (security review, issue 12): when the server ends the
 * sign-in (here: "sign out everywhere" from another device), the widget shows it is signed
 * out at once, without a write being refused first; a new token signs it in again on the
 * same socket.
 */
/** Waits until the clock enters the next whole second (a wait, not a timing assertion). */
function nextSecond(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 1000 - (Date.now() % 1000) + 20));
}

describe('<parley-discussion> when the server ends the sign-in', () => {
  it('shows the reader signed out as soon as they sign out everywhere elsewhere', async () => {
    const topic = unique('ended');
    const token = await sign('Sven Signout');
    const el = await mount({ topic, token });
    expect(el.client!.signIn).to.equal('ok');
    expect(composer(el), 'a signed-in reader has a composer').to.not.equal(null);
    const socket = el.client!.realtime!.socket;
    const told: Array<Record<string, unknown>> = [];
    el.addEventListener('parley-signed-out', (e) => told.push((e as CustomEvent).detail));

    await rest('POST', '/session/sign-out-everywhere', token);
    await until(() => el.client!.signIn === 'invalid', 'the widget never learnt the session ended');
    await el.updateComplete;
    expect(el.client!.ended?.reason).to.equal('signed-out');
    // The reader is told why, and the host page once, so it can end its own sign-in too.
    expect(root(el).textContent).to.contain('You signed out everywhere. Sign in again');
    expect(told).to.deep.equal([{ reason: 'session-ended', cause: 'signed-out' }]);
    // The same socket, still connected: nothing had to fail for the reader to see it.
    expect(el.client!.realtime!.socket).to.equal(socket);
    expect(socket.connected).to.equal(true);
  });

  it('a new token signs the open socket in again, and posting works without reconnecting', async () => {
    const topic = unique('ended-again');
    const sub = unique('again');
    const first = await sign('Ada Again', sub);
    const el = await mount({ topic, token: first });
    const socket = el.client!.realtime!.socket;
    await rest('POST', '/session/sign-out-everywhere', first);
    await until(() => el.client!.signIn === 'invalid', 'the widget never learnt the session ended');

    // The host signs them in again, with a token issued after the sign-out: `iat` has whole
    // seconds, and one from the sign-out's own second is refused (it may predate the sign-out).
    await nextSecond();
    el.setToken(await sign('Ada Back', sub));
    await until(() => el.client!.signIn === 'ok', 'the new token was never accepted');
    await el.updateComplete;
    const c = composer(el)!;
    typeInto(c.textarea, 'Back again on the same connection');
    c.submit.click();
    await until(() => articleWith(el, 'Back again on the same connection'), 'the post never appeared');
    expect(el.client!.realtime!.socket).to.equal(socket);
    expect(el.client!.ended).to.equal(null);
  });

  it('tells the open socket about the new token (session:token) instead of reconnecting', async () => {
    const topic = unique('handover');
    const el = await mount({ topic, token: await sign('Hana Handover') });
    const socket = el.client!.realtime!.socket;
    const sent: unknown[] = [];
    socket.onAnyOutgoing((event, payload) => {
      if (event === SOCKET_EVENTS.setToken) sent.push(payload);
    });
    const renewed = await sign('Hana Handover');
    el.setToken(renewed);
    await until(() => sent.length === 1, 'the socket was never handed the token');
    expect(sent[0]).to.deep.equal({ token: renewed });
    expect(el.client!.realtime!.socket).to.equal(socket);
  });
});
