/**
 * `parley verify`: checks a site's public audit log, from its URL or from the database (a SQLite
 * file or a PostgreSQL URL; there it also checks every sensitive value kept beside the tree
 * against its commitment), and `parley log`: the operator's log commands (key rotation, witnesses, redaction, signing).
 *
 *   parley verify https://talk.example.org --site demo --key 'talk.example.org/parley/demo+1a2b3c4d+AX…'
 *   parley verify data/parley.db --site demo --state demo.state.json
 *   parley verify postgres://parley@db.internal/parley --site demo
 *   parley verify https://talk.example.org --site demo --state w.json --cosign-key witness.key   (witness mode)
 *
 * The verification itself is moderation/log/audit-verifier.ts (the same code runs in browsers).
 */
import fs from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import {
  MerkleTree,
  addCosignature,
  bytesEqual,
  consistencyProof,
  formatSignerKey,
  formatVerifierKey,
  generateCosignerKey,
  hashLeafValue,
  inclusionProof,
  parseSignerKey,
  toHex,
  verifierKeyOf,
  verifyCheckpoint,
  verifyCommitment,
  SIG_TYPE_COSIGNATURE_V1,
  httpLogSource,
  verifyAuditLog,
  type AuditLogSource,
  type AuditVerification,
  type KeyInfo,
  type LogEntryRecord,
} from '../../moderation/log/index.js';
import { MerkleAuditLog } from '../audit/merkle-audit-log.js';
import { openSqliteStore } from '../store/sqlite/sqlite-store.js';
import { openPostgresStore } from '../store/postgres/postgres-store.js';
import { isPostgresUrl } from '../store/postgres/database-url.js';
import { openSnapshot, withStoredNodes, type SnapshotReader } from './snapshot-reader.js';

export const VERIFY_HELP = `  parley verify <url | database file | postgres://…> [--site S] [--key VERIFIER_KEY] [--state FILE] [--cosign-key FILE] [--json]
      Verify a site's public audit log: checkpoint signature, every entry, the root, and (with
      --state, which remembers the last checkpoint) that the log only grew. Names the first bad
      entry. On a database it also checks the stored checkpoints and every kept sensitive value
      against its commitment. --cosign-key makes you a witness: after a successful check, cosign and send it.
  parley verify --new-witness-key FILE --name NAME
      Create a witness key (keep FILE secret) and print its verifier key for the site to register.
  parley log rotate-key|sign|witness-add|witness-remove|redact <site> [...] [--data-dir DIR]
      Operator commands: rotate-key [--reason R]; sign; witness-add <verifier key>;
      witness-remove <name>; redact <index> <field> --reason privacy|erasure-request|legal.`;

interface StateFile {
  version: 1;
  site: string;
  verifierKey: string;
  checkpoint: string;
  checkedAt: string;
}

/**
 * A log read straight from a Parley database (a SQLite file or a PostgreSQL URL), read-only and
 * from one snapshot (./snapshot-reader.ts), so a server appending meanwhile changes nothing seen.
 */
export function databaseLogSource(db: SnapshotReader, site: string): { source: AuditLogSource; history(): Promise<string[]> } {
  const source: AuditLogSource = {
    async checkpoint() {
      const row = await db.get<{ note: string }>('SELECT note FROM audit_checkpoints WHERE site = ? ORDER BY id DESC LIMIT 1', [site]);
      if (!row) throw new Error(`no checkpoint for site "${site}" in ${db.name}`);
      return row.note;
    },
    async entries(start, end) {
      return (await db.all<{ idx: number; leaf: string; leaf_hash: Buffer }>(
        'SELECT idx, leaf, leaf_hash FROM audit_entries WHERE site = ? AND idx >= ? AND idx < ? ORDER BY idx', [site, start, end]))
        .map((r): LogEntryRecord => {
          let leaf: unknown;
          try {
            leaf = JSON.parse(r.leaf);
          } catch {
            leaf = { unreadable: r.leaf };
          }
          return { index: r.idx, leaf, leafHash: toHex(new Uint8Array(r.leaf_hash)) };
        });
    },
    async consistencyProof(from, to) {
      return (await withStoredNodes(db, site, (src) => consistencyProof(src, from, to))).map(toHex);
    },
    async inclusionProof(index, size) {
      return (await withStoredNodes(db, site, (src) => inclusionProof(src, index, size))).map(toHex);
    },
    async keys() {
      const origin = (await db.get<{ origin: string }>('SELECT origin FROM audit_logs WHERE site = ?', [site]))?.origin ?? null;
      const keys = (await db.all<{ verifier_key: string; from_size: number; handover: string | null }>(
        'SELECT verifier_key, from_size, handover FROM audit_keys WHERE site = ? ORDER BY from_size, created_at', [site]))
        .map((r): KeyInfo => ({ verifierKey: r.verifier_key, fromSize: r.from_size, handover: r.handover }));
      return { origin, keys };
    },
  };
  return {
    source,
    history: async () => (await db.all<{ note: string }>('SELECT note FROM audit_checkpoints WHERE site = ? ORDER BY id', [site])).map((r) => r.note),
  };
}

