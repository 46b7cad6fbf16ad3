// The built bundle (dist/parley.js, with its slimmed socket.io-client) against the real
// server: it loads as one module, renders, and talks over the socket. run.ts builds it first.
import { expect } from '@open-wc/testing';
import { env, restPost, sign, unique, until } from './server-api.js';

const BUNDLE = '/dist/parley.js';

describe('dist/parley.js', () => {
  it('defines the elements and runs a live conversation', async () => {
    await import(/* @vite-ignore */ BUNDLE);
    expect(customElements.get('parley-discussion')).to.not.equal(undefined);
    const topic = unique('bundle');
    await restPost(await sign('Rosa'), { topic, body: 'Seeded before load' });

    const el = document.createElement('parley-discussion') as HTMLElement & { setToken(t: string | null): void };
    el.setAttribute('server', env.server);
    el.setAttribute('site', env.site);
    el.setAttribute('topic', topic);
    document.body.append(el);
    try {
      const shadow = () => el.shadowRoot!;
      await until(() => shadow().querySelector('article'), 'the bundle never rendered the seeded post');
      await until(() => el.getAttribute('connection') === 'connected', 'the bundle never connected its socket');
      await restPost(await sign('Sven'), { topic, body: 'Live through the bundle' });
      await until(() => shadow().querySelectorAll('article').length === 2, 'the live post never arrived');
      expect(shadow().querySelector('[aria-live="polite"]')!.textContent).to.contain('New message from Sven');

      el.setToken(await sign('Tess'));
      await until(() => shadow().querySelector('parley-composer'), 'no composer after setToken');
      const composer = shadow().querySelector('parley-composer')!.shadowRoot!;
      const textarea = composer.querySelector('textarea')!;
      textarea.value = 'Posted over the bundle socket';
      textarea.dispatchEvent(new Event('input'));
      composer.querySelector<HTMLButtonElement>('button[part~="submit"]')!.click();
      await until(() => shadow().querySelectorAll('article').length === 3, 'the composer post never appeared');
    } finally {
      el.remove();
    }
  });
});
