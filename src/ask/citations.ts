/**
 * Citations: the finding ids, element ids and rule ids an answer rests on, with where the View says each
 * cited element is written. Collected while an answer is composed, so nothing is cited that the answer
 * did not use, and nothing is used that does not exist (each id is checked on the way in).
 */
import type { Finding } from '../engine/analysis.js';
import type { View } from '../model/view.js';
import { cmp } from './text.js';
import type { Citations } from './types.js';

export class Citer {
  private readonly findings = new Set<string>();
  private readonly elements = new Set<string>();
  private readonly rules = new Set<string>();

  constructor(
    private readonly view: View,
    private readonly knownFinding: (id: string) => boolean,
    private readonly knownRule: (id: string) => boolean,
  ) {}

  /** Cites a finding, its rule and the elements to fix (its primary). */
  finding(f: Finding, withPrimary = true): this {
    if (this.knownFinding(f.id)) this.findings.add(f.id);
    this.rule(f.ruleId);
    if (withPrimary) for (const p of f.primary) this.element(p);
    return this;
  }

  /**
   * Cites a finding of a what-if's re-analysis (one that is new there): its id, which the answer's
   * `whatIf.new` holds, its rule, and those of its elements that exist in the model asked about.
   */
  foreignFinding(f: Finding): this {
    this.findings.add(f.id);
    this.rule(f.ruleId);
    for (const p of f.primary) this.element(p);
    return this;
  }

  /** Cites an element id; ids the model does not define are ignored (never cited). */
  element(id: string): this {
    if (this.view.kindOf(id) !== undefined) this.elements.add(id);
    return this;
  }

  elementsOf(ids: Iterable<string>): this {
    for (const id of ids) this.element(id);
    return this;
  }

  rule(id: string): this {
    if (this.knownRule(id)) this.rules.add(id);
    return this;
  }

  /** The citations, sorted (UTF-16 code units); locations by file, then line. */
  build(): Citations {
    const elements = [...this.elements].sort(cmp);
    const seen = new Set<string>();
    const locations: { file: string; line: number }[] = [];
    for (const id of elements) {
      // An element an importer made (plain English) is located where its source sentence is.
      const src = this.view.source(id);
      const l = src ? { file: src.file, line: src.line } : this.view.location(id);
      if (!l) continue;
      const key = `${l.file}\u0000${l.line}`;
      if (seen.has(key)) continue;
      seen.add(key);
      locations.push({ file: l.file, line: l.line });
    }
    locations.sort((a, b) => cmp(a.file, b.file) || a.line - b.line);
    return {
      findings: [...this.findings].sort(cmp),
      elements,
      rules: [...this.rules].sort(cmp),
      locations,
    };
  }
}
