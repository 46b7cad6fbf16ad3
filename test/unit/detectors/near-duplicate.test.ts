import { describe, expect, it } from 'vitest';
import {
  ALL_GROUPS,
  NearDuplicateIndex,
  compileBoilerplate,
  isEmptySignature,
  maskGreetingAndSignoff,
  minhash,
  shingleText,
  signature,
  similarity,
} from '../../../moderation/detectors/near-duplicate.js';
import { normaliseText } from '../../../moderation/detectors/text-normalise.js';

const SCRIPT = `Dear Maria,

Thank you for reaching out about your treatment. We understand that starting a new medicine can raise many questions. Please discuss any concerns about dosing with your prescribing neurologist, who knows your full medical history. Our medical information team is also available on weekdays to answer questions about the product.

Kind regards,
Anna (Medical Affairs)`;

const sim = (a: string, b: string) => similarity(signature(a), signature(b));

describe('signature / similarity', () => {
  it('is deterministic and 128 values by default', () => {
    const a = signature(SCRIPT);
    expect(a).toBeInstanceOf(Uint32Array);
    expect(a.length).toBe(128);
    expect([...signature(SCRIPT)]).toEqual([...a]);
    expect(similarity(a, a)).toBe(1);
  });

  it('estimates Jaccard without bias on random sets', () => {
    let x = 42;
    const rnd = () => (x = (Math.imul(x, 1103515245) + 12345) >>> 0);
    let sumErr = 0;
    let maxErr = 0;
    for (let t = 0; t < 100; t++) {
      const n = 50 + (rnd() % 100);
      const shared = rnd() % n;
      const common = Array.from({ length: shared }, rnd);
      const a = [...common, ...Array.from({ length: n - shared }, rnd)];
      const b = [...common, ...Array.from({ length: n - shared }, rnd)];
      const err = similarity(minhash(a), minhash(b)) - shared / (2 * n - shared);
      sumErr += err;
      maxErr = Math.max(maxErr, Math.abs(err));
    }
    expect(Math.abs(sumErr / 100)).toBeLessThan(0.02);
    expect(maxErr).toBeLessThan(0.16);
  });

  it('treats empty signatures as dissimilar and rejects mismatched lengths', () => {
    const empty = signature('');
    expect(isEmptySignature(empty)).toBe(true);
    expect(similarity(empty, empty)).toBe(0);
    expect(() => similarity(signature('a b c'), signature('a b c', { numPerm: 64 }))).toThrow(RangeError);
  });

  it('is robust to small edits, changed names, reordering, whitespace and markdown', () => {
    const edited = SCRIPT.replace('Maria', 'Jan').replace('many questions', 'a lot of questions').replace('Anna', 'Peter');
    const reordered = `Hi Jan! Our medical information team is also available on weekdays to answer questions about the product. Thank you for reaching out about your treatment. Please discuss any concerns about dosing with your prescribing neurologist, who knows your full medical history. We understand that starting a new medicine can raise many questions.\n\nBest wishes, Tom`;
    const noisy = `**Dear   Maria**,\n\n*Thank you* for reaching out about your treatment!!   We understand that starting a new medicine can raise many questions...\n\n- Please discuss any concerns about dosing with your prescribing neurologist who knows your full medical history\n- Our [medical information team](https://example.com/mi?utm=x) is also available on weekdays to answer questions about the product.`;
    const greetingOnly = SCRIPT.replace('Dear Maria,', 'Hallo Jan-Willem,');
    expect(sim(SCRIPT, edited)).toBeGreaterThanOrEqual(0.75);
    expect(sim(SCRIPT, reordered)).toBeGreaterThanOrEqual(0.9);
    expect(sim(SCRIPT, noisy)).toBeGreaterThanOrEqual(0.75);
    expect(sim(SCRIPT, greetingOnly)).toBe(1);
  });

  it('keeps different replies on the same subject apart', () => {
    const other = `Hello Maria, thanks for your question about the treatment. Dosing is something your neurologist decides based on your scan results and medical history, so please raise it at your next appointment. Many people starting a new medicine have questions like yours, and our medical information line can help on weekdays.`;
    const other2 = `Hi Maria. The dose depends on your weight and on how your scans look, and only your specialist can judge that. If you are worried about the treatment, write your questions down before your next appointment so nothing is forgotten.`;
    expect(sim(SCRIPT, other)).toBeLessThan(0.3);
    expect(sim(SCRIPT, other2)).toBeLessThan(0.3);
    expect(sim(other, other2)).toBeLessThan(0.3);
  });

  it('masks greetings and sign-offs but not content that starts with thanks', () => {
    const n = (s: string) => maskGreetingAndSignoff(normaliseText(s, { keepLineBreaks: true, foldDiacritics: true })).trim();
    expect(n('Dear Dr. Smith, the answer is yes.')).toBe('the answer is yes.');
    expect(n('Liebe Frau Müller! Danke für die Frage.')).toBe('danke fur die frage.');
    expect(n('Hi Maria thanks for asking about this topic')).toBe('thanks for asking about this topic');
    expect(n('The answer is yes.\nMet vriendelijke groet,\nEls de Vries\nNovo')).toBe('the answer is yes.');
    expect(n('Many thanks for your question, we will reply soon.')).toBe('many thanks for your question, we will reply soon.');
  });

  it('removes boilerplate shingles and counts only content tokens', () => {
    const bp = 'If you experience side effects, talk to your doctor or pharmacist. You can also report side effects directly via the national reporting system.';
    const a = shingleText(`${bp}`, { boilerplate: [bp] });
    expect(a.shingles.length).toBe(0);
    expect(a.contentTokens).toBe(0);
    const b = shingleText(`Thanks for sharing your experience with us today.\n\n${bp}`, { boilerplate: compileBoilerplate([bp]) });
    expect(b.contentTokens).toBe(8);
  });
});

