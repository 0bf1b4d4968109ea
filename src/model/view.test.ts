import { describe, expect, it } from 'vitest';
import { formatDiagnostic } from './diagnostics.js';
import { loadModelSources } from './load.js';
import { parseSource } from './source-file.js';
import type { View } from './view.js';

/** Loads a YAML model from a string; fails the test on any error. */
function viewOf(yaml: string, file = 'view.yaml'): View {
  const parsed = parseSource(file, yaml);
  if (!parsed.ok) throw new Error(parsed.diagnostics.map(formatDiagnostic).join('\n'));
  const loaded = loadModelSources([parsed.source]);
  if (!loaded.ok) throw new Error(loaded.diagnostics.map(formatDiagnostic).join('\n'));
  return loaded.view;
}

const ids = (xs: readonly { id: string }[]) => xs.map((x) => x.id);

const SHOP = `threatkrew: 1
name: View facts
boundaries:
  - { id: internet, kind: internet }
  - { id: partners, kind: third-party, in: internet }
  - { id: partner-dc, kind: on-prem, in: partners }
  - { id: acct-a, kind: cloud-account, provider: aws }
  - { id: acct-b, kind: cloud-account, provider: aws }
  - { id: eu, kind: region, in: acct-a }
  - { id: us, kind: region, in: acct-a }
  - { id: vpc, kind: network, in: eu }
  - { id: subnet, kind: subnet, in: vpc }
  - { id: dr-vpc, kind: network, in: us }
  - { id: b-region, kind: region, in: acct-b }
components:
  - { id: shopper, kind: user, in: internet, name: Shopper }
  - { id: partner-app, kind: external-service, in: partner-dc }
  - { id: gw, kind: gateway, in: subnet, enforces: [authentication] }
  - { id: api, kind: service, in: subnet, runs-as: api-role }
  - { id: admin-ui, kind: web-client, in: vpc, exposure: public }
  - { id: db, kind: datastore, in: subnet, stores: [pii, catalog] }
  - { id: dr-db, kind: datastore, in: dr-vpc }
  - { id: analytics, kind: service, in: b-region, runs-as: api-role }
  - { id: loose, kind: service }
  - { id: island, kind: service, in: vpc }
  - { id: internal-svc, kind: service, in: vpc, exposure: internal }
identities:
  - { id: api-role, kind: service-role, grants: [{ resource: db, actions: [read] }] }
data:
  - { id: pii, classification: pii }
  - { id: catalog, classification: public }
flows:
  - { from: shopper, to: gw, protocol: https, authn: oauth2 }
  - { from: partner-app, to: gw, protocol: HTTPS, authn: api-key }
  - { id: gw-api, from: gw, to: api, protocol: http, authn: none }
  - { id: api-db, from: api, to: db, protocol: postgres, authn: password, data: [pii] }
  - { id: db-repl, from: db, to: dr-db, protocol: postgres, encrypted: true, purpose: replication }
  - { from: api, to: analytics, protocol: grpc, encrypted: false, authn: mtls }
  - { from: admin-ui, to: api, protocol: https, authn: oidc }
  - { from: api, to: loose, protocol: wss, authn: unknown }
  - { from: island, to: db }
  - { from: shopper, to: internal-svc, protocol: https, authn: session }
`;

