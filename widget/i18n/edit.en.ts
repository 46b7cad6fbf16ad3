/**
 * English strings of the lazily loaded edit parts (the inline editor and the history view,
 * widget/edit/). Merged over the main strings with `translator(lang, editMessages)`; kept out
 * of the first-render bundle. The first-render ones ("Edit", "edited · see history") are in en.ts.
 */
export const editEn = {
  editLabel: 'Edit your message',
  editHint: 'Everyone can read earlier versions. Ctrl+Enter saves, Escape cancels.',
  editSave: 'Save',
  editSaving: 'Saving…',
  editCancel: 'Cancel',
  editSaved: 'Your edit was saved',
  editEmpty: 'Write a message first.',
  editTooLong: 'Your message is {count} characters long; the limit is {max}.',
  editConflict: 'This message changed since you started editing (edited elsewhere, or the moderators acted on it). Your text is still here: save again to replace it.',
  editRate: 'You’re editing too fast. Try again in {seconds} seconds.',
  editNetwork: 'Not saved: the server could not be reached. Your text is still here; try again.',
  editFailed: 'Not saved: {message}',
  historyTitle: 'Edit history',
  historyIntro: 'Every version of this message, newest first. Everyone can read them.',
  historyLoading: 'Loading the versions…',
  historyError: 'The versions could not be loaded.',
  historyRetry: 'Try again',
  historyClose: 'Close',
  historyOriginal: 'Original',
  historyVersion: 'Version {n}',
  historyCurrent: 'current',
  historyRemoved: 'This message was removed by the moderators: the text of its versions is not shown.',
};

export type EditMessages = typeof editEn;
