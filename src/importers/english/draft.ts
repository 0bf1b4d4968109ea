/**
 * What the sentences say, before it becomes a model: components, boundaries, identities, data and
 * flows with the evidence for each fact. Sentences add to it in document order; `build.ts` turns it into
 * the canonical model. Everything here is plain data with insertion order, so the result is deterministic.
 */
import type {
  Action,
  AuthnMethod,
  BoundaryKind,
  Classification,
  ComponentKind,
  Control,
  CredentialLifetime,
  FlowPurpose,
  GrantAction,
  IdentityKind,
  SecretLocation,
  TrustAssumption,
  ViaNetwork,
} from '../../model/vocabulary.js';

/** Where a fact was read: the sentence and its position. */
export interface Origin {
  file: string;
  line: number;
  col: number;
  text: string;
}

export interface KindVote {
  kind: ComponentKind;
  weight: number;
  order: number;
}

export class DraftBoundary {
  parent: DraftBoundary | undefined;
  provider: string | undefined;
  jurisdiction: string | undefined;
  constructor(
    readonly no: number,
    readonly kind: BoundaryKind,
    public name: string,
    /** A name given by the text (an id-like word), kept as the id. */
    public givenId: string | undefined,
    readonly origin: Origin,
  ) {}
}

/** A control list: what is stated present, and whether the text also said something is absent. */
export class ControlList {
  readonly present = new Set<Control>();
  readonly absent = new Set<Control>();
  /** The text said "only ..." or "no ...": the list is complete as stated. */
  complete = false;
}

export class DraftComponent {
  readonly names = new Map<string, number>();
  /** Normalised keys the component is known by. */
  readonly keys = new Set<string>();
  /** Keys written in lower case or as code (may match lower-case words later). */
  readonly lowerKeys = new Set<string>();
  readonly votes: KindVote[] = [];
  tech: string | undefined;
  techWeight = 0;
  techTerm: string | undefined;
  provider: string | undefined;
  /** Third-party boundary key (SaaS). */
  saas: string | undefined;
  placements: { boundary: DraftBoundary; order: number }[] = [];
  exposure: 'public' | 'internal' | undefined;
  readonly enforces = new ControlList();
  readonly controls = new ControlList();
  readonly assumes = new Set<TrustAssumption>();
  readonly stores = new Set<DraftData>();
  encryptedAtRest: boolean | 'unknown' | undefined;
  privileged: boolean | undefined;
  fetchesUrls: boolean | undefined;
  readonly secretsIn = new Set<SecretLocation>();
  replicas: number | undefined;
  runsAs: DraftIdentity | undefined;
  environment: string | undefined;
  /** Facts about every flow into it ("does not require authentication", "only over the VPN"). */
  inboundAuthn: AuthnMethod | undefined;
  inboundEncrypted: boolean | undefined;
  inboundVia: ViaNetwork | undefined;
  /** Pass-through components in front of it ("X is behind Kong"). */
  readonly fronts: DraftComponent[] = [];
  /** Known from another input (a YAML model): referenced, never written. */
  external = false;
  /** Last sentence number that mentioned it (for coreference). */
  lastSeen = 0;
  readonly assumptionOrigins: { assumption: TrustAssumption; origin: Origin }[] = [];
  constructor(
    readonly no: number,
    readonly origin: Origin,
  ) {}

  addName(name: string, lower: boolean): void {
    this.names.set(name, (this.names.get(name) ?? 0) + 1);
    if (lower) this.lowerKeys.add(name.toLowerCase());
  }

  vote(kind: ComponentKind, weight: number, order: number): void {
    this.votes.push({ kind, weight, order });
  }

  get kind(): ComponentKind {
    let best: KindVote | undefined;
    for (const v of this.votes) {
      if (!best || v.weight > best.weight || (v.weight === best.weight && v.order < best.order)) best = v;
    }
    return best?.kind ?? 'service';
  }

  get isUser(): boolean {
    return this.kind === 'user';
  }
}

export class DraftIdentity {
  kind: IdentityKind | undefined;
  credentials: CredentialLifetime | undefined;
  readonly grants: { resource: DraftComponent | '*'; actions: Set<GrantAction>; scope?: string[] }[] = [];
  constructor(
    readonly no: number,
    public name: string,
    public givenId: string | undefined,
    readonly origin: Origin,
  ) {}
}

export class DraftData {
  classification: Classification | undefined;
  constructor(
    readonly no: number,
    readonly key: string,
    public name: string,
    readonly origin: Origin,
  ) {}
}

export class DraftFlow {
  readonly actions = new Set<Action>();
  readonly scope = new Set<string>();
  readonly data = new Set<DraftData>();
  protocol: string | undefined;
  encrypted: boolean | undefined;
  authn: AuthnMethod | undefined;
  purpose: FlowPurpose | undefined;
  via: ViaNetwork | undefined;
  constructor(
    readonly no: number,
    public from: DraftComponent,
    public to: DraftComponent,
    readonly origin: Origin,
  ) {}
}

