import { behindCached, isClient, isThirdParty } from '../../../model/queries.js';
import type { Component, DataAsset } from '../../../model/schema.js';
import { type FlowFacts, nameOf, type View } from '../../../model/view.js';
import { type Draft, defineRule, type Likelihood } from '../../define-rule.js';
import { dataImpact, dataList, flowLabel } from '../../factors.js';

/** The caller proves only its own identity. */
const SERVICE_AUTHN = new Set(['mtls', 'iam', 'api-key', 'basic', 'password', 'hmac']);
/** A signed-in person's identity travels with the request. */
const USER_AUTHN = new Set(['session', 'jwt', 'oauth2', 'oidc', 'saml']);
const NOT_ON_BEHALF = new Set(['admin', 'deploy', 'telemetry', 'batch']);
const PER_USER = new Set(['pii', 'phi', 'pci', 'financial']);
/** Transports and caches do not decide per user; what their messages carry is other rules' concern. */
const TRANSPORTS = new Set(['queue', 'stream', 'cache']);

/**
 * Components that receive signed-in users' requests: reached by a flow from a client with a user token,
 * directly or through gateways, load balancers, CDNs or WAFs; each with the client flows that bring them.
 */
function actingForUsers(view: View): Map<string, FlowFacts[]> {
  const out = new Map<string, FlowFacts[]>();
  // A client flow is met once, and `behind` lists each component once, so no flow is added twice to a
  // component's list: no check (a gateway behind which thousands of clients sign in has long lists).
  const add = (c: Component, f: FlowFacts) => {
    const list = out.get(c.id);
    if (list) list.push(f);
    else out.set(c.id, [f]);
  };
  const behindOf = behindCached(view);
  // Indexed loops: a for-of loop allocates per element until the code is optimised.
  const components = view.components;
  for (let i = 0; i < components.length; i++) {
    const client = components[i] as Component;
    if (!isClient(client)) continue;
    const flows = view.flowsFrom(client.id);
    for (let j = 0; j < flows.length; j++) {
      const f = flows[j] as FlowFacts;
      if (!USER_AUTHN.has(f.authn)) continue;
      const reached = behindOf(f.to);
      for (let k = 0; k < reached.length; k++) add(reached[k] as Component, f);
    }
  }
  return out;
}

const isPerUser = (d: DataAsset) => PER_USER.has(d.classification);

/** The parts of a finding that depend only on the client flows that reach its `from` end. */
interface UserFacts {
  /** "Shopper with jwt, Admin app with oidc": distinct, in first-seen order. */
  users: string;
  /** Each client flow and its client. */
  subjects: string[];
  evidence: string[];
}

function userFacts(userFlows: readonly FlowFacts[]): UserFacts {
  const users = new Set<string>();
  const subjects: string[] = [];
  const evidence: string[] = [];
  for (const u of userFlows) {
    users.add(`${nameOf(u.from)} with ${u.authn}`);
    subjects.push(u.id, u.from.id);
    evidence.push(`flow ${u.id}: ${u.from.id} (${u.from.kind}) with authn ${u.authn}`);
  }
  return { users: [...users].join(', '), subjects, evidence };
}

function draftFor(view: View, f: FlowFacts, users: UserFacts, perUser: readonly DataAsset[]): Draft {
  // Acting for users implies being reachable from them; only a direct exposure raises the odds.
  const likelihood: Likelihood = view.isExposed(f.from.id) ? 'likely' : 'possible';
  const subjects = [f.from.id, f.to.id, ...users.subjects];
  for (const d of perUser) subjects.push(d.id);
  const data = dataList(perUser);
  return {
    messageId: 'serviceIdentity',
    primary: [f.id],
    subjects,
    likelihood,
    impact: dataImpact(perUser),
    confidence: 'confirmed' as const,
    data: {
      from: nameOf(f.from),
      to: nameOf(f.to),
      data,
      authn: f.authn,
      flow: flowLabel(f),
      users: users.users,
    },
    evidence: [
      `flow ${f.id}: authn ${f.authn}${f.flow.purpose ? `, purpose ${f.flow.purpose}` : ''}`,
      ...users.evidence,
      `${f.to.id} stores ${data}`,
    ],
  };
}

/**
 * Every finding, in flow order. A plain function rather than the generator's body: its loop over all
 * flows can then be optimised while it runs (V8 does not do that for a loop inside a generator).
 */
