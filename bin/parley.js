#!/usr/bin/env node
// The `parley` command: runs the compiled server in build/ (made by `npm run build`), plain Node,
// no TypeScript at run time. In a checkout, `bin/parley-dev.js` runs the sources through tsx.
import fs from 'node:fs';

const cli = new URL('../build/server/cli.js', import.meta.url);
if (!fs.existsSync(cli)) {
  process.stderr.write('parley: the server is not built; run `npm run build` (or `node bin/parley-dev.js` to run the TypeScript sources)\n');
  process.exit(1);
}
try {
  const { main } = await import(cli.href);
  // The demo organisation plugs into the server (the server never imports it); it is loaded
  // only for `parley serve --demo`.
  const demo = async () => (await import(new URL('../build/demo/plugin.js', import.meta.url).href)).demoPlugin();
  const code = await main(process.argv.slice(2), { demo });
  if (typeof code === 'number') process.exitCode = code;
} catch (error) {
  // npm 11 skips dependencies' install scripts unless package.json allows them, and
  // better-sqlite3 builds (or downloads) its native module in its install script.
  if (/bindings file|better_sqlite3\.node/.test(String(error?.message))) {
    process.stderr.write('parley: better-sqlite3 has no native module; run `npm install-scripts approve better-sqlite3 && npm rebuild better-sqlite3` where parley is installed\n');
    process.exit(1);
  }
  throw error;
}
