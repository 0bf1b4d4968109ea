import { appliesControl, dataReaches } from '../../../model/queries.js';
import type { Component } from '../../../model/schema.js';
import { type FlowFacts, nameOf, type View } from '../../../model/view.js';
import type { TriState } from '../../../model/vocabulary.js';
import { type Draft, defineRule, type Likelihood, type Unknown } from '../../define-rule.js';
import { dataList, likelihoodRank } from '../../factors.js';
import { BUILD_KINDS, deliversInto } from '../../shared/delivery.js';
import { internetRoutes } from '../../shared/edge.js';
import { statedAuthn } from '../../shared/evidence.js';
import { listText } from '../../shared/text.js';
import { uniqueById } from '../../shared/unique.js';

const writes = (f: FlowFacts) =>
  f.flow.actions === undefined ||
  f.flow.actions.some((a) => a === 'write' || a === 'publish' || a === 'admin' || a === 'invoke');
const reads = (f: FlowFacts) =>
  f.flow.actions === undefined || f.flow.actions.some((a) => a === 'read' || a === 'subscribe');

const authnText = (f: FlowFacts) => {
  if (f.authnStrength === 'none') return 'no authentication';
  if (f.authnStrength === 'unknown') return 'authentication that is not stated';
  return `only ${f.authn === 'api-key' ? 'an API key' : f.authn === 'basic' ? 'basic authentication' : 'a password'}`;
};

/** Combines tri-states: true when any is true, unknown when any is unknown, else false. */
function any(states: readonly TriState[]): TriState {
  if (states.includes(true)) return true;
  return states.includes('unknown') ? 'unknown' : false;
}

/** Whether what this component holds or runs reaches a production deploy. */
function feedsProduction(view: View, c: Component): boolean {
  if (view.flowsFrom(c.id).some((f) => f.flow.purpose === 'deploy')) return true;
  return view
    .flowsTo(c.id)
    .some((f) => f.flow.purpose === 'deploy' || f.from.environment?.toLowerCase() === 'production');
}

/** Components built or deployed from a repository or registry that keep secrets in code or images. */
function leakyConsumers(view: View, c: Component): Component[] {
  const pullers = view
    .flowsTo(c.id)
    .filter((f) => dataReaches(f.flow, 'from'))
    .map((f) => f.from);
  const deployed = pullers.flatMap((p) =>
    view
      .flowsFrom(p.id)
      .filter(deliversInto)
      .map((f) => f.to),
  );
  const all = uniqueById([...pullers, ...deployed]);
  return all.filter((x) => x['secrets-in']?.some((s) => s === 'source-code' || s === 'container-image'));
}