function findings(view: View): Draft[] {
  const drafts: Draft[] = [];
  const forUsers = actingForUsers(view);
  if (forUsers.size === 0) return drafts;
  const thirdParty = (c: Component) => isThirdParty(view, c);
  // What a finding says about the users behind its `from` end is the same for every flow leaving that
  // component: made once per component, for the first flow that reports.
  const usersOf = new Map<string, UserFacts>();
  const flows = view.flows;
  for (let i = 0; i < flows.length; i++) {
    const f = flows[i] as FlowFacts;
    // Cheapest rejections first: most flows do not use service authentication or come from no
    // component acting for users.
    if (!SERVICE_AUTHN.has(f.authn)) continue;
    if (f.flow.purpose !== undefined && NOT_ON_BEHALF.has(f.flow.purpose)) continue;
    const userFlows = forUsers.get(f.from.id);
    if (!userFlows || isClient(f.from)) continue;
    if (TRANSPORTS.has(f.to.kind) || thirdParty(f.to)) continue;
    const stored = view.stored(f.to.id);
    if (!stored.some(isPerUser)) continue;
    let users = usersOf.get(f.from.id);
    if (users === undefined) {
      users = userFacts(userFlows);
      usersOf.set(f.from.id, users);
    }
    drafts.push(draftFor(view, f, users, stored.filter(isPerUser)));
  }
  return drafts;
}

export default defineRule({
  meta: {
    id: 'missing-identity-propagation',
    title: 'Backend authorizes a service instead of the end user it acts for',
    summary:
      'A service that acts for signed-in users calls a component holding per-user personal, health, card or financial data with only its own identity, so that component can only decide per service, and a compromised or confused caller reaches every user’s records.',
    stride: ['elevation-of-privilege', 'repudiation'],
    cwe: ['CWE-441', 'CWE-285'],
    capec: [],
    attack: [],
    compliance: {
      'nist-800-53': ['AC-3', 'AC-6'],
      'iso-27001-2022': ['A.5.15', 'A.8.3'],
      soc2: ['CC6.1'],
      'pci-dss-4': ['7.2.1'],
      'owasp-asvs-5': ['V8.3.3'],
      hipaa: ['164.312(a)(1)'],
    },
    assumes: [],
    detection:
      'A flow from A to B is reported when A receives signed-in users’ requests (a flow from a user, web client or mobile app with authn session, jwt, oauth2, oidc or saml reaches A, directly or through gateways, load balancers, CDNs or WAFs), the A → B flow authenticates only A (mtls, iam, api-key, basic, password or hmac), its purpose is not admin, deploy, telemetry or batch, and B stores pii, phi, pci or financial data. Queues, streams and caches are not judged as B (they do not decide per user), nor are third parties (our account there is one principal by design). Flows with jwt, oauth2, oidc or saml, where the user’s token can travel, are not reported.',
    severityRationale:
      'Impact is the per-user data B stores. Likelihood is possible (A must be compromised or tricked, for example by a confused-deputy or object-id bug), likely when the internet calls A directly (A serves users, so it is almost always reachable from the internet somehow; being directly exposed is what makes the difference).',
    falsePositives:
      'B may receive the user’s identity another way (a signed header, a user id bound into a token exchanged per request, row-level security keyed on a session variable). Record the token on the flow (authn jwt or oauth2); if B deliberately trusts A for every user, keep the finding and accept the risk with a reason.',
    references: [
      {
        title: 'OWASP Microservices Security Cheat Sheet: identity propagation',
        url: 'https://cheatsheetseries.owasp.org/cheatsheets/Microservices_Security_Cheat_Sheet.html',
      },
      {
        title: 'RFC 8693: OAuth 2.0 Token Exchange',
        url: 'https://www.rfc-editor.org/rfc/rfc8693',
      },
    ],
    messages: {
      serviceIdentity:
        '{from} acts for signed-in users ({users}) but calls {to}, which holds {data}, with only its own identity ({authn}, {flow}), so {to} cannot tell which user a request is for and a compromised or confused {from} reaches every user’s records.',
    },
    mitigation:
      'Carry the end user’s identity from {from} to {to}: forward the user’s token or exchange it for a narrowly scoped one (OAuth 2 token exchange), and have {to} authorize each request for that user (for a database, row-level security keyed on the user or tenant), not only for {from}.',
  },
  *detect(view) {
    yield* findings(view);
  },
});
