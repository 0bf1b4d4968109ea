/**
 * Turns the runtime schema's issues into messages for people: one per mistake, at the place to edit,
 * with a did-you-mean for unknown keys and enumeration values and "quote it" for scalars that must be
 * text. A misspelled key is one mistake: the "missing key" it causes is not reported again.
 */
import type { z } from 'zod';
import { type Diagnostic, didYouMean, hint, shown } from './diagnostics.js';
import {
  assumptionSchema,
  boundarySchema,
  componentSchema,
  dataSchema,
  flowSchema,
  grantSchema,
  identitySchema,
  modelFileSchema,
  questionSchema,
  riskSchema,
  risksFileSchema,
  sourceSchema,
} from './schema.js';
import type { Path, SourceFile } from './source-file.js';

type Issue = z.core.$ZodIssue;

const LIST_ITEM_SHAPES: Record<string, { shape: Record<string, unknown>; noun: string }> = {
  boundaries: { shape: boundarySchema.shape, noun: 'boundary' },
  components: { shape: componentSchema.shape, noun: 'component' },
  identities: { shape: identitySchema.shape, noun: 'identity' },
  data: { shape: dataSchema.shape, noun: 'data asset' },
  flows: { shape: flowSchema.shape, noun: 'flow' },
  assumptions: { shape: assumptionSchema.shape, noun: 'assumption' },
  questions: { shape: questionSchema.shape, noun: 'question' },
  risks: { shape: riskSchema.shape, noun: 'risk decision' },
};

/** The object schema at a path, to list the keys allowed there. */
function objectAt(path: Path, top: 'model' | 'risks'): { keys: string[]; noun: string } | undefined {
  if (path.length === 0) {
    return {
      keys: Object.keys(top === 'model' ? modelFileSchema.shape : risksFileSchema.shape),
      noun: top === 'model' ? 'the model' : 'the risks file',
    };
  }
  const last = path[path.length - 1];
  if (last === 'source') return { keys: Object.keys(sourceSchema.shape), noun: 'a source' };
  if (path.length >= 4 && path[path.length - 3] === 'grants') {
    return { keys: Object.keys(grantSchema.shape), noun: 'a grant' };
  }
  const list = path[0];
  if (path.length === 2 && typeof list === 'string' && LIST_ITEM_SHAPES[list]) {
    const { shape, noun } = LIST_ITEM_SHAPES[list];
    return { keys: Object.keys(shape), noun: `a ${noun}` };
  }
  return undefined;
}

function valueAt(data: unknown, path: Path): unknown {
  let v: unknown = data;
  for (const seg of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<string | number, unknown>)[seg];
  }
  return v;
}

function describe(v: unknown): string {
  if (v === null) return 'null (an empty value)';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a mapping';
  if (typeof v === 'string') return `'${shown(v)}'`;
  return String(v);
}

function fieldName(path: Path): string {
  for (let i = path.length - 1; i >= 0; i--) {
    const seg = path[i];
    if (typeof seg === 'string') return seg;
  }
  return 'the model';
}

const ID_FIELDS = new Set([
  'id',
  'in',
  'from',
  'to',
  'runs-as',
  'subject',
  'resource',
  'stores',
  'data',
  'primary',
]);
const ID_RULE = 'ids start with a letter or digit and use only letters, digits and . _ : / @ - (128 at most)';

const EXPECTED_WORDS: Record<string, string> = {
  string: 'text',
  number: 'a number',
  int: 'a whole number',
  boolean: 'true or false',
  array: 'a list',
  object: 'a mapping',
};

function typeMessage(field: string, expected: string, got: unknown, isIdField: boolean): string {
  if (expected === 'string' && (typeof got === 'number' || typeof got === 'boolean')) {
    const what = isIdField ? (field === 'id' ? 'an id' : 'an id reference') : 'text';
    return `\`${field}\` must be ${what}, not the ${typeof got} ${String(got)}; quote it: "${String(got)}"`;
  }
  if (expected === 'array' && got !== null && typeof got !== 'object') {
    return `\`${field}\` must be a list, not ${describe(got)}; write [${typeof got === 'string' ? shown(got) : String(got)}]`;
  }
  return `\`${field}\` must be ${EXPECTED_WORDS[expected] ?? expected}, not ${describe(got)}`;
}

