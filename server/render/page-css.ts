/**
 * The stylesheet base of the server's own pages (the admin console page, first-run setup): the
 * widget's design tokens (moderation/design-tokens.ts) as custom properties, the light palette
 * and the dark one under `prefers-color-scheme: dark`, the system font, links in the accent
 * colour and a visible focus ring, so that these pages and the widget look like one product.
 * Served as a file (the server's CSP allows `style-src 'self'`, no inline styles).
 */
import { FONT_STACK, PALETTES, SCALE } from '../../moderation/design-tokens.js';

const vars = (palette: 'light' | 'dark') =>
  Object.entries(PALETTES[palette]).map(([k, v]) => `--p-${k}:${v};`).join('');

export const PAGE_TOKENS_CSS = `:root{${vars('light')}color-scheme:light;--p-radius:${SCALE.radius.md};--p-space:${SCALE.space[4]}}
@media (prefers-color-scheme:dark){:root{${vars('dark')}color-scheme:dark}}
body{font:${SCALE.text.md}/1.5 ${FONT_STACK};color:var(--p-text);background:var(--p-bg)}
h1{font-size:${SCALE.text.xl};line-height:1.25}
h2{font-size:${SCALE.text.lg}}
a{color:var(--p-accent);text-underline-offset:.15em}
:focus-visible{outline:3px solid var(--p-accent);outline-offset:2px}
button{font:inherit;color:var(--p-accent);background:transparent;border:1px solid currentColor;border-radius:var(--p-radius);padding:.35em .9em;cursor:pointer}
button[type=submit]{color:var(--p-accent-text);background:var(--p-accent);border-color:var(--p-accent)}
input,textarea,select{font:inherit;color:inherit;background:var(--p-bg);border:1px solid var(--p-border);border-radius:var(--p-radius)}
code,pre{font-size:${SCALE.text.sm}}
pre{background:var(--p-surface);border:1px solid var(--p-border);border-radius:var(--p-radius)}
`;
