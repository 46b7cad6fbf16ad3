/**
 * `<time>` for a post: relative ("5 minutes ago") for the last week, a date after that,
 * always with the exact date and time in `datetime` and `title`. Wording comes from Intl.
 */
import { html } from 'lit';
import { apart } from '../client/idle.js';

const UNITS: Array<[Intl.RelativeTimeFormatUnit, number]> = [
  ['second', 60],
  ['minute', 60],
  ['hour', 24],
  ['day', 7],
];
/**
 * Intl formatters per language, each made on first use: making one loads locale data and is
 * the costliest step of rendering the first post (tens of ms on a slow phone), so
 * `warmFormatters` makes them ahead, each in a task of its own, while the first page is on the network.
 */
class Formatters {
  readonly #lang: string;
  #rel?: Intl.RelativeTimeFormat;
  #abs?: Intl.DateTimeFormat;
  #date?: Intl.DateTimeFormat;
  /** The exact date of a post never changes: each is formatted once. */
  readonly exact = new Map<string, string>();
  constructor(lang: string) {
    this.#lang = lang;
  }
  get rel() {
    return (this.#rel ??= new Intl.RelativeTimeFormat(this.#lang, { numeric: 'auto' }));
  }
  get abs() {
    return (this.#abs ??= new Intl.DateTimeFormat(this.#lang, { dateStyle: 'medium', timeStyle: 'short' }));
  }
  get date() {
    return (this.#date ??= new Intl.DateTimeFormat(this.#lang, { dateStyle: 'medium' }));
  }
}
const formatters = new Map<string, Formatters>();

function formattersFor(lang: string): Formatters {
  let f = formatters.get(lang);
  if (!f) {
    f = new Formatters(lang);
    formatters.set(lang, f);
  }
  return f;
}

/** A date ("5 Dec 2026") in `lang`, e.g. when a staff member was verified. */
export function formatDate(iso: string, lang: string | undefined): string {
  return formattersFor(lang ?? navigator.language).date.format(new Date(iso));
}

/** Makes `lang`'s formatters ahead, one per task, so that no task makes them all. */
export function warmFormatters(lang: string): void {
  const f = formattersFor(lang);
  apart(() => f.abs);
  apart(() => f.rel);
  apart(() => f.date);
}

export function renderTime(iso: string, lang: string, now: number) {
  const when = new Date(iso);
  const f = formattersFor(lang);
  let amount = Math.round((when.getTime() - now) / 1000);
  // Formatting is a tenth of a long page's render: the exact date is made once per post.
  let exact = f.exact.get(iso);
  if (exact === undefined) {
    exact = f.abs.format(when);
    if (f.exact.size >= 5_000) f.exact.clear();
    f.exact.set(iso, exact);
  }
  let text = exact;
  for (const [unit, size] of UNITS) {
    if (Math.abs(amount) < size) {
      text = f.rel.format(unit === 'second' && Math.abs(amount) < 45 ? 0 : amount, unit);
      break;
    }
    amount = Math.round(amount / size);
  }
  return html`<time part="time" datetime=${iso} title=${exact}>${text}</time>`;
}

/** A wait in words from whole hours: "5 hours" under two days, then "3 days" (Intl's own units). */
export function duration(hours: number, lang: string): string {
  const days = hours >= 48;
  return new Intl.NumberFormat(lang, { style: 'unit', unit: days ? 'day' : 'hour', unitDisplay: 'long', maximumFractionDigits: 0 }).format(
    days ? Math.round(hours / 24) : Math.max(0, Math.round(hours)),
  );
}
