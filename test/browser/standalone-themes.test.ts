/**
 * The standalone public elements `<parley-transparency>` and `<parley-rules>` (a site's
 * "Moderation" page) follow the same themes as `<parley-discussion>`: `prefers-color-scheme`
 * when no theme is forced, the `theme` attribute when one is; axe-clean in dark.
 */
import { expect, fixture, html } from '@open-wc/testing';
import { emulateMedia } from '@web/test-runner-commands';
import '../../widget/moderation/transparency.js';
import { PALETTES } from '../../widget/styles/tokens.js';
import { env, until } from './helpers.js';

const rgb = (hex: string) => `rgb(${[1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16)).join(', ')})`;

async function mountStandalone(tag: 'parley-transparency' | 'parley-rules', theme: string | null): Promise<HTMLElement> {
  const el = await fixture<HTMLElement>(
    tag === 'parley-transparency'
      ? html`<parley-transparency server=${env.server} site=${env.site} lang="en" theme=${theme ?? 'auto'}></parley-transparency>`
      : html`<parley-rules server=${env.server} site=${env.site} lang="en" theme=${theme ?? 'auto'}></parley-rules>`,
  );
  const ready = tag === 'parley-transparency' ? 'table[data-table="type"]' : '[data-how]';
  await until(() => el.shadowRoot?.querySelector(ready), `${tag} never rendered`);
  return el;
}

describe('standalone transparency and rules elements follow the themes', () => {
  afterEach(() => emulateMedia({ colorScheme: 'light' }));

  for (const tag of ['parley-transparency', 'parley-rules'] as const) {
    it(`<${tag}>: dark from prefers-color-scheme, forced light or dark by the attribute; axe-clean in dark`, async () => {
      await emulateMedia({ colorScheme: 'dark' });
      const auto = await mountStandalone(tag, null);
      expect(getComputedStyle(auto).backgroundColor).to.equal(rgb(PALETTES.dark.bg));
      expect(getComputedStyle(auto).color).to.equal(rgb(PALETTES.dark.text));
      expect(getComputedStyle(auto).colorScheme).to.equal('dark');
      // Links and muted text take the dark tones too, not the light ones on a dark background.
      const link = auto.shadowRoot!.querySelector('a');
      if (link) expect(getComputedStyle(link).color).to.not.equal(rgb(PALETTES.light.accent));
      await expect(auto).to.be.accessible();

      const light = await mountStandalone(tag, 'light');
      expect(getComputedStyle(light).backgroundColor).to.equal(rgb(PALETTES.light.bg));
      expect(getComputedStyle(light).color).to.equal(rgb(PALETTES.light.text));

      await emulateMedia({ colorScheme: 'light' });
      const forced = await mountStandalone(tag, 'dark');
      expect(getComputedStyle(forced).backgroundColor).to.equal(rgb(PALETTES.dark.bg));
      expect(getComputedStyle(forced).color).to.equal(rgb(PALETTES.dark.text));
      await expect(forced).to.be.accessible();
    });
  }
});
