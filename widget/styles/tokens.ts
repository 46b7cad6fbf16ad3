/**
 * Parley's design tokens: one type scale, one spacing scale, one radius, and two palettes
 * (light and dark). Each public `--parley-*` custom property is read into a private `--_*`
 * one with the token as its default, so a host page themes the widget by setting
 * `--parley-*` on the element or an ancestor, and never has to know the private names.
 *
 * Themes: the palette is chosen by `themeStyles`, which only the top-level elements
 * (`<parley-discussion>`, `<parley-audit-log>`, `<parley-admin>`, …) include: `theme="dark"`
 * or `theme="light"` forces one, `auto` (or no attribute) follows `prefers-color-scheme`.
 * Components inside them inherit the chosen tones (`--_tone-*` custom properties inherit
 * through shadow roots), so a forced theme reaches every nested panel and dialog.
 * A host colour (`--parley-color-accent: #2f5d50`) applies to the light theme; the dark theme
 * reads `--parley-dark-color-*` instead, because a brand colour chosen for white rarely
 * keeps its contrast on a dark background.
 *
 * The values live in moderation/design-tokens.ts: the server's own pages use the same ones
 * (server/render/page-css.ts).
 */
import { css, unsafeCSS } from 'lit';

export { FONT_STACK, PALETTES, SCALE, type Tone } from '../../moderation/design-tokens.js';
import { FONT_STACK, PALETTES, SCALE } from '../../moderation/design-tokens.js';

const tones = (palette: 'light' | 'dark') =>
  unsafeCSS(Object.entries(PALETTES[palette]).map(([k, v]) => `--_tone-${k}: var(--parley-${palette === 'dark' ? 'dark-' : ''}color-${k}, ${v});`).join('\n'));

/**
 * The palette of a top-level element. Light is explicit too, so that a forced light element
 * inside a page in dark mode does not inherit dark tones from an ancestor widget.
 */
export const themeStyles = css`
  :host {
    ${tones('light')}
    color-scheme: light;
    /* A themed element paints its own background: dark text on a host's dark page, or light
       text on a host's light one, would otherwise be unreadable. */
    background: var(--_bg);
    color: var(--_text);
  }
  @media (prefers-color-scheme: dark) {
    :host(:not([theme='light'])) {
      ${tones('dark')}
      color-scheme: dark;
    }
  }
  :host([theme='dark']) {
    ${tones('dark')}
    color-scheme: dark;
  }
`;

/**
 * The private names every component uses. The tones come from the nearest themed ancestor; a
 * component used on its own (no themed ancestor) reads the host's `--parley-color-*` directly.
 */
export const tokenStyles = css`
  :host {
    --_text: var(--_tone-text, var(--parley-color-text, ${unsafeCSS(PALETTES.light.text)}));
    --_bg: var(--_tone-bg, var(--parley-color-bg, ${unsafeCSS(PALETTES.light.bg)}));
    --_surface: var(--_tone-surface, var(--parley-color-surface, ${unsafeCSS(PALETTES.light.surface)}));
    --_border: var(--_tone-border, var(--parley-color-border, ${unsafeCSS(PALETTES.light.border)}));
    --_accent: var(--_tone-accent, var(--parley-color-accent, ${unsafeCSS(PALETTES.light.accent)}));
    --_accent-text: var(--_tone-accent-text, var(--parley-color-accent-text, ${unsafeCSS(PALETTES.light['accent-text'])}));
    --_muted: var(--_tone-muted, var(--parley-color-muted, ${unsafeCSS(PALETTES.light.muted)}));
    --_danger: var(--_tone-danger, var(--parley-color-danger, ${unsafeCSS(PALETTES.light.danger)}));
    --_ok: var(--_tone-ok, var(--parley-color-ok, ${unsafeCSS(PALETTES.light.ok)}));
    --_note-bg: var(--_tone-note-bg, ${unsafeCSS(PALETTES.light['note-bg'])});
    --_note-border: var(--_tone-note-border, ${unsafeCSS(PALETTES.light['note-border'])});
    --_note-text: var(--_tone-note-text, ${unsafeCSS(PALETTES.light['note-text'])});
    --_focus: var(--parley-color-focus, var(--_accent));
    --_font: var(--parley-font, ${unsafeCSS(FONT_STACK)});
    --_text-xs: ${unsafeCSS(SCALE.text.xs)};
    --_text-sm: ${unsafeCSS(SCALE.text.sm)};
    --_text-md: ${unsafeCSS(SCALE.text.md)};
    --_text-lg: ${unsafeCSS(SCALE.text.lg)};
    --_text-xl: ${unsafeCSS(SCALE.text.xl)};
    --_radius: var(--parley-radius, ${unsafeCSS(SCALE.radius.md)});
    --_radius-sm: ${unsafeCSS(SCALE.radius.sm)};
    --_radius-lg: calc(var(--_radius) + 4px);
    --_space: var(--parley-space, ${unsafeCSS(SCALE.space[4])});
    --_half: calc(var(--_space) / 2);
    --_quarter: calc(var(--_space) / 4);
    --_indent: var(--parley-indent, 1.25rem);
  }
`;
