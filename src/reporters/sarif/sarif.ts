/**
 * The SARIF 2.1.0 report (`--format sarif`), for GitHub code scanning, IDEs and other SARIF viewers.
 *
 * One run. `tool.driver.rules` lists every rule of the catalogue (so a clean run still documents what was
 * checked); each finding is one result, in the Analysis order, pointing at its first primary element:
 * the importer's `source` when it has one, else its place in the model file, else the model file alone.
 * `partialFingerprints['threatkrew/v1']` is the finding id, so code scanning tracks a finding across
 * runs exactly as baselines do. Nothing here reads the clock: `invocations` is written only when the
 * Analysis carries `generatedAt` (`--timestamp`). Levels and scores: see levels.ts.
 */
import type { Location, Log, ReportingDescriptor, Result, Run, Suppression } from 'sarif';
import type { Analysis, Finding } from '../../engine/analysis.js';
import { CATALOGUE } from '../../rules/catalog/index.js';
import type { Rule } from '../../rules/define-rule.js';
import { ruleSeverities, SARIF_LEVEL, SECURITY_SEVERITY, typicalSeverity } from './levels.js';
import {
  elementLocation,
  elementPosition,
  firstModelFile,
  type Position,
  physicalLocation,
} from './locations.js';
import { findingRuleDescriptor, ruleDescriptor } from './rules.js';

export const SARIF_SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';
export const SARIF_VERSION = '2.1.0';
/** The key of `partialFingerprints`; the value is the finding id (DESIGN §4 fingerprint). */
export const FINGERPRINT_KEY = 'threatkrew/v1';

export interface SarifOptions {
  toolVersion: string;
  /** The tool's home page (`tool.driver.informationUri`); omitted when not given. Must be absolute. */
  informationUri?: string;
  /** URIs are written relative to this directory when possible (default: the working directory). */
  cwd?: string;
  /** The rules to describe (default: the catalogue). */
  rules?: readonly Rule[];
}

const SEMVER = /^\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?$/;

function allSubjects(f: Finding): string[] {
  const s = f.subjects;
  return [...s.components, ...s.flows, ...s.data, ...s.identities, ...s.boundaries];
}

function suppressions(f: Finding): Suppression[] | undefined {
  if (f.status === 'open') return undefined;
  // A risk decision (DESIGN §7) is a suppression recorded outside the analysed files.
  return [{ kind: 'external', status: 'accepted', justification: `risk decision: ${f.status}` }];
}

class Locator {
  private readonly cache = new Map<string, Position | undefined>();
  private modelFile: string | null | undefined;

  constructor(
    private readonly analysis: Analysis,
    private readonly cwd: string,
  ) {}

  position(id: string): Position | undefined {
    if (!this.cache.has(id)) this.cache.set(id, elementPosition(this.analysis.view, id));
    return this.cache.get(id);
  }

  fallbackFile(): string | undefined {
    if (this.modelFile === undefined) this.modelFile = firstModelFile(this.analysis.view) ?? null;
    return this.modelFile ?? undefined;
  }

  location(id: string): Location {
    return elementLocation(id, this.analysis.view.kindOf(id), this.position(id), this.cwd);
  }

  /**
   * The result's location and the id it shows: the first primary with a position, else the first
   * primary in the model file (no region), else the model file alone.
   */
  primary(f: Finding): { shown: string | undefined; locations: Location[] } {
    const view = this.analysis.view;
    const located = f.primary.find((id) => this.position(id) !== undefined);
    if (located !== undefined) return { shown: located, locations: [this.location(located)] };
    const file = this.fallbackFile();
    const first = f.primary[0];
    if (first !== undefined) {
      const pos = file === undefined ? undefined : { file };
      return { shown: first, locations: [elementLocation(first, view.kindOf(first), pos, this.cwd)] };
    }
    if (file === undefined) return { shown: undefined, locations: [] };
    return { shown: undefined, locations: [{ physicalLocation: physicalLocation({ file }, this.cwd) }] };
  }

