/**
 * Checks that need the whole merged model: one id namespace, every reference resolved to an element
 * of the right kind, no cycle in `in`, flow ids, and the conditional fields of risk decisions. It reads
 * the raw parsed data defensively, so it can run even when the schema found problems, and every
 * mistake is reported once, in one run.
 */
import { type Diagnostic, hint, shown } from './diagnostics.js';
import { MODEL_LISTS, type ModelList } from './schema.js';
import type { Path, SourceFile } from './source-file.js';
import { ELEMENT_REF_PATTERN, ID_PATTERN } from './vocabulary.js';

export type ElementType = 'boundary' | 'component' | 'identity' | 'data' | 'flow';

const LIST_TYPE: Partial<Record<ModelList, ElementType>> = {
  boundaries: 'boundary',
  components: 'component',
  identities: 'identity',
  data: 'data',
  flows: 'flow',
};

const ARTICLE: Record<ElementType, string> = {
  boundary: 'a boundary',
  component: 'a component',
  identity: 'an identity',
  data: 'a data asset',
  flow: 'a flow',
};

/** One list item in one file. */
export interface Entry {
  source: SourceFile;
  list: ModelList;
  index: number;
  value: Record<string, unknown>;
}

interface Defined {
  type: ElementType;
  entry: Entry;
}

const isRecord = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === 'object' && !Array.isArray(v);
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

/** The list items of every file, in file order. */
export function collectEntries(sources: readonly SourceFile[]): Entry[] {
  const out: Entry[] = [];
  for (const source of sources) {
    if (!isRecord(source.data)) continue;
    for (const list of MODEL_LISTS) {
      const items = source.data[list];
      if (!Array.isArray(items)) continue;
      items.forEach((value, index) => {
        if (isRecord(value)) out.push({ source, list, index, value });
      });
    }
  }
  return out;
}

export function derivedFlowId(from: string, to: string): string {
  return `${from}->${to}`;
}

export interface CheckResult {
  diagnostics: Diagnostic[];
  /** Element id → where it is defined (for locating findings and diagnostics later). */
  defined: Map<string, Defined>;
}

