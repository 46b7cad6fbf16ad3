/** The demo's seeded conversation: what a newcomer reads on first start. */
export interface SeedPost {
  ref: string;
  topic: string;
  parent?: string;
  persona: string;
  /** Minutes before the seed time. */
  ago: number;
  body: string;
}

export const SEED_TOPICS = [
  { id: 'living-with-alzheimers', title: 'Living with Alzheimer’s, day to day' },
  { id: 'new-treatments', title: 'New treatments: questions for Novacura and our neurologist' },
  { id: 'carers-corner', title: 'Carers’ corner' },
];

const DAY = 24 * 60;
const WEEK = 7 * DAY;

export const SEED_POSTS: SeedPost[] = [
  // Living with Alzheimer's
  { ref: 'l1', topic: 'living-with-alzheimers', persona: 'patient', ago: 9 * DAY,
    body: 'Two years since my diagnosis. The thing nobody told me: **good days still happen**. I keep a notebook by the kettle with the day’s plan. What small tricks help you?' },
  { ref: 'l2', topic: 'living-with-alzheimers', parent: 'l1', persona: 'carer', ago: 9 * DAY - 90,
    body: 'Alan and I use a big wall calendar and a photo of whoever is visiting that day. It has cut the *“who is coming?”* questions in half.' },
  { ref: 'l3', topic: 'living-with-alzheimers', parent: 'l2', persona: 'patient', ago: 9 * DAY - 120,
    body: 'The photo idea is lovely. Stealing it.' },
  { ref: 'l4', topic: 'living-with-alzheimers', parent: 'l1', persona: 'neurologist', ago: 8 * DAY,
    body: 'Routines and external memory aids are some of the best-evidenced things we have. Two more that my patients like:\n\n- a fixed place for keys, glasses and phone\n- one simple to-do list, not several\n\nThe Alzheimer’s Society has a good guide: https://www.alzheimers.org.uk/get-support/daily-living' },
  { ref: 'l5', topic: 'living-with-alzheimers', persona: 'carer2', ago: 4 * DAY,
    body: 'Mum has started getting up at 3am convinced she is late for work. Has anyone found a gentle way through night-time confusion?' },
  { ref: 'l6', topic: 'living-with-alzheimers', parent: 'l5', persona: 'carer3', ago: 4 * DAY - 45,
    body: 'We went through this. A clock that shows *day/night* and the date helped, and not arguing: “work called, you have the day off today.”' },
  { ref: 'l7', topic: 'living-with-alzheimers', parent: 'l5', persona: 'moderator', ago: 4 * DAY - 200,
    body: 'Thank you both. A reminder that our carers’ helpline is open at night on weekends too: 0800 000 000.' },

  // New treatments
  { ref: 't1', topic: 'new-treatments', persona: 'carer', ago: 12 * DAY,
    body: 'Alan’s consultant mentioned the new antibody treatments. Honest question for the company people here: **who is actually eligible**, and what are the scans for?' },
  { ref: 't2', topic: 'new-treatments', parent: 't1', persona: 'staff', ago: 12 * DAY - 180,
    body: 'Good question, and I want to be careful: eligibility is decided by your specialist, not by us. In trials, people had early-stage disease with confirmed amyloid. The regular MRI scans check for a side effect called ARIA (swelling or small bleeds in the brain), which is usually without symptoms but must be watched. I am happy to answer what I can about the science.' },
  { ref: 't3', topic: 'new-treatments', parent: 't2', persona: 'neurologist', ago: 11 * DAY,
    body: 'To add the clinician’s view: the benefit in trials was a *slowing* of decline, not a stop or a reversal. For some families that is worth the infusions and scans, for others it is not. Both are reasonable choices.' },
  { ref: 't4', topic: 'new-treatments', parent: 't3', persona: 'carer', ago: 11 * DAY - 60,
    body: 'Thank you, this is the first time someone has said it that plainly.' },
  { ref: 't5', topic: 'new-treatments', persona: 'patient', ago: 3 * DAY,
    body: 'Why do the infusion centres only exist in big cities? Travelling two hours every fortnight is not realistic for many of us.' },
  { ref: 't6', topic: 'new-treatments', parent: 't5', persona: 'staff2', ago: 3 * DAY - 240,
    body: 'That is fair criticism, and I will not pretend we have solved it. I have passed this thread to our access team and will come back here with what they say — in this thread, not in a press release.' },

  // Carers' corner
  { ref: 'c1', topic: 'carers-corner', persona: 'carer3', ago: 6 * DAY,
    body: 'Does anyone else feel guilty for needing a break? Respite care starts next week and I already feel awful.' },
  { ref: 'c2', topic: 'carers-corner', parent: 'c1', persona: 'carer', ago: 6 * DAY - 30,
    body: 'Every single time. And every time I come back a better wife. You are allowed to rest.' },
  { ref: 'c3', topic: 'carers-corner', parent: 'c1', persona: 'carer2', ago: 5 * DAY,
    body: '> You are allowed to rest.\n\nWriting that on a sticky note.' },

  // Novacura's history in "New treatments" over the past weeks (issue 6): enough for the company
  // card's "presence over time" chart to show steady, week-by-week answers to members' questions.
  { ref: 'n1', topic: 'new-treatments', persona: 'staff2', ago: 11 * WEEK,
    body: 'Hello from Novacura’s patient engagement team. We will look in here every week. We cannot give medical advice, and when a question is one for your own doctor we will say so.' },
  { ref: 'n2', topic: 'new-treatments', parent: 'n1', persona: 'carer', ago: 11 * WEEK - 5 * 60,
    body: 'Thank you. Will you also tell us when you cannot answer something?' },
  { ref: 'n3', topic: 'new-treatments', parent: 'n2', persona: 'staff2', ago: 11 * WEEK - 8 * 60,
    body: 'Yes. If we cannot answer, we will say why — usually because it is a question for your specialist.' },
  { ref: 'n4', topic: 'new-treatments', persona: 'carer3', ago: 10 * WEEK,
    body: 'Is there any help with travel costs for the infusion appointments?' },
  { ref: 'n5', topic: 'new-treatments', parent: 'n4', persona: 'staff2', ago: 10 * WEEK - 20 * 60,
    body: 'Not from us directly: a company paying patients’ costs would be an inducement. Your hospital’s patient transport service and the association’s helpline can advise on travel support.' },
  { ref: 'n6', topic: 'new-treatments', persona: 'patient', ago: 9 * WEEK,
    body: 'How long do the infusions take, start to finish?' },
  { ref: 'n7', topic: 'new-treatments', parent: 'n6', persona: 'staff', ago: 9 * WEEK - 6 * 60,
    body: 'In the trials each infusion took about an hour, plus checks before and a period of observation afterwards. Your infusion centre will tell you how long to plan for on the day.' },
  { ref: 'n8', topic: 'new-treatments', persona: 'staff', ago: 8 * WEEK,
    body: 'The plain-language summary of our trial results is now on the EU clinical trials register. I am happy to walk through what the numbers do and do not mean.' },
  { ref: 'n9', topic: 'new-treatments', parent: 'n8', persona: 'carer2', ago: 7 * WEEK,
    body: 'What does “slowing of decline” mean in everyday terms?' },
  { ref: 'n10', topic: 'new-treatments', parent: 'n9', persona: 'staff', ago: 7 * WEEK - 26 * 60,
    body: 'On average, people on treatment lost everyday abilities more slowly than people on placebo. It does not stop the disease, and an average hides a lot of variation between people.' },
  { ref: 'n11', topic: 'new-treatments', persona: 'carer', ago: 6 * WEEK,
    body: 'Does the new antibody interact with the usual dementia tablets?' },
  { ref: 'n12', topic: 'new-treatments', parent: 'n11', persona: 'staff', ago: 6 * WEEK - 4 * 60,
    body: 'Cognivex (velanumab) was studied in people who also took the usual dementia tablets. Whether it suits your own list of medicines is a question for your prescriber or pharmacist.' },
  { ref: 'n13', topic: 'new-treatments', persona: 'staff2', ago: 5 * WEEK,
    body: 'A short practical note: from next month the carers’ helpline is also open on Saturday mornings.' },
  { ref: 'n14', topic: 'new-treatments', persona: 'carer3', ago: 4 * WEEK,
    body: 'Who decides whether someone stops treatment if the scans show ARIA?' },
  { ref: 'n15', topic: 'new-treatments', parent: 'n14', persona: 'staff', ago: 4 * WEEK - 10 * 60,
    body: 'Your specialist team decides, following the product information. Most ARIA findings cause no symptoms, but the team may pause or stop treatment. Ask them about their plan before you start.' },
  { ref: 'n16', topic: 'new-treatments', persona: 'patient', ago: 2 * WEEK,
    body: 'Are there any plans for infusions at home?' },
  { ref: 'n17', topic: 'new-treatments', parent: 'n16', persona: 'staff2', ago: 2 * WEEK - 30 * 60,
    body: 'Not at the moment, and I do not want to promise something that is not planned. I have passed the question on and will post here if that changes.' },
];

/**
 * Edits made after the fact (issue 6), applied in order once the posts exist. The staff answer
 * t2 is corrected after the neurologist replied, so readers see "edited after a reply · see history".
 */
export const SEED_EDITS: Array<{ ref: string; ago: number; body: string }> = [
  { ref: 't2', ago: 11 * DAY - 30,
    body: 'Good question, and I want to be careful: eligibility is decided by your specialist, not by us. In trials, people had early-stage disease with confirmed amyloid. The regular MRI scans check for a side effect called ARIA (swelling or small bleeds in the brain), which is usually without symptoms but must be watched. People who carry two copies of the APOE4 gene have a higher risk of ARIA, so your specialist may suggest a gene test first. I am happy to answer what I can about the science.\n\n*Edit: I added the APOE4 point, which I should have mentioned the first time.*' },
];
