import type { IdentityMessages } from './identity.en.js';

export const identityDe: IdentityMessages = {} as never;
