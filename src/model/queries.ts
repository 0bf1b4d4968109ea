/**
 * Shared predicates over model elements (STYLE 6). Rules use these instead of re-deriving facts, so
 * "unknown is not false" and "a present list is complete" are decided in one place.
 */
import type { Component, DataAsset, Flow, Grant } from './schema.js';
import {
  type Action,
  type AuthnMethod,
  type Classification,
  type Control,
  CROWN_JEWEL_CLASSIFICATIONS,
  SENSITIVE_CLASSIFICATIONS,
  type TriState,
  WEAK_AUTHN,
} from './vocabulary.js';

/** Whether a list attribute includes a value: unknown when the list is absent (DESIGN §3). */
export function listHas<T>(list: readonly T[] | undefined, value: T): TriState {
  if (list === undefined) return 'unknown';
  return list.includes(value);
}

/** Whether the component applies a control itself (`controls`). */
export function hasControl(c: Component, control: Control): TriState {
  return listHas(c.controls, control);
}

/** Whether the component applies a control to traffic through it (`enforces`). */
export function enforces(c: Component, control: Control): TriState {
  return listHas(c.enforces, control);
}

/** A control present either way: in `controls` or `enforces`. Unknown only when neither list says yes and one is absent. */
export function appliesControl(c: Component, control: Control): TriState {
  const a = hasControl(c, control);
  const b = enforces(c, control);
  if (a === true || b === true) return true;
  if (a === 'unknown' || b === 'unknown') return 'unknown';
  return false;
}

export function triState(v: boolean | 'unknown' | undefined): TriState {
  return v === undefined ? 'unknown' : v;
}

export type AuthnStrength = 'none' | 'weak' | 'strong' | 'unknown';

export function authnStrength(authn: AuthnMethod | undefined): AuthnStrength {
  if (authn === undefined || authn === 'unknown') return 'unknown';
  if (authn === 'none') return 'none';
  return WEAK_AUTHN.has(authn) ? 'weak' : 'strong';
}

export function isSensitive(d: DataAsset): boolean {
  return SENSITIVE_CLASSIFICATIONS.has(d.classification);
}

export function isCrownJewel(d: DataAsset): boolean {
  return CROWN_JEWEL_CLASSIFICATIONS.has(d.classification);
}

export function hasClassification(data: readonly DataAsset[], set: ReadonlySet<Classification>): boolean {
  return data.some((d) => set.has(d.classification));
}

/** `admin` and `"*"` cover every action. */
export function grantCovers(grant: Grant, action: Action): boolean {
  return grant.actions.includes('*') || grant.actions.includes('admin') || grant.actions.includes(action);
}

export function isBroadGrant(grant: Grant): boolean {
  return grant.actions.includes('*') || grant.actions.includes('admin');
}

export type DataDirection = 'forward' | 'backward' | 'both';

/**
 * Which way a flow's data travels (DESIGN §3): with actions only read or subscribe, to → from; only
 * write, publish, invoke or delete, from → to; otherwise (mixed or absent) both ways.
 */
export function dataDirection(flow: Flow): DataDirection {
  const actions = flow.actions;
  if (!actions || actions.length === 0) return 'both';
  const inbound = actions.every((a) => a === 'read' || a === 'subscribe');
  if (inbound) return 'backward';
  const outbound = actions.every((a) => a === 'write' || a === 'publish' || a === 'invoke' || a === 'delete');
  return outbound ? 'forward' : 'both';
}

/** Does the flow's data reach its `to` end (forward) or its `from` end (backward)? */
export function dataReaches(flow: Flow, end: 'to' | 'from'): boolean {
  const d = dataDirection(flow);
  return d === 'both' || (end === 'to' ? d === 'forward' : d === 'backward');
}

/** Display label of an element: its name, else its id. */
export function label(e: { id?: string; name?: string | undefined }, fallbackId = ''): string {
  return e.name ?? e.id ?? fallbackId;
}

export function sortedIds(ids: Iterable<string>): string[] {
  return [...new Set(ids)].sort();
}
