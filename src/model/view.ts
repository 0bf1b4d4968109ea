/**
 * The View: a read-only picture of a validated model with its indexes and derived facts (DESIGN §3),
 * computed once so that no rule re-scans the model. Heavier facts (reachability, shortest paths) are
 * computed on first use and kept.
 */
import { componentGraph } from './graph.js';
import { protocolEncryption } from './protocols.js';
import { type AuthnStrength, authnStrength } from './queries.js';
import type { Boundary, Component, DataAsset, Flow, Identity, Model, Source } from './schema.js';
import type { AuthnMethod, BoundaryKind, TriState } from './vocabulary.js';

export type ElementKind = 'boundary' | 'component' | 'identity' | 'data' | 'flow';

/** A position in a model file (1-based). */
export interface Location {
  file: string;
  line: number;
  col: number;
}

/** Locates an element (by id) or one of its fields in the model files; supplied by the loader. */
export type Locator = (id: string, field?: string) => Location | undefined;

/** A flow with its derived facts. */
export interface FlowFacts {
  /** Written id, or `<from>-><to>`. */
  readonly id: string;
  readonly flow: Flow;
  readonly from: Component;
  readonly to: Component;
  /** Stated, else from the protocol table, else unknown. */
  readonly encrypted: TriState;
  readonly authn: AuthnMethod;
  readonly authnStrength: AuthnStrength;
  /** Boundaries containing exactly one end (nearest first: from-side, then to-side). */
  readonly crosses: readonly Boundary[];
  /** Boundaries containing both ends, nearest first. */
  readonly shared: readonly Boundary[];
  readonly crossRegion: TriState;
  readonly crossAccount: TriState;
  /** The `from` end is an internet source. */
  readonly fromInternet: boolean;
  readonly data: readonly DataAsset[];
}

/** One of the bounded shortest paths from an entry point (DESIGN §4). */
export interface EntryPath {
  readonly source: string;
  readonly target: string;
  /** Flow ids, in order from the source. */
  readonly hops: readonly string[];
}

export interface EntryPathSearch {
  readonly maxHops: number;
  readonly maxPathsPerTarget: number;
  /** Paths per reached target (excluding zero-length paths). */
  readonly paths: ReadonlyMap<string, readonly EntryPath[]>;
  /** Targets that had more candidates than kept, or that the hop limit cut off. */
  readonly truncated: ReadonlySet<string>;
}

const EMPTY: readonly never[] = Object.freeze([]);

/**
 * What the View knows of one component, in one place. Rules ask several of these of the same component
 * one after another (its flows out, what it stores, whether it is exposed): one record behind one map
 * entry, instead of a map or set per fact, each lookup missing the processor's caches on its own.
 */
interface ComponentRecord {
  readonly component: Component;
  /** The shared empty list until the first flow, then the record's own list. */
  out: readonly FlowFacts[];
  in: readonly FlowFacts[];
  /** `stored()`, made on first use. */
  stored: readonly DataAsset[] | undefined;
  internetSource: boolean;
  entry: boolean;
  exposed: boolean;
}

/** The boundary facts shared by every flow between the same two enclosing boundaries. */
interface Crossing {
  readonly crosses: readonly Boundary[];
  readonly shared: readonly Boundary[];
  readonly crossRegion: TriState;
  readonly crossAccount: TriState;
}

/**
 * The display name of an element in hand: its `name`, else its id. The same as `View.label` of its id
 * (element ids are one namespace), without the lookup: rules name the elements they hold in almost every
 * message, hundreds of thousands of times in a large model.
 */
export function nameOf(element: Component | Boundary | Identity | DataAsset): string {
  return element.name ?? element.id;
}

export class View {
  readonly model: Model;
  readonly components: readonly Component[];
  readonly boundaries: readonly Boundary[];
  readonly identities: readonly Identity[];
  readonly data: readonly DataAsset[];
  readonly flows: readonly FlowFacts[];

