/**
 * The data-flow graph that every diagram format draws (DESIGN §1: reporters draw from the Analysis).
 * Renderer-neutral: trust boundaries as nested clusters, components as nodes with a shape category,
 * flows as edges marked for encryption and authentication, everything coloured by the worst open
 * finding that touches it, and a legend. Every list is sorted by id, so the output of a renderer is
 * byte-identical for identical input. Above `COLLAPSE_ABOVE` components the graph shows one node per
 * top-level boundary, with flows aggregated between them, unless `full` is asked for.
 */
import type { Analysis, Finding } from '../../engine/analysis.js';
import { SEVERITIES, type Severity, severityRank } from '../../engine/severity.js';
import type { Boundary, Component } from '../../model/schema.js';
import type { FlowFacts } from '../../model/view.js';

export interface DiagramOptions {
  /** Draw every component even above `COLLAPSE_ABOVE` components. */
  full?: boolean;
}

/** More components than this collapse to one node per top-level boundary (unless `full`). */
export const COLLAPSE_ABOVE = 300;

/**
 * Boundaries nested deeper than this are drawn as part of their ancestor at this depth (Graphviz in
 * WebAssembly runs out of stack near 200 nested clusters; real models nest far less).
 */
export const MAX_CLUSTER_DEPTH = 32;

/** The node shapes, by what a component is; `group` is a collapsed boundary. */
export const NODE_CATEGORIES = [
  'person',
  'client',
  'service',
  'function',
  'store',
  'queue',
  'gateway',
  'external',
  'llm',
  'platform',
  'group',
] as const;
export type NodeCategory = (typeof NODE_CATEGORIES)[number];

/** What each shape stands for, in the legend. */
export const CATEGORY_LABELS: Readonly<Record<NodeCategory, string>> = {
  person: 'person',
  client: 'web or mobile client',
  service: 'service',
  function: 'function',
  store: 'datastore, bucket, cache, search',
  queue: 'queue or stream',
  gateway: 'gateway, load balancer, CDN, WAF',
  external: 'external service',
  llm: 'LLM',
  platform: 'identity, secrets, CI/CD, monitoring',
  group: 'boundary (collapsed)',
};

const CATEGORY_OF_KIND: Readonly<Record<string, NodeCategory>> = {
  user: 'person',
  'web-client': 'client',
  'mobile-app': 'client',
  service: 'service',
  function: 'function',
  datastore: 'store',
  'object-store': 'store',
  cache: 'store',
  search: 'store',
  queue: 'queue',
  stream: 'queue',
  gateway: 'gateway',
  'load-balancer': 'gateway',
  cdn: 'gateway',
  waf: 'gateway',
  'external-service': 'external',
  llm: 'llm',
  'identity-provider': 'platform',
  'secret-store': 'platform',
  'ci-cd': 'platform',
  repository: 'platform',
  registry: 'platform',
  monitoring: 'platform',
  'container-platform': 'platform',
};

/** The shape category of a component kind (an unknown kind is drawn as a service). */
export function categoryOf(kind: string): NodeCategory {
  return CATEGORY_OF_KIND[kind] ?? 'service';
}

/** How a flow (or every flow of an aggregated edge) is protected in transit. */
export type Encryption = 'encrypted' | 'unencrypted' | 'unknown';

export interface DiagramNode {
  /** A component id; in a collapsed graph, a top-level boundary id or `UNPLACED_ID`. */
  readonly id: string;
  readonly label: string;
  /** Kind and technology, or (collapsed) how many components the node stands for. */
  readonly detail: string;
  readonly category: NodeCategory;
  /** The worst open finding that touches the node. */
  readonly severity: Severity | undefined;
  /** How many open findings touch it. */
  readonly findings: number;
}

export interface DiagramCluster {
  readonly id: string;
  /** Position in the depth-first order of clusters: renderers name the cluster `cluster_<index>`. */
  readonly index: number;
  readonly label: string;
  /** The boundary kind (open: an odd model may carry any string). */
  readonly kind: string;
  readonly depth: number;
  /** The worst open finding that names the boundary. */
  readonly severity: Severity | undefined;
  readonly clusters: readonly DiagramCluster[];
  /** Ids of the nodes directly inside, sorted. */
  readonly nodes: readonly string[];
}

