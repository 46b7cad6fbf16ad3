/**
 * Configuration: environment variables, an optional JSON config file, and defaults.
 * Documented in one table in the README; keep the two in step.
 */
import { isPostgresUrl } from './store/postgres/database-url.js';
import fs from 'node:fs';
import path from 'node:path';
import * as v from 'valibot';
import { OidcProviderSettingsSchema, SignInMethodsSchema, SiteIdSchema, parseWith, type OidcProviderSettings } from '../moderation/schemas.js';
import type { SignInMethod } from '../moderation/types.js';
import { parseTrustProxy, type TrustProxySetting } from './http/client-address.js';
import { DEFAULT_RATE_LIMITS, type RateLimitConfig, type SiteRateLimitConfig } from './services/rate-limits.js';

export interface SiteConfig {
  id: string;
  name: string;
  origins: string[];
  secret?: string;
  publicKeys?: string[];
  rulesUrl?: string;
  /** Overrides of the server-wide post rate limits for this site. */
  rateLimits?: SiteRateLimitConfig;
  /** The site's OpenID provider for "Sign in with …" (issue 12); replaces one set over the API. */
  oidc?: OidcProviderSettings;
  /** How members sign in here (issue 12); unset keeps what the admin API or CLI set, else the default. */
  signIn?: { methods: SignInMethod[] };
}

export interface ParleyConfig {
  port: number;
  host: string;
  dataDir: string;
  /**
   * PostgreSQL URL (postgres://user:pass@host:5432/db) to keep everything in PostgreSQL, which
   * several Parley nodes can share; null keeps the embedded SQLite file in dataDir.
   */
  databaseUrl: string | null;
  /** The URL browsers use to reach this server (defaults to http://<host>:<port>). */
  publicUrl: string | null;
  /** Which reverse proxies to believe about the client's address (Express "trust proxy"); false ignores forwarded headers. */
  trustProxy: TrustProxySetting;
  logLevel: string;
  /** SMTP URL for outgoing mail (smtp://user:pass@host:587); none keeps mail in the outbox. */
  smtpUrl: string | null;
  mailFrom: string | null;
  demo: boolean;
  sites: SiteConfig[];
  rateLimits: RateLimitConfig;
}

const Limit = v.optional(v.pipe(v.number(), v.integer(), v.minValue(1)));
const SiteRateLimitsSchema = {
  postsPerAccountPerMinute: Limit,
  postsPerIpPerMinute: Limit,
  postsPerSitePerMinute: Limit,
  signInEmailsPerSitePerHour: Limit,
};

const SiteConfigSchema = v.strictObject({
  id: SiteIdSchema,
  name: v.pipe(v.string(), v.minLength(1), v.maxLength(200)),
  origins: v.array(v.pipe(v.string(), v.maxLength(300))),
  secret: v.optional(v.pipe(v.string(), v.minLength(32, 'a site secret needs at least 32 characters'))),
  publicKeys: v.optional(v.array(v.pipe(v.string(), v.maxLength(10_000)))),
  rulesUrl: v.optional(v.pipe(v.string(), v.url())),
  rateLimits: v.optional(v.strictObject(SiteRateLimitsSchema)),
  oidc: v.optional(OidcProviderSettingsSchema),
  signIn: v.optional(SignInMethodsSchema),
});

