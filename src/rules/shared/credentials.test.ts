import { describe, expect, it } from 'vitest';
import type { Component, Grant } from '../../model/schema.js';
import { viewOf } from '../testing/view-of.js';
import {
  EXPOSED_SECRET_LOCATIONS,
  exposedSecretLocations,
  grantFact,
  stolenGrantImpact,
} from './credentials.js';

const view = viewOf(`
components:
  - { id: orders-db, kind: datastore, stores: [cards] }
  - { id: logs, kind: object-store }
  - { id: vault, kind: secret-store }
data:
  - { id: cards, classification: pci }
`);
const grant = (resource: string, actions: Grant['actions'], scope?: string[]): Grant =>
  scope ? { resource, actions, scope } : { resource, actions };

describe('credentials', () => {
  it('exposedSecretLocations keeps every place but a secret store, in the stated order', () => {
    expect(EXPOSED_SECRET_LOCATIONS.has('secret-store')).toBe(false);
    const c: Component = { id: 'api', kind: 'service', 'secrets-in': ['secret-store', 'env', 'source-code'] };
    expect(exposedSecretLocations(c)).toEqual(['env', 'source-code']);
    expect(exposedSecretLocations({ id: 'x', kind: 'service' })).toEqual([]);
  });

  it('stolenGrantImpact: broad grants on everything or a control plane are very high, else the data', () => {
    expect(stolenGrantImpact(view, grant('*', ['admin']))).toBe('very-high');
    expect(stolenGrantImpact(view, grant('*', ['read']))).toBe('high');
    expect(stolenGrantImpact(view, grant('vault', ['*']))).toBe('very-high');
    expect(stolenGrantImpact(view, grant('logs', ['admin']))).toBe('high');
    expect(stolenGrantImpact(view, grant('orders-db', ['read']))).toBe('very-high');
    expect(stolenGrantImpact(view, grant('logs', ['read']))).toBe('low');
  });

  it('grantFact names the resource, the actions and a stated scope', () => {
    expect(grantFact(grant('orders-db', ['read', 'write']))).toBe(
      'grant on orders-db: actions [read, write]',
    );
    expect(grantFact(grant('orders-db', ['read'], ['orders']))).toBe(
      'grant on orders-db: actions [read], scope [orders]',
    );
  });
});
