/**
 * What-if changes: a small structured language for editing a model (set or clear an attribute, add to
 * or remove from a list, narrow or remove a grant, add or remove a flow or a component), its validation
 * (unknown ids, attributes and values are rejected with the valid ones listed; nothing is guessed), and
 * its application to a deep copy of the merged model. `whatIf` re-analyses the copy with the same rules,
 * as-of date and risk decisions, and diffs the findings the way `threatkrew diff` does.
 */
import type { Analysis } from '../../engine/analysis.js';
import { diffFindings, type FindingsDiff } from '../../living/diff.js';
import { closestCandidates } from '../../model/diagnostics.js';
import { loadModelSources } from '../../model/load.js';
import type { Component, Flow, Grant, Identity, Model } from '../../model/schema.js';
import { SourceFile } from '../../model/source-file.js';
import type { ElementKind } from '../../model/view.js';
import {
  ACTIONS,
  AUTHN_METHODS,
  BOUNDARY_KINDS,
  CLASSIFICATIONS,
  COMPONENT_KINDS,
  CONTROLS,
  CREDENTIAL_LIFETIMES,
  EXPOSURES,
  FLOW_PURPOSES,
  GRANT_ACTIONS,
  ID_PATTERN,
  IDENTITY_KINDS,
  SECRET_LOCATIONS,
  TRUST_ASSUMPTIONS,
  VIA_NETWORKS,
} from '../../model/vocabulary.js';
import { reanalyze } from '../context.js';
import { andList, cmp } from '../text.js';
import type { AskContext } from '../types.js';

/** One edit of the model. Elements are named by id (a flow by its written or derived id). */
export type Edit =
  /** Sets an attribute (DESIGN §3 field name) of a component, flow, identity, data asset or boundary. */
  | { op: 'set'; element: string; attribute: string; value: unknown }
  /** Removes an attribute, so it is unknown (or derived) again. */
  | { op: 'clear'; element: string; attribute: string }
  /** Adds a value to a list attribute (`controls`, `enforces`, `assumes`, `secrets-in`, `stores`, `data`, ...). */
  | { op: 'add'; element: string; attribute: string; value: string }
  /** Removes a value from a list attribute; the list stays present (an empty list means "none"). */
  | { op: 'remove'; element: string; attribute: string; value: string }
  /** Narrows the grant of an identity on a resource (`"*"` for the wildcard) to these actions (and scope). */
  | { op: 'narrow-grant'; identity: string; resource: string; actions: string[]; scope?: string[] }
  /** Removes the grant of an identity on a resource. */
  | { op: 'remove-grant'; identity: string; resource: string }
  /** Adds a flow (its fields as in the model format). */
  | { op: 'add-flow'; flow: Flow }
  /** Removes a flow, and the open questions about it. */
  | { op: 'remove-flow'; flow: string }
  /** Adds a component (its fields as in the model format). */
  | { op: 'add-component'; component: Component }
  /** Removes a component with its flows, the grants on it and the open questions about them. */
  | { op: 'remove-component'; component: string };

/** A change: one or more edits applied together. */
export interface Change {
  edits: Edit[];
}

export type FieldType =
  | { type: 'tri-state' }
  | { type: 'enum'; values: readonly string[] }
  | { type: 'enum-list'; values: readonly string[] }
  | { type: 'integer'; min: number }
  | { type: 'ref'; to: ElementKind }
  | { type: 'ref-list'; to: ElementKind }
  | { type: 'text' }
  | { type: 'text-list' };

const tri: FieldType = { type: 'tri-state' };
const text: FieldType = { type: 'text' };
const enumOf = (values: readonly string[]): FieldType => ({ type: 'enum', values });
const listOf = (values: readonly string[]): FieldType => ({ type: 'enum-list', values });

