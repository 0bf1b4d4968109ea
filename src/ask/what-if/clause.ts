/**
 * One clause of a what-if ("make cognito internal"), what it names, and the shapes the clause readers
 * share: the result of reading, the verbs of adding and removing, and element lookups.
 */

import type { Env } from '../env.js';
import type { Entity, Mention } from '../resolve.js';
import type { Edit } from './change.js';

export type ParsedChange =
  | { ok: true; edits: Edit[]; notes: string[] }
  | { ok: false; kind: 'clarify' | 'unknown'; message: string; candidates: Entity[] };

export function unknown(message: string): ParsedChange {
  return { ok: false, kind: 'unknown', message, candidates: [] };
}

export function clarify(message: string, candidates: Entity[] = []): ParsedChange {
  return { ok: false, kind: 'clarify', message, candidates };
}

export function ok(edits: Edit[], notes: string[] = []): ParsedChange {
  return { ok: true, edits, notes };
}

export interface Clause {
  text: string;
  /** The whole question as written (for values whose case matters, such as scopes). */
  raw: string;
  /** `text` with the names of elements blanked out, for cue words ("url" in url-preview is no cue). */
  bare: string;
  mentions: Mention[];
  /** Components, flows, identities, data and boundaries named, in order, without duplicates. */
  elements: Entity[];
}

export type ClauseParser = (env: Env, c: Clause) => ParsedChange | undefined;

export const isElementKind = (k: string) => ['component', 'flow', 'identity', 'data', 'boundary'].includes(k);

export const of = (c: Clause, kinds: readonly string[]) => c.elements.filter((e) => kinds.includes(e.kind));

export const REMOVE_VERB =
  /\b(?:remove|removed|removing|drop|dropped|dropping|disable|disabled|disabling|turn(?:ed|ing)? off|switch(?:ed)? off|without|no longer (?:has|had|have|applies|applied|enforces|enforced|does|did|uses|used)|lost|lose|loses|stop(?:ped|s)? (?:doing|using|enforcing|applying)|rip(?:ped)? out|took away|take away|delete|deleted|deleting|did ?n[o']t (?:have|apply|enforce|use)|does ?n[o']t (?:have|apply|enforce|use)|do ?n[o']t (?:have|apply|enforce|use)|got rid of|get rid of)\b/;
export const ADD_VERB =
  /\b(?:did|does|do|ran|run|runs|running|add|added|adding|enable|enabled|enabling|turn(?:ed|ing)? on|switch(?:ed)? on|put|putting|introduce|introduced|require|required|requiring|enforce|enforced|enforces|enforcing|implement|implemented|implementing|deploy|deployed|had|have|has|used|use|uses|using|with|gets?|got|gave|give|giving|configure|configured|apply|applied|applies|start(?:ed)? (?:using|doing)|behind|protected by|install|installed|validated|validates|validate)\b/;

export function componentsRunningAs(env: Env, identities: Entity[]): Entity[] {
  return identities.flatMap((i) =>
    env.view
      .runningAs(i.id)
      .map((c) => ({ kind: 'component' as const, id: c.id, label: env.view.label(c.id) })),
  );
}

/** The identities a clause names, directly or through the components that run as them. */
export function identitiesIn(env: Env, c: Clause): Entity[] {
  const direct = of(c, ['identity']);
  if (direct.length > 0) return direct;
  const out: Entity[] = [];
  for (const comp of of(c, ['component'])) {
    const i = env.view.identityOf(comp.id);
    if (i && !out.some((x) => x.id === i.id)) out.push({ kind: 'identity', id: i.id, label: i.name ?? i.id });
  }
  return out;
}

/** Finds the element a piece of the clause names (by its mention in the clause). */
export function resolveIn(env: Env, c: Clause, piece: string): Entity | undefined {
  const p = piece.replace(/['’]s$/, '').replace(/[.,:]$/, '');
  const hit = c.mentions.find((m) => m.text === p || m.entity.id.toLowerCase() === p);
  if (hit && ['component', 'flow', 'identity', 'data', 'boundary'].includes(hit.entity.kind))
    return hit.entity;
  const kind = env.view.kindOf(p);
  if (kind) return { kind, id: p, label: env.view.label(p) };
  return undefined;
}
