import { isBroadGrant, isCrownJewel } from '../../../model/queries.js';
import type { Component, Grant, Identity } from '../../../model/schema.js';
import { type FlowFacts, nameOf, type View } from '../../../model/view.js';
import { type Draft, defineRule, type Impact, type Likelihood, type Unknown } from '../../define-rule.js';
import { dataImpact, exposureLikelihood, impactRank, maxImpact } from '../../factors.js';

const list = (xs: readonly string[]) => xs.join(', ');
const grantText = (g: Grant) =>
  `grant on ${g.resource}: actions [${list(g.actions)}], scope ${g.scope ? `[${list(g.scope)}]` : 'the whole resource'}`;
const flowText = (f: FlowFacts) =>
  `flow ${f.id}: actions ${f.flow.actions ? `[${list(f.flow.actions)}]` : 'not stated'}, scope ${f.flow.scope ? `[${list(f.flow.scope)}]` : 'not stated'}`;

const NO_FLOWS: readonly FlowFacts[] = Object.freeze([]);
const NO_STRINGS: readonly string[] = Object.freeze([]);

type ExcessKind =
  | 'wildcardResource'
  | 'broadActions'
  | 'broadActionsUnstated'
  | 'unusedActions'
  | 'broadScope'
  | 'unusedGrant';

/**
 * One excess of a grant, found with cheap checks only. About half of the identities have none: their
 * messages, evidence and subjects are never built, and for the others they are built once, for the one
 * merged draft (see `mergedDraft`).
 */
interface Excess {
  kind: ExcessKind;
  grant: Grant;
  impact: Impact;
  confirmed: boolean;
  /** The identity's flows to the grant's resource (empty for wildcardResource and unusedGrant). */
  toTarget: readonly FlowFacts[];
}

/** What admin over the resource puts at stake: all of it for a store of crown jewels. */
function resourceImpact(view: View, target: string): Impact {
  const held = view.stored(target);
  // Admin over a store of crown jewels can read, rewrite or destroy all of them.
  return held.some(isCrownJewel) ? 'very-high' : maxImpact('high', dataImpact(held));
}

/** Some flow states the action. */
function actionUsed(flows: readonly FlowFacts[], action: string): boolean {
  for (let i = 0; i < flows.length; i++) {
    if (((flows[i] as FlowFacts).flow.actions as readonly string[] | undefined)?.includes(action))
      return true;
  }
  return false;
}

/** Some flow states the scope. */
function scopeUsed(flows: readonly FlowFacts[], scope: string): boolean {
  for (let i = 0; i < flows.length; i++) if ((flows[i] as FlowFacts).flow.scope?.includes(scope)) return true;
  return false;
}

/**
 * The distinct values of a list attribute of the flows (`actions` or `scope`), sorted: the lists are a
 * few short values, so `includes` on a small array rather than a set and a spread.
 */
function union(flows: readonly FlowFacts[], attribute: 'actions' | 'scope'): string[] {
  const seen: string[] = [];
  for (let i = 0; i < flows.length; i++) {
    const xs: readonly string[] | undefined = (flows[i] as FlowFacts).flow[attribute];
    if (xs === undefined) continue;
    for (let j = 0; j < xs.length; j++) {
      const x = xs[j] as string;
      if (!seen.includes(x)) seen.push(x);
    }
  }
  return seen.sort();
}

/** The distinct targets of the flows, sorted. */
function targets(flows: readonly FlowFacts[]): string[] {
  const seen: string[] = [];
  for (let i = 0; i < flows.length; i++) {
    const id = (flows[i] as FlowFacts).to.id;
    if (!seen.includes(id)) seen.push(id);
  }
  return seen.sort();
}

/**
 * The excesses of a grant on a named resource (not "*"), appended to `found`: what the grant allows
 * beyond the identity's flows to that resource. Only booleans are gathered here: no text is built, and
 * a grant that its flows justify adds nothing.
 */
