/**
 * Reading sentence by sentence: mentions, then relations, then facts, with the context that carries
 * pronouns, section subjects and recent boundaries from one sentence to the next.
 */
import type { Classification } from '../../model/vocabulary.js';
import { type Context, touch } from './context.js';
import { CLASSIFICATION_WORDS, DATA_KINDS } from './data-kinds.js';
import type { DraftBoundary, DraftComponent, DraftFlow, Origin } from './draft.js';
import {
  FACT_RULES,
  type FactSite,
  IDENTITY_PATTERN,
  identityKey,
  identityKindOf,
  isIdentityName,
} from './facts.js';
import { KIND_INDEX, TECH_INDEX } from './indexes.js';
import {
  boundaryDepth,
  type ComponentMention,
  type IdentityMention,
  type Mention,
  MentionFinder,
  WEIGHT,
} from './mentions.js';
import { isIdLike, nameKey } from './names.js';
import { clauses, type Relation, RelationFinder } from './relations.js';
import type { Sentence } from './segment.js';
import { rowSentences } from './tables.js';
import { type Token, tokenize } from './tokens.js';

/** Longest sentence read as one piece; longer ones are read in windows (a 1 MB line stays linear). */
const MAX_TOKENS = 160;

const asciiLower = (s: string) => s.replace(/[A-Z]/g, (c) => c.toLowerCase());

export interface SentenceResult {
  used: boolean;
  subject: DraftComponent[];
  mentioned: DraftComponent[];
  flows: DraftFlow[];
}

