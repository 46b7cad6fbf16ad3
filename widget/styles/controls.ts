/**
 * Shared look of Parley's controls, on top of the design tokens (./tokens.ts): public
 * `--parley-*` properties are read into private `--_*` ones with a default, so a page can
 * theme the widget by setting `--parley-*` on `<parley-discussion>` or any ancestor.
 */
import { css } from 'lit';
import { tokenStyles } from './tokens.js';

export { themeStyles } from './tokens.js';

export const controlStyles = [
  tokenStyles,
  css`
  :host {
    font-family: var(--_font);
    color: var(--_text);
    line-height: 1.5;
  }
  a {
    color: var(--_accent);
    text-underline-offset: 0.15em;
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
  select {
    font: inherit;
    color: inherit;
    background: var(--_bg);
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    padding: 0.25em 0.5em;
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
  /* The info mark: a circled "i" drawn with CSS. The character ⓘ is missing from many system
     fonts (a box or a blank instead), so it is never used as text. */
  .info-mark {
    display: inline-grid;
    place-items: center;
    inline-size: 1.15em;
    block-size: 1.15em;
    margin-inline-end: 0.3em;
    border: 1.5px solid currentColor;
    border-radius: 50%;
    font-size: 0.85em;
    font-weight: 700;
    font-style: normal;
    line-height: 1;
    vertical-align: 0.05em;
    box-sizing: border-box;
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
`,
];
