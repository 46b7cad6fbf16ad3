/**
 * Notification mail in Arabic (issue 13, issue 17): the same keys as en.ts. The mail's HTML part sets
 * dir="rtl" for this language (notification-mail.ts); placeholders stay Latin `{name}`.
 */
import type { NotificationStrings } from './en.js';

export const ar: NotificationStrings = {
  subject: {
    replies: 'ردّ {author} عليك في «{topic}»',
    mentions: 'ذكرك {author} في «{topic}»',
    followed: 'جديد في «{topic}»',
    answers: 'أجابت {company} عن سؤالك في «{topic}»',
    deskQuestions: 'سؤال إلى {company} في «{topic}»',
    several: '{count} رسائل جديدة لك على {site}',
    daily: 'ملخصك اليومي من {site}',
    weekly: 'ملخصك الأسبوعي من {site}',
    moderationDigest: 'بانتظار المراجعة على {site}: {reports} بلاغات، {appeals} طعون',
  },
  greeting: 'مرحبًا {name}،',
  intro: {
    replies: 'ردّ {author} على مشاركتك:',
    mentions: 'ذكرك {author}:',
    followed: 'كتب {author} في نقاش تتابعه:',
    answers: 'أجاب {author} ({company}) عن سؤالك:',
    deskQuestions: 'طرح {author} سؤالًا على {company}:',
  },
  topicHeading: 'في «{topic}»',
  readOnPage: 'اقرأه على الصفحة',
  moderationDigestBody: 'تنتظر {reports} بلاغات و{appeals} طعون في قائمة الإشراف.',
  openQueue: 'افتح قائمة الإشراف',
  why: 'تصلك هذه الرسالة لأنك طلبت {kinds} على {site}.',
  kinds: {
    replies: 'الردود على مشاركاتك',
    mentions: 'الإشارات إليك',
    followed: 'المشاركات الجديدة في المواضيع التي تتابعها',
    answers: 'الإجابات عن أسئلتك',
    deskQuestions: 'الأسئلة الموجهة إلى شركتك',
    digest: 'ملخصًا',
    moderationDigest: 'ملخصًا بالبلاغات والطعون المنتظرة',
  },
  stopThese: 'أوقف هذه الرسائل',
  stopAll: 'أوقف كل الرسائل من {site}',
  changeInPanel: 'يمكنك تغيير ما يصلك من لوحة الحساب في أي نقاش على {site}.',
  confirm: {
    subject: 'أكّد عنوانك لتلقي الرسائل من {site}',
    body: 'طلبت من {site} أن يرسل إليك رسائل عن نقاشاته. افتح هذا الرابط لتؤكد أن هذا العنوان لك؛ لن يُرسل شيء قبل ذلك:',
    ignore: 'لم تطلب ذلك؟ تجاهل هذه الرسالة ولن يُرسل شيء.',
  },
  page: {
    unsubscribeTitle: 'إيقاف الرسائل من {site}',
    unsubscribeQuestion: 'هل تريد إيقاف إرسال {kind} إلى هذا العنوان؟',
    unsubscribeButton: 'أوقف هذه الرسائل',
    unsubscribed: 'تم: لن تصلك {kind} من {site} بعد الآن. يمكنك إعادة تفعيلها من لوحة الحساب.',
    confirmTitle: 'أكّد عنوانك',
    confirmQuestion: 'هل تؤكد أنه يجوز إرسال رسائل {site} إلى هذا العنوان؟',
    confirmButton: 'تأكيد',
    confirmed: 'شكرًا: تم تأكيد عنوانك. ستُرسل إليك الآن الرسائل التي طلبتها.',
    invalid: 'هذا الرابط غير صالح (ربما يكون ناقصًا أو منتهي الصلاحية).',
  },
};
