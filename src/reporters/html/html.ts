/**
 * The HTML report: one self-contained file that works offline. No request of any kind leaves the page
 * (a Content-Security-Policy forbids it; styles, script and the SVG diagram are inline). Findings can be
 * filtered by severity, STRIDE category and component; a click on a finding opens its detail; printing
 * (or saving as PDF) expands every finding and hides the controls.
 */
import { FRAMEWORK_KEYS, FRAMEWORK_LABELS } from '../../compliance/catalog.js';
import type { Analysis, Finding } from '../../engine/analysis.js';
import { SEVERITIES } from '../../engine/severity.js';
import { STRIDE } from '../../rules/define-rule.js';
import { decisionPlace, decisionSentence } from '../decision-text.js';
import { renderSvg } from '../diagram/svg.js';
import { HTML_SCRIPT, HTML_STYLE } from './assets.js';

export function esc(text: string): string {
  return text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string,
  );
}

function findingLocation(a: Analysis, f: Finding): string {
  const id = f.primary[0] as string;
  const src = a.view.source(id);
  if (src) return `${src.file}:${src.line}:${src.col}`;
  const loc = a.view.location(id);
  return loc ? `${loc.file}:${loc.line}:${loc.col}` : '';
}

function list(items: readonly string[]): string {
  return items.length === 0 ? '—' : items.map((i) => `<code>${esc(i)}</code>`).join(' ');
}

function findingHtml(a: Analysis, f: Finding): string {
  const components = [
    ...new Set([...f.subjects.components, ...f.primary.filter((p) => a.view.kindOf(p) === 'component')]),
  ].sort();
  const compliance = FRAMEWORK_KEYS.filter((k) => (f.compliance[k] ?? []).length > 0)
    .map((k) => `<dt>${esc(FRAMEWORK_LABELS[k])}</dt><dd>${list(f.compliance[k] ?? [])}</dd>`)
    .join('');
  const loc = findingLocation(a, f);
  return `<details class="finding sev-${f.severity}" id="f-${f.id}" data-severity="${f.severity}" data-stride="${esc(f.stride.join(' '))}" data-components="${esc(components.join(' '))}">
<summary><span class="badge sev-${f.severity}">${f.severity}</span> <span class="rule">${esc(f.ruleId)}</span> <span class="msg">${esc(f.message)}</span> <span class="conf conf-${f.confidence}">${f.confidence}</span>${f.status === 'open' ? '' : ` <span class="status">${esc(f.status)}</span>`}${f.decision?.expired ? ` <span class="status">${f.decision.status === 'accepted' ? 'acceptance' : 'decision'} expired</span>` : ''}${f.baselineState ? ` <span class="status">${f.baselineState}</span>` : ''}</summary>
<div class="detail">
<p class="title">${esc(f.title)} — fix ${list(f.primary)}${loc ? ` <span class="loc">at ${esc(loc)}</span>` : ''}</p>
<dl class="facts"><dt>Likelihood</dt><dd>${f.likelihood}</dd><dt>Impact</dt><dd>${f.impact}</dd><dt>STRIDE</dt><dd>${esc(f.stride.join(', '))}</dd><dt>Weaknesses</dt><dd>${list([...f.cwe, ...f.capec, ...f.attack])}</dd><dt>Elements</dt><dd>${list(Object.values(f.subjects).flat())}</dd><dt>Finding id</dt><dd><code>${f.id}</code></dd></dl>
${f.decision ? `<h4>Risk decision</h4><p>${esc(decisionSentence(f.decision, a.asOf))}${decisionPlace(f.decision) ? ` <span class="loc">at ${esc(decisionPlace(f.decision))}</span>` : ''}</p>\n` : ''}<h4>Evidence</h4><ul>${f.evidence.map((e) => `<li>${esc(e)}</li>`).join('')}</ul>
<h4>Mitigation</h4><p>${esc(f.mitigation)}</p>
${f.questions.length > 0 ? `<h4>To confirm</h4><p>Answer ${list(f.questions)}</p>` : ''}
${compliance ? `<h4>Compliance</h4><dl class="compliance">${compliance}</dl>` : ''}
</div>
</details>`;
}

