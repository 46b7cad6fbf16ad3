/**
 * Default multilingual (English, Dutch, German) lexicon of possible adverse-event terms.
 *
 * Why: when a post names a company's product and also mentions something that could be
 * a side effect, the company may have a pharmacovigilance reporting duty and the host
 * organisation wants a moderator to look. This lexicon is deliberately recall-oriented
 * — a human reviews every hit — but avoids the worst false friends.
 *
 * Pattern syntax (matched at token level after NFKC, lowercasing and diacritic folding,
 * so "Übelkeit" = "ubelkeit"; German ä/ö/ü patterns also match ae/oe/ue spellings):
 *  - `word`      exact token
 *  - `word*`     token starts with "word" (inflections: "nause*" → nausea, nauseous)
 *  - `*word`     token ends with "word" (compounds: "*pijn" → buikpijn, spierpijn)
 *  - `*word*`    token contains "word" ("*blutung*" → Hirnblutungen, Mikroblutung)
 *  - several words = consecutive tokens ("side effect*", "pijn op de borst").
 * Wildcard stems must be ≥ 3 characters. Prefer explicit forms where a stem would
 * over-match ("fall*" would hit "fallacy"; "fell" alone would hit German "Fell" = fur).
 *
 * `strict` terms are false friends across the three languages (Dutch "viel" = fell,
 * German "viel" = much; English "fall" vs German "Fall" = case) and only count when the
 * post's language is guessed to be the term's language.
 *
 * `concept` is a language-independent key so hits can be grouped across languages.
 *
 * Limits: no morphology beyond these patterns; questions ("does X cause nausea?") and
 * hypotheticals are reported like experiences; German separable verbs and Dutch word
 * order mean some inflected forms are not covered. Extend per site with extendLexicon().
 */

export interface AdverseEventTerm {
  /** Language-independent concept key, e.g. 'nausea'. */
  concept: string;
  patterns: string[];
  /** Only count when the post's guessed language equals this lexicon's language. */
  strict?: boolean;
}

export interface AdverseEventLanguage {
  /** BCP-47-ish language code: 'en', 'nl', 'de'. */
  language: string;
  terms: AdverseEventTerm[];
  /** Cue words that negate a following term within the negation window ("no", "geen"). */
  negations: string[];
  /** Words that end a negation's scope ("but", "maar", "aber"). */
  scopeBreakers: string[];
  /** Frequent function words used to guess the post's language. */
  stopwords: string[];
}

export interface AdverseEventLexicon {
  languages: AdverseEventLanguage[];
  /** How many tokens before a term a negation cue may stand (same clause). Default 4. */
  negationWindow?: number;
}

