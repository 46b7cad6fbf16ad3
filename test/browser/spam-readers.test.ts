/**
 * Issue 16 in the widget, against the real server: a held post is shown to its author only,
 * "waiting for a moderator", and reaches readers live once released; "Helpful" with its count
 * (aria-pressed; staff marks with the staff badge) and the "Most helpful" order; search with
 * results that lead into the thread; a moderator's pin (first, labelled; no Pin for members);
 * "Delete my post" with its confirm dialog and the tombstone "Deleted by its author"; axe.
 * Moderators are seeded by run.ts (browser-mod-1).
 */
import { expect } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import { article, articles, composer, focused, mount, rest, restPost, root, sign, signWith, typeInto, unique, until } from './helpers.js';

const MOD = () => sign('Mia Moderator', 'browser-mod-1');
const facts = 'The post was held by the honeypot but a person wrote it; nothing breaks a rule.';

describe('readers’ basics and held posts (issue 16)', () => {
  it('a held post: its author sees it waiting for a moderator, readers see nothing until it is released', async () => {
    const topic = unique('held');
    const reader = await mount({ topic });
    const hugo = unique('hugo');
    const author = await mount({ topic, token: await sign('Hugo', hugo) });
    const c = composer(author)!;
    typeInto(c.textarea, 'My first words here, caught by the honeypot');
    // What a form-filling robot would do: the field people never see is filled in.
    c.element.shadowRoot!.querySelector<HTMLInputElement>('[data-honeypot]')!.value = 'https://spam.example';
    c.submit.click();
    await until(() => root(author).querySelector('[data-held]'), 'the author never saw their post as held');
    const held = root(author).querySelector<HTMLElement>('[data-held]')!.closest('article')!;
    expect(held.textContent).to.contain('Waiting for a moderator');
    expect(held.textContent).to.contain('only you can see this message');
    // No Reply or Report on a held post.
    expect(held.querySelector('[data-reply-for], [data-mod="report"]')).to.equal(null);
    await expect(author).to.be.accessible();

    // Readers get nothing: not on screen, not in the page the server sends.
    const page = await rest('GET', `/topics/${encodeURIComponent(topic)}/posts`, null);
    expect(page.posts.map((p: { id: string }) => p.id)).not.to.include(held.dataset.postId);
    expect(root(reader).textContent).not.to.contain('caught by the honeypot');
    // The author comes back later: the page, asked for with their token, still shows it held.
    const again = await mount({ topic, token: await sign('Hugo', hugo) });
    await until(() => root(again).querySelector(`article[data-post-id="${held.dataset.postId}"] [data-held]`), 'the author lost their held post on reload');
    // Signing out there takes it off the screen.
    again.setToken(null);
    await until(() => !root(again).querySelector(`article[data-post-id="${held.dataset.postId}"]`), 'the held post stayed on screen after signing out');

    await rest('POST', '/moderation/actions', await MOD(), { type: 'release', postId: held.dataset.postId, reason: 'Written by a person', facts });
    await until(() => root(reader).textContent!.includes('caught by the honeypot'), 'the released post never reached the reader live');
  });

  it('Helpful: a toggle with its count, staff marks shown with the badge, and the Most helpful order', async () => {
    const topic = unique('helpful');
    const older = await restPost(await sign('Olga'), { topic, body: 'The older answer, which helped' });
    await restPost(await sign('Nina'), { topic, body: 'The newer answer' });
    const staff = await signWith({ name: 'Ada Acme', affiliation: { company: 'acme', jobTitle: 'Medical Advisor' } });
    await rest('PUT', `/posts/${older.id}/helpful`, staff);

    const el = await mount({ topic, token: await sign('Mo Member') });
    const button = () => article(el, older.id)!.querySelector<HTMLButtonElement>('[data-helpful]')!;
    expect(button().getAttribute('aria-pressed')).to.equal('false');
    // The staff mark is shown with the staff badge and does not count.
    expect(article(el, older.id)!.querySelector('[data-helpful-staff] [part~="staff-badge"]')!.textContent!.toLowerCase()).to.contain('acme');
    expect(button().textContent!.trim()).to.equal('Helpful');
    button().focus();
    await sendKeys({ press: 'Enter' });
    await until(() => button().getAttribute('aria-pressed') === 'true', 'Helpful was never pressed');
    expect(button().textContent).to.contain('Helpful · 1');
    // A reader who is not signed in sees the count, not a button.
    const reader = await mount({ topic });
    reader.order = 'helpful';
    await until(() => reader.client?.state.order === 'helpful' && reader.client.status === 'ready', 'the Most helpful order never loaded');
    await reader.updateComplete;
    expect(article(reader, older.id)!.querySelector('[data-helpful]')).to.equal(null);
    expect(article(reader, older.id)!.querySelector('[data-helpful-count]')!.textContent).to.contain('Helpful · 1');
    // Most helpful: the marked (older) post comes first, although newest-first would put it last.
    expect(articles(reader)[0]!.dataset.postId).to.equal(older.id);
    const select = root(el).querySelector<HTMLSelectElement>('#order')!;
    expect([...select.options].map((o) => o.value)).to.include('helpful');
    // Pressing again takes the mark back.
    button().click();
    await until(() => button().getAttribute('aria-pressed') === 'false', 'Helpful was never taken back');
  });

  it('search finds a post of the site and leads into its thread; Escape closes it', async () => {
    const topic = unique('search');
    const word = `zephyrine${Date.now().toString(36)}`;
    const post = await restPost(await sign('Sara'), { topic, body: `Has anyone tried ${word} for the night-time restlessness?` });
    const el = await mount({ topic });
    const open = root(el).querySelector<HTMLButtonElement>('[data-panel="search"]')!;
    open.click();
    await until(() => root(el).querySelector('parley-search')?.shadowRoot?.querySelector('input'), 'the search never opened');
    const search = root(el).querySelector('parley-search')!.shadowRoot!;
    await until(() => focused() === search.querySelector('input'), 'the search field never took focus');
    expect(search.querySelector('label[for="q"]')).to.not.equal(null);
    await sendKeys({ type: word });
    await sendKeys({ press: 'Enter' });
    await until(() => search.querySelector(`[data-hit="${post.id}"]`), 'the search never found the post', 20_000);
    expect(search.querySelector('[role="status"]')!.textContent).to.contain('found');
    await expect(root(el).querySelector('parley-search')!).to.be.accessible();
    // The result is in this discussion and on screen: it leads there.
    search.querySelector<HTMLAnchorElement>(`[data-hit="${post.id}"] a`)!.click();
    expect(focused()).to.equal(article(el, post.id));
    // Escape closes the search and focus returns to its button.
    search.querySelector<HTMLInputElement>('input')!.focus();
    await sendKeys({ press: 'Escape' });
    await until(() => !root(el).querySelector('parley-search'), 'Escape never closed the search');
    expect(focused()).to.equal(open);
  });

  it('a moderator pins a post: it comes first and is labelled for everyone; members get no Pin', async () => {
    const topic = unique('pin');
    const older = await restPost(await sign('Pat'), { topic, body: 'The clinic’s opening hours, for everyone' });
    await restPost(await sign('Quin'), { topic, body: 'A later question' });
    const member = await mount({ topic, token: await sign('Not A Mod') });
    expect(root(member).querySelector('[data-pin]')).to.equal(null);
    const mod = await mount({ topic, token: await MOD() });
    expect(articles(mod)[0]!.dataset.postId).not.to.equal(older.id);
    article(mod, older.id)!.querySelector<HTMLButtonElement>('[data-pin]')!.click();
    await until(() => article(mod, older.id)?.querySelector('[data-pinned]'), 'the pin was never shown');
    expect(articles(mod)[0]!.dataset.postId).to.equal(older.id);
    expect(article(mod, older.id)!.querySelector('[data-pinned]')!.textContent).to.contain('Pinned by the moderators');
    const reader = await mount({ topic });
    expect(articles(reader)[0]!.dataset.postId).to.equal(older.id);
    expect(article(reader, older.id)!.querySelector('[data-pinned]')).to.not.equal(null);
    await expect(reader).to.be.accessible();
    // Unpin.
    article(mod, older.id)!.querySelector<HTMLButtonElement>('[data-pin]')!.click();
    await until(() => !article(mod, older.id)?.querySelector('[data-pinned]'), 'the pin was never taken off');
  });

  it('Delete my post: a confirm dialog (Cancel first, Escape keeps it), then the tombstone for everyone', async () => {
    const topic = unique('delete');
    const sub = unique('deleter');
    const post = await restPost(await sign('Dora', sub), { topic, body: 'Something I would rather take back' });
    await restPost(await sign('Ed'), { topic, parent: post.id, body: 'A reply that stays' });
    const reader = await mount({ topic, order: 'oldest' });
    const el = await mount({ topic, order: 'oldest', token: await sign('Dora', sub) });
    const button = () => article(el, post.id)!.querySelector<HTMLButtonElement>('[data-delete]')!;
    expect(article(el, post.id)!.querySelector('[data-delete]')).to.not.equal(null);
    // Others get no Delete on it.
    expect(root(el).querySelectorAll('[data-delete]').length).to.equal(1);

    button().click();
    await until(() => root(el).querySelector('parley-delete-post')?.shadowRoot?.querySelector('dialog[open]'), 'the confirm dialog never opened');
    const dialog = root(el).querySelector('parley-delete-post')!.shadowRoot!.querySelector('dialog')!;
    expect(dialog.getAttribute('aria-labelledby')).to.equal('delete-title');
    expect(focused()).to.equal(dialog.querySelector('[data-cancel]'));
    await expect(root(el).querySelector('parley-delete-post')!).to.be.accessible();
    await sendKeys({ press: 'Escape' });
    await until(() => !root(el).querySelector('parley-delete-post'), 'Escape never closed the dialog');
    expect(focused()).to.equal(button());
    expect(article(el, post.id)!.textContent).to.contain('rather take back');

    button().click();
    await until(() => root(el).querySelector('parley-delete-post')?.shadowRoot?.querySelector('dialog[open] [data-confirm]'), 'the dialog never opened again');
    root(el).querySelector('parley-delete-post')!.shadowRoot!.querySelector<HTMLButtonElement>('[data-confirm]')!.click();
    await until(() => article(el, post.id)?.querySelector('[data-deleted]'), 'the author never saw the tombstone');
    expect(article(el, post.id)!.textContent).to.contain('Deleted by its author');
    expect(article(el, post.id)!.textContent).not.to.contain('rather take back');
    await until(() => root(el).querySelector('[data-live]')!.textContent!.includes('Your message was deleted'), 'the deletion was never announced');
    // The button went with the text: focus is on the post's article, not lost.
    expect(focused()).to.equal(article(el, post.id));
    await until(() => article(reader, post.id)?.querySelector('[data-deleted]'), 'the reader never saw the tombstone live');
    expect(root(reader).textContent).not.to.contain('rather take back');
    expect(root(reader).textContent).to.contain('A reply that stays');
  });
});
