import { hasControl, isCopyTarget, isFirstParty, isProduction } from '../../../model/queries.js';
import type { Component, DataAsset } from '../../../model/schema.js';
import { nameOf, type View } from '../../../model/view.js';
import { type Draft, defineRule } from '../../define-rule.js';
import { dataList } from '../../factors.js';
import { controlsFact } from '../../shared/evidence.js';

/**
 * Records whose loss cannot be undone. Credentials and secrets are crown jewels too, but they are
 * recovered by issuing new ones, and every backup copy of them is one more place to steal them from.
 */
const RECORDS = new Set(['financial', 'pii', 'phi', 'pci']);
/** Kinds that hold data only in passing: their content is not the copy of record. */
const TRANSIENT = new Set(['cache', 'queue', 'stream']);

const isRecord = (d: DataAsset) => RECORDS.has(d.classification);

/** The records a component stores (undefined when none), without a list for the others. */
function storedRecords(view: View, c: Component): DataAsset[] | undefined {
  if (c.stores === undefined) return undefined;
  let records: DataAsset[] | undefined;
  for (const d of view.stored(c.id)) {
    if (!isRecord(d)) continue;
    records ??= [];
    records.push(d);
  }
  return records;
}

/** A flow with purpose backup starts or ends at the component. */
function hasBackupFlow(view: View, c: Component): boolean {
  for (const f of view.flowsFrom(c.id)) if (f.flow.purpose === 'backup') return true;
  for (const f of view.flowsTo(c.id)) if (f.flow.purpose === 'backup') return true;
  return false;
}

/** The finding for one component, or undefined; the cheap checks come first. */
function judge(view: View, c: Component): Draft | undefined {
  // Most components store no records: that is the first (and cheapest) test.
  const records = storedRecords(view, c);
  if (records === undefined) return undefined;
  if (TRANSIENT.has(c.kind) || !isFirstParty(view, c)) return undefined;
  if (isProduction(c) === false || isCopyTarget(view, c)) return undefined;
  const backup = hasControl(c, 'backup');
  if (backup === true) return undefined;
  if (hasBackupFlow(view, c)) return undefined;
  const replicas = view.flowsFrom(c.id).filter((f) => f.flow.purpose === 'replication');
  const confirmed = backup === false;
  const replicaNote =
    replicas.length > 0
      ? ` (only replication to ${replicas.map((f) => nameOf(f.to)).join(', ')}, which copies deletions too)`
      : '';
  return {
    messageId: confirmed ? 'noBackup' : 'unstated',
    primary: [c.id],
    subjects: [...records.map((d) => d.id), ...replicas.map((f) => f.id)],
    likelihood: 'possible',
    impact: 'very-high',
    confidence: confirmed ? 'confirmed' : 'assumed',
    data: { component: nameOf(c), data: dataList(records), replicaNote },
    evidence: [
      `${c.id} stores ${dataList(records)}`,
      controlsFact(c, 'backup'),
      `no flow with purpose backup starts or ends at ${c.id}`,
      ...replicas.map((f) => `flow ${f.id}: purpose replication (copies deletions too, not a backup)`),
    ],
    ...(confirmed ? {} : { unknowns: [{ subject: c.id, attribute: 'controls' }] }),
  };
}

export default defineRule({
  meta: {
    id: 'crown-jewels-without-backup',
    title: 'Crown-jewel data has no backup',
    summary:
      'A component that keeps the copy of record of personal, health, card or financial data has no backup, so a faulty deployment, a malicious deletion or ransomware destroys the data for good.',
    stride: ['denial-of-service', 'tampering'],
    cwe: ['CWE-693'],
    capec: [],
    attack: ['T1485', 'T1486', 'T1490'],
    compliance: {
      'nist-800-53': ['CP-9', 'CP-10'],
      'iso-27001-2022': ['A.8.13'],
      soc2: ['A1.2'],
      'pci-dss-4': ['12.10.1'],
      hipaa: ['164.308(a)(7)(ii)(A)', '164.310(d)(2)(iv)'],
    },
    assumes: ['controls'],
    detection:
      'A component the team runs in production (not a client, third party, cache, queue or stream, and not itself a replica or backup target) that stores financial, pii, phi or pci data is reported when backup is not in its controls and it is an end of no flow with purpose backup. Replication does not count as a backup: it copies deletions and ransomware encryption within seconds. Credentials and secrets are left out on purpose: they are recovered by issuing new ones. Confirmed when controls is stated; assumed, with a question, when it is absent.',
    severityRationale:
      'Losing the only copy happens rarely but needs no attacker (an operator error, a bad migration), so likelihood is possible. Impact is very high: the records cannot be recovered, and regulations that protect them require that they can be.',
    falsePositives:
      'Backups may be taken by the platform without appearing in the model (managed database snapshots, a backup service). Add backup to the controls of the component, or model the backup target and a flow to it with purpose: backup.',
    references: [
      {
        title: 'NIST SP 800-34 Rev. 1 Contingency Planning Guide for Federal Information Systems',
        url: 'https://csrc.nist.gov/pubs/sp/800/34/r1/upd1/final',
      },
      {
        title: 'CISA #StopRansomware Guide',
        url: 'https://www.cisa.gov/stopransomware/ransomware-guide',
      },
    ],
    messages: {
      noBackup:
        '{component} holds {data} and has no backup: no backup control and no backup flow{replicaNote}, so deleted, corrupted or ransomware-encrypted records cannot be restored.',
      unstated:
        '{component} holds {data}; the model shows no backup flow{replicaNote} and does not state its controls, so it may have no backup.',
    },
    mitigation:
      'Back up {component}: automated, versioned backups or snapshots of {data} (with point-in-time recovery for a database), kept in a separate account with immutable retention, and restores tested on a schedule.',
  },
  *detect(view) {
    for (const c of view.components) {
      const draft = judge(view, c);
      if (draft) yield draft;
    }
  },
});
