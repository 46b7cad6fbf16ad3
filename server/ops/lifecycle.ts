/**
 * Graceful shutdown: once draining starts, new HTTP requests and socket events are answered
 * `503 unavailable` (clients retry against the restarted server with the same idempotency
 * key), while work already under way — a request being handled, a socket event whose ack
 * has not been sent — is counted here and allowed to finish before the database closes.
 */
import type { RequestHandler } from 'express';
import { HTTP_STATUS, ParleyError } from '../../moderation/errors.js';

export interface Lifecycle {
  readonly draining: boolean;
  /** Marks one piece of work as started; call the returned function (once) when it ends. */
  begin(): () => void;
  /** Work currently under way. */
  inFlight(): number;
  /**
   * When a piece of work last started or ended (`performance.now()` milliseconds; -Infinity
   * before the first): background work (the notification runner) paces itself while people are
   * being served, even between their requests.
   */
  lastActivity(): number;
  /** Stop taking new work. */
  startDraining(): void;
  /** Resolves true when no work is under way, or false after `timeoutMs`. */
  drained(timeoutMs: number): Promise<boolean>;
  /** Express middleware: refuses new requests while draining and counts the others. */
  http: RequestHandler;
}

export function unavailable(): ParleyError {
  return new ParleyError('unavailable', 'The server is restarting. Try again in a moment.', { retryAfterSeconds: 1 });
}

export function createLifecycle(): Lifecycle {
  let draining = false;
  let inFlight = 0;
  let lastActivity = -Infinity;
  let waiters: Array<() => void> = [];

  const settle = () => {
    if (inFlight > 0) return;
    const ready = waiters;
    waiters = [];
    for (const resolve of ready) resolve();
  };

  const lifecycle: Lifecycle = {
    get draining() {
      return draining;
    },
    begin() {
      inFlight++;
      lastActivity = performance.now();
      let ended = false;
      return () => {
        if (ended) return;
        ended = true;
        inFlight--;
        lastActivity = performance.now();
        settle();
      };
    },
    inFlight: () => inFlight,
    lastActivity: () => lastActivity,
    startDraining() {
      draining = true;
    },
    drained(timeoutMs) {
      if (inFlight === 0) return Promise.resolve(true);
      return new Promise<boolean>((resolve) => {
        const timer = setTimeout(() => {
          waiters = waiters.filter((w) => w !== done);
          resolve(false);
        }, timeoutMs);
        const done = () => {
          clearTimeout(timer);
          resolve(true);
        };
        waiters.push(done);
      });
    },
    http(req, res, next) {
      if (draining) {
        const error = unavailable();
        res.setHeader('Connection', 'close');
        res.setHeader('Retry-After', String(error.extra.retryAfterSeconds));
        res.status(HTTP_STATUS[error.code]).json(error.toBody());
        return;
      }
      const end = lifecycle.begin();
      res.once('close', end);
      res.once('finish', end);
      next();
    },
  };
  return lifecycle;
}
