/**
 * Prometheus metrics at `GET /metrics` (prom-client, the de-facto Node client: text format,
 * histograms and default process metrics done right). One registry per server, so several
 * servers in one process (tests, benchmarks) never mix their numbers.
 *
 * What is measured:
 * - `parley_socket_connections`         open Socket.IO connections (gauge)
 * - `parley_posts_created_total{site}`   posts committed (replays of an idempotency key are not counted)
 * - `parley_broadcast_seconds`           from a post's commit to its emit to the topic's room
 * - `parley_rate_limit_refusals_total{kind,scope}` refused posts, handshakes, socket events
 * - `parley_moderation_actions_total{site,action}` via countModerationAction(ctx, site, action)
 * - `parley_http_request_duration_seconds{method,route,status}` route patterns, never raw paths
 * - the default process metrics (CPU, memory, event-loop lag, GC)
 *
 * The endpoint is unauthenticated, like /healthz: keep it off the public internet at the proxy.
 */
import type { RequestHandler } from 'express';
import { performance } from 'node:perf_hooks';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { Post } from '../../moderation/types.js';
import type { AppContext } from '../services/context.js';

export interface Metrics {
  registry: Registry;
  /** Express middleware: times every request. Mount it first. */
  httpTimer: RequestHandler;
  /** Express handler for GET /metrics. */
  endpoint: RequestHandler;
  /** Reports the open socket count at every scrape. */
  countSocketsWith(count: () => number): void;
  rateLimitRefused(kind: string, scope: string): void;
  moderationAction(site: string, action: string): void;
}

const byContext = new WeakMap<AppContext, Metrics>();

/**
 * Counts one moderation action (removal, label, lock, suspension…) on a site. Moderation
 * services call this after their transaction commits; a no-op when metrics are not wired.
 */
export function countModerationAction(ctx: AppContext, site: string, action: string): void {
  byContext.get(ctx)?.moderationAction(site, action);
}

/** The metrics of a server's context, if any (for code that only has ctx). */
export function metricsOf(ctx: AppContext): Metrics | undefined {
  return byContext.get(ctx);
}

const HTTP_METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);

/** A bounded label for a request: the matched route pattern, with mount points generalised. */
function routeLabel(req: Parameters<RequestHandler>[0]): string {
  const pattern = (req.route as { path?: unknown } | undefined)?.path;
  if (typeof pattern !== 'string') return req.path.startsWith('/assets/') ? '/assets' : 'unmatched';
  const url = req.originalUrl;
  if (url.startsWith('/api/sites/')) return `/api/sites/:site${pattern === '/' ? '' : pattern}`;
  const mount = /^\/[a-z]+\/api\//.exec(url)?.[0];
  if (mount) return `${mount.slice(0, -1)}${pattern}`;
  return pattern;
}

export function createMetrics(ctx: AppContext): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });

  let countSockets: () => number = () => 0;
  new Gauge({
    name: 'parley_socket_connections',
    help: 'Open Socket.IO connections.',
    registers: [registry],
    collect() {
      this.set(countSockets());
    },
  });
  const postsCreated = new Counter({
    name: 'parley_posts_created_total',
    help: 'Posts committed, by site.',
    labelNames: ['site'] as const,
    registers: [registry],
  });
  const broadcast = new Histogram({
    name: 'parley_broadcast_seconds',
    help: 'Time from a post’s commit to its emit to the topic room.',
    buckets: [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25],
    registers: [registry],
  });
  const refusals = new Counter({
    name: 'parley_rate_limit_refusals_total',
    help: 'Actions refused by a rate limit or cap, by kind (post, connect, connections, socket_events) and scope.',
    labelNames: ['kind', 'scope'] as const,
    registers: [registry],
  });
  const moderation = new Counter({
    name: 'parley_moderation_actions_total',
    help: 'Moderation actions taken, by site and action.',
    labelNames: ['site', 'action'] as const,
    registers: [registry],
  });
  const http = new Histogram({
    name: 'parley_http_request_duration_seconds',
    help: 'HTTP request durations, by method, route pattern and status.',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [registry],
  });

  // Commit → emit: the store stamps each created post, the broadcaster reads the stamp.
  // Both calls happen in the same run of createPost, so the map stays tiny.
  const committedAt = new Map<string, number>();
  const createPost = ctx.store.createPost.bind(ctx.store);
  ctx.store.createPost = async (input) => {
    const outcome = await createPost(input);
    if (outcome.kind === 'created') {
      committedAt.set(outcome.post.id, performance.now());
      postsCreated.inc({ site: outcome.post.site });
    }
    return outcome;
  };
  const postCreated = ctx.broadcast.postCreated;
  ctx.broadcast.postCreated = (post: Post, exceptSocket?: string) => {
    postCreated(post, exceptSocket);
    const at = committedAt.get(post.id);
    if (at !== undefined) {
      committedAt.delete(post.id);
      broadcast.observe((performance.now() - at) / 1000);
    }
  };

  const metrics: Metrics = {
    registry,
    httpTimer(req, res, next) {
      const start = performance.now();
      res.once('finish', () => {
        http.observe(
          { method: HTTP_METHODS.has(req.method) ? req.method : 'OTHER', route: routeLabel(req), status: String(res.statusCode) },
          (performance.now() - start) / 1000,
        );
      });
      next();
    },
    endpoint(_req, res, next) {
      registry
        .metrics()
        .then((text) => {
          res.setHeader('Content-Type', registry.contentType);
          res.setHeader('Cache-Control', 'no-store');
          res.end(text);
        })
        .catch(next);
    },
    countSocketsWith(count) {
      countSockets = count;
    },
    rateLimitRefused(kind, scope) {
      refusals.inc({ kind, scope });
    },
    moderationAction(site, action) {
      moderation.inc({ site, action });
    },
  };
  byContext.set(ctx, metrics);
  return metrics;
}
