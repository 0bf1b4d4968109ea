/**
 * Audit logging and monitoring helpers for the repudiation rules (missing-audit-logging,
 * unaudited-privileged-access, unaudited-authentication-events, audit-logs-kept-locally,
 * missing-monitoring): where logs can go, which components check credentials, and the evidence line
 * for a component that ships nothing to monitoring.
 */
import { appliesControl } from '../../model/queries.js';
import type { Component } from '../../model/schema.js';
import { nameOf, type View } from '../../model/view.js';
import { truncatedList } from './text.js';

/** The components of kind monitoring, in model order. */
export function monitoringComponents(view: View): Component[] {
  return view.components.filter((m) => m.kind === 'monitoring');
}

/** A flow, either way and for any purpose, links the component with a monitoring component. */
export function hasMonitoringFlow(view: View, c: Component): boolean {
  return (
    view.flowsFrom(c.id).some((f) => f.to.kind === 'monitoring') ||
    view.flowsTo(c.id).some((f) => f.from.kind === 'monitoring')
  );
}

/**
 * The ids of the components for which `hasMonitoringFlow` holds, given every monitoring component
 * (`monitoringComponents`): read from the monitors' own flows, far fewer than all components' flows, for
 * the rules that ask it of every component.
 */
export function monitoringLinked(view: View, monitors: readonly Component[]): Set<string> {
  const linked = new Set<string>();
  for (const m of monitors) {
    for (const f of view.flowsFrom(m.id)) linked.add(f.to.id);
    for (const f of view.flowsTo(m.id)) linked.add(f.from.id);
  }
  return linked;
}

/** How many monitoring components an evidence line names before "and N more". */
const MAX_MONITORS_NAMED = 3;

/**
 * The monitoring components' labels for a message or mitigation: the first few (model order), then how
 * many more, so that a model with one monitor per region and account keeps its findings short.
 */
export function monitorLabels(monitors: readonly Component[]): string {
  return truncatedList(
    monitors.map((m) => nameOf(m)),
    MAX_MONITORS_NAMED,
  );
}

/**
 * Evidence that no flow links the component with the monitoring components (or that there are none).
 * A large model has a monitoring component per region and account: the line names the first few (model
 * order) and counts the rest, so that it stays readable and the findings' size does not grow with them.
 */
export function noMonitoringFlowFact(c: Component, monitors: readonly Component[]): string {
  if (monitors.length === 0) return 'the model has no component of kind monitoring';
  // Rules state this for thousands of components with the same list: its text is made once per list.
  let names = monitorIds.get(monitors);
  if (names === undefined) {
    names = truncatedList(
      monitors.map((m) => m.id),
      MAX_MONITORS_NAMED,
    );
    monitorIds.set(monitors, names);
  }
  return `no flow between ${c.id} and ${names}`;
}

const monitorIds = new WeakMap<readonly Component[], string>();

/** Sign-in events happen here: an identity provider, or an exposed component that authenticates callers. */
export function checksCredentials(view: View, c: Component): boolean {
  return (
    c.kind === 'identity-provider' || (view.isExposed(c.id) && appliesControl(c, 'authentication') === true)
  );
}