/** Definitions of data found before reading ("visit notes are PHI", "the order history includes addresses"). */
export function collectDataAliases(
  sentences: readonly Sentence[],
  aliases: Map<string, Classification>,
): Set<Sentence> {
  const defining = new Set<Sentence>();
  const definition =
    /^(?:the |our |all |any |these |those )?([a-z][\w -]{2,40}?) (?:is|are|counts? as|qualif(?:y|ies) as|contains?|includes?|(?:is|are) considered)\b(.*)$/i;
  for (let i = 0; i < sentences.length; i++) {
    const s = sentences[i] as Sentence;
    if (s.kind === 'heading') continue;
    const text = s.text.replace(/[*_`]/g, '');
    const m = definition.exec(text);
    const prev = sentences[i - 1];
    let phrase: string | undefined;
    let rest = '';
    if (m) {
      phrase = (m[1] as string)
        .split(/ (?:in|of|from|on|for|at) /)[0]
        ?.replace(/^(?:(?:oh|and|so|also|well|btw|ok|okay|but|yes|note|the|our|all)\s+)+/i, '')
        .trim();
      // The definition itself: up to the end of its clause; after "is/are" the data phrase comes first.
      rest = ((m[2] as string).split(/[;:.]| but | so | because | and (?:is|are) /)[0] ?? '').trim();
      const verb =
        /\b(is|are|counts? as|count as|qualif(?:y|ies) as|contains?|includes?|(?:is|are) considered)\b/i
          .exec(text.slice((m[1] as string).length))?.[1]
          ?.toLowerCase() ?? '';
      if (/^(?:is|are)$/.test(verb)) {
        const lead =
          /^(?:(?:also|all|considered|classed as|classified as|treated as|regarded as|a|an|the|sensitive|highly|personal|regulated|customer|patient|user|protected)\s+){0,3}/i.exec(
            rest,
          )?.[0] ?? '';
        rest = rest.slice(lead.length).split(/\s+/).slice(0, 4).join(' ');
      }
    }
    const pronoun = /^(?:yes,? )?(?:they|it|these|those|this|that)(?:'s| (?:are|is))\b(.*)$/i.exec(text);
    if (pronoun && prev?.question) {
      const q =
        /\b(?:are|is) (?:the |our )?([a-z][\w -]{2,40}?) (?:sensitive|pii|phi|personal|confidential|classified|regulated)/i.exec(
          prev.text,
        );
      if (q) {
        phrase = q[1];
        rest = pronoun[1] as string;
      }
    }
    if (!phrase || !rest) continue;
    const lower = phrase.toLowerCase();
    if (/^(?:it|this|that|they|there|which|who|what|everything|all)$/.test(lower)) continue;
    const toks = tokenize(phrase);
    if (toks.some((t, k) => isIdLike(t.text) || TECH_INDEX.match(toks, k) || KIND_INDEX.match(toks, k)))
      continue;
    let classification: Classification | undefined;
    for (const kind of DATA_KINDS) {
      if (kind.pattern.test(rest)) {
        classification = kind.classification;
        break;
      }
    }
    if (!classification) {
      for (const [word, c] of CLASSIFICATION_WORDS) {
        if (new RegExp(`\\b${word}\\b`, 'i').test(rest)) {
          classification = c;
          break;
        }
      }
    }
    if (!classification || classification === 'internal' || classification === 'public') continue;
    if (lower.split(' ').length > 4) continue;
    aliases.set(lower, classification);
    defining.add(s);
    if (pronoun && prev) defining.add(s);
  }
  return defining;
}

export class Interpreter {
  private readonly blockSubject = new Map<number, DraftComponent[]>();
  private headingSubject: DraftComponent[] | undefined;
  private headingLevel = 0;
  readonly quantifiedFlows: {
    who: 'services' | 'everything';
    to: DraftComponent[];
    relation: Relation;
    origin: Origin;
  }[] = [];
  readonly controlPlanes = new Map<DraftBoundary, DraftComponent>();

  constructor(private readonly ctx: Context) {}

  /** Reads one sentence (or table row); returns whether anything in it was used. */
  read(s: Sentence): boolean {
    const ctx = this.ctx;
    ctx.origin = { file: s.file, line: s.line, col: s.col, text: s.text };
    if (s.kind === 'heading') return this.heading(s);
    if (s.heading === undefined && s.level === 0) this.headingSubject = undefined;
    ctx.hint = this.hintFor(s);
    if (s.kind === 'row' && s.row) {
      const sentences = rowSentences(s.row.header, s.row.cells);
      let used = false;
      let rowSubject: DraftComponent[] | undefined;
      for (const text of sentences) {
        ctx.sentence++;
        const r = this.readText(text);
        if (!rowSubject && r.subject.length > 0) rowSubject = r.subject;
        if (rowSubject) ctx.hint = rowSubject;
        used = used || r.used;
      }
      if (rowSubject) this.blockSubject.set(s.block, rowSubject);
      return used;
    }
    ctx.sentence++;
    if (s.question) {
      // A question is not a statement; its topic is what the answer's "it" refers to.
      const tokens = tokenize(s.text);
      const mentions = new MentionFinder(ctx, tokens, s.text).find();
      const topic = mentions.find(
        (m): m is ComponentMention =>
          m.type === 'component' && m.comps.length > 0 && !m.comps.some((c) => c.isUser),
      );
      if (topic) ctx.lastSubject = topic.comps;
      return false;
    }
    const r = this.readText(s.text);
    if (!this.blockSubject.has(s.block) && r.subject.length > 0) this.blockSubject.set(s.block, r.subject);
    return r.used;
  }

  private hintFor(s: Sentence): DraftComponent[] | undefined {
    const own = this.blockSubject.get(s.block);
    if (own) return own;
    if (s.parentBlock !== undefined) {
      const parent = this.blockSubject.get(s.parentBlock);
      if (parent) return parent;
    }
    return this.headingSubject;
  }

  private heading(s: Sentence): boolean {
    const ctx = this.ctx;
    ctx.sentence++;
    ctx.hint = undefined;
    const tokens = tokenize(s.text);
    // A document title ("# Photo contest backend") names the model, not a component.
    if (s.level === 1 && !tokens.some((t) => t.code || t.strong || isIdLike(t.text))) {
      this.headingSubject = undefined;
      this.headingLevel = 1;
      return false;
    }
    const finder = new MentionFinder(ctx, tokens, s.text);
    const mentions = finder.find();
    const comps = mentions.filter((m): m is ComponentMention => m.type === 'component' && m.comps.length > 0);
    const hasVerb = tokens.some((t) => t.word && !t.cap && /^(?:is|are|calls|uses|runs)$/.test(t.lower));
    if (comps.length === 1 && !hasVerb) {
      this.headingSubject = (comps[0] as ComponentMention).comps;
      this.headingLevel = s.level;
      ctx.lastSubject = this.headingSubject;
      return true;
    }
    if (!this.headingSubject || s.level <= this.headingLevel) {
      this.headingSubject = undefined;
      this.headingLevel = s.level;
    }
    for (const m of mentions) if (m.type === 'boundary') return true;
    return false;
  }

  /** Reads a sentence's text; long ones in windows. */
  private readText(text: string): SentenceResult {
    const all = tokenize(text);
    if (all.length <= MAX_TOKENS) return this.readTokens(text, all);
    let used = false;
    let subject: DraftComponent[] = [];
    const mentioned: DraftComponent[] = [];
    const flows: DraftFlow[] = [];
    for (let a = 0; a < all.length; ) {
      let b = Math.min(all.length, a + MAX_TOKENS);
      if (b < all.length) {
        for (let k = b - 1; k > a + MAX_TOKENS / 2; k--) {
          if (!(all[k] as Token).word) {
            b = k + 1;
            break;
          }
        }
      }
      const start = (all[a] as Token).start;
      const piece = text.slice(start, (all[b - 1] as Token).end);
      const r = this.readTokens(piece, tokenize(piece));
      used = used || r.used;
      if (subject.length === 0) subject = r.subject;
      mentioned.push(...r.mentioned);
      flows.push(...r.flows);
      a = b;
    }
    return { used, subject, mentioned, flows };
  }

  private readTokens(text: string, tokens: Token[]): SentenceResult {
    const ctx = this.ctx;
    const lower = asciiLower(text);
    const identities = this.findIdentities(text, tokens);
    const finder = new MentionFinder(ctx, tokens, text);
    for (const im of identities) for (let k = im.start; k < im.end; k++) finder.used[k] = true;
    const found = finder.find();
    this.clusterControlPlanes(tokens, found);
    const mentions: Mention[] = [...found, ...identities].sort((a, b) => a.start - b.start);
    const clauseOf = clauses(tokens);
    const usedTok = finder.used;
    const compMentions = mentions.filter((m): m is ComponentMention => m.type === 'component');
    const materialise = (m: ComponentMention): DraftComponent[] => finder.materialise(m);
    const isObject = (m: ComponentMention) => {
      let k = m.start - 1;
      while (k >= 0 && !(tokens[k] as Token).word && (tokens[k] as Token).text !== ',') k--;
      const p = tokens[k]?.lower ?? '';
      return [
        'to',
        'from',
        'in',
        'into',
        'on',
        'onto',
        'at',
        'with',
        'over',
        'through',
        'via',
        'of',
        'for',
        'against',
        'using',
        'behind',
        'by',
        'inside',
        'within',
        'than',
        'between',
      ].includes(p);
    };
    // "Its Oracle database, claims-oracle, ...": a possessive before the thing it owns is not the subject.
    const ownsNext = (m: ComponentMention) => m.possessive && compMentions.some((x) => x.start === m.end);
    const sentenceSubject = () =>
      compMentions.find(
        (m) =>
          !isObject(m) && !ownsNext(m) && (m.comps.length > 0 || m.pending !== undefined) && !m.quantifier,
      );
    const relations = new RelationFinder(
      ctx,
      tokens,
      mentions,
      clauseOf,
      (i) => usedTok[i] === true,
      materialise,
      sentenceSubject,
      finder.predicates,
    ).find();
    for (const r of relations) {
      if (r.quantified) {
        this.quantifiedFlows.push({
          who: r.quantified.who,
          to: r.quantified.to,
          relation: r,
          origin: ctx.origin,
        });
      }
    }

    const tokenAt = (offset: number) => {
      let best = tokens.length - 1;
      for (let k = 0; k < tokens.length; k++) {
        if ((tokens[k] as Token).end > offset) {
          best = k;
          break;
        }
      }
      return Math.max(0, best);
    };
    const clauseAt = (offset: number) => clauseOf[tokenAt(offset)] ?? 0;
    const relationAt = (offset: number): Relation | undefined => {
      const k = tokenAt(offset);
      const c = clauseOf[k] ?? 0;
      const inClause = relations.filter((r) => r.clause === c).sort((a, b) => a.verb - b.verb);
      const withFlows = inClause.filter((r) => r.flows.length > 0);
      const left = withFlows.filter((r) => r.verb <= k);
      if (left.length > 0) return left[left.length - 1];
      const right = withFlows.filter((r) => r.verb > k);
      if (right.length > 0) return right[0];
      return inClause[0];
    };
    const flowRef =
      /\b(?:the|this|that|these|its) (?:connection|link|replication|traffic|flow|channel|calls?|requests?|stream|sync|export|transfer|peering)\b|^(?:the )?replication\b|\btraffic between\b/;
    const flowsAt = (offset: number): DraftFlow[] => {
      const rel = relationAt(offset);
      if (rel && rel.flows.length > 0) {
        const main = rel.flows.filter((f) => !rel.sourceFlows?.includes(f));
        return main.length > 0 ? main : rel.flows;
      }
      const clauseText = lower;
      if (flowRef.test(clauseText)) {
        if (/replication/.test(clauseText)) {
          const rep = [...ctx.draft.flows].reverse().find((f) => f.purpose === 'replication');
          if (rep) return [rep];
        }
        const between = /between/.test(clauseText) ? compMentions.flatMap((m) => m.comps) : [];
        if (between.length === 2) {
          const [a, b] = between as [DraftComponent, DraftComponent];
          const f = ctx.draft.findFlow(a, b) ?? ctx.draft.findFlow(b, a);
          if (f) return [f];
        }
        const inClause = compMentions.filter(
          (m) => clauseOf[m.start] === clauseAt(offset) && m.comps.length > 0,
        );
        if (inClause.length === 0 || /^(?:the )?replication\b/.test(clauseText)) return ctx.lastFlows;
      }
      return [];
    };
    const subjectAt = (offset: number): DraftComponent[] => {
      const k = tokenAt(offset);
      const c = clauseOf[k] ?? 0;
      // A relative clause is about its antecedent.
      const clauseStart = clauseOf.indexOf(c);
      const first = tokens[clauseStart];
      if (first && (first.lower === 'which' || first.lower === 'who') && clauseStart > 0) {
        let q = clauseStart - 1;
        if (tokens[q]?.text === ',') q--;
        const ante = [...compMentions].reverse().find((m) => m.end - 1 <= q && m.comps.length > 0);
        if (ante) return ante.comps;
      }
      const inClause = compMentions.filter(
        (m) => clauseOf[m.start] === c && !isObject(m) && !ownsNext(m) && m.comps.length > 0,
      );
      const subj = inClause.find((m) => m.start <= k) ?? inClause[0];
      if (subj) return subj.comps;
      if (c > 0 || tokens.slice(0, k).some((t) => t.word)) {
        const s = sentenceSubject();
        if (s && s.comps.length > 0 && (clauseOf[s.start] ?? 0) <= c) return s.comps;
      }
      return ctx.hint ?? (compMentions.length === 0 ? ctx.lastSubject : []);
    };
    const ownerAt = (offset: number): DraftComponent[] => {
      const poss = compMentions.filter((m) => m.possessive && m.comps.length > 0);
      if (poss.length > 0) {
        const k = tokenAt(offset);
        const before = poss.filter((m) => m.start <= k);
        return (before[before.length - 1] ?? (poss[0] as ComponentMention)).comps;
      }
      const ofMention = compMentions.find((m) => tokens[m.start - 1]?.lower === 'of' && m.comps.length > 0);
      const subj = subjectAt(offset);
      if (subj.length > 0) return subj;
      if (ofMention) return ofMention.comps;
      const any = compMentions.find((m) => m.comps.length > 0 && !m.quantifier);
      return any ? any.comps : [];
    };
    const componentsAfter = (offset: number, within = 8): DraftComponent[] => {
      const k = tokenAt(offset);
      const m = compMentions.find((x) => x.start >= k && x.start <= k + within && !x.quantifier);
      return m ? materialise(m) : [];
    };
    const dataAt = (offset: number) => {
      const c = clauseAt(offset);
      return mentions
        .filter((m) => m.type === 'data' && clauseOf[m.start] === c)
        .map((m) => (m as { data: import('./draft.js').DraftData }).data);
    };
    const identityNamed = () => identities[0]?.identity;
    const relationBefore = (offset: number): Relation | undefined => {
      const k = tokenAt(offset);
      const before = relations
        .filter((r) => r.verb < k && r.flows.length > 0)
        .sort((a, b) => a.verb - b.verb);
      return before[before.length - 1];
    };
    let factUsed = false;
    const site: FactSite = {
      ctx,
      lower,
      flowsAt,
      relationAt,
      relationBefore,
      subjectAt,
      ownerAt,
      componentsAfter,
      dataAt,
      identityNamed,
      used: () => {
        factUsed = true;
      },
    };
    const consumed: [number, number][] = [];
    for (const rule of FACT_RULES) {
      const re = new RegExp(rule.pattern.source, 'g');
      for (let m = re.exec(lower); m !== null; m = re.exec(lower)) {
        if (m[0].length === 0) {
          re.lastIndex++;
          continue;
        }
        const at = m.index;
        // Trust statements mention validation and authentication; those words are theirs.
        if (
          consumed.some(([a, b]) => at >= a && at < b) &&
          !rule.name.startsWith('assumes') &&
          rule.name !== 'trusts the network'
        )
          continue;
        if (rule.apply(site, m)) {
          factUsed = true;
          if (rule.name.startsWith('assumes') || rule.name === 'trusts the network')
            consumed.push([at, at + m[0].length]);
        }
      }
    }
    this.applyData(mentions, relations, clauseOf, subjectAt, tokens, lower);
    this.applyPlacement(
      tokens,
      mentions,
      relations,
      clauseOf,
      materialise,
      isObject,
      sentenceSubject,
      finder.predicates,
    );
    this.applyIdentities(identities, sentenceSubject, materialise, tokens);

    const subjectMention = sentenceSubject();
    const subject = subjectMention
      ? subjectMention.comps
      : ctx.hint && relations.some((r) => r.flows.length > 0)
        ? ctx.hint
        : [];
    const mentioned = [...new Set(compMentions.flatMap((m) => m.comps))];
    const flows = [...new Set(relations.flatMap((r) => r.flows))];
    if (subject.length > 0) ctx.lastSubject = subject;
    if (mentioned.length > 0) ctx.lastMentioned = mentioned;
    if (flows.length > 0) ctx.lastFlows = flows;
    const used =
      factUsed || flows.length > 0 || mentions.some((m) => m.type !== 'component' || m.comps.length > 0);
    return { used, subject, mentioned, flows };
  }

  /** Data in a sentence: carried by the flows of its clause, or held by the clause's subject. */
  private applyData(
    mentions: readonly Mention[],
    relations: readonly Relation[],
    clauseOf: readonly number[],
    subjectAt: (offset: number) => DraftComponent[],
    tokens: readonly Token[],
    lower: string,
  ): void {
    for (const m of mentions) {
      if (m.type !== 'data') continue;
      const c = clauseOf[m.start] ?? 0;
      const inClause = relations.filter((r) => r.clause === c && r.flows.length > 0);
      const left = inClause.filter((r) => r.verb <= m.start);
      const rel = left[left.length - 1] ?? inClause[0];
      if (rel) {
        for (const f of rel.flows) f.data.add(m.data);
        continue;
      }
      // "X stores/holds/contains <data>": the holding verb comes before the data, in the same clause.
      const before = tokens
        .slice(0, m.start)
        .filter((_, i) => (clauseOf[i] ?? 0) === c)
        .map((t) => t.lower);
      const holding = before.some((w) =>
        /^(?:stores?|holds?|contains?|keeps?|includes?|include|has|have|caches?|processes|saves?|with)$/.test(
          w,
        ),
      );
      if (!holding) continue;
      // The holder is named in the clause (or is the antecedent of "which"), not guessed from context.
      const named = mentions.some(
        (x) =>
          x.type === 'component' && x.comps.length > 0 && x.start < m.start && (clauseOf[x.start] ?? 0) === c,
      );
      const relative =
        tokens.findIndex((t, i) => (clauseOf[i] ?? 0) === c && (t.lower === 'which' || t.lower === 'who')) >=
        0;
      if (!named && !relative) continue;
      if (
        /environment variable|config file|hard-?coded|source code|secrets manager|vault|container image/.test(
          lower,
        )
      )
        continue;
      const subj = subjectAt((tokens[m.start] as Token).start).filter((x) => !x.isUser);
      for (const s of subj) s.stores.add(m.data);
    }
  }

  /** "X runs in the prod VPC", "a replica in us-east-1", "both run in the same VPC", "cluster in VPC in region". */
  private applyPlacement(
    tokens: readonly Token[],
    mentions: readonly Mention[],
    relations: readonly Relation[],
    clauseOf: readonly number[],
    materialise: (m: ComponentMention) => DraftComponent[],
    isObject: (m: ComponentMention) => boolean,
    sentenceSubject: () => ComponentMention | undefined,
    predicates: readonly { start: number; end: number; comp: DraftComponent }[],
  ): void {
    const ctx = this.ctx;
    const boundaries = mentions.filter(
      (m): m is Extract<Mention, { type: 'boundary' }> => m.type === 'boundary',
    );
    const comps = mentions.filter((m): m is ComponentMention => m.type === 'component');
    const PLACE = new Set(['in', 'on', 'inside', 'within', 'into', 'onto', 'across', '(']);
    let previous: Extract<Mention, { type: 'boundary' }> | undefined;
    for (const b of boundaries) {
      const boundary = b.boundary;
      // Nest a boundary without a parent in the most recent broader one of the same file.
      if (!boundary.parent && boundary.kind !== 'internet') {
        const parentKind = (
          {
            namespace: ['cluster'],
            cluster: ['subnet', 'network', 'region', 'cloud-account'],
            subnet: ['network'],
            network: ['region', 'cloud-account', 'on-prem'],
            region: ['cloud-account'],
            host: ['subnet', 'network', 'on-prem', 'region'],
          } as Record<string, string[]>
        )[boundary.kind];
        for (const k of parentKind ?? []) {
          const p = ctx.lastBoundary.get(k);
          if (p && p !== boundary && p.origin.file === boundary.origin.file && !isAncestor(boundary, p)) {
            boundary.parent = p;
            break;
          }
        }
      }
      let k = b.start - 1;
      while (
        k >= 0 &&
        ['the', 'our', 'a', 'an', 'same', 'one', 'single', 'its', 'their'].includes(
          (tokens[k] as Token).lower,
        )
      )
        k--;
      const prep = tokens[k]?.lower ?? '';
      if (!PLACE.has(prep) && !(prep === 'as' && tokens[k - 1]?.lower === 'same')) {
        // "..., plain http, same box": the ends of the sentence's calls share the boundary.
        if (tokens[b.start - 1]?.lower === 'same' || tokens[b.start]?.lower === 'same') {
          const ends = relations
            .flatMap((r) => r.flows.flatMap((f) => [f.from, f.to]))
            .filter((c) => !c.isUser);
          for (const c of new Set(ends)) c.placements.push({ boundary, order: ctx.sentence });
        }
        previous = b;
        continue;
      }
      // "cluster in VPC": the earlier boundary sits in this one.
      if (
        previous &&
        previous.end === k &&
        boundaryDepth(previous.boundary.kind) > boundaryDepth(boundary.kind) &&
        !isAncestor(boundary, previous.boundary)
      ) {
        previous.boundary.parent = boundary;
        previous = b;
        continue;
      }
      previous = b;
      let targets: DraftComponent[] = [];
      let quantified: 'services' | 'everything' | undefined;
      const justBefore = comps.find((m) => m.end === k && !m.quantifier);
      const described = predicates.find((x) => x.end === k);
      const predicateBefore = described !== undefined || this.predicateEnd(tokens, k);
      const clause = clauseOf[b.start] ?? 0;
      const rels = relations.filter((r) => r.clause === clause && r.flows.length > 0 && r.verb < b.start);
      if (justBefore && (justBefore.comps.length > 0 || justBefore.pending))
        targets = materialise(justBefore);
      else if (described) targets = [described.comp];
      else if (rels.length > 0 && !predicateBefore) {
        targets = [...new Set(rels.flatMap((r) => r.flows.flatMap((f) => [f.from, f.to])))].filter(
          (c) => !c.isUser,
        );
      } else {
        const inClause = comps.filter(
          (m) => (clauseOf[m.start] ?? 0) === clause && m.start < b.start && !isObject(m),
        );
        const q = inClause.find((m) => m.quantifier);
        if (q && !inClause.some((m) => m.comps.length > 0 && m.start > q.start)) quantified = q.quantifier;
        const group = inClause.filter((m) => !m.quantifier);
        if (group.length > 0) targets = group.flatMap(materialise);
        else if (!quantified) {
          const s = sentenceSubject();
          if (s && s.start < b.start) targets = materialise(s);
          else if (ctx.hint) targets = ctx.hint;
          else if (
            comps.length === 0 &&
            ctx.lastSubject.length > 0 &&
            /^(?:it|they|both)\b/i.test(ctx.origin.text)
          )
            targets = ctx.lastSubject;
        }
      }
      // "in the same VPC as the Payout service"
      if (prep !== 'as') {
        const asIdx = tokens.findIndex((t, i) => i >= b.end && i <= b.end + 1 && t.lower === 'as');
        if (asIdx >= 0) {
          const other = comps.find((m) => m.start > asIdx && m.start <= asIdx + 3);
          if (other) targets = [...targets, ...materialise(other)];
        }
      }
      if (quantified) ctx.quantified.push({ who: quantified, boundary, file: ctx.origin.file });
      for (const c of targets) {
        if (c.isUser) continue;
        c.placements.push({ boundary, order: ctx.sentence });
      }
    }
  }

  private predicateEnd(tokens: readonly Token[], k: number): boolean {
    const t = tokens[k];
    if (!t) return false;
    for (let i = k; i >= 0 && i > k - 6; i--) {
      const w = (tokens[i] as Token).lower;
      if (w === 'a' || w === 'an')
        return (
          (tokens[i - 1]?.lower ?? '') === 'is' ||
          (tokens[i - 1]?.text ?? '') === ',' ||
          tokens[i - 1]?.lower === 'are'
        );
    }
    return false;
  }

  /** Named identities: "runs as the IAM role reporting-role", "deploy-bot has ...". */
  private findIdentities(text: string, tokens: readonly Token[]): IdentityMention[] {
    const ctx = this.ctx;
    const out: IdentityMention[] = [];
    const re = new RegExp(IDENTITY_PATTERN.source, 'gi');
    for (let m = re.exec(text); m !== null; m = re.exec(text)) {
      const raw = (m[1] ?? m[2] ?? m[3] ?? m[4] ?? m[5] ?? '').replace(/[`'"]/g, '');
      if (!isIdentityName(raw)) continue;
      const start = m.index + m[0].lastIndexOf(raw);
      const k = tokens.findIndex((t) => t.start <= start && t.end > start);
      if (k < 0) continue;
      const i = ctx.draft.identity(identityKey(raw), raw, raw, ctx.origin);
      const kind = identityKindOf(m[0].toLowerCase());
      if (kind && !i.kind) i.kind = kind;
      out.push({ type: 'identity', start: k, end: k + 1, identity: i });
    }
    for (let k = 0; k < tokens.length; k++) {
      const t = tokens[k] as Token;
      if (out.some((o) => o.start === k)) continue;
      const known = ctx.draft.identities.find((i) => i.givenId === t.text);
      if (
        known ||
        (isIdLike(t.text) && /(?:-role|-identity|-sa|-bot|-principal|-service-account)$/.test(t.lower))
      ) {
        const i = known ?? ctx.draft.identity(identityKey(t.text), t.text, t.text, ctx.origin);
        out.push({ type: 'identity', start: k, end: k + 1, identity: i });
      }
    }
    return out.sort((a, b) => a.start - b.start);
  }

  private applyIdentities(
    identities: readonly IdentityMention[],
    sentenceSubject: () => ComponentMention | undefined,
    materialise: (m: ComponentMention) => DraftComponent[],
    tokens: readonly Token[],
  ): void {
    if (identities.length === 0) return;
    const s = sentenceSubject();
    if (!s) return;
    const first = identities[0] as IdentityMention;
    if (first.start < s.start) return;
    const between = tokens
      .slice(s.end, first.start)
      .map((t) => t.lower)
      .join(' ');
    if (
      !/\b(?:runs?|executes?|acts?|operates?|uses?|assumes?|with|as|keys? of|credentials of|authenticates)\b/.test(
        between,
      )
    )
      return;
    for (const c of materialise(s)) {
      if (c.isUser) continue;
      c.runsAs ??= first.identity;
    }
  }

  /** A cluster named as a caller or a deployment target is its control plane ("deploys to the EKS cluster"). */
  private clusterControlPlanes(tokens: readonly Token[], mentions: Mention[]): void {
    for (let i = 0; i < mentions.length; i++) {
      const m = mentions[i] as Mention;
      if (m.type !== 'boundary' || m.boundary.kind !== 'cluster') continue;
      const before = tokens.slice(Math.max(0, m.start - 3), m.start).map((t) => t.lower);
      const after = tokens[m.end]?.lower ?? '';
      const deployTarget =
        before.some((w) => /^deploy/.test(w) || w === 'manage' || w === 'manages') &&
        before.some((w) => w === 'to' || w === 'into' || w === 'on');
      const asCaller = /^(?:pulls?|calls?|reads?|fetches|talks|connects|sends|writes)$/.test(after);
      if (!deployTarget && !asCaller) continue;
      const plane = this.controlPlane(m.boundary);
      mentions[i] = {
        type: 'component',
        start: m.start,
        end: m.end,
        comps: [plane],
        pronoun: false,
        possessive: false,
      };
    }
  }

  controlPlane(cluster: DraftBoundary): DraftComponent {
    const ctx = this.ctx;
    let plane = this.controlPlanes.get(cluster);
    if (plane) return plane;
    const term = /\b(EKS|AKS|GKE|OpenShift|Kubernetes|K8s)\b/i.exec(cluster.name)?.[1];
    const name = `${term ?? cluster.name} control plane`;
    plane = ctx.draft.component(nameKey(name));
    if (!plane) {
      plane = ctx.draft.addComponent(ctx.origin);
      ctx.draft.index(plane, nameKey(name));
      plane.addName(name, false);
    }
    plane.vote('container-platform', WEIGHT.tech, plane.no);
    plane.tech ??= cluster.provider
      ? `${cluster.provider}-${(term ?? 'kubernetes').toLowerCase()}`
      : 'kubernetes';
    plane.techWeight = Math.max(plane.techWeight, 6);
    const env = (cluster as DraftBoundary & { environment?: string }).environment;
    if (env) plane.environment ??= env;
    this.controlPlanes.set(cluster, plane);
    touch(ctx, plane);
    return plane;
  }
}

function isAncestor(candidate: DraftBoundary, of: DraftBoundary): boolean {
  for (let b: DraftBoundary | undefined = of; b; b = b.parent) if (b === candidate) return true;
  return false;
}
