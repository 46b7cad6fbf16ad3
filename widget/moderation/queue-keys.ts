/**
 * Keyboard shortcuts of the moderators' queue (issue 16), one table for the handler and the
 * help dialog that lists them. They never fire while the moderator types in a field, nor with
 * Ctrl, Alt or Meta held (the browser's and the screen reader's own shortcuts stay theirs).
 */
export type QueueCommand = 'next' | 'previous' | 'open' | 'act' | 'dismiss' | 'select' | 'help';

export const QUEUE_SHORTCUTS: ReadonlyArray<{ key: string; command: QueueCommand }> = [
  { key: 'j', command: 'next' },
  { key: 'k', command: 'previous' },
  { key: 'o', command: 'open' },
  { key: 'a', command: 'act' },
  { key: 'd', command: 'dismiss' },
  { key: 'x', command: 'select' },
  { key: '?', command: 'help' },
];

/** Is the key press meant for a field (typing), or a chord the browser owns? */
export function isTyping(e: KeyboardEvent): boolean {
  if (e.ctrlKey || e.metaKey || e.altKey || e.isComposing) return true;
  const target = e.composedPath()[0];
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || target instanceof HTMLInputElement || target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement;
}

/** The command of a key press, if it is one of the queue's and not typing. */
export function commandOf(e: KeyboardEvent): QueueCommand | null {
  if (isTyping(e)) return null;
  return QUEUE_SHORTCUTS.find((s) => s.key === e.key)?.command ?? null;
}
