/**
 * Definitions of the terms a threat model uses, written for this tool: the STRIDE categories, the core
 * ideas of the analysis (trust boundary, attack path, assumed vs confirmed, ...), and the controls of
 * the model's vocabulary. Rule ids, CWE, CAPEC, ATT&CK and compliance ids are defined from the rule
 * catalogue and the id catalogues instead (see answers/term.ts).
 */
import type { Stride } from '../rules/define-rule.js';

export interface GlossaryEntry {
  /** The term as shown. */
  term: string;
  /** Ways people write it (lower case); the term itself is included automatically. */
  aliases: readonly string[];
  text: string;
  /** The STRIDE category the term is, so the answer can count findings carrying it. */
  stride?: Stride;
  /** The control of the model vocabulary the term is, so the answer can point to where it matters. */
  control?: string;
}

export const GLOSSARY: readonly GlossaryEntry[] = [
  {
    term: 'STRIDE',
    aliases: ['stride categories', 'stride model', 'the stride model'],
    text: 'STRIDE is a way to sort threats into six kinds, each the violation of one security property: spoofing (authenticity), tampering (integrity), repudiation (non-repudiation), information disclosure (confidentiality), denial of service (availability) and elevation of privilege (authorization). Every rule carries the categories its findings belong to, the most important first.',
  },
  {
    term: 'spoofing',
    aliases: ['spoof', 'impersonation'],
    stride: 'spoofing',
    text: 'Spoofing is pretending to be someone or something else: a caller using stolen or guessed credentials, a forged request that a service accepts because it does not authenticate its caller. It violates authenticity; the usual answers are strong authentication (mTLS, OIDC, MFA) and not trusting a caller for where it sits in the network.',
  },
  {
    term: 'tampering',
    aliases: ['tamper', 'integrity'],
    stride: 'tampering',
    text: 'Tampering is changing data or code without the right to: altering requests in transit, rewriting records, injecting malformed input, deploying a modified artefact. It violates integrity; encryption in transit, input validation, signing and least-privilege write access are the usual answers.',
  },
  {
    term: 'repudiation',
    aliases: ['non-repudiation', 'nonrepudiation', 'repudiate'],
    stride: 'repudiation',
    text: 'Repudiation is being able to deny having done something because nothing recorded it reliably: no audit log, logs the actor can erase, unsigned transactions. Audit logging shipped to a store the actor cannot alter, and signing of high-value actions, are the usual answers.',
  },
  {
    term: 'information disclosure',
    aliases: ['information-disclosure', 'disclosure', 'data leak', 'data leakage', 'confidentiality'],
    stride: 'information-disclosure',
    text: 'Information disclosure is data reaching someone who should not see it: plaintext traffic read on the wire, a public datastore, over-broad read access, sensitive data sent to a third party or a log. It violates confidentiality; encryption, access control and data minimisation are the usual answers.',
  },
  {
    term: 'denial of service',
    aliases: ['denial-of-service', 'dos', 'ddos', 'availability'],
    stride: 'denial-of-service',
    text: 'Denial of service is making a system unavailable or too slow to use: flooding an unthrottled endpoint, exhausting a single instance, destroying data and its backups together. It violates availability; rate limiting, redundancy (replicas) and isolated, immutable backups are the usual answers.',
  },
  {
    term: 'elevation of privilege',
    aliases: ['elevation-of-privilege', 'privilege escalation', 'escalation of privilege', 'eop'],
    stride: 'elevation-of-privilege',
    text: 'Elevation of privilege is gaining rights one was not given: a compromised workload acting with an over-privileged role, a caller reaching functions without an authorization check, a privileged container escaping to its host. It violates authorization; least privilege, authorization on every request and sandboxing are the usual answers.',
  },
  {
    term: 'trust boundary',
    aliases: ['trust boundaries', 'boundary', 'boundaries', 'trust zone'],
    text: 'A trust boundary is a line in the architecture where the level of trust changes: the internet and your network, one cloud account and another, a cluster namespace, a third party. In the model they are the `boundaries` (internet, cloud-account, region, network, subnet, cluster, namespace, host, on-prem, third-party, device), nested with `in`. A flow crosses every boundary that contains one of its ends and not the other; data crossing a boundary is where most threats live.',
  },
  {
    term: 'attack path',
    aliases: ['attack paths', 'attack-path', 'kill chain', 'path'],
    text: 'An attack path is a chain of flows from an entry point (a component on the internet, or one stated public) to a component that stores pii, phi, pci, credentials or secret data. The analysis reports up to 3 per target, one per entry point, shortest first, at most 8 hops, each with its weakest link: the flow nearest the target with no, weak or unknown authentication, or no or unknown encryption.',
  },
  {
    term: 'weakest link',
    aliases: ['weak link'],
    text: 'The weakest link of an attack path is its flow nearest the target that has no, weak (api-key, basic, password) or unknown authentication, or no or unknown encryption: the hop where hardening helps most. A path with none has every hop strongly authenticated and encrypted.',
  },
  {
    term: 'entry point',
    aliases: ['entry points', 'entrypoint'],
    text: 'An entry point is where an attacker can start: a component inside an internet boundary (a user, a browser, a third party on the internet) or a component stated `exposure: public`. A component is internet-reachable when a chain of flows leads to it from an entry point.',
  },
  {
    term: 'crown jewels',
    aliases: ['crown jewel', 'crown-jewels', 'crown-jewel data', 'sensitive data'],
    text: 'Crown jewels are the data whose loss hurts most: data classified financial, pii, phi, pci, credentials or secret. Sensitive data is confidential and above. Attack paths end at the components that store pii, phi, pci, credentials or secret data.',
  },
  {
    term: 'assumed vs confirmed',
    aliases: [
      'assumed',
      'confirmed',
      'assumed finding',
      'confirmed finding',
      'confidence',
      'assumed versus confirmed',
      'assumed and confirmed',
      'assumed or confirmed',
    ],
    text: 'A confirmed finding rests only on facts the model states. An assumed finding needs a fact the model leaves unknown (an absent attribute such as `encrypted` or `controls`): every other fact the rule needs holds, so the flaw is likely but unproven. Its likelihood is lowered one step before the severity matrix is applied, and each missing fact becomes an open question; answering it confirms or clears the finding.',
  },
  {
    term: 'severity',
    aliases: ['severity matrix', 'likelihood', 'impact', 'risk rating', 'severities'],
    text: 'Severity comes from one matrix of likelihood (unlikely, possible, likely, very-likely) by impact (low, medium, high, very-high): for example likely × very-high is critical, possible × high is medium, unlikely × low is info. Rules report likelihood and impact with their reasons; an assumed finding has its likelihood lowered one step first.',
  },
  {
    term: 'finding',
    aliases: ['findings', 'finding id', 'fingerprint'],
    text: 'A finding is one root cause that a rule found: the elements to fix (its primary), the other elements affected, the evidence from the model, a mitigation, its STRIDE categories, CWE, CAPEC and ATT&CK ids, and the compliance controls it touches. Its id is a fingerprint of the rule id and the primary ids, so it survives renames and reordering.',
  },
  {
    term: 'risk decision',
    aliases: [
      'risk decisions',
      'accepted risk',
      'risk acceptance',
      'mitigated',
      'false positive',
      'false-positive',
    ],
    text: 'A risk decision records what the team decided about a finding: accepted (with an owner and an expiry date, after which the finding is open again), mitigated (with how, when the fix lives outside the model) or false-positive. Decisions live in the model’s `risks` or a `--risks` file; only open findings count for a gate.',
  },
  {
    term: 'open question',
    aliases: ['open questions', 'question', 'questions', 'unknown fact', 'unknowns'],
    text: 'An open question is a fact the model leaves unknown that some rule needs, asked once per element and attribute (id `<element>#<attribute>`). The findings that depend on it are assumed until it is answered; answering it in the model confirms or clears them.',
  },
  {
    term: 'exposure',
    aliases: ['exposed', 'internet-reachable', 'internet reachable', 'public', 'internal'],
    text: 'A component is exposed when it is stated `exposure: public` or an internet source calls it directly, and internet-reachable when any chain of flows from an entry point reaches it. `exposure: internal` says it is meant to be reached only from inside.',
  },
  {
    term: 'least privilege',
    aliases: ['least-privilege', 'principle of least privilege', 'polp'],
    control: 'authorization',
    text: 'Least privilege means an identity holds only the permissions its work needs: the resources its components actually call, the actions their flows perform, the tables or buckets they touch. Anything more is inherited by whoever compromises a component running as it.',
  },
  {
    term: 'mitigation',
    aliases: ['mitigations', 'remediation'],
    text: 'A mitigation is the change that removes or reduces a finding’s risk, written for the elements it names. Once it is in place, record it in the model (a control, an attribute, a narrower grant) so the next analysis sees it, or record a mitigated risk decision when the fix lives outside the model.',
  },
  // ---- controls of the model vocabulary ---------------------------------------------------------
  {
    term: 'authentication',
    aliases: ['authn', 'auth'],
    control: 'authentication',
    text: 'Authentication proves who a caller is. On a flow it is `authn`: none, weak (api-key, basic, password) or strong (session, jwt, oauth2, oidc, saml, mtls, iam, kerberos, hmac). As a control, a component authenticates its callers itself (`controls`) or for the traffic through it (`enforces`).',
  },
  {
    term: 'authorization',
    aliases: ['authz', 'access control'],
    control: 'authorization',
    text: 'Authorization decides what an authenticated caller may do, on which object: ownership and tenant checks on every request, deny by default. Without it any signed-in caller can act on other users’ data.',
  },
  {
    term: 'input validation',
    aliases: ['input-validation', 'validation', 'request validation'],
    control: 'input-validation',
    text: 'Input validation checks every request against what is expected (schemas, types, sizes, allowed values) and rejects the rest, before the data reaches business logic or a query. A WAF is not input validation: it filters known attacks generically and does not know the API.',
  },
  {
    term: 'output encoding',
    aliases: ['output-encoding', 'escaping', 'output escaping'],
    control: 'output-encoding',
    text: 'Output encoding escapes data for the context it is written into (HTML, JavaScript, SQL, shell) so that data cannot become code, the main defence against injection such as cross-site scripting.',
  },
  {
    term: 'rate limiting',
    aliases: ['rate-limiting', 'throttling', 'rate limit', 'rate limits'],
    control: 'rate-limiting',
    text: 'Rate limiting caps how many requests a client, credential or source address may make in a period, which slows credential stuffing and brute force and keeps one caller from exhausting a service.',
  },
  {
    term: 'WAF',
    aliases: ['waf', 'web application firewall'],
    control: 'waf',
    text: 'A web application firewall inspects HTTP traffic in front of an application and blocks known attack patterns (injection, known exploits) with managed rules. It helps in depth but does not replace input validation in the service.',
  },
  {
    term: 'TLS termination',
    aliases: ['tls-termination'],
    control: 'tls-termination',
    text: 'TLS termination is where an encrypted connection ends and traffic continues decrypted. Whatever comes after the termination point travels in the clear unless it is encrypted again.',
  },
  {
    term: 'audit logging',
    aliases: ['audit-logging', 'audit log', 'audit logs', 'audit trail'],
    control: 'audit-logging',
    text: 'Audit logging records who did what, when, to which data and with what outcome, in a store the actor cannot alter, so that actions can be investigated and cannot be denied later.',
  },
  {
    term: 'monitoring',
    aliases: ['alerting', 'detection'],
    control: 'monitoring',
    text: 'Monitoring collects logs and metrics and alerts on signs of attack or failure while they happen, so that an intruder or an outage is noticed in hours rather than months.',
  },
  {
    term: 'MFA',
    aliases: ['mfa', '2fa', 'multi-factor authentication', 'two-factor authentication', 'multi-factor'],
    control: 'mfa',
    text: 'Multi-factor authentication requires a second proof besides a password (an authenticator app, a security key), so that a stolen or guessed password alone does not let an attacker in.',
  },
  {
    term: 'backup',
    aliases: ['backups'],
    control: 'backup',
    text: 'A backup is a copy of data kept so it can be restored after loss, corruption or ransomware; it protects only when it is isolated from the production account and cannot be deleted early.',
  },
  {
    term: 'network policy',
    aliases: ['network-policy', 'segmentation', 'network segmentation'],
    control: 'network-policy',
    text: 'A network policy restricts which components may connect to which, so that one compromised workload cannot reach everything else on the same network.',
  },
  {
    term: 'IP allow-list',
    aliases: ['ip-allowlist', 'allowlist', 'allow-list', 'ip allowlist', 'ip allow list', 'whitelist'],
    control: 'ip-allowlist',
    text: 'An IP allow-list accepts connections only from known source addresses (offices, VPN egress, CI runners), which takes an interface off the open internet.',
  },
  {
    term: 'signing',
    aliases: ['signature', 'signatures', 'code signing', 'artifact signing'],
    control: 'signing',
    text: 'Signing attaches a cryptographic signature to a message or artefact so that its origin and integrity can be verified before it is trusted or deployed.',
  },
  {
    term: 'sandbox',
    aliases: ['sandboxing', 'egress sandbox'],
    control: 'sandbox',
    text: 'A sandbox runs risky work (fetching user-supplied URLs, running untrusted code, an LLM’s tools) with restricted network and system access, so that abuse cannot reach internal resources.',
  },
  {
    term: 'human approval',
    aliases: ['human-approval', 'human in the loop', 'human-in-the-loop', 'four-eyes', 'four eyes'],
    control: 'human-approval',
    text: 'Human approval puts a person’s confirmation before a consequential action (a production deployment, a refund, a message sent on the organisation’s behalf), so that an automated mistake or manipulation does not take effect on its own.',
  },
  {
    term: 'content filtering',
    aliases: ['content-filtering', 'content filter'],
    control: 'content-filtering',
    text: 'Content filtering checks what goes into and comes out of a system (an LLM’s prompts and answers, uploaded files) against policies, and blocks or redacts what breaks them.',
  },
];

/** The entry a phrase names, if any (exact term or alias, case-insensitive, `-` and spaces alike). */
export function glossaryEntry(phrase: string): GlossaryEntry | undefined {
  const want = norm(phrase);
  if (want === '') return undefined;
  return GLOSSARY.find((e) => norm(e.term) === want || e.aliases.some((a) => norm(a) === want));
}

const norm = (s: string) =>
  s
    .toLowerCase()
    .replace(/[-_\s]+/g, ' ')
    .replace(/[?."']/g, '')
    .trim();
