/** The importers, registered explicitly: each turns some input into the canonical model (DESIGN §1). */
import type { ModelFile } from '../model/schema.js';
import { importEnglish } from './english/index.js';
import type { UnusedText } from './render.js';

export interface ImportInput {
  file: string;
  text: string;
}

export interface ImportOutput {
  model: ModelFile;
  /** Input the importer could not use, located (never dropped silently). */
  unused: UnusedText[];
  /** `file: warning: ...` lines. */
  warnings: string[];
  /** Nothing importable was found. */
  empty: boolean;
}

export interface Importer {
  /** The `--from` value. */
  name: string;
  /** File extensions read by this importer without `--from`. */
  extensions: readonly string[];
  /** The `source.origin` it writes. */
  origin: string;
  run: (inputs: readonly ImportInput[]) => ImportOutput;
}

export const IMPORTERS: Readonly<Record<string, Importer>> = {
  english: {
    name: 'english',
    extensions: ['.md', '.txt'],
    origin: 'english',
    run: (inputs) => importEnglish(inputs),
  },
};
