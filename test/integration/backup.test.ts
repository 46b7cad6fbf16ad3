/**
 * `parley backup <file>` while the server is writing: the copy is one consistent snapshot
 * holding everything acknowledged before it started, and the documented restore (stop,
 * copy into place, start) brings exactly that back.
 */
import Database from 'better-sqlite3';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createServer, ROOT_DIR } from '../../server/app.js';
import { http } from '../support/clients.js';
import { tempDir } from '../support/child-server.js';
import { startTestServer, TEST_SITES, type TestServer } from '../support/server.js';

function parley(args: string[], env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [path.join(ROOT_DIR, 'bin/parley-dev.js'), ...args], {
      cwd: ROOT_DIR,
      env: { ...process.env, ...env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

const cleanup: Array<() => unknown> = [];
afterAll(async () => {
  for (const step of cleanup.reverse()) await step();
});

describe('online backup', () => {
  it('copies a consistent snapshot while the server writes, and restores by copying the file into place', async () => {
    const server: TestServer = await startTestServer();
    let serverOpen = true;
    cleanup.push(() => serverOpen && server.close());
    const backups = tempDir('parley-backups-');
    cleanup.push(() => fs.rmSync(backups, { recursive: true, force: true }));
    const tokens = await Promise.all(['w1', 'w2', 'w3'].map((sub) => server.sign('alpha', { sub, name: sub })));

    const acked: string[] = [];
    let writing = true;
    let n = 0;
    const writers = tokens.map(async (token) => {
      while (writing) {
        const i = n++;
        const response = await http(`${server.url}/api/sites/alpha/posts`, {
          token,
          body: { topic: 'backed-up', body: `message ${i}`, idempotencyKey: `backup-${i}-key` },
        });
        expect(response.status).toBe(201);
        acked.push(response.body.post.id);
      }
    });
    await new Promise((resolve) => setTimeout(resolve, 300));

    const file = path.join(backups, 'parley-backup.db');
    const ackedBefore = [...acked];
    const run = await parley(['backup', file], { PARLEY_DATA_DIR: server.dataDir, LOG_LEVEL: 'silent' });
    const ackedDuring = acked.length - ackedBefore.length;
    writing = false;
    await Promise.all(writers);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout.trim().split('\n').pop()!);
    expect(report).toMatchObject({ ok: true, file });

    const copy = new Database(file, { readonly: true });
    const ids = new Set((copy.prepare('SELECT id FROM posts').all() as { id: string }[]).map((r) => r.id));
    const seqs = (copy.prepare("SELECT seq FROM posts WHERE topic = 'backed-up' ORDER BY seq").all() as { seq: number }[]).map((r) => r.seq);
    const topic = copy.prepare("SELECT post_count, last_seq, rev FROM topics WHERE id = 'backed-up'").get();
    expect(copy.pragma('integrity_check', { simple: true })).toBe('ok');
    expect(copy.pragma('journal_mode', { simple: true })).toBe('delete');
    copy.close();
    expect(fs.existsSync(`${file}-wal`)).toBe(false);

    expect(report.posts).toBe(ids.size);
    for (const id of ackedBefore) expect(ids.has(id)).toBe(true);
    // One snapshot: the topic's counters agree with its posts, seqs without gaps.
    expect(seqs).toEqual(Array.from({ length: seqs.length }, (_, i) => i + 1));
    expect(topic).toEqual({ post_count: seqs.length, last_seq: seqs.length, rev: seqs.length });
    // The server went on writing during and after the copy.
    expect(ackedDuring).toBeGreaterThan(0);
    expect((await server.store.stats()).posts).toBeGreaterThan(ids.size);

    // An existing file is kept unless --force.
    const again = await parley(['backup', file], { PARLEY_DATA_DIR: server.dataDir, LOG_LEVEL: 'silent' });
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/already exists/);
    expect((await parley(['backup'], { PARLEY_DATA_DIR: server.dataDir })).code).toBe(2);

    // Restore as the README says: stop, copy into place, start.
    await server.close();
    serverOpen = false;
    const restoredDir = tempDir('parley-restored-');
    cleanup.push(() => fs.rmSync(restoredDir, { recursive: true, force: true }));
    fs.copyFileSync(file, path.join(restoredDir, 'parley.db'));
    const restored = await createServer({ dataDir: restoredDir, port: 0, host: '127.0.0.1', logLevel: 'silent', sites: TEST_SITES });
    try {
      expect((await restored.store.stats()).posts).toBe(ids.size);
      const page = await http(`${restored.url}/api/sites/alpha/topics/backed-up/posts?limit=1`);
      expect(page.body.topic.postCount).toBe(seqs.length);
    } finally {
      await restored.close();
    }
  }, 30_000);
});
