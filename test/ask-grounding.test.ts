/**
 * Grounding, as a property over every question of the question set plus odd ones: an answer cites only
 * findings, elements and rules that exist (a what-if may cite the new findings of its re-analysis),
 * points only at lines that exist, and its text names no id-shaped word that exists nowhere: not in the
 * model, the analysis, the rule catalogue, the id catalogues, the vocabulary or the question itself.
 * Answers are byte-identical when asked again.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { answerQuestion, GLOSSARY } from '../src/ask/index.js';
import type { AskAnswer, AskContext } from '../src/ask/types.js';
import { FRAMEWORK_LABELS, ID_KINDS, loadCatalog } from '../src/compliance/catalog.js';
import * as vocabulary from '../src/model/vocabulary.js';
import { CATALOGUE } from '../src/rules/catalog/index.js';
import { contextOf, loadCases } from './ask/support.js';
import { ROOT } from './support/cli.js';

const cases = loadCases();
const models = [...new Set(cases.map((c) => c.model))];

/** Odd questions on top of the question set: nothing here may make an answer invent an id. */
const ODD = [
  '',
  '???',
  'asdf qwerty zxcv',
  'what threatens payments-gateway-xyz?',
  'what if we encrypt foo-bar-baz',
  'what if we set orders-db-dr-replication encrypted to maybe',
  'why is 0123456789abcdef critical?',
  'which findings map to NIST ZZ-99?',
  'what if the answer to nothing#here is yes',
  'what does CWE-99999 mean?',
  'tell me about the mainframe',
  'what if we add a flow from nowhere to somewhere',
  'why do we need quantum encryption on the moon?',
  'fix first for the database',
];

const ID_TOKEN = /[A-Za-z0-9][A-Za-z0-9._:/@#>()-]*/g;

function tokens(text: string): string[] {
  return [...text.matchAll(ID_TOKEN)].map((m) => m[0].replace(/[.:,;)]+$/, '').replace(/^\(/, ''));
}

/** A word shaped like an id: lower case with a hyphen or another id character inside, an arrow, a hash, or 16 hex digits. */
const idShaped = (t: string) =>
  t.includes('->') ||
  t.includes('#') ||
  /^[0-9a-f]{16}$/.test(t) ||
  /^[a-z0-9]+(?:[-_:/@][a-z0-9]+)+$/.test(t);

/** Hyphenated prose the answers themselves use (not ids). */
const PROSE = new Set([
  're-analysed',
  're-analysing',
  'what-if',
  'severity-weighted',
  '16-hex-digit',
  'log-in',
  'one-word',
  'as-of',
]);

const known = new Map<AskContext, Set<string>>();
function knownWords(ctx: AskContext, model: string): Set<string> {
  const hit = known.get(ctx);
  if (hit) return hit;
  const out = new Set<string>();
  const add = (text: string) => {
    for (const t of tokens(text)) out.add(t.toLowerCase());
  };
  add(readFileSync(join(ROOT, model), 'utf8'));
  add(JSON.stringify(CATALOGUE.map((r) => r.meta)));
  add(JSON.stringify(GLOSSARY));
  for (const v of Object.values(vocabulary)) if (Array.isArray(v)) add(v.join(' '));
  const view = ctx.loaded.view;
  for (const f of view.flows) {
    out.add(f.id.toLowerCase());
    out.add(`${f.from.id}->${f.to.id}`.toLowerCase());
  }
  for (const f of ctx.analysis.findings) add(`${f.id} ${f.message} ${f.mitigation} ${f.evidence.join(' ')}`);
  for (const q of ctx.analysis.questions) add(`${q.id} ${q.text}`);
  add(JSON.stringify(ctx.loaded.model));
  const catalog = loadCatalog();
  for (const kind of ID_KINDS) {
    for (const id of catalog.ids(kind)) {
      out.add(id.toLowerCase());
      add(catalog.title(kind, id) ?? '');
    }
  }
  for (const w of PROSE) out.add(w);
  add(Object.values(FRAMEWORK_LABELS).join(' '));
  known.set(ctx, out);
  return out;
}

function checkGrounded(ctx: AskContext, model: string, question: string, a: AskAnswer): void {
  const where = `\nQ: ${question}\nA (${a.kind}):\n${a.answer}`;
  const findingIds = new Set(ctx.analysis.findings.map((f) => f.id));
  for (const f of (a.whatIf?.new ?? []) as { id: string }[]) findingIds.add(f.id);
  const ruleIds = new Set(CATALOGUE.map((r) => r.meta.id));
  const view = ctx.loaded.view;
  for (const id of a.citations.findings) expect(findingIds.has(id), `cited finding ${id}${where}`).toBe(true);
  for (const id of a.citations.rules) expect(ruleIds.has(id), `cited rule ${id}${where}`).toBe(true);
  for (const id of a.citations.elements) expect(view.kindOf(id), `cited element ${id}${where}`).toBeDefined();
  for (const list of [a.citations.findings, a.citations.rules, a.citations.elements]) {
    expect(list, `sorted and unique${where}`).toEqual([...new Set(list)].sort());
  }
  const cited = new Set(
    a.citations.elements.map((id) => {
      const l = view.source(id) ?? view.location(id);
      return l ? `${l.file}:${l.line}` : '';
    }),
  );
  for (const l of a.citations.locations) {
    const lines = readFileSync(l.file, 'utf8').split('\n').length;
    expect(l.line, `location ${l.file}:${l.line}${where}`).toBeLessThanOrEqual(lines);
    expect(cited.has(`${l.file}:${l.line}`), `location of a cited element${where}`).toBe(true);
  }
  const words = knownWords(ctx, model);
  const asked = new Set(tokens(`${question} ${JSON.stringify(a.whatIf ?? {})}`).map((t) => t.toLowerCase()));
  // Placeholders in angle brackets ("<component>") are not names.
  for (const t of tokens(a.answer.replace(/<[^<>\n]*>/g, ' '))) {
    if (!idShaped(t)) continue;
    const lower = t.toLowerCase();
    if (asked.has(lower) || lower === ctx.asOf) continue;
    if (/^[0-9a-f]{16}$/.test(t)) {
      expect(findingIds.has(t), `finding id ${t} in the text${where}`).toBe(true);
      continue;
    }
    if (t.includes('->')) {
      expect(view.kindOf(t) !== undefined || words.has(lower), `flow ${t} in the text${where}`).toBe(true);
      continue;
    }
    expect(words.has(lower), `id-shaped word "${t}" exists nowhere${where}`).toBe(true);
  }
}

describe('grounding', () => {
  it.each(cases.map((c) => [c.id, c] as const))('%s', (_id, c) => {
    const ctx = contextOf(c.model);
    const a = answerQuestion(ctx, c.q);
    checkGrounded(ctx, c.model, c.q, a);
    expect(JSON.stringify(answerQuestion(ctx, c.q)), 'the same answer when asked again').toBe(
      JSON.stringify(a),
    );
  });

  it.each(models.flatMap((m) => ODD.map((q) => [m, q] as const)))('%s: odd question %j', (model, q) => {
    const ctx = contextOf(model);
    const a = answerQuestion(ctx, q);
    checkGrounded(ctx, model, q, a);
    expect([
      'clarify',
      'unknown',
      'threats',
      'overview',
      'framework',
      'fix-first',
      'term',
      'control',
    ]).toContain(a.kind);
  });
});
