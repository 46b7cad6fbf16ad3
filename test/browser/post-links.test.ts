/**
 * Links to one post, against the real server: notification mail links to `…#parley-post-{id}`,
 * the company desk to the host's `thread-url` (`…#post-{post}`). The widget brings the post on
 * screen even when it is not on the first page (a reply in an old thread), scrolls to it
 * (smoothly, or at once with `prefers-reduced-motion`), focuses and marks it; it follows a
 * changed fragment; it says so when the post cannot be found; a post of another topic is left
 * alone; axe.
 */
import { expect, fixture, html } from '@open-wc/testing';
import { emulateMedia } from '@web/test-runner-commands';
import '../../widget/parley-company-desk.js';
import type { ParleyCompanyDesk } from '../../widget/parley-company-desk.js';
import type { ParleyDiscussion } from '../../widget/parley-discussion.js';
import { env, mount, restPost, root, sign, signWith, unique, until } from './helpers.js';

const acmeStaff = (name: string) => signWith({ name, affiliation: { company: 'acme', jobTitle: 'Medical Advisor' } }, unique('acme'));
const article = (el: ParleyDiscussion, id: string) => root(el).querySelector<HTMLElement>(`article[data-post-id="${id}"]`);
const focusedPost = (el: ParleyDiscussion) => root(el).activeElement?.getAttribute('data-post-id');
const setHash = (hash: string) => history.replaceState(null, '', `${location.pathname}${location.search}${hash}`);

/** Every `scrollIntoView` call's options, to tell a smooth scroll from an instant one. */
const scrolls: Array<ScrollIntoViewOptions | boolean | undefined> = [];
const realScroll = Element.prototype.scrollIntoView;

/** A topic whose first thread (with a reply) is three pages back at two threads a page. */
async function longTopic(topic: string) {
  const first = await restPost(await sign('Olive Early'), { topic, body: 'The first thread, long ago' });
  const reply = await restPost(await sign('Rita Replier'), { topic, parent: first.id, body: 'The reply the mail links to' });
  const later = [];
  for (let i = 0; i < 5; i++) later.push(await restPost(await sign(`Later ${i}`), { topic, body: `A later thread ${i}` }));
  return { first, reply, later };
}

