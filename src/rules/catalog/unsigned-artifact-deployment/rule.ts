import { appliesControl, boundariesOf, dataReaches } from '../../../model/queries.js';
import type { Component } from '../../../model/schema.js';
import type { View } from '../../../model/view.js';
import type { TriState } from '../../../model/vocabulary.js';
import { defineRule, type Unknown } from '../../define-rule.js';
import { ARTIFACT_STORE_KINDS, deliversInto, productionTarget, targetFact } from '../../shared/delivery.js';
import { notAppliedText } from '../../shared/evidence.js';

interface Verifier {
  component: Component;
  role: string;
}

/** The container platforms of a model, indexed once: by cluster, and by id (with their model order). */
interface Platforms {
  byCluster: Map<string, Component[]>;
  order: Map<string, number>;
}

function indexPlatforms(view: View): Platforms {
  const byCluster = new Map<string, Component[]>();
  const order = new Map<string, number>();
  for (const c of view.components) {
    if (c.kind !== 'container-platform') continue;
    order.set(c.id, order.size);
    // Every cluster the platform is in, at any depth (isInside), not only the nearest.
    for (const b of boundariesOf(view, c)) {
      if (b.kind !== 'cluster') continue;
      const list = byCluster.get(b.id);
      if (list) list.push(c);
      else byCluster.set(b.id, [c]);
    }
  }
  return { byCluster, order };
}

/**
 * Where a signature could be checked before the target runs an artifact: the target itself, the
 * container platforms that run it (the target, one in its cluster, or one that deploys to it), and
 * the registries any of those pull from.
 */
function verifiersOf(view: View, index: Platforms, target: Component): Verifier[] {
  const found = new Map<string, Verifier>();
  const add = (component: Component, role: string) => {
    if (!found.has(component.id)) found.set(component.id, { component, role });
  };
  add(target, 'the target');
  const cluster = boundariesOf(view, target).find((b) => b.kind === 'cluster');
  // The platforms in the target's cluster and those calling it, in model order, the target excluded.
  const platformSet = new Set<Component>(cluster ? (index.byCluster.get(cluster.id) ?? []) : []);
  for (const f of view.flowsTo(target.id)) if (index.order.has(f.from.id)) platformSet.add(f.from);
  platformSet.delete(target);
  const platforms = [...platformSet].sort(
    (a, b) => (index.order.get(a.id) as number) - (index.order.get(b.id) as number),
  );
  for (const p of platforms) add(p, 'its container platform');
  for (const runner of [target, ...platforms]) {
    for (const f of view.flowsFrom(runner.id)) {
      if (f.to.kind === 'registry' && dataReaches(f.flow, 'from')) add(f.to, 'a registry it pulls from');
    }
  }
  return [...found.values()];
}

