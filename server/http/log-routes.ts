/**
 * The public audit log of a site: `/api/sites/:site/log/...` (mounted from the site router,
 * so the site loader and origin checks apply). Everything is readable without a token; a few
 * operator actions (witnesses, redaction, key rotation) need an admin. See docs/api.md
 * ("The public audit log") and docs/audit-log.md.
 */
import express, { type Request, type Response } from 'express';
import { ParleyError } from '../../moderation/errors.js';
import { fromHex, toBase64 } from '../../moderation/log/index.js';
import { AuditRequestError, MAX_RANGE, MerkleAuditLog, type StoredEntry } from '../audit/merkle-audit-log.js';
import { auditActorOf } from '../audit/identity-events.js';
import { actorOf, requirePermission } from '../services/actor.js';
import type { AppContext } from '../services/context.js';
import { publicBase } from '../services/moderation-settings.js';
import { principalOf, route } from './request.js';

function auditOf(ctx: AppContext): MerkleAuditLog {
  if (!(ctx.audit instanceof MerkleAuditLog)) throw new ParleyError('not_found', 'This server keeps no public audit log.');
  return ctx.audit;
}

/** Runs a log operation, turning its refusals into protocol errors. */
async function guarded<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    if (e instanceof AuditRequestError) throw new ParleyError(e.code, e.message);
    throw e;
  }
}

function intParam(value: unknown, name: string, fallback?: number): number {
  if (value === undefined || value === '') {
    if (fallback !== undefined) return fallback;
    throw new ParleyError('validation_failed', `The query parameter "${name}" is required.`, { issues: [{ path: name, message: 'required' }] });
  }
  const s = String(value);
  if (!/^(0|[1-9][0-9]{0,15})$/.test(s)) {
    throw new ParleyError('validation_failed', `"${name}" must be a non-negative integer.`, { issues: [{ path: name, message: 'not an integer' }] });
  }
  return Number(s);
}

function strParam(value: unknown, max = 200): string | undefined {
  return typeof value === 'string' && value !== '' ? value.slice(0, max) : undefined;
}

function xml(text: string): string {
  return text.replace(/[<>&'"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&apos;', '"': '&quot;' })[c]!)
    // Characters XML 1.0 cannot carry.
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, '');
}

/** One-line human summary of an entry (Atom titles). */
function summaryOf(entry: StoredEntry): string {
  const l = entry.leaf;
  const parts = [`#${entry.index} ${l.kind}`, `by ${l.actor?.label ?? '?'}`];
  const d = l.data as Record<string, unknown>;
  const rule = (l.subject?.ruleId ?? d?.ruleId ?? (d?.rule as { id?: string } | undefined)?.id) as string | undefined;
  if (rule) parts.push(`rule ${rule}`);
  if (l.subject?.postId) parts.push(`post ${l.subject.postId}`);
  if (l.subject?.userLabel) parts.push(l.subject.userLabel);
  return parts.join(' · ');
}

/**
 * The log's absolute URL, from the configured public URL: never from the request's Host
 * header, which a client (or a proxy) chooses, and which would make the feed's ids change
 * with the address it was fetched at.
 */
function logUrl(ctx: AppContext, site: string): string {
  return `${publicBase(ctx)}/api/sites/${encodeURIComponent(site)}/log`;
}

async function checkpointJson(audit: MerkleAuditLog, site: string) {
  const cp = await audit.latestCheckpoint(site);
  return {
    origin: await audit.origin(site),
    treeSize: cp.treeSize,
    rootHash: cp.rootHash,
    rootHashBase64: toBase64(fromHex(cp.rootHash)),
    signedAt: cp.signedAt,
    keyId: cp.keyId,
    verifierKey: await audit.verifierKey(site),
    note: cp.note,
    cosignatures: cp.cosignatures,
  };
}

