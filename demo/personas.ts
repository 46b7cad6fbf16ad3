/**
 * The demo organisation's people. Fictional: Meadowbrook Dementia Carers' Association hosts
 * the discussion; Novacura Pharma is a fictional company taking part under real names.
 */
import type { AffiliationBadge, Role } from '../moderation/types.js';

export interface Persona {
  /** Used by the demo sign-in: POST /demo/api/sign-in { persona }. */
  key: string;
  sub: string;
  name: string;
  description: string;
  roles?: Role[];
  affiliation?: Omit<AffiliationBadge, 'verifiedAt'>;
  profession?: string;
  /** Offered in the one-click sign-in (others only appear in the seeded history). */
  signIn: boolean;
  /**
   * A fictional address (the demo outbox shows mail to these domains only), carried in the demo's
   * host token; the seed opts this persona into notifications (issue 13) so a visitor sees the mail.
   */
  email?: string;
}

export const DEMO_SITE = {
  id: 'demo',
  name: "Meadowbrook Dementia Carers' Association",
};

const NOVACURA = { companyId: 'novacura', companyName: 'Novacura Pharma', verifiedBy: DEMO_SITE.name };

export const PERSONAS: Persona[] = [
  { key: 'patient', sub: 'demo-pieter', name: 'Pieter V.', description: 'Patient, diagnosed with early-onset Alzheimer’s two years ago', signIn: true },
  { key: 'carer', sub: 'demo-marjorie', name: 'Marjorie K.', description: 'Carer for her husband Alan', signIn: true, email: 'marjorie@meadowbrook.example' },
  {
    key: 'staff', sub: 'demo-sarah', name: 'Dr. Sarah Lindqvist', description: 'Medical Science Liaison at Novacura Pharma (company staff)',
    affiliation: { ...NOVACURA, jobTitle: 'Medical Science Liaison' }, signIn: true,
  },
  {
    key: 'staff2', sub: 'demo-tom', name: 'Tom Becker', description: 'Patient Engagement Lead at Novacura Pharma (company staff)',
    affiliation: { ...NOVACURA, jobTitle: 'Patient Engagement Lead' }, signIn: true,
  },
  { key: 'neurologist', sub: 'demo-amira', name: 'Dr. Amira Haddad', description: 'Neurologist, verified healthcare professional', profession: 'Neurologist', signIn: true },
  { key: 'nurse', sub: 'demo-joseph', name: 'Joseph Mensah', description: 'Memory-clinic nurse, verified healthcare professional', profession: 'Nurse', signIn: true },
  { key: 'moderator', sub: 'demo-joan', name: 'Joan Ellis', description: 'Volunteer moderator for the association', roles: ['moderator'], signIn: true },
  { key: 'moderator2', sub: 'demo-priya', name: 'Priya Natarajan', description: 'Second volunteer moderator; decides appeals against Joan’s decisions', roles: ['moderator'], signIn: true },
  { key: 'admin', sub: 'demo-helen', name: 'Helen Park', description: 'Association coordinator and site admin', roles: ['admin'], signIn: true },
  { key: 'carer2', sub: 'demo-grace', name: 'grace_cares', description: 'Carer for her mother', signIn: false },
  { key: 'carer3', sub: 'demo-ruth', name: 'Ruth O.', description: 'Daughter and carer', signIn: false },
  { key: 'visitor', sub: 'demo-vince', name: 'HealthyMind2025', description: 'A one-off visitor who posted an advert', signIn: false },
];

/** The companies registered on the demo site, with their disclosures. */
export const DEMO_COMPANIES = [
  {
    id: 'novacura',
    legalName: 'Novacura Pharma B.V.',
    displayName: 'Novacura Pharma',
    emailDomains: ['novacura.example'],
    products: [{ name: 'Cognivex', inn: ['velanumab'], prescriptionOnly: true }],
    disclosure: {
      funding: [
        { year: 2025, amount: 45000, currency: 'EUR', type: 'grant', purpose: 'Core funding of the carers’ helpline', agreementRef: 'MB-2025-03' },
        { year: 2024, amount: 30000, currency: 'EUR', type: 'grant', purpose: 'Core funding of the carers’ helpline', agreementRef: 'MB-2024-01' },
      ],
      projects: ['Carers’ helpline (2024–2025)', 'Patient panel on infusion-centre access'],
      url: 'https://meadowbrook.example/about/funding',
      statement: 'Novacura has no say over what is published here, and its staff do not moderate.',
    },
  },
  {
    id: 'brightwell',
    legalName: 'Brightwell Medtech Ltd',
    displayName: 'Brightwell Medtech',
    emailDomains: ['brightwell.example'],
    products: [{ name: 'Brightwell Memory Clock', inn: [], prescriptionOnly: false }],
    disclosure: {
      funding: [{ year: 2025, amount: 12000, currency: 'EUR', type: 'sponsorship', purpose: 'Printing of the daily-living guide' }],
      projects: ['Daily-living guide, 2nd edition'],
      url: 'https://meadowbrook.example/about/funding',
      statement: null,
    },
  },
];

/**
 * The demo's fictional mail domains (the association's and the companies'; `.example` is reserved,
 * so no real person has an address there). The demo outbox shows mail to these addresses only.
 */
export const DEMO_MAIL_DOMAINS: readonly string[] = ['meadowbrook.example', ...DEMO_COMPANIES.flatMap((c) => c.emailDomains)];
