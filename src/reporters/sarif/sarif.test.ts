import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Location, Log, Result } from 'sarif';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Analysis, Finding } from '../../engine/analysis.js';
import { analyze } from '../../engine/run-rules.js';
import { SEVERITIES, type Severity, severityRank } from '../../engine/severity.js';
import { formatDiagnostics } from '../../model/diagnostics.js';
import { loadModelFiles } from '../../model/load.js';
import { View } from '../../model/view.js';
import { CATALOGUE } from '../../rules/catalog/index.js';
import { cweTag, SARIF_LEVEL, SECURITY_SEVERITY, typicalSeverity } from './levels.js';
import { artifactUri } from './locations.js';
import { FINGERPRINT_KEY, renderSarif, SARIF_SCHEMA } from './sarif.js';
import { type SarifProblem, schemaErrors, validateWithMultitool } from './testing/validate.js';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const examplesDir = join(root, 'examples');
const examples = readdirSync(examplesDir)
  .filter((f) => f.endsWith('.yaml'))
  .sort();
const VERSION = '0.1.0';

function load(file: string) {
  const loaded = loadModelFiles([file]);
  if (!loaded.ok) throw new Error(formatDiagnostics(loaded.diagnostics).join('\n'));
  return loaded;
}

function analysisOf(file: string): Analysis {
  return analyze(load(file).view, CATALOGUE, { asOf: '2026-01-01' });
}

const render = (a: Analysis) => renderSarif(a, { toolVersion: VERSION });

/** Finds where a SARIF uri points on disk (relative uris are relative to the working directory). */
function pathOf(uri: string): string {
  return uri.startsWith('file:') ? fileURLToPath(uri) : resolve(process.cwd(), decodeURIComponent(uri));
}

/** The line a location points at, and the element id it names. */
function pointedLine(loc: Location): { line: string; id: string } {
  const phys = loc.physicalLocation;
  const id = loc.logicalLocations?.[0]?.name ?? '';
  if (!phys?.region?.startLine) throw new Error(`no region for ${id}`);
  const lines = readFileSync(pathOf(phys.artifactLocation?.uri ?? ''), 'utf8').split(/\r?\n/);
  return { line: lines[phys.region.startLine - 1] ?? '', id };
}

/** A derived flow id `a->b` is written as `from: a`; any other id is written as itself. */
function expectNamesElement(line: string, id: string): void {
  expect(line).toContain(id.includes('->') ? (id.split('->')[0] as string) : id);
}

const FLAWED = `threatkrew: 1
name: Flawed
boundaries:
  - { id: internet, kind: internet }
  - { id: vpc, kind: network }
components:
  - { id: user, kind: user, in: internet }
  - { id: api, kind: service, name: "=HYPERLINK(\\"x\\")", in: vpc }
  - id: worker
    kind: service
    in: vpc
    source: { file: design notes.md, line: 3, col: 7, origin: english }
flows:
  - { from: user, to: api, protocol: https, authn: oidc }
  - { from: api, to: worker, protocol: http, authn: none }
`;

