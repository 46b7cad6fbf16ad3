#!/usr/bin/env node
// The `parley` command: runs the compiled server in build/ (made by `npm run build`), plain Node,
// no TypeScript at run time. In a checkout, `bin/parley-dev.js` runs the sources through tsx.
import fs from 'node:fs';

const cli = new URL('../build/server/cli.js', import.meta.url);
if (!fs.existsSync(cli)) {
  process.stderr.write('parley: the server is not built; run `npm run build` (or `node bin/parley-dev.js` to run the TypeScript sources)\n');
  process.exit(1);
}
const { main } = await import(cli.href);
const code = await main(process.argv.slice(2));
if (typeof code === 'number') process.exitCode = code;
