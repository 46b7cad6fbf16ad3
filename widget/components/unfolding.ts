/**
 * Unfolding: a long page of threads is rendered a screenful first, then the rest in steps,
 * each its own task, so that no update holds the main thread long enough to block a reader's
 * input (a 600-post page rendered in one update was one task of ~300 ms, plus its layout).
 *
 * A reactive controller of `<parley-discussion>`: `take(threads)` in `render()` says which
 * threads to render now. After each update it measures what the update cost per new post and
 * sizes the next step to fit `STEP_MS`, then yields to the browser (`scheduler.yield` where
 * there is one, else a macrotask) before asking for the next update. A slower device gets
 * smaller steps. Order is kept: a step only ever shows more of the same list, from its start.
 *
 * `settled` is a promise while steps remain (the host's `updateComplete` waits for it, so a
 * host or test that awaits it sees every post); `undefined` once all are on screen.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { countThreads, type Thread } from '../client/state.js';

/** Posts in the first update: about a screenful, so the first paint is not delayed. */
export const FIRST_POSTS = 6;
/**
 * What one step may cost in script; style and layout of the new posts come on top. Small
 * enough that a phone four times slower than the machine measuring it (Lighthouse's
 * simulated mobile CPU) still stays under the 50 ms of a long task.
 */
const STEP_MS = 6;
const MIN_STEP = 4;
/** Cost of re-rendering a post already on screen, relative to rendering a new one. */
const REUSE = 0.1;
const MAX_STEP = 200;

type Scheduler = { yield?: () => Promise<void> };
const yieldToMain = (): Promise<void> => {
  const scheduler = (globalThis as { scheduler?: Scheduler }).scheduler;
  return scheduler?.yield ? scheduler.yield() : new Promise((resolve) => setTimeout(resolve, 0));
};

export class Unfolding implements ReactiveController {
  readonly #host: ReactiveControllerHost;
  /** Threads on screen; 0 until the first page is rendered. */
  #shown = 0;
  /** Posts the next step adds. */
  #step = FIRST_POSTS;
  /** The next update adds a step. */
  #due = false;
  /** A step is waiting for the browser to get its turn. */
  #scheduled = false;
  /** Threads in the list at the last `take()`. */
  #total = 0;
  #postsBefore = 0;
  #postsNow = 0;
  #started = 0;
  #took = false;
  #settled?: Promise<void>;
  #settle?: () => void;

  constructor(host: ReactiveControllerHost) {
    this.#host = host;
    host.addController(this);
  }

  get settled(): Promise<void> | undefined {
    return this.#settled;
  }

  /** A new conversation (another topic): start again with one screenful. */
  reset(): void {
    this.#shown = 0;
    this.#step = FIRST_POSTS;
  }

  /** The threads to render in this update: all shown so far, plus the step if one is due. */
  take(threads: readonly Thread[]): readonly Thread[] {
    let n = Math.min(this.#shown, threads.length);
    // All were on screen and a few threads arrived (live posts): show them at once, in place.
    if (n > 0 && n === this.#total && threads.length - n <= MIN_STEP) n = threads.length;
    const before = countThreads(threads.slice(0, n));
    if (this.#due || this.#shown === 0) {
      let added = 0;
      while (n < threads.length && (added === 0 || added + 1 + countThreads(threads[n]!.replies) <= this.#step)) {
        added += 1 + countThreads(threads[n]!.replies);
        n++;
      }
      this.#due = false;
    }
    this.#shown = n;
    this.#total = threads.length;
    this.#took = true;
    this.#postsBefore = before;
    this.#postsNow = countThreads(threads.slice(0, n));
    if (n < threads.length) this.#settled ??= new Promise((resolve) => (this.#settle = resolve));
    return n === threads.length ? threads : threads.slice(0, n);
  }

  hostUpdate(): void {
    this.#started = performance.now();
  }

  hostUpdated(): void {
    // An update without threads (loading, empty) leaves nothing to unfold.
    if (!this.#took) this.#total = this.#shown;
    this.#took = false;
    if (this.#shown >= this.#total) {
      this.#done();
      return;
    }
    if (this.#scheduled) return;
    const added = this.#postsNow - this.#postsBefore;
    if (added > 0) {
      // Each update also re-renders the posts already shown, at about a tenth of the cost of a
      // new one (their DOM is kept; sanitised bodies and dates are cached): the next step gets
      // what is left of STEP_MS after that.
      const before = this.#postsBefore * REUSE;
      const perPost = Math.max(0.005, (performance.now() - this.#started) / (added + before));
      // At least an eighth of what is shown: on a busy machine (time measured while descheduled)
      // steps would otherwise shrink to MIN_STEP, and hundreds of them each re-render the page.
      const floor = Math.max(MIN_STEP, Math.ceil(this.#postsNow / 8));
      this.#step = Math.max(floor, Math.min(MAX_STEP, Math.floor(STEP_MS / perPost - before - REUSE * added)));
    }
    this.#scheduled = true;
    void yieldToMain().then(() => {
      this.#scheduled = false;
      this.#due = true;
      this.#host.requestUpdate();
    });
  }

  hostDisconnected(): void {
    this.#done();
  }

  #done(): void {
    this.#settle?.();
    this.#settle = this.#settled = undefined;
  }
}
