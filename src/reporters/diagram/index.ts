/** The diagram formats (DESIGN §8: `threatkrew diagram --format svg|dot|mermaid`), by name. */
import type { Analysis } from '../../engine/analysis.js';
import { renderDot } from './dot.js';
import type { DiagramOptions } from './graph.js';
import { renderMermaid } from './mermaid.js';
import { renderSvg } from './svg.js';

export type DiagramRenderer = (analysis: Analysis, options?: DiagramOptions) => string | Promise<string>;

export const DIAGRAM_FORMATS = ['svg', 'dot', 'mermaid'] as const;
export type DiagramFormat = (typeof DIAGRAM_FORMATS)[number];

export const DIAGRAM_RENDERERS: Readonly<Record<DiagramFormat, DiagramRenderer>> = {
  svg: renderSvg,
  dot: renderDot,
  mermaid: renderMermaid,
};
