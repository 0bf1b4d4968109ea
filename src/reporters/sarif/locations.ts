/**
 * Where a finding points in SARIF: an element's importer `source` (the file the user wrote, e.g. the
 * English description), else its position in the model file, else the model file alone. URIs are
 * relative to the working directory when the file is inside it, with forward slashes and each segment
 * percent-encoded; other files get an absolute `file:` URI.
 */
import { isAbsolute, relative, resolve, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Location, PhysicalLocation } from 'sarif';
import type { View } from '../../model/view.js';

/** A file and, when known, a 1-based line and column in it. */
export interface Position {
  file: string;
  line?: number;
  col?: number;
}

const SCHEME = /^[A-Za-z][A-Za-z0-9+.-]*:\/\//;

/** The SARIF `artifactLocation.uri` of a file named as the user gave it. */
export function artifactUri(file: string, cwd: string): string {
  if (SCHEME.test(file)) return file;
  const abs = resolve(cwd, file);
  const rel = relative(cwd, abs);
  const outside = rel === '' || rel === '..' || rel.startsWith(`..${sep}`) || isAbsolute(rel);
  if (outside) return pathToFileURL(abs).href;
  return rel.split(sep).map(encodeURIComponent).join('/');
}

const positive = (n: unknown): n is number => typeof n === 'number' && Number.isInteger(n) && n >= 1;

/** Where an element is: its importer source first, then its place in the model file. */
export function elementPosition(view: View, id: string): Position | undefined {
  const src = view.source(id);
  if (src) return { file: src.file, line: src.line, col: src.col };
  const loc = view.location(id);
  if (loc) return { file: loc.file, line: loc.line, col: loc.col };
  return undefined;
}

/** The first model file any element is written in (for findings whose elements have no position). */
export function firstModelFile(view: View): string | undefined {
  const ids = [
    ...view.components.map((c) => c.id),
    ...view.boundaries.map((b) => b.id),
    ...view.identities.map((i) => i.id),
    ...view.data.map((d) => d.id),
    ...view.flows.map((f) => f.id),
  ];
  for (const id of ids) {
    const loc = view.location(id);
    if (loc) return loc.file;
  }
  return undefined;
}

export function physicalLocation(pos: Position, cwd: string): PhysicalLocation {
  const out: PhysicalLocation = { artifactLocation: { uri: artifactUri(pos.file, cwd) } };
  if (positive(pos.line)) {
    out.region = positive(pos.col) ? { startLine: pos.line, startColumn: pos.col } : { startLine: pos.line };
  }
  return out;
}

/** A SARIF location naming the element logically, and physically when its position is known. */
export function elementLocation(
  id: string,
  kind: string | undefined,
  pos: Position | undefined,
  cwd: string,
): Location {
  const loc: Location = {};
  if (pos) loc.physicalLocation = physicalLocation(pos, cwd);
  // SARIF's well-known logical kinds (function, module, resource, ...) do not fit model elements, so the
  // element kind (component, flow, ...) goes in the property bag.
  loc.logicalLocations = [{ name: id, ...(kind ? { properties: { kind } } : {}) }];
  return loc;
}