  /** Per component id; `recordList` has them in the order of `components`. */
  private readonly records = new Map<string, ComponentRecord>();
  private readonly recordList: ComponentRecord[] = [];
  private readonly boundaryById = new Map<string, Boundary>();
  private readonly identityById = new Map<string, Identity>();
  private readonly dataById = new Map<string, DataAsset>();
  private readonly flowById = new Map<string, FlowFacts>();
  private readonly chains = new Map<string, readonly Boundary[]>();
  private readonly runners = new Map<string, Component[]>();
  private readonly locator: Locator;
  private internetSourceList: readonly Component[] | undefined;
  private entryPointList: readonly Component[] | undefined;
  private reach: Map<string, number> | undefined;
  private reachVia: Map<string, FlowFacts | null> | undefined;
  private readonly avoidCache = new Map<string, ReadonlySet<string>>();
  private readonly viaCache = new Map<string, ReadonlyMap<string, FlowFacts | null>>();
  private pathSearch: EntryPathSearch | undefined;
  private kinds: Map<string, ElementKind> | undefined;
  private readonly labels = new Map<string, string>();
  /** `nearestFrom` answers: kind → boundary id → the boundary found, or null for none. */
  private readonly nearestCache = new Map<BoundaryKind, Map<string, Boundary | null>>();

  constructor(model: Model, locator: Locator = () => undefined) {
    this.model = model;
    this.locator = locator;
    this.components = model.components;
    this.boundaries = model.boundaries;
    this.identities = model.identities;
    this.data = model.data;
    for (const b of model.boundaries) this.boundaryById.set(b.id, b);
    for (const c of model.components) {
      const r: ComponentRecord = {
        component: c,
        out: EMPTY,
        in: EMPTY,
        stored: undefined,
        internetSource: false,
        entry: false,
        exposed: false,
      };
      this.records.set(c.id, r);
      this.recordList.push(r);
    }
    for (const i of model.identities) this.identityById.set(i.id, i);
    for (const d of model.data) this.dataById.set(d.id, d);
    for (const c of model.components) {
      const r = c['runs-as'];
      if (r !== undefined) push(this.runners, r, c);
    }

    // Whether a boundary is (inside) an internet boundary, once per boundary rather than per component.
    const inInternet = new Map<string, boolean>();
    for (const r of this.recordList) {
      const c = r.component;
      if (c.in === undefined) continue;
      let yes = inInternet.get(c.in);
      if (yes === undefined) {
        yes = this.ancestry(c.in).some((b) => b.kind === 'internet');
        inInternet.set(c.in, yes);
      }
      if (yes) {
        r.internetSource = true;
        r.entry = true;
      }
    }

    const flows: FlowFacts[] = [];
    const crossings = new Map<string, Map<string, Crossing>>();
    for (const f of model.flows) {
      const from = this.records.get(f.from) as ComponentRecord;
      const to = this.records.get(f.to) as ComponentRecord;
      const facts = this.flowFacts(f, from, to, crossings);
      flows.push(facts);
      this.flowById.set(facts.id, facts);
      if (from.out === EMPTY) from.out = [facts];
      else (from.out as FlowFacts[]).push(facts);
      if (to.in === EMPTY) to.in = [facts];
      else (to.in as FlowFacts[]).push(facts);
      if (facts.fromInternet) to.exposed = true;
    }
    this.flows = flows;
    for (const r of this.recordList) {
      if (r.component.exposure === 'public') {
        r.exposed = true;
        r.entry = true;
      }
    }
  }

