import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadModelFiles } from '../model/load.js';
import { createAskContext } from './context.js';
import { resolveEntity, scanQuestion } from './tools.js';

const file = fileURLToPath(new URL('../../examples/ecommerce-aws.yaml', import.meta.url));
const loaded = loadModelFiles([file]);
if (!loaded.ok) throw new Error('example does not load');
const { ctx } = createAskContext(loaded, { asOf: '2026-01-01' });

const found = (text: string) => {
  const r = resolveEntity(ctx, text);
  return r.status === 'found' ? r.entity.id : r.status;
};

describe('resolveEntity', () => {
  it('finds ids as written, in any case', () => {
    expect(found('orders-db')).toBe('orders-db');
    expect(found('ORDERS-DB')).toBe('orders-db');
    expect(found('orders-db-dr-replication')).toBe('orders-db-dr-replication');
  });

  it('finds a flow by its ends, also when it has an id of its own', () => {
    expect(found('api-gw->orders')).toBe('api-to-orders');
    expect(found('cart → inventory')).toBe('cart-checks-stock');
  });

  it('finds display names and the words of ids, with synonyms', () => {
    expect(found('the Orders service')).toBe('orders');
    expect(found('Back-office admin UI')).toBe('backoffice');
    expect(found('the inventory database')).toBe('inventory-db');
    expect(found('orders database primary')).toBe('orders-db');
  });

  it('says when a name fits several elements', () => {
    const r = resolveEntity(ctx, 'the orders database');
    expect(r.status).toBe('ambiguous');
    if (r.status === 'ambiguous')
      expect(r.candidates.map((c) => c.id)).toEqual(['orders-db', 'orders-db-replica']);
  });

  it('uses a word next to the name to tell candidates apart', () => {
    expect(found('the orders database replica')).toBe('orders-db-replica');
  });

  it('forgives small typos, and says so', () => {
    const r = resolveEntity(ctx, 'ordrs-db');
    expect(r).toMatchObject({ status: 'found', how: 'typo', entity: { id: 'orders-db' } });
    expect(found('the inventroy service')).toBe('inventory');
  });

  it('prefers an id over an element whose name is the same word', () => {
    // stripe is a component; stripe-cloud is a boundary named "Stripe".
    expect(found('stripe')).toBe('stripe');
  });

  it('limits what may be named', () => {
    const r = resolveEntity(ctx, 'reporting', ['identity']);
    expect(r.status).toBe('none');
  });

  it('names the closest ids when nothing fits', () => {
    const r = resolveEntity(ctx, 'reportng-rol');
    expect(
      r.status === 'found' ? r.entity.id : r.status === 'none' ? r.suggestions.map((e) => e.id) : [],
    ).toEqual('reporting-role');
  });
});

describe('scanQuestion', () => {
  it('finds everything a question names, in order', () => {
    const s = scanQuestion(
      ctx,
      'why is 8aaf34011dce474d worse than the cart-checks-stock flow (implicit-trust-in-network)?',
    );
    expect(s.mentions.map((m) => `${m.entity.kind}:${m.entity.id}`)).toEqual([
      'finding:8aaf34011dce474d',
      'flow:cart-checks-stock',
      'rule:implicit-trust-in-network',
    ]);
  });

  it('reports ids that name nothing, and does not match their pieces as names', () => {
    const s = scanQuestion(ctx, 'what threatens orders-db-shadow?');
    expect(s.unresolved).toEqual(['orders-db-shadow']);
    expect(s.mentions).toEqual([]);
    expect(scanQuestion(ctx, 'why is 0123456789abcdef bad').unknownFindings).toEqual(['0123456789abcdef']);
  });

  it('marks one-word names that are also ordinary words as generic', () => {
    const s = scanQuestion(ctx, 'does admin access the secrets?');
    expect(s.mentions.filter((m) => m.generic).map((m) => m.entity.id)).toEqual(['admin', 'secrets']);
  });
});
