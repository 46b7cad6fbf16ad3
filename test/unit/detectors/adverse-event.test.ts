import { describe, expect, it } from 'vitest';
import {
  DEFAULT_ADVERSE_EVENT_LEXICON,
  extendLexicon,
} from '../../../moderation/detectors/adverse-event-lexicon.js';
import {
  compileLexicon,
  detectAdverseEvents,
  guessLanguage,
  scanEventTerms,
} from '../../../moderation/detectors/adverse-event.js';
import { findProductMentions, type Product } from '../../../moderation/detectors/prescription-mention.js';
import { tokenize } from '../../../moderation/detectors/text-normalise.js';

const PRODUCTS: Product[] = [
  { companyId: 'eisai', name: 'Leqembi', inn: ['lecanemab'] },
  { companyId: 'lilly', name: 'Kisunla', inn: ['donanemab'], aliases: ['Kisunla infusion'] },
  { companyId: 'acme', name: 'Ara' },
  { companyId: 'novum', name: 'Exelon®', inn: ['rivastigmine'] },
];

const detect = (text: string) => detectAdverseEvents(text, PRODUCTS);

describe('default lexicon', () => {
  it('has at least 40 concepts per language and compiles every pattern', () => {
    for (const lang of DEFAULT_ADVERSE_EVENT_LEXICON.languages) {
      expect(new Set(lang.terms.map((t) => t.concept)).size).toBeGreaterThanOrEqual(40);
      expect(lang.terms.flatMap((t) => t.patterns).length).toBeGreaterThanOrEqual(100);
    }
    const compiled = compileLexicon(DEFAULT_ADVERSE_EVENT_LEXICON);
    const patterns = DEFAULT_ADVERSE_EVENT_LEXICON.languages.flatMap((l) => l.terms.flatMap((t) => t.patterns));
    expect(compiled.matcher.size).toBeGreaterThanOrEqual(patterns.length);
  });
});

describe('detectAdverseEvents — English', () => {
  it('flags a product plus event terms', () => {
    const [m, ...rest] = detect('Since starting Leqembi my mother is confused and she fell twice last week.');
    expect(rest).toEqual([]);
    expect(m).toMatchObject({ companyId: 'eisai', product: 'Leqembi', productMatch: 'Leqembi', matchedBy: 'name', language: 'en' });
    expect(m.eventTerms).toEqual(['confused', 'fell']);
    expect(m.concepts).toEqual(['confusion', 'fall']);
  });

  it('matches inflections and multi-word terms', () => {
    const m = detect('After the 3rd lecanemab infusion Dad had bad headaches, felt nauseous and was hospitalised; the MRI showed brain swelling.')[0];
    expect(m.matchedBy).toBe('inn');
    expect(m.productMatch).toBe('lecanemab');
    expect(m.eventTerms).toEqual(['headaches', 'nauseous', 'hospitalised', 'brain swelling']);
    expect(m.concepts).toContain('brain-swelling');
  });

  it('does not flag without an event term or without a product', () => {
    expect(detect('We have an appointment to discuss Leqembi next month with the neurologist.')).toEqual([]);
    expect(detect('My mother had a terrible headache and fell in the garden.')).toEqual([]);
  });

  it('respects light negation within the clause', () => {
    expect(detect('My husband has been on lecanemab for 6 months, no side effects so far.')).toEqual([]);
    expect(detect("She didn't have any nausea or dizziness on Kisunla.")).toEqual([]);
    expect(detect('Kisunla has been side-effect free for us.')).toEqual([]);
    const m = detect('No nausea or dizziness with Kisunla, but a terrible headache after the second infusion.')[0];
    expect(m.eventTerms).toEqual(['headache']);
    expect(m.negatedTerms).toEqual(['nausea', 'dizziness']);
    // negation in an earlier clause does not carry over
    expect(detect('Not sure it is related, she got a rash after Leqembi.')[0]?.eventTerms).toEqual(['rash']);
  });
});

describe('detectAdverseEvents — Dutch', () => {
  it('flags Dutch terms including compounds', () => {
    const m = detect('Mijn moeder krijgt Leqembi en is sindsdien erg misselijk en duizelig, ook veel buikpijn.')[0];
    expect(m.language).toBe('nl');
    expect(m.eventTerms).toEqual(['misselijk', 'duizelig', 'buikpijn']);
    const aria = detect('Bij mijn vader liet de MRI na lecanemab ARIA zien en een kleine hersenbloeding.')[0];
    expect(aria.concepts).toEqual(['aria', 'bleeding']);
  });

  it('does not flag negated or unrelated Dutch posts', () => {
    expect(detect('Mijn vader gebruikt lecanemab, geen bijwerkingen gehad.')).toEqual([]);
    expect(detect('Wij hebben morgen een gesprek over Leqembi met de geheugenpoli.')).toEqual([]);
    expect(detect('Ik heb contact opgenomen met de arts over Leqembi.')).toEqual([]);
  });

  it('does not treat German "nicht" as a Dutch negation', () => {
    expect(detect('Mijn nicht gebruikt Leqembi en kreeg hoofdpijn.')[0]?.eventTerms).toEqual(['hoofdpijn']);
  });
});

