import { describe, expect, it } from 'vitest';
import { ENCRYPTED_PROTOCOLS, PLAINTEXT_PROTOCOLS, protocolEncryption } from './protocols.js';
import {
  appliesControl,
  authnStrength,
  dataDirection,
  dataReaches,
  enforces,
  grantCovers,
  hasClassification,
  hasControl,
  isBroadGrant,
  isCrownJewel,
  isSensitive,
  listHas,
  sortedIds,
  triState,
} from './queries.js';
import type { Component, DataAsset, Flow, Grant } from './schema.js';
import { ACTIONS, AUTHN_METHODS, CLASSIFICATIONS, CROWN_JEWEL_CLASSIFICATIONS } from './vocabulary.js';

const component = (extra: Partial<Component> = {}): Component => ({ id: 'c', kind: 'service', ...extra });
const flow = (actions?: Flow['actions']): Flow =>
  actions ? { from: 'a', to: 'b', actions } : { from: 'a', to: 'b' };
const grant = (actions: Grant['actions']): Grant => ({ resource: 'db', actions });

describe('lists: absent is unknown, present is complete', () => {
  it('listHas', () => {
    expect(listHas(undefined, 'x')).toBe('unknown');
    expect(listHas([], 'x')).toBe(false);
    expect(listHas(['y'], 'x')).toBe(false);
    expect(listHas(['y', 'x'], 'x')).toBe(true);
  });

  it('hasControl and enforces read their own lists', () => {
    expect(hasControl(component(), 'audit-logging')).toBe('unknown');
    expect(hasControl(component({ controls: [] }), 'audit-logging')).toBe(false);
    expect(hasControl(component({ controls: ['audit-logging'] }), 'audit-logging')).toBe(true);
    expect(hasControl(component({ enforces: ['audit-logging'] }), 'audit-logging')).toBe('unknown');
    expect(enforces(component(), 'waf')).toBe('unknown');
    expect(enforces(component({ enforces: [] }), 'waf')).toBe(false);
    expect(enforces(component({ enforces: ['waf'] }), 'waf')).toBe(true);
  });

  it('appliesControl: true if either list says so; unknown only when both lists are absent', () => {
    const c = (controls?: Component['controls'], enf?: Component['enforces']) =>
      appliesControl(
        component({ ...(controls ? { controls } : {}), ...(enf ? { enforces: enf } : {}) }),
        'mfa',
      );
    expect(c(['mfa'], undefined)).toBe(true);
    expect(c(undefined, ['mfa'])).toBe(true);
    expect(c([], ['mfa'])).toBe(true);
    expect(c([], [])).toBe(false);
    expect(c(['backup'], ['waf'])).toBe(false);
    // A present list is the author's complete statement.
    expect(c([], undefined)).toBe(false);
    expect(c(undefined, ['waf'])).toBe(false);
    expect(c(undefined, undefined)).toBe('unknown');
  });

  it('triState maps absent to unknown', () => {
    expect(triState(undefined)).toBe('unknown');
    expect(triState(true)).toBe(true);
    expect(triState(false)).toBe(false);
    expect(triState('unknown')).toBe('unknown');
  });
});

describe('dataDirection', () => {
  it('only read or subscribe: data travels to -> from (backward)', () => {
    expect(dataDirection(flow(['read']))).toBe('backward');
    expect(dataDirection(flow(['subscribe']))).toBe('backward');
    expect(dataDirection(flow(['read', 'subscribe']))).toBe('backward');
  });

  it('only write, publish, invoke or delete: from -> to (forward)', () => {
    for (const a of ['write', 'publish', 'invoke', 'delete'] as const)
      expect(dataDirection(flow([a]))).toBe('forward');
    expect(dataDirection(flow(['write', 'publish', 'invoke', 'delete']))).toBe('forward');
  });

  it('mixed, admin, empty or absent: both ways', () => {
    expect(dataDirection(flow(['read', 'write']))).toBe('both');
    expect(dataDirection(flow(['subscribe', 'publish']))).toBe('both');
    expect(dataDirection(flow(['admin']))).toBe('both');
    expect(dataDirection(flow(['read', 'admin']))).toBe('both');
    expect(dataDirection(flow([]))).toBe('both');
    expect(dataDirection(flow())).toBe('both');
  });

  it('dataReaches follows the direction', () => {
    expect(dataReaches(flow(['read']), 'from')).toBe(true);
    expect(dataReaches(flow(['read']), 'to')).toBe(false);
    expect(dataReaches(flow(['write']), 'to')).toBe(true);
    expect(dataReaches(flow(['write']), 'from')).toBe(false);
    expect(dataReaches(flow(), 'to')).toBe(true);
    expect(dataReaches(flow(), 'from')).toBe(true);
  });
});

