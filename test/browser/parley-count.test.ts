// <parley-count> for listing pages (issue 10), as the server ships it at /parley-count.js (run.ts
// builds it): it stands alone, answers every count on the page with one request, says zero for
// new topics, and talks to the server it was loaded from unless told otherwise.
import { expect } from '@open-wc/testing';
import { env, restPost, sign, unique, until } from './server-api.js';

const entry = () => `${env.server}/parley-count.js`;

describe('<parley-count>', () => {
  it('is a tiny entry that imports nothing (no discussion code)', async () => {
    const source = await (await fetch(entry())).text();
    expect(source.length).to.be.below(4000);
    expect(source).to.not.match(/\bimport\s*[\s{*("'`]/);
    expect(source).to.not.contain('parley-discussion');
  });

  it('shows the counts of several topics from one request, in the page’s language or its own words', async () => {
    await import(/* @vite-ignore */ entry());
    expect(customElements.get('parley-count')).to.not.equal(undefined);
    const busy = unique('count-busy');
    const single = unique('count-single');
    const token = await sign('Lena');
    for (let i = 0; i < 3; i++) await restPost(token, { topic: busy, body: `message ${i}` });
    await restPost(token, { topic: single, body: 'just one' });

    const requests: string[] = [];
    const realFetch = window.fetch;
    window.fetch = (input: RequestInfo | URL, init?: RequestInit) => {
      requests.push(String(input));
      return realFetch(input, init);
    };
    const box = document.createElement('div');
    try {
      box.innerHTML = `
        <parley-count id="a" topic="${busy}"></parley-count>
        <parley-count id="b" topic="${single}"></parley-count>
        <p lang="nl"><parley-count id="c" topic="${unique('count-none')}"></parley-count></p>
        <parley-count id="d" topic="${busy}" other="{count} replies so far"></parley-count>`;
      // Without `server`, the origin the script came from (the Parley server here).
      for (const el of box.querySelectorAll('parley-count')) el.setAttribute('site', env.site);
      document.body.append(box);
      const el = (id: string) => box.querySelector<HTMLElement & { count: number | null }>(`#${id}`)!;
      await until(() => [...box.querySelectorAll('parley-count')].every((e) => e.getAttribute('state') === 'ready'), 'the counts never arrived');
      expect(el('a').textContent).to.equal('3 messages');
      expect(el('a').count).to.equal(3);
      expect(el('a').getAttribute('count')).to.equal('3');
      expect(el('b').textContent).to.equal('1 message');
      expect(el('c').textContent).to.equal('Nog geen berichten');
      expect(el('d').textContent).to.equal('3 replies so far');
      const countRequests = requests.filter((url) => url.includes('/topics?ids='));
      expect(countRequests).to.have.length(1);
      // New wording re-renders the number it has; another topic asks the server again.
      el('a').setAttribute('other', '{count} posts');
      expect(el('a').textContent).to.equal('3 posts');
      el('b').setAttribute('topic', busy);
      await until(() => el('b').textContent === '3 messages', 'the changed topic was never counted');
      expect(requests.filter((url) => url.includes('/topics?ids='))).to.have.length(2);
    } finally {
      window.fetch = realFetch;
      box.remove();
    }
  });

  it('shows nothing, not a wrong number, when the server refuses', async () => {
    await import(/* @vite-ignore */ entry());
    const el = document.createElement('parley-count');
    el.setAttribute('server', env.server);
    el.setAttribute('site', 'no-such-site');
    el.setAttribute('topic', 'x');
    document.body.append(el);
    try {
      await until(() => el.getAttribute('state') === 'error', 'the refusal was never shown');
      expect(el.textContent).to.equal('');
    } finally {
      el.remove();
    }
  });
});
