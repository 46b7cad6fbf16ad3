/**
 * The messages of blocking's lazy parts (issue 13: the confirm dialog and the list in the account
 * panel) in every language, bundled with widget/readers/blocks.ts. The four words every reader may
 * see at first render (the folded line, Show, Block, Unblock) are in the main catalogues.
 */
export const blocksMessages = {
  en: {
    blocksLoading: 'Loading…',
    blockTitle: 'Block {name}?',
    blockText: 'They will not be able to mention you: you are not suggested to them, and a mention of you by them is plain text that never notifies you. Their posts are folded for you behind a line you can open. Nobody else sees any difference, and they are not told. Company staff’s posts stay in view. You can unblock them in Your account.',
    blockConfirm: 'Block',
    blocksHeading: 'People you blocked',
    blocksExplain: 'They cannot mention you, and their posts are folded for you. Only you see this list.',
    blocksNone: 'You have not blocked anyone.',
    unblockName: 'Unblock {name}',
  },
  nl: {
    blocksLoading: 'Laden…',
    blockTitle: '{name} blokkeren?',
    blockText: 'Deze persoon kan je dan niet meer noemen: je wordt niet voorgesteld, en als hij of zij je toch noemt, is dat gewone tekst en krijg je geen bericht. Berichten van deze persoon worden voor jou ingeklapt achter een regel die je kunt openen. Niemand anders ziet verschil, en de persoon hoort er niets van. Berichten van bedrijfsmedewerkers blijven zichtbaar. Deblokkeren kan bij Je account.',
    blockConfirm: 'Blokkeren',
    blocksHeading: 'Mensen die je blokkeerde',
    blocksExplain: 'Zij kunnen je niet noemen, en hun berichten zijn voor jou ingeklapt. Alleen jij ziet deze lijst.',
    blocksNone: 'Je hebt niemand geblokkeerd.',
    unblockName: '{name} deblokkeren',
  },
  de: {
    blocksLoading: 'Wird geladen…',
    blockTitle: '{name} blockieren?',
    blockText: 'Diese Person kann Sie dann nicht mehr erwähnen: Sie werden ihr nicht vorgeschlagen, und eine Erwähnung von Ihnen ist nur Text und benachrichtigt Sie nie. Ihre Beiträge werden für Sie hinter einer Zeile eingeklappt, die Sie öffnen können. Niemand sonst sieht einen Unterschied, und die Person erfährt nichts davon. Beiträge von Firmenmitarbeitenden bleiben sichtbar. Die Blockierung heben Sie unter Ihr Konto auf.',
    blockConfirm: 'Blockieren',
    blocksHeading: 'Von Ihnen blockierte Personen',
    blocksExplain: 'Sie können Sie nicht erwähnen, und ihre Beiträge sind für Sie eingeklappt. Nur Sie sehen diese Liste.',
    blocksNone: 'Sie haben niemanden blockiert.',
    unblockName: 'Blockierung von {name} aufheben',
  },
  fr: {
    blocksLoading: 'Chargement…',
    blockTitle: 'Bloquer {name} ?',
    blockText: 'Cette personne ne pourra plus vous mentionner : vous ne lui serez pas suggéré, et une mention de vous par elle reste du texte simple qui ne vous notifie jamais. Ses messages sont repliés pour vous derrière une ligne que vous pouvez ouvrir. Personne d’autre ne voit de différence, et elle n’en est pas informée. Les messages du personnel des entreprises restent visibles. Vous pouvez la débloquer dans Votre compte.',
    blockConfirm: 'Bloquer',
    blocksHeading: 'Personnes que vous avez bloquées',
    blocksExplain: 'Elles ne peuvent pas vous mentionner, et leurs messages sont repliés pour vous. Vous seul voyez cette liste.',
    blocksNone: 'Vous n’avez bloqué personne.',
    unblockName: 'Débloquer {name}',
  },
  ar: {
    blocksLoading: 'جارٍ التحميل…',
    blockTitle: 'حظر {name}؟',
    blockText: 'لن يتمكن من الإشارة إليك: لن يُقترح اسمك عليه، وأي إشارة منه إليك تبقى نصًا عاديًا لا يصلك عنه أي إشعار. تُطوى رسائله عندك خلف سطر يمكنك فتحه. لا يرى أحد غيرك أي فرق، ولا يُبلَّغ هو بذلك. تبقى رسائل موظفي الشركات ظاهرة. يمكنك إلغاء الحظر من حسابك.',
    blockConfirm: 'حظر',
    blocksHeading: 'الأشخاص الذين حظرتهم',
    blocksExplain: 'لا يمكنهم الإشارة إليك، وتُطوى رسائلهم عندك. أنت وحدك ترى هذه القائمة.',
    blocksNone: 'لم تحظر أحدًا.',
    unblockName: 'إلغاء حظر {name}',
  },
};
