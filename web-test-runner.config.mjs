// Browser tests: headless Chromium against a real Parley server.
// Run them with `npm run test:browser` (test/browser/run.ts starts the server, sets
// PARLEY_BROWSER_TEST and starts this runner). Running `npx wtr` alone works only if
// PARLEY_BROWSER_TEST is set: {"server","site","auditSite","emailSite","elsewhereSite","secret","port"}.
import { esbuildPlugin } from '@web/dev-server-esbuild';
import { chromeLauncher } from '@web/test-runner-chrome';

const env = process.env.PARLEY_BROWSER_TEST ? JSON.parse(process.env.PARLEY_BROWSER_TEST) : null;
const files = process.env.PARLEY_BROWSER_FILES ? process.env.PARLEY_BROWSER_FILES.split(',') : 'test/browser/**/*.test.ts';

export default {
  files,
  // Browser builds of socket.io-client (not its Node `ws` transport), production Lit.
  nodeResolve: { browser: true, exportConditions: ['browser', 'production'] },
  port: env?.port ?? 8765,
  hostname: 'localhost',
  // One page at a time: focus, keyboard and animation frames only behave in the front tab.
  concurrency: 1,
  testsFinishTimeout: 180_000,
  testFramework: { config: { timeout: 40_000 } },
  plugins: [esbuildPlugin({ ts: true, target: 'es2022', tsconfig: './tsconfig.json' })],
  // Tests read the server URL, site and HS256 secret from window.__PARLEY_TEST__.
  testRunnerHtml: (testFramework) => `<!doctype html>
<html lang="en">
  <head><meta charset="utf-8"></head>
  <body>
    <script>window.__PARLEY_TEST__ = ${JSON.stringify(env ? { server: env.server, site: env.site, auditSite: env.auditSite, emailSite: env.emailSite, elsewhereSite: env.elsewhereSite, secret: env.secret } : null)};</script>
    <script type="module" src="${testFramework}"></script>
  </body>
</html>`,
  browsers: [
    chromeLauncher({
      launchOptions: {
        executablePath: process.env.CHROME_PATH || '/usr/bin/chromium',
        headless: true,
        args: [
          '--no-sandbox',
          '--disable-gpu',
          '--disable-dev-shm-usage',
          '--disable-background-networking',
          '--disable-component-update',
          '--no-first-run',
          '--disable-sync',
          '--disable-quic',
          // Test files run in parallel tabs: keep background tabs' timers and frames running.
          '--disable-background-timer-throttling',
          '--disable-renderer-backgrounding',
          '--disable-backgrounding-occluded-windows',
        ],
      },
    }),
  ],
};
