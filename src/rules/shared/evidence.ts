/**
 * Evidence lines that several rules state about the same model facts (STYLE 13), so that one fact reads
 * the same in every finding: how a component is exposed, what its control lists say, how a flow
 * authenticates.
 */
import type { Boundary, Component } from '../../model/schema.js';
import type { FlowFacts } from '../../model/view.js';
import type { Control, TriState } from '../../model/vocabulary.js';

/** Why an exposed component is exposed: stated public, or called directly from the internet. */
export function exposureFact(c: Component): string {
  return c.exposure === 'public'
    ? `${c.id} exposure: public`
    : `${c.id} is called directly from the internet`;
}

/** A component's `controls`, which lack `missing` (a control or a phrase naming several), or their absence. */
export function controlsFact(c: Component, missing: string): string {
  return c.controls === undefined
    ? `${c.id} does not state its controls`
    : `${c.id} controls: [${c.controls.join(', ')}] (no ${missing})`;
}

/** Both lists of a component that applies `control` in neither, or that it states neither. */
export function listsFact(c: Component, control: Control): string {
  if (c.controls === undefined && c.enforces === undefined)
    return `${c.id} states neither controls nor enforces`;
  const parts: string[] = [];
  if (c.enforces !== undefined) parts.push(`enforces [${c.enforces.join(', ')}]`);
  if (c.controls !== undefined) parts.push(`controls [${c.controls.join(', ')}]`);
  return `${c.id} ${parts.join(', ')} (no ${control})`;
}

/** Why `control` is not applied (an `appliesControl` state other than true), without the component's id. */
export function notAppliedText(state: TriState, control: Control): string {
  return state === 'unknown' ? 'controls and enforces not stated' : `no ${control} in controls or enforces`;
}

/** Which list of a component that applies `control` holds it: "gw enforces include authentication". */
export function appliesFact(c: Component, control: Control): string {
  return `${c.id} ${c.controls?.includes(control) ? 'controls' : 'enforces'} include ${control}`;
}

/** "region eu-west, cloud-account prod": boundaries by kind and id. */
export function boundariesText(boundaries: readonly Boundary[]): string {
  return boundaries.map((b) => `${b.kind} ${b.id}`).join(', ');
}

/** A flow's authentication method, or "not stated". */
export function statedAuthn(f: FlowFacts): string {
  return f.authn === 'unknown' ? 'not stated' : f.authn;
}