  /** The other primary ids and the subjects that have a position. */
  related(f: Finding, shown: string | undefined): Location[] {
    const ids = [...new Set([...f.primary, ...allSubjects(f)])].filter((id) => id !== shown);
    const out: Location[] = [];
    for (const id of ids) {
      if (this.position(id) === undefined) continue;
      const kind = this.analysis.view.kindOf(id);
      const loc = this.location(id);
      const label = this.analysis.view.label(id);
      const text = `${kind ?? 'element'} ${id}${label !== id ? ` (${label})` : ''}`;
      out.push({ id: out.length, ...loc, message: { text } });
    }
    return out;
  }
}

function result(f: Finding, ruleIndex: number, where: Locator): Result {
  const { shown, locations } = where.primary(f);
  const related = where.related(f, shown);
  const r: Result = {
    ruleId: f.ruleId,
    ruleIndex,
    level: SARIF_LEVEL[f.severity],
    message: { text: f.message },
    locations,
  };
  if (related.length > 0) r.relatedLocations = related;
  r.partialFingerprints = { [FINGERPRINT_KEY]: f.id };
  if (f.baselineState !== undefined) r.baselineState = f.baselineState;
  const sup = suppressions(f);
  if (sup) r.suppressions = sup;
  r.properties = {
    severity: f.severity,
    'security-severity': SECURITY_SEVERITY[f.severity],
    confidence: f.confidence,
    likelihood: f.likelihood,
    impact: f.impact,
    status: f.status,
    stride: f.stride,
    primary: f.primary,
    subjects: f.subjects,
    evidence: f.evidence,
    mitigation: f.mitigation,
    compliance: f.compliance,
    questions: f.questions,
  };
  return r;
}

/** The SARIF log as an object (for callers that post-process it). */
export function sarifLog(analysis: Analysis, options: SarifOptions): Log {
  const cwd = options.cwd ?? process.cwd();
  const worst = ruleSeverities(analysis.findings);
  const severity = (id: string) => worst.get(id) ?? typicalSeverity(id);
  const rules: ReportingDescriptor[] = (options.rules ?? CATALOGUE).map((r) =>
    ruleDescriptor(r.meta, severity(r.meta.id)),
  );
  const index = new Map<string, number>();
  rules.forEach((r, i) => {
    if (!index.has(r.id)) index.set(r.id, i);
  });
  for (const f of analysis.findings) {
    if (!index.has(f.ruleId)) {
      index.set(f.ruleId, rules.length);
      rules.push(findingRuleDescriptor(f, severity(f.ruleId)));
    }
  }
  const where = new Locator(analysis, cwd);
  const driver: Run['tool']['driver'] = { name: 'ThreatKrew', version: options.toolVersion };
  if (options.informationUri) driver.informationUri = options.informationUri;
  if (SEMVER.test(options.toolVersion)) driver.semanticVersion = options.toolVersion;
  driver.rules = rules;

  const run: Run = {
    tool: { driver },
    results: analysis.findings.map((f) => result(f, index.get(f.ruleId) as number, where)),
    columnKind: 'utf16CodeUnits',
  };
  if (analysis.generatedAt !== undefined) {
    run.invocations = [{ executionSuccessful: true, endTimeUtc: analysis.generatedAt }];
  }
  const props: Record<string, unknown> = { model: analysis.model.name };
  if (analysis.asOf !== undefined) props.asOf = analysis.asOf;
  run.properties = props;
  return { $schema: SARIF_SCHEMA, version: SARIF_VERSION, runs: [run] };
}

/** `--format sarif`: pretty JSON and a final newline. */
export function renderSarif(analysis: Analysis, options: SarifOptions): string {
  return `${JSON.stringify(sarifLog(analysis, options), null, 2)}\n`;
}
