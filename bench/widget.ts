/**
 * Widget: what a host page loads for the first render (every script fetched until the
 * posts are on screen, gzip -9 each) against the 40 kB budget, and the time from navigation
 * to the first page of posts rendered, in headless Chromium, for topics of 100 and 1,000
 * posts (page-size 100: the first page is 100 threads with up to 500 replies). The bound:
 * the same posts as a static HTML page, timed the same way.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import zlib from 'node:zlib';
import { ROOT } from './lib/proc.js';
import { percentiles, round } from './lib/stats.js';
import { seedDatabase } from './lib/seed-db.js';
import { benchDir, BENCH_SITE, startParley } from './lib/targets.js';

const BUDGET_BYTES = 40 * 1024;
const CHROME_FLAGS = ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking',
  '--disable-component-update', '--no-first-run', '--disable-sync', '--disable-quic'];

function newestSource(dir: string): number {
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestSource(full) : fs.statSync(full).mtimeMs);
  }
  return newest;
}

/**
 * Builds dist/parley.js when it is missing or older than the widget's sources. If the build
 * fails (the widget mid-change) an existing bundle is measured, and the report says so.
 */
export function ensureBundle(log: (line: string) => void): { built: boolean; stale?: string } {
  const bundle = path.join(ROOT, 'dist/parley.js');
  const sources = Math.max(newestSource(path.join(ROOT, 'widget')), newestSource(path.join(ROOT, 'moderation')));
  if (fs.existsSync(bundle) && fs.statSync(bundle).mtimeMs >= sources) return { built: false };
  log('widget: building dist/parley.js (npm run build)…');
  try {
    execFileSync('npm', ['run', 'build', '--silent'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    return { built: true };
  } catch (error) {
    const reason = String((error as { stderr?: Buffer }).stderr ?? error).split('\n').find((line) => /error/i.test(line)) ?? 'the build failed';
    if (!fs.existsSync(bundle)) throw new Error(`npm run build failed: ${reason}`);
    log(`widget: the build failed (${reason.trim()}); measuring the existing dist/parley.js`);
    return { built: false, stale: `dist/parley.js from ${fs.statSync(bundle).mtime.toISOString().slice(0, 16)} was measured: rebuilding from the current sources failed (${reason.trim().slice(0, 160)})` };
  }
}

const escapeHtml = (text: string) => text.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);

export async function widget(options: { quick: boolean; log: (line: string) => void }) {
  const chromePath = process.env.CHROME_PATH || '/usr/bin/chromium';
  if (!fs.existsSync(path.join(ROOT, 'widget/index.ts'))) return { pending: 'the widget (widget/index.ts) does not exist yet' };
  if (!fs.existsSync(chromePath)) return { pending: `no Chromium at ${chromePath}` };
  const build = ensureBundle(options.log);
  const runs = options.quick ? 3 : 7;

  // The host page's server, on its own origin as on a real site.
  let parleyUrl = '';
  const pages = new Map<string, string>();
  const host = http.createServer((req, res) => {
    const page = pages.get(req.url ?? '');
    if (!page) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' }).end(page);
  });
  await new Promise<void>((resolve) => host.listen(0, '127.0.0.1', resolve));
  const hostOrigin = `http://127.0.0.1:${(host.address() as AddressInfo).port}`;

  const dataDir = benchDir('widget');
  const site = { ...BENCH_SITE, origins: [hostOrigin] };
  seedDatabase({
    file: path.join(dataDir, 'parley.db'),
    site: { id: site.id, name: site.name, origins: site.origins, secret: site.secret! },
    topics: [
      { id: 't100', posts: 100, isReply: () => false },
      { id: 't1000', posts: 1_000, isReply: (i) => i % 10 !== 0 },
    ],
  });
  const target = await startParley({ dataDir, sites: [site] });
  parleyUrl = target.url;
  const { default: puppeteer } = await import('puppeteer-core');
  const browser = await puppeteer.launch({ executablePath: chromePath, headless: true, args: CHROME_FLAGS });
  try {
    const topics = [
      { topic: 't100', posts: 100 },
      { topic: 't1000', posts: 1_000 },
    ];
    const cases: Array<{ topic: string; posts: number; rendered: number; widget: ReturnType<typeof percentiles>; static: ReturnType<typeof percentiles> }> = [];
    let scripts: Array<{ url: string; bytes: number; gzipBytes: number }> = [];
    for (const { topic, posts } of topics) {
      const pageJson = (await (await fetch(`${parleyUrl}/api/sites/${site.id}/topics/${topic}/posts?limit=100`)).json()) as {
        posts: Array<{ id: string; author: { name: string }; html: string; createdAt: string; depth: number }>;
      };
      const expected = pageJson.posts.length;
      pages.set(
        `/widget-${topic}`,
        `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${topic}</title>
<script type="module" src="${parleyUrl}/parley.js"></script></head>
<body><main><h1>Bench</h1><parley-discussion server="${parleyUrl}" site="${site.id}" topic="${topic}" page-size="100"></parley-discussion></main></body></html>`,
      );
      pages.set(
        `/static-${topic}`,
        `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${topic}</title></head><body><main><h1>Bench</h1><ol>${pageJson.posts
          .map((p) => `<li><article part="post" style="margin-left:${p.depth}em"><strong>${escapeHtml(p.author.name)}</strong> <time>${p.createdAt}</time><div>${p.html}</div><button>Reply</button></article></li>`)
          .join('')}</ol></main></body></html>`,
      );

      const timeRender = async (url: string, inShadow: boolean, collect: boolean) => {
        const page = await browser.newPage();
        await page.setCacheEnabled(false);
        const loaded: Promise<{ url: string; bytes: number; gzipBytes: number } | null>[] = [];
        if (collect) {
          page.on('response', (response) => {
            if (response.request().resourceType() !== 'script') return;
            loaded.push(
              response.buffer().then(
                (body) => ({ url: response.url().replace(parleyUrl, ''), bytes: body.length, gzipBytes: zlib.gzipSync(body, { level: 9 }).length }),
                () => null,
              ),
            );
          });
        }
        // Watch from the first frame of the page, not from when goto returns: a fast render can
        // be on screen before that, and both the time and "scripts before render" depend on it.
        // A string, not a function: the TypeScript loader would add helpers the page lacks.
        await page.evaluateOnNewDocument(`(() => {
          const tick = () => {
            const root = ${inShadow} ? document.querySelector('parley-discussion')?.shadowRoot : document;
            if (root && root.querySelectorAll('[part~="post"]').length >= ${expected}) window.renderedAt ??= performance.now();
            else requestAnimationFrame(tick);
          };
          requestAnimationFrame(tick);
        })();`);
        await page.goto(`${hostOrigin}${url}`, { waitUntil: 'domcontentloaded' });
        await page.waitForFunction(
          (shadow: boolean, count: number) => {
            const root = shadow ? document.querySelector('parley-discussion')?.shadowRoot : document;
            const n = root ? root.querySelectorAll('[part~="post"]').length : 0;
            if (n >= count) {
              (window as unknown as { renderedAt: number }).renderedAt ??= performance.now();
              return true;
            }
            return false;
          },
          { polling: 'raf', timeout: 30_000 },
          inShadow,
          expected,
        );
        const ms = await page.evaluate(() => (window as unknown as { renderedAt: number }).renderedAt);
        const found = await page.evaluate(
          (shadow: boolean) => ((shadow ? document.querySelector('parley-discussion')?.shadowRoot : document)?.querySelectorAll('[part~="post"]').length ?? 0),
          inShadow,
        );
        // Only what was asked for before the posts were on screen: a chunk the widget fetches
        // afterwards (the live socket, a panel opened later) is not part of the first render.
        const before = new Set(
          await page.evaluate(() => {
            const at = (window as unknown as { renderedAt: number }).renderedAt;
            return performance.getEntriesByType('resource').filter((e) => e.startTime <= at).map((e) => e.name);
          }),
        );
        const files = (await Promise.all(loaded))
          .filter((f): f is { url: string; bytes: number; gzipBytes: number } => f !== null)
          .filter((f) => before.has(f.url.startsWith('http') ? f.url : `${parleyUrl}${f.url}`));
        await page.close();
        return { ms, found, files };
      };

      const widgetTimes: number[] = [];
      const staticTimes: number[] = [];
      let rendered = 0;
      await timeRender(`/widget-${topic}`, true, false); // warm-up (server JIT, Chromium)
      for (let run = 0; run < runs; run++) {
        const w = await timeRender(`/widget-${topic}`, true, run === 0 && scripts.length === 0);
        if (w.files.length) scripts = w.files;
        rendered = w.found;
        widgetTimes.push(w.ms);
        staticTimes.push((await timeRender(`/static-${topic}`, false, false)).ms);
      }
      cases.push({ topic, posts, rendered, widget: percentiles(widgetTimes), static: percentiles(staticTimes) });
      options.log(`widget: ${topic} rendered ${rendered} posts in ${percentiles(widgetTimes).p50} ms (static ${percentiles(staticTimes).p50} ms)`);
    }
    const gzipTotal = scripts.reduce((sum, f) => sum + f.gzipBytes, 0);
    return {
      built: build.built,
      firstRenderScripts: scripts,
      gzipBytes: gzipTotal,
      budgetBytes: BUDGET_BYTES,
      budgetShare: round(gzipTotal / BUDGET_BYTES, 3),
      render: cases.map((c) => ({ ...c, medianOverStatic: round((c.widget.p50 ?? 0) / Math.max(0.01, c.static.p50 ?? 0), 1) })),
      runs,
      notes: [
        ...(build.stale ? [build.stale] : []),
        `Time from navigation start (performance.now() in the page) until every post of the first page is in the DOM, median of ${runs} cold loads (no HTTP cache) after one warm-up, headless Chromium; the static page serves the same posts as plain HTML from the same host server.`,
        'Scripts: every script the widget page fetched before its posts were on screen, gzip -9 each (what a first-time visitor downloads compressed).',
      ],
    };
  } finally {
    await browser.close();
    await target.stop();
    host.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}