export default defineRule({
  meta: {
    id: 'exposed-build-infrastructure',
    title: 'Source repository, registry or pipeline is writable from the internet with weak protection',
    summary:
      'A source repository, artifact registry or CI/CD system accepts changes from the internet with no or weak authentication, or from people without MFA, or serves secrets to anonymous readers, so an outsider can alter what gets built and deployed.',
    stride: ['tampering', 'information-disclosure', 'elevation-of-privilege'],
    cwe: ['CWE-284', 'CWE-306'],
    capec: ['CAPEC-511', 'CAPEC-444'],
    attack: ['T1195.002', 'T1213.003', 'T1677'],
    compliance: {
      'nist-800-53': ['CM-5', 'AC-3', 'IA-2(1)', 'SA-10', 'SR-3'],
      'iso-27001-2022': ['A.8.4', 'A.8.25', 'A.8.32'],
      soc2: ['CC8.1', 'CC6.1'],
      'pci-dss-4': ['6.5.1', '7.2.1'],
      hipaa: ['164.312(a)(1)'],
    },
    assumes: ['authn', 'controls', 'enforces'],
    supersedes: ['missing-authentication'],
    detection:
      'A repository, registry or ci-cd component that is exposed (stated public, or called directly by an internet source) is judged on its inbound internet flows (from an internet source, directly or through pass-through components; not via vpn), unless it or a pass-through hop applies ip-allowlist. It is reported when such a flow can change it (actions write, publish, admin or invoke, or none stated) with no or weak authentication (api-key, basic, password); when a person (a user component) can change it with strong authentication but neither it nor a hop applies mfa; or, for a repository or registry, when such a flow can read it without strong authentication while it stores credentials or secret data, or while a component built or deployed from it keeps secrets in source code or container images. Confirmed on stated authn and lists; assumed, with questions, otherwise. All reasons for one component make one finding. It replaces missing-authentication on the same component, because an unauthenticated build system is a supply-chain entry, not only a missing login.',
    severityRationale:
      'Impact is very high when the component feeds a production deploy (it has a deploy flow, or production components read from it), high otherwise. Likelihood is likely, very likely when the internet can reach it with no authentication at all.',
    falsePositives:
      'Access may be narrower than the model shows: an IP allow-list or private networking on the hosting service, SSO with enforced MFA at the identity provider, or branch protection that blocks direct pushes. Record ip-allowlist or mfa in the controls of the component (or the enforces of the hop in front of it), state the flow’s actions precisely, or state exposure internal with inbound flows via vpn.',
    references: [
      {
        title: 'OWASP Top 10 CI/CD Security Risks',
        url: 'https://owasp.org/www-project-top-10-ci-cd-security-risks/',
      },
      {
        title: 'SLSA: Source track and build requirements',
        url: 'https://slsa.dev/spec/v1.0/requirements',
      },
      {
        title: 'CWE-306: Missing Authentication for Critical Function',
        url: 'https://cwe.mitre.org/data/definitions/306.html',
      },
    ],
    messages: {
      weakWrite:
        '{component} accepts changes or triggers from {source} over the internet with {authn} ({flow}), so anyone who obtains that access can alter what is built and deployed.',
      noMfa:
        '{component} accepts changes from {source} over the internet ({flow}) without multi-factor authentication, so one phished or leaked credential lets an attacker alter what is built and deployed.',
      secretsReadable:
        '{component} can be read by {source} over the internet with {authn} ({flow}), and it exposes {secrets}.',
    },
    mitigation: 'Protect {component}: {fix}.',
  },
  *detect(view) {
    const candidates = view.components.filter((c) => BUILD_KINDS.has(c.kind) && view.isExposed(c.id));
    if (candidates.length === 0) return;
    for (const c of candidates) {
      const production = feedsProduction(view, c);
      const impact = production ? 'very-high' : 'high';
      const secretsHeld = view
        .stored(c.id)
        .filter((d) => d.classification === 'credentials' || d.classification === 'secret');
      // Searched only when a route could expose secrets (most build components have none).
      let leaky: Component[] | undefined;
      const drafts: Draft[] = [];
      for (const { flow: f, path, source, hops } of internetRoutes(view, c)) {
        const allowlisted = any([
          appliesControl(c, 'ip-allowlist'),
          ...hops.map((h) => appliesControl(h, 'ip-allowlist')),
        ]);
        if (allowlisted === true) continue;
        const listUnknowns: Unknown[] = [
          ...(appliesControl(c, 'ip-allowlist') === 'unknown'
            ? [{ subject: c.id, attribute: 'controls' }]
            : []),
          ...hops
            .filter((h) => appliesControl(h, 'ip-allowlist') === 'unknown')
            .map((h) => ({ subject: h.id, attribute: 'enforces' })),
        ];
        const authnUnknowns: Unknown[] =
          f.authnStrength === 'unknown' ? [{ subject: f.id, attribute: 'authn' }] : [];
        const base = {
          primary: [c.id],
          subjects: [...path.map((x) => x.id), source.id, ...hops.map((h) => h.id)],
          impact,
        } as const;
        const data = {
          component: nameOf(c),
          source: nameOf(source),
          flow: f.id,
          authn: authnText(f),
          secrets: '',
          fix: '',
        };
        const flowFact = `flow ${f.id}: from ${source.id} over the internet, authn ${statedAuthn(f)}, actions ${listText(f.flow.actions)}`;
        const listFact = `${c.id} controls: ${listText(c.controls)}, enforces: ${listText(c.enforces)}`;
        const make = (
          messageId: string,
          likelihood: Likelihood,
          unknowns: Unknown[],
          extra: string[],
        ): Draft => ({
          ...base,
          messageId,
          likelihood,
          confidence: unknowns.length === 0 ? 'confirmed' : 'assumed',
          data,
          evidence: [flowFact, listFact, ...extra],
          ...(unknowns.length === 0 ? {} : { unknowns }),
        });
        if (writes(f) && f.authnStrength !== 'strong') {
          drafts.push(
            make(
              'weakWrite',
              f.authnStrength === 'none' ? 'very-likely' : 'likely',
              [...authnUnknowns, ...listUnknowns],
              [],
            ),
          );
        } else if (writes(f) && source.kind === 'user') {
          const mfa = any([appliesControl(c, 'mfa'), ...hops.map((h) => appliesControl(h, 'mfa'))]);
          if (mfa !== true) {
            const mfaUnknowns =
              mfa === 'unknown' ? [...listUnknowns, { subject: c.id, attribute: 'controls' }] : listUnknowns;
            drafts.push(
              make('noMfa', 'likely', mfaUnknowns, [
                `${source.id} is a person (kind user); no mfa on ${c.id}${hops.length > 0 ? ' or its hops' : ''}`,
              ]),
            );
          }
        }
        if (c.kind !== 'ci-cd' && reads(f) && f.authnStrength !== 'strong') leaky ??= leakyConsumers(view, c);
        if (
          c.kind !== 'ci-cd' &&
          reads(f) &&
          f.authnStrength !== 'strong' &&
          leaky !== undefined &&
          (secretsHeld.length > 0 || leaky.length > 0)
        ) {
          const exposes = [
            ...(secretsHeld.length > 0 ? [dataList(secretsHeld)] : []),
            ...(leaky.length > 0 ? [`the secrets baked into ${leaky.map((x) => nameOf(x)).join(', ')}`] : []),
          ].join(' and ');
          const d = make(
            'secretsReadable',
            f.authnStrength === 'none' ? 'very-likely' : 'likely',
            [...authnUnknowns, ...listUnknowns],
            [
              ...(secretsHeld.length > 0 ? [`${c.id} stores ${dataList(secretsHeld)}`] : []),
              ...leaky.map(
                (x) =>
                  `${x.id} is built or deployed from ${c.id} and keeps secrets in ${(x['secrets-in'] ?? []).join(', ')}`,
              ),
            ],
          );
          drafts.push({
            ...d,
            data: { ...d.data, secrets: exposes },
            subjects: [...(d.subjects ?? []), ...leaky.map((x) => x.id)],
          });
        }
      }
      if (drafts.length === 0) continue;
      // One finding per component: the most certain, most likely reason leads; the rest is evidence.
      const ranked = [...drafts].sort(
        (a, b) =>
          Number(b.confidence === 'confirmed') - Number(a.confidence === 'confirmed') ||
          likelihoodRank(b.likelihood) - likelihoodRank(a.likelihood),
      );
      const lead = ranked[0] as Draft;
      const name = nameOf(c);
      const review =
        c.kind === 'repository'
          ? `protect the default branches and release tags of ${name} so changes need review`
          : c.kind === 'registry'
            ? `make the release tags of ${name} immutable and accept pushes only from the pipeline`
            : `require review for changes to the pipeline definitions ${name} runs`;
      const fixes: Record<string, string> = {
        weakWrite: `require strong authentication for every change (SSO for people, short-lived scoped tokens for automation) and, where the service allows it, accept changes only from known networks (private access or an IP allow-list); ${review}`,
        noMfa: `enforce MFA, preferably phishing-resistant, for every person who can change ${name} (at the identity provider or the hosting service), and ${review}`,
        secretsReadable: `require authentication to read ${name}, move the secrets out of it and out of what is built from it into a secret store, and rotate every secret that was exposed`,
      };
      const confirmed = lead.confidence === 'confirmed';
      yield {
        ...lead,
        data: { ...lead.data, fix: fixes[lead.messageId] ?? '' },
        subjects: [...new Set(drafts.flatMap((d) => d.subjects ?? []))],
        evidence: [
          ...new Set([
            ...drafts.flatMap((d) => d.evidence),
            ...(production ? [`${c.id} feeds a production deploy`] : []),
          ]),
        ],
        ...(confirmed ? { unknowns: [] } : { unknowns: drafts.flatMap((d) => d.unknowns ?? []) }),
      };
    }
  },
});
