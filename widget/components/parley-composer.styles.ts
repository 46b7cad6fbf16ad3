import { css } from 'lit';
import { controlStyles } from '../styles/controls.js';

export const composerStyles = [
  controlStyles,
  css`
    :host {
      display: block;
    }
    label {
      display: block;
      font-weight: 600;
      margin-bottom: var(--_half);
    }
    textarea {
      box-sizing: border-box;
      width: 100%;
      min-height: 5em;
      resize: vertical;
      font: inherit;
      color: inherit;
      background: var(--_bg);
      border: 1px solid var(--_border);
      border-radius: var(--_radius);
      padding: calc(var(--_space) * 0.75);
    }
    .ask { margin-top: var(--_half); }
    /* @ suggestions (issue 13; rendered by widget/notifications/mentions.ts). */
    .mention-list { list-style: none; margin: 0.25em 0 0; padding: 0.25em 0; border: 1px solid var(--_border); border-radius: var(--_radius); background: var(--_bg); max-width: 24em; box-shadow: 0 2px 6px rgb(0 0 0 / 0.15); }
    .mention-list li { padding: 0.3em 0.75em; cursor: pointer; }
    .mention-list li[aria-selected='true'] { background: var(--_accent); color: var(--_accent-text); }
    .ask label { display: inline; margin-inline-end: var(--_half); }
    select { font: inherit; color: inherit; background: var(--_bg); border: 1px solid var(--_border); border-radius: var(--_radius); padding: 0.2em 0.4em; }
    textarea[aria-invalid='true'] {
      border-color: var(--_danger);
      border-width: 2px;
    }
    textarea[readonly] {
      background: var(--_surface);
    }
    .row {
      display: flex;
      justify-content: space-between;
      gap: var(--_space);
      font-size: 0.85em;
      color: var(--_muted);
      margin-top: 0.25em;
    }
    .over {
      color: var(--_danger);
      font-weight: 600;
    }
    .notice,
    .error {
      margin: 0.5em 0 0;
    }
    .notice:empty,
    .error:empty {
      display: none;
    }
    .error {
      color: var(--_danger);
      font-weight: 600;
    }
    .error::before {
      content: '⚠ ';
    }
    .hp {
      position: absolute;
      left: -10000px;
      width: 1px;
      height: 1px;
      overflow: hidden;
    }
    .preview {
      margin-top: var(--_half);
      padding: var(--_half) calc(var(--_space) * 0.75);
      border: 1px dashed var(--_border);
      border-radius: var(--_radius);
      overflow-wrap: anywhere;
    }
    .preview blockquote { margin: 0.5em 0; padding-left: 0.8em; border-left: 3px solid var(--_border); color: var(--_muted); }
    .preview a { color: var(--_accent); }
    .preview .body > :first-child { margin-top: 0; }
    .preview .body > :last-child { margin-bottom: 0; }
    .actions {
      flex-wrap: wrap;
      display: flex;
      gap: var(--_half);
      margin-top: var(--_half);
    }
  `,
];