/** Sensitive values read per query while checking them (a page of entries). */
const SENSITIVE_PAGE = 1000;

/**
 * Every value kept beside the tree (audit_sensitive: a removed post's text, a user id, …) must
 * open its entry's commitment with its salt: an edited value, an edited salt, or a value for a
 * field the entry never committed to fails, naming the entry and the field. An erased value
 * (a redaction deletes value and salt) is simply absent, and fine. Run after the log verified,
 * so the leaves' commitments themselves are the signed ones.
 */
export async function checkSensitiveValues(result: AuditVerification, db: SnapshotReader, site: string): Promise<AuditVerification> {
  if (!result.ok) return result;
  const commitments = new Map<number, Record<string, string>>();
  for (const e of result.entries) {
    const c = (e.leaf as { commitments?: unknown } | null)?.commitments;
    commitments.set(e.index, c && typeof c === 'object' ? (c as Record<string, string>) : {});
  }
  let checked = 0;
  const size = result.treeSize ?? 0;
  for (let start = 0; start < size; start += SENSITIVE_PAGE) {
    const rows = await db.all<{ idx: number; field: string; value: string; salt: Buffer }>(
      'SELECT idx, field, value, salt FROM audit_sensitive WHERE site = ? AND idx >= ? AND idx < ? ORDER BY idx, field',
      [site, start, Math.min(size, start + SENSITIVE_PAGE)],
    );
    for (const r of rows) {
      const committed = commitments.get(r.idx);
      const commitment = committed && Object.hasOwn(committed, r.field) ? committed[r.field] : undefined;
      const bad = commitment === undefined
        ? `Entry ${r.idx}: a stored value for "${r.field}" has no commitment in the entry.`
        : !verifyCommitment(r.value, new Uint8Array(r.salt), commitment)
          ? `Entry ${r.idx}: the stored value of "${r.field}" does not match the entry's commitment: it was changed after it was logged.`
          : null;
      if (bad) {
        return {
          ...result, ok: false, problem: 'sensitive', firstBadEntry: r.idx, message: bad,
          checks: [...result.checks, { name: 'sensitive-values', ok: false, message: bad }],
        };
      }
      checked++;
    }
  }
  // Values stored for entries past the signed size are checked when a checkpoint covers them.
  return {
    ...result,
    checks: [...result.checks, { name: 'sensitive-values', ok: true, message: `All ${checked} stored sensitive values match their commitments.` }],
  };
}

/**
 * Every checkpoint the database remembers must describe a prefix of the entries: a later,
 * smaller log means entries were deleted; another root at the same size means a rewrite.
 */
export function checkHistory(result: AuditVerification, history: readonly string[], trustedKeys: readonly string[]): AuditVerification {
  if (!result.ok) return result;
  const tree = MerkleTree.fromLeafHashes(result.entries.map((e) => hashLeafValue(e.leaf)));
  for (const note of history) {
    const v = trustedKeys.map((k) => verifyCheckpoint(note, k)).find((r) => r.ok);
    if (!v || !v.ok) continue;
    const m = v.checkpoint.treeSize;
    if (m > tree.size) {
      return { ...result, ok: false, problem: 'shrank', firstBadEntry: tree.size, message: `The log shrank: a checkpoint of ${m} entries was signed, only ${tree.size} remain.` };
    }
    if (!bytesEqual(tree.root(m), v.checkpoint.rootHash)) {
      return { ...result, ok: false, problem: 'fork', message: `The first ${m} entries no longer match a checkpoint signed earlier: the history was rewritten.` };
    }
  }
  return { ...result, checks: [...result.checks, { name: 'previous-root', ok: true, message: `All ${history.length} stored checkpoints agree with the entries.` }] };
}

export interface VerifyCommandOptions {
  target: string;
  site?: string;
  key?: string;
  state?: string;
  cosignKey?: string;
  now?: () => Date;
  fetch?: typeof fetch;
}

