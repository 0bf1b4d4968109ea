/** The reporters, by format name. Later formats (md, html, sarif, csv) register here. */
import type { Analysis } from '../engine/analysis.js';
import { CATALOGUE } from '../rules/catalog/index.js';
import { renderCsv } from './csv/csv.js';
import { renderHtml } from './html/html.js';
import { renderJson } from './json/json.js';
import { renderMarkdown } from './markdown/markdown.js';
import { renderSarif } from './sarif/sarif.js';
import { renderText } from './text/text.js';

export interface ReportContext {
  toolVersion: string;
  /** The directory paths in reports are made relative to (read by the CLI, passed in). */
  cwd: string;
}

/** A reporter renders an Analysis; it may be async (the SVG diagram loads Graphviz in WebAssembly). */
export type Reporter = (analysis: Analysis, ctx: ReportContext) => string | Promise<string>;

export const REPORTERS: Readonly<Record<string, Reporter>> = {
  text: (a) => renderText(a),
  json: (a, ctx) => renderJson(a, ctx.toolVersion),
  sarif: (a, ctx) => renderSarif(a, { toolVersion: ctx.toolVersion, cwd: ctx.cwd }),
  csv: (a) => renderCsv(a),
  md: (a, ctx) => renderMarkdown(a, { toolVersion: ctx.toolVersion, rules: CATALOGUE }),
  html: (a, ctx) => renderHtml(a, { toolVersion: ctx.toolVersion }),
};

/** Formats the contract names (DESIGN §8) that are not built yet. */
export const PLANNED_FORMATS: readonly string[] = [];
