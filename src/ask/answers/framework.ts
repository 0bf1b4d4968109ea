/**
 * "Which findings touch PCI DSS 4.2.1?": findings by the compliance controls, CWE, CAPEC and ATT&CK ids
 * their rules map to. A control id is matched exactly or as a family prefix (AC-6 covers AC-6(5)); a
 * framework without a control id gives the controls it touches, most findings first. Every id shown is
 * in the id catalogues; one that is not is said to be unknown, with the closest ids.
 */
import {
  FRAMEWORK_KEYS,
  FRAMEWORK_LABELS,
  type FrameworkKey,
  ID_PATTERNS,
  type IdKind,
} from '../../compliance/catalog.js';
import type { Finding } from '../../engine/analysis.js';
import { closestCandidates } from '../../model/diagnostics.js';
import { byAnalysisOrder, type Env, severityCounts } from '../env.js';
import { andList, cmp, plural } from '../text.js';
import type { AskAnswer } from '../types.js';
import { answer, findingList, type Question } from './common.js';

const FRAMEWORK_WORDS: readonly [FrameworkKey, RegExp][] = [
  ['pci-dss-4', /\bpci(?:[\s-]?dss)?\b/i],
  ['nist-800-53', /\bnist\b|\b800-53\b|\bsp\s?800\b/i],
  ['iso-27001-2022', /\biso(?:\/iec)?\b|\b27001\b|\bannex a\b/i],
  ['soc2', /\bsoc\s?(?:2|ii|two)\b/i],
  ['hipaa', /\bhipaa\b/i],
  ['owasp-asvs-5', /\basvs\b/i],
];

const KIND_LABEL: Readonly<Record<'cwe' | 'capec' | 'attack', string>> = {
  cwe: 'CWE',
  capec: 'CAPEC',
  attack: 'MITRE ATT&CK',
};

export const ID_KIND_LABEL = (kind: IdKind): string =>
  kind === 'cwe' || kind === 'capec' || kind === 'attack' ? KIND_LABEL[kind] : FRAMEWORK_LABELS[kind];

export interface IdRef {
  kind: IdKind;
  /** As the catalogue writes it. */
  id: string;
}

/** Canonical casing of an id of a kind. */
function canonicalId(kind: IdKind, raw: string): string {
  switch (kind) {
    case 'nist-800-53':
    case 'iso-27001-2022':
    case 'soc2':
    case 'owasp-asvs-5':
    case 'cwe':
    case 'capec':
    case 'attack':
      return raw.toUpperCase();
    default:
      return raw;
  }
}

/** Frameworks a question names. */
export function frameworksIn(raw: string): FrameworkKey[] {
  return FRAMEWORK_WORDS.filter(([, re]) => re.test(raw)).map(([k]) => k);
}

