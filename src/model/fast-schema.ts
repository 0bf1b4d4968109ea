/**
 * A fast path for schema validation. zod checks a 100,000-component model in seconds, most of it building
 * the output copy of every object and the bookkeeping of issues. Valid models are by far the common case,
 * so a schema is compiled once into plain functions that only answer "valid, and here is zod's output"
 * or "not sure"; on "not sure" the caller runs zod itself, which decides and words the errors.
 *
 * The compiled function accepts only what zod accepts and returns what zod returns: the same values, and
 * objects with zod's key order (the schema's). It reads zod's schema definitions, and compiles only the
 * kinds of schema and of check it knows (those the model format uses); for anything else it compiles to
 * nothing and zod does all the work. An object whose keys are already in the schema's order, with values
 * that need no change, is returned as it is rather than copied: the model then shares the parsed file's
 * objects, which nothing modifies.
 */
import type { z } from 'zod';

/** The parts of zod's internal schema definitions read here. */
interface Def {
  type: string;
  checks?: { _zod: { def: CheckDef } }[];
  entries?: Record<string, unknown>;
  values?: readonly unknown[];
  innerType?: Schema;
  element?: Schema;
  options?: readonly Schema[];
  shape?: Record<string, Schema>;
  catchall?: Schema;
  coerce?: boolean;
}
interface CheckDef {
  check: string;
  format?: string;
  pattern?: unknown;
  value?: unknown;
  inclusive?: boolean;
  minimum?: number;
}
interface Schema {
  _zod: { def: Def; optin?: string; optout?: string };
}

/** "Not sure": the value may be invalid, or valid in a way not compiled here. */
const UNSURE: unique symbol = Symbol('unsure');
type Compiled = (value: unknown) => unknown;

const compiled = new WeakMap<object, Compiled | null>();

/**
 * zod's output for `value` when it is valid for `schema` and the fast path can tell; undefined when zod
 * must decide (the value may be invalid, or the schema uses something not compiled here).
 */
export function fastParse<S extends z.ZodType>(schema: S, value: unknown): { data: z.output<S> } | undefined {
  let run = compiled.get(schema);
  if (run === undefined) {
    run = compile(schema as unknown as Schema) ?? null;
    compiled.set(schema, run);
  }
  if (run === null) return undefined;
  const out = run(value);
  return out === UNSURE ? undefined : { data: out as z.output<S> };
}

/** Whether `fastParse` has a compiled fast path for the schema (for tests: it must not silently lapse). */
export function hasFastPath(schema: z.ZodType): boolean {
  fastParse(schema, undefined);
  return compiled.get(schema) !== null;
}

function compile(schema: Schema): Compiled | undefined {
  const def = schema._zod.def;
  if (def.coerce) return undefined;
  switch (def.type) {
    case 'string':
      return compileString(def);
    case 'number':
      return compileNumber(def);
    case 'boolean':
      return def.checks?.length ? undefined : (v) => (typeof v === 'boolean' ? v : UNSURE);
    case 'enum': {
      if (def.checks?.length || !def.entries) return undefined;
      const values = new Set(Object.values(def.entries));
      return (v) => (values.has(v) ? v : UNSURE);
    }
    case 'literal': {
      if (def.checks?.length || !def.values) return undefined;
      const values = new Set(def.values);
      return (v) => (values.has(v) ? v : UNSURE);
    }
    case 'optional':
      // Absence is the object's business (see compileObject); a present value is the inner type's.
      if (def.checks?.length || !def.innerType || def.innerType._zod.optin === 'defaulted') return undefined;
      return compile(def.innerType);
    case 'union':
      return compileUnion(def);
    case 'array':
      return compileArray(def);
    case 'object':
      return compileObject(def);
    default:
      return undefined;
  }
}

function compileString(def: Def): Compiled | undefined {
  const patterns: RegExp[] = [];
  for (const c of def.checks ?? []) {
    const d = c._zod.def;
    if (d.check !== 'string_format' || d.format !== 'regex' || !(d.pattern instanceof RegExp))
      return undefined;
    // zod resets lastIndex before testing; a pattern without the g or y flag does not use it.
    if (d.pattern.global || d.pattern.sticky) return undefined;
    patterns.push(d.pattern);
  }
  if (patterns.length === 0) return (v) => (typeof v === 'string' ? v : UNSURE);
  return (v) => {
    if (typeof v !== 'string') return UNSURE;
    for (const p of patterns) if (!p.test(v)) return UNSURE;
    return v;
  };
}

