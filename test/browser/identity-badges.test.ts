// Who is speaking, as readers see it: the staff badge and its company card, the professional
// badge, the look-alike warning, and "Who takes part". Against the real server, with the
// company register seeded by run.ts (test/browser/identity-seed.ts).
import { expect, fixture, html } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import type { ParleyCompanyCard, ParleyParticipants } from '../../widget/parley-identity.js';
import { articleWith, env, mount, restPost, root, sign, signWith, unique, until } from './helpers.js';

const staffToken = (name: string, jobTitle = 'Medical Advisor') => signWith({ name, affiliation: { company: 'acme', jobTitle } });

describe('identity: badges and the company card', () => {
  it('shows a staff badge with company, job title and who verified them, and opens the company card', async () => {
    const topic = unique('badge');
    const name = `Sam Staff ${unique('n').slice(-6)}`;
    await restPost(await staffToken(name), { topic, body: 'Hello from Acme' });
    const el = await mount({ topic });
    const article = articleWith(el, 'Hello from Acme')!;
    const badge = article.querySelector<HTMLButtonElement>('button[data-company="acme"]')!;
    expect(badge, 'a staff badge button').to.exist;
    expect(badge.textContent).to.contain('Medical Advisor · Acme Pharma');
    expect(badge.textContent).to.match(/verified by Parley Browser Tests on \w+/);
    expect(badge.getAttribute('aria-haspopup')).to.equal('dialog');

    badge.focus();
    badge.click();
    await until(() => root(el).querySelector('parley-company-card')?.shadowRoot?.querySelector('h2')?.textContent === 'Acme Pharma', 'the card never showed the company');
    const card = root(el).querySelector('parley-company-card') as ParleyCompanyCard;
    const dialog = card.shadowRoot!.querySelector('dialog')!;
    expect(dialog.open).to.equal(true);
    expect(dialog.getAttribute('aria-labelledby')).to.equal('card-title');
    const text = dialog.textContent!.replace(/\s+/g, ' ');
    expect(text).to.contain('Acme Therapeutics GmbH');
    expect(text).to.contain('30,000');
    expect(text).to.contain('2024');
    expect(text).to.contain('Acme has no say over what is published here.');
    expect(text).to.contain('Rememba');
    expect(text).to.contain('memantinol');
    expect(dialog.querySelector('a[href="https://example.org/funding"]')).to.exist;
    const people = [...dialog.querySelectorAll('[data-people] li')].map((li) => li.textContent!.replace(/\s+/g, ' '));
    expect(people.some((p) => p.includes(name) && p.includes('Medical Advisor · verified by Parley Browser Tests'))).to.equal(true);
    expect(people.some((p) => p.includes('Fiona Former') && p.includes('former staff'))).to.equal(true);

    // Escape closes the card and gives focus back to the badge.
    await sendKeys({ press: 'Escape' });
    await until(() => !root(el).querySelector('parley-company-card'), 'Escape did not close the card');
    expect(root(el).activeElement).to.equal(badge);
  });

  it('shows a professional badge of its own, combinable with a staff badge', async () => {
    const topic = unique('pro');
    await restPost(await signWith({ name: 'Dr Nora Neuro', professional: { profession: 'Neurologist' } }), { topic, body: 'As a neurologist' });
    await restPost(await signWith({ name: 'Dr Pia Both', professional: { profession: 'Pharmacist' }, affiliation: { company: 'acme', jobTitle: 'Medical Director' } }), {
      topic,
      body: 'Both at once',
    });
    const el = await mount({ topic });
    const pro = articleWith(el, 'As a neurologist')!;
    expect(pro.querySelector('[part~="professional-badge"]')!.textContent).to.equal('Neurologist · verified professional');
    expect(pro.querySelector('[data-company]')).to.equal(null);
    const both = articleWith(el, 'Both at once')!;
    expect(both.querySelector('[part~="professional-badge"]')!.textContent).to.contain('Pharmacist');
    expect(both.querySelector('[data-company="acme"]')!.textContent).to.contain('Medical Director');
  });

  it('warns in words when a member’s name resembles verified staff', async () => {
    const topic = unique('lookalike');
    const name = `Rhea Real ${unique('n').slice(-6)}`;
    await restPost(await staffToken(name), { topic, body: 'The real one' });
    await restPost(await sign(name), { topic, body: 'The imitation' });
    const el = await mount({ topic });
    const fake = articleWith(el, 'The imitation')!;
    expect(fake.querySelector('[part~="lookalike-badge"]')!.textContent).to.contain('Not verified staff — name resembles a verified person');
    expect(fake.querySelector('[data-company]')).to.equal(null);
    expect(articleWith(el, 'The real one')!.querySelector('[part~="lookalike-badge"]')).to.equal(null);
  });
});

