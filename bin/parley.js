#!/usr/bin/env node
// The `parley` command. The server is written in TypeScript and run through tsx's loader.
import { register } from 'tsx/esm/api';
register();
const { main } = await import('../server/cli.ts');
// The demo organisation plugs into the server (the server never imports it); it is loaded
// only for `parley serve --demo`.
const demo = async () => (await import('../demo/plugin.ts')).demoPlugin();
const code = await main(process.argv.slice(2), { demo });
if (typeof code === 'number') process.exitCode = code;
