import type { SafetyMessages } from './safety.en.js';

export const safetyDe: SafetyMessages = {} as never;
