/**
 * Readers' basics of issue 16 that need nothing new from the server: the composer's Markdown
 * preview (rendered as readers will see it, never running anything, kept current while typing,
 * keyboard-operable, axe-clean), the honeypot field hidden from people, and relative times that
 * stay current from the page's one shared clock. Against the real server.
 */
import { expect } from '@open-wc/testing';
import type { LitElement } from 'lit';
import { sendKeys } from '@web/test-runner-commands';
import { onTick } from '../../widget/components/clock.js';
import { composer, mount, restPost, root, sign, typeInto, unique, until } from './helpers.js';

describe('composer preview, honeypot and relative times', () => {
  it('Preview shows the Markdown as readers will see it, sanitised, and follows the text', async () => {
    const el = await mount({ topic: unique('preview'), token: await sign('Pia') });
    const c = composer(el)!;
    const shadow = c.element.shadowRoot!;
    typeInto(c.textarea, 'Some **bold** advice and a [link](https://example.org) <img src=x onerror="window.__pwned=1">');
    const toggle = shadow.querySelector<HTMLButtonElement>('[data-preview-toggle]')!;
    expect(toggle.getAttribute('aria-expanded')).to.equal('false');
    // Keyboard: focus the toggle and press Space.
    toggle.focus();
    await sendKeys({ press: 'Space' });
    await until(() => shadow.querySelector('[data-preview] strong'), 'the preview never rendered');
    const preview = shadow.querySelector<HTMLElement>('[data-preview]')!;
    expect(toggle.getAttribute('aria-expanded')).to.equal('true');
    expect(preview.querySelector('strong')!.textContent).to.equal('bold');
    const link = preview.querySelector('a')!;
    expect(link.getAttribute('href')).to.equal('https://example.org');
    // Raw HTML stays text: no element, nothing ran.
    expect(preview.querySelector('img')).to.equal(null);
    expect(preview.textContent).to.contain('<img src=x');
    expect((window as unknown as { __pwned?: number }).__pwned).to.equal(undefined);
    await expect(c.element).to.be.accessible();

    typeInto(c.textarea, '- one\n- two');
    await (c.element as LitElement).updateComplete;
    expect(preview.querySelectorAll('li').length).to.equal(2);
    typeInto(c.textarea, '');
    await (c.element as LitElement).updateComplete;
    expect(shadow.querySelector('[data-preview]')!.textContent).to.contain('Nothing to preview yet');
    toggle.click();
    await (c.element as LitElement).updateComplete;
    expect(shadow.querySelector('[data-preview]')).to.equal(null);
  });

  it('the honeypot field is out of sight, out of the tab order and hidden from assistive technology', async () => {
    const el = await mount({ topic: unique('honeypot'), token: await sign('Hal') });
    const field = composer(el)!.element.shadowRoot!.querySelector<HTMLInputElement>('[data-honeypot]')!;
    expect(field.name).to.equal('homepage');
    expect(field.tabIndex).to.equal(-1);
    expect(field.getAttribute('aria-hidden')).to.equal('true');
    const box = field.getBoundingClientRect();
    expect(box.right).to.be.below(0);
  });

  it('relative times turn on the page’s one shared clock', async () => {
    const topic = unique('clock');
    await restPost(await sign('Tim'), { topic, body: 'Posted just now' });
    const el = await mount({ topic });
    const time = () => root(el).querySelector('time')!.textContent!.trim();
    expect(time()).to.equal('now');
    // Nudge the element's clock as the shared timer would, one hour later.
    const later = Date.now() + 3_600_000;
    const realNow = Date.now;
    Date.now = () => later;
    try {
      // A listener of our own shows that ticks reach every subscriber; the discussion is one of them.
      let ticked = 0;
      const stop = onTick(() => void (ticked += 1));
      await until(() => ticked > 0, 'the shared clock never ticked', 35_000);
      stop();
      await el.updateComplete;
      expect(time()).to.equal('1 hour ago');
    } finally {
      Date.now = realNow;
    }
  });
});
