/**
 * Strings of `<parley-audit-log>`, kept out of the first-render bundle: only the lazily loaded
 * audit log imports this module (merged over the main strings with `translator(lang, logMessages)`).
 */
export const logEn = {
  logLabel: 'Public moderation log',
  logLoading: 'Loading and verifying the public log…',
  logEmpty: 'Nothing has been logged yet.',
  logError: 'The public log could not be loaded.',
  logVerified: 'Log verified: {count} entries, checkpoint signed {time}',
  logVerifiedNoTime: 'Log verified: {count} entries',
  logVerifiedHead: 'Checkpoint verified: {count} entries, signed {time}; the entries shown are in it',
  logFailed: 'Verification failed: {message}',
  logRewritten: 'Warning: this log’s history was rewritten since your last visit. {message}',
  logFirstVisit: 'This checkpoint is now remembered on this device: a later rewrite of the history will be detected.',
  logWitnesses: 'Cosigned by {count} independent witnesses',
  logFilter: 'Show',
  logFilterAll: 'All entries',
  logLoadMore: 'Older entries',
  logEntry: 'Entry {index}',
  logBy: 'by {actor}',
  logRule: 'Rule {rule}',
  logThread: 'View the conversation',
  logRefersTo: 'Refers to entry {index}',
  logRedacted: 'Erased for privacy: {fields}',
  logDetails: 'Statement of reasons and data',
};

export const logMessages = {
  en: logEn,
  nl: {
    logLabel: 'Openbaar moderatielogboek',
    logLoading: 'Het openbare logboek wordt geladen en gecontroleerd…',
    logEmpty: 'Er is nog niets vastgelegd.',
    logError: 'Het openbare logboek kon niet worden geladen.',
    logVerified: 'Logboek gecontroleerd: {count} regels, controlepunt ondertekend {time}',
    logVerifiedNoTime: 'Logboek gecontroleerd: {count} regels',
    logVerifiedHead: 'Controlepunt gecontroleerd: {count} regels, ondertekend {time}; de getoonde regels horen erbij',
    logFailed: 'Controle mislukt: {message}',
    logRewritten: 'Waarschuwing: de geschiedenis van dit logboek is sinds je vorige bezoek herschreven. {message}',
    logFirstVisit: 'Dit controlepunt wordt nu op dit apparaat onthouden: een latere herschrijving van de geschiedenis wordt opgemerkt.',
    logWitnesses: 'Medeondertekend door {count} onafhankelijke getuigen',
    logFilter: 'Toon',
    logFilterAll: 'Alle regels',
    logLoadMore: 'Oudere regels',
    logEntry: 'Regel {index}',
    logBy: 'door {actor}',
    logRule: 'Regel {rule}',
    logThread: 'Bekijk het gesprek',
    logRefersTo: 'Verwijst naar regel {index}',
    logRedacted: 'Gewist voor privacy: {fields}',
    logDetails: 'Motivering en gegevens',
  } as Partial<typeof logEn>,
};
