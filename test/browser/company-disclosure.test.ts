// Funding disclosures on the company card (issue 15, F-1 and P-4): amounts in their own currency
// through Intl.NumberFormat in the reader's language, the type of support, the agreement and the
// date added, support in kind without a value, and the "company-sponsored" note; the card stays
// keyboard-operable and has no axe violations. Against the real server, with the register seeded
// by run.ts (test/browser/identity-seed.ts: Acme in euros, Sol Diagnostics in pounds and sponsored).
import { expect } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import type { ParleyDiscussion } from '../../widget/parley-discussion.js';
import { mount, restPost, root, signWith, unique, until } from './helpers.js';

/** A thread with a post by staff of `company`, and its company card opened from the badge. */
async function openCard(company: string, lang = 'en'): Promise<{ el: ParleyDiscussion; dialog: HTMLDialogElement; badge: HTMLButtonElement }> {
  const topic = unique(`funding-${company}`);
  await restPost(await signWith({ name: `Staff ${unique('s').slice(-6)}`, affiliation: { company, jobTitle: 'Medical Advisor' } }), { topic, body: 'Hello' });
  const el = await mount({ topic, lang });
  const badge = root(el).querySelector<HTMLButtonElement>(`button[data-company="${company}"]`)!;
  badge.focus();
  badge.click();
  const card = () => root(el).querySelector('parley-company-card')?.shadowRoot;
  await until(() => card()?.querySelector('[data-funding-entry]'), 'the card never showed the funding');
  return { el, dialog: card()!.querySelector('dialog')!, badge };
}

const rows = (dialog: HTMLDialogElement) =>
  [...dialog.querySelectorAll('[data-funding-entry]')].map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent!.replace(/\s+/g, ' ').trim()));

describe('company card: funding disclosure', () => {
  it('shows each entry with its amount in its own currency, type, purpose, agreement and date added', async () => {
    const { dialog } = await openCard('acme');
    const [latest, earlier] = rows(dialog);
    const euros = (n: number) => new Intl.NumberFormat('en', { style: 'currency', currency: 'EUR' }).format(n);
    expect(latest!.slice(0, 5)).to.deep.equal(['2025', euros(30000).replace(/\s+/g, ' '), 'Grant', 'Carers’ helpline', 'AG-2025-2']);
    expect(latest![1]).to.contain('€');
    expect(latest![5]).to.match(/\w+ \d+, \d{4}|\d+ \w+ \d{4}/);
    expect(earlier!.slice(0, 2)).to.deep.equal(['2024', euros(20000).replace(/\s+/g, ' ')]);
    const headers = [...dialog.querySelectorAll('thead th')].map((th) => th.textContent!.trim());
    expect(headers).to.deep.equal(['Year', 'Amount', 'Type', 'Purpose', 'Agreement', 'Added']);
    expect(dialog.querySelector('[data-sponsored]')).to.equal(null);
  });

  it('shows pounds as pounds, support in kind without a value, and says the company sponsors the forum', async () => {
    const { el, dialog, badge } = await openCard('sol');
    const [sponsorship, inKind] = rows(dialog);
    expect(sponsorship!.slice(0, 5)).to.deep.equal(['2024', '£8,000.00', 'Sponsorship', 'Carers’ conference', 'SOL-24-3']);
    expect(inKind!.slice(0, 5)).to.deep.equal(['2023', 'in kind, no value stated', 'In kind', 'Hosting of the forum', '']);
    const note = dialog.querySelector('[data-sponsored]')!;
    expect(note.getAttribute('role')).to.equal('note');
    expect(note.textContent).to.contain('Sponsors this forum');
    expect(note.textContent).to.contain('Sol Diagnostics must regularly screen it for reports of side effects');
    await expect(root(el).querySelector('parley-company-card')!).to.be.accessible();
    // Keyboard: Escape closes the card and focus returns to the badge.
    await sendKeys({ press: 'Escape' });
    await until(() => !root(el).querySelector('parley-company-card'), 'Escape did not close the card');
    expect(root(el).activeElement).to.equal(badge);
  });

  it('formats amounts in the reader’s language (Dutch)', async () => {
    const { dialog } = await openCard('sol', 'nl');
    const [sponsorship] = rows(dialog);
    // (rows() folds the no-break space Intl puts after the symbol)
    expect(sponsorship![1]).to.equal(new Intl.NumberFormat('nl', { style: 'currency', currency: 'GBP' }).format(8000).replace(/\s+/g, ' '));
    expect(sponsorship![1]).to.match(/8\.000/);
    expect(sponsorship![2]).to.equal('Sponsoring');
    expect(dialog.querySelector('[data-sponsored]')!.textContent).to.contain('Sponsort dit forum');
  });
});
