/**
 * Notices to the people moderation affects (statement of reasons, report outcomes, appeal
 * decisions, misuse warnings) and the mail that carries them, in the member's language
 * (server/services/moderation-notices.ts picks it). The notice stores the sentence already
 * translated, so the widget and the notice page show what the mail said.
 */
import type { Catalogue } from './index.js';

const en = {
  actionSubject:
    '{target, select, account {A moderation decision about your account} post {A moderation decision about your post} topic {A moderation decision about your topic} report {A moderation decision about your report} other {A moderation decision about your {target}}}',
  actionReversedSubject: 'A moderation decision was reversed',
  reportReceivedSubject: 'We received your report',
  reportReceivedMessage: 'Thank you. A moderator will review the message; you will be told the outcome.',
  reportAcknowledgement: 'Your report was received. A moderator will review it; you will find the outcome under “my reports” and in your notices.',
  reportDismissedSubject: 'Your report was reviewed: no action was taken',
  reportActionedSubject: 'Your report was reviewed: action was taken',
  appealReceivedSubject: 'We received your appeal',
  appealReceivedMessage: 'A moderator other than the one who decided will review it. You will get a reasoned decision.',
  appealReversedSubject: 'Your appeal succeeded: the decision was reversed',
  appealStandsSubject: 'Your appeal was reviewed: the decision stands',
  misuseWarningSubject: 'A warning about unfounded reports or appeals',
  misuseWarningMessage:
    'If {restrictAt} or more of your reports or appeals within {windowDays, plural, one {# day} other {# days}} are found manifestly unfounded, reporting and appealing will be paused for {restrictionDays, plural, one {# day} other {# days}}.',
  mailReason: 'Reason: {reason}',
  mailRule: 'Rule: {id} (version {version}) {title}',
  mailAppealUntil: 'You can appeal for free until {date}.',
  mailReadFull: 'Read the full notice (this link keeps working even if your account is suspended):',
};

export type NoticeMessageKey = keyof typeof en;

