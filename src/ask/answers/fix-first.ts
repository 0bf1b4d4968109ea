/**
 * "What should we fix first?": fixes ranked by the risk they remove. Each open finding proposes the model
 * changes that would record its mitigation (fixes.ts); every distinct change is re-analysed, and what it
 * really resolves, lowers or adds is weighed by severity (critical 10, high 6, medium 3, low 1). A change
 * that clears several findings at once ranks above one that clears one of the same weight. Findings no
 * single change clears are grouped by the element to fix and ranked by their own weight.
 */
import type { Finding } from '../../engine/analysis.js';
import type { Severity } from '../../engine/severity.js';
import { byAnalysisOrder, type Env, SEVERITY_WEIGHT, severityCounts } from '../env.js';
import { candidateFixes, instruction } from '../fixes.js';
import { andList, cmp, firstSentence, plural } from '../text.js';
import type { AskAnswer } from '../types.js';
import { type Edit, whatIf } from '../what-if/change.js';
import { answer, type Question, typoNotes } from './common.js';

export interface RankedFix {
  /** The model change, when one clears the findings; empty for a manual fix. */
  edits: Edit[];
  /** What to do, in words. */
  action: string;
  resolved: Finding[];
  /** Open findings whose severity the change lowers. */
  lowered: { finding: Finding; to: Severity }[];
  /** Open findings the change brings (from the changed model's analysis). */
  added: Finding[];
  /** Open findings whose severity rises (an assumed one confirmed when a list becomes complete). */
  raised: { finding: Finding; to: Severity }[];
  score: number;
}

interface Evaluated {
  edits: Edit[];
  resolved: Finding[];
  lowered: { finding: Finding; to: Severity }[];
  added: Finding[];
  raised: { finding: Finding; to: Severity }[];
}

const w = (s: Severity) => SEVERITY_WEIGHT[s];

/** The most candidate changes re-analysed for one ranking. */
export const MAX_CANDIDATES = 120;

function evaluate(env: Env, edits: Edit[]): Evaluated | undefined {
  const key = `fix:${JSON.stringify(edits)}`;
  if (env.memo.has(key)) return env.memo.get(key) as Evaluated | undefined;
  const outcome = whatIf(env.ctx, { edits });
  let result: Evaluated | undefined;
  if (outcome.ok) {
    const before = new Map(env.analysis.findings.map((f) => [f.id, f]));
    result = {
      edits,
      resolved: outcome.diff.resolved.filter((f) => f.status === 'open'),
      lowered: outcome.diff.changed
        .filter(
          (c) =>
            c.field === 'severity' &&
            before.get(c.id)?.status === 'open' &&
            w(c.new as Severity) < w(c.old as Severity),
        )
        .map((c) => ({ finding: before.get(c.id) as Finding, to: c.new as Severity })),
      added: outcome.diff.new.filter((f) => f.status === 'open'),
      raised: outcome.diff.changed
        .filter(
          (c) =>
            c.field === 'severity' &&
            before.get(c.id)?.status === 'open' &&
            w(c.new as Severity) > w(c.old as Severity),
        )
        .map((c) => ({ finding: before.get(c.id) as Finding, to: c.new as Severity })),
    };
  }
  env.memo.set(key, result);
  return result;
}

function scoreOf(e: Evaluated, remaining: ReadonlySet<string>): number {
  let s = 0;
  for (const f of e.resolved) if (remaining.has(f.id)) s += w(f.severity);
  for (const l of e.lowered) if (remaining.has(l.finding.id)) s += w(l.finding.severity) - w(l.to);
  for (const f of e.added) s -= w(f.severity);
  return s;
}

/** Ranks fixes for the open findings in scope (all open findings by default). */
export function rankFixes(env: Env, scope?: (f: Finding) => boolean): RankedFix[] {
  const open = env.analysis.findings.filter((f) => f.status === 'open' && (!scope || scope(f)));
  // Open findings are in analysis order (most severe first): on a large model only the candidates of
  // the most severe findings are re-analysed, which bounds the work; the rest rank by their own weight.
  const candidates = new Map<string, Edit[]>();
  for (const f of open) {
    if (candidates.size >= MAX_CANDIDATES) break;
    for (const edits of candidateFixes(env, f)) {
      const key = JSON.stringify(edits);
      if (!candidates.has(key)) candidates.set(key, edits);
    }
  }
  const evaluated: Evaluated[] = [];
  for (const key of [...candidates.keys()].sort(cmp)) {
    const e = evaluate(env, candidates.get(key) as Edit[]);
    if (e && (e.resolved.length > 0 || e.lowered.length > 0)) evaluated.push(e);
  }
  const remaining = new Set(open.map((f) => f.id));
  const out: RankedFix[] = [];
  for (;;) {
    let best: Evaluated | undefined;
    let bestScore = 0;
    for (const e of evaluated) {
      const s = scoreOf(e, remaining);
      const n = (x: Evaluated) => x.resolved.filter((f) => remaining.has(f.id)).length;
      if (
        s > bestScore ||
        (best !== undefined &&
          s === bestScore &&
          s > 0 &&
          (n(e) > n(best) ||
            (n(e) === n(best) && cmp(JSON.stringify(e.edits), JSON.stringify(best.edits)) < 0)))
      ) {
        best = e;
        bestScore = s;
      }
    }
    if (!best || bestScore <= 0) break;
    const resolved = best.resolved.filter((f) => remaining.has(f.id)).sort(byAnalysisOrder);
    const lowered = best.lowered.filter((l) => remaining.has(l.finding.id));
    out.push({
      edits: best.edits,
      action: best.edits.map(instruction).join('; '),
      resolved,
      lowered,
      added: best.added,
      raised: best.raised,
      score: bestScore,
    });
    for (const f of resolved) remaining.delete(f.id);
    for (const l of lowered) remaining.delete(l.finding.id);
  }
  // What no single change clears: grouped by the element to fix.
  const byPrimary = new Map<string, Finding[]>();
  for (const f of open) {
    if (!remaining.has(f.id)) continue;
    const key = f.primary.join(', ');
    byPrimary.set(key, [...(byPrimary.get(key) ?? []), f]);
  }
  for (const [primary, list] of byPrimary) {
    const sorted = list.sort(byAnalysisOrder);
    const top = sorted[0] as Finding;
    out.push({
      edits: [],
      action: `work on ${primary}: ${firstSentence(top.mitigation)}`,
      resolved: sorted,
      lowered: [],
      added: [],
      raised: [],
      score: sorted.reduce((s, f) => s + w(f.severity), 0),
    });
  }
  out.sort(
    (a, b) =>
      b.score - a.score ||
      b.resolved.length - a.resolved.length ||
      (a.edits.length === 0 ? 1 : 0) - (b.edits.length === 0 ? 1 : 0) ||
      cmp(a.action, b.action),
  );
  return out;
}

