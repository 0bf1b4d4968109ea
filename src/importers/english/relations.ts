/**
 * Relations: who calls whom. For each relation verb the subject (the caller, `from`) and the objects it
 * reaches are found from the mentions around it: "Orders reads from orders-db and publishes to events",
 * "X, which forwards to Y", "X is called by Y", "A calls B through C", "X sits behind Y".
 */
import type { Context } from './context.js';
import type { DraftComponent, DraftFlow } from './draft.js';
import type { ComponentMention, Mention } from './mentions.js';
import type { Token } from './tokens.js';
import { isParticiple, isVerbWord, type VerbSense, verbSenses } from './verbs.js';

export interface Relation {
  verb: number;
  verbEnd: number;
  clause: number;
  sense: VerbSense;
  flows: DraftFlow[];
  /** Flows to what the verb reads from ("exports X from A to B": the flow to A); facts go to the others. */
  sourceFlows?: DraftFlow[];
  /** "all services call X": the flows are added for every service when the text is read. */
  quantified?: { who: 'services' | 'everything'; to: DraftComponent[]; sense: VerbSense };
}

const ADVERBS = new Set([
  'also',
  'only',
  'then',
  'directly',
  'always',
  'never',
  'not',
  'all',
  'both',
  'each',
  'automatically',
  'nightly',
  'hourly',
  'daily',
  'weekly',
  'first',
  'just',
  'still',
  'usually',
  'normally',
  'currently',
  'now',
  'additionally',
  'periodically',
  'asynchronously',
  'synchronously',
  'regularly',
  'later',
  'finally',
  'eventually',
  'sometimes',
  'often',
  'can',
  'could',
  'will',
  'would',
  'may',
  'might',
  'should',
  'must',
  'to',
  'to',
  'then',
  'every',
  'later',
  'mainly',
  'mostly',
]);
const BE = new Set([
  'is',
  'are',
  'was',
  'were',
  'be',
  'been',
  'being',
  'gets',
  'get',
  'got',
  "isn't",
  "aren't",
  "it's",
]);
const PREPOSITIONS = new Set([
  'to',
  'from',
  'in',
  'into',
  'on',
  'onto',
  'at',
  'by',
  'with',
  'over',
  'through',
  'via',
  'of',
  'for',
  'against',
  'using',
  'behind',
  'inside',
  'within',
  'across',
  'between',
  'under',
  'as',
  'like',
]);
/** Words before a verb form that make it a noun ("admin access", "API calls"). */
const NOUN_GUARD = new Set([
  'a',
  'an',
  'the',
  'its',
  'their',
  'our',
  'his',
  'her',
  'this',
  'these',
  'those',
  'admin',
  'read-only',
  'read',
  'write',
  'full',
  'direct',
  'public',
  'network',
  'api',
  'root',
  'programmatic',
  'console',
  'shell',
  'database',
  'db',
  'ssh',
  'remote',
  'owner',
  'any',
  'no',
  'more',
  'less',
  'limited',
  'restricted',
  'broad',
  'audit',
  'access',
  'request',
  'tool',
  'function',
  'http',
  'rest',
  'grpc',
  'outbound',
  'inbound',
  'of',
  'for',
  'per',
  'application',
  'app',
  'error',
  'debug',
]);
const STORE_KINDS = new Set([
  'datastore',
  'object-store',
  'cache',
  'search',
  'queue',
  'stream',
  'secret-store',
]);

/** Verb forms that start a phrase inside an object list, not a new verb ("..., including X, to Y"). */
const PARTICIPIAL = new Set(['including', 'excluding', 'containing', 'using', 'carrying', 'holding', 'such']);

export const CLAUSE_BREAKS = new Set([
  ';',
  '—',
  'because',
  'but',
  'although',
  'though',
  'while',
  'whereas',
  'unless',
  'whenever',
  'when',
  'if',
  'so',
  'since',
]);