export interface DiagramEdge {
  /** A flow id; in a collapsed graph `<from>-><to>` of the two groups. */
  readonly id: string;
  readonly from: string;
  readonly to: string;
  readonly label: string;
  /** The weakest of the flows it stands for: unencrypted, then unknown, then encrypted. */
  readonly encryption: Encryption;
  /** At least one of its flows has `authn: none`. */
  readonly unauthenticated: boolean;
  readonly severity: Severity | undefined;
  /** How many flows it stands for (1 unless collapsed). */
  readonly flows: number;
}

export interface LegendEdge {
  readonly label: string;
  readonly encryption: Encryption;
  readonly unauthenticated: boolean;
}

export interface Legend {
  /** The shapes the diagram uses, in `NODE_CATEGORIES` order. */
  readonly categories: readonly NodeCategory[];
  readonly severities: readonly Severity[];
  readonly edges: readonly LegendEdge[];
}

export interface DiagramGraph {
  readonly title: string;
  /** Counts of components, flows and open findings; says so when the graph is collapsed. */
  readonly subtitle: string;
  readonly collapsed: boolean;
  /** Every node, sorted by id. */
  readonly nodes: readonly DiagramNode[];
  /** Top-level clusters, sorted by id (children likewise). */
  readonly clusters: readonly DiagramCluster[];
  /** Ids of the nodes outside every cluster, sorted. */
  readonly looseNodes: readonly string[];
  /** Sorted by from, to, id. */
  readonly edges: readonly DiagramEdge[];
  readonly legend: Legend;
}

/** The id of the collapsed node for components outside every boundary (`~` is never in a written id). */
export const UNPLACED_ID = '~unplaced';

const LEGEND_EDGES: readonly LegendEdge[] = [
  { label: 'encrypted', encryption: 'encrypted', unauthenticated: false },
  { label: 'unencrypted', encryption: 'unencrypted', unauthenticated: false },
  { label: 'encryption unknown', encryption: 'unknown', unauthenticated: false },
  { label: 'no authentication (authn: none)', encryption: 'encrypted', unauthenticated: true },
];

export const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** The more severe of two severities (undefined is below every severity). */
export function worse(a: Severity | undefined, b: Severity | undefined): Severity | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return severityRank(a) <= severityRank(b) ? a : b;
}

/** One line of display text: control characters become spaces, long text is cut with an ellipsis. */
export function displayText(text: string, max = 60): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what we remove
  const flat = text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g, ' ').trim();
  const chars = [...flat];
  return chars.length > max ? `${chars.slice(0, max - 1).join('')}…` : flat;
}

function encryptionOf(f: FlowFacts): Encryption {
  return f.encrypted === true ? 'encrypted' : f.encrypted === false ? 'unencrypted' : 'unknown';
}