  /**
   * A flow's facts. What depends on where its ends run (crossed and shared boundaries, region and
   * account) depends only on the pair of enclosing boundaries, so it is computed once per pair and its
   * lists are shared by every flow between the same two places.
   */
  private flowFacts(
    flow: Flow,
    fromRecord: ComponentRecord,
    toRecord: ComponentRecord,
    crossings: Map<string, Map<string, Crossing>>,
  ): FlowFacts {
    const from = fromRecord.component;
    const to = toRecord.component;
    const fromIn = from.in ?? '';
    const toIn = to.in ?? '';
    let row = crossings.get(fromIn);
    if (!row) {
      row = new Map();
      crossings.set(fromIn, row);
    }
    let crossing = row.get(toIn);
    if (!crossing) {
      crossing = this.crossing(this.componentBoundaries(from.id), this.componentBoundaries(to.id));
      row.set(toIn, crossing);
    }
    const stated = flow.encrypted;
    const authn = flow.authn ?? 'unknown';
    return {
      id: flow.id ?? `${flow.from}->${flow.to}`,
      flow,
      from,
      to,
      encrypted: stated === undefined ? protocolEncryption(flow.protocol) : stated,
      authn,
      authnStrength: authnStrength(authn),
      crosses: crossing.crosses,
      shared: crossing.shared,
      crossRegion: crossing.crossRegion,
      crossAccount: crossing.crossAccount,
      fromInternet: fromRecord.internetSource,
      data: flow.data === undefined ? EMPTY : flow.data.map((d) => this.dataById.get(d) as DataAsset),
    };
  }

  /** The boundary facts of a flow from inside the chain `a` to inside the chain `b` (nearest first). */
  private crossing(a: readonly Boundary[], b: readonly Boundary[]): Crossing {
    // Chains are a handful of boundaries deep: `includes` beats building sets.
    const shared = a.filter((x) => b.includes(x));
    const crosses = [...a.filter((x) => !b.includes(x)), ...b.filter((x) => !a.includes(x))];
    return {
      crosses,
      shared,
      crossRegion: this.differs(a, b, 'region'),
      crossAccount: this.differs(a, b, 'cloud-account'),
    };
  }

  private differs(a: readonly Boundary[], b: readonly Boundary[], kind: BoundaryKind): TriState {
    const x = a.find((z) => z.kind === kind);
    const y = b.find((z) => z.kind === kind);
    if (!x || !y) return 'unknown';
    return x.id !== y.id;
  }

  // ---- lookups -------------------------------------------------------------------------------------

  component(id: string): Component | undefined {
    return this.records.get(id)?.component;
  }
  boundary(id: string): Boundary | undefined {
    return this.boundaryById.get(id);
  }
  identity(id: string): Identity | undefined {
    return this.identityById.get(id);
  }
  dataAsset(id: string): DataAsset | undefined {
    return this.dataById.get(id);
  }
  flow(id: string): FlowFacts | undefined {
    return this.flowById.get(id);
  }

  /**
   * What kind of element an id names, if any. The engine asks it for every id of every draft: one
   * lookup in an index made on first use, instead of up to five.
   */
  kindOf(id: string): ElementKind | undefined {
    this.kinds ??= this.kindIndex();
    return this.kinds.get(id);
  }

  /** Every id with its kind; where kinds share an id, the first of component, flow, boundary, identity, data wins. */
  private kindIndex(): Map<string, ElementKind> {
    const kinds = new Map<string, ElementKind>();
    // In reverse order of precedence, so that a later (preferred) kind overwrites.
    for (const id of this.dataById.keys()) kinds.set(id, 'data');
    for (const id of this.identityById.keys()) kinds.set(id, 'identity');
    for (const id of this.boundaryById.keys()) kinds.set(id, 'boundary');
    for (const id of this.flowById.keys()) kinds.set(id, 'flow');
    for (const id of this.records.keys()) kinds.set(id, 'component');
    return kinds;
  }

  /** The written element an id names: a component, boundary, identity, data asset or flow. */
  private element(id: string): Component | Boundary | Identity | DataAsset | Flow | undefined {
    return (
      this.records.get(id)?.component ??
      this.boundaryById.get(id) ??
      this.identityById.get(id) ??
      this.dataById.get(id) ??
      this.flowById.get(id)?.flow
    );
  }

