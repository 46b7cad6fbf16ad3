/**
 * Shared look of Parley's controls and the defaults of its CSS custom properties. Public
 * `--parley-*` properties are read into private `--_*` ones with a default, so a page can
 * theme the widget by setting `--parley-*` on `<parley-discussion>` or any ancestor.
 */
import { css } from 'lit';

export const controlStyles = css`
  :host {
    --_text: var(--parley-color-text, #1f2328);
    --_bg: var(--parley-color-bg, #ffffff);
    --_surface: var(--parley-color-surface, #f6f8fa);
    --_border: var(--parley-color-border, #8c959f);
    --_accent: var(--parley-color-accent, #0b5cad);
    --_accent-text: var(--parley-color-accent-text, #ffffff);
    --_muted: var(--parley-color-muted, #57606a);
    --_danger: var(--parley-color-danger, #b42318);
    --_focus: var(--parley-color-focus, var(--_accent));
    --_radius: var(--parley-radius, 6px);
    --_space: var(--parley-space, 1rem);
    --_half: calc(var(--_space) / 2);
    --_indent: var(--parley-indent, 1.25rem);
    font-family: var(--parley-font, inherit);
    color: var(--_text);
    line-height: 1.5;
  }
  button {
    font: inherit;
    cursor: pointer;
    color: var(--_accent);
    background: transparent;
    border: 1px solid currentColor;
    border-radius: var(--_radius);
    padding: 0.35em 0.9em;
  }
  button.primary {
    color: var(--_accent-text);
    background: var(--_accent);
    border-color: var(--_accent);
  }
  button.link {
    border-color: transparent;
    padding: 0.2em 0.4em;
    text-decoration: underline;
  }
  button[aria-disabled='true'],
  button:disabled {
    opacity: 0.65;
    cursor: default;
  }
  :focus-visible {
    outline: 3px solid var(--_focus);
    outline-offset: 2px;
  }
  .visually-hidden {
    position: absolute;
    width: 1px;
    height: 1px;
    margin: -1px;
    padding: 0;
    overflow: hidden;
    clip: rect(0 0 0 0);
    white-space: nowrap;
    border: 0;
  }
`;