const TOKEN =
  /(?<![A-Za-z0-9])(?:(?:cwe|capec)-\d+|t\d{4}(?:\.\d{3})?|[a-z]{2}-\d{1,2}(?:\(\d{1,2}\))?|a\.\d\.\d{1,2}|(?:cc\d|a1|c1|pi1|p\d)\.\d|v\d{1,2}\.\d{1,2}\.\d{1,2}|164\.\d{3}(?:\([a-z]\))(?:\(\d\))?(?:\((?:i|ii|iii|iv)\))?(?:\([a-e]\))?|\d{1,2}(?:\.\d{1,2}){2,4})(?![A-Za-z0-9(])/gi;

/**
 * The catalogue ids a question names (CWE-319, SC-8, A.8.24, CC6.1, V9.1.1, 164.312(e)(1), T1557, and
 * PCI's dotted numbers), with ids shaped like one but missing from the catalogue in `unknown`.
 */
export function idsIn(
  env: Env,
  raw: string,
  frameworks: readonly FrameworkKey[],
): { ids: IdRef[]; unknown: IdRef[] } {
  const ids: IdRef[] = [];
  const unknown: IdRef[] = [];
  for (const m of raw.matchAll(TOKEN)) {
    const token = m[0];
    if (env.view.kindOf(token) !== undefined) continue;
    const kinds: IdKind[] = [
      'cwe',
      'capec',
      'attack',
      'nist-800-53',
      'iso-27001-2022',
      'soc2',
      'owasp-asvs-5',
      'hipaa',
      'pci-dss-4',
    ];
    let matched = false;
    for (const kind of kinds) {
      const id = canonicalId(kind, token);
      let hit = id;
      if (kind === 'hipaa' && !env.catalog.has(kind, id)) {
        // (A) to (E) sub-paragraphs are written in capitals.
        hit = id.replace(/\(([a-e])\)$/, (_, x: string) => `(${x.toUpperCase()})`);
      }
      if (!ID_PATTERNS[kind].test(hit)) continue;
      if (kind === 'pci-dss-4' && !frameworks.includes('pci-dss-4') && frameworks.length > 0) continue;
      if (kind === 'iso-27001-2022' && /^a\.\d\.\d/i.test(token) && frameworks.includes('soc2')) continue;
      matched = true;
      if (env.catalog.has(kind, hit)) ids.push({ kind, id: hit });
      else if (kind !== 'nist-800-53' || frameworks.includes('nist-800-53')) unknown.push({ kind, id: hit });
      break;
    }
    // "PCI requirement 99.9.9": shaped like nothing the one named framework has.
    if (!matched && frameworks.length === 1 && /\d/.test(token) && !/^(?:cwe|capec)-|^t\d{4}/i.test(token)) {
      unknown.push({
        kind: frameworks[0] as FrameworkKey,
        id: canonicalId(frameworks[0] as FrameworkKey, token),
      });
    }
  }
  return { ids: dedupe(ids), unknown: dedupe(unknown) };
}

function dedupe(list: IdRef[]): IdRef[] {
  const seen = new Set<string>();
  return list.filter((x) => {
    const k = `${x.kind}:${x.id}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

/** The ids of a kind a finding maps to. */
export function idsOf(f: Finding, kind: IdKind): readonly string[] {
  if (kind === 'cwe') return f.cwe;
  if (kind === 'capec') return f.capec;
  if (kind === 'attack') return f.attack;
  return f.compliance[kind] ?? [];
}

/** Whether a finding's id list covers an id: exactly, or as a family (AC-6 covers AC-6(5), T1110 covers T1110.003). */
export function covers(list: readonly string[], id: string): boolean {
  return list.some((x) => x === id || x.startsWith(`${id}(`) || x.startsWith(`${id}.`));
}

function title(env: Env, ref: IdRef): string {
  const t = env.catalog.title(ref.kind, ref.id);
  return t ? `${ref.id} (${t})` : ref.id;
}

function closestIds(env: Env, ref: IdRef): string[] {
  return closestCandidates(ref.id, env.catalog.ids(ref.kind), { max: 3, limit: 2, caseSensitive: true });
}

export function answerFramework(env: Env, q: Question): AskAnswer | undefined {
  const cite = env.citer();
  const frameworks = frameworksIn(q.raw);
  const { ids, unknown } = idsIn(env, q.raw, frameworks);
  const scope = q.elements.length > 0 ? new Set(q.elements.map((e) => e.id)) : undefined;
  const inScope = (f: Finding) =>
    !scope ||
    f.primary.some((p) => scope.has(p)) ||
    [...f.subjects.components, ...f.subjects.flows, ...f.subjects.data].some((x) => scope.has(x));
  if (scope) cite.elementsOf(scope);
  const lines: string[] = [];
  for (const u of unknown) {
    const near = closestIds(env, u);
    lines.push(
      `${ID_KIND_LABEL(u.kind)} has no ${u.id} in ThreatKrew's catalogue${near.length > 0 ? `; close ids: ${andList(near)}` : ''}.`,
    );
  }
  if (ids.length > 0) {
    for (const ref of ids) {
      if (lines.length > 0) lines.push('');
      const hits = env.analysis.findings.filter((f) => covers(idsOf(f, ref.kind), ref.id) && inScope(f));
      const rules = [...env.rules.values()].filter((r) => {
        const list =
          ref.kind === 'cwe'
            ? r.cwe
            : ref.kind === 'capec'
              ? r.capec
              : ref.kind === 'attack'
                ? r.attack
                : (r.compliance[ref.kind] ?? []);
        return covers(list, ref.id);
      });
      const kindLabel = ID_KIND_LABEL(ref.kind);
      const label = ref.id.startsWith(kindLabel) ? title(env, ref) : `${kindLabel} ${title(env, ref)}`;
      if (rules.length === 0) {
        lines.push(
          `${label}: no rule in the catalogue maps to it, so this analysis says nothing about it either way.`,
        );
        continue;
      }
      const withFindings = new Set(hits.map((f) => f.ruleId));
      for (const r of rules) if (withFindings.has(r.id)) cite.rule(r.id);
      if (hits.length === 0) {
        for (const r of rules) cite.rule(r.id);
        lines.push(
          `${label}: no finding${scope ? ` on ${andList([...scope])}` : ''} maps to it. The rules that check it (${andList(rules.map((r) => r.id).sort(cmp))}) found nothing in this model.`,
        );
        continue;
      }
      const open = hits.filter((f) => f.status === 'open').length;
      lines.push(
        `${label}: ${plural(hits.length, 'finding')} map to it (${severityCounts(hits)}; ${open} open):`,
      );
      lines.push(...findingList(hits, cite, 8));
      const quiet = rules
        .filter((r) => !withFindings.has(r.id))
        .map((r) => r.id)
        .sort(cmp);
      if (quiet.length > 0 && quiet.length <= 8) {
        for (const r of quiet) cite.rule(r);
        lines.push(`Other rules that check it found nothing: ${andList(quiet)}.`);
      }
    }
    return answer('framework', lines, cite);
  }
  if (unknown.length > 0) return answer('framework', lines, cite);
  if (frameworks.length === 0) {
    if (!/\bcompliance\b|\bcomplian|\bframework|\bregulat|\baudit/.test(q.text)) return undefined;
    // Compliance in general: the findings per framework.
    const open = env.analysis.findings.filter((f) => f.status === 'open' && inScope(f));
    lines.push(
      `Open findings by framework${scope ? ` on ${andList([...scope])}` : ''} (each finding maps to controls of several):`,
    );
    for (const fw of FRAMEWORK_KEYS) {
      const hits = open.filter((f) => (f.compliance[fw] ?? []).length > 0);
      const controls = new Set(hits.flatMap((f) => f.compliance[fw] ?? []));
      lines.push(
        `- ${FRAMEWORK_LABELS[fw]}: ${plural(hits.length, 'finding')} touching ${plural(controls.size, 'control')}.`,
      );
    }
    const top = [...open].sort(byAnalysisOrder).slice(0, 3);
    if (top.length > 0) {
      lines.push('The most severe open ones:');
      lines.push(...findingList(top, cite, 3));
    }
    lines.push('Name a framework ("HIPAA") or a control ("PCI DSS 4.2.1", "NIST SC-8") for the details.');
    return answer('framework', lines, cite);
  }
  for (const fw of frameworks) {
    if (lines.length > 0) lines.push('');
    const hits = env.analysis.findings.filter((f) => (f.compliance[fw] ?? []).length > 0 && inScope(f));
    if (hits.length === 0) {
      lines.push(
        `${FRAMEWORK_LABELS[fw]}: no finding${scope ? ` on ${andList([...scope])}` : ''} maps to any of its controls.`,
      );
      continue;
    }
    const byControl = new Map<string, Finding[]>();
    for (const f of hits)
      for (const c of f.compliance[fw] ?? []) byControl.set(c, [...(byControl.get(c) ?? []), f]);
    const ranked = [...byControl.entries()].sort(
      (a, b) =>
        b[1].filter((f) => f.status === 'open').length - a[1].filter((f) => f.status === 'open').length ||
        b[1].length - a[1].length ||
        cmp(a[0], b[0]),
    );
    const open = hits.filter((f) => f.status === 'open').length;
    lines.push(
      `${FRAMEWORK_LABELS[fw]}: ${plural(hits.length, 'finding')} (${severityCounts(hits)}; ${open} open) touch ${plural(byControl.size, 'control')}${scope ? ` on ${andList([...scope])}` : ''}. The controls with the most open findings:`,
    );
    for (const [control, list] of ranked.slice(0, 8)) {
      const worst = [...list].sort(byAnalysisOrder)[0] as Finding;
      const rules = [...new Set(list.map((f) => f.ruleId))].sort(cmp);
      for (const r of rules) cite.rule(r);
      cite.finding(worst);
      lines.push(
        `- ${title(env, { kind: fw, id: control })}: ${plural(list.length, 'finding')} (${severityCounts(list)}) from ${andList(rules)}; worst: ${worst.id} (${worst.severity}, ${andList(worst.primary)}).`,
      );
    }
    if (ranked.length > 8) lines.push(`- ... and ${ranked.length - 8} more controls.`);
  }
  lines.push('', 'Ask about one control ("what affects <framework> <control id>?") for its findings.');
  return answer('framework', lines, cite);
}
