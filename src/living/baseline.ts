/**
 * Baselines: a JSON analysis (`threatkrew baseline`, DESIGN §6) kept from an earlier run, against which
 * each finding of a new run is `new` or `unchanged`, by fingerprint. Fingerprints come from the rule id
 * and the primary element ids only (DESIGN §4), so they survive renaming a display name or the model,
 * reordering the file, and adding elements a finding does not rest on.
 */
import type { Analysis } from '../engine/analysis.js';
import type { Path } from '../model/source-file.js';
import { ANALYSIS_SCHEMA } from '../reporters/json/json.js';

export type BaselineRead =
  | { ok: true; ids: ReadonlySet<string> }
  | { ok: false; path: Path; message: string };

const isRecord = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === 'object' && !Array.isArray(v);

const FINGERPRINT = /^[0-9a-f]{16}$/;

/** Reads the finding ids of a parsed JSON analysis, checking that it is one. */
export function baselineIds(data: unknown): BaselineRead {
  const fail = (path: Path, message: string): BaselineRead => ({ ok: false, path, message });
  if (!isRecord(data) || data.schema === undefined)
    return fail([], `not a ThreatKrew analysis: it has no \`schema\` (expected "${ANALYSIS_SCHEMA}")`);
  if (data.schema !== ANALYSIS_SCHEMA) {
    const got = typeof data.schema === 'string' ? `"${data.schema}"` : String(JSON.stringify(data.schema));
    return fail(
      ['schema'],
      `not a ThreatKrew analysis of this version: \`schema\` is ${got}, expected "${ANALYSIS_SCHEMA}"`,
    );
  }
  if (!Array.isArray(data.findings)) return fail(['findings'], '`findings` must be a list of findings');
  const ids = new Set<string>();
  for (const [i, f] of data.findings.entries()) {
    const id = isRecord(f) ? f.id : undefined;
    if (typeof id !== 'string' || !FINGERPRINT.test(id))
      return fail(
        ['findings', i],
        'each finding needs an `id` (a fingerprint of 16 lowercase hex characters)',
      );
    ids.add(id);
  }
  return { ok: true, ids };
}

/** Marks each finding `new` or `unchanged` against the baseline's finding ids; the input is not changed. */
export function markBaseline(analysis: Analysis, ids: ReadonlySet<string>): Analysis {
  return {
    ...analysis,
    findings: analysis.findings.map((f) => ({ ...f, baselineState: ids.has(f.id) ? 'unchanged' : 'new' })),
  };
}
