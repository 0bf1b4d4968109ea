import type { Component, Identity } from '../../../model/schema.js';
import { type FlowFacts, nameOf } from '../../../model/view.js';
import { defineRule, type Unknown } from '../../define-rule.js';
import { deliversInto, deployFact, environmentUnknowns, splitByProduction } from '../../shared/delivery.js';

/** Where a deploy flow delivers. */
const target = (f: FlowFacts) => f.to;

const isPipeline = (c: Component) => c.kind === 'ci-cd';

const RISKY_SECRET_PLACES = ['ci-variables', 'source-code'] as const;

export default defineRule({
  meta: {
    id: 'long-lived-deploy-credentials',
    title: 'Pipeline deploys to production with long-lived credentials',
    summary:
      'A CI/CD pipeline deploys to production with a standing key or password, which leaks through pipeline logs, forks, caches and third-party steps and then gives production to whoever holds it.',
    stride: ['elevation-of-privilege', 'spoofing', 'tampering'],
    cwe: ['CWE-522'],
    capec: ['CAPEC-560'],
    attack: ['T1078.004', 'T1552'],
    compliance: {
      'nist-800-53': ['IA-5', 'AC-2', 'CM-5'],
      'iso-27001-2022': ['A.5.17', 'A.8.2', 'A.8.32'],
      soc2: ['CC6.1', 'CC8.1'],
      'pci-dss-4': ['8.6.3'],
      'owasp-asvs-5': ['V13.2.1', 'V13.3.4'],
    },
    assumes: ['credentials', 'environment'],
    supersedes: ['long-lived-credentials'],
    detection:
      'For every identity that a ci-cd component runs as, the rule collects the deploy flows of those components that deliver into their target (purpose deploy, with actions that are not only read or subscribe). A target counts as production when its environment is production; a container platform with no stated environment counts as production too, because it runs the workloads. The finding is confirmed when the identity states credentials: long-lived and some target is production; assumed, with a question, when the identity does not state its credential lifetime or the targets do not state their environment. All deploy targets of one identity make one finding. It replaces long-lived-credentials on the same identity, because a standing key that deploys to production is the sharper risk.',
    severityRationale:
      'Impact is very high: the credential deploys code to production. Likelihood is likely, because standing deploy keys are copied into many places over time; very likely when the pipeline keeps them in CI variables or in source code, where every workflow, fork build or repository reader can reach them.',
    falsePositives:
      'The identity may already use federation (GitHub or GitLab OIDC, workload identity) even though the model does not say so. State credentials: short-lived on the identity. If the deploy target is not production, state its environment (staging, development, ...).',
    references: [
      {
        title: 'GitHub Docs: Security hardening with OpenID Connect',
        url: 'https://docs.github.com/en/actions/security-for-github-actions/security-hardening-your-deployments/about-security-hardening-with-openid-connect',
      },
      {
        title: 'OWASP Top 10 CI/CD Security Risks (CICD-SEC-6: Insufficient Credential Hygiene)',
        url: 'https://owasp.org/www-project-top-10-ci-cd-security-risks/',
      },
      {
        title: 'CWE-522: Insufficiently Protected Credentials',
        url: 'https://cwe.mitre.org/data/definitions/522.html',
      },
    ],
    messages: {
      longLived:
        '{pipeline} deploys to {targets} as {identity}, whose credentials are long-lived{secretsWhere}; anyone who copies them can deploy to production.',
      lifetimeUnstated:
        '{pipeline} deploys to {targets} as {identity}, and the model does not state whether those credentials are short-lived or standing keys.',
    },
    mitigation:
      'Replace the standing credentials of {identity} with short-lived tokens issued per run through workload identity federation (OIDC) to {pipeline}, bound to the protected branch and the production environment; then revoke the existing keys and remove them from {secretsLocation}.',
  },
  *detect(view) {
    // Indexed: a for-of loop allocates a result object per element until the code is optimised.
    const identities = view.identities;
    for (let i = 0; i < identities.length; i++) {
      const identity = identities[i] as Identity;
      if (identity.credentials === 'short-lived') continue;
      // Few identities run a pipeline: a scan for one before any list is made.
      const runners = view.runningAs(identity.id);
      if (!runners.some(isPipeline)) continue;
      const pipelines = runners.filter(isPipeline);
      const split = splitByProduction(
        pipelines.flatMap((p) => view.flowsFrom(p.id).filter(deliversInto)),
        target,
      );
      const relevant = [...split.production, ...split.unstated];
      if (relevant.length === 0) continue;

      const unknowns: Unknown[] = [];
      if (identity.credentials === undefined)
        unknowns.push({ subject: identity.id, attribute: 'credentials' });
      unknowns.push(...environmentUnknowns(split, target));
      const confirmed = unknowns.length === 0;

      const places = [
        ...new Set(pipelines.flatMap((p) => p['secrets-in'] ?? []).filter((s) => s !== 'secret-store')),
      ].sort();
      const risky = places.filter((s) => (RISKY_SECRET_PLACES as readonly string[]).includes(s));
      const targetText = (f: FlowFacts) => {
        const env = f.to.environment;
        if (env !== undefined) return `${nameOf(f.to)} (${env})`;
        return f.to.kind === 'container-platform'
          ? `${nameOf(f.to)} (container platform)`
          : `${nameOf(f.to)} (environment not stated)`;
      };
      const targets = [...new Set(relevant.map(targetText))].join(', ');
      const pipelineText = pipelines.map((p) => nameOf(p)).join(', ');

      yield {
        messageId: identity.credentials === 'long-lived' ? 'longLived' : 'lifetimeUnstated',
        primary: [identity.id],
        subjects: [
          ...pipelines.map((p) => p.id),
          ...relevant.map((f) => f.id),
          ...relevant.map((f) => f.to.id),
        ],
        likelihood: risky.length > 0 ? 'very-likely' : 'likely',
        impact: 'very-high',
        confidence: confirmed ? 'confirmed' : 'assumed',
        data: {
          identity: nameOf(identity),
          pipeline: pipelineText,
          targets,
          secretsWhere: places.length > 0 ? ` and kept in ${places.join(', ')}` : '',
          secretsLocation: places.length > 0 ? places.join(', ') : 'wherever copies of them are kept',
        },
        evidence: [
          `identity ${identity.id}: credentials ${identity.credentials ?? 'not stated'}`,
          ...pipelines.map(
            (p) =>
              `${p.id} (ci-cd) runs-as ${identity.id}${p['secrets-in'] ? `, secrets-in: [${p['secrets-in'].join(', ')}]` : ''}`,
          ),
          ...relevant.map(deployFact),
        ],
        ...(confirmed ? {} : { unknowns }),
      };
    }
  },
});
