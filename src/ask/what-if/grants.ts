/**
 * Grants: narrowing ("reporting-role only had read on orders-db"), removing ("revoke the wildcard grant
 * of ci-role") and right-sizing to what an identity's flows use.
 */
import type { FlowFacts } from '../../model/view.js';
import { ACTIONS } from '../../model/vocabulary.js';
import type { Env } from '../env.js';
import type { Entity } from '../resolve.js';
import { andList, cmp } from '../text.js';
import type { Edit } from './change.js';
import {
  type Clause,
  type ClauseParser,
  clarify,
  identitiesIn,
  of,
  ok,
  type ParsedChange,
} from './clause.js';

const GRANT_CUE =
  /\b(?:grants?|permissions?|access|rights|privileges?|role|policy|read|write|admin|wildcard|least[- ]privilege|right-?size)\b/;

/** Narrowing, removing and right-sizing grants. */
export const parseGrant: ClauseParser = (env, c) => {
  if (!GRANT_CUE.test(c.bare)) return undefined;
  const identities = identitiesIn(env, c);
  if (identities.length === 0) return undefined;
  const identity = identities[0] as Entity;
  const grants = env.view.identity(identity.id)?.grants ?? [];
  const wildcard =
    /\bwildcard\b|["'`]?\*["'`]?|\bevery resource\b|\ball resources\b|\beverything\b|\badministratoraccess\b/.test(
      c.bare,
    );
  const resources = of(c, ['component']).filter((r) => grants.some((g) => g.resource === r.id));
  const resource = wildcard ? '*' : resources[0]?.id;
  if (
    /\bleast[- ]privilege\b|\bright-?siz(?:e|ed|ing)\b|\bonly what (?:it|they) (?:use|uses|need|needs)\b/.test(
      c.bare,
    )
  ) {
    const edits = rightSize(env, identity.id, resource);
    if (edits.length === 0)
      return clarify(
        `The grants of ${identity.id} already match what its flows use, as far as the model says.`,
      );
    return ok(edits);
  }
  const remove =
    /\b(?:revoke|revoked|revoking|remove|removed|removing|drop|dropped|dropping|delete|deleted|take away|took away|lost|lose|loses|no longer (?:has|had|have)|strip|stripped|without)\b/.test(
      c.bare,
    );
  const narrow =
    /\b(?:narrow|narrowed|narrowing|restrict|restricted|restricting|limit|limited|limiting|reduce|reduced|reducing|scope(?:d)? down|tighten|tightened|downgrade|downgraded|only|just|merely|change|changed|set)\b/.test(
      c.bare,
    );
  const actions = findActions(c.bare);
  const scope = findScope(c);
  const on = resource ?? (grants.length === 1 ? (grants[0] as { resource: string }).resource : undefined);
  if (on === undefined) {
    return clarify(
      `On which resource? ${identity.id} has grants on ${andList(grants.map((g) => g.resource))}.`,
      grants
        .filter((g) => g.resource !== '*')
        .map((g) => ({ kind: 'component', id: g.resource, label: env.view.label(g.resource) })),
    );
  }
  const current = grants.find((g) => g.resource === on)?.actions ?? [];
  return grantEdit(identity.id, on, remove, narrow || scope !== undefined, actions, scope, current);
};

function grantEdit(
  identity: string,
  resource: string,
  remove: boolean,
  narrow: boolean,
  actions: string[],
  scope: string[] | undefined,
  current: readonly string[],
): ParsedChange | undefined {
  if (remove && actions.length === 0 && scope === undefined)
    return ok([{ op: 'remove-grant', identity, resource }]);
  if (narrow || actions.length > 0) {
    const keep = actions.length > 0 ? actions : scope !== undefined ? [...current] : [];
    if (keep.length === 0)
      return clarify(
        `Narrow the grant of ${identity} on ${resource} to which actions? Valid: ${ACTIONS.join(', ')}.`,
      );
    return ok([
      { op: 'narrow-grant', identity, resource, actions: keep, ...(scope !== undefined ? { scope } : {}) },
    ]);
  }
  if (remove) return ok([{ op: 'remove-grant', identity, resource }]);
  return undefined;
}

/** "with scope [Patient, Observation]", "scoped to orders and order_items": written as in the question. */
function findScope(c: Clause): string[] | undefined {
  const m =
    /\bscope[sd]?(?:\s+(?:to|of|=|:|limited to))?\s+\[?([a-z0-9_./*:@#-]+(?:\s*(?:,|and)\s*[a-z0-9_./*:@#-]+)*)\]?/.exec(
      c.text,
    );
  if (!m) return undefined;
  const items = (m[1] as string)
    .split(/\s*(?:,|\band\b)\s*/)
    .filter((x) => x !== '' && x !== 'the' && x !== 'only');
  if (items.length === 0) return undefined;
  return items.map((x) => {
    const at = c.raw.toLowerCase().indexOf(x);
    return at >= 0 ? c.raw.slice(at, at + x.length) : x;
  });
}

function findActions(text: string): string[] {
  const out: string[] = [];
  const m =
    /\b(?:to|only(?: had| has| have| gets?| got)?|just(?: had| has| have)?|had|has|have|gets?|got|with|of)\s+((?:(?:read|write|delete|admin|invoke|publish|subscribe|read-only|readonly|read only)(?:\s*(?:,|and|&|\/)\s*)?)+)/.exec(
      text,
    );
  const words = m?.[1] ?? '';
  for (const w of words.split(/\s*(?:,|and|&|\/|\s)\s*/)) {
    const a = /^read-?only$|^readonly$/.test(w) ? 'read' : w;
    if ((ACTIONS as readonly string[]).includes(a) && !out.includes(a)) out.push(a);
  }
  if (/\bread[- ]?only\b/.test(text) && !out.includes('read')) out.push('read');
  return out;
}

/** Narrows every grant of an identity (or the one on `resource`) to what its components' flows use. */
export function rightSize(env: Env, identityId: string, resource?: string): Edit[] {
  const view = env.view;
  const identity = view.identity(identityId);
  if (!identity) return [];
  const flows: FlowFacts[] = view.runningAs(identityId).flatMap((c) => [...view.flowsFrom(c.id)]);
  const edits: Edit[] = [];
  for (const g of identity.grants ?? []) {
    if (resource !== undefined && g.resource !== resource) continue;
    if (g.resource === '*') {
      edits.push({ op: 'remove-grant', identity: identityId, resource: '*' });
      continue;
    }
    const to = flows.filter((f) => f.to.id === g.resource);
    if (to.length === 0) {
      edits.push({ op: 'remove-grant', identity: identityId, resource: g.resource });
      continue;
    }
    if (!to.every((f) => f.flow.actions !== undefined)) continue;
    const used = [...new Set(to.flatMap((f) => f.flow.actions ?? []))].sort(cmp);
    const scopes = to.every((f) => f.flow.scope !== undefined)
      ? [...new Set(to.flatMap((f) => f.flow.scope ?? []))].sort(cmp)
      : undefined;
    const sameActions = JSON.stringify([...g.actions].sort(cmp)) === JSON.stringify(used);
    const sameScope =
      scopes === undefined || JSON.stringify([...(g.scope ?? [])].sort(cmp)) === JSON.stringify(scopes);
    if (sameActions && sameScope) continue;
    edits.push({
      op: 'narrow-grant',
      identity: identityId,
      resource: g.resource,
      actions: used,
      ...(scopes !== undefined ? { scope: scopes } : {}),
    });
  }
  return edits;
}
