import { describe, expect, it } from 'vitest';
import {
  PhraseMatcher,
  foldDiacritics,
  longestNonOverlapping,
  normaliseText,
  parsePhrasePattern,
  tokenize,
  tokenizeStructured,
  urlHost,
} from '../../../moderation/detectors/text-normalise.js';

describe('normaliseText / tokenize', () => {
  it('applies NFKC, lowercases, unifies apostrophes and collapses whitespace', () => {
    expect(normaliseText('Ｆｕｌｌ\u00a0 ﬁne   TEXT\n\nhere')).toBe('full fine text here');
    expect(tokenize('She didn’t say it’s Leqembi’s fault')).toEqual(['she', "didn't", 'say', 'it', 'leqembi', 'fault']);
  });

  it('reduces markdown and URLs to words', () => {
    expect(normaliseText('**Bold** _it_ see [the leaflet](https://www.example.org/a.pdf?utm=1) or https://foo.nl/x#y')).toBe(
      'bold it see the leaflet example.org or foo.nl',
    );
    expect(normaliseText('see https://x.org/p', { urls: 'remove' })).toBe('see');
    expect(urlHost('HTTPS://user@www.Example.com:8080/path')).toBe('example.com');
    expect(tokenize('- item one\n1. item two\n> quoted')).toEqual(['item', 'one', 'item', 'two', 'quoted']);
  });

  it('tokenises Dutch and German words with diacritics, optionally folded', () => {
    expect(tokenize('Übelkeit, Schwindel & ĳzersterke geïnformeerd')).toEqual(['übelkeit', 'schwindel', 'ijzersterke', 'geïnformeerd']);
    expect(tokenize('Übelkeit Straße geïnformeerd Øresund', { foldDiacritics: true })).toEqual(['ubelkeit', 'strasse', 'geinformeerd', 'oresund']);
    expect(foldDiacritics('Crème brûlée')).toBe('Creme brulee');
    expect(tokenize('side-effects 2.5mg')).toEqual(['side', 'effects', '2', '5mg']);
  });

  it('tracks sentences and clauses', () => {
    const st = tokenizeStructured('No nausea, but a rash. Then\nfine (mostly)');
    expect(st.tokens).toEqual(['no', 'nausea', 'but', 'a', 'rash', 'then', 'fine', 'mostly']);
    expect(st.sentence).toEqual([0, 0, 0, 0, 0, 1, 2, 2]);
    expect(st.clause).toEqual([0, 0, 1, 1, 1, 2, 3, 4]);
  });
});

describe('PhraseMatcher', () => {
  const m = new PhraseMatcher(
    ['side effect*', 'brain swelling', 'swelling', '*blutung*', 'ara'].map((p) => ({
      words: parsePhrasePattern(p, { wildcards: true, foldDiacritics: true }),
      payload: p,
    })),
  );

  it('matches exact, prefix, infix and multi-word patterns at token level', () => {
    const hits = longestNonOverlapping(m.match(tokenize('Side-effects: brain swelling, Hirnblutungen; Arabic ARA', { foldDiacritics: true })));
    expect(hits.map((h) => [h.payload, h.start, h.end])).toEqual([
      ['side effect*', 0, 2],
      ['brain swelling', 2, 4],
      ['*blutung*', 4, 5],
      ['ara', 6, 7],
    ]);
  });

  it('rejects too-short wildcard stems', () => {
    expect(parsePhrasePattern('a*', { wildcards: true, foldDiacritics: true })).toEqual([]);
    expect(parsePhrasePattern('a*', { wildcards: false, foldDiacritics: true })).toEqual([{ kind: 'exact', text: 'a' }]);
  });
});
