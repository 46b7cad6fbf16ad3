import type { Messages } from './en.js';
export const fr: Partial<Messages> = {};
