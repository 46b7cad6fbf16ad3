/**
 * Every message catalogue, widget and server, in every language Parley speaks: no key missing
 * or left over beside English, every message parses as ICU MessageFormat, uses only the
 * arguments the English one has (a translation cannot ask for a value the code never passes),
 * keeps English's plural and select arguments, and formats with sample values in its own locale.
 * Adding a language to LANGUAGES makes this test list every message still to translate.
 */
import { parse, TYPE, type MessageFormatElement } from '@formatjs/icu-messageformat-parser';
import { IntlMessageFormat } from 'intl-messageformat';
import { describe, expect, it, vi } from 'vitest';
import { adminMessages } from '../../widget/i18n/admin.js';
import { ar } from '../../widget/i18n/ar.js';
import { authenticityMessages } from '../../widget/i18n/authenticity.js';
import { blocksMessages } from '../../widget/i18n/blocks.js';
import { de } from '../../widget/i18n/de.js';
import { deskMessages } from '../../widget/i18n/desk.js';
import { editMessages } from '../../widget/i18n/edit.js';
import { en } from '../../widget/i18n/en.js';
import { enLater } from '../../widget/i18n/en-later.js';
import { fr } from '../../widget/i18n/fr.js';
import { identityMessages } from '../../widget/i18n/identity.js';
import { LANGUAGES, loadLanguage, translator } from '../../widget/i18n/index.js';
import { logMessages } from '../../widget/i18n/log.js';
import { nl } from '../../widget/i18n/nl.js';
import { notifyMessages } from '../../widget/i18n/notify.js';
import { safetyMessages } from '../../widget/i18n/safety.js';
import { modMessages } from '../../widget/moderation/i18n.js';
import { searchMessages } from '../../widget/search/i18n.js';
import { SERVER_CATALOGUES } from '../../server/i18n/catalogues.js';
import { NOTIFICATION_TEMPLATES, templateLanguage } from '../../server/mail/templates/notifications/index.js';

type Catalogue = Record<string, Record<string, string> | undefined>;

/** A nested mail template ({subject: {replies: '…'}}) as flat keys ("subject.replies"), so a missing nested key shows. */
function flatten(tree: object, prefix = '', out: Record<string, string> = {}): Record<string, string> {
  for (const [key, value] of Object.entries(tree)) {
    if (typeof value === 'string') out[prefix + key] = value;
    else flatten(value as object, `${prefix}${key}.`, out);
  }
  return out;
}

const CATALOGUES: Record<string, Catalogue> = {
  // English in two parts: what the first render shows (en.ts), the rest (en-later.ts, loaded after it).
  'widget main': { en: { ...en, ...enLater }, nl, de, fr, ar },
  'widget authenticity': authenticityMessages,
  'widget blocks': blocksMessages,
  'widget desk': deskMessages,
  'widget edit': editMessages,
  'widget identity': identityMessages,
  'widget safety': safetyMessages,
  'widget moderation': modMessages,
  'widget log': logMessages,
  'widget search': searchMessages,
  'widget notifications': notifyMessages,
  'widget admin console': adminMessages,
  // Notification mail templates fill `{name}` themselves (no plural/select), which ICU parses just the same.
  'server notification mail': Object.fromEntries(Object.entries(NOTIFICATION_TEMPLATES).map(([lang, t]) => [lang, flatten(t)])),
  ...Object.fromEntries(Object.entries(SERVER_CATALOGUES).map(([name, c]) => [`server ${name}`, c])),
};

/** Argument names and, for plural/select arguments, their kind. */
function args(elements: MessageFormatElement[], out = new Map<string, string>()): Map<string, string> {
  for (const e of elements) {
    if (e.type === TYPE.argument || e.type === TYPE.number || e.type === TYPE.date || e.type === TYPE.time) {
      if (!out.has(e.value)) out.set(e.value, 'value');
    } else if (e.type === TYPE.plural || e.type === TYPE.select) {
      out.set(e.value, e.type === TYPE.plural ? 'plural' : 'select');
      for (const option of Object.values(e.options)) args(option.value, out);
    } else if (e.type === TYPE.tag) {
      args(e.children, out);
    }
  }
  return out;
}

function sample(kind: string): string | number {
  return kind === 'plural' ? 3 : kind === 'select' ? 'other' : 'x';
}

