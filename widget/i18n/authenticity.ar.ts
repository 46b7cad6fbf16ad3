import type { AuthenticityMessages } from './authenticity.en.js';

export const authenticityAr: AuthenticityMessages = {} as never;
