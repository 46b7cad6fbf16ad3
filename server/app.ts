/**
 * createServer: builds Parley (store, HTTP routes, sockets, plug-ins such as the demo) and listens.
 * Used by the `parley serve` command, by the integration and browser tests, and by the
 * benchmarks, so all of them run the very same server.
 */
import compression from 'compression';
import express from 'express';
import helmet from 'helmet';
import http from 'node:http';
import path from 'node:path';
import zlib from 'node:zlib';
import type { AddressInfo } from 'node:net';
import pino, { type Logger } from 'pino';
import { LIMITS } from '../moderation/limits.js';
import type { SiteConfig } from './config.js';
import { errorHandler, notFound } from './http/errors.js';
import { normaliseOrigin } from './http/origins.js';
import { addressResolver, compileTrust, type TrustProxySetting } from './http/client-address.js';
import { widgetAssets } from './http/widget-assets.js';
import { siteRouter } from './http/site-routes.js';
import { adminPage } from './http/admin-page.js';
import { IMPORT_PATH } from './http/import-export-routes.js';
import { setupRouter } from './http/setup-routes.js';
import { issueSetupLink } from './services/first-run.js';
import { openApiDocument } from './http/openapi.js';
import { asyncApiDocument } from './realtime/asyncapi.js';
import { attachRealtime } from './realtime/sockets.js';
import { randomId, type AppContext, type Broadcaster } from './services/context.js';
import { createRateLimits, DEFAULT_RATE_LIMITS, type RateLimitConfig } from './services/rate-limits.js';
import { createMailer } from './mail/mailer.js';
import { NO_AUDIT_LOG } from './audit/audit-log.js';
import { MerkleAuditLog } from './audit/merkle-audit-log.js';
import { createLifecycle } from './ops/lifecycle.js';
import { createMetrics, metricsOf } from './ops/metrics.js';
import { openStore } from './store/open-store.js';
import { postgresPoolOf } from './store/sql/postgres-database.js';
import { warmScriptedIndex } from './services/scripted-replies.js';
import { startSafetyDeliveries } from './services/safety-delivery.js';
import { startNotifications } from './services/notify-queue.js';
import { notificationLinksRouter } from './http/notification-routes.js';
import { applyConfiguredOidc } from './services/oidc-settings.js';
import type { Store } from './store/store.js';
import type { ServerPlugin } from './plugins.js';
import { configureSignInMethods } from './services/sign-in-methods.js';
import { packageRoot } from './package-root.js';

/** Where dist/ and demo/site/ are, from the sources and from the compiled build/ alike. */
export const ROOT_DIR = packageRoot();

export interface ServerOptions {
  /** SQLite file; defaults to <dataDir>/parley.db. */
  dbFile?: string;
  /** PostgreSQL URL; when set, the store (and the audit log in it) lives there instead of the SQLite file. */
  databaseUrl?: string | null;
  dataDir?: string;
  /** 0 picks a free port. */
  port?: number;
  host?: string;
  /**
   * The URL browsers use to reach this server, if not http://<host>:<port> (an origin: Parley
   * lives at its root). Every absolute URL Parley writes (feeds, mail, notices) starts with it,
   * never with a request's Host header; `Strict-Transport-Security` is sent only when it is https.
   */
  publicUrl?: string | null;
  /** The widget's build output (parley.js and assets/); defaults to <repository>/dist. */
  distDir?: string;
  /** Reverse proxies whose X-Forwarded-For to believe (Express "trust proxy"); default false. */
  trustProxy?: TrustProxySetting;
  /** Plug-ins, mounted after the API and started once the server listens (the demo: demo/plugin.ts). */
  plugins?: readonly ServerPlugin[];
  /** Sites to create or update at start-up. */
  sites?: SiteConfig[];
  logLevel?: string;
  logger?: Logger;
  rateLimits?: Partial<RateLimitConfig>;
  /** SMTP URL for outgoing mail (smtp://user:pass@host:port); without it mail stays in the outbox. */
  smtpUrl?: string | null;
  mailFrom?: string;
  /** How often the notification runner looks for due messages besides the nudge after each post (default 30 s). */
  notifyIntervalMs?: number;
  /** Injectable clock for tests. */
  now?: () => Date;
  /**
   * First run (issue 15): when the server has no site, issue a one-time setup link
   * (`ParleyServer.setupUrl`). `parley serve` asks for it unless --demo.
   */
  firstRunSetup?: boolean;
}

export interface ParleyServer {
  url: string;
  /** The one-time setup link, when `firstRunSetup` was asked for and there is no site yet. */
  setupUrl: string | null;
  port: number;
  store: Store;
  ctx: AppContext;
  /** The Express app, for tests that walk its routes (the contract and route-permission tests). */
  app: express.Express;
  close(): Promise<void>;
}

