/**
 * From what the text said to the canonical model: quantifiers resolved ("all services run in ..."),
 * people put on the internet, third parties in their own boundaries, each component in its deepest
 * boundary, facts about "every call into X" given to those flows, ids made unique, every element given
 * its `source`, and questions asked for the facts that matter and were not stated.
 */
import { protocolEncryption } from '../../model/protocols.js';
import type {
  Assumption,
  Boundary,
  Component,
  DataAsset,
  Flow,
  Identity,
  ModelFile,
  Question,
  Source,
} from '../../model/schema.js';
import {
  type Action,
  CONTROLS,
  type ComponentKind,
  type Control,
  SENSITIVE_CLASSIFICATIONS,
} from '../../model/vocabulary.js';
import type { Context } from './context.js';
import { type Draft, DraftBoundary, type DraftComponent, type DraftFlow, type Origin } from './draft.js';
import { boundaryDepth } from './mentions.js';
import { componentIdFrom, slug } from './names.js';

const PASS_THROUGH = new Set<ComponentKind>(['gateway', 'load-balancer', 'cdn', 'waf']);
const CLIENTS = new Set<ComponentKind>(['user', 'web-client', 'mobile-app']);
const STORES = new Set<ComponentKind>([
  'datastore',
  'object-store',
  'cache',
  'search',
  'queue',
  'stream',
  'secret-store',
]);
const EXPOSURE_MATTERS = new Set<ComponentKind>([
  'datastore',
  'object-store',
  'cache',
  'search',
  'secret-store',
  'container-platform',
  'ci-cd',
  'monitoring',
  'registry',
  'repository',
]);
/** Protocols and their encrypted variants, so a stated encryption and the protocol never disagree. */
const TLS_VARIANT: Record<string, string> = {
  http: 'https',
  grpc: 'grpcs',
  ws: 'wss',
  amqp: 'amqps',
  mqtt: 'mqtts',
  ldap: 'ldaps',
  redis: 'rediss',
  ftp: 'ftps',
  smtp: 'smtps',
  imap: 'imaps',
  pop3: 'pop3s',
  'kafka-plaintext': 'kafka-tls',
};
const PLAIN_VARIANT: Record<string, string> = Object.fromEntries(
  Object.entries(TLS_VARIANT).map(([a, b]) => [b, a]),
);

export interface BuildOptions {
  name: string;
  /** Flow facts about every service ("all services ship logs to X"). */
  quantifiedFlows: {
    who: 'services' | 'everything';
    to: DraftComponent[];
    flows?: DraftFlow[];
    sense: { actions?: readonly Action[]; purpose?: DraftFlow['purpose'] };
    origin: Origin;
  }[];
  /** Components of other inputs (YAML models): referenced by id, not written. */
  externalIds: ReadonlyMap<DraftComponent, string>;
}

const source = (o: Origin): Source => ({
  file: o.file,
  line: o.line,
  col: o.col,
  text: o.text,
  origin: 'english',
});

