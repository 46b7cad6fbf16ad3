import type { IdentityMessages } from './identity.en.js';

export const identityFr: IdentityMessages = {} as never;
