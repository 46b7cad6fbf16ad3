/**
 * Strings of `<parley-search>` (a lazy chunk), merged over the main strings with
 * `translator(lang, searchMessages)`; kept out of the first-render bundle.
 */
export const searchEn = {
  searchLabel: 'Search the discussions of this site',
  searchButton: 'Search',
  searchClose: 'Close search',
  searching: 'Searching…',
  searchResults: 'Search results',
  searchCount: '{count} messages found for “{q}”',
  searchNone: 'Nothing found for “{q}”.',
  searchIn: 'In: {topic}',
  searchMore: 'More results',
  searchTooShort: 'Type at least {min} characters.',
  searchFailed: 'The search did not work: {message}',
};

const searchNl: Partial<typeof searchEn> = {
  searchLabel: 'Zoek in de gesprekken van deze site',
  searchButton: 'Zoeken',
  searchClose: 'Zoeken sluiten',
  searching: 'Bezig met zoeken…',
  searchResults: 'Zoekresultaten',
  searchCount: '{count} berichten gevonden voor “{q}”',
  searchNone: 'Niets gevonden voor “{q}”.',
  searchIn: 'In: {topic}',
  searchMore: 'Meer resultaten',
  searchTooShort: 'Typ minstens {min} tekens.',
  searchFailed: 'Het zoeken lukte niet: {message}',
};

export const searchMessages = { en: searchEn, nl: searchNl };