  /**
   * The display name of any element by id (its `name`, else its id): kept after the first lookup, which
   * tries up to five indexes. With the element in hand, `nameOf` answers without a lookup.
   */
  label(id: string): string {
    let name = this.labels.get(id);
    if (name === undefined) {
      name = this.element(id)?.name ?? id;
      this.labels.set(id, name);
    }
    return name;
  }

  /** Where an element (or one of its fields) is written in the model files. */
  location(id: string, field?: string): Location | undefined {
    return this.locator(id, field);
  }

  /** The importer's `source` of an element, when it has one. */
  source(id: string): Source | undefined {
    return this.element(id)?.source;
  }

  flowsFrom(componentId: string): readonly FlowFacts[] {
    return this.records.get(componentId)?.out ?? EMPTY;
  }
  flowsTo(componentId: string): readonly FlowFacts[] {
    return this.records.get(componentId)?.in ?? EMPTY;
  }

  // ---- boundaries ----------------------------------------------------------------------------------

  /** A boundary and its ancestors, nearest first. */
  ancestry(boundaryId: string): readonly Boundary[] {
    const cached = this.chains.get(boundaryId);
    if (cached) return cached;
    const chain: Boundary[] = [];
    const seen = new Set<string>();
    let cur = this.boundaryById.get(boundaryId);
    while (cur && !seen.has(cur.id)) {
      seen.add(cur.id);
      chain.push(cur);
      cur = cur.in === undefined ? undefined : this.boundaryById.get(cur.in);
    }
    this.chains.set(boundaryId, chain);
    return chain;
  }

  /** The boundaries a component is in, nearest first (empty when it has no `in`). */
  componentBoundaries(componentId: string): readonly Boundary[] {
    const c = this.records.get(componentId)?.component;
    return c?.in === undefined ? EMPTY : this.ancestry(c.in);
  }

  /** The nearest enclosing boundary of a kind. */
  nearest(componentId: string, kind: BoundaryKind): Boundary | undefined {
    const c = this.records.get(componentId)?.component;
    return c?.in === undefined ? undefined : this.nearestFrom(c.in, kind);
  }

  /**
   * The boundary itself or its nearest ancestor of a kind. Rules ask it of the boundary of every
   * component (its cloud account, its region, whether it is a third party's): kept per boundary and kind.
   */
  nearestFrom(boundaryId: string, kind: BoundaryKind): Boundary | undefined {
    let byBoundary = this.nearestCache.get(kind);
    if (byBoundary === undefined) {
      byBoundary = new Map();
      this.nearestCache.set(kind, byBoundary);
    }
    let found = byBoundary.get(boundaryId);
    if (found === undefined) {
      found = null;
      for (const b of this.ancestry(boundaryId)) {
        if (b.kind === kind) {
          found = b;
          break;
        }
      }
      byBoundary.set(boundaryId, found);
    }
    return found ?? undefined;
  }

  /** Components directly or indirectly inside a boundary. */
  isInside(componentId: string, boundaryId: string): boolean {
    return this.componentBoundaries(componentId).some((b) => b.id === boundaryId);
  }

  // ---- identities ------------------------------------------------------------------------------------

  identityOf(componentId: string): Identity | undefined {
    const r = this.records.get(componentId)?.component['runs-as'];
    return r === undefined ? undefined : this.identityById.get(r);
  }

  /** Components that `runs-as` the identity. */
  runningAs(identityId: string): readonly Component[] {
    return this.runners.get(identityId) ?? EMPTY;
  }

  /** The data a component stores. */
  stored(componentId: string): readonly DataAsset[] {
    const r = this.records.get(componentId);
    if (r === undefined) return EMPTY;
    if (r.stored === undefined) {
      const c = r.component;
      // Components that store nothing get the shared empty list.
      r.stored = c.stores ? c.stores.map((d) => this.dataById.get(d) as DataAsset) : EMPTY;
    }
    return r.stored;
  }

  // ---- exposure and reachability ---------------------------------------------------------------------

