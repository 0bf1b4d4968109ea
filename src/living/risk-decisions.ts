/**
 * Risk decisions (DESIGN §7): accepted, mitigated and false-positive verdicts on findings, written in the
 * model's `risks` list or in a side file (`--risks FILE`).
 *
 * They are applied to an Analysis right after the engine ran, as a separate pure step: the engine stays
 * a function of the View and the rules, and a mistake in the decisions (two on one finding) is an input
 * error that this step reports, located, instead of something the engine would have to throw. Every
 * command that analyses a model calls `applyRiskDecisions` on the engine's result (see the CLI's
 * `pipeline.ts`).
 *
 * - A decision matches a finding by `finding` (its fingerprint), or by `rule` and `primary` (an id or a
 *   list, compared as a set with the finding's primary ids).
 * - The finding takes the decision's status. A decision whose `expires` is before `asOf` no longer holds
 *   (it holds through that day): the finding is open again, and a warning says so.
 * - Two decisions on one finding are an error at both places. A decision that matches no finding is a
 *   warning and is listed in `orphanedDecisions`; never an error.
 */
import type { Analysis, AppliedDecision, Finding, OrphanedDecision } from '../engine/analysis.js';
import { checkRisk, type Entry } from '../model/check-model.js';
import { type Diagnostic, hint, shown } from '../model/diagnostics.js';
import { type RiskDecision, risksFileSchema } from '../model/schema.js';
import { schemaDiagnostics } from '../model/schema-errors.js';
import type { Path, SourceFile } from '../model/source-file.js';
import type { Location } from '../model/view.js';

/** A decision and where it is written. */
export interface LocatedDecision {
  decision: RiskDecision;
  location?: Location;
}

export interface ApplyOptions {
  /** The date decisions are judged on (YYYY-MM-DD). */
  asOf: string;
  /**
   * The findings decisions are matched against (default: the analysis' own). When the output leaves
   * findings out (`--confirmed-only`), give the full list, so that a decision on a left-out finding is
   * neither called orphaned nor missed as a second decision.
   */
  candidates?: readonly Finding[];
  /** Every rule id of the catalogue, for a did-you-mean on an orphaned decision's `rule`. */
  ruleIds?: readonly string[];
}

export interface ApplyResult {
  analysis: Analysis;
  /** Errors (two decisions on one finding, a repeated decision id) and warnings (expired, orphaned). */
  diagnostics: Diagnostic[];
}

const isRecord = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === 'object' && !Array.isArray(v);

/** The `primary` of a decision as a sorted set. */
export function decisionPrimary(d: RiskDecision): string[] {
  if (d.primary === undefined) return [];
  return [...new Set(Array.isArray(d.primary) ? d.primary : [d.primary])].sort();
}

/** What a decision points at, for messages: `finding <id>` or `<rule> on <ids>`. */
export function decisionTarget(d: RiskDecision): string {
  return d.finding !== undefined
    ? `finding ${d.finding}`
    : `${d.rule ?? '?'} on ${decisionPrimary(d).join(', ')}`;
}

const where = (l: Location | undefined) => (l ? `${l.file}:${l.line}:${l.col}` : '(risk decisions)');
const named = (d: RiskDecision) =>
  d.id !== undefined ? `risk decision '${shown(d.id)}'` : 'a risk decision';

function diagnostic(
  severity: Diagnostic['severity'],
  location: Location | undefined,
  message: string,
): Diagnostic {
  return location
    ? { severity, file: location.file, line: location.line, col: location.col, message }
    : { severity, file: '(risk decisions)', message };
}

/**
 * The decisions of a loaded model with where each is written: the `risks` of each file in order, which
 * is the order in which the loader joins them into `model.risks`.
 */
export function locateDecisions(
  risks: readonly RiskDecision[],
  sources: readonly SourceFile[],
): LocatedDecision[] {
  const locations: Location[] = [];
  for (const source of sources) {
    if (!isRecord(source.data) || !Array.isArray(source.data.risks)) continue;
    source.data.risks.forEach((_, i) => {
      const p = source.locate(['risks', i]);
      locations.push({ file: source.file, line: p.line, col: p.col });
    });
  }
  return risks.map((decision, i) => {
    const location = locations.length === risks.length ? locations[i] : undefined;
    return location ? { decision, location } : { decision };
  });
}

export type RisksFileResult =
  | { ok: true; decisions: LocatedDecision[] }
  | { ok: false; diagnostics: Diagnostic[] };

/** Validates a parsed side file `{ threatkrew: 1, risks: [...] }` and locates its decisions. */
export function decisionsFromRisksFile(source: SourceFile): RisksFileResult {
  const diagnostics: Diagnostic[] = [];
  const at = (path: Path, message: string, w: 'value' | 'key' = 'value') => {
    const p = source.locate(path, w);
    diagnostics.push({ severity: 'error', file: source.file, line: p.line, col: p.col, message });
  };
  if (!isRecord(source.data)) {
    at([], 'a risks file is a mapping: `threatkrew: 1` and `risks:`, a list of risk decisions');
    return { ok: false, diagnostics };
  }
  const parsed = risksFileSchema.safeParse(source.data);
  if (!parsed.success) diagnostics.push(...schemaDiagnostics(parsed.error.issues, source, 'risks'));
  const items = Array.isArray(source.data.risks) ? source.data.risks : [];
  const ids = new Map<string, number>();
  items.forEach((value, index) => {
    if (!isRecord(value)) return;
    const entry: Entry = { source, list: 'risks', index, value };
    checkRisk(entry, (e, path, message, w) => at(['risks', e.index, ...path], message, w));
    if (typeof value.id === 'string') {
      const first = ids.get(value.id);
      if (first === undefined) ids.set(value.id, index);
      else {
        const p = source.locate(['risks', first, 'id']);
        at(
          ['risks', index, 'id'],
          `duplicate risk id '${shown(value.id)}': already used at ${source.file}:${p.line}:${p.col}`,
        );
      }
    }
  });
  if (!parsed.success || diagnostics.length > 0) return { ok: false, diagnostics };
  return { ok: true, decisions: locateDecisions(parsed.data.risks, [source]) };
}

