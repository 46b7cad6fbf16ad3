/**
 * The moderators' craft in the widget (issue 16), against the real server: filters by topic and
 * "held", the hold reason and Release, live "N new", one decision for several selected items (each
 * its own action and log entry), and private notes on an account. Moderators are seeded by run.ts.
 */
import { expect } from '@open-wc/testing';
import type { ParleyDiscussion } from '../../widget/parley-discussion.js';
import { deep, mount, rest, restPost, root, sign, unique, until } from './helpers.js';

const MOD = () => sign('Mia Moderator', 'browser-mod-1');
const facts = 'The posts advertise a product with a discount code; rule R10 forbids advertising.';

async function openQueue(el: ParleyDiscussion): Promise<ShadowRoot> {
  root(el).querySelector<HTMLButtonElement>('[data-mod="queue"]')!.click();
  await until(() => deep(root(el), 'parley-moderation')?.shadowRoot?.querySelector('form.filters'), 'the queue never opened', 20_000);
  return deep<HTMLElement>(root(el), 'parley-moderation')!.shadowRoot!;
}

/** Applies the filter form with these values. */
async function filter(queue: ShadowRoot, values: { filter?: string; topic?: string }): Promise<void> {
  const form = queue.querySelector<HTMLFormElement>('form.filters')!;
  if (values.filter) form.querySelector<HTMLSelectElement>('select[name="filter"]')!.value = values.filter;
  if (values.topic !== undefined) form.querySelector<HTMLInputElement>('input[name="topic"]')!.value = values.topic;
  form.querySelector<HTMLButtonElement>('button[type="submit"]')!.click();
}

const items = (queue: ShadowRoot) => [...queue.querySelectorAll<HTMLElement>('article[data-queue-post]')].map((a) => a.dataset.queuePost);