  /** Components inside a boundary of kind internet, at any depth. */
  isInternetSource(componentId: string): boolean {
    return this.records.get(componentId)?.internetSource === true;
  }
  get internetSources(): readonly Component[] {
    this.internetSourceList ??= this.recordList.filter((r) => r.internetSource).map((r) => r.component);
    return this.internetSourceList;
  }

  /** Internet sources and components stated `exposure: public`. */
  isEntryPoint(componentId: string): boolean {
    return this.records.get(componentId)?.entry === true;
  }
  get entryPoints(): readonly Component[] {
    this.entryPointList ??= this.recordList.filter((r) => r.entry).map((r) => r.component);
    return this.entryPointList;
  }

  /** Stated `exposure: public`, or directly reached by a flow from an internet source. */
  isExposed(componentId: string): boolean {
    return this.records.get(componentId)?.exposed === true;
  }

  /** Reached by a chain of flows from an entry point (entry points included). */
  isInternetReachable(componentId: string): boolean {
    return this.reachability().has(componentId);
  }

  /** The fewest flows from any entry point (0 for an entry point); undefined when unreachable. */
  hopsFromEntry(componentId: string): number | undefined {
    return this.reachability().get(componentId);
  }

  /**
   * The search from the entry points over every flow, as `reachableVia` with every flow allowed: each
   * reached component with the flow that first reached it (null for an entry point). Made with the hop
   * counts, by the same search, so `pathTo(view.reachedVia(), id)` is a shortest route from an entry
   * point at no extra cost.
   */
  reachedVia(): ReadonlyMap<string, FlowFacts | null> {
    this.reachability();
    return this.reachVia as ReadonlyMap<string, FlowFacts | null>;
  }

  private reachability(): Map<string, number> {
    if (this.reach) return this.reach;
    // Breadth first over the component graph by position; the maps are filled in the order reached.
    const g = componentGraph(this);
    const { offsets, targets, flowAt } = g;
    const components = this.components;
    const flows = this.flows;
    const hops = new Int32Array(components.length).fill(-1);
    const dist = new Map<string, number>();
    const via = new Map<string, FlowFacts | null>();
    let frontier: number[] = [];
    for (let v = 0; v < components.length; v++) {
      const id = (components[v] as Component).id;
      // The records are in the order of `components`.
      if ((this.recordList[v] as ComponentRecord).entry) {
        hops[v] = 0;
        dist.set(id, 0);
        via.set(id, null);
        frontier.push(v);
      }
    }
    for (let d = 1; frontier.length > 0; d++) {
      const next: number[] = [];
      for (let i = 0; i < frontier.length; i++) {
        const v = frontier[i] as number;
        for (let e = offsets[v] as number, end = offsets[v + 1] as number; e < end; e++) {
          const to = targets[e] as number;
          if (hops[to] !== -1) continue;
          hops[to] = d;
          const id = (components[to] as Component).id;
          dist.set(id, d);
          via.set(id, flows[flowAt[e] as number] as FlowFacts);
          next.push(to);
        }
      }
      frontier = next;
    }
    this.reach = dist;
    this.reachVia = via;
    return dist;
  }

  /**
   * Components reached from an entry point by a chain of flows that passes through no component for
   * which `blocks` holds (such a component is reached, but traffic does not continue past it). `key`
   * names the predicate so that rules asking the same question share one search.
   */
  reachableAvoiding(key: string, blocks: (c: Component) => boolean): ReadonlySet<string> {
    const cached = this.avoidCache.get(key);
    if (cached) return cached;
    const seen = new Set<string>();
    const stack: string[] = [];
    for (const c of this.components) {
      if (this.isEntryPoint(c.id)) {
        seen.add(c.id);
        stack.push(c.id);
      }
    }
    while (stack.length > 0) {
      const id = stack.pop() as string;
      if (blocks((this.records.get(id) as ComponentRecord).component)) continue;
      for (const f of this.flowsFrom(id)) {
        if (!seen.has(f.to.id)) {
          seen.add(f.to.id);
          stack.push(f.to.id);
        }
      }
    }
    this.avoidCache.set(key, seen);
    return seen;
  }

