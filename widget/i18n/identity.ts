/** The identity messages in every language, bundled with the lazily loaded part that shows them. */
import { identityEn } from './identity.en.js';
import { identityNl } from './identity.nl.js';
import { identityDe } from './identity.de.js';
import { identityFr } from './identity.fr.js';
import { identityAr } from './identity.ar.js';

export const identityMessages = { en: identityEn, nl: identityNl, de: identityDe, fr: identityFr, ar: identityAr };
