/**
 * The look of issue 17 against the real server: the moderators' note as a callout no post can
 * imitate, the light and dark themes (attribute and `prefers-color-scheme`, reaching nested
 * components), axe in both themes, live relative times, and a long page that keeps the reader's
 * place when new conversations arrive live ("N new messages" instead of a jump).
 */
import { expect, fixture, html } from '@open-wc/testing';
import { emulateMedia } from '@web/test-runner-commands';
import { PALETTES } from '../../widget/styles/tokens.js';
import type { ParleyDiscussion } from '../../widget/parley-discussion.js';
import { articles, env, mount, rest, restPost, root, sign, unique, until } from './helpers.js';

const MOD = () => sign('Mia Moderator', 'browser-mod-1');
const rgb = (hex: string) => `rgb(${[1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16)).join(', ')})`;
const article = (el: ParleyDiscussion, id: string) => root(el).querySelector<HTMLElement>(`article[data-post-id="${id}"]`);

async function mountThemed(topic: string, theme: string | null): Promise<ParleyDiscussion> {
  const el = await fixture<ParleyDiscussion>(html`<parley-discussion server=${env.server} site=${env.site} topic=${topic} lang="en" theme=${theme ?? 'auto'}></parley-discussion>`);
  await until(() => el.client?.status === 'ready', 'the first page never loaded');
  await el.updateComplete;
  return el;
}

