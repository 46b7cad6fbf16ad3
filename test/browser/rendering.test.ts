import { expect, fixture, html } from '@open-wc/testing';
import type { ParleyDiscussion } from '../../widget/parley-discussion.js';
import { articles, articleWith, env, fetchPage, mount, restPost, root, sign, unique, until } from './helpers.js';

describe('<parley-discussion> rendering', () => {
  it('renders a seeded thread with nested replies, bylines and times', async () => {
    const topic = unique('thread');
    const alice = await sign('Alice Patient');
    const bob = await sign('Bob Carer');
    const first = await restPost(alice, { topic, body: 'How do you manage the *fatigue*?' });
    const reply = await restPost(bob, { topic, parent: first.id, body: 'Short walks help me.' });
    await restPost(alice, { topic, parent: reply.id, body: 'Thanks, I will try that.' });

    const el = await mount({ topic });
    const all = articles(el);
    expect(all).to.have.length(3);

    // The thread is a list; replies are a nested list inside their parent's item.
    const threads = root(el).querySelector('ol.threads')!;
    expect(threads.getAttribute('role')).to.equal('list');
    const top = articleWith(el, 'How do you manage')!;
    const second = articleWith(el, 'Short walks')!;
    const third = articleWith(el, 'I will try')!;
    expect(top.closest('li')!.parentElement).to.equal(threads);
    expect(second.closest('ol')!.closest('li')!.querySelector('article')).to.equal(top);
    expect(third.closest('ol')!.closest('li')!.querySelector('article')).to.equal(second);

    expect(top.getAttribute('aria-label')).to.equal('Message from Alice Patient');
    expect(second.getAttribute('aria-label')).to.equal('Message from Bob Carer');
    expect(second.querySelector('.reply-to')!.textContent).to.contain('In reply to Alice Patient');
    expect(third.querySelector('.reply-to')!.textContent).to.contain('In reply to Bob Carer');
    expect(top.querySelector('.reply-to')).to.equal(null);
    // Server Markdown survives sanitising.
    expect(top.querySelector('.body em')!.textContent).to.equal('fatigue');
    const time = top.querySelector('time')!;
    expect(time.getAttribute('datetime')).to.equal(first.createdAt);
    expect(time.textContent!.trim()).to.not.equal('');
  });

  it('shows the empty state for a topic without posts', async () => {
    const el = await mount({ topic: unique('empty') });
    expect(articles(el)).to.have.length(0);
    expect(root(el).querySelector('.empty')!.textContent).to.contain('No messages yet — start the conversation');
  });

  it('speaks Dutch with lang="nl" and falls back to English for unknown languages', async () => {
    const nl = await mount({ topic: unique('nl'), lang: 'nl-BE' });
    expect(root(nl).querySelector('.empty')!.textContent).to.contain('Nog geen berichten');
    const xx = await mount({ topic: unique('xx'), lang: 'xx' });
    expect(root(xx).querySelector('.empty')!.textContent).to.contain('No messages yet');
  });

  it('pages with "Load more" and switches order', async () => {
    const topic = unique('pages');
    const carol = await sign('Carol');
    for (let i = 1; i <= 5; i++) await restPost(carol, { topic, body: `Message number ${i}` });

    const el = await mount({ topic, pageSize: 2 });
    const bodies = () => articles(el).map((a) => a.querySelector('.body')!.textContent!.trim());
    expect(bodies()).to.deep.equal(['Message number 5', 'Message number 4']);

    const more = () => root(el).querySelector<HTMLButtonElement>('[data-load-more]');
    more()!.click();
    await until(() => articles(el).length === 4, 'the second page never arrived');
    expect(bodies()).to.deep.equal(['Message number 5', 'Message number 4', 'Message number 3', 'Message number 2']);
    more()!.click();
    await until(() => articles(el).length === 5, 'the third page never arrived');
    await el.updateComplete;
    expect(more()).to.equal(null);

    const select = root(el).querySelector<HTMLSelectElement>('select')!;
    expect(root(el).querySelector(`label[for="${select.id}"]`)).to.not.equal(null);
    select.value = 'oldest';
    select.dispatchEvent(new Event('change'));
    await until(() => el.client?.status === 'ready' && bodies()[0] === 'Message number 1', 'the order never switched');
    expect(el.getAttribute('order')).to.equal('oldest');
    expect(bodies()).to.deep.equal(['Message number 1', 'Message number 2']);
    expect((await fetchPage(topic)).posts).to.have.length(5);
  });

  it('shows a load error with a Retry button that recovers', async () => {
    const realFetch = window.fetch;
    let failing = true;
    window.fetch = (...args: Parameters<typeof fetch>) => (failing ? Promise.reject(new TypeError('Failed to fetch')) : realFetch(...args));
    try {
      const el = await fixture<ParleyDiscussion>(html`<parley-discussion server=${env.server} site=${env.site} topic=${unique('retry')}></parley-discussion>`);
      await until(() => el.client?.status === 'error', 'no load error shown');
      await el.updateComplete;
      const alert = root(el).querySelector('[role="alert"]')!;
      expect(alert.textContent).to.contain('could not be loaded');
      const retry = alert.querySelector('button')!;
      expect(retry.textContent!.trim()).to.equal('Try again');
      failing = false;
      retry.click();
      await until(() => el.client?.status === 'ready', 'Retry did not recover');
      await el.updateComplete;
      expect(root(el).querySelector('.empty')).to.not.equal(null);
    } finally {
      window.fetch = realFetch;
    }
  });
});
