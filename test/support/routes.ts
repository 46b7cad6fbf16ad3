/**
 * Every route mounted on a running Parley app, read from Express 5's router stack (sub-routers
 * included, with their mount paths): `GET /api/sites/:site/posts/:id` and so on. Used by the test
 * that proves each route has an explicit permission rule (test/integration/route-permissions.test.ts).
 */
import type express from 'express';

export interface MountedRoute {
  method: string;
  path: string;
}

interface Layer {
  rawPath?: string | RegExp | string[];
  route?: { path: string | string[]; methods: Record<string, boolean> };
  handle: { stack?: Layer[] };
}

export function mountedRoutes(app: express.Express): MountedRoute[] {
  const found: MountedRoute[] = [];
  const walk = (stack: Layer[], prefix: string) => {
    for (const layer of stack) {
      if (layer.route) {
        for (const path of [layer.route.path].flat()) {
          for (const [method, on] of Object.entries(layer.route.methods)) {
            // `router.all(...)` answers every method: it is listed once, as ALL.
            if (on) found.push({ method: method === '_all' ? 'ALL' : method.toUpperCase(), path: join(prefix, path) });
          }
        }
      } else if (layer.handle?.stack) {
        const mount = layer.rawPath;
        if (typeof mount !== 'string') throw new Error(`a router mounted at a non-string path (${String(mount)}): the walk cannot name its routes`);
        walk(layer.handle.stack, join(prefix, mount));
      }
    }
  };
  walk((app as unknown as { router: { stack: Layer[] } }).router.stack, '');
  return found;
}

function join(prefix: string, path: string): string {
  const base = prefix.replace(/\/$/, '');
  if (path === '/' || path === '') return base || '/';
  return `${base}${path}`;
}