export async function renderHtml(a: Analysis, ctx: { toolVersion: string }): Promise<string> {
  const svg = await renderSvg(a, {});
  const counts = SEVERITIES.map((s) => [s, a.findings.filter((f) => f.severity === s).length] as const);
  const components = [...new Set(a.findings.flatMap((f) => [...f.subjects.components]))].sort();
  const title = `Threat model: ${a.model.name}`;
  const meta = [`ThreatKrew ${ctx.toolVersion}`];
  if (a.asOf) meta.push(`risk decisions as of ${a.asOf}`);
  if (a.generatedAt) meta.push(`generated ${a.generatedAt}`);
  const paths = a.attackPaths
    .map((p) => {
      const route = [p.from, ...p.hops.map((h) => a.view.flow(h)?.to.id ?? h)].map(esc).join(' → ');
      const weak = p.weakestLink ? `${esc(p.weakestLink.flow)}: ${esc(p.weakestLink.reason)}` : 'none';
      return `<tr><td>${esc(p.to)}</td><td>${route}</td><td>${weak}</td></tr>`;
    })
    .join('\n');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'">
<meta name="generator" content="ThreatKrew ${esc(ctx.toolVersion)}">
<title>${esc(title)}</title>
<style>${HTML_STYLE}</style>
</head>
<body>
<header>
<h1>${esc(title)}</h1>
<p class="meta">${esc(meta.join('; '))}</p>
${a.model.description ? `<p class="description">${esc(a.model.description)}</p>` : ''}
<ul class="counts">${counts.map(([s, n]) => `<li class="sev-${s}"><strong>${n}</strong> ${s}</li>`).join('')}</ul>
<p class="scope">${a.model.components.length} components, ${a.model.flows.length} flows, ${a.model.boundaries.length} trust boundaries, ${a.model.data.length} data assets, ${a.model.identities.length} identities; ${a.findings.filter((f) => f.confidence === 'assumed').length} findings rest on facts the model leaves unknown.</p>
</header>
<main>
<section id="diagram"><h2>Data-flow diagram</h2><p class="hint">Click the diagram to see it at full size.</p><div class="diagram" title="Click to toggle full size">${svg}</div></section>
<section id="findings"><h2>Findings (<span id="shown">${a.findings.length}</span> of ${a.findings.length})</h2>
<form id="filters" class="filters" aria-label="Filter findings">
<fieldset><legend>Severity</legend>${SEVERITIES.map((s) => `<label><input type="checkbox" name="severity" value="${s}" checked> ${s}</label>`).join(' ')}</fieldset>
<label>STRIDE <select name="stride"><option value="">all</option>${STRIDE.map((s) => `<option value="${s}">${s}</option>`).join('')}</select></label>
<label>Component <select name="component"><option value="">all</option>${components.map((c) => `<option value="${esc(c)}">${esc(a.view.label(c))}</option>`).join('')}</select></label>
</form>
<div id="finding-list">
${a.findings.length === 0 ? '<p>No findings.</p>' : a.findings.map((f) => findingHtml(a, f)).join('\n')}
</div>
</section>
<section id="paths"><h2>Attack paths to crown-jewel data</h2>
${paths ? `<table><thead><tr><th>target</th><th>route</th><th>weakest link</th></tr></thead><tbody>${paths}</tbody></table>` : '<p>No path from the internet reaches crown-jewel data.</p>'}
</section>
<section id="questions"><h2>Open questions</h2>
${a.questions.length > 0 ? `<ul>${a.questions.map((q) => `<li>${esc(q.text)} <code>${esc(q.id)}</code></li>`).join('')}</ul>` : '<p>None.</p>'}
</section>
<section id="assumptions"><h2>Assumptions</h2>
${a.model.assumptions.length > 0 ? `<ul>${a.model.assumptions.map((x) => `<li>${esc(x.text)}</li>`).join('')}</ul>` : '<p>None stated.</p>'}
</section>
</main>
<script>${HTML_SCRIPT}</script>
</body>
</html>
`;
}
