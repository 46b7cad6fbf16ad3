// Five languages (issue 17): the discussion in English, Dutch, German, French and Arabic against
// the real server — translated, axe-clean, and in Arabic laid out right to left (the thread's
// indent and the composer mirror, because the styles use logical properties only); plural
// forms chosen by each language's rules (Arabic has six); amounts in each language's currency
// format; <parley-count> in each language.
import { expect } from '@open-wc/testing';
import { formatMoney } from '../../widget/components/company-card.js';
import { LANGUAGES, loadLanguage, translator } from '../../widget/i18n/index.js';
import { logMessages } from '../../widget/i18n/log.js';
import { composer, env, mount, restPost, root, sign, unique, until } from './helpers.js';
import type { ParleyDiscussion } from '../../widget/parley-discussion.js';

/** A thread with a reply, shown in `lang`, once that language's messages are in. */
async function discussion(lang: string): Promise<ParleyDiscussion> {
  const topic = unique(`i18n-${lang}`);
  const token = await sign('Rana Member');
  const first = await restPost(token, { topic, body: 'Does anyone have tips for the first weeks?' });
  await restPost(await sign('Omar Member'), { topic, body: 'Rest, and write your questions down for the nurse.', parent: first.id });
  const el = await mount({ topic, token, lang });
  await el.updateComplete;
  return el;
}

/** What each language calls the reply button: proof that its strings, not English, are shown. */
const REPLY: Record<string, string> = { en: 'Reply', nl: 'Reageren', de: 'Antworten', fr: 'Répondre', ar: 'رد' };

describe('five languages', () => {
  for (const lang of LANGUAGES) {
    it(`${lang}: the discussion is translated, says its language and direction, and has no axe violations`, async () => {
      const el = await discussion(lang);
      const section = root(el).querySelector('section')!;
      await until(() => [...root(el).querySelectorAll('button')].some((b) => b.textContent?.trim() === REPLY[lang]), `no "${REPLY[lang]}" button`);
      expect(section.getAttribute('lang')).to.equal(lang);
      expect(section.getAttribute('dir')).to.equal(lang === 'ar' ? 'rtl' : 'ltr');
      expect(getComputedStyle(section).direction).to.equal(lang === 'ar' ? 'rtl' : 'ltr');
      await expect(el).to.be.accessible();
    });
  }

  it('ar: the thread indent and the composer mirror (logical properties)', async () => {
    const el = await discussion('ar');
    el.style.display = 'block';
    el.style.width = '390px';
    await until(() => root(el).querySelector('.replies article'), 'no reply shown');
    const replies = root(el).querySelector<HTMLElement>('.replies')!;
    const style = getComputedStyle(replies);
    // The indent and its rule are on the right, where an Arabic line starts.
    expect(parseFloat(style.paddingRight)).to.be.above(0);
    expect(parseFloat(style.paddingLeft)).to.equal(0);
    expect(parseFloat(style.borderRightWidth)).to.be.above(0);
    expect(parseFloat(style.borderLeftWidth)).to.equal(0);
    const reply = replies.querySelector('article')!.getBoundingClientRect();
    const parent = root(el).querySelector('article')!.getBoundingClientRect();
    expect(reply.right).to.be.below(parent.right - 4);
    expect(Math.abs(reply.left - parent.left)).to.be.below(2);
    // The composer runs right to left (in the widget's direction: an empty dir=auto field would
    // start left to right) and its label sits at the right edge.
    const c = composer(el)!;
    expect(getComputedStyle(c.textarea).direction).to.equal('rtl');
    const label = c.element.shadowRoot!.querySelector('label')!.getBoundingClientRect();
    const box = c.element.getBoundingClientRect();
    expect(box.right - label.right).to.be.below(box.width / 4);
    // The "in reply to" arrow points to where an Arabic line starts, and members' words keep their own direction.
    expect(getComputedStyle(root(el).querySelector('.reply-to')!, '::before').content).to.contain('↲');
    expect(root(el).querySelector('.body')!.getAttribute('dir')).to.equal('auto');
    // English at the same width keeps the indent on the left.
    const en = await discussion('en');
    await until(() => root(en).querySelector('.replies article'), 'no reply shown');
    const enStyle = getComputedStyle(root(en).querySelector('.replies')!);
    expect(parseFloat(enStyle.paddingLeft)).to.be.above(0);
    expect(parseFloat(enStyle.paddingRight)).to.equal(0);
  });

  it('a dir attribute on the element overrides the language’s direction', async () => {
    const el = await discussion('ar');
    el.setAttribute('dir', 'ltr');
    el.requestUpdate();
    await el.updateComplete;
    expect(root(el).querySelector('section')!.getAttribute('dir')).to.equal('ltr');
  });
});

