/** The commented starter model that `threatkrew init` writes. It validates as written (a test checks). */
export function starterModel(schemaRef: string): string {
  return `# yaml-language-server: $schema=${schemaRef}
# A ThreatKrew model: describe your architecture, then run \`threatkrew validate\` on this file.
# Unknown facts are fine: leave a field out and ThreatKrew asks about it instead of guessing.
threatkrew: 1
name: My service
description: A web API with a database, to replace with your own architecture.

# Trust boundaries, nested with \`in\`. Kinds: internet, cloud-account, region, network, subnet,
# cluster, namespace, host, on-prem, third-party, device.
boundaries:
  - { id: internet, kind: internet }
  - { id: cloud, kind: cloud-account, provider: aws }
  - { id: main-region, kind: region, in: cloud, jurisdiction: EU }
  - { id: app-vpc, kind: network, in: main-region }

# What runs: users, services, datastores, queues, gateways, ... (\`kind\` lists every value).
components:
  - { id: customer, kind: user, in: internet }
  - id: api
    kind: service
    name: Public API
    in: app-vpc
    exposure: public                    # public or internal; derived from the flows when absent
    runs-as: api-role                   # the identity it acts as
    enforces: [authentication, rate-limiting]
    controls: [input-validation, audit-logging]
    secrets-in: [secret-store]          # env, config-file, source-code, container-image, ci-variables
  - id: app-db
    kind: datastore
    tech: postgresql
    in: app-vpc
    stores: [customer-records]
    encrypted-at-rest: true             # true, false or unknown
    replicas: 2

# Who acts, and what they may do. Actions: read, write, delete, admin, invoke, publish, subscribe, "*".
identities:
  - id: api-role
    kind: service-role
    credentials: short-lived
    grants:
      - { resource: app-db, actions: [read, write], scope: [customers] }

# What is at stake. Classifications: public, internal, confidential, financial, pii, phi, pci,
# credentials, secret.
data:
  - { id: customer-records, classification: pii }

# Who talks to whom; \`from\` is the caller. Encryption follows the protocol unless stated.
flows:
  - { from: customer, to: api, protocol: https, authn: oidc, data: [customer-records] }
  - id: api-to-db
    from: api
    to: app-db
    protocol: postgres
    encrypted: true
    authn: iam
    actions: [read, write]
    scope: [customers]
    data: [customer-records]

# Things the team takes for granted; shown in reports.
assumptions:
  - { id: cloud-provider-secure, text: "The cloud provider's physical security is adequate." }
`;
}
