/**
 * The words of what-if questions: how people name controls, authentication methods, secret locations,
 * trust assumptions, numbers and component kinds, mapped to the model's vocabulary.
 */
import { cmp } from '../text.js';

/** Phrases for each control of the vocabulary, longest first when matched. */
export const CONTROL_PHRASES: Readonly<Record<string, readonly string[]>> = {
  authentication: ['authentication', 'authn', 'auth'],
  authorization: [
    'authorization',
    'authorisation',
    'authz',
    'access control',
    'access controls',
    'access checks',
    'permission checks',
    'object-level authorization',
  ],
  'input-validation': [
    'input validation',
    'input-validation',
    'request validation',
    'schema validation',
    'validation',
    'validate input',
    'validates input',
    'validated input',
    'validate its input',
    'validates its input',
    'validated its input',
    'validate its own input',
    'validates its own input',
    'validated its own input',
  ],
  'output-encoding': ['output encoding', 'output-encoding', 'output escaping', 'escaping'],
  'rate-limiting': [
    'rate limiting',
    'rate-limiting',
    'rate limits',
    'rate limit',
    'throttling',
    'rate-limit',
  ],
  waf: ['waf', 'web application firewall'],
  'tls-termination': ['tls termination', 'tls-termination'],
  'audit-logging': ['audit logging', 'audit-logging', 'audit logs', 'audit log', 'audit trail', 'logging'],
  monitoring: ['monitoring', 'alerting', 'alarms'],
  mfa: [
    'mfa',
    '2fa',
    'multi-factor authentication',
    'multi-factor',
    'multifactor',
    'two-factor authentication',
    'two-factor',
    'second factor',
  ],
  backup: ['backups', 'backup'],
  'network-policy': [
    'network policy',
    'network policies',
    'network-policy',
    'network segmentation',
    'segmentation',
  ],
  'ip-allowlist': [
    'ip allowlist',
    'ip allow-list',
    'ip allow list',
    'ip-allowlist',
    'allowlist',
    'allow-list',
    'allow list',
    'whitelist',
    'ip restrictions',
    'ip restriction',
  ],
  signing: ['signing', 'signatures', 'signature', 'code signing', 'image signing'],
  sandbox: ['sandboxing', 'sandbox', 'egress sandbox'],
  'human-approval': [
    'human approval',
    'human-approval',
    'human in the loop',
    'human-in-the-loop',
    'human review',
    'manual approval',
    'approvals',
    'approval',
    'four-eyes',
  ],
  'content-filtering': ['content filtering', 'content-filtering', 'content filters', 'content filter'],
};

export const AUTHN_PHRASES: Readonly<Record<string, readonly string[]>> = {
  mtls: ['mtls', 'mutual tls', 'm-tls', 'client certificates', 'client certs'],
  oauth2: ['oauth2', 'oauth 2', 'oauth'],
  oidc: ['oidc', 'openid connect', 'openid'],
  jwt: ['jwts', 'jwt', 'bearer tokens', 'bearer token'],
  iam: ['iam auth', 'iam'],
  saml: ['saml'],
  kerberos: ['kerberos'],
  hmac: ['hmac signatures', 'hmac'],
  'api-key': ['api keys', 'api key', 'api-key', 'api-keys'],
  basic: ['basic auth', 'basic authentication', 'http basic'],
  password: ['passwords', 'password'],
  session: ['session cookies', 'sessions', 'session'],
  none: [
    'no authentication',
    'no auth',
    'unauthenticated',
    'anonymous',
    'anonymously',
    'without authentication',
  ],
};

export const SECRET_PHRASES: Readonly<Record<string, readonly string[]>> = {
  'secret-store': [
    'secret store',
    'secrets store',
    'secret-store',
    'secret manager',
    'secrets manager',
    'key vault',
    'keyvault',
    'vault',
    'parameter store',
    'kms',
  ],
  env: ['environment variables', 'environment variable', 'env vars', 'env var', 'env', 'environment'],
  'config-file': ['config files', 'config file', 'configuration file', 'config-file', 'config'],
  'source-code': ['source code', 'source-code', 'the code', 'code'],
  'container-image': ['container image', 'container-image', 'docker image', 'image'],
  'ci-variables': ['ci variables', 'ci-variables', 'ci secrets', 'pipeline variables'],
};