/** Clause numbers for every token: a new clause starts at a clause word, a relative pronoun or ", and". */
export function clauses(tokens: readonly Token[]): number[] {
  const out: number[] = [];
  let n = 0;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i] as Token;
    const prev = tokens[i - 1];
    if (CLAUSE_BREAKS.has(t.lower) && i > 0) n++;
    else if ((t.lower === 'which' || t.lower === 'who') && i > 0) n++;
    else if (t.lower === 'and' && prev?.text === ',') n++;
    else if (t.text === ':' && i > 0) n++;
    out.push(n);
  }
  return out;
}

interface Found {
  sense: VerbSense;
  start: number;
  end: number;
  passive: boolean;
}

export class RelationFinder {
  readonly relations: Relation[] = [];
  private readonly comps: ComponentMention[];

  constructor(
    private readonly ctx: Context,
    private readonly tokens: readonly Token[],
    mentions: readonly Mention[],
    private readonly clauseOf: readonly number[],
    private readonly used: (i: number) => boolean,
    private readonly materialise: (m: ComponentMention) => DraftComponent[],
    private readonly sentenceSubject: () => ComponentMention | undefined,
    private readonly predicates: readonly { start: number; end: number; comp: DraftComponent }[] = [],
  ) {
    this.comps = mentions.filter((m): m is ComponentMention => m.type === 'component' && !m.incidental);
  }

  private verbs(): Found[] {
    const t = this.tokens;
    const out: Found[] = [];
    for (let k = 0; k < t.length; k++) {
      const tok = t[k] as Token;
      if (!tok.word || this.used(k) || tok.code || tok.strong) continue;
      if (PARTICIPIAL.has(tok.lower)) continue;
      const senses = verbSenses(tok.lower);
      if (senses.length === 0) continue;
      const prev = t[k - 1];
      if (
        prev &&
        NOUN_GUARD.has(prev.lower) &&
        !this.used(k - 1) &&
        !(prev.lower === 'that' && this.isRelative(k - 1))
      )
        continue;
      let sense: VerbSense | undefined;
      let end = k + 1;
      for (const s of senses) {
        if (s.particle?.includes(t[k + 1]?.lower ?? '')) {
          sense = s;
          end = k + 2;
          break;
        }
      }
      if (!sense) sense = senses.find((s) => !s.particle);
      if (!sense) continue;
      // "an API key kept in Vault": a participle after a noun describes the noun, it is no relation.
      if (
        prev?.word &&
        !this.used(k - 1) &&
        /(?:ed|kept|sent|held|stored|written|put|read)$/.test(tok.lower) &&
        !/(?:ing)$/.test(tok.lower)
      ) {
        const w = prev.lower;
        if (
          !BE.has(w) &&
          !ADVERBS.has(w) &&
          !['and', 'or', 'has', 'have', 'had', 'it', 'which', 'that', 'who', 'then', 'also'].includes(w)
        )
          continue;
      }
      let p = k - 1;
      while (p >= 0 && ADVERBS.has((t[p] as Token).lower) && (t[p] as Token).lower !== 'to') p--;
      const passiveBe = p >= 0 && BE.has((t[p] as Token).lower) && isParticiple(tok.lower);
      const reduced = t[end]?.lower === 'by' && isParticiple(tok.lower);
      out.push({ sense, start: k, end, passive: passiveBe || reduced });
    }
    return out;
  }