function weakest(a: Encryption, b: Encryption): Encryption {
  if (a === 'unencrypted' || b === 'unencrypted') return 'unencrypted';
  if (a === 'unknown' || b === 'unknown') return 'unknown';
  return 'encrypted';
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** Open findings by the components, flows and boundaries they touch. */
interface Touches {
  components: Map<string, Finding[]>;
  flows: Map<string, Finding[]>;
  boundaries: Map<string, Finding[]>;
}

function touches(findings: readonly Finding[]): Touches {
  const t: Touches = { components: new Map(), flows: new Map(), boundaries: new Map() };
  const add = (map: Map<string, Finding[]>, ids: Iterable<string>, f: Finding) => {
    for (const id of new Set(ids)) {
      const list = map.get(id);
      if (list) list.push(f);
      else map.set(id, [f]);
    }
  };
  for (const f of findings) {
    if (f.status !== 'open') continue;
    const primary = f.primary ?? [];
    add(t.components, [...primary, ...(f.subjects?.components ?? [])], f);
    add(t.flows, [...primary, ...(f.subjects?.flows ?? [])], f);
    add(t.boundaries, [...primary, ...(f.subjects?.boundaries ?? [])], f);
  }
  return t;
}

function worstOf(findings: Iterable<Finding>): Severity | undefined {
  let s: Severity | undefined;
  for (const f of findings) s = worse(s, f.severity);
  return s;
}

/** Boundaries (deduplicated by id, sorted) with a parent that never makes a cycle. */
function boundaryTree(boundaries: readonly Boundary[]): {
  byId: Map<string, Boundary>;
  parent: Map<string, string | undefined>;
} {
  const byId = new Map<string, Boundary>();
  for (const b of [...boundaries].sort((x, y) => cmp(x.id, y.id))) if (!byId.has(b.id)) byId.set(b.id, b);
  const parent = new Map<string, string | undefined>();
  for (const b of byId.values()) {
    const p = b.in !== undefined && byId.has(b.in) ? b.in : undefined;
    parent.set(b.id, p);
  }
  // Break any cycle of `in` (an invalid model, but a diagram never throws): a boundary whose chain of
  // parents comes back to it becomes a top-level boundary.
  for (const id of byId.keys()) {
    const seen = new Set<string>([id]);
    let cur = parent.get(id);
    while (cur !== undefined) {
      if (seen.has(cur)) {
        if (cur === id) parent.set(id, undefined);
        break;
      }
      seen.add(cur);
      cur = parent.get(cur);
    }
  }
  return { byId, parent };
}

/**
 * The boundary a component in `boundaryId` is drawn in: the boundary itself, or its ancestor at the
 * deepest drawn level when it nests deeper than `MAX_CLUSTER_DEPTH`.
 */
function drawnBoundary(parent: Map<string, string | undefined>, boundaryId: string): string {
  const chain: string[] = [];
  const seen = new Set<string>();
  for (let cur: string | undefined = boundaryId; cur !== undefined && !seen.has(cur); cur = parent.get(cur)) {
    seen.add(cur);
    chain.push(cur);
  }
  return chain.length > MAX_CLUSTER_DEPTH ? (chain[chain.length - MAX_CLUSTER_DEPTH] as string) : boundaryId;
}

function topLevel(parent: Map<string, string | undefined>, id: string): string {
  let cur = id;
  const seen = new Set<string>();
  for (;;) {
    seen.add(cur);
    const p = parent.get(cur);
    if (p === undefined || seen.has(p)) return cur;
    cur = p;
  }
}

/** The display name (else the id) as one line; never empty. */
function labelOf(e: { id: string; name?: string | undefined }): string {
  return displayText(e.name ?? '') || displayText(String(e.id)) || '(unnamed)';
}

function boundaryLabel(b: Boundary): string {
  return labelOf(b);
}

function componentDetail(c: Component): string {
  return displayText(c.tech ? `${c.kind} · ${c.tech}` : String(c.kind));
}

function flowLabel(f: FlowFacts): string {
  const protocol = f.flow.protocol ? displayText(f.flow.protocol, 24) : 'protocol ?';
  if (f.authn === 'none') return `${protocol} · no authn`;
  if (f.authn === 'unknown') return protocol;
  return `${protocol} · ${f.authn}`;
}

/** Builds the diagram's graph from an Analysis. */
export function buildGraph(analysis: Analysis, options: DiagramOptions = {}): DiagramGraph {
  const view = analysis.view;
  const components = new Map<string, Component>();
  for (const c of [...view.components].sort((a, b) => cmp(a.id, b.id))) {
    if (!components.has(c.id)) components.set(c.id, c);
  }
  const flows = view.flows
    .filter((f) => components.has(f.from.id) && components.has(f.to.id))
    .sort((a, b) => cmp(a.from.id, b.from.id) || cmp(a.to.id, b.to.id) || cmp(a.id, b.id));
  const t = touches(analysis.findings);
  const { byId, parent } = boundaryTree(view.boundaries);
  const collapsed = components.size > COLLAPSE_ABOVE && !options.full;
  const openFindings = analysis.findings.filter((f) => f.status === 'open').length;

  const title = displayText(`${analysis.model.name ?? 'Model'}: data flows`, 100);
  const counts = `${plural(components.size, 'component')}, ${plural(flows.length, 'flow')}, ${plural(openFindings, 'open finding')}`;
  const subtitle = collapsed
    ? `${counts}; collapsed to top-level boundaries (more than ${COLLAPSE_ABOVE} components; --full draws each one)`
    : counts;

  const graph = collapsed
    ? collapsedGraph(components, flows, byId, parent, t)
    : fullGraph(components, flows, byId, parent, t);
  const used = new Set(graph.nodes.map((n) => n.category));
  return {
    title,
    subtitle,
    collapsed,
    ...graph,
    legend: {
      categories: NODE_CATEGORIES.filter((c) => used.has(c)),
      severities: SEVERITIES,
      edges: LEGEND_EDGES,
    },
  };
}

type Body = Pick<DiagramGraph, 'nodes' | 'clusters' | 'looseNodes' | 'edges'>;

function fullGraph(
  components: Map<string, Component>,
  flows: readonly FlowFacts[],
  byId: Map<string, Boundary>,
  parent: Map<string, string | undefined>,
  t: Touches,
): Body {
  const nodes: DiagramNode[] = [];
  const nodesIn = new Map<string, string[]>();
  const looseNodes: string[] = [];
  for (const c of components.values()) {
    const found = t.components.get(c.id) ?? [];
    nodes.push({
      id: c.id,
      label: labelOf(c),
      detail: componentDetail(c),
      category: categoryOf(c.kind),
      severity: worstOf(found),
      findings: found.length,
    });
    if (c.in !== undefined && byId.has(c.in)) {
      const at = drawnBoundary(parent, c.in);
      const list = nodesIn.get(at);
      if (list) list.push(c.id);
      else nodesIn.set(at, [c.id]);
    } else looseNodes.push(c.id);
  }

  const children = new Map<string | undefined, string[]>();
  for (const [id, p] of parent) {
    const list = children.get(p);
    if (list) list.push(id);
    else children.set(p, [id]);
  }
  // Iterative depth-first build (boundaries may nest very deep); children are sorted by id. A
  // boundary that holds no component, directly or below, is left out: there is nothing to draw.
  interface Frame {
    id: string;
    depth: number;
    kids: string[];
    next: number;
    built: DiagramCluster[];
  }
  const clusters: DiagramCluster[] = [];
  for (const rootId of children.get(undefined) ?? []) {
    const open = (id: string, depth: number): Frame => ({
      id,
      depth,
      // Deeper boundaries are not drawn; their components are drawn in this one.
      kids: depth + 1 < MAX_CLUSTER_DEPTH ? (children.get(id) ?? []) : [],
      next: 0,
      built: [],
    });
    const stack: Frame[] = [open(rootId, 0)];
    while (stack.length > 0) {
      const top = stack[stack.length - 1] as Frame;
      if (top.next < top.kids.length) {
        stack.push(open(top.kids[top.next++] as string, top.depth + 1));
        continue;
      }
      stack.pop();
      const inside = nodesIn.get(top.id) ?? [];
      if (inside.length === 0 && top.built.length === 0) continue;
      const b = byId.get(top.id) as Boundary;
      const cluster: DiagramCluster = {
        id: top.id,
        index: 0,
        label: boundaryLabel(b),
        kind: String(b.kind),
        depth: top.depth,
        severity: worstOf(t.boundaries.get(top.id) ?? []),
        clusters: top.built,
        nodes: inside,
      };
      (stack[stack.length - 1]?.built ?? clusters).push(cluster);
    }
  }
  numberClusters(clusters);
  const edges: DiagramEdge[] = flows.map((f) => ({
    id: f.id,
    from: f.from.id,
    to: f.to.id,
    label: flowLabel(f),
    encryption: encryptionOf(f),
    unauthenticated: f.authn === 'none',
    severity: worstOf(t.flows.get(f.id) ?? []),
    flows: 1,
  }));
  return { nodes, clusters, looseNodes, edges };
}

/** Numbers the clusters in depth-first order (0, 1, ...), for the renderers' `cluster_<n>` names. */
function numberClusters(roots: readonly DiagramCluster[]): void {
  let index = 0;
  const stack = [...roots].reverse();
  while (stack.length > 0) {
    const c = stack.pop() as DiagramCluster & { index: number };
    c.index = index++;
    for (let i = c.clusters.length - 1; i >= 0; i--) stack.push(c.clusters[i] as DiagramCluster);
  }
}

function collapsedGraph(
  components: Map<string, Component>,
  flows: readonly FlowFacts[],
  byId: Map<string, Boundary>,
  parent: Map<string, string | undefined>,
  t: Touches,
): Body {
  let unplaced = UNPLACED_ID;
  while (byId.has(unplaced)) unplaced += '~';
  const groupOf = new Map<string, string>();
  const members = new Map<string, Component[]>();
  for (const c of components.values()) {
    const g = c.in !== undefined && byId.has(c.in) ? topLevel(parent, c.in) : unplaced;
    groupOf.set(c.id, g);
    const list = members.get(g);
    if (list) list.push(c);
    else members.set(g, [c]);
  }
  const internal = new Map<string, number>();
  for (const f of flows) {
    const g = groupOf.get(f.from.id) as string;
    if (g === groupOf.get(f.to.id)) internal.set(g, (internal.get(g) ?? 0) + 1);
  }
  const nodes: DiagramNode[] = [...members.keys()].sort(cmp).map((g) => {
    const list = members.get(g) as Component[];
    const found = new Set<Finding>();
    for (const c of list) for (const f of t.components.get(c.id) ?? []) found.add(f);
    if (g !== unplaced) for (const f of t.boundaries.get(g) ?? []) found.add(f);
    const b = byId.get(g);
    const inside = internal.get(g) ?? 0;
    const detail = [
      ...(b ? [String(b.kind)] : []),
      plural(list.length, 'component'),
      ...(inside > 0 ? [`${plural(inside, 'flow')} inside`] : []),
    ].join(' · ');
    return {
      id: g,
      label: b ? boundaryLabel(b) : 'outside every boundary',
      detail,
      category: 'group',
      severity: worstOf(found),
      findings: found.size,
    };
  });

  interface Acc {
    from: string;
    to: string;
    flows: number;
    unencrypted: number;
    unknown: number;
    unauthenticated: number;
    encryption: Encryption;
    severity: Severity | undefined;
  }
  const acc = new Map<string, Acc>();
  for (const f of flows) {
    const from = groupOf.get(f.from.id) as string;
    const to = groupOf.get(f.to.id) as string;
    if (from === to) continue;
    const key = `${from}->${to}`;
    let a = acc.get(key);
    if (!a) {
      a = {
        from,
        to,
        flows: 0,
        unencrypted: 0,
        unknown: 0,
        unauthenticated: 0,
        encryption: 'encrypted',
        severity: undefined,
      };
      acc.set(key, a);
    }
    const enc = encryptionOf(f);
    a.flows++;
    if (enc === 'unencrypted') a.unencrypted++;
    if (enc === 'unknown') a.unknown++;
    if (f.authn === 'none') a.unauthenticated++;
    a.encryption = weakest(a.encryption, enc);
    a.severity = worse(a.severity, worstOf(t.flows.get(f.id) ?? []));
  }
  const edges: DiagramEdge[] = [...acc.entries()]
    .sort(([, x], [, y]) => cmp(x.from, y.from) || cmp(x.to, y.to))
    .map(([key, a]) => ({
      id: key,
      from: a.from,
      to: a.to,
      label: [
        plural(a.flows, 'flow'),
        ...(a.unencrypted > 0 ? [`${a.unencrypted} unencrypted`] : []),
        ...(a.unauthenticated > 0 ? [`${a.unauthenticated} no authn`] : []),
      ].join(' · '),
      encryption: a.encryption,
      unauthenticated: a.unauthenticated > 0,
      severity: a.severity,
      flows: a.flows,
    }));
  return { nodes, clusters: [], looseNodes: nodes.map((n) => n.id), edges };
}
