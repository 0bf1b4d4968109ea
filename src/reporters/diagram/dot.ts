/**
 * The data-flow diagram as Graphviz DOT: one `cluster_<n>` per trust boundary (nested as the model
 * nests them), node shapes by component kind, edges styled by encryption and authentication, colours
 * by the worst open finding, and a legend cluster. Every label is an HTML-like label, so the only
 * escaping needed is XML's; node names that DOT cannot quote safely get a stable `~<n>` name.
 */
import type { Analysis } from '../../engine/analysis.js';
import type { Severity } from '../../engine/severity.js';
import {
  buildGraph,
  CATEGORY_LABELS,
  type DiagramCluster,
  type DiagramEdge,
  type DiagramGraph,
  type DiagramNode,
  type DiagramOptions,
  type Encryption,
  type NodeCategory,
} from './graph.js';
import {
  boundaryColours,
  CLEAN,
  ENCRYPTION_COLOURS,
  edgeColour,
  SEVERITY_COLOURS,
  severityColours,
} from './palette.js';

const FONT = 'Helvetica';

/** Node attributes by shape category. */
const SHAPES: Readonly<Record<NodeCategory, string>> = {
  person: 'shape=ellipse',
  client: 'shape=tab',
  service: 'shape=box, style="rounded,filled"',
  function: 'shape=box, peripheries=2',
  store: 'shape=cylinder',
  queue: 'shape=parallelogram',
  gateway: 'shape=hexagon',
  external: 'shape=box3d',
  llm: 'shape=invtrapezium',
  platform: 'shape=component',
  group: 'shape=folder',
};

/** Escapes text for an HTML-like label (and drops anything the parser would choke on). */
export function htmlText(text: string): string {
  return (
    text
      // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what we remove
      .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f\ufffe\uffff]/g, '')
      .replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd')
      .replace(/&/g, '&amp;')
      .replace(/</g, '&lt;')
      .replace(/>/g, '&gt;')
      .replace(/"/g, '&quot;')
      .replace(/'/g, '&#39;')
  );
}

