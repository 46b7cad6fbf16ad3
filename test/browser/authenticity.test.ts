// Authenticity signals (issue 6) in the widget, against the real server: the staff composer's
// pre-check (a warning about text colleagues already posted, a reminder of the rule on promotion
// when naming a prescription-only medicine — never a block), the plain "Mentions:" line on staff
// posts, and the company card's presence chart with its accessible name and text alternative.
// Acme Pharma lists Rememba (memantinol), prescription-only (test/browser/identity-seed.ts).
import { expect } from '@open-wc/testing';
import type { ParleyDiscussion } from '../../widget/parley-discussion.js';
import { articleWith, composer, mount, restPost, root, sign, signWith, typeInto, unique, until } from './helpers.js';

const staffToken = (name: string) => signWith({ name, affiliation: { company: 'acme', jobTitle: 'Medical Advisor' } });
const text = (el: Element | null | undefined) => (el?.textContent ?? '').replace(/\s+/g, ' ').trim();

/** The pre-check element inside the top composer, once its lazy chunk has defined it and it has taken its place. */
async function staffCheck(el: ParleyDiscussion) {
  const c = composer(el)!;
  await until(() => customElements.get('parley-staff-check') && (c.element as HTMLElement & { beforeSubmit?: unknown }).beforeSubmit, 'the staff pre-check never loaded');
  const check = c.element.querySelector('parley-staff-check')!;
  return { c, check, shadow: () => check.shadowRoot! };
}

function script(tag: string): string {
  return (
    `Thank you for asking about the ${tag} programme. Everyone responds differently to treatment, ` +
    'so please talk to your specialist nurse about any change you notice. ' +
    'Our support line can send you the information pack and the leaflet for carers.'
  );
}

