/**
 * Latency histograms that merge across processes: logarithmic buckets (about 1% wide) from
 * 1 µs to 100 s, so a worker sends a few hundred numbers instead of every sample.
 */
const MIN_MS = 0.001;
const GROWTH = 1.01;
const BUCKETS = Math.ceil(Math.log(100_000 / MIN_MS) / Math.log(GROWTH)) + 1;

export interface Histogram {
  counts: Record<number, number>;
  n: number;
  max: number;
}

export function histogram(): Histogram {
  return { counts: {}, n: 0, max: 0 };
}

export function record(h: Histogram, ms: number): void {
  const value = Math.max(ms, MIN_MS);
  const bucket = Math.min(BUCKETS - 1, Math.floor(Math.log(value / MIN_MS) / Math.log(GROWTH)));
  h.counts[bucket] = (h.counts[bucket] ?? 0) + 1;
  h.n++;
  if (ms > h.max) h.max = ms;
}

export function merge(into: Histogram, other: Histogram): Histogram {
  for (const [bucket, count] of Object.entries(other.counts)) into.counts[Number(bucket)] = (into.counts[Number(bucket)] ?? 0) + count;
  into.n += other.n;
  into.max = Math.max(into.max, other.max);
  return into;
}

/** The value below which a fraction `q` of the samples fall (bucket upper edge). */
export function quantile(h: Histogram, q: number): number | null {
  if (h.n === 0) return null;
  const target = Math.ceil(h.n * q);
  let seen = 0;
  for (const bucket of Object.keys(h.counts).map(Number).sort((a, b) => a - b)) {
    seen += h.counts[bucket]!;
    if (seen >= target) return Math.min(h.max, MIN_MS * GROWTH ** (bucket + 1));
  }
  return h.max;
}

export function summary(h: Histogram): { n: number; p50: number | null; p99: number | null; max: number | null } {
  return { n: h.n, p50: round(quantile(h, 0.5)), p99: round(quantile(h, 0.99)), max: h.n ? round(h.max) : null };
}

export function round(value: number | null, digits = 2): number | null {
  if (value === null || !Number.isFinite(value)) return null;
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

/** Exact percentiles of a small array of samples. */
export function percentiles(samples: number[]): { n: number; p50: number | null; p99: number | null; max: number | null } {
  if (samples.length === 0) return { n: 0, p50: null, p99: null, max: null };
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(sorted.length * q) - 1))]!;
  return { n: sorted.length, p50: round(at(0.5), 3), p99: round(at(0.99), 3), max: round(sorted[sorted.length - 1]!, 3) };
}

/** Wall-clock milliseconds with sub-millisecond precision, comparable across processes. */
export function epochMs(): number {
  return performance.timeOrigin + performance.now();
}