/** The attributes a what-if may change, by element kind (DESIGN §3; ids, ends and `source` are fixed). */
export const FIELDS: Readonly<Record<ElementKind, Readonly<Record<string, FieldType>>>> = {
  component: {
    kind: enumOf(COMPONENT_KINDS),
    tech: text,
    in: { type: 'ref', to: 'boundary' },
    environment: text,
    exposure: enumOf(EXPOSURES),
    enforces: listOf(CONTROLS),
    controls: listOf(CONTROLS),
    assumes: listOf(TRUST_ASSUMPTIONS),
    stores: { type: 'ref-list', to: 'data' },
    'encrypted-at-rest': tri,
    privileged: tri,
    'fetches-urls': tri,
    'secrets-in': listOf(SECRET_LOCATIONS),
    replicas: { type: 'integer', min: 1 },
    'runs-as': { type: 'ref', to: 'identity' },
    agreement: tri,
    name: text,
    description: text,
  },
  flow: {
    protocol: text,
    encrypted: tri,
    authn: enumOf(AUTHN_METHODS),
    actions: listOf(ACTIONS),
    scope: { type: 'text-list' },
    purpose: enumOf(FLOW_PURPOSES),
    via: enumOf(VIA_NETWORKS),
    data: { type: 'ref-list', to: 'data' },
    name: text,
    description: text,
  },
  identity: {
    kind: enumOf(IDENTITY_KINDS),
    credentials: enumOf(CREDENTIAL_LIFETIMES),
    'assumable-by': { type: 'text-list' },
    name: text,
    description: text,
  },
  data: {
    classification: enumOf(CLASSIFICATIONS),
    residency: { type: 'text-list' },
    name: text,
    description: text,
  },
  boundary: {
    kind: enumOf(BOUNDARY_KINDS),
    in: { type: 'ref', to: 'boundary' },
    provider: text,
    jurisdiction: text,
    agreement: tri,
    name: text,
    description: text,
  },
};

type Item = Record<string, unknown>;

/** A deep copy of the merged model. */
export function copyModel(model: Model): Model {
  return structuredClone(model);
}

function flowId(f: Flow): string {
  return f.id ?? `${f.from}->${f.to}`;
}

/** The element an id names in a model: its list and object (flows by written or derived id). */
function find(model: Model, id: string): { kind: ElementKind; item: Item } | undefined {
  const c = model.components.find((x) => x.id === id);
  if (c) return { kind: 'component', item: c as Item };
  const flow =
    model.flows.find((x) => flowId(x) === id) ?? model.flows.find((x) => `${x.from}->${x.to}` === id);
  if (flow) return { kind: 'flow', item: flow as Item };
  const b = model.boundaries.find((x) => x.id === id);
  if (b) return { kind: 'boundary', item: b as Item };
  const i = model.identities.find((x) => x.id === id);
  if (i) return { kind: 'identity', item: i as Item };
  const d = model.data.find((x) => x.id === id);
  if (d) return { kind: 'data', item: d as Item };
  return undefined;
}

function allIds(model: Model): string[] {
  return [
    ...model.components.map((x) => x.id),
    ...model.flows.map(flowId),
    ...model.boundaries.map((x) => x.id),
    ...model.identities.map((x) => x.id),
    ...model.data.map((x) => x.id),
  ].sort(cmp);
}

function closest(word: string, candidates: readonly string[], max = 5): string[] {
  return closestCandidates(word, candidates, { max });
}

/** A value as written in the model. */
export function shown(v: unknown): string {
  if (v === undefined) return '(not stated)';
  if (Array.isArray(v)) return `[${v.map((x) => shown(x)).join(', ')}]`;
  if (v !== null && typeof v === 'object') {
    return `{ ${Object.entries(v as Item)
      .map(([k, x]) => `${k}: ${shown(x)}`)
      .join(', ')} }`;
  }
  return String(v);
}

/** Lists valid values, shortened when there are many. */
function valid(values: readonly string[]): string {
  return values.length <= 30 ? values.join(', ') : `${values.slice(0, 30).join(', ')}, ...`;
}

