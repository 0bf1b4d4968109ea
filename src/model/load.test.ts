import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { type Diagnostic, formatDiagnostic, formatDiagnostics, MAX_PRINTED_ERRORS } from './diagnostics.js';
import { type LoadResult, loadModelFiles } from './load.js';

const TESTDATA = join(import.meta.dirname, 'testdata');
const dir = mkdtempSync(join(tmpdir(), 'threatkrew-load-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let counter = 0;
/** Writes a fixture into the temp folder and returns its path. */
function fixture(text: string | Buffer, name = `model-${++counter}.yaml`): string {
  const file = join(dir, name);
  writeFileSync(file, text);
  return file;
}

function load(text: string, name?: string): { file: string; result: LoadResult } {
  const file = fixture(text, name);
  return { file, result: loadModelFiles([file]) };
}

const errors = (r: LoadResult) => r.diagnostics.filter((d) => d.severity === 'error');
const warnings = (r: LoadResult) => r.diagnostics.filter((d) => d.severity === 'warning');
const lines = (ds: readonly Diagnostic[]) => ds.map(formatDiagnostic);

/** A YAML model: `threatkrew: 1`, a name, then the given body. */
const model = (body: string, name = 'Test') => `threatkrew: 1\nname: ${name}\n${body}`;

describe('one error per mistake, at the place to edit', () => {
  it('reports exactly the five mistakes of a model, each located with its message', () => {
    const file = join(TESTDATA, 'five-mistakes.yaml');
    const r = loadModelFiles([file]);
    expect(r.ok).toBe(false);
    expect(lines(r.diagnostics)).toEqual([
      `${file}:10:5: unknown key 'exposur' in a component; did you mean 'exposure'?`,
      `${file}:12:11: 'datastor' is not a valid \`kind\`; did you mean 'datastore'?`,
      `${file}:16:9: unknown boundary 'vcp' in \`in\`; did you mean 'vpc'?`,
      `${file}:17:9: \`id\` must be an id, not the number 123; quote it: "123"`,
      `${file}:21:15: \`replicas\` must be a whole number of at least 1, not 0`,
    ]);
  });

  it('a misspelled required key is one error, not also "missing kind"', () => {
    const { file, result } = load(model('components:\n  - { id: a, knd: service }\n'));
    expect(lines(result.diagnostics)).toEqual([
      `${file}:4:14: unknown key 'knd' in a component; did you mean 'kind'?`,
    ]);
  });

  it('a required key that is simply missing says so at the element', () => {
    const { file, result } = load(model('components:\n  - { id: a }\n'));
    expect(lines(result.diagnostics)).toEqual([`${file}:4:5: missing required key 'kind' in a component`]);
  });

  it('a missing `threatkrew` version says what to add', () => {
    const { file, result } = load('name: x\n');
    expect(lines(result.diagnostics)).toEqual([
      `${file}:1:1: missing \`threatkrew: 1\` (the format version) at the top of the model`,
    ]);
  });

  it('a misspelled top-level key gets a did-you-mean', () => {
    const { file, result } = load(model('component:\n  - { id: a, kind: service }\n'));
    expect(lines(result.diagnostics)).toEqual([
      `${file}:3:1: unknown key 'component' in the model; did you mean 'components'?`,
    ]);
  });

  it('reports an unresolved reference at each place that uses it', () => {
    const { file, result } = load(
      model(
        [
          'boundaries:',
          '  - { id: c, kind: network, in: nowhere }',
          'components:',
          '  - { id: a, kind: service, in: nowhere }',
          '  - { id: b, kind: service, in: nowhere }',
          '',
        ].join('\n'),
      ),
    );
    expect(result.ok).toBe(false);
    expect(lines(result.diagnostics)).toEqual([
      `${file}:4:33: unknown boundary 'nowhere' in \`in\``,
      `${file}:6:33: unknown boundary 'nowhere' in \`in\``,
      `${file}:7:33: unknown boundary 'nowhere' in \`in\``,
    ]);
  });

  it('says to quote a number, a float and a boolean where an id is expected', () => {
    const { file, result } = load(
      model(
        'components:\n  - { id: true, kind: service, in: 1e3 }\nboundaries:\n  - { id: 12, kind: network }\n',
      ),
    );
    expect(lines(result.diagnostics)).toEqual([
      `${file}:4:11: \`id\` must be an id, not the boolean true; quote it: "true"`,
      `${file}:4:36: \`in\` must be an id reference, not the number 1000; quote it: "1000"`,
      `${file}:6:11: \`id\` must be an id, not the number 12; quote it: "12"`,
    ]);
  });

  it('rejects an id outside the id pattern', () => {
    const { file, result } = load(model('components:\n  - { id: "-bad", kind: service }\n'));
    expect(lines(result.diagnostics)).toEqual([
      `${file}:4:11: '-bad' is not a valid id: ids start with a letter or digit and use only letters, digits and . _ : / @ - (128 at most)`,
    ]);
  });

  it('says a scalar must be a list and how to write it', () => {
    const { file, result } = load(model('components:\n  - { id: a, kind: service, enforces: waf }\n'));
    expect(lines(result.diagnostics)).toEqual([
      `${file}:4:39: \`enforces\` must be a list, not 'waf'; write [waf]`,
    ]);
  });
});

describe('ids and several files', () => {
  it('reports a duplicate id within one file, naming both places', () => {
    const { file, result } = load(
      model('components:\n  - { id: a, kind: service }\n  - { id: a, kind: datastore }\n'),
    );
    expect(lines(result.diagnostics)).toEqual([
      `${file}:5:11: duplicate id 'a': already defined at ${file}:4:11`,
    ]);
  });

  it('uses one namespace for elements: a component and a boundary may not share an id', () => {
    const { file, result } = load(
      model('boundaries:\n  - { id: a, kind: network }\ncomponents:\n  - { id: a, kind: service }\n'),
    );
    expect(errors(result)).toHaveLength(1);
    expect(errors(result)[0]?.message).toMatch(/duplicate id 'a': already defined as a boundary at /);
    expect(errors(result)[0]?.message).toContain(`${file}:4:11`);
  });

  it('gives assumptions, questions and risks namespaces of their own', () => {
    const { result } = load(
      model(
        [
          'components:',
          '  - { id: x, kind: service }',
          'assumptions:',
          '  - { id: x, text: "An assumption may reuse an element id." }',
          'questions:',
          '  - { id: x, subject: x, attribute: exposure, text: "Is it public?" }',
          '',
        ].join('\n'),
      ),
    );
    expect(result.diagnostics).toEqual([]);
    expect(result.ok).toBe(true);
  });

  it('reports a duplicate assumption id', () => {
    const { file, result } = load(
      model('assumptions:\n  - { id: a1, text: one }\n  - { id: a1, text: two }\n'),
    );
    expect(lines(result.diagnostics)).toEqual([
      `${file}:5:11: duplicate assumption id 'a1': already used at ${file}:4:11`,
    ]);
  });

  it('reports a duplicate id across two files, naming both places', () => {
    const a = fixture(model('components:\n  - { id: api, kind: service }\n'), 'dup-a.yaml');
    const b = fixture('threatkrew: 1\ncomponents:\n  - { id: api, kind: datastore }\n', 'dup-b.yaml');
    const r = loadModelFiles([a, b]);
    expect(r.ok).toBe(false);
    expect(lines(r.diagnostics)).toEqual([`${b}:3:11: duplicate id 'api': already defined at ${a}:4:11`]);
  });

  it('joins several files by disjoint union: the counts add up and references cross files', () => {
    const a = fixture(
      model(
        [
          'boundaries:',
          '  - { id: internet, kind: internet }',
          'components:',
          '  - { id: user, kind: user, in: internet }',
          '  - { id: api, kind: service }',
          'flows:',
          '  - { from: user, to: api, protocol: https }',
          '',
        ].join('\n'),
        'Union',
      ),
      'union-a.yaml',
    );
    const b = fixture(
      [
        'threatkrew: 1',
        'components:',
        '  - { id: db, kind: datastore, stores: [orders] }',
        'data:',
        '  - { id: orders, classification: financial }',
        'flows:',
        '  - { from: api, to: db, protocol: postgres }',
        'assumptions:',
        '  - { id: a1, text: "Two files, one model." }',
        '',
      ].join('\n'),
      'union-b.yaml',
    );
    const r = loadModelFiles([a, b]);
    expect(r.diagnostics).toEqual([]);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.model.name).toBe('Union');
    expect(r.model.components.map((c) => c.id)).toEqual(['user', 'api', 'db']);
    expect(r.model.flows).toHaveLength(2);
    expect(r.model.boundaries).toHaveLength(1);
    expect(r.model.data).toHaveLength(1);
    expect(r.model.assumptions).toHaveLength(1);
    expect(r.view.isInternetReachable('db')).toBe(true);
    expect(r.sources.map((s) => s.file)).toEqual([a, b]);
  });

  it('reports differing names across files', () => {
    const a = fixture('threatkrew: 1\nname: Shop\n', 'name-a.yaml');
    const b = fixture('threatkrew: 1\nname: Store\n', 'name-b.yaml');
    const r = loadModelFiles([a, b]);
    expect(lines(r.diagnostics)).toEqual([
      `${b}:2:7: the model is named 'Shop' at ${a}:2:7; files of one model must agree on \`name\``,
    ]);
  });

  it('accepts the same name repeated, or given in one file only', () => {
    const a = fixture('threatkrew: 1\nname: Shop\n', 'same-a.yaml');
    const b = fixture('threatkrew: 1\nname: Shop\n', 'same-b.yaml');
    const c = fixture('threatkrew: 1\n', 'same-c.yaml');
    expect(loadModelFiles([a, b]).ok).toBe(true);
    expect(loadModelFiles([c, a]).ok).toBe(true);
  });

  it('requires a name in at least one file', () => {
    const a = fixture('threatkrew: 1\n', 'noname-a.yaml');
    const b = fixture('threatkrew: 1\ncomponents: []\n', 'noname-b.yaml');
    const r = loadModelFiles([a, b]);
    expect(r.ok).toBe(false);
    expect(lines(r.diagnostics)).toEqual([
      `${a}:1:1: the model needs a \`name\` (give it in one of its files)`,
    ]);
  });

  it('asks for ids when two flows have the same endpoints and no ids', () => {
    const { file, result } = load(
      model(
        'components:\n  - { id: a, kind: service }\n  - { id: b, kind: service }\nflows:\n  - { from: a, to: b }\n  - { from: a, to: b, protocol: https }\n',
      ),
    );
    expect(lines(result.diagnostics)).toEqual([
      `${file}:8:5: a second flow from 'a' to 'b' without an id (the first is at ${file}:7:5); give each an \`id\``,
    ]);
  });

  it('accepts two flows with the same endpoints when they have ids', () => {
    const { result } = load(
      model(
        'components:\n  - { id: a, kind: service }\n  - { id: b, kind: service }\nflows:\n  - { id: f1, from: a, to: b }\n  - { id: f2, from: a, to: b }\n',
      ),
    );
    expect(result.diagnostics).toEqual([]);
    expect(result.ok).toBe(true);
  });

  it('lets a derived flow id `a->b` be used as a question subject', () => {
    const { result } = load(
      model(
        [
          'components:',
          '  - { id: a, kind: service }',
          '  - { id: b, kind: service }',
          'flows:',
          '  - { from: a, to: b }',
          'questions:',
          '  - { id: q1, subject: a->b, attribute: encrypted, text: "Is a->b encrypted?" }',
          '',
        ].join('\n'),
      ),
    );
    expect(result.diagnostics).toEqual([]);
    expect(result.ok).toBe(true);
    if (result.ok) expect(result.view.flow('a->b')?.to.id).toBe('b');
  });

  it('reports a derived flow id that names no flow', () => {
    const { file, result } = load(
      model(
        'components:\n  - { id: a, kind: service }\n  - { id: b, kind: service }\nquestions:\n  - { id: q1, subject: b->a, attribute: encrypted, text: "?" }\n',
      ),
    );
    expect(lines(result.diagnostics)).toEqual([`${file}:7:24: unknown element 'b->a' in \`subject\``]);
  });

  it('lets a written flow id be a question subject', () => {
    const { result } = load(
      model(
        'components:\n  - { id: a, kind: service }\n  - { id: b, kind: service }\nflows:\n  - { id: f1, from: a, to: b }\nquestions:\n  - { id: q1, subject: f1, attribute: authn, text: "?" }\n',
      ),
    );
    expect(result.ok).toBe(true);
  });
});

describe('references', () => {
  it('reports a cycle in `in` once', () => {
    const { file, result } = load(
      model(
        'boundaries:\n  - { id: a, kind: network, in: b }\n  - { id: b, kind: network, in: c }\n  - { id: c, kind: network, in: a }\n',
      ),
    );
    expect(lines(result.diagnostics)).toEqual([
      `${file}:4:33: boundary 'a' is nested inside itself: a → b → c → a; remove one \`in\``,
    ]);
  });

  it('reports a boundary inside itself', () => {
    const { file, result } = load(model('boundaries:\n  - { id: a, kind: network, in: a }\n'));
    expect(lines(result.diagnostics)).toEqual([
      `${file}:4:33: boundary 'a' is nested inside itself: a → a; remove one \`in\``,
    ]);
  });

  it('reports references to an element of the wrong kind', () => {
    const { file, result } = load(
      model(
        [
          'boundaries:',
          '  - { id: vpc, kind: network }',
          'components:',
          '  - { id: a, kind: service, runs-as: b }',
          '  - { id: b, kind: service, in: a, stores: [vpc] }',
          'flows:',
          '  - { from: a, to: vpc }',
          '',
        ].join('\n'),
      ),
    );
    expect(lines(result.diagnostics)).toEqual([
      `${file}:6:38: 'b' is a component; \`runs-as\` must name an identity`,
      `${file}:7:33: 'a' is a component; \`in\` must name a boundary`,
      `${file}:7:45: 'vpc' is a boundary; \`stores\` must name a data asset`,
      `${file}:9:20: 'vpc' is a boundary; \`to\` must name a component`,
    ]);
  });

  it('accepts a grant on every resource ("*") and reports a grant on an unknown one', () => {
    const ok = load(
      model(
        'components:\n  - { id: db, kind: datastore }\nidentities:\n  - id: admin\n    kind: service-role\n    grants:\n      - { resource: "*", actions: ["*"] }\n      - { resource: db, actions: [admin], scope: [orders] }\n',
      ),
    );
    expect(ok.result.diagnostics).toEqual([]);
    expect(ok.result.ok).toBe(true);
    const bad = load(
      model(
        'components:\n  - { id: db, kind: datastore }\nidentities:\n  - id: admin\n    kind: service-role\n    grants:\n      - { resource: dbb, actions: [read] }\n',
      ),
    );
    expect(lines(bad.result.diagnostics)).toEqual([
      `${bad.file}:9:21: unknown component 'dbb' in \`resource\`; did you mean 'db'?`,
    ]);
  });

  it('suggests the closest id for an unknown reference', () => {
    const { file, result } = load(
      model(
        'components:\n  - { id: orders-db, kind: datastore }\n  - { id: api, kind: service }\nflows:\n  - { from: api, to: order-db }\n',
      ),
    );
    expect(lines(result.diagnostics)).toEqual([
      `${file}:7:22: unknown component 'order-db' in \`to\`; did you mean 'orders-db'?`,
    ]);
  });
});

describe('risk decisions', () => {
  const risks = (body: string) => load(model(`risks:\n${body}`));

  it('requires owner and expires on an accepted risk', () => {
    const { file, result } = risks('  - { finding: "0123456789abcdef", status: accepted, reason: ok }\n');
    expect(lines(result.diagnostics)).toEqual([
      `${file}:4:5: an accepted risk needs \`expires\` (YYYY-MM-DD)`,
      `${file}:4:5: an accepted risk needs an \`owner\` (who accepted it)`,
    ]);
  });

  it('requires how on a mitigated risk', () => {
    const { file, result } = risks('  - { finding: "0123456789abcdef", status: mitigated, reason: ok }\n');
    expect(lines(result.diagnostics)).toEqual([
      `${file}:4:5: a mitigated risk needs \`how\` (what was done)`,
    ]);
  });

  it('rejects a decision that names both a finding and a rule', () => {
    const { file, result } = risks(
      '  - { finding: "0123456789abcdef", rule: public-datastore, primary: db, status: false-positive, reason: ok }\n',
    );
    expect(lines(result.diagnostics)).toEqual([
      `${file}:4:5: a risk decision names either \`finding\` or \`rule\` with \`primary\`, not both`,
    ]);
  });

  it('rejects a decision that names neither, or a rule without primary', () => {
    const { file, result } = risks(
      '  - { status: false-positive, reason: ok }\n  - { rule: public-datastore, status: false-positive, reason: ok }\n',
    );
    expect(lines(result.diagnostics)).toEqual([
      `${file}:4:5: a risk decision needs \`finding\` (a finding id) or \`rule\` with \`primary\``,
      `${file}:5:5: a risk decision with \`rule\` needs \`primary\` too`,
    ]);
  });

  it('says to quote a finding written as a number', () => {
    const { file, result } = risks('  - { finding: 1234, status: false-positive, reason: ok }\n');
    expect(lines(result.diagnostics)).toEqual([
      `${file}:4:16: \`finding\` must be text, not the number 1234; quote it: "1234"`,
    ]);
  });

  it('rejects a date that is not on the calendar', () => {
    const { file, result } = risks(
      '  - { finding: "0123456789abcdef", status: accepted, reason: ok, owner: me, expires: "2026-02-30" }\n',
    );
    expect(lines(result.diagnostics)).toEqual([`${file}:4:86: '2026-02-30' is not a calendar date`]);
  });

  it('accepts complete decisions, and a rule with a derived flow id as primary', () => {
    const { result } = load(
      model(
        [
          'components:',
          '  - { id: a, kind: service }',
          '  - { id: b, kind: service }',
          'flows:',
          '  - { from: a, to: b, protocol: http }',
          'risks:',
          '  - { finding: "0123456789abcdef", status: accepted, reason: ok, owner: me, expires: 2026-02-28 }',
          '  - { rule: unencrypted-flow, primary: a->b, status: mitigated, reason: ok, how: mesh mTLS }',
          '  - { rule: unencrypted-flow, primary: [a, b], status: false-positive, reason: ok }',
          '',
        ].join('\n'),
      ),
    );
    expect(result.diagnostics).toEqual([]);
    expect(result.ok).toBe(true);
    if (result.ok) expect(result.model.risks[0]?.expires).toBe('2026-02-28');
  });
});

describe('warnings', () => {
  it('warns at the `encrypted` key when it contradicts the protocol, and still loads', () => {
    const { file, result } = load(
      model(
        'components:\n  - { id: a, kind: service }\n  - { id: b, kind: service }\nflows:\n  - { from: a, to: b, protocol: https, encrypted: false }\n',
      ),
    );
    expect(result.ok).toBe(true);
    expect(lines(result.diagnostics)).toEqual([
      `${file}:7:40: warning: flow 'a->b' says encrypted: false, but protocol 'https' is encrypted; the stated value is used`,
    ]);
    if (result.ok) expect(result.view.flow('a->b')?.encrypted).toBe(false);
  });

  it('warns when a component said internal is called directly from the internet', () => {
    const { file, result } = load(
      model(
        [
          'boundaries:',
          '  - { id: internet, kind: internet }',
          'components:',
          '  - { id: u, kind: user, in: internet }',
          '  - { id: a, kind: service, exposure: internal }',
          'flows:',
          '  - { from: u, to: a, protocol: https }',
          '',
        ].join('\n'),
      ),
    );
    expect(result.ok).toBe(true);
    expect(errors(result)).toEqual([]);
    expect(lines(warnings(result))).toEqual([
      `${file}:7:29: warning: 'a' says exposure: internal, but the internet source 'u' calls it directly (flow 'u->a'); it is treated as exposed`,
    ]);
    if (result.ok) expect(result.view.isExposed('a')).toBe(true);
  });

  it('finds internet sources at any depth, names the first direct flow, and agrees with the View', () => {
    const { file, result } = load(
      model(
        [
          'boundaries:',
          '  - { id: internet, kind: internet }',
          '  - { id: partners, kind: third-party, in: internet }',
          '  - { id: vpc, kind: network }',
          'components:',
          '  - { id: p, kind: service, in: partners }',
          '  - { id: u, kind: user, in: internet }',
          '  - { id: inside, kind: service, in: vpc }',
          '  - { id: a, kind: service, exposure: internal, in: vpc }',
          '  - { id: b, kind: service, exposure: internal, in: vpc }',
          'flows:',
          '  - { from: inside, to: b, protocol: https }',
          '  - { from: p, to: a, protocol: https }',
          '  - { from: u, to: a, protocol: https }',
          '',
        ].join('\n'),
      ),
    );
    expect(result.ok).toBe(true);
    expect(lines(warnings(result))).toEqual([
      `${file}:11:29: warning: 'a' says exposure: internal, but the internet source 'p' calls it directly (flow 'p->a'); it is treated as exposed`,
    ]);
    if (!result.ok) return;
    // The View is built when first asked for, once, and locates elements like the loader.
    expect(result.view).toBe(result.view);
    expect(result.view.isExposed('a')).toBe(true);
    expect(result.view.isExposed('b')).toBe(false);
    expect(result.view.location('a')).toEqual(result.locator('a'));
  });

  it('does not warn when the stated encryption agrees or the protocol says nothing', () => {
    const { result } = load(
      model(
        'components:\n  - { id: a, kind: service }\n  - { id: b, kind: service }\nflows:\n  - { id: f1, from: a, to: b, protocol: https, encrypted: true }\n  - { id: f2, from: a, to: b, protocol: postgres, encrypted: false }\n',
      ),
    );
    expect(result.diagnostics).toEqual([]);
  });

  it('travels with errors when the model also has errors', () => {
    const { result } = load(
      model(
        'components:\n  - { id: a, kind: service }\n  - { id: b, kind: sevice }\nflows:\n  - { from: a, to: b, protocol: https, encrypted: false }\n',
      ),
    );
    expect(result.ok).toBe(false);
    expect(errors(result)).toHaveLength(1);
  });
});

describe('input files', () => {
  it('reports a missing file without a position', () => {
    const file = join(dir, 'does-not-exist.yaml');
    const r = loadModelFiles([file]);
    expect(r.ok).toBe(false);
    expect(lines(r.diagnostics)).toEqual([`${file}: no such file`]);
  });

  it('reports a directory', () => {
    const sub = join(dir, 'a-folder.yaml');
    mkdirSync(sub);
    expect(lines(loadModelFiles([sub]).diagnostics)).toEqual([
      `${sub}: is a directory; name the model files inside it`,
    ]);
  });

  it('reports an empty file and a file of blank lines', () => {
    for (const text of ['', '\n  \n\t\n']) {
      const file = fixture(text);
      expect(lines(loadModelFiles([file]).diagnostics)).toEqual([
        `${file}: the file is empty; a model starts with \`threatkrew: 1\` (try \`threatkrew init\`)`,
      ]);
    }
  });

  it('reports a file of comments only', () => {
    const file = fixture('# nothing here yet\n');
    const r = loadModelFiles([file]);
    expect(r.ok).toBe(false);
    expect(errors(r)).toHaveLength(1);
    expect(errors(r)[0]?.message).toMatch(/threatkrew: 1/);
  });

  it('refuses a binary file (NUL bytes)', () => {
    const file = fixture(Buffer.from('threatkrew: 1\nname: x\n\u0000\u0001\u0002\n', 'utf8'));
    expect(lines(loadModelFiles([file]).diagnostics)).toEqual([
      `${file}: this is a binary file, not YAML or JSON text`,
    ]);
  });

  it('refuses a file that is not UTF-8', () => {
    const file = fixture(Buffer.from([0x6e, 0x61, 0x6d, 0x65, 0x3a, 0x20, 0xe9, 0x0a]));
    expect(lines(loadModelFiles([file]).diagnostics)).toEqual([
      `${file}: the file is not UTF-8 text (a binary file?); save it as UTF-8 YAML or JSON`,
    ]);
  });

  it('refuses 50 MB of random bytes quickly with one clear error', () => {
    const file = fixture(randomBytes(50 * 1024 * 1024), 'random.yaml');
    const start = performance.now();
    const r = loadModelFiles([file]);
    const ms = performance.now() - start;
    expect(lines(r.diagnostics)).toEqual([`${file}: this is a binary file, not YAML or JSON text`]);
    expect(ms).toBeLessThan(2000);
  });

  it('gives located, bounded errors for 2 MB of printable garbage and never throws', () => {
    const alphabet =
      'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 !"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~';
    const rnd = randomBytes(2 * 1024 * 1024);
    let text = '';
    const out: string[] = [];
    for (let i = 0; i < rnd.length; i++) {
      const b = rnd[i] as number;
      text += alphabet[b % alphabet.length];
      if (text.length > 20 + (b % 60)) {
        out.push(text);
        text = '';
      }
    }
    for (const name of ['garbage.yaml', 'garbage.json']) {
      const file = fixture(`${out.join('\n')}\n`, name);
      const start = performance.now();
      const r = loadModelFiles([file]);
      expect(performance.now() - start).toBeLessThan(10_000);
      expect(r.ok).toBe(false);
      expect(errors(r).length).toBeGreaterThan(0);
      // A parser may quote the token it choked on; each message stays one short, located line.
      const bad = r.diagnostics.filter(
        (d) =>
          d.file !== file ||
          !(d.line !== undefined && d.line >= 1 && d.col !== undefined && d.col >= 1) ||
          d.message.length === 0 ||
          d.message.length > 300 ||
          d.message.includes('\n'),
      );
      expect(bad).toEqual([]);
    }
  });

  it('refuses a file over maxInputMb before reading it', () => {
    const file = fixture(`# ${'x'.repeat(2 * 1024 * 1024)}\nthreatkrew: 1\nname: big\n`, 'big.yaml');
    expect(lines(loadModelFiles([file], { maxInputMb: 1 }).diagnostics)).toEqual([
      `${file}: the file is 2.0 MB, over the 1 MB input limit; raise it with --max-input-mb`,
    ]);
    expect(loadModelFiles([file], { maxInputMb: 3 }).ok).toBe(true);
  });

  it('locates malformed YAML', () => {
    const { file, result } = load(
      model('components:\n  - { id: a, kind: service\n  - { id: b, kind: service }\n'),
    );
    expect(result.ok).toBe(false);
    expect(errors(result)).toHaveLength(1);
    const d = errors(result)[0] as Diagnostic;
    expect(d.file).toBe(file);
    expect(d.line).toBeGreaterThanOrEqual(4);
    expect(d.line).toBeLessThanOrEqual(5);
    expect(d.message).toMatch(/^invalid YAML: /);
  });

  it('locates a tab used for indentation and a duplicate key', () => {
    const tab = load(model('components:\n\t- { id: a, kind: service }\n'));
    expect(errors(tab.result)[0]?.line).toBe(4);
    const dupKey = load(model('components:\n  - { id: a, kind: service, kind: datastore }\n'));
    expect(errors(dupKey.result)).toHaveLength(1);
    expect(errors(dupKey.result)[0]?.line).toBe(4);
    expect(errors(dupKey.result)[0]?.message).toMatch(/^invalid YAML: .*unique/i);
  });

  it('refuses a YAML file with two documents, at the second one', () => {
    const { file, result } = load('threatkrew: 1\nname: one\n---\nthreatkrew: 1\nname: two\n');
    expect(lines(result.diagnostics)).toEqual([
      `${file}:3:1: the file holds several YAML documents (---); keep one model per file`,
    ]);
  });

  it('refuses a model that is not a mapping', () => {
    const { file, result } = load('- threatkrew\n- 1\n');
    expect(lines(result.diagnostics)).toEqual([
      `${file}:1:1: a model is a mapping that starts with \`threatkrew: 1\` (try \`threatkrew init\` for a starter)`,
    ]);
  });

  it('locates invalid JSON', () => {
    const { file, result } = load(
      '{\n  "threatkrew": 1,\n  "name": "x",\n  "components": [\n    { "id": "a", "kind": "service" },\n  ]\n}\n',
      'trailing-comma.json',
    );
    expect(lines(result.diagnostics)).toEqual([
      `${file}:6:3: invalid JSON: unexpected ']' where a value belongs`,
    ]);
    const b = load('{\n  "threatkrew": 1,\n  name: "x"\n}\n', 'bare-key.json');
    expect(lines(b.result.diagnostics)).toEqual([
      `${b.file}:3:3: invalid JSON: expected a property name in double quotes, found 'n'`,
    ]);
    const c = load('{\n  "threatkrew": 1,\n  "name": "x"\n', 'unclosed.json');
    expect(lines(c.result.diagnostics)).toEqual([`${c.file}:4:1: invalid JSON: unexpected end of the file`]);
  });

  it('locates schema errors in a JSON model at the right line and column', () => {
    const file = join(TESTDATA, 'enum-mistake.json');
    const r = loadModelFiles([file]);
    expect(lines(r.diagnostics)).toEqual([
      `${file}:9:41: 'financal' is not a valid \`classification\`; did you mean 'financial'?`,
    ]);
  });

  it('loads a valid JSON model', () => {
    const { result } = load(
      JSON.stringify({
        threatkrew: 1,
        name: 'JSON',
        components: [
          { id: 'a', kind: 'service' },
          { id: 'b', kind: 'datastore' },
        ],
        flows: [{ from: 'a', to: 'b', protocol: 'HTTPS' }],
      }),
      'valid.json',
    );
    expect(result.diagnostics).toEqual([]);
    expect(result.ok).toBe(true);
    if (result.ok) expect(result.view.flow('a->b')?.encrypted).toBe(true);
  });

  it('reads YAML 1.2 core schema: `yes` and `no` are strings, dates stay strings', () => {
    const { result } = load(
      'threatkrew: 1\nname: yes\ndescription: 2026-01-01\nassumptions:\n  - { id: on, text: no }\n',
    );
    expect(result.diagnostics).toEqual([]);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.model.name).toBe('yes');
    expect(result.model.description).toBe('2026-01-01');
    expect(result.model.assumptions[0]).toEqual({ id: 'on', text: 'no' });
  });

  it('treats `encrypted: yes` as a string, not true', () => {
    const { file, result } = load(
      model(
        'components:\n  - { id: a, kind: service }\n  - { id: b, kind: service }\nflows:\n  - { from: a, to: b, encrypted: yes }\n',
      ),
    );
    expect(lines(result.diagnostics)).toEqual([
      `${file}:7:34: \`encrypted\` must be true, false or unknown, not 'yes'`,
    ]);
  });

  it('ignores a $schema key and strips a byte order mark', () => {
    const { result } = load(`\uFEFF$schema: ./schema.json\n${model('')}`);
    expect(result.diagnostics).toEqual([]);
    expect(result.ok).toBe(true);
  });

  it('reports every file of a multi-file load in one run', () => {
    const a = fixture(model('components:\n  - { id: a, kind: sevice }\n'), 'multi-a.yaml');
    const missing = join(dir, 'multi-missing.yaml');
    const r = loadModelFiles([a, missing]);
    expect(lines(r.diagnostics)).toEqual([
      `${a}:4:20: 'sevice' is not a valid \`kind\`; did you mean 'service'?`,
      `${missing}: no such file`,
    ]);
  });

  it('asks for a file when none is given', () => {
    const r = loadModelFiles([]);
    expect(r.ok).toBe(false);
    expect(errors(r)).toHaveLength(1);
  });
});

