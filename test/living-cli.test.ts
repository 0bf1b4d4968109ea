/**
 * End to end: living threat models (DESIGN §7) through the real CLI: diff (files and git revisions),
 * risk decisions (model and side file), baselines, and watch.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, ROOT, runCli } from './support/cli.js';

const root = ROOT;
const bin = BIN;
const run = runCli;

/** Two services talking plain http without authentication, inside one network. */
const BEFORE = `threatkrew: 1
name: Shop
boundaries:
  - { id: internet, kind: internet }
  - { id: vpc, kind: network }
components:
  - { id: user, kind: user, in: internet }
  - { id: api, kind: service, in: vpc }
  - { id: worker, kind: service, in: vpc }
flows:
  - { from: user, to: api, protocol: https, authn: oidc }
  - { from: api, to: worker, protocol: http, authn: none }
`;

/** The fix (mTLS between the services) and a new flaw (a datastore open to the internet). */
const AFTER = BEFORE.replace('protocol: http, authn: none', 'protocol: https, authn: mtls').replace(
  '  - { id: worker, kind: service, in: vpc }\n',
  '  - { id: worker, kind: service, in: vpc }\n  - { id: orders-db, kind: datastore, in: vpc, exposure: public }\n',
);

let dir: string;
const file = (name: string, text: string) => {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
};
const json = (text: string) => JSON.parse(text);
const findingOf = (
  report: { findings: { ruleId: string; primary: string[] }[] },
  rule: string,
  primary: string,
) =>
  report.findings.find((f) => f.ruleId === rule && f.primary.join(',') === primary) as
    | Record<string, unknown>
    | undefined;

