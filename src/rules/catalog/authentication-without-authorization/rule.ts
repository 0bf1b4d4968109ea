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
import { type FlowFacts, nameOf, type View } from '../../../model/view.js';
import type { Action } from '../../../model/vocabulary.js';
import { type Draft, defineRule, type Impact, type Unknown } from '../../define-rule.js';
import { dataImpact, dataList, maxImpact } from '../../factors.js';
import { statedAuthn } from '../../shared/evidence.js';
import { listText } from '../../shared/text.js';

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
  // The frontier holds the components themselves (flows point to them): no lookup by id per state.
  let comps: Component[] = [];
  let authed: boolean[] = [];
  const entries = view.entryPoints;
  for (let i = 0; i < entries.length; i++) {
    const c = entries[i] as Component;
    reached[0].set(c.id, null);
    comps.push(c);
    authed.push(false);
  }
  while (comps.length > 0) {
    const nextComps: Component[] = [];
    const nextAuthed: boolean[] = [];
    for (let i = 0; i < comps.length; i++) {
      const c = comps[i] as Component;
      const id = c.id;
      const a = authed[i] as boolean;
      const source = view.isInternetSource(id);
      if (!through(c) && !(source && reached[a ? 1 : 0].get(id) === null)) continue;
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
        nextComps.push(f.to);
        nextAuthed.push(now);
      }
    }
    comps = nextComps;
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

/** The verbs ("change", "delete", "administer") of the actions of the flows into a component. */
function verbsOf(inbound: readonly FlowFacts[]): string[] {
  const verbs: string[] = [];
  for (let i = 0; i < inbound.length; i++) {
    const actions = (inbound[i] as FlowFacts).flow.actions;
    if (actions === undefined) continue;
    for (let j = 0; j < actions.length; j++) {
      const v = VERBS[actions[j] as string];
      if (v !== undefined && !verbs.includes(v)) verbs.push(v);
    }
  }
  return verbs;
}

/** Adds the sensitive assets of `data` not yet in `out` (one asset object per id: distinct by id). */
function addSensitive(data: readonly DataAsset[], out: DataAsset[]): void {
  for (let i = 0; i < data.length; i++) {
    const d = data[i] as DataAsset;
    if (isSensitive(d) && !out.includes(d)) out.push(d);
  }
}

/**
 * The flows from a component to where users' data lives: the stores it calls (platform services,
 * secrets and telemetry, are not theirs).
 */
const reachesUserData = (f: FlowFacts) => !isManagementPlane(f.to) && f.flow.purpose !== 'telemetry';

/**
 * The finding for a judged component that an authenticated path reaches, or undefined when it neither
 * accepts changes nor holds or reaches sensitive data. The rejection comes first and builds no list
 * but the (usually short) verbs and sensitive data; the draft is made by `buildDraft`.
 */
function draftFor(
  view: View,
  c: Component,
  assumes: boolean,
  strict: Reached,
  lenient: Reached,
): Draft | undefined {
  const inbound = view.flowsTo(c.id);
  const verbs = verbsOf(inbound);
  const held = view.stored(c.id);
  // Distinct by id, in order of first occurrence: what it holds, then per flow out what the store at
  // the other end holds and what the flow carries.
  const sensitive: DataAsset[] = [];
  addSensitive(held, sensitive);
  const out = view.flowsFrom(c.id);
  for (let i = 0; i < out.length; i++) {
    const f = out[i] as FlowFacts;
    if (!reachesUserData(f)) continue;
    addSensitive(view.stored(f.to.id), sensitive);
    addSensitive(f.data, sensitive);
  }
  if (verbs.length === 0 && sensitive.length === 0) return undefined;
  return buildDraft(view, c, assumes, strict, lenient, inbound, verbs, sensitive);
}

/** The impact of the data a component reaches through its flows out (as `dataImpact` of them all). */
function reachedImpact(view: View, c: Component): Impact {
  let impact: Impact = 'low';
  const out = view.flowsFrom(c.id);
  for (let i = 0; i < out.length; i++) {
    const f = out[i] as FlowFacts;
    if (!reachesUserData(f)) continue;
    impact = dataImpact(f.data, dataImpact(view.stored(f.to.id), impact));
  }
  return impact;
}

