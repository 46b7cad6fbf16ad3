import type { ModMessages } from '../moderation/i18n.js';

export const modAr: ModMessages = {} as never;
