import { dataReaches, isCopyFlow } from '../../../model/queries.js';
import type { Component } from '../../../model/schema.js';
import { type FlowFacts, nameOf } from '../../../model/view.js';
import { defineRule, type Likelihood } from '../../define-rule.js';
import {
  ARTIFACT_STORE_KINDS,
  deliversInto,
  environmentUnknowns,
  productionTarget,
  splitByProduction,
  targetFact,
} from '../../shared/delivery.js';
import { uniqueById } from '../../shared/unique.js';

const itself = (c: Component) => c;

/** Components that legitimately deliver: the pipeline itself, and a platform rolling out what it was given. */
const DELIVERERS = new Set(['ci-cd', 'container-platform']);

/** A flow that puts something into a registry. */
const pushes = (f: FlowFacts) =>
  !isCopyFlow(f) &&
  (deliversInto(f) || (f.flow.actions ?? []).some((a) => a === 'write' || a === 'publish' || a === 'admin'));

export default defineRule({
  meta: {
    id: 'deployment-bypassing-pipeline',
    title: 'Production is changed from outside the delivery pipeline',
    summary:
      'Something other than the delivery pipeline deploys to production or pushes artifacts that production runs, so changes skip the pipeline’s tests, reviews, approvals and signing.',
    stride: ['tampering', 'repudiation', 'elevation-of-privilege'],
    cwe: ['CWE-284'],
    capec: ['CAPEC-554'],
    attack: ['T1072', 'T1609', 'T1651'],
    compliance: {
      'nist-800-53': ['CM-5', 'CM-3', 'AC-5'],
      'iso-27001-2022': ['A.8.32', 'A.5.3'],
      soc2: ['CC8.1'],
      'pci-dss-4': ['6.5.1'],
    },
    assumes: ['environment'],
    detection:
      'Two paths around the pipeline are reported, each on its flow. First, a deploy flow (purpose deploy, with actions that are not only read or subscribe) into a production component or a container platform, from a component that is neither a ci-cd component nor a container platform rolling out its own workloads. Second, a flow that pushes into a registry (a delivering deploy flow, or actions write, publish or admin; replication and backup excluded) from a component that is not ci-cd, while a production component or a container platform pulls from that registry. A container platform with no stated environment counts as production. Confirmed when the target (or the registry’s reader) is stated production or is a container platform; assumed, with a question, when its environment is not stated.',
    severityRationale:
      'Impact is high: the path changes what production runs without the pipeline’s checks. Likelihood is possible, likely when the source is a person (a user component) or reachable from the internet, since a laptop or an exposed host is easier to take over than the pipeline.',
    falsePositives:
      'The flow may be a documented break-glass path or run by a tool that is part of the pipeline (a GitOps controller, a deploy bot). Model the tool as a ci-cd component, or record the break-glass path as an accepted risk with an owner and an expiry. If the target is not production, state its environment.',
    references: [
      {
        title: 'OWASP Top 10 CI/CD Security Risks (CICD-SEC-1: Insufficient Flow Control Mechanisms)',
        url: 'https://owasp.org/www-project-top-10-ci-cd-security-risks/',
      },
      {
        title: 'NIST SP 800-53 CM-5 Access Restrictions for Change',
        url: 'https://csrc.nist.gov/pubs/sp/800/53/r5/upd1/final',
      },
    ],
    messages: {
      directDeploy:
        '{source} deploys straight to {target} ({flow}) without going through a delivery pipeline, so the change skips its tests, reviews, approvals and signing.',
      registryPush:
        '{source} pushes into {target} ({flow}), a registry that production pulls from ({consumers}), so artifacts reach production without going through a delivery pipeline.',
    },
    mitigation:
      'Close the path {flow}: remove the write and deploy rights of {source} on {target} and make the delivery pipeline the only principal that may deploy or push production artifacts; keep any break-glass access separate, time-bound, approved and audited.',
  },
  *detect(view) {
    const likelihoodOf = (source: Component): Likelihood =>
      source.kind === 'user' || view.isInternetReachable(source.id) ? 'likely' : 'possible';

    // Indexed: a for-of loop allocates a result object per element until the code is optimised.
    const flows = view.flows;
    for (let i = 0; i < flows.length; i++) {
      const f = flows[i] as FlowFacts;
      // Both paths below need a deploy flow or a flow into a registry: two comparisons reject the other
      // flows (nearly all of them) before any helper is called.
      if (f.flow.purpose !== 'deploy' && f.to.kind !== 'registry') continue;
      if (f.from.kind === 'ci-cd') continue;
      // First path: a deploy straight into a production component or a container platform.
      // Pushing into an artifact store is judged by the registry clause below, not as a deploy.
      if (deliversInto(f) && !ARTIFACT_STORE_KINDS.has(f.to.kind) && !DELIVERERS.has(f.from.kind)) {
        const prod = productionTarget(f.to);
        if (prod === false) continue;
        const confirmed = prod === true;
        yield {
          messageId: 'directDeploy',
          primary: [f.id],
          subjects: [f.from.id, f.to.id],
          likelihood: likelihoodOf(f.from),
          impact: 'high',
          confidence: confirmed ? 'confirmed' : 'assumed',
          data: {
            source: nameOf(f.from),
            target: nameOf(f.to),
            flow: f.id,
          },
          evidence: [
            `flow ${f.id}: purpose deploy from ${f.from.id} (${f.from.kind}, not ci-cd) into ${f.to.id} (${targetFact(f.to)})`,
          ],
          ...(confirmed ? {} : { unknowns: [{ subject: f.to.id, attribute: 'environment' }] }),
        };
        continue;
      }
      // Second path: an artifact pushed into a registry that production pulls from.
      if (f.to.kind !== 'registry' || !pushes(f)) continue;
      const readers = uniqueById(
        view
          .flowsTo(f.to.id)
          .filter((r) => r.id !== f.id && dataReaches(r.flow, 'from'))
          .map((r) => r.from),
      );
      const split = splitByProduction(readers, itself);
      const consumers = [...split.production, ...split.unstated];
      if (consumers.length === 0) continue;
      const unknowns = environmentUnknowns(split, itself);
      const confirmed = unknowns.length === 0;
      yield {
        messageId: 'registryPush',
        primary: [f.id],
        subjects: [f.from.id, f.to.id, ...consumers.map((c) => c.id)],
        likelihood: likelihoodOf(f.from),
        impact: 'high',
        confidence: confirmed ? 'confirmed' : 'assumed',
        data: {
          source: nameOf(f.from),
          target: nameOf(f.to),
          flow: f.id,
          consumers: consumers.map((c) => nameOf(c)).join(', '),
        },
        evidence: [
          `flow ${f.id}: ${f.from.id} (${f.from.kind}, not ci-cd) pushes into registry ${f.to.id}${f.flow.actions ? ` with actions [${f.flow.actions.join(', ')}]` : ''}`,
          ...consumers.map((c) => `${c.id} pulls from ${f.to.id} (${targetFact(c)})`),
        ],
        ...(confirmed ? {} : { unknowns }),
      };
    }
  },
});
