/**
 * How `ask` and `chat` print an answer: plain text (the answer, then where the cited elements are
 * written), or JSON (`{ answer, citations, whatIf? }`, the contract of `ask --format json`).
 */
import type { AskAnswer } from './types.js';

/** The JSON form: the answer without its kind; `whatIf` only for what-if answers. */
export function answerJson(a: AskAnswer): Record<string, unknown> {
  const out: Record<string, unknown> = {
    answer: a.answer,
    citations: {
      findings: a.citations.findings,
      elements: a.citations.elements,
      rules: a.citations.rules,
      locations: a.citations.locations.map((l) => ({ file: l.file, line: l.line })),
    },
  };
  if (a.origin) out.origin = a.origin;
  if (a.whatIf) out.whatIf = { new: a.whatIf.new, resolved: a.whatIf.resolved, changed: a.whatIf.changed };
  return out;
}

export function renderAnswerJson(a: AskAnswer): string {
  return `${JSON.stringify(answerJson(a), null, 2)}\n`;
}

/** Plain text: the answer, then the model lines it cites (file:line, grouped by file). */
export function renderAnswerText(a: AskAnswer): string {
  const out = [a.answer];
  if (a.origin === 'llm')
    out.push('', '(Phrased by the LLM; every id it cites was checked against the model.)');
  if (a.citations.locations.length > 0) {
    const byFile = new Map<string, number[]>();
    for (const l of a.citations.locations) byFile.set(l.file, [...(byFile.get(l.file) ?? []), l.line]);
    const parts = [...byFile.entries()].map(([file, lines]) => `${file}:${lines.join(',')}`);
    out.push('', `Model lines: ${parts.join('; ')}`);
  }
  return `${out.join('\n')}\n`;
}