export function buildModel(draft: Draft, ctx: Context, options: BuildOptions): ModelFile {
  const internal = draft.components.filter((c) => !options.externalIds.has(c));
  resolveQuantified(draft, ctx, options);
  nestPlacements(draft);
  redirectBehind(draft);

  // People and their clients are on the internet.
  let internet: DraftBoundary | undefined;
  const needsInternet =
    draft.components.some((c) => CLIENTS.has(c.kind)) || draft.flows.some((f) => f.via === 'internet');
  if (needsInternet) {
    internet = new DraftBoundary(
      0,
      'internet',
      'Internet',
      'internet',
      draft.components[0]?.origin ?? ctx.origin,
    );
  }
  // Third parties in boundaries of their own.
  const thirdParties = new Map<string, DraftBoundary>();
  for (const c of internal) {
    if (!c.saas || c.placements.length > 0) continue;
    let b = thirdParties.get(c.saas);
    if (!b) {
      b = new DraftBoundary(
        0,
        'third-party',
        `${[...c.names.keys()][0] ?? c.saas} (third party)`,
        `third-party-${c.saas}`,
        c.origin,
      );
      b.provider = c.saas;
      thirdParties.set(c.saas, b);
    }
    c.placements.push({ boundary: b, order: 0 });
  }

  const used = new Set<string>();
  const unique = (wanted: string) => {
    let id = wanted;
    for (let n = 2; used.has(id); n++) id = `${wanted}-${n}`;
    used.add(id);
    return id;
  };
  for (const id of options.externalIds.values()) used.add(id);

  // Boundaries: the ones the text named, then the internet and third parties.
  const allBoundaries = [...draft.boundaries, ...(internet ? [internet] : []), ...thirdParties.values()];
  const boundaryIds = new Map<DraftBoundary, string>();
  for (const b of allBoundaries) {
    if (b.parent && (boundaryDepth(b.parent.kind) >= boundaryDepth(b.kind) || reaches(b.parent, b)))
      b.parent = undefined;
  }
  const placedBoundaries = new Set<DraftBoundary>();
  const mark = (b: DraftBoundary | undefined) => {
    for (let x = b; x; x = x.parent) placedBoundaries.add(x);
  };
  for (const c of draft.components) mark(placement(c));
  if (internet) placedBoundaries.add(internet);
  for (const b of draft.boundaries) placedBoundaries.add(b);
  for (const b of allBoundaries) {
    if (!placedBoundaries.has(b)) continue;
    boundaryIds.set(b, unique(b.givenId ?? slug(b.name)));
  }

  // Components.
  const componentIds = new Map<DraftComponent, string>(options.externalIds);
  for (const c of internal) componentIds.set(c, unique(componentIdFrom(displayName(c))));

  // Identities.
  const identityIds = new Map<unknown, string>();
  for (const i of draft.identities) identityIds.set(i, unique(i.givenId ?? slug(i.name)));

  // Flows from people, with facts about every call into a component.
  for (const f of draft.flows) {
    const from = f.from;
    const to = f.to;
    if (CLIENTS.has(from.kind) && from.inboundAuthn && f.authn === undefined) f.authn = from.inboundAuthn;
    if (to.inboundAuthn && f.authn === undefined && !CLIENTS.has(to.kind)) f.authn = to.inboundAuthn;
    if (to.inboundEncrypted !== undefined && f.encrypted === undefined) f.encrypted = to.inboundEncrypted;
    if (to.inboundVia && f.via === undefined && CLIENTS.has(from.kind)) f.via = to.inboundVia;
    if (f.via === undefined && CLIENTS.has(from.kind) && !CLIENTS.has(to.kind)) f.via = 'internet';
  }
  // What a store holds: data written into it, and everything its source holds when replicated or backed up.
  for (const f of draft.flows) {
    if (!STORES.has(f.to.kind)) continue;
    const writes =
      f.actions.has('write') ||
      f.actions.has('publish') ||
      f.purpose === 'replication' ||
      f.purpose === 'backup';
    if (writes) for (const d of f.data) f.to.stores.add(d);
  }
  for (let pass = 0; pass < 3; pass++) {
    for (const f of draft.flows) {
      if (f.purpose === 'replication' || f.purpose === 'backup')
        for (const d of f.from.stores) f.to.stores.add(d);
    }
  }

  const classified = draft.data.filter((d) => d.classification !== undefined);
  const dataIds = new Map<unknown, string>();
  for (const d of classified) dataIds.set(d, unique(d.key));

  const boundaries: Boundary[] = [];
  for (const b of allBoundaries) {
    const id = boundaryIds.get(b);
    if (!id) continue;
    const out: Boundary = { id, kind: b.kind };
    const parent = b.parent ? boundaryIds.get(b.parent) : undefined;
    if (parent) out.in = parent;
    if (b.provider && ['cloud-account', 'region', 'third-party', 'cluster'].includes(b.kind))
      out.provider = b.provider;
    if (b.jurisdiction) out.jurisdiction = b.jurisdiction;
    if (b.name !== id) out.name = b.name;
    out.source = source(b.origin);
    boundaries.push(out);
  }

  const components: Component[] = [];
  for (const c of internal) {
    const id = componentIds.get(c) as string;
    const kind = c.kind;
    const out: Component = { id, kind };
    const name = displayName(c);
    if (name !== id) out.name = name;
    if (c.tech) out.tech = c.tech;
    let where = placement(c);
    if (CLIENTS.has(kind) && internet && !where) where = internet;
    const inId = where ? boundaryIds.get(where) : undefined;
    if (inId) out.in = inId;
    if (c.environment) out.environment = c.environment;
    if (c.exposure) out.exposure = c.exposure;
    const present = [...c.controls.present];
    if (kind === 'waf' && !present.includes('waf')) present.push('waf');
    const stated = present.length > 0 || c.controls.absent.size > 0 || c.controls.complete;
    if (stated) {
      const list = sortControls(present);
      if (PASS_THROUGH.has(kind)) out.enforces = list;
      else out.controls = list;
    }
    if (c.assumes.size > 0) out.assumes = [...c.assumes];
    const stores = [...c.stores].filter((d) => dataIds.has(d)).map((d) => dataIds.get(d) as string);
    if (stores.length > 0) out.stores = [...new Set(stores)];
    if (c.encryptedAtRest !== undefined) out['encrypted-at-rest'] = c.encryptedAtRest;
    if (c.privileged !== undefined) out.privileged = c.privileged;
    if (c.fetchesUrls !== undefined) out['fetches-urls'] = c.fetchesUrls;
    if (c.secretsIn.size > 0) out['secrets-in'] = [...c.secretsIn];
    if (c.replicas !== undefined) out.replicas = c.replicas;
    if (c.runsAs) out['runs-as'] = identityIds.get(c.runsAs) as string;
    out.source = source(c.origin);
    components.push(out);
  }

  const identities: Identity[] = [];
  for (const i of draft.identities) {
    const runners = draft.components.filter((c) => c.runsAs === i);
    const kind =
      i.kind ??
      (runners.some((c) => c.kind === 'ci-cd')
        ? 'ci-role'
        : runners.some((c) => c.kind === 'user')
          ? 'human-user'
          : 'service-role');
    const out: Identity = { id: identityIds.get(i) as string, kind };
    if (i.name !== out.id) out.name = i.name;
    if (i.credentials) out.credentials = i.credentials;
    const grants = i.grants
      .map((g) => {
        const resource = g.resource === '*' ? '*' : componentIds.get(g.resource);
        if (!resource) return undefined;
        const actions = g.actions.has('*') ? ['*' as const] : [...g.actions];
        return { resource, actions, ...(g.scope ? { scope: g.scope } : {}) };
      })
      .filter((g): g is NonNullable<typeof g> => g !== undefined);
    if (grants.length > 0) out.grants = grants;
    out.source = source(i.origin);
    identities.push(out);
  }

  const data: DataAsset[] = classified.map((d) => ({
    id: dataIds.get(d) as string,
    classification: d.classification as NonNullable<typeof d.classification>,
    ...(d.name !== dataIds.get(d) ? { name: d.name } : {}),
    source: source(d.origin),
  }));

  const flows: Flow[] = [];
  const flowIds = new Map<DraftFlow, string>();
  for (const f of draft.flows) {
    const from = componentIds.get(f.from);
    const to = componentIds.get(f.to);
    if (!from || !to || from === to) continue;
    const out: Flow = { from, to };
    let protocol = f.protocol;
    if (protocol && f.encrypted === true && TLS_VARIANT[protocol]) protocol = TLS_VARIANT[protocol];
    if (protocol && f.encrypted === false && PLAIN_VARIANT[protocol]) protocol = PLAIN_VARIANT[protocol];
    if (protocol) out.protocol = protocol;
    const implied = protocolEncryption(protocol);
    if (f.encrypted !== undefined && f.encrypted !== implied) out.encrypted = f.encrypted;
    if (f.authn) out.authn = f.authn;
    if (f.actions.size > 0) out.actions = [...f.actions];
    if (f.scope.size > 0) out.scope = [...f.scope];
    if (f.purpose) out.purpose = f.purpose;
    if (f.via) out.via = f.via;
    const carried = [...f.data].filter((d) => dataIds.has(d)).map((d) => dataIds.get(d) as string);
    if (carried.length > 0) out.data = [...new Set(carried)];
    out.source = source(f.origin);
    flows.push(out);
    flowIds.set(f, `${from}->${to}`);
  }

  const assumptions: Assumption[] = [];
  for (const c of internal) {
    for (const a of c.assumptionOrigins) {
      assumptions.push({
        id: unique(`${componentIds.get(c)}-assumes-${a.assumption}`),
        text: a.origin.text,
        source: source(a.origin),
      });
    }
  }

  const questions = askQuestions(draft, internal, componentIds, flowIds, dataIds);

  const model: ModelFile = { threatkrew: 1, name: options.name };
  if (boundaries.length > 0) model.boundaries = boundaries;
  if (components.length > 0) model.components = components;
  if (identities.length > 0) model.identities = identities;
  if (data.length > 0) model.data = data;
  if (flows.length > 0) model.flows = flows;
  if (assumptions.length > 0) model.assumptions = assumptions;
  if (questions.length > 0) model.questions = questions;
  return model;
}

