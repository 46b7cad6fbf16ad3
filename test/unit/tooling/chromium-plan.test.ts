/** What `npm test` does about Chromium (scripts/chromium.mjs): use it, install it, or stop with one line. */
import { describe, expect, it } from 'vitest';
import { chromiumPlan, DEFAULT_CHROMIUM } from '../../../scripts/chromium.mjs';

const only = (...paths: string[]) => (p: string) => paths.includes(p);

describe('chromium plan', () => {
  it('uses CHROME_PATH when it exists, else the Debian default', () => {
    expect(chromiumPlan({ chromePath: '/opt/chrome', exists: only('/opt/chrome'), isRoot: false, hasApt: false })).toEqual({ action: 'use', path: '/opt/chrome' });
    expect(chromiumPlan({ chromePath: null, exists: only(DEFAULT_CHROMIUM), isRoot: false, hasApt: false })).toEqual({ action: 'use', path: DEFAULT_CHROMIUM });
  });

  it('installs Debian\'s chromium only as root with apt-get available', () => {
    expect(chromiumPlan({ chromePath: null, exists: only(), isRoot: true, hasApt: true })).toEqual({ action: 'install', path: DEFAULT_CHROMIUM });
    for (const facts of [{ isRoot: false, hasApt: true }, { isRoot: true, hasApt: false }, { isRoot: false, hasApt: false }]) {
      const plan = chromiumPlan({ chromePath: null, exists: only(), ...facts });
      expect(plan.action).toBe('stop');
      expect(plan.action === 'stop' && plan.message).toMatch(/^The browser tests need Chromium: run `sudo apt-get install -y chromium`[^\n]*$/);
    }
  });

  it('never installs over a CHROME_PATH that points nowhere: it says so', () => {
    const plan = chromiumPlan({ chromePath: '/nowhere/chrome', exists: only(DEFAULT_CHROMIUM), isRoot: true, hasApt: true });
    expect(plan).toEqual({ action: 'stop', message: expect.stringContaining('CHROME_PATH=/nowhere/chrome does not exist') });
  });
});
