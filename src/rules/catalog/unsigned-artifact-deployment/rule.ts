import { appliesControl, boundariesOf, dataReaches } from '../../../model/queries.js';
import type { Boundary, Component, Identity } from '../../../model/schema.js';
import { type FlowFacts, nameOf, type View } from '../../../model/view.js';
import type { TriState } from '../../../model/vocabulary.js';
import { type Draft, defineRule, type Unknown } from '../../define-rule.js';
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
  /** Per platform, the registries it pulls from (in its flows' order), found on first use. */
  pulls: Map<string, readonly Component[]>;
  /** Per component, the platforms with a flow to it (from the platforms' few flows, not every target's). */
  callers: Map<string, Component[]>;
  /** The components with a flow that pulls from a registry (most deploy targets have none). */
  pullers: Set<string>;
}

function indexPlatforms(view: View): Platforms {
  const byCluster = new Map<string, Component[]>();
  const order = new Map<string, number>();
  // Indexed loops over the components: a for-of loop allocates per element until the code is optimised.
  const components = view.components;
  for (let i = 0; i < components.length; i++) {
    const c = components[i] as Component;
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
  const callers = new Map<string, Component[]>();
  for (const p of order.keys()) {
    for (const f of view.flowsFrom(p)) {
      const list = callers.get(f.to.id);
      if (list) list.push(f.from);
      else callers.set(f.to.id, [f.from]);
    }
  }
  const pullers = new Set<string>();
  for (let i = 0; i < components.length; i++) {
    const c = components[i] as Component;
    if (c.kind !== 'registry') continue;
    const into = view.flowsTo(c.id);
    for (let j = 0; j < into.length; j++) {
      const f = into[j] as FlowFacts;
      if (dataReaches(f.flow, 'from')) pullers.add(f.from.id);
    }
  }
  return { byCluster, order, pulls: new Map(), callers, pullers };
}

/** The registries a component pulls from: flows to a registry whose data reaches the caller. */
function registriesPulledBy(view: View, runner: Component): Component[] {
  const out: Component[] = [];
  for (const f of view.flowsFrom(runner.id)) {
    if (f.to.kind === 'registry' && dataReaches(f.flow, 'from')) out.push(f.to);
  }
  return out;
}

/**
 * Where a signature could be checked before the target runs an artifact: the target itself, the
 * container platforms that run it (the target, one in its cluster, or one that deploys to it), and
 * the registries any of those pull from. Each component once, in that order.
 */
function verifiersOf(view: View, index: Platforms, target: Component): Verifier[] {
  const found: Verifier[] = [{ component: target, role: 'the target' }];
  let cluster: Boundary | undefined;
  for (const b of boundariesOf(view, target)) {
    if (b.kind === 'cluster') {
      cluster = b;
      break;
    }
  }
  // The platforms in the target's cluster and those calling it, in model order, the target excluded.
  // The cluster's list is already in model order; only a calling platform from elsewhere needs a sort.
  const inCluster = cluster === undefined ? undefined : index.byCluster.get(cluster.id);
  let platforms: Component[] = inCluster === undefined ? [] : inCluster.slice();
  let sort = false;
  for (const p of index.callers.get(target.id) ?? NONE) {
    if (!platforms.includes(p)) {
      platforms.push(p);
      sort = true;
    }
  }
  if (platforms.includes(target)) platforms = platforms.filter((p) => p !== target);
  if (sort) platforms.sort((a, b) => (index.order.get(a.id) as number) - (index.order.get(b.id) as number));
  for (const p of platforms) found.push({ component: p, role: 'its container platform' });
  if (index.pullers.has(target.id)) addRegistries(found, registriesPulledBy(view, target));
  for (const p of platforms) {
    let pulled = index.pulls.get(p.id);
    if (pulled === undefined) {
      pulled = registriesPulledBy(view, p);
      index.pulls.set(p.id, pulled);
    }
    addRegistries(found, pulled);
  }
  return found;
}

const NONE: readonly Component[] = [];

function addRegistries(found: Verifier[], registries: readonly Component[]): void {
  for (const r of registries) {
    if (!found.some((v) => v.component.id === r.id))
      found.push({ component: r, role: 'a registry it pulls from' });
  }
}

/** What a draft says about the deploying component, the same for each of its (many) deploy flows. */
interface Source {
  label: string;
  exposed: boolean;
  signs: boolean;
  longLived: Identity | undefined;
}

function sourceFacts(view: View, c: Component): Source {
  const identity = view.identityOf(c.id);
  return {
    label: nameOf(c),
    exposed: view.isExposed(c.id),
    signs: appliesControl(c, 'signing') === true,
    longLived: identity?.credentials === 'long-lived' ? identity : undefined,
  };
}

/** The draft for one deploy flow into a runtime, or undefined when it is not production or is verified. */
function deployDraft(
  view: View,
  index: Platforms,
  sources: Map<string, Source>,
  f: FlowFacts,
): Draft | undefined {
  const prod = productionTarget(f.to);
  if (prod === false) return undefined;
  const verifiers = verifiersOf(view, index, f.to);
  const states: TriState[] = [];
  for (const v of verifiers) {
    const state = appliesControl(v.component, 'signing');
    if (state === true) return undefined;
    states.push(state);
  }

  const unknowns: Unknown[] = [];
  let allFalse = true;
  for (let i = 0; i < verifiers.length; i++) {
    if (states[i] === 'unknown') {
      unknowns.push({ subject: (verifiers[i] as Verifier).component.id, attribute: 'controls' });
      allFalse = false;
    }
  }
  if (prod === 'unknown') unknowns.push({ subject: f.to.id, attribute: 'environment' });
  const confirmed = unknowns.length === 0;
  let source = sources.get(f.from.id);
  if (source === undefined) {
    source = sourceFacts(view, f.from);
    sources.set(f.from.id, source);
  }

  let registryExposed = false;
  let platform: Component | undefined;
  const subjects: string[] = [f.from.id];
  const names: string[] = [];
  const evidence: string[] = [
    `flow ${f.id}: purpose deploy from ${f.from.id} into ${f.to.id} (${targetFact(f.to)})`,
  ];
  for (let i = 0; i < verifiers.length; i++) {
    const v = verifiers[i] as Verifier;
    const c = v.component;
    if (c.kind === 'registry' && !registryExposed) registryExposed = view.isExposed(c.id);
    if (platform === undefined && c.kind === 'container-platform') platform = c;
    subjects.push(c.id);
    names.push(`${nameOf(c)} (${v.role})`);
    evidence.push(`${c.id} (${v.role}): ${notAppliedText(states[i] as TriState, 'signing')}`);
  }
  if (source.signs) evidence.push(`${f.from.id} signs artifacts (signing)`);
  if (source.longLived !== undefined)
    evidence.push(`${f.from.id} runs as ${source.longLived.id} with long-lived credentials`);
  const likely = source.exposed || registryExposed || source.longLived !== undefined;

  return {
    messageId: source.signs ? 'signedNotVerified' : allFalse ? 'unverified' : 'verificationUnstated',
    primary: [f.id],
    subjects,
    likelihood: likely ? 'likely' : 'possible',
    impact: 'very-high',
    confidence: confirmed ? 'confirmed' : 'assumed',
    data: {
      source: source.label,
      target: nameOf(f.to),
      flow: f.id,
      verifiers: names.join(', '),
      enforcePoint: view.label((platform ?? f.to).id),
    },
    evidence,
    ...(confirmed ? {} : { unknowns }),
  };
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
    const sources = new Map<string, Source>();
    // Indexed: a for-of loop allocates a result object per flow until the code is optimised.
    const flows = view.flows;
    for (let i = 0; i < flows.length; i++) {
      const f = flows[i] as FlowFacts;
      // Most flows are not deploy flows: rejected by one field before any call.
      if (f.flow.purpose !== 'deploy') continue;
      // Artifact stores do not run what is pushed into them; the runtime that pulls is the target.
      if (!deliversInto(f) || ARTIFACT_STORE_KINDS.has(f.to.kind)) continue;
      const draft = deployDraft(view, platforms, sources, f);
      if (draft !== undefined) yield draft;
    }
  },
});
