/**
 * Questions for unknown facts (DESIGN §4): one per (subject, attribute) across all rules, id
 * `<subject>#<attribute>`, phrased for the team that owns the element.
 */
import { nameOf, type View } from '../model/view.js';

type Phrase = (name: string, view: View, id: string) => string;

const flowName = (view: View, id: string) => {
  const f = view.flow(id);
  return f ? `the flow from ${nameOf(f.from)} to ${nameOf(f.to)}` : `flow ${id}`;
};

const FLOW: Record<string, Phrase> = {
  encrypted: (_n, v, id) => `Is ${flowName(v, id)} encrypted (TLS or equivalent)?`,
  authn: (_n, v, id) => `How does ${flowName(v, id)} authenticate its caller (none, mtls, oauth2, iam, ...)?`,
  actions: (_n, v, id) =>
    `What does ${flowName(v, id)} do: read, write, delete, admin, invoke, publish or subscribe?`,
  scope: (_n, v, id) => `Which tables, buckets or topics does ${flowName(v, id)} touch?`,
  via: (_n, v, id) =>
    `Which network does ${flowName(v, id)} cross: the internet, a private network or a VPN?`,
  purpose: (_n, v, id) => `What is ${flowName(v, id)} for (user traffic, replication, backup, admin, ...)?`,
  data: (_n, v, id) => `Which data does ${flowName(v, id)} carry?`,
  protocol: (_n, v, id) => `Which protocol does ${flowName(v, id)} use?`,
};

const ELEMENT: Record<string, Phrase> = {
  'encrypted-at-rest': (n) => `Is the data that ${n} stores encrypted at rest?`,
  exposure: (n) => `Is ${n} reachable from the internet (public) or only from inside (internal)?`,
  controls: (n) =>
    `Which security controls does ${n} apply itself (authentication, input-validation, audit-logging, ...)?`,
  enforces: (n) =>
    `Which controls does ${n} enforce on traffic passing through it (authentication, rate-limiting, ...)?`,
  replicas: (n) => `How many replicas of ${n} run?`,
  privileged: (n) => `Does ${n} run privileged (root, host access, docker socket, cluster-admin)?`,
  'fetches-urls': (n) => `Does ${n} fetch URLs that its callers supply?`,
  'secrets-in': (n) => `Where does ${n} keep its credentials (env, config-file, secret-store, ...)?`,
  stores: (n) => `Which data does ${n} store?`,
  'runs-as': (n) => `Which identity does ${n} run as?`,
  in: (n) => `Which network or boundary does ${n} run in?`,
  environment: (n) => `Which environment is ${n} (production, staging, development)?`,
  credentials: (n) => `Are the credentials of ${n} short-lived or long-lived?`,
  grants: (n) => `What is ${n} granted, on which resources?`,
  jurisdiction: (n) => `Which jurisdiction is ${n} in?`,
  classification: (n) => `How sensitive is ${n} (public, internal, confidential, pii, ...)?`,
  residency: (n) => `In which jurisdictions may ${n} be stored and processed (EU, US, ...)?`,
  agreement: (n) =>
    `Does a data-processing agreement (DPA, BAA, no-training terms) cover the data sent to ${n}?`,
  'assumable-by': (n) => `Who may assume or use ${n} (which components, identities or accounts)?`,
  kind: (n) => `What kind of component is ${n}?`,
};

export function questionText(view: View, subject: string, attribute: string): string {
  const kind = view.kindOf(subject);
  if (kind === 'flow') {
    const p = FLOW[attribute];
    if (p) return p('', view, subject);
    return `What is the ${attribute} of ${flowName(view, subject)}?`;
  }
  const name = view.label(subject);
  const p = ELEMENT[attribute];
  return p ? p(name, view, subject) : `What is the ${attribute} of ${name}?`;
}

export function questionId(subject: string, attribute: string): string {
  return `${subject}#${attribute}`;
}