const capitalize = (s: string) => (s === '' ? s : `${s[0]?.toUpperCase()}${s.slice(1)}`);

export function answerFixFirst(env: Env, q: Question): AskAnswer {
  const cite = env.citer();
  const n = Math.min(
    10,
    Math.max(
      1,
      Number(
        /\btop (\d+)\b|\b(\d+) (?:things|fixes|items|changes|actions)\b/
          .exec(q.text)
          ?.slice(1)
          .find(Boolean) ?? 5,
      ),
    ),
  );
  const scopeIds = new Set(q.elements.map((e) => e.id));
  const scope =
    scopeIds.size > 0
      ? (f: Finding) =>
          f.primary.some((p) => scopeIds.has(p)) ||
          [...f.subjects.components, ...f.subjects.flows, ...f.subjects.data, ...f.subjects.identities].some(
            (x) => scopeIds.has(x),
          )
      : undefined;
  cite.elementsOf(scopeIds);
  const open = env.analysis.findings.filter((f) => f.status === 'open' && (!scope || scope(f)));
  const where = scopeIds.size > 0 ? ` concerning ${andList([...scopeIds])}` : '';
  if (open.length === 0) {
    return answer('fix-first', [...typoNotes(q), `Nothing to fix: no open finding${where}.`], cite);
  }
  const fixes = rankFixes(env, scope);
  const total = open.reduce((s, f) => s + w(f.severity), 0);
  const lines = [
    ...typoNotes(q),
    `Fixes ranked by the risk they remove${where} (open findings weighted by severity: critical 10, high 6, medium 3, low 1; each model change checked by re-analysing the changed model):`,
  ];
  const shown = fixes.slice(0, n);
  shown.forEach((fix, i) => {
    for (const f of fix.resolved) cite.finding(f);
    for (const l of fix.lowered) cite.finding(l.finding);
    for (const e of fix.edits) {
      if ('element' in e) cite.element(e.element);
      if ('identity' in e) cite.element(e.identity);
      if (e.op === 'remove-flow') cite.element(e.flow);
    }
    const what =
      fix.edits.length > 0
        ? `resolves ${plural(fix.resolved.length, 'finding')}${fix.resolved.length > 0 ? ` (${severityCounts(fix.resolved)})` : ''}`
        : `clears ${plural(fix.resolved.length, 'finding')} (${severityCounts(fix.resolved)}) when done; no single model change records it`;
    lines.push(`${i + 1}. ${capitalize(fix.action)} — ${what}; risk removed ${fix.score}.`);
    lines.push(
      `   ${fix.resolved.map((f) => `${f.id} [${f.ruleId}] on ${f.primary.join(', ')}`).join('; ')}`,
    );
    if (fix.lowered.length > 0)
      lines.push(
        `   Also lowers ${fix.lowered.map((l) => `${l.finding.id} [${l.finding.ruleId}] ${l.finding.severity} → ${l.to}`).join('; ')}.`,
      );
    if (fix.added.length > 0) {
      for (const f of fix.added) cite.rule(f.ruleId).elementsOf(f.primary);
      lines.push(
        `   But brings a new finding: ${fix.added.map((f) => `${f.severity} [${f.ruleId}] on ${f.primary.join(', ')}`).join('; ')}.`,
      );
    }
    if (fix.raised.length > 0) {
      for (const r of fix.raised) cite.finding(r.finding);
      lines.push(
        `   Recording it also states a complete list, which confirms and raises ${fix.raised.map((r) => `${r.finding.id} [${r.finding.ruleId}] ${r.finding.severity} → ${r.to}`).join('; ')}; record everything else the element does too.`,
      );
    }
    if (fix.edits.length > 0) {
      const top = fix.resolved[0] ?? fix.lowered[0]?.finding;
      if (top) lines.push(`   In practice: ${firstSentence(top.mitigation)}`);
    }
  });
  const removed = shown.reduce((s, f) => s + f.score, 0);
  lines.push(
    `${plural(open.length, 'open finding')}${where} weigh ${total} in all; these ${plural(shown.length, 'fix', 'fixes')} remove ${removed} (${total > 0 ? Math.round((removed / total) * 100) : 0}%).${fixes.length > shown.length ? ` ${fixes.length - shown.length} more fixes follow; ask "top 10 fixes".` : ''}`,
  );
  lines.push('Try one: "what if <change>?" shows exactly what it resolves.');
  return answer('fix-first', lines, cite);
}
