// Automated accessibility checks (axe-core, through chai-a11y-axe) of the discussion and of the
// parts added for authenticity signals: a thread with staff badges, labels, product mentions,
// edit markers and a safety note; the company card with its presence chart; the edit history
// dialog. axe finds what machines can find (names, roles, contrast, ARIA misuse); the keyboard
// and focus behaviour is asserted in the feature tests.
import { expect } from '@open-wc/testing';
import { articleWith, mount, rest, restPost, root, sign, signWith, unique, until } from './helpers.js';
import type { ParleyDiscussion } from '../../widget/parley-discussion.js';

const staffToken = (name: string) => signWith({ name, affiliation: { company: 'acme', jobTitle: 'Medical Advisor' } });

async function thread(): Promise<{ el: ParleyDiscussion; topic: string }> {
  const topic = unique('a11y');
  const staff = await staffToken('Ada Acme');
  const first = await restPost(staff, { topic, body: 'Rememba is **our** medicine; ask your doctor whether it suits you.' });
  const member = await sign('Mo Member');
  await restPost(member, { topic, body: 'Thanks — does anyone know the clinic hours?', parent: first.id });
  await rest('PATCH', `/posts/${first.id}`, staff, { body: 'Rememba is **our** medicine; please ask your own doctor whether it suits you.' });
  const el = await mount({ topic, token: member });
  return { el, topic };
}

describe('accessibility (axe)', () => {
  it('the discussion with staff badges, product mentions and edit markers has no violations', async () => {
    const { el } = await thread();
    expect(articleWith(el, 'ask your own doctor')!.textContent).to.contain('edited after a reply');
    await expect(el).to.be.accessible();
  });

  it('the company card with its presence chart has no violations', async () => {
    const { el } = await thread();
    root(el).querySelector<HTMLButtonElement>('button[data-company="acme"]')!.click();
    const presence = () => root(el).querySelector('parley-company-card')?.shadowRoot?.querySelector('parley-presence')?.shadowRoot;
    await until(() => presence()?.querySelector('svg[role="img"]'), 'the card never drew its presence');
    await expect(root(el).querySelector('parley-company-card')!).to.be.accessible();
  });

  it('the edit history dialog has no violations', async () => {
    const { el } = await thread();
    articleWith(el, 'ask your own doctor')!.querySelector<HTMLButtonElement>('[data-edit="history"]')!.click();
    await until(() => root(el).querySelector('parley-edit')?.shadowRoot?.querySelector('dialog[open]'), 'the history never opened');
    await expect(root(el).querySelector('parley-edit')!).to.be.accessible();
  });

  it('the author’s private safety note has no violations', async () => {
    const topic = unique('a11y-safety');
    const sub = unique('nell');
    const token = await sign('Nell Member', sub);
    const post = await restPost(token, { topic, body: 'Since starting Rememba my father is dizzy and he fell twice last week.' });
    const el = await mount({ topic, token: await sign('Nell Member', sub) });
    const note = () => root(el).querySelector(`article[data-post-id="${post.id}"] parley-safety-signpost`);
    await until(() => note()?.shadowRoot?.querySelector('[data-signpost]') ?? note()?.querySelector('[data-signpost]'), 'the author never got the note');
    await expect(note()!).to.be.accessible();
  });
});
