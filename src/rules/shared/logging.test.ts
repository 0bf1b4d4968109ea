import { describe, expect, it } from 'vitest';
import type { Component } from '../../model/schema.js';
import { viewOf } from '../testing/view-of.js';
import {
  checksCredentials,
  hasMonitoringFlow,
  monitoringComponents,
  monitoringLinked,
  noMonitoringFlowFact,
} from './logging.js';

const view = viewOf(`
boundaries:
  - { id: internet, kind: internet }
components:
  - { id: user, kind: user, in: internet }
  - { id: idp, kind: identity-provider }
  - { id: portal, kind: service, controls: [authentication] }
  - { id: api, kind: service, exposure: public, enforces: [authentication] }
  - { id: worker, kind: service }
  - { id: siem, kind: monitoring }
  - { id: metrics, kind: monitoring }
flows:
  - { from: user, to: portal }
  - { from: portal, to: siem, purpose: telemetry }
  - { from: metrics, to: api, actions: [read] }
`);
const component = (id: string) => view.component(id) as Component;

describe('logging', () => {
  it('finds the monitoring components and the flows that link a component with one, either way', () => {
    const monitors = monitoringComponents(view);
    expect(monitors.map((m) => m.id)).toEqual(['siem', 'metrics']);
    expect(hasMonitoringFlow(view, component('portal'))).toBe(true);
    expect(hasMonitoringFlow(view, component('api'))).toBe(true);
    expect(hasMonitoringFlow(view, component('worker'))).toBe(false);
    expect(noMonitoringFlowFact(component('worker'), monitors)).toBe(
      'no flow between worker and siem, metrics',
    );
    const many = ['m1', 'm2', 'm3', 'm4', 'm5'].map((id): Component => ({ id, kind: 'monitoring' }));
    expect(noMonitoringFlowFact(component('worker'), many)).toBe(
      'no flow between worker and m1, m2, m3 and 2 more',
    );
    expect(noMonitoringFlowFact(component('worker'), [])).toBe(
      'the model has no component of kind monitoring',
    );
  });

  it('checksCredentials: identity providers, and exposed components that authenticate', () => {
    const checking = view.components.filter((c) => checksCredentials(view, c)).map((c) => c.id);
    expect(checking).toEqual(['idp', 'portal', 'api']);
  });
});

describe('monitoringLinked', () => {
  const linkedView = viewOf(`
boundaries:
  - { id: ours, kind: network }
components:
  - { id: portal, kind: service, in: ours }
  - { id: api, kind: service, exposure: public }
  - { id: worker, kind: service, in: ours }
  - { id: siem, kind: monitoring }
  - { id: metrics, kind: monitoring }
flows:
  - { from: portal, to: siem, purpose: telemetry }
  - { from: metrics, to: api, actions: [read] }
  - { from: worker, to: portal }
`);

  it('finds the components hasMonitoringFlow holds for, from the monitors own flows', () => {
    const linked = monitoringLinked(linkedView, monitoringComponents(linkedView));
    for (const c of linkedView.components) expect(linked.has(c.id)).toBe(hasMonitoringFlow(linkedView, c));
    expect([...linked].sort()).toEqual(['api', 'portal']);
    expect(monitoringLinked(linkedView, [])).toEqual(new Set());
  });

  it('names the same monitors in the evidence, however often it is asked', () => {
    const worker = linkedView.component('worker') as Component;
    const many = ['m1', 'm2', 'm3', 'm4', 'm5'].map((id): Component => ({ id, kind: 'monitoring' }));
    expect(noMonitoringFlowFact(worker, many)).toBe('no flow between worker and m1, m2, m3 and 2 more');
    expect(noMonitoringFlowFact(worker, many)).toBe(noMonitoringFlowFact(worker, many));
    expect(noMonitoringFlowFact(worker, [])).toBe('the model has no component of kind monitoring');
  });
});