function grantExcesses(
  view: View,
  grant: Grant,
  flows: readonly FlowFacts[],
  found: Excess[] | undefined,
): Excess[] | undefined {
  const target = grant.resource;
  // One pass over the identity's flows gathers the flows to the resource and what they state. The
  // resource is compared as a component object (ids are unique), which is cheaper than comparing id
  // strings; a resource that is no component matches no flow, as before.
  const targetComponent = view.component(target);
  let toTarget: FlowFacts[] | undefined;
  let stated = true;
  let scoped = true;
  let usesAdmin = false;
  if (targetComponent !== undefined) {
    for (let i = 0; i < flows.length; i++) {
      const f = flows[i] as FlowFacts;
      if (f.to !== targetComponent) continue;
      if (toTarget === undefined) toTarget = [f];
      else toTarget.push(f);
      const flow = f.flow;
      const actions = flow.actions;
      if (actions === undefined) stated = false;
      else if (actions.includes('admin')) usesAdmin = true;
      if (flow.scope === undefined) scoped = false;
    }
  }
  const broad = isBroadGrant(grant);
  if (toTarget === undefined) {
    found ??= [];
    found.push({
      kind: 'unusedGrant',
      grant,
      impact: broad ? resourceImpact(view, target) : 'medium',
      confirmed: true,
      toTarget: NO_FLOWS,
    });
    return found;
  }
  if (broad) {
    if (stated && !usesAdmin) {
      found ??= [];
      found.push({
        kind: 'broadActions',
        grant,
        impact: resourceImpact(view, target),
        confirmed: true,
        toTarget,
      });
    } else if (!stated) {
      found ??= [];
      found.push({
        kind: 'broadActionsUnstated',
        grant,
        impact: resourceImpact(view, target),
        confirmed: false,
        toTarget,
      });
    }
  } else if (stated) {
    let unused = false;
    let unusedChange = false;
    for (let i = 0; i < grant.actions.length; i++) {
      const a = grant.actions[i] as string;
      if (actionUsed(toTarget, a)) continue;
      unused = true;
      if (a === 'write' || a === 'delete') unusedChange = true;
    }
    if (unused) {
      found ??= [];
      found.push({
        kind: 'unusedActions',
        grant,
        impact: unusedChange ? maxImpact('medium', dataImpact(view.stored(target))) : 'medium',
        confirmed: true,
        toTarget,
      });
    }
  }
  if (scoped) {
    let wider = grant.scope === undefined;
    const scope = grant.scope ?? NO_STRINGS;
    for (let i = 0; i < scope.length && !wider; i++)
      if (!scopeUsed(toTarget, scope[i] as string)) wider = true;
    if (wider) {
      found ??= [];
      found.push({
        kind: 'broadScope',
        grant,
        impact: grant.scope === undefined ? maxImpact('medium', dataImpact(view.stored(target))) : 'medium',
        confirmed: true,
        toTarget,
      });
    }
  }
  return found;
}

/** The one finding of an identity with excess grants, or undefined when its grants match its flows. */
function judgeIdentity(view: View, identity: Identity, grants: readonly Grant[]): Draft | undefined {
  const runners = view.runningAs(identity.id);
  // An identity's flows are the flows from the components that run as it; most have one such component,
  // whose list is used as it is.
  let flows: readonly FlowFacts[] = NO_FLOWS;
  if (runners.length === 1) flows = view.flowsFrom((runners[0] as Component).id);
  else if (runners.length > 1) {
    const all: FlowFacts[] = [];
    for (let r = 0; r < runners.length; r++) {
      const out = view.flowsFrom((runners[r] as Component).id);
      for (let i = 0; i < out.length; i++) all.push(out[i] as FlowFacts);
    }
    flows = all;
  }
  let found: Excess[] | undefined;
  for (let i = 0; i < grants.length; i++) {
    const grant = grants[i] as Grant;
    if (grant.resource === '*') {
      found ??= [];
      found.push({
        kind: 'wildcardResource',
        grant,
        impact: isBroadGrant(grant) ? 'very-high' : 'high',
        confirmed: true,
        toTarget: NO_FLOWS,
      });
      continue;
    }
    if (runners.length === 0) continue;
    found = grantExcesses(view, grant, flows, found);
  }
  return found === undefined ? undefined : mergedDraft(view, identity, runners, flows, found);
}

/**
 * The merged finding of an identity's excesses (in grant order): the message of the worst excess (highest
 * impact, then confirmed before assumed, then the first), every fix, all the subjects and evidence. Only
 * the worst excess's message data is built; the others give their fix.
 */
