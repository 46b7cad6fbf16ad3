/**
 * `<time>` for a post: relative ("5 minutes ago") for the last week, a date after that,
 * always with the exact date and time in `datetime` and `title`. Wording comes from Intl.
 */
import { html } from 'lit';

const UNITS: Array<[Intl.RelativeTimeFormatUnit, number]> = [
  ['second', 60],
  ['minute', 60],
  ['hour', 24],
  ['day', 7],
];
const formatters = new Map<string, { rel: Intl.RelativeTimeFormat; abs: Intl.DateTimeFormat }>();

function formattersFor(lang: string) {
  let f = formatters.get(lang);
  if (!f) {
    f = {
      rel: new Intl.RelativeTimeFormat(lang, { numeric: 'auto' }),
      abs: new Intl.DateTimeFormat(lang, { dateStyle: 'medium', timeStyle: 'short' }),
    };
    formatters.set(lang, f);
  }
  return f;
}

export function renderTime(iso: string, lang: string, now: number) {
  const when = new Date(iso);
  const f = formattersFor(lang);
  let amount = Math.round((when.getTime() - now) / 1000);
  const exact = f.abs.format(when);
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
