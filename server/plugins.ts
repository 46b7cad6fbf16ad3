/**
 * How something outside the server plugs into it without the server importing it. The demo
 * organisation (demo/plugin.ts) is one: `parley serve --demo` loads it and passes it to
 * createServer, and so do the tests that need it. The server calls a plug-in at two moments:
 *
 * - `mount(app, ctx)`: add routes and pages, after the API (`/api/…`) and before the 404 handler;
 * - `started(ctx, {url})`: once the server listens and its URL is known, before createServer
 *   returns (seed data, register the server's own origin).
 */
import type express from 'express';
import type { AppContext } from './services/context.js';
import type { RouteDescription } from './http/api-routes.js';

export interface ServerPlugin {
  /** Named in the log. */
  name: string;
  mount?(app: express.Express, ctx: AppContext): void;
  /** The routes `mount` adds, described for /api/openapi.json like the server's own (server/http/api-routes.ts). */
  routes?: readonly RouteDescription[];
  started?(ctx: AppContext, server: { url: string }): void | Promise<void>;
}
