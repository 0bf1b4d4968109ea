import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { View } from '../../../model/view.js';
import { testRule } from '../../testing/rule-tester.js';
import { viewOf } from '../../testing/view-of.js';
import rule from './rule.js';

testRule(rule, import.meta.url, {
  flagged: [
    {
      fixture: 'flagged.single-database.yaml',
      findings: [
        { messageId: 'single', primary: ['orders-db'], confidence: 'confirmed', subjects: ['customer-pii'] },
      ],
    },
    {
      fixture: 'flagged.replicas-unstated.yaml',
      findings: [{ messageId: 'singleUnstated', primary: ['records-db'], confidence: 'assumed' }],
    },
    {
      fixture: 'flagged.only-gateway.yaml',
      findings: [
        {
          messageId: 'chokepoint',
          primary: ['api-gw'],
          confidence: 'confirmed',
          subjects: ['accounts-db'],
        },
      ],
    },
    {
      fixture: 'flagged.load-balancer-replicas-unstated.yaml',
      findings: [
        {
          messageId: 'chokepointUnstated',
          primary: ['edge-lb'],
          confidence: 'assumed',
          subjects: ['claims-db'],
        },
      ],
    },
  ],
  clean: ['clean.replicated.yaml', 'clean.two-gateways.yaml'],
});

/**
 * The rule finds cut-off holders with one dominator tree; this checks it against the definition it
 * replaces: remove the component and see which holders the entry points no longer reach.
 */
describe('single-point-of-failure cut-off holders', () => {
  /** Holders (not entry points) the entry points reach, and those they no longer reach without `c`. */
  function naiveCuts(view: View): Map<string, string[]> {
    const entries = view.components.filter((c) => view.isEntryPoint(c.id)).map((c) => c.id);
    const reached = (removed: string | undefined) => {
      const seen = new Set(entries);
      const stack = entries.filter((e) => e !== removed);
      while (stack.length > 0) {
        const id = stack.pop() as string;
        for (const f of view.flowsFrom(id)) {
          if (!seen.has(f.to.id)) {
            seen.add(f.to.id);
            if (f.to.id !== removed) stack.push(f.to.id);
          }
        }
      }
      return seen;
    };
    const all = reached(undefined);
    const holders = view.components.filter(
      (h) => h.stores !== undefined && all.has(h.id) && !view.isEntryPoint(h.id),
    );
    const cuts = new Map<string, string[]>();
    for (const c of view.components) {
      if (c.kind === 'user' || (c.replicas ?? 1) >= 2) continue;
      const without = reached(c.id);
      const cut = holders.filter((h) => h.id !== c.id && !without.has(h.id)).map((h) => h.id);
      if (cut.length > 0) cuts.set(c.id, cut);
    }
    return cuts;
  }

  const models = fc.integer({ min: 2, max: 8 }).chain((n) =>
    fc.record({
      n: fc.constant(n),
      users: fc.integer({ min: 1, max: 2 }),
      flows: fc.array(fc.tuple(fc.nat(n + 1), fc.nat(n - 1)), { maxLength: 3 * n }),
      holders: fc.array(fc.boolean(), { minLength: n, maxLength: n }),
      replicas: fc.array(fc.constantFrom(1, 2, undefined), { minLength: n, maxLength: n }),
      public: fc.array(fc.boolean(), { minLength: n, maxLength: n }),
    }),
  );

  it('reports exactly the holders that removing the component cuts off', () => {
    fc.assert(
      fc.property(models, (m) => {
        // Nodes 0 … n-1 are services (some public, some holding PII), n and n+1 internet users.
        const users = ['u0', 'u1'].slice(0, m.users);
        const id = (i: number) => (i < m.n ? `s${i}` : (users[i - m.n] ?? 'u0'));
        const components = [
          ...users.map((u) => ({ id: u, kind: 'user', in: 'internet' })),
          ...Array.from({ length: m.n }, (_, i) => ({
            id: `s${i}`,
            kind: 'service',
            ...(m.holders[i] ? { stores: ['pii'] } : {}),
            ...(m.replicas[i] === undefined ? {} : { replicas: m.replicas[i] }),
            ...(m.public[i] && i % 3 === 0 ? { exposure: 'public' } : {}),
          })),
        ];
        const flows = m.flows
          .filter(([a, b]) => id(a) !== id(b))
          .map(([a, b], k) => ({ id: `f${k}`, from: id(a), to: id(b) }));
        const view = viewOf(
          `boundaries: [{ id: internet, kind: internet }]\ndata: [{ id: pii, classification: pii }]\n` +
            `components: ${JSON.stringify(components)}\nflows: ${JSON.stringify(flows)}\n`,
        );
        const got = new Map<string, string[]>();
        for (const d of rule.detect(view)) {
          const cut = (d.subjects ?? []).filter((s) => s !== 'pii');
          if (cut.length > 0) got.set(d.primary[0] as string, cut);
        }
        expect(got).toEqual(naiveCuts(view));
      }),
      { numRuns: 300 },
    );
  });
});