export const ASSUMPTION_PHRASES: Readonly<Record<string, readonly string[]>> = {
  'input-validated-upstream': [
    'input-validated-upstream',
    'input validated upstream',
    'input is validated upstream',
    'its input was validated upstream',
    'upstream validation',
    'the gateway validates',
    'the gateway to validate',
  ],
  'caller-authenticated-upstream': [
    'caller-authenticated-upstream',
    'caller authenticated upstream',
    'upstream authentication',
  ],
  'caller-authorized-upstream': [
    'caller-authorized-upstream',
    'caller authorized upstream',
    'upstream authorization',
  ],
  'network-trusted': [
    'network-trusted',
    'network trusted',
    'the network is trusted',
    'the network',
    'network trust',
    'the vpc',
    'the vpc is trusted',
  ],
  'data-encrypted-upstream': ['data-encrypted-upstream', 'data encrypted upstream', 'upstream encryption'],
};

export const NUMBERS: Readonly<Record<string, number>> = {
  one: 1,
  two: 2,
  three: 3,
  four: 4,
  five: 5,
  six: 6,
  seven: 7,
  eight: 8,
  nine: 9,
  ten: 10,
  a: 1,
  an: 1,
  single: 1,
};

export const KIND_WORDS: Readonly<Record<string, string>> = {
  database: 'datastore',
  db: 'datastore',
  datastore: 'datastore',
  bucket: 'object-store',
  'object store': 'object-store',
  'load balancer': 'load-balancer',
  'api gateway': 'gateway',
  gateway: 'gateway',
  cache: 'cache',
  queue: 'queue',
  stream: 'stream',
  service: 'service',
  microservice: 'service',
  function: 'function',
  lambda: 'function',
  cdn: 'cdn',
  waf: 'waf',
  'identity provider': 'identity-provider',
  idp: 'identity-provider',
  'secret store': 'secret-store',
  vault: 'secret-store',
  'search engine': 'search',
  search: 'search',
  registry: 'registry',
  repository: 'repository',
  'ci/cd': 'ci-cd',
  pipeline: 'ci-cd',
  'monitoring system': 'monitoring',
  llm: 'llm',
  user: 'user',
};

const esc = (s: string) => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

/** The first phrase of a table found in the text (longest phrases first), with its key. */
export function findPhrase(
  text: string,
  table: Readonly<Record<string, readonly string[]>>,
): { key: string; phrase: string; index: number } | undefined {
  const all = Object.entries(table)
    .flatMap(([key, phrases]) => phrases.map((phrase) => ({ key, phrase })))
    .sort((a, b) => b.phrase.length - a.phrase.length || cmp(a.phrase, b.phrase));
  let best: { key: string; phrase: string; index: number } | undefined;
  for (const { key, phrase } of all) {
    const m = new RegExp(`(?<![a-z0-9-])${esc(phrase)}(?![a-z0-9-])`).exec(text);
    if (m && (best === undefined || m.index < best.index)) best = { key, phrase, index: m.index };
  }
  return best;
}

/** Every phrase of a table found in the text, each key once, in order of position. */
export function findPhrases(text: string, table: Readonly<Record<string, readonly string[]>>): string[] {
  const all = Object.entries(table)
    .flatMap(([key, phrases]) => phrases.map((phrase) => ({ key, phrase })))
    .sort((a, b) => b.phrase.length - a.phrase.length || cmp(a.phrase, b.phrase));
  const hits: { key: string; index: number }[] = [];
  let rest = text;
  for (const { key, phrase } of all) {
    const re = new RegExp(`(?<![a-z0-9-])${esc(phrase)}(?![a-z0-9-])`, 'g');
    for (const m of rest.matchAll(re)) {
      hits.push({ key, index: m.index ?? 0 });
      rest = rest.slice(0, m.index) + ' '.repeat(phrase.length) + rest.slice((m.index ?? 0) + phrase.length);
    }
  }
  return [...new Set(hits.sort((a, b) => a.index - b.index).map((h) => h.key))];
}

/** Whether a pattern occurs in a text. */
export const has = (re: RegExp, text: string) => re.test(text);