function reaches(from: DraftBoundary, target: DraftBoundary): boolean {
  let n = 0;
  for (let b: DraftBoundary | undefined = from; b && n < 64; b = b.parent, n++) if (b === target) return true;
  return false;
}

function sortControls(list: Control[]): Control[] {
  return [...new Set(list)].sort((a, b) => CONTROLS.indexOf(a) - CONTROLS.indexOf(b));
}

/** The name the text uses most for a component (ties: the first it used). */
export function displayName(c: DraftComponent): string {
  let best = '';
  let n = -1;
  for (const [name, count] of c.names) {
    if (count > n) {
      best = name;
      n = count;
    }
  }
  return best || `component-${c.no}`;
}

/** The deepest boundary a component was placed in (ties: the first stated). */
function placement(c: DraftComponent): DraftBoundary | undefined {
  let best: DraftBoundary | undefined;
  for (const { boundary } of c.placements) {
    if (!best) {
      best = boundary;
      continue;
    }
    if (reaches(boundary, best)) best = boundary;
    else if (!reaches(best, boundary) && boundaryDepth(boundary.kind) > boundaryDepth(best.kind))
      best = boundary;
  }
  return best;
}

function resolveQuantified(draft: Draft, ctx: Context, options: BuildOptions): void {
  const pick = (who: 'services' | 'everything', file: string) =>
    draft.components.filter(
      (c) =>
        c.origin.file === file &&
        !options.externalIds.has(c) &&
        !CLIENTS.has(c.kind) &&
        !c.saas &&
        c.kind !== 'external-service' &&
        (who === 'everything' || c.kind === 'service' || c.kind === 'function'),
    );
  for (const q of ctx.quantified) {
    for (const c of pick(q.who, q.file)) {
      const current = placement(c);
      if (current && reaches(current, q.boundary)) continue;
      if (
        current &&
        !reaches(q.boundary, current) &&
        boundaryDepth(current.kind) >= boundaryDepth(q.boundary.kind)
      ) {
        // A component already in a deeper boundary elsewhere: nest that boundary in this one when it has no parent.
        if (!current.parent && boundaryDepth(current.kind) > boundaryDepth(q.boundary.kind))
          current.parent = q.boundary;
        continue;
      }
      c.placements.push({ boundary: q.boundary, order: -1 });
    }
  }
  for (const q of options.quantifiedFlows) {
    for (const c of pick(q.who, q.origin.file)) {
      for (const to of q.to) {
        if (c === to) continue;
        const f = draft.flow(c, to, q.origin);
        for (const a of q.sense.actions ?? []) f.actions.add(a);
        if (q.sense.purpose) f.purpose ??= q.sense.purpose;
      }
    }
  }
}

