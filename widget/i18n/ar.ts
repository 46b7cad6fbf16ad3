import type { Messages } from './en.js';
export const ar: Partial<Messages> = {};
