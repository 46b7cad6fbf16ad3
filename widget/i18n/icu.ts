/**
 * The ICU MessageFormat formatter, in a chunk of its own: loaded with the first language
 * (see index.ts), never part of the first-render bundle.
 */
export { IntlMessageFormat } from 'intl-messageformat';