function mergedDraft(
  view: View,
  identity: Identity,
  runners: readonly Component[],
  flows: readonly FlowFacts[],
  found: readonly Excess[],
): Draft {
  let worst = found[0] as Excess;
  let impact: Impact = 'low';
  let confirmed = false;
  for (const x of found) {
    const r = impactRank(x.impact);
    const w = impactRank(worst.impact);
    if (r > w || (r === w && x.confirmed && !worst.confirmed)) worst = x;
    impact = maxImpact(impact, x.impact);
    if (x.confirmed) confirmed = true;
  }
  // The highest exposureLikelihood of the runners (at least possible), without maxLikelihood's rest array.
  let likelihood: Likelihood = 'possible';
  for (let i = 0; i < runners.length && likelihood !== 'very-likely'; i++) {
    const l = exposureLikelihood(view, (runners[i] as Component).id);
    if (l === 'very-likely' || l === 'likely') likelihood = l;
  }
  const identityLabel = nameOf(identity);
  const runnerIds = runners.map((c) => c.id);
  // Short lists: de-duplicated with `includes`, in the order the separate drafts would have listed them.
  const subjects: string[] = [];
  const evidence: string[] = [];
  const fixes: string[] = [];
  let unknowns: Unknown[] = [];
  let data: Record<string, string> | undefined;
  let worstUnknowns: Unknown[] | undefined;
  let lastGrant: Grant | undefined;
  for (const x of found) {
    const grant = x.grant;
    const target = grant.resource;
    const isWorst = x === worst;
    let fix: string;
    // The subjects and evidence of a grant are the same for its action and its scope excess.
    const first = grant !== lastGrant;
    lastGrant = grant;
    if (x.kind === 'wildcardResource') {
      const usedResources = list(targets(flows));
      const used = usedResources.length > 0 ? usedResources : undefined;
      fix = `replace the "*" resource with ${used ?? 'the resources it needs'}`;
      if (isWorst)
        data = { identity: identityLabel, granted: list(grant.actions), used: used ?? 'no resource at all' };
      if (first) {
        addAll(subjects, runnerIds);
        add(evidence, grantText(grant));
        add(evidence, `components running as it: ${list(runnerIds) || 'none'}`);
      }
    } else if (x.kind === 'unusedGrant') {
      fix = `remove the grant on ${target}`;
      if (isWorst)
        data = { identity: identityLabel, granted: list(grant.actions), resource: view.label(target) };
      if (first) {
        addAll(subjects, runnerIds);
        add(subjects, target);
        add(evidence, grantText(grant));
        add(evidence, `no flow from ${list(runnerIds)} reaches ${target}`);
      }
    } else {
      const toTarget = x.toTarget;
      if (first) {
        addAll(subjects, runnerIds);
        add(subjects, target);
        for (const f of toTarget) add(subjects, f.id);
        add(evidence, grantText(grant));
        for (const f of toTarget) add(evidence, flowText(f));
      }
      if (x.kind === 'broadScope') {
        const usedScope = list(union(toTarget, 'scope'));
        fix = `scope the grant on ${target} to [${usedScope}]`;
        if (isWorst)
          data = {
            identity: identityLabel,
            resource: view.label(target),
            grantedScope: grant.scope === undefined ? 'all' : `[${list(grant.scope)}]`,
            usedScope: `[${usedScope}]`,
          };
      } else if (x.kind === 'broadActionsUnstated') {
        fix = `grant on ${target} only the actions its flows need`;
        if (isWorst)
          data = { identity: identityLabel, granted: list(grant.actions), resource: view.label(target) };
        const own: Unknown[] = [];
        for (const f of toTarget)
          if (f.flow.actions === undefined) own.push({ subject: f.id, attribute: 'actions' });
        for (const u of own) unknowns.push(u);
        if (isWorst) worstUnknowns = own;
      } else {
        const usedActions = union(toTarget, 'actions');
        const used = usedActions.join(', ');
        fix =
          x.kind === 'broadActions'
            ? `grant only [${used}] on ${target}`
            : `drop [${list(grant.actions.filter((a) => !usedActions.includes(a)))}] from the grant on ${target}`;
        if (isWorst)
          data = {
            identity: identityLabel,
            granted: list(grant.actions),
            resource: view.label(target),
            used,
          };
      }
    }
    add(fixes, fix);
  }
  // A confirmed finding keeps the questions of its worst excess only (when that one is assumed).
  if (confirmed) unknowns = worstUnknowns ?? [];
  (data as Record<string, string>).fix = fixes.join('; ');
  const draft: Draft = {
    primary: [identity.id],
    likelihood,
    messageId: worst.kind,
    subjects,
    impact,
    confidence: confirmed ? 'confirmed' : 'assumed',
    data: data as Record<string, string>,
    evidence,
  };
  if (unknowns.length > 0 || !confirmed) draft.unknowns = unknowns;
  return draft;
}

