import type { Messages } from './en.js';
export const de: Partial<Messages> = {};
