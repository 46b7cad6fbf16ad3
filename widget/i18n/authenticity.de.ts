import type { AuthenticityMessages } from './authenticity.en.js';

export const authenticityDe: AuthenticityMessages = {} as never;