describe('message catalogues', () => {
  it('cover the five languages', () => {
    expect([...LANGUAGES]).toEqual(['en', 'nl', 'de', 'fr', 'ar']);
  });

  it('include notification mail in each of the five, chosen by a member’s language tag', () => {
    expect(Object.keys(NOTIFICATION_TEMPLATES).sort()).toEqual([...LANGUAGES].sort());
    expect(['de-CH', 'fr_BE', 'AR', 'nl', 'es', null].map(templateLanguage)).toEqual(['de', 'fr', 'ar', 'nl', 'en', 'en']);
  });

  for (const [name, catalogue] of Object.entries(CATALOGUES)) {
    const english = catalogue.en!;
    for (const lang of LANGUAGES) {
      it(`${name}: ${lang} has every key, and each message parses and formats`, () => {
        const table = catalogue[lang];
        expect(table, `${name} has no ${lang} table`).toBeDefined();
        expect(Object.keys(table!).filter((k) => !(k in english)), `${name} ${lang}: keys English does not have`).toEqual([]);
        expect(Object.keys(english).filter((k) => !(k in table!)), `${name} ${lang}: keys still to translate`).toEqual([]);
        for (const [key, text] of Object.entries(table!)) {
          const ast = parse(text, { ignoreTag: true });
          const used = args(ast);
          const wanted = args(parse(english[key]!, { ignoreTag: true }));
          for (const [arg, kind] of used) {
            expect(wanted.has(arg), `${name} ${lang}.${key} uses {${arg}}, which English does not pass`).toBe(true);
            if (kind !== 'value') expect(wanted.get(arg), `${name} ${lang}.${key}: {${arg}} is ${kind} in English too`).toBe(kind);
          }
          for (const [arg, kind] of wanted) {
            if (kind !== 'value') expect(used.get(arg), `${name} ${lang}.${key} keeps the ${kind} over {${arg}}`).toBe(kind);
          }
          const values = Object.fromEntries([...wanted].map(([arg, kind]) => [arg, sample(kind)]));
          expect(String(new IntlMessageFormat(text, lang, undefined, { ignoreTag: true }).format(values))).not.toBe('');
        }
      });
    }
  }
});

describe('translator', () => {
  it('chooses plural forms by the language’s rules, including Arabic’s six', async () => {
    for (const lang of LANGUAGES) await loadLanguage(lang);
    const t = translator('en', logMessages);
    expect(t('logWitnesses', { count: 1 })).toBe('Cosigned by 1 independent witness');
    expect(t('logWitnesses', { count: 1200 })).toBe('Cosigned by 1,200 independent witnesses');
    // Six different wordings, not six numbers: digits (Latin or Arabic-Indic) are taken out first.
    const forms = new Set([0, 1, 2, 3, 11, 100].map((n) => translator('ar', logMessages)('logWitnesses', { count: n }).replace(/[\d\u0660-\u0669,\u066C]+/g, 'N')));
    expect(forms.size).toBe(6);
  });

  it('falls back to English for an unknown language and to the key for an unknown key', async () => {
    expect(translator('xx-YY')('reply')).toBe(en.reply);
    await loadLanguage('de');
    expect(translator('xx-YY')('send')).toBe(enLater.send);
    expect(translator('de')('noSuchKey' as never)).toBe('noSuchKey');
  });

  it('fills simple arguments without the formatter, as ICU would', () => {
    expect(translator('en')('inReplyTo', { name: 'Ana {x}' })).toBe('In reply to Ana {x}');
  });

  it('shows "…" for the rest of English until it has arrived, and asking for it fetches it', async () => {
    vi.resetModules();
    const fresh = await import('../../widget/i18n/index.js');
    expect(fresh.translator('en')('reply')).toBe(en.reply);
    expect(fresh.translator('en')('send')).toBe('…');
    await fresh.loadLater();
    expect(fresh.translator('en')('send')).toBe(enLater.send);
    expect(fresh.translator('en')('noSuchKey' as never)).toBe('noSuchKey');
  });

  it('keeps the first render’s English apart from the rest: no key in both', () => {
    expect(Object.keys(enLater).filter((key) => key in en)).toEqual([]);
  });
});