  /** Objects run to the next verb or the end of the clause. */
  private stopAfter(verb: Found): number {
    const t = this.tokens;
    for (let k = verb.end; k < t.length; k++) {
      const tok = t[k] as Token;
      if (this.used(k)) continue;
      if (CLAUSE_BREAKS.has(tok.lower) || tok.lower === 'which' || tok.lower === 'who' || tok.text === ';')
        return k;
      if (tok.lower === 'that' && t[k + 1] && isVerbWord(t[k + 1]?.lower ?? '')) return k;
      if (PARTICIPIAL.has(tok.lower)) continue;
      // "retrieves status updates from X": a plural after a plain noun is part of a noun phrase.
      const prev = t[k - 1];
      const compound =
        /s$/.test(tok.lower) &&
        prev?.word === true &&
        !this.used(k - 1) &&
        !prev.cap &&
        !BE.has(prev.lower) &&
        !ADVERBS.has(prev.lower) &&
        !['and', 'or', 'but', 'then', 'that', 'which', 'who', 'it', 'also', 'to'].includes(prev.lower) &&
        !isVerbWord(prev.lower);
      if (compound) continue;
      if (
        tok.word &&
        !tok.code &&
        !tok.strong &&
        isVerbWord(tok.lower) &&
        (this.used(k - 1) || !NOUN_GUARD.has(t[k - 1]?.lower ?? '')) &&
        k > verb.end
      ) {
        return k;
      }
    }
    return t.length;
  }

  private isRelative(i: number): boolean {
    const prev = this.tokens[i - 1];
    return prev !== undefined && (prev.text === ',' || this.comps.some((m) => m.end === i));
  }

  find(): Relation[] {
    const verbs = this.verbs();
    const t = this.tokens;
    const subjects: DraftComponent[][] = [];
    let firstSubject: DraftComponent[] | undefined;
    for (let v = 0; v < verbs.length; v++) {
      const verb = verbs[v] as Found;
      const stop = this.stopAfter(verb);
      let objects = this.objects(verb, stop);
      // "reads and writes orders-db": a verb without objects shares those of the verb after "and".
      const next = verbs[v + 1];
      if (
        objects.targets.length + objects.sources.length + objects.hops.length === 0 &&
        next &&
        t[verb.end]?.lower === 'and' &&
        next.start === verb.end + 1
      ) {
        objects = this.objects({ ...next, sense: verb.sense }, this.stopAfter(next));
      }
      let subject = this.subject(verb, verbs, v, subjects);
      if (subject.length === 0 && !this.quantifierBefore(verb)) {
        if (v === 0 || firstSubject === undefined) {
          const hint = this.ctx.hint;
          if (hint && hint.length > 0 && this.startsClause(verb)) subject = hint;
        } else subject = firstSubject;
      }
      subjects.push(subject);
      if (subject.length > 0 && firstSubject === undefined) firstSubject = subject;
      const rel: Relation = {
        verb: verb.start,
        verbEnd: verb.end,
        clause: this.clauseOf[verb.start] ?? 0,
        sense: verb.sense,
        flows: [],
      };
      const quant = this.quantifierBefore(verb);
      const add = (from: DraftComponent, to: DraftComponent, sense: VerbSense, role: 'target' | 'source') => {
        if (from === to) return;
        const f = this.ctx.draft.flow(from, to, this.ctx.origin);
        if (role === 'source') f.actions.add('read');
        else {
          for (const a of sense.actions ?? []) f.actions.add(a);
          if (sense.role === 'send' && (to.kind === 'queue' || to.kind === 'stream') && !sense.actions)
            f.actions.add('publish');
          if (sense.purpose && !f.purpose) f.purpose = sense.purpose;
        }
        if ((sense.role === 'publish' || sense.role === 'subscribe') && role === 'target')
          to.vote('queue', 1, to.no);
        if (!rel.flows.includes(f)) rel.flows.push(f);
        if (role === 'source') rel.sourceFlows = [...(rel.sourceFlows ?? []), f];
      };
      const role = verb.sense.role;
      if (verb.passive && objects.agents.length > 0) {
        for (const a of objects.agents) for (const s of subject) add(a, s, verb.sense, 'target');
      } else if (role === 'serve' && (objects.hops.length > 0 || objects.servers.length > 0)) {
        // "X is served through CloudFront": CloudFront calls X.
        for (const via of [...objects.hops, ...objects.servers])
          for (const s of subject) {
            add(via, s, verb.sense, 'target');
            if (!s.fronts.includes(via)) s.fronts.push(via);
          }
      } else if (role === 'front' && verb.passive) {
        // "X is protected by Y" without "by" found: nothing.
      } else if (quant && subject.length === 0) {
        rel.quantified = { who: quant, to: [...objects.targets, ...objects.hops], sense: verb.sense };
      } else {
        for (const s of subject) {
          if (objects.hops.length > 0 && objects.targets.length > 0 && role !== 'auth') {
            for (const h of objects.hops) {
              add(s, h, verb.sense, 'target');
              for (const o of objects.targets) add(h, o, verb.sense, 'target');
            }
          } else {
            for (const o of [...objects.targets, ...objects.hops]) add(s, o, verb.sense, 'target');
          }
          for (const src of objects.sources) add(s, src, verb.sense, 'source');
          if (role === 'front') for (const o of objects.targets) if (!o.fronts.includes(s)) o.fronts.push(s);
        }
      }
      this.relations.push(rel);
    }
    this.positional();
    return this.relations;
  }