/** Problems with an edit against the model, in words; empty when it is valid. */
function checkEdit(model: Model, e: Edit): string[] {
  const unknownId = (id: string, what = 'element') => {
    const near = closest(id, allIds(model));
    return `There is no ${what} '${id}' in the model${
      near.length > 0
        ? `; did you mean ${andList(
            near.map((n) => `'${n}'`),
            'or',
          )}?`
        : '.'
    }`;
  };
  switch (e.op) {
    case 'set':
    case 'clear':
    case 'add':
    case 'remove': {
      const hit = find(model, e.element);
      if (!hit) return [unknownId(e.element)];
      const fields = FIELDS[hit.kind];
      const spec = fields[e.attribute];
      if (!spec) {
        return [
          `A ${hit.kind} has no attribute '${e.attribute}' that a what-if can change; valid: ${Object.keys(fields).join(', ')}.`,
        ];
      }
      if (e.op === 'clear') return [];
      if (e.op === 'set') return checkValue(model, hit.kind, e.attribute, spec, e.value);
      if (spec.type !== 'enum-list' && spec.type !== 'ref-list' && spec.type !== 'text-list')
        return [`'${e.attribute}' of a ${hit.kind} is not a list; set it instead.`];
      const problems = checkValue(model, hit.kind, e.attribute, spec, [e.value]);
      if (problems.length > 0) return problems;
      if (e.op === 'remove') {
        const list = hit.item[e.attribute];
        if (!Array.isArray(list) || !list.includes(e.value)) {
          return [
            `${e.element} does not list ${e.value} in ${e.attribute} (${Array.isArray(list) ? `it is ${shown(list)}` : 'it is not stated'}), so there is nothing to remove.`,
          ];
        }
      }
      return [];
    }
    case 'narrow-grant':
    case 'remove-grant': {
      const identity = model.identities.find((x) => x.id === e.identity);
      if (!identity) return [unknownId(e.identity, 'identity')];
      const grants = identity.grants ?? [];
      if (!grants.some((g) => g.resource === e.resource)) {
        return [
          `Identity ${e.identity} has no grant on '${e.resource}'; its grants are on ${grants.length > 0 ? andList(grants.map((g) => g.resource)) : 'nothing'}.`,
        ];
      }
      if (e.op === 'narrow-grant') {
        const bad = e.actions.filter((a) => !(GRANT_ACTIONS as readonly string[]).includes(a));
        if (bad.length > 0) return [`Unknown action ${bad.join(', ')}; valid: ${GRANT_ACTIONS.join(', ')}.`];
        if (e.actions.length === 0) return ['Give at least one action, or remove the grant.'];
      }
      return [];
    }
    case 'add-flow': {
      const out: string[] = [];
      for (const end of [e.flow.from, e.flow.to]) {
        if (!model.components.some((c) => c.id === end)) out.push(unknownId(end, 'component'));
      }
      const id = flowId(e.flow);
      if (out.length === 0 && find(model, id)) out.push(`A flow ${id} already exists.`);
      return out;
    }
    case 'remove-flow':
      return find(model, e.flow)?.kind === 'flow' ? [] : [unknownId(e.flow, 'flow')];
    case 'add-component': {
      const c = e.component;
      if (!ID_PATTERN.test(c.id)) return [`'${c.id}' is not a valid id (letters, digits and . _ : / @ -).`];
      if (find(model, c.id)) return [`An element with id ${c.id} already exists.`];
      if (!(COMPONENT_KINDS as readonly string[]).includes(c.kind))
        return [`Unknown component kind '${c.kind}'; valid: ${COMPONENT_KINDS.join(', ')}.`];
      if (c.in !== undefined && !model.boundaries.some((b) => b.id === c.in))
        return [unknownId(c.in, 'boundary')];
      return [];
    }
    case 'remove-component':
      return find(model, e.component)?.kind === 'component' ? [] : [unknownId(e.component, 'component')];
    default:
      return ['Unknown edit.'];
  }
}

