// Scripted replies are labelled, not hidden (issue 6): a staff post whose text is nearly the
// same as an earlier post by staff of the same company shows the automated label to readers.
import { expect } from '@open-wc/testing';
import { articleWith, mount, restPost, signWith, unique } from './helpers.js';

const staffToken = (name: string) => signWith({ name, affiliation: { company: 'acme', jobTitle: 'Medical Advisor' } });

describe('scripted-reply label', () => {
  it('shows "Similar text posted N times by <company> staff" on the copy', async () => {
    const tag = unique('s').replace(/[^a-z0-9]/gi, '');
    const script =
      `Thank you for your question about ${tag}. Every person responds differently to treatment. ` +
      'Please discuss any change in symptoms with your specialist nurse or doctor. ' +
      'Our patient support programme can send you an information pack on request.';
    const original = await restPost(await staffToken('Anna Acme'), { topic: unique('scripted-a'), body: script });
    const topic = unique('scripted-b');
    const copy = await restPost(await staffToken('Ben Acme'), { topic, body: `Dear Jan,\n${script}` });
    expect(copy.scripted?.similarPostIds).to.deep.equal([original.id]);

    const el = await mount({ topic });
    const article = articleWith(el, 'Every person responds differently')!;
    expect(article, 'the copied post').to.exist;
    expect(article.textContent!.replace(/\s+/g, ' ')).to.contain('Similar text posted 2 times by Acme Pharma staff');
  });
});