describe('View: lookups and indexes', () => {
  const v = viewOf(SHOP);

  it('looks elements up by id', () => {
    expect(v.component('api')?.kind).toBe('service');
    expect(v.boundary('eu')?.kind).toBe('region');
    expect(v.identity('api-role')?.kind).toBe('service-role');
    expect(v.dataAsset('pii')?.classification).toBe('pii');
    expect(v.flow('gw-api')?.flow.protocol).toBe('http');
    expect(v.flow('shopper->gw')?.from.id).toBe('shopper');
    expect(v.component('nope')).toBeUndefined();
    expect(v.component('eu')).toBeUndefined();
    expect(v.flow('gw->api')).toBeUndefined(); // it has a written id
  });

  it('knows what kind of element an id names, and its label', () => {
    expect(v.kindOf('api')).toBe('component');
    expect(v.kindOf('eu')).toBe('boundary');
    expect(v.kindOf('api-role')).toBe('identity');
    expect(v.kindOf('pii')).toBe('data');
    expect(v.kindOf('api-db')).toBe('flow');
    expect(v.kindOf('admin-ui->api')).toBe('flow');
    expect(v.kindOf('nope')).toBeUndefined();
    expect(v.label('shopper')).toBe('Shopper');
    expect(v.label('api')).toBe('api');
  });

  it('indexes flows by their ends, in model order', () => {
    expect(ids(v.flowsFrom('api'))).toEqual(['api-db', 'api->analytics', 'api->loose']);
    expect(ids(v.flowsTo('gw'))).toEqual(['shopper->gw', 'partner-app->gw']);
    expect(ids(v.flowsTo('api'))).toEqual(['gw-api', 'admin-ui->api']);
    expect(v.flowsTo('shopper')).toEqual([]);
    expect(v.flowsFrom('dr-db')).toEqual([]);
    expect(v.flows).toHaveLength(10);
  });

  it('resolves identities and stored data', () => {
    expect(v.identityOf('api')?.id).toBe('api-role');
    expect(v.identityOf('gw')).toBeUndefined();
    expect(ids(v.runningAs('api-role'))).toEqual(['api', 'analytics']);
    expect(ids(v.stored('db'))).toEqual(['pii', 'catalog']);
    expect(v.stored('api')).toEqual([]);
    expect(ids(v.flow('api-db')?.data ?? [])).toEqual(['pii']);
  });

  it('locates elements and fields in the model file', () => {
    expect(v.location('api')).toEqual({ file: 'view.yaml', line: 19, col: 5 });
    expect(v.location('api', 'runs-as')).toEqual({ file: 'view.yaml', line: 19, col: 43 });
    expect(v.location('nope')).toBeUndefined();
  });
});

describe('View: boundaries', () => {
  const v = viewOf(SHOP);

  it('gives a boundary and its ancestors, nearest first', () => {
    expect(ids(v.ancestry('subnet'))).toEqual(['subnet', 'vpc', 'eu', 'acct-a']);
    expect(ids(v.ancestry('internet'))).toEqual(['internet']);
    expect(v.ancestry('nope')).toEqual([]);
  });

  it("gives a component's boundaries, nearest first, and none without `in`", () => {
    expect(ids(v.componentBoundaries('db'))).toEqual(['subnet', 'vpc', 'eu', 'acct-a']);
    expect(ids(v.componentBoundaries('partner-app'))).toEqual(['partner-dc', 'partners', 'internet']);
    expect(v.componentBoundaries('loose')).toEqual([]);
    expect(v.nearest('db', 'region')?.id).toBe('eu');
    expect(v.nearest('dr-db', 'cloud-account')?.id).toBe('acct-a');
    expect(v.nearest('loose', 'region')).toBeUndefined();
    expect(v.isInside('db', 'eu')).toBe(true);
    expect(v.isInside('db', 'us')).toBe(false);
  });

  it('gives the nearest boundary of a kind from a boundary, the same when asked again', () => {
    expect(v.nearestFrom('subnet', 'region')?.id).toBe('eu');
    expect(v.nearestFrom('subnet', 'subnet')?.id).toBe('subnet');
    expect(v.nearestFrom('partner-dc', 'third-party')?.id).toBe('partners');
    expect(v.nearestFrom('subnet', 'third-party')).toBeUndefined();
    expect(v.nearestFrom('subnet', 'third-party')).toBeUndefined();
    expect(v.nearestFrom('nope', 'region')).toBeUndefined();
    expect(v.nearest('partner-app', 'internet')?.id).toBe('internet');
    expect(v.nearest('nope', 'region')).toBeUndefined();
  });

  it('computes the boundaries a flow crosses and the ones its ends share', () => {
    const f = (id: string) => {
      const facts = v.flow(id);
      if (!facts) throw new Error(id);
      return { crosses: ids(facts.crosses), shared: ids(facts.shared) };
    };
    expect(f('gw-api')).toEqual({ crosses: [], shared: ['subnet', 'vpc', 'eu', 'acct-a'] });
    expect(f('shopper->gw')).toEqual({ crosses: ['internet', 'subnet', 'vpc', 'eu', 'acct-a'], shared: [] });
    expect(f('db-repl')).toEqual({ crosses: ['subnet', 'vpc', 'eu', 'dr-vpc', 'us'], shared: ['acct-a'] });
    expect(f('admin-ui->api')).toEqual({ crosses: ['subnet'], shared: ['vpc', 'eu', 'acct-a'] });
    expect(f('api->loose')).toEqual({ crosses: ['subnet', 'vpc', 'eu', 'acct-a'], shared: [] });
  });

  it('says whether a flow is cross-region and cross-account: true, false or unknown', () => {
    const facts = (id: string) => [v.flow(id)?.crossRegion, v.flow(id)?.crossAccount];
    expect(facts('gw-api')).toEqual([false, false]);
    expect(facts('db-repl')).toEqual([true, false]);
    expect(facts('api->analytics')).toEqual([true, true]);
    expect(facts('api->loose')).toEqual(['unknown', 'unknown']);
    expect(facts('shopper->gw')).toEqual(['unknown', 'unknown']);
  });
});

