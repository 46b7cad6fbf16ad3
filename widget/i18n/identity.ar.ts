import type { IdentityMessages } from './identity.en.js';

export const identityAr: IdentityMessages = {} as never;
