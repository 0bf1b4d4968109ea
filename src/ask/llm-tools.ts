/**
 * The tools an LLM may call under `ask --llm` (issue 8): small, deterministic, sorted and capped views of
 * the model and its Analysis. Every tool answers with a JSON-able object; an unknown id or a bad argument
 * gives `{ error, didYouMean? }`, never an exception. Each run also records which ids it grounds, so the
 * final answer's citations can include the tool results it relied on.
 */
import { FRAMEWORK_KEYS, type FrameworkKey } from '../compliance/catalog.js';
import type { Finding, FindingStatus } from '../engine/analysis.js';
import { SEVERITIES, type Severity, severityRank } from '../engine/severity.js';
import { editDistance } from '../model/diagnostics.js';
import type { ElementKind, View } from '../model/view.js';
import type { IdIndex } from './llm-ids.js';
import type { AskAnswer, AskContext } from './types.js';

/** A chat-completions function tool. */
export interface ToolSpec {
  type: 'function';
  function: { name: string; description: string; parameters: Record<string, unknown> };
}

const STATUSES: readonly FindingStatus[] = ['open', 'accepted', 'mitigated', 'false-positive'];

const tool = (name: string, description: string, properties: Record<string, unknown>, required: string[]) =>
  ({
    type: 'function',
    function: {
      name,
      description,
      parameters: { type: 'object', properties, required, additionalProperties: false },
    },
  }) satisfies ToolSpec;

const str = (description: string) => ({ type: 'string', description });

/** The tools offered to the model, in a fixed order. */
export const ASK_TOOLS: readonly ToolSpec[] = Object.freeze([
  tool(
    'ask_engine',
    'Ask the deterministic ThreatKrew engine a question in plain English. It answers severity, threats to an element, attack paths, what to fix first, what-if changes ("what if X used mTLS?"), frameworks, open questions and terms, with citations. Prefer it first.',
    { question: str('The question, in plain English.') },
    ['question'],
  ),
  tool(
    'search_elements',
    'Find model elements (components, flows, data, identities, boundaries) by words of their id, name, kind, tech or description. Returns ids, names and kinds.',
    { query: str('Words to look for, e.g. "orders database" or "gateway".') },
    ['query'],
  ),
  tool(
    'get_element',
    'One element by id: its written fields, derived facts, where it is written, and the findings on it.',
    { id: str('An element id (a flow may be named <from>-><to>).') },
    ['id'],
  ),
  tool(
    'list_findings',
    'List findings (id, rule, severity, title, primary elements, status), most severe first. All filters are optional.',
    {
      severity: { type: 'string', enum: [...SEVERITIES], description: 'Only this severity.' },
      rule: str('Only findings of this rule id.'),
      element: str('Only findings whose primary or subjects include this element id.'),
      framework: {
        type: 'string',
        enum: [...FRAMEWORK_KEYS],
        description: 'Only findings that map to a control of this framework.',
      },
      control: str('Only findings that map to this control, CWE, CAPEC or ATT&CK id (e.g. SC-8, CWE-319).'),
      status: { type: 'string', enum: [...STATUSES], description: 'Only findings with this status.' },
    },
    [],
  ),
  tool(
    'get_finding',
    'One finding by id: message, evidence, likelihood, impact, severity, confidence, status and risk decision, mitigation, STRIDE, CWE, compliance controls and the open questions that would confirm or clear it.',
    { id: str('A finding id (16 hex characters).') },
    ['id'],
  ),
  tool(
    'get_rule',
    'One rule of the catalogue by id: title, summary, how it detects, why its severity, false positives, references, STRIDE, CWE and compliance mappings, and its findings in this model.',
    { id: str('A rule id (kebab-case).') },
    ['id'],
  ),
  tool(
    'attack_paths',
    'Attack paths from internet entry points, with their weakest link and the findings on them.',
    { to: str('Only paths ending at this component id.') },
    [],
  ),
  tool(
    'open_questions',
    'The open questions: unknown facts whose answers would confirm or clear assumed findings.',
    {},
    [],
  ),
]);

export const TOOL_NAMES: readonly string[] = ASK_TOOLS.map((t) => t.function.name);

