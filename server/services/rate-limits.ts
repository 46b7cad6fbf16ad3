/**
 * Rate limits, using rate-limiter-flexible (a well-kept library): in memory on SQLite (one
 * node), and its RateLimiterPostgres on the store's pool when the store is PostgreSQL, so that
 * several nodes count one budget together (points in the rate_limit_points table, migration
 * 002; a member whose posts the balancer spreads over two nodes still gets 10 a minute, not 20).
 * Every limited action is a
 * `kind` with the rules it counts against (per account, per IP, per site), listed once in
 * RULES: a new kind (reports, appeals, sign-in starts) is one entry there plus its settings,
 * and its callers say `await ctx.limits.consume('report', site, accountId, ip)`.
 * A site may override any per-site setting (config file `sites[].rateLimits`).
 * A refusal is ParleyError('rate_limited') with retryAfterSeconds.
 */
import type pg from 'pg';
import { RateLimiterMemory, RateLimiterPostgres, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import { ParleyError } from '../../moderation/errors.js';

export interface RateLimitConfig {
  /** Posts per minute by one account. */
  postsPerAccountPerMinute: number;
  /** Posts per minute from one IP address (several members may share one). */
  postsPerIpPerMinute: number;
  /** Posts per minute on one site, all members together. */
  postsPerSitePerMinute: number;
  /** Socket.IO handshakes per minute from one IP address (server-wide). */
  connectionsPerIpPerMinute: number;
  /** Open Socket.IO connections from one IP address (server-wide; a cap, not a rate). */
  connectionsPerIp: number;
  /** Events one socket may send per second (sustained; bursts of twice that pass). */
  socketEventsPerSecond: number;
  /**
   * Members' email sign-ins (issue 12) asked for per hour: for one address, from one IP, on one
   * site. Counted in the store by the server's clock (services/member-sign-in.ts), not here.
   */
  signInEmailsPerAddressPerHour: number;
  signInEmailsPerIpPerHour: number;
  signInEmailsPerSitePerHour: number;
  /**
   * OpenID Connect sign-ins started per minute from one IP, on one site. Each start keeps a
   * pending flow (state, nonce, PKCE verifier) for ten minutes; the site holds at most
   * LIMITS.oidcPendingFlowsMax, which one address must not fill.
   */
  oidcStartsPerIpPerMinute: number;
  /**
   * Company staff's sign-in links (`POST /staff/email-link`) asked for per hour from one IP, on
   * one site. Each address has its own limit (3 an hour), but any address at a registered
   * company domain is accepted: this keeps one address from mailing the whole domain.
   */
  staffLinksPerIpPerHour: number;
  /**
   * Parley sessions one account may get per hour by exchanging a host token
   * (`POST /session`), on one site. A host token lives up to 12 hours and each exchange
   * stores a session row: this keeps one token holder from growing the database without end.
   */
  sessionsPerAccountPerHour: number;
}

export const DEFAULT_RATE_LIMITS: RateLimitConfig = {
  postsPerAccountPerMinute: 10,
  postsPerIpPerMinute: 60,
  postsPerSitePerMinute: 1200,
  connectionsPerIpPerMinute: 300,
  connectionsPerIp: 50,
  socketEventsPerSecond: 20,
  signInEmailsPerAddressPerHour: 5,
  signInEmailsPerIpPerHour: 20,
  signInEmailsPerSitePerHour: 300,
  oidcStartsPerIpPerMinute: 20,
  staffLinksPerIpPerHour: 20,
  sessionsPerAccountPerHour: 30,
};

/** Settings a site may override; the others are server-wide. */
export type SiteRateLimitConfig = Partial<Pick<RateLimitConfig, 'postsPerAccountPerMinute' | 'postsPerIpPerMinute' | 'postsPerSitePerMinute' | 'signInEmailsPerSitePerHour'>>;

export type LimitScope = 'account' | 'ip' | 'site';
interface Rule {
  scope: LimitScope;
  setting: keyof RateLimitConfig;
  seconds: number;
}

/** What each kind of action counts against. A new kind is one entry here. */
const RULES = {
  post: {
    refusal: 'You are posting too quickly.',
    rules: [
      { scope: 'account', setting: 'postsPerAccountPerMinute', seconds: 60 },
      { scope: 'ip', setting: 'postsPerIpPerMinute', seconds: 60 },
      { scope: 'site', setting: 'postsPerSitePerMinute', seconds: 60 },
    ],
  },
  // Edits count like posts (same settings) in buckets of their own: editing never eats the posting budget.
  edit: {
    refusal: 'You are editing too quickly.',
    rules: [
      { scope: 'account', setting: 'postsPerAccountPerMinute', seconds: 60 },
      { scope: 'ip', setting: 'postsPerIpPerMinute', seconds: 60 },
      { scope: 'site', setting: 'postsPerSitePerMinute', seconds: 60 },
    ],
  },
  connect: {
    refusal: 'Too many connections from your network.',
    rules: [{ scope: 'ip', setting: 'connectionsPerIpPerMinute', seconds: 60 }],
  },
  'oidc-start': {
    refusal: 'Too many sign-ins were started from your network.',
    rules: [{ scope: 'ip', setting: 'oidcStartsPerIpPerMinute', seconds: 60 }],
  },
  'staff-link': {
    refusal: 'Too many sign-in links were asked for from your network.',
    rules: [{ scope: 'ip', setting: 'staffLinksPerIpPerHour', seconds: 3600 }],
  },
  'session-exchange': {
    refusal: 'Too many sign-ins for this account.',
    rules: [{ scope: 'account', setting: 'sessionsPerAccountPerHour', seconds: 3600 }],
  },
} satisfies Record<string, { refusal: string; rules: Rule[] }>;

export type LimitKind = keyof typeof RULES;

export interface RateLimits {
  /**
   * Counts one action of `kind` against each of its rules; throws ParleyError('rate_limited')
   * with retryAfterSeconds when over a limit. `site` is '*' for server-wide kinds.
   */
  consume(kind: LimitKind, site: string, accountId: string | null, ip: string): Promise<void>;
  /** consume('post', ...), kept for existing callers. */
  consumePost(site: string, accountId: string, ip: string): Promise<void>;
  /** The settings in force on a site (its overrides over the server-wide ones). */
  settingsFor(site: string): RateLimitConfig;
  /** Refusals so far (all kinds). */
  refusals(): number;
  /**
   * A limiter of `points` per `seconds` counted where these limits count (shared by all nodes on
   * PostgreSQL), for counters kept outside RULES (the socket guard's strikes, reports). One per
   * `id`: asking again with the same id returns the same limiter.
   */
  counter(id: string, points: number, seconds: number): RateLimiterAbstract;
}

export interface RateLimitOptions {
  /** Per-site overrides, by site id. */
  sites?: Record<string, SiteRateLimitConfig | undefined>;
  /** Called on every refusal (metrics). */
  onRefusal?: (kind: LimitKind, scope: LimitScope) => void;
  /** The store's PostgreSQL pool: count in the database, shared by every node (null: in memory). */
  pool?: pg.Pool | null;
}

/** The table of migration 002 (server/store/postgres/migrations/002_cluster.sql). */
const POINTS_TABLE = 'rate_limit_points';

export function createRateLimits(config: RateLimitConfig = DEFAULT_RATE_LIMITS, options: RateLimitOptions = {}): RateLimits {
  const counters = new Map<string, RateLimiterAbstract>();
  const counter = (id: string, points: number, seconds: number): RateLimiterAbstract => {
    let found = counters.get(id);
    if (!found) {
      found = options.pool
        ? new RateLimiterPostgres({
            storeClient: options.pool,
            storeType: 'pool',
            tableName: POINTS_TABLE,
            // Made by the migration: no node runs DDL at start-up.
            tableCreated: true,
            // Every hour or so, rows that expired an hour ago go (the timer does not hold the process open).
            clearExpiredByTimeout: true,
            keyPrefix: id,
            points,
            duration: seconds,
          })
        : new RateLimiterMemory({ keyPrefix: id, points, duration: seconds });
      counters.set(id, found);
    }
    return found;
  };
  // One limiter per (kind, setting, points): sites sharing a value share a limiter, keyed by site.
  // Keyed by kind too: kinds that share a setting (posts and edits) still count apart.
  const limiter = (kind: LimitKind, rule: Rule, points: number) => counter(`${kind}:${rule.setting}:${points}`, points, rule.seconds);
  const settingsFor = (site: string): RateLimitConfig => ({ ...config, ...options.sites?.[site] });
  let refused = 0;

  async function consume(kind: LimitKind, site: string, accountId: string | null, ip: string): Promise<void> {
    const settings = settingsFor(site);
    for (const rule of RULES[kind].rules as Rule[]) {
      const subject = rule.scope === 'account' ? accountId : rule.scope === 'ip' ? ip || 'unknown' : site;
      if (subject === null) continue;
      try {
        await limiter(kind, rule, settings[rule.setting]).consume(rule.scope === 'site' ? site : `${site}:${subject}`);
      } catch (error) {
        if (!(error instanceof RateLimiterRes)) throw error;
        refused++;
        options.onRefusal?.(kind, rule.scope);
        const seconds = Math.max(1, Math.ceil(error.msBeforeNext / 1000));
        throw new ParleyError('rate_limited', `${RULES[kind].refusal} Try again in ${seconds} seconds.`, {
          retryAfterSeconds: seconds,
        });
      }
    }
  }

  return {
    consume,
    consumePost: (site, accountId, ip) => consume('post', site, accountId, ip),
    settingsFor,
    refusals: () => refused,
    counter,
  };
}
