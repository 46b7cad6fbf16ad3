/**
 * Strings of `<parley-search>` (a lazy chunk), merged over the main strings with
 * `translator(lang, searchMessages)`; kept out of the first-render bundle. ICU MessageFormat, as
 * every catalogue (widget/i18n/index.ts); test/unit/i18n-catalogues.test.ts checks all five languages.
 */
export const searchEn = {
  searchLabel: 'Search the discussions of this site',
  searchButton: 'Search',
  searchClose: 'Close search',
  searching: 'Searching…',
  searchResults: 'Search results',
  searchCount: '{count, plural, one {# message found for “{q}”} other {# messages found for “{q}”}}',
  searchNone: 'Nothing found for “{q}”.',
  searchIn: 'In: {topic}',
  searchMore: 'More results',
  searchTooShort: 'Type at least {min} characters.',
  searchFailed: 'The search did not work: {message}',
};

const searchNl: typeof searchEn = {
  searchLabel: 'Zoek in de gesprekken van deze site',
  searchButton: 'Zoeken',
  searchClose: 'Zoeken sluiten',
  searching: 'Bezig met zoeken…',
  searchResults: 'Zoekresultaten',
  searchCount: '{count, plural, one {# bericht gevonden voor “{q}”} other {# berichten gevonden voor “{q}”}}',
  searchNone: 'Niets gevonden voor “{q}”.',
  searchIn: 'In: {topic}',
  searchMore: 'Meer resultaten',
  searchTooShort: 'Typ minstens {min} tekens.',
  searchFailed: 'Het zoeken lukte niet: {message}',
};

const searchDe: typeof searchEn = {
  searchLabel: 'Die Gespräche dieser Website durchsuchen',
  searchButton: 'Suchen',
  searchClose: 'Suche schließen',
  searching: 'Suche läuft…',
  searchResults: 'Suchergebnisse',
  searchCount: '{count, plural, one {# Nachricht zu „{q}“ gefunden} other {# Nachrichten zu „{q}“ gefunden}}',
  searchNone: 'Nichts gefunden zu „{q}“.',
  searchIn: 'In: {topic}',
  searchMore: 'Weitere Ergebnisse',
  searchTooShort: 'Geben Sie mindestens {min} Zeichen ein.',
  searchFailed: 'Die Suche hat nicht geklappt: {message}',
};

const searchFr: typeof searchEn = {
  searchLabel: 'Rechercher dans les discussions de ce site',
  searchButton: 'Rechercher',
  searchClose: 'Fermer la recherche',
  searching: 'Recherche en cours…',
  searchResults: 'Résultats de la recherche',
  searchCount: '{count, plural, one {# message trouvé pour « {q} »} other {# messages trouvés pour « {q} »}}',
  searchNone: 'Rien trouvé pour « {q} ».',
  searchIn: 'Dans : {topic}',
  searchMore: 'Plus de résultats',
  searchTooShort: 'Tapez au moins {min} caractères.',
  searchFailed: 'La recherche n’a pas fonctionné : {message}',
};

const searchAr: typeof searchEn = {
  searchLabel: 'ابحث في نقاشات هذا الموقع',
  searchButton: 'بحث',
  searchClose: 'إغلاق البحث',
  searching: 'جارٍ البحث…',
  searchResults: 'نتائج البحث',
  searchCount: '{count, plural, other {# رسالة عن «{q}»}}',
  searchNone: 'لم يُعثر على شيء عن «{q}».',
  searchIn: 'في: {topic}',
  searchMore: 'نتائج أخرى',
  searchTooShort: 'اكتب {min} أحرف على الأقل.',
  searchFailed: 'لم ينجح البحث: {message}',
};

export const searchMessages = { en: searchEn, nl: searchNl, de: searchDe, fr: searchFr, ar: searchAr };
