import type { SafetyMessages } from './safety.en.js';

export const safetyFr: SafetyMessages = {} as never;