function add(xs: string[], x: string): void {
  if (!xs.includes(x)) xs.push(x);
}

function addAll(xs: string[], ys: readonly string[]): void {
  for (const y of ys) if (!xs.includes(y)) xs.push(y);
}

export default defineRule({
  meta: {
    id: 'over-privileged-identity',
    title: 'Identity granted more than its flows use',
    summary:
      'A service identity holds permissions (admin, wildcards, whole resources, resources it never touches) beyond what the components running as it actually do, so any compromise of those components inherits the excess.',
    stride: ['elevation-of-privilege', 'information-disclosure', 'tampering'],
    cwe: ['CWE-269', 'CWE-250'],
    capec: ['CAPEC-122'],
    attack: ['T1078.004'],
    compliance: {
      'nist-800-53': ['AC-6', 'AC-6(5)', 'AC-3'],
      'iso-27001-2022': ['A.8.2', 'A.5.15', 'A.5.18'],
      soc2: ['CC6.1', 'CC6.3'],
      'pci-dss-4': ['7.2.1', '7.2.2', '7.2.5'],
      'owasp-asvs-5': ['V8.2.1', 'V8.2.2'],
      hipaa: ['164.308(a)(4)(ii)(B)', '164.312(a)(1)'],
    },
    assumes: ['actions'],
    detection:
      'An identity\'s flows are the flows from the components that run as it. For each grant the rule compares what is granted with those flows: a grant on every resource ("*") always exceeds them; a grant of admin or "*" exceeds them when every flow to that resource states narrower actions (assumed, with a question on the flows\' actions, when some flow does not state them); named actions exceed them when the flows, all stating actions, never use some of them; a grant\'s scope (absent means the whole resource) exceeds them when it is wider than the union of the scopes the flows state, where every flow states one; and a grant on a component that none of its flows reaches is unused. An identity that no component runs as is judged only on wildcard resources. All excess grants of one identity make one finding.',
    severityRationale:
      'Impact is what the excess permits: admin or wildcard rights are high, very high on a resource holding pci, phi, credentials or secret data, and very high for every resource at once. Likelihood follows the exposure of the components that run as the identity: a component reachable from the internet is the way in for an attacker who then acts with the identity.',
    falsePositives:
      'A flow may be missing from the model (a migration job, an operator task). Model that flow with its actions and scope, or narrow the grant; if the access is needed only occasionally, grant it through a separate, short-lived identity.',
    references: [
      {
        title: 'NIST SP 800-53 AC-6 Least Privilege',
        url: 'https://csrc.nist.gov/pubs/sp/800/53/r5/upd1/final',
      },
      {
        title: 'AWS IAM: Apply least-privilege permissions',
        url: 'https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html',
      },
    ],
    messages: {
      wildcardResource:
        'Identity {identity} is granted [{granted}] on every resource ("*"), while the components running as it use only {used}.',
      broadActions:
        'Identity {identity} is granted [{granted}] on {resource}, but its flows to {resource} only {used}.',
      broadActionsUnstated:
        'Identity {identity} is granted [{granted}] on {resource}, and the flows to {resource} do not state what they do, so the need for that much access is unproven.',
      unusedActions:
        'Identity {identity} is granted [{granted}] on {resource}, but its flows to {resource} only {used}.',
      broadScope:
        'Identity {identity} may act on {grantedScope} of {resource}, but its flows touch only {usedScope}.',
      unusedGrant:
        'Identity {identity} is granted [{granted}] on {resource}, which none of the components running as it ever calls.',
    },
    mitigation:
      'Reduce the grants of {identity} to what its components use: {fix}. Use a separate short-lived identity for any occasional administrative task.',
  },
  *detect(view) {
    // Indexed: a for-of loop allocates a result object per element until the code is optimised.
    const identities = view.identities;
    for (let i = 0; i < identities.length; i++) {
      const identity = identities[i] as Identity;
      // Most identities have a grant or two: nothing is computed for one without grants.
      const grants = identity.grants;
      if (grants === undefined || grants.length === 0) continue;
      const draft = judgeIdentity(view, identity, grants);
      if (draft !== undefined) yield draft;
    }
  },
});