function compileNumber(def: Def): Compiled | undefined {
  let safeInt = false;
  let min = Number.NEGATIVE_INFINITY;
  for (const c of def.checks ?? []) {
    const d = c._zod.def;
    if (d.check === 'number_format' && d.format === 'safeint') safeInt = true;
    else if (d.check === 'greater_than' && d.inclusive === true && typeof d.value === 'number')
      min = Math.max(min, d.value);
    else return undefined;
  }
  return (v) =>
    typeof v === 'number' && Number.isFinite(v) && (!safeInt || Number.isSafeInteger(v)) && v >= min
      ? v
      : UNSURE;
}

function compileUnion(def: Def): Compiled | undefined {
  if (def.checks?.length || !def.options) return undefined;
  const options: Compiled[] = [];
  for (const o of def.options) {
    const c = compile(o);
    if (!c) return undefined;
    options.push(c);
  }
  // zod takes the first option that succeeds.
  return (v) => {
    for (const o of options) {
      const r = o(v);
      if (r !== UNSURE) return r;
    }
    return UNSURE;
  };
}

function compileArray(def: Def): Compiled | undefined {
  if (!def.element) return undefined;
  let min = 0;
  for (const c of def.checks ?? []) {
    const d = c._zod.def;
    if (d.check === 'min_length' && typeof d.minimum === 'number') min = Math.max(min, d.minimum);
    else return undefined;
  }
  const element = compile(def.element);
  if (!element) return undefined;
  return (v) => {
    if (!Array.isArray(v) || v.length < min) return UNSURE;
    let copy: unknown[] | undefined;
    for (let i = 0; i < v.length; i++) {
      const item: unknown = v[i];
      const r = element(item);
      if (r === UNSURE) return UNSURE;
      if (r !== item && copy === undefined) copy = v.slice(0, i);
      if (copy !== undefined) copy.push(r);
    }
    return copy ?? v;
  };
}

/** A strict object (unknown keys are errors) whose properties are required or plainly optional. */
function compileObject(def: Def): Compiled | undefined {
  if (def.checks?.length || !def.shape || def.catchall?._zod.def.type !== 'never') return undefined;
  const keys = Object.keys(def.shape);
  if (Object.getOwnPropertySymbols(def.shape).length > 0 || keys.includes('__proto__')) return undefined;
  const fields: { key: string; optional: boolean; run: Compiled }[] = [];
  for (const key of keys) {
    const s = def.shape[key] as Schema;
    const optional = s._zod.optin !== undefined;
    // Only plain `.optional()`: absent stays absent. Defaults and the like are left to zod.
    if (optional && (s._zod.optin !== 'optional' || s._zod.optout !== 'optional')) return undefined;
    if (!optional && s._zod.optout !== undefined) return undefined;
    const run = compile(s);
    if (!run) return undefined;
    fields.push({ key, optional, run });
  }
  const index = new Map(keys.map((k, i) => [k, i]));
  const required = fields.filter((f) => !f.optional).map((f) => f.key);
  return (v) => {
    if (typeof v !== 'object' || v === null || Array.isArray(v)) return UNSURE;
    const input = v as Record<string, unknown>;
    // zod enumerates the input with for...in (inherited keys included): any key not in the shape is an error.
    let previous = -1;
    let reusable = true;
    for (const key in input) {
      const i = index.get(key);
      if (i === undefined) return UNSURE;
      const value = input[key];
      // A key present with the value undefined is kept as such by zod; not a case worth compiling.
      if (value === undefined) return UNSURE;
      const r = (fields[i] as (typeof fields)[number]).run(value);
      if (r === UNSURE) return UNSURE;
      if (r !== value || i < previous || !Object.hasOwn(input, key)) reusable = false;
      previous = i;
    }
    for (const key of required) if (input[key] === undefined) return UNSURE;
    if (reusable && Object.getPrototypeOf(input) === Object.prototype) return input;
    // zod's output: a new object with the shape's keys, in the shape's order, for those present.
    const out: Record<string, unknown> = {};
    for (const f of fields) {
      const value = input[f.key];
      if (value !== undefined) out[f.key] = f.run(value);
    }
    return out;
  };
}
