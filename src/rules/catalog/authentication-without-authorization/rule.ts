import {
  appliesControl,
  isClient,
  isDataStoreKind,
  isManagementPlane,
  isPassThrough,
  isSensitive,
  isThirdParty,
  listsUnstated,
} from '../../../model/queries.js';
import type { Component, DataAsset } from '../../../model/schema.js';
import type { FlowFacts, View } from '../../../model/view.js';
import { defineRule, type Impact, type Unknown } from '../../define-rule.js';
import { dataImpact, dataList, maxImpact } from '../../factors.js';
import { statedAuthn } from '../../shared/evidence.js';
import { listText } from '../../shared/text.js';
import { uniqueById } from '../../shared/unique.js';

const VERBS: Readonly<Record<string, string>> = { write: 'change', delete: 'delete', admin: 'administer' };

/** Whether a hop (not the last component of a path) checks what the caller may do: true, false or unknown. */
function hopAuthorizes(c: Component): boolean | 'unknown' {
  if (isClient(c)) return false; // client-side checks are not controls
  if (isPassThrough(c)) return c.enforces === undefined ? 'unknown' : c.enforces.includes('authorization');
  return appliesControl(c, 'authorization');
}

/** Whether a hop authenticates the caller before passing the call on. */
function hopAuthenticates(c: Component): boolean {
  if (isClient(c)) return false;
  if (c.enforces?.includes('authentication')) return true;
  return !isPassThrough(c) && c.controls?.includes('authentication') === true;
}

interface Step {
  flow: FlowFacts;
  prev: string | undefined;
}

/**
 * Paths from the entry points on which no hop authorizes, tracking whether the caller has been
 * authenticated yet (a flow with weak or strong authn, or a hop that authenticates). `through` says which
 * components a path may pass through; `strict` also refuses hops that do not state their lists.
 * Keys are `<component>|<0|1>` (1: authenticated); values are the step that first reached them.
 */
function authenticatedPaths(
  view: View,
  through: (c: Component) => boolean,
  strict: boolean,
): Map<string, Step | null> {
  const seen = new Map<string, Step | null>();
  let frontier: string[] = [];
  for (const c of view.entryPoints) {
    const k = `${c.id}|0`;
    seen.set(k, null);
    frontier.push(k);
  }
  while (frontier.length > 0) {
    const next: string[] = [];
    for (const k of frontier) {
      const [id, a] = k.split('|') as [string, string];
      const c = view.component(id) as Component;
      const start = seen.get(k) === null;
      if (!(start && view.isInternetSource(id)) && !through(c)) continue;
      if (!view.isInternetSource(id)) {
        const authorizes = hopAuthorizes(c);
        if (authorizes === true || (strict && authorizes === 'unknown')) continue;
      }
      const authedHere = a === '1' || hopAuthenticates(c);
      for (const f of view.flowsFrom(id)) {
        const authed = authedHere || f.authnStrength === 'weak' || f.authnStrength === 'strong';
        const nk = `${f.to.id}|${authed ? 1 : 0}`;
        if (seen.has(nk)) continue;
        seen.set(nk, { flow: f, prev: k });
        next.push(nk);
      }
    }
    frontier = next;
  }
  return seen;
}

function pathOf(seen: Map<string, Step | null>, key: string): FlowFacts[] {
  const path: FlowFacts[] = [];
  let cur = seen.get(key);
  while (cur) {
    path.unshift(cur.flow);
    cur = cur.prev === undefined ? undefined : seen.get(cur.prev);
  }
  return path;
}

