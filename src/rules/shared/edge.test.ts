import { describe, expect, it } from 'vitest';
import type { Component } from '../../model/schema.js';
import type { FlowFacts } from '../../model/view.js';
import { viewOf } from '../testing/view-of.js';
import { chainText, edgeChains, internetRoutes } from './edge.js';

const view = viewOf(`
boundaries:
  - { id: internet, kind: internet }
components:
  - { id: visitor, kind: user, in: internet, name: Visitor }
  - { id: cdn, kind: cdn, name: CDN }
  - { id: waf, kind: waf, enforces: [ip-allowlist] }
  - { id: kibana, kind: monitoring, name: Kibana }
  - { id: office, kind: user, in: internet }
  - { id: bastion, kind: gateway }
flows:
  - { from: visitor, to: cdn }
  - { from: cdn, to: kibana }
  - { from: visitor, to: waf }
  - { from: waf, to: kibana }
  - { from: cdn, to: kibana, id: cdn-logs, purpose: telemetry }
  - { from: office, to: kibana, via: vpn }
  - { from: office, to: bastion, via: vpn }
  - { from: bastion, to: kibana }
`);
const ids = (chain: readonly { id: string }[]) => chain.map((f) => f.id);

describe('edge', () => {
  it('edgeChains: request chains from the internet through pass-through hops, stopping where asked', () => {
    const all = edgeChains(view, 'kibana', () => false);
    expect(all.map(ids)).toEqual([
      ['office->kibana'],
      ['visitor->cdn', 'cdn->kibana'],
      ['visitor->waf', 'waf->kibana'],
      ['office->bastion', 'bastion->kibana'],
    ]);
    const guarded = edgeChains(view, 'kibana', (c) => c.enforces?.includes('ip-allowlist') === true);
    expect(guarded.map(ids)).toEqual([
      ['office->kibana'],
      ['visitor->cdn', 'cdn->kibana'],
      ['office->bastion', 'bastion->kibana'],
    ]);
  });

  it('chainText names the components of a chain', () => {
    const chain = ['visitor->cdn', 'cdn->kibana'].map((id) => view.flow(id) as FlowFacts);
    expect(chainText(view, chain)).toBe('Visitor → CDN → Kibana');
  });

  it('internetRoutes: flows into a component from the edge, none via vpn, with the chain before them', () => {
    const routes = internetRoutes(view, view.component('kibana') as Component);
    expect(routes.map((r) => [r.flow.id, ids(r.path), r.source.id, r.hops.map((h) => h.id)])).toEqual([
      ['cdn->kibana', ['visitor->cdn', 'cdn->kibana'], 'visitor', ['cdn']],
      ['waf->kibana', ['visitor->waf', 'waf->kibana'], 'visitor', ['waf']],
      ['cdn-logs', ['visitor->cdn', 'cdn-logs'], 'visitor', ['cdn']],
    ]);
  });
});