describe('the staff composer pre-check', () => {
  it('warns about similar text and reminds of the rule on promotion while typing; posting still works', async () => {
    const tag = unique('t').replace(/[^a-z0-9]/gi, '');
    await restPost(await staffToken('Anna Acme'), { topic: unique('earlier'), body: script(tag) });
    const topic = unique('precheck');
    const el = await mount({ topic, token: await staffToken('Ben Acme') });
    const { c, shadow } = await staffCheck(el);

    const draft = `${script(tag)} Rememba may be discussed with your neurologist.`;
    typeInto(c.textarea, draft);
    await until(() => shadow().querySelector('[data-similar]') && shadow().querySelector('[data-reminder]'), 'no warning or reminder appeared');
    const region = shadow().querySelector('[role="status"]')!;
    expect(region.getAttribute('aria-label')).to.equal('Before you post');
    expect(text(shadow().querySelector('[data-similar]'))).to.contain(
      'This is very similar to text Acme Pharma staff (you or your colleagues) posted once before. If you post it, it will carry a public label: “Similar text posted 2 times by Acme Pharma staff”.',
    );
    const reminder = text(shadow().querySelector('[data-reminder]'));
    expect(reminder).to.contain('You named Rememba, a prescription-only medicine.');
    expect(reminder).to.contain('The site’s rule R4 on promotion, “No promotion of prescription-only medicines”');
    expect(reminder).to.contain('This is a reminder, not a block.');
    expect(shadow().querySelector('[data-reminder] a')!.getAttribute('href')).to.match(/\/rules#R4$/);
    expect(text(shadow().querySelector('[data-shows]'))).to.contain('Mentions: Rememba (prescription-only medicine)');

    // The text was checked: one press posts it, with its label and the plain product line.
    c.submit.click();
    await until(() => articleWith(el, 'Rememba may be discussed'), 'the post never appeared');
    const article = articleWith(el, 'Rememba may be discussed')!;
    expect(text(article)).to.contain('Similar text posted 2 times by Acme Pharma staff');
    expect(text(article.querySelector('[part~="mentions"]'))).to.equal('Mentions: Rememba (prescription-only medicine)');
    await until(() => c.textarea.value === '' && !shadow().querySelector('[data-similar]'), 'the warnings stayed after posting');
  });

  it('holds a post once when pressing Post brings up a reminder, and posts on the second press', async () => {
    const el = await mount({ topic: unique('precheck-press'), token: await staffToken('Cleo Acme') });
    const { c, shadow } = await staffCheck(el);
    typeInto(c.textarea, 'Memantinol is the generic name of our medicine.');
    c.submit.click(); // before the pause that would start a check
    await until(() => shadow().querySelector('[data-held]'), 'the reminder was not shown before posting');
    expect(text(shadow().querySelector('[data-held]'))).to.contain('Press “Post message” again to post it as it is.');
    expect(text(shadow().querySelector('[data-reminder]'))).to.contain('You named Rememba, a prescription-only medicine.');
    expect(articleWith(el, 'Memantinol is the generic name')).to.equal(undefined);
    c.submit.click();
    await until(() => articleWith(el, 'Memantinol is the generic name'), 'the second press did not post');
    expect(text(articleWith(el, 'Memantinol is the generic name')!.querySelector('[part~="mentions"]'))).to.equal('Mentions: Rememba (prescription-only medicine)');
  });

  it('is not there for members, whose posts never carry a product line', async () => {
    const topic = unique('member-mention');
    const el = await mount({ topic, token: await sign('Mia Member') });
    const c = composer(el)!;
    expect(c.element.querySelector('parley-staff-check')).to.equal(null);
    typeInto(c.textarea, 'I take Rememba every morning.');
    c.submit.click();
    await until(() => articleWith(el, 'I take Rememba every morning.'), 'the member post never appeared');
    expect(articleWith(el, 'I take Rememba every morning.')!.querySelector('[part~="mentions"]')).to.equal(null);
    expect(c.element.querySelector('parley-staff-check')).to.equal(null);
  });
});

describe('presence over time in the company card', () => {
  it('draws a chart with an accessible name, a text alternative and a table of weeks', async () => {
    const topic = unique('presence');
    await restPost(await staffToken('Dora Acme'), { topic, body: 'Weekly update from Acme.' });
    const member = await sign('Jan Member');
    const question = await restPost(member, { topic, body: 'Is the leaflet available in Dutch?' });
    await restPost(await staffToken('Dora Acme'), { topic, body: 'Yes, it is.', parent: question.id });
    const el = await mount({ topic });
    articleWith(el, 'Weekly update from Acme')!.querySelector<HTMLButtonElement>('button[data-company="acme"]')!.click();
    const presence = () => root(el).querySelector('parley-company-card')?.shadowRoot?.querySelector('parley-presence')?.shadowRoot;
    await until(() => presence()?.querySelector('svg[role="img"]'), 'the card never showed the presence chart');
    const shadow = presence()!;

    const chart = shadow.querySelector('svg[role="img"]')!;
    const name = chart.getAttribute('aria-label')!;
    expect(name).to.match(/^Weekly activity of Acme Pharma over \d+ weeks: \d+ posts and replies, busiest week .+ with \d+\.$/);
    expect(chart.querySelector('title')!.textContent).to.equal(name);
    // Readable without colour: replies solid, other posts hatched, the busiest weeks marked by a shape.
    expect(chart.querySelector('pattern#hatch')).to.exist;
    expect(chart.querySelector('rect[fill="currentColor"]')).to.exist;
    expect(chart.querySelector('rect[fill="url(#hatch)"]')).to.exist;
    expect(chart.querySelector('[data-busiest]')).to.exist;
    expect(text(shadow.querySelector('.legend'))).to.contain('Replies to patients and carers (solid)');

    expect(text(shadow.querySelector('[role="heading"]'))).to.equal('Presence over time');
    expect(text(shadow.querySelector('[data-summary]'))).to.match(/^In the last \d+ weeks, Acme Pharma staff posted \d+ times: \d+ replies to patients and carers and \d+ other posts, in \d+ of the \d+ weeks\.$/);
    expect(text(shadow.querySelector('[data-steadiness]'))).to.match(
      /^(Steady participation|Mixed participation|Campaign bursts|Too little activity to tell): the busiest (\d+ of \d+ weeks hold|week of \d+ holds) \d+% of its activity\.$/,
    );
    expect(text(shadow.querySelector('[data-median]'))).to.match(/^Median time to answer a question put to Acme Pharma: [\d.]+ (hours|days) \(\d+ answered, \d+ not answered\)\.$/);

    // The weekly figures as a table, one row per week of the chart.
    const details = shadow.querySelector('details')!;
    expect(text(details.querySelector('summary'))).to.equal('Weekly figures');
    expect(details.querySelector('caption')!.textContent).to.equal('Activity of Acme Pharma per week');
    expect(details.querySelectorAll('tbody tr').length).to.equal(Number(chart.getAttribute('data-weeks')));
    expect([...details.querySelectorAll('thead th')].map((th) => th.textContent)).to.deep.equal([
      'Week starting', 'Replies to patients and carers', 'Of which answers to questions', 'Other posts',
    ]);
    const json = shadow.querySelector<HTMLAnchorElement>('a[href$="/companies/acme/presence"]')!;
    expect(json.textContent).to.equal('These figures as JSON');
    const data = await (await fetch(json.href)).json();
    expect(data.companyId).to.equal('acme');
    expect(data.series.length).to.equal(Number(chart.getAttribute('data-weeks')));
  });
});