export interface AssumptionDraft {
  component: DraftComponent;
  assumption: TrustAssumption;
  origin: Origin;
}

/** Everything read so far. */
export class Draft {
  readonly components: DraftComponent[] = [];
  readonly boundaries: DraftBoundary[] = [];
  readonly identities: DraftIdentity[] = [];
  readonly data: DraftData[] = [];
  readonly flows: DraftFlow[] = [];
  readonly assumptions: AssumptionDraft[] = [];
  private readonly byKey = new Map<string, DraftComponent>();
  private readonly flowByEnds = new Map<string, DraftFlow>();
  private readonly dataByKey = new Map<string, DraftData>();
  private readonly identityByKey = new Map<string, DraftIdentity>();
  private counter = 0;

  next(): number {
    return ++this.counter;
  }

  component(key: string): DraftComponent | undefined {
    return this.byKey.get(key);
  }

  addComponent(origin: Origin): DraftComponent {
    const c = new DraftComponent(this.next(), origin);
    this.components.push(c);
    return c;
  }

  index(c: DraftComponent, key: string): void {
    if (key === '') return;
    c.keys.add(key);
    if (!this.byKey.has(key)) this.byKey.set(key, c);
  }

  /** Moves every key, name and fact of `from` into `into` (two names turned out to be one component). */
  mergeComponents(into: DraftComponent, from: DraftComponent): void {
    if (into === from) return;
    for (const [n, k] of from.names) into.names.set(n, (into.names.get(n) ?? 0) + k);
    for (const k of from.keys) {
      into.keys.add(k);
      this.byKey.set(k, into);
    }
    for (const k of from.lowerKeys) into.lowerKeys.add(k);
    into.votes.push(...from.votes);
    if (from.techWeight > into.techWeight) {
      into.tech = from.tech;
      into.techWeight = from.techWeight;
      into.techTerm = from.techTerm;
    }
    into.provider ??= from.provider;
    into.saas ??= from.saas;
    into.placements.push(...from.placements);
    into.lastSeen = Math.max(into.lastSeen, from.lastSeen);
    const idx = this.components.indexOf(from);
    if (idx >= 0) this.components.splice(idx, 1);
    for (const f of this.flows) {
      if (f.from === from) f.from = into;
      if (f.to === from) f.to = into;
    }
    this.reindexFlows();
  }

  /** Rebuilds the flow index after a merge; flows that now share their ends become one. */
  private reindexFlows(): void {
    this.flowByEnds.clear();
    const kept: DraftFlow[] = [];
    for (const f of this.flows) {
      if (f.from === f.to) continue;
      const key = `${f.from.no}>${f.to.no}`;
      const first = this.flowByEnds.get(key);
      if (!first) {
        this.flowByEnds.set(key, f);
        kept.push(f);
        continue;
      }
      for (const a of f.actions) first.actions.add(a);
      for (const s of f.scope) first.scope.add(s);
      for (const d of f.data) first.data.add(d);
      first.protocol ??= f.protocol;
      first.encrypted ??= f.encrypted;
      first.authn ??= f.authn;
      first.purpose ??= f.purpose;
      first.via ??= f.via;
    }
    this.flows.length = 0;
    this.flows.push(...kept);
  }

  addBoundary(kind: BoundaryKind, name: string, givenId: string | undefined, origin: Origin): DraftBoundary {
    const b = new DraftBoundary(this.next(), kind, name, givenId, origin);
    this.boundaries.push(b);
    return b;
  }

  identity(key: string, name: string, givenId: string | undefined, origin: Origin): DraftIdentity {
    let i = this.identityByKey.get(key);
    if (!i) {
      i = new DraftIdentity(this.next(), name, givenId, origin);
      this.identityByKey.set(key, i);
      this.identities.push(i);
    }
    return i;
  }

  dataAsset(key: string, name: string, origin: Origin): DraftData {
    let d = this.dataByKey.get(key);
    if (!d) {
      d = new DraftData(this.next(), key, name, origin);
      this.dataByKey.set(key, d);
      this.data.push(d);
    }
    return d;
  }

  findData(key: string): DraftData | undefined {
    return this.dataByKey.get(key);
  }

  flow(from: DraftComponent, to: DraftComponent, origin: Origin): DraftFlow {
    const key = `${from.no}>${to.no}`;
    let f = this.flowByEnds.get(key);
    if (!f) {
      f = new DraftFlow(this.next(), from, to, origin);
      this.flows.push(f);
      this.flowByEnds.set(key, f);
    }
    return f;
  }

  findFlow(from: DraftComponent, to: DraftComponent): DraftFlow | undefined {
    return this.flowByEnds.get(`${from.no}>${to.no}`);
  }
}
