/** The members' sign-in mail (issue 12), in the language of the page the member signed in from. */
import type { Catalogue } from './index.js';

const en = {
  subject: 'Sign in to {site}',
  intro: 'Someone (we hope you) asked to sign in to {site}’s discussions with this email address.',
  openLink: 'Open this link within {minutes} minutes to sign in:',
  orCode: 'Or type this code where you gave your address: {code}',
  once: 'The link and the code work once. If you did not ask for this, ignore this message.',
};

export const signInMailMessages: Catalogue<typeof en> = {
  en,
  nl: {
    subject: 'Aanmelden bij {site}',
    intro: 'Iemand (hopelijk u) wil zich aanmelden bij de gesprekken van {site} met dit e-mailadres.',
    openLink: 'Open deze link binnen {minutes} minuten om u aan te melden:',
    orCode: 'Of typ deze code in het venster waar u uw adres gaf: {code}',
    once: 'De link en de code werken één keer. Heeft u dit niet gevraagd? Negeer dan dit bericht.',
  },
  de: {
    subject: 'Anmeldung bei {site}',
    intro: 'Jemand (hoffentlich Sie) möchte sich mit dieser E-Mail-Adresse bei den Gesprächen von {site} anmelden.',
    openLink: 'Öffnen Sie diesen Link innerhalb von {minutes} Minuten, um sich anzumelden:',
    orCode: 'Oder geben Sie diesen Code dort ein, wo Sie Ihre Adresse angegeben haben: {code}',
    once: 'Der Link und der Code funktionieren einmal. Wenn Sie dies nicht angefordert haben, ignorieren Sie diese Nachricht.',
  },
  fr: {
    subject: 'Connexion à {site}',
    intro: 'Quelqu’un (vous, nous l’espérons) a demandé à se connecter aux discussions de {site} avec cette adresse e-mail.',
    openLink: 'Ouvrez ce lien dans les {minutes} minutes pour vous connecter\u202f:',
    orCode: 'Ou saisissez ce code là où vous avez indiqué votre adresse\u202f: {code}',
    once: 'Le lien et le code ne fonctionnent qu’une fois. Si vous n’avez rien demandé, ignorez ce message.',
  },
  ar: {
    subject: 'تسجيل الدخول إلى {site}',
    intro: 'طلب شخص ما (نأمل أن تكون أنت) تسجيل الدخول إلى نقاشات {site} بعنوان البريد الإلكتروني هذا.',
    openLink: 'افتح هذا الرابط خلال {minutes} دقيقة لتسجيل الدخول:',
    orCode: 'أو اكتب هذا الرمز في المكان الذي أدخلت فيه عنوانك: {code}',
    once: 'يعمل الرابط والرمز مرة واحدة. إذا لم تطلب ذلك، فتجاهل هذه الرسالة.',
  },
};