describe('View: exposure and reachability', () => {
  const v = viewOf(SHOP);

  it('finds internet sources at any depth inside an internet boundary', () => {
    expect(ids(v.internetSources)).toEqual(['shopper', 'partner-app']);
    expect(v.isInternetSource('partner-app')).toBe(true);
    expect(v.isInternetSource('gw')).toBe(false);
    expect(v.flow('partner-app->gw')?.fromInternet).toBe(true);
    expect(v.flow('gw-api')?.fromInternet).toBe(false);
  });

  it('takes entry points to be the internet sources and the components stated public', () => {
    expect(ids(v.entryPoints)).toEqual(['shopper', 'partner-app', 'admin-ui']);
    expect(v.isEntryPoint('admin-ui')).toBe(true);
    expect(v.isEntryPoint('gw')).toBe(false);
  });

  it('is exposed when stated public or called directly by an internet source', () => {
    expect(v.isExposed('admin-ui')).toBe(true);
    expect(v.isExposed('gw')).toBe(true);
    expect(v.isExposed('internal-svc')).toBe(true); // stated internal, but called from the internet
    expect(v.isExposed('api')).toBe(false); // reachable, not exposed
    expect(v.isExposed('shopper')).toBe(false);
    expect(v.isExposed('island')).toBe(false);
  });

  it('is internet-reachable through chains of flows, counting hops from the nearest entry point', () => {
    const hops = Object.fromEntries(v.components.map((c) => [c.id, v.hopsFromEntry(c.id)]));
    expect(hops).toEqual({
      shopper: 0,
      'partner-app': 0,
      gw: 1,
      api: 1, // admin-ui is an entry point one hop away
      'admin-ui': 0,
      db: 2,
      'dr-db': 3,
      analytics: 2,
      loose: 2,
      island: undefined,
      'internal-svc': 1,
    });
    expect(v.isInternetReachable('dr-db')).toBe(true);
    expect(v.isInternetReachable('shopper')).toBe(true);
    expect(v.isInternetReachable('island')).toBe(false);
  });

  it('reaches components avoiding those a predicate blocks (reached, but not passed)', () => {
    const through = v.reachableAvoiding(
      'gateways-and-clients',
      (c) => c.kind === 'gateway' || c.kind === 'web-client',
    );
    expect([...through].sort()).toEqual(['admin-ui', 'gw', 'internal-svc', 'partner-app', 'shopper']);
    const open = v.reachableAvoiding('nothing', () => false);
    expect([...open].sort()).toEqual(
      [
        'admin-ui',
        'analytics',
        'api',
        'db',
        'dr-db',
        'gw',
        'internal-svc',
        'loose',
        'partner-app',
        'shopper',
      ].sort(),
    );
    // Shared by key.
    expect(v.reachableAvoiding('nothing', () => true)).toBe(open);
  });
});