export default defineRule({
  meta: {
    id: 'authentication-without-authorization',
    title: 'Callers are authenticated but nothing checks what they may do',
    summary:
      'Callers from the internet have to sign in, but neither the component they reach nor anything in front of it checks which objects and actions each caller is allowed, so any authenticated user can read or change other users’ data (broken object-level authorization).',
    stride: ['elevation-of-privilege', 'information-disclosure'],
    cwe: ['CWE-862', 'CWE-285'],
    capec: ['CAPEC-1'],
    attack: [],
    compliance: {
      'nist-800-53': ['AC-3', 'AC-6'],
      'iso-27001-2022': ['A.5.15', 'A.8.3'],
      soc2: ['CC6.1', 'CC6.3'],
      'pci-dss-4': ['7.2.1', '7.2.2'],
      'owasp-asvs-5': ['V8.2.1', 'V8.2.2', 'V8.3.1'],
      hipaa: ['164.312(a)(1)', '164.308(a)(4)(ii)(B)'],
    },
    assumes: ['controls', 'enforces'],
    detection:
      'The rule follows paths from the entry points on which no hop authorizes (a gateway that enforces authorization, or a service that controls it, stops the path) and notes whether the caller has been authenticated (a flow with weak or strong authn, or a hop that enforces authentication). It reports a component that such an authenticated path reaches when the component is the first real component behind the internet edge (reached through gateways, load balancers, CDNs or WAFs only) or states assumes: [caller-authorized-upstream]; that does not control authorization itself; and that accepts write, delete or admin actions, stores sensitive data, or calls components that store sensitive data. Clients, gateways, third parties, control planes (identity providers, secret stores, monitoring, CI/CD, container platforms) and data stores are not judged: their permissions are their identities’ grants. Data reached through control planes and telemetry flows does not count. Confirmed when the component states its controls and every hop on the path states its lists; assumed, with questions, otherwise. Unauthenticated paths are missing-authentication’s.',
    severityRationale:
      'Impact is the data the component stores and the data it reaches (stores it calls and what those flows carry), at least medium when it accepts changes. Likelihood is likely: any account, including a free or stolen one, is enough to try other users’ object ids.',
    falsePositives:
      'Authorization may happen where the model does not say (a policy engine sidecar, per-object checks in the handlers). Record it: authorization in the component’s controls, or in the enforces of the gateway that checks it.',
    references: [
      {
        title: 'OWASP Authorization Cheat Sheet',
        url: 'https://cheatsheetseries.owasp.org/cheatsheets/Authorization_Cheat_Sheet.html',
      },
      {
        title: 'OWASP API Security Top 10 2023: API1 Broken Object Level Authorization',
        url: 'https://owasp.org/API-Security/editions/2023/en/0xa1-broken-object-level-authorization/',
      },
      { title: 'CWE-862: Missing Authorization', url: 'https://cwe.mitre.org/data/definitions/862.html' },
    ],
    messages: {
      unauthorized:
        '{component} accepts authenticated callers from the internet ({path}), but neither it nor anything on the way is shown to check what each caller may do, so any signed-in caller can {can}.',
      brokenAssumption:
        '{component} assumes its callers were authorized upstream, but nothing on the way from the internet ({path}) is shown to authorize them, so any signed-in caller can {can}.',
    },
    mitigation:
      'Authorize every request in {component}: check that the authenticated caller may perform the action on the specific object (deny by default, ownership or tenant checks on every object id), or enforce it in a policy point in front of it{gateway}; record authorization in the controls of the component that does it.',
  },
  *detect(view) {
    const assumers = new Set(
      view.components.filter((c) => c.assumes?.includes('caller-authorized-upstream')).map((c) => c.id),
    );
    const judged = (c: Component) =>
      !isClient(c) &&
      !isPassThrough(c) &&
      !isThirdParty(view, c) &&
      !isDataStoreKind(c) &&
      !isManagementPlane(c) &&
      appliesControl(c, 'authorization') !== true;
    const candidates = view.components.filter(judged);
    if (candidates.length === 0) return;
    const edgeStrict = authenticatedPaths(view, isPassThrough, true);
    const edgeLenient = authenticatedPaths(view, isPassThrough, false);
    const anyStrict =
      assumers.size > 0 ? authenticatedPaths(view, () => true, true) : new Map<string, Step | null>();
    const anyLenient =
      assumers.size > 0 ? authenticatedPaths(view, () => true, false) : new Map<string, Step | null>();
    for (const c of candidates) {
      const key = `${c.id}|1`;
      const assumes = assumers.has(c.id);
      const strict = assumes ? anyStrict : edgeStrict;
      const lenient = assumes ? anyLenient : edgeLenient;
      // A public component is an entry point itself: its own callers are what count.
      if (!lenient.has(key) || lenient.get(key) === null) continue;
      const inbound = view.flowsTo(c.id);
      const verbs = [
        ...new Set(
          inbound.flatMap((f) => (f.flow.actions ?? []).map((a) => VERBS[a]).filter((v) => v !== undefined)),
        ),
      ];
      const changes = verbs.length > 0;
      const held = view.stored(c.id);
      // Users' data lives in the stores it calls; platform services (secrets, telemetry) are not theirs.
      const out = view
        .flowsFrom(c.id)
        .filter((f) => !isManagementPlane(f.to) && f.flow.purpose !== 'telemetry');
      const reached: DataAsset[] = out.flatMap((f) => [...view.stored(f.to.id), ...f.data]);
      const sensitive = uniqueById([...held, ...reached].filter(isSensitive));
      if (!changes && sensitive.length === 0) continue;
      const confirmedPath = strict.has(key);
      const path = pathOf(confirmedPath ? strict : lenient, key);
      const unknowns: Unknown[] = [];
      if (appliesControl(c, 'authorization') === 'unknown')
        unknowns.push({ subject: c.id, attribute: 'controls' });
      if (!confirmedPath) {
        for (const f of path.slice(1)) {
          const hop = f.from;
          if (hopAuthorizes(hop) === 'unknown')
            unknowns.push({ subject: hop.id, attribute: isPassThrough(hop) ? 'enforces' : 'controls' });
        }
      }
      const confirmed = unknowns.length === 0;
      const nodes = [path[0]?.from.id ?? c.id, ...path.map((f) => f.to.id)];
      const gateways = path.map((f) => f.from).filter(isPassThrough);
      const impact: Impact = maxImpact(changes ? 'medium' : 'low', dataImpact(held), dataImpact(reached));
      const can = [
        changes ? `${verbs.join(' or ')} other users’ objects` : '',
        sensitive.length > 0 ? `read other users’ records among ${dataList(sensitive)}` : '',
      ]
        .filter((s) => s !== '')
        .join(' and ');
      yield {
        messageId: assumes ? 'brokenAssumption' : 'unauthorized',
        primary: [c.id],
        subjects: [...path.flatMap((f) => [f.id, f.from.id]), ...sensitive.map((d) => d.id)],
        likelihood: 'likely' as const,
        impact,
        confidence: confirmed ? ('confirmed' as const) : ('assumed' as const),
        data: {
          component: view.label(c.id),
          path: nodes.join(' → '),
          can,
          gateway: gateways.length > 0 ? ` (${gateways.map((g) => view.label(g.id)).join(', ')})` : '',
        },
        evidence: [
          ...(assumes ? [`${c.id} assumes: caller-authorized-upstream`] : []),
          ...path.map((f) => `flow ${f.id}: authn ${statedAuthn(f)}`),
          ...path
            .slice(1)
            .map((f) => f.from)
            .map((h) =>
              isPassThrough(h)
                ? `${h.id} enforces: ${listText(h.enforces)}`
                : `${h.id} controls: ${listText(h.controls)}`,
            ),
          listsUnstated(c)
            ? `${c.id} does not state its controls`
            : `${c.id} controls: [${(c.controls ?? []).join(', ')}] (no authorization)`,
          ...(changes
            ? [
                `${c.id} accepts ${Object.keys(VERBS)
                  .filter((a) => inbound.some((f) => f.flow.actions?.some((x) => x === a)))
                  .join(', ')} actions`,
              ]
            : []),
          ...(sensitive.length > 0 ? [`${c.id} holds or reaches ${dataList(sensitive)}`] : []),
        ],
        ...(confirmed ? {} : { unknowns }),
      };
    }
  },
});