/** Why a decision matches nothing, to help the user mend or remove it. */
function orphanReason(
  d: RiskDecision,
  analysis: Analysis,
  candidates: readonly Finding[],
  ruleIds: readonly string[] | undefined,
): string {
  if (d.finding !== undefined)
    return 'no finding has this id: it was fixed, or its rule or primary elements changed';
  const rule = d.rule ?? '';
  if (ruleIds && !ruleIds.includes(rule)) return `there is no rule '${shown(rule)}'${hint(rule, ruleIds)}`;
  const primary = decisionPrimary(d);
  const unknown = primary.find((id) => analysis.view.kindOf(id) === undefined);
  if (unknown !== undefined) return `'${shown(unknown)}' is not an element of the model`;
  const near = candidates.find((f) => f.ruleId === rule && f.primary.some((p) => primary.includes(p)));
  if (near)
    return `no ${rule} finding has exactly these primary ids; did you mean [${near.primary.join(', ')}]?`;
  return `no ${rule} finding on ${primary.join(', ')}: it was fixed, or is reported on other elements`;
}

function applied(d: RiskDecision, expired: boolean, location: Location | undefined): AppliedDecision {
  const out: AppliedDecision = { status: d.status, reason: d.reason, expired };
  if (d.id !== undefined) out.id = d.id;
  if (d.owner !== undefined) out.owner = d.owner;
  if (d.expires !== undefined) out.expires = d.expires;
  if (d.how !== undefined) out.how = d.how;
  if (location) out.location = location;
  return out;
}

/** Applies risk decisions to an analysis; the analysis given is not changed. */
export function applyRiskDecisions(
  analysis: Analysis,
  decisions: readonly LocatedDecision[],
  options: ApplyOptions,
): ApplyResult {
  const diagnostics: Diagnostic[] = [];
  if (decisions.length === 0) return { analysis, diagnostics };
  const candidates = options.candidates ?? analysis.findings;
  const byId = new Map<string, Finding>();
  const byRule = new Map<string, Finding>();
  for (const f of candidates) {
    byId.set(f.id, f);
    byRule.set(`${f.ruleId}\n${[...new Set(f.primary)].sort().join(',')}`, f);
  }

  // Decision ids are one namespace across the model and the side file.
  const ids = new Map<string, LocatedDecision>();
  for (const ld of decisions) {
    const id = ld.decision.id;
    if (id === undefined) continue;
    const first = ids.get(id);
    if (first)
      diagnostics.push(
        diagnostic(
          'error',
          ld.location,
          `duplicate risk id '${shown(id)}': already used at ${where(first.location)}`,
        ),
      );
    else ids.set(id, ld);
  }

  const matches = new Map<string, LocatedDecision[]>();
  const orphaned: OrphanedDecision[] = [];
  for (const ld of decisions) {
    const d = ld.decision;
    const f =
      d.finding !== undefined
        ? byId.get(d.finding)
        : byRule.get(`${d.rule}\n${decisionPrimary(d).join(',')}`);
    if (f) {
      const list = matches.get(f.id);
      if (list) list.push(ld);
      else matches.set(f.id, [ld]);
      continue;
    }
    orphaned.push(ld.location ? { decision: d, location: ld.location } : { decision: d });
    diagnostics.push(
      diagnostic(
        'warning',
        ld.location,
        `${named(d)} (${decisionTarget(d)}) matches no finding: ${orphanReason(d, analysis, candidates, options.ruleIds)}`,
      ),
    );
  }

  const decided = new Map<string, AppliedDecision>();
  for (const [findingId, list] of matches) {
    const f = byId.get(findingId) as Finding;
    const what = `finding ${f.id} (${f.ruleId} on ${f.primary.join(', ')})`;
    if (list.length > 1) {
      for (const ld of list) {
        const others = list.filter((o) => o !== ld).map((o) => where(o.location));
        diagnostics.push(
          diagnostic(
            'error',
            ld.location,
            `${named(ld.decision)} and the one at ${others.join(' and ')} both decide ${what}; keep one`,
          ),
        );
      }
      continue;
    }
    const ld = list[0] as LocatedDecision;
    const d = ld.decision;
    const expired = d.expires !== undefined && d.expires < options.asOf;
    if (expired) {
      diagnostics.push(
        diagnostic(
          'warning',
          ld.location,
          `the ${d.status === 'accepted' ? 'acceptance' : `${d.status} decision`} of ${what} expired on ${d.expires} (as of ${options.asOf}); the finding is open again: fix it, or renew \`expires\``,
        ),
      );
    }
    decided.set(findingId, applied(d, expired, ld.location));
  }

  const findings = analysis.findings.map((f): Finding => {
    const d = decided.get(f.id);
    return d ? { ...f, status: d.expired ? 'open' : d.status, decision: d } : f;
  });
  return { analysis: { ...analysis, findings, orphanedDecisions: orphaned }, diagnostics };
}
