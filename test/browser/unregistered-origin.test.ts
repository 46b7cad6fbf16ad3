/**
 * A page whose origin a site does not list (the test runner's page vs the site
 * `test-elsewhere`, registered for https://elsewhere.example only, see run.ts): the browser can
 * read the server's refusal, over REST and in the socket handshake, and the widget says what
 * is wrong, once, instead of "Connection lost. Reconnecting…" forever.
 */
import { expect, fixture, html } from '@open-wc/testing';
import { io } from 'socket.io-client';
import '../../widget/index.js';
import type { ParleyDiscussion } from '../../widget/parley-discussion.js';
import { env, root, unique, until } from './helpers.js';

const elsewhere = (window as unknown as { __PARLEY_TEST__: { elsewhereSite: string } }).__PARLEY_TEST__.elsewhereSite;

describe('a page on an origin the site does not list', () => {
  it('reads the REST refusal: a CORS-readable 403 with origin_not_allowed', async () => {
    const res = await fetch(`${env.server}/api/sites/${elsewhere}/topics/anything/posts`);
    expect(res.status).to.equal(403);
    const body = await res.json();
    expect(body.error.code).to.equal('origin_not_allowed');
    expect(body.error.message).to.contain(location.origin);
  });

  it('reads the socket handshake refusal over long-polling, and the client stops retrying', async () => {
    const socket = io(env.server, { auth: { site: elsewhere }, transports: ['polling', 'websocket'], forceNew: true });
    try {
      const error = await new Promise<Error & { data?: { error?: { code?: string } } }>((resolve, reject) => {
        socket.once('connect', () => reject(new Error('connected, but a refusal was expected')));
        socket.once('connect_error', resolve);
        setTimeout(() => reject(new Error('no connect_error within 10 s')), 10_000);
      });
      expect(error.data?.error?.code).to.equal('origin_not_allowed');
      // A refusal by the server's middleware: socket.io-client does not reconnect by itself.
      expect(socket.active).to.equal(false);
    } finally {
      socket.close();
    }
  });

  it('says the page is not registered for the site, with no retry and no reconnecting banner', async () => {
    const el = await fixture<ParleyDiscussion>(html`<parley-discussion
      server=${env.server}
      site=${elsewhere}
      topic=${unique('refused')}
      lang="en"
    ></parley-discussion>`);
    await until(() => root(el).querySelector('[data-refused]'), 'the refusal was never shown');
    await el.updateComplete;
    const alert = root(el).querySelector<HTMLElement>('[data-refused]')!;
    expect(alert.getAttribute('role')).to.equal('alert');
    expect(alert.textContent).to.match(new RegExp(`This page.s address \\(${location.origin.replace(/[.]/g, '\\.')}\\) is not registered for site ${elsewhere}`));
    expect(el.getAttribute('connection')).to.equal('refused');
    expect(root(el).querySelector('[data-retry]')).to.equal(null);
    expect(root(el).querySelector('[part="banner"]')!.textContent!.trim()).to.equal('');
    // It gave up for good: coming back online does not start a connection.
    await el.client!.live;
    window.dispatchEvent(new Event('online'));
    await el.updateComplete;
    // (A boolean: a failure report must not try to serialise a whole socket.io client.)
    expect(el.client!.realtime === null, 'a socket was opened').to.equal(true);
    expect(el.getAttribute('connection')).to.equal('refused');
  });
});
