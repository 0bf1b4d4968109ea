import { describe, expect, it } from 'vitest';
import type { Component } from '../../model/schema.js';
import { viewOf } from '../testing/view-of.js';
import { actingFlows, outsiderWrittenSources } from './llm.js';

const view = viewOf(`
boundaries:
  - { id: internet, kind: internet }
  - { id: vendor, kind: third-party }
components:
  - { id: customer, kind: user, in: internet }
  - { id: partner, kind: service, in: vendor }
  - { id: helpdesk, kind: service }
  - { id: agent, kind: llm }
  - { id: tickets, kind: datastore }
  - { id: wiki, kind: datastore }
  - { id: orders, kind: service }
flows:
  - { from: customer, to: helpdesk }
  - { from: helpdesk, to: tickets, actions: [write] }
  - { from: partner, to: wiki, actions: [publish] }
  - { from: agent, to: tickets, actions: [read] }
  - { from: agent, to: wiki, actions: [read] }
  - { from: agent, to: orders, actions: [invoke] }
  - { from: agent, to: helpdesk, actions: [read] }
`);
const agent = view.component('agent') as Component;

describe('llm', () => {
  it('actingFlows: the flows by which the LLM writes, deletes, administers, invokes or publishes', () => {
    expect(actingFlows(view, agent).map((f) => f.id)).toEqual(['agent->orders']);
  });

  it('outsiderWrittenSources: stores the LLM reads that internet-reachable or third-party components write', () => {
    const sources = outsiderWrittenSources(view, agent);
    expect(sources.map((s) => [s.read.id, s.writes.map((w) => w.id)])).toEqual([
      ['agent->tickets', ['helpdesk->tickets']],
      ['agent->wiki', ['partner->wiki']],
    ]);
  });
});
