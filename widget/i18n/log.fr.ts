import type { LogMessages } from './log.js';

export const logFr: LogMessages = {} as never;
