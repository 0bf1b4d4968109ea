/**
 * The closed vocabularies of the model format (DESIGN §3, a contract). Every enumeration lists every
 * value, in the order the design gives them; extending one means appending a value, never renaming.
 */

export const BOUNDARY_KINDS = [
  'internet',
  'cloud-account',
  'region',
  'network',
  'subnet',
  'cluster',
  'namespace',
  'host',
  'on-prem',
  'third-party',
  'device',
] as const;
export type BoundaryKind = (typeof BOUNDARY_KINDS)[number];

export const COMPONENT_KINDS = [
  'user',
  'external-service',
  'web-client',
  'mobile-app',
  'service',
  'function',
  'gateway',
  'load-balancer',
  'cdn',
  'waf',
  'identity-provider',
  'datastore',
  'object-store',
  'cache',
  'queue',
  'stream',
  'search',
  'secret-store',
  'ci-cd',
  'repository',
  'registry',
  'monitoring',
  'llm',
  'container-platform',
] as const;
export type ComponentKind = (typeof COMPONENT_KINDS)[number];

export const EXPOSURES = ['public', 'internal'] as const;
export type Exposure = (typeof EXPOSURES)[number];

export const CONTROLS = [
  'authentication',
  'authorization',
  'input-validation',
  'output-encoding',
  'rate-limiting',
  'waf',
  'tls-termination',
  'audit-logging',
  'monitoring',
  'mfa',
  'backup',
  'network-policy',
  'ip-allowlist',
  'signing',
  'sandbox',
  'human-approval',
  'content-filtering',
] as const;
export type Control = (typeof CONTROLS)[number];

export const TRUST_ASSUMPTIONS = [
  'input-validated-upstream',
  'caller-authenticated-upstream',
  'caller-authorized-upstream',
  'network-trusted',
  'data-encrypted-upstream',
] as const;
export type TrustAssumption = (typeof TRUST_ASSUMPTIONS)[number];

export const SECRET_LOCATIONS = [
  'env',
  'config-file',
  'source-code',
  'container-image',
  'ci-variables',
  'secret-store',
] as const;
export type SecretLocation = (typeof SECRET_LOCATIONS)[number];

export const IDENTITY_KINDS = ['service-role', 'user-role', 'ci-role', 'machine-user', 'human-user'] as const;
export type IdentityKind = (typeof IDENTITY_KINDS)[number];

export const CREDENTIAL_LIFETIMES = ['short-lived', 'long-lived'] as const;
export type CredentialLifetime = (typeof CREDENTIAL_LIFETIMES)[number];

export const ACTIONS = ['read', 'write', 'delete', 'admin', 'invoke', 'publish', 'subscribe'] as const;
export type Action = (typeof ACTIONS)[number];
/** Grants may also use "*"; `admin` and `"*"` cover every action. */
export const GRANT_ACTIONS = [...ACTIONS, '*'] as const;
export type GrantAction = (typeof GRANT_ACTIONS)[number];

export const CLASSIFICATIONS = [
  'public',
  'internal',
  'confidential',
  'financial',
  'pii',
  'phi',
  'pci',
  'credentials',
  'secret',
] as const;
export type Classification = (typeof CLASSIFICATIONS)[number];
/** Sensitive: confidential and above (DESIGN §3). */
export const SENSITIVE_CLASSIFICATIONS: ReadonlySet<Classification> = new Set([
  'confidential',
  'financial',
  'pii',
  'phi',
  'pci',
  'credentials',
  'secret',
]);
/** Crown jewels (DESIGN §3). */
export const CROWN_JEWEL_CLASSIFICATIONS: ReadonlySet<Classification> = new Set([
  'financial',
  'pii',
  'phi',
  'pci',
  'credentials',
  'secret',
]);
/** What attack paths target (DESIGN §4): components storing these. */
export const ATTACK_PATH_TARGET_CLASSIFICATIONS: ReadonlySet<Classification> = new Set([
  'pii',
  'phi',
  'pci',
  'credentials',
  'secret',
]);

export const AUTHN_METHODS = [
  'none',
  'api-key',
  'basic',
  'password',
  'session',
  'jwt',
  'oauth2',
  'oidc',
  'saml',
  'mtls',
  'iam',
  'kerberos',
  'hmac',
  'unknown',
] as const;
export type AuthnMethod = (typeof AUTHN_METHODS)[number];
export const WEAK_AUTHN: ReadonlySet<AuthnMethod> = new Set(['api-key', 'basic', 'password']);

export const FLOW_PURPOSES = [
  'user-traffic',
  'replication',
  'backup',
  'admin',
  'deploy',
  'telemetry',
  'batch',
] as const;
export type FlowPurpose = (typeof FLOW_PURPOSES)[number];

export const VIA_NETWORKS = ['internet', 'private', 'vpn'] as const;
export type ViaNetwork = (typeof VIA_NETWORKS)[number];

export const RISK_STATUSES = ['accepted', 'mitigated', 'false-positive'] as const;
export type RiskStatus = (typeof RISK_STATUSES)[number];

/** Tri-state facts: absent means unknown unless a default is derived. */
export type TriState = boolean | 'unknown';

/** Written ids (DESIGN §3). `>` never appears, so derived flow ids `<from>-><to>` cannot collide. */
const ID_BODY = '[A-Za-z0-9][A-Za-z0-9._:/@-]{0,127}';
export const ID_PATTERN = new RegExp(`^${ID_BODY}$`);
/**
 * A reference that may name a flow by its derived id `<from>-><to>` as well as any written id
 * ("anywhere a flow is referenced, its written or derived id may be used", DESIGN §3).
 */
export const ELEMENT_REF_PATTERN = new RegExp(`^${ID_BODY}(?:->${ID_BODY})?$`);
