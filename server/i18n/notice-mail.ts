/**
 * The mail that carries a moderation notice (services/moderation-notices.ts): the lines around
 * the notice, in the member's stored language (set when they sign in by email), else English.
 */
import type { Catalogue } from './index.js';

const en = {
  reason: 'Reason: {reason}',
  rule: 'Rule: {id} (version {version}) {title}',
  appeal: 'You can appeal for free until {date}.',
  readFull: 'Read the full notice (this link keeps working even if your account is suspended):',
};

export const noticeMailMessages: Catalogue<typeof en> = {
  en,
  nl: {
    reason: 'Reden: {reason}',
    rule: 'Regel: {id} (versie {version}) {title}',
    appeal: 'Je kunt tot {date} gratis bezwaar maken.',
    readFull: 'Lees het volledige bericht (deze link blijft werken, ook als je account geschorst is):',
  },
  de: {
    reason: 'Begründung: {reason}',
    rule: 'Regel: {id} (Fassung {version}) {title}',
    appeal: 'Sie können bis zum {date} kostenlos Einspruch einlegen.',
    readFull: 'Die vollständige Mitteilung lesen (dieser Link funktioniert auch, wenn Ihr Konto gesperrt ist):',
  },
  fr: {
    reason: 'Motif\u202f: {reason}',
    rule: 'Règle\u202f: {id} (version {version}) {title}',
    appeal: 'Vous pouvez faire appel gratuitement jusqu’au {date}.',
    readFull: 'Lire l’avis complet (ce lien fonctionne même si votre compte est suspendu)\u202f:',
  },
  ar: {
    reason: 'السبب: {reason}',
    rule: 'القاعدة: {id} (النسخة {version}) {title}',
    appeal: 'يمكنك الطعن مجانًا حتى {date}.',
    readFull: 'اقرأ الإشعار كاملًا (يظل هذا الرابط يعمل حتى لو كان حسابك معلّقًا):',
  },
};