describe('hostile input', () => {
  it('refuses deep nesting with a located error instead of overflowing the stack', () => {
    const n = 100_000;
    const yaml = load(model(`description: ${'['.repeat(n)}1${']'.repeat(n)}\n`));
    expect(lines(yaml.result.diagnostics)).toEqual([
      `${yaml.file}:3:77: the file nests lists and mappings more than 64 levels deep; a model needs far fewer`,
    ]);
    const json = load(
      `{"threatkrew": 1, "name": "x", "description": ${'['.repeat(n)}1${']'.repeat(n)}}`,
      'deep.json',
    );
    expect(lines(json.result.diagnostics)).toEqual([
      `${json.file}:1:110: the file nests lists and mappings more than 64 levels deep; a model needs far fewer`,
    ]);
    const dashes = load(model(`description:\n  ${'- '.repeat(n)}1\n`));
    expect(errors(dashes.result)).toHaveLength(1);
    expect(errors(dashes.result)[0]?.message).toMatch(/more than 64 levels deep/);
  });

  it('accepts the nesting a real model needs', () => {
    const { result } = load(model(`description: ${'['.repeat(60)}1${']'.repeat(60)}\n`));
    expect(lines(result.diagnostics)).toEqual([
      expect.stringMatching(/`description` must be text, not a list$/),
    ]);
  });

  it('refuses an alias bomb', () => {
    const rows = ['a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]'];
    for (let i = 1; i < 12; i++)
      rows.push(
        `a${i}: &a${i} [${Array(10)
          .fill(`*a${i - 1}`)
          .join(', ')}]`,
      );
    const start = performance.now();
    const { result } = load(model(`${rows.join('\n')}\n`));
    expect(performance.now() - start).toBeLessThan(2000);
    expect(result.ok).toBe(false);
    expect(errors(result)[0]?.message).toMatch(/^invalid YAML: .*alias/i);
  });

  it('keeps each message on one short line, whatever the user wrote', () => {
    const { file, result } = load(
      JSON.stringify({
        threatkrew: 1,
        name: 'x',
        'bad\nkey': 1,
        components: [{ id: 'a', kind: `x${'y'.repeat(500)}` }],
      }),
      'oneline.json',
    );
    expect(lines(result.diagnostics)).toEqual([
      `${file}:1:28: unknown key 'bad\\nkey' in the model; allowed: $schema, threatkrew, name, description, boundaries, components, identities, data, flows, assumptions, questions, risks`,
      expect.stringMatching(
        new RegExp(
          `^${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:1:\\d+: 'xy{56}\\.\\.\\.' is not a valid \`kind\`; use one of: user, `,
        ),
      ),
    ]);
  });

  it('cuts the token a YAML error quotes', () => {
    const { result } = load(`threatkrew: 1\nname: x\n}${'z'.repeat(10_000)}\n`);
    expect(errors(result).length).toBeGreaterThan(0);
    for (const d of errors(result)) expect(d.message.length).toBeLessThan(300);
  });

  it('prints no process warnings for a collection used as a key', () => {
    const spy = vi.spyOn(process, 'emitWarning');
    try {
      const { result } = load(model('? [a, b]\n: 1\n'));
      expect(result.ok).toBe(false);
      expect(errors(result)[0]?.message).toMatch(/^unknown key /);
      expect(spy).not.toHaveBeenCalled();
    } finally {
      spy.mockRestore();
    }
  });
});

