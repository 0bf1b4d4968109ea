/**
 * The reporters, by format name. Each is imported only when its format is asked for: a run of
 * `analyze --format json` then never loads the HTML assets, the SVG diagram's Graphviz WebAssembly or
 * the other reporters, which keeps the CLI's start-up short.
 */
import type { Analysis } from '../engine/analysis.js';

export interface ReportContext {
  toolVersion: string;
  /** The directory paths in reports are made relative to (read by the CLI, passed in). */
  cwd: string;
}

/** A reporter renders an Analysis; it may be async (the SVG diagram loads Graphviz in WebAssembly). */
export type Reporter = (analysis: Analysis, ctx: ReportContext) => string | Promise<string>;

/**
 * A reporter that hands its text on in pieces, in order (`write` is called many times), so that a report
 * too large for one string (JSON at 100,000 components) is never built whole. The pieces joined are
 * exactly what the format's `Reporter` returns.
 */
export type ReportWriter = (analysis: Analysis, ctx: ReportContext, write: (chunk: string) => void) => void;

export const REPORTERS: Readonly<Record<string, Reporter>> = {
  text: async (a) => (await import('./text/text.js')).renderText(a),
  json: async (a, ctx) => (await import('./json/json.js')).renderJson(a, ctx.toolVersion),
  sarif: async (a, ctx) =>
    (await import('./sarif/sarif.js')).renderSarif(a, { toolVersion: ctx.toolVersion, cwd: ctx.cwd }),
  csv: async (a) => (await import('./csv/csv.js')).renderCsv(a),
  md: async (a, ctx) => {
    const [{ renderMarkdown }, { CATALOGUE }] = await Promise.all([
      import('./markdown/markdown.js'),
      import('../rules/catalog/index.js'),
    ]);
    return renderMarkdown(a, { toolVersion: ctx.toolVersion, rules: CATALOGUE });
  },
  html: async (a, ctx) => (await import('./html/html.js')).renderHtml(a, { toolVersion: ctx.toolVersion }),
};

/** The formats that can be written in pieces, each loaded on first use (see `REPORTERS`). */
export const REPORT_WRITERS: Readonly<Record<string, () => Promise<ReportWriter>>> = {
  json: async () => {
    const { writeJson } = await import('./json/json.js');
    return (a, ctx, write) => writeJson(a, ctx.toolVersion, write);
  },
};

/** Formats the contract names (DESIGN §8) that are not built yet. */
export const PLANNED_FORMATS: readonly string[] = [];
