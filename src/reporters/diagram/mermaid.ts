/**
 * The data-flow diagram as a Mermaid flowchart (Mermaid 10 and later): one `subgraph` per trust
 * boundary, node shapes by component kind, a `classDef` per severity, dashed links for unencrypted
 * flows and thick ones for unauthenticated flows, and a legend subgraph. Ids are mapped to
 * Mermaid-safe identifiers; labels are quoted, with Mermaid's entity codes for the characters that
 * would end or change them, and contain no HTML.
 */
import type { Analysis } from '../../engine/analysis.js';
import { SEVERITIES, type Severity } from '../../engine/severity.js';
import {
  buildGraph,
  CATEGORY_LABELS,
  cmp,
  type DiagramCluster,
  type DiagramEdge,
  type DiagramNode,
  type DiagramOptions,
  type NodeCategory,
} from './graph.js';
import { boundaryColours, CLEAN, ENCRYPTION_COLOURS, edgeColour, SEVERITY_COLOURS } from './palette.js';

/** Opening and closing brackets of each shape (all available since Mermaid 9). */
const SHAPES: Readonly<Record<NodeCategory, readonly [string, string]>> = {
  person: ['([', '])'],
  client: ['(', ')'],
  service: ['[', ']'],
  function: ['[[', ']]'],
  store: ['[(', ')]'],
  queue: ['[/', '/]'],
  gateway: ['{{', '}}'],
  external: ['>', ']'],
  llm: ['[\\', '/]'],
  platform: ['[/', '\\]'],
  group: ['[[', ']]'],
};

/**
 * A quoted Mermaid label. Mermaid decodes `#name;` and `#123;` entity codes, so `#` itself and the
 * characters that would end the string, start markdown or look like HTML are written as codes.
 */