const FileConfigSchema = v.strictObject({
  port: v.optional(v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(65535))),
  host: v.optional(v.string()),
  dataDir: v.optional(v.string()),
  databaseUrl: v.optional(v.pipe(v.string(), v.maxLength(2000), v.regex(/^postgres(ql)?:\/\//, 'databaseUrl must start with postgres:// or postgresql://'))),
  publicUrl: v.optional(v.pipe(v.string(), v.url(), v.regex(/^https?:\/\//, 'publicUrl starts with http:// or https://'))),
  trustProxy: v.optional(
    v.union([
      v.boolean(),
      v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(100)),
      v.pipe(v.string(), v.maxLength(2000)),
      v.pipe(v.array(v.pipe(v.string(), v.maxLength(100))), v.maxLength(100)),
    ]),
  ),
  logLevel: v.optional(v.picklist(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])),
  smtpUrl: v.optional(v.pipe(v.string(), v.regex(/^smtps?:\/\//, 'smtpUrl starts with smtp:// or smtps://'))),
  mailFrom: v.optional(v.pipe(v.string(), v.maxLength(200))),
  sites: v.optional(v.array(SiteConfigSchema)),
  rateLimits: v.optional(
    v.strictObject({
      ...SiteRateLimitsSchema,
      connectionsPerIpPerMinute: Limit,
      connectionsPerIp: Limit,
      socketEventsPerSecond: Limit,
      signInEmailsPerAddressPerHour: Limit,
      signInEmailsPerIpPerHour: Limit,
      oidcStartsPerIpPerMinute: Limit,
      staffLinksPerIpPerHour: Limit,
      sessionsPerAccountPerHour: Limit,
    }),
  ),
});

function isPublicUrl(text: string): boolean {
  try {
    const url = new URL(text);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.pathname === '/' && !url.search && !url.hash;
  } catch {
    return false;
  }
}

function databaseUrlFrom(value: string | null): string | null {
  const url = value?.trim() || null;
  if (url !== null && !isPostgresUrl(url)) {
    throw new Error('PARLEY_DATABASE_URL must be a PostgreSQL URL (postgres://user:password@host:5432/database); leave it unset for the embedded SQLite file');
  }
  return url;
}

export function loadConfig(env: NodeJS.ProcessEnv, overrides: Partial<ParleyConfig> = {}): ParleyConfig {
  let file: v.InferOutput<typeof FileConfigSchema> = {};
  const configPath = env.PARLEY_CONFIG;
  if (configPath) {
    const raw = JSON.parse(fs.readFileSync(configPath, 'utf8'));
    const parsed = parseWith(FileConfigSchema, raw);
    if (!parsed.ok) throw new Error(`${configPath}: ${parsed.message}`);
    file = parsed.value;
  }
  const port = env.PORT !== undefined ? Number(env.PORT) : (file.port ?? 3000);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`PORT must be a port number, not "${env.PORT}"`);
  const publicUrl = env.PARLEY_PUBLIC_URL ?? file.publicUrl ?? null;
  if (publicUrl !== null && !isPublicUrl(publicUrl)) {
    // The widget finds its server from the origin of the script it was loaded from: Parley lives at the root.
    throw new Error(`PARLEY_PUBLIC_URL must be an http:// or https:// origin with no path (https://parley.example.org), not "${publicUrl}"`);
  }
  let trustProxy: TrustProxySetting;
  try {
    const raw = env.PARLEY_TRUST_PROXY ?? file.trustProxy ?? false;
    trustProxy = typeof raw === 'string' ? parseTrustProxy(raw) : Array.isArray(raw) ? parseTrustProxy(raw.join(',')) : raw;
  } catch (error) {
    throw new Error(`PARLEY_TRUST_PROXY: ${(error as Error).message}`);
  }
  return {
    port,
    host: env.HOST ?? file.host ?? 'localhost',
    dataDir: path.resolve(env.PARLEY_DATA_DIR ?? file.dataDir ?? 'data'),
    databaseUrl: databaseUrlFrom(env.PARLEY_DATABASE_URL ?? file.databaseUrl ?? null),
    publicUrl,
    trustProxy,
    logLevel: env.LOG_LEVEL ?? file.logLevel ?? 'info',
    smtpUrl: env.PARLEY_SMTP_URL ?? file.smtpUrl ?? null,
    mailFrom: env.PARLEY_MAIL_FROM ?? file.mailFrom ?? null,
    demo: false,
    sites: file.sites ?? [],
    rateLimits: { ...DEFAULT_RATE_LIMITS, ...file.rateLimits },
    ...overrides,
  };
}