describe('links to a post (#parley-post-{id}, #post-{id})', () => {
  beforeEach(() => {
    scrolls.length = 0;
    Element.prototype.scrollIntoView = function (this: Element, arg?: ScrollIntoViewOptions | boolean) {
      scrolls.push(arg);
      realScroll.call(this, arg);
    };
  });
  afterEach(async () => {
    Element.prototype.scrollIntoView = realScroll;
    setHash('');
    await emulateMedia({ reducedMotion: 'no-preference' });
  });

  it('a mail link to a reply in a thread on a later page: the thread is brought in, the reply scrolled to, focused and marked', async () => {
    const topic = unique('link-mail');
    const { first, reply, later } = await longTopic(topic);
    setHash(`#parley-post-${reply.id}`);
    const el = await mount({ topic, pageSize: 2 });
    await until(() => focusedPost(el) === reply.id, 'the linked reply never got focus');
    const target = article(el, reply.id)!;
    expect(target.hasAttribute('data-linked')).to.equal(true);
    expect(target.getAttribute('aria-current')).to.equal('location');
    expect(getComputedStyle(target).outlineStyle).to.equal('solid');
    // It is read in its thread: under the post it answers, after the newer threads above it.
    expect(article(el, first.id)!.closest('li')!.contains(target)).to.equal(true);
    const order = [...root(el).querySelectorAll<HTMLElement>('article[data-post-id]')].map((a) => a.dataset.postId);
    expect(order.indexOf(later[4]!.id)).to.be.lessThan(order.indexOf(first.id));
    // The pages above it were read in order, so the conversation has no gap above the thread.
    for (const post of later) expect(order).to.include(post.id);
    expect(el.client!.nextCursor).to.equal(null);
    expect(scrolls.at(-1)).to.deep.equal({ block: 'center', behavior: 'smooth' });
    // Only one post is marked.
    expect(root(el).querySelectorAll('[data-linked]').length).to.equal(1);
    await expect(el).to.be.accessible();
  });

  it('with prefers-reduced-motion the post is shown at once, not by a smooth scroll; a changed fragment moves to the new post', async () => {
    await emulateMedia({ reducedMotion: 'reduce' });
    const topic = unique('link-still');
    const { first, later } = await longTopic(topic);
    setHash(`#parley-post-${first.id}`);
    const el = await mount({ topic, pageSize: 2 });
    await until(() => focusedPost(el) === first.id, 'the linked post never got focus');
    expect(scrolls.at(-1)).to.deep.equal({ block: 'center', behavior: 'auto' });

    // A link to another post of the same page (the address changes, the page stays).
    location.hash = `#parley-post-${later[1]!.id}`;
    await until(() => focusedPost(el) === later[1]!.id, 'the new fragment was not followed');
    expect(article(el, later[1]!.id)!.hasAttribute('data-linked')).to.equal(true);
    expect(article(el, first.id)!.hasAttribute('data-linked')).to.equal(false);
  });

  it('the company desk links with the host’s thread-url (#post-{post}): that link opens the discussion at the question', async () => {
    const topic = unique('link-desk');
    const question = await restPost(await sign('Quentin Asker'), { topic, topicTitle: 'Rememba and sleep', body: 'Does Rememba keep anyone else awake?', questionTo: 'acme' });
    for (let i = 0; i < 4; i++) await restPost(await sign(`Other ${i}`), { topic, body: `Another thread ${i}` });
    const desk = await fixture<ParleyCompanyDesk>(html`<parley-company-desk server=${env.server} site=${env.site} company="acme" lang="en"
      thread-url=${`${location.pathname}?topic={topic}#post-{post}`} .token=${await acmeStaff('Dana Desk')}></parley-company-desk>`);
    await until(() => desk.shadowRoot!.querySelector(`[data-question="${question.id}"] a`), 'the desk never listed the question');
    const href = new URL(desk.shadowRoot!.querySelector<HTMLAnchorElement>(`[data-question="${question.id}"] a`)!.href);
    expect(href.searchParams.get('topic')).to.equal(topic);
    expect(href.hash).to.equal(`#post-${question.id}`);

    // The page the link opens: the discussion of that topic, with the fragment in the address.
    setHash(href.hash);
    const el = await mount({ topic: href.searchParams.get('topic')!, pageSize: 2 });
    await until(() => focusedPost(el) === question.id, 'the desk link did not lead to the question');
    expect(article(el, question.id)!.hasAttribute('data-linked')).to.equal(true);
  });

  it('a post that cannot be found is said in words; a post of another topic is left to its own discussion', async () => {
    const topic = unique('link-missing');
    await restPost(await sign('Mo'), { topic, body: 'Something here' });
    setHash('#parley-post-no-such-post-1');
    const el = await mount({ topic });
    await until(() => root(el).querySelector('[data-link-missing]'), 'the missing post was never mentioned');
    expect(root(el).querySelector('[data-link-missing]')!.textContent).to.contain('could not be found');
    await expect(el).to.be.accessible();

    const elsewhere = await restPost(await sign('Ned'), { topic: unique('link-other'), body: 'In another topic' });
    setHash(`#parley-post-${elsewhere.id}`);
    // The browser keeps 250 resource timings by default: start from none, so the look-up is seen.
    performance.clearResourceTimings();
    const other = await mount({ topic });
    // It looks the post up, sees another topic, and does nothing: no note, nothing marked or focused.
    await until(() => performance.getEntriesByType('resource').some((e) => e.name.endsWith(`/posts/${elsewhere.id}`)), 'the post was never looked up');
    await new Promise((resolve) => setTimeout(resolve, 100));
    await other.updateComplete;
    expect(root(other).querySelector('[data-link-missing]')).to.equal(null);
    expect(root(other).querySelector('[data-linked]')).to.equal(null);
    expect(focusedPost(other)).to.equal(undefined);
  });
});