export interface VerifyCommandResult {
  result: AuditVerification;
  /** Cosignature sent as a witness, if any. */
  cosigned?: { status: number };
}

type Target = { kind: 'url'; server: string; site: string } | { kind: 'database'; database: string; site?: string };

function targetOf(target: string, site?: string): Target {
  if (/^https?:\/\//i.test(target)) {
    const url = new URL(target);
    const m = /\/api\/sites\/([^/]+)/.exec(url.pathname);
    const s = site ?? (m ? decodeURIComponent(m[1]!) : undefined);
    if (!s) throw new Error('Name the site: --site <id>');
    const server = m ? `${url.origin}${url.pathname.slice(0, m.index)}` : target.replace(/\/+$/, '');
    return { kind: 'url', server, site: s };
  }
  return { kind: 'database', database: target, site };
}

/** The site to check in a database: the one named, or the only one with a log. */
async function siteIn(db: SnapshotReader, site: string | undefined): Promise<string> {
  if (site) return site;
  const sites = (await db.all<{ site: string }>('SELECT site FROM audit_logs ORDER BY site')).map((r) => r.site);
  if (sites.length !== 1) throw new Error(`Name the site with --site (this database has logs for: ${sites.join(', ') || 'none'}).`);
  return sites[0]!;
}

/** The verify command as a function (tests call it directly). Never writes the state file on failure. */
export async function runVerify(options: VerifyCommandOptions): Promise<VerifyCommandResult> {
  const target = targetOf(options.target, options.site);
  const db = target.kind === 'database' ? await openSnapshot(target.database) : null;
  try {
    const site = db ? await siteIn(db, target.site) : target.site!;
    let state: StateFile | null = null;
    if (options.state && fs.existsSync(options.state)) state = JSON.parse(fs.readFileSync(options.state, 'utf8')) as StateFile;
    if (state && state.site !== site) throw new Error(`The state file ${options.state} is for site "${state.site}", not "${site}".`);
    const verifierKey = options.key ?? state?.verifierKey ?? null;
    const previous = state?.checkpoint ?? null;

    let result: AuditVerification;
    let cosigned: VerifyCommandResult['cosigned'];
    if (db) {
      const log = databaseLogSource(db, site);
      result = await verifyAuditLog(log.source, { verifierKey, previous });
      const keys = (await log.source.keys()).keys.map((k) => k.verifierKey);
      // Only the keys the verification trusted count for the stored history.
      const trusted = result.verifierKey ? keys.slice(0, keys.indexOf(result.verifierKey) + 1) : [];
      result = checkHistory(result, await log.history(), trusted.length ? trusted : verifierKey ? [verifierKey] : []);
      result = await checkSensitiveValues(result, db, site);
    } else {
      const server = (target as Extract<Target, { kind: 'url' }>).server;
      const source = httpLogSource(server, site, options.fetch ?? fetch);
      result = await verifyAuditLog(source, { verifierKey, previous });
      if (result.ok && options.cosignKey) {
        const witness = parseSignerKey(fs.readFileSync(options.cosignKey, 'utf8').trim());
        if (witness.type !== SIG_TYPE_COSIGNATURE_V1) throw new Error('--cosign-key must be a witness (cosignature/v1) key; create one with --new-witness-key.');
        const now = Math.floor((options.now?.() ?? new Date()).getTime() / 1000);
        const note = addCosignature(result.checkpoint!, witness, now);
        const res = await (options.fetch ?? fetch)(`${server}/api/sites/${encodeURIComponent(site)}/log/cosignatures`, {
          method: 'POST', headers: { 'content-type': 'text/plain; charset=utf-8' }, body: note,
        });
        cosigned = { status: res.status };
      }
    }
    if (result.ok && options.state && result.checkpoint && result.verifierKey) {
      const next: StateFile = { version: 1, site, verifierKey: result.verifierKey, checkpoint: result.checkpoint, checkedAt: new Date().toISOString() };
      fs.writeFileSync(options.state, JSON.stringify(next, null, 2) + '\n');
    }
    return { result, cosigned };
  } finally {
    await db?.close();
  }
}

function printResult(r: AuditVerification, out: (s: string) => void): void {
  for (const c of r.checks) out(`  ${c.ok ? '✓' : '✗'} ${c.message}`);
  if (r.trust === 'first-use' && r.ok) out('  ! No --key given: trusted the key the log publishes (first use). Pass the operator\'s published key to be sure.');
  out(r.ok ? `OK: ${r.message}` : `FAILED (${r.problem}${r.firstBadEntry !== undefined ? `, entry ${r.firstBadEntry}` : ''}): ${r.message}`);
}

