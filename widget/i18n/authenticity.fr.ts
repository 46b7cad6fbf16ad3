import type { AuthenticityMessages } from './authenticity.en.js';

export const authenticityFr: AuthenticityMessages = {} as never;
