/**
 * Pinning as readers see it (issue 16), against the real server: only a top-level post is pinned
 * (moderators get Pin on top-level posts, never on replies; the server refuses a reply in words),
 * and the pinned post comes first with its line even when it is older than the whole first page;
 * the conversation under it keeps its order; axe. Moderators are seeded by run.ts (browser-mod-1).
 */
import { expect } from '@open-wc/testing';
import type { ParleyDiscussion } from '../../widget/parley-discussion.js';
import { articles, mount, rest, restPost, root, sign, unique, until } from './helpers.js';

const MOD = () => sign('Mia Moderator', 'browser-mod-1');
const article = (el: ParleyDiscussion, id: string) => root(el).querySelector<HTMLElement>(`article[data-post-id="${id}"]`);

describe('pinned posts come first; replies are never pinned', () => {
  it('a moderator gets Pin on top-level posts only; a reply is refused in words by the server', async () => {
    const topic = unique('pin-reply');
    const first = await restPost(await sign('Pia'), { topic, body: 'Where do I find the carers’ grant form?' });
    const reply = await restPost(await sign('Ray'), { topic, parent: first.id, body: 'It is on the council’s site, under Support.' });
    const mod = await mount({ topic, token: await MOD() });
    expect(article(mod, first.id)!.querySelector('[data-pin]')).to.not.equal(null);
    expect(article(mod, reply.id)!.querySelector('[data-pin]')).to.equal(null);
    const refused = await rest('PUT', `/topics/${encodeURIComponent(topic)}/pin`, await MOD(), { postId: reply.id }).then(
      () => null,
      (error: Error) => error.message,
    );
    expect(refused).to.match(/top-level/);
  });

  it('the pinned post is first with its line even when older than the first page; the rest keep their order', async () => {
    const topic = unique('pin-old');
    const old = await restPost(await sign('Olga'), { topic, body: 'The clearest summary of the grant rules' });
    await restPost(await sign('Rex'), { topic, parent: old.id, body: 'Thanks, this helped' });
    const newer = [];
    for (let i = 0; i < 4; i++) newer.push(await restPost(await sign(`Newer ${i}`), { topic, body: `A newer thread ${i}` }));
    await rest('PUT', `/topics/${encodeURIComponent(topic)}/pin`, await MOD(), { postId: old.id, reason: 'The clearest summary' });

    const reader = await mount({ topic, pageSize: 2 });
    await until(() => articles(reader).length >= 3, 'the page never showed');
    const tops = [...root(reader).querySelectorAll<HTMLElement>('ol.threads > li > article')].map((a) => a.dataset.postId);
    expect(tops[0]).to.equal(old.id);
    expect(tops.slice(1, 3)).to.deep.equal([newer[3]!.id, newer[2]!.id]);
    const pinned = article(reader, old.id)!;
    expect(pinned.querySelector('[data-pinned]')!.textContent).to.contain('Pinned by the moderators');
    expect(pinned.classList.contains('pinned-post')).to.equal(true);
    // Its reply is in its thread, under it, not pinned itself.
    expect(pinned.closest('li')!.querySelectorAll('[data-pinned]').length).to.equal(1);
    await expect(reader).to.be.accessible();
    await rest('DELETE', `/topics/${encodeURIComponent(topic)}/pin`, await MOD(), {});
  });
});