  private startsClause(verb: Found): boolean {
    const t = this.tokens;
    for (let k = verb.start - 1; k >= 0; k--) {
      const tok = t[k] as Token;
      if (!tok.word) return tok.text === ':' || tok.text === ';' || tok.text === ',';
      if (ADVERBS.has(tok.lower) || ['and', 'then', 'also', 'it', 'which', 'that'].includes(tok.lower))
        continue;
      if (this.comps.some((m) => k >= m.start && k < m.end)) return false;
      if (isVerbWord(tok.lower)) continue;
      if (k === 0) return true;
      return false;
    }
    return true;
  }

  private quantifierBefore(verb: Found): 'services' | 'everything' | undefined {
    const before = this.comps.filter(
      (m) => m.end <= verb.start && this.clauseOf[m.start] === this.clauseOf[verb.start],
    );
    const last = before[before.length - 1];
    return last?.quantifier;
  }

  /** The caller of a verb: a relative pronoun's antecedent, a coordinated verb's subject, or the nearest component before it. */
  private subject(
    verb: Found,
    verbs: readonly Found[],
    v: number,
    previous: DraftComponent[][],
  ): DraftComponent[] {
    const t = this.tokens;
    let p = verb.start - 1;
    while (p >= 0 && (ADVERBS.has((t[p] as Token).lower) || (verb.passive && BE.has((t[p] as Token).lower))))
      p--;
    const before = t[p];
    if (before && (before.lower === 'which' || before.lower === 'who' || before.lower === 'that')) {
      let q = p - 1;
      if (t[q]?.text === ',') q--;
      // "the Tracking page, a Vue app that calls ...": the antecedent is what the apposition describes.
      const described = this.predicates.find((x) => x.end - 1 === q);
      if (described) return [described.comp];
      const m = this.comps.find((x) => x.end - 1 === q || (x.end - 1 === q - 1 && t[q]?.text === ')'));
      if (m) return this.materialise(m);
      const prior = [...this.comps]
        .reverse()
        .find((x) => x.end <= p && x.comps.length + (x.pending ? 1 : 0) > 0);
      if (prior) return this.materialise(prior);
    }
    // "X reads from A and writes to B": a verb right after "and" shares the previous verb's subject.
    if (
      before &&
      (before.lower === 'and' || before.lower === 'or' || before.lower === 'then' || before.lower === 'but')
    ) {
      const prev = v > 0 ? (previous[v - 1] ?? []) : [];
      if (prev.length > 0) return prev;
      // "Front Door has the WAF enabled and forwards to X": the sentence's subject.
      const s = this.sentenceSubject();
      if (s && s.end <= verb.start) return this.materialise(s);
    }
    // The nearest component before the verb that is not the object of a preposition.
    const start = v > 0 ? (verbs[v - 1] as Found).end : 0;
    const group: ComponentMention[] = [];
    for (let i = this.comps.length - 1; i >= 0; i--) {
      const m = this.comps[i] as ComponentMention;
      if (m.end > verb.start) continue;
      if (m.start < start && group.length === 0 && v > 0) {
        // The subject of an earlier clause ("X calls Y, and it also ...") is reached through pronouns only.
        break;
      }
      if (group.length > 0) {
        const last = group[group.length - 1] as ComponentMention;
        if (this.clauseOf[m.start] !== this.clauseOf[last.start]) break;
        const gap = t.slice(m.end, last.start);
        if (gap.every((x) => x.text === ',' || x.lower === 'and' || x.lower === 'or' || x.lower === 'both')) {
          group.push(m);
          continue;
        }
        break;
      }
      if (this.isObject(m)) continue;
      if (m.possessive && this.comps.some((x) => x.start === m.end)) continue;
      if (m.quantifier) return [];
      group.push(m);
    }
    if (group.length === 0) {
      const s = this.sentenceSubject();
      if (
        s &&
        s.end <= verb.start &&
        v > 0 &&
        this.clauseOf[s.start] !== this.clauseOf[verb.start] &&
        t[verb.start - 1]?.lower === 'and'
      )
        return this.materialise(s);
      return [];
    }
    return group.reverse().flatMap((m) => this.materialise(m));
  }

