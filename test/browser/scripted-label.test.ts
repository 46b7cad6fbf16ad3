// Scripted replies are labelled, not hidden (issue 6): a staff post whose text is nearly the
// same as an earlier post by staff of the same company shows the automated label to readers.
import { expect } from '@open-wc/testing';
import { articleWith, mount, rest, restPost, sign, signWith, unique } from './helpers.js';

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

  it('says "Includes the site’s standard safety information" on a staff post with the site’s boilerplate, not "similar text"', async () => {
    const tag = unique('b').replace(/[^a-z0-9]/gi, '');
    const signpost = `If you think you have had a side effect (${tag}), talk to your doctor or pharmacist and report it to the national scheme.`;
    const admin = await sign('Ada Admin', 'browser-admin');
    expect(await rest('PUT', '/admin/boilerplate', admin, { texts: [signpost] })).to.deep.equal({ texts: [signpost] });
    const topic = unique('standard');
    await restPost(await staffToken('Cleo Acme'), { topic, body: `Glad the new dose suits you.\n\n${signpost}` });
    await restPost(await staffToken('Dirk Acme'), { topic, body: `Thanks for sharing your experience.\n\n${signpost}` });
    const el = await mount({ topic });
    for (const opening of ['Glad the new dose', 'Thanks for sharing']) {
      const text = articleWith(el, opening)!.textContent!.replace(/\s+/g, ' ');
      expect(text).to.contain('Includes the site’s standard safety information');
      expect(text).not.to.contain('Similar text posted');
    }
  });
});
