/**
 * Delivery of forwards to companies' safety teams (issue 6): by email through ctx.mailer
 * and/or by webhook (HTTP POST of the JSON payload, with a timeout), retried with backoff
 * (moderation/safety.ts `afterFailedAttempt`) and visible to moderators.
 *
 * Every delivery is a row (safety_deliveries). `runDueDeliveries(ctx)` attempts the ones
 * due at `ctx.now()`; the server's timer (`startSafetyDeliveries`, started by app.ts) calls
 * it every half minute, a forward calls it at once, and tests call it with their own clock.
 * A delivery is claimed in the database before its attempt (and kept in an in-process set),
 * so overlapping runs never send the same message twice. Delivery is entirely separate from
 * the post: a failure here never touches it.
 */
import { createHmac } from 'node:crypto';
import { ParleyError } from '../../moderation/errors.js';
import {
  afterFailedAttempt, consentUpdateEmail, forwardEmail, type SafetyConsentUpdatePayload, type SafetyDeliveryView, type SafetyForwardPayload,
} from '../../moderation/safety.js';
import { SafetyDeliveriesQuerySchema } from '../../moderation/safety-schemas.js';
import { OpaqueIdSchema } from '../../moderation/moderation-schemas.js';
import { parseWith } from '../../moderation/schemas.js';
import type { SafetyContactRecord, SafetyDeliveryRecord, SafetyForwardRecord } from '../store/safety-store.js';
import type { Store } from '../store/store.js';
import type { AppContext } from './context.js';
import type { Principal } from './identity.js';
import { safetyViewerOf } from './safety.js';
import { valid } from './validate.js';

/** A webhook that has not answered by then counts as failed (and is retried). */
export const WEBHOOK_TIMEOUT_MS = 10_000;
/** How long a claimed delivery is kept from other runs (longer than any attempt takes). */
const LEASE_MS = 5 * 60_000;
const RUN_BATCH = 50;
const ERROR_MAX_CHARS = 300;

/** What moderators (and the company's own staff, for its flags) see of a delivery. */
export function deliveryView(d: SafetyDeliveryRecord): SafetyDeliveryView {
  return {
    id: d.id, kind: d.kind, channel: d.channel, target: d.target, status: d.status,
    failing: d.status !== 'delivered' && d.lastError !== null,
    attempts: d.attempts, lastError: d.lastError, lastAttemptAt: d.lastAttemptAt,
    // A claimed delivery's next attempt is its lease: not meaningful to show once it is done.
    nextAttemptAt: d.status === 'pending' ? d.nextAttemptAt : null,
    deliveredAt: d.deliveredAt, createdAt: d.createdAt,
  };
}

/** One delivery per channel of the chosen contact, due now. */
export function newDeliveries(
  ctx: AppContext,
  forward: Pick<SafetyForwardRecord, 'id' | 'site' | 'flagId' | 'companyId'>,
  contact: Pick<SafetyContactRecord, 'pvEmail' | 'pvWebhookUrl'>,
  kind: SafetyDeliveryRecord['kind'],
  payload: string,
): SafetyDeliveryRecord[] {
  const at = ctx.now().toISOString();
  const targets: Array<[SafetyDeliveryRecord['channel'], string | null]> = [['email', contact.pvEmail], ['webhook', contact.pvWebhookUrl]];
  return targets.flatMap(([channel, target]) =>
    target
      ? [{
          id: ctx.newId(), site: forward.site, forwardId: forward.id, flagId: forward.flagId, companyId: forward.companyId, kind,
          channel, target, payload, status: 'pending' as const, attempts: 0, lastError: null, lastAttemptAt: null,
          nextAttemptAt: at, deliveredAt: null, createdAt: at,
        }]
      : [],
  );
}

// ---------------------------------------------------------------------------------------------
// Attempts
// ---------------------------------------------------------------------------------------------

interface Runner {
  inFlight: Map<string, Promise<void>>;
  /** Aborted when the server stops, so a slow webhook does not hold up shutdown. */
  abort: AbortController;
}
/** Per store (a test may call with a context whose clock differs; the in-flight set must be shared). */
const RUNNERS = new WeakMap<Store, Runner>();
function runnerOf(ctx: AppContext): Runner {
  let runner = RUNNERS.get(ctx.store);
  if (!runner) RUNNERS.set(ctx.store, (runner = { inFlight: new Map(), abort: new AbortController() }));
  return runner;
}

function messageOf(error: unknown): string {
  const e = error as { name?: string; message?: string; code?: string; cause?: { code?: string; message?: string } };
  if (e?.name === 'TimeoutError') return `no answer within ${WEBHOOK_TIMEOUT_MS / 1000} s`;
  if (e?.name === 'AbortError') return 'stopped: the server was shutting down';
  const code = e?.cause?.code ?? e?.code;
  const text = e?.cause?.message ?? e?.message ?? String(error);
  return (code && !text.includes(code) ? `${text} (${code})` : text).slice(0, ERROR_MAX_CHARS);
}

