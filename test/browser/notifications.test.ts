// Notifications in the widget (issue 13) against the real server: the follow bell, `@` suggestions
// used with the keyboard alone, "since your last visit" with unread markers that go once read,
// and the email choices in the account panel; axe checks of each.
import { expect } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import type { ParleyDiscussion } from '../../widget/parley-discussion.js';
import { sanitizePostHtml } from '../../widget/sanitize.js';
import { articleWith, mount, pressCtrlEnter, rest, restPost, root, sign, signWith, unique, until } from './helpers.js';

function bell(el: ParleyDiscussion): HTMLButtonElement | null {
  return root(el).querySelector('parley-follow')?.shadowRoot?.querySelector<HTMLButtonElement>('button[data-follow]') ?? null;
}

function composerRoot(el: ParleyDiscussion): ShadowRoot {
  return root(el).querySelector('parley-composer[data-composer="top"]')!.shadowRoot!;
}

async function openAccount(el: ParleyDiscussion): Promise<ShadowRoot> {
  root(el).querySelector<HTMLButtonElement>('button[data-panel="account"]')!.click();
  const prefs = () => root(el).querySelector('parley-account')?.shadowRoot?.querySelector('parley-notification-prefs')?.shadowRoot;
  await until(() => prefs()?.querySelector('form[data-notify-form], [data-address="none"]'), 'the notification choices never loaded');
  return prefs()!;
}

describe('notifications: the follow bell', () => {
  it('follows and unfollows with the keyboard, says so, and reports the page’s address', async () => {
    const topic = unique('follow');
    const token = await sign('Fiona Follower');
    const el = await mount({ topic, token });
    await until(() => bell(el)?.getAttribute('aria-disabled') === 'false', 'the bell never learnt the state');
    const button = bell(el)!;
    expect(button.getAttribute('aria-pressed')).to.equal('false');
    expect(button.textContent!.trim()).to.contain('Follow');

    button.focus();
    await sendKeys({ press: 'Enter' });
    await until(() => bell(el)!.getAttribute('aria-pressed') === 'true', 'Enter did not follow');
    const status = root(el).querySelector('parley-follow')!.shadowRoot!.querySelector('[data-follow-status]')!;
    expect(status.getAttribute('role')).to.equal('status');
    expect(status.textContent).to.contain('You follow this conversation');
    // The name stays the same: the state is aria-pressed, not a changed label.
    expect(bell(el)!.textContent!.trim()).to.contain('Follow');
    const state = await rest('GET', `/topics/${encodeURIComponent(topic)}/follow`, token);
    expect(state.following).to.equal(true);
    expect(state.pageUrl).to.equal(location.href.split('#')[0]);

    await sendKeys({ press: 'Space' });
    await until(() => bell(el)!.getAttribute('aria-pressed') === 'false', 'Space did not unfollow');
    expect(status.textContent).to.contain('You no longer follow this conversation');
    expect((await rest('GET', `/topics/${encodeURIComponent(topic)}/follow`, token)).following).to.equal(false);
  });

  it('is not offered to readers who are not signed in', async () => {
    const el = await mount({ topic: unique('follow-anon') });
    expect(root(el).querySelector('parley-follow')).to.equal(null);
  });
});

