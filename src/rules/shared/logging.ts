/**
 * Audit logging and monitoring helpers for the repudiation rules (missing-audit-logging,
 * unaudited-privileged-access, unaudited-authentication-events, audit-logs-kept-locally,
 * missing-monitoring): where logs can go, which components check credentials, and the evidence line
 * for a component that ships nothing to monitoring.
 */
import { appliesControl } from '../../model/queries.js';
import type { Component } from '../../model/schema.js';
import type { View } from '../../model/view.js';
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

/** How many monitoring components an evidence line names before "and N more". */
const MAX_MONITORS_NAMED = 3;

/**
 * The monitoring components' labels for a message or mitigation: the first few (model order), then how
 * many more, so that a model with one monitor per region and account keeps its findings short.
 */
export function monitorLabels(view: View, monitors: readonly Component[]): string {
  return truncatedList(
    monitors.map((m) => view.label(m.id)),
    MAX_MONITORS_NAMED,
  );
}

/**
 * Evidence that no flow links the component with the monitoring components (or that there are none).
 * A large model has a monitoring component per region and account: the line names the first few (model
 * order) and counts the rest, so that it stays readable and the findings' size does not grow with them.
 */
export function noMonitoringFlowFact(c: Component, monitors: readonly Component[]): string {
  return monitors.length > 0
    ? `no flow between ${c.id} and ${truncatedList(
        monitors.map((m) => m.id),
        MAX_MONITORS_NAMED,
      )}`
    : 'the model has no component of kind monitoring';
}

/** Sign-in events happen here: an identity provider, or an exposed component that authenticates callers. */
export function checksCredentials(view: View, c: Component): boolean {
  return (
    c.kind === 'identity-provider' || (view.isExposed(c.id) && appliesControl(c, 'authentication') === true)
  );
}