  /**
   * Components reached from an entry point using only the flows for which `allow` holds, each with the
   * flow it was first reached by (null for entry points): a breadth-first search, so following those
   * flows back (see `pathTo`) gives a shortest allowed path. `key` names the predicate so that rules
   * asking the same question share one search.
   */
  reachableVia(key: string, allow: (f: FlowFacts) => boolean): ReadonlyMap<string, FlowFacts | null> {
    const cached = this.viaCache.get(key);
    if (cached) return cached;
    const via = new Map<string, FlowFacts | null>();
    let frontier: string[] = [];
    for (const c of this.components) {
      if (this.isEntryPoint(c.id)) {
        via.set(c.id, null);
        frontier.push(c.id);
      }
    }
    while (frontier.length > 0) {
      const next: string[] = [];
      for (const id of frontier) {
        for (const f of this.flowsFrom(id)) {
          if (!via.has(f.to.id) && allow(f)) {
            via.set(f.to.id, f);
            next.push(f.to.id);
          }
        }
      }
      frontier = next;
    }
    this.viaCache.set(key, via);
    return via;
  }

  /** The flows from an entry point to `target` recorded by a `reachableVia` search (empty if none). */
  pathTo(search: ReadonlyMap<string, FlowFacts | null>, target: string): FlowFacts[] {
    const path: FlowFacts[] = [];
    const seen = new Set<string>();
    let cur = search.get(target);
    while (cur && !seen.has(cur.id)) {
      seen.add(cur.id);
      path.unshift(cur);
      cur = search.get(cur.from.id);
    }
    return path;
  }

