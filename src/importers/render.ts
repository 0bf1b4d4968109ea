/**
 * An imported model written for people: YAML with the schema line for editors, a header, each
 * element's source sentence as a comment above it, and the sentences that could not be used in a
 * closing comment block. JSON output is the plain model (JSON has no comments).
 */
import type { YAMLMap } from 'yaml';
import { MODEL_LISTS, type ModelFile, type Source } from '../model/schema.js';
import { yamlLib } from '../model/yaml-lib.js';

export interface UnusedText {
  file: string;
  line: number;
  col: number;
  text: string;
}

export interface RenderOptions {
  /** The `$schema` reference for the yaml-language-server line (a path relative to the output, or a URL). */
  schemaRef: string;
  /** The input files, as the user named them. */
  inputs: readonly string[];
  /** The importer, for the header ("plain English"). */
  from: string;
  unused: readonly UnusedText[];
  /** Whether an LLM refined the model (the header says so). */
  llm?: boolean;
}

const MAX_QUOTE = 160;

/** Text quoted in a comment: one line, at most MAX_QUOTE characters. */
export function quote(text: string, max = MAX_QUOTE): string {
  let one = '';
  for (const ch of text) {
    const c = ch.codePointAt(0) ?? 0;
    one += c < 0x20 || c === 0x7f || c === 0x2028 || c === 0x2029 ? ' ' : ch;
  }
  one = one.replace(/ {2,}/g, ' ');
  return one.length > max ? `${one.slice(0, max - 3)}...` : one;
}

function where(s: Source | UnusedText): string {
  return `${s.file}:${s.line}:${s.col}`;
}

export function renderModelYaml(model: ModelFile, options: RenderOptions): string {
  const { Document, isMap, isSeq } = yamlLib();
  const doc = new Document(model, { version: '1.2' });
  const counts = [
    `${model.components?.length ?? 0} components`,
    `${model.flows?.length ?? 0} flows`,
    `${model.boundaries?.length ?? 0} boundaries`,
    `${model.questions?.length ?? 0} open questions`,
  ].join(', ');
  doc.commentBefore = [
    ` yaml-language-server: $schema=${options.schemaRef}`,
    ` Imported from ${options.from} by \`threatkrew import\` (${options.inputs.join(', ')}): ${counts}.`,
    ...(options.llm
      ? [' Refined by an LLM: what it added is marked in `source` (origin: llm, or llm: [fields]).']
      : []),
    ' Each element shows the sentence it was read from. Facts the text did not state are `questions`:',
    ' state them here (or in the text) and run `threatkrew analyze` again.',
  ].join('\n');
  const contents = doc.contents;
  if (isMap(contents)) {
    for (const list of MODEL_LISTS) {
      const seq = contents.get(list, true);
      if (!isSeq(seq)) continue;
      for (const item of seq.items) {
        if (!isMap(item)) continue;
        const map = item as YAMLMap;
        const src = map.get('source', true);
        if (isMap(src)) src.flow = true;
        const s = (map.toJSON() as { source?: Source }).source;
        if (s) {
          const by =
            s.origin === 'llm' ? ' (added by an LLM)' : s.llm ? ` (an LLM added: ${s.llm.join(', ')})` : '';
          map.commentBefore = ` ${where(s)}${by}: ${quote(s.text ?? '')}`;
        }
      }
    }
  }
  if (options.unused.length > 0) {
    doc.comment = [
      '',
      ` Sentences ThreatKrew could not use (${options.unused.length}); say them another way or model them by hand:`,
      ...options.unused.map((u) => `   ${where(u)}: ${quote(u.text)}`),
    ].join('\n');
  }
  return doc.toString({ lineWidth: 0, indentSeq: true, flowCollectionPadding: true });
}

export function renderModelJson(model: ModelFile): string {
  return `${JSON.stringify(model, null, 2)}\n`;
}
