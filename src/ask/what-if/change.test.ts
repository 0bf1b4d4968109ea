import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadModelFiles } from '../../model/load.js';
import { createAskContext } from '../context.js';
import { readChange } from '../tools.js';
import { applyEdits, validateChange, whatIf } from './change.js';

const file = fileURLToPath(new URL('../../../examples/ecommerce-aws.yaml', import.meta.url));
const loaded = loadModelFiles([file]);
if (!loaded.ok) throw new Error('example does not load');
const { ctx } = createAskContext(loaded, { asOf: '2026-01-01' });

describe('validateChange', () => {
  it('rejects an unknown id with the closest ones', () => {
    expect(validateChange(ctx, { op: 'set', element: 'ordrs-db', attribute: 'replicas', value: 2 })).toEqual([
      "There is no element 'ordrs-db' in the model; did you mean 'orders-db'?",
    ]);
  });

  it('rejects an attribute the element kind does not have, listing the valid ones', () => {
    const [p] = validateChange(ctx, { op: 'set', element: 'orders-db', attribute: 'authn', value: 'mtls' });
    expect(p).toContain("A component has no attribute 'authn'");
    expect(p).toContain('encrypted-at-rest');
  });

  it('rejects values outside the vocabulary, listing the valid ones', () => {
    const [p] = validateChange(ctx, {
      op: 'set',
      element: 'cart-checks-stock',
      attribute: 'authn',
      value: 'mtsl',
    });
    expect(p).toContain('did you mean mtls?');
    expect(p).toContain('valid: none, api-key');
    expect(
      validateChange(ctx, { op: 'set', element: 'orders-db', attribute: 'replicas', value: 0 })[0],
    ).toContain('at least 1');
    expect(
      validateChange(ctx, { op: 'add', element: 'orders', attribute: 'controls', value: 'mfaa' })[0],
    ).toContain('did you mean mfa?');
    expect(
      validateChange(ctx, { op: 'set', element: 'orders', attribute: 'in', value: 'nowhere' })[0],
    ).toContain('There is no boundary nowhere');
  });

  it('rejects removing what is not there, and grants that do not exist', () => {
    expect(
      validateChange(ctx, { op: 'remove', element: 'orders', attribute: 'controls', value: 'mfa' })[0],
    ).toContain('nothing to remove');
    expect(
      validateChange(ctx, {
        op: 'narrow-grant',
        identity: 'reporting-role',
        resource: 'cart',
        actions: ['read'],
      })[0],
    ).toContain('has no grant on');
  });

  it('checks each edit against the model the edits before it leave', () => {
    expect(
      validateChange(ctx, {
        edits: [
          { op: 'remove-component', component: 'notifier' },
          { op: 'set', element: 'notifier', attribute: 'replicas', value: 2 },
        ],
      }),
    ).toHaveLength(1);
  });
});

describe('applyEdits', () => {
  it('changes a copy, never the model asked about', () => {
    const before = JSON.stringify(ctx.loaded.model);
    const { model } = applyEdits(ctx.loaded.model, [
      { op: 'set', element: 'orders-db-dr-replication', attribute: 'encrypted', value: true },
    ]);
    expect(model.flows.find((f) => f.id === 'orders-db-dr-replication')?.encrypted).toBe(true);
    expect(JSON.stringify(ctx.loaded.model)).toBe(before);
  });

  it('removes a component with its flows, the grants on it and the questions about them', () => {
    const { model, notes } = applyEdits(ctx.loaded.model, [
      { op: 'remove-component', component: 'fulfilment-queue' },
    ]);
    expect(model.components.some((c) => c.id === 'fulfilment-queue')).toBe(false);
    expect(model.flows.some((f) => f.from === 'fulfilment-queue' || f.to === 'fulfilment-queue')).toBe(false);
    expect(
      model.identities.flatMap((i) => i.grants ?? []).some((g) => g.resource === 'fulfilment-queue'),
    ).toBe(false);
    expect(model.questions.some((q) => q.subject === 'fulfilment-queue')).toBe(false);
    expect(notes[0]).toContain('also removes its flows');
  });

  it('says when an added control makes an absent list complete', () => {
    const { notes } = applyEdits(ctx.loaded.model, [
      { op: 'add', element: 'cognito', attribute: 'controls', value: 'mfa' },
    ]);
    expect(notes[0]).toContain('a stated list is complete');
  });
});

describe('whatIf', () => {
  it('re-analyses the changed copy and diffs the findings', () => {
    const o = whatIf(ctx, {
      op: 'set',
      element: 'orders-db-dr-replication',
      attribute: 'encrypted',
      value: true,
    });
    expect(o.ok).toBe(true);
    if (!o.ok) return;
    expect(o.diff.resolved.map((f) => f.id)).toEqual(['8aaf34011dce474d']);
    expect(o.diff.new).toEqual([]);
    expect(o.description).toEqual(['orders-db-dr-replication: encrypted false → true']);
  });

  it('keeps risk decisions: an accepted finding stays accepted in the re-analysis', () => {
    const o = whatIf(ctx, { op: 'set', element: 'orders', attribute: 'replicas', value: 4 });
    if (!o.ok) throw new Error(o.problems.join('\n'));
    expect(o.analysis.findings.find((f) => f.id === 'e7ea43daf051acaa')?.status).toBe('accepted');
  });

  it('rejects a change that leaves an invalid model', () => {
    const o = whatIf(ctx, {
      op: 'add-flow',
      flow: { from: 'cart', to: 'orders', data: ['no-such-data'] },
    });
    expect(o.ok).toBe(false);
    if (!o.ok) expect(o.problems[0]).toContain("unknown data asset 'no-such-data'");
  });
});

describe('readChange', () => {
  it('reads a what-if question into edits', () => {
    expect(readChange(ctx, 'what if reporting-role only had read on orders-db?')).toEqual({
      ok: true,
      edits: [{ op: 'narrow-grant', identity: 'reporting-role', resource: 'orders-db', actions: ['read'] }],
      notes: [],
    });
    expect(readChange(ctx, 'suppose we make cognito internal and add mfa to it')).toMatchObject({
      ok: true,
      edits: [
        { op: 'set', element: 'cognito', attribute: 'exposure', value: 'internal' },
        { op: 'add', element: 'cognito', attribute: 'controls', value: 'mfa' },
      ],
    });
  });

  it('never guesses: a typo or an ambiguous name asks which element was meant', () => {
    expect(readChange(ctx, 'what if ordrs-db had 3 replicas')).toMatchObject({ ok: false, kind: 'clarify' });
    expect(readChange(ctx, 'what if the orders database had 3 replicas')).toMatchObject({
      ok: false,
      kind: 'clarify',
      candidates: [{ id: 'orders-db' }, { id: 'orders-db-replica' }],
    });
  });

  it('does not drop part of a question it can only half read', () => {
    const r = readChange(ctx, 'what if cart-checks-stock used mtls and orders-db had 2 replicas');
    expect(r.ok && r.edits.length).toBe(2);
  });
});
