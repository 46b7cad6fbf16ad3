/**
 * The `parley` command: `parley serve` runs the server; admin, verification and backup
 * commands hang off the same entry point as they arrive. The entry point (bin/parley.js) says
 * where the demo comes from: the server imports nothing of demo/, it only takes its plug-in.
 */
import { redactDatabaseUrl } from './store/postgres/database-url.js';
import { parseArgs } from 'node:util';
import path from 'node:path';
import pino from 'pino';
import { createServer } from './app.js';
import type { ServerPlugin } from './plugins.js';
import { loadConfig } from './config.js';
import { adminCommand, ADMIN_HELP } from './cli-admin.js';
import { backupCommand } from './ops/backup.js';
import { dbCommand, DB_HELP } from './ops/db-copy.js';
import { logCommand, verifyCommand, VERIFY_HELP } from './ops/verify-cli.js';

const HELP = `parley — a transparently moderated discussion widget for patient organisations

Usage:
  parley serve [--demo] [--port N] [--host H] [--data-dir DIR]
      Start the server. --demo also serves the demo organisation's site, seeds it on
      first start, and enables the demo-only one-click sign-in. Without --demo, a data
      folder with no site gets a one-time setup link (24 hours) to set Parley up in a browser.
  parley backup <file> [--data-dir DIR] [--force]
      Copy the database to <file> while the server keeps running (SQLite's online
      backup). Restore: stop the server, copy the file to <data dir>/parley.db, delete
      parley.db-wal and parley.db-shm beside it, start the server. SQLite only: on
      PostgreSQL (PARLEY_DATABASE_URL) it refuses; back up with pg_dump.
${DB_HELP}
${ADMIN_HELP}
${VERIFY_HELP}
  parley --help
      Show this help.

Environment:
  PORT                 port to listen on (default 3000; 0 picks a free one)
  HOST                 interface to bind (default localhost)
  PARLEY_DATA_DIR      folder for the SQLite database (default ./data)
  PARLEY_DATABASE_URL  postgres://user:password@host:port/database to run on PostgreSQL instead
  PARLEY_PUBLIC_URL    URL browsers use to reach this server, if behind a proxy
  PARLEY_CONFIG        path of a JSON config file (sites, rate limits; see README)
  LOG_LEVEL            fatal|error|warn|info|debug|trace|silent (default info)
  PARLEY_SMTP_URL      smtp(s)://user:pass@host:port for outgoing mail (default: keep mail in the outbox)
  PARLEY_MAIL_FROM     sender of Parley's mail, e.g. "Meadowbrook <forum@meadowbrook.example>"
`;

/** What the entry point can plug in, loaded only when asked for (`serve --demo`). */
export interface CliPlugins {
  demo?: () => Promise<ServerPlugin>;
}

export async function main(argv: string[], plugins: CliPlugins = {}): Promise<number | void> {
  const [command, ...rest] = argv;
  if (!command || command === '--help' || command === '-h' || command === 'help') {
    process.stdout.write(HELP);
    return 0;
  }
  if (command === 'serve') return serve(rest, plugins);
  if (['site', 'users', 'role', 'company', 'staff', 'professional', 'import', 'export'].includes(command)) return adminCommand(command, rest);
  if (command === 'backup') return backupCommand(rest);
  if (command === 'db') return dbCommand(rest);
  if (command === 'verify' || command === 'log') return command === 'verify' ? verifyCommand(rest) : logCommand(rest);
  process.stderr.write(`parley: unknown command "${command}"\n\n${HELP}`);
  return 2;
}

async function serve(args: string[], plugins: CliPlugins): Promise<number | void> {
  const { values } = parseArgs({
    args,
    options: {
      demo: { type: 'boolean', default: false },
      port: { type: 'string' },
      host: { type: 'string' },
      'data-dir': { type: 'string' },
    },
    strict: true,
  });
  const config = loadConfig(process.env, { demo: values.demo ?? false });
  if (values.port !== undefined) config.port = Number(values.port);
  if (values.host) config.host = values.host;
  if (values['data-dir']) config.dataDir = path.resolve(values['data-dir']);

  if (config.demo && !plugins.demo) {
    process.stderr.write('parley: this installation has no demo (start it from the repository or a package that includes demo/).\n');
    return 2;
  }
  const logger = pino({ level: config.logLevel });
  const server = await createServer({
    dataDir: config.dataDir,
    databaseUrl: config.databaseUrl,
    port: config.port,
    host: config.host,
    publicUrl: config.publicUrl,
    trustProxy: config.trustProxy,
    plugins: config.demo && plugins.demo ? [await plugins.demo()] : [],
    sites: config.sites,
    logger,
    rateLimits: config.rateLimits,
    smtpUrl: config.smtpUrl,
    mailFrom: config.mailFrom ?? undefined,
    // First run (issue 15): an empty data folder gets a one-time setup link; the demo seeds its own site.
    firstRunSetup: !config.demo,
  });
  logger.info({ url: server.url, dataDir: config.dataDir }, 'parley is listening');
  process.stdout.write(`\n  Parley is running at ${server.url}/\n`);
  if (config.demo) process.stdout.write(`  Open ${server.url}/ for the demo patient organisation's site.\n`);
  if (server.setupUrl) {
    process.stdout.write(`  No site yet. Set Parley up in your browser (the link works once, for 24 hours):\n  ${server.setupUrl}\n`);
  }
  const data = config.databaseUrl ? `PostgreSQL ${redactDatabaseUrl(config.databaseUrl)}` : path.join(config.dataDir, 'parley.db');
  process.stdout.write(`  Data: ${data}   Stop with Ctrl+C.\n\n`);

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    await server.close();
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
}