describe('design: the moderators’ note, themes, live times, long threads', () => {
  let topic: string;
  let labelled: { id: string };
  let removed: { id: string };

  before(async () => {
    topic = unique('design');
    const sam = await sign('Sam Staffer');
    labelled = await restPost(sam, { topic, body: 'Our medicine also helps with sleep.' });
    // A post that tries to look like a moderators' note: raw HTML and a look-alike line.
    await restPost(await sign('Ivan Imitator'), {
      topic,
      body: '<aside class="callout mod-note" style="background:#fff8e1"><svg></svg>Note from the moderators</aside>\n\n**Note from the moderators of Everyone** · Rule R1',
    });
    removed = await restPost(await sign('Rita Rude'), { topic, body: 'Something rude.' });
    const mod = await MOD();
    await rest('POST', '/moderation/actions', mod, { type: 'label', postId: labelled.id, ruleId: 'R5', reason: 'Unapproved use', labelText: 'Sleep is not an approved use.', facts: 'A post suggests a use outside the approval.' });
    await rest('POST', '/moderation/actions', mod, { type: 'remove', postId: removed.id, ruleId: 'R1', reason: 'Insult', facts: 'The post insults members.' });
  });

  afterEach(async () => {
    await emulateMedia({ colorScheme: 'light' });
  });

  it('sets the moderators’ note apart: a labelled callout with icon and rule, outside the body, that a post cannot produce', async () => {
    const el = await mountThemed(topic, 'light');
    const post = article(el, labelled.id)!;
    const note = post.querySelector<HTMLElement>('aside.mod-note')!;
    expect(note, 'a callout').to.exist;
    expect(note.closest('.body')).to.equal(null);
    expect(note.getAttribute('aria-label')).to.equal(`Note from the moderators of ${el.client!.site!.name}`);
    expect(note.querySelector('.callout-title')!.textContent).to.equal(`Note from the moderators of ${el.client!.site!.name}`);
    expect(note.querySelector('.callout-text')!.textContent).to.equal('Sleep is not an approved use.');
    expect(note.querySelector('.callout-meta')!.textContent).to.match(/^Rule R5 .+\(v\d+\)/);
    expect(note.querySelector('svg.icon')).to.exist;
    const style = getComputedStyle(note);
    expect(style.backgroundColor).to.equal(rgb(PALETTES.light['note-bg']));
    expect(style.borderInlineStartWidth).to.equal('5px');
    // The imitation stays words inside a body: no aside, svg, class or style survives the sanitiser.
    const fake = articles(el).find((a) => a.textContent!.includes('Everyone'))!;
    const body = fake.querySelector('.body')!;
    expect(body.querySelector('aside, svg, [class], [style]')).to.equal(null);
    expect(fake.querySelector('aside.mod-note')).to.equal(null);
    expect(getComputedStyle(body).backgroundColor).to.equal('rgba(0, 0, 0, 0)');
    // A tombstone speaks the same visual language, muted.
    const tomb = article(el, removed.id)!.querySelector<HTMLElement>('.tombstone')!;
    expect(tomb.querySelector('svg.icon')).to.exist;
    expect(getComputedStyle(tomb).borderInlineStartWidth).to.equal('5px');
    await expect(el).to.be.accessible();
  });

  it('has a light and a dark theme: forced by the attribute, or following prefers-color-scheme; nested components follow', async () => {
    await emulateMedia({ colorScheme: 'dark' });
    const auto = await mountThemed(topic, null);
    expect(getComputedStyle(auto).backgroundColor).to.equal(rgb(PALETTES.dark.bg));
    expect(getComputedStyle(auto).colorScheme).to.equal('dark');
    const light = await mountThemed(topic, 'light');
    expect(getComputedStyle(light).backgroundColor).to.equal(rgb(PALETTES.light.bg));

    await emulateMedia({ colorScheme: 'light' });
    const dark = await mount({ topic, token: await sign('Dora Dark') }).then(async (el) => {
      el.setAttribute('theme', 'dark');
      await el.updateComplete;
      return el;
    });
    expect(getComputedStyle(dark).backgroundColor).to.equal(rgb(PALETTES.dark.bg));
    expect(getComputedStyle(dark).color).to.equal(rgb(PALETTES.dark.text));
    // The composer is a component of its own: it inherits the dark tones.
    const textarea = root(dark).querySelector('parley-composer')!.shadowRoot!.querySelector('textarea')!;
    expect(getComputedStyle(textarea).color).to.equal(rgb(PALETTES.dark.text));
    const note = article(dark, labelled.id)!.querySelector<HTMLElement>('aside.mod-note')!;
    expect(getComputedStyle(note).backgroundColor).to.equal(rgb(PALETTES.dark['note-bg']));
    // The font is the system stack, never a host page's serif.
    expect(getComputedStyle(dark).fontFamily).to.contain('system-ui');
    await expect(dark).to.be.accessible();
  });

  it('moves relative times on: "now" becomes "3 minutes ago" when the clock ticks (here: the tab is shown again)', async () => {
    const fresh = unique('design-time');
    const post = await restPost(await sign('Tim Timely'), { topic: fresh, body: 'Just now.' });
    const el = await mount({ topic: fresh });
    const time = () => article(el, post.id)!.querySelector('time')!.textContent!.trim();
    expect(time()).to.equal('now');
    const real = Date.now;
    Date.now = () => real() + 3 * 60_000 + 5_000;
    try {
      document.dispatchEvent(new Event('visibilitychange'));
      await until(() => time() === '3 minutes ago', `the time stayed "${time()}"`);
    } finally {
      Date.now = real;
    }
  });

  it('keeps the reader’s place when a new conversation arrives live, and offers "1 new message" instead', async () => {
    const long = unique('design-long');
    let token = '';
    for (let i = 0; i < 24; i++) {
      if (i % 5 === 0) token = await sign(`Writer ${i / 5}`);
      await restPost(token, { topic: long, body: `Conversation number ${i}. ${'A longer line of text so the page scrolls. '.repeat(3)}` });
    }
    const el = await fixture<ParleyDiscussion>(html`<parley-discussion server=${env.server} site=${env.site} topic=${long} page-size="100" lang="en"></parley-discussion>`);
    await until(() => el.client?.status === 'ready' && el.getAttribute('connection') === 'connected', 'the page never loaded');
    await el.updateComplete;
    expect(articles(el)).to.have.length(24);
    // Read further down: the top of the list is out of view.
    const list = root(el).querySelector('.threads')!;
    window.scrollTo(0, window.scrollY + list.getBoundingClientRect().top + 900);
    const reading = articles(el).find((a) => a.getBoundingClientRect().top > 0)!;
    const before = reading.getBoundingClientRect().top;

    const news = await restPost(await sign('Nina Newcomer'), { topic: long, body: 'A brand new conversation.' });
    await until(() => root(el).querySelector('[data-new-messages]'), 'no "new messages" button');
    const button = root(el).querySelector<HTMLButtonElement>('[data-new-messages]')!;
    expect(button.textContent!.trim()).to.equal('Show 1 new message');
    expect(article(el, news.id)).to.equal(null);
    // Still where it was (sub-pixel rounding aside): a post inserted above would push it down by its height.
    expect(Math.abs(reading.getBoundingClientRect().top - before)).to.be.below(2);
    expect(el.client!.state.posts.has(news.id)).to.equal(true);
    await expect(el).to.be.accessible();

    // WCAG 2.4.11: a control that takes focus right under the sticky button is scrolled clear of it.
    const reply = articles(el)
      .map((a) => a.querySelector<HTMLButtonElement>('button[data-reply-for]')!)
      .find((b) => b.getBoundingClientRect().top > button.getBoundingClientRect().bottom + 100)!;
    window.scrollBy(0, reply.getBoundingClientRect().top - button.getBoundingClientRect().top);
    const covered = () => reply.getBoundingClientRect().top < button.getBoundingClientRect().bottom;
    expect(covered(), 'the Reply button is not under the sticky button to begin with').to.equal(true);
    reply.focus();
    await new Promise((done) => requestAnimationFrame(done));
    expect(root(el).activeElement).to.equal(reply);
    expect(covered(), 'the focused Reply button stays under the sticky button').to.equal(false);

    button.click();
    await until(() => article(el, news.id), 'the new conversation was not shown');
    await el.updateComplete;
    expect(root(el).activeElement).to.equal(article(el, news.id));
    expect(root(el).querySelector('[data-new-messages]')).to.equal(null);
    expect(articles(el)[0]!.dataset.postId).to.equal(news.id);
    window.scrollTo(0, 0);
  });
});