describe('formatDiagnostics', () => {
  it('prints at most 100 errors, then "and N more"', () => {
    const diags: Diagnostic[] = Array.from({ length: 150 }, (_, i) => ({
      severity: 'error',
      file: 'm.yaml',
      line: i + 1,
      col: 3,
      message: `mistake ${i + 1}`,
    }));
    const out = formatDiagnostics(diags);
    expect(MAX_PRINTED_ERRORS).toBe(100);
    expect(out).toHaveLength(101);
    expect(out[0]).toBe('m.yaml:1:3: mistake 1');
    expect(out[99]).toBe('m.yaml:100:3: mistake 100');
    expect(out[100]).toBe('and 50 more errors');
  });

  it('always prints warnings, and says "error" for one more', () => {
    const diags: Diagnostic[] = [
      ...Array.from(
        { length: 101 },
        (_, i): Diagnostic => ({ severity: 'error', file: 'm.yaml', line: i + 1, col: 1, message: 'e' }),
      ),
      { severity: 'warning', file: 'm.yaml', line: 200, col: 2, message: 'careful' },
    ];
    const out = formatDiagnostics(diags);
    expect(out).toHaveLength(102);
    expect(out[100]).toBe('m.yaml:200:2: warning: careful');
    expect(out[101]).toBe('and 1 more error');
  });

  it('prints `path: message` when there is no position', () => {
    expect(formatDiagnostic({ severity: 'error', file: 'x.yaml', message: 'no such file' })).toBe(
      'x.yaml: no such file',
    );
  });

  it('caps a real model with 150 mistakes at 100 printed errors', () => {
    const body = Array.from({ length: 150 }, (_, i) => `  - { id: c${i}, kind: sevice }`).join('\n');
    const { result } = load(model(`components:\n${body}\n`));
    expect(errors(result)).toHaveLength(150);
    const out = formatDiagnostics(result.diagnostics);
    expect(out).toHaveLength(101);
    expect(out[100]).toBe('and 50 more errors');
  });
});