async function sendWebhook(ctx: AppContext, d: SafetyDeliveryRecord, signal: AbortSignal): Promise<{ ok: true } | { ok: false; error: string }> {
  // The secret belongs to the receiver URL: every contact of the company using it shares one (safety-admin.ts).
  const contact = (await ctx.store.listSafetyContacts(d.site, d.companyId)).find((c) => c.pvWebhookUrl === d.target && c.webhookSecret);
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    'user-agent': 'Parley-Safety/1',
    'x-parley-event': d.kind === 'forward' ? 'parley.safety.forward' : 'parley.safety.consent-update',
    // Receivers can de-duplicate on this: a retry carries the same id.
    'x-parley-delivery': d.id,
  };
  // Signed with the secret of the URL the delivery goes to (if the contact still has that URL).
  if (contact?.webhookSecret) {
    headers['x-parley-signature'] = `sha256=${createHmac('sha256', contact.webhookSecret).update(d.payload).digest('hex')}`;
  }
  try {
    const response = await fetch(d.target, {
      method: 'POST',
      headers,
      body: d.payload,
      // A redirect is not followed: the admin registered this URL, not another one.
      redirect: 'manual',
      signal: AbortSignal.any([signal, AbortSignal.timeout(WEBHOOK_TIMEOUT_MS)]),
    });
    // Read (and drop) the body so the connection is released.
    await response.arrayBuffer().catch(() => undefined);
    if (response.status >= 200 && response.status < 300) return { ok: true };
    return { ok: false, error: `HTTP ${response.status}${response.statusText ? ` ${response.statusText}` : ''}`.slice(0, ERROR_MAX_CHARS) };
  } catch (error) {
    return { ok: false, error: messageOf(error) };
  }
}

function renderEmail(d: SafetyDeliveryRecord): { subject: string; text: string } {
  const payload = JSON.parse(d.payload) as SafetyForwardPayload | SafetyConsentUpdatePayload;
  return payload.type === 'parley.safety.forward' ? forwardEmail(payload) : consentUpdateEmail(payload);
}

async function attempt(ctx: AppContext, d: SafetyDeliveryRecord, signal: AbortSignal): Promise<void> {
  const startedAt = ctx.now().toISOString();
  let outcome: { ok: true; held?: boolean } | { ok: false; error: string };
  if (d.channel === 'email') {
    const { subject, text } = renderEmail(d);
    const sent = await ctx.mailer.send(d.site, d.target, subject, text, startedAt);
    if (sent.delivered) outcome = { ok: true };
    else if (ctx.mailer.transport === 'outbox') outcome = { ok: true, held: true };
    else outcome = { ok: false, error: sent.error ?? 'the mail server did not accept the message' };
  } else {
    outcome = await sendWebhook(ctx, d, signal);
  }
  const now = ctx.now();
  const attempts = d.attempts + 1;
  if (outcome.ok) {
    await ctx.store.finishSafetyDelivery(d.id, {
      status: outcome.held ? 'held' : 'delivered', attempts, lastError: outcome.held ? 'no mail server is configured: the message waits in the outbox' : null,
      lastAttemptAt: startedAt, nextAttemptAt: null, deliveredAt: outcome.held ? null : now.toISOString(),
    });
    return;
  }
  const next = afterFailedAttempt(attempts, now.getTime());
  await ctx.store.finishSafetyDelivery(d.id, {
    status: next.status, attempts, lastError: outcome.error, lastAttemptAt: startedAt,
    nextAttemptAt: next.status === 'pending' ? next.nextAttemptAt : null, deliveredAt: null,
  });
  ctx.log.warn({ site: d.site, delivery: d.id, channel: d.channel, attempts, error: outcome.error, status: next.status }, 'safety forward delivery failed');
}

/**
 * Attempts every delivery due at `ctx.now()`, and waits for those already under way, so that
 * when it resolves no attempt is in flight. Safe to call from several places at once.
 */
export async function runDueDeliveries(ctx: AppContext): Promise<{ attempted: number }> {
  const runner = runnerOf(ctx);
  const now = ctx.now();
  const nowIso = now.toISOString();
  const leaseUntil = new Date(now.getTime() + LEASE_MS).toISOString();
  let attempted = 0;
  for (const d of await ctx.store.dueSafetyDeliveries(nowIso, RUN_BATCH)) {
    if (runner.inFlight.has(d.id) || !(await ctx.store.claimSafetyDelivery(d.id, nowIso, leaseUntil))) continue;
    attempted++;
    const work = attempt(ctx, d, runner.abort.signal)
      .catch((err) => ctx.log.error({ err, delivery: d.id }, 'safety delivery attempt crashed'))
      .finally(() => runner.inFlight.delete(d.id));
    runner.inFlight.set(d.id, work);
  }
  await Promise.all([...runner.inFlight.values()]);
  return { attempted };
}

