/** Every server catalogue, for the catalogue test (test/unit/i18n-catalogues.test.ts) and nothing else. */
import { howModerationMessages } from './how-moderation.js';
import { signInMailMessages } from './sign-in-mail.js';

export const SERVER_CATALOGUES: Record<string, Record<string, Record<string, string>>> = {
  'sign-in mail': signInMailMessages,
  'how moderation works': howModerationMessages,
};
