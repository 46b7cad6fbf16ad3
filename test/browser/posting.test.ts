import { expect, oneEvent } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import { articles, articleWith, composer, fetchPage, liveRegion, mount, pressCtrlEnter, restPost, root, sign, typeInto, unique, until } from './helpers.js';

describe('<parley-discussion> posting', () => {
  it('posts through the composer and shows the post once', async () => {
    const topic = unique('compose');
    const el = await mount({ topic, token: await sign('Dana Doctor') });
    const c = composer(el)!;
    expect(c.element.shadowRoot!.querySelector(`label[for="${c.textarea.id}"]`)!.textContent).to.equal('Write a message');
    typeInto(c.textarea, 'Hello from the composer');
    c.submit.click();
    await until(() => articleWith(el, 'Hello from the composer'), 'the post never appeared');
    await until(() => c.textarea.value === '', 'the composer was not cleared');
    expect(articles(el)).to.have.length(1);
    expect(articleWith(el, 'Hello from the composer')!.getAttribute('aria-label')).to.equal('Message from Dana Doctor');
    expect(liveRegion(el).textContent).to.contain('Your message was posted');
    // Give the socket echo (post:created) time to arrive: still one.
    await new Promise((r) => setTimeout(r, 300));
    expect(articles(el)).to.have.length(1);
    expect((await fetchPage(topic)).posts).to.have.length(1);
  });

  it('submits with Ctrl+Enter', async () => {
    const el = await mount({ topic: unique('ctrl-enter'), token: await sign('Eve') });
    const c = composer(el)!;
    c.textarea.focus();
    await sendKeys({ type: 'Sent by keyboard' });
    await pressCtrlEnter();
    await until(() => articleWith(el, 'Sent by keyboard'), 'Ctrl+Enter did not post');
  });

  it('replies inline; Escape closes the reply composer and returns focus to Reply', async () => {
    const topic = unique('reply');
    await restPost(await sign('Frank'), { topic, body: 'Original question' });
    const el = await mount({ topic, token: await sign('Grace') });
    const parent = articleWith(el, 'Original question')!;
    const replyButton = parent.querySelector<HTMLButtonElement>('button[data-reply-for]')!;
    expect(replyButton.getAttribute('aria-expanded')).to.equal('false');
    replyButton.click();
    await until(() => composer(el, parent.dataset.postId!), 'no reply composer opened');
    const c = composer(el, parent.dataset.postId!)!;
    expect(replyButton.getAttribute('aria-expanded')).to.equal('true');
    expect(c.element.shadowRoot!.querySelector('label')!.textContent).to.equal('Reply to Frank');
    await until(() => c.element.matches(':focus-within'), 'the reply composer did not take focus');

    await sendKeys({ press: 'Escape' });
    await until(() => !composer(el, parent.dataset.postId!), 'Escape did not close the reply composer');
    expect(root(el).activeElement).to.equal(replyButton);

    // Open again and post a reply with Ctrl+Enter: it nests under its parent.
    replyButton.click();
    await until(() => composer(el, parent.dataset.postId!), 'no reply composer the second time');
    composer(el, parent.dataset.postId!)!.textarea.focus();
    await sendKeys({ type: 'A keyboard reply' });
    await pressCtrlEnter();
    await until(() => articleWith(el, 'A keyboard reply'), 'the reply never appeared');
    const reply = articleWith(el, 'A keyboard reply')!;
    expect(reply.closest('ol')!.closest('li')!.querySelector('article')).to.equal(parent);
    expect(reply.querySelector('.reply-to')!.textContent).to.contain('In reply to Frank');
    await until(() => !composer(el, parent.dataset.postId!), 'the reply composer stayed open after posting');
    expect(root(el).activeElement).to.equal(replyButton);
  });

  it('asks signed-out readers to sign in instead of showing a textarea', async () => {
    const el = await mount({ topic: unique('signed-out') });
    expect(composer(el)).to.equal(null);
    const notice = root(el).querySelector('[data-composer="top"]')!;
    expect(notice.textContent).to.contain('Sign in to take part');
    const button = notice.querySelector('button')!;
    setTimeout(() => button.click());
    const event = await oneEvent(el, 'parley-sign-in-requested');
    expect(event.composed).to.equal(true);

    // Signing in through setToken() swaps in the composer without reloading the page.
    el.setToken(await sign('Henk'));
    await until(() => composer(el), 'setToken() did not bring the composer');
  });

  it('shows the server’s validation message next to the composer', async () => {
    // A topic title over the shared limit (200) is refused by the server, not by the widget.
    const el = await mount({ topic: unique('invalid'), token: await sign('Ivy'), topicTitle: 'T'.repeat(250) });
    const c = composer(el)!;
    typeInto(c.textarea, 'This should be refused');
    c.submit.click();
    await until(() => c.error().includes('Not posted'), 'no validation error shown');
    expect(c.error()).to.match(/topicTitle/);
    expect(c.textarea.value).to.equal('This should be refused');
    expect(c.textarea.getAttribute('aria-invalid')).to.equal('true');
    expect(articles(el)).to.have.length(0);
  });

  it('says when to try again after hitting the rate limit', async () => {
    const topic = unique('rate');
    const token = await sign('Jack', unique('rate-user'));
    // run.ts allows 12 posts per account per minute.
    for (let i = 0; i < 12; i++) await restPost(token, { topic, body: `quick ${i}` });
    const el = await mount({ topic, token, pageSize: 100 });
    const c = composer(el)!;
    typeInto(c.textarea, 'One too many');
    c.submit.click();
    await until(() => /try again in \d+ seconds/i.test(c.error()), `no rate-limit message (got "${c.error()}")`);
    expect(c.textarea.value).to.equal('One too many');
  });

  it('checks empty messages before sending', async () => {
    const el = await mount({ topic: unique('empty-body'), token: await sign('Kim') });
    const c = composer(el)!;
    typeInto(c.textarea, '   ');
    c.submit.click();
    await until(() => c.error().includes('Write a message first'), 'no empty-message error');
  });
});

describe('<parley-discussion> sign-in problems', () => {
  it('keeps reading live when the host token is refused, and asks to sign in again', async () => {
    const topic = unique('bad-token');
    const forged = await sign('Forger', unique('forger'), 'not-the-site-secret-0123456789abcdef');
    const el = await mount({ topic, token: forged, connected: false });
    await until(() => el.client?.signIn === 'invalid', 'the refused token was not noticed');
    await until(() => el.getAttribute('connection') === 'connected', 'the socket never connected without the token');
    await el.updateComplete;
    expect(composer(el)).to.equal(null);
    expect(root(el).querySelector('[data-composer="top"]')!.textContent).to.contain('Your sign-in has expired');
    await restPost(await sign('Uma'), { topic, body: 'Still live for guests' });
    await until(() => articleWith(el, 'Still live for guests'), 'no live posts after the refused token');
  });
});
