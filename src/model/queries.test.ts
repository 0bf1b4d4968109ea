import { describe, expect, it } from 'vitest';
import { ENCRYPTED_PROTOCOLS, PLAINTEXT_PROTOCOLS, protocolEncryption } from './protocols.js';
import {
  agreementOf,
  appliesControl,
  authnStrength,
  behind,
  bySegment,
  dataDirection,
  dataReaches,
  enforces,
  grantCovers,
  hasClassification,
  hasControl,
  implicitTrustZone,
  isBroadGrant,
  isCopyFlow,
  isCopyTarget,
  isCrownJewel,
  isFirstParty,
  isMoney,
  isOwned,
  isSensitive,
  isThirdParty,
  listHas,
  listsUnstated,
  mayWrite,
  onlyReads,
  readsOnlyPublicData,
  segment,
  sortedIds,
  touchesCrownJewels,
  triState,
} from './queries.js';
import type { Component, DataAsset, Flow, Grant, Model } from './schema.js';
import { type FlowFacts, View } from './view.js';
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

describe('element and View predicates shared by the rules', () => {
  /** A View over a model given by its lists (absent lists are empty). */
  const viewOf = (m: Partial<Pick<Model, 'boundaries' | 'components' | 'data' | 'flows'>>): View =>
    new View({
      threatkrew: 1,
      name: 'queries',
      boundaries: m.boundaries ?? [],
      components: m.components ?? [],
      identities: [],
      data: m.data ?? [],
      flows: m.flows ?? [],
      assumptions: [],
      questions: [],
      risks: [],
    });
  const c = (id: string, kind: Component['kind'], extra: Partial<Component> = {}): Component => ({
    id,
    kind,
    ...extra,
  });
  const ids = (xs: readonly { id: string }[]) => xs.map((x) => x.id);

  const edge = viewOf({
    boundaries: [
      { id: 'internet', kind: 'internet' },
      { id: 'vendor', kind: 'third-party', agreement: false },
      { id: 'vpc', kind: 'network' },
      { id: 'k8s', kind: 'cluster', in: 'vpc' },
    ],
    components: [
      c('shopper', 'user', { in: 'internet' }),
      c('bot', 'service', { in: 'internet' }),
      c('cdn', 'cdn', { in: 'vpc' }),
      c('gw', 'gateway', { in: 'vpc' }),
      c('api', 'service', { in: 'k8s' }),
      c('admin', 'service', { in: 'k8s' }),
      c('db', 'datastore', { in: 'vpc', stores: ['cards'] }),
      c('replica', 'datastore', { in: 'vpc' }),
      c('crm', 'external-service', { agreement: true }),
      c('mailer', 'service', { in: 'vendor' }),
      c('loose', 'service'),
    ],
    data: [
      { id: 'cards', classification: 'pci' },
      { id: 'site', classification: 'public' },
    ],
    flows: [
      { from: 'shopper', to: 'cdn', authn: 'none' },
      { from: 'cdn', to: 'gw' },
      { from: 'gw', to: 'api' },
      { from: 'gw', to: 'admin' },
      { from: 'api', to: 'db', authn: 'none' },
      { from: 'admin', to: 'db', authn: 'password', actions: ['read'] },
      { from: 'db', to: 'replica', purpose: 'replication' },
      { from: 'api', to: 'crm', data: ['cards'] },
      { from: 'bot', to: 'api', authn: 'none' },
    ],
  });
  const comp = (id: string) => edge.component(id) as Component;
  const flowOf = (id: string) => edge.flow(id) as FlowFacts;

  it('onlyReads: every stated action reads; mayWrite: unstated, or write, delete or admin', () => {
    expect(onlyReads(['read', 'subscribe'])).toBe(true);
    expect(onlyReads([])).toBe(true);
    expect(onlyReads(['read', 'write'])).toBe(false);
    expect(onlyReads(undefined)).toBe(false);
    expect(mayWrite(undefined)).toBe(true);
    expect(mayWrite(['read', 'admin'])).toBe(true);
    expect(mayWrite(['read', 'publish', 'invoke'])).toBe(false);
    expect(mayWrite([])).toBe(false);
  });

  it('readsOnlyPublicData: stated read-only actions and stated, all-public data', () => {
    const v = viewOf({
      components: [c('a', 'web-client'), c('b', 'service')],
      data: [
        { id: 'site', classification: 'public' },
        { id: 'cards', classification: 'pci' },
      ],
      flows: [
        { id: 'static', from: 'a', to: 'b', actions: ['read'], data: ['site'] },
        { id: 'mixed', from: 'a', to: 'b', actions: ['read'], data: ['site', 'cards'] },
        { id: 'no-data', from: 'a', to: 'b', actions: ['read'] },
        { id: 'subscribe', from: 'a', to: 'b', actions: ['subscribe'], data: ['site'] },
        { id: 'unstated', from: 'a', to: 'b', data: ['site'] },
      ],
    });
    const verdicts = ['static', 'mixed', 'no-data', 'subscribe', 'unstated'].map((id) =>
      readsOnlyPublicData(v.flow(id) as FlowFacts),
    );
    expect(verdicts).toEqual([true, false, false, false, false]);
  });

  it('touchesCrownJewels: the flow carries them or its target stores them', () => {
    expect(touchesCrownJewels(edge, flowOf('api->db'))).toBe(true);
    expect(touchesCrownJewels(edge, flowOf('api->crm'))).toBe(true);
    expect(touchesCrownJewels(edge, flowOf('gw->api'))).toBe(false);
  });

  it('isMoney: financial or pci', () => {
    expect(CLASSIFICATIONS.filter((k) => isMoney({ id: k, classification: k }))).toEqual([
      'financial',
      'pci',
    ]);
  });

  it('listsUnstated: neither controls nor enforces is stated', () => {
    expect(listsUnstated(component())).toBe(true);
    expect(listsUnstated(component({ controls: [] }))).toBe(false);
    expect(listsUnstated(component({ enforces: ['waf'] }))).toBe(false);
  });

  it('isOwned leaves out clients, internet sources and external services, not third-party boundaries', () => {
    const owned = edge.components.filter((x) => isOwned(edge, x));
    expect(ids(owned)).toEqual(['cdn', 'gw', 'api', 'admin', 'db', 'replica', 'mailer', 'loose']);
  });

  it('isFirstParty also leaves out what sits inside a third-party boundary', () => {
    const ours = edge.components.filter((x) => isFirstParty(edge, x));
    expect(ids(ours)).toEqual(['cdn', 'gw', 'api', 'admin', 'db', 'replica', 'loose']);
  });

  it('agreementOf: the component first, then its nearest third-party boundary, else unknown', () => {
    expect(agreementOf(edge, comp('crm'))).toEqual({ value: true, holder: comp('crm') });
    expect(agreementOf(edge, comp('mailer'))).toEqual({ value: false, holder: edge.boundary('vendor') });
    expect(agreementOf(edge, comp('loose'))).toEqual({ value: 'unknown', holder: comp('loose') });
  });

  it('isThirdParty: an external service, or inside a third-party boundary at any depth', () => {
    const third = edge.components.filter((x) => isThirdParty(edge, x));
    expect(ids(third)).toEqual(['crm', 'mailer']);
    // Asked again (the answer is kept per boundary): the same.
    expect(edge.components.filter((x) => isThirdParty(edge, x))).toEqual(third);
  });

  it('segment: the innermost network, subnet, cluster, namespace or host', () => {
    expect(edge.components.map((x) => segment(edge, x)?.id ?? null)).toEqual(
      edge.components.map(
        (x) =>
          edge
            .componentBoundaries(x.id)
            .find(
              (b) =>
                b.kind === 'network' ||
                b.kind === 'subnet' ||
                b.kind === 'cluster' ||
                b.kind === 'namespace' ||
                b.kind === 'host',
            )?.id ?? null,
      ),
    );
    expect(segment(edge, comp('api'))?.id).toBe('k8s');
    expect(segment(edge, comp('loose'))).toBeUndefined();
  });

  it('bySegment groups components by their innermost segment, in the order given', () => {
    const groups = bySegment(edge, edge.components);
    expect([...groups].map(([s, cs]) => [s, ids(cs)])).toEqual([
      ['vpc', ['cdn', 'gw', 'db', 'replica']],
      ['k8s', ['api', 'admin']],
    ]);
  });

  it('implicitTrustZone: an internal flow without authentication, inside a shared zone', () => {
    expect(implicitTrustZone(edge, flowOf('api->db'))?.id).toBe('vpc');
    expect(implicitTrustZone(edge, flowOf('gw->api'))?.id).toBe('vpc'); // authn not stated
    expect(implicitTrustZone(edge, flowOf('admin->db'))).toBeUndefined(); // authenticates
    expect(implicitTrustZone(edge, flowOf('bot->api'))).toBeUndefined(); // from the internet
    expect(implicitTrustZone(edge, flowOf('api->crm'))).toBeUndefined(); // no shared zone
  });

  it('isCopyFlow and isCopyTarget: replicas and backup targets receive only copies', () => {
    expect(isCopyFlow(flowOf('db->replica'))).toBe(true);
    expect(isCopyFlow(flowOf('api->db'))).toBe(false);
    expect(isCopyTarget(edge, comp('replica'))).toBe(true);
    expect(isCopyTarget(edge, comp('db'))).toBe(false);
    expect(isCopyTarget(edge, comp('loose'))).toBe(false); // receives nothing
  });

  it('behind: a component, and through pass-through hops the first real components, breadth-first', () => {
    expect(ids(behind(edge, comp('cdn')))).toEqual(['cdn', 'gw', 'api', 'admin']);
    expect(ids(behind(edge, comp('api')))).toEqual(['api']);
  });
});
