#!/usr/bin/env node
// The `parley` command from the TypeScript sources, through tsx's loader (a dev dependency):
// `npm run dev`, and the tests, which must run the code as it is now, never a stale build/.
// Not in the npm package: installs run bin/parley.js, the compiled server.
import { register } from 'tsx/esm/api';
register();
const { main } = await import('../server/cli.ts');
// The demo organisation plugs into the server (the server never imports it); loaded only for --demo.
const demo = async () => (await import('../demo/plugin.ts')).demoPlugin();
const code = await main(process.argv.slice(2), { demo });
if (typeof code === 'number') process.exitCode = code;
