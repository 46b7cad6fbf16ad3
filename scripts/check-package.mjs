#!/usr/bin/env node
// `npm run test:package`: the npm package on a machine that has never seen the repository.
// Packs Parley (`npm pack`, which builds first), checks what the tarball holds, installs it into
// an empty temporary folder (`npm install parley-<version>.tgz`, from npm's cache where it can),
// then runs the installed `npx parley serve`: embedded SQLite file, /healthz, the built widget at
// /parley.js, the demo, a clean SIGTERM; `parley/widget` resolves with its type declarations;
// the Custom Elements Manifest is there. If nginx is installed, deploy/nginx/parley.conf is
// checked (`nginx -t`) and run in front of the installed server, Socket.IO included.
// The Dockerfile runs the same pack, install and start commands.
//
//   node scripts/check-package.mjs [--tarball FILE] [--json FILE] [--keep]
//     --tarball  use this tarball instead of packing (no build)
//     --json     write {passed, failed} there (scripts/test-all.mjs reads it)
//     --keep     leave the temporary folder for inspection
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { values: options } = parseArgs({
  options: { tarball: { type: 'string' }, json: { type: 'string' }, keep: { type: 'boolean', default: false } },
});

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-package-'));
const app = path.join(work, 'app');
const counts = { passed: 0, failed: 0 };
const children = new Set();

function check(name, ok, detail = '') {
  if (ok) counts.passed++;
  else counts.failed++;
  console.log(`${ok ? 'ok' : 'not ok'} - ${name}${!ok && detail ? `\n    ${String(detail).trim().split('\n').join('\n    ')}` : ''}`);
  return ok;
}

function run(command, args, cwd, env = {}, timeoutMs = 15 * 60_000) {
  const result = spawnSync(command, args, { cwd, env: { ...process.env, ...env }, encoding: 'utf8', maxBuffer: 64 * 2 ** 20, timeout: timeoutMs, killSignal: 'SIGKILL' });
  return { status: result.status, output: `${result.stdout ?? ''}${result.stderr ?? ''}${result.error ? String(result.error) : ''}` };
}

const tail = (text, lines = 15) => text.trim().split('\n').slice(-lines).join('\n');

