/**
 * Security review (issue 15): every route the real server mounts has an explicit rule in
 * `ROUTE_RULES` (moderation/permissions.ts), every rule names a mounted route, and each rule that
 * needs a sign-in or a role is enforced: a request without a sign-in is refused with 401, and a
 * plain member is refused with 403 where the role matrix refuses members. So a new route cannot
 * ship unguarded, and a guard that is listed but missing (as on `/admin/identity-events`) fails.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { can, ROUTE_RULES, type RouteRule } from '../../moderation/permissions.js';
import { ROUTES, type RouteAuth } from '../../server/http/api-routes.js';
import { http } from '../support/clients.js';
import { mountedRoutes } from '../support/route-walk.js';
import { startTestServer, type TestServer } from '../support/server.js';

let server: TestServer;
let memberToken: string;

beforeAll(async () => {
  server = await startTestServer();
  memberToken = await server.sign('alpha', { sub: 'routes-member', name: 'Rosa Member' });
});
afterAll(async () => server.close());

/** A concrete URL for a route: the site is alpha, every other parameter a harmless id. */
const urlOf = (path: string) => server.url + path.replace('{site}', 'alpha').replace(/\{[a-z]+\}/gi, 'x-1');

const call = (method: string, path: string, token?: string) =>
  http(urlOf(path), { method, token, ...(['GET', 'DELETE'].includes(method) ? {} : { body: {} }) });

describe('every mounted route has a permission rule', () => {
  it('lists every route of the real app in ROUTE_RULES, and no rule for a route that does not exist', () => {
    // The contract test's walk (test/support/route-walk.ts): Express 5's router stack, sub-routers included.
    const mounted = mountedRoutes(server.app);
    expect(mounted.length).toBeGreaterThan(90);
    expect(new Set(mounted).size, 'a route mounted twice').toBe(mounted.length);
    expect(mounted.filter((r) => !(r in ROUTE_RULES)), 'routes without a rule in moderation/permissions.ts').toEqual([]);
    expect(Object.keys(ROUTE_RULES).filter((r) => !mounted.includes(r)), 'rules for routes that are not mounted').toEqual([]);
  });
});

/** Whether a rule matches what the API description (server/http/api-routes.ts) tells clients about the route. */
const AGREES: Record<RouteAuth, (rule: RouteRule) => boolean> = {
  none: (rule) => 'public' in rule || 'secret' in rule,
  optional: (rule) => 'public' in rule,
  token: (rule) => 'self' in rule || ('action' in rule && can(['member'], rule.action)),
  moderator: (rule) => 'action' in rule && !can(['member'], rule.action) && can(['member', 'moderator'], rule.action),
  admin: (rule) => 'action' in rule && !can(['member', 'moderator'], rule.action) && can(['member', 'admin'], rule.action),
  staff: (rule) => 'action' in rule && can(['member', 'staff'], rule.action) && !can(['member'], rule.action),
  feed: (rule) => 'secret' in rule,
};

describe('the rules and the API description agree', () => {
  it('describes each route with the sign-in its rule asks for', () => {
    const disagreements = ROUTES.map((route) => `${route.method.toUpperCase()} ${route.path}`)
      .map((key, i) => ({ key, auth: ROUTES[i]!.auth ?? 'none', rule: ROUTE_RULES[key] }))
      .filter(({ rule, auth }) => rule && !AGREES[auth](rule))
      .map(({ key, auth, rule }) => `${key}: described as ${auth}, rule ${JSON.stringify(rule)}`);
    expect(disagreements).toEqual([]);
  });
});

describe('each rule that needs a sign-in is enforced', () => {
  for (const [routeKey, rule] of Object.entries(ROUTE_RULES)) {
    const [method, path] = routeKey.split(' ') as [string, string];
    if ('action' in rule || 'self' in rule) {
      it(`${routeKey}: refused without a sign-in`, async () => {
        const response = await call(method, path);
        expect([401, 403], JSON.stringify(response.body)).toContain(response.status);
        expect(['unauthenticated', 'forbidden']).toContain(response.body.error.code);
      });
    }
    if ('action' in rule && !can(['member'], rule.action)) {
      it(`${routeKey}: refused to a member (${rule.action})`, async () => {
        const response = await call(method, path, memberToken);
        expect(response.status, JSON.stringify(response.body)).toBe(403);
        expect(response.body.error.code).toBe('forbidden');
      });
    }
  }
});
