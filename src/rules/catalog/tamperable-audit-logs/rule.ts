import type { Grant, Identity } from '../../../model/schema.js';
import { nameOf, type View } from '../../../model/view.js';
import { type Draft, defineRule, type Likelihood } from '../../define-rule.js';
import { grantFact } from '../../shared/credentials.js';

/** Actions that go beyond appending: they can remove or rewrite what was logged. */
const ERASING: ReadonlySet<string> = new Set(['delete', 'admin', '*']);

/** A grant of delete, admin or "*" on a monitoring component. */
function erases(view: View, g: Grant): boolean {
  let erasing = false;
  for (const a of g.actions) if (ERASING.has(a)) erasing = true;
  return erasing && view.component(g.resource)?.kind === 'monitoring';
}

/** The identity holds some grant that `erases`. */
function mayErase(view: View, identity: Identity): boolean {
  if (identity.grants !== undefined) for (const g of identity.grants) if (erases(view, g)) return true;
  return false;
}

function eraseDraft(view: View, identity: Identity): Draft | undefined {
  const runners = view.runningAs(identity.id).filter((c) => c.kind !== 'monitoring');
  if (runners.length === 0) return undefined;
  const erasing = (identity.grants ?? []).filter((g) => erases(view, g));
  const reachable = runners.some((c) => view.isInternetReachable(c.id));
  const likelihood: Likelihood = reachable ? 'likely' : 'possible';
  const rights = erasing.map((g) => {
    const store = view.label(g.resource);
    if (g.actions.includes('*')) return `do anything on ${store}`;
    if (g.actions.includes('admin')) return `administer ${store}`;
    return `delete from ${store}`;
  });
  return {
    messageId: 'canErase',
    primary: [identity.id],
    subjects: [...runners.map((c) => c.id), ...erasing.map((g) => g.resource)],
    likelihood,
    impact: 'high',
    confidence: 'confirmed',
    data: {
      identity: nameOf(identity),
      runners: runners.map((c) => nameOf(c)).join(', '),
      rights: [...new Set(rights)].join(' and '),
      stores: [...new Set(erasing.map((g) => view.label(g.resource)))].join(', '),
    },
    evidence: [
      ...erasing.map((g) => `${grantFact(g)} (${g.resource} is a monitoring component)`),
      ...runners.map((c) => `${c.id} runs-as ${identity.id}`),
      ...(reachable
        ? [
            `reachable from the internet: ${runners
              .filter((c) => view.isInternetReachable(c.id))
              .map((c) => c.id)
              .join(', ')}`,
          ]
        : []),
    ],
  };
}

export default defineRule({
  meta: {
    id: 'tamperable-audit-logs',
    title: 'A workload may delete or rewrite the audit logs',
    summary:
      'An identity used by an ordinary workload holds delete or admin rights on the monitoring or log store, so an intruder in that workload can erase the evidence of what they did.',
    stride: ['repudiation', 'tampering'],
    cwe: ['CWE-732'],
    capec: ['CAPEC-268', 'CAPEC-81'],
    attack: ['T1070', 'T1562.008'],
    compliance: {
      'nist-800-53': ['AU-9', 'AU-9(4)'],
      'iso-27001-2022': ['A.8.15'],
      soc2: ['CC6.3'],
      'pci-dss-4': ['10.3.2'],
      'owasp-asvs-5': ['V16.4.2'],
      hipaa: ['164.312(b)', '164.312(c)(1)'],
    },
    assumes: [],
    detection:
      'An identity is reported when one of its grants names a component of kind monitoring (by id; a grant on every resource, "*", is over-privileged-identity’s concern) with delete, admin or "*" actions, and at least one component that runs as the identity is not itself a monitoring component. Appending (write, publish) and reading are what logging and dashboards need and do not count. All such grants of one identity make one finding; it is confirmed, since grants and runs-as are stated facts.',
    severityRationale:
      'Impact is high: erasing the audit trail turns any other compromise into one that cannot be scoped, attributed or proven, and breaks the retention duties of PCI DSS and HIPAA. Likelihood is possible, likely when a component running as the identity is reachable from the internet, which is where an intruder lands first.',
    falsePositives:
      'The grant may only cover a scratch area of the log platform (its own dashboards or temporary indexes), or the store may enforce retention locks that even admins cannot bypass. Narrow the grant’s scope to what it really covers and model the locked audit store as its own monitoring component with append-only grants.',
    references: [
      {
        title: 'OWASP Logging Cheat Sheet: protection',
        url: 'https://cheatsheetseries.owasp.org/cheatsheets/Logging_Cheat_Sheet.html',
      },
      {
        title: 'MITRE ATT&CK T1562.008 Impair Defenses: Disable or Modify Cloud Logs',
        url: 'https://attack.mitre.org/techniques/T1562/008/',
      },
    ],
    messages: {
      canErase:
        '{identity}, used by {runners}, may {rights}: an intruder in {runners} can delete or rewrite the audit trail that would reveal them.',
    },
    mitigation:
      'Limit {identity} to appending on {stores} (write or publish only), make the audit store immutable (retention lock, write-once bucket), and keep delete and admin rights on it with a separate, monitored break-glass identity.',
  },
  *detect(view) {
    for (const identity of view.identities) {
      // The grants first: few identities may erase anything on a monitoring component, and finding
      // that out allocates nothing.
      if (!mayErase(view, identity)) continue;
      const draft = eraseDraft(view, identity);
      if (draft !== undefined) yield draft;
    }
  },
});