export function checkModel(sources: readonly SourceFile[], entries: readonly Entry[]): CheckResult {
  const diagnostics: Diagnostic[] = [];
  const at = (
    entry: Entry,
    path: Path,
    message: string,
    where: 'value' | 'key' = 'value',
    severity: 'error' | 'warning' = 'error',
  ) => {
    const p = entry.source.locate([entry.list, entry.index, ...path], where);
    diagnostics.push({ severity, file: entry.source.file, line: p.line, col: p.col, message });
  };
  const place = (entry: Entry, path: Path = ['id']) => {
    const p = entry.source.locate([entry.list, entry.index, ...path]);
    return `${entry.source.file}:${p.line}:${p.col}`;
  };

  // 1. Names: one namespace for elements; assumptions, questions and risks have their own.
  const defined = new Map<string, Defined>();
  const byType: Record<ElementType, string[]> = {
    boundary: [],
    component: [],
    identity: [],
    data: [],
    flow: [],
  };
  const ownSpaces: Partial<Record<ModelList, Map<string, Entry>>> = {
    assumptions: new Map(),
    questions: new Map(),
    risks: new Map(),
  };
  const flowEnds = new Map<string, Entry>();
  for (const entry of entries) {
    const type = LIST_TYPE[entry.list];
    const id = str(entry.value.id);
    if (!type) {
      const space = ownSpaces[entry.list];
      if (space && id !== undefined) {
        const first = space.get(id);
        if (first)
          at(
            entry,
            ['id'],
            `duplicate ${entry.list.replace(/s$/, '')} id '${shown(id)}': already used at ${place(first)}`,
          );
        else space.set(id, entry);
      }
      continue;
    }
    let name = id;
    if (type === 'flow' && id === undefined) {
      const from = str(entry.value.from);
      const to = str(entry.value.to);
      if (from === undefined || to === undefined) continue;
      name = derivedFlowId(from, to);
      const first = flowEnds.get(name);
      if (first) {
        at(
          entry,
          [],
          `a second flow from '${shown(from)}' to '${shown(to)}' without an id (the first is at ${place(first, [])}); give each an \`id\``,
        );
        continue;
      }
      flowEnds.set(name, entry);
    }
    if (name === undefined) continue;
    const first = defined.get(name);
    if (first) {
      const what = first.type === type ? '' : ` as ${ARTICLE[first.type]}`;
      at(
        entry,
        id === undefined ? [] : ['id'],
        `duplicate id '${shown(name)}': already defined${what} at ${place(first.entry, first.entry.value.id === undefined ? [] : ['id'])}`,
      );
      continue;
    }
    defined.set(name, { type, entry });
    byType[type].push(name);
  }

  // 2. References.
  const refCheck = (entry: Entry, path: Path, value: unknown, want: readonly ElementType[], role: string) => {
    const id = str(value);
    // The common case first: a reference to a defined element of a wanted kind has nothing to report
    // (below, a well-formed one passes every check and an ill-formed one is left to the schema).
    if (id !== undefined) {
      const d = defined.get(id);
      if (d && want.includes(d.type)) return;
    }
    // A type or format error is already reported; flows may also be named by their derived ids.
    if (id === undefined || !(want.includes('flow') ? ELEMENT_REF_PATTERN : ID_PATTERN).test(id)) return;
    const d = defined.get(id);
    if (!d) {
      const pool = want.flatMap((t) => byType[t]);
      const noun = want.length === 1 ? (want[0] === 'data' ? 'data asset' : want[0]) : 'element';
      at(entry, path, `unknown ${noun} '${id}' in \`${role}\`${hint(id, pool)}`);
      return;
    }
    if (!want.includes(d.type)) {
      const expected = want.map((t) => ARTICLE[t]).join(' or ');
      at(entry, path, `'${id}' is ${ARTICLE[d.type]}; \`${role}\` must name ${expected}`);
    }
  };
  const listRefs = (entry: Entry, key: string, want: readonly ElementType[]) => {
    const v = entry.value[key];
    if (!Array.isArray(v)) return;
    v.forEach((item, i) => {
      refCheck(entry, [key, i], item, want, key);
    });
  };
  // The wanted kinds, allocated once rather than at every reference.
  const ANY: readonly ElementType[] = ['boundary', 'component', 'identity', 'data', 'flow'];
  const BOUNDARY: readonly ElementType[] = ['boundary'];
  const COMPONENT: readonly ElementType[] = ['component'];
  const IDENTITY: readonly ElementType[] = ['identity'];
  const DATA: readonly ElementType[] = ['data'];
  const ASSUMER: readonly ElementType[] = ['component', 'identity', 'boundary'];
  for (const entry of entries) {
    const v = entry.value;
    switch (entry.list) {
      case 'boundaries':
        refCheck(entry, ['in'], v.in, BOUNDARY, 'in');
        break;
      case 'components':
        refCheck(entry, ['in'], v.in, BOUNDARY, 'in');
        refCheck(entry, ['runs-as'], v['runs-as'], IDENTITY, 'runs-as');
        listRefs(entry, 'stores', DATA);
        break;
      case 'identities':
        if (Array.isArray(v.grants)) {
          v.grants.forEach((g, i) => {
            if (isRecord(g) && g.resource !== '*')
              refCheck(entry, ['grants', i, 'resource'], g.resource, COMPONENT, 'resource');
          });
        }
        if (Array.isArray(v['assumable-by'])) {
          v['assumable-by'].forEach((who, i) => {
            if (who !== '*') {
              refCheck(entry, ['assumable-by', i], who, ASSUMER, 'assumable-by');
            }
          });
        }
        break;
      case 'flows':
        refCheck(entry, ['from'], v.from, COMPONENT, 'from');
        refCheck(entry, ['to'], v.to, COMPONENT, 'to');
        listRefs(entry, 'data', DATA);
        break;
      case 'questions':
        refCheck(entry, ['subject'], v.subject, ANY, 'subject');
        break;
      case 'risks':
        checkRisk(entry, at);
        break;
      default:
        break;
    }
  }

  // 3. Cycles in boundary nesting: one error per cycle, at the `in` of the cycle's first id.
  const parent = new Map<string, string>();
  for (const id of byType.boundary) {
    const p = str(defined.get(id)?.entry.value.in);
    if (p !== undefined && defined.get(p)?.type === 'boundary') parent.set(id, p);
  }
  const state = new Map<string, 'visiting' | 'done'>();
  for (const start of [...byType.boundary].sort()) {
    const trail: string[] = [];
    let cur: string | undefined = start;
    while (cur !== undefined && !state.has(cur)) {
      state.set(cur, 'visiting');
      trail.push(cur);
      cur = parent.get(cur);
    }
    if (cur !== undefined && state.get(cur) === 'visiting') {
      const cycle = trail.slice(trail.indexOf(cur));
      const first = [...cycle].sort()[0] as string;
      const rot = [...cycle.slice(cycle.indexOf(first)), ...cycle.slice(0, cycle.indexOf(first)), first];
      const d = defined.get(first);
      if (d)
        at(
          d.entry,
          ['in'],
          `boundary '${first}' is nested inside itself: ${rot.join(' → ')}; remove one \`in\``,
        );
    }
    for (const t of trail) state.set(t, 'done');
  }

  // 4. The merged model's header.
  checkHeader(sources, diagnostics);
  return { diagnostics, defined };
}