describe('detectAdverseEvents — German', () => {
  it('flags German terms with and without diacritics', () => {
    const m = detect('Meine Mutter bekommt Kisunla und hat seitdem starke Kopfschmerzen und Übelkeit.')[0];
    expect(m.language).toBe('de');
    expect(m.concepts).toEqual(['headache', 'nausea']);
    expect(detect('Seit Kisunla hat mein Vater Ubelkeit und ist gestürzt.')[0]?.concepts).toEqual(['nausea', 'fall']);
    expect(detect('Seit Kisunla hat mein Vater Uebelkeit und ist gestuerzt.')[0]?.concepts).toEqual(['nausea', 'fall']);
    expect(detect('Nach Donanemab: Hirnblutungen laut MRT.')[0]?.concepts).toEqual(['bleeding']);
  });

  it('does not flag negated German posts or false friends', () => {
    expect(detect('Mein Vater nimmt Donanemab, keine Nebenwirkungen bisher. Es geht ihm viel besser!')).toEqual([]);
    expect(detect('Kisunla war bei uns nebenwirkungsfrei.')).toEqual([]);
    expect(detect('In diesem Fall hat der Arzt Kisunla empfohlen, das ist für die Familie gut.')).toEqual([]);
  });
});

describe('product matching', () => {
  it('is word-boundary aware', () => {
    expect(detect('I read an Arabic article; she had a headache.')).toEqual([]);
    expect(findProductMentions('Arabic, Arab, Aramis, Tiara', PRODUCTS)).toEqual([]);
    const [ara] = findProductMentions("ARA's leaflet, and (Ara) again", PRODUCTS);
    expect(ara).toMatchObject({ product: 'Ara', count: 2, productMatch: 'Ara' });
  });

  it('finds brands, INNs and aliases case- and diacritic-insensitively', () => {
    const ms = findProductMentions('EXELON vs. rivastigmíne, and LEQEMBI/Lecanemab; the Kisunla-infusion', PRODUCTS);
    expect(ms.map((m) => [m.product, m.matchedBy, m.terms])).toEqual([
      ['Exelon®', 'name', ['Exelon®', 'rivastigmine']],
      ['Leqembi', 'name', ['Leqembi', 'lecanemab']],
      ['Kisunla', 'alias', ['Kisunla infusion']],
    ]);
  });

  it('reports every company sharing an INN', () => {
    const shared: Product[] = [
      { companyId: 'a', name: 'Brand A', inn: ['donepezil'] },
      { companyId: 'b', name: 'Brand B', inn: ['donepezil'] },
    ];
    expect(findProductMentions('Donepezil made me dizzy', shared).map((m) => m.companyId)).toEqual(['a', 'b']);
    expect(detectAdverseEvents('Donepezil made me dizzy', shared).map((m) => m.companyId)).toEqual(['a', 'b']);
  });

  it('supports maxDistance between product and event', () => {
    const text = 'Leqembi is discussed at the clinic every month with many families and nurses present. Separately, Grandma has had a headache.';
    expect(detectAdverseEvents(text, PRODUCTS)).toHaveLength(1);
    expect(detectAdverseEvents(text, PRODUCTS, { maxDistance: 5 })).toEqual([]);
  });
});

describe('lexicon utilities', () => {
  it('extends a lexicon without mutating the default', () => {
    const before = DEFAULT_ADVERSE_EVENT_LEXICON.languages[0].terms.length;
    const lex = extendLexicon(DEFAULT_ADVERSE_EVENT_LEXICON, [
      { language: 'en', terms: [{ concept: 'sweating', patterns: ['sweat*'] }] },
      { language: 'fr', terms: [{ concept: 'nausea', patterns: ['nausée*'] }], negations: ['pas', 'sans'] },
    ]);
    expect(DEFAULT_ADVERSE_EVENT_LEXICON.languages[0].terms.length).toBe(before);
    expect(detectAdverseEvents('Leqembi: sweating at night', PRODUCTS, { lexicon: lex })[0]?.concepts).toEqual(['sweating']);
    expect(detectAdverseEvents('Leqembi: nausées fréquentes', PRODUCTS, { lexicon: lex })[0]?.concepts).toEqual(['nausea']);
    expect(detectAdverseEvents('Leqembi: sans nausées', PRODUCTS, { lexicon: lex })).toEqual([]);
  });

  it('guesses the language from stop words', () => {
    expect(guessLanguage(tokenize('ik heb het niet gezien maar mijn vader wel', { foldDiacritics: true })).language).toBe('nl');
    expect(guessLanguage(tokenize('ich habe das nicht gesehen aber mein Vater', { foldDiacritics: true })).language).toBe('de');
    expect(guessLanguage(tokenize('Leqembi', { foldDiacritics: true })).language).toBeNull();
  });

  it('scans event terms alone, with negation flags', () => {
    const scan = scanEventTerms('Geen hoofdpijn, wel misselijkheid.');
    expect(scan.hits.map((h) => [h.term, h.negated])).toEqual([
      ['hoofdpijn', true],
      ['misselijkheid', false],
    ]);
  });
});
