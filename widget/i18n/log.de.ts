import type { LogMessages } from './log.js';

export const logDe: LogMessages = {} as never;