export async function createServer(options: ServerOptions = {}): Promise<ParleyServer> {
  const log = options.logger ?? pino({ level: options.logLevel ?? 'info' });
  const dataDir = path.resolve(options.dataDir ?? 'data');
  const store = await openStore({ databaseUrl: options.databaseUrl, file: options.dbFile ?? path.join(dataDir, 'parley.db') });
  // The public audit log lives in the same database (one transaction with the change it records).
  let logHost = options.publicUrl ? new URL(options.publicUrl).host : (options.host ?? 'localhost');
  const auditDb = store.database;
  const audit = auditDb ? new MerkleAuditLog({ db: auditDb, now: () => ctx.now(), originHost: () => logHost, log }) : null;

  let selfOrigins: string[] = [];
  let publicUrl = '';
  let broadcaster: Broadcaster = { postCreated() {}, postUpdated() {}, topicUpdated() {}, sessionEnded() {}, deskUpdated() {} };
  const rateLimits = { ...DEFAULT_RATE_LIMITS, ...options.rateLimits };
  const ctx: AppContext = {
    store,
    log,
    limits: createRateLimits(rateLimits, {
      sites: Object.fromEntries((options.sites ?? []).map((site) => [site.id, site.rateLimits])),
      onRefusal: (kind, scope) => metricsOf(ctx)?.rateLimitRefused(kind, scope),
      // On PostgreSQL every node counts in the database (several nodes, one budget).
      pool: postgresPoolOf(store.database),
    }),
    now: options.now ?? (() => new Date()),
    newId: randomId,
    selfOrigins: () => selfOrigins,
    publicUrl: () => publicUrl,
    mailer: null as unknown as AppContext['mailer'],
    audit: audit ?? NO_AUDIT_LOG,
    broadcast: {
      postCreated: (post, exceptSocket) => broadcaster.postCreated(post, exceptSocket),
      postUpdated: (post) => broadcaster.postUpdated(post),
      topicUpdated: (topic) => broadcaster.topicUpdated(topic),
      sessionEnded: (site, userId, reason) => broadcaster.sessionEnded(site, userId, reason),
      deskUpdated: (site, update) => broadcaster.deskUpdated(site, update),
      queueChanged: (site, change) => broadcaster.queueChanged?.(site, change),
    },
  };

  ctx.mailer = createMailer(store, log, { smtpUrl: options.smtpUrl ?? null, from: options.mailFrom });
  const metrics = createMetrics(ctx);
  const lifecycle = createLifecycle();
  const nowIso = ctx.now().toISOString();
  for (const site of options.sites ?? []) {
    const existing = await store.getSite(site.id);
    await store.upsertSite({
      id: site.id,
      name: site.name,
      origins: site.origins,
      secret: site.secret ?? null,
      publicKeys: site.publicKeys ?? [],
      rulesUrl: site.rulesUrl ?? null,
      demo: existing?.demo ?? false,
      createdAt: existing?.createdAt ?? nowIso,
    });
    if (site.oidc) await applyConfiguredOidc(ctx, site.id, site.oidc);
    // Sign-in methods from the config file win over earlier admin API / CLI changes at each start.
    if (site.signIn) await configureSignInMethods(ctx, (await store.getSite(site.id))!, site.signIn.methods);
  }

  const app = express();
  app.disable('x-powered-by');
  // One notion of the client's address for routes (req.ip) and sockets (addressOf).
  const trustProxy = options.trustProxy ?? false;
  app.set('trust proxy', compileTrust(trustProxy));
  const addressOf = addressResolver(trustProxy);
  app.use(metrics.httpTimer);
  app.use(
    helmet({
      // The widget script and API are meant to be used from other origins (the host sites).
      crossOriginResourcePolicy: { policy: 'cross-origin' },
      crossOriginEmbedderPolicy: false,
      // HSTS only means something over https, and would break a plain-http deployment's other ports.
      strictTransportSecurity: options.publicUrl?.startsWith('https:') ? undefined : false,
      contentSecurityPolicy: {
        directives: {
          defaultSrc: ["'self'"],
          scriptSrc: ["'self'"],
          styleSrc: ["'self'"],
          imgSrc: ["'self'", 'data:'],
          connectSrc: ["'self'", 'ws:', 'wss:'],
          frameAncestors: ["'self'"],
          objectSrc: ["'none'"],
          baseUri: ["'none'"],
        },
      },
    }),
  );
  app.get('/metrics', metrics.endpoint);
  app.use(lifecycle.http);
  const jsonBody = express.json({ limit: LIMITS.requestBodyMaxBytes, strict: true });
  // Import files (issue 15) are read by their own route, after the admin check, with their own limit.
  app.use((req, res, next) => (IMPORT_PATH.test(req.path) ? next() : jsonBody(req, res, next)));

  app.get('/healthz', (_req, res) => {
    res.json({ ok: true });
  });
  app.get('/readyz', async (_req, res) => {
    try {
      await store.stats();
      res.json({ ok: true });
    } catch {
      res.status(503).json({ error: { code: 'internal', message: 'The database is not available.' } });
    }
  });

  // The widget bundle (one script tag on the host page loads it) and its lazy chunks,
  // compressed ahead of time (http/widget-assets.ts).
  app.use(widgetAssets(options.distDir ?? path.join(ROOT_DIR, 'dist')));
  // Everything else (JSON, pages, feeds) is compressed on the fly; brotli 5 is as cheap as
  // the middleware's default 4 and smaller than gzip, which 4 is not on our scripts.
  app.use(compression({ brotli: { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 5 } } }));

  // The protocol, machine-readable (issue 10): generated from server/http/api-routes.ts and the shared schemas.
  // Plug-ins describe the routes they mount (demo/plugin.ts); built on first request, then kept.
  let openApi: object | null = null;
  app.get('/api/openapi.json', (_req, res) => {
    res.setHeader('Access-Control-Allow-Origin', '*');
    res.json((openApi ??= openApiDocument((options.plugins ?? []).flatMap((plugin) => plugin.routes ?? []))));
  });
  app.get('/api/asyncapi.json', (_req, res) => {
    res.setHeader('Access-Control-Allow-Origin', '*');
    res.json(asyncApiDocument());
  });

  // First run (issue 15): the setup page and its API, before any site exists.
  app.use(setupRouter(ctx));
  app.use('/api/sites/:site', siteRouter(ctx, () => selfOrigins));
  // One-click unsubscribe and address confirmation (issue 13): links in mail, no sign-in, no JSON.
  app.use(notificationLinksRouter(ctx));
  // The admin console as a page of this server (issue 15): /admin/<site>.
  app.use(adminPage(ctx));

  for (const plugin of options.plugins ?? []) plugin.mount?.(app, ctx);

  app.use(notFound);
  app.use(errorHandler(log));

  const httpServer = http.createServer(app);
  const realtime = attachRealtime(ctx, httpServer, () => selfOrigins, {
    connectionsPerIp: rateLimits.connectionsPerIp,
    eventsPerSecond: rateLimits.socketEventsPerSecond,
    lifecycle,
    addressOf,
    onRefusal: metrics.rateLimitRefused,
    onFlooding: (socket) => log.warn({ ip: addressOf(socket.conn.request) }, 'disconnected a socket that kept flooding'),
  });
  broadcaster = realtime.broadcaster;
  metrics.countSocketsWith(() => realtime.io.of('/').sockets.size);

  await new Promise<void>((resolve, reject) => {
    httpServer.once('error', reject);
    httpServer.listen(options.port ?? 0, options.host ?? 'localhost', () => resolve());
  });
  const port = (httpServer.address() as AddressInfo).port;
  const host = options.host ?? 'localhost';
  const displayHost = host === '0.0.0.0' || host === '::' ? 'localhost' : host;
  const url = (options.publicUrl ?? `http://${displayHost}:${port}`).replace(/\/$/, '');
  publicUrl = url;
  selfOrigins = [url, `http://localhost:${port}`, `http://127.0.0.1:${port}`]
    .map((o) => normaliseOrigin(o))
    .filter((o): o is string => o !== null);

  logHost = new URL(url).host;
  for (const site of await store.listSites()) await audit?.ensureLog(site.id);
  // Scripted-reply detection (issue 6): rebuild each site's index from its staff posts before serving.
  for (const site of await store.listSites()) await warmScriptedIndex(ctx, site.id);
  for (const plugin of options.plugins ?? []) {
    await plugin.started?.(ctx, { url });
    log.debug({ plugin: plugin.name }, 'plug-in started');
  }
  const setupUrl = options.firstRunSetup ? await issueSetupLink(ctx) : null;
  // Safety forwards (issue 6): retry pending deliveries to companies' safety teams in the background.
  const safetyDeliveries = startSafetyDeliveries(ctx);
  // Notifications members asked for (issue 13): fanned out and sent after each post, and on a timer.
  const notifications = startNotifications(ctx, {
    intervalMs: options.notifyIntervalMs, inFlight: () => lifecycle.inFlight(), lastActivity: () => lifecycle.lastActivity(),
  });

  let closing: Promise<void> | null = null;
  return {
    url,
    setupUrl,
    port,
    store,
    ctx,
    app,
    close() {
      closing ??= (async () => {
        // Stop accepting connections and new work, tell clients to reconnect, let work under
        // way finish (its acks reach the clients), then disconnect everyone and close the
        // database, which checkpoints and removes the WAL file.
        lifecycle.startDraining();
        const stopped = new Promise<void>((resolve) => httpServer.close(() => resolve()));
        realtime.announceRestart();
        // At least a moment for the announcement to leave before the transports close.
        const [drained] = await Promise.all([lifecycle.drained(10_000), new Promise((resolve) => setTimeout(resolve, 100))]);
        if (!drained) log.warn({ inFlight: lifecycle.inFlight() }, 'shutdown: work still under way after 10 s');
        await realtime.io.close();
        httpServer.closeAllConnections?.();
        await stopped;
        await safetyDeliveries.stop();
        await notifications.stop();
        await audit?.close();
        await store.close();
      })();
      return closing;
    },
  };
}
