import type { ModMessages } from '../moderation/i18n.js';

export const modDe: ModMessages = {} as never;