  /**
   * Bounded shortest paths from entry points to every component (DESIGN §4): up to `maxPathsPerTarget`
   * per target, at most one per entry point, shortest first, ties broken by the sequence of hop ids, at
   * most `maxHops` flows. One level-synchronous multi-source search in which each component keeps its
   * best paths from distinct entry points.
   *
   * Paths start at the internet sources, and at the components stated `exposure: public` that no
   * internet source calls directly (for those, the internet itself is the unnamed caller). A public
   * component that an internet source calls is reached through that source, so it does not start
   * paths of its own that would repeat the same route one hop shorter.
   */
  entryPaths(): EntryPathSearch {
    if (this.pathSearch) return this.pathSearch;
    const maxHops = 8;
    const k = 3;
    // Over the component graph's positions and typed arrays: the search looks at every flow of every
    // kept path's end, level by level, and string-keyed lookups were most of its cost.
    const g = componentGraph(this);
    const { offsets, targets, flowAt } = g;
    const components = this.components;
    const flows = this.flows;
    /** A path as a chain of labels, each pointing at its predecessor: extending a path copies nothing. */
    interface Label {
      source: string;
      node: number;
      prev: Label | undefined;
      flow: FlowFacts | undefined;
    }
    /**
     * Two paths of the same length by their sequences of hop ids: the first differing hop decides, so
     * the predecessors are compared first (zero-length paths are all equal), then the last hops.
     */
    const byHops = (a: Label, b: Label): number => {
      if (a === b || a.prev === undefined || b.prev === undefined) return 0;
      return byHops(a.prev, b.prev) || cmpStr((a.flow as FlowFacts).id, (b.flow as FlowFacts).id);
    };
    const hasSource = (have: readonly Label[] | undefined, source: string): boolean => {
      if (have) for (let i = 0; i < have.length; i++) if ((have[i] as Label).source === source) return true;
      return false;
    };
    // An entry point's own zero-length label is not a path and takes no slot.
    const paths = (have: readonly Label[]): number => {
      let n = 0;
      for (let i = 0; i < have.length; i++) if ((have[i] as Label).prev !== undefined) n++;
      return n;
    };
    const onPath = (l: Label, node: number): boolean => {
      for (let x: Label | undefined = l; x; x = x.prev) if (x.node === node) return true;
      return false;
    };
    // Per component position: the labels kept, and the nodes in the order they were first given a list.
    const kept: (Label[] | undefined)[] = new Array(components.length);
    const keptOrder: number[] = [];
    const truncated = new Set<string>();
    let frontier: Label[] = [];
    for (let v = 0; v < components.length; v++) {
      const c = components[v] as Component;
      const r = this.recordList[v] as ComponentRecord;
      if (!r.entry) continue;
      if (!r.internetSource && r.in.some((f) => f.fromInternet)) continue;
      const l: Label = { source: c.id, node: v, prev: undefined, flow: undefined };
      kept[v] = [l];
      keptOrder.push(v);
      frontier.push(l);
    }
    // Candidates of one level, per node, and the nodes in the order their first candidate came.
    const candidates: (Label[] | undefined)[] = new Array(components.length);
    for (let level = 1; level <= maxHops && frontier.length > 0; level++) {
      const candidateNodes: number[] = [];
      for (let i = 0; i < frontier.length; i++) {
        const l = frontier[i] as Label;
        for (let e = offsets[l.node] as number, end = offsets[l.node + 1] as number; e < end; e++) {
          const to = targets[e] as number;
          if (onPath(l, to)) continue;
          const have = kept[to];
          if (hasSource(have, l.source)) continue;
          // A target that already holds k paths from earlier levels keeps them: a longer candidate
          // from another entry point only marks it truncated, so no candidate is built for it.
          if (have && paths(have) >= k) {
            truncated.add((components[to] as Component).id);
            continue;
          }
          const cand: Label = { source: l.source, node: to, prev: l, flow: flows[flowAt[e] as number] };
          const list = candidates[to];
          if (list === undefined) {
            candidates[to] = [cand];
            candidateNodes.push(to);
          } else list.push(cand);
        }
      }
      const next: Label[] = [];
      for (let i = 0; i < candidateNodes.length; i++) {
        const node = candidateNodes[i] as number;
        const list = candidates[node] as Label[];
        candidates[node] = undefined;
        list.sort(byHops);
        let have = kept[node];
        if (have === undefined) {
          have = [];
          kept[node] = have;
          keptOrder.push(node);
        }
        let n = paths(have);
        for (const cand of list) {
          if (hasSource(have, cand.source)) continue;
          if (n >= k) {
            truncated.add((components[node] as Component).id);
            break;
          }
          have.push(cand);
          next.push(cand);
          n++;
        }
      }
      frontier = next;
      if (level === maxHops) {
        // Anything that could still extend would be cut by the hop limit.
        for (const l of frontier) {
          for (let e = offsets[l.node] as number, end = offsets[l.node + 1] as number; e < end; e++) {
            const to = targets[e] as number;
            if (onPath(l, to)) continue;
            if (!hasSource(kept[to], l.source)) truncated.add((components[to] as Component).id);
          }
        }
      }
    }
    const found = new Map<string, EntryPath[]>();
    for (let i = 0; i < keptOrder.length; i++) {
      const node = keptOrder[i] as number;
      const real: EntryPath[] = [];
      for (const l of kept[node] as Label[]) {
        if (l.prev === undefined) continue;
        const hops: string[] = [];
        for (let x: Label | undefined = l; x?.flow; x = x.prev) hops.push(x.flow.id);
        real.push({ source: l.source, target: (components[node] as Component).id, hops: hops.reverse() });
      }
      if (real.length > 0) found.set((components[node] as Component).id, real);
    }
    for (const id of this.reachability().keys()) {
      if (!this.isEntryPoint(id) && !found.has(id)) truncated.add(id);
    }
    this.pathSearch = { maxHops, maxPathsPerTarget: k, paths: found, truncated };
    return this.pathSearch;
  }
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

function cmpStr(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