const EN: AdverseEventLanguage = {
  language: 'en',
  terms: [
    { concept: 'side-effect', patterns: ['side effect*', 'sideeffect*', 'adverse effect*', 'adverse event*', 'adverse reaction*', 'bad reaction*', 'reacted badly', 'drug reaction*'] },
    { concept: 'nausea', patterns: ['nause*', 'queasy', 'feel sick', 'felt sick', 'feeling sick', 'feels sick'] },
    { concept: 'vomiting', patterns: ['vomit*', 'threw up', 'throwing up', 'throw up', 'being sick'] },
    { concept: 'dizziness', patterns: ['dizz*', 'lightheaded*', 'light headed*', 'vertigo', 'unsteady'] },
    { concept: 'headache', patterns: ['headache*', 'migraine*'] },
    { concept: 'rash', patterns: ['rash', 'rashes', 'hives', 'itchy', 'itching', 'itchiness'] },
    { concept: 'swelling', patterns: ['swelling*', 'swollen', 'swelled', 'oedema', 'edema'] },
    { concept: 'confusion', patterns: ['confusion', 'confused', 'disorientat*', 'delirium', 'delirious'] },
    { concept: 'hallucination', patterns: ['hallucinat*', 'seeing things'] },
    { concept: 'fainting', patterns: ['faint', 'fainted', 'fainting', 'faints', 'passed out', 'blacked out', 'blackout*', 'collapsed', 'syncope'] },
    { concept: 'fall', patterns: ['fall', 'falls', 'fallen', 'fell'], strict: true },
    { concept: 'hospitalisation', patterns: ['hospital', 'hospitals', 'hospitalis*', 'hospitaliz*', 'emergency room', 'intensive care', 'icu', 'ambulance'] },
    { concept: 'discontinuation', patterns: ['stopped taking', 'stop taking', 'stopping taking', 'had to stop', 'discontinu*', 'came off'] },
    { concept: 'allergic-reaction', patterns: ['allergic*', 'allergy', 'allergies', 'anaphyla*'] },
    { concept: 'aria', patterns: ['aria', 'amyloid related imaging abnormalit*'] },
    { concept: 'brain-swelling', patterns: ['brain swelling', 'swelling of the brain', 'swelling in the brain', 'cerebral oedema', 'cerebral edema', 'brain oedema', 'brain edema', 'vasogenic'] },
    { concept: 'bleeding', patterns: ['bleed', 'bleeds', 'bleeding*', 'brain bleed*', 'microbleed*', 'micro bleed*', 'haemorrhag*', 'hemorrhag*', 'hemosiderosis', 'haemosiderosis', 'siderosis'] },
    { concept: 'stroke', patterns: ['stroke', 'strokes', 'tia', 'mini stroke*'] },
    { concept: 'seizure', patterns: ['seizure*', 'convuls*', 'epileptic fit*'] },
    { concept: 'fatigue', patterns: ['fatigue*', 'exhausted', 'exhaustion', 'drowsy', 'drowsiness', 'lethargic', 'lethargy'] },
    { concept: 'insomnia', patterns: ['insomnia', "can't sleep", 'cannot sleep', "couldn't sleep", 'sleepless*'] },
    { concept: 'diarrhoea', patterns: ['diarrh*', 'loose stools'] },
    { concept: 'appetite-loss', patterns: ['loss of appetite', 'lost appetite', 'lost her appetite', 'lost his appetite', 'lost my appetite', 'weight loss', 'lost weight'] },
    { concept: 'palpitations', patterns: ['palpitation*', 'racing heart', 'heart racing', 'irregular heartbeat*'] },
    { concept: 'chest-pain', patterns: ['chest pain*', 'chest tightness'] },
    { concept: 'breathlessness', patterns: ['shortness of breath', 'short of breath', 'breathless*', 'difficulty breathing', 'trouble breathing'] },
    { concept: 'pain', patterns: ['pain', 'pains', 'painful', 'ache', 'aches', 'aching', 'sore'] },
    { concept: 'infusion-reaction', patterns: ['infusion reaction*', 'injection site', 'infusion site'] },
    { concept: 'fever', patterns: ['fever*', 'feverish', 'chills', 'high temperature'] },
    { concept: 'vision', patterns: ['blurred vision', 'blurry vision', 'blurry', 'vision problem*', 'double vision'] },
    { concept: 'tremor', patterns: ['tremor*', 'shaking', 'shaky', 'trembling'] },
    { concept: 'agitation', patterns: ['agitat*', 'aggressive', 'aggression', 'restless*', 'irritable', 'anxious', 'anxiety', 'panic attack*'] },
    { concept: 'depression', patterns: ['depressed', 'depression', 'suicid*', 'low mood'] },
    { concept: 'death', patterns: ['died', 'death', 'passed away', 'fatal'] },
    { concept: 'worsening', patterns: ['worsen*', 'got worse', 'getting worse', 'much worse', 'deteriorat*', 'declined rapidly'] },
    { concept: 'hair-loss', patterns: ['hair loss', 'hair falling out', 'losing hair', 'losing her hair', 'losing his hair'] },
    { concept: 'incontinence', patterns: ['incontinen*'] },
    { concept: 'overdose-error', patterns: ['overdose*', 'overdosed', 'double dose', 'wrong dose', 'too many tablets', 'too much medication'] },
    { concept: 'pregnancy-exposure', patterns: ['pregnant', 'pregnancy', 'breastfeeding'] },
    { concept: 'lack-of-efficacy', patterns: ["didn't work", "doesn't work", 'not working', 'stopped working', 'no effect', 'no improvement', 'did not work', 'does not work'] },
    { concept: 'nosebleed', patterns: ['nosebleed*', 'nose bleed*'] },
    { concept: 'sick', patterns: ['sick', 'unwell', 'ill'] },
    { concept: 'weakness', patterns: ['weakness', 'numbness', 'numb', 'tingling', 'paralys*'] },
    { concept: 'muscle', patterns: ['muscle pain*', 'cramp', 'cramps', 'cramping', 'myalgia'] },
    { concept: 'liver-kidney', patterns: ['jaundice', 'liver damage', 'kidney damage', 'liver problem*', 'kidney problem*'] },
  ],
  negations: ['no', 'not', 'never', 'without', 'none', 'nothing', 'neither', 'nor', 'zero', "didn't", 'didnt', "don't", 'dont', "doesn't", 'doesnt', "haven't", 'havent', "hasn't", 'hasnt', "hadn't", "wasn't", "weren't", "isn't", "aren't", "won't"],
  scopeBreakers: ['but', 'however', 'although', 'though', 'except', 'apart', 'yet', 'until', 'then'],
  stopwords: ['the', 'and', 'i', 'you', 'my', 'it', 'of', 'to', 'was', 'have', 'with', 'not', 'but', 'this', 'that', 'for', 'on', 'after', 'she', 'he', 'are', 'been', 'what', 'from', 'would', 'any', 'his', 'her', 'they', 'about'],
};