describe('the moderators’ craft in the queue', () => {
  it('filters, a held post with its reason released from the queue, and live "N new"', async () => {
    const topic = unique('craft-held');
    const mod = await mount({ topic, token: await MOD() });
    const queue = await openQueue(mod);
    await filter(queue, { topic });
    await until(() => queue.textContent!.includes('No open reports or flags'), 'the topic filter did not empty the queue');

    // A report arrives while the moderator looks: "1 new", and pressing it shows the item.
    const reported = await restPost(await sign('Rex'), { topic, body: 'Buy CalmPlus now, 20% off with code CALM' });
    await rest('POST', '/reports', await sign('Rhea'), { postId: reported.id, ground: 'rule', ruleId: 'R10', goodFaith: true });
    await until(() => queue.querySelector('[data-fresh]'), 'the queue never said something new arrived', 20_000);
    expect(queue.querySelector('[data-fresh]')!.textContent).to.match(/\d+ new/);
    queue.querySelector<HTMLButtonElement>('[data-fresh]')!.click();
    await until(() => items(queue).includes(reported.id), 'pressing "new" never showed the reported post');
    expect(queue.querySelector('[data-fresh]')).to.equal(null);

    // A post held by the honeypot: the queue says why, and Release is the first choice.
    const held = (await rest('POST', '/posts', await sign('Hank'), { topic, body: 'Held words, written by a person', homepage: 'x', idempotencyKey: crypto.randomUUID() })).post;
    expect(held.hold.status).to.equal('held');
    await filter(queue, { filter: 'held', topic });
    await until(() => items(queue).join() === held.id, 'the held filter never showed only the held post');
    const item = queue.querySelector<HTMLElement>(`[data-queue-post="${held.id}"]`)!;
    expect(item.querySelector('[data-hold]')!.textContent).to.contain('Held for review');
    const form = item.querySelector<HTMLFormElement>('form.action-form')!;
    expect(form.querySelector<HTMLSelectElement>('select[name="type"]')!.value).to.equal('release');
    form.querySelector<HTMLInputElement>('input[name="reason"]')!.value = 'Written by a person';
    form.querySelector<HTMLTextAreaElement>('textarea[name="facts"]')!.value = 'The honeypot caught a person; the text breaks no rule.';
    form.querySelector<HTMLButtonElement>('button[type="submit"]')!.click();
    await until(() => form.querySelector('[data-done]'), 'the release was never confirmed');
    const page = await rest('GET', `/topics/${encodeURIComponent(topic)}/posts`, null);
    expect(page.posts.map((p: { id: string }) => p.id)).to.include(held.id);
  });

  it('several selected items, one decision: each gets its own action; private notes on the author', async () => {
    const topic = unique('craft-bulk');
    const spammer = unique('spammer');
    const posts = [];
    for (const body of ['NeuroBoost 50% off today', 'NeuroBoost: order now, free delivery']) {
      const post = await restPost(await sign('Sam Spam', spammer), { topic, body });
      await rest('POST', '/reports', await sign(unique('Reporter')), { postId: post.id, ground: 'rule', ruleId: 'R10', goodFaith: true });
      posts.push(post);
    }
    const reader = await mount({ topic });
    const mod = await mount({ topic, token: await MOD() });
    const queue = await openQueue(mod);
    await filter(queue, { topic });
    await until(() => items(queue).length === 2, 'the topic filter never showed the two reported posts');

    queue.querySelector<HTMLInputElement>('[data-select-all]')!.click();
    await until(() => queue.querySelector('[data-bulk] form'), 'selecting never offered one decision');
    const bulk = queue.querySelector<HTMLFormElement>('[data-bulk] form')!;
    expect(bulk.textContent).to.contain('2 selected');
    expect(bulk.textContent).to.contain('its own statement of reasons');
    bulk.querySelector<HTMLSelectElement>('select[name="rule"]')!.value = 'R10';
    bulk.querySelector<HTMLInputElement>('input[name="reason"]')!.value = 'Advertising';
    bulk.querySelector<HTMLTextAreaElement>('textarea[name="facts"]')!.value = facts;
    bulk.querySelector<HTMLButtonElement>('button[type="submit"]')!.click();
    await until(() => queue.querySelector('[data-bulk-result]'), 'the bulk action never answered');
    expect(queue.querySelector('[data-bulk-result]')!.textContent).to.contain('2 done, 0 failed');
    for (const post of posts) {
      await until(() => root(reader).querySelector(`article[data-post-id="${post.id}"] [part~="tombstone"]`), 'a selected post never became a tombstone');
      expect((await rest('GET', `/posts/${post.id}`, null)).post.moderation.removal.reason).to.equal('Advertising');
    }
    const actionIds = await Promise.all(posts.map(async (p) => (await rest('GET', `/posts/${p.id}`, null)).post.moderation.removal.actionId));
    expect(new Set(actionIds).size).to.equal(2);

    // Private notes on the author, under their history.
    await filter(queue, { topic, filter: 'all' });
    const author = posts[0]!.author.id;
    const otherPost = await restPost(await sign('Sam Spam', spammer), { topic, body: 'One more try with NeuroBoost' });
    await rest('POST', '/reports', await sign(unique('Reporter')), { postId: otherPost.id, ground: 'rule', ruleId: 'R10', goodFaith: true });
    await filter(queue, { topic });
    await until(() => queue.querySelector(`[data-queue-post="${otherPost.id}"] parley-mod-notes`)?.shadowRoot?.querySelector('form'), 'no notes under the author’s history');
    const notes = queue.querySelector(`[data-queue-post="${otherPost.id}"] parley-mod-notes`)!.shadowRoot!;
    expect(notes.textContent).to.contain('never its text');
    notes.querySelector<HTMLTextAreaElement>('textarea')!.value = 'Third advert this week; warn next time.';
    notes.querySelector<HTMLButtonElement>('button[type="submit"]')!.click();
    await until(() => notes.querySelector('[data-note]'), 'the note never appeared');
    expect(notes.querySelector('[data-note]')!.textContent).to.contain('Third advert this week');
    const stored = await rest('GET', `/moderation/accounts/${author}/notes`, await MOD());
    expect(stored.notes.map((n: { text: string }) => n.text)).to.include('Third advert this week; warn next time.');
    await expect(deep<HTMLElement>(root(mod), 'parley-moderation')!).to.be.accessible();
  });
});
