// <parley-admin> (issue 15) against the real test server: who gets in (the server decides), the
// section tabs by keyboard, and each section doing its work through the real admin API, with axe
// checks. The admin is the run's "browser-admin" (test/browser/run.ts); changes to the shared test
// site are additive (a new rule, a new company, a fresh member) or put back.
import { expect, fixture, html } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import '../../widget/parley-admin.js';
import type { ParleyAdmin } from '../../widget/parley-admin.js';
import { toCsv } from '../../widget/admin/csv.js';
import { originProblem } from '../../widget/admin/site.js';
import { diffWords } from '../../widget/admin/diff.js';
import { env, focused, rest, sign, unique, until } from './helpers.js';

const ADMIN = () => sign('Ada Admin', 'browser-admin');

async function mountAdmin(token: string | null, site = env.site): Promise<ParleyAdmin> {
  const el = await fixture<ParleyAdmin>(html`<parley-admin server=${env.server} site=${site} lang="en" .token=${token}></parley-admin>`);
  await until(() => el.shadowRoot!.querySelector('[role="tablist"], [data-gate], [role="alert"]'), 'the console never decided');
  return el;
}

/** The shadow root of a section's element, once it has loaded (its first form or table is there). */
async function section(el: ParleyAdmin, name: string, ready = 'form, table, button'): Promise<ShadowRoot> {
  el.shadowRoot!.querySelector<HTMLElement>(`[data-tab="${name}"]`)!.click();
  await until(() => el.shadowRoot!.querySelector(`parley-admin-${name}`)?.shadowRoot?.querySelector(ready), `the ${name} section never loaded`);
  return el.shadowRoot!.querySelector(`parley-admin-${name}`)!.shadowRoot!;
}

/** The element that has focus, through shadow roots. */
function fill(input: HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement, value: string): void {
  input.value = value;
  input.dispatchEvent(new Event('input', { bubbles: true, composed: true }));
  input.dispatchEvent(new Event('change', { bubbles: true, composed: true }));
}

const note = (root: ShadowRoot, form: string) => root.querySelector<HTMLElement>(`[data-note="${form}"]`);
const submit = (root: ShadowRoot, form: string, button = 'button[type="submit"]') => root.querySelector<HTMLElement>(`form[data-form="${form}"] ${button}`)!.click();

describe('<parley-admin>: who gets in', () => {
  it('a member sees that they need to be an admin of the site, with Sign in; no section is shown', async () => {
    const el = await mountAdmin(await sign('Mo Member'));
    const gate = el.shadowRoot!.querySelector<HTMLElement>('[data-gate]')!;
    expect(gate.textContent).to.contain(`You need to be an admin of ${env.site}`);
    expect(gate.textContent).to.contain('but not as an admin');
    expect(el.shadowRoot!.querySelector('[role="tablist"]')).to.equal(null);
    expect(gate.querySelector('button[data-sign-in]')).to.exist;
    await expect(el).to.be.accessible();
  });

  it('a moderator is refused too: the server answers, the console does not guess', async () => {
    const el = await mountAdmin(await sign('Mia Moderator', 'browser-mod-1'));
    expect(el.shadowRoot!.querySelector('[data-gate]')!.textContent).to.contain('but not as an admin');
  });

  it('without a sign-in, Sign in (by keyboard) opens Parley’s sign-in dialog with the site’s methods', async () => {
    const el = await mountAdmin(null, env.emailSite);
    expect(el.shadowRoot!.querySelector('[data-gate]')!.textContent).to.contain(`admins of ${env.emailSite}`);
    el.shadowRoot!.querySelector<HTMLButtonElement>('[data-sign-in]')!.focus();
    await sendKeys({ press: 'Enter' });
    const dialog = () => el.shadowRoot!.querySelector('parley-sign-in')?.shadowRoot?.querySelector('dialog[open]');
    await until(dialog, 'the sign-in dialog never opened');
    expect(dialog()!.querySelector('input[type="email"]')).to.exist;
    await sendKeys({ press: 'Escape' });
    await until(() => !el.shadowRoot!.querySelector('parley-sign-in'), 'the dialog never closed');
    await until(() => focused()?.matches('[data-sign-in]'), 'focus did not return to Sign in');
  });
});

