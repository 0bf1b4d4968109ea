/**
 * "Why was this control recommended?": from the recommendation back to what it rests on: the finding
 * and its evidence from the model, the rule's reasoning (the risk it names), its references, and the
 * compliance controls and weakness ids the finding maps to.
 */
import { FRAMEWORK_KEYS, FRAMEWORK_LABELS } from '../../compliance/catalog.js';
import type { Finding } from '../../engine/analysis.js';
import type { Citer } from '../citations.js';
import { byAnalysisOrder, type Env } from '../env.js';
import { andList, firstSentence, oneLine } from '../text.js';
import type { AskAnswer } from '../types.js';
import { answer, clarifyAmbiguous, findingLine, type Question, ref, typoNotes } from './common.js';

/** Topics a recommendation can be about, how people say them, and how a mitigation or rule shows them. */
const TOPICS: readonly { name: string; said: RegExp; shows: RegExp }[] = [
  {
    name: 'MFA',
    said: /\bmfa\b|\b2fa\b|multi-?factor|two-?factor|second factor/,
    shows: /second factor|multi-factor|\bmfa\b/i,
  },
  {
    name: 'encryption',
    said: /\bencrypt|\btls\b|\bssl\b|\bhttps\b|in transit|at rest/,
    shows: /encrypt|\btls\b/i,
  },
  { name: 'input validation', said: /\bvalidat/, shows: /validat/i },
  { name: 'output encoding', said: /\bencod|\bescap/, shows: /\bencod|escap/i },
  { name: 'rate limiting', said: /\brate[- ]?limit|throttl/, shows: /rate|throttl/i },
  { name: 'a WAF', said: /\bwaf\b|web application firewall/, shows: /web application firewall|\bwaf\b/i },
  { name: 'audit logging', said: /\baudit|\blogging\b|\blogs?\b/, shows: /audit|\blog\b/i },
  { name: 'monitoring', said: /\bmonitor|\balert/, shows: /monitor/i },
  { name: 'authorization', said: /\bauthori[sz]|\baccess control|\bauthz\b/, shows: /authoriz/i },
  {
    name: 'authentication',
    said: /\bauthenticat|\bauthn\b|\bmtls\b|\boidc\b|\boauth/,
    shows: /authenticat|mtls/i,
  },
  {
    name: 'least privilege',
    said: /least[- ]privilege|\bgrants?\b|\bpermissions?\b|narrow|\bprivilege/,
    shows: /grant|least privilege|privilege/i,
  },
  { name: 'backups', said: /\bbackups?\b|\bback up\b|\bsnapshot/, shows: /backup|back up/i },
  {
    name: 'an IP allow-list',
    said: /allow-?list|whitelist|\bip restrict|\bvpn\b/,
    shows: /allow-list|allowlist|authorized networks|vpn/i,
  },
  {
    name: 'a secret store',
    said: /secret[s]? (?:store|manager)|\bvault\b|\bkey vault\b|\bsecrets?\b/,
    shows: /secret store|secrets manager|key vault|vault/i,
  },
  { name: 'signing', said: /\bsign(?:ing|ed|atures?)?\b/, shows: /\bsign/i },
  { name: 'sandboxing', said: /\bsandbox/, shows: /sandbox|allow-list the schemes/i },
  {
    name: 'human approval',
    said: /\bapprov|human in the loop|human review|confirm/,
    shows: /approv|confirm/i,
  },
  { name: 'content filtering', said: /\bfilter/, shows: /filter/i },
  { name: 'network segmentation', said: /\bsegment|network polic/, shows: /segment|network policy/i },
  {
    name: 'redundancy',
    said: /\breplicas?\b|redundan|high availability|\bha\b|instances/,
    shows: /instances|replica|availability zones/i,
  },
  {
    name: 'short-lived credentials',
    said: /short[- ]lived|rotat|federation|static (?:key|credential)/,
    shows: /short-lived|expire|federation/i,
  },
  {
    name: 'making it private',
    said: /\bprivate\b|off the internet|\binternal\b/,
    shows: /private|off the (?:open )?internet/i,
  },
];

/** The topics a question asks about. */
function topicsOf(text: string): (typeof TOPICS)[number][] {
  return TOPICS.filter((t) => t.said.test(text));
}

function referencesOf(env: Env, f: Finding): string[] {
  const meta = env.rules.get(f.ruleId);
  return (meta?.references ?? []).map((r) => `${r.title} (${r.url})`);
}

function complianceOf(env: Env, f: Finding): string[] {
  const out: string[] = [];
  for (const fw of FRAMEWORK_KEYS) {
    const ids = f.compliance[fw];
    if (!ids || ids.length === 0) continue;
    out.push(
      `${FRAMEWORK_LABELS[fw]}: ${ids
        .map((id) => {
          const t = env.catalog.title(fw, id);
          return t ? `${id} (${t})` : id;
        })
        .join('; ')}`,
    );
  }
  const weak = [
    ...f.cwe.map((id) => ['cwe', id] as const),
    ...f.capec.map((id) => ['capec', id] as const),
    ...f.attack.map((id) => ['attack', id] as const),
  ];
  if (weak.length > 0) {
    out.push(
      `Weakness and attack ids: ${weak
        .map(([k, id]) => {
          const t = env.catalog.title(k, id);
          return t ? `${id} (${t})` : id;
        })
        .join('; ')}`,
    );
  }
  return out;
}

