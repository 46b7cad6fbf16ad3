/**
 * One clock for every relative time on the page ("5 minutes ago"): a single shared timer ticks
 * while at least one element listens, so ten discussions on a page still wake the browser once.
 * The tick is aligned to the next whole interval, so that every "n minutes ago" turns together.
 */
const TICK_MS = 30_000;

const listeners = new Set<(now: number) => void>();
let timer: ReturnType<typeof setTimeout> | undefined;

function schedule(): void {
  timer = setTimeout(() => {
    const now = Date.now();
    for (const listen of listeners) listen(now);
    if (listeners.size) schedule();
    else timer = undefined;
  }, TICK_MS - (Date.now() % TICK_MS));
}

/** Calls `listen(now)` on every tick until the returned function is called. */
export function onTick(listen: (now: number) => void): () => void {
  listeners.add(listen);
  if (!timer) schedule();
  return () => {
    listeners.delete(listen);
    if (!listeners.size && timer) {
      clearTimeout(timer);
      timer = undefined;
    }
  };
}
