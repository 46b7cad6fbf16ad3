#!/usr/bin/env node
// The `parley` command. The server is written in TypeScript and run through tsx's loader.
import { register } from 'tsx/esm/api';
register();
const { main } = await import('../server/cli.ts');
const code = await main(process.argv.slice(2));
if (typeof code === 'number') process.exitCode = code;
