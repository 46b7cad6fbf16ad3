import { describe, expect, it } from 'vitest';
import { compileStandardInfo, includesStandardInfo } from '../../../moderation/detectors/index.js';

const SIGNPOST =
  'If you think you have had a side effect from a medicine, talk to your doctor or pharmacist, and report it to the Yellow Card scheme at yellowcard.mhra.gov.uk.';
const DISCLAIMER = 'I work for Acme Pharma. This is not medical advice; please speak to your own doctor about your treatment.';

describe('standard safety information', () => {
  const info = compileStandardInfo([SIGNPOST, DISCLAIMER])!;

  it('is found when a post quotes a passage whole, anywhere in the post', () => {
    expect(includesStandardInfo(`Thanks for asking about the trial results. ${SIGNPOST}`, info)).toBe(true);
    expect(includesStandardInfo(`${DISCLAIMER} Our study enrolled 400 people over two years.`, info)).toBe(true);
  });

  it('is found with a word or two changed and different spacing', () => {
    const edited = SIGNPOST.replace('talk to your doctor', 'speak to your doctor').replace(/ /g, '  ');
    expect(includesStandardInfo(`Good question. ${edited}`, info)).toBe(true);
  });

  it('is not found in a post that shares only a few common words with it', () => {
    expect(includesStandardInfo('My doctor says the side effect should pass. Has anyone else had this medicine?', info)).toBe(false);
    expect(includesStandardInfo('We will publish the trial results next month on our website.', info)).toBe(false);
  });

  it('is nothing when the site has no boilerplate', () => {
    expect(compileStandardInfo([])).toBeNull();
    expect(compileStandardInfo(['   '])).toBeNull();
  });
});
