import type { DeskMessages } from './desk.en.js';

export const deskDe: DeskMessages = {} as never;