describe('View: encryption and authentication of flows', () => {
  const v = viewOf(SHOP);

  it('derives encryption from the protocol table, case-insensitively; a stated value wins', () => {
    expect(v.flow('shopper->gw')?.encrypted).toBe(true); // https
    expect(v.flow('partner-app->gw')?.encrypted).toBe(true); // HTTPS
    expect(v.flow('gw-api')?.encrypted).toBe(false); // http
    expect(v.flow('api-db')?.encrypted).toBe('unknown'); // postgres
    expect(v.flow('db-repl')?.encrypted).toBe(true); // postgres, stated true
    expect(v.flow('api->analytics')?.encrypted).toBe(false); // grpc, stated false
    expect(v.flow('api->loose')?.encrypted).toBe(true); // wss
    expect(v.flow('island->db')?.encrypted).toBe('unknown'); // no protocol
  });

  it('classifies authentication as none, weak, strong or unknown', () => {
    const s = (id: string) => [v.flow(id)?.authn, v.flow(id)?.authnStrength];
    expect(s('gw-api')).toEqual(['none', 'none']);
    expect(s('partner-app->gw')).toEqual(['api-key', 'weak']);
    expect(s('api-db')).toEqual(['password', 'weak']);
    expect(s('shopper->gw')).toEqual(['oauth2', 'strong']);
    expect(s('api->analytics')).toEqual(['mtls', 'strong']);
    expect(s('shopper->internal-svc')).toEqual(['session', 'strong']);
    expect(s('db-repl')).toEqual(['unknown', 'unknown']); // absent
    expect(s('api->loose')).toEqual(['unknown', 'unknown']); // stated unknown
  });
});

/** A model with internet sources u1..un and the given flows (`id: from>to`), all components in `comps`. */
function pathModel(opts: {
  sources: string[];
  others: string[];
  flows: [string, string, string][];
  extra?: string;
}) {
  const lines = [
    'threatkrew: 1',
    'name: Paths',
    'boundaries:',
    '  - { id: internet, kind: internet }',
    'components:',
    ...opts.sources.map((s) => `  - { id: ${s}, kind: user, in: internet }`),
    ...opts.others.map((c) => `  - { id: ${c}, kind: service }`),
    ...(opts.extra ? [opts.extra] : []),
    'flows:',
    ...opts.flows.map(([id, from, to]) => `  - { id: ${id}, from: ${from}, to: ${to} }`),
    '',
  ];
  return viewOf(lines.join('\n'));
}