describe('plurals and numbers in each language', () => {
  before(async () => {
    for (const lang of LANGUAGES) await loadLanguage(lang);
  });

  it('chooses plural forms by each language’s rules', () => {
    const say = (lang: string, count: number) => translator(lang)('newMessages', { count });
    expect(say('en', 1)).to.equal('1 new message');
    expect(say('en', 2)).to.equal('2 new messages');
    expect(say('nl', 1)).to.equal('1 nieuw bericht');
    expect(say('nl', 3)).to.equal('3 nieuwe berichten');
    expect(say('de', 1)).to.equal('1 neuer Beitrag');
    expect(say('de', 3)).to.equal('3 neue Beiträge');
    expect(say('fr', 1)).to.equal('1 nouveau message');
    expect(say('fr', 3)).to.equal('3 nouveaux messages');
    // Arabic: one, two, few (3–10), many (11–99) and other (100…) are all different words.
    expect(say('ar', 1)).to.equal('رسالة جديدة واحدة');
    expect(say('ar', 2)).to.equal('رسالتان جديدتان');
    expect(say('ar', 3)).to.match(/رسائل جديدة$/);
    expect(say('ar', 11)).to.match(/رسالة جديدة$/);
    const forms = new Set([0, 1, 2, 3, 11, 100].map((n) => translator('ar', logMessages)('logWitnesses', { count: n }).replace(/[\d\u0660-\u0669\u066C,]+/g, 'N')));
    expect(forms.size).to.equal(6);
  });

  it('formats numbers inside messages the language’s way', () => {
    const t = (lang: string) => translator(lang, logMessages)('logVerifiedNoTime', { count: 12345 });
    expect(t('en')).to.contain('12,345 entries');
    expect(t('de')).to.contain('12.345 Einträge');
    expect(t('nl')).to.contain('12.345 regels');
    expect(t('fr')).to.match(/12\u202f345 entrées/);
  });

  it('formats amounts in each language’s currency format', () => {
    const euros = (lang: string) => formatMoney(1234.5, 'EUR', lang);
    expect(euros('en')).to.equal('€1,234.50');
    expect(euros('nl')).to.match(/^€\s1\.234,50$/);
    expect(euros('de')).to.match(/^1\.234,50\s€$/);
    expect(euros('fr')).to.match(/^1\u202f234,50\s€$/);
    expect(euros('ar')).to.contain('€');
    expect(euros('ar')).to.match(/١٬٢٣٤٫٥٠|1,234\.50/);
    expect(formatMoney(30000, 'GBP', 'de')).to.match(/^30\.000,00\s£$/);
  });

  it('<parley-count> says the count in each language, Arabic with its dual', async () => {
    await import(/* @vite-ignore */ `${env.server}/parley-count.js`);
    const words: Record<string, [number, string][]> = {
      en: [[0, 'No messages yet'], [1, '1 message'], [5, '5 messages']],
      nl: [[0, 'Nog geen berichten'], [1, '1 bericht'], [5, '5 berichten']],
      de: [[0, 'Noch keine Beiträge'], [1, '1 Beitrag'], [5, '5 Beiträge']],
      fr: [[0, 'Aucun message pour l’instant'], [1, '1 message'], [5, '5 messages']],
      ar: [[0, 'لا توجد رسائل بعد'], [1, 'رسالة واحدة'], [2, 'رسالتان'], [5, '5 رسائل'], [11, '11 رسالة']],
    };
    for (const [lang, cases] of Object.entries(words)) {
      const host = document.createElement('div');
      host.lang = lang;
      const count = document.createElement('parley-count') as HTMLElement & { show(n: number): void };
      host.append(count);
      for (const [n, text] of cases) {
        count.show(n);
        expect(count.textContent!.replace(/[\u0660-\u0669]/g, (d) => String(d.charCodeAt(0) - 0x0660))).to.equal(text);
      }
    }
  });
});
