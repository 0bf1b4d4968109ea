/**
 * Optional LLM refinement (DESIGN §8), the pure part: the request's messages, checking the answer
 * against the model schema, and merging it into the deterministic reading.
 *
 * Merge rules — deterministic facts win and the LLM only adds:
 * - An element the text reading already has keeps every field it has. The LLM may fill in descriptive
 *   fields it lacks (name, description, tech, environment); they are listed in `source.llm`.
 * - An element only the LLM found is added with `source.origin: llm`, with its structure (id, kind,
 *   names, tech, boundary, flow ends, purpose, data) but without security facts.
 * - Security facts the LLM asserts (encryption, authentication, exposure, controls, trust, secrets,
 *   privileges, permissions, credentials, network, protocol) are never written as facts: each becomes a
 *   question (or is added to the existing question) quoting the suggestion. Unknown facts make findings
 *   assumed, so facts only the LLM gave can make a finding assumed at most, never confirmed.
 * - The LLM never places anything on the internet and never adds a flow from an internet source: that
 *   would make a component exposed on its word alone. Such a flow becomes an `exposure` question.
 */
import type {
  Boundary,
  Component,
  DataAsset,
  Flow,
  Identity,
  ModelFile,
  Question,
  Source,
} from '../../model/schema.js';
import { modelFileSchema, modelJsonSchema } from '../../model/schema.js';
import type { EnglishDocument } from './index.js';
import { nameKey } from './names.js';

export type LlmAnswer = { ok: true; content: string } | { ok: false; reason: string };

export interface ChatMessage {
  role: 'system' | 'user';
  content: string;
}

/** Longest description sent (characters); the deterministic reading covers the whole text anyway. */
const MAX_TEXT = 200_000;

export function llmMessages(docs: readonly EnglishDocument[]): ChatMessage[] {
  const system = [
    'You are a security architect. Read the architecture description the user gives and return the',
    'architecture as ONE JSON object that validates against the JSON Schema below (the ThreatKrew model',
    'format). Rules: state only what the text says; leave a field out (or use "unknown") when the text does',
    'not say it; a flow\'s "from" is the caller; ids are lower-case slugs of the names the text uses; put',
    'people in a boundary of kind "internet"; answer with the JSON object only, no prose.',
    '',
    'JSON Schema:',
    JSON.stringify(modelJsonSchema()),
  ].join('\n');
  let text = docs.map((d) => `File: ${d.file}\n\n${d.text}`).join('\n\n');
  if (text.length > MAX_TEXT) text = `${text.slice(0, MAX_TEXT)}\n[truncated]`;
  return [
    { role: 'system', content: system },
    { role: 'user', content: text },
  ];
}

/** The answer as a model file, or why it is not one. */
export function parseAnswer(content: string): { ok: true; model: ModelFile } | { ok: false; reason: string } {
  const unfenced = content
    .trim()
    .replace(/^```(?:json)?\s*/i, '')
    .replace(/```\s*$/, '');
  let data: unknown;
  try {
    data = JSON.parse(unfenced);
  } catch {
    return { ok: false, reason: 'the LLM answer is not valid JSON' };
  }
  const r = modelFileSchema.safeParse(data);
  if (!r.success) {
    const first = r.error.issues[0];
    const where = first ? first.path.join('.') || '(top level)' : '';
    return {
      ok: false,
      reason: `the LLM answer does not match the model schema (${where}: ${first?.message ?? 'invalid'})`,
    };
  }
  return { ok: true, model: r.data };
}

const SECURITY_COMPONENT_FIELDS = [
  'exposure',
  'enforces',
  'controls',
  'assumes',
  'encrypted-at-rest',
  'privileged',
  'fetches-urls',
  'secrets-in',
  'replicas',
  'runs-as',
  'stores',
  'agreement',
] as const;
const SECURITY_FLOW_FIELDS = ['encrypted', 'authn', 'protocol', 'via', 'actions', 'scope'] as const;
const DESCRIPTIVE = ['name', 'description', 'tech', 'environment'] as const;