describe('identity: imported comments', () => {
  it('marks a comment brought in from Disqus in words, with no verified badge', async () => {
    // Seeded by identity-seed.ts through the import service (issue 15).
    const el = await mount({ topic: 'example.org/imported' });
    const post = articleWith(el, 'Written on our')!;
    expect(post.querySelector('[part~="imported-badge"]')!.textContent).to.equal('Imported comment — author not verified');
    expect(post.querySelector('[data-company], [part~="professional-badge"], [part~="moderator-badge"]')).to.equal(null);
    expect(post.querySelector('strong')!.textContent).to.equal('old');
  });
});

describe('identity: who takes part', () => {
  it('lists the companies present with their disclosure and people, and the funding shares with the dominant-funder note', async () => {
    const topic = unique('who');
    await restPost(await staffToken(`Walt Who ${unique('n').slice(-6)}`), { topic, body: 'Acme is here' });
    await restPost(await signWith({ name: 'Dr Otto Pro', professional: { profession: 'Geriatrician' } }), { topic, body: 'A doctor too' });
    const el = await mount({ topic });
    const toggle = root(el).querySelector<HTMLButtonElement>('button[data-panel="who"]')!;
    expect(toggle.textContent!.trim()).to.equal('Who takes part');
    expect(toggle.getAttribute('aria-expanded')).to.equal('false');
    toggle.click();
    await until(() => root(el).querySelector('parley-participants')?.shadowRoot?.querySelector('[data-funding]'), 'the panel never loaded');
    expect(toggle.getAttribute('aria-expanded')).to.equal('true');
    const panel = root(el).querySelector('parley-participants')!.shadowRoot!;
    const region = panel.querySelector('section[aria-labelledby="who-title"]')!;
    expect(panel.getElementById('who-title')!.textContent).to.equal('Who takes part');
    expect(region).to.exist;

    const companies = [...panel.querySelectorAll('[data-company-id]')];
    expect(companies.map((c) => c.getAttribute('data-company-id'))).to.deep.equal(['acme']);
    const acme = companies[0]!.textContent!.replace(/\s+/g, ' ');
    expect(acme).to.contain('Acme Pharma');
    expect(acme).to.contain('Acme has no say');
    expect(acme).to.contain('Fiona Former');
    expect(panel.querySelector('[data-professionals]')!.textContent).to.contain('Geriatrician');

    const rows = [...panel.querySelectorAll('[data-share]')].map((r) => r.textContent!.replace(/\s+/g, ' '));
    expect(rows[0]).to.contain('Acme Pharma').and.to.contain('75%');
    expect(rows[1]).to.contain('Other Devices').and.to.contain('25%');
    const note = panel.querySelector('[data-note]')!;
    expect(note.getAttribute('data-note')).to.equal('dominant-funder');
    expect(note.textContent).to.contain('Acme Pharma provides more than half of the host organisation’s company funding (75%)');

    toggle.click();
    await until(() => !root(el).querySelector('parley-participants'), 'the panel did not close');
  });

  it('says so when no company takes part in the topic', async () => {
    const topic = unique('who-empty');
    await restPost(await sign('Pat Patient'), { topic, body: 'Only patients here' });
    const el = await mount({ topic });
    root(el).querySelector<HTMLButtonElement>('button[data-panel="who"]')!.click();
    await until(() => root(el).querySelector('parley-participants')?.shadowRoot?.querySelector('.empty'), 'no empty state');
    const panel = root(el).querySelector('parley-participants')!.shadowRoot!;
    expect(panel.querySelector('.empty')!.textContent).to.equal('No company takes part in this conversation.');
    expect(panel.querySelector('[data-company-id]')).to.equal(null);
    // The site's funding is still shown.
    expect(panel.querySelector('[data-funding]')!.textContent).to.contain('Acme Pharma');
  });

  it('works standalone as <parley-participants>', async () => {
    const topic = unique('who-alone');
    await restPost(await staffToken(`Stan Alone ${unique('n').slice(-6)}`), { topic, body: 'Standalone' });
    const el = await fixture<ParleyParticipants>(html`<parley-participants server=${env.server} site=${env.site} topic=${topic} lang="nl"></parley-participants>`);
    await until(() => el.shadowRoot?.querySelector('[data-company-id="acme"]'), 'the standalone panel never loaded');
    expect(el.shadowRoot!.querySelector('h2')!.textContent).to.equal('Wie doet er mee');
  });
});
