/**
 * The server's HTML rendition (GET /topics/{topic}/html) inside `<parley-discussion>`, as a
 * host includes it server-side: readable before the widget's script runs, shown while the
 * first page loads, and replaced by the live conversation without showing any post twice.
 */
import { expect } from '@open-wc/testing';
import type { ParleyDiscussion } from '../../widget/parley-discussion.js';
import { articles, env, restPost, root, sign, unique, until } from './helpers.js';

async function fragmentOf(topic: string): Promise<string> {
  const res = await fetch(`${env.server}/api/sites/${env.site}/topics/${encodeURIComponent(topic)}/html`);
  expect(res.status).to.equal(200);
  return res.text();
}

/** What a reader can see: rendered, not hidden by the shadow tree, not display:none. */
const visible = (el: Element) => el.checkVisibility();

describe('<parley-discussion> over the server’s HTML rendition', () => {
  it('upgrades over the fragment: shows it while loading, then each post once, live', async () => {
    const topic = unique('static');
    const ann = await sign('Ann Static');
    const first = await restPost(ann, { topic, body: 'The first message, *rendered by the server*' });
    await restPost(await sign('Ben Static'), { topic, parent: first.id, body: 'A reply to it' });
    const fragment = await fragmentOf(topic);

    // The page as the host server sent it: parsed where no custom element is defined, so the
    // element upgrades when it joins this document, as it would when parley.js arrives.
    const parsed = document.implementation.createHTMLDocument('host page');
    parsed.body.innerHTML = `<parley-discussion server="${env.server}" site="${env.site}" topic="${topic}" lang="en">${fragment}</parley-discussion>`;
    const pending = parsed.querySelector('parley-discussion')!;
    expect(pending.shadowRoot === null).to.equal(true);
    const staticArticles = [...pending.querySelectorAll('article')];
    expect(staticArticles).to.have.length(2);

    const host = document.createElement('div');
    document.body.append(host);
    try {
      const el = document.adoptNode(pending) as ParleyDiscussion;
      host.append(el);
      expect(el.shadowRoot !== null).to.equal(true);
      // The first render comes in a microtask; the page needs the network, so it is still loading.
      await el.updateComplete;
      expect(el.client?.status).to.equal('loading');
      // While the first page loads, the static rendition is what the reader sees.
      const slot = root(el).querySelector<HTMLSlotElement>('slot[name="static"]')!;
      const assigned = slot.assignedElements();
      expect(assigned).to.have.length(1);
      expect(assigned[0] === el.querySelector('section[data-parley-static]')).to.equal(true);
      expect(staticArticles.every(visible)).to.equal(true);
      // The slot's fallback ("Loading…") is not shown over it. (Booleans: chai hangs formatting a Lit element.)
      expect(visible(root(el).querySelector('[role="status"].state')!)).to.equal(false);
      await until(() => el.client?.status === 'ready', 'the first page never loaded');
      await el.updateComplete;

      // Each post once: the live ones in the shadow tree, the static copies no longer rendered.
      expect(articles(el).map((a) => a.dataset.postId)).to.deep.equal(staticArticles.map((a) => a.dataset.postId));
      expect(articles(el).every(visible)).to.equal(true);
      expect(staticArticles.some(visible)).to.equal(false);
      expect(root(el).querySelector('slot[name="static"]') === null).to.equal(true);
      // The structured data stays in the page for crawlers that run scripts.
      expect(el.querySelector('script[type="application/ld+json"]') !== null).to.equal(true);

      // And it is the live widget: a new post appears once.
      await until(() => el.connection === 'connected', 'the socket never connected');
      const live = await restPost(ann, { topic, body: 'Posted after the upgrade' });
      await until(() => root(el).querySelector(`article[data-post-id="${live.id}"]`), 'the live post never appeared');
      expect(articles(el)).to.have.length(3);
    } finally {
      host.remove();
    }
  });

  it('without the script, the fragment alone shows every post with its words', async () => {
    const topic = unique('nojs');
    await restPost(await sign('Cleo NoJS'), { topic, body: 'Readable **without** JavaScript' });
    const holder = document.createElement('div');
    holder.innerHTML = await fragmentOf(topic);
    document.body.append(holder);
    try {
      const article = holder.querySelector('article')!;
      expect(visible(article)).to.equal(true);
      expect(article.querySelector('.parley-author')!.textContent).to.equal('Cleo NoJS');
      expect(article.querySelector('.parley-body strong')!.textContent).to.equal('without');
    } finally {
      holder.remove();
    }
  });
});
