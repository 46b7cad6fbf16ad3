/**
 * The demo plugs into the server (server/plugins.ts) rather than the server importing it:
 * `parley serve --demo`, the real command, loads the demo's plug-in through its entry point
 * (bin/parley.js) and serves its pages, API and seed; without --demo none of it exists.
 */
import fs from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { main } from '../../server/cli.js';
import { http } from '../support/clients.js';
import { startChildServer, tempDir, type ChildServer } from '../support/child-server.js';

let running: ChildServer | null = null;
let dirs: string[] = [];
afterEach(async () => {
  if (running) {
    running.child.kill('SIGTERM');
    await running.exited;
    running = null;
  }
  for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
  dirs = [];
});

describe('the demo as a plug-in', () => {
  it('parley serve --demo serves the demo site, its API and its seeded discussion', async () => {
    const dataDir = tempDir('parley-demo-plugin-');
    dirs.push(dataDir);
    running = await startChildServer({ dataDir, sites: [], serveArgs: ['--demo'] });
    const page = await http(`${running.url}/`);
    expect(page.status).toBe(200);
    expect(String(page.body)).toContain('<parley-discussion');
    const personas = await http(`${running.url}/demo/api/personas`);
    expect(personas.body.site).toBe('demo');
    const seeded = await http(`${running.url}/api/sites/demo/topics/new-treatments/posts`);
    expect(seeded.body.posts.length).toBeGreaterThan(3);
  });

  it('parley serve without --demo has no demo pages, API or site', async () => {
    const dataDir = tempDir('parley-demo-plugin-');
    dirs.push(dataDir);
    running = await startChildServer({ dataDir, sites: [] });
    expect((await http(`${running.url}/demo/api/personas`)).status).toBe(404);
    expect((await http(`${running.url}/outbox`)).status).toBe(404);
    expect((await http(`${running.url}/api/sites/demo/topics/new-treatments/posts`)).status).toBe(404);
  });

  it('refuses --demo, with a reason, where the entry point offers no demo', async () => {
    const stderr: string[] = [];
    const write = process.stderr.write.bind(process.stderr);
    process.stderr.write = ((chunk: string) => (stderr.push(String(chunk)), true)) as typeof process.stderr.write;
    try {
      expect(await main(['serve', '--demo'], {})).toBe(2);
    } finally {
      process.stderr.write = write;
    }
    expect(stderr.join('')).toMatch(/no demo/);
  });
});
