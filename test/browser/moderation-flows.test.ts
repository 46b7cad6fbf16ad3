/**
 * Transparent moderation in the widget, against the real server: tombstones (the same for
 * everyone, the author also sees their words), labels, the report form, the moderators' queue
 * with a live removal, the appeal form, a locked topic and the transparency view. Two
 * moderators are seeded by run.ts (subs browser-mod-1 and browser-mod-2).
 */
import { expect, fixture, html } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import type { ParleyDiscussion } from '../../widget/parley-discussion.js';
import { article, articleWith, deep, env, mount, rest, restPost, root, sign, unique, until } from './helpers.js';

const MOD1 = () => sign('Mia Moderator', 'browser-mod-1');
const MOD2 = () => sign('Max Moderator', 'browser-mod-2');
const facts = 'The post insults another member in reply to a question.';

const act = async (body: Record<string, unknown>, token?: string) => (await rest('POST', '/moderation/actions', token ?? (await MOD1()), body)).action;

const modPanel = (el: ParleyDiscussion) => root(el).querySelector('parley-mod')?.shadowRoot ?? null;
describe('moderation in the widget', () => {
  it('shows a tombstone with rule, reason and appeal status to a reader; its author also sees their words, marked; labels show', async () => {
    const topic = unique('mod-tomb');
    const aliceSub = unique('alice');
    const alice = await sign('Alice', aliceSub);
    const removed = await restPost(alice, { topic, body: 'You are all idiots, says Alice.' });
    const reply = await restPost(await sign('Bob'), { topic, parent: removed.id, body: 'A reply that stays' });
    const labelled = await restPost(await sign('Sam'), { topic, body: 'Our medicine also helps with sleep.' });
    await act({ type: 'remove', postId: removed.id, ruleId: 'R1', reason: 'Insult towards other members', facts });
    await act({ type: 'label', postId: labelled.id, ruleId: 'R5', reason: 'Unapproved use', labelText: 'Sleep is not an approved use.', facts: 'A post suggests a use outside the approval.' });

    const reader = await mount({ topic, order: 'oldest' });
    const tomb = article(reader, removed.id)!.querySelector('[part~="tombstone"]')!;
    expect(tomb.textContent).to.contain('This message was removed by the moderators');
    expect(tomb.textContent).to.match(/Removed by Moderator \d+ · Rule R1 .+\(v\d+\): Insult towards other members · Appeal: none/);
    expect(tomb.textContent).to.match(/log entry #\d+/);
    expect(root(reader).textContent).not.to.contain('You are all idiots');
    expect(root(reader).textContent).not.to.contain('Only you can see this text');
    // The thread keeps its shape: the reply is still there, under the tombstone.
    expect(articleWith(reader, 'A reply that stays')).to.not.equal(undefined);
    const note = article(reader, labelled.id)!.querySelector('aside.mod-note')!;
    expect(note.getAttribute('aria-label')).to.match(/^Note from the moderators of /);
    expect(note.textContent).to.contain('Rule R5');
    expect(article(reader, labelled.id)!.textContent).to.contain('Sleep is not an approved use.');
    // Readers get a Report button only when signed in, never on a tombstone.
    expect(root(reader).querySelector('[data-mod="report"]')).to.equal(null);

    const author = await mount({ topic, order: 'oldest', token: await sign('Alice', aliceSub) });
    await until(() => article(author, removed.id)?.textContent?.includes('You are all idiots'), 'the author never saw their own removed words');
    const own = article(author, removed.id)!.querySelector('.own')!;
    expect(own.textContent).to.contain('Only you can see this text');
    expect(article(author, removed.id)!.querySelector('[data-mod="report"]')).to.equal(null);
    expect(article(author, removed.id)!.querySelector('[data-mod="appeal"]')).to.not.equal(null);
    // log-url turns the entry number into a link.
    author.logUrl = '/log';
    await author.updateComplete;
    expect(article(author, removed.id)!.querySelector<HTMLAnchorElement>('[part~="tombstone"] a')!.getAttribute('href')).to.match(/^\/log#entry-\d+$/);
  });

  it('report form: labelled fields, good-faith statement, acknowledgement, Escape returns focus, "my reports"', async () => {
    const topic = unique('mod-report');
    const post = await restPost(await sign('Rita'), { topic, body: 'Buy NeuroBoost now at a discount!' });
    const el = await mount({ topic, token: await sign('Reporter') });
    const button = article(el, post.id)!.querySelector<HTMLButtonElement>('[data-mod="report"]')!;
    button.click();
    await until(() => modPanel(el)?.querySelector('dialog[open] input[value="R10"]'), 'the report form never opened with the rules');
    const dialog = modPanel(el)!.querySelector('dialog')!;
    expect(dialog.getAttribute('aria-labelledby')).to.equal('dlg-title');
    // Without a choice or the good-faith statement it explains what is missing.
    dialog.querySelector<HTMLButtonElement>('button[type="submit"]')!.click();
    await until(() => dialog.querySelector('[role="alert"]')?.textContent?.includes('Choose a rule'), 'no error for a missing rule');
    dialog.querySelector<HTMLInputElement>('input[value="R10"]')!.click();
    dialog.querySelector<HTMLButtonElement>('button[type="submit"]')!.click();
    await until(() => dialog.querySelector('[role="alert"]')?.textContent?.includes('good faith'), 'no error for a missing good-faith statement');
    const note = dialog.querySelector<HTMLTextAreaElement>('#note')!;
    expect(dialog.querySelector(`label[for="note"]`)).to.not.equal(null);
    note.value = 'Spam with a discount code';
    dialog.querySelector<HTMLInputElement>('input[name="goodFaith"]')!.click();
    dialog.querySelector<HTMLButtonElement>('button[type="submit"]')!.click();
    await until(() => dialog.querySelector('[data-ack]')?.textContent?.includes('Your report was received'), 'no acknowledgement');
    await sendKeys({ press: 'Escape' });
    await until(() => !root(el).querySelector('parley-mod'), 'Escape did not close the dialog');
    expect(root(el).activeElement).to.equal(button);

    root(el).querySelector<HTMLButtonElement>('[data-mod="mine"]')!.click();
    await until(() => modPanel(el)?.querySelector('[data-my-reports]')?.textContent?.includes('R10'), 'my reports never listed the report');
    expect(modPanel(el)!.querySelector('[data-my-reports]')!.textContent).to.contain('open');
    expect(modPanel(el)!.querySelector('[data-my-notices]')!.textContent).to.contain('We received your report');
  });

  it('moderator mode: the queue lists the report; a removal becomes a tombstone live in another widget; the same moderator cannot decide the appeal', async () => {
    const topic = unique('mod-queue');
    const authorSub = unique('author');
    const post = await restPost(await sign('Quentin', authorSub), { topic, body: 'Shut up, nobody asked you.' });
    await rest('POST', '/reports', await sign('Reporting Rosa'), { postId: post.id, ground: 'rule', ruleId: 'R1', note: 'Rude', goodFaith: true });

    const reader = await mount({ topic });
    const member = await mount({ topic, token: await sign('Not A Mod') });
    expect(root(member).querySelector('[data-mod="queue"]')).to.equal(null);
    const mod = await mount({ topic, token: await MOD1() });
    root(mod).querySelector<HTMLButtonElement>('[data-mod="queue"]')!.click();
    const queue = () => deep(root(mod), `[data-queue-post="${post.id}"]`);
    await until(queue, 'the queue never listed the reported post', 20_000);
    expect(queue()!.textContent).to.contain('Shut up, nobody asked you.');
    expect(queue()!.textContent).to.contain('Reporting Rosa');
    const form = queue()!.querySelector('form')!;
    expect(form.querySelector<HTMLSelectElement>('select[name="type"]')!.value).to.equal('remove');
    expect(form.querySelector<HTMLSelectElement>('select[name="rule"]')!.value).to.equal('R1');
    expect(form.textContent).to.contain('a member’s report');
    form.querySelector<HTMLInputElement>('input[name="reason"]')!.value = 'Insult towards other members';
    form.querySelector<HTMLTextAreaElement>('textarea[name="facts"]')!.value = facts;
    form.querySelector<HTMLButtonElement>('button[type="submit"]')!.click();
    await until(() => form.querySelector('[data-done]'), 'the action was never confirmed');

    await until(() => article(reader, post.id)?.querySelector('[part~="tombstone"]')?.textContent?.includes('Insult towards other members'), 'the reader never saw the tombstone live');
    expect(root(reader).textContent).not.to.contain('Shut up, nobody asked you.');

    // The author appeals; the moderator who removed it is told they cannot decide.
    const actionId = (await rest('GET', `/posts/${post.id}`, null)).post.moderation.removal.actionId;
    await rest('POST', '/appeals', await sign('Quentin', authorSub), { actionId, info: 'It was a joke between friends, honestly.' });
    const modQueue = deep<HTMLElement & { refresh(): Promise<void> }>(root(mod), 'parley-moderation')!;
    await modQueue.refresh();
    await until(() => modQueue.shadowRoot!.querySelector('[data-appeal] [data-cannot-decide]'), 'the original moderator was not told they cannot decide');
    const other = await fixture<HTMLElement & { refresh(): Promise<void> }>(
      html`<parley-moderation server=${env.server} site=${env.site} .token=${await MOD2()}></parley-moderation>`,
    );
    await import('../../widget/parley-moderation.js');
    await until(() => other.shadowRoot?.querySelector('[data-appeal] form'), 'a second moderator never got the decision form');
  });

  it('appeal form: the author appeals from the tombstone; the appeal status updates', async () => {
    const topic = unique('mod-appeal');
    const sub = unique('appellant');
    const post = await restPost(await sign('Ada', sub), { topic, body: 'Nurse Bridget at the clinic was wonderful.' });
    await act({ type: 'remove', postId: post.id, ruleId: 'R2', reason: 'Names a member of staff', facts: 'The post names a clinic nurse.' });
    const el = await mount({ topic, token: await sign('Ada', sub) });
    await until(() => article(el, post.id)?.querySelector('[data-mod="appeal"]'), 'no Appeal button for the author');
    const button = article(el, post.id)!.querySelector<HTMLButtonElement>('[data-mod="appeal"]')!;
    button.click();
    await until(() => modPanel(el)?.querySelector('dialog[open] textarea#info'), 'the appeal form never opened');
    const dialog = modPanel(el)!.querySelector('dialog')!;
    expect(dialog.querySelector('label[for="info"]')).to.not.equal(null);
    expect(dialog.textContent).to.contain('you can appeal until');
    dialog.querySelector<HTMLTextAreaElement>('#info')!.value = 'She asked us to recommend her; she is happy to be named.';
    dialog.querySelector<HTMLButtonElement>('button[type="submit"]')!.click();
    await until(() => dialog.querySelector('[data-ack]')?.textContent?.includes('Appeal received'), 'no appeal receipt');
    await until(() => article(el, post.id)?.querySelector('[part~="tombstone"]')?.textContent?.includes('Appeal: pending'), 'the tombstone never showed the pending appeal');
    dialog.querySelector<HTMLButtonElement>('button.primary')!.click();
    await until(() => !root(el).querySelector('parley-mod'), 'Close did not close the dialog');
    // The Appeal button is gone (the appeal is pending), so focus cannot return to it.
    expect(button.isConnected).to.equal(false);
  });

  it('a locked topic disables the composer and says why', async () => {
    const topic = unique('mod-lock');
    await restPost(await sign('Lou'), { topic, body: 'A heated topic' });
    await act({ type: 'lock', topic, ruleId: 'R1', reason: 'Cooling off after insults', facts: 'The discussion turned into repeated insults.' });
    const el = await mount({ topic, token: await sign('Late Member') });
    expect(root(el).querySelector('parley-composer[data-composer="top"]')).to.equal(null);
    const notice = root(el).querySelector('[data-locked]')!;
    expect(notice.textContent).to.contain('This conversation is closed to new messages.');
    expect(notice.textContent).to.match(/Replies closed by Moderator \d+: Cooling off after insults/);
    expect(notice.querySelector('aside.mod-note')!.textContent).to.contain('Rule R1');
    expect(root(el).querySelector('button[data-reply-for]')).to.equal(null);
  });

  it('announces a house-rule change to a returning reader, once', async () => {
    localStorage.setItem(`parley-rules:${env.site}`, '2000-01-01T00:00:00.000Z');
    const admin = await sign('Ada Admin', 'browser-admin');
    const current = (await rest('GET', '/rules', null)).rules.find((r: { id: string }) => r.id === 'R9');
    await rest('PUT', '/rules/R9', admin, { title: current.title, text: `${current.text} (Clarified.)`, changeNote: 'Clarified wording' });
    const first = await mount({ topic: unique('rules-news') });
    await until(() => root(first).querySelector('[data-rules-changed]'), 'the rule change was not announced');
    expect(root(first).querySelector('[data-rules-changed]')!.textContent).to.contain('house rules changed');
    const again = await mount({ topic: unique('rules-news') });
    await until(() => root(again).querySelector('footer'), 'the second widget never rendered its footer');
    expect(root(again).querySelector('[data-rules-changed]')).to.equal(null);
  });

  it('a lock reaches an open widget live, and so does the unlock', async () => {
    const topic = unique('mod-lock-live');
    await restPost(await sign('Lia'), { topic, body: 'Still open' });
    const el = await mount({ topic, token: await sign('Open Member') });
    await until(() => root(el).querySelector('parley-composer[data-composer="top"]'), 'the composer never appeared');
    await act({ type: 'lock', topic, ruleId: 'R1', reason: 'Cooling off live', facts: 'Repeated insults in the last hour.' });
    await until(() => root(el).querySelector('[data-locked]'), 'the open widget never learned of the lock');
    expect(root(el).querySelector('[data-locked]')!.textContent).to.contain('Cooling off live');
    expect(root(el).querySelector('parley-composer[data-composer="top"]')).to.equal(null);
    await act({ type: 'unlock', topic, reason: 'Calmer', facts: 'The topic reopens.' });
    await until(() => root(el).querySelector('parley-composer[data-composer="top"]'), 'the open widget never learned of the unlock');
  });

  it('<parley-transparency> shows the numbers as tables, the licence and the exports; <parley-rules> the rules and how moderation works', async () => {
    const post = await restPost(await sign('Nina'), { topic: unique('mod-numbers'), body: 'Spam spam spam' });
    await act({ type: 'remove', postId: post.id, ruleId: 'R10', reason: 'Spam', facts: 'The post advertises an unrelated shop.' });
    await import('../../widget/moderation/transparency.js');
    const el = await fixture<HTMLElement>(html`<parley-transparency server=${env.server} site=${env.site} lang="en"></parley-transparency>`);
    await until(() => el.shadowRoot?.querySelector('table[data-table="type"]'), 'the numbers never rendered');
    const s = el.shadowRoot!;
    const byType = s.querySelector('table[data-table="type"]')!;
    expect(byType.querySelector('caption')!.textContent).to.equal('Actions by type');
    expect(byType.querySelectorAll('th[scope="col"]').length).to.equal(2);
    // The type in words (issue 17), the raw type kept for scripts.
    const remove = [...byType.querySelectorAll('tbody tr')].find((tr) => tr.querySelector('th')!.dataset.key === 'remove');
    expect(remove!.querySelector('th')!.textContent).to.equal('Message removed');
    expect(Number(remove!.querySelector('td')!.textContent)).to.be.greaterThan(0);
    expect(s.querySelector('table[data-table="reports"]')!.textContent).to.contain('Company-affiliated accounts');
    expect(s.querySelector('[data-median]')!.textContent).to.contain('Median time from report to decision');
    expect(s.querySelector('table[data-table="appeals"]')!.textContent).to.contain('Share reversed');
    expect(s.querySelector('a[rel~="license"]')!.textContent).to.match(/CC/);
    expect(s.querySelector<HTMLAnchorElement>('a[href$="/transparency/statements"]')).to.not.equal(null);

    const rules = await fixture<HTMLElement>(html`<parley-rules server=${env.server} site=${env.site} lang="en"></parley-rules>`);
    await until(() => rules.shadowRoot?.querySelector('[data-rule="R8"]'), 'the rules never rendered');
    expect(rules.shadowRoot!.querySelector('[data-rule="R8"]')!.textContent).to.contain('commitment');
    expect(rules.shadowRoot!.querySelector('[data-how]')!.textContent).to.contain('No decision is automated');
  });
});
