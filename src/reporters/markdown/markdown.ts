/**
 * The Markdown report: what a security reviewer hands to management, engineers and auditors. A summary
 * for management, scope and assumptions, the data-flow diagram (Mermaid), findings by severity with
 * evidence and mitigation, open questions, a compliance table, and a rule appendix.
 */
import { FRAMEWORK_KEYS, FRAMEWORK_LABELS, loadCatalog } from '../../compliance/catalog.js';
import type { Analysis, Finding } from '../../engine/analysis.js';
import { SEVERITIES } from '../../engine/severity.js';
import type { Rule } from '../../rules/define-rule.js';
import { decisionPlace, decisionSentence } from '../decision-text.js';
import { renderMermaid } from '../diagram/mermaid.js';

/** Escapes text for Markdown prose and table cells. */
export function mdEscape(text: string): string {
  return text.replace(/[\\`*_[\]<>|#]/g, (c) => `\\${c}`).replace(/\r?\n/g, ' ');
}

const IRREGULAR: Record<string, string> = {
  boundary: 'boundaries',
  identity: 'identities',
  'trust boundary': 'trust boundaries',
};
const plural = (n: number, word: string) => `${n} ${n === 1 ? word : (IRREGULAR[word] ?? `${word}s`)}`;

function where(a: Analysis, f: Finding): string {
  const id = f.primary[0] as string;
  const src = a.view.source(id);
  if (src) return `${src.file}:${src.line}`;
  const loc = a.view.location(id);
  return loc ? `${loc.file}:${loc.line}` : '';
}

function managementSummary(a: Analysis): string[] {
  const out: string[] = ['## Summary', ''];
  const counts = SEVERITIES.map((s) => [s, a.findings.filter((f) => f.severity === s).length] as const);
  const assumed = a.findings.filter((f) => f.confidence === 'assumed').length;
  const open = a.findings.filter((f) => f.status === 'open').length;
  out.push(
    `The analysis of **${mdEscape(a.model.name)}** found ${plural(a.findings.length, 'finding')} (${
      counts
        .filter(([, n]) => n > 0)
        .map(([s, n]) => `${n} ${s}`)
        .join(', ') || 'none'
    }); ${a.findings.length - assumed} rest on facts the model states and ${assumed} on facts it leaves unknown. ${open} ${open === 1 ? 'is' : 'are'} open.`,
    '',
    '| severity | findings |',
    '|---|---|',
    ...counts.map(([s, n]) => `| ${s} | ${n} |`),
    '',
  );
  const top = a.findings.filter((f) => f.severity === 'critical' || f.severity === 'high').slice(0, 5);
  if (top.length > 0) {
    out.push('**Top risks**', '');
    top.forEach((f, i) => {
      out.push(`${i + 1}. **${f.severity}**: ${mdEscape(f.message)} ([${f.id}](#finding-${f.id}))`);
    });
    out.push('');
  }
  out.push(`**Attack paths.** ${attackPathParagraph(a)}`, '');
  return out;
}

function attackPathParagraph(a: Analysis): string {
  const paths = a.attackPaths;
  if (paths.length === 0)
    return 'No path from the internet reaches a component that stores personal, health, card, credential or secret data.';
  const targets = [...new Set(paths.map((p) => p.to))];
  const weak = paths.filter((p) => p.weakestLink !== null);
  const shortest = [...paths].sort((x, y) => x.hops.length - y.hops.length)[0];
  const parts = [
    `${plural(paths.length, 'path')} from the internet reach ${plural(targets.length, 'component')} holding crown-jewel data (${targets.map((t) => mdEscape(a.view.label(t))).join(', ')}).`,
  ];
  if (shortest) {
    parts.push(
      `The shortest runs from ${mdEscape(a.view.label(shortest.from))} to ${mdEscape(a.view.label(shortest.to))} in ${plural(shortest.hops.length, 'hop')}.`,
    );
  }
  if (weak.length > 0) {
    const first = weak[0];
    parts.push(
      `${weak.length} of them ${weak.length === 1 ? 'has' : 'have'} a weak link${first?.weakestLink ? `, for example the flow ${mdEscape(first.weakestLink.flow)} (${mdEscape(first.weakestLink.reason)})` : ''}.`,
    );
  } else {
    parts.push('Every hop on them is strongly authenticated and encrypted.');
  }
  if (a.bounds.hit)
    parts.push(
      `(At most ${a.bounds.maxPathsPerTarget} paths per target of up to ${a.bounds.maxHops} hops are listed.)`,
    );
  return parts.join(' ');
}

function scope(a: Analysis): string[] {
  const m = a.model;
  const out = ['## Scope and assumptions', ''];
  if (m.description) out.push(mdEscape(m.description), '');
  out.push(
    `The model has ${plural(m.components.length, 'component')}, ${plural(m.flows.length, 'flow')}, ${plural(m.boundaries.length, 'trust boundary')}, ${plural(m.data.length, 'data asset')} and ${plural(m.identities.length, 'identity')}.`,
    '',
  );
  if (m.data.length > 0) {
    out.push('| data asset | classification | stored in |', '|---|---|---|');
    const holders = new Map<string, string[]>();
    for (const c of m.components)
      for (const d of c.stores ?? []) holders.set(d, [...(holders.get(d) ?? []), c.id]);
    for (const d of [...m.data].sort((x, y) => (x.id < y.id ? -1 : 1))) {
      out.push(
        `| ${mdEscape(d.name ?? d.id)} | ${d.classification} | ${mdEscape((holders.get(d.id) ?? []).sort().join(', ') || '—')} |`,
      );
    }
    out.push('');
  }
  if (m.assumptions.length > 0) {
    out.push('**Assumptions the team makes**', '');
    for (const as of m.assumptions) out.push(`- ${mdEscape(as.text)} (${mdEscape(as.id)})`);
    out.push('');
  }
  return out;
}

function findingSection(a: Analysis, f: Finding): string[] {
  const out = [
    `<a id="finding-${f.id}"></a>`,
    '',
    `### ${mdEscape(f.title)}: ${mdEscape(f.primary.map((p) => a.view.label(p)).join(', '))}`,
    '',
  ];
  const status = f.status === 'open' ? '' : `, **${f.status}**`;
  const base = f.baselineState ? `, ${f.baselineState}` : '';
  out.push(
    `**${f.severity}** (likelihood ${f.likelihood}, impact ${f.impact}), ${f.confidence}${status}${base}. Rule \`${f.ruleId}\`, id \`${f.id}\`.`,
    '',
  );
  out.push(mdEscape(f.message), '');
  if (f.decision) {
    const place = decisionPlace(f.decision);
    out.push(
      `**Risk decision.** ${mdEscape(decisionSentence(f.decision, a.asOf))}${place ? ` (${mdEscape(place)})` : ''}`,
      '',
    );
  }
  const loc = where(a, f);
  out.push(`- Fix: ${f.primary.map((p) => `\`${p}\``).join(', ')}${loc ? ` (${mdEscape(loc)})` : ''}`);
  const others = Object.values(f.subjects)
    .flat()
    .filter((s) => !f.primary.includes(s));
  if (others.length > 0) out.push(`- Also involved: ${others.map((s) => `\`${s}\``).join(', ')}`);
  out.push(`- STRIDE: ${f.stride.join(', ')}; ${[...f.cwe, ...f.capec, ...f.attack].join(', ')}`);
  out.push('', '**Evidence**', '', ...f.evidence.map((e) => `- ${mdEscape(e)}`), '');
  out.push(`**Mitigation.** ${mdEscape(f.mitigation)}`, '');
  if (f.questions.length > 0)
    out.push(`**To confirm**, answer: ${f.questions.map((q) => `\`${q}\``).join(', ')}`, '');
  return out;
}

function complianceTable(a: Analysis): string[] {
  const catalog = loadCatalog();
  const out = ['## Compliance', '', 'Controls that the findings relate to, by framework.', ''];
  out.push('| framework | control | title | findings |', '|---|---|---|---|');
  let rows = 0;
  for (const k of FRAMEWORK_KEYS) {
    const by = new Map<string, string[]>();
    for (const f of a.findings)
      for (const c of f.compliance[k] ?? []) by.set(c, [...(by.get(c) ?? []), f.id]);
    for (const c of [...by.keys()].sort(compareControlIds)) {
      const ids = by.get(c) ?? [];
      out.push(
        `| ${FRAMEWORK_LABELS[k]} | ${mdEscape(c)} | ${mdEscape(catalog.title(k, c) ?? '')} | ${ids.length}: ${ids.map((i) => `[${i}](#finding-${i})`).join(', ')} |`,
      );
      rows++;
    }
  }
  if (rows === 0) out.push('| — | — | — | — |');
  out.push('');
  return out;
}

/** Sorts control ids naturally (A.5.9 before A.5.10; 8.2.1 before 10.2.1). */
export function compareControlIds(x: string, y: string): number {
  const a = x.split(/(\d+)/);
  const b = y.split(/(\d+)/);
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const p = a[i] as string;
    const q = b[i] as string;
    if (p === q) continue;
    const n = Number(p);
    const m = Number(q);
    if (p !== '' && q !== '' && !Number.isNaN(n) && !Number.isNaN(m)) return n - m;
    return p < q ? -1 : 1;
  }
  return a.length - b.length;
}

function appendix(a: Analysis, rules: readonly Rule[]): string[] {
  const fired = new Set(a.findings.map((f) => f.ruleId));
  const out = [
    '## Rule appendix',
    '',
    'How each rule that produced a finding decides, and where to read more.',
    '',
  ];
  for (const r of rules) {
    if (!fired.has(r.meta.id)) continue;
    const m = r.meta;
    out.push(
      `### \`${m.id}\`: ${mdEscape(m.title)}`,
      '',
      mdEscape(m.summary),
      '',
      `*How it decides.* ${mdEscape(m.detection)}`,
      '',
    );
    out.push(
      `*Severity.* ${mdEscape(m.severityRationale)}`,
      '',
      `*False positives.* ${mdEscape(m.falsePositives)}`,
      '',
    );
    if (m.references.length > 0)
      out.push(...m.references.map((ref) => `- [${mdEscape(ref.title)}](${ref.url})`), '');
  }
  return out;
}