/**
 * A component said to be in two boundaries that the text never nested ("same box" and "the private
 * network"): the narrower one, if it has no parent yet, lies inside the wider one.
 */
function nestPlacements(draft: Draft): void {
  for (const c of draft.components) {
    const bs = [...new Set(c.placements.map((p) => p.boundary))].sort(
      (a, b) => boundaryDepth(b.kind) - boundaryDepth(a.kind),
    );
    for (let i = 0; i < bs.length; i++) {
      const inner = bs[i] as DraftBoundary;
      if (inner.parent) continue;
      const outer = bs
        .slice(i + 1)
        .find((o) => boundaryDepth(o.kind) < boundaryDepth(inner.kind) && !reaches(o, inner));
      if (outer) inner.parent = outer;
    }
  }
}

/** Internet traffic to a component behind a gateway enters through the gateway ("X is behind Kong"). */
function redirectBehind(draft: Draft): void {
  for (const c of draft.components) {
    const front = c.fronts.find((f) => f !== c);
    if (!front) continue;
    for (const f of [...draft.flows]) {
      if (f.to !== c || f.from === front || !CLIENTS.has(f.from.kind)) continue;
      const moved = draft.flow(f.from, front, f.origin);
      moved.authn ??= f.authn;
      moved.encrypted ??= f.encrypted;
      moved.protocol ??= f.protocol;
      moved.via ??= f.via;
      for (const a of f.actions) moved.actions.add(a);
      for (const d of f.data) moved.data.add(d);
      draft.flows.splice(draft.flows.indexOf(f), 1);
      draft.flow(front, c, f.origin);
    }
  }
}