/** A DOT quoted string for text without quotes, backslashes or line breaks. */
const quote = (s: string) => `"${s}"`;
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what we rule out
const SAFE_NAME = /^[^"\\\u0000-\u001f\u007f]+$/u;

/** Stable DOT node names: the id itself when DOT can quote it as is, else `~<n>`. */
function nodeNames(ids: readonly string[]): Map<string, string> {
  // Written ids never start with `~`, so `~<n>` and the legend's `~legend-*` names cannot collide.
  const used = new Set<string>();
  const names = new Map<string, string>();
  const unsafe: string[] = [];
  for (const id of ids) {
    if (SAFE_NAME.test(id) && !id.startsWith('~') && !used.has(id)) {
      names.set(id, id);
      used.add(id);
    } else unsafe.push(id);
  }
  let n = 0;
  for (const id of unsafe) {
    while (used.has(`~${n}`)) n++;
    names.set(id, `~${n}`);
    used.add(`~${n}`);
  }
  return names;
}

function edgeStyle(encryption: Encryption, unauthenticated: boolean): string {
  const line = encryption === 'unencrypted' ? 'dashed' : encryption === 'unknown' ? 'dotted' : 'solid';
  return unauthenticated ? `"${line},bold"` : line;
}

function nodeLabel(n: DiagramNode): string {
  const parts = [
    `<B>${htmlText(n.label)}</B>`,
    `<FONT POINT-SIZE="9" COLOR="#555555">${htmlText(n.detail)}</FONT>`,
  ];
  if (n.severity !== undefined) {
    const colour = SEVERITY_COLOURS[n.severity].stroke;
    const count = n.findings === 1 ? '1 finding' : `${n.findings} findings`;
    parts.push(`<FONT POINT-SIZE="9" COLOR="${colour}">${n.severity} · ${count}</FONT>`);
  }
  return `<${parts.join('<BR/>')}>`;
}

function nodeLine(n: DiagramNode, name: string, indent: string): string {
  const c = severityColours(n.severity);
  const shape = SHAPES[n.category];
  const style = shape.includes('style=') ? '' : ', style=filled';
  const pen = n.severity === undefined ? '1.2' : '2';
  return `${indent}${quote(name)} [${shape}${style}, fillcolor="${c.fill}", color="${c.stroke}", penwidth=${pen}, label=${nodeLabel(n)}];`;
}

function edgeLine(e: DiagramEdge, names: Map<string, string>, layout: DotLayout): string {
  const colour = edgeColour(e.severity, e.encryption);
  const from = quote(names.get(e.from) as string);
  const to = quote(names.get(e.to) as string);
  const attrs = [
    `${layout.externalLabels ? 'xlabel' : 'label'}=<${htmlText(e.label)}>`,
    `style=${edgeStyle(e.encryption, e.unauthenticated)}`,
    `color="${colour}"`,
    `fontcolor="${colour}"`,
    ...(e.unauthenticated ? ['penwidth=2.2'] : []),
  ];
  return `  ${from} -> ${to} [${attrs.join(', ')}];`;
}

function clusterLines(
  c: DiagramCluster,
  byId: Map<string, DiagramNode>,
  names: Map<string, string>,
  out: string[],
): void {
  // Iterative, so that very deep nesting cannot overflow the stack.
  const stack: (DiagramCluster | 'close')[] = [c];
  let depth = 1;
  while (stack.length > 0) {
    const cur = stack.pop() as DiagramCluster | 'close';
    if (cur === 'close') {
      depth--;
      out.push(`${'  '.repeat(depth)}}`);
      continue;
    }
    const pad = '  '.repeat(depth);
    const inner = '  '.repeat(depth + 1);
    const colours = boundaryColours(cur.kind);
    const stroke = cur.severity === undefined ? colours.stroke : SEVERITY_COLOURS[cur.severity].stroke;
    out.push(`${pad}subgraph cluster_${cur.index} {`);
    out.push(
      `${inner}label=<<B>${htmlText(cur.label)}</B> <FONT POINT-SIZE="9" COLOR="#555555">${htmlText(cur.kind)}</FONT>>;`,
      `${inner}style="rounded,filled"; fillcolor="${colours.fill}"; color="${stroke}"; penwidth=${cur.severity === undefined ? '1.2' : '2'};`,
    );
    for (const id of cur.nodes)
      out.push(nodeLine(byId.get(id) as DiagramNode, names.get(id) as string, inner));
    depth++;
    stack.push('close');
    for (let i = cur.clusters.length - 1; i >= 0; i--) stack.push(cur.clusters[i] as DiagramCluster);
  }
}

const LEGEND_SEVERITIES: readonly Severity[] = ['critical', 'high', 'medium', 'low', 'info'];

/** Line samples for the legend's table, drawn with text so that the legend stays one column. */
const LINE_SAMPLES: Readonly<Record<string, string>> = {
  solid: '─────▶',
  dashed: '– – – – ▶',
  dotted: '· · · · · ▶',
  bold: '━━━━━▶',
};

/**
 * The legend: a cluster holding one column (nodes of the same rank, in a left-to-right graph): a table
 * of severity colours and edge styles, then one sample of each shape the diagram uses.
 */
function legendLines(g: DiagramGraph): string[] {
  const rows: string[] = [];
  const cell = (colour: string, text: string, bg = '') =>
    `<TD ALIGN="LEFT"${bg ? ` BGCOLOR="${bg}"` : ''}><FONT COLOR="${colour}">${text}</FONT></TD>`;
  for (const s of LEGEND_SEVERITIES.filter((x) => g.legend.severities.includes(x))) {
    const c = SEVERITY_COLOURS[s];
    rows.push(`<TR>${cell(c.stroke, '■■■', c.fill)}${cell('#000000', `worst open finding: ${s}`)}</TR>`);
  }
  rows.push(`<TR>${cell(CLEAN.stroke, '□□□', CLEAN.fill)}${cell('#000000', 'no open finding')}</TR>`);
  for (const e of g.legend.edges) {
    const line = e.unauthenticated
      ? 'bold'
      : e.encryption === 'unencrypted'
        ? 'dashed'
        : e.encryption === 'unknown'
          ? 'dotted'
          : 'solid';
    rows.push(
      `<TR>${cell(ENCRYPTION_COLOURS[e.encryption], LINE_SAMPLES[line] as string)}${cell('#000000', htmlText(e.label))}</TR>`,
    );
  }
  rows.push(
    '<TR><TD COLSPAN="2" ALIGN="LEFT"><FONT POINT-SIZE="8">An edge takes the colour of its worst open finding.</FONT></TD></TR>',
  );
  // Top to bottom; in a left-to-right graph the last node of a rank is drawn on top, so the nodes
  // are written bottom-up.
  const column: [string, string][] = [
    [
      '"~legend-key"',
      `[shape=plaintext, margin=0, label=<<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="1" CELLPADDING="2">${rows.join('')}</TABLE>>]`,
    ],
  ];
  for (const cat of g.legend.categories) {
    const shape = SHAPES[cat];
    const style = shape.includes('style=') ? '' : ', style=filled';
    column.push([
      `"~legend-shape-${cat}"`,
      `[${shape}${style}, fillcolor="#ffffff", color="#455a64", label=<${htmlText(CATEGORY_LABELS[cat])}>]`,
    ]);
  }
  column.reverse();
  return [
    '  subgraph cluster_legend {',
    '    label=<<B>Legend</B>>; style="rounded,filled"; fillcolor="#fcfcfc"; color="#9e9e9e"; penwidth=1;',
    '    node [fontsize=9, margin="0.08,0.03", height=0.3];',
    ...column.map(([name, attrs]) => `    ${name} ${attrs};`),
    `    { rank=same; ${column.map(([name]) => name).join('; ')}; }`,
    '  }',
  ];
}

/**
 * How Graphviz is asked to lay the graph out. The default ranks each cluster on its own, which keeps
 * the flow from the internet on the left to the data on the right; on some dense graphs that layout
 * fails to route edges (and drops them), and the fallbacks below do not (see `svg.ts`).
 */
export interface DotLayout {
  /** Rank the whole graph at once (`newrank=true`). */
  globalRanks: boolean;
  /** Edge labels placed after layout (`xlabel`) instead of taking part in it. */
  externalLabels: boolean;
}

export const DEFAULT_LAYOUT: DotLayout = { globalRanks: false, externalLabels: false };

/** The DOT text of a diagram graph. */
export function dotSource(g: DiagramGraph, layout: DotLayout = DEFAULT_LAYOUT): string {
  const byId = new Map(g.nodes.map((n) => [n.id, n]));
  const names = nodeNames(g.nodes.map((n) => n.id));
  const title = `<<B>${htmlText(g.title)}</B><BR ALIGN="LEFT"/><FONT POINT-SIZE="10">${htmlText(g.subtitle)}</FONT><BR ALIGN="LEFT"/>>`;
  const out: string[] = [
    'digraph "threatkrew" {',
    `  graph [rankdir=LR, ${layout.globalRanks ? 'newrank=true, ' : ''}splines=true, concentrate=false, nodesep=0.25, ranksep=0.5, pad=0.3, fontname="${FONT}", fontsize=12, labelloc=t, labeljust=l, label=${title}];`,
    `  node [fontname="${FONT}", fontsize=11, margin="0.12,0.05"];`,
    `  edge [fontname="${FONT}", fontsize=9, arrowsize=0.7];`,
  ];
  for (const c of g.clusters) clusterLines(c, byId, names, out);
  for (const id of g.looseNodes)
    out.push(nodeLine(byId.get(id) as DiagramNode, names.get(id) as string, '  '));
  for (const e of g.edges) out.push(edgeLine(e, names, layout));
  out.push(...legendLines(g));
  out.push('}');
  return `${out.join('\n')}\n`;
}

/** Renders the Analysis as a Graphviz DOT data-flow diagram. */
export function renderDot(analysis: Analysis, options: DiagramOptions = {}): string {
  return dotSource(buildGraph(analysis, options));
}
