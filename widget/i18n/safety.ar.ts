import type { SafetyMessages } from './safety.en.js';

export const safetyAr: SafetyMessages = {} as never;
