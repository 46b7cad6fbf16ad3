// <parley-admin> in French and Arabic (issue 17) against the real test server: the frame (title,
// sign-in gate, section tabs) and the sections' headings in the element's language, Arabic laid out right to left with the tab
// list's arrow keys following the layout, axe-clean at 390 px and 1280 px.
import { expect, fixture, html } from '@open-wc/testing';
import { sendKeys, setViewport } from '@web/test-runner-commands';
import '../../widget/parley-admin.js';
import type { ParleyAdmin } from '../../widget/parley-admin.js';
import { env, sign, until } from './helpers.js';

async function mountAdmin(token: string | null, lang: string): Promise<ParleyAdmin> {
  const el = await fixture<ParleyAdmin>(html`<parley-admin server=${env.server} site=${env.site} lang=${lang} .token=${token}></parley-admin>`);
  await until(() => el.shadowRoot!.querySelector('[role="tablist"], [data-gate], [role="alert"]'), 'the console never decided');
  return el;
}

const tabs = (el: ParleyAdmin) => [...el.shadowRoot!.querySelectorAll<HTMLElement>('[role="tab"]')];

describe('<parley-admin> in other languages', () => {
  it('greets a member in French at the sign-in gate', async () => {
    await setViewport({ width: 1280, height: 900 });
    const el = await mountAdmin(await sign('Mo Member'), 'fr');
    expect(el.getAttribute('dir')).to.equal('ltr');
    expect(el.shadowRoot!.querySelector('h1')!.textContent).to.contain('Console Parley');
    const gate = el.shadowRoot!.querySelector<HTMLElement>('[data-gate]')!;
    expect(gate.querySelector('h2')!.textContent).to.equal(`Vous devez administrer ${env.site}`);
    expect(gate.querySelector('button[data-sign-in]')!.textContent).to.equal('Se connecter');
    await expect(el).to.be.accessible();
  });

  it('shows an admin its sections in Arabic, right to left, with arrow keys that follow the layout', async () => {
    await setViewport({ width: 390, height: 844 });
    const el = await mountAdmin(await sign('Ada Admin', 'browser-admin'), 'ar');
    expect(el.getAttribute('dir')).to.equal('rtl');
    expect(getComputedStyle(el).direction).to.equal('rtl');
    expect(el.shadowRoot!.querySelector('[role="tablist"]')!.getAttribute('aria-label')).to.equal('أقسام اللوحة');
    expect(tabs(el).map((t) => t.textContent)).to.deep.equal(['الموقع', 'قواعد المجتمع', 'الشركات', 'الأشخاص', 'الإعدادات', 'البلاغات', 'البيانات']);
    // The first tab sits at the right; the next one is to its left.
    const [first, second] = tabs(el).map((t) => t.getBoundingClientRect());
    expect(second!.right).to.be.at.most(first!.left + 1);
    tabs(el)[0]!.focus();
    await sendKeys({ press: 'ArrowLeft' });
    await until(() => el.section === 'rules', 'ArrowLeft did not move to the next tab');
    await sendKeys({ press: 'ArrowRight' });
    await until(() => el.section === 'site', 'ArrowRight did not move back');
    // The section itself gets the language too: its headings are Arabic.
    const siteRoot = () => el.shadowRoot!.querySelector('parley-admin-site')?.shadowRoot;
    await until(() => siteRoot()?.querySelector('#signin-title'), 'the site section never loaded');
    expect(siteRoot()!.querySelector('#signin-title')!.textContent).to.equal('طرق تسجيل الدخول');
    expect(siteRoot()!.querySelector('h2')!.textContent).to.equal('الموقع');
    await expect(el).to.be.accessible();
    await setViewport({ width: 1280, height: 900 });
  });
});
