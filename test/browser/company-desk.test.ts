/**
 * Questions put to a company and the company desk in the widget (issue 14), against the real
 * server: a member asks Acme from the composer and sees "Question to Acme Pharma", then "Answered
 * by …, after …" once Acme's staff reply; `<parley-company-desk>` lists open questions oldest first
 * (filtered by topic) with their waits, "I'm on it" claims seen by a colleague, by keyboard;
 * a new question arrives live; members are refused and moderators read without acting; a
 * moderator marks a question out of scope; a pledge proposed on the desk and approved by the
 * admin shows with the public figures on the company card; axe checks of the desk and the card.
 *
 * Acme Pharma lists Rememba (test/browser/identity-seed.ts); its staff sign in with host tokens
 * carrying `affiliation`. Other test files may ask Acme questions too, so each test works in
 * topics of its own and checks figures against what the API says.
 */
import { expect, fixture, html } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import type { CompanyInfo } from '../../moderation/types.js';
import '../../widget/parley-company-desk.js';
import type { ParleyCompanyDesk } from '../../widget/parley-company-desk.js';
import type { ParleyDiscussion } from '../../widget/parley-discussion.js';
import { articleWith, composer, env, mount, rest, restPost, root, sign, signWith, typeInto, unique, until } from './helpers.js';

const acmeStaff = (name: string, sub = unique('acme')) => signWith({ name, affiliation: { company: 'acme', jobTitle: 'Medical Advisor' } }, sub);
const MOD = () => sign('Mia Moderator', 'browser-mod-1');
const ADMIN = () => sign('Ada Admin', 'browser-admin');
const text = (el: Element | null | undefined) => (el?.textContent ?? '').replace(/\s+/g, ' ').trim();

async function mountDesk(token: string | null, company = 'acme'): Promise<ParleyCompanyDesk> {
  const el = await fixture<ParleyCompanyDesk>(html`<parley-company-desk server=${env.server} site=${env.site} company=${company} lang="en" .token=${token}></parley-company-desk>`);
  await until(() => el.desk || el.failure, 'the desk never loaded');
  return el;
}
const shadow = (el: HTMLElement) => el.shadowRoot!;
/** The desk's open question for `postId`. */
const questionOn = (desk: ParleyCompanyDesk, postId: string) => shadow(desk).querySelector<HTMLElement>(`[data-question="${postId}"]`);

/** Filter the desk to one topic the way a person does: choose it in the topic filter. */
async function chooseTopic(desk: ParleyCompanyDesk, topic: string): Promise<void> {
  const select = shadow(desk).querySelector<HTMLSelectElement>('select[name="topic"]')!;
  await until(() => [...select.options].some((o) => o.value === topic), `the topic filter never offered ${topic}`);
  select.value = topic;
  select.dispatchEvent(new Event('change'));
  await until(() => desk.desk?.openQuestions.every((q) => q.topic.id === topic), 'the desk was never filtered by topic');
}