export interface Refined {
  model: ModelFile;
  warnings: string[];
}

/** Merges an LLM answer into the deterministic model; a failed answer leaves it unchanged with a warning. */
export function refineWithLlm(base: ModelFile, answer: LlmAnswer, docs: readonly EnglishDocument[]): Refined {
  if (!answer.ok) return { model: base, warnings: [`${answer.reason}; the deterministic reading is used`] };
  const parsed = parseAnswer(answer.content);
  if (!parsed.ok) return { model: base, warnings: [`${parsed.reason}; the deterministic reading is used`] };
  return { model: merge(base, parsed.model, docs), warnings: [] };
}

function locate(docs: readonly EnglishDocument[], ...names: (string | undefined)[]): Source {
  for (const name of names) {
    if (!name || name.length < 2) continue;
    const needle = name.toLowerCase();
    for (const d of docs) {
      const i = d.text.toLowerCase().indexOf(needle);
      if (i < 0) continue;
      const before = d.text.slice(0, i);
      const line = before.split('\n').length;
      const lineStart = before.lastIndexOf('\n') + 1;
      const lineText = (d.text.slice(lineStart).split('\n')[0] ?? '').trim();
      return { file: d.file, line, col: i - lineStart + 1, text: lineText.slice(0, 300), origin: 'llm' };
    }
  }
  return { file: docs[0]?.file ?? '(input)', line: 1, col: 1, text: 'added by an LLM', origin: 'llm' };
}

/** Stands for a component the LLM put on the internet, which is never added. */
const ON_THE_INTERNET = '\u0000internet';

const show = (v: unknown) => (typeof v === 'string' ? v : JSON.stringify(v));

