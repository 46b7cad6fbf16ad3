/**
 * Strings of `<parley-audit-log>`, kept out of the first-render bundle: only the lazily loaded
 * audit log imports this module (merged over the main strings with `translator(lang, logMessages)`).
 */
import { logAr } from './log.ar.js';
import { logDe } from './log.de.js';
import { logFr } from './log.fr.js';

export const logEn = {
  logLabel: 'Public moderation log',
  logLoading: 'Loading and verifying the public log…',
  logEmpty: 'Nothing has been logged yet.',
  logError: 'The public log could not be loaded.',
  logVerified: 'Log verified: {count, plural, one {# entry} other {# entries}}, checkpoint signed {time}',
  logVerifiedNoTime: 'Log verified: {count, plural, one {# entry} other {# entries}}',
  logVerifiedHead: 'Checkpoint verified: {count, plural, one {# entry} other {# entries}}, signed {time}; the entries shown are in it',
  logFailed: 'Verification failed: {message}',
  logRewritten: 'Warning: this log’s history was rewritten since your last visit. {message}',
  logFirstVisit: 'This checkpoint is now remembered on this device: a later rewrite of the history will be detected.',
  logWitnesses: 'Cosigned by {count, plural, one {# independent witness} other {# independent witnesses}}',
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

export type LogMessages = typeof logEn;

export const logMessages = {
  en: logEn,
  de: logDe,
  fr: logFr,
  ar: logAr,
  nl: {
    logLabel: 'Openbaar moderatielogboek',
    logLoading: 'Het openbare logboek wordt geladen en gecontroleerd…',
    logEmpty: 'Er is nog niets vastgelegd.',
    logError: 'Het openbare logboek kon niet worden geladen.',
    logVerified: 'Logboek gecontroleerd: {count, plural, one {# regel} other {# regels}}, controlepunt ondertekend {time}',
    logVerifiedNoTime: 'Logboek gecontroleerd: {count, plural, one {# regel} other {# regels}}',
    logVerifiedHead: 'Controlepunt gecontroleerd: {count, plural, one {# regel} other {# regels}}, ondertekend {time}; de getoonde regels horen erbij',
    logFailed: 'Controle mislukt: {message}',
    logRewritten: 'Waarschuwing: de geschiedenis van dit logboek is sinds je vorige bezoek herschreven. {message}',
    logFirstVisit: 'Dit controlepunt wordt nu op dit apparaat onthouden: een latere herschrijving van de geschiedenis wordt opgemerkt.',
    logWitnesses: 'Medeondertekend door {count, plural, one {# onafhankelijke getuige} other {# onafhankelijke getuigen}}',
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