function checkValue(
  model: Model,
  kind: ElementKind,
  attribute: string,
  spec: FieldType,
  value: unknown,
): string[] {
  const what = `${attribute} of a ${kind}`;
  switch (spec.type) {
    case 'tri-state':
      return value === true || value === false || value === 'unknown'
        ? []
        : [`${what} is true, false or unknown, not ${shown(value)}.`];
    case 'enum': {
      if (typeof value === 'string' && spec.values.includes(value)) return [];
      const near = typeof value === 'string' ? closest(value, spec.values, 2) : [];
      return [
        `${shown(value)} is not a valid ${attribute}${near.length > 0 ? ` (did you mean ${andList(near, 'or')}?)` : ''}; valid: ${valid(spec.values)}.`,
      ];
    }
    case 'enum-list': {
      if (!Array.isArray(value)) return [`${what} is a list of: ${valid(spec.values)}.`];
      const bad = value.filter((v) => typeof v !== 'string' || !spec.values.includes(v));
      if (bad.length === 0) return [];
      const near = bad.flatMap((b) => (typeof b === 'string' ? closest(b, spec.values, 1) : []));
      return [
        `${bad.map((b) => shown(b)).join(', ')} ${bad.length === 1 ? 'is' : 'are'} not valid in ${attribute}${near.length > 0 ? ` (did you mean ${andList(near, 'or')}?)` : ''}; valid: ${valid(spec.values)}.`,
      ];
    }
    case 'integer':
      return typeof value === 'number' && Number.isInteger(value) && value >= spec.min
        ? []
        : [`${what} is a whole number of at least ${spec.min}, not ${shown(value)}.`];
    case 'ref':
    case 'ref-list': {
      const ids = spec.type === 'ref' ? [value] : Array.isArray(value) ? value : [value];
      const pool = existing(model, spec.to);
      const out: string[] = [];
      for (const id of ids) {
        if (typeof id === 'string' && pool.includes(id)) continue;
        const near = typeof id === 'string' ? closest(id, pool) : [];
        out.push(
          `There is no ${spec.to === 'data' ? 'data asset' : spec.to} ${shown(id)}${near.length > 0 ? ` (did you mean ${andList(near, 'or')}?)` : ''}; valid: ${valid(pool)}.`,
        );
      }
      return out;
    }
    case 'text':
      return typeof value === 'string' ? [] : [`${what} is text.`];
    case 'text-list':
      return Array.isArray(value) && value.every((v) => typeof v === 'string')
        ? []
        : [`${what} is a list of text.`];
    default:
      return [];
  }
}

function existing(model: Model, kind: ElementKind): string[] {
  switch (kind) {
    case 'boundary':
      return model.boundaries.map((b) => b.id).sort(cmp);
    case 'identity':
      return model.identities.map((b) => b.id).sort(cmp);
    case 'data':
      return model.data.map((b) => b.id).sort(cmp);
    case 'component':
      return model.components.map((b) => b.id).sort(cmp);
    case 'flow':
      return model.flows.map(flowId).sort(cmp);
    default:
      return [];
  }
}

/** The kind of element an id names in a model, if any. */
export function kindIn(model: Model, id: string): ElementKind | undefined {
  return find(model, id)?.kind;
}

/** The current value of an attribute, for descriptions. */
export function currentValue(model: Model, id: string, attribute: string): unknown {
  return find(model, id)?.item[attribute];
}

/** The attribute of an element a what-if may set, with its type; undefined if there is none. */
export function fieldOf(kind: ElementKind, attribute: string): FieldType | undefined {
  return FIELDS[kind][attribute];
}