export const noticeMessages: Catalogue<typeof en> = {
  en,
  nl: {
    actionSubject:
      '{target, select, account {Een moderatiebesluit over uw account} post {Een moderatiebesluit over uw bericht} topic {Een moderatiebesluit over uw onderwerp} report {Een moderatiebesluit over uw melding} other {Een moderatiebesluit over uw {target}}}',
    actionReversedSubject: 'Een moderatiebesluit is teruggedraaid',
    reportReceivedSubject: 'We hebben uw melding ontvangen',
    reportReceivedMessage: 'Dank u. Een moderator bekijkt het bericht; u hoort de uitkomst.',
    reportAcknowledgement: 'Uw melding is ontvangen. Een moderator bekijkt haar; de uitkomst vindt u onder “mijn meldingen” en bij uw berichtgevingen.',
    reportDismissedSubject: 'Uw melding is bekeken: er is niets ondernomen',
    reportActionedSubject: 'Uw melding is bekeken: er is ingegrepen',
    appealReceivedSubject: 'We hebben uw bezwaar ontvangen',
    appealReceivedMessage: 'Een andere moderator dan degene die besliste bekijkt het. U krijgt een gemotiveerd besluit.',
    appealReversedSubject: 'Uw bezwaar is toegewezen: het besluit is teruggedraaid',
    appealStandsSubject: 'Uw bezwaar is bekeken: het besluit blijft staan',
    misuseWarningSubject: 'Een waarschuwing over ongegronde meldingen of bezwaren',
    misuseWarningMessage:
      'Als {restrictAt} of meer van uw meldingen of bezwaren binnen {windowDays, plural, one {# dag} other {# dagen}} kennelijk ongegrond blijken, worden melden en bezwaar maken {restrictionDays, plural, one {# dag} other {# dagen}} gepauzeerd.',
    mailReason: 'Reden: {reason}',
    mailRule: 'Regel: {id} (versie {version}) {title}',
    mailAppealUntil: 'U kunt tot {date} kosteloos bezwaar maken.',
    mailReadFull: 'Lees de volledige kennisgeving (deze link blijft werken, ook als uw account geschorst is):',
  },
  de: {
    actionSubject:
      '{target, select, account {Eine Moderationsentscheidung zu Ihrem Konto} post {Eine Moderationsentscheidung zu Ihrem Beitrag} topic {Eine Moderationsentscheidung zu Ihrem Thema} report {Eine Moderationsentscheidung zu Ihrer Meldung} other {Eine Moderationsentscheidung zu {target}}}',
    actionReversedSubject: 'Eine Moderationsentscheidung wurde aufgehoben',
    reportReceivedSubject: 'Wir haben Ihre Meldung erhalten',
    reportReceivedMessage: 'Danke. Eine Moderatorin oder ein Moderator prüft den Beitrag; Sie erfahren das Ergebnis.',
    reportAcknowledgement: 'Ihre Meldung ist eingegangen. Sie wird von der Moderation geprüft; das Ergebnis finden Sie unter „Meine Meldungen“ und in Ihren Mitteilungen.',
    reportDismissedSubject: 'Ihre Meldung wurde geprüft: Es wurde nichts unternommen',
    reportActionedSubject: 'Ihre Meldung wurde geprüft: Es wurde eingegriffen',
    appealReceivedSubject: 'Wir haben Ihren Einspruch erhalten',
    appealReceivedMessage: 'Eine andere Person als die, die entschieden hat, prüft ihn. Sie erhalten eine begründete Entscheidung.',
    appealReversedSubject: 'Ihr Einspruch war erfolgreich: Die Entscheidung wurde aufgehoben',
    appealStandsSubject: 'Ihr Einspruch wurde geprüft: Die Entscheidung bleibt bestehen',
    misuseWarningSubject: 'Eine Warnung wegen unbegründeter Meldungen oder Einsprüche',
    misuseWarningMessage:
      'Wenn {restrictAt} oder mehr Ihrer Meldungen oder Einsprüche innerhalb von {windowDays, plural, one {# Tag} other {# Tagen}} als offensichtlich unbegründet gelten, werden Melden und Einspruch für {restrictionDays, plural, one {# Tag} other {# Tage}} ausgesetzt.',
    mailReason: 'Begründung: {reason}',
    mailRule: 'Regel: {id} (Version {version}) {title}',
    mailAppealUntil: 'Sie können bis {date} kostenlos Einspruch einlegen.',
    mailReadFull: 'Die vollständige Mitteilung lesen (dieser Link funktioniert auch, wenn Ihr Konto gesperrt ist):',
  },
  fr: {
    actionSubject:
      '{target, select, account {Une décision de modération concernant votre compte} post {Une décision de modération concernant votre message} topic {Une décision de modération concernant votre sujet} report {Une décision de modération concernant votre signalement} other {Une décision de modération concernant {target}}}',
    actionReversedSubject: 'Une décision de modération a été annulée',
    reportReceivedSubject: 'Nous avons reçu votre signalement',
    reportReceivedMessage: 'Merci. Un modérateur examinera le message ; vous serez informé du résultat.',
    reportAcknowledgement: 'Votre signalement a été reçu. Un modérateur l’examinera ; vous trouverez le résultat sous « mes signalements » et dans vos avis.',
    reportDismissedSubject: 'Votre signalement a été examiné : aucune mesure n’a été prise',
    reportActionedSubject: 'Votre signalement a été examiné : une mesure a été prise',
    appealReceivedSubject: 'Nous avons reçu votre recours',
    appealReceivedMessage: 'Un autre modérateur que celui qui a décidé l’examinera. Vous recevrez une décision motivée.',
    appealReversedSubject: 'Votre recours a abouti : la décision a été annulée',
    appealStandsSubject: 'Votre recours a été examiné : la décision est maintenue',
    misuseWarningSubject: 'Un avertissement concernant des signalements ou recours infondés',
    misuseWarningMessage:
      'Si {restrictAt} de vos signalements ou recours ou plus, sur {windowDays, plural, one {# jour} other {# jours}}, sont jugés manifestement infondés, les signalements et recours seront suspendus pendant {restrictionDays, plural, one {# jour} other {# jours}}.',
    mailReason: 'Motif : {reason}',
    mailRule: 'Règle : {id} (version {version}) {title}',
    mailAppealUntil: 'Vous pouvez faire un recours gratuitement jusqu’au {date}.',
    mailReadFull: 'Lire l’avis complet (ce lien reste valable même si votre compte est suspendu) :',
  },
  ar: {
    actionSubject:
      '{target, select, account {قرار إشراف بشأن حسابك} post {قرار إشراف بشأن مشاركتك} topic {قرار إشراف بشأن موضوعك} report {قرار إشراف بشأن بلاغك} other {قرار إشراف بشأن {target}}}',
    actionReversedSubject: 'أُلغي قرار إشراف',
    reportReceivedSubject: 'تلقّينا بلاغك',
    reportReceivedMessage: 'شكرًا لك. سيراجع أحد المشرفين الرسالة، وستُبلَّغ بالنتيجة.',
    reportAcknowledgement: 'تم استلام بلاغك. سيراجعه أحد المشرفين، وستجد النتيجة في «بلاغاتي» وفي إشعاراتك.',
    reportDismissedSubject: 'رُوجع بلاغك: لم يُتّخذ أي إجراء',
    reportActionedSubject: 'رُوجع بلاغك: اتُّخذ إجراء',
    appealReceivedSubject: 'تلقّينا طعنك',
    appealReceivedMessage: 'سيراجعه مشرف غير الذي اتخذ القرار، وستتلقى قرارًا مُعلَّلًا.',
    appealReversedSubject: 'قُبل طعنك: أُلغي القرار',
    appealStandsSubject: 'رُوجع طعنك: القرار باقٍ',
    misuseWarningSubject: 'تحذير بشأن بلاغات أو طعون لا أساس لها',
    misuseWarningMessage:
      'إذا تبيّن أن {restrictAt} أو أكثر من بلاغاتك أو طعونك خلال {windowDays, plural, zero {# يوم} one {يوم واحد} two {يومين} few {# أيام} many {# يومًا} other {# يوم}} لا أساس لها بوضوح، فسيُعلَّق الإبلاغ والطعن مدة {restrictionDays, plural, zero {# يوم} one {يوم واحد} two {يومين} few {# أيام} many {# يومًا} other {# يوم}}.',
    mailReason: 'السبب: {reason}',
    mailRule: 'القاعدة: {id} (الإصدار {version}) {title}',
    mailAppealUntil: 'يمكنك الطعن مجانًا حتى {date}.',
    mailReadFull: 'اقرأ الإشعار كاملًا (يبقى هذا الرابط صالحًا حتى لو عُلّق حسابك):',
  },
};
