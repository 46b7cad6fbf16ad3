// A page reloaded quietly (a new sign-in: the page then includes what is the new reader's alone)
// was read before a post the reader sends meanwhile was stored. When its answer comes after the
// post's acknowledgement, it must not take the post (or a live post from someone else) off the
// screen: the server never sends the sender its own post again, so it would stay away until the
// page was opened again. This was the flake behind "the first post was neither sent nor refused"
// in session-race.test.ts: a staff link signs in, the quiet reload and the first post cross.
import { expect } from '@open-wc/testing';
import { articleWith, composer, mount, restPost, sign, typeInto, unique, until } from './helpers.js';

/** Holds the answers to GET requests for `topic`'s pages until released; says when one was read. */
function holdPages(topic: string) {
  const realFetch = window.fetch;
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  const state = { asked: 0, read: 0 };
  window.fetch = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const url = input instanceof Request ? input.url : String(input);
    const isPage = url.includes(`/topics/${encodeURIComponent(topic)}/posts?`) && (init?.method ?? 'GET') === 'GET';
    if (!isPage) return realFetch(input, init);
    state.asked++;
    const res = await realFetch(input, init);
    await opened;
    const json = res.json.bind(res);
    res.json = () => json().finally(() => state.read++);
    return res;
  };
  return {
    state,
    release: open,
    restore: () => (window.fetch = realFetch),
  };
}

describe('<parley-discussion> a quiet reload crossing new posts', () => {
  let held: ReturnType<typeof holdPages> | undefined;
  afterEach(() => {
    held?.release();
    held?.restore();
    held = undefined;
  });

  it('keeps a post sent, and a live post received, while the reload was on its way', async () => {
    const topic = unique('reload');
    const el = await mount({ topic });
    held = holdPages(topic);
    el.setToken(await sign('Rhea Reload'));
    await until(() => el.client?.viewer?.name === 'Rhea Reload', 'the token was never checked');
    await until(() => held!.state.asked === 1, 'the new sign-in did not reload the page');
    // The reload's page was read before these two posts were stored.
    const text = `Sent during the reload ${unique('p')}`;
    await until(() => composer(el), 'no composer for the signed-in reader');
    typeInto(composer(el)!.textarea, text);
    composer(el)!.submit.click();
    await until(() => composer(el)?.error() || (articleWith(el, text) && composer(el)?.textarea.value === ''), 'the post was neither sent nor refused');
    expect(composer(el)!.error(), 'the composer error').to.equal('');
    await restPost(await sign('Lena Live'), { topic, body: 'Live during the reload' });
    await until(() => articleWith(el, 'Live during the reload'), 'the live post never appeared');
    held.release();
    await until(() => held!.state.read === 1, 'the reload never read its page');
    // A macrotask later, what the widget does with the page has run and rendered.
    await new Promise((resolve) => setTimeout(resolve));
    await el.updateComplete;
    expect(articleWith(el, text), 'the post sent during the reload').to.exist;
    expect(articleWith(el, 'Live during the reload'), 'the live post received during the reload').to.exist;
  });
});
