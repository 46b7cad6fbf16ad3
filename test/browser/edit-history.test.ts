// Edit history (issue 6): authors edit inline, everyone sees "edited · see history", and the
// history dialog lists every version. Against the real server, from source.
import { expect } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import type { Post } from '../../moderation/types.js';
import type { ParleyDiscussion } from '../../widget/parley-discussion.js';
import { env, liveRegion, mount, pressCtrlEnter, restPost, root, sign, signWith, typeInto, unique, until } from './helpers.js';

async function restEdit(token: string, id: string, body: string): Promise<Post> {
  const res = await fetch(`${env.server}/api/sites/${env.site}/posts/${id}`, {
    method: 'PATCH',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ body }),
  });
  const data = await res.json();
  if (!res.ok) throw new Error(`PATCH /posts/${id} ${res.status}: ${JSON.stringify(data)}`);
  return data.post as Post;
}

const article = (el: ParleyDiscussion, id: string) => root(el).querySelector<HTMLElement>(`article[data-post-id="${id}"]`);
const editor = (el: ParleyDiscussion) => root(el).querySelector('parley-edit')?.shadowRoot ?? null;
const bodyText = (el: ParleyDiscussion, id: string) => article(el, id)?.querySelector('.body')?.textContent?.trim() ?? '';
const focused = (el: ParleyDiscussion) => root(el).activeElement;

