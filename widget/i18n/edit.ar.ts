import type { EditMessages } from './edit.en.js';

export const editAr: EditMessages = {} as never;