describe('grants', () => {
  it('an action covers itself only', () => {
    expect(grantCovers(grant(['read']), 'read')).toBe(true);
    expect(grantCovers(grant(['read']), 'write')).toBe(false);
    expect(grantCovers(grant(['read', 'write']), 'write')).toBe(true);
    expect(grantCovers(grant([]), 'read')).toBe(false);
  });

  it('admin and "*" cover every action', () => {
    for (const a of ACTIONS) {
      expect(grantCovers(grant(['admin']), a)).toBe(true);
      expect(grantCovers(grant(['*']), a)).toBe(true);
    }
  });

  it('isBroadGrant: admin or "*"', () => {
    expect(isBroadGrant(grant(['admin']))).toBe(true);
    expect(isBroadGrant(grant(['*']))).toBe(true);
    expect(isBroadGrant(grant(['read', 'write', 'delete']))).toBe(false);
  });
});

describe('authentication and data classes', () => {
  it('authnStrength: none, weak (api-key, basic, password), strong (the rest), unknown', () => {
    const weak = new Set(['api-key', 'basic', 'password']);
    for (const m of AUTHN_METHODS) {
      const expected = m === 'none' ? 'none' : m === 'unknown' ? 'unknown' : weak.has(m) ? 'weak' : 'strong';
      expect(authnStrength(m), m).toBe(expected);
    }
    expect(authnStrength(undefined)).toBe('unknown');
  });

  it('sensitive is confidential and above; crown jewels exclude confidential', () => {
    const d = (classification: DataAsset['classification']): DataAsset => ({
      id: classification,
      classification,
    });
    expect(CLASSIFICATIONS.filter((c) => isSensitive(d(c)))).toEqual([
      'confidential',
      'financial',
      'pii',
      'phi',
      'pci',
      'credentials',
      'secret',
    ]);
    expect(CLASSIFICATIONS.filter((c) => isCrownJewel(d(c)))).toEqual([
      'financial',
      'pii',
      'phi',
      'pci',
      'credentials',
      'secret',
    ]);
    expect(hasClassification([d('public'), d('pii')], CROWN_JEWEL_CLASSIFICATIONS)).toBe(true);
    expect(hasClassification([d('public'), d('confidential')], CROWN_JEWEL_CLASSIFICATIONS)).toBe(false);
    expect(hasClassification([], CROWN_JEWEL_CLASSIFICATIONS)).toBe(false);
  });

  it('sortedIds sorts and removes duplicates', () => {
    expect(sortedIds(['b', 'a', 'b', 'C'])).toEqual(['C', 'a', 'b']);
  });
});

describe('protocol table', () => {
  it('lists exactly the protocols of DESIGN §3', () => {
    expect([...ENCRYPTED_PROTOCOLS].sort()).toEqual(
      [
        'https',
        'wss',
        'grpcs',
        'tls',
        'ldaps',
        'sftp',
        'ftps',
        'ssh',
        'scp',
        'smtps',
        'imaps',
        'pop3s',
        'amqps',
        'mqtts',
        'rediss',
        'kafka-tls',
        'ipsec',
        'wireguard',
      ].sort(),
    );
    expect([...PLAINTEXT_PROTOCOLS].sort()).toEqual(
      [
        'http',
        'ws',
        'ftp',
        'telnet',
        'ldap',
        'smtp',
        'imap',
        'pop3',
        'amqp',
        'mqtt',
        'redis',
        'memcached',
        'nfs',
        'kafka-plaintext',
        'syslog',
      ].sort(),
    );
  });

  it('compares case-insensitively and leaves other protocols unknown', () => {
    expect(protocolEncryption('HTTPS')).toBe(true);
    expect(protocolEncryption('Http')).toBe(false);
    for (const p of ['grpc', 'postgres', 'mysql', 'mongodb', 'jdbc', 'kafka', 'custom']) {
      expect(protocolEncryption(p), p).toBe('unknown');
    }
    expect(protocolEncryption(undefined)).toBe('unknown');
  });
});
