/**
 * Runs `parley serve` as a child process (the real command, its own event loop), for tests
 * that kill, stop or overload the server. It runs the sources (bin/parley-dev.js), so a test
 * never exercises a stale build/; scripts/check-package.mjs runs the compiled command. The child picks a free port and the test reads
 * the URL from the line the command prints; its sites and limits come from a config file.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { SignJWT } from 'jose';
import type { SiteConfig } from '../../server/config.js';
import { ROOT_DIR } from '../../server/app.js';
import type { RateLimitConfig } from '../../server/services/rate-limits.js';
export { prng } from './prng.js';

/** Limits high enough that only the test's own counters matter. */
export const GENEROUS_LIMITS: RateLimitConfig = {
  postsPerAccountPerMinute: 1_000_000,
  postsPerIpPerMinute: 1_000_000,
  postsPerSitePerMinute: 1_000_000,
  connectionsPerIp: 100_000,
  connectionsPerIpPerMinute: 1_000_000,
  socketEventsPerSecond: 1_000_000,
  signInEmailsPerAddressPerHour: 1_000_000,
  signInEmailsPerIpPerHour: 1_000_000,
  signInEmailsPerSitePerHour: 1_000_000,
  oidcStartsPerIpPerMinute: 1_000_000,
  staffLinksPerIpPerHour: 1_000_000,
  sessionsPerAccountPerHour: 1_000_000,
};

export interface ChildServerOptions {
  dataDir: string;
  sites: SiteConfig[];
  rateLimits?: Partial<RateLimitConfig>;
  logLevel?: string;
  host?: string;
  /** Extra node flags (e.g. --cpu-prof for a benchmark's profile). */
  nodeArgs?: string[];
  /** Extra arguments of `parley serve` (e.g. --demo). */
  serveArgs?: string[];
  /** PostgreSQL URL for PARLEY_DATABASE_URL; absent keeps the SQLite file in dataDir. */
  databaseUrl?: string;
  /** Extra environment, over the defaults (e.g. a fixed PORT for a balancer). */
  env?: Record<string, string>;
}

export interface ChildServer {
  url: string;
  child: ChildProcess;
  /** Resolves when the process has exited. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  output(): string;
}

export function tempDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

export async function startChildServer(options: ChildServerOptions, timeoutMs = 15_000): Promise<ChildServer> {
  fs.mkdirSync(options.dataDir, { recursive: true });
  const configFile = path.join(options.dataDir, 'config.json');
  fs.writeFileSync(configFile, JSON.stringify({ sites: options.sites, rateLimits: { ...GENEROUS_LIMITS, ...options.rateLimits } }));
  const child = spawn(process.execPath, [...(options.nodeArgs ?? []), path.join(ROOT_DIR, 'bin/parley-dev.js'), 'serve', ...(options.serveArgs ?? [])], {
    cwd: ROOT_DIR,
    env: {
      ...process.env,
      PORT: '0',
      HOST: options.host ?? '127.0.0.1',
      PARLEY_DATA_DIR: options.dataDir,
      PARLEY_CONFIG: configFile,
      LOG_LEVEL: options.logLevel ?? 'warn',
      ...(options.databaseUrl ? { PARLEY_DATABASE_URL: options.databaseUrl } : {}),
      ...options.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once('exit', (code, signal) => resolve({ code, signal }));
  });
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the server did not start in ${timeoutMs} ms:\n${output}`)), timeoutMs);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /Parley is running at (http:\/\/[^\s/]+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    void exited.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(new Error(`the server exited (${code ?? signal}) before listening:\n${output}`));
    });
  });
  return { url, child, exited, output: () => output };
}

/** A host token, as the site's sign-in would mint it. */
export async function hostToken(site: SiteConfig, sub: string, name = sub): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({ name })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(sub)
    .setAudience(site.id)
    .setIssuedAt(now)
    .setExpirationTime(now + 3600)
    .sign(new TextEncoder().encode(site.secret!));
}

