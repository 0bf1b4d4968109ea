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
import { type Draft, defineRule, type Impact, type Unknown } from '../../define-rule.js';
import { dataImpact, dataList, maxImpact } from '../../factors.js';
import { statedAuthn } from '../../shared/evidence.js';
import { listText } from '../../shared/text.js';

const VERBS: Readonly<Record<string, string>> = { write: 'change', delete: 'delete', admin: 'administer' };
const NO_ACTIONS: readonly string[] = Object.freeze([]);

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

/** How a search state was first reached: the flow into it, and whether the caller was authenticated before it. */
interface Step {
  flow: FlowFacts;
  prevAuthed: boolean;
}

/**
 * The states of a search, per component id: `[0]` unauthenticated, `[1]` authenticated; each with the step
 * that first reached it (null for an entry point, where a search starts unauthenticated).
 */
type Reached = readonly [Map<string, Step | null>, Map<string, Step | null>];

/**
 * Paths from the entry points on which no hop authorizes, tracking whether the caller has been
 * authenticated yet (a flow with weak or strong authn, or a hop that authenticates). `through` says which
 * components a path may pass through; `strict` also refuses hops that do not state their lists.
 * A breadth-first search over (component, authenticated) states, kept in one map per authentication
 * state so that no key string is built or split per state.
 */
function authenticatedPaths(view: View, through: (c: Component) => boolean, strict: boolean): Reached {
  const reached: Reached = [new Map(), new Map()];
  let ids: string[] = [];
  let authed: boolean[] = [];
  for (const c of view.entryPoints) {
    reached[0].set(c.id, null);
    ids.push(c.id);
    authed.push(false);
  }
  while (ids.length > 0) {
    const nextIds: string[] = [];
    const nextAuthed: boolean[] = [];
    for (let i = 0; i < ids.length; i++) {
      const id = ids[i] as string;
      const a = authed[i] as boolean;
      const c = view.component(id) as Component;
      const source = view.isInternetSource(id);
      const start = reached[a ? 1 : 0].get(id) === null;
      if (!(start && source) && !through(c)) continue;
      if (!source) {
        const authorizes = hopAuthorizes(c);
        if (authorizes === true || (strict && authorizes === 'unknown')) continue;
      }
      const authedHere = a || hopAuthenticates(c);
      const out = view.flowsFrom(id);
      for (let j = 0; j < out.length; j++) {
        const f = out[j] as FlowFacts;
        const now = authedHere || f.authnStrength === 'weak' || f.authnStrength === 'strong';
        const seen = reached[now ? 1 : 0];
        const to = f.to.id;
        if (seen.has(to)) continue;
        seen.set(to, { flow: f, prevAuthed: a });
        nextIds.push(to);
        nextAuthed.push(now);
      }
    }
    ids = nextIds;
    authed = nextAuthed;
  }
  return reached;
}

/** The flows of the path that first reached a component authenticated. */
function pathOf(reached: Reached, id: string): FlowFacts[] {
  const path: FlowFacts[] = [];
  let cur = reached[1].get(id);
  while (cur) {
    path.unshift(cur.flow);
    cur = reached[cur.prevAuthed ? 1 : 0].get(cur.flow.from.id);
  }
  return path;
}

const NO_PATHS: Reached = [new Map(), new Map()];

/** A component judged by this rule: one that runs code of the team's and does not authorize itself. */
function judged(view: View, c: Component): boolean {
  return (
    !isClient(c) &&
    !isPassThrough(c) &&
    !isThirdParty(view, c) &&
    !isDataStoreKind(c) &&
    !isManagementPlane(c) &&
    appliesControl(c, 'authorization') !== true
  );
}

/**
 * The finding for a judged component that an authenticated path reaches, or undefined when it neither
 * accepts changes nor holds or reaches sensitive data.
 */
function draftFor(
  view: View,
  c: Component,
  assumes: boolean,
  strict: Reached,
  lenient: Reached,
): Draft | undefined {
  const inbound = view.flowsTo(c.id);
  const verbs: string[] = [];
  for (const f of inbound) {
    for (const a of f.flow.actions ?? NO_ACTIONS) {
      const v = VERBS[a];
      if (v !== undefined && !verbs.includes(v)) verbs.push(v);
    }
  }
  const changes = verbs.length > 0;
  const held = view.stored(c.id);
  // Users' data lives in the stores it calls; platform services (secrets, telemetry) are not theirs.
  const reached: DataAsset[] = [];
  for (const f of view.flowsFrom(c.id)) {
    if (isManagementPlane(f.to) || f.flow.purpose === 'telemetry') continue;
    for (const d of view.stored(f.to.id)) reached.push(d);
    for (const d of f.data) reached.push(d);
  }
  // Distinct by id, in order of first occurrence (one asset object per id).
  const sensitive: DataAsset[] = [];
  for (const d of held) if (isSensitive(d) && !sensitive.includes(d)) sensitive.push(d);
  for (const d of reached) if (isSensitive(d) && !sensitive.includes(d)) sensitive.push(d);
  if (!changes && sensitive.length === 0) return undefined;
  const confirmedPath = strict[1].has(c.id);
  const path = pathOf(confirmedPath ? strict : lenient, c.id);
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
  return {
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
    const assumers = new Set<string>();
    // Indexed loops: a for-of loop allocates a result object per element until the code is optimised.
    const components = view.components;
    for (let i = 0; i < components.length; i++) {
      const c = components[i] as Component;
      if (c.assumes?.includes('caller-authorized-upstream')) assumers.add(c.id);
    }
    const edgeStrict = authenticatedPaths(view, isPassThrough, true);
    const edgeLenient = authenticatedPaths(view, isPassThrough, false);
    const anyStrict = assumers.size > 0 ? authenticatedPaths(view, () => true, true) : NO_PATHS;
    const anyLenient = assumers.size > 0 ? authenticatedPaths(view, () => true, false) : NO_PATHS;
    for (let i = 0; i < components.length; i++) {
      const c = components[i] as Component;
      const assumes = assumers.size > 0 && assumers.has(c.id);
      // A public component is an entry point itself: its own callers are what count. Whether an
      // authenticated path reaches the component is one lookup, asked before the judgement.
      if (!(assumes ? anyLenient : edgeLenient)[1].get(c.id)) continue;
      if (!judged(view, c)) continue;
      const draft = assumes
        ? draftFor(view, c, true, anyStrict, anyLenient)
        : draftFor(view, c, false, edgeStrict, edgeLenient);
      if (draft !== undefined) yield draft;
    }
  },
});
