/**
 * Every route an Express 5 app mounts, found by walking its router stack and the sub-routers
 * in it, as `METHOD /openapi/{style}` strings. Catch-alls (`router.all`) are 404 fallbacks,
 * not endpoints, and are left out.
 */
import type express from 'express';

interface Layer {
  rawPath?: unknown;
  route?: { path: unknown; methods: Record<string, boolean> };
  handle?: { stack?: Layer[] };
}

function join(prefix: string, path: string): string {
  const joined = `${prefix}/${path}`.replace(/\/{2,}/g, '/');
  return joined.length > 1 ? joined.replace(/\/$/, '') : joined;
}

/** Express `:param` → OpenAPI `{param}`. */
const openApiPath = (path: string) => path.replace(/:([A-Za-z0-9_]+)/g, '{$1}');

export function mountedRoutes(app: express.Express): string[] {
  const found: string[] = [];
  const walk = (stack: Layer[], prefix: string) => {
    for (const layer of stack) {
      if (layer.route) {
        // `app.get(['/a', '/b'], …)` is one route with several paths.
        const paths = [layer.route.path].flat(Infinity);
        for (const path of paths) {
          if (typeof path !== 'string') throw new Error(`a route with a non-string path (${String(path)}): teach route-walk.ts about it`);
          for (const [method, on] of Object.entries(layer.route.methods)) {
            if (on && method !== '_all') found.push(`${method.toUpperCase()} ${openApiPath(join(prefix, path))}`);
          }
        }
      } else if (layer.handle?.stack) {
        if (typeof layer.rawPath !== 'string') throw new Error(`a sub-router mounted at a non-string path (${String(layer.rawPath)}): teach route-walk.ts about it`);
        walk(layer.handle.stack, join(prefix, layer.rawPath));
      }
    }
  };
  walk((app as unknown as { router: { stack: Layer[] } }).router.stack, '');
  return found;
}
