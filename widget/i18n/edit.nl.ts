/** Dutch strings of the lazily loaded edit parts; keys mirror edit.en.ts. */
import type { EditMessages } from './edit.en.js';

export const editNl: Partial<EditMessages> = {
  editLabel: 'Je bericht bewerken',
  editHint: 'Iedereen kan eerdere versies lezen. Ctrl+Enter bewaart, Escape annuleert.',
  editSave: 'Bewaren',
  editSaving: 'Bezig met bewaren…',
  editCancel: 'Annuleren',
  editSaved: 'Je wijziging is bewaard',
  editEmpty: 'Schrijf eerst een bericht.',
  editTooLong: 'Je bericht is {count} tekens lang; de grens is {max}.',
  editConflict: 'Dit bericht is veranderd sinds je begon (elders bewerkt, of de moderatoren grepen in). Je tekst staat er nog: bewaar opnieuw om het te vervangen.',
  editRate: 'Je bewerkt te snel. Probeer het over {seconds} seconden opnieuw.',
  editNetwork: 'Niet bewaard: de server was niet bereikbaar. Je tekst staat er nog; probeer het opnieuw.',
  editFailed: 'Niet bewaard: {message}',
  historyTitle: 'Bewerkingsgeschiedenis',
  historyIntro: 'Elke versie van dit bericht, nieuwste eerst. Iedereen kan ze lezen.',
  historyLoading: 'De versies worden geladen…',
  historyError: 'De versies konden niet worden geladen.',
  historyRetry: 'Opnieuw proberen',
  historyClose: 'Sluiten',
  historyOriginal: 'Origineel',
  historyVersion: 'Versie {n}',
  historyCurrent: 'huidige',
  historyRemoved: 'Dit bericht is verwijderd door de moderatoren: de tekst van de versies wordt niet getoond.',
};
