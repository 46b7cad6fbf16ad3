/**
 * Possible adverse events in the widget (issue 6), against the real server: the author's private
 * signpost with the reporting scheme and the consent question; the moderator's flag line with
 * the one-step forward and the delivery states (retry), and the "Possible side effects" section of
 * moderator mode; company staff's flag line and the seen clock; nothing for other members.
 *
 * Acme Pharma lists Rememba (test/browser/identity-seed.ts). Before the tests, the site admin
 * seeded by run.ts names Acme's safety contact: an email address (the test server has no SMTP,
 * so email waits in the outbox: `held`) and a webhook on a closed local port (every attempt fails:
 * `retrying`), so both delivery states show.
 */
import { expect } from '@open-wc/testing';
import type { ParleyDiscussion } from '../../widget/parley-discussion.js';
import { articleWith, composer, deep, env, mount, rest, restPost, root, sign, signWith, typeInto, unique, until } from './helpers.js';

const MOD = () => sign('Mia Moderator', 'browser-mod-1');
const ADMIN = () => sign('Ada Admin', 'browser-admin');
const acmeStaff = (name: string) => signWith({ name, affiliation: { company: 'acme', jobTitle: 'Medical Advisor' } });
const text = (el: Element | null | undefined) => (el?.textContent ?? '').replace(/\s+/g, ' ').trim();
const SIDE_EFFECT = 'Since starting Rememba my father is dizzy and he fell twice last week.';


const article = (el: ParleyDiscussion, postId: string) => root(el).querySelector<HTMLElement>(`article[data-post-id="${postId}"]`);
/** The flag line's shadow root under a post (moderators and staff). */
const flagLine = (el: ParleyDiscussion, postId: string) => article(el, postId)?.querySelector('parley-safety-flag')?.shadowRoot ?? null;
/** The private signpost's shadow root under a post (its author). */
const signpost = (el: ParleyDiscussion, postId: string) => article(el, postId)?.querySelector('parley-safety-signpost')?.shadowRoot ?? null;

before(async () => {
  // Idempotent: the same contact whichever test file runs first.
  await rest('PUT', '/admin/companies/acme/safety-contact', await ADMIN(), { pvEmail: 'pv@acme.example', pvWebhookUrl: 'http://127.0.0.1:9/pv-hook' });
});