/** What one tool call grounds, for the answer's citations. */
export interface Grounds {
  findings: string[];
  elements: string[];
  rules: string[];
  locations: { file: string; line: number }[];
}

export interface ToolRun {
  name: string;
  /** The id or question the call was about (single-entity tools and ask_engine). */
  subject?: string;
  result: Record<string, unknown>;
  ok: boolean;
  /** The ids that an answer relying on this call is grounded in (empty for list tools and errors). */
  grounds: Grounds;
}

const LIMITS = { search: 15, findings: 30, elementFindings: 20, related: 20, paths: 15, questions: 40 };
const MAX_ANSWER_CHARS = 4000;

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
const bySeverity = (a: Finding, b: Finding) =>
  severityRank(a.severity) - severityRank(b.severity) || cmp(a.ruleId, b.ruleId) || cmp(a.id, b.id);
const noGrounds = (): Grounds => ({ findings: [], elements: [], rules: [], locations: [] });

/** Up to `n` items, with the total and whether the list was cut. */
function capped<T>(items: readonly T[], n: number): { total: number; truncated?: true; items: T[] } {
  return items.length > n
    ? { total: items.length, truncated: true, items: items.slice(0, n) }
    : { total: items.length, items: [...items] };
}

/**
 * Close ids for a mistyped one, closest first, at most 5: those within a small edit distance, those that
 * contain it or are contained in it, and those sharing a word (`orders-database` → `orders-db`).
 */