const NL: AdverseEventLanguage = {
  language: 'nl',
  terms: [
    { concept: 'side-effect', patterns: ['bijwerking*', 'neveneffect*', 'nevenwerking*', 'ongewenste reactie*', 'ongewenst effect', 'slechte reactie', 'reageerde slecht'] },
    { concept: 'nausea', patterns: ['misselijk*', 'kotsmisselijk', 'onpasselijk*'] },
    { concept: 'vomiting', patterns: ['overgeven', 'overgegeven', 'gaf over', 'braken', 'braakte', 'braaksel', 'spugen', 'spuugde', 'gespuugd'] },
    { concept: 'dizziness', patterns: ['duizel*', 'draaierig*', 'licht in het hoofd', 'evenwichtsproblemen', 'wankel'] },
    { concept: 'headache', patterns: ['hoofdpijn*', 'migraine*'] },
    { concept: 'rash', patterns: ['uitslag', 'huiduitslag', 'jeuk', 'jeukt', 'jeukende', 'netelroos', 'galbulten', 'rode vlekken'] },
    { concept: 'swelling', patterns: ['zwelling*', 'gezwollen', 'opgezwollen', 'opgezet', 'oedeem'] },
    { concept: 'confusion', patterns: ['verward*', 'verwarring', 'gedesorienteerd', 'desorientatie', 'delier', 'delirium'] },
    { concept: 'hallucination', patterns: ['hallucin*', 'dingen zien', 'zag dingen', 'ziet dingen'] },
    { concept: 'fainting', patterns: ['flauwgevallen', 'flauwvallen', 'flauwte', 'viel flauw', 'bewusteloos', 'onwel', 'weggeraakt', 'out gegaan'] },
    { concept: 'fall', patterns: ['valpartij*', 'ben gevallen', 'is gevallen', 'was gevallen', 'zijn gevallen', 'viel', 'val'], strict: true },
    { concept: 'hospitalisation', patterns: ['ziekenhuis*', 'spoedeisende hulp', 'eerste hulp', 'seh', 'ambulance', 'intensive care'] },
    { concept: 'discontinuation', patterns: ['gestopt', 'stoppen met', 'moest stoppen', 'moesten stoppen', 'afgebouwd', 'behandeling afgebroken'] },
    { concept: 'allergic-reaction', patterns: ['allergi*', 'anafyla*'] },
    { concept: 'aria', patterns: ['aria'] },
    { concept: 'brain-swelling', patterns: ['hersenzwelling*', 'hersenoedeem', 'zwelling in de hersenen', 'vocht in de hersenen', 'vocht in het hoofd'] },
    { concept: 'bleeding', patterns: ['*bloeding*', 'bloedde', 'bloedt', 'bloeden', 'microbloed*', 'hersenbloed*'] },
    { concept: 'stroke', patterns: ['beroerte*', 'herseninfarct*', 'tia'] },
    { concept: 'seizure', patterns: ['epileptische aanval*', 'epilepsie', 'stuip*', 'insult met schokken', 'aanval met schokken'] },
    { concept: 'fatigue', patterns: ['moe', 'moeheid', 'vermoeid*', 'uitgeput', 'slaperig*', 'suf', 'sufheid'] },
    { concept: 'insomnia', patterns: ['slapeloos*', 'slaapproblemen', 'kan niet slapen', 'kon niet slapen', 'slecht slapen', 'slecht geslapen'] },
    { concept: 'diarrhoea', patterns: ['diarree', 'dunne ontlasting', 'buikloop'] },
    { concept: 'appetite-loss', patterns: ['geen eetlust', 'minder eetlust', 'eetlust kwijt', 'verminderde eetlust', 'afgevallen', 'gewichtsverlies'] },
    { concept: 'palpitations', patterns: ['hartklopping*', 'hartritmestoornis*', 'hart ging tekeer'] },
    { concept: 'chest-pain', patterns: ['pijn op de borst', 'borstpijn', 'druk op de borst'] },
    { concept: 'breathlessness', patterns: ['kortademig*', 'benauwd*', 'ademnood', 'moeite met ademen'] },
    { concept: 'pain', patterns: ['pijn', '*pijn', 'pijnlijk*'] },
    { concept: 'infusion-reaction', patterns: ['infuusreactie*', 'reactie op het infuus', 'prikplek', 'injectieplaats'] },
    { concept: 'fever', patterns: ['koorts*', 'rillingen'] },
    { concept: 'vision', patterns: ['wazig zien', 'wazig zicht', 'wazig', 'dubbel zien', 'slechter zien'] },
    { concept: 'tremor', patterns: ['trillen', 'trillingen', 'trilde', 'tremor*', 'beven', 'beefde'] },
    { concept: 'agitation', patterns: ['onrustig*', 'onrust', 'agressie*', 'agressief', 'geagiteerd', 'angstig', 'angstaanval*', 'prikkelbaar'] },
    { concept: 'depression', patterns: ['somber*', 'depressie*', 'depressief', 'suicid*', 'zelfmoord*'] },
    { concept: 'death', patterns: ['overleden', 'gestorven', 'overlijden', 'dood'] },
    { concept: 'worsening', patterns: ['verslechterd', 'verslechtering', 'achteruitgang', 'achteruit gegaan', 'achteruitgegaan', 'slechter geworden', 'erger geworden'] },
    { concept: 'hair-loss', patterns: ['haaruitval'] },
    { concept: 'incontinence', patterns: ['incontinent*'] },
    { concept: 'overdose-error', patterns: ['overdosis', 'te veel ingenomen', 'dubbele dosis', 'verkeerde dosis'] },
    { concept: 'pregnancy-exposure', patterns: ['zwanger*', 'borstvoeding'] },
    { concept: 'lack-of-efficacy', patterns: ['werkt niet', 'werkte niet', 'hielp niet', 'helpt niet', 'geen effect', 'geen verbetering'] },
    { concept: 'nosebleed', patterns: ['bloedneus*'] },
    { concept: 'sick', patterns: ['ziek', 'ziek geworden', 'ziekjes', 'beroerd'] },
    { concept: 'weakness', patterns: ['krachtverlies', 'zwakte', 'gevoelloos*', 'tintelingen', 'tintelen', 'verlamming*', 'verlamd'] },
    { concept: 'muscle', patterns: ['spierpijn*', 'kramp', 'krampen', 'spierkramp*'] },
    { concept: 'liver-kidney', patterns: ['geelzucht', 'leverschade', 'nierschade', 'leverproblemen', 'nierproblemen'] },
  ],
  negations: ['geen', 'niet', 'nooit', 'zonder', 'niets', 'noch', 'nergens', 'allerminst'],
  scopeBreakers: ['maar', 'echter', 'behalve', 'alleen', 'totdat', 'toen', 'wel'],
  stopwords: ['de', 'het', 'een', 'ik', 'en', 'van', 'niet', 'dat', 'mijn', 'op', 'met', 'na', 'heb', 'zijn', 'maar', 'ook', 'voor', 'geen', 'je', 'wij', 'hij', 'zij', 'ze', 'hem', 'haar', 'naar', 'bij', 'heeft', 'wordt', 'werd', 'nog', 'wel', 'moeder', 'vader'],
};

