import type { LogMessages } from './log.js';

export const logAr: LogMessages = {} as never;