/** The chain behind one finding's recommendation. */
export function explainRecommendation(env: Env, f: Finding, cite: Citer): string[] {
  cite.finding(f);
  cite.elementsOf([...f.subjects.components, ...f.subjects.flows, ...f.subjects.identities].slice(0, 10));
  const meta = env.rules.get(f.ruleId);
  const lines = [
    `Recommendation for ${andList(f.primary.map((p) => ref(env, p)))}, from finding ${f.id} [${f.ruleId}] (${f.severity}, ${f.confidence}${f.status === 'open' ? '' : `, ${f.status}`}):`,
    `- What to do: ${oneLine(f.mitigation)}`,
    `- Because: ${oneLine(f.message)}`,
  ];
  if (f.evidence.length > 0) lines.push(`- Evidence from the model: ${f.evidence.map(oneLine).join('; ')}.`);
  if (meta) lines.push(`- The risk (rule ${meta.id}): ${oneLine(meta.summary)}`);
  const refs = referencesOf(env, f);
  if (refs.length > 0) lines.push(`- References: ${refs.join('; ')}.`);
  const compliance = complianceOf(env, f);
  if (compliance.length > 0) {
    lines.push('- Controls it serves:');
    for (const c of compliance) lines.push(`  ${c}`);
  }
  return lines;
}

export function answerControl(env: Env, q: Question): AskAnswer | undefined {
  const cite = env.citer();
  if (q.elements.length === 0 && q.scan.ambiguous.length > 0 && q.findings.length === 0) {
    const a = q.scan.ambiguous[0] as (typeof q.scan.ambiguous)[number];
    return clarifyAmbiguous(env, a.text, a.candidates);
  }
  const topics = topicsOf(q.text.replace(/\bwhy\b|\brecommend\w*|\bsuggest\w*/g, ' '));
  let pool: Finding[];
  if (q.findings.length > 0) pool = [...q.findings];
  else if (q.elements.length > 0) {
    const ids = new Set(q.elements.map((e) => e.id));
    const primary = env.analysis.findings.filter((f) => f.primary.some((p) => ids.has(p)));
    // With a topic, anything the element is part of may carry the recommendation ("mfa on cognito"
    // comes from the finding on the sign-in flow into cognito); without one, its own findings.
    pool =
      topics.length > 0 || primary.length === 0 ? q.elements.flatMap((e) => env.involving(e.id)) : primary;
  } else pool = [...env.analysis.findings];
  if (q.rules.length > 0) {
    const byRule = pool.filter((f) => q.rules.some((r) => r.id === f.ruleId));
    if (byRule.length > 0 || q.elements.length === 0) pool = byRule;
  }
  pool = [...new Set(pool)];
  if (topics.length > 0 && q.findings.length === 0) {
    const onTopic = pool.filter((f) =>
      topics.some((t) => t.shows.test(f.mitigation) || t.shows.test(f.ruleId.replace(/-/g, ' '))),
    );
    if (onTopic.length === 0) {
      const where = q.elements.length > 0 ? ` for ${andList(q.elements.map((e) => e.id))}` : '';
      cite.elementsOf(q.elements.map((e) => e.id));
      const lines = [
        ...typoNotes(q),
        `No finding recommends ${andList(
          topics.map((t) => t.name),
          'or',
        )}${where}.`,
      ];
      if (pool.length > 0 && q.elements.length > 0) {
        lines.push(`What the findings${where} do recommend:`);
        for (const f of pool.sort(byAnalysisOrder).slice(0, 5)) {
          cite.finding(f);
          lines.push(`- ${f.id} [${f.ruleId}]: ${firstSentence(f.mitigation)}`);
        }
      }
      return answer('control', lines, cite);
    }
    pool = onTopic;
  }
  if (pool.length === 0) {
    if (q.elements.length === 0 && topics.length === 0 && q.rules.length === 0) return undefined;
    cite.elementsOf(q.elements.map((e) => e.id));
    return answer(
      'control',
      [
        ...typoNotes(q),
        `No finding${q.elements.length > 0 ? ` on ${andList(q.elements.map((e) => e.id))}` : ''} makes a recommendation there.`,
      ],
      cite,
    );
  }
  pool.sort(byAnalysisOrder);
  // Open findings explain a recommendation that still stands; fall back to all.
  const open = pool.filter((f) => f.status === 'open');
  const shown = (open.length > 0 ? open : pool).slice(
    0,
    q.elements.length > 0 || q.findings.length > 0 ? 3 : 2,
  );
  const lines = [...typoNotes(q)];
  if (topics.length > 0) {
    lines.push(
      `${andList(topics.map((t) => t.name))} ${pool.length === 1 ? 'comes from one finding' : `comes from ${pool.length} findings`}${q.elements.length > 0 ? ` on ${andList(q.elements.map((e) => e.id))}` : ''}${pool.length > shown.length ? `; the most severe ${shown.length}` : ''}:`,
    );
  }
  for (const f of shown) {
    if (lines.length > 0) lines.push('');
    lines.push(...explainRecommendation(env, f, cite));
  }
  const rest = pool.filter((f) => !shown.includes(f));
  if (rest.length > 0) {
    lines.push('', 'Also recommending it:');
    for (const f of rest.slice(0, 5)) {
      cite.finding(f);
      lines.push(`- ${findingLine(f)}`);
    }
    if (rest.length > 5) lines.push(`- ... and ${rest.length - 5} more.`);
  }
  return answer('control', lines, cite);
}
