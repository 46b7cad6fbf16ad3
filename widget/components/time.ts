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
const formatters = new Map<string, { rel: Intl.RelativeTimeFormat; abs: Intl.DateTimeFormat; exact: Map<string, string> }>();

function formattersFor(lang: string) {
  let f = formatters.get(lang);
  if (!f) {
    f = {
      rel: new Intl.RelativeTimeFormat(lang, { numeric: 'auto' }),
      abs: new Intl.DateTimeFormat(lang, { dateStyle: 'medium', timeStyle: 'short' }),
      exact: new Map(),
    };
    formatters.set(lang, f);
  }
  return f;
}

export function renderTime(iso: string, lang: string, now: number) {
  const when = new Date(iso);
  const f = formattersFor(lang);
  let amount = Math.round((when.getTime() - now) / 1000);
  // The exact date of a post never changes: format it once (Intl formatting is a tenth of a long page's render).
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
