/**
 * The moderators' queue with the keyboard only (issue 16): j/k move between items, o opens one,
 * d chooses "dismiss" and puts the cursor in its reason, the form is filled and sent with keys,
 * x selects for one decision, ? opens the help dialog listing the shortcuts (Escape closes it and
 * focus returns), and letters typed into a field stay text. Against the real server; moderators
 * are seeded by run.ts (browser-mod-1).
 */
import { expect } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import type { ParleyDiscussion } from '../../widget/parley-discussion.js';
import { deep, focused, mount, rest, restPost, root, sign, unique, until } from './helpers.js';

const MOD = () => sign('Mia Moderator', 'browser-mod-1');

/** The element that has focus, looking through shadow roots. */
async function press(key: string, times = 1): Promise<void> {
  for (let i = 0; i < times; i++) await sendKeys({ press: key });
}

async function openQueue(el: ParleyDiscussion) {
  const toggle = root(el).querySelector<HTMLButtonElement>('[data-mod="queue"]')!;
  toggle.focus();
  await press('Enter');
  await until(() => deep(root(el), 'parley-moderation')?.shadowRoot?.querySelector('[data-queue-post]'), 'the queue never listed anything', 20_000);
  return deep<HTMLElement>(root(el), 'parley-moderation')!.shadowRoot!;
}

/** Presses j or k until the current item is `postId` (other tests' items may be in the queue too). */
async function moveTo(queue: ShadowRoot, postId: string): Promise<HTMLElement> {
  for (let i = 0; i < 200; i++) {
    const items = [...queue.querySelectorAll<HTMLElement>('article[data-queue-post]')];
    const current = items.findIndex((a) => a.getAttribute('aria-current') === 'true');
    const target = items.findIndex((a) => a.dataset.queuePost === postId);
    if (current >= 0 && current === target) return items[current]!;
    await press(current < 0 || current < target ? 'j' : 'k');
  }
  throw new Error(`never reached ${postId} with j`);
}

describe('the moderators’ queue with the keyboard only', () => {
  it('j/k move, o opens, d dismisses with a statement typed in, ? lists the shortcuts, typing stays typing', async () => {
    const topic = unique('queue-keys');
    const first = await restPost(await sign('Kim'), { topic, body: 'A first post someone reported for no reason.' });
    const second = await restPost(await sign('Lou'), { topic, body: 'A second reported post, also fine.' });
    for (const post of [first, second]) {
      await rest('POST', '/reports', await sign(unique('Reporter')), { postId: post.id, ground: 'rule', ruleId: 'R1', note: 'Rude?', goodFaith: true });
    }
    const el = await mount({ topic, token: await MOD() });
    const queue = await openQueue(el);
    await until(() => queue.querySelector(`[data-queue-post="${second.id}"]`), 'the queue never listed the second report', 20_000);
    // The shortcuts are announced next to the queue.
    expect(queue.querySelector('#keys-hint')!.textContent).to.contain('j / k');

    // Start from the Refresh button: the first j makes the first item current and focuses it.
    queue.querySelector<HTMLButtonElement>('button')!.focus();
    const a = await moveTo(queue, first.id);
    expect(focused()).to.equal(a);
    const b = await moveTo(queue, second.id);
    expect(focused()).to.equal(b);
    await press('k');
    const back = queue.querySelector<HTMLElement>('article[aria-current="true"]')!;
    expect(back).to.not.equal(b);
    await press('j');
    expect(queue.querySelector('article[aria-current="true"]')).to.equal(b);

    // o opens the item: its thread context and the author's history (with private notes).
    await press('o');
    expect([...b.querySelectorAll('details')].every((d) => d.open)).to.equal(true);
    expect(b.querySelector('parley-mod-notes')).to.not.equal(null);

    // x selects it for one decision; the bulk form appears.
    await press('x');
    expect(b.querySelector<HTMLInputElement>('input[data-select]')!.checked).to.equal(true);
    expect(queue.querySelector('[data-bulk] form')).to.not.equal(null);
    await press('x');
    expect(b.querySelector<HTMLInputElement>('input[data-select]')!.checked).to.equal(false);

    // d: "dismiss the report(s)" is chosen and the cursor waits in the reason field.
    await press('d');
    await until(() => focused()?.getAttribute('name') === 'reason', 'd never put the cursor in the reason field');
    expect(b.querySelector<HTMLSelectElement>('select[name="type"]')!.value).to.equal('dismiss-report');
    // Letters typed in a field are text, not shortcuts: "j" and "d" do not move or choose.
    await sendKeys({ type: 'Not against the rules, just direct' });
    expect(focused()?.getAttribute('name')).to.equal('reason');
    expect(queue.querySelector('article[aria-current="true"]')).to.equal(b);
    await press('Tab');
    expect(focused()?.getAttribute('name')).to.equal('facts');
    await sendKeys({ type: 'The post asks a question politely; nothing in it breaks a house rule.' });
    // Tab to the submit button and press it: the dismissal is confirmed with its log entry.
    const submit = b.querySelector<HTMLButtonElement>('form.action-form button[type="submit"]')!;
    for (let i = 0; i < 5 && focused() !== submit; i++) await press('Tab');
    expect(focused()).to.equal(submit);
    await press('Enter');
    await until(() => b.querySelector('[data-done]'), 'the dismissal was never confirmed');
    const report = (await rest('GET', '/moderation/queue', await MOD())).items.find((i: { post: { id: string } }) => i.post.id === second.id);
    expect(report).to.equal(undefined);

    // ? opens the help dialog listing every shortcut; Escape closes it and focus returns to its button.
    b.focus();
    await sendKeys({ type: '?' });
    await until(() => queue.querySelector('dialog[data-keys-dialog][open]'), 'the help dialog never opened');
    const dialog = queue.querySelector<HTMLDialogElement>('dialog[data-keys-dialog]')!;
    for (const key of ['j', 'k', 'o', 'a', 'd', 'x', '?']) expect([...dialog.querySelectorAll('kbd')].map((k) => k.textContent)).to.include(key);
    expect(dialog.getAttribute('aria-labelledby')).to.equal('keys-title');
    await expect(deep<HTMLElement>(root(el), 'parley-moderation')!).to.be.accessible();
    await press('Escape');
    await until(() => !queue.querySelector('dialog[data-keys-dialog]'), 'Escape never closed the help dialog');
    expect(focused()).to.equal(queue.querySelector('[data-keys]'));

    // a goes to the current item's action form.
    await moveTo(queue, first.id);
    await press('a');
    expect(focused()?.getAttribute('name')).to.equal('type');
  });
});