  private isObject(m: ComponentMention): boolean {
    const t = this.tokens;
    let k = m.start - 1;
    while (k >= 0 && (t[k] as Token).word === false && (t[k] as Token).text !== ',') k--;
    const prev = t[k];
    if (!prev) return false;
    if (m.possessive) return false;
    return PREPOSITIONS.has(prev.lower) && prev.lower !== 'as';
  }

  private objects(verb: Found, stop: number) {
    const t = this.tokens;
    const targets: DraftComponent[] = [];
    const sources: DraftComponent[] = [];
    const hops: DraftComponent[] = [];
    const agents: DraftComponent[] = [];
    const servers: DraftComponent[] = [];
    const sense = verb.sense;
    let prevEnd = verb.end;
    let prevPrep: string | undefined;
    let prevHadPrep = false;
    const particle = verb.end > verb.start + 1 ? (t[verb.start + 1] as Token).lower : undefined;
    for (const m of this.comps) {
      if (m.start < verb.end || m.start >= stop) continue;
      if (m.possessive && !m.pronoun) {
        prevEnd = m.end;
        continue;
      }
      const gap = t.slice(prevEnd, m.start);
      let prep: string | undefined;
      for (let k = gap.length - 1; k >= 0; k--) {
        const g = gap[k] as Token;
        if (PREPOSITIONS.has(g.lower) || g.lower === 'against') {
          prep = g.lower;
          break;
        }
      }
      if (prevEnd === verb.end && particle && !prep) prep = particle;
      if (
        !prep &&
        prevHadPrep &&
        gap.every(
          (g) =>
            g.text === ',' || g.lower === 'and' || g.lower === 'or' || g.lower === 'as' || g.lower === 'well',
        )
      ) {
        prep = prevPrep;
      }
      prevEnd = m.end;
      prevPrep = prep;
      prevHadPrep = prep !== undefined;
      if (m.pronoun && (prep === 'with' || prep === 'using')) continue;
      let comps = this.materialise(m);
      // "consumes them": of what "them" may mean, what the verb can act on.
      if (m.pronoun && comps.length > 1) {
        const fit =
          sense.role === 'publish' || sense.role === 'subscribe'
            ? comps.filter((c) => c.kind === 'queue' || c.kind === 'stream')
            : sense.role === 'read' || sense.role === 'write'
              ? comps.filter((c) => STORE_KINDS.has(c.kind))
              : comps;
        if (fit.length > 0) comps = fit;
      }
      if (comps.length === 0) continue;
      if (prep === 'by' && verb.passive) {
        agents.push(...comps);
        continue;
      }
      if (prep === undefined) {
        if (sense.direct) (sense.role === 'copy' ? sources : targets).push(...comps);
        else if (
          (sense.role === 'read' || sense.role === 'write') &&
          comps.every((c) => STORE_KINDS.has(c.kind))
        ) {
          // "reads and writes orders-db": a store right after the verb is what it reads or writes.
          targets.push(...comps);
        }
        continue;
      }
      if (
        sense.role === 'serve' &&
        (prep === 'via' || prep === 'through' || prep === 'by' || prep === 'from')
      ) {
        servers.push(...comps);
        continue;
      }
      if (prep === 'via' || prep === 'through') {
        hops.push(...comps);
        continue;
      }
      if (sense.from?.includes(prep)) {
        sources.push(...comps);
        continue;
      }
      const ofContainer =
        prep === 'of' &&
        (sense.role === 'read' || sense.role === 'write') &&
        gap.some((g) =>
          /^(?:tables?|topics?|prefix(?:es)?|buckets?|collections?|index(?:es)?|schemas?|queues?|containers?|records)$/.test(
            g.lower,
          ),
        );
      if (sense.to.includes(prep) || (particle !== undefined && prep === particle) || ofContainer) {
        targets.push(...comps);
        continue;
      }
      if (
        sense.role === 'call' &&
        prep === 'from' &&
        comps.every((c) => c.kind === 'web-client' || c.kind === 'mobile-app')
      ) {
        targets.push(...comps);
      }
    }
    return { targets, sources, hops, agents, servers };
  }

