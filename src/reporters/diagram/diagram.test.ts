import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { Analysis, Finding } from '../../engine/analysis.js';
import { analyze } from '../../engine/run-rules.js';
import type { Severity } from '../../engine/severity.js';
import { formatDiagnostic } from '../../model/diagnostics.js';
import { loadModelFiles, loadModelSources } from '../../model/load.js';
import type { Boundary, Component, Flow, Model } from '../../model/schema.js';
import { parseSource } from '../../model/source-file.js';
import { View } from '../../model/view.js';
import { COMPONENT_KINDS } from '../../model/vocabulary.js';
import { CATALOGUE } from '../../rules/catalog/index.js';
import { htmlText, renderDot } from './dot.js';
import {
  buildGraph,
  COLLAPSE_ABOVE,
  categoryOf,
  type DiagramCluster,
  MAX_CLUSTER_DEPTH,
  UNPLACED_ID,
} from './graph.js';
import { mermaidIds, mermaidText, renderMermaid } from './mermaid.js';
import { SEVERITY_COLOURS } from './palette.js';
import { renderSvg } from './svg.js';

// ---- helpers -----------------------------------------------------------------------------------

/** A validated model from YAML, analysed with the whole catalogue. */
function analysed(yaml: string): Analysis {
  const parsed = parseSource('diagram.yaml', yaml);
  if (!parsed.ok) throw new Error(parsed.diagnostics.map(formatDiagnostic).join('\n'));
  const loaded = loadModelSources([parsed.source]);
  if (!loaded.ok) throw new Error(loaded.diagnostics.map(formatDiagnostic).join('\n'));
  return analyze(loaded.view, CATALOGUE, { asOf: '2026-01-01' });
}

/** An Analysis built by hand, bypassing validation: for odd models and chosen findings. */
function bare(parts: Partial<Model>, findings: Finding[] = []): Analysis {
  const model: Model = {
    threatkrew: 1,
    name: 'Odd',
    boundaries: [],
    components: [],
    identities: [],
    data: [],
    flows: [],
    assumptions: [],
    questions: [],
    risks: [],
    ...parts,
  };
  return {
    model,
    view: new View(model),
    findings,
    attackPaths: [],
    questions: [],
    bounds: { maxHops: 8, maxPathsPerTarget: 3, hit: false },
  };
}

function finding(
  severity: Severity,
  primary: string[],
  subjects: { components?: string[]; flows?: string[]; boundaries?: string[] } = {},
  status: Finding['status'] = 'open',
): Finding {
  return {
    id: `tk-${severity}-${primary.join('+')}`,
    ruleId: 'test-rule',
    messageId: 'm',
    title: 't',
    message: 'm',
    severity,
    likelihood: 'likely',
    impact: 'high',
    confidence: 'confirmed',
    stride: [],
    cwe: [],
    capec: [],
    attack: [],
    primary,
    subjects: {
      components: subjects.components ?? [],
      flows: subjects.flows ?? [],
      data: [],
      identities: [],
      boundaries: subjects.boundaries ?? [],
    },
    evidence: [],
    mitigation: '',
    compliance: {},
    status,
    questions: [],
  };
}

/** n components spread over `groups` top-level networks (every seventh outside any), n flows. */
function generated(n: number, groups = 8): Analysis {
  const boundaries: Boundary[] = Array.from({ length: groups }, (_, i) => ({
    id: `net-${i}`,
    kind: 'network',
  }));
  boundaries.push({ id: 'net-0-sub', kind: 'subnet', in: 'net-0' });
  const components: Component[] = Array.from({ length: n }, (_, i) => ({
    id: `svc-${String(i).padStart(4, '0')}`,
    kind: i % 5 === 0 ? 'datastore' : 'service',
    ...(i % 7 === 0 ? {} : { in: i % 11 === 0 ? 'net-0-sub' : `net-${i % groups}` }),
  }));
  const flows: Flow[] = components
    .map((c, i) => ({
      from: c.id,
      to: (components[(i * 13 + 5) % n] as Component).id,
      protocol: i % 4 === 0 ? 'http' : 'https',
      authn: i % 6 === 0 ? ('none' as const) : ('jwt' as const),
    }))
    .filter((f) => f.from !== f.to);
  return bare({ boundaries, components, flows });
}

