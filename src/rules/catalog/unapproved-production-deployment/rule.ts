import { appliesControl, isCrownJewel } from '../../../model/queries.js';
import type { DataAsset } from '../../../model/schema.js';
import { type FlowFacts, nameOf } from '../../../model/view.js';
import { defineRule, type Unknown } from '../../define-rule.js';
import { dataList } from '../../factors.js';
import { deliversInto, deployFact, environmentUnknowns, splitByProduction } from '../../shared/delivery.js';
import { listText } from '../../shared/text.js';

/** Where a deploy flow delivers. */
const target = (f: FlowFacts) => f.to;

export default defineRule({
  meta: {
    id: 'unapproved-production-deployment',
    title: 'Pipeline deploys to production without a human approval step',
    summary:
      'A CI/CD pipeline pushes changes into production with no person approving the release, so one compromised commit, dependency or maintainer account reaches production unreviewed.',
    stride: ['tampering', 'repudiation'],
    cwe: ['CWE-284'],
    capec: ['CAPEC-444'],
    attack: ['T1072', 'T1195.002'],
    compliance: {
      'nist-800-53': ['CM-3', 'CM-5', 'SA-10'],
      'iso-27001-2022': ['A.8.32'],
      soc2: ['CC8.1'],
      'pci-dss-4': ['6.5.1'],
    },
    assumes: ['environment', 'controls', 'enforces'],
    detection:
      'A ci-cd component is reported when it has at least one deploy flow that delivers into a production component (purpose deploy, with actions that are not only read or subscribe) and it applies no human-approval (in controls or enforces). A target counts as production when its environment is production; a container platform with no stated environment counts as production too, because it runs the workloads. Confirmed when a target is production and the pipeline states its controls or enforces; assumed, with questions, when neither list is stated or no target states its environment. All production targets of one pipeline make one finding.',
    severityRationale:
      'Impact is high, because the pipeline changes what production runs; very high when a target itself holds crown-jewel data (financial, personal, health, card data, credentials or secrets). Likelihood is possible: an attacker first needs to get a change into the pipeline (a compromised account, commit or dependency), which review would catch.',
    falsePositives:
      'The approval may live outside the pipeline component (a protected deployment environment with required reviewers, a change-management gate, or a GitOps pull request that a second person merges). Record it as human-approval in the controls of the ci-cd component. If a target is not production, state its environment.',
    references: [
      {
        title: 'GitHub Docs: Managing environments for deployment (required reviewers)',
        url: 'https://docs.github.com/en/actions/managing-workflow-runs-and-deployments/managing-deployments/managing-environments-for-deployment',
      },
      {
        title: 'OWASP Top 10 CI/CD Security Risks (CICD-SEC-1: Insufficient Flow Control Mechanisms)',
        url: 'https://owasp.org/www-project-top-10-ci-cd-security-risks/',
      },
    ],
    messages: {
      unapproved:
        '{pipeline} deploys to {targets} with no human approval step, so one compromised commit, dependency or maintainer account reaches production unreviewed.',
      approvalUnstated:
        '{pipeline} deploys to {targets}, and the model does not state whether a person must approve those deployments.',
    },
    mitigation:
      'Require a human approval before {pipeline} deploys to {targets}: a protected production environment with required reviewers who did not author the change, branch protection with reviewed merges, and an audit trail of who approved each release; then record human-approval in the controls of {pipeline}.',
  },
  *detect(view) {
    for (const pipeline of view.components) {
      if (pipeline.kind !== 'ci-cd') continue;
      const approval = appliesControl(pipeline, 'human-approval');
      if (approval === true) continue;
      const split = splitByProduction(view.flowsFrom(pipeline.id).filter(deliversInto), target);
      const relevant = [...split.production, ...split.unstated];
      if (relevant.length === 0) continue;

      const unknowns: Unknown[] = [];
      if (approval === 'unknown') unknowns.push({ subject: pipeline.id, attribute: 'controls' });
      unknowns.push(...environmentUnknowns(split, target));
      const confirmed = unknowns.length === 0;
      // One pass over the deliveries: the distinct targets, and the distinct crown-jewel data they hold
      // (each in the order first met, as uniqueById and a Set keep them), without intermediate lists.
      const targetSet = new Set<string>();
      const crownById = new Map<string, DataAsset>();
      for (const f of relevant) {
        if (targetSet.has(f.to.id)) continue;
        targetSet.add(f.to.id);
        for (const d of view.stored(f.to.id))
          if (isCrownJewel(d) && !crownById.has(d.id)) crownById.set(d.id, d);
      }
      const crown = [...crownById.values()];
      const targets = [...targetSet];

      yield {
        messageId: approval === false ? 'unapproved' : 'approvalUnstated',
        primary: [pipeline.id],
        subjects: [...relevant.map((f) => f.id), ...targets, ...crown.map((d) => d.id)],
        likelihood: 'possible',
        impact: crown.length > 0 ? 'very-high' : 'high',
        confidence: confirmed ? 'confirmed' : 'assumed',
        data: {
          pipeline: nameOf(pipeline),
          targets: targets.map((t) => view.label(t)).join(', '),
        },
        evidence: [
          `${pipeline.id} (ci-cd) controls: ${listText(pipeline.controls)}, enforces: ${listText(pipeline.enforces)}`,
          ...relevant.map(deployFact),
          ...(crown.length > 0 ? [`deploy targets hold ${dataList(crown)}`] : []),
        ],
        ...(confirmed ? {} : { unknowns }),
      };
    }
  },
});
