/** The phrase indexes built once from the word lists and the lexicon. */
import type { BoundaryKind, ComponentKind } from '../../model/vocabulary.js';
import { TECHNOLOGIES, type Technology } from './lexicon.js';
import { PhraseIndex } from './phrase-index.js';
import { isVerbWord } from './verbs.js';
import { KIND_NOUNS, USER_NOUNS } from './words.js';

/**
 * Technology names that are also everyday English words count only when written with the capitals of
 * the lexicon ("a Go service", not "requests go to"; "Vault", not "a vault").
 */
const EXACT = new Set([
  'go',
  'node',
  'vault',
  'box',
  'square',
  'wise',
  'elastic',
  'spring',
  'rails',
  'ruby',
  'spark',
  'flux',
  'drone',
  'render',
  'segment',
  'sanity',
  'neon',
  'bun',
  'dex',
  'loki',
  'nexus',
  'helm',
  'oracle',
  'lambda',
  'aurora',
  'neptune',
  'glue',
  'athena',
  'datastore',
  'spanner',
  'synapse',
  'harbor',
  'quay',
  'zoom',
  'slack',
  'mistral',
  'chroma',
  'phoenix',
  'remix',
  'rust',
  'flask',
  'express',
  'sinatra',
  'elixir',
  'claude',
  'gemini',
  'envoy',
  'pulsar',
  'glacier',
  'bedrock',
  'react',
  'angular',
  'dataflow',
  'plaid',
  'ups',
  'sentry',
  'honeycomb',
  'argo',
  'octopus',
  'grafana',
  'looker',
  'express',
]);

export interface TechMatchValue {
  tech: Technology;
  /** The lexicon's own spelling of the matched term. */
  term: string;
}

export const TECH_INDEX = new PhraseIndex<TechMatchValue>();
for (const tech of TECHNOLOGIES) {
  for (const term of tech.terms) {
    const single = !/\s/.test(term);
    TECH_INDEX.add(term, { tech, term }, single && EXACT.has(term.toLowerCase()));
  }
}
// "API Gateway" with capitals is Amazon's; "an API gateway" is any gateway.
TECH_INDEX.add('API Gateway', { tech: TECHNOLOGIES[0] as Technology, term: 'API Gateway' }, true);

export const KIND_INDEX = new PhraseIndex<ComponentKind>();
const plural = (noun: string) =>
  /(?:s|x|ch|sh)$/.test(noun)
    ? `${noun}es`
    : /[^aeiou]y$/.test(noun)
      ? `${noun.slice(0, -1)}ies`
      : `${noun}s`;
for (const [noun, kind] of KIND_NOUNS) {
  KIND_INDEX.add(noun, kind);
  // Plurals, except those that are also verbs ("caches", "queues", "logs").
  const p = plural(noun);
  if (!KIND_NOUNS.has(p) && !USER_NOUNS.has(p) && !isVerbWord(p.split(' ').pop() ?? ''))
    KIND_INDEX.add(p, kind);
}
for (const [noun, kind] of [
  ['bank', 'external-service'],
  ['partner', 'external-service'],
  ['supplier', 'external-service'],
  ['vendor', 'external-service'],
  ['provider', 'external-service'],
  ['acquirer', 'external-service'],
  ['clearinghouse', 'external-service'],
  ['third party', 'external-service'],
  ['third-party service', 'external-service'],
  ['saas', 'external-service'],
  ['page', 'web-client'],
  ['secondary', 'datastore'],
  ['geo-replica', 'datastore'],
  ['application server', 'service'],
  ['app server', 'service'],
] as const) {
  KIND_INDEX.add(noun, kind);
}

export const USER_INDEX = new PhraseIndex<string>();
for (const [noun, name] of USER_NOUNS) USER_INDEX.add(noun, name);

export const BOUNDARY_INDEX = new PhraseIndex<BoundaryKind>();
for (const [noun, kind] of [
  ['vpc', 'network'],
  ['vpcs', 'network'],
  ['vnet', 'network'],
  ['virtual network', 'network'],
  ['private network', 'network'],
  ['network', 'network'],
  ['subnet', 'subnet'],
  ['subnets', 'subnet'],
  ['cluster', 'cluster'],
  ['namespace', 'namespace'],
  ['account', 'cloud-account'],
  ['aws account', 'cloud-account'],
  ['project', 'cloud-account'],
  ['gcp project', 'cloud-account'],
  ['google cloud project', 'cloud-account'],
  ['subscription', 'cloud-account'],
  ['azure subscription', 'cloud-account'],
  ['region', 'region'],
  ['data centre', 'on-prem'],
  ['data center', 'on-prem'],
  ['datacenter', 'on-prem'],
  ['datacentre', 'on-prem'],
  ['on-prem', 'on-prem'],
  ['on-premises', 'on-prem'],
  ['server room', 'on-prem'],
  ['box', 'host'],
  ['host', 'host'],
  ['machine', 'host'],
  ['vm', 'host'],
] as const) {
  BOUNDARY_INDEX.add(noun, kind);
}
