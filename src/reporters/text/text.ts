/** The report for people at a terminal: findings grouped by severity, with evidence and mitigation. */
import type { Analysis, Finding } from '../../engine/analysis.js';
import { SEVERITIES } from '../../engine/severity.js';
import { decisionPlace, decisionSentence } from '../decision-text.js';

function wrap(text: string, indent: string, width = 100): string[] {
  const words = text.split(/\s+/).filter(Boolean);
  const lines: string[] = [];
  let cur = indent;
  for (const w of words) {
    if (cur.length + w.length + 1 > width && cur.trim().length > 0) {
      lines.push(cur);
      cur = indent;
    }
    cur += cur.trim().length > 0 ? ` ${w}` : w;
  }
  if (cur.trim().length > 0) lines.push(cur);
  return lines;
}

function where(a: Analysis, f: Finding): string {
  const id = f.primary[0] as string;
  const src = a.view.source(id);
  if (src) return `${src.file}:${src.line}:${src.col}`;
  const loc = a.view.location(id);
  return loc ? `${loc.file}:${loc.line}:${loc.col}` : '';
}

export function renderText(a: Analysis): string {
  const out: string[] = [];
  const m = a.model;
  out.push(
    `ThreatKrew analysis of ${m.name}: ${m.components.length} components, ${m.flows.length} flows, ${m.boundaries.length} boundaries`,
  );
  const counts = SEVERITIES.map((s) => `${a.findings.filter((f) => f.severity === s).length} ${s}`).join(
    ', ',
  );
  const assumed = a.findings.filter((f) => f.confidence === 'assumed').length;
  out.push(
    `${a.findings.length} finding${a.findings.length === 1 ? '' : 's'}: ${counts} (${a.findings.length - assumed} confirmed, ${assumed} assumed)`,
  );
  for (const sev of SEVERITIES) {
    const group = a.findings.filter((f) => f.severity === sev);
    if (group.length === 0) continue;
    out.push('', `${sev.toUpperCase()} (${group.length})`);
    for (const f of group) {
      const tags = [
        f.confidence,
        ...(f.status === 'open' ? [] : [f.status]),
        ...(f.baselineState ? [f.baselineState] : []),
      ];
      out.push('', ...wrap(`[${f.ruleId}] ${f.message} (${tags.join(', ')})`, '  '));
      const loc = where(a, f);
      out.push(`    id ${f.id}; fix: ${f.primary.join(', ')}${loc ? `; at ${loc}` : ''}`);
      if (f.decision) {
        const place = decisionPlace(f.decision);
        out.push(
          ...wrap(
            `Decision: ${decisionSentence(f.decision, a.asOf)}${place ? ` (at ${place})` : ''}`,
            '    ',
          ),
        );
      }
      out.push(`    ${f.stride.join(', ')}; ${[...f.cwe, ...f.capec, ...f.attack].join(', ')}`);
      for (const e of f.evidence) out.push(...wrap(`- ${e}`, '    '));
      out.push(...wrap(`Mitigation: ${f.mitigation}`, '    '));
      if (f.questions.length > 0) out.push(`    To confirm, answer: ${f.questions.join(', ')}`);
    }
  }
  if (a.attackPaths.length > 0) {
    out.push('', `ATTACK PATHS TO CROWN JEWELS (${a.attackPaths.length})`);
    for (const p of a.attackPaths) {
      const nodes = [p.from, ...p.hops.map((h) => a.view.flow(h)?.to.id ?? h)];
      const weak = p.weakestLink
        ? `weakest link ${p.weakestLink.flow}: ${p.weakestLink.reason}`
        : 'no weak link';
      out.push(...wrap(`- ${nodes.join(' → ')} (${weak})`, '  '));
    }
    if (a.bounds.hit) {
      out.push(
        `  (bounded: at most ${a.bounds.maxPathsPerTarget} paths per target and ${a.bounds.maxHops} hops)`,
      );
    }
  }
  if (a.questions.length > 0) {
    out.push('', `OPEN QUESTIONS (${a.questions.length})`);
    for (const q of a.questions) out.push(...wrap(`- ${q.text} [${q.id}]`, '  '));
  }
  return `${out.join('\n')}\n`;
}
