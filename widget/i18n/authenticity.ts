/** The authenticity messages in every language, bundled with the lazily loaded part that shows them. */
import { authenticityEn } from './authenticity.en.js';
import { authenticityNl } from './authenticity.nl.js';
import { authenticityDe } from './authenticity.de.js';
import { authenticityFr } from './authenticity.fr.js';
import { authenticityAr } from './authenticity.ar.js';

export const authenticityMessages = { en: authenticityEn, nl: authenticityNl, de: authenticityDe, fr: authenticityFr, ar: authenticityAr };
