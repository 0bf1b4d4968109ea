/**
 * What a change does to an architecture and its risk (DESIGN §7): the elements and attributes added,
 * removed and changed between two models, and the findings that are new, resolved, changed or unchanged
 * between their analyses, matched by fingerprint. Pure: both sides are loaded and analysed by the caller.
 */
import type { Analysis, Finding } from '../engine/analysis.js';
import type { Model } from '../model/schema.js';

export const DIFF_SCHEMA = 'threatkrew/diff@1';

export type ChangeType =
  | 'boundary'
  | 'component'
  | 'identity'
  | 'data'
  | 'flow'
  | 'assumption'
  | 'question'
  | 'risk';

export interface ElementChange {
  type: ChangeType;
  id: string;
}

export interface FieldChange extends ElementChange {
  /** A dotted path from the model's top, list items named by id (grants by resource). */
  field: string;
  /** The value before and after; null where there was none. */
  old: unknown;
  new: unknown;
}

export interface ModelDiff {
  added: ElementChange[];
  removed: ElementChange[];
  changed: FieldChange[];
}

export type FindingField = 'confidence' | 'severity' | 'status';

export interface FindingChange {
  id: string;
  field: FindingField;
  old: string;
  new: string;
}

export interface FindingsDiff {
  /** In the new analysis' order (severity first). */
  new: Finding[];
  /** In the old analysis' order. */
  resolved: Finding[];
  /** Sorted by id, then field. */
  changed: FindingChange[];
  /** Sorted ids. */
  unchanged: string[];
}

export interface AnalysisDiff {
  old: Analysis;
  new: Analysis;
  model: ModelDiff;
  findings: FindingsDiff;
}

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

type Item = Record<string, unknown>;

const LISTS: readonly (readonly [keyof Model & string, ChangeType])[] = [
  ['boundaries', 'boundary'],
  ['components', 'component'],
  ['identities', 'identity'],
  ['data', 'data'],
  ['flows', 'flow'],
  ['assumptions', 'assumption'],
  ['questions', 'question'],
  ['risks', 'risk'],
];

/** Where an importer found an element changes with every edit of the text; it is not architecture. */
const IGNORED = new Set(['source']);

function primaryList(v: unknown): string[] {
  return [...new Set(Array.isArray(v) ? (v as string[]) : [v as string])].sort();
}

/** The name of an element in its list: its id, a flow's derived id, a risk's id or what it decides. */
function elementKey(type: ChangeType, item: Item): string {
  if (typeof item.id === 'string') return item.id;
  if (type === 'flow') return `${String(item.from)}->${String(item.to)}`;
  if (type === 'risk') {
    if (typeof item.finding === 'string') return item.finding;
    return `${String(item.rule)}:${primaryList(item.primary).join(',')}`;
  }
  return '';
}

const isRecord = (v: unknown): v is Item => v !== null && typeof v === 'object' && !Array.isArray(v);
const isScalar = (v: unknown) => v === null || typeof v !== 'object';

/** Names the items of a list of mappings: by `id`, grants by `resource`; a repeated name gets `#n`. */
function keyed(items: readonly unknown[]): Map<string, unknown> {
  const out = new Map<string, unknown>();
  items.forEach((item, i) => {
    const base = isRecord(item)
      ? typeof item.id === 'string'
        ? item.id
        : typeof item.resource === 'string'
          ? item.resource
          : String(i)
      : String(i);
    let name = base;
    for (let n = 2; out.has(name); n++) name = `${base}#${n}`;
    out.set(name, item);
  });
  return out;
}

/** A list of scalars is a set: order and repeats are not changes. */
function sameSet(a: readonly unknown[], b: readonly unknown[]): boolean {
  const x = [...new Set(a.map((v) => JSON.stringify(v)))].sort();
  const y = [...new Set(b.map((v) => JSON.stringify(v)))].sort();
  return x.length === y.length && x.every((v, i) => v === y[i]);
}

function sameScalar(field: string, a: unknown, b: unknown): boolean {
  // Protocols are compared case-insensitively (DESIGN §3).
  if (field === 'protocol' && typeof a === 'string' && typeof b === 'string')
    return a.toLowerCase() === b.toLowerCase();
  return a === b;
}

