/** The notification messages in every language, bundled with the lazily loaded parts that show them. */
import { notifyEn } from './notify.en.js';
import { notifyNl } from './notify.nl.js';
import { notifyDe } from './notify.de.js';
import { notifyFr } from './notify.fr.js';
import { notifyAr } from './notify.ar.js';

export const notifyMessages = { en: notifyEn, nl: notifyNl, de: notifyDe, fr: notifyFr, ar: notifyAr };