export function mermaidText(text: string): string {
  const body = text
    // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what we remove
    .replace(/[\u0000-\u001f\u007f]+/g, ' ')
    .replace(/[#"`<>&]/g, (c) => `#${c.codePointAt(0)};`);
  return `"${body}"`;
}

/** Mermaid-safe identifiers: a prefix, the id with anything but [A-Za-z0-9_] as `_`, and a number
 * when two ids would otherwise collide; assigned in sorted order, so the mapping is stable. */
export function mermaidIds(ids: readonly string[], prefix: string): Map<string, string> {
  const out = new Map<string, string>();
  const used = new Set<string>();
  for (const id of [...new Set(ids)].sort(cmp)) {
    const base = `${prefix}${id.replace(/[^A-Za-z0-9_]/g, '_')}`;
    let name = base;
    for (let n = 2; used.has(name); n++) name = `${base}_${n}`;
    used.add(name);
    out.set(id, name);
  }
  return out;
}

/** Text for a `%%` comment line (a comment ends at the line's end; `%%` is harmless inside it). */
function displayComment(text: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what we remove
  return text.replace(/[\u0000-\u001f\u007f\u2028\u2029]+/g, ' ');
}

function nodeText(n: DiagramNode): string {
  const detail = n.category === 'group' ? n.detail : n.detail.split(' · ')[0];
  const sev = n.severity === undefined ? '' : ` [${n.severity}]`;
  return `${n.label} (${detail})${sev}`;
}

function nodeLine(n: DiagramNode, id: string, indent: string): string {
  const [open, close] = SHAPES[n.category];
  return `${indent}${id}${open}${mermaidText(nodeText(n))}${close}`;
}

function clusterLines(
  root: DiagramCluster,
  nodes: Map<string, DiagramNode>,
  nodeIds: Map<string, string>,
  clusterIds: Map<string, string>,
  out: string[],
): void {
  const stack: (DiagramCluster | 'end')[] = [root];
  let depth = 1;
  while (stack.length > 0) {
    const cur = stack.pop() as DiagramCluster | 'end';
    if (cur === 'end') {
      depth--;
      out.push(`${'  '.repeat(depth)}end`);
      continue;
    }
    const pad = '  '.repeat(depth);
    out.push(`${pad}subgraph ${clusterIds.get(cur.id)}[${mermaidText(`${cur.label} (${cur.kind})`)}]`);
    for (const id of cur.nodes) {
      out.push(nodeLine(nodes.get(id) as DiagramNode, nodeIds.get(id) as string, '  '.repeat(depth + 1)));
    }
    depth++;
    stack.push('end');
    for (let i = cur.clusters.length - 1; i >= 0; i--) stack.push(cur.clusters[i] as DiagramCluster);
  }
}

function allClusters(roots: readonly DiagramCluster[]): DiagramCluster[] {
  const all: DiagramCluster[] = [];
  const stack = [...roots];
  while (stack.length > 0) {
    const c = stack.pop() as DiagramCluster;
    all.push(c);
    stack.push(...c.clusters);
  }
  return all.sort((a, b) => a.index - b.index);
}

function arrow(e: { encryption: string; unauthenticated: boolean }): string {
  if (e.encryption === 'unencrypted') return '-.->';
  return e.unauthenticated ? '==>' : '-->';
}

function linkStyle(colour: string, encryption: string, unauthenticated: boolean): string {
  const width = unauthenticated ? '3px' : '1.5px';
  const dash =
    encryption === 'unencrypted'
      ? ',stroke-dasharray:6 4'
      : encryption === 'unknown'
        ? ',stroke-dasharray:2 3'
        : '';
  return `stroke:${colour},stroke-width:${width}${dash}`;
}

/** Renders the Analysis as a Mermaid flowchart. */
export function renderMermaid(analysis: Analysis, options: DiagramOptions = {}): string {
  const g = buildGraph(analysis, options);
  const nodes = new Map(g.nodes.map((n) => [n.id, n]));
  const nodeIds = mermaidIds(
    g.nodes.map((n) => n.id),
    'n_',
  );
  const clusters = allClusters(g.clusters);
  const clusterIds = mermaidIds(
    clusters.map((c) => c.id),
    'b_',
  );
  const out: string[] = ['flowchart LR', `  %% ${displayComment(`${g.title}: ${g.subtitle}`)}`];
  for (const c of g.clusters) clusterLines(c, nodes, nodeIds, clusterIds, out);
  for (const id of g.looseNodes)
    out.push(nodeLine(nodes.get(id) as DiagramNode, nodeIds.get(id) as string, '  '));

  const styles = new Map<string, number[]>();
  let link = 0;
  const addLink = (line: string, style: string) => {
    out.push(line);
    const list = styles.get(style);
    if (list) list.push(link);
    else styles.set(style, [link]);
    link++;
  };
  for (const e of g.edges as DiagramEdge[]) {
    addLink(
      `  ${nodeIds.get(e.from)} ${arrow(e)}|${mermaidText(e.label)}| ${nodeIds.get(e.to)}`,
      linkStyle(edgeColour(e.severity, e.encryption), e.encryption, e.unauthenticated),
    );
  }

  // Legend: one sample node per shape and per severity, one sample link per edge style.
  out.push(`  subgraph legend[${mermaidText('Legend')}]`);
  for (const cat of g.legend.categories) {
    const [open, close] = SHAPES[cat];
    out.push(`    legend_shape_${cat}${open}${mermaidText(CATEGORY_LABELS[cat])}${close}`);
  }
  for (const s of g.legend.severities) {
    out.push(`    legend_sev_${s}[${mermaidText(`worst open finding: ${s}`)}]`);
  }
  out.push(`    legend_none[${mermaidText('no open finding')}]`);
  g.legend.edges.forEach((e, i) => {
    addLink(
      `    legend_edge_${i}_a((" ")) ${arrow(e)}|${mermaidText(e.label)}| legend_edge_${i}_b((" "))`,
      linkStyle(ENCRYPTION_COLOURS[e.encryption], e.encryption, e.unauthenticated),
    );
  });
  out.push('  end');

  for (const s of SEVERITIES) {
    const c = SEVERITY_COLOURS[s];
    out.push(`  classDef sev_${s} fill:${c.fill},stroke:${c.stroke},stroke-width:2px,color:#000000`);
  }
  out.push(`  classDef clean fill:${CLEAN.fill},stroke:${CLEAN.stroke},stroke-width:1px,color:#000000`);
  out.push('  classDef legendPoint fill:#9e9e9e,stroke:#9e9e9e');
  const bySeverity = new Map<Severity | 'clean', string[]>();
  for (const n of g.nodes) {
    const key = n.severity ?? 'clean';
    const list = bySeverity.get(key);
    const id = nodeIds.get(n.id) as string;
    if (list) list.push(id);
    else bySeverity.set(key, [id]);
  }
  for (const s of g.legend.severities) bySeverity.set(s, [...(bySeverity.get(s) ?? []), `legend_sev_${s}`]);
  bySeverity.set('clean', [
    ...(bySeverity.get('clean') ?? []),
    ...g.legend.categories.map((c) => `legend_shape_${c}`),
    'legend_none',
  ]);
  for (const key of [...SEVERITIES, 'clean'] as const) {
    const ids = bySeverity.get(key);
    if (ids && ids.length > 0)
      out.push(`  class ${ids.join(',')} ${key === 'clean' ? 'clean' : `sev_${key}`}`);
  }
  const points = g.legend.edges.flatMap((_, i) => [`legend_edge_${i}_a`, `legend_edge_${i}_b`]);
  if (points.length > 0) out.push(`  class ${points.join(',')} legendPoint`);
  for (const c of clusters) {
    const colours = boundaryColours(c.kind);
    const stroke = c.severity === undefined ? colours.stroke : SEVERITY_COLOURS[c.severity].stroke;
    out.push(`  style ${clusterIds.get(c.id)} fill:${colours.fill},stroke:${stroke},color:#000000`);
  }
  out.push('  style legend fill:#fcfcfc,stroke:#9e9e9e,color:#000000');
  for (const [style, links] of styles) out.push(`  linkStyle ${links.join(',')} ${style}`);
  return `${out.join('\n')}\n`;
}