function freePort() {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.on('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}

/** Starts a command, resolves with the first match of `pattern` in its output. */
function startUntil(command, args, { cwd, env, pattern, timeoutMs = 30_000 }) {
  // Its own process group, so that stopping `npx …` also reaches the server npx started.
  const child = spawn(command, args, { cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  children.add(child);
  let output = '';
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => {
    children.delete(child);
    resolve({ code, signal });
  }));
  const ready = new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no "${pattern}" within ${timeoutMs} ms:\n${output}`)), timeoutMs);
    const onData = (chunk) => {
      output += chunk.toString();
      const match = pattern.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match);
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    void exited.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(new Error(`exited (${code ?? signal}) first:\n${output}`));
    });
  });
  return { child, ready, exited, output: () => output };
}

async function get(url, init) {
  try {
    const response = await fetch(url, init);
    return { status: response.status, type: response.headers.get('content-type') ?? '', body: Buffer.from(await response.arrayBuffer()) };
  } catch (error) {
    return { status: 0, type: '', body: Buffer.from(String(error)) };
  }
}

/**
 * The installed `parley serve` on a free port; resolves with its URL. Through `npx parley` as an
 * operator types it, or node_modules/.bin/parley (what npx runs) where the test needs the
 * command's own exit code: npx does not pass on a signalled child's exit code.
 */
async function serve(extraArgs, env, via = 'bin') {
  const [command, args] = via === 'npx' ? ['npx', ['--no-install', 'parley']] : [path.join(app, 'node_modules/.bin/parley'), []];
  const server = startUntil(command, [...args, 'serve', ...extraArgs], {
    cwd: app,
    env: { PORT: '0', HOST: '127.0.0.1', PARLEY_DATA_DIR: path.join(work, 'data'), LOG_LEVEL: 'warn', ...env },
    pattern: /Parley is running at (http:\/\/[^\s/]+)/,
  });
  const match = await server.ready;
  return { ...server, url: match[1] };
}

async function stop(server) {
  process.kill(-server.child.pid, 'SIGTERM');
  return server.exited;
}

async function main() {
  // 1. The tarball.
  let tarball = options.tarball ? path.resolve(options.tarball) : null;
  if (!tarball) {
    console.log('# npm pack (builds the widget and the server first)…');
    const packed = run('npm', ['pack', '--pack-destination', work, '--json'], ROOT);
    let name = null;
    try {
      name = JSON.parse(packed.output.slice(packed.output.indexOf('[\n'))).at(0)?.filename;
    } catch {
      name = fs.readdirSync(work).find((f) => f.endsWith('.tgz')) ?? null;
    }
    if (!check('npm pack builds and packs Parley', packed.status === 0 && name, tail(packed.output))) return;
    tarball = path.join(work, name);
  }
  const listing = run('tar', ['tzf', tarball], work);
  const files = listing.output.split('\n').filter(Boolean).map((f) => f.replace(/^package\//, ''));
  const needed = ['package.json', 'bin/parley.js', 'build/server/cli.js', 'build/server/app.js', 'build/moderation/limits.js',
    'build/demo/seed.js', 'build/types/widget/index.d.ts', 'dist/parley.js', 'demo/site/index.html', 'custom-elements.json'];
  const missing = needed.filter((f) => !files.includes(f));
  check('the tarball holds the built server, the widget bundle, its types, the demo pages and the manifest', missing.length === 0, `missing: ${missing.join(', ')}`);
  const unwanted = files.filter((f) =>
    /^(test|bench|scripts|server|moderation|widget|docs|node_modules|\.ci)\//.test(f) || /^demo\/[^/]+\.ts$/.test(f) ||
    (f.endsWith('.ts') && !f.endsWith('.d.ts')) || f.endsWith('.map') || /(^|\/)(tsconfig[^/]*|vite\.config\.ts|Dockerfile)$/.test(f));
  check('the tarball holds no sources, tests, benchmarks or source maps', unwanted.length === 0, unwanted.slice(0, 20).join('\n'));

  // 2. An empty folder, as an operator starts: `npm install parley-<version>.tgz`.
  fs.mkdirSync(app);
  fs.writeFileSync(path.join(app, 'package.json'), `${JSON.stringify({ name: 'parley-install-check', private: true, type: 'module' }, null, 2)}\n`);
  console.log('# npm install <tarball> in an empty folder (prefer npm\'s cache)…');
  const install = run('npm', ['install', tarball, '--prefer-offline', '--no-audit', '--no-fund'], app);
  if (!check('npm install of the tarball succeeds in an empty folder', install.status === 0, tail(install.output))) return;
  const installed = path.join(app, 'node_modules');
  const devOnly = ['tsx', 'typescript', 'vite', 'vitest', '@custom-elements-manifest/analyzer', 'dompurify'].filter((p) => fs.existsSync(path.join(installed, p)));
  check('no development dependency is installed (no TypeScript at run time)', devOnly.length === 0, devOnly.join(', '));

  // npm 11 may skip dependencies' install scripts until approved; better-sqlite3 needs its own.
  // Without its native module the command must say what to run (when npm did run the script,
  // the module is moved aside for this one check).
  const binding = path.join(installed, 'better-sqlite3/build/Release/better_sqlite3.node');
  const built = fs.existsSync(binding);
  if (built) fs.renameSync(binding, `${binding}.aside`);
  const attempt = run(path.join(app, 'node_modules/.bin/parley'), ['serve'], app, { PORT: '0', HOST: '127.0.0.1', PARLEY_DATA_DIR: path.join(work, 'no-binding-data') }, 30_000);
  if (built) fs.renameSync(`${binding}.aside`, binding);
  check('without better-sqlite3\'s native module, `parley serve` stops with one line saying what to run',
    attempt.status === 1 && /npm install-scripts approve better-sqlite3/.test(attempt.output) && attempt.output.trim().split('\n').length === 1, attempt.output);
  if (!built) {
    console.log('# npm install-scripts approve better-sqlite3 && npm rebuild better-sqlite3 (compiles where no prebuilt binary can be fetched)…');
    const approve = run('npm', ['install-scripts', 'approve', 'better-sqlite3'], app);
    const rebuild = approve.status === 0 ? run('npm', ['rebuild', 'better-sqlite3'], app) : approve;
    if (!check('better-sqlite3 builds after approving its install script', rebuild.status === 0 && fs.existsSync(binding), tail(rebuild.output))) return;
  }

  // 3. `npx parley serve`: embedded SQLite, health, the built widget, a clean stop.
  const bundle = fs.readFileSync(path.join(installed, 'parley/dist/parley.js'));
  const viaNpx = await serve([], { PARLEY_DATA_DIR: path.join(work, 'npx-data') }, 'npx');
  check('`npx parley serve` starts and answers /healthz', (await get(`${viaNpx.url}/healthz`)).status === 200);
  await stop(viaNpx);
  const server = await serve([], {});
  const health = await get(`${server.url}/healthz`);
  check('GET /healthz answers 200', health.status === 200 && JSON.parse(health.body.toString()).ok === true, `${health.status} ${health.body}`);
  const ready = await get(`${server.url}/readyz`);
  check('GET /readyz answers 200 (the database answers)', ready.status === 200, `${ready.status} ${ready.body}`);
  const widget = await get(`${server.url}/parley.js`);
  check('GET /parley.js serves the built widget bundle', widget.status === 200 && /javascript/.test(widget.type) && widget.body.equals(bundle), `${widget.status} ${widget.type} ${widget.body.length} bytes`);
  check('the SQLite database is created in PARLEY_DATA_DIR', fs.existsSync(path.join(work, 'data/parley.db')));
  const stopped = await stop(server);
  check('SIGTERM stops it with exit code 0 and a checkpointed database (no -wal left)',
    stopped.code === 0 && !fs.existsSync(path.join(work, 'data/parley.db-wal')), `${JSON.stringify(stopped)}\n${tail(server.output())}`);

  const demo = await serve(['--demo'], { PARLEY_DATA_DIR: path.join(work, 'demo-data') });
  const page = await get(`${demo.url}/`);
  check('`parley serve --demo` serves the demo organisation\'s site', page.status === 200 && /parley-discussion/.test(page.body.toString()), `${page.status}`);
  const info = await get(`${demo.url}/api/sites/demo`);
  check('the demo site is configured', info.status === 200 && JSON.parse(info.body.toString()).demo === true, `${info.status} ${info.body.toString().slice(0, 200)}`);
  await stop(demo);

  // 4. The widget as an ES module with types, and the Custom Elements Manifest.
  const resolved = run(process.execPath, ['--input-type=module', '-e', "console.log(import.meta.resolve('parley/widget'))"], app);
  check("import 'parley/widget' resolves to the built bundle", resolved.status === 0 && resolved.output.trim().endsWith('/node_modules/parley/dist/parley.js'), resolved.output);
  fs.writeFileSync(path.join(app, 'consumer.ts'), [
    "import { ParleyDiscussion } from 'parley/widget';",
    "const discussion = document.createElement('parley-discussion') as ParleyDiscussion;",
    "const topic: string = discussion.topic;",
    'discussion.setToken(null);',
    '// @ts-expect-error: the declarations are real, so a wrong type is an error',
    'discussion.topic = 42;',
    'export { topic };',
    '',
  ].join('\n'));
  fs.writeFileSync(path.join(app, 'tsconfig.json'), JSON.stringify({
    compilerOptions: { strict: true, noEmit: true, skipLibCheck: true, target: 'es2022', module: 'esnext', moduleResolution: 'bundler', lib: ['es2022', 'dom'], types: [] },
    files: ['consumer.ts'],
  }));
  const tsc = run(process.execPath, [path.join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.json'], app);
  check("TypeScript finds the widget's declarations through the package's exports", tsc.status === 0, tsc.output);
  const manifestPath = path.join(installed, 'parley', JSON.parse(fs.readFileSync(path.join(installed, 'parley/package.json'), 'utf8')).customElements ?? '');
  let elements = [];
  try {
    const manifest = JSON.parse(fs.readFileSync(manifestPath, 'utf8'));
    elements = manifest.modules.flatMap((m) => m.declarations ?? []).filter((d) => d.tagName);
  } catch (error) {
    elements = [];
  }
  const discussion = elements.find((d) => d.tagName === 'parley-discussion');
  check('the package\'s customElements manifest describes <parley-discussion> from its doc block',
    discussion && discussion.attributes.some((a) => a.name === 'topic' && a.description) && discussion.events?.some((e) => e.name === 'parley-post-created') &&
      discussion.cssParts?.some((p) => p.name === 'post') && elements.some((d) => d.tagName === 'parley-audit-log'),
    `elements: ${elements.map((d) => d.tagName).join(', ')}`);

  // 5. nginx in front (deploy/nginx/parley.conf, with the compose service's address replaced).
  const nginxBinary = ['/usr/sbin/nginx', '/usr/bin/nginx'].find((p) => fs.existsSync(p));
  if (!nginxBinary) {
    console.log('# nginx is not installed: deploy/nginx/parley.conf not checked');
    return;
  }
  const backend = await serve([], { PARLEY_DATA_DIR: path.join(work, 'proxied-data') });
  const proxyPort = await freePort();
  const nginxDir = path.join(work, 'nginx');
  fs.mkdirSync(path.join(nginxDir, 'logs'), { recursive: true });
  const site = fs.readFileSync(path.join(ROOT, 'deploy/nginx/parley.conf'), 'utf8')
    .replace('server parley:3000;', `server ${backend.url.replace('http://', '')};`)
    .replace('listen 80;', `listen 127.0.0.1:${proxyPort};`);
  fs.writeFileSync(path.join(nginxDir, 'parley.conf'), site);
  fs.writeFileSync(path.join(nginxDir, 'nginx.conf'), [
    `pid ${nginxDir}/nginx.pid;`,
    `error_log ${nginxDir}/logs/error.log warn;`,
    'worker_processes 1;',
    'events { worker_connections 256; }',
    'http {',
    `  access_log ${nginxDir}/logs/access.log;`,
    `  client_body_temp_path ${nginxDir}/body; proxy_temp_path ${nginxDir}/proxy;`,
    `  fastcgi_temp_path ${nginxDir}/fastcgi; uwsgi_temp_path ${nginxDir}/uwsgi; scgi_temp_path ${nginxDir}/scgi;`,
    `  include ${nginxDir}/parley.conf;`,
    '}',
    '',
  ].join('\n'));
  const syntax = run(nginxBinary, ['-t', '-p', nginxDir, '-c', path.join(nginxDir, 'nginx.conf')], nginxDir);
  if (!check('nginx -t accepts deploy/nginx/parley.conf', syntax.status === 0, syntax.output)) {
    await stop(backend);
    return;
  }
  const nginx = spawn(nginxBinary, ['-p', nginxDir, '-c', path.join(nginxDir, 'nginx.conf'), '-g', 'daemon off;'], { cwd: nginxDir, stdio: 'ignore' });
  children.add(nginx);
  const nginxExited = new Promise((resolve) => nginx.once('exit', () => {
    children.delete(nginx);
    resolve();
  }));
  const proxy = `http://127.0.0.1:${proxyPort}`;
  let proxied = { status: 0 };
  for (let i = 0; i < 50 && proxied.status !== 200; i++) {
    proxied = await get(`${proxy}/healthz`);
    if (proxied.status !== 200) await new Promise((resolve) => setTimeout(resolve, 100));
  }
  check('through nginx: GET /healthz answers 200', proxied.status === 200, `${proxied.status}`);
  const proxiedWidget = await get(`${proxy}/parley.js`);
  check('through nginx: GET /parley.js serves the bundle', proxiedWidget.status === 200 && proxiedWidget.body.equals(bundle), `${proxiedWidget.status}`);
  const metrics = await get(`${proxy}/metrics`);
  check('through nginx: /metrics is refused', metrics.status === 403, `${metrics.status}`);
  const upgraded = await websocketHandshake(proxyPort);
  check('through nginx: a Socket.IO WebSocket upgrade reaches Parley (101 and the engine.io open packet)', upgraded.ok, upgraded.detail);
  nginx.kill('SIGQUIT');
  await nginxExited;
  await stop(backend);
}

/** A raw WebSocket upgrade to /socket.io/ through the proxy; the first frame is engine.io's "open" packet. */
function websocketHandshake(port) {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    let data = Buffer.alloc(0);
    const done = (ok, detail) => {
      socket.destroy();
      resolve({ ok, detail });
    };
    socket.setTimeout(5000, () => done(false, `timed out:\n${data.toString('latin1')}`));
    socket.on('error', (error) => done(false, String(error)));
    socket.on('connect', () => {
      socket.write([
        'GET /socket.io/?EIO=4&transport=websocket HTTP/1.1',
        `Host: 127.0.0.1:${port}`,
        'Upgrade: websocket',
        'Connection: Upgrade',
        'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==',
        'Sec-WebSocket-Version: 13',
        '',
        '',
      ].join('\r\n'));
    });
    socket.on('data', (chunk) => {
      data = Buffer.concat([data, chunk]);
      const text = data.toString('latin1');
      const headerEnd = text.indexOf('\r\n\r\n');
      if (headerEnd < 0) return;
      if (!/^HTTP\/1\.1 101/.test(text)) return done(false, text.slice(0, headerEnd));
      // The first server frame (unmasked text): its length, 16-bit when over 125, then "0{...sid...}".
      const frame = data.subarray(headerEnd + 4);
      if (frame.length < 2) return;
      const short = frame[1] & 0x7f;
      const [length, offset] = short === 126 ? (frame.length >= 4 ? [frame.readUInt16BE(2), 4] : [Infinity, 4]) : [short, 2];
      if (frame.length < offset + length) return;
      const payload = frame.subarray(offset, offset + length).toString();
      done(payload.startsWith('0{') && payload.includes('"sid"'), payload);
    });
  });
}

try {
  await main();
} catch (error) {
  check('the package check ran to the end', false, error?.stack ?? String(error));
} finally {
  for (const child of children) {
    try {
      process.kill(-child.pid, 'SIGKILL');
    } catch {
      child.kill('SIGKILL');
    }
  }
  if (!options.keep) fs.rmSync(work, { recursive: true, force: true });
  else console.log(`# kept ${work}`);
}
console.log(`package: ${counts.passed} passed, ${counts.failed} failed`);
if (options.json) {
  fs.mkdirSync(path.dirname(path.resolve(options.json)), { recursive: true });
  fs.writeFileSync(options.json, `${JSON.stringify(counts)}\n`);
}
process.exit(counts.failed === 0 && counts.passed > 0 ? 0 : 1);