describe('notifications: @ suggestions in the composer', () => {
  it('suggests the people of this topic by name, chosen with the keyboard alone, and inserts the mention', async () => {
    const topic = unique('mention');
    // Suggestions are of this topic's people only, so plain names do.
    const anna = 'Annabel';
    const andre = 'Andre';
    await restPost(await signWith({ name: anna, email: `${unique('annabel')}@example.org` }), { topic, body: 'First here' });
    await restPost(await sign(andre), { topic, body: 'Me too' });
    await restPost(await sign('Bea'), { topic, body: 'And me' });
    const el = await mount({ topic, token: await sign('Mel Mentioner') });
    await until(() => root(el).querySelector('parley-composer')?.mentions, 'the composer never got its suggestions');
    const c = composerRoot(el);
    const textarea = c.querySelector('textarea')!;
    expect(textarea.getAttribute('aria-autocomplete')).to.equal('list');
    textarea.focus();

    await sendKeys({ type: 'Thanks @An' });
    await until(() => c.querySelectorAll('[role="option"]').length === 2, 'the two matching names were never suggested');
    const list = c.querySelector('[role="listbox"]')!;
    const options = [...c.querySelectorAll('[role="option"]')];
    expect(options.map((o) => o.textContent!.trim()).sort()).to.deep.equal([andre, anna].sort());
    // Display names only: never an address.
    expect(list.textContent).not.to.contain('@example.org');
    expect(textarea.getAttribute('aria-controls')).to.equal(list.id);
    expect(textarea.getAttribute('aria-activedescendant')).to.equal(options[0]!.id);
    expect(options[0]!.getAttribute('aria-selected')).to.equal('true');
    expect(c.querySelector('[data-mention-status]')!.textContent).to.contain('2 people match');
    await expect(root(el).querySelector('parley-composer')!).to.be.accessible();

    await sendKeys({ press: 'ArrowDown' });
    await until(() => textarea.getAttribute('aria-activedescendant') === options[1]!.id, 'ArrowDown did not move');
    const picked = options[1]!.textContent!.trim();
    await sendKeys({ press: 'Enter' });
    await until(() => !c.querySelector('[role="listbox"]'), 'Enter did not close the list');
    expect(textarea.hasAttribute('aria-activedescendant')).to.equal(false);
    expect(textarea.value).to.match(new RegExp(`^Thanks @\\[${picked}\\]\\(user:[\\w-]+\\) $`));
    expect(c.querySelector('[data-mention-status]')!.textContent).to.contain(`Mentioned ${picked}`);
    expect(root(el).activeElement === root(el).querySelector('parley-composer')).to.equal(true);

    // Escape closes the list and leaves the text alone.
    await sendKeys({ type: 'and @Bea' });
    await until(() => c.querySelectorAll('[role="option"]').length === 1, 'Bea was never suggested');
    await sendKeys({ press: 'Escape' });
    await until(() => !c.querySelector('[role="listbox"]'), 'Escape did not close the list');
    expect(textarea.value).to.match(/and @Bea$/);

    // Typing again opens it again; Tab picks too; the posted message shows the mentions.
    await sendKeys({ press: 'Backspace' });
    await until(() => c.querySelector('[role="option"]'), 'the list did not come back');
    await sendKeys({ type: 'a' });
    await until(() => c.querySelectorAll('[role="option"]').length === 1, 'Bea alone was not suggested');
    await sendKeys({ press: 'Tab' });
    await until(() => /@\[Bea\]\(user:[\w-]+\) $/.test(textarea.value), 'Tab did not insert the mention');
    await pressCtrlEnter();
    await until(() => articleWith(el, 'Thanks'), 'the message was never posted');
    const links = [...articleWith(el, 'Thanks')!.querySelectorAll('a.parley-mention')].map((a) => a.textContent);
    expect(links).to.deep.equal([`@${picked}`, '@Bea']);
  });
});

describe('notifications: since your last visit', () => {
  it('counts the replies to the member, marks them until read, and remembers on the server', async () => {
    const topic = unique('since');
    const sub = unique('sam');
    const mine = await restPost(await sign('Sam Asker', sub), { topic, body: 'Does anyone take this with food?' });
    // A first visit: nothing is new yet, and the visit is remembered.
    let el = await mount({ topic, token: await sign('Sam Asker', sub) });
    await until(async () => (await rest('GET', `/topics/${encodeURIComponent(topic)}/since-last-visit`, await sign('Sam Asker', sub))).lastPostId === mine.id,
      'the first visit was never remembered');
    expect(root(el).querySelector('[data-since-last-visit]')).to.equal(null);
    el.remove();

    const other = await sign('Rita Replier');
    await restPost(other, { topic, body: 'Yes, with breakfast.', parent: mine.id });
    await restPost(other, { topic, body: 'And never with grapefruit.', parent: mine.id });
    await restPost(other, { topic, body: 'A new thread, not a reply to Sam.' });
    await restPost(other, { topic, body: `Ask @[Sam Asker](user:${mine.author.id}) about it.` });

    el = await mount({ topic, token: await sign('Sam Asker', sub) });
    await until(() => root(el).querySelector('[data-since-last-visit]'), 'no since-last-visit line');
    const banner = root(el).querySelector('[data-since-last-visit]')!;
    // The count as it first appeared (reading may already have begun).
    expect(banner.querySelector('[role="status"]')!.textContent).to.equal('Since your last visit: 3 replies to you');
    await expect(el).to.be.accessible();
    const unread = [articleWith(el, 'with breakfast')!, articleWith(el, 'grapefruit')!, articleWith(el, 'about it')!];
    expect(articleWith(el, 'A new thread')!.hasAttribute('data-unread')).to.equal(false);
    expect(unread.map((a) => a.querySelector('[part="unread"]')?.textContent)).to.deep.equal(['New reply to you', 'New reply to you', 'New: mentions you']);

    // On screen for a moment: read, so the markers go and the server moves the marker.
    for (const a of unread) {
      a.scrollIntoView({ block: 'center' });
      await until(() => !a.hasAttribute('data-unread'), 'a reply on screen never became read');
    }
    await until(() => banner.textContent!.includes('You have seen every reply to you'), 'the line never said all was seen');
    await until(async () => (await rest('GET', `/topics/${encodeURIComponent(topic)}/since-last-visit`, await sign('Sam Asker', sub))).count === 0,
      'the server still counts them as new');
  });

  it('shows the marker in words on each unread reply and goes to the first', async () => {
    const topic = unique('since-marker');
    const sub = unique('una');
    const mine = await restPost(await sign('Una Unread', sub), { topic, body: 'My question' });
    const token = await sign('Una Unread', sub);
    await rest('PUT', `/topics/${encodeURIComponent(topic)}/seen`, token, { lastPostId: mine.id });
    // Many posts first, so the reply is off screen and stays unread until Sam goes there.
    const other = await sign('Olav Other');
    await restPost(other, { topic, body: 'The reply to Una', parent: mine.id });
    for (let i = 0; i < 6; i++) await restPost(other, { topic, body: `Filler ${i}\n\n${'Words about the weather. '.repeat(30)}` });
    const el = await mount({ topic, token, order: 'newest' });
    await until(() => root(el).querySelector('[data-since-first]'), 'no way to the first unread reply');
    const reply = articleWith(el, 'The reply to Una')!;
    expect(reply.hasAttribute('data-unread')).to.equal(true);
    expect(reply.querySelector('[part="unread"]')!.textContent).to.equal('New reply to you');
    root(el).querySelector<HTMLButtonElement>('[data-since-first]')!.click();
    await until(() => root(el).activeElement === reply, 'the button did not go to the reply');
  });
});

