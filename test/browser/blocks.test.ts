/**
 * Blocking in the widget (issue 13), against the real server: "Block" on another member's post
 * asks to confirm (Cancel first, Escape keeps nothing), then that person's posts fold for this
 * reader behind "Post by someone you blocked — Show" (their replies stay; Show opens it), while
 * another reader sees no difference and company staff's posts never fold; the account panel lists
 * the blocked person with Unblock, which unfolds the posts again; moderator mode unfolds
 * everything; axe on each state. Moderators are seeded by run.ts (browser-mod-1).
 */
import { expect } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import { article, focused, mount, rest, restPost, root, sign, signWith, unique, until } from './helpers.js';

describe('blocking (issue 13)', () => {
  it('Block with a confirm dialog folds their posts behind Show; Unblock in Your account unfolds them; nobody else sees a change', async () => {
    const topic = unique('block');
    const rude = await restPost(await sign('Rex Rude'), { topic, body: 'Something unkind about your question' });
    const reply = await restPost(await sign('Kim Kind'), { topic, parent: rude.id, body: 'A kind reply that stays' });
    const staff = await signWith({ name: 'Ada Acme', affiliation: { company: 'acme', jobTitle: 'Medical Advisor' } });
    const answer = await restPost(staff, { topic, body: 'The company’s public answer' });
    const me = unique('blocker');
    const el = await mount({ topic, order: 'oldest', token: await sign('Bea Blocker', me) });
    const bystander = await mount({ topic, order: 'oldest', token: await sign('Bo Bystander') });

    const blockButton = () => article(el, rude.id)!.querySelector<HTMLButtonElement>('[data-block]')!;
    await until(() => article(el, rude.id)?.querySelector('[data-block]'), 'no Block button on another member’s post');
    expect(blockButton().textContent!.trim()).to.equal('Block');
    // Staff may be blocked (it stops their mentions), but never one's own post.
    expect(article(el, answer.id)!.querySelector('[data-block]')).to.not.equal(null);

    // Cancel first; Escape keeps nothing.
    blockButton().click();
    await until(() => root(el).querySelector('parley-block-confirm')?.shadowRoot?.querySelector('dialog[open]'), 'the confirm dialog never opened');
    const dialog = root(el).querySelector('parley-block-confirm')!.shadowRoot!.querySelector('dialog')!;
    expect(dialog.querySelector('h2')!.textContent).to.equal('Block Rex Rude?');
    expect(dialog.textContent).to.contain('Nobody else sees any difference');
    expect(focused()).to.equal(dialog.querySelector('[data-cancel]'));
    await expect(root(el).querySelector('parley-block-confirm')!).to.be.accessible();
    await sendKeys({ press: 'Escape' });
    await until(() => !root(el).querySelector('parley-block-confirm'), 'Escape never closed the dialog');
    expect(focused()).to.equal(blockButton());
    expect(article(el, rude.id)!.textContent).to.contain('Something unkind');

    // Confirm: the post folds to one line, its reply stays, focus is on Show.
    blockButton().click();
    await until(() => root(el).querySelector('parley-block-confirm')?.shadowRoot?.querySelector('dialog[open] [data-confirm]'), 'the dialog never opened again');
    root(el).querySelector('parley-block-confirm')!.shadowRoot!.querySelector<HTMLButtonElement>('[data-confirm]')!.click();
    await until(() => article(el, rude.id)?.hasAttribute('data-blocked-post'), 'the post never folded');
    const folded = article(el, rude.id)!;
    expect(folded.textContent).to.contain('Post by someone you blocked');
    expect(folded.textContent).not.to.contain('Something unkind');
    expect(folded.textContent).not.to.contain('Rex Rude');
    expect(article(el, reply.id)!.textContent).to.contain('A kind reply that stays');
    // The company's answer is never folded.
    expect(article(el, answer.id)!.textContent).to.contain('The company’s public answer');
    await until(() => root(el).querySelector('[data-live]')!.textContent!.includes('You blocked Rex Rude'), 'the block was never announced');
    const show = folded.querySelector<HTMLButtonElement>('[data-show-blocked]')!;
    expect(focused()).to.equal(show);
    await expect(el).to.be.accessible();

    // Another reader sees the post as before.
    expect(article(bystander, rude.id)!.textContent).to.contain('Something unkind');
    expect(article(bystander, rude.id)!.hasAttribute('data-blocked-post')).to.equal(false);

    // Show opens it (focus moves to it) with Unblock among its actions.
    await sendKeys({ press: 'Enter' });
    await until(() => article(el, rude.id)?.textContent!.includes('Something unkind'), 'Show never opened the post');
    expect(focused()).to.equal(article(el, rude.id));
    expect(article(el, rude.id)!.querySelector('[data-block]')!.textContent!.trim()).to.equal('Unblock');

    // The server holds the block, for this member only.
    expect((await rest('GET', '/me/blocks', await sign('Bea Blocker', me))).blocks.map((b: { displayName: string }) => b.displayName)).to.deep.equal(['Rex Rude']);

    // Your account: the list with Unblock.
    const toggle = root(el).querySelector<HTMLButtonElement>('button[data-panel="account"]')!;
    toggle.click();
    await until(() => root(el).querySelector('parley-account')?.shadowRoot?.querySelector('parley-blocked-people')?.shadowRoot?.querySelector('[data-unblock]'), 'the blocked list never showed');
    const list = root(el).querySelector('parley-account')!.shadowRoot!.querySelector('parley-blocked-people')!.shadowRoot!;
    expect(list.querySelector('h3')!.textContent).to.equal('People you blocked');
    expect(list.querySelector('[data-blocked-list]')!.textContent).to.contain('Rex Rude');
    const unblock = list.querySelector<HTMLButtonElement>('[data-unblock]')!;
    expect(unblock.getAttribute('aria-label')).to.equal('Unblock Rex Rude');
    await expect(root(el).querySelector('parley-account')!).to.be.accessible();
    unblock.focus();
    await sendKeys({ press: 'Enter' });
    await until(() => list.querySelector('[data-blocked-none]'), 'the list never emptied');
    expect(list.querySelector('[role="status"]')!.textContent).to.contain('You unblocked Rex Rude');
    // The post is an ordinary post again, Block back on it.
    await until(() => article(el, rude.id)?.querySelector('[data-block]')?.textContent!.trim() === 'Block', 'the post never came back as ordinary');
    expect((await rest('GET', '/me/blocks', await sign('Bea Blocker', me))).blocks).to.deep.equal([]);
  });

  it('moderator mode shows a moderator every post, also those of people they blocked', async () => {
    const topic = unique('modblock');
    const post = await restPost(await sign('Rita Rude'), { topic, body: 'Something a moderator must still read' });
    const modToken = await sign('Mia Moderator', 'browser-mod-1');
    const rita = (await rest('GET', `/posts/${post.id}`, null)).post.author.id as string;
    await rest('PUT', `/me/blocks/${rita}`, modToken);
    try {
      const mod = await mount({ topic, token: modToken });
      await until(() => article(mod, post.id)?.hasAttribute('data-blocked-post'), 'the post never folded for the moderator');
      root(mod).querySelector<HTMLButtonElement>('[data-mod="queue"]')!.click();
      await until(() => article(mod, post.id)?.textContent!.includes('Something a moderator must still read'), 'moderator mode never showed the post');
      expect(article(mod, post.id)!.hasAttribute('data-blocked-post')).to.equal(false);
    } finally {
      await rest('DELETE', `/me/blocks/${rita}`, modToken);
    }
  });

  it('company staff get no Block button, and a reader who is not signed in gets none either', async () => {
    const topic = unique('noblock');
    const post = await restPost(await sign('Mo Member'), { topic, body: 'A member’s post' });
    const staff = await mount({ topic, token: await signWith({ name: 'Sam Staff', affiliation: { company: 'acme', jobTitle: 'Nurse Advisor' } }) });
    await until(() => article(staff, post.id), 'the post never showed');
    expect(article(staff, post.id)!.querySelector('[data-block]')).to.equal(null);
    const reader = await mount({ topic });
    await until(() => article(reader, post.id), 'the post never showed');
    expect(article(reader, post.id)!.querySelector('[data-block]')).to.equal(null);
  });
});