function merge(base: ModelFile, extra: ModelFile, docs: readonly EnglishDocument[]): ModelFile {
  const out: ModelFile = structuredClone(base);
  const used = new Set<string>();
  for (const list of [out.boundaries, out.components, out.identities, out.data, out.flows]) {
    for (const e of list ?? []) if ((e as { id?: string }).id) used.add((e as { id: string }).id);
  }
  const unique = (wanted: string) => {
    let id = wanted;
    for (let n = 2; used.has(id); n++) id = `${wanted}-${n}`;
    used.add(id);
    return id;
  };
  const questions: Question[] = [...(out.questions ?? [])];
  const ask = (subject: string, attribute: string, text: string, suggestion: unknown, source: Source) => {
    const note = ` (an LLM suggested: ${show(suggestion)})`;
    const existing = questions.find((q) => q.subject === subject && q.attribute === attribute);
    if (existing) {
      if (!existing.text.includes('an LLM suggested')) existing.text += note;
      return;
    }
    questions.push({
      id: `q-${subject.replace(/->/g, '-to-')}-${attribute}`.slice(0, 128),
      subject,
      attribute,
      text: `${text}${note}`,
      source,
    });
  };

  // Boundaries.
  const boundaryMap = new Map<string, string>();
  const baseBoundaries = out.boundaries ?? [];
  for (const b of baseBoundaries) boundaryMap.set(b.id, b.id);
  const internetIds = new Set(baseBoundaries.filter((b) => b.kind === 'internet').map((b) => b.id));
  for (const b of extra.boundaries ?? []) {
    const match = baseBoundaries.find(
      (x) => x.id === b.id || (x.kind === b.kind && nameKey(x.name ?? x.id) === nameKey(b.name ?? b.id)),
    );
    if (match) {
      boundaryMap.set(b.id, match.id);
      continue;
    }
    if (b.kind === 'internet') {
      internetIds.add(b.id);
      continue;
    }
    const id = unique(b.id);
    boundaryMap.set(b.id, id);
    const nb: Boundary = { id, kind: b.kind };
    if (b.provider) nb.provider = b.provider;
    if (b.jurisdiction) nb.jurisdiction = b.jurisdiction;
    if (b.name) nb.name = b.name;
    nb.source = locate(docs, b.name, b.id);
    out.boundaries = [...(out.boundaries ?? []), nb];
  }
  for (const b of extra.boundaries ?? []) {
    const id = boundaryMap.get(b.id);
    const added = out.boundaries?.find((x) => x.id === id && x.source?.origin === 'llm');
    if (added && b.in) {
      const parent = boundaryMap.get(b.in);
      if (parent && parent !== added.id) added.in = parent;
    }
  }

  // Components.
  const compMap = new Map<string, string>();
  const baseComps = out.components ?? [];
  const findComp = (c: Component) =>
    baseComps.find((x) => x.id === c.id) ??
    baseComps.find(
      (x) => nameKey(x.name ?? x.id) === nameKey(c.name ?? c.id) || nameKey(x.id) === nameKey(c.id),
    );
  const internetSources = new Set(
    baseComps.filter((c) => c.in !== undefined && internetIds.has(c.in)).map((c) => c.id),
  );
  for (const c of extra.components ?? []) {
    const match = findComp(c);
    if (match) {
      compMap.set(c.id, match.id);
      const added: string[] = [];
      for (const f of DESCRIPTIVE) {
        if (match[f] === undefined && c[f] !== undefined) {
          (match as Record<string, unknown>)[f] = c[f];
          added.push(f);
        }
      }
      if (added.length > 0 && match.source)
        match.source = { ...match.source, llm: [...(match.source.llm ?? []), ...added] };
      for (const f of SECURITY_COMPONENT_FIELDS) {
        if (c[f] !== undefined && match[f] === undefined) {
          ask(
            match.id,
            f,
            `What is the ${f} of ${match.name ?? match.id}?`,
            c[f],
            match.source ?? locate(docs, match.name, match.id),
          );
        }
      }
      continue;
    }
    if (c.in !== undefined && internetIds.has(c.in)) {
      // People and clients the text did not name: the LLM may not add internet sources.
      compMap.set(c.id, ON_THE_INTERNET);
      continue;
    }
    const id = unique(c.id);
    compMap.set(c.id, id);
    const source = locate(docs, c.name, c.id);
    const nc: Component = { id, kind: c.kind };
    for (const f of DESCRIPTIVE) if (c[f] !== undefined) (nc as Record<string, unknown>)[f] = c[f];
    const where = c.in !== undefined ? boundaryMap.get(c.in) : undefined;
    if (where && !internetIds.has(where)) nc.in = where;
    nc.source = source;
    out.components = [...(out.components ?? []), nc];
    for (const f of SECURITY_COMPONENT_FIELDS) {
      if (c[f] !== undefined) ask(id, f, `What is the ${f} of ${c.name ?? id}?`, c[f], source);
    }
  }

  // Identities: only their existence; permissions and credentials are questions.
  const baseIdentities = out.identities ?? [];
  for (const i of extra.identities ?? []) {
    const match = baseIdentities.find(
      (x) => x.id === i.id || nameKey(x.name ?? x.id) === nameKey(i.name ?? i.id),
    );
    const subject = match?.id ?? unique(i.id);
    const source = match?.source ?? locate(docs, i.name, i.id);
    if (!match) {
      const ni: Identity = { id: subject, kind: i.kind, ...(i.name ? { name: i.name } : {}), source };
      out.identities = [...(out.identities ?? []), ni];
    }
    if (i.grants && !match?.grants)
      ask(subject, 'grants', `What is ${i.name ?? subject} granted, on which resources?`, i.grants, source);
    if (i.credentials && !match?.credentials)
      ask(
        subject,
        'credentials',
        `Are the credentials of ${i.name ?? subject} short-lived or long-lived?`,
        i.credentials,
        source,
      );
  }

  // Data.
  const dataMap = new Map<string, string>();
  const baseData = out.data ?? [];
  for (const d of extra.data ?? []) {
    const match = baseData.find((x) => x.id === d.id || nameKey(x.name ?? x.id) === nameKey(d.name ?? d.id));
    if (match) {
      dataMap.set(d.id, match.id);
      continue;
    }
    const id = unique(d.id);
    dataMap.set(d.id, id);
    const nd: DataAsset = {
      id,
      classification: d.classification,
      ...(d.name ? { name: d.name } : {}),
      source: locate(docs, d.name, d.id),
    };
    out.data = [...(out.data ?? []), nd];
  }

  // Flows.
  const flows = out.flows ?? [];
  const flowId = (f: Flow) => `${f.from}->${f.to}`;
  for (const f of extra.flows ?? []) {
    const from = compMap.get(f.from);
    const to = compMap.get(f.to);
    if (!from || !to || from === to || to === ON_THE_INTERNET) continue;
    if (from === ON_THE_INTERNET) {
      ask(
        to,
        'exposure',
        `Is ${to} reachable from the internet (the LLM read that someone on the internet calls it)?`,
        'public',
        locate(docs, f.to),
      );
      continue;
    }
    const existing = flows.find((x) => x.from === from && x.to === to);
    const source = existing?.source ?? locate(docs, f.name, f.from);
    if (existing) {
      const added: string[] = [];
      for (const k of ['name', 'description'] as const) {
        if (existing[k] === undefined && f[k] !== undefined) {
          existing[k] = f[k];
          added.push(k);
        }
      }
      if (added.length > 0 && existing.source)
        existing.source = { ...existing.source, llm: [...(existing.source.llm ?? []), ...added] };
      for (const k of SECURITY_FLOW_FIELDS) {
        if (f[k] !== undefined && existing[k] === undefined) {
          const attr = k === 'protocol' ? 'encrypted' : k;
          ask(
            existing.id ?? flowId(existing),
            attr,
            `What is the ${attr} of the flow from ${from} to ${to}?`,
            f[k],
            source,
          );
        }
      }
      continue;
    }
    if (internetSources.has(from)) {
      ask(
        to,
        'exposure',
        `Is ${to} reachable from the internet (the LLM read that ${from} calls it)?`,
        'public',
        source,
      );
      continue;
    }
    const nf: Flow = { from, to };
    if (f.name) nf.name = f.name;
    if (f.description) nf.description = f.description;
    if (f.purpose) nf.purpose = f.purpose;
    const data = (f.data ?? []).map((d) => dataMap.get(d)).filter((d): d is string => d !== undefined);
    if (data.length > 0) nf.data = [...new Set(data)];
    nf.source = source;
    flows.push(nf);
    for (const k of SECURITY_FLOW_FIELDS) {
      if (f[k] !== undefined) {
        const attr = k === 'protocol' ? 'encrypted' : k;
        ask(flowId(nf), attr, `What is the ${attr} of the flow from ${from} to ${to}?`, f[k], source);
      }
    }
  }
  if (flows.length > 0) out.flows = flows;

  // The LLM's own questions, where the subject exists and nothing asks the same yet.
  for (const q of extra.questions ?? []) {
    const subject = compMap.get(q.subject) ?? q.subject;
    if (!used.has(subject)) continue;
    if (questions.some((x) => x.subject === subject && x.attribute === q.attribute)) continue;
    questions.push({
      id: `q-${subject}-${q.attribute}`.slice(0, 128),
      subject,
      attribute: q.attribute,
      text: q.text,
      source: locate(docs, q.subject),
    });
  }
  // Question ids must be unique.
  const seen = new Set<string>();
  for (const q of questions) {
    let id = q.id;
    for (let n = 2; seen.has(id); n++) id = `${q.id}-${n}`;
    seen.add(id);
    q.id = id;
  }
  if (questions.length > 0) out.questions = questions;
  return out;
}
