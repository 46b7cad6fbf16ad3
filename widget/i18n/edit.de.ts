import type { EditMessages } from './edit.en.js';

export const editDe: EditMessages = {} as never;
