/**
 * Site administration from the command line: the operator's path to everything a site
 * admin can do over the admin API (the same services, acting as 'cli'). Opens the
 * database in the data directory; safe while the server runs (SQLite WAL).
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import pino from 'pino';
import { ParleyError } from '../moderation/errors.js';
import { parseWith, SiteIdSchema } from '../moderation/schemas.js';
import { MerkleAuditLog } from './audit/merkle-audit-log.js';
import { createMailer } from './mail/mailer.js';
import { cliActor } from './services/actor.js';
import { grantRole, revokeRole, upsertCompany } from './services/admin.js';
import { setSignInMethods, signInMethods } from './services/sign-in-methods.js';
import { randomId, type AppContext } from './services/context.js';
import { createRateLimits } from './services/rate-limits.js';
import { revokeStaff, verifyProfessional, verifyStaff } from './services/staff.js';
import { createFeedToken, getSafetyContact, revokeFeedToken, setSafetyContact } from './services/safety-admin.js';
import { clearOidcSettings, getOidcSettings, setOidcSettings } from './services/oidc-settings.js';
import { openSqliteStore, sqliteDatabaseOf } from './store/sqlite/sqlite-store.js';
import { importOptions, importSite } from './services/site-import.js';
import { exportSite } from './services/site-export.js';
import { IMPORT_CLI_MAX_BYTES } from '../moderation/import-export.js';

export const ADMIN_HELP = `  parley site add <id> --name NAME --origin URL [--origin URL ...] [--secret S | --generate-secret] [--public-key-file PEM]
  parley site list
  parley site oidc <site> --issuer URL --client-id ID --name NAME [--client-secret-file FILE] [--scope S ...] [--staff-claim CLAIM]
      (no options: show it, without the secret; --clear: remove it; omitting the secret file keeps the stored secret)
  parley site sign-in <site> [--method email|oidc|host-token ...]   (no --method: show the methods in force)
  parley users <site> [--name PART]
  parley role grant|revoke <site> <userId> moderator|admin
  parley company set <site> <company.json>
  parley company safety-contact <site> <companyId> [--country CC] [--product NAME] [--email ADDRESS] [--webhook URL]
      (neither address: show that scope's contact; --clear: remove it; no --country/--product: the company default)
  parley company feed-token <site> <companyId> [--revoke]
  parley staff verify <site> <userId> <companyId> <job title>
  parley staff revoke <site> <userId> [--reason TEXT]
  parley professional verify <site> <userId> <profession>
  parley import <site> disqus|wordpress|parley <file> [--dry-run]
      (Disqus XML, WordPress WXR or a Parley export; --dry-run reports what it would do, writes nothing)
  parley export <site> [--out FILE]   (the whole site as JSON, without emails or secrets; default: stdout)
      Administer sites from the server's command line (all take --data-dir DIR).`;

function openContext(dataDir: string): AppContext {
  const store = openSqliteStore({ file: path.join(dataDir, 'parley.db') });
  const log = pino({ level: 'warn' });
  return {
    store, log, now: () => new Date(), newId: randomId, selfOrigins: () => [],
    publicUrl: () => process.env.PARLEY_PUBLIC_URL ?? '',
    limits: createRateLimits(), mailer: createMailer(store, log, {}), audit: new MerkleAuditLog({
      db: store.database, timers: false,
      originHost: () => (process.env.PARLEY_PUBLIC_URL ? new URL(process.env.PARLEY_PUBLIC_URL).host : 'localhost'),
    }),
    broadcast: { postCreated() {}, postUpdated() {}, topicUpdated() {}, sessionEnded() {}, deskUpdated() {} },
  };
}

async function siteOf(ctx: AppContext, id: string | undefined) {
  const site = id ? await ctx.store.getSite(id) : null;
  if (!site) throw new ParleyError('not_found', `No site "${id ?? ''}". See: parley site list`);
  return site;
}

const out = (value: unknown) => process.stdout.write(`${typeof value === 'string' ? value : JSON.stringify(value, null, 2)}\n`);

export async function adminCommand(command: string, argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: {
      'data-dir': { type: 'string' },
      name: { type: 'string' },
      origin: { type: 'string', multiple: true },
      secret: { type: 'string' },
      'generate-secret': { type: 'boolean' },
      'public-key-file': { type: 'string' },
      reason: { type: 'string' },
      email: { type: 'string' },
      webhook: { type: 'string' },
      country: { type: 'string' },
      product: { type: 'string' },
      clear: { type: 'boolean' },
      revoke: { type: 'boolean' },
      issuer: { type: 'string' },
      'client-id': { type: 'string' },
      'client-secret-file': { type: 'string' },
      scope: { type: 'string', multiple: true },
      'staff-claim': { type: 'string' },
      method: { type: 'string', multiple: true },
      'dry-run': { type: 'boolean' },
      out: { type: 'string' },
    },
  });
  const dataDir = path.resolve(values['data-dir'] ?? process.env.PARLEY_DATA_DIR ?? 'data');
  const ctx = openContext(dataDir);
  try {
    const [verb, ...args] = positionals;
    switch (['users', 'import', 'export'].includes(command) ? command : `${command} ${verb ?? ''}`.trim()) {
      case 'site add': {
        const id = parseWith(SiteIdSchema, args[0]);
        if (!id.ok) throw new ParleyError('validation_failed', `site id: ${id.message}`);
        if (!values.name) throw new ParleyError('validation_failed', '--name is required');
        const secret = values['generate-secret'] ? randomBytes(32).toString('base64url') : (values.secret ?? null);
        if (secret !== null && secret.length < 32) throw new ParleyError('validation_failed', 'a site secret needs at least 32 characters');
        const existing = await ctx.store.getSite(id.value);
        await ctx.store.upsertSite({
          id: id.value, name: values.name, origins: values.origin ?? [], secret,
          publicKeys: values['public-key-file'] ? [fs.readFileSync(values['public-key-file'], 'utf8')] : (existing?.publicKeys ?? []),
          rulesUrl: existing?.rulesUrl ?? null, demo: existing?.demo ?? false, createdAt: existing?.createdAt ?? new Date().toISOString(),
        });
        out(`site ${id.value} saved${values['generate-secret'] ? `; its HS256 secret (give it to the host's sign-in, keep it private):\n${secret}` : ''}`);
        return 0;
      }
      case 'site list':
        out((await ctx.store.listSites()).map((s) => ({ id: s.id, name: s.name, origins: s.origins, demo: s.demo })));
        return 0;
      case 'site oidc': {
        // The site's OpenID provider (issue 12); the same service as PUT /api/sites/{site}/admin/oidc.
        const site = await siteOf(ctx, args[0]);
        if (values.clear) out(await clearOidcSettings(ctx, cliActor(site)));
        else if (values.issuer === undefined && values['client-id'] === undefined && values.name === undefined) out(await getOidcSettings(ctx, cliActor(site)));
        else {
          // The secret comes from a file, so it stays out of the shell's history and the process list.
          const secretFile = values['client-secret-file'];
          out((await setOidcSettings(ctx, cliActor(site), {
            issuer: values.issuer, clientId: values['client-id'], name: values.name,
            ...(secretFile ? { clientSecret: fs.readFileSync(secretFile, 'utf8').trim() } : {}),
            ...(values.scope ? { scopes: values.scope } : {}),
            ...(values['staff-claim'] ? { staffClaim: values['staff-claim'] } : {}),
          })).oidc);
        }
        return 0;
      }
      case 'site sign-in': {
        // How members sign in (issue 12); the same service as PUT /admin/sign-in.
        const site = await siteOf(ctx, args[0]);
        out(values.method ? await setSignInMethods(ctx, cliActor(site), { methods: values.method }) : { methods: await signInMethods(ctx, site) });
        return 0;
      }
      case 'users': {
        const site = await siteOf(ctx, verb);
        out(await ctx.store.findUsers(site.id, values.name ?? '', 200));
        return 0;
      }
      case 'role grant':
      case 'role revoke': {
        const site = await siteOf(ctx, args[0]);
        const change = verb === 'grant' ? grantRole : revokeRole;
        out(await change(ctx, cliActor(site), { userId: args[1], role: args[2] }));
        return 0;
      }
      case 'company set': {
        const site = await siteOf(ctx, args[0]);
        if (!args[1]) throw new ParleyError('validation_failed', 'give the path of a company JSON file');
        out(await upsertCompany(ctx, cliActor(site), JSON.parse(fs.readFileSync(args[1], 'utf8'))));
        return 0;
      }
      case 'company safety-contact': {
        // Pharmacovigilance contact for possible adverse events (issue 6); the same service as the admin API.
        // Per country and/or product since issue 15 (P-4).
        const site = await siteOf(ctx, args[0]);
        const scope = { country: values.country ?? null, product: values.product ?? null };
        if (values.clear) out(await setSafetyContact(ctx, cliActor(site), args[1], { pvEmail: null, pvWebhookUrl: null, ...scope }));
        else if (values.email === undefined && values.webhook === undefined) {
          out(await getSafetyContact(ctx, cliActor(site), args[1], { ...(values.country ? { country: values.country } : {}), ...(values.product ? { product: values.product } : {}) }));
        } else out(await setSafetyContact(ctx, cliActor(site), args[1], { pvEmail: values.email ?? null, pvWebhookUrl: values.webhook ?? null, ...scope }));
        return 0;
      }
      case 'company feed-token': {
        const site = await siteOf(ctx, args[0]);
        out(values.revoke ? await revokeFeedToken(ctx, cliActor(site), args[1]) : await createFeedToken(ctx, cliActor(site), args[1]));
        return 0;
      }
      case 'staff verify': {
        const site = await siteOf(ctx, args[0]);
        out(await verifyStaff(ctx, cliActor(site), { userId: args[1], company: args[2], jobTitle: args.slice(3).join(' ') }));
        return 0;
      }
      case 'staff revoke': {
        const site = await siteOf(ctx, args[0]);
        out(await revokeStaff(ctx, cliActor(site), { userId: args[1], reason: values.reason ?? '' }));
        return 0;
      }
      case 'professional verify': {
        const site = await siteOf(ctx, args[0]);
        out(await verifyProfessional(ctx, cliActor(site), { userId: args[1], profession: args.slice(2).join(' ') }));
        return 0;
      }
      case 'import': {
        // Issue 15: the same service as POST /admin/import (one transaction, one audit entry).
        const site = await siteOf(ctx, verb);
        const [format, file] = args;
        const options = importOptions({ format, dryRun: values['dry-run'] ? 'true' : 'false' });
        if (!file) throw new ParleyError('validation_failed', 'give the path of the file to import');
        const size = fs.statSync(file).size;
        // On the server itself the limit is the machine's memory, not a request's: a big site's own export passes 20 MB.
        if (size > IMPORT_CLI_MAX_BYTES) throw new ParleyError('payload_too_large', `An import file may be at most ${IMPORT_CLI_MAX_BYTES / 1024 / 1024} MB.`);
        out(await importSite(ctx, cliActor(site), { ...options, bytes: fs.readFileSync(file), maxBytes: IMPORT_CLI_MAX_BYTES }));
        return 0;
      }
      case 'export': {
        const site = await siteOf(ctx, verb);
        const json = `${JSON.stringify(await exportSite(ctx, cliActor(site)), null, 2)}\n`;
        if (values.out) {
          fs.writeFileSync(values.out, json, { mode: 0o600 });
          out(`site ${site.id} exported to ${values.out}`);
        } else process.stdout.write(json);
        return 0;
      }
      default:
        process.stderr.write(`parley: unknown admin command "${command} ${verb ?? ''}"\n${ADMIN_HELP}\n`);
        return 2;
    }
  } catch (error) {
    const message = error instanceof ParleyError ? `${error.code}: ${error.message}` : String((error as Error).message ?? error);
    process.stderr.write(`parley: ${message}\n`);
    return 1;
  } finally {
    await ctx.store.close();
  }
}