/** The conditional fields of one risk decision (DESIGN §7); also run on `--risks` side files. */
export function checkRisk(entry: Entry, at: (e: Entry, p: Path, m: string, w?: 'value' | 'key') => void) {
  const v = entry.value;
  const hasFinding = v.finding !== undefined;
  const hasRule = v.rule !== undefined || v.primary !== undefined;
  if (hasFinding && hasRule)
    at(entry, [], 'a risk decision names either `finding` or `rule` with `primary`, not both');
  else if (!hasFinding && !hasRule)
    at(entry, [], 'a risk decision needs `finding` (a finding id) or `rule` with `primary`');
  else if (hasRule && (v.rule === undefined || v.primary === undefined)) {
    at(
      entry,
      [],
      `a risk decision with \`${v.rule === undefined ? 'primary' : 'rule'}\` needs \`${v.rule === undefined ? 'rule' : 'primary'}\` too`,
    );
  }
  if (v.status === 'accepted') {
    if (v.owner === undefined) at(entry, [], 'an accepted risk needs an `owner` (who accepted it)');
    if (v.expires === undefined) at(entry, [], 'an accepted risk needs `expires` (YYYY-MM-DD)');
  }
  if (v.status === 'mitigated' && v.how === undefined)
    at(entry, [], 'a mitigated risk needs `how` (what was done)');
  const expires = str(v.expires);
  if (expires !== undefined && /^\d{4}-\d{2}-\d{2}$/.test(expires)) {
    const d = new Date(`${expires}T00:00:00Z`);
    if (Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== expires) {
      at(entry, ['expires'], `'${expires}' is not a calendar date`);
    }
  }
}

function checkHeader(sources: readonly SourceFile[], diagnostics: Diagnostic[]) {
  let named: { name: string; source: SourceFile } | undefined;
  for (const source of sources) {
    if (!isRecord(source.data)) continue;
    const name = source.data.name;
    if (typeof name !== 'string') continue;
    if (!named) named = { name, source };
    else if (named.name !== name) {
      const p = source.locate(['name']);
      const q = named.source.locate(['name']);
      diagnostics.push({
        severity: 'error',
        file: source.file,
        line: p.line,
        col: p.col,
        message: `the model is named '${shown(named.name)}' at ${named.source.file}:${q.line}:${q.col}; files of one model must agree on \`name\``,
      });
    }
  }
  const first = sources.find((s) => isRecord(s.data));
  if (!named && first && isRecord(first.data) && first.data.name === undefined) {
    const p = first.locate([]);
    diagnostics.push({
      severity: 'error',
      file: first.file,
      line: p.line,
      col: p.col,
      message: 'the model needs a `name` (give it in one of its files)',
    });
  }
}
