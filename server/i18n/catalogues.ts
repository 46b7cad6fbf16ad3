/** Every server catalogue, for the catalogue test (test/unit/i18n-catalogues.test.ts) and nothing else. */
import { adminPageMessages } from './admin-page.js';
import { howModerationMessages } from './how-moderation.js';
import { noticeMessages } from './moderation-notices.js';
import { setupPageMessages } from './setup-page.js';
import { signInMailMessages } from './sign-in-mail.js';

export const SERVER_CATALOGUES: Record<string, Record<string, Record<string, string>>> = {
  'sign-in mail': signInMailMessages,
  'how moderation works': howModerationMessages,
  'moderation notices': noticeMessages,
  'setup page': setupPageMessages,
  'admin console page': adminPageMessages,
};