/**
 * Retention (docs/safety.md): Parley is a relay, not the company's safety database — the
 * company keeps its own records as a separate controller. So the post text in forwards and
 * in finished deliveries is redacted once they are older than this; the flag, its reference
 * and the times stay, so moderators can still answer "was this forwarded, and when?".
 */
export const SAFETY_RETENTION_DAYS = 180;

export async function runSafetyRetention(ctx: AppContext): Promise<number> {
  const now = ctx.now();
  const before = new Date(now.getTime() - SAFETY_RETENTION_DAYS * 86_400_000).toISOString();
  return await ctx.store.redactSafetyBefore(before, now.toISOString());
}

/** Starts the retry timer; `stop()` ends it and waits for (or aborts) attempts under way. */
export function startSafetyDeliveries(ctx: AppContext, options: { intervalMs?: number } = {}): { stop(): Promise<void> } {
  let running: Promise<unknown> | null = null;
  let retaining: Promise<unknown> | null = null;
  let retentionAt = 0;
  const tick = () => {
    // Retention scans the forwards and deliveries: hourly is plenty for a period of months.
    if (Date.now() - retentionAt > 3_600_000) {
      retentionAt = Date.now();
      retaining ??= runSafetyRetention(ctx)
        .catch((err) => ctx.log.error({ err }, 'safety retention pass failed'))
        .finally(() => (retaining = null));
    }
    running ??= runDueDeliveries(ctx)
      .catch((err) => ctx.log.error({ err }, 'safety delivery run failed'))
      .finally(() => (running = null));
  };
  const timer = setInterval(tick, options.intervalMs ?? 30_000);
  timer.unref();
  // Deliveries left pending by a previous run of the server go out now, not half a minute later.
  tick();
  return {
    async stop() {
      clearInterval(timer);
      const runner = runnerOf(ctx);
      runner.abort.abort();
      await Promise.all([running, retaining, ...runner.inFlight.values()]);
    },
  };
}

/** A forward just stored: try its deliveries now, without making the request wait for them. */
export function deliverSoon(ctx: AppContext): void {
  void runDueDeliveries(ctx).catch((err) => ctx.log.error({ err }, 'safety delivery run failed'));
}

// ---------------------------------------------------------------------------------------------
// Moderators' view
// ---------------------------------------------------------------------------------------------

async function requireModerator(ctx: AppContext, principal: Principal): Promise<void> {
  if ((await safetyViewerOf(ctx, principal)).kind !== 'moderator') {
    throw new ParleyError('forbidden', 'Only moderators see the delivery queue; your flags show their own deliveries.');
  }
}

/** GET /safety/deliveries: newest first, optionally by status (moderators). */
export async function listDeliveries(ctx: AppContext, principal: Principal, query: unknown): Promise<{ deliveries: Array<SafetyDeliveryView & { flagId: string; company: string }> }> {
  await requireModerator(ctx, principal);
  const q = valid(parseWith(SafetyDeliveriesQuerySchema, query ?? {}));
  const deliveries = await ctx.store.listSafetyDeliveries(principal.site.id, { status: q.status, limit: q.limit });
  return { deliveries: deliveries.map((d) => ({ ...deliveryView(d), flagId: d.flagId, company: d.companyId })) };
}

/** POST /safety/deliveries/{id}/retry: another attempt now (moderators), also after it was marked failed. */
export async function retryDelivery(ctx: AppContext, principal: Principal, id: unknown): Promise<{ delivery: SafetyDeliveryView }> {
  await requireModerator(ctx, principal);
  const deliveryId = valid(parseWith(OpaqueIdSchema, id));
  const site = principal.site.id;
  // Check and retry in one transaction, so a delivery finishing in between is not reported as erased.
  await ctx.store.transaction(async () => {
    const existing = await ctx.store.getSafetyDelivery(site, deliveryId);
    if (!existing) throw new ParleyError('not_found', 'No such delivery on this site.');
    if (existing.status === 'delivered' || existing.status === 'held') {
      throw new ParleyError('validation_failed', existing.status === 'delivered' ? 'This delivery already succeeded.' : 'No mail server is configured; the message waits in the outbox.');
    }
    if (!(await ctx.store.retrySafetyDelivery(site, deliveryId, ctx.now().toISOString()))) {
      throw new ParleyError('validation_failed', 'Nothing is left to send: the member erased their data, or the retention period ended.');
    }
  });
  const delivery = deliveryView((await ctx.store.getSafetyDelivery(site, deliveryId))!);
  deliverSoon(ctx);
  return { delivery };
}