describe('<parley-admin>: the sections', () => {
  it('the tab list works by keyboard (arrows, Home, End, Enter into the panel) and the console has no axe violations', async () => {
    const el = await mountAdmin(await ADMIN());
    expect(el.shadowRoot!.textContent).to.contain('Signed in as Ada Admin');
    const tabs = [...el.shadowRoot!.querySelectorAll<HTMLElement>('[role="tab"]')].map((t) => t.dataset.tab);
    expect(tabs).to.deep.equal(['site', 'rules', 'companies', 'people', 'settings', 'reports', 'data']);
    el.shadowRoot!.querySelector<HTMLElement>('[data-tab="site"]')!.focus();
    await sendKeys({ press: 'ArrowRight' });
    await until(() => focused()?.matches('[data-tab="rules"][aria-selected="true"]'), 'ArrowRight did not move to House rules');
    expect(el.shadowRoot!.querySelector('[role="tabpanel"]')!.getAttribute('aria-labelledby')).to.equal('tab-rules');
    await sendKeys({ press: 'End' });
    await until(() => focused()?.matches('[data-tab="data"]'), 'End did not move to Data');
    await sendKeys({ press: 'ArrowRight' });
    await until(() => focused()?.matches('[data-tab="site"]'), 'ArrowRight did not wrap to Site');
    await sendKeys({ press: 'ArrowLeft' });
    await until(() => focused()?.matches('[data-tab="data"]'), 'ArrowLeft did not wrap to Data');
    await sendKeys({ press: 'Home' });
    await until(() => focused()?.matches('[data-tab="site"]'), 'Home did not move to Site');
    expect(el.shadowRoot!.querySelectorAll('[role="tab"][tabindex="0"]').length).to.equal(1);
    await sendKeys({ press: 'Enter' });
    await until(() => focused()?.matches('[role="tabpanel"]'), 'Enter did not move into the section');
    await section(el, 'site');
    await expect(el).to.be.accessible();
  });

  it('Site: origins get hints before sending, a saved change comes back from the server, rotating asks first', async () => {
    const el = await mountAdmin(await ADMIN());
    const root = await section(el, 'site', 'form[data-form="site"]');
    const origins = root.querySelector<HTMLTextAreaElement>('#site-origins')!;
    const before = origins.value;
    fill(origins, `${before}\nhttp://www.example.org/\nexample.org`);
    await until(() => root.querySelector('[data-origin-hints]'), 'no hints for bad origins');
    const hints = root.querySelector('[data-origin-hints]')!;
    expect(hints.getAttribute('role')).to.equal('alert');
    expect(hints.textContent).to.contain('https://www.example.org');
    expect(hints.textContent).to.contain('not an origin');
    submit(root, 'site');
    expect(note(root, 'site')).to.equal(null, 'nothing is sent while hints stand');
    fill(origins, `${before}\nhttps://patients.example`);
    submit(root, 'site');
    await until(() => note(root, 'site'), 'the save never answered');
    expect(note(root, 'site')!.getAttribute('role')).to.equal('status');
    expect((await rest('GET', '/admin/site', await ADMIN())).origins).to.include('https://patients.example');
    // Put the test site back as it was.
    fill(origins, before);
    submit(root, 'site');
    await until(async () => !(await rest('GET', '/admin/site', await ADMIN())).origins.includes('https://patients.example'), 'the origin was not removed again');
    // Rotating the test site's secret would sign every other test out: only the confirmation step here.
    root.querySelector<HTMLButtonElement>('[data-rotate]')!.click();
    await until(() => focused()?.matches('[data-rotate-confirm]'), 'the confirmation button did not take focus');
    root.querySelector<HTMLButtonElement>('[data-rotate-confirm] + button')!.click();
    await until(() => root.querySelector('[data-rotate]'), 'cancel did not go back');
    expect(root.querySelector('[data-secret]')).to.equal(null);
    await expect(root.host).to.be.accessible();
  });

  it('House rules: a new rule, its sanitised preview, the diff against the version in force, publishing with a change note', async () => {
    const el = await mountAdmin(await ADMIN());
    const root = await section(el, 'rules', 'form[data-form="rule"]');
    fill(root.querySelector<HTMLSelectElement>('#rule-pick')!, '');
    await until(() => root.querySelector('#rule-id'), 'no id field for a new rule');
    const id = `R${900 + Math.floor(Math.random() * 99)}`;
    fill(root.querySelector<HTMLInputElement>('#rule-id')!, id);
    fill(root.querySelector<HTMLInputElement>('#rule-title')!, 'We keep it friendly');
    fill(root.querySelector<HTMLSelectElement>('#rule-kind')!, 'commitment');
    fill(root.querySelector<HTMLTextAreaElement>('#rule-text')!, 'We answer *every* question.\n\n<img src=x onerror="window.__pwned=1">');
    root.querySelector<HTMLButtonElement>('[data-preview]')!.click();
    await until(() => root.querySelector('[data-preview-out] .preview em'), 'the preview never came');
    expect(root.querySelector('[data-preview-out] .preview img')).to.equal(null);
    expect((window as unknown as { __pwned?: number }).__pwned).to.equal(undefined);
    // Without a change note the server refuses, and says which field.
    submit(root, 'rule');
    await until(() => note(root, 'rule'), 'no answer to publishing without a note');
    expect(note(root, 'rule')!.getAttribute('role')).to.equal('alert');
    expect(note(root, 'rule')!.textContent).to.contain('changeNote');
    fill(root.querySelector<HTMLInputElement>('#rule-note')!, 'A promise to our members');
    submit(root, 'rule');
    await until(() => note(root, 'rule')?.getAttribute('role') === 'status', 'publishing failed');
    expect(note(root, 'rule')!.textContent).to.contain(`${id} version 1`);
    // Now edit it: the diff shows what changes against version 1.
    await until(() => root.querySelector('[data-diff]')?.textContent?.includes('No changes'), 'the new rule was not chosen');
    fill(root.querySelector<HTMLTextAreaElement>('#rule-text')!, 'We answer *every* question within two days.');
    await until(() => root.querySelector('[data-diff] ins'), 'no diff shown');
    const marked = (tag: string) => [...root.querySelectorAll(`[data-diff] ${tag}`)].map((x) => x.textContent).join(' ');
    expect(marked('ins')).to.contain('two');
    expect(marked('ins')).to.contain('days.');
    expect(marked('del')).to.contain('onerror');
    expect(marked('del')).not.to.contain('every');
    fill(root.querySelector<HTMLInputElement>('#rule-note')!, 'Say how fast we answer');
    submit(root, 'rule', 'button[value="publish"]');
    await until(() => note(root, 'rule')?.textContent?.includes('version 2'), 'version 2 was not published');
    const published = (await rest('GET', '/rules', null)).rules.find((r: { id: string }) => r.id === id);
    expect(published.version).to.equal(2);
    expect(published.text).to.contain('within two days');
    await expect(root.host).to.be.accessible();
  });

  it('Companies: add a company with a product, a funding entry and a PV contact; bad input is refused with the field named', async () => {
    const el = await mountAdmin(await ADMIN());
    let root = await section(el, 'companies', '[data-new-company]');
    root.querySelector<HTMLButtonElement>('[data-new-company]')!.click();
    await until(() => focused()?.matches('#co-name'), 'focus did not move into the editor');
    const id = unique('co').toLowerCase().replace(/[^a-z0-9-]/g, '').slice(0, 36);
    fill(root.querySelector<HTMLInputElement>('#co-id')!, id);
    fill(root.querySelector<HTMLInputElement>('#co-name')!, 'Zeta Pharma');
    fill(root.querySelector<HTMLInputElement>('#co-legal')!, 'Zeta Pharma GmbH');
    fill(root.querySelector<HTMLTextAreaElement>('#co-domains')!, 'not a domain');
    submit(root, 'company');
    await until(() => note(root, 'company'), 'no answer to a bad domain');
    expect(note(root, 'company')!.getAttribute('role')).to.equal('alert');
    expect(note(root, 'company')!.textContent).to.contain('emailDomains');
    fill(root.querySelector<HTMLTextAreaElement>('#co-domains')!, 'zeta.example');
    root.querySelector<HTMLButtonElement>('[data-add-product]')!.click();
    await until(() => root.querySelector('#p-name-0'), 'no product row');
    fill(root.querySelector<HTMLInputElement>('#p-name-0')!, 'Zetamab');
    fill(root.querySelector<HTMLInputElement>('#p-inn-0')!, 'zetamab, zeta');
    root.querySelector<HTMLButtonElement>('[data-add-funding]')!.click();
    await until(() => root.querySelector('#f-amount-0'), 'no funding row');
    // An older year: the shared test site's 2025 shares belong to identity-badges.test.ts.
    fill(root.querySelector<HTMLInputElement>('#f-year-0')!, '2021');
    fill(root.querySelector<HTMLInputElement>('#f-amount-0')!, '1234.5');
    fill(root.querySelector<HTMLInputElement>('#f-cur-0')!, 'eur');
    fill(root.querySelector<HTMLInputElement>('#f-purpose-0')!, 'Patient day');
    await until(() => root.querySelector('[data-funding-row="0"] legend')?.textContent?.includes('€1,234.50'), 'the amount is not shown with its currency');
    fill(root.querySelector<HTMLSelectElement>('#f-type-0')!, 'grant');
    root.querySelector<HTMLInputElement>('[data-sponsored]')!.click();
    submit(root, 'company');
    await until(() => note(root, 'company')?.getAttribute('role') === 'status', 'saving the company failed');
    expect(note(root, 'company')!.textContent).not.to.contain('does not keep', 'this server keeps the extended disclosure');
    const saved = (await rest('GET', `/companies/${id}`, null)).company ?? (await rest('GET', `/companies/${id}`, null));
    expect(JSON.stringify(saved)).to.contain('Zetamab');
    expect(JSON.stringify(saved)).to.contain('1234.5');
    expect(JSON.stringify(saved)).to.contain('"currency":"EUR"');
    expect(JSON.stringify(saved)).to.contain('"type":"grant"');
    expect(JSON.stringify(saved)).to.contain('"sponsored":true');
    // The pharmacovigilance contact.
    await until(() => root.querySelector('#pv-email'), 'the PV contact form never loaded');
    fill(root.querySelector<HTMLInputElement>('#pv-email')!, 'not-an-email');
    submit(root, 'contact');
    await until(() => note(root, 'contact'), 'no answer to a bad PV address');
    expect(note(root, 'contact')!.getAttribute('role')).to.equal('alert');
    fill(root.querySelector<HTMLInputElement>('#pv-email')!, 'safety@zeta.example');
    submit(root, 'contact');
    await until(() => note(root, 'contact')?.getAttribute('role') === 'status', 'saving the PV contact failed');
    await until(() => root.querySelector('[data-contacts]')?.textContent?.includes('safety@zeta.example'), 'the default contact is not listed');
    // A more specific contact: one country, one product.
    fill(root.querySelector<HTMLInputElement>('#pv-country')!, 'nl');
    fill(root.querySelector<HTMLSelectElement>('#pv-product')!, 'Zetamab');
    fill(root.querySelector<HTMLInputElement>('#pv-email')!, 'pv-nl@zeta.example');
    submit(root, 'contact');
    await until(() => root.querySelector('[data-contacts]')?.textContent?.includes('pv-nl@zeta.example'), 'the scoped contact is not listed');
    expect(root.querySelector('[data-contacts]')!.textContent).to.contain('NL · Zetamab');
    await expect(root.host).to.be.accessible();
    // Back to the register: the company is listed and focus is on its Edit button.
    root.querySelector<HTMLButtonElement>('[data-back]')!.click();
    root = el.shadowRoot!.querySelector('parley-admin-companies')!.shadowRoot!;
    await until(() => focused()?.matches(`[data-edit="${id}"]`), 'focus did not return to the company in the register');
    expect(root.querySelector(`tr[data-company="${id}"]`)!.textContent).to.contain('Zeta Pharma');
    await expect(root.host).to.be.accessible();
  });

  it('People: find a member, give and take the moderator role, verify a professional', async () => {
    const name = `Pia ${unique('p').slice(-6)}`;
    const member = await sign(name);
    await rest('GET', '/me', member);
    const el = await mountAdmin(await ADMIN());
    const root = await section(el, 'people', 'form[data-form="find"]');
    root.querySelector<HTMLInputElement>('#find-name')!.focus();
    await sendKeys({ type: name });
    await sendKeys({ press: 'Enter' });
    await until(() => root.querySelector('[data-found] [data-choose]'), 'the member was not found');
    root.querySelector<HTMLButtonElement>('[data-found] [data-choose]')!.click();
    await until(() => focused()?.matches('#grant-role'), 'focus did not move to the role choice');
    submit(root, 'role');
    await until(() => note(root, 'grant')?.getAttribute('role') === 'status', 'granting failed');
    await until(() => root.querySelector('[data-roles]')?.textContent?.includes(name), 'the roles list does not show the new moderator');
    fill(root.querySelector<HTMLInputElement>('#prof-profession')!, 'Pharmacist');
    submit(root, 'professional');
    await until(() => note(root, 'verify-professional')?.getAttribute('role') === 'status', 'verifying failed');
    await expect(root.host).to.be.accessible();
    const revoke = [...root.querySelectorAll<HTMLButtonElement>('[data-revoke-role]')].find((b) => b.textContent?.includes(name))!;
    revoke.click();
    await until(() => note(root, 'roles')?.getAttribute('role') === 'status', 'revoking failed');
    await until(() => !root.querySelector('[data-roles]')?.textContent?.includes(name), 'the role is still listed');
  });

  it('Settings: a bad threshold is refused with the field named; boilerplate and moderation settings save', async () => {
    const el = await mountAdmin(await ADMIN());
    const root = await section(el, 'settings', 'form[data-form="boilerplate"]');
    fill(root.querySelector<HTMLInputElement>('#set-threshold')!, '5');
    submit(root, 'authenticity');
    await until(() => note(root, 'authenticity'), 'no answer to a bad threshold');
    expect(note(root, 'authenticity')!.getAttribute('role')).to.equal('alert');
    expect(note(root, 'authenticity')!.textContent).to.contain('scriptedThreshold');
    const boilerplate = root.querySelector<HTMLTextAreaElement>('#set-boilerplate')!;
    const before = boilerplate.value;
    fill(boilerplate, `${before}\nPlease report side effects to your doctor.`);
    submit(root, 'boilerplate');
    await until(() => note(root, 'boilerplate')?.getAttribute('role') === 'status', 'saving boilerplate failed');
    expect((await rest('GET', '/admin/boilerplate', await ADMIN())).texts).to.include('Please report side effects to your doctor.');
    fill(root.querySelector<HTMLTextAreaElement>('#set-boilerplate')!, before);
    submit(root, 'boilerplate');
    await until(async () => !(await rest('GET', '/admin/boilerplate', await ADMIN())).texts.includes('Please report side effects to your doctor.'), 'boilerplate not put back');
    submit(root, 'moderation');
    await until(() => note(root, 'moderation')?.getAttribute('role') === 'status', 'saving moderation settings failed');
    await expect(root.host).to.be.accessible();
  });

  it('Reports: JSON and CSV downloads of the transparency report and the statements', async () => {
    const el = await mountAdmin(await ADMIN());
    const root = await section(el, 'reports', '[data-download]');
    for (const which of ['transparency-json', 'transparency-csv', 'statements-json', 'statements-csv']) {
      root.querySelector<HTMLButtonElement>(`[data-download="${which}"]`)!.click();
      const form = which.split('-')[0]!;
      await until(() => note(root, form)?.textContent?.includes(which.endsWith('csv') ? '(CSV)' : '(JSON)'), `${which} did not download`);
      expect(note(root, form)!.getAttribute('role')).to.equal('status');
    }
    await expect(root.host).to.be.accessible();
  });

  it('Data: the import asks for a file first, and says what the server answered; export is a button', async () => {
    const el = await mountAdmin(await ADMIN());
    const root = await section(el, 'data', 'form[data-form="import"]');
    submit(root, 'import');
    await until(() => note(root, 'import'), 'no answer without a file');
    expect(note(root, 'import')!.getAttribute('role')).to.equal('alert');
    expect(note(root, 'import')!.textContent).to.contain('Choose the file');
    expect(root.querySelector('[data-import-now]')).to.equal(null, 'nothing to import before a dry run');
    expect(root.querySelector('[data-export]')).to.exist;
    await expect(root.host).to.be.accessible();
  });

  it('Data: a Disqus file is checked by a dry run first, imported on request, and a second run creates nothing twice', async () => {
    const el = await mountAdmin(await ADMIN());
    const root = await section(el, 'data', 'form[data-form="import"]');
    const xml = await (await fetch('/test/fixtures/import/disqus-export.xml')).text();
    const choose = () => {
      const files = new DataTransfer();
      files.items.add(new File([xml], 'disqus-export.xml', { type: 'application/xml' }));
      const input = root.querySelector<HTMLInputElement>('#import-file')!;
      input.files = files.files;
      fill(root.querySelector<HTMLSelectElement>('#import-format')!, 'disqus');
    };
    const counts = () => [...root.querySelectorAll('[data-import-report] tbody tr')].map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent));
    choose();
    submit(root, 'import');
    await until(() => root.querySelector('[data-import-report="dry-run"]'), 'no dry-run report');
    await until(() => focused()?.matches('#report-title'), 'focus did not move to the report');
    const dry = counts();
    expect(Number(dry[1]![0])).to.be.greaterThan(0, 'the dry run finds posts to import');
    const before = (await rest('GET', '/topics', null)).topics.length;
    root.querySelector<HTMLButtonElement>('[data-import-now]')!.click();
    await until(() => root.querySelector('[data-import-report="done"]'), 'the import did not finish');
    expect(counts()[1]![0]).to.equal(dry[1]![0], 'the import did what the dry run said');
    expect((await rest('GET', '/topics', null)).topics.length).to.be.greaterThan(before);
    await expect(root.host).to.be.accessible();
    // The same file again: everything is already there.
    choose();
    submit(root, 'import');
    await until(() => root.querySelector('[data-import-report="dry-run"]'), 'no second dry-run report');
    expect(counts()[1]![0]).to.equal('0');
    expect(Number(counts()[1]![1])).to.be.greaterThan(0);
  });
});

describe('console helpers', () => {
  it('CSV quotes commas, quotes and line breaks, and defuses spreadsheet formulas', () => {
    const csv = toCsv([{ a: 'x,y', b: 'say "hi"' }, { a: '=SUM(A1)', c: 'two\nlines' }]);
    expect(csv).to.equal('a,b,c\r\n"x,y","say ""hi""",\r\n\'=SUM(A1),,"two\nlines"\r\n');
  });

  it('origin hints: scheme, path, plain http and a bare host', () => {
    expect(originProblem('https://www.example.org')).to.equal(null);
    expect(originProblem('http://localhost:8080')).to.equal(null);
    expect(originProblem('https://example.org/forum')).to.contain('has a path');
    expect(originProblem('http://example.org')).to.contain('https://example.org');
    expect(originProblem('example.org')).to.contain('not an origin');
  });

  it('the word diff keeps what is the same and marks what changed', () => {
    expect(diffWords('be kind to all', 'be very kind to everyone')).to.deep.equal([
      { kind: 'same', text: 'be ' },
      { kind: 'added', text: 'very ' },
      { kind: 'same', text: 'kind to ' },
      { kind: 'removed', text: 'all' },
      { kind: 'added', text: 'everyone' },
    ]);
  });
});
