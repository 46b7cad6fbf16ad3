/** The safety messages in every language, bundled with the lazily loaded part that shows them. */
import { safetyEn } from './safety.en.js';
import { safetyNl } from './safety.nl.js';
import { safetyDe } from './safety.de.js';
import { safetyFr } from './safety.fr.js';
import { safetyAr } from './safety.ar.js';

export const safetyMessages = { en: safetyEn, nl: safetyNl, de: safetyDe, fr: safetyFr, ar: safetyAr };
