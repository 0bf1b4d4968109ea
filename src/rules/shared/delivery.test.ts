import { describe, expect, it } from 'vitest';
import type { Component } from '../../model/schema.js';
import type { FlowFacts } from '../../model/view.js';
import { viewOf } from '../testing/view-of.js';
import {
  deliversInto,
  deployFact,
  environmentUnknowns,
  productionTarget,
  splitByProduction,
  targetFact,
} from './delivery.js';

const view = viewOf(`
components:
  - { id: ci, kind: ci-cd }
  - { id: prod-api, kind: service, environment: production }
  - { id: staging-api, kind: service, environment: staging }
  - { id: k8s, kind: container-platform }
  - { id: worker, kind: function }
flows:
  - { from: ci, to: prod-api, purpose: deploy }
  - { from: ci, to: staging-api, purpose: deploy, actions: [write] }
  - { from: ci, to: k8s, purpose: deploy, actions: [read] }
  - { from: ci, to: worker, purpose: deploy }
  - { from: prod-api, to: worker }
`);
const flow = (id: string) => view.flow(id) as FlowFacts;
const component = (id: string) => view.component(id) as Component;
const to = (f: FlowFacts) => f.to;

describe('delivery', () => {
  it('a deploy flow delivers unless it only reads', () => {
    expect(deliversInto(flow('ci->prod-api'))).toBe(true);
    expect(deliversInto(flow('ci->staging-api'))).toBe(true);
    expect(deliversInto(flow('ci->k8s'))).toBe(false);
    expect(deliversInto(flow('prod-api->worker'))).toBe(false);
  });

  it('a target is production by its environment; an unstated container platform counts as production', () => {
    expect(productionTarget(component('prod-api'))).toBe(true);
    expect(productionTarget(component('staging-api'))).toBe(false);
    expect(productionTarget(component('k8s'))).toBe(true);
    expect(productionTarget(component('worker'))).toBe('unknown');
    expect(targetFact(component('prod-api'))).toBe('environment production');
    expect(targetFact(component('k8s'))).toBe(
      'container-platform, no environment stated: counted as production',
    );
    expect(targetFact(component('worker'))).toBe('function, environment not stated');
    expect(deployFact(flow('ci->worker'))).toBe(
      'flow ci->worker: purpose deploy into worker (function, environment not stated)',
    );
  });

  it('splits deliveries by target and asks for environments only while nothing is production', () => {
    const deploys = view.flowsFrom('ci').filter(deliversInto);
    const split = splitByProduction(deploys, to);
    expect(split.production.map((f) => f.id)).toEqual(['ci->prod-api']);
    expect(split.unstated.map((f) => f.id)).toEqual(['ci->worker']);
    expect(environmentUnknowns(split, to)).toEqual([]);
    const unstatedOnly = splitByProduction([flow('ci->worker'), flow('ci->worker')], to);
    expect(environmentUnknowns(unstatedOnly, to)).toEqual([{ subject: 'worker', attribute: 'environment' }]);
  });
});
