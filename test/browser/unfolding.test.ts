/**
 * A long page unfolds (widget/components/unfolding.ts): a screenful first, then the rest in
 * steps, each its own task. What must not change: every post is rendered, in the page's
 * order, and live posts that arrive meanwhile are merged and announced.
 */
import { expect, fixture, html } from '@open-wc/testing';
import type { Post } from '../../moderation/types.js';
import { FIRST_POSTS } from '../../widget/components/unfolding.js';
import type { ParleyDiscussion } from '../../widget/parley-discussion.js';
import { articles, env, fetchPage, liveRegion, restPost, root, sign, unique, until } from './helpers.js';

const THREADS = 30;

/** `threads` threads of a post and one reply each, from accounts within the per-account rate limit. */
async function seedLongTopic(threads: number): Promise<{ topic: string; posts: Post[] }> {
  const topic = unique('long');
  const posts: Post[] = [];
  let token = '';
  for (let i = 0; i < threads; i++) {
    if (i % 5 === 0) token = await sign(`Writer ${i / 5}`);
    const top = await restPost(token, { topic, body: `Thread number ${i}` });
    posts.push(top, await restPost(token, { topic, parent: top.id, body: `Reply to thread ${i}` }));
  }
  return { topic, posts };
}

/** Mounts without waiting for updateComplete, and records how many posts each DOM change left on screen. */
async function mountWatching(topic: string) {
  const counts: number[] = [];
  const el = await fixture<ParleyDiscussion>(html`<parley-discussion server=${env.server} site=${env.site} topic=${topic} page-size="100" lang="en"></parley-discussion>`);
  const observer = new MutationObserver(() => counts.push(root(el).querySelectorAll('article').length));
  observer.observe(root(el), { childList: true, subtree: true });
  return { el, counts, stop: () => observer.disconnect() };
}

describe('<parley-discussion> unfolding a long page', () => {
  let seeded: { topic: string; posts: Post[] };
  before(async () => {
    seeded = await seedLongTopic(THREADS);
  });

  it('shows a screenful first, then every post in the page’s order, and updateComplete waits for all', async () => {
    const { el, counts, stop } = await mountWatching(seeded.topic);
    await until(() => el.client?.status === 'ready', 'the first page never loaded');
    await el.updateComplete;
    stop();
    const shown = counts.filter((n) => n > 0);
    // The first render with posts holds about a screenful (whole threads of 2 posts), not the page.
    expect(shown[0]).to.be.at.most(FIRST_POSTS + 1);
    expect(shown.at(-1)).to.equal(THREADS * 2);
    expect(shown.length).to.be.greaterThan(1);
    expect([...shown].sort((a, b) => a - b)).to.deep.equal(shown);

    // The same order as the server's page: newest thread first, its reply under it.
    const page = await fetchPage(seeded.topic, 'limit=100');
    const expected = page.posts.filter((p) => p.parent === null).flatMap((top) => [top.id, page.posts.find((p) => p.parent === top.id)!.id]);
    expect(articles(el).map((a) => a.dataset.postId)).to.deep.equal(expected);
    const first = articles(el)[0]!;
    expect(first.querySelector('.body')!.textContent).to.contain(`Thread number ${THREADS - 1}`);
    expect(first.closest('li')!.querySelector('ol.replies article .body')!.textContent).to.contain(`Reply to thread ${THREADS - 1}`);
  });

  it('merges and announces a live post that arrives while the page unfolds', async () => {
    const { el, stop } = await mountWatching(seeded.topic);
    await until(() => el.client?.status === 'ready' && el.connection === 'connected', 'the first page or socket never came');
    const live = await restPost(await sign('Lena Late'), { topic: seeded.topic, body: 'Arrived during the unfolding' });
    await until(() => root(el).querySelector(`article[data-post-id="${live.id}"]`), 'the live post never appeared');
    await el.updateComplete;
    stop();
    const ids = articles(el).map((a) => a.dataset.postId);
    expect(ids).to.have.length(THREADS * 2 + 1);
    expect(ids[0]).to.equal(live.id);
    expect(new Set(ids).size).to.equal(ids.length);
    expect(liveRegion(el).textContent).to.contain('New message from Lena Late');
  });

  it('keeps threads off screen out of layout until they come near (content-visibility)', async () => {
    const { el, stop } = await mountWatching(seeded.topic);
    await until(() => el.client?.status === 'ready', 'the first page never loaded');
    await el.updateComplete;
    stop();
    const items = root(el).querySelectorAll<HTMLElement>('ol.threads > li');
    expect(items.length).to.be.greaterThan(THREADS - 1);
    expect(getComputedStyle(items[0]!).contentVisibility).to.equal('auto');
    // Still in the DOM and the accessibility tree: readable by screen readers and find-in-page.
    expect(items[items.length - 1]!.textContent).to.contain('Thread number 0');
  });
});