function compare(el: ElementChange, path: string[], a: unknown, b: unknown, out: FieldChange[]): void {
  const field = path[path.length - 1] ?? '';
  const push = (): void => {
    out.push({ ...el, field: path.join('.'), old: a ?? null, new: b ?? null });
  };
  if (a === undefined && b === undefined) return;
  if (a === undefined || b === undefined) {
    push();
    return;
  }
  if (el.type === 'risk' && field === 'primary') {
    if (!sameSet(primaryList(a), primaryList(b))) push();
    return;
  }
  if (Array.isArray(a) && Array.isArray(b)) {
    if (a.every(isScalar) && b.every(isScalar)) {
      if (!sameSet(a, b)) push();
      return;
    }
    const x = keyed(a);
    const y = keyed(b);
    for (const k of [...new Set([...x.keys(), ...y.keys()])].sort(cmp))
      compare(el, [...path, k], x.get(k), y.get(k), out);
    return;
  }
  if (isRecord(a) && isRecord(b)) {
    for (const k of [...new Set([...Object.keys(a), ...Object.keys(b)])].sort(cmp)) {
      if (!IGNORED.has(k)) compare(el, [...path, k], a[k], b[k], out);
    }
    return;
  }
  if (!sameScalar(field, a, b)) push();
}

const byElement = (x: ElementChange, y: ElementChange) => cmp(x.type, y.type) || cmp(x.id, y.id);

/** The architecture changes between two models. Arrays are sorted by type, id, field (UTF-16). */
export function diffModels(oldModel: Model, newModel: Model): ModelDiff {
  const added: ElementChange[] = [];
  const removed: ElementChange[] = [];
  const changed: FieldChange[] = [];
  for (const [list, type] of LISTS) {
    const index = (m: Model) => {
      const map = new Map<string, Item>();
      for (const item of m[list] as unknown as Item[]) map.set(elementKey(type, item), item);
      return map;
    };
    const a = index(oldModel);
    const b = index(newModel);
    for (const [id, item] of b) {
      const before = a.get(id);
      if (!before) {
        added.push({ type, id });
        continue;
      }
      const { id: _x, ...rest } = before;
      const { id: _y, ...now } = item;
      compare({ type, id }, [list, id], rest, now, changed);
    }
    for (const id of a.keys()) if (!b.has(id)) removed.push({ type, id });
  }
  added.sort(byElement);
  removed.sort(byElement);
  changed.sort((x, y) => byElement(x, y) || cmp(x.field, y.field));
  return { added, removed, changed };
}

const FINDING_FIELDS: readonly FindingField[] = ['confidence', 'severity', 'status'];

/**
 * The finding part of a diff, matched by fingerprint: new, resolved, changed (severity, confidence or
 * status) and unchanged. Reused by what-if answers.
 */
export function diffFindings(
  oldAnalysis: Pick<Analysis, 'findings'>,
  newAnalysis: Pick<Analysis, 'findings'>,
): FindingsDiff {
  const before = new Map(oldAnalysis.findings.map((f) => [f.id, f]));
  const after = new Set(newAnalysis.findings.map((f) => f.id));
  const fresh: Finding[] = [];
  const changed: FindingChange[] = [];
  const unchanged: string[] = [];
  for (const f of newAnalysis.findings) {
    const o = before.get(f.id);
    if (!o) {
      fresh.push(f);
      continue;
    }
    let same = true;
    for (const field of FINDING_FIELDS) {
      if (o[field] !== f[field]) {
        changed.push({ id: f.id, field, old: o[field], new: f[field] });
        same = false;
      }
    }
    if (same) unchanged.push(f.id);
  }
  changed.sort((x, y) => cmp(x.id, y.id) || cmp(x.field, y.field));
  return {
    new: fresh,
    resolved: oldAnalysis.findings.filter((f) => !after.has(f.id)),
    changed,
    unchanged: unchanged.sort(cmp),
  };
}

/** Both parts of the diff of two analyses. */
export function diffAnalyses(oldAnalysis: Analysis, newAnalysis: Analysis): AnalysisDiff {
  return {
    old: oldAnalysis,
    new: newAnalysis,
    model: diffModels(oldAnalysis.model, newAnalysis.model),
    findings: diffFindings(oldAnalysis, newAnalysis),
  };
}