function buildDraft(
  view: View,
  c: Component,
  assumes: boolean,
  strict: Reached,
  lenient: Reached,
  inbound: readonly FlowFacts[],
  verbs: readonly string[],
  sensitive: readonly DataAsset[],
): Draft {
  const changes = verbs.length > 0;
  const confirmedPath = strict[1].has(c.id);
  const path = pathOf(confirmedPath ? strict : lenient, c.id);
  const unknowns: Unknown[] = [];
  if (appliesControl(c, 'authorization') === 'unknown')
    unknowns.push({ subject: c.id, attribute: 'controls' });
  if (!confirmedPath) {
    for (let i = 1; i < path.length; i++) {
      const hop = (path[i] as FlowFacts).from;
      if (hopAuthorizes(hop) === 'unknown')
        unknowns.push({ subject: hop.id, attribute: isPassThrough(hop) ? 'enforces' : 'controls' });
    }
  }
  const confirmed = unknowns.length === 0;
  const nodes = [path[0]?.from.id ?? c.id];
  const gateways: string[] = [];
  const subjects: string[] = [];
  const evidence: string[] = [];
  if (assumes) evidence.push(`${c.id} assumes: caller-authorized-upstream`);
  for (let i = 0; i < path.length; i++) {
    const f = path[i] as FlowFacts;
    nodes.push(f.to.id);
    if (isPassThrough(f.from)) gateways.push(nameOf(f.from));
    subjects.push(f.id, f.from.id);
    evidence.push(`flow ${f.id}: authn ${statedAuthn(f)}`);
  }
  for (let i = 0; i < sensitive.length; i++) subjects.push((sensitive[i] as DataAsset).id);
  for (let i = 1; i < path.length; i++) {
    const h = (path[i] as FlowFacts).from;
    evidence.push(
      isPassThrough(h)
        ? `${h.id} enforces: ${listText(h.enforces)}`
        : `${h.id} controls: ${listText(h.controls)}`,
    );
  }
  evidence.push(
    listsUnstated(c)
      ? `${c.id} does not state its controls`
      : `${c.id} controls: [${(c.controls ?? []).join(', ')}] (no authorization)`,
  );
  if (changes) evidence.push(`${c.id} accepts ${acceptedActions(inbound)} actions`);
  const held = view.stored(c.id);
  const data = sensitive.length > 0 ? dataList(sensitive) : '';
  if (sensitive.length > 0) evidence.push(`${c.id} holds or reaches ${data}`);
  const changeText = changes ? `${verbs.join(' or ')} other users’ objects` : '';
  const readText = sensitive.length > 0 ? `read other users’ records among ${data}` : '';
  const draft: Draft = {
    messageId: assumes ? 'brokenAssumption' : 'unauthorized',
    primary: [c.id],
    subjects,
    likelihood: 'likely',
    impact: maxImpact(changes ? 'medium' : 'low', dataImpact(held), reachedImpact(view, c)),
    confidence: confirmed ? 'confirmed' : 'assumed',
    data: {
      component: nameOf(c),
      path: nodes.join(' → '),
      can: changeText !== '' && readText !== '' ? `${changeText} and ${readText}` : changeText + readText,
      gateway: gateways.length > 0 ? ` (${gateways.join(', ')})` : '',
    },
    evidence,
  };
  if (!confirmed) draft.unknowns = unknowns;
  return draft;
}

/** "write, admin": the actions of VERBS, in its order, that some flow into the component states. */
function acceptedActions(inbound: readonly FlowFacts[]): string {
  const names: string[] = [];
  for (const a of Object.keys(VERBS)) {
    for (let i = 0; i < inbound.length; i++) {
      if ((inbound[i] as FlowFacts).flow.actions?.includes(a as Action)) {
        names.push(a);
        break;
      }
    }
  }
  return names.join(', ');
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
