/**
 * "What if ...?": the change read from the question (or the fix of a named finding), applied to a copy
 * of the model, re-analysed, and answered with the findings it resolves, brings and changes; the same
 * `findings` part as `threatkrew diff --format json`.
 */
import type { Finding } from '../../engine/analysis.js';
import { findingJson } from '../../reporters/json/json.js';
import type { Citer } from '../citations.js';
import { rulesOf } from '../context.js';
import { byAnalysisOrder, type Env, SEVERITY_WEIGHT } from '../env.js';
import { capabilityLines, whatIfForms } from '../examples.js';
import { candidateFixes } from '../fixes.js';
import { plural } from '../text.js';
import type { AskAnswer, WhatIfResult } from '../types.js';
import { type Edit, type WhatIfOutcome, whatIf } from '../what-if/change.js';
import { parseChange } from '../what-if/parse.js';
import { answer, citeIdsIn, findingLine, type Question } from './common.js';
import { targetFindings } from './severity.js';

type Ok = Extract<WhatIfOutcome, { ok: true }>;

export function whatIfJson(o: Ok): WhatIfResult {
  return {
    new: o.diff.new.map(findingJson),
    resolved: o.diff.resolved.map(findingJson),
    changed: o.diff.changed.map((c) => ({ id: c.id, field: c.field, old: c.old, new: c.new })),
  };
}

function citeEdits(cite: Citer, edits: readonly Edit[]): void {
  for (const e of edits) {
    if ('element' in e) cite.element(e.element);
    if ('identity' in e) {
      cite.element(e.identity);
      if (e.resource !== '*') cite.element(e.resource);
    }
    if (e.op === 'remove-flow') cite.element(e.flow);
    if (e.op === 'remove-component') cite.element(e.component);
    if (e.op === 'add-flow') cite.element(e.flow.from).element(e.flow.to);
    if (e.op === 'add-component' && e.component.in) cite.element(e.component.in);
  }
}

/** The lines of a what-if result: the change, then resolved, new and changed findings. */
export function whatIfLines(env: Env, o: Ok, cite: Citer, lead = 'What if'): string[] {
  citeEdits(cite, o.edits);
  const d = o.diff;
  const lines = [`${lead}: ${o.description.join('; ')}.`];
  lines.push(...o.notes);
  lines.push(
    `Re-analysed with the same ${plural(rulesOf(env.ctx).length, 'rule')}, as-of date ${env.ctx.asOf} and risk decisions: ${d.resolved.length} resolved, ${d.new.length} new, ${d.changed.length} changed (${env.analysis.findings.length} findings before, ${o.analysis.findings.length} after).`,
  );
  if (d.resolved.length > 0) {
    lines.push('Resolved:');
    for (const f of [...d.resolved].sort(byAnalysisOrder)) {
      cite.finding(f);
      lines.push(`- ${findingLine(f)}`);
    }
  }
  if (d.new.length > 0) {
    lines.push('New:');
    for (const f of d.new) {
      cite.foreignFinding(f);
      lines.push(`- ${findingLine(f)}`);
    }
  }
  if (d.changed.length > 0) {
    lines.push('Changed:');
    for (const c of d.changed) {
      const f = env.findingById.get(c.id) as Finding;
      cite.finding(f);
      lines.push(`- ${c.id} [${f.ruleId}] on ${f.primary.join(', ')}: ${c.field} ${c.old} → ${c.new}`);
    }
  }
  if (d.resolved.length + d.new.length + d.changed.length === 0) {
    lines.push('No finding changes: the rules judge the changed model the same way.');
  } else {
    const before = sum(env.analysis.findings);
    const after = sum(o.analysis.findings);
    lines.push(`Open risk (severity-weighted): ${before} → ${after}.`);
  }
  return lines;
}

function sum(findings: readonly Finding[]): number {
  return findings.filter((f) => f.status === 'open').reduce((s, f) => s + SEVERITY_WEIGHT[f.severity], 0);
}

