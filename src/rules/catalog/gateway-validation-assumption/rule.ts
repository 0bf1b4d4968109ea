import { enforces, hasControl, isPassThrough } from '../../../model/queries.js';
import type { Component } from '../../../model/schema.js';
import { type FlowFacts, nameOf, type View } from '../../../model/view.js';
import { defineRule, type Unknown } from '../../define-rule.js';
import { dataImpact, exposureLikelihood, maxImpact } from '../../factors.js';
import { searchFromEntries } from '../../shared/entry-search.js';
import { controlsFact } from '../../shared/evidence.js';
import { pathComponents } from '../../shared/paths.js';
import { listText } from '../../shared/text.js';

/** An assumer the internet reaches, its shortest route over every flow, and whether each search may take it. */
interface Route {
  c: Component;
  full: FlowFacts[];
  strictOpen: boolean;
  lenientOpen: boolean;
}

/** Strict: only components known not to validate (and internet sources) pass traffic on. */
function passesStrict(view: View, from: Component): boolean {
  return enforces(from, 'input-validation') === false || view.isInternetSource(from.id);
}

/** Lenient: components that may not validate (unknown) pass traffic on too. */
function passesLenient(_view: View, from: Component): boolean {
  return enforces(from, 'input-validation') !== true;
}

/** A restricted search from the entry points (`searchFromEntries`): each component reached, by id, with its first flow. */
type Search = ReadonlyMap<string, FlowFacts | null>;

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
    // Indexed: a for-of loop or a filter closure costs per component until the code is optimised.
    const components = view.components;
    const assumers: Component[] = [];
    for (let i = 0; i < components.length; i++) {
      const c = components[i] as Component;
      if (c.assumes?.includes('input-validated-upstream') && hasControl(c, 'input-validation') !== true)
        assumers.push(c);
    }
    if (assumers.length === 0) return;
    // The strict and lenient searches below are the search of every flow (view.reachedVia(), made once
    // per View and shared) with some components passing nothing on. Where the shortest route that the
    // full search found to an assumer passes only components that pass traffic on, the restricted search
    // finds that same route (it visits the components of that route at the same level and in the same
    // order), so it is used as it is; the restricted searches are made only when some assumer's route is
    // blocked, and then exactly as before.
    const reached = view.reachedVia();
    // First the routes of the assumers the internet reaches (neither search reaches a component that the
    // search over every flow does not reach), and which of them a restricted search must settle: those
    // are its only targets, so it stops once it has reached them.
    const routes: Route[] = [];
    const strictTargets = new Set<string>();
    const lenientTargets = new Set<string>();
    for (let a = 0; a < assumers.length; a++) {
      const c = assumers[a] as Component;
      if (!reached.has(c.id)) continue;
      const full = view.pathTo(reached, c.id);
      let strictOpen = true;
      let lenientOpen = true;
      for (let i = 0; i < full.length; i++) {
        const from = (full[i] as FlowFacts).from;
        if (!passesStrict(view, from)) strictOpen = false;
        if (!passesLenient(view, from)) lenientOpen = false;
      }
      if (!strictOpen) strictTargets.add(c.id);
      if (!lenientOpen) lenientTargets.add(c.id);
      routes.push({ c, full, strictOpen, lenientOpen });
    }
    const strict =
      strictTargets.size > 0
        ? searchFromEntries(view, (from) => passesStrict(view, from), { targets: strictTargets })
        : undefined;
    const lenient =
      lenientTargets.size > 0
        ? searchFromEntries(view, (from) => passesLenient(view, from), { targets: lenientTargets })
        : undefined;
    for (let r = 0; r < routes.length; r++) {
      const { c, full, strictOpen, lenientOpen } = routes[r] as Route;
      // As before: reported only when the lenient search reaches it (an internet source that validates
      // passes traffic on in the strict search but not in the lenient one).
      if (!lenientOpen && !(lenient as Search).has(c.id)) continue;
      const confirmedPath = strictOpen || (strict as Search).has(c.id);
      const path = confirmedPath
        ? strictOpen
          ? full
          : view.pathTo(strict as Search, c.id)
        : lenientOpen
          ? full
          : view.pathTo(lenient as Search, c.id);
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
            `${nameOf(g)} enforces only ${g.enforces && g.enforces.length > 0 ? g.enforces.join(', ') : 'nothing'}`,
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
          component: nameOf(c),
          entry: nameOf(entry),
          path: chain.map((x) => x.id).join(' → '),
          gateways: gatewayText ? `: ${gatewayText}` : '',
          upstream: gateways.length > 0 ? gateways.map((g) => nameOf(g)).join(', ') : 'its callers',
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