export function renderMarkdown(a: Analysis, ctx: { toolVersion: string; rules: readonly Rule[] }): string {
  const out: string[] = [`# Threat model: ${mdEscape(a.model.name)}`, ''];
  const meta = [`ThreatKrew ${ctx.toolVersion}`];
  if (a.asOf) meta.push(`risk decisions judged as of ${a.asOf}`);
  if (a.generatedAt) meta.push(`generated ${a.generatedAt}`);
  out.push(`*${meta.join('; ')}.*`, '');
  out.push(...managementSummary(a), ...scope(a));
  out.push('## Data-flow diagram', '', '```mermaid', renderMermaid(a, {}).trimEnd(), '```', '');
  out.push('## Findings', '');
  if (a.findings.length === 0) out.push('No findings.', '');
  for (const sev of SEVERITIES) {
    const group = a.findings.filter((f) => f.severity === sev);
    if (group.length === 0) continue;
    out.push(`### ${sev[0]?.toUpperCase()}${sev.slice(1)} (${group.length})`, '');
    for (const f of group) out.push(...findingSection(a, f).map((l) => (l.startsWith('### ') ? `#${l}` : l)));
  }
  out.push('## Open questions', '');
  if (a.questions.length === 0) out.push('None: the model states every fact the rules needed.', '');
  else {
    out.push('Answering these in the model turns assumed findings into confirmed ones, or clears them.', '');
    for (const q of a.questions) out.push(`- ${mdEscape(q.text)} (\`${q.id}\`)`);
    out.push('');
  }
  if (a.attackPaths.length > 0) {
    out.push('## Attack paths', '', '| from | to | hops | weakest link |', '|---|---|---|---|');
    for (const p of a.attackPaths) {
      const route = [p.from, ...p.hops.map((h) => a.view.flow(h)?.to.id ?? h)].map(mdEscape).join(' → ');
      const weak = p.weakestLink
        ? `${mdEscape(p.weakestLink.flow)}: ${mdEscape(p.weakestLink.reason)}`
        : 'none';
      out.push(`| ${mdEscape(p.from)} | ${mdEscape(p.to)} | ${route} | ${weak} |`);
    }
    out.push('');
  }
  out.push(...complianceTable(a), ...appendix(a, ctx.rules));
  return `${out.join('\n').trimEnd()}\n`;
}
