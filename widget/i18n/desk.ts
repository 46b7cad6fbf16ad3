/** The desk messages in every language, bundled with the lazily loaded part that shows them. */
import { deskEn } from './desk.en.js';
import { deskNl } from './desk.nl.js';
import { deskDe } from './desk.de.js';
import { deskFr } from './desk.fr.js';
import { deskAr } from './desk.ar.js';

export const deskMessages = { en: deskEn, nl: deskNl, de: deskDe, fr: deskFr, ar: deskAr };
