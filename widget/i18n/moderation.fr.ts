import type { ModMessages } from '../moderation/i18n.js';

export const modFr: ModMessages = {} as never;
