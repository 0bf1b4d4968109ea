import { enforces, hasControl, isPassThrough } from '../../../model/queries.js';
import type { Component } from '../../../model/schema.js';
import { defineRule, type Unknown } from '../../define-rule.js';
import { dataImpact, exposureLikelihood, maxImpact } from '../../factors.js';
import { searchFromEntries } from '../../shared/entry-search.js';
import { controlsFact } from '../../shared/evidence.js';
import { pathComponents } from '../../shared/paths.js';
import { listText } from '../../shared/text.js';

export default defineRule({
  meta: {
    id: 'gateway-validation-assumption',
    title: 'Backend trusts upstream input validation that nothing performs',
    summary:
      'A backend assumes its input was validated upstream, but the gateways in front of it only authenticate or route, so malformed and malicious input reaches it unchecked.',
    stride: ['tampering', 'elevation-of-privilege'],
    cwe: ['CWE-20', 'CWE-602'],
    capec: ['CAPEC-22'],
    attack: ['T1190'],
    compliance: {
      'nist-800-53': ['SI-10', 'SA-8'],
      'iso-27001-2022': ['A.8.26', 'A.8.28'],
      soc2: ['CC8.1'],
      'pci-dss-4': ['6.2.4'],
      'owasp-asvs-5': ['V2.2.1', 'V2.2.2'],
      hipaa: ['164.312(c)(1)'],
    },
    assumes: ['controls', 'enforces'],
    detection:
      'A component that assumes input-validated-upstream and has no input-validation control of its own is reported when an entry point reaches it by a chain of flows on which no component enforces input-validation (a gateway, load balancer, CDN or WAF that only authenticates, terminates TLS or filters attack signatures does not validate input). Confirmed when its own controls are stated and every component on the way states what it enforces; assumed, with questions, when a list is missing.',
    severityRationale:
      'Impact is what the backend holds or passes on (at least high: it is an injection point into business logic). Likelihood follows its exposure: very likely when it is an entry point or called straight from the internet, likely when reachable through other components.',
    falsePositives:
      'Validation may happen in a component the model does not show (a schema-validating API gateway plug-in, a request validator in front of the service). Add `input-validation` to that component’s `enforces`, or to the backend’s own `controls`.',
    references: [
      {
        title: 'OWASP Input Validation Cheat Sheet',
        url: 'https://cheatsheetseries.owasp.org/cheatsheets/Input_Validation_Cheat_Sheet.html',
      },
      {
        title: 'CWE-602: Client-Side Enforcement of Server-Side Security',
        url: 'https://cwe.mitre.org/data/definitions/602.html',
      },
    ],
    messages: {
      unvalidated:
        '{component} assumes its input was validated upstream, but on the way from {entry} ({path}) nothing validates input{gateways}.',
      unstated:
        '{component} assumes its input was validated upstream, and the model does not show that anything on the way from {entry} ({path}) does.',
    },
    mitigation:
      'Validate input in {component} itself (schemas for every request, reject unknown fields, bound sizes and types), and do not rely on {upstream} for it; if a gateway should validate, configure request validation there and record input-validation in its enforces.',
  },
  *detect(view) {
    const assumers = view.components.filter(
      (c) => c.assumes?.includes('input-validated-upstream') && hasControl(c, 'input-validation') !== true,
    );
    if (assumers.length === 0) return;
    // Only the routes to the assumers are needed: each search stops once it has reached every assumer
    // the internet reaches at all (the others it cannot reach), and asks its predicate per component.
    const targets = new Set<string>();
    for (const c of assumers) if (view.isInternetReachable(c.id)) targets.add(c.id);
    // Strict: only components known not to validate pass traffic on. Lenient: unknown ones do too.
    const strict = searchFromEntries(
      view,
      (from) => enforces(from, 'input-validation') === false || view.isInternetSource(from.id),
      targets,
    );
    const lenient = searchFromEntries(view, (from) => enforces(from, 'input-validation') !== true, targets);
    for (const c of assumers) {
      const confirmedPath = strict.has(c.id);
      if (!lenient.has(c.id)) continue;
      const search = confirmedPath ? strict : lenient;
      const path = view.pathTo(search, c.id);
      const chain = pathComponents(path, c);
      const entry = chain[0] as Component;
      const middle = chain.slice(1, -1);
      const gateways = chain.slice(0, -1).filter(isPassThrough);
      const unknowns: Unknown[] = [];
      if (hasControl(c, 'input-validation') === 'unknown')
        unknowns.push({ subject: c.id, attribute: 'controls' });
      if (!confirmedPath) {
        for (const m of middle)
          if (enforces(m, 'input-validation') === 'unknown')
            unknowns.push({ subject: m.id, attribute: 'enforces' });
      }
      const confirmed = unknowns.length === 0;
      const gatewayText = gateways
        .map(
          (g) =>
            `${view.label(g.id)} enforces only ${g.enforces && g.enforces.length > 0 ? g.enforces.join(', ') : 'nothing'}`,
        )
        .join('; ');
      const outData = view.flowsFrom(c.id).flatMap((f) => [...f.data, ...view.stored(f.to.id)]);
      yield {
        messageId: confirmed ? 'unvalidated' : 'unstated',
        primary: [c.id],
        subjects: [...chain.map((x) => x.id), ...path.map((f) => f.id)],
        likelihood: exposureLikelihood(view, c.id),
        impact: maxImpact('high', dataImpact(view.stored(c.id)), dataImpact(outData)),
        confidence: confirmed ? 'confirmed' : 'assumed',
        data: {
          component: view.label(c.id),
          entry: view.label(entry.id),
          path: chain.map((x) => x.id).join(' → '),
          gateways: gatewayText ? `: ${gatewayText}` : '',
          upstream: gateways.length > 0 ? gateways.map((g) => view.label(g.id)).join(', ') : 'its callers',
        },
        evidence: [
          `${c.id} assumes: input-validated-upstream`,
          controlsFact(c, 'input-validation'),
          `reached from entry point ${entry.id} via ${chain.map((x) => x.id).join(' → ')}`,
          ...middle.map((m) => `${m.id} enforces: ${listText(m.enforces)}`),
        ],
        ...(confirmed ? {} : { unknowns }),
      };
    }
  },
});
