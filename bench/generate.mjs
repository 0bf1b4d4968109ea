#!/usr/bin/env node
/**
 * Seeded generator of realistic synthetic architectures in the model format of DESIGN §3, for the
 * benchmark (issue 7). The same `{ components, seed }` always gives the same model, byte for byte.
 *
 *   node bench/generate.mjs --components 1000 --seed 42 --format yaml --out /tmp/m.yaml
 *
 * Shape of an estate of N components:
 * - an `internet` boundary with the users, web clients and mobile apps (about 5% of N);
 * - cloud accounts (one per 500 components, at least two from 200 up) → two or three regions each
 *   (EU / US / APAC jurisdictions) → a VPC network → public, app, data and management subnets; each
 *   region has a Kubernetes cluster (boundary `cluster` in the region) with one namespace per
 *   containerised application, so boundaries nest four deep;
 * - third-party boundaries (SaaS vendors, some with a data-processing agreement) holding external
 *   services and LLMs, and from 500 components an on-prem data centre with legacy systems;
 * - a shared platform per account (CI/CD, repository, registry, identity provider, a platform engineer
 *   on the internet, staff identities) and per region (secret store, monitoring, container platform);
 * - applications of 20 to 60 components: an edge chain (CDN → WAF → load balancer → API gateway, some
 *   links missing), services, functions, datastores, object stores, caches, queues, streams, search,
 *   replicas in a second region, self-hosted LLMs, and calls to third parties and LLM providers.
 * Flows (exactly 4 × N, from N = 10 up) follow the tiers: clients → edge → services → data, plus
 * service-to-service calls (some across applications), queue consumers, secrets, token validation,
 * telemetry, deployments, replication and backups across regions or accounts, webhooks and VPN links.
 * Most controls are present; some are deliberately missing or unknown, so that rules fire.
 *
 * The model is valid (no errors and no warnings): explicit `encrypted` is only written where the protocol
 * leaves it unknown, and `exposure: internal` only on components no internet source calls directly.
 */
import { writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

// ---- PRNG ---------------------------------------------------------------------------------------------

/** mulberry32: a small, fast, seedable 32-bit PRNG; returns floats in [0, 1). */
export function mulberry32(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

class Rng {
  constructor(seed) {
    this.next = mulberry32(seed);
  }
  /** Integer in [lo, hi]. */
  int(lo, hi) {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }
  chance(p) {
    return this.next() < p;
  }
  pick(list) {
    return list[Math.floor(this.next() * list.length)];
  }
  /** Weighted pick from [[value, weight], ...]. */
  weighted(pairs) {
    let total = 0;
    for (const [, w] of pairs) total += w;
    let x = this.next() * total;
    for (const [v, w] of pairs) {
      x -= w;
      if (x < 0) return v;
    }
    return pairs[pairs.length - 1][0];
  }
  /** k distinct items (fewer when the list is shorter), in list order. */
  sample(list, k) {
    if (k >= list.length) return [...list];
    const idx = new Set();
    while (idx.size < k) idx.add(Math.floor(this.next() * list.length));
    return [...idx].sort((a, b) => a - b).map((i) => list[i]);
  }
  /** Each item kept with probability p (order kept). */
  subset(list, p) {
    return list.filter(() => this.next() < p);
  }
}

// ---- vocabulary ---------------------------------------------------------------------------------------

const REGIONS = [
  { name: 'eu-west-1', jurisdiction: 'EU' },
  { name: 'us-east-1', jurisdiction: 'US' },
  { name: 'ap-southeast-1', jurisdiction: 'SG' },
];
const PROVIDERS = ['aws', 'aws', 'aws', 'gcp', 'azure'];
const VENDORS = [
  'stripe',
  'openai',
  'twilio',
  'sendgrid',
  'salesforce',
  'zendesk',
  'datadog',
  'segment',
  'okta',
  'anthropic',
  'adyen',
  'docusign',
  'hubspot',
  'snowflake',
  'pagerduty',
];
const APP_NAMES = [
  'shop',
  'orders',
  'payments',
  'billing',
  'catalog',
  'search',
  'accounts',
  'loyalty',
  'shipping',
  'inventory',
  'pricing',
  'reviews',
  'support',
  'claims',
  'patients',
  'ledger',
  'risk',
  'kyc',
  'notify',
  'reports',
  'analytics',
  'booking',
  'content',
  'media',
  'partners',
  'hr',
  'payroll',
  'crm',
  'fraud',
  'assist',
];
const SERVICE_WORDS = [
  'api',
  'core',
  'worker',
  'query',
  'command',
  'sync',
  'export',
  'import',
  'ingest',
  'profile',
  'session',
  'cart',
  'checkout',
  'quote',
  'invoice',
  'audit',
  'rules',
  'events',
  'admin',
  'backoffice',
  'gateway-adapter',
  'scheduler',
  'render',
  'feed',
];
const DATA_WORDS = [
  'customers',
  'orders',
  'payments',
  'cards',
  'invoices',
  'sessions',
  'tokens',
  'profiles',
  'records',
  'events',
  'documents',
  'metrics',
  'catalogue',
  'messages',
  'api-keys',
  'health-records',
];
const TECH = {
  user: [undefined],
  'web-client': ['react', 'angular', 'vue', 'nextjs'],
  'mobile-app': ['ios', 'android', 'react-native', 'flutter'],
  service: [
    'nodejs',
    'java-spring',
    'go',
    'python-django',
    'python-fastapi',
    'dotnet',
    'ruby-rails',
    'kotlin',
  ],
  function: ['aws-lambda', 'gcp-cloud-functions', 'azure-functions'],
  gateway: ['aws-api-gateway', 'kong', 'apigee', 'envoy'],
  'load-balancer': ['aws-alb', 'aws-nlb', 'nginx', 'haproxy', 'gcp-lb'],
  cdn: ['cloudfront', 'cloudflare', 'fastly', 'akamai'],
  waf: ['aws-waf', 'cloudflare-waf', 'modsecurity'],
  datastore: ['postgresql', 'mysql', 'aurora-postgresql', 'mongodb', 'dynamodb', 'cassandra', 'sqlserver'],
  'object-store': ['s3', 'gcs', 'azure-blob'],
  cache: ['redis', 'memcached', 'elasticache-redis'],
  queue: ['sqs', 'rabbitmq', 'azure-service-bus'],
  stream: ['kafka', 'kinesis', 'msk'],
  search: ['elasticsearch', 'opensearch', 'solr'],
  'secret-store': ['aws-secrets-manager', 'hashicorp-vault', 'azure-key-vault'],
  'identity-provider': ['keycloak', 'okta', 'auth0', 'aws-cognito', 'entra-id'],
  monitoring: ['prometheus', 'grafana', 'datadog-agent', 'elk'],
  'ci-cd': ['github-actions', 'gitlab-ci', 'jenkins', 'argo-cd'],
  repository: ['github', 'gitlab', 'bitbucket'],
  registry: ['ecr', 'harbor', 'ghcr', 'artifactory'],
  llm: ['gpt-4o', 'claude', 'llama-3', 'mistral'],
  'external-service': ['rest-api', 'saas'],
  'container-platform': ['eks', 'gke', 'aks', 'openshift'],
};
/** Data-holding component kinds and the protocols used to reach them. */
const DATA_PROTOCOLS = {
  datastore: {
    postgresql: 'postgres',
    'aurora-postgresql': 'postgres',
    mysql: 'mysql',
    mongodb: 'mongodb',
    dynamodb: 'https',
    cassandra: 'cql',
    sqlserver: 'jdbc',
  },
  cache: { redis: ['redis', 'rediss'], memcached: 'memcached', 'elasticache-redis': ['rediss', 'redis'] },
  queue: { sqs: 'https', rabbitmq: ['amqps', 'amqp'], 'azure-service-bus': 'amqps' },
  stream: { kafka: ['kafka-tls', 'kafka-plaintext', 'kafka'], kinesis: 'https', msk: ['kafka-tls', 'kafka'] },
  search: { elasticsearch: ['https', 'http'], opensearch: 'https', solr: ['http', 'https'] },
  'object-store': { s3: 'https', gcs: 'https', 'azure-blob': 'https' },
};
/** Protocols that leave `encrypted` unknown (DESIGN §3): only these get an explicit `encrypted`. */
const UNKNOWN_ENC = new Set(['grpc', 'postgres', 'mysql', 'mongodb', 'jdbc', 'kafka', 'cql', 'tcp']);

const STRONG_AUTHN = ['mtls', 'oauth2', 'jwt', 'iam', 'oidc'];

// ---- the generator ------------------------------------------------------------------------------------

/**
 * Generates a model of exactly `components` components (and, from 10 components, exactly 4 × components
 * flows). Deterministic for a given seed.
 */
export function generateModel({ components: target, seed = 42 } = {}) {
  if (!Number.isInteger(target) || target < 1) throw new Error('components must be a positive integer');
  const rng = new Rng(seed);
  const boundaries = [];
  const components = [];
  const identities = [];
  const data = [];
  const flows = [];
  const assumptions = [];
  const compById = new Map();
  const pairs = new Set();
  let flowSeq = 0;

  const full = () => components.length >= target;
  const addBoundary = (b) => {
    boundaries.push(b);
    return b.id;
  };
  const addComponent = (c) => {
    if (full()) return undefined;
    components.push(c);
    compById.set(c.id, c);
    return c;
  };
  const addData = (d) => {
    data.push(d);
    return d.id;
  };
  /** Adds a flow unless that (from, to) pair already has one; returns whether it was added. */
  const addFlow = (from, to, attrs) => {
    if (!from || !to || from === to) return false;
    const key = `${from}\u0000${to}`;
    if (pairs.has(key)) return false;
    pairs.add(key);
    const f = {};
    // Most flows carry a written id; the rest use the derived `<from>-><to>`.
    if (rng.chance(0.8)) f.id = `fl-${String(++flowSeq).padStart(6, '0')}`;
    f.from = from;
    f.to = to;
    Object.assign(f, attrs);
    flows.push(f);
    return true;
  };

  // ---- scale ----
  // One cloud account per 500 components, so that every size has the same shape (accounts, regions,
  // clusters and the fan-in of their shared platform stay the same size; only their number grows): the
  // growth from one size to the next then measures the code, not a change of architecture.
  const nAccounts = target < 200 ? 1 : Math.max(2, Math.round(target / 500));
  const nVendors = Math.max(2, Math.min(VENDORS.length * 20, Math.round(target / 400)));

  // ---- boundaries ----
  addBoundary({ id: 'internet', kind: 'internet', name: 'The internet' });
  const accounts = [];
  for (let a = 0; a < nAccounts; a++) {
    const provider = rng.pick(PROVIDERS);
    const acct = addBoundary({
      id: `acct-${pad(a, 3)}`,
      kind: 'cloud-account',
      provider,
      name: `${provider.toUpperCase()} account ${a}${a % 5 === 0 ? ' (shared services)' : ''}`,
    });
    const nRegions = target < 60 ? 1 : a % 3 === 2 ? 3 : 2;
    const regions = [];
    for (let r = 0; r < nRegions; r++) {
      const reg = REGIONS[(a + r) % REGIONS.length];
      const region = addBoundary({
        id: `${acct}/${reg.name}`,
        kind: 'region',
        in: acct,
        jurisdiction: reg.jurisdiction,
      });
      const vpc = addBoundary({ id: `${region}/vpc`, kind: 'network', in: region, name: `VPC ${reg.name}` });
      const sub = {};
      for (const s of ['public', 'app', 'data', 'mgmt']) {
        sub[s] = addBoundary({ id: `${vpc}/${s}`, kind: 'subnet', in: vpc });
      }
      const cluster = addBoundary({
        id: `${region}/k8s`,
        kind: 'cluster',
        in: region,
        name: `Kubernetes ${reg.name}`,
      });
      regions.push({ id: region, jurisdiction: reg.jurisdiction, vpc, sub, cluster, platform: {} });
    }
    accounts.push({ id: acct, regions, platform: {} });
  }
  const vendors = [];
  for (let v = 0; v < nVendors; v++) {
    const vendor = VENDORS[v % VENDORS.length];
    const id = `tp-${vendor}${v >= VENDORS.length ? `-${Math.floor(v / VENDORS.length)}` : ''}`;
    const b = { id, kind: 'third-party', provider: vendor, jurisdiction: rng.pick(['US', 'US', 'EU']) };
    const agreement = rng.weighted([
      [true, 6],
      [false, 2],
      [undefined, 2],
    ]);
    if (agreement !== undefined) b.agreement = agreement;
    addBoundary(b);
    vendors.push({ id, vendor });
  }
  let onPrem;
  if (target >= 500) {
    const dc = addBoundary({
      id: 'dc-frankfurt',
      kind: 'on-prem',
      jurisdiction: 'EU',
      name: 'Frankfurt data centre',
    });
    const net = addBoundary({ id: 'dc-frankfurt/lan', kind: 'network', in: dc });
    onPrem = { dc, net, comps: [] };
  }
  if (target >= 40) {
    assumptions.push({
      id: 'as-vpc-trust',
      text: 'Traffic inside a VPC is only reachable by our own workloads.',
    });
    assumptions.push({ id: 'as-idp', text: 'The identity providers enforce MFA for staff.' });
  }

  // ---- data assets: a few shared ones, then per application ----
  const sharedData = {
    telemetry: addData({ id: 'd-telemetry', classification: 'internal', name: 'Logs and metrics' }),
    artifacts: addData({ id: 'd-artifacts', classification: 'internal', name: 'Build artifacts' }),
    secrets: addData({ id: 'd-secrets', classification: 'secret', name: 'Application secrets' }),
    creds: addData({ id: 'd-user-credentials', classification: 'credentials', name: 'User credentials' }),
  };

  // ---- component attributes ----
  const env = () =>
    rng.weighted([
      ['production', 80],
      ['staging', 12],
      ['development', 4],
      [undefined, 4],
    ]);
  const controlsFor = (base, keep = 0.85, absent = 0.08) => {
    if (rng.chance(absent)) return undefined;
    return base.filter(() => rng.chance(keep));
  };
  const encAtRest = () =>
    rng.weighted([
      [true, 80],
      [false, 10],
      [undefined, 10],
    ]);
  const secretsIn = () =>
    rng.weighted([
      [['secret-store'], 70],
      [['env'], 10],
      [['env', 'secret-store'], 6],
      [['config-file'], 4],
      [['container-image'], 2],
      [['source-code'], 1],
      [undefined, 7],
    ]);
  const replicas = (lo, hi) => (rng.chance(0.85) ? rng.int(lo, hi) : undefined);
  const tech = (kind) => rng.pick(TECH[kind]);
  const put = (obj, key, value) => {
    if (value !== undefined) obj[key] = value;
    return obj;
  };
  const component = (id, kind, fields) => {
    const c = { id, kind };
    for (const [k, v] of Object.entries(fields)) put(c, k, v);
    return addComponent(c);
  };
  const identity = (id, kind, fields) => {
    const i = { id, kind };
    for (const [k, v] of Object.entries(fields)) put(i, k, v);
    identities.push(i);
    return i;
  };

  // ---- identities of staff (before the applications: a few workloads run as a person) ----
  accounts.forEach((acct, a) => {
    identity(`${acct.id}/ops-admin`, 'human-user', {
      credentials: rng.chance(0.5) ? 'long-lived' : undefined,
      grants: [{ resource: '*', actions: ['admin'] }],
    });
    // Who may assume the break-glass role: its own admin; in some accounts anyone ("*"), or the admin
    // of the previous account (cross-account trust).
    const assumable = [`${acct.id}/ops-admin`];
    if (a % 4 === 1) assumable.push('*');
    if (a % 4 === 2 && a > 0) assumable.push(`${accounts[a - 1].id}/ops-admin`);
    identity(`${acct.id}/break-glass`, 'user-role', {
      credentials: 'short-lived',
      grants: [{ resource: '*', actions: ['*'] }],
      'assumable-by': assumable,
    });
  });

  // ---- shared platform ----
  // Order matters only for truncation at small sizes: clients and the first application come first.
  const internetClients = [];
  const platformQueue = [];
  accounts.forEach((acct, a) => {
    const home = acct.regions[0];
    platformQueue.push(() => {
      // A platform engineer on the internet: pushes to the repository, administers monitoring, and in
      // some accounts deploys by hand.
      const eng = component(`${acct.id}/engineer`, 'user', {
        in: 'internet',
        name: `Platform engineer (${acct.id})`,
      });
      if (eng) acct.platform.engineer = eng.id;
    });
    platformQueue.push(() => {
      const ciRole = identity(`${acct.id}/ci-role`, 'ci-role', {
        credentials: rng.chance(0.4) ? 'long-lived' : rng.chance(0.8) ? 'short-lived' : undefined,
        grants: rng.chance(0.3)
          ? [{ resource: '*', actions: ['*'] }]
          : [{ resource: '*', actions: ['invoke', 'write'] }],
      });
      const ci = component(`${acct.id}/ci`, 'ci-cd', {
        tech: tech('ci-cd'),
        in: home.sub.mgmt,
        environment: 'production',
        controls: controlsFor(
          ['signing', 'human-approval', 'audit-logging', 'authentication', 'mfa'],
          0.6,
          0.1,
        ),
        'secrets-in': rng.pick([['ci-variables'], ['secret-store'], ['ci-variables', 'secret-store']]),
        privileged: rng.weighted([
          [true, 3],
          [false, 5],
          [undefined, 2],
        ]),
        'runs-as': ciRole.id,
      });
      if (ci) acct.platform.ci = ci.id;
    });
    platformQueue.push(() => {
      const repo = component(`${acct.id}/repo`, 'repository', {
        tech: tech('repository'),
        in: home.sub.mgmt,
        controls: controlsFor(['authentication', 'mfa', 'audit-logging', 'signing'], 0.8),
      });
      if (repo) acct.platform.repo = repo.id;
    });
    platformQueue.push(() => {
      const reg = component(`${acct.id}/registry`, 'registry', {
        tech: tech('registry'),
        in: home.sub.mgmt,
        exposure: a % 3 === 1 ? 'public' : undefined,
        controls: controlsFor(['authentication', 'signing', 'audit-logging'], 0.7),
        'encrypted-at-rest': encAtRest(),
        stores: [sharedData.artifacts],
      });
      if (reg) acct.platform.registry = reg.id;
    });
    platformQueue.push(() => {
      const idp = component(`${acct.id}/idp`, 'identity-provider', {
        tech: tech('identity-provider'),
        in: home.sub.mgmt,
        environment: 'production',
        exposure: rng.chance(0.5) ? 'public' : undefined,
        controls: controlsFor(['authentication', 'mfa', 'audit-logging', 'rate-limiting', 'monitoring'], 0.8),
        stores: [sharedData.creds],
        'encrypted-at-rest': encAtRest(),
        replicas: replicas(1, 3),
      });
      if (idp) acct.platform.idp = idp.id;
    });
    for (const region of acct.regions) {
      platformQueue.push(() => {
        const vault = component(`${region.id}/secrets`, 'secret-store', {
          tech: tech('secret-store'),
          in: region.sub.mgmt,
          environment: 'production',
          controls: controlsFor(['authentication', 'authorization', 'audit-logging', 'backup'], 0.85),
          stores: [sharedData.secrets],
          'encrypted-at-rest': rng.chance(0.95) ? true : undefined,
          replicas: replicas(1, 3),
        });
        if (vault) region.platform.secrets = vault.id;
      });
      platformQueue.push(() => {
        const mon = component(`${region.id}/monitoring`, 'monitoring', {
          tech: tech('monitoring'),
          in: region.sub.mgmt,
          environment: 'production',
          exposure: rng.chance(0.1) ? 'public' : undefined,
          controls: controlsFor(['authentication', 'audit-logging', 'backup'], 0.7),
          stores: [sharedData.telemetry],
          'encrypted-at-rest': encAtRest(),
          replicas: replicas(1, 2),
        });
        if (mon) region.platform.monitoring = mon.id;
      });
      platformQueue.push(() => {
        const cp = component(`${region.id}/k8s-control-plane`, 'container-platform', {
          tech: tech('container-platform'),
          in: region.cluster,
          environment: 'production',
          exposure: a % 2 === 1 && region === home ? 'public' : undefined,
          controls: controlsFor(['authentication', 'authorization', 'audit-logging', 'network-policy'], 0.8),
          privileged: true,
        });
        if (cp) region.platform.controlPlane = cp.id;
      });
    }
  });
  const vendorQueue = [];
  for (const v of vendors) {
    vendorQueue.push(() => {
      const isLlm = v.vendor === 'openai' || v.vendor === 'anthropic';
      const c = component(`${v.id}/api`, isLlm ? 'llm' : 'external-service', {
        tech: isLlm ? tech('llm') : tech('external-service'),
        in: v.id,
        name: `${v.vendor} API`,
        controls: isLlm
          ? controlsFor(['content-filtering', 'rate-limiting', 'audit-logging'], 0.5, 0.3)
          : undefined,
      });
      if (c) v.comp = c.id;
    });
  }
  const onPremQueue = [];
  if (onPrem) {
    const legacyData = addData({
      id: 'd-legacy-accounts',
      classification: 'financial',
      name: 'Legacy ledger',
    });
    onPremQueue.push(() => {
      const c = component('dc-frankfurt/mainframe-db', 'datastore', {
        tech: 'db2',
        in: onPrem.net,
        environment: 'production',
        exposure: 'internal',
        stores: [legacyData],
        'encrypted-at-rest': false,
        replicas: 1,
        controls: ['backup'],
      });
      if (c) onPrem.comps.push(c.id);
    });
    onPremQueue.push(() => {
      const c = component('dc-frankfurt/ledger-service', 'service', {
        tech: 'cobol',
        in: onPrem.net,
        environment: 'production',
        controls: ['authentication'],
        assumes: ['network-trusted'],
        'secrets-in': ['config-file'],
        replicas: 1,
      });
      if (c) {
        onPrem.comps.push(c.id);
        onPrem.service = c.id;
      }
    });
  }

  // ---- applications ----
  const apps = [];
  const nextRun = (queue) => {
    const f = queue.shift();
    if (f) f();
  };
  // Clients in the internet boundary: a couple of shared personas, then per application.
  const sharedUsers = [];
  for (const [id, name] of [
    ['customer', 'Customer'],
    ['partner-user', 'Partner user'],
  ]) {
    const c = component(id, 'user', { in: 'internet', name });
    if (c) {
      sharedUsers.push(c.id);
      internetClients.push(c.id);
    }
  }

  let appIndex = 0;
  while (!full()) {
    // Interleave the platform, vendors and on-prem systems with the first applications so that even a
    // small model has a bit of everything, and they are all in place well before the target.
    for (let k = 0; k < 4; k++) nextRun(platformQueue);
    nextRun(vendorQueue);
    nextRun(onPremQueue);
    if (full()) break;
    apps.push(makeApp(appIndex++));
  }
  // Anything the interleaving did not reach stays out: the component count is exact.

  function makeApp(n) {
    const acct = accounts[n % accounts.length];
    const region = acct.regions[Math.floor(n / accounts.length) % acct.regions.length];
    const other = acct.regions.find((r) => r !== region);
    const base = APP_NAMES[n % APP_NAMES.length];
    const appId = `${base}${n >= APP_NAMES.length ? Math.floor(n / APP_NAMES.length) : ''}`;
    const size = rng.int(20, 60);
    const containerised = rng.chance(0.6);
    let ns;
    if (containerised)
      ns = addBoundary({ id: `${region.cluster}/${appId}`, kind: 'namespace', in: region.cluster });
    const app = {
      id: appId,
      acct,
      region,
      other,
      clients: [],
      edge: [],
      services: [],
      functions: [],
      stores: [],
      queues: [],
      streams: [],
      caches: [],
      search: [],
      objects: [],
      replicas: [],
      llmUsers: [],
      llms: [],
      data: [],
    };
    // The application's data.
    const nData = rng.int(2, 4);
    for (let d = 0; d < nData; d++) {
      const cls = rng.weighted([
        ['public', 4],
        ['internal', 18],
        ['confidential', 20],
        ['pii', 25],
        ['financial', 10],
        ['pci', 5],
        ['phi', 5],
        ['credentials', 6],
        ['secret', 4],
      ]);
      const dd = {
        id: `d-${appId}/${DATA_WORDS[(n + d * 7) % DATA_WORDS.length]}-${d}`,
        classification: cls,
      };
      if ((cls === 'pii' || cls === 'phi') && rng.chance(0.5)) dd.residency = [region.jurisdiction];
      app.data.push(addData(dd));
    }
    const appEnv = env();
    const ids = new Set();
    const cid = (word) => {
      let id = `${appId}/${word}`;
      for (let k = 2; ids.has(id); k++) id = `${appId}/${word}-${k}`;
      ids.add(id);
      return id;
    };
    const inApp = () => (containerised && rng.chance(0.85) ? ns : region.sub.app);
    const sharedRole = rng.chance(0.3)
      ? identity(`${appId}/shared-role`, 'service-role', { credentials: 'short-lived', grants: [] })
      : undefined;
    const roleFor = (compId, kind = 'service-role') => {
      if (rng.chance(0.1)) return undefined;
      if (sharedRole && rng.chance(0.3)) return sharedRole;
      return identity(`${compId}/role`, kind, {
        credentials: rng.weighted([
          ['short-lived', 80],
          ['long-lived', 12],
          [undefined, 8],
        ]),
        grants: [],
      });
    };

    // Clients.
    const nClients = rng.int(1, 3);
    for (let k = 0; k < nClients; k++) {
      const kind = k === 0 ? 'web-client' : rng.pick(['mobile-app', 'user', 'web-client']);
      // Some apps keep data on the device (tokens, a profile cache).
      const keeps = kind !== 'user' && rng.chance(kind === 'mobile-app' ? 0.3 : 0.1);
      const c = component(cid(kind === 'user' ? 'users' : kind), kind, {
        in: 'internet',
        tech: kind === 'user' ? undefined : tech(kind),
        stores: keeps ? rng.sample(app.data, 1) : undefined,
        'encrypted-at-rest': keeps && kind === 'mobile-app' ? encAtRest() : undefined,
      });
      if (!c) return app;
      app.clients.push(c.id);
      internetClients.push(c.id);
    }

    // Edge chain.
    const edgePlan = [
      ['cdn', 0.7],
      ['waf', 0.6],
      ['load-balancer', 0.9],
      ['gateway', 0.8],
    ];
    for (const [kind, p] of edgePlan) {
      if (!rng.chance(p)) continue;
      const enforcesBase = {
        cdn: ['tls-termination', 'rate-limiting', 'waf'],
        waf: ['waf', 'rate-limiting', 'ip-allowlist'],
        'load-balancer': ['tls-termination'],
        gateway: ['authentication', 'rate-limiting', 'input-validation', 'authorization'],
      }[kind];
      const c = component(cid(kind), kind, {
        tech: tech(kind),
        in: region.sub.public,
        environment: appEnv,
        exposure: (kind === 'cdn' || kind === 'gateway') && rng.chance(0.5) ? 'public' : undefined,
        enforces: controlsFor(enforcesBase, 0.75, 0.1),
        controls: controlsFor(['monitoring', 'audit-logging'], 0.6, 0.3),
        replicas: replicas(1, 4),
      });
      if (!c) return app;
      app.edge.push(c.id);
    }

    // The rest of the application, by weighted roles.
    const roles = [
      ['service', 38],
      ['function', 8],
      ['datastore', 10],
      ['object-store', 5],
      ['cache', 5],
      ['queue', 5],
      ['stream', 3],
      ['search', 3],
      ['replica', 3],
      ['llm', 0.7],
    ];
    const rest = Math.max(4, size - app.clients.length - app.edge.length);
    for (let k = 0; k < rest; k++) {
      // The first slots guarantee one service and one datastore per application.
      const role = k === 0 ? 'service' : k === 1 ? 'datastore' : rng.weighted(roles);
      const made = makeRole(role);
      if (made === null) return app;
    }

    function makeRole(role) {
      switch (role) {
        case 'service': {
          const id = cid(`${rng.pick(SERVICE_WORDS)}`);
          // 1% of services run as the account's human admin (a person's identity).
          const runAs = rng.chance(0.01) ? { id: `${acct.id}/ops-admin` } : roleFor(id);
          const c = component(id, 'service', {
            tech: tech('service'),
            in: inApp(),
            environment: appEnv,
            exposure: rng.chance(0.02) ? 'public' : undefined,
            controls: controlsFor(
              [
                'authentication',
                'authorization',
                'input-validation',
                'audit-logging',
                'monitoring',
                'rate-limiting',
              ],
              0.7,
            ),
            assumes: rng.chance(0.12)
              ? rng.sample(
                  ['input-validated-upstream', 'caller-authenticated-upstream', 'network-trusted'],
                  rng.int(1, 2),
                )
              : undefined,
            'secrets-in': secretsIn(),
            replicas: replicas(1, 6),
            'runs-as': runAs?.id,
            'fetches-urls': rng.chance(0.04) ? true : undefined,
            privileged: rng.chance(0.03) ? true : undefined,
          });
          if (!c) return null;
          app.services.push(c.id);
          return c;
        }
        case 'function': {
          const id = cid(`fn-${rng.pick(SERVICE_WORDS)}`);
          const runAs = roleFor(id);
          const c = component(id, 'function', {
            tech: tech('function'),
            in: region.sub.app,
            environment: appEnv,
            controls: controlsFor(
              ['authentication', 'input-validation', 'monitoring', 'audit-logging'],
              0.6,
              0.15,
            ),
            'secrets-in': secretsIn(),
            'runs-as': runAs?.id,
          });
          if (!c) return null;
          app.functions.push(c.id);
          return c;
        }
        case 'llm': {
          // A self-hosted model the application's assistant calls (retrieval and tools: see the flows).
          const c = component(cid('llm'), 'llm', {
            tech: tech('llm'),
            in: inApp(),
            environment: appEnv,
            controls: controlsFor(
              ['content-filtering', 'rate-limiting', 'human-approval', 'authorization'],
              0.5,
              0.2,
            ),
            'runs-as': roleFor(cid('llm-role'))?.id,
          });
          if (!c) return null;
          app.llms.push(c.id);
          return c;
        }
        case 'replica': {
          // A replica of the application's first datastore in a second region.
          const primary = app.stores[0] && compById.get(app.stores[0]);
          if (!primary || !other) return makeRole('datastore');
          const c = component(cid('db-replica'), 'datastore', {
            tech: primary.tech,
            in: other.sub.data,
            environment: appEnv,
            exposure: 'internal',
            stores: primary.stores,
            'encrypted-at-rest': encAtRest(),
            replicas: replicas(1, 2),
            controls: controlsFor(['backup', 'audit-logging', 'authentication'], 0.6),
          });
          if (!c) return null;
          app.replicas.push({ id: c.id, of: primary.id });
          return c;
        }
        default: {
          const kind = role;
          const word = {
            datastore: 'db',
            'object-store': 'bucket',
            cache: 'cache',
            queue: 'queue',
            stream: 'stream',
            search: 'search',
          }[kind];
          const stores =
            kind === 'queue' || kind === 'stream' || kind === 'cache' || kind === 'search'
              ? rng.sample(app.data, 1)
              : rng.sample(app.data, rng.int(1, 2));
          const c = component(cid(word), kind, {
            tech: tech(kind),
            in: region.sub.data,
            environment: appEnv,
            // Misconfiguration: a few stores are public.
            exposure: rng.chance(0.015) ? 'public' : rng.chance(0.5) ? 'internal' : undefined,
            stores: rng.chance(0.93) ? stores : undefined,
            'encrypted-at-rest': encAtRest(),
            replicas: replicas(1, 3),
            controls: controlsFor(['backup', 'audit-logging', 'authentication', 'monitoring'], 0.65, 0.1),
          });
          if (!c) return null;
          const list = {
            datastore: app.stores,
            'object-store': app.objects,
            cache: app.caches,
            queue: app.queues,
            stream: app.streams,
            search: app.search,
          }[kind];
          list.push(c.id);
          return c;
        }
      }
    }
    return app;
  }

  // ---- flows ----
  const protoFor = (toId) => {
    const to = compById.get(toId);
    const table = DATA_PROTOCOLS[to.kind];
    if (!table) return undefined;
    const p = table[to.tech] ?? 'https';
    return Array.isArray(p) ? rng.pick(p) : p;
  };
  const authn = (strong = 0.8, none = 0.07, weak = 0.07) =>
    rng.weighted([
      [rng.pick(STRONG_AUTHN), strong],
      ['none', none],
      [rng.pick(['api-key', 'password', 'basic']), weak],
      [undefined, 1 - strong - none - weak],
    ]);
  /** Flow attributes: protocol, explicit `encrypted` only where the protocol leaves it unknown. */
  const flowAttrs = (protocol, fields = {}) => {
    const a = {};
    if (protocol !== undefined) a.protocol = protocol;
    if (protocol !== undefined && UNKNOWN_ENC.has(protocol)) {
      const e = rng.weighted([
        [true, 70],
        [false, 10],
        [undefined, 20],
      ]);
      if (e !== undefined) a.encrypted = e;
    }
    for (const [k, v] of Object.entries(fields)) put(a, k, v);
    return a;
  };
  // (identities are looked up by id often below; index them.)
  const identityById = new Map(identities.map((i) => [i.id, i]));
  const grantFast = (compId, resource, actions) => {
    const c = compById.get(compId);
    const role = c?.['runs-as'] && identityById.get(c['runs-as']);
    if (!role) return;
    const g = role.grants.find((x) => x.resource === resource);
    if (g) {
      for (const a of actions) if (!g.actions.includes(a)) g.actions.push(a);
    } else role.grants.push({ resource, actions: [...actions] });
  };

  const allServices = apps.flatMap((a) => a.services);
  for (const app of apps) {
    const { region, acct } = app;
    const mon =
      region.platform.monitoring ?? acct.regions.find((r) => r.platform.monitoring)?.platform.monitoring;
    const vault = region.platform.secrets;
    const idp = acct.platform.idp;
    const workloads = [...app.services, ...app.functions];
    const entry = app.edge[0] ?? app.services[0];
    // Clients → the first edge component (and now and then a shared persona too).
    for (const c of app.clients) {
      addFlow(
        c,
        entry,
        flowAttrs(rng.chance(0.95) ? 'https' : 'http', {
          authn: rng.weighted([
            ['oidc', 30],
            ['oauth2', 25],
            ['session', 20],
            ['jwt', 10],
            ['none', 10],
            ['api-key', 3],
            [undefined, 2],
          ]),
          via: 'internet',
          purpose: 'user-traffic',
          data: app.data.length > 0 && rng.chance(0.5) ? rng.sample(app.data, 1) : undefined,
        }),
      );
    }
    if (sharedUsers.length > 0 && rng.chance(0.2)) {
      addFlow(
        rng.pick(sharedUsers),
        entry,
        flowAttrs('https', { authn: 'oidc', via: 'internet', purpose: 'user-traffic' }),
      );
    }
    // The edge chain, in order.
    for (let k = 0; k + 1 < app.edge.length; k++) {
      addFlow(
        app.edge[k],
        app.edge[k + 1],
        flowAttrs(rng.chance(0.85) ? 'https' : 'http', { authn: authn(0.5, 0.4, 0.05), via: 'private' }),
      );
    }
    // The last edge component → the public services and some functions.
    const last = app.edge[app.edge.length - 1];
    if (last) {
      const front = app.services.filter((_, i) => i === 0 || rng.chance(0.45));
      for (const s of front) {
        addFlow(
          last,
          s,
          flowAttrs(
            rng.weighted([
              ['https', 6],
              ['http', 3],
              ['grpc', 1],
            ]),
            {
              authn: authn(0.7, 0.15, 0.05),
              via: 'private',
              actions: rng.chance(0.3) ? ['invoke'] : undefined,
            },
          ),
        );
      }
      for (const fn of app.functions)
        if (rng.chance(0.3)) addFlow(last, fn, flowAttrs('https', { authn: 'iam', actions: ['invoke'] }));
    }
    // Service → service, mostly inside the application, some across applications.
    for (const s of app.services) {
      const k = rng.int(1, 2);
      for (let j = 0; j < k; j++) {
        const to =
          rng.chance(0.06) && allServices.length > 1 ? rng.pick(allServices) : rng.pick(app.services);
        addFlow(
          s,
          to,
          flowAttrs(
            rng.weighted([
              ['grpc', 4],
              ['grpcs', 3],
              ['https', 4],
              ['http', 2],
            ]),
            {
              authn: authn(0.75, 0.12, 0.05),
              actions: rng.chance(0.4) ? [rng.pick(['read', 'write', 'invoke'])] : undefined,
            },
          ),
        );
      }
    }
    // Workloads → data: datastores, caches, search, object stores; publish to queues and streams.
    const dataTargets = [...app.stores, ...app.caches, ...app.search, ...app.objects];
    for (const w of workloads) {
      const k = rng.int(1, 2);
      for (let j = 0; j < k && dataTargets.length > 0; j++) {
        const to = rng.pick(dataTargets);
        const actions = rng.weighted([
          [['read'], 4],
          [['read', 'write'], 4],
          [['write'], 2],
          [['read', 'write', 'delete'], 1],
          [undefined, 2],
        ]);
        const toC = compById.get(to);
        if (
          addFlow(
            w,
            to,
            flowAttrs(protoFor(to), {
              authn: authn(0.6, 0.1, 0.25),
              actions,
              scope: actions && rng.chance(0.4) ? [rng.pick(DATA_WORDS)] : undefined,
              data: toC.stores && rng.chance(0.6) ? toC.stores.slice(0, 1) : undefined,
              via: rng.chance(0.3) ? 'private' : undefined,
            }),
          )
        ) {
          grantFast(
            w,
            to,
            rng.chance(0.05) ? ['admin'] : (actions ?? ['read', 'write']).filter((a) => a !== 'delete'),
          );
        }
      }
    }
    for (const q of [...app.queues, ...app.streams]) {
      const producers = rng.sample(workloads, rng.int(1, 2));
      for (const p of producers) {
        if (
          addFlow(
            p,
            q,
            flowAttrs(protoFor(q), {
              authn: authn(0.6, 0.2, 0.1),
              actions: ['publish'],
              data: compById.get(q).stores,
            }),
          )
        ) {
          grantFast(p, q, ['publish']);
        }
      }
      const consumers =
        app.functions.length > 0 ? rng.sample(app.functions, rng.int(1, 2)) : rng.sample(app.services, 1);
      for (const c of consumers) {
        if (addFlow(c, q, flowAttrs(protoFor(q), { authn: authn(0.6, 0.2, 0.1), actions: ['subscribe'] }))) {
          grantFast(c, q, ['subscribe']);
        }
      }
    }
    // Secrets, token validation, telemetry.
    for (const w of workloads) {
      const c = compById.get(w);
      if (vault && c['secrets-in']?.includes('secret-store')) {
        if (
          addFlow(
            w,
            vault,
            flowAttrs('https', {
              authn: rng.chance(0.9) ? 'iam' : 'none',
              actions: ['read'],
              data: [sharedData.secrets],
            }),
          )
        ) {
          grantFast(w, vault, ['read']);
        }
      }
      if (idp && rng.chance(0.25)) addFlow(w, idp, flowAttrs('https', { authn: 'mtls' }));
      if (mon && rng.chance(0.55)) {
        addFlow(
          w,
          mon,
          flowAttrs(rng.pick(['https', 'https', 'syslog', 'grpc']), {
            purpose: 'telemetry',
            authn: authn(0.5, 0.4, 0.05),
            actions: ['write'],
            // 10% of telemetry carries application data (request bodies in logs).
            data: rng.chance(0.1)
              ? [sharedData.telemetry, ...rng.sample(app.data, 1)]
              : [sharedData.telemetry],
          }),
        );
        // 3% may also delete from the log store.
        if (rng.chance(0.03)) grantFast(w, mon, [rng.pick(['delete', 'admin'])]);
      }
    }
    // Deployments from the account's CI/CD.
    const ci = acct.platform.ci;
    if (ci) {
      for (const w of workloads) {
        if (rng.chance(0.7))
          addFlow(
            ci,
            w,
            flowAttrs(rng.pick(['https', 'ssh']), { purpose: 'deploy', authn: authn(0.7, 0.05, 0.15) }),
          );
      }
      if (app.id && acct.platform.registry) {
        addFlow(
          ci,
          acct.platform.registry,
          flowAttrs('https', {
            purpose: 'deploy',
            authn: 'iam',
            actions: ['write'],
            data: [sharedData.artifacts],
          }),
        );
      }
      if (acct.platform.repo)
        addFlow(ci, acct.platform.repo, flowAttrs('ssh', { authn: 'iam', actions: ['read'] }));
    }
    // Replication to the second region, backups to an object store (sometimes in another account).
    for (const r of app.replicas) {
      const primary = compById.get(r.of);
      addFlow(
        r.of,
        r.id,
        flowAttrs(protoFor(r.of), {
          purpose: 'replication',
          authn: authn(0.6, 0.2, 0.15),
          via: rng.pick(['private', 'internet', undefined]),
          data: primary.stores,
        }),
      );
    }
    for (const s of app.stores) {
      if (!rng.chance(0.5)) continue;
      const store = compById.get(s);
      const backupBucket = rng.chance(0.3) && apps.length > 1 ? rng.pick(apps).objects[0] : app.objects[0];
      if (backupBucket)
        addFlow(
          s,
          backupBucket,
          flowAttrs(rng.pick(['https', 'https', 'http']), {
            purpose: 'backup',
            authn: authn(0.7, 0.1, 0.1),
            actions: ['write'],
            data: store.stores,
          }),
        );
    }
    // Third parties and LLMs.
    if (vendors.length > 0) {
      for (const s of app.services) {
        if (!rng.chance(0.08)) continue;
        const v = rng.pick(vendors);
        if (!v.comp) continue;
        const toLlm = compById.get(v.comp).kind === 'llm';
        addFlow(
          s,
          v.comp,
          flowAttrs('https', {
            authn: rng.pick(['api-key', 'api-key', 'oauth2', 'hmac']),
            via: 'internet',
            actions: ['invoke'],
            data: rng.chance(0.5) ? rng.sample(app.data, 1) : undefined,
          }),
        );
        if (toLlm) app.llmUsers.push(s);
      }
      // Webhooks from a vendor back to the gateway.
      if (last && rng.chance(0.15)) {
        const v = rng.pick(vendors);
        if (v.comp)
          addFlow(
            v.comp,
            last,
            flowAttrs('https', {
              authn: rng.pick(['hmac', 'none', 'api-key']),
              via: 'internet',
              actions: ['invoke'],
            }),
          );
      }
    }
    // The application's own LLM: the assistant calls it; it retrieves from a data component and calls
    // a service as a tool.
    for (const llm of app.llms) {
      const caller = app.services.length > 0 ? rng.pick(app.services) : undefined;
      if (caller)
        addFlow(
          caller,
          llm,
          flowAttrs('grpc', { authn: authn(), actions: ['invoke'], data: rng.sample(app.data, 1) }),
        );
      const source = [...app.search, ...app.stores];
      if (source.length > 0) {
        const to = rng.pick(source);
        addFlow(
          llm,
          to,
          flowAttrs(protoFor(to), { authn: authn(), actions: ['read'], data: compById.get(to).stores }),
        );
      }
      if (app.services.length > 1 && rng.chance(0.6)) {
        addFlow(
          llm,
          rng.pick(app.services),
          flowAttrs('https', { authn: authn(), actions: [rng.pick(['write', 'invoke', 'delete'])] }),
        );
      }
    }
    // The on-prem ledger over a VPN.
    if (onPrem?.service && rng.chance(0.05) && app.services[0]) {
      addFlow(
        app.services[0],
        onPrem.service,
        flowAttrs('https', { authn: 'basic', via: 'vpn', actions: ['write'] }),
      );
    }
  }
  if (onPrem?.service && onPrem.comps.length > 1) {
    addFlow(
      onPrem.service,
      onPrem.comps[0],
      flowAttrs('jdbc', { authn: 'password', actions: ['read', 'write'] }),
    );
  }
  // The platform engineers: push to the repository, administer monitoring, sometimes deploy by hand.
  accounts.forEach((acct, a) => {
    const eng = acct.platform.engineer;
    if (!eng) return;
    if (acct.platform.repo)
      addFlow(
        eng,
        acct.platform.repo,
        flowAttrs('https', {
          authn: rng.pick(['oidc', 'password', 'api-key']),
          via: 'internet',
          actions: ['write'],
        }),
      );
    const mon = acct.regions[0].platform.monitoring;
    if (mon && a % 2 === 0)
      addFlow(
        eng,
        mon,
        flowAttrs('https', {
          purpose: 'admin',
          authn: rng.pick(['password', 'oidc']),
          via: 'internet',
          actions: ['admin'],
        }),
      );
    const own = apps.filter((x) => x.acct === acct && x.services.length > 0);
    if (own.length > 0 && a % 3 === 0)
      addFlow(
        eng,
        rng.pick(own).services[0],
        flowAttrs('ssh', { purpose: 'deploy', authn: 'password', via: 'internet', actions: ['write'] }),
      );
  });
  // Staff access: the container platforms from the ops network over a VPN (admin).
  for (const acct of accounts) {
    for (const region of acct.regions) {
      const cp = region.platform.controlPlane;
      if (cp && acct.platform.ci)
        addFlow(
          acct.platform.ci,
          cp,
          flowAttrs('https', { purpose: 'deploy', authn: 'iam', actions: ['admin'] }),
        );
    }
  }

  // ---- exactly 4 flows per component ----
  const want = target >= 10 ? 4 * target : flows.length;
  if (flows.length > want) {
    // Drop telemetry and deployment flows first (the least interesting), then any, chosen at random.
    const dropOrder = (f) => (f.purpose === 'telemetry' ? 0 : f.purpose === 'deploy' ? 1 : 2);
    const idx = flows.map((f, i) => ({ i, o: dropOrder(f), r: rng.next() }));
    idx.sort((a, b) => a.o - b.o || a.r - b.r);
    const drop = new Set(idx.slice(0, flows.length - want).map((x) => x.i));
    const kept = flows.filter((_, i) => !drop.has(i));
    flows.length = 0;
    flows.push(...kept);
  }
  let guard = 0;
  while (flows.length < want && guard++ < want * 50) {
    // More of the same tiers: a workload calls another service or a data component of its application.
    const app = apps.length > 0 ? rng.pick(apps) : undefined;
    let from;
    let to;
    if (app && (app.services.length > 0 || app.functions.length > 0) && rng.chance(0.9)) {
      from = rng.pick([...app.services, ...app.functions]);
      const targets = [
        ...app.services,
        ...app.stores,
        ...app.caches,
        ...app.search,
        ...app.objects,
        ...app.queues,
      ];
      to = rng.chance(0.1) && allServices.length > 0 ? rng.pick(allServices) : rng.pick(targets);
    } else {
      from = rng.pick(components).id;
      to = rng.pick(components).id;
      // Keep the tiers: nobody calls a client, clients only call edge or entry components.
      if (compById.get(to).in === 'internet' || compById.get(from).in === 'internet') continue;
    }
    if (!to) continue;
    addFlow(
      from,
      to,
      flowAttrs(protoFor(to) ?? rng.pick(['grpc', 'https', 'http', 'grpcs']), { authn: authn() }),
    );
  }
  // A few `exposure: internal` components may have become callable by an internet source through the
  // filler (it never adds such flows, but be safe): a warning would tax every run, so drop the claim.
  const direct = new Set(flows.filter((f) => compById.get(f.from).in === 'internet').map((f) => f.to));
  for (const c of components) if (c.exposure === 'internal' && direct.has(c.id)) delete c.exposure;

  const model = {
    threatkrew: 1,
    name: `Synthetic estate (${target} components, seed ${seed})`,
    description: 'Generated by bench/generate.mjs for the benchmark; not a real system.',
    boundaries,
    components,
    identities,
    data,
    flows,
    assumptions,
  };
  return model;
}

function pad(n, w) {
  return String(n).padStart(w, '0');
}

// ---- writers ------------------------------------------------------------------------------------------

const LISTS = [
  'boundaries',
  'components',
  'identities',
  'data',
  'flows',
  'assumptions',
  'questions',
  'risks',
];

/** JSON with one element per line: compact, and diffable. */
export function toJson(model) {
  const out = ['{'];
  const keys = Object.keys(model);
  keys.forEach((k, i) => {
    const comma = i < keys.length - 1 ? ',' : '';
    const v = model[k];
    if (LISTS.includes(k) && Array.isArray(v)) {
      if (v.length === 0) {
        out.push(`  ${JSON.stringify(k)}: []${comma}`);
        return;
      }
      out.push(`  ${JSON.stringify(k)}: [`);
      for (let j = 0; j < v.length; j++)
        out.push(`    ${JSON.stringify(v[j])}${j < v.length - 1 ? ',' : ''}`);
      out.push(`  ]${comma}`);
    } else out.push(`  ${JSON.stringify(k)}: ${JSON.stringify(v)}${comma}`);
  });
  out.push('}');
  return `${out.join('\n')}\n`;
}

const PLAIN = /^[A-Za-z][A-Za-z0-9._/@-]*$/;
const RESERVED = /^(true|false|null|yes|no|on|off|y|n)$/i;

function scalar(v) {
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (v === null) return 'null';
  const s = String(v);
  return PLAIN.test(s) && !RESERVED.test(s) ? s : JSON.stringify(s);
}

function flowValue(v) {
  if (Array.isArray(v)) return `[${v.map(flowValue).join(', ')}]`;
  if (v !== null && typeof v === 'object') {
    return `{ ${Object.entries(v)
      .map(([k, x]) => `${scalar(k)}: ${flowValue(x)}`)
      .join(', ')} }`;
  }
  return scalar(v);
}

/**
 * YAML 1.2 in the style of the examples: boundaries, data and flows one flow mapping per line; components
 * and identities in block style (lists of scalars as flow sequences, grants as flow mappings).
 */
export function toYaml(model) {
  const out = [];
  for (const [k, v] of Object.entries(model)) {
    if (!LISTS.includes(k)) {
      out.push(`${scalar(k)}: ${scalar(v)}`);
      continue;
    }
    if (v.length === 0) {
      out.push(`${k}: []`);
      continue;
    }
    out.push(`${k}:`);
    const block = k === 'components' || k === 'identities';
    for (const item of v) {
      if (!block) {
        out.push(`  - ${flowValue(item)}`);
        continue;
      }
      let first = true;
      for (const [field, x] of Object.entries(item)) {
        const lead = first ? '  - ' : '    ';
        first = false;
        if (field === 'grants') {
          if (x.length === 0) out.push(`${lead}grants: []`);
          else {
            out.push(`${lead}grants:`);
            for (const g of x) out.push(`      - ${flowValue(g)}`);
          }
        } else out.push(`${lead}${scalar(field)}: ${flowValue(x)}`);
      }
    }
  }
  return `${out.join('\n')}\n`;
}

/**
 * The model as `parts` files that form it by disjoint union (DESIGN §3, several files): the first holds
 * the header and every list but components and flows, which are cut into `parts` consecutive chunks.
 */
export function splitModel(model, parts) {
  const chunk = (list, i) =>
    list.slice(Math.floor((list.length * i) / parts), Math.floor((list.length * (i + 1)) / parts));
  const files = [];
  for (let i = 0; i < parts; i++) {
    const f = { threatkrew: 1 };
    if (i === 0) {
      for (const [k, v] of Object.entries(model))
        if (k !== 'components' && k !== 'flows' && k !== 'threatkrew') f[k] = v;
    }
    f.components = chunk(model.components, i);
    f.flows = chunk(model.flows, i);
    files.push(f);
  }
  return files;
}

export function writeModel(model, format) {
  if (format === 'json') return toJson(model);
  if (format === 'yaml') return toYaml(model);
  throw new Error(`unknown format ${format} (json or yaml)`);
}

/** Counts for a summary line. */
export function stats(model) {
  const kinds = {};
  for (const c of model.components) kinds[c.kind] = (kinds[c.kind] ?? 0) + 1;
  return {
    components: model.components.length,
    flows: model.flows.length,
    boundaries: model.boundaries.length,
    identities: model.identities.length,
    data: model.data.length,
    kinds,
  };
}

// ---- command line -------------------------------------------------------------------------------------

function parseArgs(argv) {
  const o = { components: 1000, seed: 42, format: 'yaml', out: undefined, stats: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const val = () => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${a} needs a value`);
      return v;
    };
    if (a === '--components' || a === '-n') o.components = Number(val());
    else if (a === '--seed') o.seed = Number(val());
    else if (a === '--format') o.format = val();
    else if (a === '--out' || a === '-o') o.out = val();
    else if (a === '--stats') o.stats = true;
    else if (a === '--help' || a === '-h') {
      console.log(
        'usage: node bench/generate.mjs [--components N] [--seed N] [--format yaml|json] [--out FILE] [--stats]',
      );
      process.exit(0);
    } else throw new Error(`unknown argument ${a}`);
  }
  if (!Number.isInteger(o.components) || o.components < 1)
    throw new Error('--components: a positive integer');
  if (!Number.isInteger(o.seed)) throw new Error('--seed: an integer');
  if (o.format !== 'json' && o.format !== 'yaml') throw new Error('--format: json or yaml');
  return o;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  try {
    const o = parseArgs(process.argv.slice(2));
    const model = generateModel({ components: o.components, seed: o.seed });
    const text = writeModel(model, o.format);
    if (o.out === undefined || o.out === '-') process.stdout.write(text);
    else writeFileSync(o.out, text);
    if (o.stats || (o.out !== undefined && o.out !== '-')) {
      const s = stats(model);
      process.stderr.write(
        `${o.out ?? 'stdout'}: ${s.components} components, ${s.flows} flows, ${s.boundaries} boundaries, ${s.identities} identities, ${s.data} data, ${(Buffer.byteLength(text) / 1048576).toFixed(1)} MB\n`,
      );
      if (o.stats) process.stderr.write(`${JSON.stringify(s.kinds)}\n`);
    }
  } catch (e) {
    process.stderr.write(`generate: ${e.message}\n`);
    process.exit(2);
  }
}
