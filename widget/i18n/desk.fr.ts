import type { DeskMessages } from './desk.en.js';

export const deskFr: DeskMessages = {} as never;
