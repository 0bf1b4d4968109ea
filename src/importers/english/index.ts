/**
 * The English importer: plain-English architecture descriptions (prose, lists, headings, tables) to the
 * canonical model, offline and deterministic. The same text always gives the same model. What it could
 * not use is returned, sentence by sentence, never dropped silently.
 */
import { basename, extname } from 'node:path';
import type { ModelFile } from '../../model/schema.js';
import type { ComponentKind } from '../../model/vocabulary.js';
import { buildModel } from './build.js';
import type { Context } from './context.js';
import { Draft, type DraftComponent } from './draft.js';
import { collectDataAliases, Interpreter } from './interpret.js';
import { nameKey } from './names.js';
import { type Sentence, segment } from './segment.js';
import { tokenize } from './tokens.js';
import { ENGLISH_MARKERS, FOREIGN_MARKERS } from './words.js';

export interface EnglishDocument {
  /** The file name as the user gave it (used in `source.file`). */
  file: string;
  text: string;
}

export interface UnusedSentence {
  file: string;
  line: number;
  col: number;
  text: string;
}

export interface KnownComponent {
  id: string;
  kind: ComponentKind;
  name?: string;
}

export interface EnglishOptions {
  /** The model's name; default: the first level-1 heading, else the first file's name. */
  name?: string;
  /** Components defined in other inputs (YAML models): the text may refer to them by id or name. */
  known?: readonly KnownComponent[];
}

export interface EnglishImport {
  model: ModelFile;
  /** Sentences nothing could be read from, in document order. */
  unused: UnusedSentence[];
  /** `file: warning: ...` lines (another language, mostly code, ...). */
  warnings: string[];
  /** True when no component was found: the text describes no architecture. */
  empty: boolean;
}

export function importEnglish(docs: readonly EnglishDocument[], options: EnglishOptions = {}): EnglishImport {
  const draft = new Draft();
  const ctx: Context = {
    draft,
    origin: { file: docs[0]?.file ?? '(input)', line: 1, col: 1, text: '' },
    sentence: 0,
    recent: [],
    lastSubject: [],
    lastMentioned: [],
    hint: undefined,
    lastFlows: [],
    lastBoundary: new Map(),
    boundaryByKey: new Map(),
    quantified: [],
    dataAliases: new Map(),
    firstSentenceOfFile: true,
  };
  const externalIds = new Map<DraftComponent, string>();
  for (const k of options.known ?? []) {
    const c = draft.addComponent({ file: '(model)', line: 1, col: 1, text: k.id });
    c.external = true;
    c.addName(k.name ?? k.id, true);
    draft.index(c, nameKey(k.id));
    if (k.name) draft.index(c, nameKey(k.name));
    c.vote(k.kind, 100, 0);
    externalIds.set(c, k.id);
  }

  const warnings: string[] = [];
  const perFile: { file: string; sentences: Sentence[] }[] = [];
  for (const doc of docs) {
    const seg = segment(doc.file, doc.text);
    perFile.push({ file: doc.file, sentences: seg.sentences });
    if (seg.codeLines >= 5 && seg.codeLines > seg.proseLines) {
      warnings.push(
        `${doc.file}: warning: mostly code blocks (${seg.codeLines} lines of code, ${seg.proseLines} of prose); code is not read, only the prose around it`,
      );
    }
    const words = seg.sentences
      .flatMap((s) => tokenize(s.text).filter((t) => t.word && /\p{L}/u.test(t.text)))
      .slice(0, 20000);
    const english = words.filter((t) => ENGLISH_MARKERS.has(t.lower)).length;
    const foreign = words.filter((t) => FOREIGN_MARKERS.has(t.lower)).length;
    const latin = words.filter((t) => /^[\p{Script=Latin}\p{N}._:/@+#'-]+$/u.test(t.text)).length;
    const notEnglish =
      (words.length >= 12 && english / words.length < 0.06) ||
      (words.length >= 6 && foreign >= 3 && foreign > english) ||
      (words.length >= 6 && latin < words.length / 2);
    if (notEnglish) {
      warnings.push(
        `${doc.file}: warning: this does not read as English; ThreatKrew reads English descriptions, so the model below is partial (${words.length} words, ${english} common English ones)`,
      );
    }
  }

  const all = perFile.flatMap((p) => p.sentences);
  const defining = collectDataAliases(all, ctx.dataAliases);
  const interpreter = new Interpreter(ctx);
  const unused: UnusedSentence[] = [];
  for (const { sentences } of perFile) {
    ctx.lastSubject = [];
    ctx.lastMentioned = [];
    ctx.lastFlows = [];
    ctx.lastBoundary = new Map();
    for (const s of sentences) {
      const used = interpreter.read(s);
      if (!used && s.kind !== 'heading' && !defining.has(s)) {
        unused.push({ file: s.file, line: s.line, col: s.col, text: s.text });
      }
    }
  }

  const firstHeading = all.find((s) => s.kind === 'heading' && s.level === 1);
  const first = docs[0]?.file ?? 'model';
  const name =
    options.name ??
    firstHeading?.text.replace(/[*_`#]/g, '').trim() ??
    (first === '-' || first === '(stdin)' ? 'Imported model' : basename(first, extname(first)));
  const model = buildModel(draft, ctx, {
    name,
    quantifiedFlows: interpreter.quantifiedFlows.map((q) => ({
      who: q.who,
      to: q.to,
      sense: { actions: q.relation.sense.actions, purpose: q.relation.sense.purpose },
      origin: q.origin,
    })),
    externalIds,
  });
  const empty = (model.components ?? []).length === 0;
  return { model, unused, warnings, empty };
}
