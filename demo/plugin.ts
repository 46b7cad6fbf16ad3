/**
 * The demo organisation as a plug-in of the server (server/plugins.ts): its pages (demo/site),
 * its API (/demo/api: personas, one-click sign-in, outbox; demo/routes.ts), its discussion pages
 * with each topic's HTML rendition included (demo/pages.ts), and its seed on
 * first start (demo/seed.ts). `parley serve --demo` plugs it in (bin/parley.js), as do tests:
 * `createServer({ plugins: [demoPlugin()] })`. The server never imports anything from demo/.
 */
import path from 'node:path';
import express from 'express';
import { packageRoot } from '../server/package-root.js';
import type { ServerPlugin } from '../server/plugins.js';
import { DEMO_ROUTES, demoRouter } from './routes.js';
import { demoPages } from './pages.js';
import { seedDemo } from './seed.js';

// From the package root, not from this file: compiled, this file is in build/demo/, the pages stay in demo/site/.
const SITE_DIR = path.join(packageRoot(), 'demo', 'site');

export function demoPlugin(): ServerPlugin {
  return {
    name: 'demo',
    routes: DEMO_ROUTES,
    mount(app, ctx) {
      app.use('/demo/api', demoRouter(ctx));
      // Discussion pages with the topic's HTML rendition included, as a host's server would.
      app.use(demoPages(ctx, SITE_DIR));
      app.use(express.static(SITE_DIR, { extensions: ['html'] }));
    },
    async started(ctx, { url }) {
      await seedDemo(ctx, { serverUrl: url });
    },
  };
}