/** Applies edits to a copy of the model; returns the copy and notes (no-ops, side effects). */
export function applyEdits(model: Model, edits: readonly Edit[]): { model: Model; notes: string[] } {
  const m = copyModel(model);
  const notes: string[] = [];
  const dropQuestionsAbout = (ids: ReadonlySet<string>) => {
    m.questions = m.questions.filter((q) => !ids.has(q.subject));
  };
  for (const e of edits) {
    switch (e.op) {
      case 'set': {
        const hit = find(m, e.element) as { item: Item };
        const before = hit.item[e.attribute];
        if (JSON.stringify(before) === JSON.stringify(e.value))
          notes.push(`${e.element} already has ${e.attribute}: ${shown(e.value)}.`);
        hit.item[e.attribute] = structuredClone(e.value);
        break;
      }
      case 'clear': {
        const hit = find(m, e.element) as { item: Item };
        if (hit.item[e.attribute] === undefined)
          notes.push(`${e.element} does not state ${e.attribute} anyway.`);
        delete hit.item[e.attribute];
        break;
      }
      case 'add': {
        const hit = find(m, e.element) as { item: Item };
        const list = hit.item[e.attribute];
        if (Array.isArray(list)) {
          if (list.includes(e.value)) notes.push(`${e.element} already lists ${e.value} in ${e.attribute}.`);
          else list.push(e.value);
        } else {
          hit.item[e.attribute] = [e.value];
          notes.push(
            `${e.element} stated no ${e.attribute} before; the change states the list, and a stated list is complete: anything not in it is now known to be absent.`,
          );
        }
        break;
      }
      case 'remove': {
        const hit = find(m, e.element) as { item: Item };
        const list = hit.item[e.attribute] as unknown[];
        hit.item[e.attribute] = list.filter((v) => v !== e.value);
        break;
      }
      case 'narrow-grant': {
        const identity = m.identities.find((x) => x.id === e.identity) as Identity;
        identity.grants = (identity.grants ?? []).map((g): Grant => {
          if (g.resource !== e.resource) return g;
          const next: Grant = { resource: g.resource, actions: e.actions as Grant['actions'] };
          const scope = e.scope ?? g.scope;
          if (scope !== undefined) next.scope = scope;
          return next;
        });
        break;
      }
      case 'remove-grant': {
        const identity = m.identities.find((x) => x.id === e.identity) as Identity;
        identity.grants = (identity.grants ?? []).filter((g) => g.resource !== e.resource);
        break;
      }
      case 'add-flow':
        m.flows.push(structuredClone(e.flow));
        break;
      case 'remove-flow': {
        const gone = find(m, e.flow)?.item as Flow;
        m.flows = m.flows.filter((f) => f !== gone);
        dropQuestionsAbout(new Set([flowId(gone), `${gone.from}->${gone.to}`]));
        break;
      }
      case 'add-component':
        m.components.push(structuredClone(e.component));
        break;
      case 'remove-component': {
        const id = e.component;
        const flows = m.flows.filter((f) => f.from === id || f.to === id);
        m.components = m.components.filter((c) => c.id !== id);
        m.flows = m.flows.filter((f) => !flows.includes(f));
        for (const i of m.identities) {
          if (i.grants?.some((g) => g.resource === id)) i.grants = i.grants.filter((g) => g.resource !== id);
          if (i['assumable-by']?.includes(id)) i['assumable-by'] = i['assumable-by'].filter((x) => x !== id);
        }
        dropQuestionsAbout(new Set([id, ...flows.flatMap((f) => [flowId(f), `${f.from}->${f.to}`])]));
        if (flows.length > 0)
          notes.push(`Removing ${id} also removes its flows: ${andList(flows.map(flowId).sort(cmp))}.`);
        break;
      }
      default:
        break;
    }
  }
  return { model: m, notes };
}

/** One edit in words: "orders-db-dr-replication: encrypted false → true". */
export function describeEdit(model: Model, e: Edit): string {
  switch (e.op) {
    case 'set':
      return `${e.element}: ${e.attribute} ${shown(currentValue(model, e.element, e.attribute))} → ${shown(e.value)}`;
    case 'clear':
      return `${e.element}: ${e.attribute} ${shown(currentValue(model, e.element, e.attribute))} → (not stated)`;
    case 'add': {
      const before = currentValue(model, e.element, e.attribute);
      const list = Array.isArray(before) ? before : [];
      return `${e.element}: ${e.attribute} ${shown(before)} → ${shown(list.includes(e.value) ? list : [...list, e.value])}`;
    }
    case 'remove': {
      const before = currentValue(model, e.element, e.attribute);
      const list = Array.isArray(before) ? before : [];
      return `${e.element}: ${e.attribute} ${shown(before)} → ${shown(list.filter((v) => v !== e.value))}`;
    }
    case 'narrow-grant': {
      const g = model.identities
        .find((x) => x.id === e.identity)
        ?.grants?.find((x) => x.resource === e.resource);
      const scope = e.scope ? `, scope ${shown(e.scope)}` : '';
      return `${e.identity}: grant on ${e.resource} ${shown(g?.actions)} → ${shown(e.actions)}${scope}`;
    }
    case 'remove-grant':
      return `${e.identity}: grant on ${e.resource} removed`;
    case 'add-flow': {
      const f = e.flow;
      const facts = [
        f.protocol ? `protocol ${f.protocol}` : '',
        f.authn ? `authn ${f.authn}` : '',
        f.encrypted !== undefined ? `encrypted ${shown(f.encrypted)}` : '',
      ].filter(Boolean);
      return `new flow ${flowId(f)}${facts.length > 0 ? ` (${facts.join(', ')})` : ''}`;
    }
    case 'remove-flow':
      return `flow ${e.flow} removed`;
    case 'add-component':
      return `new component ${e.component.id} (${e.component.kind}${e.component.in ? ` in ${e.component.in}` : ''})`;
    case 'remove-component':
      return `component ${e.component} removed`;
    default:
      return '';
  }
}