describe('notifications: email choices in the account panel', () => {
  it('are all off at first; saving opts in, and an unproven address waits for its confirmation', async () => {
    const tag = unique('p').slice(-6);
    const sub = unique('pia');
    const pia = () => signWith({ name: 'Pia Prefs', email: `pia-${tag}@example.org` }, sub);
    const el = await mount({ topic: unique('prefs'), token: await pia() });
    const prefs = await openAccount(el);
    const boxes = [...prefs.querySelectorAll<HTMLInputElement>('input[type="checkbox"]')];
    expect(boxes.map((b) => b.name)).to.deep.equal(['replies', 'mentions', 'followed', 'answers']);
    expect(boxes.every((b) => !b.checked)).to.equal(true);
    expect(prefs.querySelector<HTMLInputElement>('input[name="digest"]:checked')!.value).to.equal('off');
    // The member's own address, to them alone.
    expect(prefs.querySelector('[data-address="unconfirmed"]')!.textContent).to.contain(`pia-${tag}@example.org`);
    await expect(root(el).querySelector('parley-account')!).to.be.accessible();

    prefs.querySelector<HTMLInputElement>('input[name="replies"]')!.click();
    prefs.querySelector<HTMLInputElement>('input[name="digest"][value="daily"]')!.click();
    prefs.querySelector<HTMLButtonElement>('[data-notify-save]')!.click();
    await until(() => prefs.querySelector('[data-notify-status]')!.textContent!.includes('Your choices were saved'), 'never saved');
    expect(prefs.querySelector('[data-notify-status]')!.getAttribute('role')).to.equal('status');
    await until(() => prefs.querySelector('[data-address="confirmation-sent"]'), 'the pending confirmation was not shown');
    expect(prefs.querySelector('[data-address="confirmation-sent"]')!.textContent).to.contain('confirm your address');
    const saved = await rest('GET', '/me/notifications', await pia());
    expect(saved.preferences).to.include({ replies: true, mentions: false, followed: false, answers: false, digest: 'daily' });
    expect(saved.address.state).to.equal('confirmation-sent');
    expect(prefs.querySelector<HTMLInputElement>('input[name="replies"]')!.checked).to.equal(true);
    expect(prefs.querySelector<HTMLInputElement>('input[name="digest"]:checked')!.value).to.equal('daily');
  });

  it('says so when Parley has no address, and shows the choices in Dutch', async () => {
    const el = await mount({ topic: unique('prefs-nl'), token: await sign('Noor Zonder'), lang: 'nl' });
    root(el).querySelector<HTMLButtonElement>('button[data-panel="account"]')!.click();
    const prefs = () => root(el).querySelector('parley-account')?.shadowRoot?.querySelector('parley-notification-prefs')?.shadowRoot;
    await until(() => prefs()?.querySelector('[data-address="none"]'), 'no note about the missing address');
    expect(prefs()!.querySelector('[data-address="none"]')!.textContent).to.contain('geen e-mailadres');
    expect(prefs()!.querySelector('h3')!.textContent).to.equal('Meldingen per e-mail');
    expect(prefs()!.querySelector('[data-notify-save]')!.getAttribute('aria-disabled')).to.equal('true');
  });
});

describe('notifications: mentions in posts', () => {
  it('keep their class and person id through the sanitiser, and nothing else', () => {
    const box = document.createElement('div');
    box.innerHTML = sanitizePostHtml('<p><a class="parley-mention" data-user="u_1-x" href="#parley-person-u_1-x">@Rita</a> '
      + '<a class="evil" data-user="x" href="javascript:alert(1)">x</a> <a class="parley-mention" data-user="bad id!">y</a> '
      + '<strong class="parley-mention" data-user="u2">z</strong></p>');
    const [mention, other, odd] = [...box.querySelectorAll('a')];
    expect(mention!.className).to.equal('parley-mention');
    expect(mention!.dataset.user).to.equal('u_1-x');
    expect(mention!.hasAttribute('href')).to.equal(false);
    expect(other!.hasAttribute('class') || other!.hasAttribute('data-user') || other!.hasAttribute('href')).to.equal(false);
    expect(odd!.className).to.equal('parley-mention');
    expect(odd!.hasAttribute('data-user')).to.equal(false);
    expect(box.querySelector('strong')!.attributes.length).to.equal(0);
  });
});