beforeAll(() => {
  if (!existsSync(join(root, 'dist', 'cli', 'main.js')))
    throw new Error('dist/ is missing: run `npm run build` (npm test does it)');
  dir = mkdtempSync(join(tmpdir(), 'tk-living-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('threatkrew diff', () => {
  it('shows a fix as a resolved finding and a new flaw as a new one, in text, JSON and Markdown', () => {
    const before = file('before.yaml', BEFORE);
    const after = file('after.yaml', AFTER);
    const r = run(['diff', before, after, '--format', 'json', '--as-of', '2026-06-01']);
    expect(r.code, r.stderr).toBe(0);
    const d = json(r.stdout);
    expect(d.schema).toBe('threatkrew/diff@1');
    expect(d.old.name).toBe('Shop');
    expect(d.new.counts.components).toBe(4);
    const resolved = d.findings.resolved.map(
      (f: { ruleId: string; primary: string[] }) => `${f.ruleId} ${f.primary}`,
    );
    expect(resolved).toContain('implicit-trust-in-network api->worker');
    expect(resolved).toContain('unencrypted-flow api->worker');
    const fresh = d.findings.new.map(
      (f: { ruleId: string; primary: string[] }) => `${f.ruleId} ${f.primary}`,
    );
    expect(fresh).toContain('public-datastore orders-db');
    expect(d.model.added).toEqual([{ type: 'component', id: 'orders-db' }]);
    expect(d.model.changed).toEqual([
      { type: 'flow', id: 'api->worker', field: 'flows.api->worker.authn', old: 'none', new: 'mtls' },
      { type: 'flow', id: 'api->worker', field: 'flows.api->worker.protocol', old: 'http', new: 'https' },
    ]);
    expect(run(['diff', before, after, '--format', 'json', '--as-of', '2026-06-01']).stdout).toBe(r.stdout);

    const text = run(['diff', before, after]);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/^ThreatKrew diff of Shop\nFindings: \d+ new/);
    expect(text.stdout).toMatch(/^ {2}\+ \w+ \[public-datastore\]/m);
    expect(text.stdout).toMatch(/^ {2}- \w+ \[implicit-trust-in-network\]/m);

    const md = run(['diff', before, after, '--format', 'md']);
    expect(md.stdout).toMatch(/^## ThreatKrew: \d+ new findings?, \d+ resolved\n/);
    expect(md.stdout).toContain('<details>');
  });

  it('gates a pull request with --fail-on: exit 1 only for a new open finding at or above the level', () => {
    const before = file('gate-before.yaml', BEFORE);
    const after = file('gate-after.yaml', AFTER);
    const fail = run(['diff', before, after, '--fail-on', 'low']);
    expect(fail.code).toBe(1);
    expect(fail.stderr).toMatch(/new open findings? at or above low .*failing \(--fail-on low\)/);
    const same = run(['diff', before, before, '--fail-on', 'low']);
    expect(same.code).toBe(0);
    expect(same.stdout).toContain('Findings: 0 new, 0 resolved, 0 changed');
  });

  it('takes several files per side with --old and --new', () => {
    const a = file('split-a.yaml', BEFORE.replace(/flows:[\s\S]*$/, ''));
    const b = file('split-b.yaml', `threatkrew: 1\n${BEFORE.slice(BEFORE.indexOf('flows:'))}`);
    const r = run(['diff', '--old', a, b, '--new', file('whole.yaml', BEFORE), '--format', 'json']);
    expect(r.code, r.stderr).toBe(0);
    const d = json(r.stdout);
    expect(d.findings.new).toEqual([]);
    expect(d.findings.resolved).toEqual([]);
    expect(d.findings.unchanged.length).toBeGreaterThan(0);
  });

  it('reads a side from a git revision, and says clearly when it cannot (exit 2)', () => {
    const repo = mkdtempSync(join(dir, 'repo-'));
    const git = (...args: string[]) => {
      const r = spawnSync('git', args, {
        cwd: repo,
        encoding: 'utf8',
        env: {
          ...process.env,
          GIT_AUTHOR_NAME: 't',
          GIT_AUTHOR_EMAIL: 't@example.com',
          GIT_COMMITTER_NAME: 't',
          GIT_COMMITTER_EMAIL: 't@example.com',
        },
      });
      expect(r.status, r.stderr).toBe(0);
    };
    git('init', '-q');
    writeFileSync(join(repo, 'arch.yaml'), BEFORE);
    git('add', 'arch.yaml');
    git('commit', '-q', '-m', 'first');
    writeFileSync(join(repo, 'arch.yaml'), AFTER);
    git('commit', '-q', '-a', '-m', 'second');

    const revs = run(['diff', 'git:HEAD~1:arch.yaml', 'git:HEAD:arch.yaml', '--format', 'json'], repo);
    expect(revs.code, revs.stderr).toBe(0);
    const d = json(revs.stdout);
    expect(d.findings.resolved.map((f: { ruleId: string }) => f.ruleId)).toContain(
      'implicit-trust-in-network',
    );
    expect(d.findings.new.map((f: { ruleId: string }) => f.ruleId)).toContain('public-datastore');

    const worktree = run(['diff', 'git:HEAD:arch.yaml', 'arch.yaml', '--format', 'json'], repo);
    expect(worktree.code, worktree.stderr).toBe(0);
    expect(json(worktree.stdout).findings.new).toEqual([]);

    const badRev = run(['diff', 'git:no-such-rev:arch.yaml', 'arch.yaml'], repo);
    expect(badRev.code).toBe(2);
    expect(badRev.stderr).toMatch(/^git:no-such-rev:arch\.yaml: git cannot read arch\.yaml at no-such-rev/);
    const badPath = run(['diff', 'git:HEAD:missing.yaml', 'arch.yaml'], repo);
    expect(badPath.code).toBe(2);
    expect(badPath.stderr).toContain('git:HEAD:missing.yaml: git cannot read missing.yaml at HEAD');

    // A broken model at a revision is located under its git name.
    writeFileSync(join(repo, 'arch.yaml'), `${BEFORE}  - { from: api, to: nowhere }\n`);
    git('commit', '-q', '-a', '-m', 'broken');
    const broken = run(['diff', 'git:HEAD:arch.yaml', 'git:HEAD~1:arch.yaml'], repo);
    expect(broken.code).toBe(2);
    expect(broken.stderr).toMatch(/^git:HEAD:arch\.yaml:13:\d+: unknown component 'nowhere'/m);
  });

  it('exits 2 on usage mistakes', () => {
    const a = file('usage.yaml', BEFORE);
    expect(run(['diff', a]).code).toBe(2);
    expect(run(['diff', a, a, '--new', a]).code).toBe(2);
    expect(run(['diff', a, join(dir, 'missing.yaml')]).stderr).toMatch(/missing\.yaml: no such file/);
  });
});

describe('risk decisions', () => {
  const withRisks = (risks: string) => `${BEFORE}risks:\n${risks}`;
  const ACCEPT = `  - id: accept-trust
    rule: implicit-trust-in-network
    primary: "api->worker"
    status: accepted
    owner: jane@example.com
    reason: The network policy limits callers to api.
    expires: "2026-06-30"
`;

  it('give findings their status, held through the expiry day and reopened after it, with a located warning', () => {
    const model = file('accepted.yaml', withRisks(ACCEPT));
    const held = run(['analyze', model, '--format', 'json', '--as-of', '2026-06-30']);
    expect(held.code, held.stderr).toBe(0);
    expect(held.stderr).toBe('');
    expect(findingOf(json(held.stdout), 'implicit-trust-in-network', 'api->worker')?.status).toBe('accepted');
    expect(json(held.stdout).orphanedDecisions).toEqual([]);

    const late = run(['analyze', model, '--format', 'json', '--as-of', '2026-07-01']);
    expect(late.code).toBe(0);
    expect(findingOf(json(late.stdout), 'implicit-trust-in-network', 'api->worker')?.status).toBe('open');
    expect(late.stderr).toContain(
      `${model}:14:5: warning: the acceptance of finding ${findingOf(json(late.stdout), 'implicit-trust-in-network', 'api->worker')?.id} (implicit-trust-in-network on api->worker) expired on 2026-06-30 (as of 2026-07-01); the finding is open again`,
    );
    const text = run(['analyze', model, '--as-of', '2026-07-01']).stdout;
    expect(text).toMatch(
      /Decision: Accepted by jane@example\.com until 2026-06-30, which has expired \(as of\s+2026-07-01\)/,
    );
    const md = run(['analyze', model, '--as-of', '2026-07-01', '--format', 'md']).stdout;
    expect(md).toContain(
      '**Risk decision.** Accepted by jane@example.com until 2026-06-30, which has expired',
    );
    const html = run(['analyze', model, '--as-of', '2026-07-01', '--format', 'html']).stdout;
    expect(html).toContain('<span class="status">acceptance expired</span>');

    // An expired acceptance counts for --fail-on again.
    expect(run(['analyze', model, '--as-of', '2026-06-30', '--fail-on', 'medium']).code).toBe(0);
    expect(run(['analyze', model, '--as-of', '2026-07-01', '--fail-on', 'medium']).code).toBe(1);
  });

  it('report a decision that matches no finding as a warning and in orphanedDecisions, never fatal', () => {
    const model = file(
      'orphan.yaml',
      withRisks(`  - id: stale
    finding: "0123456789abcdef"
    status: false-positive
    reason: It was about a service we removed.
`),
    );
    const r = run(['analyze', model, '--format', 'json', '--fail-on', 'critical']);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain(
      `${model}:14:5: warning: risk decision 'stale' (finding 0123456789abcdef) matches no finding`,
    );
    expect(json(r.stdout).orphanedDecisions).toEqual([
      {
        id: 'stale',
        finding: '0123456789abcdef',
        status: 'false-positive',
        reason: 'It was about a service we removed.',
        location: { file: model, line: 14, col: 5 },
      },
    ]);
  });

  it('make two decisions on one finding an error at both places (exit 2)', () => {
    const first = run(['analyze', file('probe.yaml', BEFORE), '--format', 'json']);
    const id = findingOf(json(first.stdout), 'implicit-trust-in-network', 'api->worker')?.id as string;
    const model = file(
      'twice.yaml',
      withRisks(
        `${ACCEPT}  - { id: fp, finding: "${id}", status: false-positive, reason: "mTLS at the mesh" }\n`,
      ),
    );
    const r = run(['analyze', model]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(
      `${model}:14:5: risk decision 'accept-trust' and the one at ${model}:21:5 both decide`,
    );
    expect(r.stderr).toContain(`${model}:21:5: risk decision 'fp' and the one at ${model}:14:5 both decide`);
  });

  it('read a --risks side file, combined with the model’s own, with located errors', () => {
    const model = file('side-model.yaml', BEFORE);
    const risks = file(
      'risks.yaml',
      `threatkrew: 1\nrisks:\n  - { rule: unencrypted-flow, primary: "api->worker", status: mitigated, how: "a TLS sidecar", reason: "mesh" }\n`,
    );
    const r = run(['analyze', model, '--risks', risks, '--format', 'json']);
    expect(r.code, r.stderr).toBe(0);
    expect(findingOf(json(r.stdout), 'unencrypted-flow', 'api->worker')?.status).toBe('mitigated');
    const text = run(['analyze', model, '--risks', risks]).stdout;
    expect(text).toContain(`Decision: Mitigated. How: a TLS sidecar. Reason: mesh. (at ${risks}:3:5)`);

    const bad = file(
      'bad-risks.yaml',
      'threatkrew: 1\nrisks:\n  - { rule: unencrypted-flow, status: mitigatd, reason: x }\n',
    );
    const e = run(['analyze', model, '--risks', bad]);
    expect(e.code).toBe(2);
    expect(e.stderr).toContain(`${bad}:3:5: a risk decision with \`rule\` needs \`primary\` too`);
    expect(e.stderr).toContain(
      `${bad}:3:39: 'mitigatd' is not a valid \`status\`; did you mean 'mitigated'?`,
    );
    expect(run(['analyze', model, '--risks', risks, '--out', risks]).code).toBe(2);
  });

  it('in every example match a finding (no orphaned decision)', () => {
    const examples = readdirSync(join(root, 'examples')).filter((f) => f.endsWith('.yaml'));
    for (const example of examples) {
      const r = run(['analyze', join('examples', example), '--format', 'json', '--as-of', '2026-06-01']);
      expect(r.code, `${example}: ${r.stderr}`).toBe(0);
      expect(r.stderr, example).not.toMatch(/matches no finding/);
      const report = json(r.stdout);
      expect(report.orphanedDecisions ?? [], example).toEqual([]);
    }
  });
});

describe('baselines', () => {
  it('tell new findings from known ones; --fail-on low exits 0 when nothing is new and 1 when something is', () => {
    const model = file('base-model.yaml', BEFORE);
    const base = join(dir, 'baseline.json');
    const w = run(['baseline', model, '--out', base, '--as-of', '2026-06-01']);
    expect(w.code, w.stderr).toBe(0);
    expect(json(readFileSync(base, 'utf8')).schema).toBe('threatkrew/analysis@1');
    expect(run(['baseline', model, '--out', base, '--as-of', '2026-06-01']).code).toBe(0);

    const same = run(['analyze', model, '--baseline', base, '--fail-on', 'low', '--format', 'json']);
    expect(same.code).toBe(0);
    expect(same.stderr).toMatch(/no new open finding at or above low; passing/);
    const states = json(same.stdout).findings.map((f: { baselineState: string }) => f.baselineState);
    expect(states.length).toBeGreaterThan(0);
    expect(new Set(states)).toEqual(new Set(['unchanged']));
    // Without the baseline, the same findings fail the gate.
    expect(run(['analyze', model, '--fail-on', 'low']).code).toBe(1);

    const grown = file('base-grown.yaml', AFTER.replace('authn: mtls', 'authn: none'));
    const r = run(['analyze', grown, '--baseline', base, '--fail-on', 'low', '--format', 'json']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/\d+ new open findings? at or above low/);
    expect(findingOf(json(r.stdout), 'public-datastore', 'orders-db')?.baselineState).toBe('new');
    expect(findingOf(json(r.stdout), 'implicit-trust-in-network', 'api->worker')?.baselineState).toBe(
      'unchanged',
    );
    expect(run(['analyze', grown, '--baseline', base]).stdout).toMatch(/\(\w+, new\)/);
  });

  it('refuse a bad baseline file (exit 2, a clear message) and never write over an input', () => {
    const model = file('base-input.yaml', BEFORE);
    const notAnalysis = file('not-analysis.json', '{ "schema": "threatkrew/diff@1" }');
    const r = run(['analyze', model, '--baseline', notAnalysis]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(
      `${notAnalysis}:1:13: not a ThreatKrew analysis of this version: \`schema\` is "threatkrew/diff@1", expected "threatkrew/analysis@1"`,
    );
    const broken = file('broken.json', '{ "schema": ');
    expect(run(['analyze', model, '--baseline', broken]).stderr).toMatch(/broken\.json:1:\d+: invalid JSON/);
    expect(run(['analyze', model, '--baseline', join(dir, 'none.json')]).stderr).toMatch(
      /none\.json: no such file/,
    );
    const before = readFileSync(model, 'utf8');
    const over = run(['baseline', model, '--out', model]);
    expect(over.code).toBe(2);
    expect(over.stderr).toMatch(/refusing to write over an input/);
    expect(readFileSync(model, 'utf8')).toBe(before);
    expect(run(['baseline', model]).code).toBe(2);
  });
});

describe('threatkrew watch', () => {
  /** Spawns `watch` and collects its output; `until` waits for a pattern in stdout. */
  function watchProcess(args: string[]) {
    const child: ChildProcess = spawn(process.execPath, [bin, 'watch', ...args], {
      cwd: dir,
      env: { ...process.env, THREATKREW_DEBUG: '' },
    });
    let stdout = '';
    let stderr = '';
    child.stdout?.on('data', (b) => {
      stdout += String(b);
    });
    child.stderr?.on('data', (b) => {
      stderr += String(b);
    });
    const exited = new Promise<number | null>((done) => child.on('exit', (code) => done(code)));
    const until = async (pattern: RegExp, from = 0, timeoutMs = 15_000) => {
      const start = Date.now();
      while (!pattern.test(stdout.slice(from))) {
        if (Date.now() - start > timeoutMs)
          throw new Error(`timed out waiting for ${pattern}\nstdout:\n${stdout}\nstderr:\n${stderr}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    };
    return { child, exited, until, out: () => stdout, err: () => stderr };
  }

  it('re-analyses on a change, prints what changed, survives a bad save, and leaves on Ctrl-C with exit 0', async () => {
    const model = file('watched.yaml', BEFORE);
    const w = watchProcess(['watched.yaml']);
    try {
      await w.until(/watching watched\.yaml/);
      await w.until(/^Shop: \d+ findings/m);

      // A save by rename, as many editors do.
      let mark = w.out().length;
      writeFileSync(join(dir, 'watched.yaml.tmp'), AFTER);
      renameSync(join(dir, 'watched.yaml.tmp'), model);
      await w.until(/watched\.yaml changed: \d+ new .*\d+ resolved/, mark);
      await w.until(/^Shop: /m, mark);
      const change = w.out().slice(mark);
      expect(change).toMatch(/^ {2}\+ \w+ \[public-datastore\] /m);
      expect(change).toMatch(/^ {2}- \w+ \[implicit-trust-in-network\] /m);

      // A broken intermediate save prints its errors and keeps watching.
      mark = w.out().length;
      writeFileSync(model, `${AFTER}  - { from: api, to: nowhere }\n`);
      await w.until(/the model is invalid; the last valid analysis is kept/, mark);
      const start = Date.now();
      while (!/unknown component 'nowhere'/.test(w.err()) && Date.now() - start < 5000)
        await new Promise((r) => setTimeout(r, 50));
      expect(w.err()).toMatch(/watched\.yaml:\d+:\d+: unknown component 'nowhere'/);

      // Valid again: compared with the last valid analysis (AFTER), not with the broken save.
      mark = w.out().length;
      writeFileSync(model, BEFORE);
      await w.until(/watched\.yaml changed: \d+ new .*, \d+ resolved/, mark);
      await w.until(/^Shop: /m, mark);
      expect(w.out().slice(mark)).toMatch(/^ {2}- \w+ \[public-datastore\] /m);
      expect(w.out().slice(mark)).toMatch(/^ {2}\+ \w+ \[implicit-trust-in-network\] /m);
    } finally {
      w.child.kill('SIGINT');
    }
    expect(await w.exited).toBe(0);
    expect(w.err()).toContain('stopped watching');
  });
});