export type WhatIfOutcome =
  | {
      ok: true;
      edits: Edit[];
      /** Each edit in words. */
      description: string[];
      /** No-ops and side effects worth knowing. */
      notes: string[];
      /** The analysis of the changed model. */
      analysis: Analysis;
      /** New, resolved, changed and unchanged findings against the context's analysis. */
      diff: FindingsDiff;
    }
  | { ok: false; problems: string[] };

/** Checks a change against the context's model: the problems, in words (empty when valid). */
export function validateChange(ctx: AskContext, change: Change | Edit): string[] {
  const edits = 'edits' in change ? change.edits : [change];
  if (edits.length === 0) return ['The change has no edit.'];
  const out: string[] = [];
  // Each edit is checked against the model as the edits before it left it.
  let model = ctx.loaded.model;
  for (const e of edits) {
    const problems = checkEdit(model, e);
    out.push(...problems);
    if (problems.length === 0) model = applyEdits(model, [e]).model;
  }
  return out;
}

/**
 * Applies a change to a copy of the model, validates the result like a model file, re-analyses it with
 * the context's rules, as-of date and risk decisions, and diffs the findings against the context's
 * analysis. An invalid change is rejected with its problems; nothing is guessed.
 */
export function whatIf(ctx: AskContext, change: Change | Edit): WhatIfOutcome {
  const edits = 'edits' in change ? change.edits : [change];
  const problems = validateChange(ctx, { edits });
  if (problems.length > 0) return { ok: false, problems };
  const original = ctx.loaded.model;
  let model = original;
  const description: string[] = [];
  const notes: string[] = [];
  // Edits of one attribute of one element are described once, from its first value to its last.
  const attributeKey = (e: Edit) =>
    e.op === 'set' || e.op === 'clear' || e.op === 'add' || e.op === 'remove'
      ? `${e.element}\u0000${e.attribute}`
      : undefined;
  const described = new Map<string, number>();
  const firstValue = new Map<string, unknown>();
  for (const e of edits) {
    const key = attributeKey(e);
    if (key !== undefined && 'element' in e && 'attribute' in e && !firstValue.has(key))
      firstValue.set(key, currentValue(model, e.element, e.attribute));
    const next = applyEdits(model, [e]);
    if (key !== undefined && 'element' in e && 'attribute' in e) {
      const text = `${e.element}: ${e.attribute} ${shown(firstValue.get(key))} → ${shown(currentValue(next.model, e.element, e.attribute))}`;
      const at = described.get(key);
      if (at === undefined) {
        described.set(key, description.length);
        description.push(text);
      } else description[at] = text;
    } else description.push(describeEdit(model, e));
    model = next.model;
    notes.push(...next.notes);
  }
  // The changed model must still be a valid model (references, nesting, duplicate ids).
  const json = JSON.stringify(model, null, 1);
  const loaded = loadModelSources([new SourceFile('(what-if)', json, JSON.parse(json))]);
  if (!loaded.ok) {
    const errors = loaded.diagnostics.filter((d) => d.severity === 'error');
    return {
      ok: false,
      problems: errors.slice(0, 5).map((d) => `The changed model is not valid: ${d.message}.`),
    };
  }
  const analysis = reanalyze(ctx, loaded.model);
  return { ok: true, edits, description, notes, analysis, diff: diffFindings(ctx.analysis, analysis) };
}
