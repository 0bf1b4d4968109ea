/**
 * The diagram formats (DESIGN §8: `threatkrew diagram --format svg|dot|mermaid`), by name. Each renderer
 * is imported when its format is asked for, so the CLI loads Graphviz (WebAssembly) only to draw SVG.
 */
import type { Analysis } from '../../engine/analysis.js';
import type { DiagramOptions } from './graph.js';

export type DiagramRenderer = (analysis: Analysis, options?: DiagramOptions) => string | Promise<string>;

export const DIAGRAM_FORMATS = ['svg', 'dot', 'mermaid'] as const;
export type DiagramFormat = (typeof DIAGRAM_FORMATS)[number];

export const DIAGRAM_RENDERERS: Readonly<Record<DiagramFormat, DiagramRenderer>> = {
  svg: async (a, o) => (await import('./svg.js')).renderSvg(a, o),
  dot: async (a, o) => (await import('./dot.js')).renderDot(a, o),
  mermaid: async (a, o) => (await import('./mermaid.js')).renderMermaid(a, o),
};
