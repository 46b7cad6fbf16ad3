/**
 * The lifecycle's record of when work last started or ended: the notification runner paces
 * itself by it (issue 13), so a request that begins or ends must move it, and nothing else may.
 */
import { describe, expect, it } from 'vitest';
import { createLifecycle } from '../../../server/ops/lifecycle.js';

describe('lifecycle.lastActivity', () => {
  it('is -Infinity before any work, and moves when work starts and when it ends', () => {
    const lifecycle = createLifecycle();
    expect(lifecycle.lastActivity()).toBe(-Infinity);
    const before = performance.now();
    const end = lifecycle.begin();
    const started = lifecycle.lastActivity();
    expect(started).toBeGreaterThanOrEqual(before);
    expect(lifecycle.inFlight()).toBe(1);
    end();
    const ended = lifecycle.lastActivity();
    expect(ended).toBeGreaterThanOrEqual(started);
    expect(lifecycle.inFlight()).toBe(0);
    // Ending twice is one end: neither the count nor the time moves again.
    end();
    expect(lifecycle.lastActivity()).toBe(ended);
    expect(lifecycle.inFlight()).toBe(0);
  });
});