describe('SARIF reporter', () => {
  let dir: string;
  const rendered = new Map<string, { file: string; analysis: Analysis; text: string; log: Log }>();
  let problems: SarifProblem[];

  function add(name: string, analysis: Analysis, text = render(analysis)) {
    const file = join(dir, `${name}.sarif`);
    writeFileSync(file, text);
    rendered.set(name, { file, analysis, text, log: JSON.parse(text) as Log });
  }

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'tk-sarif-'));
    for (const ex of examples) add(basename(ex, '.yaml'), analysisOf(join(examplesDir, ex)));

    // Odd inputs, validated in the same Multitool run.
    const model = join(dir, 'flawed.yaml');
    writeFileSync(model, FLAWED);
    const flawed = analysisOf(model);
    add('odd-flawed', flawed);
    const loaded = load(model);
    add('odd-no-locations', analyze(new View(loaded.model), CATALOGUE));
    const base = flawed.findings[0] as Finding;
    const custom: Finding[] = [
      { ...base, id: '0000000000000001', ruleId: 'not-in-catalogue', primary: [], status: 'accepted' },
      { ...base, id: '0000000000000002', primary: ['no-such-element'], baselineState: 'new' },
      { ...base, id: '0000000000000003', status: 'false-positive', baselineState: 'unchanged' },
    ];
    add('odd-custom', { ...flawed, findings: custom, generatedAt: '2026-01-01T12:00:00.000Z' });
    add('odd-empty', { ...flawed, findings: [], attackPaths: [], questions: [] });

    problems = validateWithMultitool([...rendered.values()].map((r) => r.file));
  }, 180_000);

  it('renders every example', () => {
    expect(examples.length).toBeGreaterThanOrEqual(4);
    for (const ex of examples) expect(rendered.has(basename(ex, '.yaml'))).toBe(true);
  });

  it('passes the SARIF Multitool with zero errors (one run over every file)', () => {
    const errors = problems.filter((p) => p.level === 'error');
    expect(errors.map((p) => `${basename(p.file)}:${p.line}:${p.col} ${p.ruleId} ${p.message}`)).toEqual([]);
    // Warnings expected: SARIF2005 everywhere (the project has no home page for `informationUri` yet),
    // and SARIF2017 (no region) where a finding can only point at the whole model file.
    const expected = (p: SarifProblem) =>
      (p.ruleId === 'SARIF2005' && p.message.includes('informationUri')) ||
      (p.ruleId === 'SARIF2017' && basename(p.file) === 'odd-custom.sarif');
    const other = problems.filter((p) => p.level !== 'error' && !expected(p));
    expect(other.map((p) => `${basename(p.file)} ${p.ruleId} ${p.message}`)).toEqual([]);
  });

  it('passes the SARIF 2.1.0 JSON Schema (ajv), which sees what the Multitool can miss', () => {
    for (const [name, r] of rendered)
      expect({ name, errors: schemaErrors(r.log) }).toEqual({ name, errors: [] });
  });

  it('has one run with the tool, every catalogue rule, and one result per finding in order', () => {
    for (const [, { log, analysis, text }] of rendered) {
      expect(text.endsWith('}\n')).toBe(true);
      expect(log.$schema).toBe(SARIF_SCHEMA);
      expect(log.version).toBe('2.1.0');
      expect(log.runs).toHaveLength(1);
      const run = log.runs[0] as Log['runs'][number];
      const driver = run.tool.driver;
      expect(driver).toMatchObject({ name: 'ThreatKrew', version: VERSION, semanticVersion: VERSION });
      const rules = driver.rules ?? [];
      expect(rules.slice(0, CATALOGUE.length).map((r) => r.id)).toEqual(CATALOGUE.map((r) => r.meta.id));
      const results = run.results ?? [];
      expect(results).toHaveLength(analysis.findings.length);
      expect(results.map((r) => r.ruleId)).toEqual(analysis.findings.map((f) => f.ruleId));
      results.forEach((r, i) => {
        const f = analysis.findings[i] as Finding;
        expect(rules[r.ruleIndex as number]?.id).toBe(f.ruleId);
        expect(r.level).toBe(SARIF_LEVEL[f.severity]);
        expect(r.message.text).toBe(f.message);
        expect(r.partialFingerprints).toEqual({ [FINGERPRINT_KEY]: f.id });
        expect(r.properties).toMatchObject({
          severity: f.severity,
          confidence: f.confidence,
          stride: f.stride,
          primary: f.primary,
          subjects: f.subjects,
          compliance: f.compliance,
          'security-severity': SECURITY_SEVERITY[f.severity],
        });
      });
    }
  });

  it('describes each rule with help, CWE tags, STRIDE tags, a security-severity and a precision', () => {
    const { log } = rendered.get(basename(examples[0] as string, '.yaml')) as { log: Log };
    const rules = log.runs[0]?.tool.driver.rules ?? [];
    for (const rule of CATALOGUE) {
      const d = rules.find((r) => r.id === rule.meta.id);
      expect(d?.name).toMatch(/^[A-Z][A-Za-z0-9]*$/);
      expect(d?.shortDescription?.text).toBe(rule.meta.title);
      expect(d?.fullDescription?.text).toBe(rule.meta.summary);
      expect(d?.help?.text).toContain(rule.meta.detection);
      expect(d?.help?.markdown).toContain('## Mitigation');
      for (const ref of rule.meta.references) expect(d?.help?.markdown).toContain(`](${ref.url})`);
      const tags = d?.properties?.tags ?? [];
      expect(tags[0]).toBe('security');
      for (const s of rule.meta.stride) expect(tags).toContain(s);
      for (const c of rule.meta.cwe) expect(tags).toContain(cweTag(c));
      expect(d?.properties?.['security-severity']).toMatch(/^\d+\.\d$/);
      expect(['very-high', 'high', 'medium', 'low']).toContain(d?.properties?.precision);
      expect(['error', 'warning', 'note']).toContain(d?.defaultConfiguration?.level);
      expect(d).not.toHaveProperty('helpUri');
    }
    for (const [, { log: l, analysis }] of rendered) {
      for (const d of l.runs[0]?.tool.driver.rules ?? []) {
        const own = analysis.findings.filter((f) => f.ruleId === d.id).map((f) => severityRank(f.severity));
        const expected = own.length > 0 ? (SEVERITIES[Math.min(...own)] as Severity) : typicalSeverity(d.id);
        expect([d.id, d.properties?.['security-severity']]).toEqual([d.id, SECURITY_SEVERITY[expected]]);
        expect(d.defaultConfiguration?.level).toBe(SARIF_LEVEL[expected]);
      }
    }
    const allTags = rules.flatMap((r) => (r.properties?.tags ?? []) as string[]);
    expect(allTags.some((t) => t.startsWith('external/cwe/cwe-'))).toBe(true);
    expect(cweTag('CWE-319')).toBe('external/cwe/cwe-319');
    expect(cweTag('CWE-20')).toBe('external/cwe/cwe-020');
  });

  it('points every example result, and its related locations, at the lines that define the elements', () => {
    let checked = 0;
    for (const ex of examples) {
      const { log } = rendered.get(basename(ex, '.yaml')) as { log: Log };
      for (const r of log.runs[0]?.results ?? []) {
        const loc = r.locations?.[0] as Location;
        expect(loc.physicalLocation?.artifactLocation?.uri).toBe(`examples/${ex}`);
        expect(loc.physicalLocation?.region?.startColumn).toBeGreaterThanOrEqual(1);
        const { line, id } = pointedLine(loc);
        expect(r.properties?.primary).toContain(id);
        expectNamesElement(line, id);
        for (const rel of r.relatedLocations ?? []) {
          const p = pointedLine(rel);
          expectNamesElement(p.line, p.id);
          expect(rel.message?.text).toContain(p.id);
        }
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(0);
  });

  it("prefers an element's importer source, with a relative, percent-encoded uri", () => {
    const { log } = rendered.get('odd-flawed') as { log: Log };
    const results = log.runs[0]?.results ?? [];
    const onWorker = results.flatMap((r) => [...(r.locations ?? []), ...(r.relatedLocations ?? [])]);
    const worker = onWorker.find((l) => l.logicalLocations?.[0]?.name === 'worker');
    expect(worker?.physicalLocation).toEqual({
      artifactLocation: { uri: 'design%20notes.md' },
      region: { startLine: 3, startColumn: 7 },
    });
    // The model file itself is outside the working directory: an absolute file URI.
    const api = onWorker.find((l) => l.logicalLocations?.[0]?.name === 'api');
    expect(api?.physicalLocation?.artifactLocation?.uri).toBe(pathToFileURL(join(dir, 'flawed.yaml')).href);
  });

  it('never throws on odd input: no positions, unknown rules and ids, no primary, no findings', () => {
    const noLoc = rendered.get('odd-no-locations') as { log: Log; analysis: Analysis };
    expect(noLoc.analysis.findings.length).toBeGreaterThan(0);
    for (const r of noLoc.log.runs[0]?.results ?? []) {
      expect(r.locations?.[0]?.physicalLocation).toBeUndefined();
      expect(r.locations?.[0]?.logicalLocations?.[0]?.name).toBe(r.properties?.primary[0]);
    }

    const custom = rendered.get('odd-custom') as { log: Log };
    const run = custom.log.runs[0] as Log['runs'][number];
    const rules = run.tool.driver.rules ?? [];
    const [unknownRule, unknownId, falsePositive] = run.results as Result[];
    expect(rules[unknownRule?.ruleIndex as number]?.id).toBe('not-in-catalogue');
    expect(rules).toHaveLength(CATALOGUE.length + 1);
    // No primary: the model file alone.
    expect(unknownRule?.locations).toEqual([
      { physicalLocation: { artifactLocation: { uri: pathToFileURL(join(dir, 'flawed.yaml')).href } } },
    ]);
    expect(unknownRule?.suppressions).toEqual([
      { kind: 'external', status: 'accepted', justification: 'risk decision: accepted' },
    ]);
    // A primary the model does not have: named, in the model file, no region.
    expect(unknownId?.locations?.[0]?.logicalLocations?.[0]?.name).toBe('no-such-element');
    expect(unknownId?.locations?.[0]?.physicalLocation?.region).toBeUndefined();
    expect(unknownId?.baselineState).toBe('new');
    expect(falsePositive?.baselineState).toBe('unchanged');
    expect(falsePositive?.suppressions?.[0]?.justification).toBe('risk decision: false-positive');
    expect(run.invocations).toEqual([{ executionSuccessful: true, endTimeUtc: '2026-01-01T12:00:00.000Z' }]);

    const empty = rendered.get('odd-empty') as { log: Log };
    expect(empty.log.runs[0]?.results).toEqual([]);
    expect(empty.log.runs[0]?.tool.driver.rules).toHaveLength(CATALOGUE.length);
  });

  it('writes no clock reading without generatedAt, and is byte-identical on a rerun', () => {
    for (const ex of examples) {
      const { text, log } = rendered.get(basename(ex, '.yaml')) as { text: string; log: Log };
      expect(log.runs[0]?.invocations).toBeUndefined();
      expect(render(analysisOf(join(examplesDir, ex)))).toBe(text);
    }
  });

  it('writes uris relative to the working directory when the file is inside it', () => {
    const cwd = resolve('/work/project');
    expect(artifactUri('examples/a.yaml', cwd)).toBe('examples/a.yaml');
    expect(artifactUri(join(cwd, 'models', 'a b#1.yaml'), cwd)).toBe('models/a%20b%231.yaml');
    expect(artifactUri('../elsewhere/a.yaml', cwd)).toBe(
      pathToFileURL(resolve(cwd, '../elsewhere/a.yaml')).href,
    );
    expect(artifactUri('https://example.com/a.yaml', cwd)).toBe('https://example.com/a.yaml');
  });
});
