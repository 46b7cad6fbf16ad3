/** The edit messages in every language, bundled with the lazily loaded part that shows them. */
import { editEn } from './edit.en.js';
import { editNl } from './edit.nl.js';
import { editDe } from './edit.de.js';
import { editFr } from './edit.fr.js';
import { editAr } from './edit.ar.js';

export const editMessages = { en: editEn, nl: editNl, de: editDe, fr: editFr, ar: editAr };
