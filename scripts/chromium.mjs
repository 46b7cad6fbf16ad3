// Chromium for the browser tests (web-test-runner.config.mjs launches $CHROME_PATH, else
// /usr/bin/chromium). `npm test` checks for it before running anything: when it is missing it
// installs Debian's package if it may (root, apt-get on PATH), else stops with one line saying
// what to run, rather than reporting every browser test as failed.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

export const DEFAULT_CHROMIUM = '/usr/bin/chromium';
export const INSTALL_HINT = 'sudo apt-get install -y chromium';

/** What to do, from the facts alone (unit-tested): use a binary, install Chromium, or stop. */
export function chromiumPlan({ chromePath, exists, isRoot, hasApt }) {
  if (chromePath) {
    if (exists(chromePath)) return { action: 'use', path: chromePath };
    return { action: 'stop', message: `CHROME_PATH=${chromePath} does not exist: point it at a Chromium or Chrome binary, or unset it to use ${DEFAULT_CHROMIUM}.` };
  }
  if (exists(DEFAULT_CHROMIUM)) return { action: 'use', path: DEFAULT_CHROMIUM };
  if (isRoot && hasApt) return { action: 'install', path: DEFAULT_CHROMIUM };
  return { action: 'stop', message: `The browser tests need Chromium: run \`${INSTALL_HINT}\` (or set CHROME_PATH to a Chromium or Chrome binary), then run the tests again.` };
}

function onPath(command, env) {
  return (env.PATH ?? '').split(path.delimiter).some((dir) => dir && fs.existsSync(path.join(dir, command)));
}

/** Finds or installs Chromium; returns `{ ok: true, path }` or `{ ok: false, message }` (one line). */
export function ensureChromium(env = process.env) {
  const plan = chromiumPlan({
    chromePath: env.CHROME_PATH || null,
    exists: (p) => fs.existsSync(p),
    isRoot: process.getuid?.() === 0,
    hasApt: onPath('apt-get', env),
  });
  if (plan.action === 'use') return { ok: true, path: plan.path };
  if (plan.action === 'stop') return { ok: false, message: plan.message };
  console.log('Chromium is missing: installing Debian\'s chromium package for the browser tests (apt-get)…');
  const log = path.join(fs.mkdtempSync(path.join(process.env.TMPDIR || '/tmp', 'parley-apt-')), 'apt.log');
  const aptEnv = { ...env, DEBIAN_FRONTEND: 'noninteractive' };
  for (const args of [['update', '-qq'], ['install', '-y', '-qq', 'chromium']]) {
    const result = spawnSync('apt-get', args, { env: aptEnv, encoding: 'utf8' });
    fs.appendFileSync(log, `$ apt-get ${args.join(' ')}\n${result.stdout ?? ''}${result.stderr ?? ''}`);
    if (result.status !== 0) return { ok: false, message: `Installing Chromium with apt-get failed (${log}): run \`${INSTALL_HINT}\` yourself, then run the tests again.` };
  }
  return fs.existsSync(plan.path) ? { ok: true, path: plan.path } : { ok: false, message: `apt-get installed chromium but ${plan.path} is missing (${log}).` };
}