  /** "X sits behind Y", "Y is in front of X", and people who use the clients they name. */
  private positional(): void {
    const t = this.tokens;
    for (let k = 0; k < t.length; k++) {
      const lower = (t[k] as Token).lower;
      const inFront = lower === 'front' && t[k - 1]?.lower === 'in' && t[k + 1]?.lower === 'of';
      if (lower !== 'behind' && !inFront) continue;
      const after = this.comps.find((m) => m.start > k + (inFront ? 1 : 0));
      const beforeList = this.comps.filter((m) => m.end <= (inFront ? k - 1 : k));
      const before = beforeList[beforeList.length - 1];
      if (!after || !before) continue;
      const back = this.materialise(inFront ? after : before);
      const front = this.materialise(inFront ? before : after);
      for (const b of back) {
        for (const f of front) {
          if (b === f) continue;
          const flow = this.ctx.draft.flow(f, b, this.ctx.origin);
          if (!b.fronts.includes(f)) b.fronts.push(f);
          this.relations.push({
            verb: k,
            verbEnd: k + 1,
            clause: this.clauseOf[k] ?? 0,
            sense: { role: 'front', to: [], direct: true },
            flows: [flow],
          });
        }
      }
    }
    // People use the clients and entry points they name: "Patients join visits from the web app".
    const subject = this.sentenceSubject();
    if (!subject) return;
    const people = subject.comps.filter((c) => c.isUser);
    if (people.length === 0 || this.relations.some((r) => r.flows.some((f) => people.includes(f.from))))
      return;
    for (const m of this.comps) {
      if (m.start <= subject.start || m.possessive || m.pronoun) continue;
      if (this.clauseOf[m.start] !== this.clauseOf[subject.start]) continue;
      const comps = this.materialise(m).filter((c) => !c.isUser);
      for (const c of comps) {
        if (
          c.kind !== 'web-client' &&
          c.kind !== 'mobile-app' &&
          c.kind !== 'service' &&
          c.kind !== 'gateway' &&
          c.kind !== 'cdn' &&
          c.kind !== 'load-balancer'
        )
          continue;
        const prev = t[m.start - 1]?.lower ?? '';
        if (prev === 'from' && c.kind !== 'web-client' && c.kind !== 'mobile-app') continue;
        for (const p of people) {
          const flow = this.ctx.draft.flow(p, c, this.ctx.origin);
          this.relations.push({
            verb: m.start,
            verbEnd: m.start,
            clause: this.clauseOf[m.start] ?? 0,
            sense: { role: 'call', to: [], direct: true },
            flows: [flow],
          });
        }
      }
    }
  }
}