export function suggest(word: string, candidates: Iterable<string>): string[] {
  const w = word.toLowerCase();
  const limit = Math.max(2, Math.floor(word.length / 3));
  const words = new Set(w.split(/[-_.:/@>#\s]+/).filter((x) => x.length >= 3));
  const scored: { id: string; near: boolean; d: number }[] = [];
  for (const c of candidates) {
    const l = c.toLowerCase();
    if (l === w) continue;
    const d = editDistance(w, l);
    const near = d <= limit && d < Math.max(w.length, 1);
    const contains = w.length >= 3 && l.length >= 3 && (l.includes(w) || w.includes(l));
    const shares = l.split(/[-_.:/@>#\s]+/).some((x) => words.has(x));
    if (near || contains || shares) scored.push({ id: c, near, d });
  }
  scored.sort((a, b) => Number(b.near) - Number(a.near) || a.d - b.d || cmp(a.id, b.id));
  return scored.slice(0, 5).map((s) => s.id);
}

/** Runs tools over one AskContext. */
export class AskTools {
  private readonly view: View;

  constructor(
    private readonly ctx: AskContext,
    private readonly index: IdIndex,
    private readonly deterministic: (question: string) => AskAnswer,
  ) {
    this.view = ctx.analysis.view;
  }

  /** Runs a tool by name with its JSON arguments; never throws. */
  run(name: string, argsText: string): ToolRun {
    let args: Record<string, unknown>;
    try {
      const parsed: unknown = argsText.trim() === '' ? {} : JSON.parse(argsText);
      if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed))
        return this.fail(name, 'the arguments must be a JSON object');
      args = parsed as Record<string, unknown>;
    } catch {
      return this.fail(name, 'the arguments are not valid JSON');
    }
    try {
      switch (name) {
        case 'ask_engine':
          return this.askEngine(args);
        case 'search_elements':
          return this.searchElements(args);
        case 'get_element':
          return this.getElement(args);
        case 'list_findings':
          return this.listFindings(args);
        case 'get_finding':
          return this.getFinding(args);
        case 'get_rule':
          return this.getRule(args);
        case 'attack_paths':
          return this.attackPaths(args);
        case 'open_questions':
          return this.openQuestions();
        default:
          return this.fail(name, `there is no tool ${JSON.stringify(name)}`, suggest(name, TOOL_NAMES));
      }
    } catch (e) {
      // A tool must not break the conversation; the failure goes back to the model as an error.
      return this.fail(name, `the tool failed: ${e instanceof Error ? e.message : String(e)}`);
    }
  }

  private fail(name: string, error: string, didYouMean?: string[], subject?: string): ToolRun {
    const result: Record<string, unknown> = { error };
    if (didYouMean && didYouMean.length > 0) result.didYouMean = didYouMean;
    return { name, ...(subject !== undefined ? { subject } : {}), result, ok: false, grounds: noGrounds() };
  }

  private location(id: string): { file: string; line: number } | undefined {
    const l = this.view.location(id);
    return l ? { file: l.file, line: l.line } : undefined;
  }

  private stringArg(
    args: Record<string, unknown>,
    key: string,
    required: boolean,
  ): string | undefined | Error {
    const v = args[key];
    if (v === undefined || v === null || v === '')
      return required ? new Error(`${key} is required`) : undefined;
    if (typeof v !== 'string') return new Error(`${key} must be a string`);
    return v.trim();
  }

  private unknownElement(name: string, id: string): ToolRun {
    return this.fail(
      name,
      `no element has the id ${JSON.stringify(id)}`,
      suggest(id, this.index.elements.keys()),
      id,
    );
  }

  // ---- ask_engine ----------------------------------------------------------------------------------

  private askEngine(args: Record<string, unknown>): ToolRun {
    const question = this.stringArg(args, 'question', true);
    if (question instanceof Error || question === undefined)
      return this.fail('ask_engine', (question as Error).message);
    const a = this.deterministic(question);
    const answer =
      a.answer.length > MAX_ANSWER_CHARS ? `${a.answer.slice(0, MAX_ANSWER_CHARS)} [cut]` : a.answer;
    const result: Record<string, unknown> = { kind: a.kind, answer, citations: a.citations };
    if (a.whatIf) {
      result.whatIf = {
        new: capped(a.whatIf.new, 10),
        resolved: capped(a.whatIf.resolved, 10),
        changed: capped(a.whatIf.changed, 10),
      };
    }
    const c = a.citations;
    return {
      name: 'ask_engine',
      subject: question,
      result,
      ok: true,
      grounds: {
        findings: [...c.findings],
        elements: [...c.elements],
        rules: [...c.rules],
        locations: [...c.locations],
      },
    };
  }

  // ---- elements ------------------------------------------------------------------------------------

  private allElements(): { id: string; kind: ElementKind; name?: string; text: string[] }[] {
    const v = this.view;
    const out: { id: string; kind: ElementKind; name?: string; text: string[] }[] = [];
    const add = (
      id: string,
      kind: ElementKind,
      e: { name?: string; description?: string; kind?: string; tech?: string },
    ) => {
      out.push({
        id,
        kind,
        ...(e.name !== undefined ? { name: e.name } : {}),
        text: [e.kind ?? '', e.tech ?? '', e.description ?? ''],
      });
    };
    for (const c of v.components) add(c.id, 'component', c);
    for (const f of v.flows)
      add(f.id, 'flow', { ...f.flow, kind: `${f.flow.protocol ?? ''} ${f.flow.purpose ?? ''}` });
    for (const d of v.data) add(d.id, 'data', { ...d, kind: d.classification });
    for (const i of v.identities) add(i.id, 'identity', i);
    for (const b of v.boundaries) add(b.id, 'boundary', b);
    return out;
  }

  private searchElements(args: Record<string, unknown>): ToolRun {
    const query = this.stringArg(args, 'query', false);
    if (query instanceof Error) return this.fail('search_elements', query.message);
    const words = (query ?? '')
      .toLowerCase()
      .split(/[^a-z0-9]+/)
      .filter(Boolean);
    const scored: { id: string; kind: ElementKind; name?: string; score: number }[] = [];
    const kindOrder: ElementKind[] = ['component', 'data', 'flow', 'identity', 'boundary'];
    for (const e of this.allElements()) {
      const id = e.id.toLowerCase();
      const name = (e.name ?? '').toLowerCase();
      const other = e.text.join(' ').toLowerCase();
      let score = words.length === 0 ? 1 : 0;
      if (query && id === query.toLowerCase()) score += 100;
      for (const w of words) {
        if (id.includes(w)) score += 10;
        if (name.includes(w)) score += 8;
        if (other.includes(w)) score += 3;
      }
      if (score > 0) scored.push({ id: e.id, kind: e.kind, ...(e.name ? { name: e.name } : {}), score });
    }
    scored.sort(
      (a, b) => b.score - a.score || kindOrder.indexOf(a.kind) - kindOrder.indexOf(b.kind) || cmp(a.id, b.id),
    );
    const list = capped(
      scored.map(({ score: _, ...rest }) => rest),
      LIMITS.search,
    );
    return {
      name: 'search_elements',
      result: { total: list.total, ...(list.truncated ? { truncated: true } : {}), elements: list.items },
      ok: true,
      grounds: noGrounds(),
    };
  }

  private findingsOn(id: string): Finding[] {
    return this.ctx.analysis.findings.filter(
      (f) => f.primary.includes(id) || Object.values(f.subjects).some((list) => list.includes(id)),
    );
  }

  private getElement(args: Record<string, unknown>): ToolRun {
    const ref = this.stringArg(args, 'id', true);
    if (ref instanceof Error || ref === undefined) return this.fail('get_element', (ref as Error).message);
    const id = this.index.elements.get(ref);
    if (id === undefined) return this.unknownElement('get_element', ref);
    const v = this.view;
    const kind = v.kindOf(id) as ElementKind;
    const related = (ids: readonly string[]) => capped([...ids].sort(), LIMITS.related);
    let written: Record<string, unknown> = {};
    let facts: Record<string, unknown> = {};
    if (kind === 'component') {
      const c = v.component(id);
      written = { ...c };
      facts = {
        boundaries: v.componentBoundaries(id).map((b) => b.id),
        entryPoint: v.isEntryPoint(id),
        exposed: v.isExposed(id),
        internetReachable: v.isInternetReachable(id),
        ...(v.hopsFromEntry(id) !== undefined ? { hopsFromEntry: v.hopsFromEntry(id) } : {}),
        flowsIn: related(v.flowsTo(id).map((f) => f.id)),
        flowsOut: related(v.flowsFrom(id).map((f) => f.id)),
      };
    } else if (kind === 'flow') {
      const f = v.flow(id);
      if (f) {
        written = { ...f.flow };
        facts = {
          from: f.from.id,
          to: f.to.id,
          encrypted: f.encrypted,
          authn: f.authn,
          crosses: f.crosses.map((b) => b.id),
          fromInternet: f.fromInternet,
          crossRegion: f.crossRegion,
          crossAccount: f.crossAccount,
        };
      }
    } else if (kind === 'boundary') {
      written = { ...v.boundary(id) };
      facts = {
        ancestry: v.ancestry(id).map((b) => b.id),
        components: related(v.components.filter((c) => v.isInside(c.id, id)).map((c) => c.id)),
      };
    } else if (kind === 'identity') {
      written = { ...v.identity(id) };
      facts = { usedBy: related(v.runningAs(id).map((c) => c.id)) };
    } else {
      written = { ...v.dataAsset(id) };
      facts = {
        storedBy: related(v.components.filter((c) => c.stores?.includes(id)).map((c) => c.id)),
        carriedBy: related(v.flows.filter((f) => f.data.some((d) => d.id === id)).map((f) => f.id)),
      };
    }
    const source = written.source as { origin?: string; llm?: string[] } | undefined;
    delete written.source;
    const findings = capped(
      this.findingsOn(id)
        .sort(bySeverity)
        .map((f) => ({
          id: f.id,
          rule: f.ruleId,
          severity: f.severity,
          title: f.title,
          status: f.status,
          role: f.primary.includes(id) ? 'primary' : 'subject',
        })),
      LIMITS.elementFindings,
    );
    const location = this.location(id);
    const questions = this.ctx.analysis.questions.filter((q) => q.subject === id).map((q) => q.id);
    const loc = location ? [location] : [];
    return {
      name: 'get_element',
      subject: id,
      result: {
        id,
        kind,
        fields: written,
        facts,
        ...(source?.origin ? { origin: source.origin } : {}),
        ...(source?.llm ? { addedByLlm: source.llm } : {}),
        ...(location ? { location } : {}),
        findings: {
          total: findings.total,
          ...(findings.truncated ? { truncated: true } : {}),
          items: findings.items,
        },
        openQuestions: questions,
      },
      ok: true,
      grounds: { findings: [], elements: [id], rules: [], locations: loc },
    };
  }

  // ---- findings ------------------------------------------------------------------------------------

  private listFindings(args: Record<string, unknown>): ToolRun {
    const name = 'list_findings';
    const get = (k: string) => this.stringArg(args, k, false);
    const severity = get('severity');
    const rule = get('rule');
    const element = get('element');
    const framework = get('framework');
    const control = get('control');
    const status = get('status');
    for (const v of [severity, rule, element, framework, control, status])
      if (v instanceof Error) return this.fail(name, v.message);
    if (typeof severity === 'string' && !(SEVERITIES as readonly string[]).includes(severity))
      return this.fail(
        name,
        `severity must be one of ${SEVERITIES.join(', ')}`,
        suggest(severity, SEVERITIES),
      );
    if (typeof status === 'string' && !(STATUSES as readonly string[]).includes(status))
      return this.fail(name, `status must be one of ${STATUSES.join(', ')}`, suggest(status, STATUSES));
    if (typeof framework === 'string' && !(FRAMEWORK_KEYS as readonly string[]).includes(framework))
      return this.fail(
        name,
        `framework must be one of ${FRAMEWORK_KEYS.join(', ')}`,
        suggest(framework, FRAMEWORK_KEYS),
      );
    if (typeof rule === 'string' && !this.index.rules.has(rule))
      return this.fail(
        name,
        `no rule has the id ${JSON.stringify(rule)}`,
        suggest(rule, this.index.rules.keys()),
      );
    let elementId: string | undefined;
    if (typeof element === 'string') {
      elementId = this.index.elements.get(element);
      if (elementId === undefined) return this.unknownElement(name, element);
    }
    if (typeof control === 'string' && !this.index.controls.has(control))
      return this.fail(
        name,
        `no rule or finding maps to ${JSON.stringify(control)}`,
        suggest(control, this.index.controls),
      );
    const on = elementId === undefined ? undefined : new Set(this.findingsOn(elementId).map((f) => f.id));
    const matches = this.ctx.analysis.findings
      .filter(
        (f) =>
          (severity === undefined || f.severity === (severity as Severity)) &&
          (rule === undefined || f.ruleId === rule) &&
          (on === undefined || on.has(f.id)) &&
          (framework === undefined || (f.compliance[framework as FrameworkKey]?.length ?? 0) > 0) &&
          (control === undefined ||
            [...f.cwe, ...f.capec, ...f.attack, ...Object.values(f.compliance).flat()].includes(
              control as string,
            )) &&
          (status === undefined || f.status === status),
      )
      .sort(bySeverity)
      .map((f) => ({
        id: f.id,
        rule: f.ruleId,
        severity: f.severity,
        confidence: f.confidence,
        status: f.status,
        title: f.title,
        primary: f.primary,
      }));
    const list = capped(matches, LIMITS.findings);
    return {
      name,
      result: { total: list.total, ...(list.truncated ? { truncated: true } : {}), findings: list.items },
      ok: true,
      grounds: noGrounds(),
    };
  }

  private getFinding(args: Record<string, unknown>): ToolRun {
    const id = this.stringArg(args, 'id', true);
    if (id instanceof Error || id === undefined) return this.fail('get_finding', (id as Error).message);
    const f = this.index.findings.get(id);
    if (!f) {
      return this.fail(
        'get_finding',
        `no finding has the id ${JSON.stringify(id)}`,
        suggest(id, this.index.findings.keys()),
        id,
      );
    }
    const questions = f.questions.map((q) => ({ id: q, text: this.index.questions.get(q)?.text ?? '' }));
    const d = f.decision;
    const locations = f.primary.flatMap((p) => {
      const l = this.location(p);
      return l ? [l] : [];
    });
    return {
      name: 'get_finding',
      subject: f.id,
      result: {
        id: f.id,
        rule: f.ruleId,
        title: f.title,
        message: f.message,
        severity: f.severity,
        likelihood: f.likelihood,
        impact: f.impact,
        confidence: f.confidence,
        status: f.status,
        ...(d
          ? {
              decision: {
                status: d.status,
                reason: d.reason,
                ...(d.owner !== undefined ? { owner: d.owner } : {}),
                ...(d.expires !== undefined ? { expires: d.expires } : {}),
                ...(d.how !== undefined ? { how: d.how } : {}),
                expired: d.expired,
              },
            }
          : {}),
        primary: f.primary,
        subjects: f.subjects,
        evidence: f.evidence,
        mitigation: f.mitigation,
        stride: f.stride,
        cwe: f.cwe,
        capec: f.capec,
        attack: f.attack,
        compliance: f.compliance,
        questions,
        ...(locations.length > 0 ? { locations } : {}),
      },
      ok: true,
      grounds: { findings: [f.id], elements: [...f.primary], rules: [f.ruleId], locations },
    };
  }

  // ---- rules, paths, questions -----------------------------------------------------------------------

  private getRule(args: Record<string, unknown>): ToolRun {
    const id = this.stringArg(args, 'id', true);
    if (id instanceof Error || id === undefined) return this.fail('get_rule', (id as Error).message);
    const m = this.index.rules.get(id);
    if (!m)
      return this.fail(
        'get_rule',
        `no rule has the id ${JSON.stringify(id)}`,
        suggest(id, this.index.rules.keys()),
        id,
      );
    const findings = this.ctx.analysis.findings.filter((f) => f.ruleId === id).map((f) => f.id);
    return {
      name: 'get_rule',
      subject: id,
      result: {
        id: m.id,
        title: m.title,
        summary: m.summary,
        detection: m.detection,
        severityRationale: m.severityRationale,
        falsePositives: m.falsePositives,
        stride: m.stride,
        cwe: m.cwe,
        capec: m.capec,
        attack: m.attack,
        compliance: m.compliance,
        references: m.references,
        findingsInThisModel: capped(findings, LIMITS.related),
      },
      ok: true,
      grounds: { findings: [], elements: [], rules: [m.id], locations: [] },
    };
  }

  private attackPaths(args: Record<string, unknown>): ToolRun {
    const to = this.stringArg(args, 'to', false);
    if (to instanceof Error) return this.fail('attack_paths', to.message);
    let target: string | undefined;
    if (to !== undefined) {
      target = this.index.elements.get(to);
      if (target === undefined || this.view.kindOf(target) !== 'component') {
        return this.fail(
          'attack_paths',
          `no component has the id ${JSON.stringify(to)}`,
          suggest(
            to,
            this.view.components.map((c) => c.id),
          ),
          to,
        );
      }
    }
    const paths = this.ctx.analysis.attackPaths
      .filter((p) => target === undefined || p.to === target)
      .sort(
        (a, b) =>
          b.findings.length - a.findings.length ||
          a.hops.length - b.hops.length ||
          cmp(a.to, b.to) ||
          cmp(a.from, b.from) ||
          cmp(a.hops.join(' '), b.hops.join(' ')),
      );
    const list = capped(paths, LIMITS.paths);
    return {
      name: 'attack_paths',
      result: {
        total: list.total,
        ...(list.truncated ? { truncated: true } : {}),
        ...(this.ctx.analysis.bounds.hit ? { searchBoundsHit: true } : {}),
        paths: list.items,
      },
      ok: true,
      grounds: noGrounds(),
    };
  }

  private openQuestions(): ToolRun {
    const askedBy = new Map<string, string[]>();
    for (const f of this.ctx.analysis.findings) {
      for (const q of f.questions) askedBy.set(q, [...(askedBy.get(q) ?? []), f.id]);
    }
    const list = capped(
      [...this.ctx.analysis.questions]
        .sort((a, b) => cmp(a.id, b.id))
        .map((q) => ({
          id: q.id,
          subject: q.subject,
          attribute: q.attribute,
          text: q.text,
          findings: (askedBy.get(q.id) ?? []).slice(0, 5),
        })),
      LIMITS.questions,
    );
    return {
      name: 'open_questions',
      result: { total: list.total, ...(list.truncated ? { truncated: true } : {}), questions: list.items },
      ok: true,
      grounds: noGrounds(),
    };
  }
}