describe('questions to a company and the company desk', () => {
  it('a member asks Acme from the composer; a staff reply shows who answered, after how long, with a link to the answer', async () => {
    const topic = unique('ask');
    const el = await mount({ topic, token: await sign('Rosa Member', unique('rosa')) });
    const c = composer(el)!;
    await until(() => c.element.shadowRoot!.querySelector('select#ask option[value="acme"]'), 'the composer never offered to ask Acme');
    expect(text(c.element.shadowRoot!.querySelector('label[for="ask"]'))).to.equal('Ask a company');
    c.element.shadowRoot!.querySelector<HTMLSelectElement>('select#ask')!.value = 'acme';
    typeInto(c.textarea, 'Does Rememba interact with blood thinners?');
    c.submit.click();
    await until(() => articleWith(el, 'blood thinners')?.querySelector('[data-question="open"]'), 'the question line never appeared');
    const question = articleWith(el, 'blood thinners')!;
    expect(text(question.querySelector('[part="question"]'))).to.equal('Question to Acme Pharma');
    // The choice does not stick to the next message.
    await until(() => c.textarea.value === '', 'the composer was not cleared');
    expect(c.element.shadowRoot!.querySelector<HTMLSelectElement>('select#ask')!.value).to.equal('');

    const reply = await restPost(await acmeStaff('Carl Acme'), { topic, body: 'Please ask your doctor; the leaflet lists what we know.', parent: question.dataset.postId! });
    await until(() => articleWith(el, 'blood thinners')?.querySelector('[data-question="answered"]'), 'the answer never showed on the question');
    const line = articleWith(el, 'blood thinners')!.querySelector('[part="question"]')!;
    expect(text(line)).to.match(/^Question to Acme Pharma · Answered by Carl Acme, Medical Advisor, after \d+ hours?$/);
    // The link goes to the answer on screen: focus moves there.
    line.querySelector<HTMLAnchorElement>('a[data-goto]')!.click();
    await until(() => root(el).activeElement?.getAttribute('data-post-id') === reply.id, 'the link did not lead to the answer');
  });

  it('staff cannot ask their own company: the composer offers no choice', async () => {
    const el = await mount({ topic: unique('ask-staff'), token: await acmeStaff('Sid Acme') });
    await el.updateComplete;
    expect(composer(el)!.element.shadowRoot!.querySelector('select#ask')).to.equal(null);
  });

  it('the desk lists open questions oldest first with their waits; claims show to colleagues; all by keyboard', async () => {
    const topic = unique('desk');
    const member = await sign('Olga Member', unique('olga'));
    const first = await restPost(member, { topic, topicTitle: 'Starting Rememba', body: 'How long before Rememba works?', questionTo: 'acme' });
    const second = await restPost(member, { topic, body: 'Can Rememba be crushed for my mother?', questionTo: 'acme' });
    const desk = await mountDesk(await acmeStaff('Dana Acme', unique('dana')));
    await chooseTopic(desk, topic);
    const ids = desk.desk!.openQuestions.map((q) => q.post.id);
    expect(ids).to.deep.equal([first.id, second.id]);
    const items = [...shadow(desk).querySelectorAll<HTMLElement>('[data-question]')];
    expect(items.map((i) => i.dataset.question)).to.deep.equal([first.id, second.id]);
    expect(text(items[0].querySelector('.meta'))).to.contain('Asked by Olga Member · in Starting Rememba');
    expect(text(items[0].querySelector('[data-waited]'))).to.match(/^waiting \d+ hours?$/);
    expect(text(shadow(desk).querySelector('#open-title'))).to.equal('Open questions (2), oldest first');

    // "I'm on it" by keyboard: focus stays on the button, which now releases.
    const button = items[0].querySelector<HTMLButtonElement>('[data-claim-button]')!;
    expect(text(button)).to.equal('I’m on it');
    button.focus();
    await sendKeys({ press: 'Enter' });
    await until(() => questionOn(desk, first.id)?.querySelector('[data-claim]'), 'the claim never showed');
    expect(text(questionOn(desk, first.id)!.querySelector('[data-claim]'))).to.match(/^You are on it since .+ \(released automatically at .+\)$/);
    expect(text(questionOn(desk, first.id)!.querySelector('[data-note]'))).to.equal('You are on it. Your colleagues can see it.');
    expect(shadow(desk).activeElement).to.equal(questionOn(desk, first.id)!.querySelector('[data-claim-button]'));
    expect(text(shadow(desk).activeElement)).to.equal('Release');

    // A colleague sees who is on it, and cannot take it over.
    const colleague = await mountDesk(await acmeStaff('Eli Acme'));
    await chooseTopic(colleague, topic);
    expect(text(questionOn(colleague, first.id)!.querySelector('[data-claim]'))).to.match(/^Dana Acme is on it since /);
    expect(questionOn(colleague, first.id)!.querySelector('[data-claim-button]')).to.equal(null);

    // Released: the colleague's desk follows live.
    await sendKeys({ press: 'Enter' });
    await until(() => !questionOn(desk, first.id)?.querySelector('[data-claim]'), 'the claim was never released');
    await until(() => !questionOn(colleague, first.id)?.querySelector('[data-claim]'), 'the colleague never saw the release');
  });

  it('a new question appears on the desk without reload, and leaves it once answered', async () => {
    const topic = unique('desk-live');
    const staff = await acmeStaff('Fay Acme');
    const desk = await mountDesk(staff);
    await until(() => desk.live, 'the desk never went live');
    expect(shadow(desk).querySelector('[data-live]')!.getAttribute('data-live')).to.equal('on');
    const q = await restPost(await sign('Pia Member', unique('pia')), { topic, body: 'Is there a patient leaflet for Rememba in Dutch?', questionTo: 'acme' });
    await until(() => questionOn(desk, q.id), 'the new question never appeared on the desk');
    await until(() => text(shadow(desk).querySelector('[data-announce]')).includes('The desk was updated.'), 'the update was never announced');
    await restPost(staff, { topic, body: 'Yes, it is on our website.', parent: q.id });
    await until(() => !questionOn(desk, q.id), 'the answered question never left the desk');
  });

  it('staff open their desk from the toolbar; it shows mentions and possible side effects, filters by product, and takes an answer given elsewhere', async () => {
    const topic = unique('desk-more');
    const elsewhere = unique('desk-elsewhere');
    const member = await sign('Kim Member', unique('kim'));
    const sub = unique('lou');
    const staff = await acmeStaff('Lou Acme', sub);
    const question = await restPost(member, { topic, body: 'Where can I read about stopping treatment safely?', questionTo: 'acme' });
    const mention = await restPost(member, { topic, body: 'Since starting Rememba my father is dizzy and he fell twice last week.' });
    const answer = await restPost(await acmeStaff('Lou Acme', sub), { topic: elsewhere, body: 'On stopping treatment: talk to the prescriber first; the leaflet has a section on it.' });

    const el = await mount({ topic, token: staff });
    const open = root(el).querySelector<HTMLButtonElement>('button[data-panel="desk"]')!;
    expect(text(open)).to.equal('Acme Pharma desk');
    open.click();
    await until(() => (root(el).querySelector('parley-company-desk') as ParleyCompanyDesk | null)?.desk, 'the desk never opened from the toolbar');
    const desk = root(el).querySelector('parley-company-desk') as ParleyCompanyDesk;
    await chooseTopic(desk, topic);
    await until(() => shadow(desk).querySelector(`[data-mention="${mention.id}"]`), 'the mention never showed');
    expect(text(shadow(desk).querySelector(`[data-mention="${mention.id}"] .meta`))).to.contain('names Rememba');
    await until(() => shadow(desk).querySelector('[data-flags] parley-safety-flag'), 'the possible side effect never showed');
    expect(text(shadow(desk).querySelector('[data-flags] parley-safety-flag')!.shadowRoot!.querySelector('[data-flag]'))).to.contain('Possible side effect of Rememba');

    // The product filter: the question names no product, so it leaves the list.
    const product = shadow(desk).querySelector<HTMLSelectElement>('select[name="product"]')!;
    product.value = 'Rememba';
    product.dispatchEvent(new Event('change'));
    await until(() => !questionOn(desk, question.id), 'the product filter kept a question that names no product');
    product.value = '';
    product.dispatchEvent(new Event('change'));
    await until(() => questionOn(desk, question.id), 'the question never came back without the filter');

    // Answered elsewhere: a wrong id is refused in words; the link of the reply is taken.
    const form = questionOn(desk, question.id)!.querySelector('form')!;
    questionOn(desk, question.id)!.querySelector('details')!.open = true;
    const input = form.querySelector<HTMLInputElement>('input[name="answer"]')!;
    input.value = 'no-such-post';
    form.querySelector<HTMLButtonElement>('button[type="submit"]')!.click();
    await until(() => questionOn(desk, question.id)?.querySelector('[role="alert"]'), 'a wrong id was not refused');
    input.value = `${env.server}/api/sites/${env.site}/posts/${answer.id}`;
    form.querySelector<HTMLButtonElement>('button[type="submit"]')!.click();
    await until(() => !questionOn(desk, question.id), 'the question answered elsewhere never left the desk');
    await until(() => shadow(desk).activeElement?.id === 'open-title', 'focus did not move to the list once the question left it');
    const { post } = await rest('GET', `/posts/${question.id}`, null);
    expect(post.question.answer.postId).to.equal(answer.id);
  });

  it('members are refused the desk; moderators read it without acting', async () => {
    const refused = await mountDesk(await sign('Max Member', unique('max')));
    expect(text(shadow(refused).querySelector('[data-desk-error]'))).to.contain('Only verified staff of this company and the site’s moderators can see its desk.');
    expect(shadow(refused).querySelector('[data-open-questions]')).to.equal(null);

    const topic = unique('desk-mod');
    await restPost(await sign('Nia Member', unique('nia')), { topic, body: 'Who do I call about Rememba side effects?', questionTo: 'acme' });
    const desk = await mountDesk(await MOD());
    expect(desk.desk!.canAct).to.equal(false);
    expect(text(shadow(desk).querySelector('[data-read-only]'))).to.contain('as a moderator');
    await chooseTopic(desk, topic);
    expect(shadow(desk).querySelectorAll('[data-question]').length).to.equal(1);
    expect(shadow(desk).querySelector('[data-claim-button], [data-pledge-form] form, details form')).to.equal(null);

    // Signed out: nothing of the desk stays on screen.
    desk.token = null;
    await until(() => !shadow(desk).querySelector('[data-open-questions]'), 'the desk stayed on screen after signing out');
    expect(text(shadow(desk).querySelector('[data-desk] .box'))).to.equal('Sign in as a verified staff member of this company to see its desk.');
  });

  it('a moderator marks a question out of scope with a public reason', async () => {
    const topic = unique('scope');
    const q = await restPost(await sign('Uma Member', unique('uma')), { topic, body: 'What will Acme’s share price do next year?', questionTo: 'acme' });
    const el: ParleyDiscussion = await mount({ topic, token: await MOD() });
    const button = articleWith(el, 'share price')!.querySelector<HTMLButtonElement>('button[data-mod="out-of-scope"]')!;
    expect(text(button)).to.equal('Mark out of scope');
    button.click();
    const mod = () => root(el).querySelector('parley-mod')?.shadowRoot;
    await until(() => mod()?.querySelector('dialog[open] textarea#reason'), 'the out-of-scope dialog never opened');
    expect(text(mod()!.querySelector('#dlg-title'))).to.equal('Mark this question out of scope');
    // Too short: said in the dialog, nothing sent.
    mod()!.querySelector<HTMLButtonElement>('button[type="submit"]')!.click();
    await until(() => text(mod()!.querySelector('[role="alert"]')) === 'Say why, in at least 3 characters.', 'no message for an empty reason');
    mod()!.querySelector<HTMLTextAreaElement>('textarea#reason')!.value = 'Financial questions are not for this forum.';
    mod()!.querySelector<HTMLButtonElement>('button[type="submit"]')!.click();
    await until(() => mod()?.querySelector('[data-ack]'), 'the dialog never confirmed').catch((err: Error) => {
      throw new Error(`${err.message}: ${text(mod()?.querySelector('dialog'))}`);
    });
    await until(() => articleWith(el, 'share price')?.querySelector('[data-question="out-of-scope"]'), 'the post never showed out of scope');
    // As the server words it for everyone (moderators appear under their public moderator name).
    const { post } = await rest('GET', `/posts/${q.id}`, null);
    const o = post.question.outOfScope;
    expect(text(articleWith(el, 'share price')!.querySelector('[part="question"]'))).to.equal(
      `Question to Acme Pharma · Marked out of scope by ${o.moderator}: Financial questions are not for this forum. · log entry #${o.logIndex}`,
    );
    expect(articleWith(el, 'share price')!.querySelector('button[data-mod="out-of-scope"]')).to.equal(null);
    // Closed: its button is gone, so focus goes to the post.
    mod()!.querySelector<HTMLButtonElement>('[data-ack] ~ .actions button')!.click();
    await until(() => root(el).activeElement === articleWith(el, 'share price'), 'focus was lost when the dialog closed');
  });

  it('a pledge proposed on the desk and approved by the admin shows with the public figures on the company card', async () => {
    const desk = await mountDesk(await acmeStaff('Gil Acme'));
    const form = shadow(desk).querySelector<HTMLFormElement>('[data-pledge-form] form')!;
    shadow(desk).querySelector<HTMLDetailsElement>('[data-pledge-form] details')!.open = true;
    // Out of range: said in the form, nothing sent.
    form.querySelector<HTMLInputElement>('#pledge-text')!.value = 'We answer questions within 3 working days.';
    form.querySelector<HTMLInputElement>('#pledge-days')!.value = '45';
    form.querySelector<HTMLButtonElement>('button[type="submit"]')!.click();
    await until(() => text(form.querySelector('[role="alert"]')) === 'Give a whole number of days from 1 to 30.', 'no message for 45 days');
    form.querySelector<HTMLInputElement>('#pledge-days')!.value = '5';
    form.querySelector<HTMLButtonElement>('button[type="submit"]')!.click();
    await until(() => shadow(desk).querySelector('[data-pending]'), 'the pending pledge never showed');
    expect(text(shadow(desk).querySelector('[data-pending]'))).to.equal('Proposed, waiting for the host’s approval: “We answer questions within 3 working days.” (answer within 5 days).');

    await rest('POST', '/admin/companies/acme/pledge', await ADMIN(), { approve: true });
    const info: CompanyInfo = await rest('GET', '/companies/acme', null);
    expect(info.pledge?.answerWithinDays).to.equal(5);

    // The company card, opened from a staff badge: the pledge and the figures the API gives.
    const topic = unique('card');
    await restPost(await acmeStaff('Hal Acme'), { topic, body: 'Hello from Acme.' });
    const el = await mount({ topic });
    articleWith(el, 'Hello from Acme')!.querySelector<HTMLButtonElement>('button[data-company="acme"]')!.click();
    const card = () => root(el).querySelector('parley-company-card')?.shadowRoot;
    await until(() => card()?.querySelector('[data-question-figures]'), 'the card never showed the figures');
    const figures = card()!.querySelector('[data-question-figures]')!;
    expect(text(figures.querySelector('[role="heading"]'))).to.equal('Questions to Acme Pharma');
    expect(text(figures.querySelector('[data-pledge]'))).to.match(/^Pledge of Acme Pharma: “We answer questions within 3 working days\.” \(answer within 5 days\), approved by the host on .+\.$/);
    const now: CompanyInfo = await rest('GET', '/companies/acme', null);
    expect(text(figures.querySelector('[data-open]'))).to.equal(`Waiting for an answer now: ${now.questions!.open}.`);
    if (now.questions!.answeredShare !== null) expect(text(figures.querySelector('[data-answered]'))).to.equal(`Answered: ${Math.round(now.questions!.answeredShare * 100)}%.`);
    await expect(root(el).querySelector('parley-company-card')!).to.be.accessible();
  });

  it('the desk has no axe violations', async () => {
    const topic = unique('desk-axe');
    await restPost(await sign('Ivy Member', unique('ivy')), { topic, body: 'Does Rememba help with sleep?', questionTo: 'acme' });
    const desk = await mountDesk(await acmeStaff('Jo Acme'));
    await chooseTopic(desk, topic);
    await until(() => shadow(desk).querySelector('parley-presence')?.shadowRoot?.querySelector('[data-summary], .error'), 'the presence chart never loaded');
    await expect(desk).to.be.accessible();
  });
});