/**
 * A question's id. `<subject>#<attribute>` (the engine's key) is not a valid written id, so the model
 * writes `q-<subject>-<attribute>` (a flow's `->` as `-to-`); the engine matches questions by subject
 * and attribute, so it keeps these instead of asking again.
 */
export function questionId(subject: string, attribute: string): string {
  return `q-${subject.replace(/->/g, '-to-')}-${attribute}`.slice(0, 128);
}

function askQuestions(
  draft: Draft,
  internal: readonly DraftComponent[],
  componentIds: ReadonlyMap<DraftComponent, string>,
  flowIds: ReadonlyMap<DraftFlow, string>,
  dataIds: ReadonlyMap<unknown, string>,
): Question[] {
  const out: Question[] = [];
  const label = (c: DraftComponent) => displayName(c);
  for (const f of draft.flows) {
    const id = flowIds.get(f);
    if (!id) continue;
    const protocol = f.protocol;
    if (f.encrypted === undefined && protocolEncryption(protocol) === 'unknown') {
      out.push({
        id: questionId(id, 'encrypted'),
        subject: id,
        attribute: 'encrypted',
        text: `Is the flow from ${label(f.from)} to ${label(f.to)} encrypted?`,
        source: source(f.origin),
      });
    }
    if (f.authn === undefined && !CLIENTS.has(f.to.kind)) {
      out.push({
        id: questionId(id, 'authn'),
        subject: id,
        attribute: 'authn',
        text: `How does ${label(f.from)} authenticate to ${label(f.to)} (or is the flow unauthenticated)?`,
        source: source(f.origin),
      });
    }
  }
  for (const c of internal) {
    const id = componentIds.get(c) as string;
    const sensitive = [...c.stores].some(
      (d) => dataIds.has(d) && d.classification && SENSITIVE_CLASSIFICATIONS.has(d.classification),
    );
    if (sensitive && c.encryptedAtRest === undefined && STORES.has(c.kind)) {
      out.push({
        id: questionId(id, 'encrypted-at-rest'),
        subject: id,
        attribute: 'encrypted-at-rest',
        text: `Is ${label(c)} encrypted at rest? It holds sensitive data.`,
        source: source(c.origin),
      });
    }
    const fromInternet = draft.flows.some((f) => f.to === c && CLIENTS.has(f.from.kind));
    if (c.exposure === undefined && EXPOSURE_MATTERS.has(c.kind) && !fromInternet && !c.saas) {
      out.push({
        id: questionId(id, 'exposure'),
        subject: id,
        attribute: 'exposure',
        text: `Is ${label(c)} reachable from the internet, or only from inside?`,
        source: source(c.origin),
      });
    }
  }
  return out;
}
