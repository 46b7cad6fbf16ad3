/**
 * Parley's design tokens as plain data (issue 17): the two palettes, the font stack, the type
 * and spacing scales and the radius. The widget turns them into custom properties
 * (widget/styles/tokens.ts); the server's own pages (admin console, first-run setup) into a
 * stylesheet (server/render/page-css.ts), so that both look like one product. Data only.
 */

/** The two palettes. Every text colour has ≥ 4.5:1 against bg and surface; borders ≥ 3:1. */
export const PALETTES = {
  light: {
    text: '#1f2328',
    bg: '#ffffff',
    surface: '#f6f8fa',
    border: '#8c959f',
    accent: '#0b5cad',
    'accent-text': '#ffffff',
    muted: '#57606a',
    danger: '#b42318',
    ok: '#1a7f37',
    'note-bg': '#fff8e1',
    'note-border': '#9a6700',
    'note-text': '#3d2c00',
  },
  dark: {
    text: '#e6edf3',
    bg: '#16191d',
    surface: '#21262d',
    border: '#768390',
    accent: '#79b8ff',
    'accent-text': '#0d1117',
    muted: '#a8b1bb',
    danger: '#ff938a',
    ok: '#6fdd8b',
    'note-bg': '#2e2610',
    'note-border': '#d9a520',
    'note-text': '#f6e7bd',
  },
} as const;
export type Tone = keyof (typeof PALETTES)['light'];

/** A system font stack: the widget never inherits a host's serif body text. */
export const FONT_STACK = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Noto Sans', 'Helvetica Neue', Arial, sans-serif";

/** Type scale (rem), spacing (rem) and radius (px): the same numbers in the widget and on server pages. */
export const SCALE = {
  text: { xs: '0.8125rem', sm: '0.875rem', md: '1rem', lg: '1.125rem', xl: '1.375rem' },
  space: { 1: '0.25rem', 2: '0.5rem', 3: '0.75rem', 4: '1rem', 6: '1.5rem' },
  radius: { sm: '4px', md: '6px', lg: '10px' },
} as const;

