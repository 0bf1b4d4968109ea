import { isBroadGrant, isCrownJewel } from '../../../model/queries.js';
import type { Grant } from '../../../model/schema.js';
import type { FlowFacts } from '../../../model/view.js';
import { type Draft, defineRule, type Impact } from '../../define-rule.js';
import { dataImpact, exposureLikelihood, impactRank, maxImpact, maxLikelihood } from '../../factors.js';

const list = (xs: readonly string[]) => xs.join(', ');
const grantText = (g: Grant) =>
  `grant on ${g.resource}: actions [${list(g.actions)}], scope ${g.scope ? `[${list(g.scope)}]` : 'the whole resource'}`;
const flowText = (f: FlowFacts) =>
  `flow ${f.id}: actions ${f.flow.actions ? `[${list(f.flow.actions)}]` : 'not stated'}, scope ${f.flow.scope ? `[${list(f.flow.scope)}]` : 'not stated'}`;

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
    for (const identity of view.identities) {
      // Most identities have a grant or two: nothing below is computed for one without grants, and the
      // flows are gathered with plain loops (flatMap is slow on many small arrays).
      if (identity.grants === undefined || identity.grants.length === 0) continue;
      const runners = view.runningAs(identity.id);
      const flows: FlowFacts[] = [];
      for (const c of runners) for (const f of view.flowsFrom(c.id)) flows.push(f);
      const likelihood = maxLikelihood('possible', ...runners.map((c) => exposureLikelihood(view, c.id)));
      const base = {
        primary: [identity.id],
        likelihood,
      };
      const drafts: Draft[] = [];
      for (const grant of identity.grants) {
        const granted = list(grant.actions);
        const subjects = runners.map((c) => c.id);
        if (grant.resource === '*') {
          const usedResources = [...new Set(flows.map((f) => f.to.id))].sort();
          const impact: Impact = isBroadGrant(grant) ? 'very-high' : 'high';
          drafts.push({
            ...base,
            messageId: 'wildcardResource',
            subjects,
            impact,
            confidence: 'confirmed',
            data: {
              identity: view.label(identity.id),
              granted,
              used: usedResources.length > 0 ? list(usedResources) : 'no resource at all',
              fix: `replace the "*" resource with ${usedResources.length > 0 ? list(usedResources) : 'the resources it needs'}`,
            },
            evidence: [
              grantText(grant),
              `components running as it: ${list(runners.map((c) => c.id)) || 'none'}`,
            ],
          });
          continue;
        }
        if (runners.length === 0) continue;
        const target = grant.resource;
        const toTarget = flows.filter((f) => f.to.id === target);
        const held = view.stored(target);
        // Admin over a store of crown jewels can read, rewrite or destroy all of them.
        const resourceImpact = held.some(isCrownJewel) ? 'very-high' : maxImpact('high', dataImpact(held));
        const resource = view.label(target);
        subjects.push(target, ...toTarget.map((f) => f.id));
        if (toTarget.length === 0) {
          drafts.push({
            ...base,
            messageId: 'unusedGrant',
            subjects,
            impact: isBroadGrant(grant) ? resourceImpact : 'medium',
            confidence: 'confirmed',
            data: {
              identity: view.label(identity.id),
              granted,
              resource,
              fix: `remove the grant on ${target}`,
            },
            evidence: [grantText(grant), `no flow from ${list(runners.map((c) => c.id))} reaches ${target}`],
          });
          continue;
        }
        const evidence = [grantText(grant), ...toTarget.map(flowText)];
        const stated = toTarget.every((f) => f.flow.actions !== undefined);
        const usedActions: string[] = [...new Set(toTarget.flatMap((f) => f.flow.actions ?? []))].sort();
        const usedText = `${usedActions.join(', ')}`;
        if (isBroadGrant(grant)) {
          if (stated && !usedActions.includes('admin')) {
            drafts.push({
              ...base,
              messageId: 'broadActions',
              subjects,
              impact: resourceImpact,
              confidence: 'confirmed',
              data: {
                identity: view.label(identity.id),
                granted,
                resource,
                used: usedText,
                fix: `grant only [${usedText}] on ${target}`,
              },
              evidence,
            });
          } else if (!stated) {
            drafts.push({
              ...base,
              messageId: 'broadActionsUnstated',
              subjects,
              impact: resourceImpact,
              confidence: 'assumed',
              data: {
                identity: view.label(identity.id),
                granted,
                resource,
                fix: `grant on ${target} only the actions its flows need`,
              },
              evidence,
              unknowns: toTarget
                .filter((f) => f.flow.actions === undefined)
                .map((f) => ({ subject: f.id, attribute: 'actions' })),
            });
          }
        } else if (stated) {
          const unused = grant.actions.filter((a) => !usedActions.includes(a));
          if (unused.length > 0) {
            drafts.push({
              ...base,
              messageId: 'unusedActions',
              subjects,
              impact: unused.some((a) => a === 'write' || a === 'delete')
                ? maxImpact('medium', dataImpact(view.stored(target)))
                : 'medium',
              confidence: 'confirmed',
              data: {
                identity: view.label(identity.id),
                granted,
                resource,
                used: usedText,
                fix: `drop [${list(unused)}] from the grant on ${target}`,
              },
              evidence,
            });
          }
        }
        const scopesStated = toTarget.every((f) => f.flow.scope !== undefined);
        if (scopesStated) {
          const usedScope = [...new Set(toTarget.flatMap((f) => f.flow.scope ?? []))].sort();
          const wider = grant.scope === undefined || grant.scope.some((s) => !usedScope.includes(s));
          if (wider) {
            drafts.push({
              ...base,
              messageId: 'broadScope',
              subjects,
              impact:
                grant.scope === undefined ? maxImpact('medium', dataImpact(view.stored(target))) : 'medium',
              confidence: 'confirmed',
              data: {
                identity: view.label(identity.id),
                resource,
                grantedScope: grant.scope === undefined ? 'all' : `[${list(grant.scope)}]`,
                usedScope: `[${list(usedScope)}]`,
                fix: `scope the grant on ${target} to [${list(usedScope)}]`,
              },
              evidence,
            });
          }
        }
      }
      if (drafts.length === 0) continue;
      // One finding per identity: the message of the worst excess, every fix, all the evidence.
      const worst = [...drafts].sort(
        (a, b) =>
          impactRank(b.impact) - impactRank(a.impact) ||
          Number(b.confidence === 'confirmed') - Number(a.confidence === 'confirmed'),
      )[0] as Draft;
      const fixes = [...new Set(drafts.map((d) => String(d.data.fix)))];
      const confirmed = drafts.some((d) => d.confidence === 'confirmed');
      yield {
        ...worst,
        impact: drafts.reduce<Impact>((m, d) => maxImpact(m, d.impact), 'low'),
        confidence: confirmed ? 'confirmed' : 'assumed',
        data: { ...worst.data, fix: fixes.join('; ') },
        subjects: [...new Set(drafts.flatMap((d) => d.subjects ?? []))],
        evidence: [...new Set(drafts.flatMap((d) => d.evidence))],
        ...(confirmed ? {} : { unknowns: drafts.flatMap((d) => d.unknowns ?? []) }),
      };
    }
  },
});