describe('edit history', () => {
  it('the author edits inline; the edit shows "edited · see history" here and live in another widget', async () => {
    const topic = unique('edit-ui');
    const sub = unique('author');
    const mine = await restPost(await sign('Olga', sub), { topic, body: 'I walk every mornin.' });
    const theirs = await restPost(await sign('Piet'), { topic, body: 'Someone else’s post' });
    const reader = await mount({ topic });
    const el = await mount({ topic, token: await sign('Olga', sub) });

    expect(article(el, theirs.id)!.querySelector('[data-edit="edit"]'), 'no Edit on others’ posts').to.equal(null);
    expect(article(reader, mine.id)!.querySelector('[data-edit="edit"]'), 'no Edit for readers').to.equal(null);
    const button = article(el, mine.id)!.querySelector<HTMLButtonElement>('[data-edit="edit"]')!;
    expect(button.textContent!.trim()).to.equal('Edit');
    expect(button.getAttribute('aria-expanded')).to.equal('false');
    button.click();
    await until(() => editor(el)?.querySelector('textarea'), 'the editor never opened');
    const textarea = editor(el)!.querySelector('textarea')!;
    expect(textarea.value).to.equal('I walk every mornin.');
    expect(editor(el)!.querySelector(`label[for="${textarea.id}"]`)!.textContent).to.equal('Edit your message');
    expect(button.getAttribute('aria-expanded')).to.equal('true');
    await until(() => editor(el)!.activeElement === textarea, 'the textarea did not take focus');

    typeInto(textarea, 'I walk every morning, rain or shine.');
    editor(el)!.querySelector<HTMLButtonElement>('[data-save]')!.click();
    await until(() => !root(el).querySelector('parley-edit'), 'the editor did not close after saving');
    expect(bodyText(el, mine.id)).to.equal('I walk every morning, rain or shine.');
    const edited = article(el, mine.id)!.querySelector('.edited')!;
    expect(edited.textContent!.replace(/\s+/g, ' ').trim()).to.equal('· edited · see history');
    await until(() => focused(el) === article(el, mine.id)!.querySelector('[data-edit="edit"]'), 'focus did not return to Edit');
    expect(liveRegion(el).textContent).to.contain('Your edit was saved');

    // The other widget got it as post:updated.
    await until(() => bodyText(reader, mine.id) === 'I walk every morning, rain or shine.', 'the reader never saw the edit live');
    expect(article(reader, mine.id)!.querySelector('.edited')!.textContent).to.contain('edited');
  });

  it('Escape cancels the editor without saving and returns focus to Edit', async () => {
    const topic = unique('edit-escape');
    const sub = unique('author');
    const mine = await restPost(await sign('Quinn', sub), { topic, body: 'Keep me as I am' });
    const el = await mount({ topic, token: await sign('Quinn', sub) });
    const button = article(el, mine.id)!.querySelector<HTMLButtonElement>('[data-edit="edit"]')!;
    button.focus();
    await sendKeys({ press: 'Enter' });
    await until(() => editor(el)?.querySelector('textarea'), 'Enter on Edit did not open the editor');
    await until(() => editor(el)!.activeElement?.tagName === 'TEXTAREA', 'the textarea did not take focus');
    await sendKeys({ type: ' and more' });
    await sendKeys({ press: 'Escape' });
    await until(() => !root(el).querySelector('parley-edit'), 'Escape did not close the editor');
    // Booleans, not elements: chai's description of a live widget can take the page down.
    expect(focused(el) === button, 'focus is back on Edit').to.equal(true);
    expect(bodyText(el, mine.id)).to.equal('Keep me as I am');
    expect(article(el, mine.id)!.querySelector('.edited')).to.equal(null);
  });

  it('keeps the text when the server refuses, shows why, and saves on the second try (Ctrl+Enter)', async () => {
    const topic = unique('edit-conflict');
    const sub = unique('author');
    const token = await sign('Rosa', sub);
    const mine = await restPost(token, { topic, body: 'First version' });
    const el = await mount({ topic, token });
    article(el, mine.id)!.querySelector<HTMLButtonElement>('[data-edit="edit"]')!.click();
    await until(() => editor(el)?.querySelector('textarea'), 'the editor never opened');
    const textarea = editor(el)!.querySelector('textarea')!;
    typeInto(textarea, 'My careful rewrite');
    // Meanwhile the same author edits in another tab.
    await restEdit(token, mine.id, 'Edited in another tab');
    editor(el)!.querySelector<HTMLButtonElement>('[data-save]')!.click();
    await until(() => editor(el)?.querySelector('[role="alert"]:not([hidden])')?.textContent?.includes('changed since you started editing'), 'the conflict was not shown');
    expect(editor(el)!.querySelector('textarea')!.value).to.equal('My careful rewrite');
    textarea.focus();
    await pressCtrlEnter();
    await until(() => !root(el).querySelector('parley-edit'), 'the second save did not go through');
    expect(bodyText(el, mine.id)).to.equal('My careful rewrite');
    const history = await (await fetch(`${env.server}/api/sites/${env.site}/posts/${mine.id}/history`)).json();
    expect(history.history.versions.map((v: { body: string }) => v.body)).to.deep.equal(['First version', 'Edited in another tab', 'My careful rewrite']);
  });

  it('a staff edit after a reply is marked; "see history" opens a dialog of every version, Escape returns focus', async () => {
    const topic = unique('edit-staff');
    const staff = await signWith({ name: 'Anna Acme', affiliation: { company: 'acme', jobTitle: 'Medical Advisor' } });
    const post = await restPost(staff, { topic, body: 'Take it **once** a day.' });
    await restPost(await sign('Sven'), { topic, parent: post.id, body: 'Thanks, clear.' });
    await restEdit(staff, post.id, 'Take it once or twice a day.');
    const el = await mount({ topic });

    const edited = article(el, post.id)!.querySelector<HTMLElement>('.edited')!;
    expect(edited.textContent!.replace(/\s+/g, ' ').trim()).to.equal('· edited after a reply · see history');
    const see = edited.querySelector<HTMLButtonElement>('[data-edit="history"]')!;
    see.focus();
    await sendKeys({ press: 'Enter' });
    await until(() => editor(el)?.querySelector('dialog[open] li'), 'the history dialog never listed versions');
    const dialog = editor(el)!.querySelector('dialog')!;
    expect(dialog.getAttribute('aria-labelledby')).to.equal('history-title');
    expect(editor(el)!.activeElement === dialog.querySelector('h2'), 'the title has focus').to.equal(true);
    const items = [...dialog.querySelectorAll('li')];
    expect(items.map((li) => li.querySelector('h3')!.textContent!.trim())).to.deep.equal(['Version 2 (current)', 'Original']);
    expect(items[0]!.textContent).to.contain('Take it once or twice a day.');
    expect(items[0]!.textContent).to.contain('edited after a reply');
    expect(items[1]!.querySelector('strong')!.textContent).to.equal('once');
    expect(items[1]!.textContent).not.to.contain('edited after');
    for (const li of items) expect(li.querySelector('time')!.getAttribute('datetime')).to.match(/^\d{4}-\d\d-\d\dT/);

    await sendKeys({ press: 'Tab' });
    await sendKeys({ press: 'Escape' });
    await until(() => !root(el).querySelector('parley-edit'), 'Escape did not close the history');
    expect(focused(el) === article(el, post.id)!.querySelector('[data-edit="history"]'), 'focus is back on "see history"').to.equal(true);
  });

  it('speaks Dutch', async () => {
    const topic = unique('edit-nl');
    const sub = unique('author');
    const post = await restPost(await sign('Jan', sub), { topic, body: 'Eerste versie' });
    await restEdit(await sign('Jan', sub), post.id, 'Tweede versie');
    const el = await mount({ topic, lang: 'nl', token: await sign('Jan', sub) });
    await until(() => article(el, post.id)!.querySelector('.edited')!.textContent!.includes('bewerkt'), 'no Dutch "edited"');
    expect(article(el, post.id)!.querySelector('.edited')!.textContent!.replace(/\s+/g, ' ').trim()).to.equal('· bewerkt · bekijk geschiedenis');
    expect(article(el, post.id)!.querySelector('[data-edit="edit"]')!.textContent!.trim()).to.equal('Bewerken');
    article(el, post.id)!.querySelector<HTMLButtonElement>('[data-edit="history"]')!.click();
    await until(() => editor(el)?.querySelector('dialog[open] li'), 'the history never opened');
    expect(editor(el)!.querySelector('h2')!.textContent).to.equal('Bewerkingsgeschiedenis');
    expect(editor(el)!.querySelector('li:last-child h3')!.textContent!.trim()).to.equal('Origineel');
  });
});