export default defineRule({
  meta: {
    id: 'unsigned-artifact-deployment',
    title: 'Production runs artifacts whose signature nobody verifies',
    summary:
      'Artifacts are deployed to production without any component verifying their signature, so an image or package altered in the pipeline, the registry or on the way is run as if it were genuine.',
    stride: ['tampering', 'elevation-of-privilege'],
    cwe: ['CWE-494', 'CWE-347'],
    capec: ['CAPEC-184', 'CAPEC-186', 'CAPEC-439', 'CAPEC-206'],
    attack: ['T1195.002', 'T1525', 'T1204.003'],
    compliance: {
      'nist-800-53': ['SI-7', 'SI-7(1)', 'SI-7(15)', 'CM-5', 'SR-11', 'CM-14'],
      'iso-27001-2022': ['A.8.32', 'A.8.19', 'A.5.21'],
      soc2: ['CC8.1', 'CC6.8', 'CC7.1'],
      'pci-dss-4': ['6.5.1'],
      hipaa: ['164.312(c)(1)'],
    },
    assumes: ['environment', 'controls', 'enforces'],
    detection:
      'Each deploy flow that delivers into a component that runs code (purpose deploy, actions not only read or subscribe; registries and repositories are artifact stores, not targets) is checked when the target is production, or is a container platform with no stated environment. The places that could verify a signature are the target, the container platforms that run it (the target itself, one in its cluster, or one with a flow to it) and the registries those pull from. It fires when none of them has signing in controls or enforces: confirmed when each states at least one of the lists and the target is production; assumed, with questions, when a verifier states neither list or the target does not state its environment. When the deploying component signs but nothing verifies, the message says so.',
    severityRationale:
      'Impact is very high: an unverified artifact is code execution in production. Likelihood is possible, because the attacker must first alter an artifact in the pipeline, the registry or on the way; likely when the deploying pipeline or a registry on the path is exposed to the internet or the pipeline runs as an identity with long-lived credentials.',
    falsePositives:
      'Verification may happen in a component the model shows without it (an admission controller such as Kyverno, Sigstore policy-controller or Gatekeeper, AWS Signer with Lambda code signing, ECS or Binary Authorization policies). Add signing to the controls of the component that verifies. If the target is not production, state its environment.',
    references: [
      {
        title: 'Sigstore: Verifying signatures with cosign',
        url: 'https://docs.sigstore.dev/cosign/verifying/verify/',
      },
      {
        title: 'SLSA: Supply-chain Levels for Software Artifacts',
        url: 'https://slsa.dev/spec/v1.0/',
      },
      {
        title: 'CWE-494: Download of Code Without Integrity Check',
        url: 'https://cwe.mitre.org/data/definitions/494.html',
      },
    ],
    messages: {
      unverified:
        '{target} runs what {source} deploys ({flow}) without checking a signature: nothing verifies at {verifiers} that the artifact was signed by the pipeline.',
      signedNotVerified:
        '{source} signs what it deploys to {target} ({flow}), but nothing verifies the signature at {verifiers}, so a tampered or unsigned artifact would run just the same.',
      verificationUnstated:
        '{target} runs what {source} deploys ({flow}), and the model does not state that artifact signatures are verified at {verifiers}.',
    },
    mitigation:
      'Sign every artifact that {source} produces (a KMS-held key or keyless Sigstore signing, with provenance), and enforce verification where {enforcePoint} admits it: reject unsigned artifacts and unknown signers before {target} runs them, then record signing in the controls of {enforcePoint}.',
  },
  *detect(view) {
    const platforms = indexPlatforms(view);
    for (const f of view.flows) {
      // Artifact stores do not run what is pushed into them; the runtime that pulls is the target.
      if (!deliversInto(f) || ARTIFACT_STORE_KINDS.has(f.to.kind)) continue;
      const prod = productionTarget(f.to);
      if (prod === false) continue;
      const verifiers = verifiersOf(view, platforms, f.to);
      const states = verifiers.map((v) => appliesControl(v.component, 'signing'));
      if (states.includes(true)) continue;

      const unknowns: Unknown[] = verifiers
        .filter((_, i) => states[i] === 'unknown')
        .map((v) => ({ subject: v.component.id, attribute: 'controls' }));
      if (prod === 'unknown') unknowns.push({ subject: f.to.id, attribute: 'environment' });
      const confirmed = unknowns.length === 0;
      const producerSigns = appliesControl(f.from, 'signing') === true;

      const registries = verifiers.filter((v) => v.component.kind === 'registry').map((v) => v.component);
      const identity = view.identityOf(f.from.id);
      const likely =
        view.isExposed(f.from.id) ||
        registries.some((r) => view.isExposed(r.id)) ||
        identity?.credentials === 'long-lived';
      const platform = verifiers.find((v) => v.component.kind === 'container-platform')?.component ?? f.to;
      const messageId = producerSigns
        ? 'signedNotVerified'
        : states.every((s) => s === false)
          ? 'unverified'
          : 'verificationUnstated';

      yield {
        messageId,
        primary: [f.id],
        subjects: [f.from.id, ...verifiers.map((v) => v.component.id)],
        likelihood: likely ? 'likely' : 'possible',
        impact: 'very-high',
        confidence: confirmed ? 'confirmed' : 'assumed',
        data: {
          source: view.label(f.from.id),
          target: view.label(f.to.id),
          flow: f.id,
          verifiers: verifiers.map((v) => `${view.label(v.component.id)} (${v.role})`).join(', '),
          enforcePoint: view.label(platform.id),
        },
        evidence: [
          `flow ${f.id}: purpose deploy from ${f.from.id} into ${f.to.id} (${targetFact(f.to)})`,
          ...verifiers.map(
            (v, i) => `${v.component.id} (${v.role}): ${notAppliedText(states[i] as TriState, 'signing')}`,
          ),
          ...(producerSigns ? [`${f.from.id} signs artifacts (signing)`] : []),
          ...(identity?.credentials === 'long-lived'
            ? [`${f.from.id} runs as ${identity.id} with long-lived credentials`]
            : []),
        ],
        ...(confirmed ? {} : { unknowns }),
      };
    }
  },
});