const DE: AdverseEventLanguage = {
  language: 'de',
  terms: [
    { concept: 'side-effect', patterns: ['nebenwirkung*', 'unerwünschte wirkung*', 'unerwünschte reaktion*', 'unerwünschte ereignis*', 'unverträglichkeit*', 'schlecht vertragen'] },
    { concept: 'nausea', patterns: ['übelkeit', 'übel', 'mir ist schlecht', 'mir war schlecht', 'ihr war schlecht', 'ihm war schlecht'] },
    { concept: 'vomiting', patterns: ['erbrechen', 'erbrach*', 'erbrochen', 'mich übergeben', 'sich übergeben', 'übergeben müssen', 'kotzen', 'gekotzt'] },
    { concept: 'dizziness', patterns: ['schwindel*', 'benommen*', 'taumelig', 'gleichgewichtsstörung*'] },
    { concept: 'headache', patterns: ['kopfschmerz*', 'kopfweh', 'migräne*'] },
    { concept: 'rash', patterns: ['ausschlag*', 'hautausschlag*', 'juckreiz', 'jucken', 'juckt', 'nesselsucht', 'quaddeln', 'rote flecken'] },
    { concept: 'swelling', patterns: ['schwellung*', '*schwellung', '*schwellungen', 'geschwollen*', 'angeschwollen*', 'ödem', 'ödeme'] },
    { concept: 'confusion', patterns: ['verwirrt*', 'verwirrung*', 'desorientiert*', 'desorientierung', 'delir', 'delirium'] },
    { concept: 'hallucination', patterns: ['halluzin*', 'sieht dinge', 'sah dinge'] },
    { concept: 'fainting', patterns: ['ohnmacht*', 'ohnmächtig', 'bewusstlos*', 'kollabiert', 'kollaps', 'umgekippt', 'zusammengebrochen'] },
    { concept: 'fall', patterns: ['gestürzt', 'sturz', 'stürze', 'stürzte', 'hingefallen', 'hingestürzt', 'sturzgefahr'] },
    { concept: 'hospitalisation', patterns: ['krankenhaus*', 'klinik', 'kliniken', 'notaufnahme', 'notarzt', 'rettungswagen', 'intensivstation', 'eingeliefert', 'stationär', 'spital'] },
    { concept: 'discontinuation', patterns: ['abgesetzt', 'absetzen', 'aufgehört', 'abgebrochen', 'nicht mehr genommen', 'nicht mehr eingenommen'] },
    { concept: 'allergic-reaction', patterns: ['allergi*', 'anaphyla*'] },
    { concept: 'aria', patterns: ['aria'] },
    { concept: 'brain-swelling', patterns: ['hirnschwellung*', 'gehirnschwellung*', 'hirnödem*', 'schwellung im gehirn', 'schwellungen im gehirn', 'vasogen*'] },
    { concept: 'bleeding', patterns: ['blutung*', '*blutung', '*blutungen', 'blutet', 'blutete', 'bluten', 'mikroblut*', 'hämosiderose', 'siderose'] },
    { concept: 'stroke', patterns: ['schlaganfall*', 'hirninfarkt*', 'tia'] },
    { concept: 'seizure', patterns: ['krampfanfall*', 'anfall', 'anfälle', 'epilepti*'] },
    { concept: 'fatigue', patterns: ['müde', 'müdigkeit', 'erschöpf*', 'schläfrig*', 'abgeschlagen*', 'schlapp'] },
    { concept: 'insomnia', patterns: ['schlaflos*', 'schlafstörung*', 'kann nicht schlafen', 'konnte nicht schlafen', 'schlecht geschlafen'] },
    { concept: 'diarrhoea', patterns: ['durchfall*'] },
    { concept: 'appetite-loss', patterns: ['appetitlos*', 'kein appetit', 'keinen appetit', 'appetitverlust', 'gewichtsverlust', 'abgenommen'] },
    { concept: 'palpitations', patterns: ['herzrasen', 'herzklopfen', 'herzstolpern', 'herzrhythmusstörung*'] },
    { concept: 'chest-pain', patterns: ['brustschmerz*', 'schmerzen in der brust', 'engegefühl'] },
    { concept: 'breathlessness', patterns: ['atemnot', 'kurzatmig*', 'luftnot', 'atembeschwerden'] },
    { concept: 'pain', patterns: ['schmerz*', '*schmerz', '*schmerzen', 'schmerzhaft', 'tut weh', 'taten weh'] },
    { concept: 'infusion-reaction', patterns: ['infusionsreaktion*', 'einstichstelle', 'injektionsstelle'] },
    { concept: 'fever', patterns: ['fieber*', 'schüttelfrost'] },
    { concept: 'vision', patterns: ['verschwommen*', 'sehstörung*', 'doppelbilder', 'schlechter sehen'] },
    { concept: 'tremor', patterns: ['zittern', 'zittert', 'zitterte', 'tremor*'] },
    { concept: 'agitation', patterns: ['unruhig*', 'unruhe', 'aggressiv*', 'aggression*', 'ängstlich', 'angstzustände', 'panikattacke*', 'reizbar'] },
    { concept: 'depression', patterns: ['depressi*', 'niedergeschlagen*', 'suizid*', 'selbstmord*'] },
    { concept: 'death', patterns: ['gestorben', 'verstorben', 'tod'] },
    { concept: 'death', patterns: ['tot'], strict: true },
    { concept: 'worsening', patterns: ['verschlechter*', 'schlimmer geworden', 'verschlimmer*'] },
    { concept: 'hair-loss', patterns: ['haarausfall'] },
    { concept: 'incontinence', patterns: ['inkontinen*'] },
    { concept: 'overdose-error', patterns: ['überdosis', 'überdosierung', 'zu viel eingenommen', 'doppelte dosis', 'falsche dosis'] },
    { concept: 'pregnancy-exposure', patterns: ['schwanger*', 'stillzeit', 'stillen'] },
    { concept: 'lack-of-efficacy', patterns: ['wirkt nicht', 'wirkte nicht', 'hilft nicht', 'half nicht', 'keine wirkung', 'keine besserung'] },
    { concept: 'nosebleed', patterns: ['nasenbluten'] },
    { concept: 'sick', patterns: ['krank', 'krank geworden', 'unwohl'] },
    { concept: 'weakness', patterns: ['schwäche', 'taubheit*', 'taub', 'kribbeln', 'lähmung*', 'gelähmt'] },
    { concept: 'muscle', patterns: ['muskelschmerz*', 'krampf', 'krämpfe', 'muskelkrämpfe'] },
    { concept: 'liver-kidney', patterns: ['gelbsucht', 'leberschaden', 'nierenschaden', 'leberwerte', 'nierenwerte'] },
  ],
  negations: ['kein', 'keine', 'keinen', 'keinem', 'keiner', 'keines', 'nicht', 'nie', 'niemals', 'ohne', 'nichts', 'weder'],
  scopeBreakers: ['aber', 'jedoch', 'außer', 'sondern', 'nur', 'bis', 'dann', 'doch'],
  stopwords: ['der', 'das', 'und', 'ich', 'ist', 'nicht', 'mein', 'meine', 'mit', 'nach', 'habe', 'hatte', 'aber', 'auch', 'ein', 'eine', 'für', 'kein', 'keine', 'von', 'sie', 'wir', 'hat', 'wurde', 'seit', 'bei', 'noch', 'mutter', 'vater', 'sich', 'mir'],
};

export const DEFAULT_ADVERSE_EVENT_LEXICON: AdverseEventLexicon = {
  languages: [EN, NL, DE],
  negationWindow: 4,
};

/**
 * A new lexicon with extra terms (and cue words) merged into the given languages;
 * unknown languages are appended. Does not mutate `base`.
 */
export function extendLexicon(
  base: AdverseEventLexicon,
  additions: Array<Partial<AdverseEventLanguage> & { language: string }>,
): AdverseEventLexicon {
  const langs = base.languages.map((l) => ({ ...l, terms: [...l.terms], negations: [...l.negations], scopeBreakers: [...l.scopeBreakers], stopwords: [...l.stopwords] }));
  for (const add of additions) {
    let l = langs.find((x) => x.language === add.language);
    if (!l) {
      l = { language: add.language, terms: [], negations: [], scopeBreakers: [], stopwords: [] };
      langs.push(l);
    }
    l.terms.push(...(add.terms ?? []));
    l.negations.push(...(add.negations ?? []));
    l.scopeBreakers.push(...(add.scopeBreakers ?? []));
    l.stopwords.push(...(add.stopwords ?? []));
  }
  return { ...base, languages: langs };
}
