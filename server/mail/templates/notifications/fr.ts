/**
 * Notification mail in French (issue 13, issue 17): the same keys as en.ts. Typographic apostrophes
 * (’), never ASCII ones: the catalogue test parses every template as ICU, where ' quotes.
 */
import type { NotificationStrings } from './en.js';

export const fr: NotificationStrings = {
  subject: {
    replies: '{author} vous a répondu dans « {topic} »',
    mentions: '{author} vous a mentionné dans « {topic} »',
    followed: 'Nouveau dans « {topic} »',
    answers: '{company} a répondu à votre question dans « {topic} »',
    deskQuestions: 'Une question pour {company} dans « {topic} »',
    several: '{count} nouveaux messages pour vous sur {site}',
    daily: 'Votre résumé quotidien de {site}',
    weekly: 'Votre résumé hebdomadaire de {site}',
    moderationDigest: 'En attente sur {site} : {reports} signalements, {appeals} recours',
  },
  greeting: 'Bonjour {name},',
  intro: {
    replies: '{author} a répondu à votre message :',
    mentions: '{author} vous a mentionné :',
    followed: '{author} a écrit dans une discussion que vous suivez :',
    answers: '{author} ({company}) a répondu à votre question :',
    deskQuestions: '{author} a posé une question à {company} :',
  },
  topicHeading: 'Dans « {topic} »',
  readOnPage: 'Lire sur la page',
  moderationDigestBody: '{reports} signalements et {appeals} recours attendent dans la file de modération.',
  openQueue: 'Ouvrir la file de modération',
  why: 'Vous recevez ce message parce que vous avez demandé {kinds} sur {site}.',
  kinds: {
    replies: 'les réponses à vos messages',
    mentions: 'les mentions de votre nom',
    followed: 'les nouveaux messages des sujets que vous suivez',
    answers: 'les réponses à vos questions',
    deskQuestions: 'les questions adressées à votre entreprise',
    digest: 'un résumé',
    moderationDigest: 'un résumé des signalements et recours en attente',
  },
  stopThese: 'Ne plus recevoir ces messages',
  stopAll: 'Ne plus recevoir aucun message de {site}',
  changeInPanel: 'Vous pouvez choisir ce que vous recevez dans le panneau de compte de n’importe quelle discussion sur {site}.',
  confirm: {
    subject: 'Confirmez votre adresse pour les messages de {site}',
    body: 'Vous avez demandé à {site} de vous envoyer des messages sur ses discussions. Ouvrez ce lien pour confirmer que cette adresse est la vôtre ; rien n’est envoyé avant :',
    ignore: 'Vous n’avez rien demandé ? Ignorez ce message et rien ne sera envoyé.',
  },
  page: {
    unsubscribeTitle: 'Ne plus recevoir de messages de {site}',
    unsubscribeQuestion: 'Ne plus envoyer {kind} à cette adresse ?',
    unsubscribeButton: 'Ne plus recevoir ces messages',
    unsubscribed: 'C’est fait : vous ne recevrez plus {kind} de {site}. Vous pouvez les réactiver dans le panneau de compte.',
    confirmTitle: 'Confirmez votre adresse',
    confirmQuestion: 'Confirmer que les messages de {site} peuvent être envoyés à cette adresse ?',
    confirmButton: 'Confirmer',
    confirmed: 'Merci : votre adresse est confirmée. Les messages demandés vous seront désormais envoyés.',
    invalid: 'Ce lien n’est pas valide (il est peut-être incomplet ou périmé).',
  },
};
