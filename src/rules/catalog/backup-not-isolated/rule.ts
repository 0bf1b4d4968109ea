import { dataDirection, grantCovers, isCrownJewel, mayWrite } from '../../../model/queries.js';
import type { Component, Grant, Identity } from '../../../model/schema.js';
import { type FlowFacts, nameOf, type View } from '../../../model/view.js';
import { type Draft, defineRule } from '../../define-rule.js';

const list = (xs: readonly string[]) => xs.join(', ');

export default defineRule({
  meta: {
    id: 'backup-not-isolated',
    title: 'Backups can be destroyed together with the data they protect',
    summary:
      'Backups are kept in the same cloud account as the data, or an identity of the system that writes the data may also delete them, so one stolen credential or one compromised account wipes both, which is what ransomware operators do first.',
    stride: ['denial-of-service', 'tampering'],
    cwe: ['CWE-653'],
    capec: [],
    attack: ['T1490', 'T1485', 'T1486'],
    compliance: {
      'nist-800-53': ['CP-6', 'CP-6(1)', 'CP-9'],
      'iso-27001-2022': ['A.8.13'],
      soc2: ['A1.2'],
      hipaa: ['164.308(a)(7)(ii)(A)'],
    },
    assumes: [],
    detection:
      'For every flow with purpose backup (the copy travels from the source to the backup target; a flow that only reads is a target pulling from its source), the rule reports two facts, both derived from stated boundaries and grants: the two ends share the same nearest cloud account, and an identity that the source runs as, or that a component writing to the source runs as, holds delete, admin or "*" on the backup target (directly or through a "*" resource). When an end has no cloud account, the first fact is unknown and only the second is judged.',
    severityRationale:
      'Deleting backups before encrypting or wiping data is standard attacker practice, but it first needs a foothold with the right credentials, so likelihood is possible. Impact is very high when the source holds crown-jewel data (nothing is left to restore), high otherwise.',
    falsePositives:
      'The copies may be protected in a way the model cannot express (object lock or a vault lock in compliance mode that even administrators cannot lift, a second copy elsewhere). Model the protected vault in its own cloud-account boundary, narrow the grants to write, and record the retention lock in an assumption.',
    references: [
      {
        title: 'CISA #StopRansomware Guide',
        url: 'https://www.cisa.gov/stopransomware/ransomware-guide',
      },
      {
        title: 'AWS Backup Vault Lock',
        url: 'https://docs.aws.amazon.com/aws-backup/latest/devguide/vault-lock.html',
      },
    ],
    messages: {
      sameAccount:
        'Backups of {source} go to {target} ({flow}) inside the same cloud account, {account}, so whoever takes over that account can destroy the data and its backups together{alsoDeletable}.',
      deletable:
        'The backups of {source} in {target} can be deleted by {identities}, which {runners} run as, so one stolen credential wipes the data and its backups together.',
    },
    mitigation:
      'Isolate the backups of {source}: {fix}; and make the copies in {target} immutable for their retention period (object lock or a vault lock) so that nobody in the production account can delete them early.',
  },
  *detect(view) {
    // About one flow in seventy is a backup: the rest are rejected on their purpose alone.
    for (const f of view.flows) {
      if (f.flow.purpose !== 'backup') continue;
      const draft = finding(view, f);
      if (draft !== undefined) yield draft;
    }
  },
});

interface Deleter {
  identity: Identity;
  grants: Grant[];
  runners: Component[];
}

/** Adds a component under the identity it runs as (not the backup target, each component once). */
function addRunner(runnersById: Map<string, Component[]>, c: Component, target: Component): void {
  const id = c['runs-as'];
  if (id === undefined || c.id === target.id) return;
  const list = runnersById.get(id);
  if (list === undefined) runnersById.set(id, [c]);
  else if (!list.some((x) => x.id === c.id)) list.push(c);
}

/** The identities, by id, whose grants can delete the backup target, with the grants that can. */
function deletersOf(view: View, runnersById: Map<string, Component[]>, target: Component): Deleter[] {
  const deleters: Deleter[] = [];
  if (runnersById.size === 0) return deleters;
  const entries = [...runnersById];
  if (entries.length > 1) entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  for (const [id, runners] of entries) {
    const identity = view.identity(id);
    if (!identity) continue;
    const grants = (identity.grants ?? []).filter(
      (g) => (g.resource === target.id || g.resource === '*') && grantCovers(g, 'delete'),
    );
    if (grants.length > 0) deleters.push({ identity, grants, runners });
  }
  return deleters;
}

/** The finding on a backup flow whose copy the source's side can destroy, if it is one. */
function finding(view: View, f: FlowFacts): Draft | undefined {
  const pulled = dataDirection(f.flow) === 'backward';
  const source: Component = pulled ? f.to : f.from;
  const target: Component = pulled ? f.from : f.to;
  const sameAccount = f.crossAccount === false;

  // The identities of the source and of every component that writes to it.
  const runnersById = new Map<string, Component[]>();
  addRunner(runnersById, source, target);
  for (const w of view.flowsTo(source.id))
    if (w.id !== f.id && mayWrite(w.flow.actions)) addRunner(runnersById, w.from, target);
  const deleters = deletersOf(view, runnersById, target);
  if (!sameAccount && deleters.length === 0) return undefined;

  const account = view.nearest(source.id, 'cloud-account');
  const held = [...view.stored(source.id), ...f.data];
  const identities = list(deleters.map((d) => nameOf(d.identity)));
  const runners = list([...new Set(deleters.flatMap((d) => d.runners.map((c) => nameOf(c))))]);
  const fixes: string[] = [];
  if (sameAccount)
    fixes.push(`keep ${nameOf(target)} in a separate cloud account with its own administrators`);
  if (deleters.length > 0)
    fixes.push(`remove delete and admin on ${nameOf(target)} from ${identities} (write only)`);
  return {
    messageId: sameAccount ? 'sameAccount' : 'deletable',
    primary: [f.id],
    subjects: [
      source.id,
      target.id,
      ...(sameAccount && account ? [account.id] : []),
      ...deleters.flatMap((d) => [d.identity.id, ...d.runners.map((c) => c.id)]),
    ],
    likelihood: 'possible',
    impact: held.some(isCrownJewel) ? 'very-high' : 'high',
    confidence: 'confirmed',
    data: {
      source: nameOf(source),
      target: nameOf(target),
      flow: f.id,
      account: account ? nameOf(account) : '',
      identities,
      runners,
      alsoDeletable: deleters.length > 0 ? `; ${identities} can also delete them directly` : '',
      fix: fixes.join(', and '),
    },
    evidence: [
      `flow ${f.id}: purpose backup, from ${source.id} to ${target.id}`,
      ...(sameAccount && account
        ? [`${source.id} and ${target.id} are both in cloud-account ${account.id}`]
        : []),
      ...deleters.flatMap((d) =>
        d.grants.map(
          (g) =>
            `identity ${d.identity.id} (runs ${list(d.runners.map((c) => c.id))}) grant on ${g.resource}: actions [${list(g.actions)}]`,
        ),
      ),
    ],
  };
}
