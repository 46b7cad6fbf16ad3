import { css } from 'lit';
import { controlStyles, themeStyles } from './styles/controls.js';

export const discussionStyles = [
  themeStyles,
  controlStyles,
  css`
    :host {
      display: block;
      background: var(--_bg);
    }
    :host([hidden]) {
      display: none;
    }
    section > * + * {
      margin-top: var(--_space);
    }
    .banner.on {
      padding: var(--_half) var(--_space);
      border: 1px solid var(--_border);
      border-inline-start: 4px solid var(--_accent);
      border-radius: var(--_radius);
      background: var(--_surface);
    }
    .banner.on::before {
      content: '⟳ ';
    }
    :host([connection='offline']) .banner.on::before {
      content: '⚠ ';
    }
    .state {
      color: var(--_muted);
    }
    .toolbar {
      display: flex;
      flex-wrap: wrap;
      align-items: center;
      gap: var(--_half);
      justify-content: flex-end;
      flex-wrap: wrap;
      font-size: 0.9em;
    }
    select {
      font: inherit;
      color: inherit;
      background: var(--_bg);
      border: 1px solid var(--_border);
      border-radius: var(--_radius);
      padding: 0.2em 0.4em;
    }
    .notice {
      padding: var(--_space);
      border: 1px dashed var(--_border);
      border-radius: var(--_radius);
      background: var(--_surface);
    }
    .notice p {
      margin: 0 0 var(--_half);
    }
    .notice button + button {
      margin-inline-start: var(--_half);
    }
    .posting-as {
      display: flex;
      flex-wrap: wrap;
      align-items: baseline;
      gap: 0.4em;
      margin: 0 0 var(--_half);
    }
    .posting-as .name {
      font-weight: 700;
    }
    ol {
      list-style: none;
      margin: 0;
      padding: 0;
    }
    /* Threads off screen are not laid out or painted until they come near the viewport (their
       size is remembered once seen): the layout of a 600-post page was a long task of its own. */
    .threads > .item {
      content-visibility: auto;
      contain-intrinsic-size: auto 12rem;
    }
    /* "3 new messages": live posts wait above the list instead of pushing it down under the reader. */
    .fresh {
      position: sticky;
      top: var(--_half);
      z-index: 1;
      display: flex;
      justify-content: center;
      margin-block: var(--_half);
    }
    .fresh button {
      box-shadow: 0 2px 6px rgb(0 0 0 / 0.25);
    }
    /* While that button sticks to the top, whatever takes focus in the list scrolls clear of it,
       not under it (WCAG 2.4.11 Focus Not Obscured): the browser keeps this margin above a
       focused element when it scrolls it into view. The button is about 2.3em high. */
    .fresh ~ .threads :is(article, a, button, select, textarea, [tabindex]) {
      scroll-margin-top: calc(var(--_half) + 3em);
    }
    .threads > .item + .item {
      margin-top: var(--_space);
      padding-top: var(--_space);
      border-top: 1px solid var(--_border);
    }
    .replies {
      margin-top: var(--_half);
      padding-inline-start: var(--_indent);
      border-inline-start: 2px solid var(--_border);
    }
    .replies.flat {
      padding-inline-start: 0;
      border-inline-start: 0;
    }
    .replies > .item + .item {
      margin-top: var(--_half);
    }
    .post {
      padding: var(--_half) 0;
    }
    /* Issue 13: a reply to the reader not yet read, marked in words and by a bar (not colour alone). */
    .post[data-unread] {
      border-left: 4px solid var(--_accent);
      padding-left: var(--_half);
    }
    /* A mention of someone (issue 13): their name, set apart, not a link of its own. */
    .body a.parley-mention {
      font-weight: 600;
      color: var(--_accent);
      text-decoration: none;
    }
    .unread {
      font-size: 0.8em;
      color: var(--_accent-text);
      background: var(--_accent);
      padding: 0.05em 0.5em;
      border-radius: var(--_radius);
    }
    .since {
      display: flex;
      flex-wrap: wrap;
      align-items: baseline;
      gap: var(--_half);
      padding: var(--_half) var(--_space);
      border: 1px solid var(--_border);
      border-left: 4px solid var(--_accent);
      border-radius: var(--_radius);
      background: var(--_surface);
    }
    .since p {
      margin: 0;
      font-weight: 600;
    }
    .byline {
      display: flex;
      flex-wrap: wrap;
      align-items: baseline;
      gap: 0.25em 0.6em;
    }
    .name {
      font-weight: 700;
    }
    .name.deleted {
      font-weight: 400;
      font-style: italic;
    }
    .badge {
      font-size: var(--_text-xs);
      font-weight: 600;
      line-height: 1.4;
      padding: 0.05em 0.5em;
      border: 1px solid currentColor;
      border-radius: var(--_radius);
    }
    /* Compact: "✓ Medical Advisor · Acme Pharma" on one line; a long title is cut, never wrapped
       into a box of three lines (the whole text is in the company card the badge opens). */
    .badge.staff {
      color: var(--_accent);
      background: var(--_bg);
      display: inline-flex;
      align-items: baseline;
      gap: 0.35em;
      max-width: 100%;
      min-width: 0;
      white-space: nowrap;
    }
    .badge.staff .badge-text {
      display: flex;
      min-width: 0;
      white-space: pre;
    }
    .badge.staff .role {
      overflow: hidden;
      text-overflow: ellipsis;
      min-width: 2em;
    }
    .badge.staff .org {
      flex: none;
    }
    .badge.staff .check {
      font-weight: 700;
    }
    .byline .name {
      overflow-wrap: anywhere;
    }
    .badge.pro {
      border-style: dashed;
    }
    .badge.lookalike {
      color: var(--_danger);
    }
    .badge.imported {
      border-style: dotted;
      color: var(--_muted);
    }
    time,
    .edited,
    .reply-to,
    .footer {
      color: var(--_muted);
      font-size: var(--_text-sm);
    }
    .reply-to {
      margin: 0.15em 0 0;
    }
    .reply-to::before {
      content: '↳ ';
    }
    /* The arrow points to where the line starts: leftwards in a right-to-left language. */
    [dir='rtl'] .reply-to::before {
      content: '↲ ';
    }
    .body {
      overflow-wrap: anywhere;
    }
    .body a {
      color: var(--_accent);
    }
    .body blockquote {
      margin: 0.5em 0;
      padding-inline-start: 0.8em;
      border-inline-start: 3px solid var(--_border);
      color: var(--_muted);
    }
    .body code {
      background: var(--_surface);
      padding: 0 0.25em;
      border-radius: 3px;
    }
    /* A post by someone the reader blocked (issue 13): one quiet line with Show, never a silent gap. */
    .blocked-line {
      margin: 0;
      padding: var(--_half) 0;
      color: var(--_muted);
      font-size: var(--_text-sm);
      font-style: italic;
    }
    /* Moderators' callouts: the shield icon, a coloured bar and background, and a title. Outside
       the sanitised body, which can hold no svg, class or style: a post cannot imitate one. */
    .callout,
    .tombstone {
      display: flex;
      gap: var(--_half);
      align-items: flex-start;
      margin: var(--_half) 0;
      padding: var(--_half) calc(var(--_space) * 0.75);
      border-radius: var(--_radius);
      font-size: var(--_text-sm);
    }
    .callout {
      background: var(--_note-bg);
      color: var(--_note-text);
      border: 1px solid var(--_note-border);
      border-inline-start: 5px solid var(--_note-border);
    }
    .callout .icon,
    .tombstone .icon {
      flex: none;
      margin-top: 0.1em;
    }
    .callout .icon {
      color: var(--_note-border);
    }
    .callout-body {
      min-width: 0;
      flex: 1;
    }
    .callout-body > p {
      margin: 0;
    }
    .callout-title {
      font-weight: 700;
    }
    .callout-meta {
      font-size: var(--_text-xs);
    }
    .callout a {
      color: inherit;
    }
    /* A removed post: the same shape, in muted tones and a dashed border (nothing left to read). */
    .tombstone {
      color: var(--_muted);
      background: var(--_surface);
      border: 1px dashed var(--_border);
      border-inline-start: 5px solid var(--_border);
    }
    .tombstone .callout-body > p + p {
      margin-top: 0.25em;
    }
    .tombstone .own {
      margin-top: var(--_half);
      color: var(--_text);
    }
    .notice .callout {
      margin-bottom: 0;
    }
    .actions {
      margin-top: 0.25em;
      display: flex;
      flex-wrap: wrap;
      align-items: baseline;
      gap: 0 var(--_half);
    }
    .pinned {
      margin: 0 0 0.25em;
      font-size: 0.85em;
      font-weight: 600;
      color: var(--_accent);
    }
    /* The post a link led to (#parley-post-{id}): marked for as long as it is the one linked. */
    .linked-post {
      /* Inside the post's box: a thread's container clips anything drawn beyond it. */
      outline: 3px solid var(--_accent);
      outline-offset: -3px;
      padding: var(--_half) calc(var(--_half) + 3px);
      border-radius: var(--_radius-sm);
      scroll-margin-block: 4rem;
    }
    .pinned-post {
      border-left: 3px solid var(--_accent);
      padding-left: var(--_half);
    }
    .held {
      margin: 0.35em 0;
      padding: 0.35em var(--_half);
      border: 1px dashed var(--_border);
      border-radius: var(--_radius);
      background: var(--_surface);
      font-size: 0.9em;
    }
    .held p {
      margin: 0.15em 0;
    }
    .helpful {
      font-size: 0.9em;
      color: var(--_muted);
    }
    .helpful button[aria-pressed='true'] {
      font-weight: 700;
    }
    .helpful button[aria-pressed='true']::before {
      content: '✓ ';
    }
    .actions button {
      font-size: 0.9em;
    }
    parley-composer {
      margin-top: var(--_half);
    }
    .more {
      text-align: center;
    }
    .more p {
      margin: 0 0 0.5em;
    }
    .footer a {
      color: inherit;
      margin-inline-start: 0.75em;
    }
  `,
];
