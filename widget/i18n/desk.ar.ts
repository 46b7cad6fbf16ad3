import type { DeskMessages } from './desk.en.js';

export const deskAr: DeskMessages = {} as never;
