import type { EditMessages } from './edit.en.js';

export const editFr: EditMessages = {} as never;
