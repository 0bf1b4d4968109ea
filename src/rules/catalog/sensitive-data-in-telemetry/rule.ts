import { dataDirection, isThirdParty } from '../../../model/queries.js';
import type { DataAsset } from '../../../model/schema.js';
import { type FlowFacts, nameOf, type View } from '../../../model/view.js';
import { defineRule } from '../../define-rule.js';
import { dataImpact, dataList, flowLabel } from '../../factors.js';

/** A flow that ships logs, traces or metrics: purpose telemetry, or into a monitoring component. */
const isTelemetry = (f: FlowFacts) => f.flow.purpose === 'telemetry' || f.to.kind === 'monitoring';

/**
 * Of the confidential data that telemetry flows carry, the ids that also live outside telemetry: stored
 * by a component other than a monitoring one, or carried by a flow that is not telemetry (business data
 * leaking into logs, not the log itself). Only confidential data is ever asked about, so only those ids
 * are looked for, and the scans stop once all of them are found.
 */
function alsoOutsideTelemetry(view: View, telemetry: readonly FlowFacts[]): Set<string> {
  const wanted = new Set<string>();
  for (const f of telemetry)
    for (const d of f.data) if (d.classification === 'confidential') wanted.add(d.id);
  const found = new Set<string>();
  if (wanted.size === 0) return found;
  for (const c of view.components) {
    // `stores` holds the ids of the assets `view.stored` returns.
    if (c.kind === 'monitoring' || c.stores === undefined) continue;
    for (const id of c.stores) if (wanted.has(id)) found.add(id);
    if (found.size === wanted.size) return found;
  }
  for (const f of view.flows) {
    if (f.data.length === 0 || isTelemetry(f)) continue;
    for (const d of f.data) if (wanted.has(d.id)) found.add(d.id);
    if (found.size === wanted.size) return found;
  }
  return found;
}

/**
 * `sensitive(f.data)` without the confidential data that lives only in telemetry, in order; undefined when
 * nothing is left, so that a telemetry flow that leaks nothing makes no list.
 */
function leakedBy(f: FlowFacts, outside: ReadonlySet<string>): DataAsset[] | undefined {
  let leaked: DataAsset[] | undefined;
  for (const d of f.data) {
    if (d.classification === 'public' || d.classification === 'internal') continue;
    if (d.classification === 'confidential' && !outside.has(d.id)) continue;
    leaked ??= [];
    leaked.push(d);
  }
  return leaked;
}

export default defineRule({
  meta: {
    id: 'sensitive-data-in-telemetry',
    title: 'Logs, traces or metrics carry sensitive data',
    summary:
      'Personal, financial, health, card or credential data is written into logs, traces or metrics, which many people can search, which are kept for a long time, and which are copied into third-party tools.',
    stride: ['information-disclosure'],
    cwe: ['CWE-532'],
    capec: [],
    attack: [],
    compliance: {
      'nist-800-53': ['AU-3(3)', 'AU-9', 'SI-12'],
      'iso-27001-2022': ['A.8.11', 'A.8.12', 'A.8.15'],
      soc2: ['C1.1'],
      'pci-dss-4': ['3.3.1', '3.5.1'],
      'owasp-asvs-5': ['V16.2.5', 'V14.2.3'],
      hipaa: ['164.312(a)(1)'],
    },
    assumes: [],
    detection:
      'A flow with purpose telemetry, or any flow into a monitoring component, is reported when its data includes data classified confidential or higher. Confidential data that exists only as telemetry (stored by monitoring components alone and carried by no other flow, such as an audit trail) is the log itself, not data leaking into it, and is not reported. A telemetry flow that does not state its data is not judged.',
    severityRationale:
      'Impact is the classification of the data in the telemetry (very high for credentials, pci, phi and secrets; high for pii and financial data; medium for confidential). Likelihood is likely, because telemetry is readable by far more people than the systems it comes from and is retained for months; very likely when the destination is a third-party service.',
    falsePositives:
      'The data may be redacted, tokenised or hashed before it is shipped. Model what is actually sent as its own data item with a lower classification (for example a pseudonymous customer id as internal) and list that on the flow instead.',
    references: [
      {
        title: 'OWASP Logging Cheat Sheet: Data to exclude',
        url: 'https://cheatsheetseries.owasp.org/cheatsheets/Logging_Cheat_Sheet.html',
      },
      {
        title: 'CWE-532: Insertion of Sensitive Information into Log File',
        url: 'https://cwe.mitre.org/data/definitions/532.html',
      },
    ],
    messages: {
      sensitiveTelemetry:
        'The telemetry flow {flow} carries {data} into {destination}, where logs and traces are searched by many people and kept for a long time.',
      thirdPartyTelemetry:
        'The telemetry flow {flow} carries {data} to the third-party service {destination}, outside the team’s own access control and retention.',
    },
    mitigation:
      'Keep {data} out of the telemetry on {flow}: redact, hash or drop those fields at the source (structured logging with an allow-list of fields, scrubbing of trace attributes), never log credentials or card data, purge what {destination} already holds, and limit who can search it.',
  },
  *detect(view) {
    const telemetry = view.flows.filter(isTelemetry);
    if (telemetry.length === 0) return;
    const outside = alsoOutsideTelemetry(view, telemetry);
    for (const f of telemetry) {
      const leaked = leakedBy(f, outside);
      if (leaked === undefined) continue;
      const destination = dataDirection(f.flow) === 'backward' ? f.from : f.to;
      const thirdParty = isThirdParty(view, destination);
      yield {
        messageId: thirdParty ? 'thirdPartyTelemetry' : 'sensitiveTelemetry',
        primary: [f.id],
        subjects: [f.from.id, f.to.id, ...leaked.map((d) => d.id)],
        likelihood: thirdParty ? 'very-likely' : 'likely',
        impact: dataImpact(leaked),
        confidence: 'confirmed',
        data: {
          flow: flowLabel(f),
          data: dataList(leaked),
          destination: nameOf(destination),
        },
        evidence: [
          f.flow.purpose === 'telemetry'
            ? `flow ${f.id}: purpose telemetry`
            : `flow ${f.id} goes into monitoring component ${f.to.id}`,
          `flow ${f.id} carries ${dataList(leaked)}`,
          ...(thirdParty ? [`${destination.id} is a third party`] : []),
        ],
      };
    }
  },
});
