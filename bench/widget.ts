/**
 * Widget: what a host page loads for the first render (every script fetched until the
 * posts are on screen, gzip -9 each) against the 40 kB budget, and the time from navigation
 * to the first page of posts rendered, in headless Chromium, for topics of 100 and 1,000
 * posts (page-size 100: the first page is 100 threads with up to 500 replies). The bound:
 * the same posts as a static HTML page, timed the same way.
 *
 * Main thread (issue 10): total blocking time and the longest task of each load, from the
 * Long Tasks API in the page (TBT as Lighthouse counts it: the part of every task beyond
 * 50 ms, from first contentful paint until the page is quiet), beside the static page; and
 * Lighthouse's performance score (lighthouse 12.8, mobile defaults with simulated throttling,
 * Debian's Chromium) for the 1,000-post topic's page and its static twin.
 */
import { execFileSync, spawn } from 'node:child_process';
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

/** What docs/api.md asks of a host including a long rendition: lay out only what is near the screen. */
const RENDITION_CSS = '.parley-threads > li { content-visibility: auto; contain-intrinsic-size: auto 8rem; }';

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
      // Issue 17: a topic of 5,000 posts (1,000 conversations of five) opens quickly.
      { id: 't5000', posts: 5_000, isReply: (i) => i % 5 !== 0 },
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
      { topic: 't5000', posts: 5_000 },
    ];
    type P = ReturnType<typeof percentiles>;
    const cases: Array<{
      topic: string;
      posts: number;
      rendered: number;
      widget: P;
      static: P;
      /** Time to the first post on screen (issue 17), widget and static page. */
      first: { widget: P; static: P };
      mainThread: { tbtMs: { widget: P; static: P }; longestTaskMs: { widget: P; static: P } };
    }> = [];
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
          window.longTasks = [];
          new PerformanceObserver((list) => {
            for (const e of list.getEntries()) window.longTasks.push({ start: e.startTime, duration: e.duration });
          }).observe({ type: 'longtask', buffered: true });
        })();`);
        await page.evaluateOnNewDocument(`(() => {
          const tick = () => {
            const root = ${inShadow} ? document.querySelector('parley-discussion')?.shadowRoot : document;
            if (root && root.querySelector('[part~="post"]')) window.firstAt ??= performance.now();
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
        const firstMs = await page.evaluate(() => {
          const w = window as unknown as { renderedAt: number; firstAt?: number };
          return Math.min(w.firstAt ?? w.renderedAt, w.renderedAt);
        });
        // Quiet: a second without a long task, and at least 1.5 s after the posts were on screen
        // (the live socket's chunk and connection come after them), at most 10 s.
        await page.waitForFunction(
          () => {
            const w = window as unknown as { renderedAt: number; longTasks: Array<{ start: number; duration: number }> };
            const lastEnd = Math.max(0, ...w.longTasks.map((t) => t.start + t.duration));
            const now = performance.now();
            return now - w.renderedAt > 1500 && now - lastEnd > 1000;
          },
          { polling: 100, timeout: 10_000 },
        ).catch(() => undefined);
        const main = await page.evaluate(() => {
          const w = window as unknown as { longTasks: Array<{ start: number; duration: number }> };
          const fcp = performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? 0;
          // Lighthouse's TBT: of each task after FCP, the time beyond 50 ms (a task spanning FCP counts from it).
          const blocking = w.longTasks.reduce((sum, t) => {
            const start = Math.max(t.start, fcp);
            const end = t.start + t.duration;
            return end - start > 50 ? sum + (end - start - 50) : sum;
          }, 0);
          return { tbt: blocking, longest: Math.max(0, ...w.longTasks.map((t) => t.duration)), tasks: w.longTasks.length };
        });
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
        return { ms, firstMs, found, files, main };
      };

      const widgetTimes: number[] = [];
      const staticTimes: number[] = [];
      const tbt = { widget: [] as number[], static: [] as number[] };
      const longest = { widget: [] as number[], static: [] as number[] };
      const first = { widget: [] as number[], static: [] as number[] };
      let rendered = 0;
      await timeRender(`/widget-${topic}`, true, false); // warm-up (server JIT, Chromium)
      for (let run = 0; run < runs; run++) {
        const w = await timeRender(`/widget-${topic}`, true, run === 0 && scripts.length === 0);
        if (w.files.length) scripts = w.files;
        rendered = w.found;
        widgetTimes.push(w.ms);
        first.widget.push(w.firstMs);
        tbt.widget.push(w.main.tbt);
        longest.widget.push(w.main.longest);
        const st = await timeRender(`/static-${topic}`, false, false);
        staticTimes.push(st.ms);
        first.static.push(st.firstMs);
        tbt.static.push(st.main.tbt);
        longest.static.push(st.main.longest);
      }
      const mainThread = {
        tbtMs: { widget: percentiles(tbt.widget), static: percentiles(tbt.static) },
        longestTaskMs: { widget: percentiles(longest.widget), static: percentiles(longest.static) },
      };
      cases.push({ topic, posts, rendered, widget: percentiles(widgetTimes), static: percentiles(staticTimes), first: { widget: percentiles(first.widget), static: percentiles(first.static) }, mainThread });
      options.log(
        `widget: ${topic} first post after ${percentiles(first.widget).p50} ms (static ${percentiles(first.static).p50} ms); rendered ${rendered} posts in ${percentiles(widgetTimes).p50} ms (static ${percentiles(staticTimes).p50} ms); ` +
          `TBT p50 ${mainThread.tbtMs.widget.p50} ms (static ${mainThread.tbtMs.static.p50}), longest task p50 ${mainThread.longestTaskMs.widget.p50} ms (static ${mainThread.longestTaskMs.static.p50})`,
      );
    }
    // The recommended setup: the host's server includes the topic's HTML rendition in the element.
    const rendition = await (await fetch(`${parleyUrl}/api/sites/${site.id}/topics/t1000/html?limit=100`)).text();
    pages.set(
      '/ssr-t1000',
      `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>t1000</title>
<style>${RENDITION_CSS}</style>
<script type="module" src="${parleyUrl}/parley.js"></script></head>
<body><main><h1>Bench</h1><parley-discussion server="${parleyUrl}" site="${site.id}" topic="t1000" page-size="100">${rendition}</parley-discussion></main></body></html>`,
    );
    const demo = await startDemo(options.log);
    let lighthouseRuns: LighthouseRun[];
    try {
      lighthouseRuns = await runLighthouse(browser, [
        { name: 'demo, its longest discussion (/treatments, HTML rendition included)', url: `${demo.url}/treatments`, runs: options.quick ? 1 : 3 },
        { name: 'widget, 1,000-post topic (600 on the first page)', url: `${hostOrigin}/widget-t1000` },
        { name: 'the same, with the HTML rendition included by the host', url: `${hostOrigin}/ssr-t1000` },
        { name: 'static HTML of the same 600 posts', url: `${hostOrigin}/static-t1000` },
      ], options.log);
    } finally {
      await demo.stop();
    }
    const gzipTotal = scripts.reduce((sum, f) => sum + f.gzipBytes, 0);
    return {
      built: build.built,
      firstRenderScripts: scripts,
      gzipBytes: gzipTotal,
      budgetBytes: BUDGET_BYTES,
      budgetShare: round(gzipTotal / BUDGET_BYTES, 3),
      render: cases.map((c) => ({ ...c, medianOverStatic: round((c.widget.p50 ?? 0) / Math.max(0.01, c.static.p50 ?? 0), 1) })),
      lighthouse: lighthouseRuns,
      targets: { tbtMs: 200, lighthouseScore: 95 },
      runs,
      notes: [
        ...(build.stale ? [build.stale] : []),
        `Time from navigation start (performance.now() in the page) until every post of the first page is in the DOM, median of ${runs} cold loads (no HTTP cache) after one warm-up, headless Chromium; the static page serves the same posts as plain HTML from the same host server.`,
        'Scripts: every script the widget page fetched before its posts were on screen, gzip -9 each (what a first-time visitor downloads compressed).',
        'Main thread: long tasks (> 50 ms) from the Long Tasks API in the page, unthrottled (a longest task of 0 ms: none over 50 ms); TBT sums the part of each beyond 50 ms after first contentful paint, until the page has been quiet for 1 s (at least 1.5 s after the posts are on screen, so the live socket is included). Median of the same loads.',
        'Lighthouse 12.8 (the last release for Node 20), performance category, its default mobile profile: simulated slow 4G and 4× CPU slowdown, so its TBT is several times the unthrottled one. One run each (the demo page: the median of three, every run beside it); scores vary by several points with the machine\'s load.',
      ],
    };
  } finally {
    await browser.close();
    await target.stop();
    host.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

interface LighthouseRun {
  name: string;
  url: string;
  score: number | null;
  tbtMs: number | null;
  longestTaskMs: number | null;
  fcpMs: number | null;
  lcpMs: number | null;
  cls: number | null;
  error?: string;
  /** Every run's figures when the page was measured more than once. */
  runs?: Array<{ score: number | null; tbtMs: number | null }>;
}

/**
 * Lighthouse against pages in the bench's Chromium (its DevTools port), performance only. Fails
 * soft: a run that cannot complete reports its error instead of a score.
 */
async function runLighthouse(browser: { wsEndpoint(): string }, pages: Array<{ name: string; url: string; runs?: number }>, log: (line: string) => void): Promise<LighthouseRun[]> {
  const port = Number(new URL(browser.wsEndpoint()).port);
  const { default: lighthouse } = await import('lighthouse');
  const out: LighthouseRun[] = [];
  for (const { name, url, runs = 1 } of pages) {
    // Several runs: the median by score is reported, with every run's score and TBT beside it.
    const done: LighthouseRun[] = [];
    for (let i = 0; i < runs; i++) done.push(await lighthouseOnce(lighthouse, port, name, url, log));
    const ok = done.filter((d) => d.score !== null).sort((a, b) => a.score! - b.score!);
    const median = ok.length ? ok[Math.floor((ok.length - 1) / 2)]! : done[0]!;
    out.push(runs > 1 ? { ...median, runs: done.map((d) => ({ score: d.score, tbtMs: d.tbtMs })) } : median);
  }
  return out;
}

async function lighthouseOnce(
  lighthouse: typeof import('lighthouse').default,
  port: number,
  name: string,
  url: string,
  log: (line: string) => void,
): Promise<LighthouseRun> {
  {
    try {
      const result = await lighthouse(url, { port, output: 'json', logLevel: 'error', onlyCategories: ['performance'] });
      const lhr = result?.lhr;
      if (!lhr) throw new Error('no result');
      if (lhr.runtimeError) throw new Error(lhr.runtimeError.message);
      const audit = (id: string) => lhr.audits[id]?.numericValue ?? null;
      const tasks = (lhr.audits['long-tasks']?.details as { items?: Array<{ duration: number }> } | undefined)?.items ?? [];
      const run: LighthouseRun = {
        name,
        url: url.replace(/^http:\/\/127\.0\.0\.1:\d+/, ''),
        score: lhr.categories.performance?.score === null || lhr.categories.performance?.score === undefined ? null : Math.round(lhr.categories.performance.score * 100),
        tbtMs: audit('total-blocking-time') === null ? null : round(audit('total-blocking-time')!, 0),
        longestTaskMs: tasks.length ? round(Math.max(...tasks.map((t) => t.duration)), 0) : 0,
        fcpMs: audit('first-contentful-paint') === null ? null : round(audit('first-contentful-paint')!, 0),
        lcpMs: audit('largest-contentful-paint') === null ? null : round(audit('largest-contentful-paint')!, 0),
        cls: audit('cumulative-layout-shift') === null ? null : round(audit('cumulative-layout-shift')!, 3),
      };
      log(`widget: Lighthouse ${name}: score ${run.score}, TBT ${run.tbtMs} ms, longest task ${run.longestTaskMs} ms`);
      return run;
    } catch (error) {
      log(`widget: Lighthouse ${name} failed: ${(error as Error).message}`);
      return { name, url, score: null, tbtMs: null, longestTaskMs: null, fcpMs: null, lcpMs: null, cls: null, error: String((error as Error).message ?? error).slice(0, 200) };
    }
  }
}

/** `parley serve --demo` on a free port with a fresh data directory (the demo seeds itself). */
async function startDemo(log: (line: string) => void): Promise<{ url: string; stop(): Promise<void> }> {
  const dataDir = benchDir('demo');
  const child = spawn(process.execPath, [path.join(ROOT, 'bin/parley.js'), 'serve', '--demo', '--port', '0', '--host', '127.0.0.1', '--data-dir', dataDir], {
    cwd: ROOT,
    env: { ...process.env, LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the demo did not start:\n${output}`)), 60_000);
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const match = /Parley is running at (http:\/\/[^\s/]+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    });
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the demo exited (${code}):\n${output}`));
    });
  });
  let stopping = false;
  const exited = new Promise<void>((resolve) => child.once('exit', (code, signal) => {
    if (!stopping) log(`widget: the demo server exited early (${code ?? signal}): ${output.slice(-400)}`);
    resolve();
  }));
  return {
    url,
    async stop() {
      stopping = true;
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