export async function verifyCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv, allowPositionals: true, strict: true,
    options: {
      site: { type: 'string' }, key: { type: 'string' }, state: { type: 'string' }, 'cosign-key': { type: 'string' },
      json: { type: 'boolean' }, 'new-witness-key': { type: 'string' }, name: { type: 'string' },
    },
  });
  const out = (s: string) => process.stdout.write(`${s}\n`);
  if (values['new-witness-key']) {
    if (!values.name) {
      process.stderr.write('parley verify --new-witness-key FILE --name NAME (e.g. witness.example.org)\n');
      return 2;
    }
    const key = generateCosignerKey(new Uint8Array(randomBytes(32)), values.name);
    fs.writeFileSync(values['new-witness-key'], formatSignerKey(key) + '\n', { mode: 0o600 });
    out(formatVerifierKey(verifierKeyOf(key)));
    return 0;
  }
  if (positionals.length !== 1) {
    process.stderr.write(`Usage:\n${VERIFY_HELP}\n`);
    return 2;
  }
  try {
    const { result, cosigned } = await runVerify({
      target: positionals[0]!, site: values.site, key: values.key, state: values.state, cosignKey: values['cosign-key'],
    });
    if (values.json) out(JSON.stringify({ ...result, entries: undefined, cosigned }, null, 2));
    else {
      printResult(result, out);
      if (cosigned) out(cosigned.status === 201 ? 'Cosignature sent.' : `The site refused the cosignature (HTTP ${cosigned.status}).`);
    }
    return result.ok ? 0 : 1;
  } catch (e) {
    process.stderr.write(`parley verify: ${(e as Error).message}\n`);
    return 2;
  }
}

/** `parley log …`: operator commands on the database (safe while the server runs; PostgreSQL with PARLEY_DATABASE_URL). */
export async function logCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv, allowPositionals: true, strict: true,
    options: { 'data-dir': { type: 'string' }, reason: { type: 'string' } },
  });
  const [action, site, ...rest] = positionals;
  if (!action || !site) {
    process.stderr.write(`Usage:\n${VERIFY_HELP}\n`);
    return 2;
  }
  const dataDir = path.resolve(values['data-dir'] ?? process.env.PARLEY_DATA_DIR ?? 'data');
  // The same database the server runs on: PostgreSQL when PARLEY_DATABASE_URL names one.
  const databaseUrl = process.env.PARLEY_DATABASE_URL;
  let store;
  try {
    store = isPostgresUrl(databaseUrl) ? await openPostgresStore({ url: databaseUrl, poolSize: 2 }) : openSqliteStore({ file: path.join(dataDir, 'parley.db') });
  } catch (e) {
    process.stderr.write(`parley log: ${(e as Error).message}\n`);
    return 1;
  }
  const publicUrl = process.env.PARLEY_PUBLIC_URL;
  const audit = new MerkleAuditLog({ db: store.database, timers: false, originHost: () => (publicUrl ? new URL(publicUrl).host : 'localhost') });
  const out = (v: unknown) => process.stdout.write(`${typeof v === 'string' ? v : JSON.stringify(v, null, 2)}\n`);
  const operator = { type: 'operator' as const, label: 'Operator (command line)' };
  try {
    if (!(await store.getSite(site))) throw new Error(`No site "${site}".`);
    switch (action) {
      case 'rotate-key':
        out(await audit.rotateKey(site, operator, values.reason));
        break;
      case 'sign': {
        const cp = await audit.signCheckpoint(site);
        out(cp.note);
        break;
      }
      case 'witness-add':
        if (!rest[0]) throw new Error('parley log witness-add <site> <verifier key>');
        out(await audit.addWitness(site, rest[0]));
        break;
      case 'witness-remove':
        out({ removed: await audit.removeWitness(site, rest[0] ?? '') });
        break;
      case 'redact': {
        const index = Number(rest[0]);
        const reason = values.reason ?? 'privacy';
        if (!Number.isSafeInteger(index) || !rest[1]) throw new Error('parley log redact <site> <index> <field> --reason privacy|erasure-request|legal');
        out(await audit.redact(site, index, rest[1], operator, reason));
        await audit.signCheckpoint(site);
        break;
      }
      default:
        throw new Error(`Unknown log command "${action}".`);
    }
    return 0;
  } catch (e) {
    process.stderr.write(`parley log: ${(e as Error).message}\n`);
    return 1;
  } finally {
    await audit.close();
    await store.close();
  }
}

