/** The page around the admin console (server/http/admin-page.ts): its title, no-script note and "no such site". */
import type { Catalogue } from './index.js';

const en = {
  title: 'Parley console · {site}',
  noScript: 'The Parley console needs JavaScript.',
  noSite: 'No such site',
  noSiteText: 'There is no site “{id}” on this Parley server. Check the address: it is /admin/ followed by the site’s id.',
};

export const adminPageMessages: Catalogue<typeof en> = {
  en,
  nl: {
    title: 'Parley-console · {site}',
    noScript: 'De Parley-console heeft JavaScript nodig.',
    noSite: 'Deze site bestaat niet',
    noSiteText: 'Er is geen site “{id}” op deze Parley-server. Controleer het adres: /admin/ gevolgd door de id van de site.',
  },
  de: {
    title: 'Parley-Konsole · {site}',
    noScript: 'Die Parley-Konsole braucht JavaScript.',
    noSite: 'Diese Seite gibt es nicht',
    noSiteText: 'Auf diesem Parley-Server gibt es keine Seite „{id}“. Prüfen Sie die Adresse: /admin/ gefolgt von der ID der Seite.',
  },
  fr: {
    title: 'Console Parley · {site}',
    noScript: 'La console Parley a besoin de JavaScript.',
    noSite: 'Site introuvable',
    noSiteText: 'Il n’y a pas de site « {id} » sur ce serveur Parley. Vérifiez l’adresse : /admin/ suivi de l’identifiant du site.',
  },
  ar: {
    title: 'لوحة إدارة Parley · {site}',
    noScript: 'تحتاج لوحة إدارة Parley إلى JavaScript.',
    noSite: 'لا يوجد موقع بهذا الاسم',
    noSiteText: 'لا يوجد موقع «{id}» على خادم Parley هذا. تحقّق من العنوان: ‎/admin/‎ متبوعًا بمعرّف الموقع.',
  },
};