describe('View: bounded entry paths', () => {
  it('keeps up to 3 paths per target from distinct sources, shortest first, ties by hop ids', () => {
    const v = pathModel({
      sources: ['u1', 'u2', 'u3'],
      others: ['a', 'b', 't'],
      flows: [
        ['f1', 'u1', 't'], // u1: 1 hop
        ['q1', 'u1', 'a'], // u1 also reaches t in 2 hops: not a second path from u1
        ['z1', 'u2', 'a'],
        ['z2', 'a', 't'], // u2: [z1, z2]
        ['m1', 'u3', 'b'],
        ['m2', 'b', 't'], // u3: [m1, m2] sorts before [z1, z2]
      ],
    });
    const search = v.entryPaths();
    expect(search.maxHops).toBe(8);
    expect(search.maxPathsPerTarget).toBe(3);
    expect(search.paths.get('t')).toEqual([
      { source: 'u1', target: 't', hops: ['f1'] },
      { source: 'u3', target: 't', hops: ['m1', 'm2'] },
      { source: 'u2', target: 't', hops: ['z1', 'z2'] },
    ]);
    expect(search.paths.get('a')).toEqual([
      { source: 'u1', target: 'a', hops: ['q1'] },
      { source: 'u2', target: 'a', hops: ['z1'] },
    ]);
    expect(search.truncated.has('t')).toBe(false);
    expect(search.paths.has('u1')).toBe(false); // no zero-length paths
    expect(v.entryPaths()).toBe(search); // computed once
  });

  it('marks a target truncated when a fourth source could reach it', () => {
    const v = pathModel({
      sources: ['u1', 'u2', 'u3', 'u4'],
      others: ['a', 'b', 'c', 'd', 't'],
      flows: [
        ['f1', 'u1', 't'],
        ['z1', 'u2', 'a'],
        ['z2', 'a', 't'],
        ['m1', 'u3', 'b'],
        ['m2', 'b', 't'],
        ['k1', 'u4', 'c'],
        ['k2', 'c', 'd'],
        ['k3', 'd', 't'],
      ],
    });
    const search = v.entryPaths();
    expect(search.paths.get('t')?.map((p) => p.source)).toEqual(['u1', 'u3', 'u2']);
    expect(search.truncated.has('t')).toBe(true);
    expect(search.truncated.has('a')).toBe(false);
    expect(search.paths.get('d')).toEqual([{ source: 'u4', target: 'd', hops: ['k1', 'k2'] }]);
  });

  it('counts only real paths toward the limit when the target is itself an entry point', () => {
    const v = pathModel({
      sources: ['u1', 'u2', 'u3'],
      others: [],
      extra: '  - { id: bucket, kind: object-store, exposure: public }',
      flows: [
        ['f1', 'u1', 'bucket'],
        ['f2', 'u2', 'bucket'],
        ['f3', 'u3', 'bucket'],
      ],
    });
    const search = v.entryPaths();
    expect(search.paths.get('bucket')?.map((p) => p.source)).toEqual(['u1', 'u2', 'u3']);
    expect(search.truncated.has('bucket')).toBe(false);
  });

  it('stops at 8 hops: a target further away is truncated and has no path', () => {
    const chain = ['n1', 'n2', 'n3', 'n4', 'n5', 'n6', 'n7', 'n8', 'n9', 'n10'];
    const v = pathModel({
      sources: ['s'],
      others: chain,
      flows: chain.map((n, i): [string, string, string] => [
        `h${String(i + 1).padStart(2, '0')}`,
        i === 0 ? 's' : (chain[i - 1] as string),
        n,
      ]),
    });
    const search = v.entryPaths();
    expect(search.paths.get('n8')?.[0]?.hops).toHaveLength(8);
    expect(search.paths.get('n8')?.[0]?.hops).toEqual([
      'h01',
      'h02',
      'h03',
      'h04',
      'h05',
      'h06',
      'h07',
      'h08',
    ]);
    expect(search.paths.get('n1')).toEqual([{ source: 's', target: 'n1', hops: ['h01'] }]);
    expect(search.paths.has('n9')).toBe(false);
    expect(search.paths.has('n10')).toBe(false);
    expect(search.truncated.has('n9')).toBe(true);
    expect(search.truncated.has('n10')).toBe(true);
    expect(search.truncated.has('n8')).toBe(false);
    // Reachability itself is not bounded.
    expect(v.isInternetReachable('n10')).toBe(true);
    expect(v.hopsFromEntry('n10')).toBe(10);
  });

  it('never revisits a component on one path (cycles are harmless)', () => {
    const v = pathModel({
      sources: ['u'],
      others: ['a', 'b'],
      flows: [
        ['f1', 'u', 'a'],
        ['f2', 'a', 'b'],
        ['f3', 'b', 'a'],
        ['f4', 'b', 'u'],
      ],
    });
    const search = v.entryPaths();
    expect(search.paths.get('a')).toEqual([{ source: 'u', target: 'a', hops: ['f1'] }]);
    expect(search.paths.get('b')).toEqual([{ source: 'u', target: 'b', hops: ['f1', 'f2'] }]);
    expect(search.paths.has('u')).toBe(false);
    expect(search.truncated.size).toBe(0);
  });

  it('uses derived flow ids as hops', () => {
    const v = viewOf(`threatkrew: 1
name: Derived
boundaries: [{ id: internet, kind: internet }]
components:
  - { id: u, kind: user, in: internet }
  - { id: a, kind: service }
flows:
  - { from: u, to: a }
`);
    expect(v.entryPaths().paths.get('a')).toEqual([{ source: 'u', target: 'a', hops: ['u->a'] }]);
  });
});
