/**
 * Audit logging and monitoring helpers for the repudiation rules (missing-audit-logging,
 * unaudited-privileged-access, unaudited-authentication-events, audit-logs-kept-locally,
 * missing-monitoring): where logs can go, which components check credentials, and the evidence line
 * for a component that ships nothing to monitoring.
 */
import { appliesControl } from '../../model/queries.js';
import type { Component } from '../../model/schema.js';
import type { View } from '../../model/view.js';

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

/** Evidence that no flow links the component with the monitoring components (or that there are none). */
export function noMonitoringFlowFact(c: Component, monitors: readonly Component[]): string {
  return monitors.length > 0
    ? `no flow between ${c.id} and ${monitors.map((m) => m.id).join(', ')}`
    : 'the model has no component of kind monitoring';
}

/** Sign-in events happen here: an identity provider, or an exposed component that authenticates callers. */
export function checksCredentials(view: View, c: Component): boolean {
  return (
    c.kind === 'identity-provider' || (view.isExposed(c.id) && appliesControl(c, 'authentication') === true)
  );
}