export function mountLogRoutes(router: express.Router, ctx: AppContext): void {
  const log = express.Router({ mergeParams: true });
  const site = (req: Request) => req.parleySite!.id;
  const cacheShort = (res: Response) => res.setHeader('Cache-Control', 'no-cache');

  log.get('/checkpoint', route(async (req, res) => {
    const audit = auditOf(ctx);
    cacheShort(res);
    if (req.query.format === 'json') {
      return res.json(await checkpointJson(audit, site(req)));
    }
    res.type('text/plain; charset=utf-8').send((await audit.latestCheckpoint(site(req))).note);
  }));

  log.get('/checkpoint.json', route(async (req, res) => {
    cacheShort(res);
    res.json(await checkpointJson(auditOf(ctx), site(req)));
  }));

  log.get('/entries', route(async (req, res) => {
    const audit = auditOf(ctx);
    const size = await audit.size(site(req));
    const start = intParam(req.query.start, 'start', 0);
    const end = Math.min(intParam(req.query.end, 'end', Math.min(start + MAX_RANGE, size)), size);
    const entries = await guarded(() => audit.entries(site(req), start, Math.max(start, end)));
    res.json({ treeSize: size, entries });
  }));

  log.get('/entries/:index', route(async (req, res) => {
    const audit = auditOf(ctx);
    const index = intParam(req.params.index, 'index');
    const entry = await audit.entry(site(req), index);
    if (!entry) throw new ParleyError('not_found', `There is no entry ${index} in this log.`);
    res.json({ entry: { ...entry, redacted: await audit.redactedFields(site(req), entry) } });
  }));

  log.get('/entries/:index/sensitive', route(async (req, res) => {
    const principal = await principalOf(ctx, req);
    requirePermission(actorOf(principal), 'moderate');
    const audit = auditOf(ctx);
    const index = intParam(req.params.index, 'index');
    if (!(await audit.entry(site(req), index))) throw new ParleyError('not_found', `There is no entry ${index} in this log.`);
    res.setHeader('Cache-Control', 'no-store');
    res.json({ index, values: await audit.sensitiveValues(site(req), index) });
  }));

  log.get('/proof/inclusion', route(async (req, res) => {
    const audit = auditOf(ctx);
    const index = intParam(req.query.index, 'index');
    const size = intParam(req.query.size, 'size', await audit.size(site(req)));
    res.json({ index, treeSize: size, ...(await guarded(() => audit.inclusionProof(site(req), index, size))) });
  }));

  log.get('/proof/consistency', route(async (req, res) => {
    const audit = auditOf(ctx);
    const from = intParam(req.query.from, 'from');
    const to = intParam(req.query.to, 'to', await audit.size(site(req)));
    res.json({ from, to, proof: await guarded(() => audit.consistencyProof(site(req), from, to)) });
  }));

  log.get('/download', route(async (req, res) => {
    const audit = auditOf(ctx);
    const asJson = req.query.format === 'json';
    res.type(asJson ? 'application/json' : 'application/x-ndjson; charset=utf-8');
    res.setHeader('Content-Disposition', `attachment; filename="${site(req)}-audit-log.${asJson ? 'json' : 'ndjson'}"`);
    const checkpoint = await audit.latestCheckpoint(site(req));
    // Snapshot the size first: entries appended while streaming are not part of this download.
    const size = checkpoint.treeSize;
    if (asJson) res.write(`{"checkpoint":${JSON.stringify(checkpoint.note)},"entries":[`);
    let i = 0;
    let buffer = '';
    for (let start = 0; start < size; start += MAX_RANGE) {
      for (const entry of await audit.entries(site(req), start, Math.min(start + MAX_RANGE, size))) {
        buffer += asJson ? `${i++ === 0 ? '' : ','}\n${JSON.stringify(entry)}` : `${JSON.stringify(entry)}\n`;
      }
      if (!res.write(buffer)) await new Promise((resolve) => res.once('drain', resolve));
      buffer = '';
    }
    res.end(asJson ? ']}\n' : '');
  }));

  log.get('/feed.atom', route(async (req, res) => {
    const audit = auditOf(ctx);
    const { entries } = await audit.view(site(req), { limit: 50 });
    const base = logUrl(ctx, site(req));
    const origin = await audit.origin(site(req));
    const updated = entries[0]?.leaf.at ?? (await audit.latestCheckpoint(site(req))).signedAt;
    const items = entries.map((e) => {
      const link = `${base}/entries/${e.index}`;
      return `  <entry>
    <id>${xml(link)}</id>
    <title>${xml(summaryOf(e))}</title>
    <updated>${xml(e.leaf.at)}</updated>
    <author><name>${xml(e.leaf.actor?.label ?? 'unknown')}</name></author>
    <link rel="alternate" type="application/json" href="${xml(link)}"/>
    <category term="${xml(e.leaf.kind)}"/>
    <content type="text">${xml(JSON.stringify({ subject: e.leaf.subject, data: e.leaf.data, refersTo: e.leaf.refersTo, leafHash: e.leafHash }, null, 2))}</content>
  </entry>`;
    });
    res.type('application/atom+xml; charset=utf-8');
    res.send(`<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <id>${xml(base)}</id>
  <title>${xml(`Public moderation log of ${req.parleySite!.name}`)}</title>
  <subtitle>${xml(`Append-only, verifiable log ${origin ?? ''}`)}</subtitle>
  <updated>${xml(updated)}</updated>
  <link rel="self" href="${xml(`${base}/feed.atom`)}"/>
${items.join('\n')}
</feed>
`);
  }));

  log.get('/view', route(async (req, res) => {
    const audit = auditOf(ctx);
    const q = req.query;
    const before = q.before !== undefined ? intParam(q.before, 'before') : undefined;
    const limit = intParam(q.limit, 'limit', 20);
    // As documented: 1..100 (the log's view used to accept 0 and 1000 silently).
    if (limit < 1 || limit > 100) {
      throw new ParleyError('validation_failed', '"limit" must be between 1 and 100.', { issues: [{ path: 'limit', message: 'must be between 1 and 100' }] });
    }
    const page = await audit.view(site(req), {
      kind: strParam(q.kind ?? q.action, 64), rule: strParam(q.rule, 64), moderator: strParam(q.moderator),
      from: strParam(q.from, 40), to: strParam(q.to, 40), post: strParam(q.post), topic: strParam(q.topic),
      before, limit,
    });
    // The titles of the conversations on the page, so the log can say "in “New treatments”" (issue 17).
    const ids = [...new Set(page.entries.map((e) => (e.leaf.subject as { topic?: unknown }).topic).filter((t): t is string => typeof t === 'string'))];
    const topics: Record<string, string> = {};
    for (const id of ids) {
      const title = (await ctx.store.getTopic(site(req), id))?.title;
      if (title) topics[id] = title;
    }
    res.json({ ...page, topics });
  }));

  log.get('/keys', route(async (req, res) => {
    const audit = auditOf(ctx);
    await audit.ensureLog(site(req));
    res.json({ origin: await audit.origin(site(req)), current: await audit.verifierKey(site(req)), keys: await audit.keys(site(req)) });
  }));

  log.get('/witnesses', route(async (req, res) => {
    const audit = auditOf(ctx);
    const latest = await audit.latestCosignatures(site(req));
    res.json({
      witnesses: (await audit.witnesses(site(req))).map((w) => ({ ...w, latest: latest.find((c) => c.witness === w.name) ?? null })),
    });
  }));

  log.post('/cosignatures', express.text({ type: 'text/plain', limit: '64kb' }), route(async (req, res) => {
    const audit = auditOf(ctx);
    const note = typeof req.body === 'string' ? req.body : req.body?.note;
    if (typeof note !== 'string') throw new ParleyError('validation_failed', 'Send the cosigned checkpoint note as text/plain or {"note": "..."}.');
    const stored = await guarded(() => audit.addCosignatures(site(req), note));
    res.status(201).json({ cosignatures: stored });
  }));

  log.post('/witnesses', route(async (req, res) => {
    const principal = await principalOf(ctx, req);
    requirePermission(actorOf(principal), 'manage-roles');
    const key = req.body?.verifierKey;
    if (typeof key !== 'string') throw new ParleyError('validation_failed', 'Send {"verifierKey": "<name>+<id>+<key>"}.');
    res.status(201).json({ witness: await guarded(() => auditOf(ctx).addWitness(site(req), key)) });
  }));

  log.post('/redactions', route(async (req, res) => {
    const principal = await principalOf(ctx, req);
    requirePermission(actorOf(principal), 'manage-roles');
    const { index, field, reason } = req.body ?? {};
    if (!Number.isSafeInteger(index) || typeof field !== 'string' || !['privacy', 'erasure-request', 'legal'].includes(reason)) {
      throw new ParleyError('validation_failed', 'Send {"index": n, "field": "...", "reason": "privacy" | "erasure-request" | "legal"}.');
    }
    const ref = await guarded(async () => auditOf(ctx).redact(site(req), index, field, await auditActorOf(ctx, site(req), principal.user!.id), reason));
    res.status(201).json(ref);
  }));

  router.use('/log', log);
}
