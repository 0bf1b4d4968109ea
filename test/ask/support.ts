/** Shared by the ask tests: contexts for the examples, the question data file, and the test's own YAML edits. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isMap, isSeq, parse, parseDocument } from 'yaml';
import { createAskContext } from '../../src/ask/index.js';
import type { AskContext } from '../../src/ask/types.js';
import { loadInputs } from '../../src/cli/commands/inputs.js';
import type { CliIO } from '../../src/cli/io.js';
import { ROOT } from '../support/cli.js';

export const AS_OF = '2026-01-01';

export interface Edit {
  /** A dotted path with `[key]` selectors: list items by id, flows also by `from->to`, grants by resource. */
  set?: string;
  delete?: string;
  append?: string;
  remove?: string;
  /** Removes the list item a path selects. */
  removeItem?: string;
  value?: unknown;
}

export interface Case {
  id: string;
  model: string;
  persona: string;
  q: string;
  kind: string;
  findings?: string[];
  rules?: string[];
  elements?: string[];
  text?: string[];
  absent?: string[];
  whatIf?: { edit: Edit[] };
}

export function loadCases(): Case[] {
  const data = parse(readFileSync(join(ROOT, 'test/ask/questions.yaml'), 'utf8')) as {
    cases: Omit<Case, 'id'>[];
  };
  const seen = new Map<string, number>();
  return data.cases.map((c) => {
    const base = `${c.persona}: ${c.q}`;
    const n = (seen.get(base) ?? 0) + 1;
    seen.set(base, n);
    return { ...c, id: n === 1 ? base : `${base} (${n})` };
  });
}

export const quietIO: CliIO = {
  stdout: () => {},
  stderr: () => {},
  cwd: ROOT,
  env: {},
  today: () => AS_OF,
  now: () => new Date(0),
  isTTY: false,
};

const contexts = new Map<string, AskContext>();

/** The context of an example (loaded like `analyze` loads it: YAML or plain English), cached. */
export function contextOf(model: string): AskContext {
  const hit = contexts.get(model);
  if (hit) return hit;
  const loaded = loadInputs([join(ROOT, model)], quietIO, {});
  const { ctx } = createAskContext(loaded, { asOf: AS_OF });
  contexts.set(model, ctx);
  return ctx;
}

type Seg = string | { key: string };

function segments(path: string): Seg[] {
  const out: Seg[] = [];
  for (const m of path.matchAll(/([^.[\]]+)|\[([^\]]+)\]/g)) {
    if (m[1] !== undefined) out.push(m[1]);
    else out.push({ key: m[2] as string });
  }
  return out;
}

/** Resolves `[key]` selectors to list indexes against the document's data. */
function numericPath(data: unknown, path: string): (string | number)[] {
  const out: (string | number)[] = [];
  let cur: unknown = data;
  for (const seg of segments(path)) {
    if (typeof seg === 'string') {
      out.push(seg);
      cur = (cur as Record<string, unknown> | undefined)?.[seg];
      continue;
    }
    const list = cur as Record<string, unknown>[];
    const i = list.findIndex(
      (x) =>
        x.id === seg.key ||
        x.resource === seg.key ||
        (x.id === undefined && `${x.from}->${x.to}` === seg.key),
    );
    if (i < 0) throw new Error(`test edit: no item [${seg.key}] at ${path}`);
    out.push(i);
    cur = list[i];
  }
  return out;
}

/** Applies the test's own edits to a YAML model text. */
export function editYaml(text: string, edits: readonly Edit[]): string {
  const doc = parseDocument(text);
  for (const e of edits) {
    const data = doc.toJS();
    if (e.set !== undefined) doc.setIn(numericPath(data, e.set), e.value);
    else if (e.delete !== undefined) doc.deleteIn(numericPath(data, e.delete));
    else if (e.removeItem !== undefined) doc.deleteIn(numericPath(data, e.removeItem));
    else if (e.append !== undefined) {
      const path = numericPath(data, e.append);
      const node = doc.getIn(path, true);
      if (isSeq(node)) node.add(doc.createNode(e.value));
      else if (node === undefined) doc.setIn(path, [e.value]);
      else throw new Error(`test edit: ${e.append} is not a list`);
    } else if (e.remove !== undefined) {
      const path = numericPath(data, e.remove);
      const list = doc.getIn(path) as unknown;
      const js = (isSeq(list) ? list.toJSON() : list) as unknown[];
      const i = js.findIndex((x) => JSON.stringify(x) === JSON.stringify(e.value));
      if (i < 0) throw new Error(`test edit: ${String(e.value)} not in ${e.remove}`);
      doc.deleteIn([...path, i]);
    } else throw new Error('test edit: unknown edit');
  }
  void isMap;
  return String(doc);
}