describe('safety routing in the widget', () => {
  // First in this file, so that no earlier test has loaded the safety module into this page.
  it('loads nothing about safety for a signed-in member without a post on the page (module or API)', async () => {
    const topic = unique('safety-none');
    await restPost(await sign('Rita Member'), { topic, body: SIDE_EFFECT });
    const since = performance.now();
    const el = await mount({ topic, token: await sign('Sam Reader', unique('sam')) });
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const asked = performance.getEntriesByType('resource').filter((e) => e.startTime > since && e.name.includes('/safety/'));
    expect(asked.map((e) => e.name)).to.deep.equal([]);
    expect(root(el).querySelector('parley-safety-flag, parley-safety-signpost')).to.equal(null);
  });

  it('gives the author a private signpost to their reporting scheme and saves their answer', async () => {
    const topic = unique('safety-author');
    const sub = unique('nora');
    const token = await sign('Nora Member', sub);
    const el = await mount({ topic, token, lang: 'en-GB' });
    const c = composer(el)!;

    // A first post names no product: no note. A second one names one with a possible side effect.
    typeInto(c.textarea, 'Hello everyone, my father was just diagnosed.');
    c.submit.click();
    await until(() => articleWith(el, 'my father was just diagnosed') && c.textarea.value === '', 'the first post never appeared');
    typeInto(c.textarea, SIDE_EFFECT);
    c.submit.click();
    await until(() => articleWith(el, 'he fell twice'), 'the post never appeared');
    const postId = articleWith(el, 'he fell twice')!.dataset.postId!;
    await until(() => signpost(el, postId)?.querySelector('[data-signpost]'), 'the author never got the signpost');

    const note = signpost(el, postId)!.querySelector('[data-signpost]')!;
    expect(note.getAttribute('role')).to.equal('status');
    expect(note.getAttribute('aria-label')).to.equal('A private note about your message');
    expect(text(note)).to.contain('Only you can see this note. Your message mentions Rememba and a possible side effect. It stays up exactly as you wrote it.');
    // en-GB: the UK's Yellow Card scheme, a plain link that opens in a new tab.
    const link = note.querySelector<HTMLAnchorElement>('[data-scheme] a')!;
    expect(text(link)).to.equal('Yellow Card scheme (MHRA)');
    expect(link.getAttribute('href')).to.equal('https://yellowcard.mhra.gov.uk/');
    expect(link.getAttribute('target')).to.equal('_blank');
    expect(link.getAttribute('rel')).to.contain('noopener');
    expect(text(note.querySelector('[data-scheme]'))).to.contain('You can report side effects yourself to Yellow Card scheme (MHRA) (opens in a new tab).');
    expect(text(note)).to.contain('Would you like Acme Pharma’s safety team to be able to contact you through Parley Browser Tests?');
    // Never a dialog; the post itself is unchanged.
    expect(root(el).querySelector('dialog')).to.equal(null);
    expect(text(articleWith(el, 'he fell twice')!.querySelector('.body'))).to.equal(SIDE_EFFECT);

    note.querySelector<HTMLButtonElement>('[data-consent="yes"]')!.click();
    await until(() => signpost(el, postId)!.querySelector('[data-consent-saved]'), 'the answer was never confirmed');
    const saved = signpost(el, postId)!.querySelector<HTMLElement>('[data-consent-saved]')!;
    expect(text(saved)).to.equal('Saved: Acme Pharma’s safety team may contact you through Parley Browser Tests.');
    expect(signpost(el, postId)!.activeElement).to.equal(saved);
    const mine = await rest('GET', `/safety/my-flags?post=${postId}`, token);
    expect(mine.flags).to.have.length(1);
    expect(mine.flags[0].contactConsent).to.equal(true);

    // Another page load (with one more such post, written elsewhere): both notes, the answer kept.
    const later = await restPost(token, { topic, body: 'My father also gets headaches since Rememba.' });
    const again = await mount({ topic, token: await sign('Nora Member', sub), lang: 'en-GB' });
    await until(() => signpost(again, postId)?.querySelector('[data-consent-saved]') && signpost(again, later.id)?.querySelector('[data-consent="yes"]'), 'the notes were not shown on the next page load');
    // Hidden, a note stays hidden in this browser.
    signpost(again, postId)!.querySelector<HTMLButtonElement>('[data-hide]')!.click();
    await until(() => !article(again, postId)!.querySelector('parley-safety-signpost'), 'the note did not hide');
    expect(text(article(again, postId)!.querySelector('.body'))).to.equal(SIDE_EFFECT);
    const third = await mount({ topic, token: await sign('Nora Member', sub), lang: 'en-GB' });
    await until(() => signpost(third, later.id)?.querySelector('[data-signpost]'), 'the other note was not shown');
    expect(article(third, postId)!.querySelector('parley-safety-signpost')).to.equal(null);
  });

  it('shows another member neither the flag nor the signpost', async () => {
    const topic = unique('safety-other');
    const first = await restPost(await sign('Olga Member'), { topic, body: SIDE_EFFECT });
    const otherSub = unique('pim');
    const own = await restPost(await sign('Pim Member', otherSub), { topic, body: 'Our mother takes Rememba and now has headaches every day.' });
    const el = await mount({ topic, token: await sign('Pim Member', otherSub), lang: 'nl' });
    // Pim's own note shows (in Dutch, with Lareb for nl): the look-up ran; Olga's post gets nothing.
    await until(() => signpost(el, own.id)?.querySelector('[data-signpost]'), 'the member never got the note about their own post');
    expect(text(signpost(el, own.id)!.querySelector('[data-scheme] a'))).to.equal('Bijwerkingencentrum Lareb');
    expect(text(signpost(el, own.id)!.querySelector('[data-signpost]'))).to.contain('Alleen jij ziet deze opmerking.');
    expect(article(el, first.id)!.querySelector('parley-safety-signpost, parley-safety-flag')).to.equal(null);
    expect(root(el).querySelector('parley-safety-flag')).to.equal(null);
  });

  it('lets a moderator forward a flagged post in one step and shows the delivery state, with retry', async () => {
    const topic = unique('safety-mod');
    const post = await restPost(await sign('Quinn Member'), { topic, body: SIDE_EFFECT });
    const el = await mount({ topic, token: await MOD() });
    article(el, post.id)!.scrollIntoView();
    await until(() => flagLine(el, post.id)?.querySelector('[data-forward]'), 'the moderator never saw the flag');

    const line = flagLine(el, post.id)!;
    expect(text(line.querySelector('[data-flag] p'))).to.match(/^i Possible side effect of Rememba \(matched: dizzy, fell\) · Forward to Acme Pharma’s safety team$/);
    // The post is shown as written: the flag only adds a line.
    expect(text(article(el, post.id)!.querySelector('.body'))).to.equal(SIDE_EFFECT);

    line.querySelector<HTMLButtonElement>('[data-forward]')!.click();
    await until(() => line.querySelector('[data-forwarded]'), 'the forward was never confirmed');
    expect(text(line.querySelector('[data-forwarded]'))).to.match(/^Forwarded to Acme Pharma for safety review .+ by a moderator( \(.+\))?$/);
    expect(line.activeElement).to.equal(line.querySelector('[data-forwarded]'));
    expect(line.querySelector('[data-forward]')).to.equal(null);

    // Email waits in the outbox (no mail server); the webhook fails and is retried.
    const email = () => line.querySelector('[data-deliveries] li[data-channel="email"]');
    const webhook = () => line.querySelector<HTMLElement>('[data-deliveries] li[data-channel="webhook"]');
    await until(() => email()?.getAttribute('data-status') === 'held' && webhook()?.querySelector('[data-retry]'), 'the delivery states never showed');
    expect(text(email())).to.contain('Email: waiting in the outbox');
    expect(text(webhook())).to.match(/^Webhook: retrying \(attempt 1 failed, next try .+\)/);
    expect(email()!.querySelector('[data-retry]')).to.equal(null);
    const retry = webhook()!.querySelector<HTMLButtonElement>('[data-retry]')!;
    expect(retry.getAttribute('aria-label')).to.equal('Retry now (Webhook)');
    const attempts = () => Number(/attempt (\d+) failed/.exec(text(webhook()))?.[1] ?? 0);
    const tried = attempts();
    retry.click();
    await until(() => attempts() > tried, 'the retry was never attempted');

    const flagId = line.querySelector<HTMLElement>('[data-flag]')!.dataset.flag!;
    const { flag } = await rest('GET', `/safety/flags/${flagId}`, await MOD());
    expect(flag.forward.by.role).to.equal('moderator');
    expect(flag.forward.deliveries.map((d: { channel: string; status: string }) => `${d.channel}:${d.status}`).sort()).to.deep.equal(['email:held', 'webhook:pending']);

    // Moderator mode has a section of its own: the flag (forwarded) and the failing delivery with Retry.
    root(el).querySelector<HTMLButtonElement>('[data-mod="queue"]')!.click();
    const item = () => deep(root(el), `[data-safety-item="${flagId}"]`);
    await until(item, 'the moderators’ section never listed the flag', 20_000);
    const panel = deep(root(el), '[data-safety-panel]')!;
    expect(text(panel.querySelector('h3'))).to.equal('Possible side effects');
    expect(text(item()!.querySelector('h5'))).to.equal('Rememba · Acme Pharma');
    expect(text(item())).to.contain('Quinn Member: Since starting Rememba my father is dizzy');
    expect(text(item())).to.contain('No Acme Pharma staff have seen it yet');
    await until(() => item()!.querySelector('parley-safety-flag')?.shadowRoot?.querySelector('[data-forwarded]'), 'the section did not show the forward');
    await until(() => panel.querySelector(`[data-safety-attention] li[data-status="pending"] button`), 'the failing delivery was not listed');
    expect(text(panel.querySelector('[data-safety-attention]'))).to.contain('Webhook to Acme Pharma');
  });

  it('shows Acme staff the flag on screen and records when the company first saw it', async () => {
    const topic = unique('safety-staff');
    const post = await restPost(await sign('Rosa Member'), { topic, body: SIDE_EFFECT });
    const before = (await rest('GET', `/safety/flags?post=${post.id}`, await MOD())).flags;
    expect(before).to.have.length(1);
    expect(before[0].firstSeenByCompanyStaffAt).to.equal(null);

    const el = await mount({ topic, token: await acmeStaff('Sam Acme') });
    article(el, post.id)!.scrollIntoView();
    await until(() => flagLine(el, post.id)?.querySelector('[data-forward]'), 'the staff member never saw the flag');
    const line = flagLine(el, post.id)!;
    expect(text(line.querySelector('[data-forward]'))).to.equal('Forward to Acme Pharma’s safety team');

    // The clock: the post was on screen before its flag was read, so it says "screen".
    const { flag } = await rest('GET', `/safety/flags/${before[0].id}`, await MOD());
    expect(flag.firstSeenByCompanyStaffAt).to.be.a('string');
    expect(flag.firstSeenVia).to.equal('screen');

    // Staff forward in one step too; delivery details are for moderators.
    line.querySelector<HTMLButtonElement>('[data-forward]')!.click();
    await until(() => line.querySelector('[data-forwarded]'), 'the forward was never confirmed');
    expect(text(line.querySelector('[data-forwarded]'))).to.match(/by Acme Pharma staff \(Sam Acme\)$/);
    expect(line.querySelector('[data-deliveries]')).to.equal(null);
    expect((await rest('GET', `/safety/flags/${before[0].id}`, await MOD())).flag.forward.by.role).to.equal('company-staff');
  });
});
