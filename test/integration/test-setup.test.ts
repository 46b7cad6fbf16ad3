/**
 * `npm test` and the browser runner on a machine without Chromium stop at once with one line
 * saying what to run, before building, starting a server or running any suite (never a failure
 * per browser test). Run with a CHROME_PATH that points nowhere (the machine's own Chromium is
 * not touched); scripts/test-all.mjs runs in an empty folder, which must stay empty.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT_DIR } from '../../server/app.js';
import { tempDir } from '../support/child-server.js';

function run(args: string[], cwd: string): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, { cwd, env: { ...process.env, CHROME_PATH: '/nonexistent/chromium' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('exit', (code) => resolve({ code, output }));
  });
}

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
});

describe('tests without Chromium', () => {
  it('npm test (scripts/test-all.mjs) stops before running anything, with one line', async () => {
    const cwd = tempDir('parley-no-chromium-');
    dirs.push(cwd);
    const { code, output } = await run([path.join(ROOT_DIR, 'scripts/test-all.mjs')], cwd);
    expect(code).toBe(1);
    expect(output.trim().split('\n')).toEqual(['CHROME_PATH=/nonexistent/chromium does not exist: point it at a Chromium or Chrome binary, or unset it to use /usr/bin/chromium.']);
    expect(fs.readdirSync(cwd)).toEqual([]);
  });

  it('the browser runner (test/browser/run.ts) stops with the same line', async () => {
    const { code, output } = await run([path.join(ROOT_DIR, 'bin/run-ts.js'), 'test/browser/run.ts'], ROOT_DIR);
    expect(code).toBe(1);
    expect(output.trim().split('\n')).toEqual([expect.stringMatching(/^CHROME_PATH=\/nonexistent\/chromium does not exist/)]);
  });
});