const FIX_WORDS =
  /\b(?:fix|fixed|fixes|resolve|resolved|mitigate|mitigated|remediate|remediated|address|addressed|close|closed|apply (?:the|its) (?:mitigation|fix|recommendation)|follow(?:ed)? (?:the )?(?:recommendation|advice|mitigation))\b/;

/** "what if we fix 8aaf34011dce474d?": the best candidate change that clears the named finding(s). */
function answerFix(env: Env, q: Question): AskAnswer | undefined {
  if (!FIX_WORDS.test(q.text)) return undefined;
  if (q.findings.length === 0 && q.rules.length === 0) return undefined;
  const targets = targetFindings(env, q)
    .filter((f) => f.status === 'open')
    .slice(0, 3);
  if (targets.length === 0) return undefined;
  const cite = env.citer();
  const lines: string[] = [];
  let json: WhatIfResult | undefined;
  for (const f of targets) {
    const options = candidateFixes(env, f);
    let best: Ok | undefined;
    for (const edits of options) {
      const o = whatIf(env.ctx, { edits });
      if (!o.ok || !o.diff.resolved.some((x) => x.id === f.id)) continue;
      const gain = (x: Ok) => sum(env.analysis.findings) - sum(x.analysis.findings);
      if (!best || gain(o) > gain(best)) best = o;
    }
    if (lines.length > 0) lines.push('');
    cite.finding(f);
    if (!best) {
      lines.push(
        `No single model change records the fix of ${f.id} [${f.ruleId}]; it is done outside the model: ${f.mitigation} Once done, record it (a control, an attribute) or add a mitigated risk decision.`,
      );
      continue;
    }
    lines.push(...whatIfLines(env, best, cite, `Fixing ${f.id} [${f.ruleId}] in the model means`));
    json ??= whatIfJson(best);
  }
  return answer('what-if', lines, cite, json ? { whatIf: json } : {});
}

export function answerWhatIf(env: Env, q: Question): AskAnswer | undefined {
  const fix = answerFix(env, q);
  if (fix) return fix;
  const parsed = parseChange(env, q.raw);
  if (!parsed.ok) {
    const cite = env.citer();
    for (const c of parsed.candidates) {
      if (['component', 'flow', 'data', 'identity', 'boundary'].includes(c.kind)) cite.element(c.id);
    }
    if (parsed.kind === 'clarify') return answer('clarify', [parsed.message], cite);
    // A what-if about a compromise ("what if someone steals ...") is an attack-path question.
    if (
      /\b(?:compromised?|breached?|hacked|stolen|steals?|leaked|gets? in|broke in|takes? over|taken over)\b/.test(
        q.text,
      )
    )
      return undefined;
    const forms = whatIfForms(env);
    const more = capabilityLines(env).slice(0, 4);
    citeIdsIn(env, cite, [...forms, ...more]);
    return answer(
      'unknown',
      [
        `${parsed.message} A what-if names an element by id and a change to it; for example:`,
        ...forms.map((f) => `- ${f}`),
        '',
        'Other questions I can answer:',
        ...more.map((c) => `- ${c}`),
      ],
      cite,
    );
  }
  const outcome = whatIf(env.ctx, { edits: parsed.edits });
  const cite = env.citer();
  if (!outcome.ok) {
    citeEdits(
      cite,
      parsed.edits.filter((e) => ('element' in e ? env.view.kindOf(e.element) !== undefined : true)),
    );
    return answer(
      'clarify',
      ['That change cannot be applied:', ...outcome.problems.map((p) => `- ${p}`)],
      cite,
    );
  }
  const lines = whatIfLines(env, outcome, cite);
  if (parsed.notes.length > 0) lines.splice(1, 0, ...parsed.notes);
  return answer('what-if', lines, cite, { whatIf: whatIfJson(outcome) });
}