/** A well-formedness check: balanced tags, quoted attributes, no stray `<` or `&` in text. */
function checkXml(xml: string): void {
  const body = xml
    .replace(/^<\?xml[^>]*\?>/, '')
    .replace(/<!DOCTYPE[^>]*>/, '')
    .replace(/<!--[\s\S]*?-->/g, '');
  const stack: string[] = [];
  const tag = /<(\/?)([A-Za-z_][\w:.-]*)((?:\s+[\w:.-]+="[^"<]*")*)\s*(\/?)>/g;
  let last = 0;
  let roots = 0;
  for (let m = tag.exec(body); m; m = tag.exec(body)) {
    const text = body.slice(last, m.index);
    expect(text, `text before ${m[0]}`).not.toMatch(/<|&(?!(?:amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);)/);
    last = tag.lastIndex;
    const [, close, name, , selfClose] = m;
    if (close) expect(stack.pop(), `closing ${name}`).toBe(name);
    else if (!selfClose) {
      if (stack.length === 0) roots++;
      stack.push(name as string);
    } else if (stack.length === 0) roots++;
  }
  expect(body.slice(last).trim()).toBe('');
  expect(stack).toEqual([]);
  expect(roots).toBe(1);
}

/** The text of every <text> element of an SVG, with entities decoded. */
function svgTexts(svg: string): Set<string> {
  const named: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
  const decode = (s: string) =>
    s.replace(/&(#x[0-9a-fA-F]+|#\d+|\w+);/g, (m, e: string) =>
      e.startsWith('#x')
        ? String.fromCodePoint(Number.parseInt(e.slice(2), 16))
        : e.startsWith('#')
          ? String.fromCodePoint(Number(e.slice(1)))
          : (named[e] ?? m),
    );
  return new Set([...svg.matchAll(/<text\b[^>]*>([^<]*)<\/text>/g)].map((m) => decode(m[1] as string)));
}

function clusterIds(cs: readonly DiagramCluster[]): string[] {
  return cs.map((c) => c.id);
}

const SHOP = `threatkrew: 1
name: Diagram shop
boundaries:
  - { id: internet, kind: internet }
  - { id: aws, kind: cloud-account, name: AWS prod }
  - { id: eu, kind: region, in: aws }
  - { id: vpc, kind: network, in: eu }
  - { id: empty-subnet, kind: subnet, in: vpc }
  - { id: partner, kind: third-party }
components:
  - { id: shopper, kind: user, in: internet, name: Shopper }
  - { id: api-gw, kind: gateway, in: eu, tech: aws-api-gateway }
  - { id: orders, kind: service, in: vpc, name: Orders service }
  - { id: orders-db, kind: datastore, in: vpc }
  - { id: events, kind: queue, in: vpc }
  - { id: pay, kind: external-service, in: partner }
  - { id: tracing, kind: monitoring }
flows:
  - { from: shopper, to: api-gw, protocol: https, authn: oidc }
  - { from: api-gw, to: orders, protocol: http, authn: none }
  - { from: orders, to: orders-db, protocol: postgres, authn: password }
  - { from: orders, to: events, protocol: amqps, authn: none }
  - { from: orders, to: pay, protocol: https, authn: api-key }
  - { from: orders, to: tracing, protocol: grpc }
`;

// ---- the graph -----------------------------------------------------------------------------------

describe('diagram graph', () => {
  it('nests clusters as the boundaries nest, leaves out empty ones, and numbers them depth-first', () => {
    const g = buildGraph(analysed(SHOP));
    expect(clusterIds(g.clusters)).toEqual(['aws', 'internet', 'partner']);
    const aws = g.clusters[0] as DiagramCluster;
    expect(aws.label).toBe('AWS prod');
    expect(clusterIds(aws.clusters)).toEqual(['eu']);
    const eu = aws.clusters[0] as DiagramCluster;
    expect(eu.nodes).toEqual(['api-gw']);
    expect(clusterIds(eu.clusters)).toEqual(['vpc']);
    const vpc = eu.clusters[0] as DiagramCluster;
    expect(vpc.nodes).toEqual(['events', 'orders', 'orders-db']);
    expect(vpc.clusters).toEqual([]); // empty-subnet holds nothing
    expect([aws.index, eu.index, vpc.index, g.clusters[1]?.index, g.clusters[2]?.index]).toEqual([
      0, 1, 2, 3, 4,
    ]);
    expect(g.looseNodes).toEqual(['tracing']);
    expect(g.nodes.map((n) => n.id)).toEqual([...g.nodes.map((n) => n.id)].sort());
  });

  it('gives every component kind a shape of its own family', () => {
    for (const kind of COMPONENT_KINDS) expect(categoryOf(kind), kind).not.toBe('group');
    expect(['datastore', 'object-store', 'cache', 'search'].map(categoryOf)).toEqual(Array(4).fill('store'));
    expect(['queue', 'stream'].map(categoryOf)).toEqual(['queue', 'queue']);
    expect(['gateway', 'load-balancer', 'cdn', 'waf'].map(categoryOf)).toEqual(Array(4).fill('gateway'));
    expect(['user', 'web-client', 'external-service', 'llm', 'secret-store'].map(categoryOf)).toEqual([
      'person',
      'client',
      'external',
      'llm',
      'platform',
    ]);
    expect(categoryOf('no-such-kind')).toBe('service');
  });

  it('marks edges by encryption and authentication, and labels them with protocol and authn', () => {
    const g = buildGraph(analysed(SHOP));
    const edge = (id: string) => g.edges.find((e) => e.id === id);
    expect(edge('shopper->api-gw')).toMatchObject({ encryption: 'encrypted', unauthenticated: false });
    expect(edge('shopper->api-gw')?.label).toBe('https · oidc');
    expect(edge('api-gw->orders')).toMatchObject({ encryption: 'unencrypted', unauthenticated: true });
    expect(edge('api-gw->orders')?.label).toBe('http · no authn');
    expect(edge('orders->orders-db')).toMatchObject({ encryption: 'unknown', unauthenticated: false });
    expect(edge('orders->events')).toMatchObject({ encryption: 'encrypted', unauthenticated: true });
    expect(edge('orders->tracing')?.label).toBe('grpc');
  });

  it('colours a component by its worst open finding (primary or subject) and a flow by its own', () => {
    const a = analysed(SHOP);
    const findings = [
      finding('medium', ['orders'], { components: ['orders-db'] }),
      finding('critical', ['api-gw->orders'], { components: ['orders'], flows: ['api-gw->orders'] }),
      finding('low', ['orders-db']),
      finding('critical', ['events'], {}, 'accepted'),
      finding('high', ['vpc'], { boundaries: ['vpc'] }),
    ];
    const g = buildGraph({ ...a, findings });
    const node = (id: string) => g.nodes.find((n) => n.id === id);
    expect(node('orders')).toMatchObject({ severity: 'critical', findings: 2 });
    expect(node('orders-db')).toMatchObject({ severity: 'medium', findings: 2 });
    expect(node('events')).toMatchObject({ severity: undefined, findings: 0 }); // accepted: not open
    expect(node('shopper')?.severity).toBeUndefined();
    expect(g.edges.find((e) => e.id === 'api-gw->orders')?.severity).toBe('critical');
    expect(g.edges.find((e) => e.id === 'orders->orders-db')?.severity).toBeUndefined();
    const vpc = g.clusters[0]?.clusters[0]?.clusters[0];
    expect(vpc?.severity).toBe('high');

    const dot = renderDot({ ...a, findings });
    expect(dot).toMatch(
      new RegExp(
        `"orders" \\[[^\\n]*fillcolor="${SEVERITY_COLOURS.critical.fill}", color="${SEVERITY_COLOURS.critical.stroke}"`,
      ),
    );
    expect(dot).toMatch(
      new RegExp(`"api-gw" -> "orders" [^\\n]*color="${SEVERITY_COLOURS.critical.stroke}"`),
    );
    const mmd = renderMermaid({ ...a, findings });
    expect(mmd).toMatch(/class [^\n]*\bn_orders\b[^\n]* sev_critical/);
    expect(mmd).toMatch(/class [^\n]*\bn_orders_db\b[^\n]* sev_medium/);
  });

  it(`collapses above ${COLLAPSE_ABOVE} components to one node per top-level boundary, unless full`, () => {
    const a = generated(400);
    const g = buildGraph(a);
    expect(g.collapsed).toBe(true);
    expect(g.subtitle).toMatch(/collapsed/);
    expect(g.clusters).toEqual([]);
    expect(g.nodes.map((n) => n.id)).toEqual([
      ...Array.from({ length: 8 }, (_, i) => `net-${i}`),
      UNPLACED_ID,
    ]);
    expect(g.nodes.every((n) => n.category === 'group')).toBe(true);
    // net-0 holds its subnet's components too.
    const net0 = a.view.components.filter((c) => c.in === 'net-0' || c.in === 'net-0-sub').length;
    expect(g.nodes[0]?.detail).toContain(`${net0} components`);
    const group = (id: string) => {
      const c = a.view.component(id);
      return c?.in === undefined ? UNPLACED_ID : c.in === 'net-0-sub' ? 'net-0' : c.in;
    };
    const crossing = a.view.flows.filter((f) => group(f.from.id) !== group(f.to.id)).length;
    expect(g.edges.reduce((n, e) => n + e.flows, 0)).toBe(crossing);
    expect(new Set(g.edges.map((e) => `${e.from}->${e.to}`)).size).toBe(g.edges.length);
    expect(g.edges.every((e) => e.from !== e.to)).toBe(true);
    expect(g.edges.some((e) => e.encryption === 'unencrypted' && /unencrypted/.test(e.label))).toBe(true);

    const full = buildGraph(a, { full: true });
    expect(full.collapsed).toBe(false);
    expect(full.nodes).toHaveLength(400);
    expect(buildGraph(generated(COLLAPSE_ABOVE)).collapsed).toBe(false);
  });

  it('is the same whatever the order of the model lists', () => {
    const a = analysed(SHOP);
    const m = a.model;
    const shuffled = bare(
      {
        ...m,
        boundaries: [...m.boundaries].reverse(),
        components: [...m.components].reverse(),
        flows: [...m.flows].reverse(),
      },
      [...a.findings].reverse(),
    );
    expect(renderDot(shuffled)).toBe(renderDot(a));
    expect(renderMermaid(shuffled)).toBe(renderMermaid(a));
  });

  it('draws boundaries nested deeper than the limit inside their deepest drawn ancestor', () => {
    const depth = MAX_CLUSTER_DEPTH + 20;
    const boundaries: Boundary[] = Array.from({ length: depth }, (_, i) => ({
      id: `b${i}`,
      kind: 'network',
      ...(i > 0 ? { in: `b${i - 1}` } : {}),
    }));
    const g = buildGraph(
      bare({ boundaries, components: [{ id: 'deep', kind: 'service', in: `b${depth - 1}` }] }),
    );
    let c = g.clusters[0];
    let levels = 0;
    while (c && c.clusters.length > 0) {
      c = c.clusters[0];
      levels++;
    }
    expect(levels + 1).toBe(MAX_CLUSTER_DEPTH);
    expect(c?.nodes).toEqual(['deep']);
  });
});

// ---- the formats ---------------------------------------------------------------------------------

describe('diagram formats', () => {
  it('DOT: clusters, shapes by kind, edge styles, legend, left to right', () => {
    const dot = renderDot({ ...analysed(SHOP), findings: [] });
    expect(dot.startsWith('digraph "threatkrew" {\n')).toBe(true);
    expect(dot).toContain('rankdir=LR');
    expect(dot).toMatch(/subgraph cluster_0 \{\n\s+label=<<B>AWS prod<\/B>/);
    expect(dot).toContain('subgraph cluster_legend {');
    expect(dot).toMatch(/"orders-db" \[shape=cylinder/);
    expect(dot).toMatch(/"events" \[shape=parallelogram/);
    expect(dot).toMatch(/"api-gw" \[shape=hexagon/);
    expect(dot).toMatch(/"shopper" \[shape=ellipse/);
    expect(dot).toMatch(
      /"api-gw" -> "orders" \[label=<http · no authn>, style="dashed,bold", color="#c62828"/,
    );
    expect(dot).toMatch(
      /"orders" -> "orders-db" \[label=<postgres · password>, style=dotted, color="#8a8a8a"/,
    );
    expect(dot).toMatch(/"shopper" -> "api-gw" \[label=<https · oidc>, style=solid/);
  });

  it('Mermaid: a flowchart with subgraphs, safe ids, shapes, dashed unencrypted links and classes', () => {
    const mmd = renderMermaid({ ...analysed(SHOP), findings: [] });
    const lines = mmd.split('\n');
    expect(lines[0]).toBe('flowchart LR');
    expect(mmd).toContain('subgraph b_aws["AWS prod (cloud-account)"]');
    expect(mmd).toMatch(/\n\s+n_orders_db\[\("orders-db \(datastore\)/);
    expect(mmd).toMatch(/\n\s+n_api_gw\{\{"api-gw \(gateway\)/);
    expect(mmd).toContain('n_api_gw -.->|"http · no authn"| n_orders');
    expect(mmd).toContain('n_orders ==>|"amqps · no authn"| n_events');
    expect(mmd).toContain('n_shopper -->|"https · oidc"| n_api_gw');
    expect(mmd).toMatch(/\n {2}classDef sev_critical fill:#/);
    expect(mmd).toMatch(/\n {2}linkStyle [\d,]+ stroke:#c62828,stroke-width:3px,stroke-dasharray:6 4\n/);
    // subgraph/end balance
    const opens = lines.filter((l) => /^\s*subgraph /.test(l)).length;
    const ends = lines.filter((l) => /^\s*end$/.test(l)).length;
    expect(opens).toBe(ends);
    // every link has a linkStyle, indices 0..n-1
    const links = lines.filter((l) => /(-->|-\.->|==>)\|/.test(l)).length;
    const styled = lines
      .filter((l) => l.trim().startsWith('linkStyle '))
      .flatMap((l) => (l.trim().split(' ')[1] as string).split(',').map(Number))
      .sort((x, y) => x - y);
    expect(styled).toEqual(Array.from({ length: links }, (_, i) => i));
  });

  it('Mermaid: ids are sanitised with a stable, collision-free mapping; labels are escaped', () => {
    const ids = mermaidIds(['a-b', 'a_b', 'a.b', 'end', 'ünï'], 'n_');
    expect([...ids.values()].every((v) => /^[A-Za-z0-9_]+$/.test(v))).toBe(true);
    expect(new Set(ids.values()).size).toBe(5);
    expect(ids.get('a-b')).toBe('n_a_b');
    expect(ids.get('a.b')).toBe('n_a_b_2');
    expect(ids.get('a_b')).toBe('n_a_b_3');
    expect(ids.get('end')).toBe('n_end');
    expect(mermaidText('say "hi" <b>#1</b> & `x`')).toBe(
      '"say #34;hi#34; #60;b#62;#35;1#60;/b#62; #38; #96;x#96;"',
    );
  });

  it('SVG: deterministic, well-formed, every component label present, no generator comment', async () => {
    const loaded = loadModelFiles([
      fileURLToPath(new URL('../../../examples/ecommerce-aws.yaml', import.meta.url)),
    ]);
    if (!loaded.ok) throw new Error('example does not load');
    const a = analyze(loaded.view, CATALOGUE, { asOf: '2026-01-01' });
    const svg = await renderSvg(a);
    expect(await renderSvg(a)).toBe(svg);
    expect(renderDot(a)).toBe(renderDot(a));
    expect(renderMermaid(a)).toBe(renderMermaid(a));
    expect(svg).toMatch(/<svg [^>]*xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
    expect(svg).not.toContain('Generated by graphviz');
    checkXml(svg);
    const texts = svgTexts(svg);
    for (const c of a.view.components) expect(texts, c.id).toContain(c.name ?? c.id);
    for (const b of a.view.boundaries.filter((x) => a.view.components.some((c) => c.in === x.id))) {
      expect(texts, b.id).toContain(b.name ?? b.id);
    }
    expect(texts).toContain('Legend');
    expect((svg.match(/class="edge"/g) ?? []).length).toBe(a.view.flows.length);
  });

  it('escapes names and ids with quotes, markup, backslashes and unicode', async () => {
    const a = bare({
      name: 'Quote "model" <x>',
      boundaries: [{ id: 'zone "a"', kind: 'network', name: 'Zone <A> & "B" \\ ü' }],
      components: [
        { id: 'say "hi"', kind: 'service', name: 'Say "hi" <b>bold</b> & co', in: 'zone "a"' },
        { id: 'back\\slash\\', kind: 'datastore', name: 'C:\\data\\' },
        { id: 'ünïcødé-✓', kind: 'llm', name: '日本語 🚀' },
        { id: 'line\nbreak', kind: 'queue', name: 'two\nlines' },
      ],
      flows: [
        { from: 'say "hi"', to: 'back\\slash\\', protocol: 'p"r<o>' },
        { from: 'ünïcødé-✓', to: 'line\nbreak', protocol: 'https', authn: 'none' },
      ],
    });
    const dot = renderDot(a);
    // Outside of HTML-like labels, every quoted string is a plain node name or attribute value.
    const stripped = dot.replace(/label=<(?:[^<>]|<[^<>]*>)*>/g, 'label=X');
    expect(stripped).not.toMatch(/"[^"\n]*\\"/);
    for (const line of stripped.split('\n')) expect((line.match(/"/g) ?? []).length % 2, line).toBe(0);
    expect(dot).toContain('Say &quot;hi&quot; &lt;b&gt;bold&lt;/b&gt; &amp; co');
    const svg = await renderSvg(a);
    checkXml(svg);
    const texts = svgTexts(svg);
    expect(texts).toContain('Say "hi" <b>bold</b> & co');
    expect(texts).toContain('日本語 🚀');
    expect(texts).toContain('C:\\data\\');
    expect(texts).toContain('two lines');

    const mmd = renderMermaid(a);
    for (const line of mmd.split('\n')) {
      if (line.trim().startsWith('%%')) continue;
      expect((line.match(/"/g) ?? []).length % 2, line).toBe(0);
      for (const quoted of line.match(/"[^"]*"/g) ?? []) expect(quoted).not.toMatch(/[<>`]/);
    }
    expect(mmd).toContain('Say #34;hi#34; #60;b#62;bold#60;/b#62; #38; co');
    expect(mmd).toContain('two lines');
    expect(mmd).toMatch(/\n\s+n_line_break\[\/"two lines/);
  });

  const ODD: Record<string, () => Analysis> = {
    'an empty model': () => bare({}),
    'no boundaries': () =>
      bare({
        components: [
          { id: 'a', kind: 'service' },
          { id: 'b', kind: 'datastore' },
        ],
        flows: [{ from: 'a', to: 'b' }],
      }),
    'flows to self and repeated pairs': () =>
      bare({
        components: [{ id: 'a', kind: 'service' }],
        flows: [
          { from: 'a', to: 'a', protocol: 'http', authn: 'none' },
          { id: 'again', from: 'a', to: 'a' },
        ],
      }),
    'a cycle of boundaries and a missing boundary': () =>
      bare({
        boundaries: [
          { id: 'x', kind: 'network', in: 'y' },
          { id: 'y', kind: 'subnet', in: 'x' },
        ],
        components: [
          { id: 'a', kind: 'service', in: 'x' },
          { id: 'b', kind: 'service', in: 'nowhere' },
        ],
        flows: [{ from: 'a', to: 'b' }],
      }),
    'very deep nesting': () =>
      bare({
        boundaries: Array.from({ length: 300 }, (_, i) => ({
          id: `d${i}`,
          kind: 'network' as const,
          ...(i > 0 ? { in: `d${i - 1}` } : {}),
        })),
        components: [
          { id: 'deep', kind: 'service', in: 'd299' },
          { id: 'top', kind: 'service', in: 'd0' },
        ],
        flows: [{ from: 'deep', to: 'top' }],
      }),
    'unknown kinds and empty names': () =>
      bare({
        boundaries: [{ id: 'b', kind: 'mystery' as Boundary['kind'], name: '' }],
        components: [{ id: 'a', kind: 'mystery' as Component['kind'], in: 'b', name: '   ' }],
      }),
    '1000 components': () => generated(1000, 12),
  };

  for (const [what, make] of Object.entries(ODD)) {
    it(`never throws on ${what}`, async () => {
      const a = make();
      for (const full of [false, true]) {
        expect(() => renderDot(a, { full })).not.toThrow();
        expect(() => renderMermaid(a, { full })).not.toThrow();
      }
      const svg = await renderSvg(a);
      checkXml(svg);
      expect(renderDot(a)).toBe(renderDot(a));
    });
  }

  it('renders 1000 components in full as SVG too', async () => {
    const a = generated(1000, 12);
    const svg = await renderSvg(a, { full: true });
    checkXml(svg);
    expect(svgTexts(svg)).toContain('svc-0999');
    // Every flow is drawn, even where the first layout cannot route them all.
    expect((svg.match(/class="edge"/g) ?? []).length).toBe(a.view.flows.length);
  });

  it('escapes text for HTML-like labels', () => {
    expect(htmlText(`a<b>&"c"'\u0001`)).toBe('a&lt;b&gt;&amp;&quot;c&quot;&#39;');
  });
});
