/** The reporters, by format name. Later formats (md, html, sarif, csv) register here. */
import type { Analysis } from '../engine/analysis.js';
import { renderJson } from './json/json.js';
import { renderText } from './text/text.js';

export interface ReportContext {
  toolVersion: string;
}

/** A reporter renders an Analysis; it may be async (the SVG diagram loads Graphviz in WebAssembly). */
export type Reporter = (analysis: Analysis, ctx: ReportContext) => string | Promise<string>;

export const REPORTERS: Readonly<Record<string, Reporter>> = {
  text: (a) => renderText(a),
  json: (a, ctx) => renderJson(a, ctx.toolVersion),
};

/** Formats the contract names (DESIGN §8) that are not built yet. */
export const PLANNED_FORMATS: readonly string[] = ['md', 'html', 'sarif', 'csv'];