describe('NearDuplicateIndex', () => {
  const variants = [
    SCRIPT,
    SCRIPT.replace('Maria', 'Jan').replace('Anna', 'Sophie'),
    SCRIPT.replace('Dear Maria,', 'Hello Pieter!').replace('weekdays', 'working days'),
  ];

  it('finds templated replies within the same company only', () => {
    const idx = new NearDuplicateIndex();
    expect(idx.add('a1', 'acme', variants[0])).toBe(true);
    expect(idx.add('a2', 'acme', variants[1])).toBe(true);
    expect(idx.add('b1', 'globex', variants[0])).toBe(true); // other company, identical text
    expect(idx.size).toBe(3);
    const hits = idx.query('acme', variants[2]);
    expect(hits.map((h) => h.id).sort()).toEqual(['a1', 'a2']);
    for (const h of hits) expect(h.similarity).toBeGreaterThan(0.8);
    expect(idx.query('globex', variants[2]).map((h) => h.id)).toEqual(['b1']);
    expect(idx.query('initech', variants[2])).toEqual([]);
    expect(idx.query('acme', variants[2], 0.6, { excludeId: 'a1' }).map((h) => h.id)).toEqual(['a2']);
    expect(idx.queryById('a1').map((h) => h.id)).toEqual(['a2']);
  });

  it('does not flag short replies', () => {
    const idx = new NearDuplicateIndex();
    expect(idx.add('s1', 'acme', 'Thank you!')).toBe(false);
    expect(idx.add('s2', 'acme', 'Thanks for sharing, Maria.')).toBe(false);
    idx.add('long', 'acme', SCRIPT);
    expect(idx.size).toBe(1);
    expect(idx.query('acme', 'Thank you!')).toEqual([]);
    expect(idx.query('acme', 'Thanks for sharing, Jan.', 0)).toEqual([]);
  });

  it('exempts site boilerplate: boilerplate-only posts are not scripts, content still is', () => {
    const signpost =
      'If you are worried about side effects, please talk to your doctor. You can report side effects to the national reporting centre at any time, day or night.';
    const idx = new NearDuplicateIndex();
    idx.setBoilerplate(ALL_GROUPS, [signpost]);
    expect(idx.add('p1', 'acme', `Dear Jan,\n\n${signpost}`)).toBe(false);
    expect(idx.query('acme', signpost)).toEqual([]);
    // Different personal replies that both end with the signpost are not near-duplicates.
    idx.add('p2', 'acme', `Hi Jan, I am sorry to hear about your father's fall last week and I hope he recovers quickly. ${signpost}`);
    expect(idx.query('acme', `Good morning, our next webinar on caring at home is on Tuesday evening and will be recorded for everyone. ${signpost}`, 0.3)).toEqual([]);
    // …while the same script with the signpost still matches.
    idx.add('p3', 'acme', `${SCRIPT}\n\n${signpost}`);
    expect(idx.query('acme', variants[1]).map((h) => h.id)).toEqual(['p3']);
  });

  it('applies per-group boilerplate only to that group', () => {
    const disclaimer = 'This reply was written by an employee of Acme Pharma and does not replace medical advice from your own doctor or nurse.';
    const idx = new NearDuplicateIndex();
    idx.setBoilerplate('acme', [disclaimer]);
    expect(idx.add('a', 'acme', disclaimer)).toBe(false);
    expect(idx.add('g', 'globex', disclaimer)).toBe(true);
  });

  it('removes posts and reuses their slots', () => {
    const idx = new NearDuplicateIndex();
    idx.add('a1', 'acme', variants[0]);
    idx.add('a2', 'acme', variants[1]);
    expect(idx.remove('a1')).toBe(true);
    expect(idx.remove('a1')).toBe(false);
    expect(idx.size).toBe(1);
    expect(idx.has('a1')).toBe(false);
    expect(idx.query('acme', variants[2]).map((h) => h.id)).toEqual(['a2']);
    idx.add('a3', 'acme', variants[0]);
    expect(idx.query('acme', variants[2]).map((h) => h.id).sort()).toEqual(['a2', 'a3']);
    idx.remove('a2');
    idx.remove('a3');
    expect(idx.size).toBe(0);
    expect(idx.query('acme', variants[2])).toEqual([]);
    expect(idx.stats().bucketKeys).toBe(0);
  });

  it('re-adding an id replaces the earlier text', () => {
    const idx = new NearDuplicateIndex();
    idx.add('a1', 'acme', variants[0]);
    idx.add('a1', 'acme', 'Completely different: our office is closed on the national holiday, so replies may take a little longer than usual this week.');
    expect(idx.size).toBe(1);
    expect(idx.query('acme', variants[1])).toEqual([]);
  });

  it('keeps its bucket table consistent under random adds, removes and re-adds', () => {
    let seed = 99;
    const rnd = (n: number) => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) % n;
    const texts = Array.from({ length: 12 }, (_, t) =>
      Array.from({ length: 20 }, (_, i) => `t${t}w${i} common${i % 4}`).join(' '),
    );
    const idx = new NearDuplicateIndex();
    const live = new Map<string, { group: string; text: number }>();
    for (let step = 0; step < 6000; step++) {
      const id = `p${rnd(400)}`;
      if (rnd(3) === 0) {
        expect(idx.remove(id)).toBe(live.delete(id));
      } else {
        const v = { group: `g${rnd(3)}`, text: rnd(texts.length) };
        expect(idx.add(id, v.group, texts[v.text])).toBe(true);
        live.set(id, v);
      }
      expect(idx.size).toBe(live.size);
    }
    for (const [id, v] of live) {
      const expected = [...live].filter(([o, w]) => o !== id && w.group === v.group && w.text === v.text).map(([o]) => o).sort();
      expect(idx.queryById(id, 0.99).map((h) => h.id).sort()).toEqual(expected);
    }
    for (const id of [...live.keys()]) idx.remove(id);
    expect(idx.stats().bucketKeys).toBe(0);
  });

  it('stays correct with 20,000 synthetic posts', () => {
    let seed = 7;
    const rnd = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 4294967296;
    const vocab = Array.from({ length: 4000 }, (_, i) => `w${i.toString(36)}`);
    const word = () => vocab[Math.floor(rnd() ** 2 * vocab.length)]; // skewed: shared vocabulary
    const sentence = (min: number) => Array.from({ length: min + Math.floor(rnd() * 10) }, word).join(' ') + '.';
    const post = (sentences: number, min = 6) => Array.from({ length: sentences + Math.floor(rnd() * 3) }, () => sentence(min)).join(' ');
    const templates = Array.from({ length: 40 }, () => post(4, 9));
    const N = 20_000;
    const groups = 25;
    const texts: string[] = [];
    for (let i = 0; i < N; i++) {
      if (i % 10 === 0) {
        // templated: greeting with a different name, one word changed
        const t = templates[(i / 10) % templates.length].split(' ');
        t[Math.floor(rnd() * t.length)] = word();
        texts.push(`Dear P${i},\n${t.join(' ')}`);
      } else texts.push(post(2));
    }
    const group = (i: number) => `company-${i % groups}`;
    const idx = new NearDuplicateIndex();
    const t0 = performance.now();
    for (let i = 0; i < N; i++) idx.add(`p${i}`, group(i), texts[i]);
    const addMs = performance.now() - t0;
    expect(idx.size).toBe(N);

    const sets = new Map<number, Set<number>>();
    const shingles = (i: number) => {
      let s = sets.get(i);
      if (!s) sets.set(i, (s = new Set(shingleText(texts[i]).shingles)));
      return s;
    };
    const jaccard = (i: number, j: number) => {
      const a = shingles(i);
      const b = shingles(j);
      let inter = 0;
      for (const x of a) if (b.has(x)) inter++;
      return inter / (a.size + b.size - inter);
    };

    // Templated post i has siblings j ≡ i (mod 400) — same template (mod 40 of i/10) and
    // same group (mod 25). Every sibling with true Jaccard ≥ 0.8 must be found; no hit may
    // have true Jaccard < 0.4 (in between, the MinHash estimate may fall either side).
    let queries = 0;
    let mustFind = 0;
    let missed = 0;
    let falsePositives = 0;
    const t1 = performance.now();
    for (let i = 0; i < N; i += 10 + (i % 7 === 0 ? 40 : 0)) {
      queries++;
      const hits = idx.query(group(i), texts[i], 0.6, { excludeId: `p${i}` });
      const got = new Set(hits.map((h) => Number(h.id.slice(1))));
      for (let j = i % 400; j < N; j += 400) {
        if (j !== i && jaccard(i, j) >= 0.8) {
          mustFind++;
          if (!got.has(j)) missed++;
        }
      }
      for (const j of got) if (jaccard(i, j) < 0.4) falsePositives++;
    }
    for (let i = 1; i < 4000; i += 7) {
      if (i % 10 === 0) continue;
      queries++;
      for (const h of idx.query(group(i), texts[i], 0.6, { excludeId: `p${i}` })) {
        if (jaccard(i, Number(h.id.slice(1))) < 0.4) falsePositives++;
      }
    }
    const queryMs = performance.now() - t1;
    expect(mustFind).toBeGreaterThan(10_000);
    expect(missed).toBe(0);
    expect(falsePositives).toBe(0);

    // Remove half; nothing removed may come back.
    for (let i = 0; i < N; i += 2) idx.remove(`p${i}`);
    expect(idx.size).toBe(N / 2);
    for (let i = 0; i < 2000; i += 10) {
      for (const h of idx.query(group(i), texts[i])) expect(Number(h.id.slice(1)) % 2).toBe(1);
    }
    const s = idx.stats();
    console.info(
      `[near-duplicate] ${N} adds: ${addMs.toFixed(0)} ms (${((addMs * 1000) / N).toFixed(0)} µs/post); ` +
        `${queries} queries (incl. exact-Jaccard checking): ${queryMs.toFixed(0)} ms; ` +
        `typed arrays ${(s.typedArrayBytes / 1024 / 1024).toFixed(1)} MiB, ${s.bucketKeys} bucket keys after removing half`,
    );
  });
});
