/**
 * Data kinds the importer recognises, as data: a phrase (a regular expression over the words of a
 * sentence) and the classification (DESIGN §3) it gets. The first matching row wins; rows are ordered
 * from the most specific to the most general.
 */
import type { Classification } from '../../model/vocabulary.js';

export interface DataKind {
  pattern: RegExp;
  classification: Classification;
}

const row = (source: string, classification: Classification, flags = 'i'): DataKind => ({
  pattern: new RegExp(`(?<![\\w-])(?:${source})(?![\\w-])`, flags),
  classification,
});

export const DATA_KINDS: readonly DataKind[] = [
  // card data (PCI DSS)
  row(
    '(?:payment )?card ?holder data|(?:payment |credit |debit )?card (?:data|numbers?|details)|credit cards?|card payments?|cvcs?|cvvs?|primary account numbers?',
    'pci',
  ),
  row('PANs?', 'pci', ''),
  // health data (HIPAA)
  row('PHI|ePHI', 'phi', ''),
  row(
    'protected health information|health (?:data|records?|information)|medical (?:data|records?|history)|patient (?:records?|data|charts?)|clinical (?:notes|data|records?)|lab results|test results|diagnos[ie]s|prescriptions?',
    'phi',
  ),
  // credentials and secrets
  row(
    'session tokens?|session cookies?|access tokens?|refresh tokens?|id tokens?|bearer tokens?|password hashes|passwords?|credentials|api keys?|login details',
    'credentials',
  ),
  row('private keys?|signing keys?|encryption keys?|secret keys?|secrets|master keys?', 'secret'),
  // financial data
  row(
    'financial (?:data|records?|information|transactions?)|bank (?:details|account (?:numbers?|details))|ibans?|account balances?|balances|payouts?|payout instructions|transfers|transactions|invoices?|order totals|order records|payment (?:data|records?|intents?|instructions)|salary data|salaries|payroll data|ledger entries|accounts, balances and transfers',
    'financial',
  ),
  // personal data
  row('PII', 'pii', ''),
  row(
    'personal(?:ly identifiable)? (?:data|information|details)|customer data|user data|contact details|names and (?:e-?mail )?addresses|(?:e-?mail|email|home|shipping|postal|billing) addresse?s?|e-?mail address(?:es)?|phone numbers?|dates? of birth|passport numbers?|social security numbers?|ssns?|national id(?: numbers?)?|driver.?s licen[cs]e numbers?|cvs|résumés|resumes|user profiles|profile data|customer (?:names|addresses|profiles|records)|recipient names and addresses|(?:patient|customer|user).?s name',
    'pii',
  ),
  // confidential and internal
  row(
    'confidential (?:data|documents|information)|trade secrets|internal documents|business data',
    'confidential',
  ),
  row('internal data|stock levels|telemetry|metrics', 'internal'),
  row(
    'public data|product catalogu?e|product images|product descriptions|profile photos|static assets',
    'public',
  ),
];

/** Words naming whose data it is ("customer PII", "driver PII"): kept in the data id. */
export const DATA_OWNERS: ReadonlySet<string> = new Set([
  'customer',
  'customers',
  'patient',
  'patients',
  'user',
  'users',
  'driver',
  'drivers',
  'seller',
  'sellers',
  'buyer',
  'buyers',
  'merchant',
  'merchants',
  'policyholder',
  'policyholders',
  'applicant',
  'applicants',
  'employee',
  'employees',
  'guest',
  'guests',
  'member',
  'members',
  'tenant',
  'tenants',
  'student',
  'students',
  'recipient',
  'recipients',
  'shopper',
  'shoppers',
  'cardholder',
  'entrant',
  'entrants',
  'candidate',
  'candidates',
  'staff',
]);

/** Classification words used in definitions ("visit notes are PHI", "that's PII"). */
export const CLASSIFICATION_WORDS: ReadonlyMap<string, Classification> = new Map<string, Classification>([
  ['pii', 'pii'],
  ['personal data', 'pii'],
  ['personal information', 'pii'],
  ['phi', 'phi'],
  ['health data', 'phi'],
  ['pci', 'pci'],
  ['card data', 'pci'],
  ['financial data', 'financial'],
  ['financial', 'financial'],
  ['credentials', 'credentials'],
  ['secret', 'secret'],
  ['secrets', 'secret'],
  ['confidential', 'confidential'],
  ['sensitive', 'confidential'],
  ['internal', 'internal'],
  ['public', 'public'],
]);