/**
 * Converts schema issues for one file into diagnostics. `top` says which document schema was used.
 * `pathPrefix` maps an issue path to a path in the file (identity here; the merge keeps one file a parse).
 */
export function schemaDiagnostics(
  issues: readonly Issue[],
  source: SourceFile,
  top: 'model' | 'risks',
): Diagnostic[] {
  const out: Diagnostic[] = [];
  const data = source.data;
  // Keys that a misspelling stands for: "missing required key" errors for them are follow-ons.
  const covered = new Set<string>();
  for (const issue of issues) {
    if (issue.code !== 'unrecognized_keys') continue;
    const obj = objectAt(issue.path as Path, top);
    if (!obj) continue;
    for (const key of issue.keys) {
      const s = didYouMean(key, obj.keys);
      if (s) covered.add(`${JSON.stringify(issue.path)}\u0000${s}`);
    }
  }
  const at = (path: Path, message: string, where: 'value' | 'key' = 'value') => {
    const p = source.locate(path, where);
    out.push({ severity: 'error', file: source.file, line: p.line, col: p.col, message });
  };
  for (const issue of issues) {
    const path = issue.path as Path;
    const field = fieldName(path);
    const got = valueAt(data, path);
    const isIdField = ID_FIELDS.has(field);
    if (got === undefined && issue.code !== 'unrecognized_keys' && path.length > 0) {
      // A required key is missing (zod reports it as a type, enum or literal mismatch on undefined).
      const parent = path.slice(0, -1);
      if (covered.has(`${JSON.stringify(parent)}\u0000${field}`)) continue;
      if (parent.length === 0 && field === 'threatkrew') {
        at(parent, 'missing `threatkrew: 1` (the format version) at the top of the model');
      } else {
        const obj = objectAt(parent, top);
        at(parent, `missing required key '${field}'${obj ? ` in ${obj.noun}` : ''}`);
      }
      continue;
    }
    switch (issue.code) {
      case 'unrecognized_keys': {
        const obj = objectAt(path, top);
        for (const key of issue.keys) {
          const candidates = obj?.keys ?? [];
          const where = obj ? ` in ${obj.noun}` : '';
          const h = hint(key, candidates);
          at(
            [...path, key],
            `unknown key '${shown(key)}'${where}${h || `; allowed: ${candidates.join(', ')}`}`,
            'key',
          );
        }
        break;
      }
      case 'invalid_type': {
        at(path, typeMessage(field, issue.expected, got, isIdField));
        break;
      }
      case 'invalid_value': {
        if (field === 'threatkrew' && path.length === 1) {
          at(path, `\`threatkrew\` must be 1 (the format version), not ${describe(got)}`);
          break;
        }
        const values = issue.values.map(String);
        if (typeof got !== 'string') {
          at(path, `\`${field}\` must be one of ${values.join(', ')}, not ${describe(got)}`);
          break;
        }
        const h = hint(got, values);
        at(path, `'${shown(got)}' is not a valid \`${field}\`${h || `; use one of: ${values.join(', ')}`}`);
        break;
      }
      case 'invalid_format': {
        if (field === 'finding') {
          at(path, `\`finding\` must be a finding id (16 lowercase hex characters), not ${describe(got)}`);
        } else if (field === 'expires') {
          at(path, `\`expires\` must be a date written YYYY-MM-DD, not ${describe(got)}`);
        } else if (field === 'resource') {
          at(path, `${describe(got)} is not a valid \`resource\`: give a component id or "*"; ${ID_RULE}`);
        } else {
          at(path, `${describe(got)} is not a valid id: ${ID_RULE}`);
        }
        break;
      }
      case 'invalid_union': {
        if (field === 'primary') {
          at(path, `\`primary\` must be an id or a list of ids, not ${describe(got)}`);
        } else {
          at(path, `\`${field}\` must be true, false or unknown, not ${describe(got)}`);
        }
        break;
      }
      case 'too_small': {
        if (field === 'replicas')
          at(path, `\`replicas\` must be a whole number of at least 1, not ${describe(got)}`);
        else if (issue.origin === 'array') at(path, `\`${field}\` must not be empty`);
        else at(path, `\`${field}\` must be at least ${String(issue.minimum)}, not ${describe(got)}`);
        break;
      }
      default: {
        at(path, `\`${field}\`: ${issue.message}`);
      }
    }
  }
  return out;
}
